/* Unit tests: occurrences of appointments in a range — a weekly series in
 * its own zone across the end of daylight saving time, COUNT and UNTIL
 * ending it, EXDATE and RDATE, open-ended series far from their start,
 * all-day series, ranges that cut an occurrence, a daily series across
 * the time the clocks skip; and on a scratch
 * database, recur_range with overrides that move, cancel or move out of
 * the range an occurrence, an override whose series is missing, and one
 * patient's appointments only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/tz.h"
#include "fixture.h"

static long long utc(const char *iso)
{
	long long t;
	assert_int_equal(tz_parse_utc(iso, &t), 0);
	return t;
}

/* The occurrences' starts as "2026-11-02T14:00:00Z,..." */
static const char *starts(const struct occurrence_list *l)
{
	static char out[2048];
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < l->len && n < sizeof out - 32; i++) {
		time_t t = (time_t)l->items[i].start;
		struct tm tm;
		gmtime_r(&t, &tm);
		n += strftime(out + n, sizeof out - n, i ? ",%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%SZ",
		              &tm);
	}
	return out;
}

/* Expand a into [from, to) and compare the starts. */
static void expands(const struct appointment *a, const char *from, const char *to,
                    const char *want)
{
	struct occurrence_list l = {0};
	struct err e = {0};
	assert_int_equal(recur_expand(a, utc(from), utc(to), &l, &e), 0);
	if (strcmp(starts(&l), want))
		fail_msg("%s from %s to %s:\n got  %s\n want %s", a->rrule ? a->rrule : "(single)",
		         from, to, starts(&l), want);
	for (size_t i = 0; i < l.len; i++) {
		assert_int_equal(l.items[i].end - l.items[i].start, a->end - a->start);
		assert_ptr_equal(l.items[i].appt, a);
	}
	occurrence_list_free(&l);
}

/* Mondays at 09:00 New York from 26 October 2026: EDT ends on 1 November. */
static struct appointment mondays(const char *rule)
{
	return (struct appointment){.id = 1, .uid = "mon@test", .title = "Physio",
	                            .start = utc("2026-10-26T13:00:00Z"),
	                            .end = utc("2026-10-26T14:00:00Z"),
	                            .tzid = "America/New_York", .rrule = rule};
}

static void test_expand_series(void **state)
{
	(void)state;
	struct appointment a = mondays("FREQ=WEEKLY;COUNT=6");
	/* the local time stays 09:00: 13:00Z in EDT, 14:00Z in EST */
	expands(&a, "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z",
	        "2026-10-26T13:00:00Z,2026-11-02T14:00:00Z,2026-11-09T14:00:00Z,"
	        "2026-11-16T14:00:00Z,2026-11-23T14:00:00Z,2026-11-30T14:00:00Z");
	/* a range that cuts one: an occurrence that overlaps its start is in,
	 * one that starts at its end is out */
	expands(&a, "2026-11-09T14:30:00Z", "2026-11-23T14:00:00Z",
	        "2026-11-09T14:00:00Z,2026-11-16T14:00:00Z");
	expands(&a, "2026-11-09T15:00:00Z", "2026-11-16T14:00:00Z", "");
	/* nothing after COUNT */
	expands(&a, "2026-12-01T00:00:00Z", "2027-06-01T00:00:00Z", "");

	/* UNTIL (inclusive) ends it too */
	a = mondays("FREQ=WEEKLY;UNTIL=20261116T140000Z");
	expands(&a, "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z",
	        "2026-10-26T13:00:00Z,2026-11-02T14:00:00Z,2026-11-09T14:00:00Z,"
	        "2026-11-16T14:00:00Z");
	long long end = -1;
	struct err e = {0};
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2026-11-16T15:00:00Z"));
}

