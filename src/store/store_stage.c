/* store_stage: an import's staging area and its runs (store_stage.h). */
#include <stdlib.h>
#include <string.h>

#include "caseload/store_stage.h"
#include "store_internal.h"

static const char *const kind_names[] = {"event", "cancel", "skip", "note", "end"};

void stage_row_clear(struct stage_row *r)
{
	appointment_clear(&r->a);
	str_free(r->x_patient_cn);
	str_free(r->emails);
	str_free(r->cns);
	str_free(r->text);
	memset(r, 0, sizeof *r);
}

void import_run_clear(struct import_run *r)
{
	str_free(r->state);
	str_free(r->source);
	str_free(r->host);
	memset(r, 0, sizeof *r);
}

void import_run_list_free(struct import_run_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		import_run_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

int store_run_add(struct store *s, struct import_run *r, struct err *e)
{
	static const char sql[] =
		"INSERT INTO import_run(state, source, patient_id, booked_at, host, pid, beat, "
		"created, updated) VALUES ('staging', ?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6) RETURNING id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, r->source);
	bind_id(st, 2, r->patient_id);
	bind_int(st, 3, r->booked_at);
	bind_text(st, 4, r->host);
	bind_int(st, 5, r->pid);
	bind_int(st, 6, r->beat);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		r->id = col_int(st, 0);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_FAIL, "an import run was not recorded");
}

int store_run_open_list(struct store *s, struct import_run_list *out, struct err *e)
{
	static const char sql[] =
		"SELECT id, state, source, patient_id, booked_at, host, pid, beat, created "
		"FROM import_run WHERE state <> 'merged' ORDER BY id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		void *p = out->items;
		xgrow(&p, &out->cap, out->len + 1, sizeof *out->items);
		out->items = p;
		struct import_run *r = &out->items[out->len++];
		r->id = col_int(st, 0);
		r->state = col_text(st, 1);
		r->source = col_text(st, 2);
		r->patient_id = col_int(st, 3);
		r->booked_at = col_int(st, 4);
		r->host = col_text(st, 5);
		r->pid = col_int(st, 6);
		r->beat = col_int(st, 7);
		r->created = col_int(st, 8);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static int run_set(struct store *s, const char *sql, long long id, const char *state,
                   struct err *e)
{
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	bind_int(st, 2, store_now());
	if (state)
		bind_text(st, 3, state);
	int rc = st_step(s, st, e);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_FAIL, "import run %lld was given up by another "
	                                      "caseload (it looked stopped); nothing more of it is "
	                                      "written", id);
}

int store_run_state(struct store *s, long long id, const char *state, struct err *e)
{
	static const char sql[] =
		"UPDATE import_run SET state = ?3, beat = ?2, updated = ?2 WHERE id = ?1 RETURNING id";
	return run_set(s, sql, id, state, e);
}

int store_run_beat(struct store *s, long long id, struct err *e)
{
	static const char sql[] = "UPDATE import_run SET beat = ?2 WHERE id = ?1 RETURNING id";
	return run_set(s, sql, id, NULL, e);
}

int store_run_delete(struct store *s, long long id, struct err *e)
{
	static const char sql[] = "DELETE FROM import_run WHERE id = ?1 AND state = 'staging'";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	return st_exec(s, st, e);
}

/* Columns 1..31 of the INSERT below, in its order. */
static void bind_stage(struct dbst *st, long long run_id, const struct stage_row *r)
{
	const struct appointment *a = &r->a;
	bind_int(st, 1, run_id);
	bind_text(st, 2, kind_names[r->kind]);
	bind_int(st, 3, r->line);
	bind_int(st, 4, r->waiting);
	bind_text(st, 5, a->uid);
	bind_text(st, 6, a->recurrence_id);
	if (r->has_rid) {
		bind_int(st, 7, r->rid_day);
		bind_int(st, 8, r->rid_is_date);
	}
	bind_text(st, 9, a->title);
	bind_text(st, 10, a->location);
	bind_text(st, 11, a->notes);
	bind_int(st, 12, a->start);
	bind_int(st, 13, a->end);
	bind_text(st, 14, a->tzid);
	bind_int(st, 15, a->all_day);
	bind_text(st, 16, a->rrule);
	bind_text(st, 17, a->rdate);
	bind_text(st, 18, a->exdate);
	bind_int(st, 19, a->series_end);
	bind_text(st, 20, a->status);
	bind_int(st, 21, a->sequence);
	bind_int(st, 22, a->dtstamp);
	bind_int(st, 23, a->last_modified);
	bind_int(st, 24, r->minimal);
	bind_text(st, 25, a->transport);
	bind_int(st, 26, r->x_patient);
	bind_text(st, 27, r->x_patient_cn);
	bind_text(st, 28, r->emails);
	bind_text(st, 29, r->cns);
	bind_text(st, 30, r->text);
}

