/* Unit tests: what a long import leans on for speed — the end of a
 * counted series computed without libical's iterator must be the one the
 * iterator gives, and a bulk transaction (no savepoint per row) must still
 * write all or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/store_undo.h"
#include "caseload/tz.h"
#include "fixture.h"

static long long utc(const char *iso)
{
	long long t;
	assert_int_equal(tz_parse_utc(iso, &t), 0);
	return t;
}

/* The latest end among the occurrences libical's iterator gives. */
static long long expanded_end(const struct appointment *a)
{
	struct occurrence_list occ = {0};
	struct err e = {0};
	assert_int_equal(recur_expand(a, a->start - 86400, a->start + 400LL * 86400 * 366, &occ,
	                              &e), 0);
	long long last = a->end;
	for (size_t i = 0; i < occ.len; i++)
		if (occ.items[i].end > last)
			last = occ.items[i].end;
	occurrence_list_free(&occ);
	return last;
}

static void test_series_end_is_the_iterators(void **state)
{
	(void)state;
	static const struct {
		const char *start, *zone, *rule;
		int minutes;
		bool all_day;
	} cases[] = {
		{"2026-10-26T13:00:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=6", 60, false},
		{"2026-01-01T13:00:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=10", 60, false},
		{"2026-02-20T07:30:00Z", "America/New_York", "FREQ=DAILY;COUNT=17", 30, false},
		/* 02:30 on 2026-03-08 does not exist in New York */
		{"2026-03-01T07:30:00Z", "America/New_York", "FREQ=DAILY;COUNT=8", 30, false},
		{"2026-02-22T07:30:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=3", 30, false},
		{"2026-03-29T00:30:00Z", "Europe/London", "FREQ=WEEKLY;INTERVAL=3;COUNT=20", 45, false},
		{"2026-10-20T08:00:00Z", "Europe/Berlin", "FREQ=DAILY;INTERVAL=2;COUNT=9", 0, false},
		/* Samoa skipped 2011-12-30 */
		{"2011-12-20T20:00:00Z", "Pacific/Apia", "FREQ=DAILY;COUNT=20", 60, false},
		{"2011-11-01T20:00:00Z", "Pacific/Apia", "FREQ=WEEKLY;COUNT=12", 60, false},
		{"2026-12-24T00:00:00Z", NULL, "FREQ=DAILY;COUNT=4", 24 * 60, true},
		{"2026-12-24T00:00:00Z", NULL, "FREQ=WEEKLY;INTERVAL=2;COUNT=30", 24 * 60, true},
		{"2026-04-01T14:00:00Z", "Asia/Kolkata", "FREQ=WEEKLY;COUNT=1", 60, false},
		/* not a fixed step: through the iterator as before */
		{"2026-01-05T14:00:00Z", "America/New_York", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=7", 60, false},
		{"2026-01-31T14:00:00Z", "America/New_York", "FREQ=MONTHLY;COUNT=5", 60, false},
		/* COUNT by weekdays and by months: counted on the calendar */
		{"2026-01-05T14:00:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=25;BYDAY=MO,WE,FR", 60, false},
		{"2026-01-07T14:00:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=9;BYDAY=MO,WE", 60, false},
		{"2026-02-04T09:00:00Z", "Europe/London", "FREQ=WEEKLY;INTERVAL=2;COUNT=11;BYDAY=WE,SU", 45, false},
		{"2026-02-04T09:00:00Z", "Europe/London", "FREQ=WEEKLY;INTERVAL=2;COUNT=11;WKST=SU;BYDAY=WE,SU", 45, false},
		{"2026-01-04T09:00:00Z", "Europe/London", "FREQ=WEEKLY;INTERVAL=3;COUNT=7;BYDAY=SU,TU", 45, false},
		{"2026-01-13T09:00:00Z", "Europe/Berlin", "FREQ=MONTHLY;COUNT=14;BYDAY=2TU", 60, false},
		{"2026-01-30T15:00:00Z", "America/Chicago", "FREQ=MONTHLY;COUNT=13;BYDAY=-1FR", 60, false},
		{"2026-01-28T15:00:00Z", "America/Chicago", "FREQ=MONTHLY;INTERVAL=5;COUNT=6;BYDAY=4WE", 60, false},
		{"2026-01-15T15:00:00Z", "Asia/Tokyo", "FREQ=MONTHLY;COUNT=20;BYMONTHDAY=15", 60, false},
		{"2026-11-28T15:00:00Z", "America/Denver", "FREQ=MONTHLY;INTERVAL=3;COUNT=9", 60, false},
		{"2026-02-02T00:00:00Z", NULL, "FREQ=WEEKLY;COUNT=8;BYDAY=MO,TH", 24 * 60, true},
		{"2026-02-10T00:00:00Z", NULL, "FREQ=MONTHLY;COUNT=8;BYDAY=2TU", 24 * 60, true},
		/* 02:30 New York on the day daylight time begins, by weekday */
		{"2026-03-01T07:30:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=4;BYDAY=SU,WE", 30, false},
		/* not counted on the calendar: DTSTART not one of BYDAY, a 5th
		 * weekday, two days of the month */
		{"2026-01-06T14:00:00Z", "America/New_York", "FREQ=WEEKLY;COUNT=6;BYDAY=MO,WE", 60, false},
		{"2026-01-29T14:00:00Z", "America/New_York", "FREQ=MONTHLY;COUNT=6;BYDAY=5TH", 60, false},
		{"2026-01-01T14:00:00Z", "America/New_York", "FREQ=MONTHLY;COUNT=6;BYMONTHDAY=1,15", 60, false},
		/* UNTIL: the iterator starts a period before it, not at DTSTART */
		{"2026-01-06T14:00:00Z", "America/New_York", "FREQ=WEEKLY;UNTIL=20261201T235959Z;BYDAY=TU,TH", 60, false},
		{"2026-01-30T14:00:00Z", "America/Chicago", "FREQ=MONTHLY;UNTIL=20270301T000000Z;BYDAY=-1FR", 60, false},
		{"2026-01-13T09:00:00Z", "Europe/Berlin", "FREQ=MONTHLY;INTERVAL=2;UNTIL=20271231;BYDAY=2TU", 60, false},
		/* months without a 31st: the last one is months before UNTIL */
		{"2026-01-31T14:00:00Z", "America/New_York", "FREQ=MONTHLY;UNTIL=20260730T000000Z", 60, false},
		{"2026-03-05T23:30:00Z", "Pacific/Auckland", "FREQ=DAILY;UNTIL=20260410T120000Z;BYDAY=MO,FR", 30, false},
		{"2026-02-02T00:00:00Z", NULL, "FREQ=WEEKLY;UNTIL=20261130;BYDAY=MO", 24 * 60, true},
		{"2026-05-01T15:00:00Z", "America/Denver", "FREQ=YEARLY;UNTIL=20310501T150000Z", 60, false},
		/* UNTIL before DTSTART: DTSTART alone */
		{"2026-05-01T15:00:00Z", "America/Denver", "FREQ=WEEKLY;UNTIL=20250101T000000Z", 60, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct appointment a = {.uid = "s@test", .start = utc(cases[i].start),
		                        .tzid = cases[i].zone, .rrule = cases[i].rule,
		                        .all_day = cases[i].all_day};
		a.end = a.start + cases[i].minutes * 60LL;
		struct err e = {0};
		long long end = -1;
		assert_int_equal(recur_series_end(&a, &end, &e), 0);
		long long want = expanded_end(&a);
		if (end != want)
			fail_msg("%s %s from %s: series end %lld, the iterator's %lld", cases[i].rule,
			         cases[i].zone ? cases[i].zone : "(all day)", cases[i].start, end, want);
	}
	/* a known one: six Mondays at 09:00 New York, the last on 2026-11-30 */
	struct appointment a = {.uid = "k@test", .start = utc("2026-10-26T13:00:00Z"),
	                        .end = utc("2026-10-26T14:00:00Z"), .tzid = "America/New_York",
	                        .rrule = "FREQ=WEEKLY;COUNT=6"};
	struct err e = {0};
	assert_int_equal(recur_series_end(&a, &a.series_end, &e), 0);
	assert_int_equal(a.series_end, utc("2026-11-30T15:00:00Z"));
}

static size_t count_appts(struct store *s)
{
	struct appointment_list l = {0};
	struct appt_query q = {0};
	struct err e = {0};
	assert_int_equal(store_appt_list(s, &q, &l, &e), 0);
	size_t n = l.len;
	appointment_list_free(&l);
	return n;
}

static struct appointment appt(const char *uid, long long start)
{
	return (struct appointment){.uid = uid, .title = "Visit", .start = start,
	                            .end = start + 3600};
}

static void test_bulk_all_or_nothing(void **state)
{
	(void)state;
	struct store *s = fixture_open("bulk.db");
	struct err e = {0};
	long long t = utc("2026-12-01T14:00:00Z");

	/* rows written in a bulk transaction are there after its commit */
	assert_int_equal(store_begin_bulk(s, &e), 0);
	struct appointment a = appt("a@test", t), b = appt("b@test", t + 86400);
	assert_int_equal(store_appt_add(s, &a, &e), 0);
	assert_int_equal(store_appt_add(s, &b, &e), 0);
	b.title = "Visit, moved";
	assert_int_equal(store_appt_update(s, &b, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(count_appts(s), 2);

	/* one failed row: the commit refuses and nothing of it stays */
	assert_int_equal(store_begin_bulk(s, &e), 0);
	struct appointment c = appt("c@test", t + 2 * 86400);
	assert_int_equal(store_appt_add(s, &c, &e), 0);
	struct appointment dup = appt("a@test", t);
	assert_int_equal(store_appt_add(s, &dup, &e), ERR_CONFLICT);
	e = (struct err){0};
	assert_int_not_equal(store_commit(s, &e), 0);
	assert_non_null(strstr(e.msg, "nothing was written"));
	assert_int_equal(count_appts(s), 2);

	/* the store is usable after that, with ordinary transactions again */
	struct appointment d = appt("d@test", t + 3 * 86400);
	assert_int_equal(store_appt_add(s, &d, &e), 0);
	assert_int_equal(count_appts(s), 3);

	/* inside another transaction it is a savepoint: a failed row inside is
	 * undone alone and the rest commits */
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_begin_bulk(s, &e), 0);
	struct appointment f = appt("f@test", t + 4 * 86400);
	assert_int_equal(store_appt_add(s, &f, &e), 0);
	struct appointment dup2 = appt("d@test", t);
	assert_int_equal(store_appt_add(s, &dup2, &e), ERR_CONFLICT);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(count_appts(s), 4);

	/* a bulk transaction rolled back leaves nothing */
	assert_int_equal(store_begin_bulk(s, &e), 0);
	struct appointment g = appt("g@test", t + 5 * 86400);
	assert_int_equal(store_appt_add(s, &g, &e), 0);
	store_rollback(s);
	assert_int_equal(count_appts(s), 4);
	store_close(&s);
}

/* How many audit rows name appointment id (action "insert"). */
static int inserts_audited(struct store *s, long long id)
{
	struct audit_list l = {0};
	struct err e = {0};
	assert_int_equal(store_audit_list(s, "appointment", id, 10, &l, &e), 0);
	int n = 0;
	for (size_t i = 0; i < l.len; i++)
		n += l.items[i].row_id == id && !strcmp(l.items[i].action, "insert");
	audit_list_free(&l);
	return n;
}

static long long audit_rows(struct store *s)
{
	struct audit_verify v = {0};
	struct err e = {0};
	assert_int_equal(store_audit_verify(s, &v, &e), 0);
	if (v.kind)
		fail_msg("audit chain: %s", v.what);
	return v.rows;
}

/* A bulk transaction's audit and undo rows are written many to a
 * statement (SQLite): every row is there, chained as one at a time would
 * be, once it commits (150 rows: two statements of 64 and 22 alone); a
 * read of the audit inside the transaction sees the rows before it; a
 * rollback leaves none; the undo group takes back every row. */
static void test_bulk_pending_rows(void **state)
{
	(void)state;
	struct store *s = fixture_open("pending.db");
	struct err e = {0};
	long long t = utc("2026-12-01T14:00:00Z");
	long long before = audit_rows(s);
	long long ids[150];
	char uid[150][32];
	assert_int_equal(store_begin_bulk(s, &e), 0);
	for (int i = 0; i < 150; i++) {
		snprintf(uid[i], sizeof uid[i], "p%d@test", i);
		struct appointment a = appt(uid[i], t + i * 3600LL);
		assert_int_equal(store_appt_add(s, &a, &e), 0);
		ids[i] = a.id;
		if (i == 69)   /* inside the transaction, before the 64 after the first */
			assert_int_equal(inserts_audited(s, ids[69]), 1);
	}
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(audit_rows(s), before + 150);
	static const int probe[] = {0, 63, 64, 69, 127, 128, 149};
	for (size_t i = 0; i < sizeof probe / sizeof *probe; i++)
		assert_int_equal(inserts_audited(s, ids[probe[i]]), 1);
	long long group = store_undo_last(s);
	struct undo_group g = {0};
	assert_int_not_equal(group, 0);
	assert_int_equal(store_undo_get(s, group, &g, &e), 0);
	assert_int_equal(g.rows, 150);
	undo_group_clear(&g);

	/* rolled back: neither the rows nor their audit */
	long long mid = audit_rows(s);
	assert_int_equal(store_begin_bulk(s, &e), 0);
	for (int i = 0; i < 100; i++) {
		char u[32];
		snprintf(u, sizeof u, "r%d@test", i);
		struct appointment a = appt(u, t + i * 3600LL);
		assert_int_equal(store_appt_add(s, &a, &e), 0);
	}
	store_rollback(s);
	assert_int_equal(audit_rows(s), mid);
	assert_int_equal(count_appts(s), 150);

	/* the group's undo rows name every row added */
	long long rows = 0;
	assert_int_equal(store_undo_apply(s, group, &rows, &e), 0);
	assert_int_equal(rows, 150);
	assert_int_equal(count_appts(s), 0);
	assert_true(audit_rows(s) > mid);
	store_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_end_is_the_iterators),
		cmocka_unit_test(test_bulk_all_or_nothing),
		cmocka_unit_test(test_bulk_pending_rows),
	};
	return cmocka_run_group_tests(tests, fixture_dir_setup, fixture_dir_teardown);
}
