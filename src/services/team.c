/* team: people, coverage, owners and the review's scope. */
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_team.h"
#include "caseload/team.h"
#include "caseload/text.h"
#include "caseload/util.h"

int team_member_save(struct store *s, struct member *m, struct change *ch, struct err *e)
{
	const struct text_field f[] = {{"login", m->login, false}, {"name", m->name, false}};
	if (text_check_fields(f, sizeof f / sizeof f[0], e) < 0 || store_begin(s, e) < 0)
		return e->code;
	struct member old = {0};
	int rc = store_member_get(s, m->login, &old, e);
	if (rc == ERR_NOTFOUND)
		rc = store_member_add(s, m, e);
	else if (rc == 0) {
		struct member now = old;   /* the days out stay as they are */
		now.name = m->name;
		now.role = m->role ? m->role : old.role;
		if (m->version)
			now.version = m->version;
		rc = store_member_update(s, &now, e);
		m->id = old.id;
	}
	member_clear(&old);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_TASK, 0, m->id);
}

int team_member_out(struct store *s, const char *login, const char *from, const char *to,
                    struct change *ch, struct err *e)
{
	if (store_begin(s, e) < 0)
		return e->code;
	struct member m = {0};
	int rc = store_member_get(s, login, &m, e);
	if (rc == ERR_NOTFOUND)
		rc = err_set(e, ERR_NOTFOUND, "%s is not on the team", login);
	if (rc == 0) {
		str_set(&m.out_from, from);
		str_set(&m.out_to, to);
		rc = store_member_update(s, &m, e);
	}
	long long id = m.id;
	member_clear(&m);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_TASK, 0, id);
}

int team_task_take(struct store *s, long long task_id, const char *login, struct change *ch,
                   struct err *e)
{
	char *holder = NULL;
	int rc = store_task_take(s, task_id, login, &holder, e);
	free(holder);
	if (rc < 0)
		return rc;
	struct task t = {0};
	struct err ignore = {0};
	long long pid = store_task_get(s, task_id, &t, &ignore) == 0 ? t.patient_id : 0;
	task_clear(&t);
	return change_record(ch, CHANGE_TASK, pid, task_id);
}

int team_task_assign(struct store *s, long long task_id, const char *login, long long version,
                     struct change *ch, struct err *e)
{
	struct task t = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	int rc = store_task_get(s, task_id, &t, e);
	if (rc == 0 && !task_status_open(t.status))
		rc = err_set(e, ERR_USAGE, "task %lld is already %s", task_id, t.status);
	if (rc == 0)
		rc = store_task_assign(s, task_id, login, version ? version : t.version, e);
	long long pid = t.patient_id;
	task_clear(&t);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_TASK, pid, task_id);
}

int team_patient_assign(struct store *s, long long patient_id, const char *login,
                        long long version, struct change *ch, struct err *e)
{
	struct patient p = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	int rc = store_patient_get(s, patient_id, &p, e);
	if (rc == 0)
		rc = store_patient_assign(s, patient_id, login, version ? version : p.version, e);
	patient_clear(&p);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_PATIENT | CHANGE_REVIEW, patient_id, patient_id);
}

int team_default_coordinator(struct store *s, struct patient *p, const char *by,
                             struct err *e)
{
	if ((p->coordinator && *p->coordinator) || !by)
		return 0;
	struct member m = {0};
	int rc = store_member_get(s, by, &m, e);
	if (rc == 0)
		str_set(&p->coordinator, m.login);
	member_clear(&m);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

int team_workload(struct store *s, int today, struct workload_list *out, struct err *e)
{
	char day[DATE_STRLEN];
	return store_team_workload(s, date_format(today, day), out, e);
}

int team_review_scope(struct store *s, const char *user, bool team, struct review_scope *out,
                      struct err *e)
{
	long long n = 0;
	struct member m = {0};
	*out = (struct review_scope){0};
	if (team)
		return 0;
	if (store_member_count(s, &n, e) < 0)
		return e->code;
	if (n <= 1)
		return 0;
	int rc = store_member_get(s, user, &m, e);
	if (rc == ERR_NOTFOUND)   /* not on the team: the patients they coordinate, if any */
		rc = 0;
	if (rc < 0)
		return rc;
	bool supervisor = team_role_supervises(m.role);
	member_clear(&m);
	if (supervisor)
		return 0;
	out->mine = true;
	out->login = xstrdup(user);
	return store_member_patients(s, user, &out->ids, &out->n, e);
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

bool team_scope_has(const struct review_scope *sc, long long patient_id)
{
	return !sc || !sc->mine ||
	       (sc->n && bsearch(&patient_id, sc->ids, sc->n, sizeof *sc->ids, cmp_id));
}

void team_scope_apply(const struct review_scope *sc, struct review_list *l,
                      struct review_queue *q)
{
	if (!sc || !sc->mine)
		return;
	size_t k = 0;
	for (size_t i = 0; l && i < l->len; i++) {
		if (team_scope_has(sc, l->items[i].patient_id))
			l->items[k++] = l->items[i];
		else {
			free(l->items[i].patient);
			free(l->items[i].detail);
		}
	}
	if (l)
		l->len = k;
	k = 0;
	for (size_t i = 0; q && i < q->len; i++) {
		if (team_scope_has(sc, q->items[i].id))
			q->items[k++] = q->items[i];
		else
			q->n_items -= q->items[i].n_items;
	}
	if (q)
		q->len = k;
}

long long team_scope_need(const struct review_scope *sc, const struct review_cache *c)
{
	if (!sc || !sc->mine)
		return c->need;
	long long n = 0;
	for (size_t i = 0; i < sc->n; i++)
		n += review_cache_needs(c, sc->ids[i]);
	return n;
}

void team_scope_free(struct review_scope *sc)
{
	free(sc->ids);
	free(sc->login);
	*sc = (struct review_scope){0};
}

bool team_covered(const struct member_list *all, const char *login, const char *day)
{
	if (!login)
		return false;
	for (size_t i = 0; i < all->len; i++)
		if (!strcmp(all->items[i].login, login))
			return member_out_on(&all->items[i], day);
	return false;
}
