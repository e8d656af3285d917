/* Unit tests: the process hardening done at start (no core dumps, not
 * dumpable).  This test process is hardened itself; the sanitizers' leak
 * check at its exit still works (it makes the process dumpable again for
 * the moment it needs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "caseload/harden.h"

static void test_no_dumps(void **state)
{
	(void)state;
	struct rlimit before;
	assert_int_equal(getrlimit(RLIMIT_CORE, &before), 0);
	struct err e = {0};
	assert_int_equal(harden_process(&e), 0);
	struct rlimit now;
	assert_int_equal(getrlimit(RLIMIT_CORE, &now), 0);
	assert_int_equal(now.rlim_cur, 0);
	assert_int_equal(now.rlim_max, 0);   /* cannot be raised again */
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L), 0);
	/* raising the limit is refused now (unless the process may override
	 * limits, as root may) */
	struct rlimit some = {1 << 20, 1 << 20};
	if (setrlimit(RLIMIT_CORE, &some) == 0)
		assert_int_equal(setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0}), 0);
	/* a second call does no harm */
	assert_int_equal(harden_process(&e), 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L), 0);
	/* and something allocated and freed after it: the leak check runs */
	free(malloc(16));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_dumps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
