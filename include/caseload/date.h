/* date: civil dates (days since 1970-01-01), the calendar's vocabulary
 * (weekday and month names, the length of a day), offsets ("+3d", "+2bd")
 * and friendly date parsing ("today", "fri", "+2bd", "2026-12-01"), times
 * of day, durations, and business days that skip weekends and holidays (US
 * federal by default).  Nothing here knows time zones: tz.h builds on this. */
#ifndef CASELOAD_DATE_H
#define CASELOAD_DATE_H
#include <stdbool.h>
#include "caseload/err.h"

#define DATE_NONE (-2147483647 - 1)    /* "no date" */
#define DATE_STRLEN 11                 /* "YYYY-MM-DD" + NUL */
#define DAY_SECONDS 86400              /* a civil day in UTC (no leap seconds) */

/* The dates people type: years 1900 (back past any patient's birth) to
 * 2200 (far past any plan).  A date, an offset or a friendly date that
 * lands outside is refused naming the text. */
#define DATE_FIRST_YEAR 1900
#define DATE_LAST_YEAR 2200
bool date_in_range(int days);

int date_from_ymd(int y, int m, int d);
void date_to_ymd(int days, int *y, int *m, int *d);
int date_weekday(int days);            /* 0 Sunday .. 6 Saturday */
/* English names: "Sun", "Sunday" for weekday 0..6, "Jan", "January" for
 * month 1..12; "?" out of range. */
const char *date_weekday_abbr(int wd);
const char *date_weekday_name(int wd);
const char *date_month_abbr(int m);
const char *date_month_name(int m);
/* The UTC date of an instant (rounding down, before 1970 too), and the
 * instant a date begins in UTC: how all-day appointments are kept.  The
 * local day of an instant is tz_local_date's. */
int date_of_utc(long long utc);
long long date_utc_midnight(int days);
int date_days_in_month(int y, int m);
/* Add n months keeping the day, clamped to the month's last day. */
int date_add_months(int days, int n);
/* "YYYY-MM-DD" into out (DATE_STRLEN); "" for DATE_NONE. */
char *date_format(int days, char *out);
/* Strict ISO: exactly YYYY-MM-DD and a real calendar day. */
int date_parse_iso(const char *s, int *out);

/* Holidays: a sorted set of dates that are not business days. */
struct holidays {
	bool us_federal;                   /* add US federal holidays (observed) */
	int *extra;                        /* further dates, any order */
	int n_extra;
};
bool date_is_holiday(const struct holidays *h, int days);
bool date_is_business_day(const struct holidays *h, int days);
/* Move n business days (n may be negative; 0 gives the day itself). */
int date_add_business_days(const struct holidays *h, int days, int n);
/* Business days after `from` up to and including `to` (0 if to <= from). */
int date_business_days_between(const struct holidays *h, int from, int to);
/* The observed US federal holidays of a year, in order; returns the count
 * (at most 12). */
int date_us_federal_holidays(int year, int out[12]);

/* An offset from a date: a signed count of days, weeks, months (the day
 * of the month kept, clamped to the month's last day), years, or business
 * days. */
enum date_unit { DATE_DAYS, DATE_WEEKS, DATE_MONTHS, DATE_YEARS, DATE_BDAYS };
struct date_offset {
	int n;
	enum date_unit unit;
};
#define DATE_OFFSET_STRLEN 16
/* "+3d", "-2w", "+1mo", "1y", "+2bd": an optional sign, digits, a unit
 * (case-insensitive).  ERR_USAGE naming the text when it is not an offset
 * or cannot land in the calendar (more days than years 1900-2200 hold). */
int date_offset_parse(const char *s, struct date_offset *o, struct err *e);
/* base moved by o (business days skip h's holidays and weekends); -1 when
 * base or the result is outside the calendar (date_in_range). */
int date_offset_apply(struct date_offset o, int base, const struct holidays *h, int *out);
/* "+2bd", "-1mo", "+0d" into out (DATE_OFFSET_STRLEN). */
char *date_offset_format(struct date_offset o, char *out);

/* Friendly dates, relative to `today`: today, tomorrow, yesterday, weekday
 * names (mon, monday: the next one after today), "next fri" (that day of
 * next week, weeks running Monday to Sunday), "next week" (its Monday),
 * "end of month" (this month's last day), offsets with their sign
 * (+3d, -2d, +2w, +1mo, +1y, +2bd), YYYY-MM-DD.  Case-insensitive.
 * ERR_USAGE naming the text when it is none of these, or when the date is
 * outside the calendar (date_in_range): "'-32167mo' leaves the years
 * 1900-2200", "'2201-01-01' is outside the years 1900-2200". */
int date_parse(const char *s, int today, const struct holidays *h, int *out,
               struct err *e);
/* "HH:MM" or "H:MM", 00:00..23:59, into minutes after midnight. */
int time_parse(const char *s, int *minutes, struct err *e);
/* "30m", "1h", "1h30m", "90" (minutes) into minutes (> 0). */
int duration_parse(const char *s, int *minutes, struct err *e);
/* "DATE HH:MM", "DATE" alone (time -1), or "YYYY-MM-DDTHH:MM". */
int datetime_parse(const char *s, int today, const struct holidays *h,
                   int *date, int *minutes, struct err *e);

/* How the screen shows dates, the same in every pane: a date as
 * "Mon 7 Dec" ("Mon 7 Dec 2027" when its year is not today's), one with a
 * time of day (minutes since midnight) as "Mon 7 Dec 14:30".  out holds
 * DATE_SHOW_STRLEN bytes; "" for DATE_NONE. */
#define DATE_SHOW_STRLEN 32
char *date_show(int day, int today, char *out);
char *date_show_time(int day, int minutes, int today, char *out);
/* An ISO date (text) as date_show shows it; today DATE_NONE, or text that
 * is not a date: the text itself. */
const char *date_show_iso(const char *iso, int today, char *out);

#endif
