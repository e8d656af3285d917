/* Unit tests: the store — creation and permissions, migrations from an
 * older schema, refusal of newer, foreign and damaged files, CRUD, audit
 * rows, nested transactions, the meta notes. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/store_review.h"
#include "caseload/tz.h"
#include "caseload/zone.h"
#include "fixture.h"
#include "../../src/store/store_internal.h"

/* Raw access (SQLite's or the server's) to arrange what the store must
 * cope with. */
static void raw(const char *name, const char *sql)
{
	if (fixture_sql(name, sql, NULL) < 0)
		fail_msg("refused: %s", sql);
}

static long long raw_int(const char *name, const char *sql)
{
	long long v;
	if (fixture_sql(name, sql, &v) < 0)
		fail_msg("refused: %s", sql);
	return v;
}

static void test_create_permissions(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* files and their modes */
	struct store *s = NULL;
	struct err e = {0};
	char *p = xasprintf("%s/new/deeper/c.db", fixture_dir());
	assert_int_equal(store_open(&s, p, NULL, &e), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *d = xasprintf("%s/new/deeper", fixture_dir());
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(store_version(s), store_schema_version());
	store_close(&s);
	assert_null(s);
	assert_int_equal(raw_int(p, "PRAGMA journal_mode") == -1, 0);
	free(p);
	free(d);
}

static void test_no_create(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* files and their modes */
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.no_create = true};
	assert_int_equal(store_open(&s, fixture_path("missing.db"), &o, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "no such database"));
	assert_int_equal(access(fixture_path("missing.db"), F_OK), -1);
}

static void test_migrate_from_older(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* PostgreSQL starts at STORE_PG_BASELINE */
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester", .migrate_to = 1};
	assert_int_equal(store_open(&s, fixture_path("old.db"), &o, &e), 0);
	assert_int_equal(store_version(s), 1);
	store_close(&s);
	/* a patient written by a program of that schema's time */
	raw("old.db", "INSERT INTO patient(id, family, given, dob, mrn, phone, risk, created, "
	    "updated) VALUES (7, 'Öldér', 'Schéma', '1950-01-02', 'MRN-0042', '(555) 300-7000', "
	    "'high', 0, 0)");
	assert_int_equal(raw_int("old.db",
	                         "SELECT count(*) FROM sqlite_schema WHERE name = 'care_plan'"), 0);

	s = fixture_open("old.db");
	assert_int_equal(store_version(s), store_schema_version());
	struct patient got = {0};
	assert_int_equal(store_patient_get(s, 7, &got, &e), 0);
	assert_string_equal(got.family, "Öldér");
	patient_clear(&got);
	/* migration 5 made its search rows and name key */
	static const char *const finds[] = {"older", "schema older", "0042", "5553007", "300-70"};
	for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
		struct patient_list l = {0};
		struct patient_query q = {.search = finds[i]};
		assert_int_equal(store_patient_list(s, &q, &l, &e), 0);
		if (l.len != 1 || l.items[0].id != 7)
			fail_msg("search '%s' after the migration: %zu patients", finds[i], l.len);
		patient_list_free(&l);
	}
	assert_int_equal(store_patient_by_name_dob(s, "OLDER", "schema", "1950-01-02", 0, &got, &e), 0);
	assert_int_equal(got.id, 7);
	patient_clear(&got);
	struct audit_list al = {0};
	assert_int_equal(store_audit_list(s, "schema", 0, 10, &al, &e), 0);
	assert_true(al.len >= 2);
	assert_string_equal(al.items[0].action, "migrate");
	audit_list_free(&al);
	store_close(&s);
	assert_int_equal(raw_int("old.db",
	                         "SELECT count(*) FROM sqlite_schema WHERE name = 'care_plan'"), 1);
}

/* Migration 31: a flag written as PostgreSQL's text of a boolean, 't' or
 * 'f', is 1 or 0 again: in an entry's undo image on both engines (an undo
 * put it back as 't'), and on SQLite in entry itself (a `db copy` back from
 * PostgreSQL wrote it there; a bare test of 't' is false, and the review
 * lost the entry). */
static void test_migrate_flags(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester", .migrate_to = 30};
	assert_int_equal(store_open(&s, fixture_target("flags.db"), &o, &e), 0);
	store_close(&s);
	bool sqlite = !fixture_pg();
	if (sqlite) {
		raw("flags.db", "INSERT INTO patient(id, family, given, dob, mrn, risk, status, created, "
		    "updated) VALUES (3, 'Flag', 'Text', '1960-03-04', 'MRN-3', 'low', 'active', 0, 0)");
		raw("flags.db", "INSERT INTO entry(id, patient_id, at, kind, text, needs_review, author, "
		    "created) VALUES (1, 3, 100, 'result', 'A1c', 't', 'x', 0), "
		    "(2, 3, 200, 'result', 'Lipids', 'f', 'x', 0), (3, 3, 300, 'result', 'TSH', 1, 'x', 0)");
		assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM entry WHERE needs_review"), 1);
	}
	raw("flags.db", "INSERT INTO undo_group(at, who, what) VALUES (1, 'x', 'acknowledge')");
	raw("flags.db", "INSERT INTO undo_row(group_id, tbl, row_id, op, version, image) "
	    "SELECT max(id), 'entry', 1, 'update', 1, 'kind=6:result;needs_review=1:t;author=1:x;' "
	    "FROM undo_group UNION ALL "
	    "SELECT max(id), 'entry', 2, 'update', 1, 'kind=6:result;needs_review=1:f;author=1:x;' "
	    "FROM undo_group");

	s = fixture_open("flags.db");
	assert_int_equal(store_version(s), store_schema_version());
	store_close(&s);
	assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM undo_row WHERE row_id = 1 AND "
	                         "image = 'kind=6:result;needs_review=1:1;author=1:x;'"), 1);
	assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM undo_row WHERE row_id = 2 AND "
	                         "image = 'kind=6:result;needs_review=1:0;author=1:x;'"), 1);
	if (!sqlite)
		return;
	assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM entry WHERE needs_review"), 2);
	assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM entry WHERE needs_review = 1 "
	                         "AND id IN (1, 3)"), 2);
	assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM entry WHERE needs_review = 0 "
	                         "AND id = 2"), 1);
	assert_int_equal(raw_int("flags.db", "SELECT count(*) FROM entry "
	                         "WHERE typeof(needs_review) <> 'integer'"), 0);
}

