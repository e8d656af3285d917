/* Unit tests: the store's live watch (store_watch_fd, store_watch_drain).
 * On SQLite there is none (-1, nothing drained: the screen watches
 * store_data_version).  On PostgreSQL (tests/cli/pg_unit.sh) the watch's
 * descriptor becomes readable when a commit notifies; what another
 * session commits is drained as the kinds of its tables, a statement
 * that changed no row included (the triggers are per statement); what
 * the watching store's own session commits drains as nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>

#include "caseload/change.h"
#include "caseload/store.h"
#include "fixture.h"

/* Wait (up to 10 s: a bound on a failure, not a timing) for the watch to
 * be readable, then drain it. */
static unsigned next_change(struct store *s, int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 10000), 1);
	return store_watch_drain(s);
}

static void test_watch(void **state)
{
	struct store *a = *state;
	if (!fixture_pg()) {       /* SQLite: none */
		assert_int_equal(store_watch_fd(a), -1);
		fixture_patient(a, "Adams", "high");
		assert_int_equal(store_watch_drain(a), 0);
		return;
	}
	int fd = store_watch_fd(a);
	assert_true(fd >= 0);
	assert_int_equal(store_watch_fd(a), fd);   /* one listening session */

	/* its own commit: notified, and left out */
	fixture_patient(a, "Adams", "high");
	assert_int_equal(next_change(a, fd), 0);

	/* another store's commit: the kinds of its tables */
	struct store *b = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester"};
	assert_int_equal(store_open(&b, fixture_target("test.db"), &o, &e), 0);
	fixture_patient(b, "Baker", "low");
	assert_true(next_change(a, fd) & CHANGE_PATIENT);
	store_close(&b);

	/* anyone's statement, a row changed or not */
	assert_int_equal(fixture_sql("test.db", "UPDATE task SET title = title WHERE id < 0", NULL), 0);
	assert_int_equal(next_change(a, fd), CHANGE_TASK);
	assert_int_equal(fixture_sql("test.db", "DELETE FROM review_mark WHERE patient_id < 0", NULL), 0);
	assert_int_equal(next_change(a, fd), CHANGE_REVIEW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_watch, fixture_store_setup, fixture_store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
