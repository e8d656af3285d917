/* ical_zones: the zone names Outlook and Exchange write as TZID, mapped to
 * IANA zones through ICU rather than a list kept here.  A Windows zone id
 * ("W. Europe Standard Time") goes through Unicode CLDR's windowsZones
 * table as ICU ships it (ucal_getTimeZoneIDForWindowsID, the "001"
 * territory).  A Windows display name, which older Outlook versions write
 * ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"), names
 * no zone; each city it lists is tried as the city of an IANA zone
 * ("Europe/Amsterdam", ICU's list of zone ids) whose standard offset is
 * the one in the parentheses; the few that list no city ("Eastern Time
 * (US & Canada)") go through their Windows id.  Any other name maps to
 * nothing: the importer then uses the file's VTIMEZONE, or skips the
 * event with the reason. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/ustring.h>

#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/tz.h"

#define MAX_ID 64                /* a zone id, Windows or IANA */

/* A Windows zone id through CLDR's table (ICU). */
static bool from_windows_id(const char *name, char *iana, size_t size)
{
	size_t n = strlen(name);
	if (n == 0 || n >= MAX_ID)
		return false;
	for (size_t i = 0; i < n; i++)   /* invariant characters only */
		if (!isalnum((unsigned char)name[i]) && !strchr(" .-+()&", name[i]))
			return false;
	UChar win[MAX_ID], id[MAX_ID];
	u_charsToUChars(name, win, (int32_t)n);
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = ucal_getTimeZoneIDForWindowsID(win, (int32_t)n, NULL, id, MAX_ID, &st);
	if (U_FAILURE(st) || len <= 0 || len >= MAX_ID || (size_t)len >= size)
		return false;
	u_UCharsToChars(id, iana, len);
	iana[len] = '\0';
	return true;
}

/* "(UTC+01:00) ", "(GMT-05.00) ", "(GMT +10:00) ", "(UTC) ": the offset
 * in seconds and where the names begin; NULL when there is no prefix. */
static const char *display_prefix(const char *s, int *offset)
{
	if (s[0] != '(' || (strncasecmp(s + 1, "UTC", 3) != 0 && strncasecmp(s + 1, "GMT", 3) != 0))
		return NULL;
	const char *p = s + 4;
	while (*p == ' ')
		p++;
	*offset = 0;
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		char *end;
		long h = strtol(p + 1, &end, 10), m = 0;
		if (end == p + 1 || h > 14)
			return NULL;
		if (*end == ':' || *end == '.')
			m = strtol(end + 1, &end, 10);
		if (m < 0 || m > 59)
			return NULL;
		*offset = sign * (int)(h * 3600 + m * 60);
		p = end;
	}
	if (*p != ')')
		return NULL;
	for (p++; *p == ' ';)
		p++;
	return p;
}

/* The standard offset of an IANA zone: the smaller of its January and
 * July offsets (daylight time adds to it, north or south). */
static int standard_offset(const char *zone)
{
	long long jan = date_utc_midnight(date_from_ymd(2026, 1, 15));
	long long jul = date_utc_midnight(date_from_ymd(2026, 7, 15));
	int a = tz_offset(zone, jan), b = tz_offset(zone, jul);
	return a < b ? a : b;
}

/* The zone an id is another name for ("Australia/Canberra" is
 * "Australia/Sydney"), as ICU says. */
static bool canonical(const char *id, int32_t len, char *out, size_t size)
{
	UChar in[MAX_ID], can[MAX_ID];
	if (len <= 0 || len >= MAX_ID)
		return false;
	u_charsToUChars(id, in, len);
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = ucal_getCanonicalTimeZoneID(in, len, can, MAX_ID, NULL, &st);
	if (U_FAILURE(st) || n <= 0 || n >= MAX_ID || (size_t)n >= size)
		return false;
	u_UCharsToChars(can, out, n);
	out[n] = '\0';
	return true;
}

/* The IANA zone whose city is `city` ("Hong Kong": ".../Hong_Kong") and
 * whose standard offset is `offset`. */
static bool from_city(const char *city, size_t n, int offset, char *iana, size_t size)
{
	char want[MAX_ID];
	if (n == 0 || n + 2 > sizeof want)
		return false;
	want[0] = '/';
	for (size_t i = 0; i < n; i++)
		want[i + 1] = city[i] == ' ' ? '_' : city[i];
	want[n + 1] = '\0';
	UErrorCode st = U_ZERO_ERROR;
	UEnumeration *ids = ucal_openTimeZones(&st);
	bool found = false;
	const char *id;
	int32_t len;
	while (!found && U_SUCCESS(st) && (id = uenum_next(ids, &len, &st))) {
		if ((size_t)len <= n + 1 || strcasecmp(id + len - (n + 1), want) != 0)
			continue;
		found = canonical(id, len, iana, size) && tz_known(iana) &&
		        standard_offset(iana) == offset;
	}
	uenum_close(ids);
	return found;
}

/* Windows display names that list no city, with the Windows zone id
 * they belong to, from Microsoft's published list of Windows time zones
 * ("Default Time Zones", Windows manufacturing documentation, which gives
 * each zone's id and display name); older Outlook versions spell "&" as
 * "and", and some write the name without its "(UTC-05:00) ".  The id
 * then goes through ICU like any other. */
static const struct { const char *display, *windows; } no_city[] = {
	{"Eastern Time (US & Canada)", "Eastern Standard Time"},
	{"Eastern Time (US and Canada)", "Eastern Standard Time"},
	{"Central Time (US & Canada)", "Central Standard Time"},
	{"Central Time (US and Canada)", "Central Standard Time"},
	{"Mountain Time (US & Canada)", "Mountain Standard Time"},
	{"Mountain Time (US and Canada)", "Mountain Standard Time"},
	{"Pacific Time (US & Canada)", "Pacific Standard Time"},
	{"Pacific Time (US and Canada)", "Pacific Standard Time"},
	{"Pacific Time (US & Canada); Tijuana", "Pacific Standard Time"},
	{"Pacific Time (US & Canada), Tijuana", "Pacific Standard Time"},
	{"Atlantic Time (Canada)", "Atlantic Standard Time"},
	{"Indiana (East)", "US Eastern Standard Time"},
	{"Coordinated Universal Time", "UTC"},
};

/* A display name: one that lists no city, else the first of its cities
 * that names a zone. */
static bool from_display(const char *name, char *iana, size_t size)
{
	int offset;
	const char *p = display_prefix(name, &offset);
	for (size_t i = 0; i < sizeof no_city / sizeof no_city[0]; i++)
		if (!strcasecmp(p ? p : name, no_city[i].display))
			return from_windows_id(no_city[i].windows, iana, size);
	if (!p)     /* a city needs the offset to be checked against */
		return false;
	while (*p) {
		size_t n = strcspn(p, ",;");
		size_t t = n;
		while (t > 0 && p[t - 1] == ' ')
			t--;
		if (from_city(p, t, offset, iana, size))
			return true;
		p += n;
		while (*p == ',' || *p == ';' || *p == ' ')
			p++;
	}
	return false;
}

bool ical_windows_zone(const char *name, char *iana, size_t size)
{
	if (!name || !*name || size == 0)
		return false;
	return from_windows_id(name, iana, size) || from_display(name, iana, size);
}