/* How many OpenEphemeral steps (a temporary B-tree built at every run)
 * SQLite's program for sql has, on connection db. */
static int ephemeral_steps(sqlite3 *db, const char *sql)
{
	char *explain = xasprintf("EXPLAIN %s", sql);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		n += !strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral");
	sqlite3_finalize(st);
	free(explain);
	return n;
}

/* Migration 32: appointment.transport and import_stage.kind are checked
 * without a temporary B-tree per row (an IN list of more than two
 * constants builds one in SQLite 3.40), as strictly as before; the rows
 * stay, and a connection open across the migration reads the new text. */
static void test_migrate_check_chains(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* PostgreSQL keeps its IN lists */
	static const char ins_appt[] =
		"INSERT INTO appointment(uid, start_utc, end_utc, transport, created, updated) "
		"VALUES ('u1', 0, 60, 'arranged', 0, 0)";
	static const char ins_stage[] =
		"INSERT INTO import_stage(run_id, kind, line) VALUES (1, 'cancel', 3)";
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts o = {.user = "tester", .migrate_to = 31};
	assert_int_equal(store_open(&s, fixture_path("chains.db"), &o, &e), 0);
	store_close(&s);
	raw("chains.db", ins_appt);
	raw("chains.db", ins_stage);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(fixture_path("chains.db"), &db), SQLITE_OK);
	/* (SQLite 3.40 builds one a run; another version may build more) */
	assert_true(ephemeral_steps(db, ins_appt) >= 1);
	assert_true(ephemeral_steps(db, ins_stage) >= 1);

	s = fixture_open("chains.db");
	assert_int_equal(store_version(s), store_schema_version());
	store_close(&s);
	/* a statement run there reads the schema's version, and the new text */
	assert_int_equal(sqlite3_exec(db, "SELECT count(*) FROM appointment", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(ephemeral_steps(db, ins_appt), 0);
	assert_int_equal(ephemeral_steps(db, ins_stage), 0);
	sqlite3_close(db);
	assert_int_equal(raw_int("chains.db", "SELECT count(*) FROM appointment "
	                         "WHERE uid = 'u1' AND transport = 'arranged'"), 1);
	assert_int_equal(raw_int("chains.db", "SELECT count(*) FROM import_stage "
	                         "WHERE kind = 'cancel'"), 1);
	/* as strict: each value allowed, and no other */
	static const char *const transports[] = {"none", "needed", "arranged", "confirmed"};
	for (size_t i = 0; i < sizeof transports / sizeof transports[0]; i++) {
		char *sql = xasprintf("INSERT INTO appointment(uid, start_utc, end_utc, transport, "
		                      "created, updated) VALUES ('t%zu', 0, 60, '%s', 0, 0)",
		                      i, transports[i]);
		raw("chains.db", sql);
		free(sql);
	}
	static const char *const kinds[] = {"event", "cancel", "skip", "note", "end"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char *sql = xasprintf("INSERT INTO import_stage(run_id, kind, line) VALUES (2, '%s', 1)",
		                      kinds[i]);
		raw("chains.db", sql);
		free(sql);
	}
	assert_true(fixture_sql("chains.db", "INSERT INTO appointment(uid, start_utc, end_utc, "
	                        "transport, created, updated) VALUES ('x', 0, 60, 'bus', 0, 0)",
	                        NULL) < 0);
	assert_true(fixture_sql("chains.db", "INSERT INTO appointment(uid, start_utc, end_utc, "
	                        "transport, created, updated) VALUES ('y', 0, 60, NULL, 0, 0)",
	                        NULL) < 0);
	assert_true(fixture_sql("chains.db", "INSERT INTO import_stage(run_id, kind, line) "
	                        "VALUES (2, 'Event', 1)", NULL) < 0);
	assert_int_equal(raw_int("chains.db", "SELECT count(*) FROM pragma_integrity_check "
	                         "WHERE integrity_check <> 'ok'"), 0);
	s = fixture_open("chains.db");   /* its protections intact */
	store_close(&s);
}

/* Migration 33: appointment_patient_series holds the patients' series
 * only (an import's unassigned ones cost it no write); a patient's series
 * are read on it, its rule's columns with it (no row of the table). */
static void test_patient_series_index(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* SQLite's plans */
	struct store *s = fixture_open("pseries.db");
	struct err e = {0};
	struct patient p = {.family = "Series"};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	struct appointment mine = {.patient_id = p.id, .uid = "mine@test", .title = "PT",
	                           .start = 1000, .end = 2000, .rrule = "FREQ=WEEKLY;COUNT=3",
	                           .series_end = 1000 + 14 * DAY_SECONDS + 1000};
	struct appointment nobody = {.uid = "nobody@test", .title = "PT", .start = 1000,
	                             .end = 2000, .rrule = "FREQ=DAILY"};
	assert_int_equal(store_appt_add(s, &mine, &e), 0);
	assert_int_equal(store_appt_add(s, &nobody, &e), 0);
	struct appointment_list l = {0};
	assert_int_equal(store_appt_series_range(s, p.id, p.id, 0, 3000, &l, &e), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(l.items[0].uid, "mine@test");
	appointment_list_free(&l);
	store_close(&s);
	/* (dbstat: the index's own entries) */
	assert_int_equal(raw_int("pseries.db", "SELECT sum(ncell) FROM dbstat "
	                         "WHERE name = 'appointment_patient_series' AND pagetype = 'leaf'"), 1);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(fixture_path("pseries.db"), &db), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	/* store_view.c's "has a series" of a page's patients */
	assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT DISTINCT a.patient_id "
	                                    "FROM appointment a WHERE a.patient_id IN (?1, ?2) "
	                                    "AND (a.rrule IS NOT NULL OR a.rdate IS NOT NULL) "
	                                    "AND (a.last_end_utc IS NULL OR a.last_end_utc > ?3)",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 3),
	                       "COVERING INDEX appointment_patient_series"));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_refuse_newer(void **state)
{
	(void)state;
	struct store *s = fixture_open("newer.db");
	store_close(&s);
	char *sql = fixture_pg() ? xasprintf("UPDATE meta SET value = '%d' WHERE key = "
	                                     "'schema_version'", store_schema_version() + 1)
	                         : xasprintf("PRAGMA user_version = %d", store_schema_version() + 1);
	raw("newer.db", sql);
	free(sql);
	struct err e = {0};
	assert_int_equal(store_open(&s, fixture_target("newer.db"), NULL, &e), ERR_FAIL);
	assert_null(s);
	assert_non_null(strstr(e.msg, "newer than this caseload"));
}

