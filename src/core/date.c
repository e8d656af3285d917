/* date: civil date arithmetic on day numbers, names, offsets, friendly
 * parsing, and business days.  Days are counted from 1970-01-01 (day 0, a
 * Thursday). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>

#include "caseload/date.h"
#include "caseload/text.h"

/* Days from civil and back: the proleptic Gregorian calendar in 400-year
 * eras of 146097 days, with years starting on March 1st so that the leap
 * day falls at the end. */
int date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int date_weekday(int days)
{
	int w = (days + 4) % 7;
	return w < 0 ? w + 7 : w;
}

static const char *const weekdays[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char *const weekday_abbrs[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December",
};
static const char *const month_abbrs[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

const char *date_weekday_abbr(int wd)
{
	return wd >= 0 && wd < 7 ? weekday_abbrs[wd] : "?";
}

const char *date_weekday_name(int wd)
{
	return wd >= 0 && wd < 7 ? weekdays[wd] : "?";
}

const char *date_month_abbr(int m)
{
	return m >= 1 && m <= 12 ? month_abbrs[m - 1] : "?";
}

const char *date_month_name(int m)
{
	return m >= 1 && m <= 12 ? months[m - 1] : "?";
}

int date_of_utc(long long utc)
{
	long long d = utc / DAY_SECONDS;
	return (int)(utc % DAY_SECONDS < 0 ? d - 1 : d);
}

long long date_utc_midnight(int days)
{
	return (long long)days * DAY_SECONDS;
}

/* The calendar's first and last day, from date_from_ymd. */
#define FIRST_DAY (-25567)     /* 1900-01-01 */
#define LAST_DAY 84370         /* 2200-12-31 */

bool date_in_range(int days)
{
	return days >= FIRST_DAY && days <= LAST_DAY;
}

int date_days_in_month(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

int date_add_months(int days, int n)
{
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	int total = y * 12 + (m - 1) + n;
	int r = total % 12;
	y = total / 12 - (r < 0);
	m = (r < 0 ? r + 12 : r) + 1;
	if (d > date_days_in_month(y, m))
		d = date_days_in_month(y, m);
	return date_from_ymd(y, m, d);
}

char *date_format(int days, char *out)
{
	if (days == DATE_NONE) {
		out[0] = '\0';
		return out;
	}
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	char tmp[48];
	if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		/* (the usual day, written without printf: a listing writes one
		 * a line) */
		y %= 10000;
		int v[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1, m / 10, m % 10, -1,
		           d / 10, d % 10};
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			tmp[i] = v[i] < 0 ? '-' : (char)('0' + v[i]);
	} else {
		snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m, d);
	}
	memcpy(out, tmp, DATE_STRLEN - 1);
	out[DATE_STRLEN - 1] = '\0';
	return out;
}

/* The number n digits spell (checked to be digits by the caller). */
static int digits_value(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int date_parse_iso(const char *s, int *out)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return -1;
	int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

/* The n-th (1-based) weekday wd of a month; n = -1 for the last. */
static int nth_weekday(int y, int m, int wd, int n)
{
	if (n < 0) {
		int last = date_from_ymd(y, m, date_days_in_month(y, m));
		return last - (date_weekday(last) - wd + 7) % 7;
	}
	int first = date_from_ymd(y, m, 1);
	return first + (wd - date_weekday(first) + 7) % 7 + 7 * (n - 1);
}

/* A fixed-date holiday moves to Friday when on Saturday, Monday when on
 * Sunday (5 U.S.C. 6103 and the executive order on observance). */
static int observed(int day)
{
	int w = date_weekday(day);
	return w == 6 ? day - 1 : w == 0 ? day + 1 : day;
}

int date_us_federal_holidays(int y, int out[12])
{
	int n = 0;
	out[n++] = observed(date_from_ymd(y, 1, 1));   /* New Year's Day */
	out[n++] = nth_weekday(y, 1, 1, 3);             /* Birthday of M. L. King */
	out[n++] = nth_weekday(y, 2, 1, 3);             /* Washington's Birthday */
	out[n++] = nth_weekday(y, 5, 1, -1);            /* Memorial Day */
	if (y >= 2021)
		out[n++] = observed(date_from_ymd(y, 6, 19)); /* Juneteenth */
	out[n++] = observed(date_from_ymd(y, 7, 4));   /* Independence Day */
	out[n++] = nth_weekday(y, 9, 1, 1);             /* Labor Day */
	out[n++] = nth_weekday(y, 10, 1, 2);            /* Columbus Day */
	out[n++] = observed(date_from_ymd(y, 11, 11)); /* Veterans Day */
	out[n++] = nth_weekday(y, 11, 4, 4);            /* Thanksgiving Day */
	out[n++] = observed(date_from_ymd(y, 12, 25)); /* Christmas Day */
	/* New Year's Day of next year observed on Dec 31 of this one. */
	int ny = observed(date_from_ymd(y + 1, 1, 1));
	int yy, mm, dd;
	date_to_ymd(ny, &yy, &mm, &dd);
	if (yy == y)
		out[n++] = ny;
	return n;
}

bool date_is_holiday(const struct holidays *h, int days)
{
	if (!h)
		return false;
	for (int i = 0; i < h->n_extra; i++)
		if (h->extra[i] == days)
			return true;
	if (h->us_federal) {
		int y, m, d, list[12];
		date_to_ymd(days, &y, &m, &d);
		int n = date_us_federal_holidays(y, list);
		for (int i = 0; i < n; i++)
			if (list[i] == days)
				return true;
	}
	return false;
}

bool date_is_business_day(const struct holidays *h, int days)
{
	int w = date_weekday(days);
	return w != 0 && w != 6 && !date_is_holiday(h, days);
}

int date_add_business_days(const struct holidays *h, int days, int n)
{
	int step = n < 0 ? -1 : 1;
	for (int left = abs(n); left > 0;) {
		days += step;
		if (date_is_business_day(h, days))
			left--;
	}
	return days;
}

int date_business_days_between(const struct holidays *h, int from, int to)
{
	int n = 0;
	for (int d = from + 1; d <= to; d++)
		n += date_is_business_day(h, d);
	return n;
}

/* ---- offsets ---- */

static const struct {
	const char *suffix;
	enum date_unit unit;
} units[] = {
	{"d", DATE_DAYS}, {"w", DATE_WEEKS}, {"mo", DATE_MONTHS}, {"y", DATE_YEARS},
	{"bd", DATE_BDAYS},
};

enum scan { SCAN_OK, SCAN_BAD, SCAN_FAR };

/* Read an offset; any count larger than the calendar's days is too far in
 * every unit (none is shorter than a day), and keeps the sums below in
 * range of an int. */
static enum scan offset_scan(const char *s, struct date_offset *o)
{
	const char *p = s;
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return SCAN_BAD;
	long n = 0;
	bool far = false;
	for (; isdigit((unsigned char)*p); p++)
		if (!far && (n = n * 10 + (*p - '0')) > LAST_DAY - FIRST_DAY)
			far = true;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcasecmp(p, units[i].suffix)) {
			if (far)
				return SCAN_FAR;
			o->n = sign * (int)n;
			o->unit = units[i].unit;
			return SCAN_OK;
		}
	return SCAN_BAD;
}

/* An offset or a word leaves the calendar; a written date is outside it. */
static int out_of_range(struct err *e, const char *s)
{
	bool moves = *s == '+' || *s == '-' || isalpha((unsigned char)*s);
	return err_set(e, ERR_USAGE, "%s %s the years %d-%d", TEXT_ARG(s),
	               moves ? "leaves" : "is outside", DATE_FIRST_YEAR, DATE_LAST_YEAR);
}

int date_offset_parse(const char *s, struct date_offset *o, struct err *e)
{
	switch (offset_scan(s, o)) {
	case SCAN_OK: return 0;
	case SCAN_FAR: return out_of_range(e, s);
	default:
		return err_set(e, ERR_USAGE, "%s is not an offset (use +3d, +2w, +1mo, +1y, "
		               "or +2bd for business days)", TEXT_ARG(s));
	}
}

static int add_months(int base, long long n, int *out)
{
	int y, m, d;
	date_to_ymd(base, &y, &m, &d);
	long long total = y * 12LL + (m - 1) + n;
	if (total < DATE_FIRST_YEAR * 12LL || total > DATE_LAST_YEAR * 12LL + 11)
		return -1;
	*out = date_add_months(base, (int)n);
	return 0;
}

int date_offset_apply(struct date_offset o, int base, const struct holidays *h, int *out)
{
	if (!date_in_range(base))
		return -1;
	long long day = base;
	switch (o.unit) {
	case DATE_DAYS: day += o.n; break;
	case DATE_WEEKS: day += 7LL * o.n; break;
	case DATE_MONTHS: return add_months(base, o.n, out);
	case DATE_YEARS: return add_months(base, 12LL * o.n, out);
	case DATE_BDAYS:
		/* at least a day each: no need to walk past the calendar */
		if (day + o.n < FIRST_DAY || day + o.n > LAST_DAY)
			return -1;
		day = date_add_business_days(h, base, o.n);
		break;
	}
	if (day < FIRST_DAY || day > LAST_DAY)
		return -1;
	*out = (int)day;
	return 0;
}

char *date_offset_format(struct date_offset o, char *out)
{
	const char *suffix = "?";
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (units[i].unit == o.unit)
			suffix = units[i].suffix;
	snprintf(out, DATE_OFFSET_STRLEN, "%+d%s", o.n, suffix);
	return out;
}

/* ---- friendly dates ---- */

static bool weekday_is(const char *s, int w)
{
	return !strcasecmp(s, date_weekday_abbr(w)) || !strcasecmp(s, date_weekday_name(w));
}

/* Monday of the week after today's (weeks run Monday to Sunday). */
static int next_monday(int today)
{
	return today - (date_weekday(today) + 6) % 7 + 7;
}

/* The phrases: "next week" (its Monday), "next fri" (that day of next
 * week), "end of month" (this month's last day).  0 when s is none. */
static int phrase_scan(const char *s, int today, int *day)
{
	if (!strncasecmp(s, "next ", 5)) {
		const char *rest = s + 5;
		while (*rest == ' ')
			rest++;
		if (!strcasecmp(rest, "week")) {
			*day = next_monday(today);
			return 1;
		}
		for (int w = 0; w < 7; w++)
			if (weekday_is(rest, w)) {
				*day = next_monday(today) + (w + 6) % 7;
				return 1;
			}
		return 0;
	}
	if (!strcasecmp(s, "end of month") || !strcasecmp(s, "eom")) {
		int y, m, d;
		date_to_ymd(today, &y, &m, &d);
		*day = today - d + date_days_in_month(y, m);
		return 1;
	}
	return 0;
}

/* A friendly date (after leading blanks) into *out: SCAN_BAD when it is
 * none, SCAN_FAR when it lands outside the calendar. */
static enum scan day_scan(const char *s, int today, const struct holidays *h, int *out)
{
	int day;
	struct date_offset o;
	enum scan sc = SCAN_BAD;
	if (*s == '+' || *s == '-')
		sc = offset_scan(s, &o);
	if (!strcasecmp(s, "today"))
		day = today;
	else if (!strcasecmp(s, "tomorrow"))
		day = today + 1;
	else if (!strcasecmp(s, "yesterday"))
		day = today - 1;
	else if (sc != SCAN_BAD) {
		if (sc == SCAN_FAR || date_offset_apply(o, today, h, &day) < 0)
			return SCAN_FAR;
	} else if (phrase_scan(s, today, &day)) {
		/* day set */
	} else if (date_parse_iso(s, &day) < 0) {
		int w = 0;
		while (w < 7 && !weekday_is(s, w))
			w++;
		if (w == 7)
			return SCAN_BAD;
		int ahead = (w - date_weekday(today) + 7) % 7;
		day = today + (ahead ? ahead : 7);
	}
	if (!date_in_range(day))
		return SCAN_FAR;
	*out = day;
	return SCAN_OK;
}

int date_parse(const char *s, int today, const struct holidays *h, int *out,
               struct err *e)
{
	while (isspace((unsigned char)*s))
		s++;
	switch (day_scan(s, today, h, out)) {
	case SCAN_OK: return 0;
	case SCAN_FAR: return out_of_range(e, s);
	default:
		return err_set(e, ERR_USAGE, "%s is not a date (try 2026-12-01, today, "
		               "tomorrow, fri, next fri, next week, end of month, +3d, +2w, "
		               "+1mo, +2bd)", TEXT_ARG(s));
	}
}

int time_parse(const char *s, int *minutes, struct err *e)
{
	int h = 0, m = 0, i = 0;
	while (isdigit((unsigned char)s[i]) && i < 2)
		h = h * 10 + (s[i++] - '0');
	if (i == 0 || s[i] != ':' || !isdigit((unsigned char)s[i + 1]) ||
	    !isdigit((unsigned char)s[i + 2]) || s[i + 3])
		goto bad;
	m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	if (h > 23 || m > 59)
		goto bad;
	*minutes = h * 60 + m;
	return 0;
bad:
	return err_set(e, ERR_USAGE, "%s is not a time of day (use HH:MM, 24-hour)", TEXT_ARG(s));
}

int duration_parse(const char *s, int *minutes, struct err *e)
{
	const char *p = s;
	long total = 0;
	bool any = false, unit_seen = false;
	while (*p) {
		if (!isdigit((unsigned char)*p))
			goto bad;
		char *end;
		long n = strtol(p, &end, 10);
		if (n > 100000)
			goto bad;
		p = end;
		any = true;
		if (*p == 'h' || *p == 'H') {
			total += n * 60;
			p++;
			unit_seen = true;
		} else if (*p == 'm' || *p == 'M') {
			total += n;
			p++;
			if (*p == 'i' && p[1] == 'n')
				p += 2;
			unit_seen = true;
		} else if (!*p && !unit_seen) {
			total += n;
		} else {
			goto bad;
		}
	}
	if (!any || total <= 0 || total > 366LL * DAY_SECONDS / 60)
		goto bad;
	*minutes = (int)total;
	return 0;
bad:
	return err_set(e, ERR_USAGE, "%s is not a duration (use 30m, 1h or 1h30m)", TEXT_ARG(s));
}

int datetime_parse(const char *s, int today, const struct holidays *h,
                   int *date, int *minutes, struct err *e)
{
	char tmp[128];
	if (strlen(s) >= sizeof tmp)
		goto bad;
	snprintf(tmp, sizeof tmp, "%s", s);
	char *sep = strrchr(tmp, ' ');
	if (!sep && strlen(tmp) > 10 && tmp[10] == 'T')
		sep = tmp + 10;
	*minutes = -1;
	/* a date of words ("next fri", "end of month") has spaces too: the
	 * last word is a time only when it reads as one */
	if (sep) {
		int m = 0;
		struct err te;
		if (time_parse(sep + 1, &m, &te) == 0) {
			*sep = '\0';
			*minutes = m;
		} else if (isdigit((unsigned char)sep[1])) {
			*e = te;
			return e->code;
		}
	}
	const char *day = tmp;
	while (isspace((unsigned char)*day))
		day++;
	switch (day_scan(day, today, h, date)) {
	case SCAN_OK: return 0;
	case SCAN_FAR: return out_of_range(e, day);
	default: break;
	}
bad:
	return err_set(e, ERR_USAGE,
	               "%s is not a date and time (use \"2026-11-27 09:30\" or \"fri 14:00\")",
	               TEXT_ARG(s));
}

char *date_show(int day, int today, char *out)
{
	if (day == DATE_NONE) {
		out[0] = '\0';
		return out;
	}
	int y, m, d, ty, tm, td;
	date_to_ymd(day, &y, &m, &d);
	date_to_ymd(today, &ty, &tm, &td);
	snprintf(out, DATE_SHOW_STRLEN, "%s %d %s", date_weekday_abbr(date_weekday(day)), d,
	         date_month_abbr(m));
	if (y != ty)
		snprintf(out + strlen(out), DATE_SHOW_STRLEN - strlen(out), " %d", y);
	return out;
}

char *date_show_time(int day, int minutes, int today, char *out)
{
	date_show(day, today, out);
	if (out[0] && minutes >= 0)
		snprintf(out + strlen(out), DATE_SHOW_STRLEN - strlen(out), " %02d:%02d",
		         minutes / 60 % 24, minutes % 60);
	return out;
}

const char *date_show_iso(const char *iso, int today, char *out)
{
	int day;
	if (!iso || today == DATE_NONE || date_parse_iso(iso, &day) < 0)
		return iso;
	return date_show(day, today, out);
}
