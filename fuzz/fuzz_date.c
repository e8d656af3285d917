/* fuzz_date: the dates and times people type (--due, --start, --alarms,
 * the forms): date_parse, datetime_parse, time_parse, duration_parse,
 * the offsets, strict ISO dates, UTC instants and export alarms ("1d,2h"),
 * from an ordinary today and from the calendar's first
 * and last days.  Checks what date.h promises: a date accepted prints as
 * an ISO date that reads back as itself, and is in the calendar. */
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/tz.h"
#include "harness.h"

static void check_iso(int day, const char *input)
{
	char iso[DATE_STRLEN];
	int back;
	if (date_parse_iso(date_format(day, iso), &back) < 0 || back != day)
		fuzz_fail("an accepted date does not print as itself", input);
}

/* date_parse_iso is strict about the form, not the years (its callers
 * check date_in_range); every other parser keeps to the calendar. */
static void check_date(int day, const char *input)
{
	if (!date_in_range(day))
		fuzz_fail("a date outside the calendar accepted", input);
	check_iso(day, input);
}

static void check_offset(const char *s, const struct holidays *h, const int *bases, size_t n)
{
	struct date_offset o;
	struct err e = {0};
	if (date_offset_parse(s, &o, &e) < 0)
		return;
	char text[DATE_OFFSET_STRLEN];
	struct date_offset back;
	if (date_offset_parse(date_offset_format(o, text), &back, &e) < 0 || back.n != o.n ||
	    back.unit != o.unit)
		fuzz_fail("an offset does not print as itself", s);
	for (size_t i = 0; i < n; i++) {
		int day;
		if (date_offset_apply(o, bases[i], h, &day) == 0)
			check_date(day, s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	int extra[] = {date_from_ymd(2026, 12, 24), date_from_ymd(2027, 1, 4)};
	struct holidays h = {.us_federal = true, .extra = extra, .n_extra = 2};
	const int todays[] = {date_from_ymd(2026, 11, 24), date_from_ymd(DATE_FIRST_YEAR, 1, 1),
	                      date_from_ymd(DATE_LAST_YEAR, 12, 31)};
	const size_t n = sizeof todays / sizeof todays[0];
	for (size_t i = 0; i < n; i++) {
		struct err e = {0};
		int day, minutes;
		if (date_parse(s, todays[i], &h, &day, &e) == 0)
			check_date(day, s);
		if (datetime_parse(s, todays[i], &h, &day, &minutes, &e) == 0) {
			check_date(day, s);
			if (minutes < -1 || minutes >= 24 * 60)
				fuzz_fail("a time of day outside the day", s);
		}
	}
	struct err e = {0};
	int v;
	if (time_parse(s, &v, &e) == 0 && (v < 0 || v >= 24 * 60))
		fuzz_fail("a time of day outside the day", s);
	if (duration_parse(s, &v, &e) == 0 && v <= 0)
		fuzz_fail("a duration of no time", s);
	if (date_parse_iso(s, &v) == 0)
		check_iso(v, s);
	check_offset(s, &h, todays, n);
	long long utc, again;    /* (a leap second, :60, reads as the next minute) */
	char text[21];
	if (tz_parse_utc(s, &utc) == 0 &&
	    (tz_parse_utc(tz_format_utc(utc, text), &again) < 0 || again != utc))
		fuzz_fail("an instant does not print as itself", s);
	int *alarms, n_alarms;
	if (ical_parse_alarms(s, &alarms, &n_alarms, &e) == 0) {
		for (int i = 0; i < n_alarms; i++)
			if (alarms[i] < 0 || alarms[i] > 4 * 7 * 24 * 60)
				fuzz_fail("an alarm more than four weeks before", s);
		free(alarms);
	}
	free(s);
	return 0;
}
