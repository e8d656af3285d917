/* store_entry: the timeline (notes, contact attempts, admissions and
 * discharges, results...) and the time log for care management minutes. */
#include <string.h>

#include "store_internal.h"

#define ENTRY_COLS "id, patient_id, at, kind, outcome, minutes, facility, text, " \
	"ref_table, ref_id, needs_review, reviewed_at, author, version"

static void read_entry(struct dbst *st, struct entry *en)
{
	en->id = col_int(st, 0);
	en->patient_id = col_int(st, 1);
	en->at = col_int(st, 2);
	en->kind = col_text(st, 3);
	en->outcome = col_text(st, 4);
	en->minutes = (int)col_int(st, 5);
	en->facility = col_text(st, 6);
	en->text = col_text(st, 7);
	en->ref_table = col_text(st, 8);
	en->ref_id = col_int(st, 9);
	en->needs_review = col_int(st, 10) != 0;
	en->reviewed_at = col_int(st, 11);
	en->author = col_text(st, 12);
	en->version = col_int(st, 13);
}

int store_entry_add(struct store *s, struct entry *en, struct err *e)
{
	static const char sql[] =
		"INSERT INTO entry(patient_id, at, kind, outcome, minutes, facility, text, "
		"ref_table, ref_id, needs_review, reviewed_at, author, created) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13) RETURNING id";
	if (code_find(&ENTRY_KIND, en->kind) < 0)
		return err_set(e, ERR_USAGE, "entry kind '%s' is not one of %s",
		               en->kind ? en->kind : "", code_list(&ENTRY_KIND));
	if (en->outcome && code_find(&OUTCOME, en->outcome) < 0)
		return err_set(e, ERR_USAGE, "outcome '%s' is not one of %s", en->outcome,
		               code_list(&OUTCOME));
	if (en->minutes < 0)
		return err_set(e, ERR_USAGE, "minutes cannot be negative");
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", en->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, en->patient_id);
	bind_int(st, 2, en->at);
	bind_text(st, 3, en->kind);
	bind_text(st, 4, en->outcome);
	bind_id(st, 5, en->minutes);
	bind_text(st, 6, en->facility);
	bind_text(st, 7, en->text);
	bind_text(st, 8, en->ref_table);
	bind_id(st, 9, en->ref_id);
	bind_int(st, 10, en->needs_review);
	bind_id(st, 11, en->reviewed_at);
	bind_text(st, 12, en->author ? en->author : store_user(s));
	bind_int(st, 13, store_now());
	if (st_insert(s, st, "entry", en->kind, &en->id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_entry_get(struct store *s, long long id, struct entry *out, struct err *e)
{
	static const char sql[] = "SELECT " ENTRY_COLS " FROM entry WHERE id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_entry(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no timeline entry with id %lld", id);
}

int store_entry_list(struct store *s, long long patient_id, long long from, long long to,
                     int limit, struct entry_list *out, struct err *e)
{
	if (store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	struct sqlq b = {0};
	q_sql(&b, "SELECT " ENTRY_COLS " FROM entry");
	q_where(&b, "patient_id = ");
	q_int(&b, patient_id);
	if (from) {
		q_where(&b, "at >= ");
		q_int(&b, from);
	}
	if (to) {
		q_where(&b, "at < ");
		q_int(&b, to);
	}
	q_sql(&b, " ORDER BY at, id LIMIT ");
	q_int(&b, limit > 0 ? limit : SQL_NO_LIMIT);
	struct dbst *st = sq_prep(s, &b, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_entry(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_entry_mark_reviewed(struct store *s, long long id, long long at, long long version,
                              struct err *e)
{
	static const char sql[] =
		"UPDATE entry SET reviewed_at = ?1, version = version + 1 "
		"WHERE id = ?2 AND version = ?3 AND reviewed_at IS NULL RETURNING id";
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "entry", id, e) < 0 || undo_before(s, "entry", id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, at);
	bind_int(st, 2, id);
	bind_int(st, 3, version);
	int rc = st_update(s, st, e);
	if (rc < 0)
		goto fail;
	if (rc == 0) {   /* acknowledged or changed since it was read: by whom */
		store_stale(s, "entry", id, e);
		goto fail;
	}
	if (store_audit(s, "acknowledge", "entry", id, NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_time_add(struct store *s, struct time_entry *t, struct err *e)
{
	static const char sql[] =
		"INSERT INTO time_log(patient_id, day, minutes, activity, author, created, episode_id, "
		"role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
	if (t->minutes <= 0)
		return err_set(e, ERR_USAGE, "minutes must be more than 0");
	if (!t->day)
		return err_set(e, ERR_USAGE, "a time log entry needs a day");
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", t->patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, t->patient_id);
	bind_text(st, 2, t->day);
	bind_int(st, 3, t->minutes);
	bind_text(st, 4, t->activity);
	bind_text(st, 5, store_user(s));
	bind_int(st, 6, store_now());
	bind_id(st, 7, t->episode_id);
	bind_text(st, 8, t->role ? t->role : "staff");
	if (st_insert(s, st, "time_log", NULL, &t->id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_time_minutes(struct store *s, long long patient_id, const char *from,
                       const char *to, long long *minutes, struct err *e)
{
	static const char sql[] =
		"SELECT coalesce(sum(minutes), 0) FROM time_log "
		"WHERE patient_id = ?1 AND day >= ?2 AND day <= ?3";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, from);
	bind_text(st, 3, to);
	int rc = st_step(s, st, e);
	*minutes = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_time_list(struct store *s, long long patient_id, struct time_list *out,
                    struct err *e)
{
	static const char sql[] =
		"SELECT id, patient_id, day, minutes, activity, episode_id, role FROM time_log "
		"WHERE patient_id = ? ORDER BY day, id";
	if (store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct time_entry *t = LIST_PUSH(out);
		t->id = col_int(st, 0);
		t->patient_id = col_int(st, 1);
		t->day = col_text(st, 2);
		t->minutes = (int)col_int(st, 3);
		t->activity = col_text(st, 4);
		t->episode_id = col_int(st, 5);
		t->role = col_text(st, 6);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
