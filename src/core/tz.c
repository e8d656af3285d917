/* tz: IANA zones through libical's zone cache (which reads the system's
 * zoneinfo), so that the command line, the screen and the iCalendar code
 * agree on every offset.  The one core module that uses libical. */
#include <ctype.h>
#include <libical/ical.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caseload/date.h"
#include "caseload/text.h"
#include "caseload/tz.h"

/* libical finds a builtin zone by walking its whole table of names, and
 * the review, the panes and recurrence ask for the same few zones again
 * and again: remember the last ones asked for.  tz_shutdown forgets them
 * with the zones themselves. */
#define ZONE_CACHE 8
static struct {
	char name[64];
	icaltimezone *zone;
} cache[ZONE_CACHE];
static int cache_next;

static icaltimezone *zone_get(const char *zone)
{
	if (!zone || !*zone || !strcmp(zone, "UTC") || !strcmp(zone, "Etc/UTC") ||
	    !strcmp(zone, "Z"))
		return icaltimezone_get_utc_timezone();
	for (int i = 0; i < ZONE_CACHE; i++)
		if (cache[i].zone && !strcmp(cache[i].name, zone))
			return cache[i].zone;
	icaltimezone *z = icaltimezone_get_builtin_timezone(zone);
	if (z && strlen(zone) < sizeof cache[0].name) {
		snprintf(cache[cache_next].name, sizeof cache[0].name, "%s", zone);
		cache[cache_next].zone = z;
		cache_next = (cache_next + 1) % ZONE_CACHE;
	}
	return z;
}

struct _icaltimezone *tz_ical_zone(const char *zone)
{
	return zone_get(zone);
}

bool tz_known(const char *zone)
{
	return zone_get(zone) != NULL;
}

int tz_local_to_utc(const char *zone, int date, int minutes, long long *utc,
                    struct err *e)
{
	icaltimezone *z = zone_get(zone);
	if (!z)
		return err_set(e, ERR_USAGE, "unknown time zone %s", TEXT_ARG(zone));
	struct icaltimetype t = icaltime_null_time();
	date_to_ymd(date, &t.year, &t.month, &t.day);
	t.hour = minutes / 60;
	t.minute = minutes % 60;
	t.zone = z;
	*utc = (long long)icaltime_as_timet_with_zone(t, z);
	/* libical reads a time that a DST change skips with the offset after
	 * the change, which lands before the gap (New York's 02:30 on the
	 * spring day becomes 01:30, Havana's midnight 23:00 the day before);
	 * read it with the offset before the change instead, as RFC 5545 does,
	 * which lands after the gap (03:30; Havana's day begins at 01:00). */
	struct icaltimetype back = icaltime_from_timet_with_zone((time_t)*utc, 0, z);
	long long got = (date_from_ymd(back.year, back.month, back.day) - date) * 1440LL +
	                back.hour * 60LL + back.minute;
	if (got != minutes)
		*utc += (minutes - got) * 60;
	return 0;
}

int tz_utc_to_local(const char *zone, long long utc, int *date, int *minutes,
                    struct err *e)
{
	icaltimezone *z = zone_get(zone);
	if (!z)
		return err_set(e, ERR_USAGE, "unknown time zone %s", TEXT_ARG(zone));
	struct icaltimetype t = icaltime_from_timet_with_zone((time_t)utc, 0, z);
	*date = date_from_ymd(t.year, t.month, t.day);
	*minutes = t.hour * 60 + t.minute;
	return 0;
}

int tz_local_date(const char *zone, long long utc)
{
	int date = date_of_utc(utc), minutes;
	struct err e;
	tz_utc_to_local(zone, utc, &date, &minutes, &e);   /* unknown zone: UTC's */
	return date;
}

long long tz_local_midnight(const char *zone, int date)
{
	long long utc = date_utc_midnight(date);
	struct err e;
	tz_local_to_utc(zone, date, 0, &utc, &e);   /* unknown zone: UTC's */
	return utc;
}

int tz_today(const char *pinned, const char *zone, int *out, struct err *e)
{
	if (pinned && *pinned) {
		if (date_parse_iso(pinned, out) < 0 || !date_in_range(*out))
			return err_set(e, ERR_USAGE, "today: %s is not a date (use YYYY-MM-DD, "
			               "%d to %d)", TEXT_ARG(pinned), DATE_FIRST_YEAR, DATE_LAST_YEAR);
		return 0;
	}
	int minutes;
	return tz_utc_to_local(zone, (long long)time(NULL), out, &minutes, e);
}

int tz_offset(const char *zone, long long utc)
{
	icaltimezone *z = zone_get(zone);
	if (!z)
		return 0;
	struct icaltimetype t = icaltime_from_timet_with_zone((time_t)utc, 0,
	                                                      icaltimezone_get_utc_timezone());
	int is_daylight = 0;
	return icaltimezone_get_utc_offset_of_utc_time(z, &t, &is_daylight);
}

static char default_zone[256];
static const char *default_origin;

static bool try_zone(const char *name, const char *origin)
{
	if (!name || !*name || strlen(name) >= sizeof default_zone)
		return false;
	if (*name == ':')
		name++;
	if (!tz_known(name))
		return false;
	snprintf(default_zone, sizeof default_zone, "%s", name);
	default_origin = origin;
	return true;
}

const char *tz_default(void)
{
	if (default_zone[0])
		return default_zone;
	if (try_zone(getenv("CASELOAD_TZ"), "CASELOAD_TZ") || try_zone(getenv("TZ"), "TZ"))
		return default_zone;
	char link[PATH_MAX];
	ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
	if (n > 0) {
		link[n] = '\0';
		const char *p = strstr(link, "zoneinfo/");
		if (p && try_zone(p + strlen("zoneinfo/"), "/etc/localtime"))
			return default_zone;
	}
	FILE *f = fopen("/etc/timezone", "r");
	if (f) {
		char line[256] = "";
		if (fgets(line, sizeof line, f))
			line[strcspn(line, "\r\n")] = '\0';
		fclose(f);
		if (try_zone(line, "/etc/timezone"))
			return default_zone;
	}
	snprintf(default_zone, sizeof default_zone, "UTC");
	default_origin = NULL;
	return default_zone;
}

const char *tz_default_origin(void)
{
	tz_default();
	return default_origin;
}

char *tz_format_utc(long long utc, char *out)
{
	int days = date_of_utc(utc);
	long long secs = utc - date_utc_midnight(days);
	int y, m, d;
	date_to_ymd(days, &y, &m, &d);
	char tmp[80];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", y % 10000, m, d,
	         (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	memcpy(out, tmp, 20);
	out[20] = '\0';
	return out;
}

static bool two_digits(const char *s, int *v)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return false;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

int tz_parse_utc(const char *s, long long *utc)
{
	int date, h, mi, se;
	char day[11];
	if (strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse_iso(day, &date) < 0 || s[13] != ':' || s[16] != ':' ||
	    !two_digits(s + 11, &h) || !two_digits(s + 14, &mi) || !two_digits(s + 17, &se) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	*utc = date_utc_midnight(date) + h * 3600LL + mi * 60LL + se;
	return 0;
}

void tz_shutdown(void)
{
	memset(cache, 0, sizeof cache);
	cache_next = 0;
	icaltimezone_free_builtin_timezones();
}
