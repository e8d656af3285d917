/* store_billing: a month's facts for the month's end, and TCM episodes. */
#include <stdlib.h>
#include <string.h>

#include "caseload/program.h"
#include "caseload/store_billing.h"
#include "store_internal.h"

#define NAME "CASE WHEN p.given = '' THEN p.family ELSE p.family || ', ' || p.given END"

void bill_facts_list_free(struct bill_facts_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		str_free(l->items[i].patient);
		str_free(l->items[i].status);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

static int day_or_none(const char *v)
{
	int d;
	return v && date_parse_iso(v, &d) == 0 ? d : DATE_NONE;
}

static int day_of(struct dbst *st, int i)
{
	return day_or_none(col_str(st, i));
}

/* episode.program's code as enum program (program.c's one table) */
static enum program program_of(const char *v)
{
	int i = program_find(v);
	return i < 0 ? PROG_CCM : (enum program)i;
}

static enum complexity complexity_of(const char *v)
{
	return !v ? CPLX_NONE : !strcmp(v, "high") ? CPLX_HIGH : CPLX_MODERATE;
}

/* The episode's columns (the store's one reader of the table), then the
 * patient's name and the discharge's instant. */
#define EPISODE_COLS STORE_EPISODE_COLS ", " NAME ", coalesce(d.at, 0) "
#define EPISODE_FROM \
	"FROM episode ep JOIN patient p ON p.id = ep.patient_id " \
	"LEFT JOIN entry d ON d.id = ep.discharge_id "

/* A month's facts built from the episode's row. */
static void read_episode(struct dbst *st, struct bill_facts *f)
{
	struct episode ep = {0};
	store_read_episode(st, &ep);
	memset(f, 0, sizeof *f);
	f->episode_id = ep.id;
	f->patient_id = ep.patient_id;
	f->patient = xstrdup(col_str(st, STORE_EPISODE_NCOLS));
	f->program = program_of(ep.program);
	f->status = ep.status;
	ep.status = NULL;   /* taken over */
	f->started = day_or_none(ep.started);
	f->ended = day_or_none(ep.ended);
	f->face_to_face = day_or_none(ep.face_to_face);
	f->med_rec = day_or_none(ep.med_rec);
	f->complexity = complexity_of(ep.complexity);
	f->discharge_id = ep.discharge_id;
	f->discharge_at = col_int(st, STORE_EPISODE_NCOLS + 1);
	f->version = ep.version;
	f->first = f->last = DATE_NONE;
	f->consent_given = f->consent_withdrawn = DATE_NONE;
	f->discharge = DATE_NONE;
	episode_clear(&ep);
}

static int read_episodes(struct store *s, struct dbst *st, struct bill_facts_list *out,
                         struct err *e)
{
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		xgrow((void **)&out->items, &out->cap, out->len, sizeof *out->items);
		read_episode(st, &out->items[out->len++]);
	}
	return rc < 0 ? rc : 0;
}

