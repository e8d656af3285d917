/* store_appt: appointments, keyed for iCalendar by (uid, recurrence_id). */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define APPT_COLS "a.id, a.patient_id, a.uid, a.recurrence_id, a.title, a.location, " \
	"a.notes, a.provider_id, a.start_utc, a.end_utc, a.tzid, a.all_day, a.rrule, " \
	"a.rdate, a.exdate, a.last_end_utc, a.status, a.transport, a.sequence, a.dtstamp, " \
	"a.last_modified, a.source, a.booked_at, a.version, " \
	"CASE WHEN p.id IS NULL THEN NULL WHEN p.given = '' THEN p.family " \
	"ELSE p.family || ', ' || p.given END, a.cancel_reason"
#define APPT_FROM " FROM appointment a LEFT JOIN patient p ON p.id = a.patient_id "

static void read_appt(struct dbst *st, struct appointment *a)
{
	a->id = col_int(st, 0);
	a->patient_id = col_int(st, 1);
	a->uid = col_text(st, 2);
	a->recurrence_id = col_text(st, 3);
	a->title = col_text(st, 4);
	a->location = col_text(st, 5);
	a->notes = col_text(st, 6);
	a->provider_id = col_int(st, 7);
	a->start = col_int(st, 8);
	a->end = col_int(st, 9);
	a->tzid = col_text(st, 10);
	a->all_day = col_int(st, 11) != 0;
	a->rrule = col_text(st, 12);
	a->rdate = col_text(st, 13);
	a->exdate = col_text(st, 14);
	a->series_end = col_int(st, 15);
	a->status = col_text(st, 16);
	a->transport = col_text(st, 17);
	a->sequence = (int)col_int(st, 18);
	a->dtstamp = col_int(st, 19);
	a->last_modified = col_int(st, 20);
	a->source = col_text(st, 21);
	a->booked_at = col_int(st, 22);
	a->version = col_int(st, 23);
	a->patient_name = col_text(st, 24);
	a->cancel_reason = col_text(st, 25);
}

static int check_appt(struct store *s, const struct appointment *a, struct err *e)
{
	if (!a->uid || !*a->uid)
		return err_set(e, ERR_USAGE, "an appointment needs a UID");
	if (a->end < a->start)
		return err_set(e, ERR_USAGE, "an appointment cannot end before it starts");
	if (a->status && code_find(&APPT_STATUS, a->status) < 0)
		return err_set(e, ERR_USAGE, "appointment status '%s' is not one of %s", a->status,
		               code_list(&APPT_STATUS));
	if (a->cancel_reason && code_find(&APPT_CANCEL_REASON, a->cancel_reason) < 0)
		return err_set(e, ERR_USAGE, "cancellation reason '%s' is not one of %s",
		               a->cancel_reason, code_list(&APPT_CANCEL_REASON));
	if (a->transport && code_find(&TRANSPORT, a->transport) < 0)
		return err_set(e, ERR_USAGE, "transport '%s' is not one of %s", a->transport,
		               code_list(&TRANSPORT));
	if (a->patient_id && store_exists(s, "patient", a->patient_id, e) < 0)
		return e->code;
	if (a->provider_id && store_exists(s, "contact", a->provider_id, e) < 0)
		return err_set(e, ERR_NOTFOUND, "no provider (contact) with id %lld", a->provider_id);
	return 0;
}

/* Text bound without a copy (a bulk import writes a great many rows): the
 * appointment outlives the statement's one step, and st_exec resets it. */
static void bind_ref(struct dbst *st, int i, const char *v)
{
	bind_text_ref(st, i, v);
}

/* Columns 1..23 in the order of the INSERT and UPDATE below. */
static void bind_appt(struct dbst *st, const struct appointment *a)
{
	bool series = a->rrule || a->rdate;
	bind_id(st, 1, a->patient_id);
	bind_ref(st, 2, a->uid);
	bind_ref(st, 3, a->recurrence_id ? a->recurrence_id : "");
	bind_ref(st, 4, a->title ? a->title : "");
	bind_ref(st, 5, a->location);
	bind_ref(st, 6, a->notes);
	bind_id(st, 7, a->provider_id);
	bind_int(st, 8, a->start);
	bind_int(st, 9, a->end);
	bind_ref(st, 10, a->tzid);
	bind_int(st, 11, a->all_day);
	bind_ref(st, 12, a->rrule);
	bind_ref(st, 13, a->rdate);
	bind_ref(st, 14, a->exdate);
	bind_id(st, 15, series ? a->series_end : a->end);
	bind_ref(st, 16, a->status ? a->status : "booked");
	bind_ref(st, 17, a->transport ? a->transport : "none");
	bind_int(st, 18, a->sequence);
	bind_id(st, 19, a->dtstamp);
	bind_id(st, 20, a->last_modified);
	bind_ref(st, 21, a->source);
	bind_id(st, 22, a->booked_at);
	bind_int(st, 23, store_now());
}

