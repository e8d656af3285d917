/* team: a team on one caseload.  Its people (a login, which the audit
 * records as who, a display name and a role), coverage (the days a person
 * is out: their open tasks show to the team as covered), who owns which
 * task (assigned, or taken: an atomic claim of a task no one owns) and
 * who is each patient's primary coordinator, the workload per person, and
 * whose patients the daily review shows.  Each change is one transaction
 * with its audit rows and notes what it changed in `ch` (may be NULL). */
#ifndef CASELOAD_TEAM_H
#define CASELOAD_TEAM_H
#include <stdbool.h>
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* Add m to the team (role default coordinator), or, when the login is on
 * the team already, give it m's name and role (m->version: the one read;
 * 0: the current one). */
int team_member_save(struct store *s, struct member *m, struct change *ch, struct err *e);
/* login is out from `from` to `to` (YYYY-MM-DD, both or neither: NULL
 * for back). */
int team_member_out(struct store *s, const char *login, const char *from, const char *to,
                    struct change *ch, struct err *e);
/* Take task id for login: refused (ERR_CONFLICT, saying who has it) when
 * someone owns it already. */
int team_task_take(struct store *s, long long task_id, const char *login, struct change *ch,
                   struct err *e);
/* Give task id to login (NULL: to no one).  version: the task's version
 * as the caller saw it (0: as read now, in this transaction). */
int team_task_assign(struct store *s, long long task_id, const char *login, long long version,
                     struct change *ch, struct err *e);
/* Make login the primary coordinator of patient id (version as above). */
int team_patient_assign(struct store *s, long long patient_id, const char *login,
                        long long version, struct change *ch, struct err *e);
/* A new patient with no primary coordinator gets the person adding
 * them (login `by`, may be NULL), when that person is on the team:
 * every patient of a team is someone's, and in their review. */
int team_default_coordinator(struct store *s, struct patient *p, const char *by,
                             struct err *e);

/* Each person's load on the day `today` (a civil date): active patients, open
 * tasks and of those the overdue and due-today ones, and the days out;
 * the last row (m.login NULL) the open tasks no one owns.  What `team
 * workload` prints and the screen's workload view shows. */
struct workload_list;
int team_workload(struct store *s, int today, struct workload_list *out,
                  struct err *e);

/* Whose patients the daily review shows `user`: with `team`, everyone's;
 * by default their own when the team has more than one person and user
 * is not a supervisor, everyone's otherwise.  The review's rules and its
 * order stay review.h's: a scope only leaves out the other patients. */
struct review_scope {
	bool mine;                 /* only the patients in ids */
	long long *ids;            /* ascending */
	size_t n;
	char *login;
};
int team_review_scope(struct store *s, const char *user, bool team, struct review_scope *out,
                      struct err *e);
bool team_scope_has(const struct review_scope *sc, long long patient_id);
/* Leave out of l and q (either may be NULL) the patients not in scope. */
struct review_list;
struct review_queue;
void team_scope_apply(const struct review_scope *sc, struct review_list *l,
                      struct review_queue *q);
void team_scope_free(struct review_scope *sc);
/* How many of the patients in scope need review, from the day's
 * verdicts (c done): the screen's title count, the same patients as the
 * review's. */
struct review_cache;
long long team_scope_need(const struct review_scope *sc, const struct review_cache *c);
/* The members out on `day` (YYYY-MM-DD) among `all`: whether login is. */
bool team_covered(const struct member_list *all, const char *login, const char *day);

#endif