static void test_refuse_foreign(void **state)
{
	(void)state;
	struct err e = {0};
	struct store *s = NULL;
	/* a database of someone else's */
	raw("other.db", "CREATE TABLE t(x integer)");
	assert_int_equal(store_open(&s, fixture_target("other.db"), NULL, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "not a caseload database"));
	if (fixture_pg())
		return;   /* the rest are files */
	/* a text file */
	FILE *f = fopen(fixture_path("notes.txt"), "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all\n", f);
	fclose(f);
	assert_int_equal(store_open(&s, fixture_path("notes.txt"), NULL, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "not a caseload database"));
	/* the file was not touched */
	struct stat st;
	assert_int_equal(stat(fixture_path("notes.txt"), &st), 0);
	assert_int_equal(st.st_size, 200 * 30);
	/* a directory */
	assert_int_equal(store_open(&s, fixture_dir(), NULL, &e), ERR_USAGE);
}

static void test_damaged(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* a damaged file */
	struct store *s = fixture_open("damaged.db");
	struct err e = {0};
	for (int i = 0; i < 300; i++) {
		struct patient p = {.family = "Filler", .given = "Row", .address = "a long address line to fill pages"};
		assert_int_equal(store_patient_add(s, &p, &e), 0);
	}
	store_close(&s);
	raw(fixture_path("damaged.db"), "PRAGMA wal_checkpoint(TRUNCATE)");
	/* scribble over the middle of the file, past the header page */
	FILE *f = fopen(fixture_path("damaged.db"), "r+b");
	assert_non_null(f);
	fseek(f, 4096 * 3, SEEK_SET);
	for (int i = 0; i < 8192; i++)
		fputc(0xA5, f);
	fclose(f);
	int rc = store_open(&s, fixture_path("damaged.db"), NULL, &e);
	if (rc == 0) {
		struct strlist problems = {0};
		rc = store_check(s, &problems, &e);
		assert_true(rc < 0 || problems.len > 0);
		strlist_free(&problems);
		store_close(&s);
	} else {
		assert_non_null(strstr(e.msg, "damaged"));
	}
}

static void test_crud_and_audit(void **state)
{
	(void)state;
	struct store *s = fixture_open("crud.db");
	struct err e = {0};
	struct patient p = {.family = "Chen", .given = "Wei", .risk = "high", .mrn = "M1"};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	assert_true(p.id > 0);
	struct patient bad = {.family = "Bad", .risk = "extreme"};
	assert_int_equal(store_patient_add(s, &bad, &e), ERR_USAGE);
	struct patient dup = {.family = "Dup", .mrn = "M1"};
	assert_int_equal(store_patient_add(s, &dup, &e), ERR_CONFLICT);

	struct task t = {.patient_id = p.id, .title = "Call", .due = "2026-11-24"};
	assert_int_equal(store_task_add(s, &t, &e), 0);
	struct task none = {.patient_id = 999, .title = "Orphan"};
	assert_int_equal(store_task_add(s, &none, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "no patient with id 999"));

	struct task got = {0};
	assert_int_equal(store_task_get(s, t.id, &got, &e), 0);
	assert_string_equal(got.status, "requested");
	assert_string_equal(got.patient_name, "Chen, Wei");
	str_free(got.status);
	got.status = xstrdup("completed");
	assert_int_equal(store_task_update(s, &got, &e), 0);
	task_clear(&got);
	struct task_query q = {.patient_id = p.id};
	struct task_list l = {0};
	assert_int_equal(store_task_list(s, &q, &l, &e), 0);
	assert_int_equal(l.len, 0);
	task_list_free(&l);
	q.all_statuses = true;
	assert_int_equal(store_task_list(s, &q, &l, &e), 0);
	assert_int_equal(l.len, 1);
	task_list_free(&l);

	struct audit_list al = {0};
	assert_int_equal(store_audit_list(s, "task", t.id, 10, &al, &e), 0);
	assert_int_equal(al.len, 2);
	assert_string_equal(al.items[0].action, "update");
	assert_string_equal(al.items[1].action, "insert");
	/* on PostgreSQL the role the server authenticated, not a typed name */
	assert_string_equal(al.items[0].who, fixture_pg() ? fixture_pg_role() : "tester");
	audit_list_free(&al);
	/* failed writes left no audit rows */
	assert_int_equal(store_audit_list(s, "patient", 0, 10, &al, &e), 0);
	assert_int_equal(al.len, 1);
	audit_list_free(&al);
	store_close(&s);
	/* the audit trail is append-only, whoever writes (here a superuser) */
	assert_int_equal(fixture_sql("crud.db", "DELETE FROM audit", NULL), -1);
	assert_int_equal(fixture_sql("crud.db", "UPDATE audit SET who = 'x'", NULL), -1);
	if (fixture_pg())
		assert_int_equal(fixture_sql("crud.db", "TRUNCATE audit", NULL), -1);
	long long n;
	assert_int_equal(fixture_sql("crud.db", "SELECT count(*) FROM audit WHERE who = 'x'", &n), 0);
	assert_int_equal(n, 0);
}

