/* store_task: tasks (open ones indexed by due date) and medications. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define TASK_COLS "t.id, t.patient_id, t.title, t.kind, t.priority, t.status, t.due, " \
	"t.snoozed_until, t.plan_id, t.recurrence, t.note, t.completed_at, t.owner, t.version, " \
	"CASE WHEN p.given = '' THEN p.family ELSE p.family || ', ' || p.given END"
#define TASK_FROM " FROM task t JOIN patient p ON p.id = t.patient_id "

static void read_task(struct dbst *st, struct task *t)
{
	t->id = col_int(st, 0);
	t->patient_id = col_int(st, 1);
	t->title = col_text(st, 2);
	t->kind = col_text(st, 3);
	t->priority = col_text(st, 4);
	t->status = col_text(st, 5);
	t->due = col_text(st, 6);
	t->snoozed_until = col_text(st, 7);
	t->plan_id = col_int(st, 8);
	t->recurrence = col_text(st, 9);
	t->note = col_text(st, 10);
	t->completed_at = col_int(st, 11);
	t->owner = col_text(st, 12);
	t->version = col_int(st, 13);
	t->patient_name = col_text(st, 14);
}

static int check_task(const struct task *t, struct err *e)
{
	const struct {
		const struct codeset *set;
		const char *v;
	} c[] = {{&TASK_KIND, t->kind}, {&TASK_PRIORITY, t->priority}, {&TASK_STATUS, t->status}};
	if (!t->title || !*t->title)
		return err_set(e, ERR_USAGE, "a task needs a title");
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		if (c[i].v && code_find(c[i].set, c[i].v) < 0)
			return err_set(e, ERR_USAGE, "%s '%s' is not one of %s", c[i].set->name, c[i].v,
			               code_list(c[i].set));
	return 0;
}

static void bind_task(struct dbst *st, const struct task *t)
{
	bind_int(st, 1, t->patient_id);
	bind_text(st, 2, t->title);
	bind_text(st, 3, t->kind ? t->kind : "other");
	bind_text(st, 4, t->priority ? t->priority : "routine");
	bind_text(st, 5, t->status ? t->status : "requested");
	bind_text(st, 6, t->due);
	bind_text(st, 7, t->snoozed_until);
	bind_id(st, 8, t->plan_id);
	bind_text(st, 9, t->recurrence);
	bind_text(st, 10, t->note);
	bind_id(st, 11, t->completed_at);
	bind_int(st, 12, store_now());
}

int store_task_add(struct store *s, struct task *t, struct err *e)
{
	static const char sql[] =
		"INSERT INTO task(patient_id, title, kind, priority, status, due, snoozed_until, "
		"plan_id, recurrence, note, completed_at, created, updated) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12) RETURNING id";
	if (check_task(t, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", t->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_task(st, t);
	if (st_insert(s, st, "task", NULL, &t->id, e) < 0)
		goto fail;
	t->version = 1;            /* a new row's: the caller may update it */
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

/* The names of the fields an update changes, for its audit row (what a
 * person whose save lost the race is told). */
static char *task_diff(const struct task *was, const struct task *now)
{
	struct buf b = {0};
	diff_int(&b, "patient", was->patient_id, now->patient_id);
	diff_field(&b, "title", was->title, now->title);
	diff_field(&b, "kind", was->kind, now->kind ? now->kind : "other");
	diff_field(&b, "priority", was->priority, now->priority ? now->priority : "routine");
	diff_field(&b, "status", was->status, now->status ? now->status : "requested");
	diff_field(&b, "due", was->due, now->due);
	diff_field(&b, "snoozed until", was->snoozed_until, now->snoozed_until);
	diff_field(&b, "recurrence", was->recurrence, now->recurrence);
	diff_field(&b, "note", was->note, now->note);
	return buf_steal(&b);
}