/* Keep the longest single event's length, to bound range queries; the
 * store remembers it so that most rows need no write for it. */
static int note_span(struct store *s, const struct appointment *a, struct err *e)
{
	static const char get[] =
		"SELECT coalesce((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'max_span'), -1)";
	static const char put[] =
		"INSERT INTO meta(key, value) VALUES ('max_span', ?1) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value "
		"WHERE CAST(meta.value AS BIGINT) < CAST(excluded.value AS BIGINT)";
	long long span = a->end - a->start;
	struct dbst *st;
	if (s->max_span < 0) {
		if (!(st = st_prep(s, get, e)))
			return e->code;
		int rc = st_step(s, st, e);
		if (rc < 0)
			return rc;
		s->max_span = col_int(st, 0);
		st_reset(st);
	}
	if (span <= s->max_span)
		return 0;
	if (!(st = st_prep(s, put, e)))
		return e->code;
	bind_int(st, 1, span);
	if (st_exec(s, st, e) < 0)
		return e->code;
	s->max_span = span;
	return 0;
}

/* The INSERT, with RETURNING id for PostgreSQL; SQLite's id comes from
 * sqlite3_last_insert_rowid (st_insert), as RETURNING there makes every
 * row go through a table of results first (a bulk import adds many). */
#define APPT_INSERT \
	"INSERT INTO appointment(patient_id, uid, recurrence_id, title, location, notes, " \
	"provider_id, start_utc, end_utc, tzid, all_day, rrule, rdate, exdate, " \
	"last_end_utc, status, transport, sequence, dtstamp, last_modified, source, " \
	"booked_at, created, updated) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12," \
	"?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?23)"

