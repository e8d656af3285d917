/* Unit tests: civil dates, friendly parsing, business days, holidays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/tz.h"

static int D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static const char *fmt(int days)
{
	static char buf[DATE_STRLEN];
	return date_format(days, buf);
}

static void test_round_trip(void **state)
{
	(void)state;
	assert_int_equal(D(1970, 1, 1), 0);
	assert_int_equal(D(2000, 3, 1), 11017);
	for (int d = -800000; d < 800000; d += 997) {
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(D(y, m, dd), d);
	}
	assert_string_equal(fmt(D(2026, 11, 24)), "2026-11-24");
	assert_int_equal(date_weekday(D(2026, 11, 24)), 2);   /* a Tuesday */
	assert_int_equal(date_weekday(D(1969, 12, 31)), 3);
}

static void test_iso(void **state)
{
	(void)state;
	int d;
	assert_int_equal(date_parse_iso("2024-02-29", &d), 0);
	assert_int_equal(d, D(2024, 2, 29));
	assert_int_equal(date_parse_iso("2023-02-29", &d), -1);
	assert_int_equal(date_parse_iso("2026-13-01", &d), -1);
	assert_int_equal(date_parse_iso("2026-1-01", &d), -1);
	assert_int_equal(date_parse_iso("2026-01-01x", &d), -1);
}

static void test_months(void **state)
{
	(void)state;
	assert_string_equal(fmt(date_add_months(D(2026, 1, 31), 1)), "2026-02-28");
	assert_string_equal(fmt(date_add_months(D(2028, 1, 31), 1)), "2028-02-29");
	assert_string_equal(fmt(date_add_months(D(2026, 11, 30), 3)), "2027-02-28");
	assert_string_equal(fmt(date_add_months(D(2026, 3, 15), -3)), "2025-12-15");
}