int store_task_update(struct store *s, const struct task *t, struct err *e)
{
	static const char sql[] =
		"UPDATE task SET patient_id=?1, title=?2, kind=?3, priority=?4, status=?5, due=?6, "
		"snoozed_until=?7, plan_id=?8, recurrence=?9, note=?10, completed_at=?11, "
		"updated=?12, version = version + 1 WHERE id=?13 AND version=?14 RETURNING id";
	struct task was = {0};
	char *what = NULL;
	if (check_task(t, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	if (store_task_get(s, t->id, &was, e) < 0 || store_exists(s, "patient", t->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_task(st, t);
	bind_int(st, 13, t->id);
	bind_int(st, 14, t->version);
	int rc = st_update_of(s, st, "task", t->id, e);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		store_stale(s, "task", t->id, e);
		goto fail;
	}
	/* the status first (what the audit always said), then what changed */
	what = task_diff(&was, t);
	char *detail = *what ? xasprintf("%s; %s", t->status, what) : xstrdup(t->status);
	rc = store_audit(s, "update", "task", t->id, detail, e);
	free(detail);
	if (rc < 0)
		goto fail;
	task_clear(&was);
	free(what);
	return store_commit(s, e);
fail:
	task_clear(&was);
	free(what);
	store_rollback(s);
	return e->code;
}

int store_task_get(struct store *s, long long id, struct task *out, struct err *e)
{
	static const char sql[] = "SELECT " TASK_COLS TASK_FROM "WHERE t.id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_task(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no task with id %lld", id);
}

void q_task_unowned(struct sqlq *b, const char *day)
{
	q_where(b, "(t.owner IS NULL OR t.owner IN (SELECT m.login FROM team_member m "
	           "WHERE m.out_from <= ");
	q_text(b, day);
	q_sql(b, " AND m.out_to >= ");
	q_text(b, day);
	q_sql(b, "))");
}

int store_task_each(struct store *s, const struct task_query *q, store_task_fn *fn, void *ctx,
                    struct err *e)
{
	if (q->patient_id && store_exists(s, "patient", q->patient_id, e) < 0)
		return e->code;
	if (q->plan_id && store_exists(s, "care_plan", q->plan_id, e) < 0)
		return e->code;
	/* a plan's (task_plan), a patient's (task_patient) or all; open ones
	 * (task_open_due) unless every status is asked for.  Dated tasks by
	 * due date, then undated ones: two statements, each read in its
	 * index's order, so the first row comes without sorting every task
	 * (an undated task is never due by a date: --due leaves them out) */
	long long left = q->limit > 0 ? q->limit : -1;
	int rc = 0;
	for (int undated = 0; undated < (q->due_to ? 1 : 2) && left != 0 && rc == 0; undated++) {
		struct sqlq b = {0};
		q_sql(&b, "SELECT " TASK_COLS TASK_FROM);
		if (q->owner) {   /* task_owner */
			q_where(&b, "t.owner = ");
			q_text(&b, q->owner);
		} else if (q->owned) {
			q_where(&b, "t.owner IS NOT NULL");
		} else if (q->unowned_on) {
			q_task_unowned(&b, q->unowned_on);
		}
		if (q->done_from) {   /* task_completed */
			q_where(&b, "t.completed_at >= ");
			q_int(&b, q->done_from);
			q_sql(&b, " AND t.completed_at < ");
			q_int(&b, q->done_to);
		}
		if (q->on_hold)
			q_where(&b, "t.status = 'on-hold'");
		if (q->plan_id) {
			q_where(&b, "t.plan_id = ");
			q_int(&b, q->plan_id);
		} else if (q->patient_id) {
			q_where(&b, "t.patient_id = ");
			q_int(&b, q->patient_id);
		}
		if (!q->all_statuses && !q->done_from && !q->on_hold)
			q_where(&b, "t.status IN " SQL_OPEN_TASK);
		q_where(&b, undated ? "t.due IS NULL" : "t.due IS NOT NULL");
		if (q->due_to) {
			q_where(&b, "t.due <= ");
			q_text(&b, q->due_to);
		}
		/* (t.due too for the undated, all NULL: the order of an index
		 * on (due, id), which PostgreSQL does not see in id alone) */
		q_sql(&b, " ORDER BY t.due, t.id LIMIT ");
		q_int(&b, left < 0 ? SQL_NO_LIMIT : left);
		struct dbst *st = sq_prep(s, &b, e);
		if (!st)
			return e->code;
		st_stream(st);
		while ((rc = st_step(s, st, e)) == ST_ROW) {
			struct task t = {0};
			read_task(st, &t);
			rc = fn(ctx, &t);
			task_clear(&t);
			if (rc < 0)
				break;
			if (left > 0)
				left--;
		}
		st_reset(st);
		if (rc >= 0)
			rc = 0;
	}
	return rc;
}

static int push_task(void *list, struct task *t)
{
	*LIST_PUSH((struct task_list *)list) = *t;
	*t = (struct task){0};
	return 0;
}

int store_task_list(struct store *s, const struct task_query *q, struct task_list *out,
                    struct err *e)
{
	return store_task_each(s, q, push_task, out, e);
}

/* ---- medications ---- */

int store_med_add(struct store *s, struct medication *m, struct err *e)
{
	static const char sql[] =
		"INSERT INTO medication(patient_id, name, dose, prescriber_id, pharmacy_id, "
		"refill_due, status, created, updated) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8) RETURNING id";
	if (!m->name || !*m->name)
		return err_set(e, ERR_USAGE, "a medication needs a name");
	if (m->status && code_find(&MED_STATUS, m->status) < 0)
		return err_set(e, ERR_USAGE, "medication status '%s' is not one of %s", m->status,
		               code_list(&MED_STATUS));
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", m->patient_id, e) < 0 ||
	    (m->prescriber_id && store_exists(s, "contact", m->prescriber_id, e) < 0) ||
	    (m->pharmacy_id && store_exists(s, "contact", m->pharmacy_id, e) < 0))
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, m->patient_id);
	bind_text(st, 2, m->name);
	bind_text(st, 3, m->dose);
	bind_id(st, 4, m->prescriber_id);
	bind_id(st, 5, m->pharmacy_id);
	bind_text(st, 6, m->refill_due);
	bind_text(st, 7, m->status ? m->status : "active");
	bind_int(st, 8, store_now());
	if (st_insert(s, st, "medication", NULL, &m->id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

#define MED_COLS "id, patient_id, name, dose, prescriber_id, pharmacy_id, refill_due, status, version"

static void read_med(struct dbst *st, struct medication *m)
{
	m->id = col_int(st, 0);
	m->patient_id = col_int(st, 1);
	m->name = col_text(st, 2);
	m->dose = col_text(st, 3);
	m->prescriber_id = col_int(st, 4);
	m->pharmacy_id = col_int(st, 5);
	m->refill_due = col_text(st, 6);
	m->status = col_text(st, 7);
	m->version = col_int(st, 8);
}

int store_med_list(struct store *s, long long patient_id, struct medication_list *out,
                   struct err *e)
{
	static const char one[] =
		"SELECT " MED_COLS " FROM medication WHERE patient_id = ?1 "
		"ORDER BY status, name COLLATE NOCASE, id";
	static const char all[] =
		"SELECT " MED_COLS " FROM medication ORDER BY patient_id, status, name COLLATE NOCASE, id";
	if (patient_id && store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, patient_id ? one : all, e);
	if (!st)
		return e->code;
	if (patient_id)
		bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_med(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_med_get(struct store *s, long long id, struct medication *out, struct err *e)
{
	static const char sql[] = "SELECT " MED_COLS " FROM medication WHERE id = ?1";
	memset(out, 0, sizeof *out);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_med(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	if (rc != ST_ROW)
		return err_set(e, ERR_NOTFOUND, "no medication with id %lld", id);
	return 0;
}

int store_med_update(struct store *s, const struct medication *m, struct err *e)
{
	static const char sql[] =
		"UPDATE medication SET name=?1, dose=?2, refill_due=?3, status=?4, updated=?5, "
		"version = version + 1 WHERE id=?6 AND version=?7 RETURNING id";
	if (!m->name || !*m->name)
		return err_set(e, ERR_USAGE, "a medication needs a name");
	if (!m->status || code_find(&MED_STATUS, m->status) < 0)
		return err_set(e, ERR_USAGE, "medication status '%s' is not one of %s",
		               m->status ? m->status : "", code_list(&MED_STATUS));
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "medication", m->id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, m->name);
	bind_text(st, 2, m->dose);
	bind_text(st, 3, m->refill_due);
	bind_text(st, 4, m->status);
	bind_int(st, 5, store_now());
	bind_int(st, 6, m->id);
	bind_int(st, 7, m->version);
	int rc = st_update_of(s, st, "medication", m->id, e);
	if (rc == 0)   /* someone else's update came first */
		rc = store_stale(s, "medication", m->id, e);
	if (rc < 0 || store_audit(s, "update", "medication", m->id, NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}
