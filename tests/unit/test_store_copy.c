/* Unit tests: the copy of a whole caseload (store_copy.c, dbcopy.c) — its
 * one list of tables and columns against the schema this caseload makes,
 * and a copy into a new file and into an empty one, ids and the audit's
 * chain kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/dbcopy.h"
#include "caseload/store.h"
#include "fixture.h"

/* Is word one of the comma-separated names of list? */
static bool listed(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		p += strspn(p, ", ");
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, word, n))
			return true;
		p += len;
	}
	return false;
}

static const struct store_copy_table *copied(const char *tbl)
{
	size_t n;
	const struct store_copy_table *t = store_copy_tables(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, tbl))
			return &t[i];
	return NULL;
}

/* Every table of the schema is in the copy list with every column, and
 * the list names nothing the schema lacks. */
static void test_list_is_the_schema(void **state)
{
	(void)state;
	struct store *s = fixture_open("schema.db");
	store_close(&s);
	sqlite3 *db;
	sqlite3_stmt *tb, *col;
	assert_int_equal(sqlite3_open(fixture_path("schema.db"), &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
	                                    "AND name NOT LIKE 'sqlite%'", -1, &tb, NULL), SQLITE_OK);
	size_t tables = 0;
	while (sqlite3_step(tb) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tb, 0);
		const struct store_copy_table *t = copied(name);
		if (!t)
			fail_msg("table %s is in the schema but not in store_copy.c's list", name);
		tables++;
		char *sql = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)", name);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &col, NULL), SQLITE_OK);
		sqlite3_free(sql);
		size_t cols = 0, listed_cols = 1;
		while (sqlite3_step(col) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(col, 0);
			if (!listed(t->cols, c))
				fail_msg("column %s.%s is in the schema but not in store_copy.c's list", name, c);
			cols++;
		}
		sqlite3_finalize(col);
		for (const char *p = t->cols; *p; p++)
			listed_cols += *p == ',';
		if (cols != listed_cols)
			fail_msg("store_copy.c lists %zu columns of %s, the schema has %zu", listed_cols,
			         name, cols);
	}
	sqlite3_finalize(tb);
	sqlite3_close(db);
	size_t n;
	store_copy_tables(&n);
	assert_int_equal(tables, n);   /* and no table the schema lacks */
}

static long long raw_int(const char *file, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_copy(void **state)
{
	(void)state;
	struct store *s = fixture_open("src.db");
	struct err e = {0};
	long long a = fixture_patient(s, "Abe", "high");
	fixture_patient(s, "Bea", "low");
	struct task t = {.patient_id = a, .title = "Call", .due = "2026-12-01"};
	assert_int_equal(store_task_add(s, &t, &e), 0);
	store_close(&s);
	const char *src = fixture_path("src.db");
	char srcp[512];
	snprintf(srcp, sizeof srcp, "%s", src);

	/* into a new file */
	struct db_copy_report r;
	char dst[512];
	snprintf(dst, sizeof dst, "%s", fixture_path("new.db"));
	assert_int_equal(db_copy(srcp, dst, "copier", &r, &e), 0);
	assert_true(r.created);
	assert_int_equal(raw_int(dst, "SELECT count(*) FROM patient"), 2);
	assert_int_equal(raw_int(dst, "SELECT id FROM task"), t.id);
	assert_int_equal(raw_int(dst, "SELECT count(*) FROM audit WHERE action = 'copy'"), 1);
	/* the source's audit rows as they were, its read of the copy included */
	assert_int_equal(raw_int(dst, "SELECT count(*) FROM audit") - 1,
	                 raw_int(srcp, "SELECT count(*) FROM audit"));
	struct store *d = fixture_open("new.db");
	struct audit_verify v;
	assert_int_equal(store_audit_verify(d, &v, &e), 0);
	assert_null(v.kind);
	assert_int_equal(v.rows, r.chain);
	/* a new patient gets the next id, past the copied ones */
	long long c = fixture_patient(d, "Cal", "low");
	assert_int_equal(c, a + 2);
	store_close(&d);

	/* refused: a target that is not empty, and nothing written to it */
	long long audit = raw_int(dst, "SELECT count(*) FROM audit");
	assert_int_equal(db_copy(srcp, dst, "copier", &r, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "3 patient rows"));
	assert_int_equal(raw_int(dst, "SELECT count(*) FROM audit"), audit);

	/* into an empty database made by init */
	d = fixture_open("empty.db");
	store_close(&d);
	snprintf(dst, sizeof dst, "%s", fixture_path("empty.db"));
	assert_int_equal(db_copy(srcp, dst, "copier", &r, &e), 0);
	assert_false(r.created);
	assert_int_equal(raw_int(dst, "SELECT count(*) FROM task"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list_is_the_schema, fixture_dir_setup,
		                                fixture_dir_teardown),
		cmocka_unit_test_setup_teardown(test_copy, fixture_dir_setup, fixture_dir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