static void test_nested_rollback(void **state)
{
	(void)state;
	struct store *s = fixture_open("tx.db");
	struct err e = {0};
	long long n;
	assert_int_equal(store_begin(s, &e), 0);
	struct patient a = {.family = "Kept"};
	assert_int_equal(store_patient_add(s, &a, &e), 0);
	assert_int_equal(store_begin(s, &e), 0);
	struct patient b = {.family = "Dropped"};
	assert_int_equal(store_patient_add(s, &b, &e), 0);
	store_rollback(s);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(store_patient_count(s, &n, &e), 0);
	assert_int_equal(n, 1);
	/* an outer rollback drops everything */
	assert_int_equal(store_begin(s, &e), 0);
	struct patient c = {.family = "Gone"};
	assert_int_equal(store_patient_add(s, &c, &e), 0);
	store_rollback(s);
	assert_int_equal(store_patient_count(s, &n, &e), 0);
	assert_int_equal(n, 1);
	store_close(&s);
}

/* The database's notes: absent, set, replaced; and the zone notice is due
 * once per zone, surviving a reopen. */
static void test_meta(void **state)
{
	(void)state;
	struct store *s = fixture_open("meta.db");
	struct err e = {0};
	char *v = NULL;
	assert_int_equal(store_meta_get(s, "demo_zone", &v, &e), 0);
	assert_null(v);
	assert_int_equal(store_meta_set(s, "demo_zone", "Pacific/Auckland", &e), 0);
	assert_int_equal(store_meta_set(s, "demo_zone", "America/Denver", &e), 0);
	assert_int_equal(store_meta_get(s, "demo_zone", &v, &e), 0);
	assert_string_equal(v, "America/Denver");
	free(v);
	bool due;
	assert_int_equal(zone_notice_due(s, "Asia/Tokyo", &due, &e), 0);
	assert_true(due);
	assert_int_equal(zone_notice_due(s, "Asia/Tokyo", &due, &e), 0);
	assert_false(due);
	store_close(&s);
	s = fixture_open("meta.db");
	assert_int_equal(zone_notice_due(s, "Asia/Tokyo", &due, &e), 0);
	assert_false(due);
	assert_int_equal(zone_notice_due(s, "Europe/Oslo", &due, &e), 0);
	assert_true(due);
	assert_int_equal(zone_of_demo(s, &v, &e), 0);
	assert_string_equal(v, "America/Denver");
	free(v);
	store_close(&s);
}

static long long utc(const char *iso)
{
	long long t;
	assert_int_equal(tz_parse_utc(iso, &t), 0);
	return t;
}

static void test_appointments_and_series(void **state)
{
	(void)state;
	struct store *s = fixture_open("appt.db");
	struct err e = {0};
	struct patient p = {.family = "Series"};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	/* weekly at 09:00 New York from Mon 2026-10-26, six times, across the
	 * DST change of 2026-11-01, without 2026-11-09, and the 2026-11-16 one
	 * moved to 11:00 */
	struct appointment a = {.patient_id = p.id, .uid = "series@test", .title = "PT",
	                        .start = utc("2026-10-26T13:00:00Z"), .end = utc("2026-10-26T14:00:00Z"),
	                        .tzid = "America/New_York", .rrule = "FREQ=WEEKLY;COUNT=6",
	                        .exdate = "2026-11-09T14:00:00Z"};
	assert_int_equal(recur_series_end(&a, &a.series_end, &e), 0);
	assert_int_equal(a.series_end, utc("2026-11-30T15:00:00Z"));
	assert_int_equal(store_appt_add(s, &a, &e), 0);
	struct appointment moved = {.patient_id = p.id, .uid = "series@test",
	                            .recurrence_id = "2026-11-16T14:00:00Z", .title = "PT (moved)",
	                            .start = utc("2026-11-16T16:00:00Z"), .end = utc("2026-11-16T17:00:00Z"),
	                            .tzid = "America/New_York"};
	assert_int_equal(store_appt_add(s, &moved, &e), 0);
	struct appointment dup = {.patient_id = p.id, .uid = "series@test", .title = "x",
	                          .start = 0, .end = 0};
	assert_int_equal(store_appt_add(s, &dup, &e), ERR_CONFLICT);

	struct occurrence_list occ = {0};
	assert_int_equal(recur_range(s, 0, utc("2026-10-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"),
	                             &occ, &e), 0);
	const char *want[] = {"2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z", "2026-11-16T16:00:00Z",
	                      "2026-11-23T14:00:00Z", "2026-11-30T14:00:00Z"};
	assert_int_equal(occ.len, 5);
	for (size_t i = 0; i < occ.len; i++) {
		char buf[21];
		assert_string_equal(tz_format_utc(occ.items[i].start, buf), want[i]);
	}
	assert_string_equal(occ.items[2].appt->title, "PT (moved)");
	occurrence_list_free(&occ);
	/* a narrow range finds only what overlaps it */
	assert_int_equal(recur_range(s, p.id, utc("2026-11-23T00:00:00Z"), utc("2026-11-24T00:00:00Z"),
	                             &occ, &e), 0);
	assert_int_equal(occ.len, 1);
	occurrence_list_free(&occ);
	store_close(&s);
}