static void test_friendly(void **state)
{
	(void)state;
	struct holidays h = {.us_federal = true};
	struct err e;
	int today = D(2026, 11, 24), d;   /* Tuesday */
	struct {
		const char *in, *want;
	} cases[] = {
		{"today", "2026-11-24"}, {"tomorrow", "2026-11-25"}, {"Yesterday", "2026-11-23"},
		{"fri", "2026-11-27"}, {"tue", "2026-12-01"}, {"monday", "2026-11-30"},
		{"+3d", "2026-11-27"}, {"-2d", "2026-11-22"}, {"+2w", "2026-12-08"},
		{"+1mo", "2026-12-24"}, {"+1y", "2027-11-24"}, {"2026-12-01", "2026-12-01"},
		/* Wed 25, Thanksgiving Thu 26, Fri 27, Mon 30 */
		{"+2bd", "2026-11-27"}, {"+3bd", "2026-11-30"}, {"+0bd", "2026-11-24"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(date_parse(cases[i].in, today, &h, &d, &e), 0);
		assert_string_equal(fmt(d), cases[i].want);
	}
	assert_int_equal(date_parse("someday", today, &h, &d, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'someday' is not a date"));
	assert_int_equal(date_parse("+3x", today, &h, &d, &e), ERR_USAGE);
	assert_int_equal(date_parse("2026-02-30", today, &h, &d, &e), ERR_USAGE);
	assert_int_equal(date_parse("3d", today, &h, &d, &e), ERR_USAGE);   /* a date's needs a sign */
	assert_int_equal(date_parse("Sunday", today, &h, &d, &e), 0);
	assert_string_equal(fmt(d), "2026-11-29");
}

/* "next fri", "next week", "end of month": weeks run Monday to Sunday. */
static void test_friendly_phrases(void **state)
{
	(void)state;
	struct err e;
	int d;
	struct {
		const char *in, *today, *want;
	} cases[] = {
		/* from Tuesday 2026-11-24: next week's Monday is the 30th */
		{"next week", "2026-11-24", "2026-11-30"}, {"next mon", "2026-11-24", "2026-11-30"},
		{"next fri", "2026-11-24", "2026-12-04"}, {"Next Friday", "2026-11-24", "2026-12-04"},
		{"next tue", "2026-11-24", "2026-12-01"}, {"next sun", "2026-11-24", "2026-12-06"},
		{"next  wed", "2026-11-24", "2026-12-02"},
		/* from a Sunday, the week ends that day: next week begins tomorrow */
		{"next week", "2026-11-29", "2026-11-30"}, {"next sun", "2026-11-29", "2026-12-06"},
		/* from a Monday, not today */
		{"next week", "2026-11-30", "2026-12-07"}, {"next mon", "2026-11-30", "2026-12-07"},
		/* every weekday lands in next week, in order */
		{"next thursday", "2026-11-24", "2026-12-03"}, {"next sat", "2026-11-24", "2026-12-05"},
		{"end of month", "2026-11-24", "2026-11-30"}, {"End Of Month", "2026-11-30", "2026-11-30"},
		{"end of month", "2024-02-03", "2024-02-29"}, {"end of month", "2026-12-31", "2026-12-31"},
		{"eom", "2026-01-01", "2026-01-31"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int today;
		assert_int_equal(date_parse_iso(cases[i].today, &today), 0);
		assert_int_equal(date_parse(cases[i].in, today, NULL, &d, &e), 0);
		assert_string_equal(fmt(d), cases[i].want);
	}
	const char *bad[] = {"next", "next month", "next fry", "end of week", "next fri 10:00"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(date_parse(bad[i], D(2026, 11, 24), NULL, &d, &e), ERR_USAGE);
		assert_non_null(strstr(e.msg, "is not a date"));
	}
	/* near the calendar's end, a phrase is refused like a word */
	assert_int_equal(date_parse("next week", D(2200, 12, 31), NULL, &d, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "leaves the years"));
	/* with a time, and without */
	int m;
	assert_int_equal(datetime_parse("next fri 14:00", D(2026, 11, 24), NULL, &d, &m, &e), 0);
	assert_string_equal(fmt(d), "2026-12-04");
	assert_int_equal(m, 14 * 60);
	assert_int_equal(datetime_parse("end of month", D(2026, 11, 24), NULL, &d, &m, &e), 0);
	assert_string_equal(fmt(d), "2026-11-30");
	assert_int_equal(m, -1);
	assert_int_equal(datetime_parse("next fri 25:00", D(2026, 11, 24), NULL, &d, &m, &e), ERR_USAGE);
}

/* Every unit, forwards and back, from a base date. */
static const char *apply(const char *text, int base)
{
	static const struct holidays us = {.us_federal = true};
	struct date_offset o;
	struct err e = {0};
	int d = 0;
	assert_int_equal(date_offset_parse(text, &o, &e), 0);
	assert_int_equal(date_offset_apply(o, base, &us, &d), 0);
	return fmt(d);
}

static void test_offsets(void **state)
{
	(void)state;
	struct {
		const char *text, *base, *want;
	} cases[] = {
		{"+0d", "2026-11-24", "2026-11-24"}, {"+3d", "2026-12-30", "2027-01-02"},
		{"-3d", "2027-01-02", "2026-12-30"}, {"7d", "2026-11-24", "2026-12-01"},
		{"+2w", "2026-12-24", "2027-01-07"}, {"-1w", "2026-03-04", "2026-02-25"},
		/* month ends clamp, February in leap years and not */
		{"+1mo", "2027-01-31", "2027-02-28"}, {"+1mo", "2028-01-31", "2028-02-29"},
		{"+1MO", "2026-03-31", "2026-04-30"}, {"-1mo", "2026-03-31", "2026-02-28"},
		{"+13mo", "2026-01-31", "2027-02-28"}, {"-14mo", "2026-03-15", "2025-01-15"},
		{"+1y", "2028-02-29", "2029-02-28"}, {"-4y", "2028-02-29", "2024-02-29"},
		{"-100y", "2000-03-01", "1900-03-01"},
		/* business days: Thanksgiving 2026-11-26 and the weekend skipped,
		 * Christmas (Friday) and New Year's Day (Friday) 2027 */
		{"+2bd", "2026-11-24", "2026-11-27"}, {"+3BD", "2026-11-24", "2026-11-30"},
		{"+1bd", "2026-11-25", "2026-11-27"}, {"-1bd", "2026-11-27", "2026-11-25"},
		{"+1bd", "2026-12-24", "2026-12-28"}, {"+4bd", "2026-12-28", "2027-01-04"},
		{"+0bd", "2026-11-28", "2026-11-28"}, {"+1bd", "2026-10-30", "2026-11-02"},
		/* the calendar's ends are in it */
		{"+1d", "2200-12-30", "2200-12-31"}, {"-1d", "1900-01-02", "1900-01-01"},
		{"+199y", "2001-12-31", "2200-12-31"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int base;
		assert_int_equal(date_parse_iso(cases[i].base, &base), 0);
		if (strcmp(apply(cases[i].text, base), cases[i].want))
			fail_msg("%s from %s: %s, not %s", cases[i].text, cases[i].base,
			         apply(cases[i].text, base), cases[i].want);
	}
	struct date_offset o;
	struct err e = {0};
	char buf[DATE_OFFSET_STRLEN];
	assert_int_equal(date_offset_parse("+2BD", &o, &e), 0);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.unit, DATE_BDAYS);
	assert_string_equal(date_offset_format(o, buf), "+2bd");
	assert_int_equal(date_offset_parse("-3mo", &o, &e), 0);
	assert_string_equal(date_offset_format(o, buf), "-3mo");
	assert_int_equal(date_offset_parse("0w", &o, &e), 0);
	assert_string_equal(date_offset_format(o, buf), "+0w");
	static const char *const bad[] = {"", "+", "-", "d", "+d", "+3", "+3x", "+3 d", " +3d",
	                                  "+3d ", "++3d", "+-3d", "+3dd", "+3b", "+0x10d", "+3.5d"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(date_offset_parse(bad[i], &o, &e), ERR_USAGE);
		if (!strstr(e.msg, "is not an offset"))
			fail_msg("'%s': %s", bad[i], e.msg);
	}
}

/* Dates people type run from 1900-01-01 to 2200-12-31: offsets and dates
 * beyond are refused, naming the text, however large the number (found by
 * fuzzing: -32167mo read past an array and the release build stored
 * -974-10-31; +100000y was stored as today). */
static void test_bounds(void **state)
{
	(void)state;
	struct holidays h = {.us_federal = true};
	struct err e;
	int today = D(2026, 11, 24), d = 12345;
	/* from Tue 2026-11-24: the last day in each unit, and one past it */
	static const struct {
		const char *in, *want;
	} edge[] = {
		{"+63589d", "2200-12-31"}, {"-46348d", "1900-01-01"}, {"+9084w", "2200-12-30"},
		{"-6621w", "1900-01-02"}, {"+2089mo", "2200-12-24"}, {"-1522mo", "1900-01-24"},
		{"+174y", "2200-11-24"}, {"-126Y", "1900-11-24"}, {"2200-12-31", "2200-12-31"},
		{"1900-01-01", "1900-01-01"},
	};
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		assert_int_equal(date_parse(edge[i].in, today, &h, &d, &e), 0);
		assert_string_equal(fmt(d), edge[i].want);
	}
	static const char *const far[] = {
		/* the fuzzer's reproducers and the field notes' */
		"-32167mo", "-83407mo", "+100000y", "-100000w", "-3000y",
		/* one past each end, in every unit */
		"+63590d", "-46349d", "+9085w", "-6622w", "+2090mo", "-1523mo", "+175y", "-127y",
		"+44000bd", "-33000bd",
		/* huge, and past an int */
		"+99999999999d", "-99999999999w", "+99999999999mo", "-99999999999y",
		"+99999999999bd", "+99999999999999999999d", "+2147483647d", "+2147483648d",
		"-2147483648mo", "-2147483649mo", "+4294967297y", "+2958466d",
	};
	d = 12345;
	for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
		assert_int_equal(date_parse(far[i], today, &h, &d, &e), ERR_USAGE);
		char want[128];
		snprintf(want, sizeof want, "'%s' leaves the years 1900-2200", far[i]);
		assert_string_equal(e.msg, want);
		assert_int_equal(d, 12345);   /* untouched */
		struct date_offset o;
		assert_int_equal(date_offset_parse(far[i], &o, &e) == 0 &&
		                 date_offset_apply(o, today, &h, &d) == 0, 0);
		assert_int_equal(d, 12345);
	}
	static const char *const outside[] = {"2201-01-01", "1899-12-31", "0001-01-01", "9999-12-31"};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		assert_int_equal(date_parse(outside[i], today, &h, &d, &e), ERR_USAGE);
		char want[128];
		snprintf(want, sizeof want, "'%s' is outside the years 1900-2200", outside[i]);
		assert_string_equal(e.msg, want);
	}
	/* words and weekdays near the ends */
	assert_int_equal(date_parse("tomorrow", D(2200, 12, 31), &h, &d, &e), ERR_USAGE);
	assert_string_equal(e.msg, "'tomorrow' leaves the years 1900-2200");
	assert_int_equal(date_parse("yesterday", D(1900, 1, 1), &h, &d, &e), ERR_USAGE);
	assert_int_equal(date_parse("fri", D(2200, 12, 31), &h, &d, &e), ERR_USAGE);
	assert_int_equal(date_parse("today", D(2200, 12, 31), &h, &d, &e), 0);
	/* with a time of day the range message stays */
	int minutes;
	assert_int_equal(datetime_parse("+175y 09:00", today, &h, &d, &minutes, &e), ERR_USAGE);
	assert_string_equal(e.msg, "'+175y' leaves the years 1900-2200");
	assert_int_equal(datetime_parse("2200-12-31 23:59", today, &h, &d, &minutes, &e), 0);
	assert_string_equal(fmt(d), "2200-12-31");

	/* applying checks the result, and the base */
	struct date_offset o = {1, DATE_DAYS};
	assert_int_equal(date_offset_apply(o, D(2200, 12, 31), &h, &d), -1);
	o.unit = DATE_BDAYS;
	assert_int_equal(date_offset_apply(o, D(2200, 12, 31), &h, &d), -1);
	/* Wed 2200-12-31 is a business day, Tue 30 + 1 lands on it */
	assert_int_equal(date_offset_apply(o, D(2200, 12, 30), &h, &d), 0);
	assert_string_equal(fmt(d), "2200-12-31");
	assert_int_equal(date_offset_apply(o, D(2201, 1, 3), &h, &d), -1);
	o = (struct date_offset){-1, DATE_MONTHS};
	assert_int_equal(date_offset_apply(o, D(1900, 1, 31), &h, &d), -1);
	o = (struct date_offset){2147483647, DATE_YEARS};
	assert_int_equal(date_offset_apply(o, today, &h, &d), -1);
	o = (struct date_offset){-2147483647 - 1, DATE_WEEKS};
	assert_int_equal(date_offset_apply(o, today, &h, &d), -1);
	o = (struct date_offset){2147483647, DATE_BDAYS};
	assert_int_equal(date_offset_apply(o, today, &h, &d), -1);
	o = (struct date_offset){-2147483647 - 1, DATE_MONTHS};
	assert_int_equal(date_offset_apply(o, today, &h, &d), -1);
	assert_true(date_in_range(D(1900, 1, 1)));
	assert_true(date_in_range(D(2200, 12, 31)));
	assert_false(date_in_range(D(1899, 12, 31)));
	assert_false(date_in_range(D(2201, 1, 1)));
	assert_false(date_in_range(DATE_NONE));
	/* months far out no longer index outside the month table */
	assert_string_equal(fmt(date_add_months(D(2026, 11, 24), -32167)), "-654-04-24");
}

/* A long or dirty argument is shown cut and cleaned in the message. */
static void test_message_argument(void **state)
{
	(void)state;
	struct err e;
	int d;
	char big[4096];
	memset(big, '9', sizeof big - 1);
	big[0] = '+';
	big[sizeof big - 2] = 'd';
	big[sizeof big - 1] = '\0';
	assert_int_equal(date_parse(big, D(2026, 11, 24), NULL, &d, &e), ERR_USAGE);
	assert_string_equal(e.msg, "'+99999999999999999999999999999999999999…' leaves the years "
	                           "1900-2200");
	assert_int_equal(date_parse("\x1b]0;x\x07zz\xff", D(2026, 11, 24), NULL, &d, &e), ERR_USAGE);
	assert_string_equal(e.msg, "'zz\xef\xbf\xbd' is not a date (try 2026-12-01, today, "
	                           "tomorrow, fri, next fri, next week, end of month, +3d, +2w, "
	                           "+1mo, +2bd)");
}

static void test_names(void **state)
{
	(void)state;
	static const char *const abbr[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	for (int w = 0; w < 7; w++) {
		assert_string_equal(date_weekday_abbr(w), abbr[w]);
		assert_memory_equal(date_weekday_name(w), abbr[w], 3);
		/* and the parser reads both back */
		struct err e;
		int d;
		assert_int_equal(date_parse(date_weekday_name(w), D(2026, 11, 24), NULL, &d, &e), 0);
		assert_int_equal(date_weekday(d), w);
		assert_int_equal(date_parse(date_weekday_abbr(w), D(2026, 11, 24), NULL, &d, &e), 0);
		assert_int_equal(date_weekday(d), w);
	}
	assert_string_equal(date_weekday_name(3), "Wednesday");
	assert_string_equal(date_weekday_abbr(7), "?");
	assert_string_equal(date_weekday_abbr(-1), "?");
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	                                  "Aug", "Sep", "Oct", "Nov", "Dec"};
	for (int m = 1; m <= 12; m++) {
		assert_string_equal(date_month_abbr(m), mon[m - 1]);
		assert_memory_equal(date_month_name(m), mon[m - 1], 3);
	}
	assert_string_equal(date_month_name(9), "September");
	assert_string_equal(date_month_abbr(0), "?");
	assert_string_equal(date_month_name(13), "?");
}

/* Instants and days: UTC midnights, and local midnights across DST. */
static void test_days_and_instants(void **state)
{
	(void)state;
	assert_int_equal(DAY_SECONDS, 24 * 60 * 60);
	assert_int_equal(date_of_utc(0), 0);
	assert_int_equal(date_of_utc(DAY_SECONDS - 1), 0);
	assert_int_equal(date_of_utc(-1), -1);
	assert_int_equal(date_of_utc(-DAY_SECONDS), -1);
	assert_int_equal(date_of_utc(-DAY_SECONDS - 1), -2);
	assert_int_equal(date_utc_midnight(D(2026, 11, 24)), 1795478400LL);
	for (int d = D(1900, 1, 1); d < D(2100, 1, 1); d += 101) {
		assert_int_equal(date_of_utc(date_utc_midnight(d)), d);
		assert_int_equal(date_of_utc(date_utc_midnight(d) + DAY_SECONDS - 1), d);
	}

	/* New York springs forward on 2026-03-08 at 02:00: a 23-hour day */
	const char *ny = "America/New_York";
	long long m7 = tz_local_midnight(ny, D(2026, 3, 7)), m8 = tz_local_midnight(ny, D(2026, 3, 8)),
	          m9 = tz_local_midnight(ny, D(2026, 3, 9));
	assert_int_equal(m8, date_utc_midnight(D(2026, 3, 8)) + 5 * 3600);
	assert_int_equal(m8 - m7, 24 * 3600);
	assert_int_equal(m9 - m8, 23 * 3600);
	/* and falls back on 2026-11-01: a 25-hour day */
	assert_int_equal(tz_local_midnight(ny, D(2026, 11, 2)) - tz_local_midnight(ny, D(2026, 11, 1)),
	                 25 * 3600);
	assert_int_equal(tz_local_date(ny, m9 - 1), D(2026, 3, 8));
	/* a time the change skips moves forward (02:30 is 03:30 EDT), a
	 * repeated one takes standard time (01:30 EST in the autumn) */
	long long u;
	struct err te;
	assert_int_equal(tz_local_to_utc(ny, D(2026, 3, 8), 150, &u, &te), 0);
	assert_int_equal(u, date_utc_midnight(D(2026, 3, 8)) + 7 * 3600 + 1800);
	assert_int_equal(tz_local_to_utc(ny, D(2026, 3, 8), 180, &u, &te), 0);
	assert_int_equal(u, date_utc_midnight(D(2026, 3, 8)) + 7 * 3600);
	assert_int_equal(tz_local_to_utc(ny, D(2026, 11, 1), 90, &u, &te), 0);
	assert_int_equal(u, date_utc_midnight(D(2026, 11, 1)) + 6 * 3600 + 1800);
	assert_int_equal(tz_local_date(ny, m9), D(2026, 3, 9));
	/* Havana skips midnight itself (00:00 becomes 01:00 on 2026-03-08):
	 * the day begins at the first instant after the gap */
	long long h8 = tz_local_midnight("America/Havana", D(2026, 3, 8));
	assert_int_equal(h8, date_utc_midnight(D(2026, 3, 8)) + 5 * 3600);
	assert_int_equal(tz_local_date("America/Havana", h8), D(2026, 3, 8));
	assert_int_equal(tz_local_date("America/Havana", h8 - 1), D(2026, 3, 7));
	/* Tokyo is ahead of UTC: its day begins the evening before in UTC */
	assert_int_equal(tz_local_midnight("Asia/Tokyo", D(2026, 11, 24)),
	                 date_utc_midnight(D(2026, 11, 24)) - 9 * 3600);
	/* an unknown zone counts as UTC; UTC is UTC */
	assert_int_equal(tz_local_midnight("Nowhere/Else", D(2026, 11, 24)),
	                 date_utc_midnight(D(2026, 11, 24)));
	assert_int_equal(tz_local_midnight(NULL, D(2026, 11, 24)), date_utc_midnight(D(2026, 11, 24)));
	assert_int_equal(tz_local_date("Nowhere/Else", -1), -1);

	/* today: pinned (checked, in the calendar) or the zone's */
	struct err e;
	int d;
	assert_int_equal(tz_today("2026-11-24", "UTC", &d, &e), 0);
	assert_int_equal(d, D(2026, 11, 24));
	assert_int_equal(tz_today("2026-11-31", "UTC", &d, &e), ERR_USAGE);
	assert_int_equal(tz_today("1000-01-01", "UTC", &d, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'1000-01-01'"));
	assert_int_equal(tz_today(NULL, "UTC", &d, &e), 0);
	assert_true(date_in_range(d));
	tz_shutdown();
}

static void test_business_days(void **state)
{
	(void)state;
	struct holidays none = {0}, us = {.us_federal = true};
	/* Friday + 1 business day is Monday */
	assert_string_equal(fmt(date_add_business_days(&none, D(2026, 11, 20), 1)), "2026-11-23");
	/* across a weekend, two days from Friday is Tuesday */
	assert_string_equal(fmt(date_add_business_days(&none, D(2026, 11, 20), 2)), "2026-11-24");
	/* Saturday start */
	assert_string_equal(fmt(date_add_business_days(&none, D(2026, 11, 21), 1)), "2026-11-23");
	/* Christmas 2026 is a Friday: Thu 24 + 1 business day is Mon 28 */
	assert_string_equal(fmt(date_add_business_days(&us, D(2026, 12, 24), 1)), "2026-12-28");
	assert_string_equal(fmt(date_add_business_days(&us, D(2026, 11, 30), -2)), "2026-11-25");
	assert_int_equal(date_business_days_between(&none, D(2026, 11, 20), D(2026, 11, 24)), 2);
	int extra[] = {D(2026, 11, 23)};
	struct holidays custom = {.extra = extra, .n_extra = 1};
	assert_string_equal(fmt(date_add_business_days(&custom, D(2026, 11, 20), 1)), "2026-11-24");
}

static void test_federal_holidays(void **state)
{
	(void)state;
	int list[12];
	int n = date_us_federal_holidays(2026, list);
	const char *want[] = {"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25",
	                      "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12",
	                      "2026-11-11", "2026-11-26", "2026-12-25"};
	assert_int_equal(n, 11);
	for (int i = 0; i < n; i++)
		assert_string_equal(fmt(list[i]), want[i]);
	/* 2022: New Year's Day 2022 was a Saturday, observed Fri 2021-12-31 */
	n = date_us_federal_holidays(2021, list);
	assert_string_equal(fmt(list[n - 1]), "2021-12-31");
	struct holidays us = {.us_federal = true};
	assert_true(date_is_holiday(&us, D(2027, 7, 5)));   /* July 4th 2027 is a Sunday */
	assert_false(date_is_business_day(&us, D(2026, 11, 26)));
	assert_true(date_is_business_day(&us, D(2026, 11, 27)));
}

static void test_times_and_durations(void **state)
{
	(void)state;
	struct err e;
	int m, d;
	assert_int_equal(time_parse("09:30", &m, &e), 0);
	assert_int_equal(m, 570);
	assert_int_equal(time_parse("9:05", &m, &e), 0);
	assert_int_equal(m, 545);
	assert_int_equal(time_parse("24:00", &m, &e), ERR_USAGE);
	assert_int_equal(time_parse("9:5", &m, &e), ERR_USAGE);
	assert_int_equal(duration_parse("45m", &m, &e), 0);
	assert_int_equal(m, 45);
	assert_int_equal(duration_parse("1h30m", &m, &e), 0);
	assert_int_equal(m, 90);
	assert_int_equal(duration_parse("2h", &m, &e), 0);
	assert_int_equal(m, 120);
	assert_int_equal(duration_parse("0m", &m, &e), ERR_USAGE);
	assert_int_equal(duration_parse("abc", &m, &e), ERR_USAGE);
	assert_int_equal(datetime_parse("2026-11-27 09:30", D(2026, 11, 24), NULL, &d, &m, &e), 0);
	assert_string_equal(fmt(d), "2026-11-27");
	assert_int_equal(m, 570);
	assert_int_equal(datetime_parse("fri 14:00", D(2026, 11, 24), NULL, &d, &m, &e), 0);
	assert_string_equal(fmt(d), "2026-11-27");
	assert_int_equal(datetime_parse("2026-11-27T08:00", D(2026, 11, 24), NULL, &d, &m, &e), 0);
	assert_int_equal(m, 480);
	assert_int_equal(datetime_parse("tomorrow", D(2026, 11, 24), NULL, &d, &m, &e), 0);
	assert_int_equal(m, -1);
	assert_int_equal(datetime_parse("2026-11-27 9h", D(2026, 11, 24), NULL, &d, &m, &e), ERR_USAGE);
}

/* The screen's one way to show a date, and a date with a time. */
static void test_show(void **state)
{
	(void)state;
	char out[DATE_SHOW_STRLEN];
	int today = date_from_ymd(2026, 11, 24);
	assert_string_equal(date_show(date_from_ymd(2026, 12, 7), today, out), "Mon 7 Dec");
	assert_string_equal(date_show(date_from_ymd(2027, 1, 4), today, out), "Mon 4 Jan 2027");
	assert_string_equal(date_show(date_from_ymd(2025, 12, 24), today, out), "Wed 24 Dec 2025");
	assert_string_equal(date_show(DATE_NONE, today, out), "");
	assert_string_equal(date_show_time(date_from_ymd(2026, 12, 7), 14 * 60 + 5, today, out),
	                    "Mon 7 Dec 14:05");
	assert_string_equal(date_show_time(date_from_ymd(2026, 12, 7), -1, today, out), "Mon 7 Dec");
	/* stored ISO text: shown as the screen shows dates, or kept */
	assert_string_equal(date_show_iso("2026-12-20", today, out), "Sun 20 Dec");
	assert_string_equal(date_show_iso("2026-12-20", DATE_NONE, out), "2026-12-20");
	assert_string_equal(date_show_iso("soon", today, out), "soon");
	assert_null(date_show_iso(NULL, today, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_friendly),
		cmocka_unit_test(test_friendly_phrases),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_message_argument),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_days_and_instants),
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_federal_holidays),
		cmocka_unit_test(test_times_and_durations),
		cmocka_unit_test(test_show),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
