/* plan: a care-plan template applied to a patient.  plan_expand turns a
 * template, a start date and the patient's risk level into dated goals and
 * tasks (repeating tasks expanded in full: one task per occurrence, up to
 * the entry's count or until); plan_apply writes the plan, its goals and
 * tasks, the patient's check-in cadence and a timeline event in one
 * transaction; plan_close ends a plan and cancels its open tasks. */
#ifndef CASELOAD_PLAN_H
#define CASELOAD_PLAN_H
#include <stdbool.h>
#include "caseload/change.h"
#include "caseload/date.h"
#include "caseload/err.h"
#include "caseload/template.h"

struct store;

struct plan_item {
	const struct tpl_task *task;   /* points into the template */
	int due;
	int seq, of;                   /* occurrence seq of `of`; 0 if not repeating */
	int order;                     /* position in the template, for ties */
};

struct plan_draft {
	int start;
	int horizon;                   /* the last due date of anything in the plan */
	struct plan_item *items;       /* by due date, then template order */
	size_t len, cap;
	int *goal_due;                 /* per template goal; DATE_NONE if undated */
	size_t n_goals;
};

/* risk: index in RISK (0 low, 1 medium, 2 high).  Errors name the
 * template's file and the entry's line. */
int plan_expand(const struct template *t, int start, int risk, const struct holidays *h,
                struct plan_draft *out, struct err *e);
void plan_draft_free(struct plan_draft *d);
/* The text kept in a task's recurrence column: "every 1mo, 3 of 12". */
char *plan_item_recurrence(const struct plan_item *it);

/* Everything `template check` verifies beyond loading: the template
 * expands for every risk level from `start`. */
int plan_check(const struct template *t, int start, const struct holidays *h, struct err *e);

struct plan_apply_opts {
	long long patient_id;
	int start;                     /* civil date */
	bool again;                    /* allow a second active plan of this template */
	long long now;                 /* UTC instant of the timeline event */
	const struct holidays *holidays;
};
/* Refuses (ERR_CONFLICT) an active plan of the same template unless
 * `again`.  All or nothing. */
int plan_apply(struct store *s, const struct template *t, const struct plan_apply_opts *o,
               long long *plan_id, struct change *ch, struct err *e);
/* status: "completed" (default when NULL) or "revoked" (stopped early).
 * version: the plan's as the caller read it (0: as read now, in this
 * transaction); a plan changed since, or closed already, is refused with
 * ERR_CONFLICT (naming who changed it and what when the version differs).
 * *cancelled gets the number of open tasks cancelled. */
int plan_close(struct store *s, long long plan_id, const char *status, long long version,
               long long now, int *cancelled, struct change *ch, struct err *e);

#endif
