/* appt: the appointment use cases, the same from the command line and the
 * screen: book one, change it, cancel it, give an imported one to a
 * patient.  Each owns its defaults (a new appointment's UID, source and
 * zone; when SEQUENCE goes up so that calendars take a change; a series'
 * end), runs in one transaction with its audit rows, and notes what it
 * changed in `ch` (may be NULL). */
#ifndef CASELOAD_APPT_H
#define CASELOAD_APPT_H
#include <stdbool.h>
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"

struct store;
struct holidays;
struct strlist;

struct appt_req {
	struct appointment *a;     /* the fields; on return a->id (and uid) are set */
	const char *zone;          /* the coordinator's zone, a new timed one's default */
	long long now;             /* UTC instant of the change */
};
/* Book: a UID, source "manual", booked now; tzid defaults to the zone
 * (an all-day appointment stays floating).  Text a person typed that is
 * refused names its field (err.field "title", "location" or "notes"),
 * here and in appt_edit. */
int appt_add(struct store *s, const struct appt_req *rq, struct change *ch, struct err *e);
/* Write a->id's new fields.  SEQUENCE goes up when the time, place,
 * status or rule changed (RFC 5545's significant changes), LAST-MODIFIED
 * is now, a series' end is computed again. */
int appt_edit(struct store *s, const struct appt_req *rq, struct change *ch, struct err *e);
/* Cancel (refused, ERR_CONFLICT, when it is already cancelled). */
int appt_cancel(struct store *s, long long id, long long now, struct change *ch, struct err *e);
/* The same with why (an APPT_CANCEL_REASON code, NULL: none given). */
int appt_cancel_reason(struct store *s, long long id, const char *reason, long long now,
                       struct change *ch, struct err *e);
/* Give an appointment to a patient.  One that has a patient already is
 * refused (ERR_CONFLICT, naming both ids) unless `reassign`. */
int appt_assign(struct store *s, long long id, long long patient_id, bool reassign,
                long long now, struct change *ch, struct err *e);
/* The same for every row of its series (its iCalendar UID: the series and
 * its moved or cancelled occurrences), in one transaction: all or none (a
 * row of another patient refuses them all unless `reassign`).  *count
 * (may be NULL) is how many rows were given, those already the patient's
 * left as they were. */
int appt_assign_series(struct store *s, long long id, long long patient_id, bool reassign,
                       long long now, size_t *count, struct change *ch, struct err *e);

/* What is unusual about an appointment's time, to be said beside the
 * save (a warning, never a refusal): its local day (in a->tzid, else
 * zone) is a Saturday or Sunday, or a holiday of h; it overlaps another
 * live appointment of the patient (a series' occurrences included), named
 * by id and local times.  One line each into out, none when nothing is
 * unusual; a->id (0 for a new one) is not compared with itself. */
int appt_warnings(struct store *s, const struct appointment *a, const char *zone,
                  const struct holidays *h, struct strlist *out, struct err *e);

#endif