/* The calls and visits after a TCM episode's discharge. */
static int attempts(struct store *s, struct bill_facts *f, struct err *e)
{
	static const char sql[] =
		"SELECT at, CASE WHEN outcome = 'reached' THEN 1 ELSE 0 END FROM entry "
		"WHERE patient_id = ?1 AND at >= ?2 AND kind IN " SQL_CONTACT_KINDS " AND kind != 'message' "
		"ORDER BY at, id LIMIT " SQL_STR(BILL_ATTEMPTS);
	if (!f->discharge_id)
		return 0;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->patient_id);
	bind_int(st, 2, f->discharge_at);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW && f->n_attempts < BILL_ATTEMPTS) {
		f->attempt_at[f->n_attempts] = col_int(st, 0);
		f->attempt_reached[f->n_attempts++] = col_int(st, 1) != 0;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* The consent for the fact's program: the latest given by the month's end. */
static int consent_of(struct store *s, struct bill_facts *f, const char *last, struct err *e)
{
	static const char sql[] =
		"SELECT given, withdrawn FROM consent WHERE patient_id = ?1 AND program = ?2 "
		"AND given <= ?3 ORDER BY given DESC, id DESC LIMIT 1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->patient_id);
	bind_text(st, 2, program_name(f->program));
	bind_text(st, 3, last);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW) {
		f->consent_given = day_of(st, 0);
		f->consent_withdrawn = day_of(st, 1);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* The month's minutes by role, those before the consent's day (`from`,
 * ISO; the month's first without a consent) apart. */
static int minutes_of(struct store *s, struct bill_facts *f, const char *first, const char *last,
                      const char *from, struct err *e)
{
	static const char minutes[] =
		"SELECT t.role, CASE WHEN t.day < ?5 THEN 1 ELSE 0 END, sum(t.minutes) FROM time_log t "
		"WHERE t.patient_id = ?1 AND t.day >= ?2 AND t.day <= ?3 AND t.episode_id = ?4 "
		"GROUP BY t.role, CASE WHEN t.day < ?5 THEN 1 ELSE 0 END";
	static const char loose[] =
		"SELECT t.role, CASE WHEN t.day < ?4 THEN 1 ELSE 0 END, sum(t.minutes) FROM time_log t "
		"WHERE t.patient_id = ?1 AND t.day >= ?2 AND t.day <= ?3 AND t.episode_id IS NULL "
		"GROUP BY t.role, CASE WHEN t.day < ?4 THEN 1 ELSE 0 END";
	for (int pass = 0; pass < (f->program == PROG_CCM ? 2 : 1); pass++) {
		struct dbst *st = st_prep(s, pass ? loose : minutes, e);
		if (!st)
			return e->code;
		bind_int(st, 1, f->patient_id);
		bind_text(st, 2, first);
		bind_text(st, 3, last);
		if (pass) {
			bind_text(st, 4, from);
		} else {
			bind_int(st, 4, f->episode_id);
			bind_text(st, 5, from);
		}
		int rc;
		while ((rc = st_step(s, st, e)) == ST_ROW) {
			const char *role = col_str(st, 0);
			int p = !strcmp(role, "practitioner") ? PERF_PRACTITIONER
			        : !strcmp(role, "navigator") ? PERF_NAVIGATOR : PERF_STAFF;
			int *to = col_int(st, 1) ? f->minutes_early : f->minutes;
			to[p] += (int)col_int(st, 2);
		}
		st_reset(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The month's minutes, consent, contacts and conditions of one fact. */
static int month_fill(struct store *s, struct bill_facts *f, const char *first, const char *last,
                      long long from_utc, long long to_utc, struct err *e)
{
	static const char counts[] =
		"SELECT (SELECT count(*) FROM entry c WHERE c.patient_id = ?1 AND c.at >= ?2 "
		"  AND c.at < ?3 AND c.outcome = 'reached' AND c.kind IN " SQL_CONTACT_KINDS "), "
		"(SELECT count(*) FROM condition k WHERE k.patient_id = ?1 "
		"  AND k.status = " SQL_CONDITION_ACTIVE ")";
	char given[DATE_STRLEN];
	if (consent_of(s, f, last, e) < 0 ||
	    minutes_of(s, f, first, last,
	               f->consent_given == DATE_NONE ? first : date_format(f->consent_given, given),
	               e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, counts, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->patient_id);
	bind_int(st, 2, from_utc);
	bind_int(st, 3, to_utc);
	int rc;
	if ((rc = st_step(s, st, e)) == ST_ROW) {
		f->contacts = (int)col_int(st, 0);
		f->conditions = (int)col_int(st, 1);
	}
	st_reset(st);
	return rc < 0 ? rc : attempts(s, f, e);
}

/* APCM's facts beyond the month's: the patient's QMB flag. */
static int apcm_fill(struct store *s, struct bill_facts *f, struct err *e)
{
	static const char sql[] = "SELECT qmb FROM patient WHERE id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->patient_id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		f->qmb = col_int(st, 0) != 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

#define MONTH(P) \
	"SELECT " EPISODE_COLS EPISODE_FROM \
	"WHERE p.status = 'active' " P "AND ep.status IN ('active','onhold','finished') " \
	"AND ep.started <= ?2 AND (ep.ended IS NULL OR ep.ended >= ?1) " \
	"AND (ep.program != 'tcm' OR (d.at >= ?4 AND d.at < ?5)) " \
	"ORDER BY p.family COLLATE nocase, p.given COLLATE nocase, p.id, ep.program, ep.started, ep.id"

int store_billing_month(struct store *s, long long patient_id, const char *first,
                        const char *last, long long from_utc, long long to_utc,
                        struct bill_facts_list *out, struct err *e)
{
	static const char all[] = MONTH("AND ?3 = 0 "), one[] = MONTH("AND ep.patient_id = ?3 ");
	memset(out, 0, sizeof *out);
	if (store_begin_read(s, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, patient_id ? one : all, e);
	if (!st)
		goto fail;
	bind_text(st, 1, first);
	bind_text(st, 2, last);
	bind_int(st, 3, patient_id);
	bind_int(st, 4, from_utc);
	bind_int(st, 5, to_utc);
	if (read_episodes(s, st, out, e) < 0)
		goto fail;
	for (size_t i = 0; i < out->len; i++) {
		struct bill_facts *f = &out->items[i];
		date_parse_iso(first, &f->first);
		date_parse_iso(last, &f->last);
		if (month_fill(s, f, first, last, from_utc, to_utc, e) < 0 ||
		    (f->program == PROG_APCM && apcm_fill(s, f, e) < 0))
			goto fail;
	}
	return store_commit(s, e);
fail:
	store_rollback(s);
	bill_facts_list_free(out);
	return e->code;
}

int store_tcm_list(struct store *s, long long patient_id, struct bill_facts_list *out,
                   struct err *e)
{
	struct sqlq q = {0};
	q_sql(&q, "SELECT " EPISODE_COLS EPISODE_FROM);
	q_where(&q, "ep.program = 'tcm'");
	if (patient_id) {
		q_where(&q, "ep.patient_id = ");
		q_int(&q, patient_id);
	}
	q_sql(&q, " ORDER BY ep.started DESC, ep.id DESC");
	memset(out, 0, sizeof *out);
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	int rc = read_episodes(s, st, out, e);
	for (size_t i = 0; rc == 0 && i < out->len; i++)
		rc = attempts(s, &out->items[i], e);
	if (rc < 0)
		bill_facts_list_free(out);
	return rc;
}
