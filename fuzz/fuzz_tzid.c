/* fuzz_tzid: the zone names files bring in TZID (and config files in
 * `timezone:`): the Windows and Outlook display names mapped through ICU
 * (ical_windows_zone), and IANA names looked up in libical's zones
 * (tz_known, then an offset and a local time from the zone found). */
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/tz.h"
#include "harness.h"

static void use_zone(const char *zone)
{
	if (!tz_known(zone))
		return;
	long long utc;
	struct err e = {0};
	(void)tz_offset(zone, 1795000000);
	(void)tz_local_to_utc(zone, date_from_ymd(2026, 3, 8), 150, &utc, &e);
	(void)tz_local_midnight(zone, date_from_ymd(2026, 11, 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name = fuzz_cstr(data, size);
	char iana[64];
	memset(iana, 'x', sizeof iana);
	if (ical_windows_zone(name, iana, sizeof iana)) {
		if (!memchr(iana, '\0', sizeof iana) || !*iana)
			fuzz_fail("a mapped zone name that is not a string", NULL);
		use_zone(iana);
	}
	use_zone(name);
	free(name);
	return 0;
}