int store_stage_add(struct store *s, long long run_id, long long id, const struct stage_row *r,
                    struct err *e)
{
	static const char sql[] =
		"INSERT INTO import_stage(run_id, kind, line, waiting, uid, recurrence_id, rid_day, "
		"rid_is_date, title, location, notes, start_utc, end_utc, tzid, all_day, rrule, "
		"rdate, exdate, series_end, status, sequence, dtstamp, last_modified, minimal, "
		"transport, x_patient, x_patient_cn, emails, cns, text, id) VALUES (?1,?2,?3,?4,?5,"
		"?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,"
		"?27,?28,?29,?30,?31)";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_stage(st, run_id, r);
	bind_int(st, 31, id);
	return st_exec(s, st, e);
}

int store_stage_max_id(struct store *s, long long *id, struct err *e)
{
	static const char sql[] = "SELECT max(id) FROM import_stage";
	struct dbst *st = st_prep(s, sql, e);
	*id = 0;
	return st ? st_number(s, st, id, e) : e->code;
}

static enum stage_kind kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (name && !strcmp(name, kind_names[i]))
			return (enum stage_kind)i;
	return STAGE_NOTE;
}

static void read_stage(struct dbst *st, struct stage_row *r)
{
	struct appointment *a = &r->a;
	char *kind = col_text(st, 1);
	r->id = col_int(st, 0);
	r->kind = kind_of(kind);
	free(kind);
	r->line = (int)col_int(st, 2);
	r->waiting = col_int(st, 3) != 0;
	a->uid = col_text(st, 4);
	a->recurrence_id = col_text(st, 5);
	r->has_rid = a->recurrence_id != NULL;
	r->rid_day = (int)col_int(st, 6);
	r->rid_is_date = col_int(st, 7) != 0;
	a->title = col_text(st, 8);
	a->location = col_text(st, 9);
	a->notes = col_text(st, 10);
	a->start = col_int(st, 11);
	a->end = col_int(st, 12);
	a->tzid = col_text(st, 13);
	a->all_day = col_int(st, 14) != 0;
	a->rrule = col_text(st, 15);
	a->rdate = col_text(st, 16);
	a->exdate = col_text(st, 17);
	a->series_end = col_int(st, 18);
	a->status = col_text(st, 19);
	a->sequence = (int)col_int(st, 20);
	a->dtstamp = col_int(st, 21);
	a->last_modified = col_int(st, 22);
	r->minimal = col_int(st, 23) != 0;
	a->transport = col_text(st, 24);
	r->x_patient = col_int(st, 25);
	r->x_patient_cn = col_text(st, 26);
	r->emails = col_text(st, 27);
	r->cns = col_text(st, 28);
	r->text = col_text(st, 29);
}

int store_stage_next(struct store *s, long long run_id, bool waiting, int limit,
                     struct stage_row *out, int *n, struct err *e)
{
	static const char sql[] =
		"SELECT id, kind, line, waiting, uid, recurrence_id, rid_day, rid_is_date, title, "
		"location, notes, start_utc, end_utc, tzid, all_day, rrule, rdate, exdate, "
		"series_end, status, sequence, dtstamp, last_modified, minimal, transport, "
		"x_patient, x_patient_cn, emails, cns, text FROM import_stage "
		"WHERE run_id = ?1 AND waiting = ?2 ORDER BY id LIMIT ?3";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, run_id);
	bind_int(st, 2, waiting);
	bind_int(st, 3, limit);
	int rc;
	*n = 0;
	while ((rc = st_step(s, st, e)) == ST_ROW && *n < limit)
		read_stage(st, &out[(*n)++]);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_stage_set_waiting(struct store *s, long long id, struct err *e)
{
	static const char sql[] = "UPDATE import_stage SET waiting = 1 WHERE id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	return st_exec(s, st, e);
}

int store_stage_delete_upto(struct store *s, long long run_id, long long upto, bool waiting,
                            struct err *e)
{
	static const char sql[] =
		"DELETE FROM import_stage WHERE run_id = ?1 AND waiting = ?2 AND id <= ?3";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, run_id);
	bind_int(st, 2, waiting);
	bind_int(st, 3, upto);
	return st_exec(s, st, e);
}

int store_stage_drop(struct store *s, long long run_id, int limit, bool *left, struct err *e)
{
	static const char del[] =
		"DELETE FROM import_stage WHERE id IN (SELECT id FROM import_stage "
		"WHERE run_id = ?1 ORDER BY id LIMIT ?2)";
	static const char any[] = "SELECT 1 FROM import_stage WHERE run_id = ?1 LIMIT 1";
	struct dbst *st = st_prep(s, del, e);
	if (!st)
		return e->code;
	bind_int(st, 1, run_id);
	bind_int(st, 2, limit);
	if (st_exec(s, st, e) < 0)
		return e->code;
	if (!(st = st_prep(s, any, e)))
		return e->code;
	bind_int(st, 1, run_id);
	int rc = st_step(s, st, e);
	st_reset(st);
	if (rc < 0)
		return rc;
	*left = rc == ST_ROW;
	return 0;
}
