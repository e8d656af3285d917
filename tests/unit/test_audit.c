/* test_audit: the audit's hash chain as documented (recomputed here from
 * the encoding in store_audit.c, with libsodium), verification naming the
 * first broken row, the schema compared with the one the migrations make,
 * writes refused until repaired, reads recorded, and the sealing of a
 * database from before the chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/store.h"
#include "fixture.h"
#include "../../src/store/store_internal.h"

static void raw(const char *file, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
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

/* The documented encoding, written again from its description. */
static void put(struct buf *b, const unsigned char *v)
{
	if (!v)
		buf_add(b, "-");
	else
		buf_addf(b, "%zu:%s", strlen((const char *)v), (const char *)v);
}

/* The hash row `id` should have, from the stored hash of the row before. */
static void expected_hash(const char *file, long long id, char out[65])
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT (SELECT hash FROM audit WHERE id = ?1 - 1), id, at, who, action, tbl, row_id, "
		"detail FROM audit WHERE id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	struct buf b = {0};
	const unsigned char *prev = sqlite3_column_text(st, 0);
	put(&b, prev ? prev : (const unsigned char *)"");
	for (int c = 1; c < 8; c++)
		put(&b, sqlite3_column_text(st, c));   /* integers as decimal text, NULL as '-' */
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(sum, (const unsigned char *)b.s, b.len);
	sodium_bin2hex(out, 65, sum, sizeof sum);
	buf_free(&b);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static char *raw_text(const char *file, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *v = NULL;
	assert_int_equal(sqlite3_open(file, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The tests that reach into the database behind the store's back read
 * and tamper with SQLite's file (sqlite3_open, DROP TRIGGER, a database
 * made at an old schema version): SQLite only.  On PostgreSQL the chain
 * is recomputed by audit verify after db copy (pg_db_copy.sh) and a
 * disabled guard is put back by check (pg_cli.sh); PostgreSQL starts at
 * a chained schema, so there is nothing to seal. */
static void test_chain_as_documented(void **state)
{
	(void)state;
	fixture_sqlite_only();
	struct store *s = fixture_open("doc.db");
	fixture_patient(s, "Doc", "high");
	struct err e = {0};
	assert_int_equal(audit_read(s, "read", "test", 1, -1, &e), 0);
	store_close(&s);
	const char *f = fixture_path("doc.db");
	long long n = raw_int(f, "SELECT max(id) FROM audit");
	assert_true(n > 3);
	for (long long id = 1; id <= n; id++) {
		char want[65], sql[96];
		expected_hash(f, id, want);
		snprintf(sql, sizeof sql, "SELECT hash FROM audit WHERE id = %lld", id);
		char *got = raw_text(f, sql);
		if (!got || strcmp(got, want) != 0)
			fail_msg("row %lld: stored %s, the documented encoding gives %s", id, got, want);
		free(got);
	}
	char *head = raw_text(f, "SELECT value FROM meta WHERE key = 'audit_head'");
	char *last = raw_text(f, "SELECT id || ' ' || hash FROM audit ORDER BY id DESC LIMIT 1");
	assert_string_equal(head, last);
	free(head);
	free(last);
	/* the read names the patient, not the content */
	char *row = raw_text(f, "SELECT action || '|' || tbl || '|' || row_id || '|' || detail "
	                        "FROM audit ORDER BY id DESC LIMIT 1");
	assert_string_equal(row, "read|patient|1|test");
	free(row);
}

/* Tamper with a fresh store's file, then verify: the kind and row named
 * (bad: the row, or -1 when it depends on how many rows there are). */
static void verify_after(const char *name, const char *tamper, const char *kind, long long bad,
                         const char *words)
{
	struct store *s = fixture_open(name);
	for (int i = 0; i < 4; i++)
		fixture_patient(s, "Tamper", "low");
	store_close(&s);
	raw(fixture_path(name), tamper);
	struct err e = {0};
	struct store_opts o = {.user = "tester", .no_create = true};
	assert_int_equal(store_open(&s, fixture_path(name), &o, &e), 0);
	struct audit_verify v;
	assert_int_equal(store_audit_verify(s, &v, &e), 0);
	if (!v.kind || strcmp(v.kind, kind) != 0 || (bad >= 0 && v.bad_id != bad) ||
	    !strstr(v.what, words))
		fail_msg("%s: got %s at row %lld (%s); want %s at %lld", name, v.kind ? v.kind : "ok",
		         v.bad_id, v.what, kind, bad);
	store_close(&s);
}

static void test_verify_names_the_row(void **state)
{
	(void)state;
	fixture_sqlite_only();
	verify_after("edit.db", "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'x' WHERE id = 9",
	             "edited", 9, "row 9 was edited");
	verify_after("rehash.db", "DROP TRIGGER audit_no_update; UPDATE audit SET at = 5, "
	             "hash = lower(hex(zeroblob(32))) WHERE id = 9", "hash mismatch", 9, "row 9");
	verify_after("gap.db", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 4",
	             "missing", 4, "row 4 is missing");
	verify_after("tail.db", "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = "
	             "(SELECT max(id) FROM audit)", "head", -1, "missing at the end");
	verify_after("forged.db", "INSERT INTO audit(at, who, action, tbl) VALUES (1, 'm', 'x', 'y')",
	             "forged", -1, "has no hash");
	verify_after("zero.db", "INSERT INTO audit(id, at, who, action, tbl, hash) VALUES "
	             "(0, 1, 'm', 'x', 'y', lower(hex(zeroblob(32))))", "forged", 0, "an id caseload");
}

static void test_refused_until_repaired(void **state)
{
	(void)state;
	fixture_sqlite_only();
	struct store *s = fixture_open("guard.db");
	long long pid = fixture_patient(s, "Guard", "low");
	store_close(&s);
	raw(fixture_path("guard.db"), "DROP TRIGGER audit_no_update; CREATE INDEX extra ON task(title)");
	struct err e = {0};
	struct store_opts o = {.user = "tester", .no_create = true};
	assert_int_equal(store_open(&s, fixture_path("guard.db"), &o, &e), 0);
	assert_non_null(store_problem(s));
	assert_non_null(strstr(store_problem(s), "missing trigger audit_no_update"));
	struct strlist diff = {0};
	assert_int_equal(store_schema_diff(s, &diff, &e), 0);
	assert_int_equal(diff.len, 2);
	assert_string_equal(diff.items[0], "missing trigger audit_no_update");
	assert_string_equal(diff.items[1], "extra index extra");
	strlist_free(&diff);
	/* a write and a read that would be recorded are refused alike */
	assert_int_equal(audit_read(s, "read", "test", pid, -1, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "caseload check"));
	struct patient p = {.family = "New"};
	assert_int_equal(store_patient_add(s, &p, &e), ERR_FAIL);
	long long rows = raw_int(fixture_path("guard.db"), "SELECT count(*) FROM audit");

	struct check_report r;
	assert_int_equal(check_run(s, &r, &e), 0);
	assert_int_equal(r.schema.len, 2);
	assert_null(r.chain.kind);
	assert_int_equal(r.repaired.len, 2);
	assert_null(r.still);
	assert_null(store_problem(s));
	check_report_free(&r);
	assert_int_equal(raw_int(fixture_path("guard.db"), "SELECT count(*) FROM audit"), rows + 1);
	char *d = raw_text(fixture_path("guard.db"),
	                   "SELECT action || ': ' || detail FROM audit ORDER BY id DESC LIMIT 1");
	assert_string_equal(d, "repair: dropped index extra; re-created trigger audit_no_update");
	free(d);
	assert_int_equal(audit_read(s, "read", "test", pid, -1, &e), 0);
	/* nothing left to do: a second check writes nothing */
	rows = raw_int(fixture_path("guard.db"), "SELECT count(*) FROM audit");
	assert_int_equal(check_run(s, &r, &e), 0);
	assert_int_equal(check_problems(&r), 0);
	check_report_free(&r);
	assert_int_equal(raw_int(fixture_path("guard.db"), "SELECT count(*) FROM audit"), rows);
	store_close(&s);
}

static void test_audit_patient(void **state)
{
	(void)state;
	struct store *s = fixture_open("who.db");
	long long a = fixture_patient(s, "Alpha", "low"), b = fixture_patient(s, "Beta", "low");
	struct err e = {0};
	assert_int_equal(audit_read(s, "read", "test", a, -1, &e), 0);
	assert_int_equal(audit_read(s, "list", "test list", 0, 2, &e), 0);
	assert_int_equal(audit_read(s, "read", "test", b, -1, &e), 0);
	struct audit_list l = {0};
	assert_int_equal(store_audit_patient(s, a, 0, &l, &e), 0);
	assert_int_equal(l.len, 2);   /* the read, newest first, then the insert */
	assert_string_equal(l.items[0].action, "read");
	assert_string_equal(l.items[1].action, "insert");
	assert_int_equal(l.items[1].row_id, a);
	audit_list_free(&l);
	store_close(&s);
}

/* Every table with a patient_id is in the patient's trail, but for the
 * ones that are not records of their care (what the store keeps for
 * speed, the import's staging, the undo log's groups): a new table of
 * records can't be left out of `audit --patient`. */
static void test_audit_patient_tables(void **state)
{
	(void)state;
	static const char *const not_records[] = {"review_state", "review_period", "review_mark",
	                                          "patient_search", "search_first", "import_run",
	                                          "import_stage", "undo_group"};
	size_t n, in_trail = 0;
	const struct store_copy_table *t = store_copy_tables(&n);
	for (size_t i = 0; i < n; i++) {
		if (!strstr(t[i].cols, "patient_id"))
			continue;
		bool skip = false;
		for (size_t k = 0; k < sizeof not_records / sizeof *not_records; k++)
			skip |= !strcmp(t[i].name, not_records[k]);
		if (skip != store_undo_patient_table(&t[i]))
			in_trail += !skip;
		else
			fail_msg("%s: %s the patient's audit trail", t[i].name,
			         skip ? "not a record, yet in" : "a record, missing from");
	}
	assert_true(in_trail >= 12);   /* task, appointment, ..., consent, episode, apcm_check */
}

static void test_seal_an_older_database(void **state)
{
	(void)state;
	fixture_sqlite_only();
	/* the newest schema without the hash column: found, not assumed */
	int before = 0;
	for (int v = store_schema_version(); v >= 1 && !before; v--) {
		char name[32];
		snprintf(name, sizeof name, "v%d.db", v);
		struct store *s = NULL;
		struct err e = {0};
		struct store_opts o = {.user = "tester", .migrate_to = v};
		assert_int_equal(store_open(&s, fixture_path(name), &o, &e), 0);
		store_close(&s);
		if (raw_int(fixture_path(name),
		            "SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'hash'") == 0)
			before = v;
	}
	assert_true(before >= 1);
	char name[32];
	snprintf(name, sizeof name, "v%d.db", before);
	const char *f = fixture_path(name);
	raw(f, "INSERT INTO audit(at, who, action, tbl, row_id) VALUES (0, 'early', 'insert', 'x', 1)");
	long long old = raw_int(f, "SELECT count(*) FROM audit");
	struct store *s = fixture_open(name);
	struct audit_verify v;
	struct err e = {0};
	assert_int_equal(store_audit_verify(s, &v, &e), 0);
	assert_null(v.kind);
	assert_true(v.rows > old);
	assert_null(store_problem(s));
	store_close(&s);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE id <= %lld AND hash IS NOT NULL", old);
	assert_int_equal(raw_int(f, sql), old);
	char *seal = raw_text(f, "SELECT detail FROM audit WHERE action = 'seal'");
	char want[64];
	snprintf(want, sizeof want, "sealed %lld earlier rows", old);
	assert_string_equal(seal, want);
	free(seal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_as_documented),
		cmocka_unit_test(test_verify_names_the_row),
		cmocka_unit_test(test_refused_until_repaired),
		cmocka_unit_test(test_audit_patient),
		cmocka_unit_test(test_audit_patient_tables),
		cmocka_unit_test(test_seal_an_older_database),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, fixture_dir_setup, fixture_dir_teardown);
}
