/* fixture: what the unit tests that need a real SQLite file share — a
 * scratch directory made for each test and removed after it, and stores
 * opened in it.  Use the setup/teardown pairs with cmocka's
 * cmocka_unit_test_setup_teardown or cmocka_run_group_tests. */
#ifndef CASELOAD_TESTS_FIXTURE_H
#define CASELOAD_TESTS_FIXTURE_H

#include <stdbool.h>

struct store;

/* With CASELOAD_TEST_ENGINE=pg the stores are PostgreSQL databases on the
 * server CASELOAD_TEST_PG names (tests/cli/pg_unit.sh runs the store's
 * tests so): fixture_pg() says so, and a test of SQLite's own files
 * starts with fixture_sqlite_only(), which skips it then. */
bool fixture_pg(void);
void fixture_sqlite_only(void);
/* What store_open takes for the store `name`: its file, or on PostgreSQL
 * the conninfo of its database (a static buffer). */
const char *fixture_target(const char *name);
/* Run sql on the store `name` (or SQLite's file at an absolute path) behind the store's back, on either engine
 * (to arrange what the store must cope with); with value, the first
 * column of the first row (-1: none).  0, or -1 when refused. */
int fixture_sql(const char *name, const char *sql, long long *value);
/* The role the PostgreSQL tests connect as (the audit's who there). */
const char *fixture_pg_role(void);

/* A fresh scratch directory; teardown removes it with everything in it
 * (and frees the time zones the test loaded). */
int fixture_dir_setup(void **state);
int fixture_dir_teardown(void **state);
/* The same, with a new store "test.db" opened in it as *state. */
int fixture_store_setup(void **state);
int fixture_store_teardown(void **state);

/* The scratch directory, and a file in it (a static buffer: each call
 * overwrites the last). */
const char *fixture_dir(void);
const char *fixture_path(const char *name);
/* Open (creating) the store `name` in the scratch directory as user
 * "tester" (on PostgreSQL: a new database each call); fails the test when
 * it cannot. */
struct store *fixture_open(const char *name);
/* Add a patient "FAMILY, Pat" with a risk level; fails the test when it
 * cannot; returns the id. */
long long fixture_patient(struct store *s, const char *family, const char *risk);

#endif
