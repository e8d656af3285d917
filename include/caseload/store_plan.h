/* store_plan: care plans and their goals in the database (tables care_plan
 * and goal), the tasks a plan created, and closing a plan.  Every change
 * writes an audit row; lists own their strings (free with the model's
 * _free functions). */
#ifndef CASELOAD_STORE_PLAN_H
#define CASELOAD_STORE_PLAN_H
#include <stdbool.h>
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* Insert p (status "active" when NULL); p->id is set.  `detail` is free
 * text kept with the plan (description, education, resources). */
int store_plan_add(struct store *s, struct care_plan *p, const char *detail, struct err *e);
/* One plan; *detail (may be NULL) gets a copy of its detail text. */
int store_plan_get(struct store *s, long long id, struct care_plan *out, char **detail,
                   struct err *e);
/* The plan's status, if its version is still `version` (ERR_CONFLICT
 * naming who changed it and what otherwise). */
int store_plan_set_status(struct store *s, long long id, const char *status, long long version,
                          struct err *e);
/* The newest active plan of a patient made from `template_name`: *id, or
 * 0 when there is none. */
int store_plan_find_active(struct store *s, long long patient_id, const char *template_name,
                           long long *id, struct err *e);
/* A patient's plans (patient_id 0: every patient's), active ones first,
 * newest first. */
int store_plan_list(struct store *s, long long patient_id, bool active_only,
                    struct plan_list *out, struct err *e);
/* Tasks of a plan: how many are still open, and in all. */
int store_plan_task_counts(struct store *s, long long plan_id, int *open, int *total,
                           struct err *e);
/* Cancel the plan's open tasks (an audit row each); *n gets the count. */
int store_plan_cancel_tasks(struct store *s, long long plan_id, int *n, struct err *e);

int store_goal_add(struct store *s, struct goal *g, struct err *e);
int store_goal_list(struct store *s, long long plan_id, struct goal_list *out, struct err *e);

#endif