int store_appt_add(struct store *s, struct appointment *a, struct err *e)
{
	static const char sql_pg[] = APPT_INSERT " RETURNING id";
	static const char sql_sqlite[] = APPT_INSERT;
	if (store_begin(s, e) < 0)
		return e->code;
	if (check_appt(s, a, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, s->drv == &drv_pg ? sql_pg : sql_sqlite, e);
	if (!st)
		goto fail;
	bind_appt(st, a);
	if (st_insert(s, st, "appointment", NULL, &a->id, e) < 0) {
		if (e->code == ERR_CONFLICT)
			err_set(e, ERR_CONFLICT, "an appointment with UID %s exists already", a->uid);
		goto fail;
	}
	a->version = 1;            /* a new row's: the caller may update it */
	if (note_span(s, a, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_appt_update(struct store *s, const struct appointment *a, struct err *e)
{
	static const char sql[] =
		"UPDATE appointment SET patient_id=?1, uid=?2, recurrence_id=?3, title=?4, "
		"location=?5, notes=?6, provider_id=?7, start_utc=?8, end_utc=?9, tzid=?10, "
		"all_day=?11, rrule=?12, rdate=?13, exdate=?14, last_end_utc=?15, status=?16, "
		"transport=?17, sequence=?18, dtstamp=?19, last_modified=?20, source=?21, "
		"booked_at=?22, updated=?23, cancel_reason=?26, version = version + 1 "
		"WHERE id=?24 AND version=?25 RETURNING id";
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "appointment", a->id, e) < 0 || check_appt(s, a, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_appt(st, a);
	bind_int(st, 24, a->id);
	bind_int(st, 25, a->version);
	/* a reason is a cancelled one's: one made live again has none */
	bind_text(st, 26, code_find(&APPT_STATUS, a->status) == APPT_CANCELLED ? a->cancel_reason
	                                                                       : NULL);
	int rc = st_update_of(s, st, "appointment", a->id, e);
	if (rc == 0)   /* someone else's update came first */
		rc = store_stale(s, "appointment", a->id, e);
	if (rc < 0 || note_span(s, a, e) < 0 ||
	    store_audit(s, "update", "appointment", a->id, NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

static int get_one(struct store *s, struct dbst *st, struct appointment *out, struct err *e)
{
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_appt(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : ERR_NOTFOUND;
}

int store_appt_get(struct store *s, long long id, struct appointment *out, struct err *e)
{
	static const char sql[] = "SELECT " APPT_COLS APPT_FROM "WHERE a.id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = get_one(s, st, out, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "no appointment with id %lld", id);
	return rc;
}

int store_appt_by_uid(struct store *s, const char *uid, const char *recurrence_id,
                      struct appointment *out, struct err *e)
{
	static const char sql[] =
		"SELECT " APPT_COLS APPT_FROM "WHERE a.uid = ? AND a.recurrence_id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, uid);
	bind_text(st, 2, recurrence_id ? recurrence_id : "");
	return get_one(s, st, out, e);
}

/* Each row of st to fn, in order, until fn returns non-zero (an error
 * when negative). */
static int each_appt(struct store *s, struct dbst *st, store_appt_fn *fn, void *ctx,
                     struct err *e)
{
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct appointment a = {0};
		read_appt(st, &a);
		rc = fn(ctx, &a);
		appointment_clear(&a);
		if (rc != 0)
			break;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static int push_appt(void *list, struct appointment *a)
{
	*LIST_PUSH((struct appointment_list *)list) = *a;
	*a = (struct appointment){0};
	return 0;
}

int store_appt_by_source(struct store *s, const char *source, const char *tzid,
                         struct appointment_list *out, struct err *e)
{
	static const char sql[] =
		"SELECT " APPT_COLS APPT_FROM "WHERE a.source = ?1 AND a.tzid = ?2 ORDER BY a.id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, source);
	bind_text(st, 2, tzid);
	return each_appt(s, st, push_appt, out, e);
}

int store_appt_by_series(struct store *s, const char *uid, struct appointment_list *out,
                         struct err *e)
{
	static const char sql[] =
		"SELECT " APPT_COLS APPT_FROM "WHERE a.uid = ?1 ORDER BY a.recurrence_id, a.id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, uid);
	return each_appt(s, st, push_appt, out, e);
}

int store_appt_list(struct store *s, const struct appt_query *q,
                    struct appointment_list *out, struct err *e)
{
	return store_appt_each(s, q, push_appt, out, e);
}

int store_appt_each(struct store *s, const struct appt_query *q, store_appt_fn *fn, void *ctx,
                    struct err *e)
{
	if (q->patient_id && store_exists(s, "patient", q->patient_id, e) < 0)
		return e->code;
	/* A patient's and the unassigned (patient_id IS NULL) on
	 * appointment_patient; everyone's (in a range or not) in parts, each
	 * read in start order on its own index and merged, so the first row
	 * comes without sorting the table: on SQLite the patients' single
	 * events (appointment_next), the series (appointment_series) and the
	 * unassigned (appointment_patient); on PostgreSQL, which keeps
	 * appointment_start (migration 35), the single events and the
	 * series. */
	static const char *const everyone_sqlite[] = {
		"a.patient_id IS NOT NULL AND a.rrule IS NULL AND a.rdate IS NULL",
		"(a.rrule IS NOT NULL OR a.rdate IS NOT NULL)",
		"a.patient_id IS NULL AND a.rrule IS NULL AND a.rdate IS NULL",
	};
	static const char *const everyone_pg[] = {
		"a.rrule IS NULL AND a.rdate IS NULL",
		"(a.rrule IS NOT NULL OR a.rdate IS NOT NULL)",
	};
	bool pg = s->drv == &drv_pg;
	const char *const *everyone = pg ? everyone_pg : everyone_sqlite;
	bool parts = !q->patient_id && !q->unassigned;
	int n = !parts ? 1
	        : pg   ? (int)(sizeof everyone_pg / sizeof *everyone_pg)
	               : (int)(sizeof everyone_sqlite / sizeof *everyone_sqlite);
	struct sqlq b = {0};
	for (int part = 0; part < n; part++) {
		q_sql(&b, part ? " UNION ALL SELECT " APPT_COLS APPT_FROM : "SELECT " APPT_COLS APPT_FROM);
		b.where = false;
		if (parts)
			q_where(&b, everyone[part]);
		if (q->unassigned) {
			q_where(&b, "a.patient_id IS NULL");
		} else if (q->patient_id) {
			q_where(&b, "a.patient_id = ");
			q_int(&b, q->patient_id);
		}
		if (q->from) {
			q_where(&b, "a.start_utc >= ");
			q_int(&b, q->from);
		}
		if (q->to) {
			q_where(&b, "a.start_utc < ");
			q_int(&b, q->to);
		}
	}
	/* (a.patient_id first, one value here: the order of appointment_patient,
	 * which PostgreSQL does not see when it is NULL) */
	q_sql(&b, parts ? " ORDER BY 9, 1 LIMIT " : " ORDER BY a.patient_id, a.start_utc, a.id LIMIT ");
	q_int(&b, q->limit > 0 ? q->limit : SQL_NO_LIMIT);
	struct dbst *st = sq_prep(s, &b, e);
	if (!st)
		return e->code;
	st_stream(st);
	return each_appt(s, st, fn, ctx, e);
}

/* The parts of the rows that may have an occurrence in [from, to), each
 * on its own index: single events (and overrides) overlapping the range,
 * bounded below by the longest event's length; series that may reach
 * into it; and every override of those series. */
#define SINGLES(PATIENT) SINGLES_AT(PATIENT, "a.start_utc")
/* S: "+a.start_utc" for a range of patients (their index, not the days') */
#define SINGLES_AT(PATIENT, S) \
	"SELECT " APPT_COLS APPT_FROM "WHERE a.rrule IS NULL AND a.rdate IS NULL " PATIENT \
	"AND " S " < ?3 AND a.end_utc > ?2 AND " S " >= ?2 - " \
	"coalesce((SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'max_span'), 0) "
#define SERIES(PATIENT) \
	"SELECT " APPT_COLS APPT_FROM "WHERE (a.rrule IS NOT NULL OR a.rdate IS NOT NULL) " \
	PATIENT "AND a.start_utc < ?3 AND (a.last_end_utc IS NULL OR a.last_end_utc > ?2) " \
	"UNION SELECT " APPT_COLS APPT_FROM "WHERE a.recurrence_id != '' AND a.uid IN (" \
	"SELECT uid FROM appointment a WHERE (a.rrule IS NOT NULL OR a.rdate IS NOT NULL) " \
	PATIENT "AND a.start_utc < ?3 AND (a.last_end_utc IS NULL OR a.last_end_utc > ?2)) "
#define CANDIDATES(PATIENT) SINGLES(PATIENT) "UNION " SERIES(PATIENT) "ORDER BY 9, 1"
/* Everyone's single events.  SQLite: the patients' on appointment_next,
 * the unassigned on appointment_patient (migration 35), merged in start
 * order by the statement's ORDER BY 9, 1.  PostgreSQL: on
 * appointment_start, which it keeps (it sorts such a merge whole). */
#define EVERYONE_SINGLES \
	SINGLES("AND a.patient_id IS NOT NULL AND ?1 = 0 ") \
	"UNION ALL " SINGLES("AND a.patient_id IS NULL AND ?1 = 0 ")
#define EVERYONE_SINGLES_PG SINGLES("AND ?1 = 0 ")

/* One of the parts above, for one patient or (0) everyone; to_id (not
 * 0): `one` is for the patients ?1..?5. */
static int each_part_to(struct store *s, const char *one, const char *all, long long patient_id,
                        long long to_id, long long from, long long to, store_appt_fn *fn,
                        void *ctx, struct err *e)
{
	struct dbst *st = st_prep(s, patient_id ? one : all, e);
	if (!st)
		return e->code;
	if (!patient_id)
		st_stream(st);   /* everyone's: read in order as they come */
	bind_int(st, 1, patient_id);
	bind_int(st, 2, from);
	bind_int(st, 3, to);
	if (to_id)
		bind_int(st, 5, to_id);
	return each_appt(s, st, fn, ctx, e);
}

/* each_part_to for one patient or everyone. */
static int each_part(struct store *s, const char *one, const char *all, long long patient_id,
                     long long from, long long to, store_appt_fn *fn, void *ctx, struct err *e)
{
	return each_part_to(s, one, all, patient_id, 0, from, to, fn, ctx, e);
}

int store_appt_candidates(struct store *s, long long patient_id, long long from,
                          long long to, struct appointment_list *out, struct err *e)
{
	return store_appt_candidates_each(s, patient_id, from, to, push_appt, out, e);
}

int store_appt_candidates_each(struct store *s, long long patient_id, long long from,
                               long long to, store_appt_fn *fn, void *ctx, struct err *e)
{
	static const char one[] = CANDIDATES("AND a.patient_id = ?1 ");
	static const char all[] = EVERYONE_SINGLES "UNION " SERIES("AND ?1 = 0 ") "ORDER BY 9, 1";
	static const char all_pg[] = CANDIDATES("AND ?1 = 0 ");
	return each_part(s, one, s->drv == &drv_pg ? all_pg : all, patient_id, from, to, fn, ctx, e);
}

int store_appt_singles_each(struct store *s, long long patient_id, long long from, long long to,
                            store_appt_fn *fn, void *ctx, struct err *e)
{
	/* in the order of appointment_patient, or of everyone's indexes
	 * (EVERYONE_SINGLES): no sort */
	static const char one[] = SINGLES("AND a.patient_id = ?1 ") "ORDER BY a.start_utc, a.id";
	static const char all[] = EVERYONE_SINGLES "ORDER BY 9, 1";
	static const char all_pg[] = EVERYONE_SINGLES_PG "ORDER BY a.start_utc, a.id";
	return each_part(s, one, s->drv == &drv_pg ? all_pg : all, patient_id, from, to, fn, ctx, e);
}

int store_appt_series(struct store *s, long long patient_id, long long from, long long to,
                      struct appointment_list *out, struct err *e)
{
	static const char one[] = SERIES("AND a.patient_id = ?1 ") "ORDER BY 9, 1";
	static const char all[] = SERIES("AND ?1 = 0 ") "ORDER BY 9, 1";
	return each_part(s, one, all, patient_id, from, to, push_appt, out, e);
}

int store_appt_singles_range(struct store *s, long long patient_id, long long to_id, long long from,
                             long long to, store_appt_fn *fn, void *ctx, struct err *e)
{
	static const char sql[] = SINGLES_AT("AND a.patient_id BETWEEN ?1 AND ?5 ",
	                                     "+a.start_utc") "ORDER BY a.start_utc, a.id";
	return each_part_to(s, sql, sql, patient_id, to_id, from, to, fn, ctx, e);
}

int store_appt_series_range(struct store *s, long long patient_id, long long to_id, long long from,
                            long long to, struct appointment_list *out, struct err *e)
{
	static const char sql[] = SERIES("AND a.patient_id BETWEEN ?1 AND ?5 ") "ORDER BY 9, 1";
	return each_part_to(s, sql, sql, patient_id, to_id, from, to, push_appt, out, e);
}

int store_appt_overrides(struct store *s, long long patient_id, long long from, long long to,
                         struct appointment_list *out, struct err *e)
{
	/* on appointment_override (one patient's: appointment_patient) */
	static const char one[] = SINGLES("AND a.patient_id = ?1 ")
		"AND a.recurrence_id != '' ORDER BY a.start_utc, a.id";
	static const char all[] = SINGLES("AND ?1 = 0 ")
		"AND a.recurrence_id != '' ORDER BY a.start_utc, a.id";
	return each_part(s, one, all, patient_id, from, to, push_appt, out, e);
}

int store_appt_zones(struct store *s, struct strlist *out, struct err *e)
{
	/* one look-up on appointment_zone per zone, not a walk of the table */
	static const char sql[] =
		"WITH RECURSIVE z(tzid) AS (SELECT min(a.tzid) FROM appointment a "
		"WHERE a.rrule IS NULL AND a.rdate IS NULL "
		"UNION ALL SELECT (SELECT min(a.tzid) FROM appointment a WHERE a.rrule IS NULL "
		"AND a.rdate IS NULL AND a.tzid > z.tzid) FROM z WHERE z.tzid IS NOT NULL) "
		"SELECT tzid FROM z WHERE tzid IS NOT NULL";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		char *z = col_text(st, 0);
		strlist_add(out, z);
		free(z);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
