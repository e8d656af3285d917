/* store_team: the people of a team (team_member), who owns which task and
 * which patient, the workload per person, and the version check every
 * update of a mutable row makes (no silent overwrite when two people
 * edit one record).  Lists own their strings. */
#ifndef CASELOAD_STORE_TEAM_H
#define CASELOAD_STORE_TEAM_H
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* Add a person (audited; m->id set); ERR_CONFLICT when the login is
 * taken.  Role defaults to coordinator. */
int store_member_add(struct store *s, struct member *m, struct err *e);
/* Write name, role and the days out over member m->id, if m->version is
 * still the row's (ERR_CONFLICT naming who changed it otherwise). */
int store_member_update(struct store *s, const struct member *m, struct err *e);
/* ERR_NOTFOUND (quietly, e untouched) when no one has this login. */
int store_member_get(struct store *s, const char *login, struct member *out, struct err *e);
/* Everyone, by login. */
int store_member_list(struct store *s, struct member_list *out, struct err *e);
int store_member_count(struct store *s, long long *n, struct err *e);

/* Claim an open task that has no owner: one UPDATE ... WHERE owner IS
 * NULL, so that of two people at once exactly one gets it.  Refused with
 * ERR_CONFLICT when it has an owner (*holder set to their login, caller
 * frees) or is closed; ERR_NOTFOUND when there is no such task. */
int store_task_take(struct store *s, long long id, const char *login, char **holder,
                    struct err *e);
/* Give task id to login (NULL: to no one), if its version is still
 * `version` (ERR_CONFLICT naming who changed it otherwise). */
int store_task_assign(struct store *s, long long id, const char *login, long long version,
                      struct err *e);
/* Make login patient id's primary coordinator, version checked. */
int store_patient_assign(struct store *s, long long id, const char *login, long long version,
                         struct err *e);

/* The ids of the patients whose primary coordinator is login, ascending
 * (*ids: caller frees). */
int store_member_patients(struct store *s, const char *login, long long **ids, size_t *n,
                          struct err *e);

/* A person's load on a day: their active patients, open tasks, and of
 * those the overdue ones and the ones due that day.  The last row of a
 * workload (login NULL) counts the active patients no one coordinates
 * and the open tasks no one owns. */
struct workload {
	struct member m;
	long long patients, open, overdue, due_today;
};
LIST_OF(workload, workload_list);
int store_team_workload(struct store *s, const char *today, struct workload_list *out,
                        struct err *e);
void workload_list_free(struct workload_list *l);

#endif
