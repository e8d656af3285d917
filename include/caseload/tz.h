/* tz: time zones by IANA name, from the system's zone database as libical
 * reads it.  Instants are seconds since the epoch, UTC.  Nothing here
 * depends on the process's TZ variable. */
#ifndef CASELOAD_TZ_H
#define CASELOAD_TZ_H
#include <stdbool.h>
#include "caseload/err.h"

/* A zone name is known ("UTC" always is). */
bool tz_known(const char *zone);
/* Civil date + minutes after midnight in `zone` to a UTC instant.  A time
 * skipped by a DST change moves forward; a repeated one takes standard time.
 * zone NULL or "" means UTC. */
int tz_local_to_utc(const char *zone, int date, int minutes, long long *utc,
                    struct err *e);
/* A UTC instant to civil date and minutes after midnight in `zone`. */
int tz_utc_to_local(const char *zone, long long utc, int *date, int *minutes,
                    struct err *e);
/* The same without failing: an unknown zone counts as UTC (zones are
 * checked where they are configured).  tz_local_midnight is the instant
 * `date` begins in `zone`: its midnight, or where a DST change skips
 * midnight, the first instant after the gap. */
int tz_local_date(const char *zone, long long utc);
long long tz_local_midnight(const char *zone, int date);
/* The date "today": `pinned` (CASELOAD_TODAY, --today) if set, checked,
 * else the date now in the given zone (NULL: UTC). */
int tz_today(const char *pinned, const char *zone, int *out, struct err *e);
/* Offset from UTC in seconds at that instant (east positive). */
int tz_offset(const char *zone, long long utc);
/* The coordinator's zone when none is configured: CASELOAD_TZ, then TZ if
 * it names a zone, then /etc/localtime's target, then /etc/timezone,
 * then "UTC".  Returns a static string. */
const char *tz_default(void);
/* Where tz_default found its zone: "CASELOAD_TZ", "TZ", "/etc/localtime"
 * or "/etc/timezone"; NULL when it fell back to UTC. */
const char *tz_default_origin(void);
/* "2026-11-27T14:30:00Z" into out (21 bytes). */
char *tz_format_utc(long long utc, char *out);
/* Strict parse of the same form. */
int tz_parse_utc(const char *s, long long *utc);
/* The libical zone of that name (UTC for NULL, "" or "UTC"), NULL when
 * unknown; looked up once and remembered.  For the iCalendar modules,
 * which hold libical's types; valid until tz_shutdown. */
struct _icaltimezone;
struct _icaltimezone *tz_ical_zone(const char *zone);
/* Release libical's cached zones (for leak checkers, at exit). */
void tz_shutdown(void);

#endif
