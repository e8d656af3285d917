/* date: civil dates (days since 1970-01-01), friendly date parsing
 * ("today", "fri", "+2bd", "2026-12-01"), times of day, durations, and
 * business days that skip weekends and holidays (US federal by default). */
#ifndef CASELOAD_DATE_H
#define CASELOAD_DATE_H
#include <stdbool.h>
#include "caseload/err.h"

#define DATE_NONE (-2147483647 - 1)    /* "no date" */
#define DATE_STRLEN 11                 /* "YYYY-MM-DD" + NUL */

int date_from_ymd(int y, int m, int d);
void date_to_ymd(int days, int *y, int *m, int *d);
int date_weekday(int days);            /* 0 Sunday .. 6 Saturday */
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

/* Friendly dates, relative to `today`: today, tomorrow, yesterday, weekday
 * names (mon, monday: the next one after today), +3d, -2d, +2w, +1mo, +1y,
 * +2bd (business days), YYYY-MM-DD.  Case-insensitive. */
int date_parse(const char *s, int today, const struct holidays *h, int *out,
               struct err *e);
/* An offset alone ("+2bd", "+1mo", "+0d") from a base date. */
int date_parse_offset(const char *s, int base, const struct holidays *h,
                      int *out, struct err *e);
/* "HH:MM" or "H:MM", 00:00..23:59, into minutes after midnight. */
int time_parse(const char *s, int *minutes, struct err *e);
/* "30m", "1h", "1h30m", "90" (minutes) into minutes (> 0). */
int duration_parse(const char *s, int *minutes, struct err *e);
/* "DATE HH:MM", "DATE" alone (time -1), or "YYYY-MM-DDTHH:MM". */
int datetime_parse(const char *s, int today, const struct holidays *h,
                   int *date, int *minutes, struct err *e);

/* The date "today": CASELOAD_TODAY if set (checked), else the local date
 * in the given zone (NULL: UTC).  Fails on a malformed CASELOAD_TODAY. */
int date_today(const char *pinned, const char *zone, int *out, struct err *e);

#endif
