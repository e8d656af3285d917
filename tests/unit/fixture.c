/* fixture: scratch directories and stores for the unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "caseload/store.h"
#include "caseload/tz.h"
#include "fixture.h"

static char dir[256];

int fixture_dir_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/caseload-unit-XXXXXX",
	         getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int fixture_dir_teardown(void **state)
{
	(void)state;
	int rc = nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	tz_shutdown();
	return rc == 0 ? 0 : -1;
}

int fixture_store_setup(void **state)
{
	if (fixture_dir_setup(state) < 0)
		return -1;
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester"};
	if (store_open(&s, fixture_path("test.db"), &o, &e) < 0) {
		fprintf(stderr, "# cannot open the scratch store: %s\n", e.msg);
		fixture_dir_teardown(state);
		return -1;
	}
	*state = s;
	return 0;
}

int fixture_store_teardown(void **state)
{
	struct store *s = *state;
	store_close(&s);
	*state = NULL;
	return fixture_dir_teardown(state);
}

const char *fixture_dir(void)
{
	return dir;
}

const char *fixture_path(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return p;
}

struct store *fixture_open(const char *name)
{
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester"};
	if (store_open(&s, fixture_path(name), &o, &e) < 0)
		fail_msg("cannot open %s: %s", name, e.msg);
	return s;
}

long long fixture_patient(struct store *s, const char *family, const char *risk)
{
	struct patient p = {.family = family, .given = "Pat", .risk = risk};
	struct err e = {0};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	return p.id;
}
