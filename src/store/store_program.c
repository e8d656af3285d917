/* store_program: consent and episode rows (issue 16). */
#include <stdlib.h>
#include <string.h>

#include "caseload/store_program.h"
#include "store_internal.h"

/* ---- consent ---- */

#define CONSENT_COLS \
	"id, patient_id, program, method, given, captured_by, withdrawn, note, version, created"

static void read_consent(struct dbst *st, struct consent *c)
{
	c->id = col_int(st, 0);
	c->patient_id = col_int(st, 1);
	c->program = col_text(st, 2);
	c->method = col_text(st, 3);
	c->given = col_text(st, 4);
	c->captured_by = col_text(st, 5);
	c->withdrawn = col_text(st, 6);
	c->note = col_text(st, 7);
	c->version = col_int(st, 8);
	c->created = col_int(st, 9);
}

int store_consent_add(struct store *s, struct consent *c, struct err *e)
{
	static const char sql[] =
		"INSERT INTO consent(patient_id, program, method, given, captured_by, withdrawn, note, "
		"created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id";
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", c->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, c->patient_id);
	bind_text(st, 2, c->program);
	bind_text(st, 3, c->method);
	bind_text(st, 4, c->given);
	bind_text(st, 5, c->captured_by ? c->captured_by : store_user(s));
	bind_text(st, 6, c->withdrawn);
	bind_text(st, 7, c->note);
	bind_int(st, 8, store_now());
	if (st_insert(s, st, "consent", c->program, &c->id, e) < 0)
		goto fail;
	c->version = 1;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_consent_get(struct store *s, long long id, struct consent *out, struct err *e)
{
	static const char sql[] = "SELECT " CONSENT_COLS " FROM consent WHERE id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_consent(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no consent with id %lld", id);
}

int store_consent_in_force(struct store *s, long long patient_id, const char *program,
                           const char *day, long long *id, struct err *e)
{
	static const char sql[] =
		"SELECT id FROM consent WHERE patient_id = ?1 AND program = ?2 AND given <= ?3 "
		"AND (withdrawn IS NULL OR withdrawn > ?3) ORDER BY given DESC, id DESC LIMIT 1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, program);
	bind_text(st, 3, day);
	int rc = st_step(s, st, e);
	*id = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_consent_update(struct store *s, const struct consent *c, struct err *e)
{
	static const char sql[] =
		"UPDATE consent SET given = ?1, withdrawn = ?2, method = ?3, note = ?4, updated = ?5, "
		"version = version + 1 WHERE id = ?6 AND version = ?7 RETURNING id";
	struct consent old = {0};
	struct buf what = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_consent_get(s, c->id, &old, e) < 0)
		goto fail;
	diff_field(&what, "given", old.given, c->given);
	diff_field(&what, "withdrawn", old.withdrawn, c->withdrawn);
	diff_field(&what, "method", old.method, c->method);
	diff_field(&what, "note", old.note, c->note);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, c->given);
	bind_text(st, 2, c->withdrawn);
	bind_text(st, 3, c->method);
	bind_text(st, 4, c->note);
	bind_int(st, 5, store_now());
	bind_int(st, 6, c->id);
	bind_int(st, 7, c->version);
	int rc = st_update_of(s, st, "consent", c->id, e);
	if (rc == 0)   /* someone else's update came first */
		rc = store_stale(s, "consent", c->id, e);
	if (rc < 0 || store_audit(s, "update", "consent", c->id, what.s, e) < 0)
		goto fail;
	consent_clear(&old);
	buf_free(&what);
	return store_commit(s, e);
fail:
	consent_clear(&old);
	buf_free(&what);
	store_rollback(s);
	return e->code;
}

