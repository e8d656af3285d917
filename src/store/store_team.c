/* store_team: team members, owners of tasks and patients, the workload,
 * and the version check of updates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/store_team.h"
#include "store_internal.h"

int st_update(struct store *s, struct dbst *st, struct err *e)
{
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)   /* RETURNING's row: the change is made; finish */
		rc = st_step(s, st, e) == ST_DONE ? 1 : e->code;
	else if (rc == ST_DONE)
		rc = 0;
	st_reset(st);
	return rc;
}

void diff_field(struct buf *b, const char *name, const char *was, const char *now)
{
	if (str_eq(was && *was ? was : NULL, now && *now ? now : NULL))
		return;
	if (b->len)
		buf_add(b, ", ");
	buf_add(b, name);
}

void diff_int(struct buf *b, const char *name, long long was, long long now)
{
	if (was == now)
		return;
	if (b->len)
		buf_add(b, ", ");
	buf_add(b, name);
}

/* "2026-12-03 14:05 UTC" */
static void fmt_utc(long long at, char out[32])
{
	char day[DATE_STRLEN];
	int d = date_of_utc(at);
	long long secs = at - date_utc_midnight(d);
	snprintf(out, 32, "%s %02lld:%02lld UTC", date_format(d, day), secs / 3600,
	         secs / 60 % 60);
}

int store_stale(struct store *s, const char *tbl, long long id, struct err *e)
{
	struct audit_list l = {0};
	struct err ignore = {0};
	if (store_audit_list(s, tbl, id, 1, &l, &ignore) < 0 || l.len == 0) {
		audit_list_free(&l);
		return err_set(e, ERR_CONFLICT,
		               "%s %lld was changed by someone else since it was read: "
		               "nothing was saved; read it again", tbl, id);
	}
	const struct audit_row *a = &l.items[0];
	char when[32];
	fmt_utc(a->at, when);
	err_set(e, ERR_CONFLICT,
	        "%s %lld was changed by %s at %s since it was read (%s%s%s): "
	        "nothing was saved; read it again", tbl, id, a->who, when, a->action,
	        a->detail && *a->detail ? ": " : "", a->detail ? a->detail : "");
	audit_list_free(&l);
	return ERR_CONFLICT;
}

/* ---- members ---- */

#define MEMBER_COLS "id, login, name, role, out_from, out_to, version"

static void read_member(struct dbst *st, struct member *m)
{
	m->id = col_int(st, 0);
	m->login = col_text(st, 1);
	m->name = col_text(st, 2);
	m->role = col_text(st, 3);
	m->out_from = col_text(st, 4);
	m->out_to = col_text(st, 5);
	m->version = col_int(st, 6);
}

static int check_member(const struct member *m, struct err *e)
{
	if (!m->login || !*m->login)
		return err_set(e, ERR_USAGE, "a team member needs a login");
	if (!m->name || !*m->name)
		return err_set(e, ERR_USAGE, "team member %s needs a name", m->login);
	if (m->role && code_find(&TEAM_ROLE, m->role) < 0)
		return err_set(e, ERR_USAGE, "role '%s' is not one of %s", m->role,
		               code_list(&TEAM_ROLE));
	if (!m->out_from != !m->out_to)
		return err_set(e, ERR_USAGE, "days out need both a first and a last day");
	if (m->out_from && strcmp(m->out_from, m->out_to) > 0)
		return err_set(e, ERR_USAGE, "the last day out (%s) is before the first (%s)",
		               m->out_to, m->out_from);
	return 0;
}

int store_member_get(struct store *s, const char *login, struct member *out, struct err *e)
{
	static const char sql[] = "SELECT " MEMBER_COLS " FROM team_member WHERE login = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, login);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_member(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : ERR_NOTFOUND;
}

