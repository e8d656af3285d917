/* zone: the database's notes about zones, in its meta table. */
#include <stdlib.h>

#include "caseload/store.h"
#include "caseload/zone.h"

#define META_NOTICE "zone_notice"   /* the system zone last announced */
#define META_DEMO "demo_zone"       /* the zone the demo was made in */

int zone_notice_due(struct store *s, const char *zone, bool *due, struct err *e)
{
	char *shown = NULL;
	*due = false;
	if (store_meta_get(s, META_NOTICE, &shown, e) < 0)
		return e->code;
	bool same = str_eq(shown, zone);
	free(shown);
	if (same)
		return 0;
	if (store_meta_set(s, META_NOTICE, zone, e) < 0)
		return e->code;
	*due = true;
	return 0;
}

int zone_of_demo(struct store *s, char **zone, struct err *e)
{
	return store_meta_get(s, META_DEMO, zone, e);
}

int zone_set_demo(struct store *s, const char *zone, struct err *e)
{
	return store_meta_set(s, META_DEMO, zone, e);
}
