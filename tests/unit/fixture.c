/* fixture: scratch directories and stores for the unit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/store.h"
#include "caseload/tz.h"
#include "fixture.h"

static char dir[256];

/* ---- PostgreSQL (CASELOAD_TEST_ENGINE=pg) ----
 * Each store the test opens is a database of its own on the server that
 * CASELOAD_TEST_PG names (a conninfo of its maintenance database, as a
 * superuser), created for the test and dropped at its teardown. */
#define MAX_DBS 16
static struct { char name[64], db[64]; } dbs[MAX_DBS];
static int n_dbs, serial;

bool fixture_pg(void)
{
	const char *e = getenv("CASELOAD_TEST_ENGINE");
	return e && !strcmp(e, "pg");
}

static void pg_admin(const char *sql)
{
	const char *base = getenv("CASELOAD_TEST_PG");
	if (!base || !*base)
		fail_msg("CASELOAD_TEST_ENGINE=pg without CASELOAD_TEST_PG (a conninfo)");
	PGconn *c = PQconnectdb(base);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to the test server: %s", PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "# %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	if (!ok)
		fail_msg("the test server refused: %s", sql);
}

/* The conninfo of the database for the store `name` (created the first
 * time; a static buffer). */
static const char *pg_target(const char *name)
{
	static char target[1024];
	int i = 0;
	while (i < n_dbs && strcmp(dbs[i].name, name) != 0)
		i++;
	if (i == MAX_DBS)
		fail_msg("more than %d databases in one test", MAX_DBS);
	if (i == n_dbs) {
		n_dbs++;
		snprintf(dbs[i].name, sizeof dbs[i].name, "%s", name);
		snprintf(dbs[i].db, sizeof dbs[i].db, "caseload_unit_%ld_%d", (long)getpid(), ++serial);
		char sql[128];
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", dbs[i].db);
		pg_admin(sql);
	}
	snprintf(target, sizeof target, "%s dbname=%s", getenv("CASELOAD_TEST_PG"), dbs[i].db);
	return target;
}

static void pg_drop_all(void)
{
	for (int i = 0; i < n_dbs; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbs[i].db);
		pg_admin(sql);
	}
	n_dbs = 0;
}

const char *fixture_target(const char *name)
{
	return fixture_pg() ? pg_target(name) : fixture_path(name);
}

int fixture_sql(const char *name, const char *sql, long long *value)
{
	int rc = -1;
	if (value)
		*value = -1;
	if (fixture_pg()) {
		PGconn *c = PQconnectdb(pg_target(name));
		if (PQstatus(c) != CONNECTION_OK)
			fail_msg("cannot connect to %s: %s", name, PQerrorMessage(c));
		PGresult *r = PQexec(c, sql);
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
			rc = 0;
			if (value && t == PGRES_TUPLES_OK && PQntuples(r) > 0)
				*value = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		}
		PQclear(r);
		PQfinish(c);
		return rc;
	}
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open(name[0] == '/' ? name : fixture_path(name), &db) != SQLITE_OK)
		fail_msg("cannot open %s", name);
	if (!value) {
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	} else if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		int step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			*value = sqlite3_column_int64(st, 0);
		rc = step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
	}
	if (rc < 0)
		fprintf(stderr, "# %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

const char *fixture_pg_role(void)
{
	static char role[64];
	PGconn *c = PQconnectdb(getenv("CASELOAD_TEST_PG"));
	snprintf(role, sizeof role, "%s", PQstatus(c) == CONNECTION_OK ? PQuser(c) : "?");
	PQfinish(c);
	return role;
}

void fixture_sqlite_only(void)
{
	if (fixture_pg())
		skip();
}

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
	if (fixture_pg())
		pg_drop_all();
	return rc == 0 ? 0 : -1;
}

int fixture_store_setup(void **state)
{
	if (fixture_dir_setup(state) < 0)
		return -1;
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester"};
	if (store_open(&s, fixture_target("test.db"), &o, &e) < 0) {
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
	if (store_open(&s, fixture_target(name), &o, &e) < 0)
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
