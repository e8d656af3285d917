/* store_plan: care plans, goals, and the tasks a plan made. */
#include <string.h>

#include "caseload/store_plan.h"
#include "store_internal.h"

#define PLAN_COLS "id, patient_id, template, title, status, start, review_every, created, version"

static void read_plan(struct dbst *st, struct care_plan *p)
{
	p->id = col_int(st, 0);
	p->patient_id = col_int(st, 1);
	p->template_name = col_text(st, 2);
	p->title = col_text(st, 3);
	p->status = col_text(st, 4);
	p->start = col_text(st, 5);
	p->review_every = col_text(st, 6);
	p->created = col_int(st, 7);
	p->version = col_int(st, 8);
}

int store_plan_add(struct store *s, struct care_plan *p, const char *detail, struct err *e)
{
	static const char sql[] =
		"INSERT INTO care_plan(patient_id, template, title, status, start, review_every, "
		"detail, created, updated) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8) RETURNING id";
	if (!p->title || !*p->title || !p->start)
		return err_set(e, ERR_USAGE, "a care plan needs a title and a start date");
	if (p->status && code_find(&PLAN_STATUS, p->status) < 0)
		return err_set(e, ERR_USAGE, "care plan status '%s' is not one of %s", p->status,
		               code_list(&PLAN_STATUS));
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", p->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, p->patient_id);
	bind_text(st, 2, p->template_name);
	bind_text(st, 3, p->title);
	bind_text(st, 4, p->status ? p->status : "active");
	bind_text(st, 5, p->start);
	bind_text(st, 6, p->review_every);
	bind_text(st, 7, detail);
	bind_int(st, 8, store_now());
	if (st_insert(s, st, "care_plan", p->template_name, &p->id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_plan_get(struct store *s, long long id, struct care_plan *out, char **detail,
                   struct err *e)
{
	static const char sql[] = "SELECT " PLAN_COLS ", detail FROM care_plan WHERE id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW) {
		read_plan(st, out);
		if (detail)
			*detail = col_text(st, 9);
	}
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no care plan with id %lld", id);
}

int store_plan_set_status(struct store *s, long long id, const char *status, long long version,
                          struct err *e)
{
	static const char sql[] = "UPDATE care_plan SET status = ?1, updated = ?2, version = version + 1 "
	                          "WHERE id = ?3 AND version = ?4 RETURNING id";
	if (code_find(&PLAN_STATUS, status) < 0)
		return err_set(e, ERR_USAGE, "care plan status '%s' is not one of %s", status,
		               code_list(&PLAN_STATUS));
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "care_plan", id, e) < 0 || undo_before(s, "care_plan", id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, status);
	bind_int(st, 2, store_now());
	bind_int(st, 3, id);
	bind_int(st, 4, version);
	int rc = st_update(s, st, e);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		store_stale(s, "care_plan", id, e);
		goto fail;
	}
	if (store_audit(s, "update", "care_plan", id, status, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_plan_find_active(struct store *s, long long patient_id, const char *template_name,
                           long long *id, struct err *e)
{
	static const char sql[] =
		"SELECT id FROM care_plan WHERE patient_id = ?1 AND template = ?2 "
		"AND status = 'active' ORDER BY id DESC LIMIT 1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, template_name);
	int rc = st_step(s, st, e);
	*id = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_plan_list(struct store *s, long long patient_id, bool active_only,
                    struct plan_list *out, struct err *e)
{
	if (patient_id && store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	/* a patient's on care_plan_patient */
	struct sqlq b = {0};
	q_sql(&b, "SELECT " PLAN_COLS " FROM care_plan");
	if (patient_id) {
		q_where(&b, "patient_id = ");
		q_int(&b, patient_id);
	}
	if (active_only)
		q_where(&b, "status = 'active'");
	q_sql(&b, " ORDER BY status != 'active', start DESC, id DESC");
	struct dbst *st = sq_prep(s, &b, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_plan(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_plan_task_counts(struct store *s, long long plan_id, int *open, int *total,
                           struct err *e)
{
	static const char sql[] =
		"SELECT count(*), count(*) FILTER (WHERE status IN " SQL_OPEN_TASK ") "
		"FROM task WHERE plan_id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, plan_id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW) {
		*total = (int)col_int(st, 0);
		*open = (int)col_int(st, 1);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_plan_cancel_tasks(struct store *s, long long plan_id, int *n, struct err *e)
{
	static const char open_sql[] =
		"SELECT id FROM task WHERE plan_id = ? "
		"AND status IN " SQL_OPEN_TASK " ORDER BY id";
	static const char cancel_sql[] =
		"UPDATE task SET status = 'cancelled', updated = ?1, version = version + 1 WHERE id = ?2";
	struct task_list ids = {0};
	*n = 0;
	if (store_begin(s, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, open_sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, plan_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		LIST_PUSH(&ids)->id = col_int(st, 0);
	st_reset(st);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < ids.len; i++) {
		if (!(st = st_prep(s, cancel_sql, e)))
			goto fail;
		bind_int(st, 1, store_now());
		bind_int(st, 2, ids.items[i].id);
		if (undo_before(s, "task", ids.items[i].id, e) < 0 || st_exec(s, st, e) < 0 ||
		    store_audit(s, "update", "task", ids.items[i].id, "cancelled", e) < 0)
			goto fail;
	}
	*n = (int)ids.len;
	task_list_free(&ids);
	return store_commit(s, e);
fail:
	task_list_free(&ids);
	store_rollback(s);
	return e->code;
}

int store_goal_add(struct store *s, struct goal *g, struct err *e)
{
	static const char sql[] =
		"INSERT INTO goal(plan_id, patient_id, description, target, due, status, created) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7) RETURNING id";
	if (!g->description || !*g->description)
		return err_set(e, ERR_USAGE, "a goal needs a description");
	if (g->status && code_find(&GOAL_STATUS, g->status) < 0)
		return err_set(e, ERR_USAGE, "goal status '%s' is not one of %s", g->status,
		               code_list(&GOAL_STATUS));
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "care_plan", g->plan_id, e) < 0 ||
	    store_exists(s, "patient", g->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, g->plan_id);
	bind_int(st, 2, g->patient_id);
	bind_text(st, 3, g->description);
	bind_text(st, 4, g->target);
	bind_text(st, 5, g->due);
	bind_text(st, 6, g->status ? g->status : "active");
	bind_int(st, 7, store_now());
	if (st_insert(s, st, "goal", NULL, &g->id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_goal_list(struct store *s, long long plan_id, struct goal_list *out, struct err *e)
{
	static const char sql[] =
		"SELECT id, plan_id, patient_id, description, target, due, status FROM goal "
		"WHERE plan_id = ? ORDER BY id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, plan_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct goal *g = LIST_PUSH(out);
		g->id = col_int(st, 0);
		g->plan_id = col_int(st, 1);
		g->patient_id = col_int(st, 2);
		g->description = col_text(st, 3);
		g->target = col_text(st, 4);
		g->due = col_text(st, 5);
		g->status = col_text(st, 6);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