int store_member_add(struct store *s, struct member *m, struct err *e)
{
	static const char sql[] =
		"INSERT INTO team_member(login, name, role, out_from, out_to, created, updated) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)";
	if (check_member(m, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	struct member old = {0};
	int rc = store_member_get(s, m->login, &old, e);
	member_clear(&old);
	if (rc == 0) {
		err_set(e, ERR_CONFLICT, "%s is on the team already", m->login);
		goto fail;
	}
	if (rc != ERR_NOTFOUND)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, m->login);
	bind_text(st, 2, m->name);
	bind_text(st, 3, m->role ? m->role : "coordinator");
	bind_text(st, 4, m->out_from);
	bind_text(st, 5, m->out_to);
	bind_int(st, 6, store_now());
	if (st_insert(s, st, "team_member", m->login, &m->id, e) < 0)
		goto fail;
	m->version = 1;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_member_update(struct store *s, const struct member *m, struct err *e)
{
	static const char sql[] =
		"UPDATE team_member SET name = ?1, role = ?2, out_from = ?3, out_to = ?4, "
		"updated = ?5, version = version + 1 WHERE id = ?6 AND version = ?7 RETURNING id";
	if (check_member(m, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	struct member old = {0};
	struct buf what = {0};
	int rc = store_member_get(s, m->login, &old, e);
	if (rc == ERR_NOTFOUND)
		err_set(e, ERR_NOTFOUND, "%s is not on the team", m->login);
	if (rc < 0)
		goto fail;
	diff_field(&what, "name", old.name, m->name);
	diff_field(&what, "role", old.role, m->role);
	if (!str_eq(old.out_from, m->out_from) || !str_eq(old.out_to, m->out_to))
		diff_field(&what, "days out", "", "changed");
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, m->name);
	bind_text(st, 2, m->role ? m->role : "coordinator");
	bind_text(st, 3, m->out_from);
	bind_text(st, 4, m->out_to);
	bind_int(st, 5, store_now());
	bind_int(st, 6, old.id);
	bind_int(st, 7, m->version);
	if ((rc = st_update(s, st, e)) < 0)
		goto fail;
	if (rc == 0) {
		store_stale(s, "team_member", old.id, e);
		goto fail;
	}
	if (store_audit(s, "update", "team_member", old.id, what.s, e) < 0)
		goto fail;
	member_clear(&old);
	buf_free(&what);
	return store_commit(s, e);
fail:
	member_clear(&old);
	buf_free(&what);
	store_rollback(s);
	return e->code;
}

int store_member_list(struct store *s, struct member_list *out, struct err *e)
{
	static const char sql[] = "SELECT " MEMBER_COLS " FROM team_member ORDER BY login";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_member(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_member_count(struct store *s, long long *n, struct err *e)
{
	static const char sql[] = "SELECT count(*) FROM team_member";
	struct dbst *st = st_prep(s, sql, e);
	return st ? st_number(s, st, n, e) : e->code;
}

/* A login that names a member: ERR_NOTFOUND with a message otherwise. */
static int need_member(struct store *s, const char *login, struct err *e)
{
	struct member m = {0};
	int rc = store_member_get(s, login, &m, e);
	member_clear(&m);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "%s is not on the team (caseload team add %s --name ...)",
		               login, login);
	return rc;
}

/* ---- owners ---- */

int store_task_take(struct store *s, long long id, const char *login, char **holder,
                    struct err *e)
{
	static const char take[] =
		"UPDATE task SET owner = ?1, updated = ?2, version = version + 1 "
		"WHERE id = ?3 AND owner IS NULL AND status IN " SQL_OPEN_TASK " RETURNING id";
	static const char who[] =
		"SELECT owner, CASE WHEN status IN " SQL_OPEN_TASK " THEN 1 ELSE 0 END "
		"FROM task WHERE id = ?1";
	*holder = NULL;
	if (store_begin(s, e) < 0)
		return e->code;
	if (need_member(s, login, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, take, e);
	if (!st)
		goto fail;
	bind_text(st, 1, login);
	bind_int(st, 2, store_now());
	bind_int(st, 3, id);
	int rc = st_update_of(s, st, "task", id, e);
	if (rc < 0)
		goto fail;
	if (rc == 1) {
		if (store_audit(s, "take", "task", id, login, e) < 0)
			goto fail;
		return store_commit(s, e);
	}
	/* not taken: it is someone's, closed, or not there */
	if (store_exists(s, "task", id, e) < 0 || !(st = st_prep(s, who, e)))
		goto fail;
	bind_int(st, 1, id);
	bool open = false;
	if ((rc = st_step(s, st, e)) == ST_ROW) {
		*holder = col_text(st, 0);
		open = col_int(st, 1) != 0;
	}
	st_reset(st);
	if (rc < 0)
		goto fail;
	if (open && *holder)
		err_set(e, ERR_CONFLICT, "task %lld is taken already: %s has it", id, *holder);
	else
		err_set(e, ERR_CONFLICT, "task %lld is closed: there is nothing to take", id);
fail:
	store_rollback(s);
	return e->code;
}

/* Set one text column of a row, version checked and audited with
 * `action` and the new value. */
static int assign(struct store *s, const char *sql, const char *tbl, long long id,
                  const char *login, long long version, struct err *e)
{
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, tbl, id, e) < 0 || (login && need_member(s, login, e) < 0))
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, login);
	bind_int(st, 2, store_now());
	bind_int(st, 3, id);
	bind_int(st, 4, version);
	int rc = st_update_of(s, st, tbl, id, e);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		store_stale(s, tbl, id, e);
		goto fail;
	}
	if (store_audit(s, "assign", tbl, id, login ? login : "(none)", e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_task_assign(struct store *s, long long id, const char *login, long long version,
                      struct err *e)
{
	static const char sql[] =
		"UPDATE task SET owner = ?1, updated = ?2, version = version + 1 "
		"WHERE id = ?3 AND version = ?4 RETURNING id";
	return assign(s, sql, "task", id, login, version, e);
}

int store_patient_assign(struct store *s, long long id, const char *login, long long version,
                         struct err *e)
{
	static const char sql[] =
		"UPDATE patient SET coordinator = ?1, updated = ?2, version = version + 1 "
		"WHERE id = ?3 AND version = ?4 RETURNING id";
	return assign(s, sql, "patient", id, login, version, e);
}

int store_member_patients(struct store *s, const char *login, long long **ids, size_t *n,
                          struct err *e)
{
	static const char sql[] = "SELECT id FROM patient WHERE coordinator = ?1 ORDER BY id";
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, login);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		void *p = *ids;
		xgrow(&p, &cap, *n + 1, sizeof **ids);
		*ids = p;
		(*ids)[(*n)++] = col_int(st, 0);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- workload ---- */

int store_team_workload(struct store *s, const char *today, struct workload_list *out,
                        struct err *e)
{
	static const char people[] =
		"SELECT m.id, m.login, m.name, m.role, m.out_from, m.out_to, m.version, "
		"(SELECT count(*) FROM patient p WHERE p.coordinator = m.login AND p.status = 'active'), "
		"(SELECT count(*) FROM task t WHERE t.owner = m.login AND t.status IN " SQL_OPEN_TASK "), "
		"(SELECT count(*) FROM task t WHERE t.owner = m.login AND t.status IN " SQL_OPEN_TASK
		" AND t.due < ?1), "
		"(SELECT count(*) FROM task t WHERE t.owner = m.login AND t.status IN " SQL_OPEN_TASK
		" AND t.due = ?1) "
		"FROM team_member m ORDER BY m.login";
	static const char none[] =
		"SELECT count(*), "
		"coalesce(sum(CASE WHEN t.due < ?1 THEN 1 ELSE 0 END), 0), "
		"coalesce(sum(CASE WHEN t.due = ?1 THEN 1 ELSE 0 END), 0), "
		"(SELECT count(*) FROM patient p WHERE p.coordinator IS NULL AND p.status = 'active') "
		"FROM task t WHERE t.owner IS NULL AND t.status IN " SQL_OPEN_TASK;
	struct dbst *st = st_prep(s, people, e);
	if (!st)
		return e->code;
	bind_text(st, 1, today);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct workload *w = LIST_PUSH(out);
		read_member(st, &w->m);
		w->patients = col_int(st, 7);
		w->open = col_int(st, 8);
		w->overdue = col_int(st, 9);
		w->due_today = col_int(st, 10);
	}
	st_reset(st);
	if (rc < 0 || !(st = st_prep(s, none, e)))
		return e->code;
	bind_text(st, 1, today);
	if ((rc = st_step(s, st, e)) == ST_ROW) {
		struct workload *w = LIST_PUSH(out);
		w->open = col_int(st, 0);
		w->overdue = col_int(st, 1);
		w->due_today = col_int(st, 2);
		w->patients = col_int(st, 3);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

void workload_list_free(struct workload_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		member_clear(&l->items[i].m);
	free(l->items);
	*l = (struct workload_list){0};
}