/* The migrations that have shipped never change or move: a database at
 * version N has run the first N of them and runs only the ones after.
 * tests/data/migrations.sha256 holds a line per migration (its number and
 * a hash of its texts and whether it runs code after them); a new one is a
 * line appended with it.  (One put before the last shipped one would be
 * skipped by every database at that version, and the last run again.) */
static void test_migrations_append_only(void **state)
{
	(void)state;
	FILE *f = fopen("tests/data/migrations.sha256", "r");
	assert_non_null(f);
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		int v;
		char want[2 * crypto_hash_sha256_BYTES + 1];
		assert_int_equal(sscanf(line, "%d %64s", &v, want), 2);
		assert_int_equal(v, n + 1);
		if (n >= store_n_migrations)
			fail_msg("migration %d is listed but not in store_migrations[]", v);
		const struct migration *m = &store_migrations[n];
		crypto_hash_sha256_state h;
		crypto_hash_sha256_init(&h);
		crypto_hash_sha256_update(&h, (const unsigned char *)m->sql, strlen(m->sql) + 1);
		if (m->pg)
			crypto_hash_sha256_update(&h, (const unsigned char *)m->pg, strlen(m->pg) + 1);
		crypto_hash_sha256_update(&h, (const unsigned char *)(m->after ? "after" : ""),
		                          m->after ? 6 : 1);
		unsigned char sum[crypto_hash_sha256_BYTES];
		char hex[sizeof want];
		crypto_hash_sha256_final(&h, sum);
		sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
		if (strcmp(hex, want) != 0)
			fail_msg("migration %d is not the one that shipped (%s, listed %s): add a new one "
			         "at the end instead", v, hex, want);
		n++;
	}
	fclose(f);
	if (n != store_n_migrations)
		fail_msg("%d migrations, %d listed in tests/data/migrations.sha256: append a line "
		         "for each new one", store_n_migrations, n);
}

/* How many indexes named name the store's own connection sees. */
static long long indexes_named(struct store *s, const char *name)
{
	struct err e = {0};
	struct dbst *st = st_prep(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
	                             "AND name = ?1", &e);
	assert_non_null(st);
	bind_text(st, 1, name);
	assert_int_equal(st_step(s, st, &e), ST_ROW);
	long long n = col_int(st, 0);
	st_reset(st);
	return n;
}

/* A bulk fill's dropped indexes (the demo's): gone inside the
 * transaction, back as they were after a rollback, made again with the
 * same text before a commit; a name that is no index is passed over. */
/* The names of table's indexes, in the order they were made ("a b c"). */
static char *index_order(const char *name, const char *table)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(fixture_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char *sql = sqlite3_mprintf("SELECT group_concat(name, ' ') FROM (SELECT name FROM "
	                            "sqlite_schema WHERE type = 'index' AND tbl_name = %Q "
	                            "ORDER BY rowid)", table);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_free(sql);
	sqlite3_close(db);
	return out;
}

