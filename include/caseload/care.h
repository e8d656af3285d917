/* care: the everyday changes a coordinator makes, the same from the
 * command line, the screen and the review card: log a contact or note
 * (with its minutes counted as care management time), complete or snooze
 * a task, confirm transport, acknowledge a timeline entry.  Each is one
 * transaction with its audit rows, and notes what it changed in `ch`
 * (which may be NULL) so the screen reloads only what shows it. */
#ifndef CASELOAD_CARE_H
#define CASELOAD_CARE_H
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* Add a timeline entry; en->minutes > 0 also logs that time on the
 * entry's local day in `zone`.  Sets en->id. */
int care_log_entry(struct store *s, struct entry *en, const char *zone, struct change *ch,
                   struct err *e);
/* Complete an open task (refused if it is already closed). */
int care_task_done(struct store *s, long long task_id, long long now, struct change *ch,
                   struct err *e);
/* Put an open task aside until a day after `today`. */
int care_task_snooze(struct store *s, long long task_id, int today, int until,
                     struct change *ch, struct err *e);
/* Transport for an appointment is confirmed (its SEQUENCE goes up). */
int care_confirm_transport(struct store *s, long long appt_id, long long now,
                           struct change *ch, struct err *e);
/* A result, discharge or message on the timeline has been seen. */
int care_acknowledge(struct store *s, long long entry_id, long long now, struct change *ch,
                      struct err *e);

#endif