int store_consent_list(struct store *s, long long patient_id, struct consent_list *out,
                       struct err *e)
{
	static const char one[] = "SELECT " CONSENT_COLS " FROM consent WHERE patient_id = ?1 "
	                          "ORDER BY program, given, id";
	static const char all[] = "SELECT " CONSENT_COLS " FROM consent "
	                          "ORDER BY patient_id, program, given, id";
	if (patient_id && store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, patient_id ? one : all, e);
	if (!st)
		return e->code;
	if (patient_id)
		bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_consent(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- episode ---- */

#define EPISODE_COLS STORE_EPISODE_COLS
#define EPISODE_OPEN "('planned','active','onhold')"

void store_read_episode(struct dbst *st, struct episode *ep)
{
	ep->id = col_int(st, 0);
	ep->patient_id = col_int(st, 1);
	ep->program = col_text(st, 2);
	ep->status = col_text(st, 3);
	ep->started = col_text(st, 4);
	ep->ended = col_text(st, 5);
	ep->consent_id = col_int(st, 6);
	ep->practitioner = col_text(st, 7);
	ep->discharge_id = col_int(st, 8);
	ep->version = col_int(st, 9);
	ep->created = col_int(st, 10);
	ep->face_to_face = col_text(st, 11);
	ep->med_rec = col_text(st, 12);
	ep->complexity = col_text(st, 13);
}

int store_episode_add(struct store *s, struct episode *ep, struct err *e)
{
	static const char sql[] =
		"INSERT INTO episode(patient_id, program, status, started, ended, consent_id, "
		"practitioner, discharge_id, created, updated) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) RETURNING id";
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", ep->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, ep->patient_id);
	bind_text(st, 2, ep->program);
	bind_text(st, 3, ep->status ? ep->status : "active");
	bind_text(st, 4, ep->started);
	bind_text(st, 5, ep->ended);
	bind_id(st, 6, ep->consent_id);
	bind_text(st, 7, ep->practitioner);
	bind_id(st, 8, ep->discharge_id);
	bind_int(st, 9, store_now());
	if (st_insert(s, st, "episode", ep->program, &ep->id, e) < 0)
		goto fail;
	ep->version = 1;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_episode_get(struct store *s, long long id, struct episode *out, struct err *e)
{
	static const char sql[] = "SELECT " EPISODE_COLS " FROM episode ep WHERE ep.id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		store_read_episode(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no program episode with id %lld", id);
}

int store_episode_open(struct store *s, long long patient_id, const char *program,
                       struct episode_list *out, struct err *e)
{
	struct sqlq q = {0};
	q_sql(&q, "SELECT " EPISODE_COLS " FROM episode ep");
	q_where(&q, "ep.patient_id = ");
	q_int(&q, patient_id);
	q_where(&q, "ep.status IN " EPISODE_OPEN);
	if (program) {
		q_where(&q, "ep.program = ");
		q_text(&q, program);
	}
	q_sql(&q, " ORDER BY ep.program, ep.id");
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		store_read_episode(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_episode_update(struct store *s, const struct episode *ep, struct err *e)
{
	static const char sql[] =
		"UPDATE episode SET status = ?1, ended = ?2, face_to_face = ?3, med_rec = ?4, "
		"complexity = ?5, updated = ?6, version = version + 1 "
		"WHERE id = ?7 AND version = ?8 RETURNING id";
	struct episode old = {0};
	struct buf what = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_episode_get(s, ep->id, &old, e) < 0)
		goto fail;
	diff_field(&what, "status", old.status, ep->status);
	diff_field(&what, "ended", old.ended, ep->ended);
	diff_field(&what, "face_to_face", old.face_to_face, ep->face_to_face);
	diff_field(&what, "med_rec", old.med_rec, ep->med_rec);
	diff_field(&what, "complexity", old.complexity, ep->complexity);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, ep->status);
	bind_text(st, 2, ep->ended);
	bind_text(st, 3, ep->face_to_face);
	bind_text(st, 4, ep->med_rec);
	bind_text(st, 5, ep->complexity);
	bind_int(st, 6, store_now());
	bind_int(st, 7, ep->id);
	bind_int(st, 8, ep->version);
	int rc = st_update_of(s, st, "episode", ep->id, e);
	if (rc == 0)
		rc = store_stale(s, "episode", ep->id, e);
	if (rc < 0 || store_audit(s, "update", "episode", ep->id, what.s, e) < 0)
		goto fail;
	episode_clear(&old);
	buf_free(&what);
	return store_commit(s, e);
fail:
	episode_clear(&old);
	buf_free(&what);
	store_rollback(s);
	return e->code;
}

int store_episode_list(struct store *s, long long patient_id, const char *program,
                       const char *from, const char *to, struct episode_list *out,
                       struct err *e)
{
	struct sqlq q = {0};
	if (patient_id && store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	q_sql(&q, "SELECT " EPISODE_COLS ", (SELECT coalesce(sum(t.minutes), 0) FROM time_log t "
	          "WHERE t.episode_id = ep.id AND t.day >= ");
	q_text(&q, from);
	q_sql(&q, " AND t.day <= ");
	q_text(&q, to);
	q_sql(&q, ") FROM episode ep");
	if (patient_id) {
		q_where(&q, "ep.patient_id = ");
		q_int(&q, patient_id);
	} else {
		q_where(&q, "ep.status IN " EPISODE_OPEN);
	}
	if (program) {
		q_where(&q, "ep.program = ");
		q_text(&q, program);
	}
	q_sql(&q, patient_id ? " ORDER BY ep.started, ep.id" : " ORDER BY ep.patient_id, ep.program, ep.id");
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct episode *ep = LIST_PUSH(out);
		store_read_episode(st, ep);
		ep->minutes = col_int(st, STORE_EPISODE_NCOLS);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
