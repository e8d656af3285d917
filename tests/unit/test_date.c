/* Unit tests: civil dates, friendly parsing, business days, holidays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "caseload/date.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_friendly),
		cmocka_unit_test(test_business_days),
		cmocka_unit_test(test_federal_holidays),
		cmocka_unit_test(test_times_and_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
