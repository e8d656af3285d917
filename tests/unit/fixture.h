/* fixture: what the unit tests that need a real SQLite file share — a
 * scratch directory made for each test and removed after it, and stores
 * opened in it.  Use the setup/teardown pairs with cmocka's
 * cmocka_unit_test_setup_teardown or cmocka_run_group_tests. */
#ifndef CASELOAD_TESTS_FIXTURE_H
#define CASELOAD_TESTS_FIXTURE_H

struct store;

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
 * "tester"; fails the test when it cannot. */
struct store *fixture_open(const char *name);
/* Add a patient "FAMILY, Pat" with a risk level; fails the test when it
 * cannot; returns the id. */
long long fixture_patient(struct store *s, const char *family, const char *risk);

#endif