static void test_exdate_rdate(void **state)
{
	(void)state;
	struct appointment a = mondays("FREQ=WEEKLY;COUNT=6");
	a.exdate = "2026-11-09T14:00:00Z,2026-11-23T14:00:00Z";
	expands(&a, "2026-10-01T00:00:00Z", "2027-01-01T00:00:00Z",
	        "2026-10-26T13:00:00Z,2026-11-02T14:00:00Z,2026-11-16T14:00:00Z,"
	        "2026-11-30T14:00:00Z");
	/* an extra date after the rule's last: in the range and in the end */
	a.rdate = "2026-12-10T16:00:00Z";
	expands(&a, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", "2026-12-10T16:00:00Z");
	long long end = 0;
	struct err e = {0};
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2026-12-10T17:00:00Z"));
	/* EXDATE removes an RDATE too */
	a.exdate = "2026-12-10T16:00:00Z";
	expands(&a, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z", "");
	/* DTSTART excluded */
	a.rdate = NULL;
	a.exdate = "2026-10-26T13:00:00Z";
	expands(&a, "2026-10-01T00:00:00Z", "2026-11-03T00:00:00Z", "2026-11-02T14:00:00Z");
}

static void test_open_ended(void **state)
{
	(void)state;
	/* daily at 08:30 Berlin, never ending: a week in the summer of 2031 */
	struct appointment a = {.id = 2, .uid = "daily@test", .title = "Insulin check",
	                        .start = utc("2026-11-24T07:30:00Z"),
	                        .end = utc("2026-11-24T07:45:00Z"), .tzid = "Europe/Berlin",
	                        .rrule = "FREQ=DAILY;INTERVAL=2"};
	expands(&a, "2031-07-01T00:00:00Z", "2031-07-06T00:00:00Z",
	        "2031-07-01T06:30:00Z,2031-07-03T06:30:00Z,2031-07-05T06:30:00Z");
	long long end = -1;
	struct err e = {0};
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, 0);

	/* all day, every other week: midnights UTC of the dates */
	struct appointment d = {.id = 3, .uid = "day@test", .title = "Clinic day", .all_day = true,
	                        .start = utc("2026-12-24T00:00:00Z"),
	                        .end = utc("2026-12-25T00:00:00Z"),
	                        .rrule = "FREQ=WEEKLY;INTERVAL=2;COUNT=3"};
	expands(&d, "2026-12-01T00:00:00Z", "2027-03-01T00:00:00Z",
	        "2026-12-24T00:00:00Z,2027-01-07T00:00:00Z,2027-01-21T00:00:00Z");

	/* a single event, and a rule that is not one */
	struct appointment one = {.id = 4, .uid = "one@test", .title = "Once",
	                          .start = utc("2026-11-25T15:00:00Z"),
	                          .end = utc("2026-11-25T16:00:00Z")};
	expands(&one, "2026-11-25T15:59:00Z", "2026-11-26T00:00:00Z", "2026-11-25T15:00:00Z");
	expands(&one, "2026-11-25T16:00:00Z", "2026-11-26T00:00:00Z", "");
	assert_int_equal(recur_check_rule("FREQ=WEEKLY;COUNT=6", &e), 0);
	assert_int_equal(recur_check_rule("EVERY=WEEK", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'EVERY=WEEK' is not a recurrence rule"));
}

/* A daily series at 02:30 New York across the day daylight time begins
 * (14 March 2027), when 02:30 does not happen: that day's is read with
 * the offset before the change (07:30Z, RFC 5545 3.3.5), and the days
 * after are 02:30 again (06:30Z), not 03:30 as libical's iterator, given
 * a zone, carried the move on.  A UTC UNTIL still ends it exactly. */
static void test_skipped_time(void **state)
{
	(void)state;
	struct appointment a = {.id = 5, .uid = "night@test", .title = "Night dose",
	                        .start = utc("2027-03-13T07:30:00Z"),
	                        .end = utc("2027-03-13T07:45:00Z"), .tzid = "America/New_York",
	                        .rrule = "FREQ=DAILY;COUNT=4"};
	const char *want = "2027-03-13T07:30:00Z,2027-03-14T07:30:00Z,2027-03-15T06:30:00Z,"
	                   "2027-03-16T06:30:00Z";
	expands(&a, "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", want);
	long long end = -1;
	struct err e = {0};
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2027-03-16T06:45:00Z"));
	a.rrule = "FREQ=DAILY;UNTIL=20270316T063000Z";   /* the last one exactly */
	expands(&a, "2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", want);
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2027-03-16T06:45:00Z"));
	a.rrule = "FREQ=DAILY";   /* open-ended, from a jump near the range */
	expands(&a, "2027-03-15T00:00:00Z", "2027-03-17T00:00:00Z",
	        "2027-03-15T06:30:00Z,2027-03-16T06:30:00Z");
}

/* The end of a's last occurrence by libical's iterator (recur_expand
 * from DTSTART to well past UNTIL), EXDATE left out. */
static long long iterated_end(const struct appointment *a)
{
	struct appointment b = *a;
	b.exdate = NULL;
	struct occurrence_list l = {0};
	struct err e = {0};
	assert_int_equal(recur_expand(&b, b.start, b.start + 4000LL * 86400, &l, &e), 0);
	long long end = b.end;
	for (size_t i = 0; i < l.len; i++)
		if (l.items[i].end > end)
			end = l.items[i].end;
	occurrence_list_free(&l);
	return end;
}

/* A series with UNTIL ends where libical's iterator ends it, now that
 * the end is found on the calendar: weekly by weekdays (every other
 * week, or two days a week), monthly by day or by the n-th or last
 * weekday, with BYSETPOS (the iterator's), daily; a UTC UNTIL on an
 * occurrence, a second before it, between two; from a DTSTART in
 * several zones and across daylight saving time; all-day series with a
 * DATE or a UTC UNTIL; a timed series with a DATE UNTIL; an UNTIL
 * before DTSTART (the end of DTSTART's own occurrence).  EXDATE plays no
 * part: an excluded last occurrence still ends the series (what the
 * iterator gave, and what is stored). */
static void test_until_end(void **state)
{
	(void)state;
	static const char *const zones[] = {"America/New_York", "Europe/Berlin",
	                                    "Australia/Sydney", "Pacific/Auckland", NULL};
	/* DTSTART (UTC) and the length; each starts on a Wednesday, the 4th in
	 * its month in New York (28 Oct 2026 14:30 EDT) */
	static const char *const starts_utc[] = {"2026-10-28T18:30:00Z", "2026-01-28T08:00:00Z",
	                                         "2026-03-25T23:15:00Z"};
	static const char *const rules[] = {
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;",
		"FREQ=WEEKLY;BYDAY=MO,WE;",
		"FREQ=WEEKLY;",
		"FREQ=DAILY;INTERVAL=3;",
		"FREQ=MONTHLY;",
		"FREQ=MONTHLY;BYDAY=4WE;",
		"FREQ=MONTHLY;BYDAY=-1WE;",
		"FREQ=MONTHLY;INTERVAL=2;BYDAY=4WE;",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;",
	};
	static const char *const untils[] = {"20270317T183000Z", "20270317T182959Z",
	                                     "20270317T120000Z", "20270120T000000Z",
	                                     "20260601T000000Z", "20261231T235959Z", "20270317",
	                                     "20251001T000000Z"};
	int checked = 0;
	for (size_t zi = 0; zones[zi]; zi++)
		for (size_t si = 0; si < sizeof starts_utc / sizeof *starts_utc; si++)
			for (size_t ri = 0; ri < sizeof rules / sizeof *rules; ri++)
				for (size_t ui = 0; ui < sizeof untils / sizeof *untils; ui++) {
					char rule[128];
					snprintf(rule, sizeof rule, "%sUNTIL=%s", rules[ri], untils[ui]);
					struct appointment a = {.id = 9, .uid = "until@test",
					                        .start = utc(starts_utc[si]),
					                        .tzid = zones[zi], .rrule = rule};
					a.end = a.start + 45 * 60;
					long long end = -1;
					struct err e = {0};
					assert_int_equal(recur_series_end(&a, &end, &e), 0);
					long long want = iterated_end(&a);
					if (end != want)
						fail_msg("%s from %s in %s: end %lld, the iterator's %lld", rule,
						         starts_utc[si], zones[zi], end, want);
					checked++;
				}
	assert_int_equal(checked, 4 * 3 * 9 * 8);

	/* all-day: a DATE UNTIL, a UTC one */
	static const char *const day_rules[] = {
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20270317",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20270316",
		"FREQ=MONTHLY;BYDAY=4WE;UNTIL=20270324T000000Z",
		"FREQ=MONTHLY;UNTIL=20270328T120000Z",
		"FREQ=DAILY;UNTIL=20261027",
	};
	for (size_t ri = 0; ri < sizeof day_rules / sizeof *day_rules; ri++) {
		struct appointment a = {.id = 10, .uid = "day@test", .all_day = true,
		                        .start = utc("2026-10-28T00:00:00Z"),
		                        .end = utc("2026-10-29T00:00:00Z"), .rrule = day_rules[ri]};
		long long end = -1;
		struct err e = {0};
		assert_int_equal(recur_series_end(&a, &end, &e), 0);
		if (end != iterated_end(&a))
			fail_msg("all-day %s: end %lld, the iterator's %lld", day_rules[ri], end,
			         iterated_end(&a));
	}

	/* the values themselves: every other Wednesday 14:30 New York from 28
	 * October 2026 (EDT) to an UNTIL on the 17 March 2027 one (EDT again),
	 * or a second before it; an UNTIL before DTSTART: DTSTART's own */
	struct appointment a = {.id = 11, .uid = "wed@test", .start = utc("2026-10-28T18:30:00Z"),
	                        .end = utc("2026-10-28T19:15:00Z"), .tzid = "America/New_York",
	                        .rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20270317T183000Z"};
	long long end = -1;
	struct err e = {0};
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2027-03-17T19:15:00Z"));
	a.rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20270317T182959Z";
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2027-03-03T20:15:00Z"));   /* EST then */
	/* its last occurrence excluded: the series still ends with it */
	a.exdate = "20270303T193000Z";
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, utc("2027-03-03T20:15:00Z"));
	a.exdate = NULL;
	a.rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20261001T000000Z";
	assert_int_equal(recur_series_end(&a, &end, &e), 0);
	assert_int_equal(end, a.end);
}

static long long add(struct store *s, struct appointment *a)
{
	struct err e = {0};
	if (a->rrule || a->rdate)
		assert_int_equal(recur_series_end(a, &a->series_end, &e), 0);
	assert_int_equal(store_appt_add(s, a, &e), 0);
	return a->id;
}

static void test_range_with_overrides(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	struct patient p = {.family = "Series", .given = "Sam", .risk = "low"};
	struct patient q = {.family = "Other", .given = "Olga", .risk = "low"};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	assert_int_equal(store_patient_add(s, &q, &e), 0);

	struct appointment a = mondays("FREQ=WEEKLY;COUNT=6");
	a.patient_id = p.id;
	long long series = add(s, &a);
	/* 2 Nov moved to Tuesday 3 Nov 10:00; 16 Nov cancelled; 23 Nov moved
	 * far out of the range (to 20 Dec) */
	struct appointment moved = {.patient_id = p.id, .uid = "mon@test", .title = "Physio (moved)",
	                            .recurrence_id = "2026-11-02T14:00:00Z",
	                            .start = utc("2026-11-03T15:00:00Z"),
	                            .end = utc("2026-11-03T16:00:00Z")};
	struct appointment cancelled = {.patient_id = p.id, .uid = "mon@test", .title = "Physio",
	                                .recurrence_id = "2026-11-16T14:00:00Z",
	                                .start = utc("2026-11-16T14:00:00Z"),
	                                .end = utc("2026-11-16T15:00:00Z"), .status = "cancelled"};
	struct appointment away = {.patient_id = p.id, .uid = "mon@test", .title = "Physio",
	                           .recurrence_id = "2026-11-23T14:00:00Z",
	                           .start = utc("2026-12-20T14:00:00Z"),
	                           .end = utc("2026-12-20T15:00:00Z")};
	long long moved_id = add(s, &moved), cancelled_id = add(s, &cancelled);
	add(s, &away);
	/* an override whose series is not here stands alone; another patient's
	 * visit is not this patient's */
	struct appointment orphan = {.patient_id = p.id, .uid = "gone@test", .title = "Orphan",
	                             .recurrence_id = "2026-11-10T14:00:00Z",
	                             .start = utc("2026-11-10T14:00:00Z"),
	                             .end = utc("2026-11-10T14:30:00Z")};
	long long orphan_id = add(s, &orphan);
	struct appointment theirs = {.patient_id = q.id, .uid = "q@test", .title = "Theirs",
	                             .start = utc("2026-11-12T14:00:00Z"),
	                             .end = utc("2026-11-12T15:00:00Z")};
	long long theirs_id = add(s, &theirs);

	struct occurrence_list l = {0};
	assert_int_equal(recur_range(s, p.id, utc("2026-10-01T00:00:00Z"),
	                             utc("2026-12-01T00:00:00Z"), &l, &e), 0);
	assert_string_equal(starts(&l), "2026-10-26T13:00:00Z,2026-11-03T15:00:00Z,"
	                                "2026-11-09T14:00:00Z,2026-11-10T14:00:00Z,"
	                                "2026-11-16T14:00:00Z,2026-11-30T14:00:00Z");
	assert_int_equal(l.items[0].appt->id, series);
	assert_int_equal(l.items[1].appt->id, moved_id);
	assert_int_equal(l.items[1].original_start, utc("2026-11-02T14:00:00Z"));
	assert_int_equal(l.items[2].original_start, l.items[2].start);
	assert_int_equal(l.items[3].appt->id, orphan_id);
	assert_int_equal(l.items[4].appt->id, cancelled_id);
	assert_string_equal(l.items[4].appt->status, "cancelled");
	occurrence_list_free(&l);

	/* the moved-away one shows where it went; everyone's includes theirs */
	assert_int_equal(recur_range(s, 0, utc("2026-11-12T00:00:00Z"),
	                             utc("2026-12-31T00:00:00Z"), &l, &e), 0);
	assert_string_equal(starts(&l), "2026-11-12T14:00:00Z,2026-11-16T14:00:00Z,"
	                                "2026-11-30T14:00:00Z,2026-12-20T14:00:00Z");
	assert_int_equal(l.items[0].appt->id, theirs_id);
	assert_int_equal(l.items[3].original_start, utc("2026-11-23T14:00:00Z"));
	occurrence_list_free(&l);

	/* after the series' end nothing of it is a candidate */
	assert_int_equal(recur_range(s, p.id, utc("2027-01-01T00:00:00Z"),
	                             utc("2027-02-01T00:00:00Z"), &l, &e), 0);
	assert_int_equal(l.len, 0);
	assert_int_equal(l.rows.len, 0);
	occurrence_list_free(&l);
}

static int stop_after_three(void *ctx, const struct occurrence *o)
{
	int *n = ctx;
	(void)o;
	return ++*n == 3 ? 1 : 0;
}

/* A positive return ends recur_each early, without an error: the screen's
 * agenda reads a busy day a page at a time.  Both while the series' and
 * the single events are merged, and among the series alone. */
static void test_each_stops(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	struct appointment a = mondays("FREQ=WEEKLY;COUNT=6");
	add(s, &a);
	struct appointment one = {.uid = "one@test", .title = "Single",
	                          .start = utc("2026-11-03T15:00:00Z"), .end = utc("2026-11-03T16:00:00Z")};
	add(s, &one);
	int n = 0;
	assert_int_equal(recur_each(s, 0, utc("2026-10-01T00:00:00Z"), utc("2026-12-31T00:00:00Z"),
	                            stop_after_three, &n, &e), 0);
	assert_int_equal(n, 3);        /* the third was the last handed on */
	n = 0;
	assert_int_equal(recur_each(s, 0, utc("2026-11-15T00:00:00Z"), utc("2026-12-31T00:00:00Z"),
	                            stop_after_three, &n, &e), 0);
	assert_int_equal(n, 3);        /* 16, 23 and 30 Nov: no single event there */
}

/* The agenda's walk expands each series a week at a time and merges them
 * with the single events: the same occurrences, each once, in the same
 * order as each row expanded over the whole range at once and sorted.
 * Series of several days (crossing the weeks), with COUNT (no jump), open
 * ones, all-day ones, one begun long before the range, and single events
 * across its start. */
static void test_range_windows(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	static const struct {
		const char *rrule, *start, *end;
		int all_day;
	} rows[] = {
		{"FREQ=DAILY;INTERVAL=2", "2026-10-30T22:00:00Z", "2026-11-02T09:00:00Z", 0},
		{"FREQ=WEEKLY;BYDAY=TU,TH;COUNT=12", "2026-11-03T15:00:00Z", "2026-11-03T16:00:00Z", 0},
		{"FREQ=MONTHLY;BYDAY=2WE", "2025-01-08T14:00:00Z", "2025-01-08T15:30:00Z", 0},
		{"FREQ=DAILY", "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", 1},
		{"FREQ=WEEKLY;INTERVAL=3", "2026-06-01T12:00:00Z", "2026-06-09T12:00:00Z", 0},
		{"FREQ=DAILY;COUNT=40", "2026-10-25T07:00:00Z", "2026-10-25T07:00:00Z", 0},
		{NULL, "2026-10-31T20:00:00Z", "2026-11-01T02:00:00Z", 0},
		{NULL, "2026-11-15T14:00:00Z", "2026-11-15T14:00:00Z", 0},
		{NULL, "2026-12-07T14:00:00Z", "2026-12-07T15:00:00Z", 0},
		{NULL, "2026-12-31T14:00:00Z", "2026-12-31T15:00:00Z", 0},
	};
	struct appointment a[sizeof rows / sizeof rows[0]];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char uid[32];
		snprintf(uid, sizeof uid, "w%zu@test", i);
		a[i] = (struct appointment){.uid = uid, .title = "Visit", .tzid = "America/New_York",
		                            .rrule = rows[i].rrule, .all_day = rows[i].all_day,
		                            .start = utc(rows[i].start), .end = utc(rows[i].end)};
		add(s, &a[i]);
		a[i].uid = NULL;   /* the stack buffer is gone */
	}
	/* and many more single events, between the series' occurrences */
	struct appointment more[150];
	for (int i = 0; i < 150; i++) {
		more[i] = (struct appointment){.uid = "", .title = "Call", .tzid = "America/New_York",
		                               .start = utc("2026-11-02T13:00:00Z") + i * 9 * 3600LL};
		more[i].end = more[i].start + 1800;
		char uid[32];
		snprintf(uid, sizeof uid, "m%d@test", i);
		more[i].uid = uid;
		add(s, &more[i]);
		more[i].uid = NULL;
	}
	long long from = utc("2026-11-01T05:00:00Z"), to = utc("2026-12-31T05:00:00Z");
	struct occurrence_list got = {0}, want = {0};
	assert_int_equal(recur_range(s, 0, from, to, &got, &e), 0);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(recur_expand(&a[i], from, to, &want, &e), 0);
	for (size_t i = 0; i < 150; i++)
		assert_int_equal(recur_expand(&more[i], from, to, &want, &e), 0);
	assert_true(want.len > 210);
	assert_int_equal(got.len, want.len);
	/* each of want once in got, and got in time order */
	for (size_t i = 0; i < want.len; i++) {
		size_t n = 0;
		for (size_t k = 0; k < got.len; k++)
			n += got.items[k].start == want.items[i].start &&
			     got.items[k].appt->id == want.items[i].appt->id &&
			     got.items[k].end == want.items[i].end;
		assert_int_equal(n, 1);
	}
	for (size_t k = 1; k < got.len; k++)
		assert_true(got.items[k - 1].start < got.items[k].start ||
		            (got.items[k - 1].start == got.items[k].start &&
		             got.items[k - 1].appt->id < got.items[k].appt->id));
	occurrence_list_free(&got);
	occurrence_list_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_series),
		cmocka_unit_test(test_exdate_rdate),
		cmocka_unit_test(test_open_ended),
		cmocka_unit_test(test_skipped_time),
		cmocka_unit_test(test_until_end),
		cmocka_unit_test_setup_teardown(test_range_with_overrides, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_each_stops, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_range_windows, fixture_store_setup,
		                                fixture_store_teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tz_shutdown();
	return rc;
}
