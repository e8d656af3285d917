/* care: the everyday changes a coordinator makes, the same from the
 * command line, the screen and the review card: log a contact or note
 * (with its minutes counted as care management time), record a discharge
 * or minutes, add, edit, complete or snooze a task, confirm transport,
 * acknowledge a timeline entry, and the records around a patient
 * (contacts, care team, medications).  Each is one
 * transaction with its audit rows, and notes what it changed in `ch`
 * (which may be NULL) so the screen reloads only what shows it. */
#ifndef CASELOAD_CARE_H
#define CASELOAD_CARE_H
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* Add a timeline entry; en->minutes > 0 also logs that time on the
 * entry's local day in `zone` toward en->program, or (NULL) the program
 * the patient is enrolled in and consented to that day (refused when
 * several: time log says which); in none, the minutes stay the entry's
 * alone.  A program named must be one the patient is enrolled in and
 * consented to that day (care_time_log's rule), else refused.  Sets
 * en->id. */
int care_log_entry(struct store *s, struct entry *en, const char *zone, struct change *ch,
                   struct err *e);
/* Where a discharged patient went: home, home-health, snf, rehab,
 * hospice, other-hospital, other. */
extern const struct codeset DISCHARGE_DISPOSITION;
/* A hospital discharge on the timeline (it needs acknowledging, and the
 * review follows it up: the transitional-care contact and visit clocks
 * start at en->at).  disposition (may be NULL) is a DISCHARGE_DISPOSITION
 * code, kept at the head of the entry's text.  Opens the discharge's TCM
 * episode on its day in zone (the coordinator's; billing.h tcm_open).
 * Sets en->id. */
int care_discharge(struct store *s, struct entry *en, const char *disposition, const char *zone,
                   struct change *ch, struct err *e);
/* A hospital admission (en->facility), to acknowledge.  Sets en->id. */
int care_admission(struct store *s, struct entry *en, struct change *ch, struct err *e);
/* A result (en->text: what came back), to acknowledge.  Sets en->id. */
int care_result(struct store *s, struct entry *en, struct change *ch, struct err *e);
/* Minutes spent on a patient on a day, toward program (NULL: the only
 * one the patient is enrolled in and consented to that day; refused when
 * there is none, or several).  Sets t->id and t->episode_id. */
int care_time_log(struct store *s, struct time_entry *t, const char *program,
                  struct change *ch, struct err *e);

/* A new task (kind, priority and status default to other, routine and
 * requested).  Sets t->id. */
int care_task_add(struct store *s, struct task *t, struct change *ch, struct err *e);
/* Write every field of an open task (t->id names it); with t->version
 * set (the version the editor read), refused with ERR_CONFLICT naming who
 * changed it and what when that is no longer the task's. */
int care_task_edit(struct store *s, const struct task *t, struct change *ch, struct err *e);
/* Complete an open task (refused if it is already closed). */
int care_task_done(struct store *s, long long task_id, long long now, struct change *ch,
                   struct err *e);
/* Put an open task aside until a day after `today`. */
int care_task_snooze(struct store *s, long long task_id, int today, int until,
                     struct change *ch, struct err *e);
/* Cancel an open task with a note saying why (after any note it had):
 * nothing is deleted, it leaves the queues, and the timeline says so (a
 * task-event entry at `now` with its title and the note). */
int care_task_cancel(struct store *s, long long task_id, const char *note, long long now,
                     struct change *ch, struct err *e);
/* Transport for an appointment is confirmed (its SEQUENCE goes up). */
int care_confirm_transport(struct store *s, long long appt_id, long long now,
                           struct change *ch, struct err *e);
/* A result, discharge or message on the timeline has been seen; one
 * acknowledged already (by someone else since it was shown, or before)
 * is refused with ERR_CONFLICT naming who acknowledged it and when. */
int care_acknowledge(struct store *s, long long entry_id, long long now, struct change *ch,
                      struct err *e);

/* Records around patients.  Each sets the new record's id. */
int care_contact_add(struct store *s, struct contact *c, struct change *ch, struct err *e);
/* Write every field of c over contact c->id, checked as for an add (a
 * name, a known kind); an empty public label is none.  Refused with
 * ERR_CONFLICT when c->version (the one read) is no longer the row's;
 * on success c->version is the new one. */
int care_contact_edit(struct store *s, struct contact *c, struct change *ch, struct err *e);
int care_team_add(struct store *s, long long patient_id, long long contact_id, const char *role,
                  long long *id, struct change *ch, struct err *e);
int care_med_add(struct store *s, struct medication *m, struct change *ch, struct err *e);
/* Write name, dose, refill due and status (active or stopped) over
 * medication m->id, one change that can be undone; m->version 0 is the
 * row's as it is, else the one the editor read (refused with ERR_CONFLICT
 * naming who changed it when that is no longer the row's).  On success
 * m->patient_id is the row's and m->version the new one. */
int care_med_edit(struct store *s, struct medication *m, struct change *ch, struct err *e);
/* The same for a condition's name, onset (YYYY-MM-DD or NULL) and status
 * (CONDITION_STATUS). */
int care_condition_edit(struct store *s, struct condition *c, struct change *ch, struct err *e);
/* A new contact on the patient's care team with a role (both, one
 * transaction); sets c->id and *id (the care-team row). */
int care_team_member_add(struct store *s, long long patient_id, struct contact *c,
                         const char *role, long long *id, struct change *ch, struct err *e);
/* A care-team member edited: their contact c (as care_contact_edit,
 * c->version the one read) and the role on care-team row team_id
 * (team_version the one read), one transaction and one change that can
 * be undone. */
int care_team_edit(struct store *s, long long team_id, long long team_version,
                   struct contact *c, const char *role, struct change *ch, struct err *e);
/* A condition of the patient (onset YYYY-MM-DD or NULL); sets *id. */
int care_condition_add(struct store *s, long long patient_id, const char *name, const char *onset,
                       long long *id, struct change *ch, struct err *e);

#endif
