/* zone: what a database remembers about the zone its times were made
 * for.  When the coordinator has chosen no zone, caseload takes the
 * system's and says so once per database (and again if the system's zone
 * changes); the demo notes the zone its clinic hours were laid out in. */
#ifndef CASELOAD_ZONE_H
#define CASELOAD_ZONE_H
#include <stdbool.h>
#include "caseload/err.h"

struct store;

/* Whether the notice "using the system's zone `zone`" is due on this
 * database: not given before for that zone.  When due, it is recorded as
 * given (the caller shows it). */
int zone_notice_due(struct store *s, const char *zone, bool *due, struct err *e);
/* The zone the demo in this database was made in; NULL when there is no
 * demo or it predates the note (caller frees). */
int zone_of_demo(struct store *s, char **zone, struct err *e);
/* Note the demo's zone (demo_fill does, inside its transaction). */
int zone_set_demo(struct store *s, const char *zone, struct err *e);

#endif