static void test_bulk_indexes(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* PostgreSQL keeps its indexes */
	struct store *s = fixture_open("bulk.db");
	struct err e = {0};
	/* patient_need is made before patient_name (migration 29): both come
	 * back, in that order, though only one is named */
	static const char *const names[] = {"patient_need", "no_such_index", NULL};
	struct strlist saved = {0};
	char *order = index_order("bulk.db", "patient");
	assert_non_null(strstr(order, "patient_need patient_name"));
	assert_int_equal(store_begin_bulk(s, &e), 0);
	assert_int_equal(store_bulk_indexes_drop(s, names, &saved, &e), 0);
	assert_true(saved.len >= 4);
	assert_string_equal(saved.items[0], "patient_need");
	assert_non_null(strstr(saved.items[1], "CREATE INDEX patient_need ON patient("));
	assert_string_equal(saved.items[2], "patient_name");
	assert_int_equal(indexes_named(s, "patient_need"), 0);
	assert_int_equal(indexes_named(s, "patient_name"), 1);   /* kept for the fill */
	store_rollback(s);
	assert_int_equal(indexes_named(s, "patient_need"), 1);
	char *text = xstrdup(saved.items[1]);
	strlist_free(&saved);

	assert_int_equal(store_begin_bulk(s, &e), 0);
	assert_int_equal(store_bulk_indexes_drop(s, names, &saved, &e), 0);
	struct patient p = {.family = "Later", .given = "Indexed"};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	assert_int_equal(store_bulk_indexes_make(s, &saved, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	strlist_free(&saved);
	store_close(&s);
	char *same = sqlite3_mprintf("SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
	                             "AND name = 'patient_need' AND sql = %Q", text);
	assert_int_equal(raw_int("bulk.db", same), 1);
	sqlite3_free(same);
	free(text);
	char *after = index_order("bulk.db", "patient");
	assert_string_equal(after, order);   /* the planner's ties go as before */
	free(after);
	free(order);
	assert_int_equal(raw_int("bulk.db", "SELECT count(*) FROM patient INDEXED BY patient_need "
	                                    "WHERE need_due >= ''"), 1);
}

/* Patients in the database file alone, its WAL left out (opened
 * immutable): what the checkpoints copied back (none before the table
 * itself was). */
static long long patients_in_file(const char *name)
{
	char *uri = sqlite3_mprintf("file:%s?immutable=1", fixture_path(name));
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = 0;
	assert_int_equal(sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
	                 SQLITE_OK);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM patient", -1, &st, NULL) == SQLITE_OK) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	sqlite3_free(uri);
	return n;
}

/* store_checkpoint_when_idle (the screen): its commits leave the WAL as
 * it is, however long, and store_checkpoint_idle copies it back; a long
 * write's own setting holds until the default is set again; without it,
 * the commits copy the WAL back themselves. */
static void test_checkpoint_when_idle(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* SQLite's WAL */
	struct err e = {0};
	struct store *s = fixture_open("idle.db");
	store_checkpoint_when_idle(s);
	assert_int_equal(store_checkpoint_idle(s, &e), 0);   /* none due yet */
	for (int i = 0; i < 200; i++)
		fixture_patient(s, "Waiting", NULL);
	assert_int_equal(patients_in_file("idle.db"), 0);
	assert_int_equal(store_checkpoint_idle(s, &e), 1);
	assert_int_equal(patients_in_file("idle.db"), 200);
	assert_int_equal(store_checkpoint_idle(s, &e), 0);   /* done: none due */

	/* a long write sets its own (copied back as it goes), then the default */
	assert_int_equal(store_checkpoint_pages(s, 50, &e), 0);
	for (int i = 0; i < 50; i++)
		fixture_patient(s, "Bulk", NULL);
	long long copied = patients_in_file("idle.db");
	assert_true(copied > 200);
	assert_int_equal(store_checkpoint_pages(s, STORE_CHECKPOINT_PAGES, &e), 0);
	for (int i = 0; i < 200; i++)
		fixture_patient(s, "Waiting", NULL);
	assert_int_equal(patients_in_file("idle.db"), copied);   /* idle again */
	assert_int_equal(store_checkpoint_idle(s, &e), 1);
	assert_int_equal(patients_in_file("idle.db"), 450);
	store_close(&s);

	s = fixture_open("plain.db");
	for (int i = 0; i < 200; i++)
		fixture_patient(s, "Plain", NULL);
	assert_true(patients_in_file("plain.db") > 0);        /* the commits did */
	assert_int_equal(store_checkpoint_idle(s, &e), 0);   /* not asked: nothing */
	store_close(&s);
}

/* The file's format bytes (18, 19): 2 in WAL mode, 1 with a rollback
 * journal. */
static int file_format(const char *name)
{
	unsigned char head[20] = {0};
	FILE *f = fopen(fixture_path(name), "rb");
	assert_non_null(f);
	assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	assert_int_equal(head[18], head[19]);
	return head[18];
}

static bool wal_exists(const char *name)
{
	char *wal = xasprintf("%s-wal", fixture_path(name));
	bool there = access(wal, F_OK) == 0;
	free(wal);
	return there;
}

/* store_fill_journal (the demo): a fill's pages go into the file itself,
 * all or nothing; WAL mode again afterwards. */
static void test_fill_journal(void **state)
{
	(void)state;
	fixture_sqlite_only();   /* SQLite's journal modes */
	struct err e = {0};
	struct store *s = fixture_open("fill.db");
	fixture_patient(s, "Before", NULL);
	assert_int_equal(file_format("fill.db"), 2);
	assert_int_equal(store_begin(s, &e), 0);       /* inside a transaction: as it is */
	assert_int_equal(store_fill_journal(s, true, &e), 0);
	store_rollback(s);
	assert_int_equal(file_format("fill.db"), 2);
	assert_int_equal(store_fill_journal(s, true, &e), 0);
	assert_int_equal(file_format("fill.db"), 1);
	assert_false(wal_exists("fill.db"));
	assert_int_equal(patients_in_file("fill.db"), 1);   /* the WAL was copied back */
	assert_int_equal(store_begin_bulk(s, &e), 0);
	for (int i = 0; i < 300; i++)
		fixture_patient(s, "Filled", NULL);
	store_rollback(s);                                  /* all or nothing */
	assert_int_equal(patients_in_file("fill.db"), 1);
	assert_int_equal(store_begin_bulk(s, &e), 0);
	for (int i = 0; i < 300; i++)
		fixture_patient(s, "Filled", NULL);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(patients_in_file("fill.db"), 301);   /* in the file itself */
	assert_false(wal_exists("fill.db"));
	assert_int_equal(store_fill_journal(s, false, &e), 0);
	assert_int_equal(file_format("fill.db"), 2);
	fixture_patient(s, "After", NULL);
	assert_true(wal_exists("fill.db"));
	assert_int_equal(patients_in_file("fill.db"), 301);   /* in the WAL */
	store_close(&s);
}

/* A listing marked st_stream (on PostgreSQL a cursor, 256 rows a FETCH)
 * gives every row in order however it is read, and leaves no cursor and
 * no transaction of its own open behind it. */
struct stream_read {
	struct store *s;
	int mode, n;
	bool sorted;
	char last[32];
};
enum { STREAM_ALONE, STREAM_LOOKUP, STREAM_WRITE, STREAM_IN_READ, STREAM_STOP };

static int stream_row(void *ctx, struct patient *p)
{
	struct stream_read *r = ctx;
	struct err e = {0};
	if (strcmp(r->last, p->family) > 0)
		r->sorted = false;
	snprintf(r->last, sizeof r->last, "%s", p->family);
	r->n++;
	if (r->mode == STREAM_LOOKUP || r->mode == STREAM_IN_READ) {
		struct patient q = {0};
		assert_int_equal(store_patient_get(r->s, p->id, &q, &e), 0);
		assert_string_equal(q.family, p->family);
		patient_clear(&q);
	}
	if (r->mode == STREAM_WRITE && r->n == 10)
		fixture_patient(r->s, "Zz written", NULL);
	return r->mode == STREAM_STOP && r->n == 300 ? -7 : 0;
}

/* The number the statement gives (PostgreSQL's). */
static long long pg_number(struct store *s, const char *sql)
{
	struct err e = {0};
	struct dbst *st = st_prep(s, sql, &e);
	assert_non_null(st);
	assert_int_equal(st_step(s, st, &e), ST_ROW);
	long long v = col_int(st, 0);
	st_reset(st);
	return v;
}

static int stream_listing(struct store *s, int mode, int *n)
{
	struct err e = {0};
	struct stream_read r = {.s = s, .mode = mode, .sorted = true};
	struct patient_query q = {0};
	int rc = store_patient_each(s, &q, stream_row, &r, &e);
	assert_true(r.sorted);
	*n = r.n;
	if (fixture_pg()) {   /* nothing of the cursor's left */
		assert_int_equal(pg_number(s, "SELECT count(*) FROM pg_cursors WHERE name <> ''"), 0);
		/* no transaction block: each statement has a transaction id of
		 * its own */
		long long xid = pg_number(s, "SELECT txid_current()");
		assert_int_not_equal(pg_number(s, "SELECT txid_current()"), xid);
	}
	return rc;
}

static void test_stream_listing(void **state)
{
	(void)state;
	struct err e = {0};
	struct store *s = fixture_open("stream.db");
	assert_int_equal(store_begin(s, &e), 0);
	for (int i = 0; i < 600; i++) {   /* more than two FETCHes, not in id order */
		char name[32];
		snprintf(name, sizeof name, "Stream %04d", i * 7919 % 600);
		fixture_patient(s, name, NULL);
	}
	assert_int_equal(store_commit(s, &e), 0);
	int n;
	assert_int_equal(stream_listing(s, STREAM_ALONE, &n), 0);
	assert_int_equal(n, 600);
	/* a look-up between rows: the rest read ahead (its own transaction) */
	assert_int_equal(stream_listing(s, STREAM_LOOKUP, &n), 0);
	assert_int_equal(n, 600);
	/* a write between rows: committed, the listing whole */
	assert_int_equal(stream_listing(s, STREAM_WRITE, &n), 0);
	if (fixture_pg())
		assert_int_equal(n, 600);   /* read ahead before the write */
	else
		assert_in_range(n, 600, 601);   /* (SQLite: the one scan may meet it) */
	assert_int_equal(stream_listing(s, STREAM_ALONE, &n), 0);
	assert_int_equal(n, 601);
	/* in the caller's read transaction: look-ups beside the open cursor */
	assert_int_equal(store_begin_read(s, &e), 0);
	struct stream_read r = {.s = s, .mode = STREAM_IN_READ, .sorted = true};
	assert_int_equal(store_patient_each(s, &(struct patient_query){0}, stream_row, &r, &e), 0);
	assert_int_equal(r.n, 601);
	assert_true(r.sorted);
	if (fixture_pg())   /* closed at its end, the transaction still the caller's */
		assert_int_equal(pg_number(s, "SELECT count(*) FROM pg_cursors WHERE name <> ''"), 0);
	assert_int_equal(store_commit(s, &e), 0);
	/* stopped early: the cursor closed, its transaction ended */
	assert_int_equal(stream_listing(s, STREAM_STOP, &n), -7);
	assert_int_equal(n, 300);
	fixture_patient(s, "After", NULL);
	assert_int_equal(stream_listing(s, STREAM_ALONE, &n), 0);
	assert_int_equal(n, 602);
	store_close(&s);
}

/* A listing with another statement between its rows, whose row 351
 * divides by zero.  On PostgreSQL that statement reads the listing's rest
 * ahead (its cursor is open in a transaction of its own) and meets the
 * server's error there: the rows before it come (the first FETCH's 256),
 * then the error, at the step that reaches it; nothing of the cursor is
 * left, and the store goes on.  SQLite reads no row ahead, and its
 * division by zero is NULL: every row comes. */
static void test_stream_error_ahead(void **state)
{
	(void)state;
	struct err e = {0};
	struct store *s = fixture_open("ahead.db");
	long long ids[400];
	for (int i = 0; i < 400; i++)
		ids[i] = fixture_patient(s, "Ahead", NULL);
	struct dbst *st = st_prep(s, "SELECT id, 1 / (?1 - id) FROM patient ORDER BY id", &e);
	assert_non_null(st);
	bind_int(st, 1, ids[350]);
	st_stream(st);
	int n = 0, rc, nulls = 0;
	while ((rc = st_step(s, st, &e)) == ST_ROW) {
		assert_int_equal(col_int(st, 0), ids[n]);
		nulls += col_null(st, 1);
		if (++n == 10) {   /* another statement: on PostgreSQL the rest read ahead */
			struct patient p = {0};
			assert_int_equal(store_patient_get(s, ids[0], &p, &(struct err){0}), 0);
			patient_clear(&p);
		}
	}
	st_reset(st);
	if (!fixture_pg()) {
		assert_int_equal(rc, ST_DONE);
		assert_int_equal(n, 400);
		assert_int_equal(nulls, 1);
		store_close(&s);
		return;
	}
	assert_true(rc < 0);
	assert_non_null(strstr(e.msg, "division by zero"));
	assert_int_equal(n, 256);
	assert_int_equal(pg_number(s, "SELECT count(*) FROM pg_cursors WHERE name <> ''"), 0);
	long long xid = pg_number(s, "SELECT txid_current()");
	assert_int_not_equal(pg_number(s, "SELECT txid_current()"), xid);
	fixture_patient(s, "After", NULL);
	assert_int_equal(pg_number(s, "SELECT count(*) FROM patient"), 401);
	store_close(&s);
}

/* Patients' review rows written together (store_review_made_put): on
 * PostgreSQL many to a statement (100 patients, 50 periods, then 10, then
 * one each), so 237 patients and their periods cross each size.  A
 * period of more than STORE_REVIEW_PERIOD_DAYS days is written as several;
 * written again, a patient's periods are the new ones only. */
#define MADE_PATIENTS 237
static void made_rows(long long *ids, size_t n, size_t step, int per, int day,
                      struct review_state_row *rows, char (*items)[48], struct review_made *m)
{
	for (size_t i = 0, k = 0; i < n; i += step) {
		int r = per >= 0 ? per : (int)(i % 4);
		m[i / step] = (struct review_made){.patient_id = ids[i], .made_day = day,
		                                   .until_day = day + 5 * r, .rows = rows + k,
		                                   .n = (size_t)r};
		for (int j = 0; j < r; j++, k++) {
			snprintf(items[k], sizeof items[k], "I%zu.%d", i, j);
			rows[k] = (struct review_state_row){
				.patient_id = ids[i], .sev_rank = 1 + j, .best_due = day + j,
				.n_items = (long long)i * 10 + j, .w_who = 4, .name = "Made",
				.items = items[k], .made_day = day + 5 * j, .until_day = day + 5 * j + 5};
		}
	}
}

static void test_review_made_put(void **state)
{
	(void)state;
	struct store *s = fixture_open("made.db");
	struct err e = {0};
	long long ids[MADE_PATIENTS];
	for (size_t i = 0; i < MADE_PATIENTS; i++)
		ids[i] = fixture_patient(s, "Made", NULL);
	static struct review_state_row rows[MADE_PATIENTS * 3];
	static char items[MADE_PATIENTS * 3][48];
	static struct review_made m[MADE_PATIENTS];
	int day = 20000;
	made_rows(ids, MADE_PATIENTS, 1, -1, day, rows, items, m);
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_review_made_put(s, m, MADE_PATIENTS, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	/* each row of 5 days: 2 periods (3 days and 2) */
	long long want = 0, want_items = 0;
	for (size_t i = 0; i < MADE_PATIENTS; i++)
		for (size_t j = 0; j < i % 4; j++) {
			want += 2;
			want_items += 2 * ((long long)i * 10 + (long long)j);
		}
	assert_int_equal(raw_int("made.db", "SELECT count(*) FROM review_period"), want);
	assert_int_equal(raw_int("made.db", "SELECT sum(n_items) FROM review_period"), want_items);
	assert_int_equal(raw_int("made.db", "SELECT count(*) FROM review_period "
	                                    "WHERE to_day - from_day > 3 OR to_day <= from_day"), 0);
	assert_int_equal(raw_int("made.db", "SELECT sum(to_day - from_day) FROM review_period"),
	                 want / 2 * 5);
	char *sql = xasprintf("SELECT count(*) FROM review_period WHERE patient_id = %lld AND "
	                      "items = 'I7.2' AND sev_rank = 3 AND best_due = %d AND name = 'Made' "
	                      "AND w_who = 4", ids[7], day + 2);
	assert_int_equal(raw_int("made.db", sql), 2);
	free(sql);
	sql = xasprintf("SELECT count(*) FROM review_state WHERE stale = 0 AND made_day = %d", day);
	assert_int_equal(raw_int("made.db", sql), MADE_PATIENTS);
	free(sql);
	long long until = 0;
	for (size_t i = 0; i < MADE_PATIENTS; i++)
		until += day + 5 * (long long)(i % 4);
	assert_int_equal(raw_int("made.db", "SELECT sum(until_day) FROM review_state"), until);

	/* every third patient written again with one row: theirs replaced */
	size_t again = (MADE_PATIENTS + 2) / 3;
	made_rows(ids, MADE_PATIENTS, 3, 1, day + 1, rows, items, m);
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_review_made_put(s, m, again, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	for (size_t i = 0; i < MADE_PATIENTS; i += 3)
		want += 2 - 2 * (long long)(i % 4);
	assert_int_equal(raw_int("made.db", "SELECT count(*) FROM review_period"), want);
	sql = xasprintf("SELECT count(*) FROM review_state WHERE made_day = %d", day + 1);
	assert_int_equal(raw_int("made.db", sql), (long long)again);
	free(sql);
	sql = xasprintf("SELECT count(*) FROM review_period WHERE patient_id = %lld", ids[6]);
	assert_int_equal(raw_int("made.db", sql), 2);
	free(sql);
	store_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_permissions),
		cmocka_unit_test(test_no_create),
		cmocka_unit_test(test_migrate_from_older),
		cmocka_unit_test(test_migrate_flags),
		cmocka_unit_test(test_migrate_check_chains),
		cmocka_unit_test(test_patient_series_index),
		cmocka_unit_test(test_migrations_append_only),
		cmocka_unit_test(test_refuse_newer),
		cmocka_unit_test(test_refuse_foreign),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_crud_and_audit),
		cmocka_unit_test(test_nested_rollback),
		cmocka_unit_test(test_bulk_indexes),
		cmocka_unit_test(test_appointments_and_series),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_checkpoint_when_idle),
		cmocka_unit_test(test_fill_journal),
		cmocka_unit_test(test_stream_listing),
		cmocka_unit_test(test_stream_error_ahead),
		cmocka_unit_test(test_review_made_put),
	};
	return cmocka_run_group_tests(tests, fixture_dir_setup, fixture_dir_teardown);
}
