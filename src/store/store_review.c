/* store_review: the daily review's queries and its marks.  Each query
 * comes in two texts from one macro: the whole caseload ("AND ?9 = 0")
 * and one patient ("AND <col> = ?9"), so that the per-patient form uses
 * the patient's index; a third text, for the patients ?9..?10 (a batch
 * of the review kept), reads that range of the same index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/store_review.h"
#include "store_internal.h"

#define NAME "CASE WHEN p.given = '' THEN p.family ELSE p.family || ', ' || p.given END"
#define ALL_P "AND ?9 = 0 "
#define ONE_P(col) "AND " col " = ?9 "
#define RANGE_P(col) "AND " col " BETWEEN ?9 AND ?10 "

void review_rows_free(struct review_rows *l)
{
	for (size_t i = 0; i < l->len; i++) {
		struct review_row *r = &l->items[i];
		str_free(r->patient);
		str_free(r->risk);
		str_free(r->day);
		str_free(r->text);
		str_free(r->extra);
		str_free(r->from);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* Columns in a fixed order: patient_id, patient, risk, ref_id, at, day,
 * text, extra, n, flag, flag2 (queries select NULL for what they lack),
 * with `from` one more, from; each row to `each`, its strings lent until
 * the next step. */
static int each_row_of(struct store *s, struct dbst *st, bool from, review_row_fn *each,
                       void *arg, struct err *e)
{
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct review_row r = {
			.patient_id = col_int(st, 0), .patient = col_str(st, 1), .risk = col_str(st, 2),
			.ref_id = col_int(st, 3), .at = col_int(st, 4), .day = col_str(st, 5),
			.text = col_str(st, 6), .extra = col_str(st, 7), .n = col_int(st, 8),
			.flag = col_int(st, 9) != 0, .flag2 = col_int(st, 10) != 0,
			.from = from ? col_str(st, 11) : NULL};
		if ((rc = each(arg, &r)) < 0)
			break;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static int each_row(struct store *s, struct dbst *st, review_row_fn *each, void *arg,
                    struct err *e)
{
	return each_row_of(s, st, false, each, arg, e);
}

static const char *dup_or_null(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

/* Rows into a list that owns them. */
static int collect(void *arg, const struct review_row *r)
{
	struct review_row *c = LIST_PUSH((struct review_rows *)arg);
	*c = *r;
	c->patient = dup_or_null(r->patient);
	c->risk = dup_or_null(r->risk);
	c->day = dup_or_null(r->day);
	c->text = dup_or_null(r->text);
	c->extra = dup_or_null(r->extra);
	c->from = dup_or_null(r->from);
	return 0;
}

static struct dbst *prep(struct store *s, long long patient_id, long long to_id, const char *all,
                         const char *one, const char *range, struct err *e)
{
	bool some = patient_id && to_id;
	struct dbst *st = st_prep(s, some ? range : patient_id ? one : all, e);
	if (st)
		bind_int(st, 9, patient_id);
	if (st && some)
		bind_int(st, 10, to_id);
	return st;
}

/* On task_open_due: the open tasks due up to today (from: the day a
 * snoozed one is snoozed until). */
#define TASKS(P) \
	"SELECT t.patient_id, " NAME ", p.risk, t.id, 0, t.due, t.title, t.priority, 0, 0, 0, " \
	"t.snoozed_until " \
	"FROM task t JOIN patient p ON p.id = t.patient_id " \
	"WHERE t.status IN " SQL_OPEN_TASK " AND t.due <= ?1 " P \
	"AND (t.snoozed_until IS NULL OR t.snoozed_until <= ?1) AND p.status = 'active' " \
	"ORDER BY t.due, t.id"

int store_review_tasks(struct store *s, long long patient_id, long long to_id, const char *today,
                       review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = TASKS(ALL_P), one[] = TASKS(ONE_P("t.patient_id")),
	                  range[] = TASKS(RANGE_P("t.patient_id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_text(st, 1, today);
	return each_row_of(s, st, true, each, arg, e);
}

/* On medication_refill; the open refill tasks are looked up by patient.
 * A refill task covers the medications its title names ("Request refill:
 * Furosemide"), or all of them when it names none ("Request refills"). */
#define NAMES(title, med) "lower(" title ") LIKE '%' || lower(" med ") || '%'"
#define REFILLS(P) \
	"SELECT m.patient_id, " NAME ", p.risk, m.id, 0, m.refill_due, m.name, m.dose, 0, 0, 0 " \
	"FROM medication m JOIN patient p ON p.id = m.patient_id " \
	"WHERE m.status = 'active' AND m.refill_due <= ?1 " P "AND p.status = 'active' " \
	"AND NOT EXISTS (SELECT 1 FROM task t WHERE t.patient_id = m.patient_id " \
	"AND t.kind = 'refill' AND t.status IN " SQL_OPEN_TASK " " \
	"AND (" NAMES("t.title", "m.name") " OR NOT EXISTS (SELECT 1 FROM medication o " \
	"WHERE o.patient_id = t.patient_id AND o.status = 'active' AND " NAMES("t.title", "o.name") "))) " \
	"ORDER BY m.refill_due, m.id"

int store_review_refills(struct store *s, long long patient_id, long long to_id, const char *until,
                         review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = REFILLS(ALL_P), one[] = REFILLS(ONE_P("m.patient_id")),
	                  range[] = REFILLS(RANGE_P("m.patient_id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_text(st, 1, until);
	return each_row(s, st, each, arg, e);
}

/* On entry_kind_at for the discharges (for one patient on entry_patient_at:
 * K is "+d.kind" there, so the kind index is not used); the contact on
 * entry_reached and the visit on appointment_patient. */
#define DISCHARGES(P, K) \
	"SELECT d.patient_id, " NAME ", p.risk, d.id, d.at, e.face_to_face, d.facility, " \
	"e.complexity, " \
	"coalesce((SELECT c.at FROM entry c WHERE c.patient_id = d.patient_id AND c.at >= d.at " \
	"  AND c.kind IN " SQL_CONTACT_KINDS " AND c.kind != 'message' " \
	"  ORDER BY c.at, c.id LIMIT 1 OFFSET 1), 0), " \
	"EXISTS (SELECT 1 FROM entry c WHERE c.patient_id = d.patient_id AND c.at >= d.at " \
	"  AND c.outcome = 'reached' AND c.kind IN " SQL_CONTACT_KINDS " " \
	"  AND c.kind != 'message'), " \
	"EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = d.patient_id " \
	"  AND a.start_utc >= d.at AND a.start_utc < d.at + " \
	"  CASE WHEN coalesce(e.complexity, CASE WHEN p.risk = 'high' THEN 'high' ELSE '' END) = 'high' " \
	"  THEN CAST(?2 AS BIGINT) ELSE CAST(?3 AS BIGINT) END " \
	"  AND a.status NOT IN " SQL_GONE_APPT ") " \
	"FROM entry d JOIN patient p ON p.id = d.patient_id " \
	"LEFT JOIN episode e ON e.discharge_id = d.id AND e.program = 'tcm' " \
	"WHERE " K " = 'discharge' AND d.at >= ?1 " P "AND p.status = 'active' " \
	"ORDER BY d.at, d.id"

int store_review_discharges(struct store *s, long long patient_id, long long to_id, long long since,
                            long long high_secs, long long other_secs, review_row_fn *each,
                            void *arg, struct err *e)
{
	static const char all[] = DISCHARGES(ALL_P, "d.kind"),
	                  one[] = DISCHARGES(ONE_P("d.patient_id"), "+d.kind"),
	                  range[] = DISCHARGES(RANGE_P("d.patient_id"), "+d.kind");
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_int(st, 1, since);
	bind_int(st, 2, high_secs);
	bind_int(st, 3, other_secs);
	return each_row(s, st, each, arg, e);
}

/* Every active patient is a candidate: one pass over patient with the
 * last contact from entry_reached (a max() on its index). */
#define CADENCE(P) \
	"WITH cand AS MATERIALIZED (" \
	"SELECT p.id, " NAME " AS name, p.risk, " \
	"coalesce(p.cadence_days, CASE p.risk WHEN 'high' THEN CAST(?2 AS BIGINT) WHEN 'low' THEN CAST(?4 AS BIGINT) " \
	"  ELSE CAST(?3 AS BIGINT) END) AS cad, " \
	"(SELECT max(c.at) FROM entry c WHERE c.patient_id = p.id AND c.outcome = 'reached' " \
	"  AND c.kind IN " SQL_CONTACT_KINDS ") AS last " \
	"FROM patient p WHERE p.status = 'active' " P ") " \
	"SELECT id, name, risk, id, last, NULL, NULL, NULL, cad, 0, 0 FROM cand " \
	"WHERE last IS NULL OR last < (?1 - cad + 2) * " SQL_DAY_SECONDS

int store_review_cadence(struct store *s, long long patient_id, long long to_id, int before_day,
                         int cad_high, int cad_medium, int cad_low, review_row_fn *each, void *arg,
                         struct err *e)
{
	static const char all[] = CADENCE(ALL_P), one[] = CADENCE(ONE_P("p.id")),
	                  range[] = CADENCE(RANGE_P("p.id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_int(st, 1, before_day);
	bind_int(st, 2, cad_high);
	bind_int(st, 3, cad_medium);
	bind_int(st, 4, cad_low);
	return each_row(s, st, each, arg, e);
}

/* Open CCM episodes begun by the month's end, with the minutes logged
 * toward that episode (time_log.episode_id) in the month. */
#define CCM(P) \
	"WITH cand AS MATERIALIZED (" \
	"SELECT p.id, " NAME " AS name, p.risk, ep.id AS ep, " \
	"(SELECT coalesce(sum(t.minutes), 0) FROM time_log t WHERE t.episode_id = ep.id " \
	"  AND t.day >= ?1 AND t.day <= ?2) AS minutes " \
	"FROM episode ep JOIN patient p ON p.id = ep.patient_id " \
	"WHERE ep.program = 'ccm' AND ep.status IN ('planned','active','onhold') " \
	"AND ep.started <= ?2 AND p.status = 'active' " P ") " \
	"SELECT id, name, risk, ep, 0, NULL, NULL, NULL, minutes, 0, 0 FROM cand " \
	"WHERE minutes < ?3 ORDER BY id"

int store_review_ccm(struct store *s, long long patient_id, long long to_id, const char *from,
                     const char *to, int minutes, review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = CCM(ALL_P), one[] = CCM(ONE_P("ep.patient_id")),
	                  range[] = CCM(RANGE_P("ep.patient_id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_text(st, 1, from);
	bind_text(st, 2, to);
	bind_int(st, 3, minutes);
	return each_row(s, st, each, arg, e);
}

/* Open episodes (not transitional care, which a discharge opens) with no
 * consent to their program in force on ?1. */
#define CONSENT_MISSING(P) \
	"SELECT ep.patient_id, " NAME ", p.risk, ep.id, 0, ep.started, ep.program, NULL, 0, 0, 0 " \
	"FROM episode ep JOIN patient p ON p.id = ep.patient_id " \
	"WHERE ep.status IN ('planned','active','onhold') AND ep.program <> 'tcm' " P \
	"AND p.status = 'active' AND NOT EXISTS (SELECT 1 FROM consent c " \
	"WHERE c.patient_id = ep.patient_id AND c.program = ep.program AND c.given <= ?1 " \
	"AND (c.withdrawn IS NULL OR c.withdrawn > ?1)) ORDER BY ep.patient_id, ep.id"

int store_review_consent_missing(struct store *s, long long patient_id, long long to_id,
                                 const char *day, review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = CONSENT_MISSING(ALL_P),
	                  one[] = CONSENT_MISSING(ONE_P("ep.patient_id")),
	                  range[] = CONSENT_MISSING(RANGE_P("ep.patient_id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_text(st, 1, day);
	return each_row(s, st, each, arg, e);
}

/* Active patients with ?1 or more active conditions, not in chronic care
 * management (no open CCM episode) and who have not withdrawn from it. */
#define CCM_ELIGIBLE(P) \
	"SELECT p.id, " NAME ", p.risk, p.id, 0, NULL, NULL, NULL, k.n, 0, 0 " \
	"FROM (SELECT patient_id, count(*) AS n FROM condition WHERE status = " \
	SQL_CONDITION_ACTIVE " GROUP BY patient_id) k JOIN patient p ON p.id = k.patient_id " \
	"WHERE k.n >= ?1 AND p.status = 'active' " P \
	"AND NOT EXISTS (SELECT 1 FROM episode ep WHERE ep.patient_id = p.id " \
	"AND ep.program = 'ccm' AND ep.status IN ('planned','active','onhold')) " \
	"AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.patient_id = p.id " \
	"AND c.program = 'ccm' AND c.withdrawn IS NOT NULL) ORDER BY p.id"

int store_review_ccm_eligible(struct store *s, long long patient_id, long long to_id,
                              int conditions, review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = CCM_ELIGIBLE(ALL_P), one[] = CCM_ELIGIBLE(ONE_P("p.id")),
	                  range[] = CCM_ELIGIBLE(RANGE_P("k.patient_id") RANGE_P("p.id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_int(st, 1, conditions);
	return each_row(s, st, each, arg, e);
}

/* A missed visit is a single event or an override (a series as a whole
 * is never "noshow"): appointment_start (the patients' events, as the
 * join's), then the patient's tasks (for a range of patients,
 * S "+a.start_utc": appointment_patient, that range's rows, not every
 * patient's of the days). */
#define NOSHOWS(P, S) \
	"SELECT a.patient_id, " NAME ", p.risk, a.id, a.start_utc, NULL, a.title, NULL, 0, 0, 0 " \
	"FROM appointment a JOIN patient p ON p.id = a.patient_id " \
	"WHERE a.rrule IS NULL AND a.rdate IS NULL AND " S " >= ?1 AND " S " < ?2 " \
	"AND a.status = 'noshow' " P "AND p.status = 'active' " \
	"AND NOT EXISTS (SELECT 1 FROM task t WHERE t.patient_id = a.patient_id " \
	"AND t.kind = 'followup' AND t.created >= a.start_utc) ORDER BY a.start_utc, a.id"

int store_review_noshows(struct store *s, long long patient_id, long long to_id, long long from,
                         long long to, review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = NOSHOWS("AND a.patient_id IS NOT NULL " ALL_P, "a.start_utc"),
	                  one[] = NOSHOWS(ONE_P("a.patient_id"), "a.start_utc"),
	                  range[] = NOSHOWS(RANGE_P("a.patient_id"), "+a.start_utc");
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	bind_int(st, 1, from);
	bind_int(st, 2, to);
	return each_row(s, st, each, arg, e);
}

/* The partial index entry_unreviewed holds exactly these rows (the kind
 * is filtered with a unary + so that entry_kind_at, which would walk every
 * result and message ever recorded, is not chosen instead). */
#define UNREVIEWED(P) \
	"SELECT e.patient_id, " NAME ", p.risk, e.id, e.at, NULL, e.kind, " \
	"coalesce(e.facility, e.text), 0, 0, 0 " \
	"FROM entry e JOIN patient p ON p.id = e.patient_id " \
	"WHERE e.needs_review AND e.reviewed_at IS NULL " P \
	"AND +e.kind IN ('result','admission','discharge','message') AND p.status = 'active' " \
	"ORDER BY e.at, e.id"

int store_review_unreviewed(struct store *s, long long patient_id, long long to_id,
                            review_row_fn *each, void *arg, struct err *e)
{
	static const char all[] = UNREVIEWED(ALL_P), one[] = UNREVIEWED(ONE_P("e.patient_id")),
	                  range[] = UNREVIEWED(RANGE_P("e.patient_id"));
	struct dbst *st = prep(s, patient_id, to_id, all, one, range, e);
	if (!st)
		return e->code;
	return each_row(s, st, each, arg, e);
}

/* The patients of a range whose kept rows are to be made again for day
 * ?D, those that end by ?B too (store_review_state_stale's): of a batch's
 * run, its own and those of its range it leaves for later (not those
 * between). */
#define TO_MAKE(D, B) "JOIN review_state r ON r.patient_id = p.id " \
	"WHERE (r.stale = 1 OR r.until_day <= " B " OR r.made_day > " D ") "

int store_review_reached_last(struct store *s, int day, int by, long long from_id, long long to_id,
                              void (*each)(void *arg, long long patient_id, long long at),
                              void *arg, struct err *e)
{
	/* each patient's on entry_reached (over the range, SQLite would walk
	 * the contacts of every patient on entry_kind_at) */
	static const char sql[] =
		"SELECT p.id, (SELECT max(c.at) FROM entry c WHERE c.patient_id = p.id "
		"AND c.outcome = 'reached' AND c.kind IN " SQL_CONTACT_KINDS ") "
		"FROM patient p " TO_MAKE("?3", "?4") "AND p.id BETWEEN ?1 AND ?2 ORDER BY p.id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, from_id);
	bind_int(st, 2, to_id);
	bind_int(st, 3, day);
	bind_int(st, 4, by);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		if (!col_null(st, 1))
			each(arg, col_int(st, 0), col_int(st, 1));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_reached_since(struct store *s, long long patient_id, long long since,
                               bool *yes, struct err *e)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM entry c WHERE c.patient_id = ?1 AND c.at >= ?2 "
		"AND c.outcome = 'reached' AND c.kind IN " SQL_CONTACT_KINDS ")";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_int(st, 2, since);
	int rc = st_step(s, st, e);
	*yes = rc == ST_ROW && col_int(st, 0) != 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_patient(struct store *s, long long patient_id, bool *active, char **name,
                         struct err *e)
{
	static const char sql[] = "SELECT p.status = 'active', " NAME " FROM patient p WHERE p.id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	int rc = st_step(s, st, e);
	*active = false;
	*name = NULL;
	if (rc == ST_ROW) {
		*active = col_int(st, 0) != 0;
		*name = col_text(st, 1);
	}
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no patient with id %lld", patient_id);
}

int store_review_patients(struct store *s, long long from_id, long long to_id,
                          int (*each)(void *arg, long long id, bool active, const char *name),
                          void *arg, struct err *e)
{
	static const char sql[] = "SELECT p.id, p.status = 'active', " NAME " FROM patient p "
	                          "WHERE p.id BETWEEN ?1 AND ?2 ORDER BY p.id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, from_id);
	bind_int(st, 2, to_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		if ((rc = each(arg, col_int(st, 0), col_int(st, 1) != 0, col_str(st, 2))) < 0)
			break;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_active_after(struct store *s, long long after, size_t max, long long *ids,
                              size_t *n, struct err *e)
{
	static const char sql[] =
		"SELECT id FROM patient WHERE id > ?1 AND status = 'active' ORDER BY id LIMIT ?2";
	struct dbst *st = st_prep(s, sql, e);
	*n = 0;
	if (!st)
		return e->code;
	bind_int(st, 1, after);
	bind_int(st, 2, (long long)max);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW && *n < max)
		ids[(*n)++] = col_int(st, 0);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_last_patient(struct store *s, long long *id, struct err *e)
{
	static const char sql[] = "SELECT coalesce(max(id), 0) FROM patient";
	struct dbst *st = st_prep(s, sql, e);
	return st ? st_number(s, st, id, e) : e->code;
}

int store_review_mark_set(struct store *s, const char *day, long long patient_id,
                          const char *state, struct err *e)
{
	static const char put[] =
		"INSERT INTO review_mark(day, patient_id, state, at, who) VALUES (?1,?2,?3,?4,?5) "
		"ON CONFLICT (day, patient_id) DO UPDATE SET state = ?3, at = ?4, who = ?5";
	static const char del[] = "DELETE FROM review_mark WHERE day = ?1 AND patient_id = ?2";
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, state ? put : del, e);
	if (!st)
		goto fail;
	bind_text(st, 1, day);
	bind_int(st, 2, patient_id);
	if (state) {
		bind_text(st, 3, state);
		bind_int(st, 4, store_now());
		bind_text(st, 5, store_user(s));
	}
	/* the audit row names the patient and the day, not what was seen */
	if (st_exec(s, st, e) < 0 ||
	    store_audit(s, state ? state : "unmark", "review_mark", patient_id, day, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_review_mark_get(struct store *s, const char *day, long long patient_id,
                          char **state, struct err *e)
{
	static const char sql[] = "SELECT state FROM review_mark WHERE day = ?1 AND patient_id = ?2";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, day);
	bind_int(st, 2, patient_id);
	int rc = st_step(s, st, e);
	*state = rc == ST_ROW ? col_text(st, 0) : NULL;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_mark_list(struct store *s, const char *day, struct review_rows *out,
                           struct err *e)
{
	static const char sql[] =
		"SELECT m.patient_id, " NAME ", p.risk, m.patient_id, m.at, m.day, m.state, m.who, "
		"0, 0, 0 FROM review_mark m JOIN patient p ON p.id = m.patient_id WHERE m.day = ?1 "
		"ORDER BY m.at, m.patient_id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, day);
	return each_row(s, st, collect, out, e);
}

int store_review_need_ensure(struct store *s, struct err *e)
{
	static const char sql[] =
		"CREATE TEMPORARY TABLE IF NOT EXISTS review_need (patient_id INTEGER PRIMARY KEY)";
	struct dbst *st = st_prep(s, sql, e);
	return st ? st_exec(s, st, e) : e->code;
}

int store_review_need_set(struct store *s, const long long *ids, size_t n, struct err *e)
{
	static const char clear[] = "DELETE FROM review_need";
	static const char put[] = "INSERT INTO review_need (patient_id) VALUES (?1)";
	struct dbst *st;
	if (store_review_need_ensure(s, e) < 0)
		return e->code;
	/* a read transaction: the temporary table is this connection's own,
	 * so filling it takes no lock on the file */
	if (store_begin_read(s, e) < 0)
		return e->code;
	if (!(st = st_prep(s, clear, e)) || st_exec(s, st, e) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (!(st = st_prep(s, put, e)))
			goto fail;
		bind_int(st, 1, ids[i]);
		if (st_exec(s, st, e) < 0)
			goto fail;
	}
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_review_need_put(struct store *s, const long long *ids, size_t n, bool in,
                          struct err *e)
{
	static const char put[] =
		"INSERT INTO review_need (patient_id) VALUES (?1) ON CONFLICT (patient_id) DO NOTHING";
	static const char del[] = "DELETE FROM review_need WHERE patient_id = ?1";
	if (store_review_need_ensure(s, e) < 0)
		return e->code;
	for (size_t i = 0; i < n; i++) {
		struct dbst *st = st_prep(s, in ? put : del, e);
		if (!st)
			return e->code;
		bind_int(st, 1, ids[i]);
		if (st_exec(s, st, e) < 0)
			return e->code;
	}
	return 0;
}

int store_review_spill_start(struct store *s, struct err *e)
{
	static const char items[] =
		"CREATE TEMPORARY TABLE IF NOT EXISTS review_spill (patient_id BIGINT, severity BIGINT, "
		"due BIGINT, reason BIGINT, ref_id BIGINT, ref_at BIGINT, ref_table TEXT, patient TEXT, "
		"detail TEXT)";
	static const char places[] =
		"CREATE TEMPORARY TABLE IF NOT EXISTS review_spill_place (patient_id INTEGER PRIMARY KEY, "
		"place BIGINT, state BIGINT)";
	static const char clear_items[] = "DELETE FROM review_spill";
	static const char clear_places[] = "DELETE FROM review_spill_place";
	const char *const sql[] = {items, places, clear_items, clear_places};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		struct dbst *st = st_prep(s, sql[i], e);
		if (!st || st_exec(s, st, e) < 0)
			return e->code;
	}
	return 0;
}

int store_review_spill_put(struct store *s, const struct review_spilled *it, struct err *e)
{
	static const char sql[] =
		"INSERT INTO review_spill (patient_id, severity, due, reason, ref_id, ref_at, ref_table, "
		"patient, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, it->patient_id);
	bind_int(st, 2, it->severity);
	bind_int(st, 3, it->due);
	bind_int(st, 4, it->reason);
	bind_int(st, 5, it->ref_id);
	bind_int(st, 6, it->ref_at);
	bind_text_ref(st, 7, it->ref_table);
	bind_text_ref(st, 8, it->patient);
	bind_text_ref(st, 9, it->detail);
	return st_exec(s, st, e);
}

int store_review_spill_place(struct store *s, long long patient_id, long long place,
                             int state, struct err *e)
{
	static const char sql[] =
		"INSERT INTO review_spill_place (place, patient_id, state) VALUES (?1, ?2, ?3)";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, place);
	bind_int(st, 2, patient_id);
	bind_int(st, 3, state);
	return st_exec(s, st, e);
}

static int spill_read(struct store *s, const char *sql,
                      int (*each)(void *arg, const struct review_spilled *it), void *arg,
                      struct err *e)
{
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct review_spilled it = {
			.patient_id = col_int(st, 0), .severity = (int)col_int(st, 1),
			.due = (int)col_int(st, 2), .reason = (int)col_int(st, 3),
			.ref_id = col_int(st, 4), .ref_at = col_int(st, 5), .ref_table = col_str(st, 6),
			.patient = col_str(st, 7), .detail = col_str(st, 8), .state = (int)col_int(st, 9)};
		if ((rc = each(arg, &it)) < 0)
			break;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_spill_each(struct store *s,
                            int (*each)(void *arg, const struct review_spilled *it),
                            void *arg, struct err *e)
{
	static const char sql[] =
		"SELECT i.patient_id, i.severity, i.due, i.reason, i.ref_id, i.ref_at, i.ref_table, "
		"i.patient, i.detail, p.state FROM review_spill i "
		"JOIN review_spill_place p ON p.patient_id = i.patient_id "
		"ORDER BY p.place, i.severity DESC, i.due, i.reason, i.ref_id, i.ref_at";
	return spill_read(s, sql, each, arg, e);
}

int store_review_day_counts(struct store *s, long long from, long long to, long long *contacts,
                            long long *closed, struct err *e)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM entry WHERE kind IN " SQL_CONTACT_KINDS " "
		"  AND at >= ?1 AND at < ?2), "
		"(SELECT count(*) FROM task WHERE completed_at >= ?1 AND completed_at < ?2 "
		"  AND status = 'completed')";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, from);
	bind_int(st, 2, to);
	int rc = st_step(s, st, e);
	*contacts = rc == ST_ROW ? col_int(st, 0) : 0;
	*closed = rc == ST_ROW ? col_int(st, 1) : 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- the review kept ---- */

static int exec_text(struct store *s, const char *sql, struct err *e)
{
	struct dbst *st = st_prep(s, sql, e);
	return !st || st_exec(s, st, e) < 0 ? e->code : 0;
}

int store_review_state_stale_all(struct store *s, struct err *e)
{
	return exec_text(s, "UPDATE review_state SET stale = 1 WHERE stale = 0", e);
}

int store_review_state_stale(struct store *s, int day, int by, long long *after, long long *ids,
                             size_t max, size_t *n, size_t *n_stale, struct err *e)
{
	/* the stale on review_state_stale; whether any other is to be made
	 * on review_state_until and review_state_made; those in patient order
	 * (the rules then read each table's pages in order) along the table
	 * from *after */
	static const char stale[] =
		"SELECT patient_id FROM review_state WHERE stale = 1 ORDER BY patient_id LIMIT ?2";
	static const char any[] =
		"SELECT 1 FROM review_state WHERE (until_day <= ?4 OR made_day > ?1) AND stale = 0 "
		"LIMIT 1";
	static const char out[] =
		"SELECT patient_id FROM review_state WHERE patient_id > ?3 AND stale = 0 "
		"AND (+until_day <= ?4 OR +made_day > ?1) ORDER BY patient_id LIMIT ?2";
	const char *sql[] = {stale, any, out};
	int rc = 0;
	bool some = false;
	*n = *n_stale = 0;
	for (size_t q = 0; rc >= 0 && q < 3 && *n < max && (q < 2 || some); q++) {
		struct dbst *st = st_prep(s, sql[q], e);
		if (!st)
			return e->code;
		bind_int(st, 1, day);
		bind_int(st, 2, (long long)(max - *n));
		bind_int(st, 3, *after);
		bind_int(st, 4, by);
		while ((rc = st_step(s, st, e)) == ST_ROW && *n < max) {
			if (q == 1)
				some = true;
			else
				ids[(*n)++] = col_int(st, 0);
			if (q == 2)
				*after = col_int(st, 0);
		}
		st_reset(st);
		if (q == 0)
			*n_stale = *n;
	}
	return rc < 0 ? rc : 0;
}

/* One statement of one patient id. */
static int exec_pid(struct store *s, const char *sql, long long patient_id, struct err *e)
{
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	return st_exec(s, st, e);
}

/* The patients without a review_state row (its trigger makes one for
 * each patient added). */
#define NO_STATE "FROM patient p WHERE NOT EXISTS " \
	"(SELECT 1 FROM review_state r WHERE r.patient_id = p.id)"

int store_review_state_fill(struct store *s, long long *added, struct err *e)
{
	static const char count[] = "SELECT count(*) " NO_STATE;
	static const char fill[] = "INSERT INTO review_state(patient_id) SELECT p.id " NO_STATE;
	*added = 0;
	struct dbst *st = st_prep(s, count, e);
	if (!st || st_number(s, st, added, e) < 0)
		return e->code;
	if (*added == 0)
		return 0;   /* (nothing written: the file may be read-only) */
	char detail[96];
	snprintf(detail, sizeof detail, "review rows put back for %lld patient%s", *added,
	         *added == 1 ? "" : "s");
	if (store_begin(s, e) < 0)
		return e->code;
	if ((st = st_prep(s, fill, e)) == NULL || st_exec(s, st, e) < 0 ||
	    store_audit(s, "repair", "review_state", 0, detail, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	return store_commit(s, e);
}

int store_review_state_drop(struct store *s, long long patient_id, struct err *e)
{
	if (exec_pid(s, "DELETE FROM review_period WHERE patient_id = ?1", patient_id, e) < 0)
		return e->code;
	return exec_pid(s, "DELETE FROM review_state WHERE patient_id = ?1", patient_id, e);
}

#define PERIOD_COLS "patient_id, from_day, to_day, sev_rank, best_due, n_items, w_who, " \
	"w_severity, w_reason, w_ref, name, items"
#define PERIOD_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define PERIOD_ROW_PARAMS 12
#define STATE_PUT "INSERT INTO review_state (patient_id, stale, made_day, until_day) VALUES "
#define STATE_ROW "(?, 0, ?, ?)"
#define STATE_ROW_PARAMS 3
#define STATE_SET " ON CONFLICT (patient_id) DO UPDATE SET stale = 0, " \
	"made_day = excluded.made_day, until_day = excluded.until_day"
#define PERIODS_GONE "DELETE FROM review_period WHERE patient_id IN "
/* On PostgreSQL each statement is a round trip, so the rows of a run of
 * patients go many to a statement (TIERS: 50 periods, then 10, then one
 * each; 100 patients' ids or rows, then 10, then one each).  Every row
 * made again of 20,000 patients, one patient's statements at a time, took
 * 9.5 s, nearly all of it waiting on the server.  SQLite runs them in the
 * process, where one row a statement takes less time (every row made
 * again of 20,000: 0.79 s against 0.89 s five to a statement): one tier,
 * one each. */
#define X2(x) x ", " x
#define X5(x) x ", " x ", " x ", " x ", " x
#define X10(x) X2(X5(x))
#define X50(x) X5(X10(x))
#define X100(x) X2(X50(x))
struct tier {
	size_t rows;
	const char *sql;
};
#define TIERS(BIG, N_BIG, MANY)                                       \
	{{N_BIG, MANY(BIG)}, {10, MANY(X10)}, {1, MANY(IDENTITY)}}
#define IDENTITY(x) x
#define GONE(X) PERIODS_GONE "(" X("?") ")"
#define PERIODS(X) "INSERT INTO review_period (" PERIOD_COLS ") VALUES " X(PERIOD_ROW)
#define STATES(X) STATE_PUT X(STATE_ROW) STATE_SET

static void bind_period(struct dbst *st, int at, const void *item)
{
	const struct review_state_row *r = item;
	bind_int(st, at + 1, r->patient_id);
	bind_int(st, at + 2, r->made_day);
	bind_int(st, at + 3, r->until_day);
	bind_int(st, at + 4, r->sev_rank);
	bind_int(st, at + 5, r->best_due);
	bind_int(st, at + 6, r->n_items);
	bind_int(st, at + 7, r->w_who);
	bind_int(st, at + 8, r->w_severity);
	bind_int(st, at + 9, r->w_reason);
	bind_int(st, at + 10, r->w_ref);
	bind_text_ref(st, at + 11, r->name);
	bind_text_ref(st, at + 12, r->items);
}

static void bind_gone(struct dbst *st, int at, const void *item)
{
	bind_int(st, at + 1, ((const struct review_made *)item)->patient_id);
}

static void bind_state(struct dbst *st, int at, const void *item)
{
	const struct review_made *m = item;
	bind_int(st, at + 1, m->patient_id);
	bind_int(st, at + 2, m->made_day);
	bind_int(st, at + 3, m->until_day);
}

/* items[0..n) (each `size` bytes), each `params` values bound by bind:
 * as many as the first of tiers t (the last of one row) that n leaves
 * room for, a statement; on SQLite, one a statement. */
static int put_chunks(struct store *s, const struct tier t[3], int params, const void *items,
                      size_t size, size_t n, void (*bind)(struct dbst *, int, const void *),
                      struct err *e)
{
	if (s->drv != &drv_pg)
		t += 2;   /* the last tier: one row */
	for (size_t i = 0; i < n;) {
		const struct tier *k = t;
		while (k->rows > n - i)
			k++;
		struct dbst *st = st_prep(s, k->sql, e);
		if (!st)
			return e->code;
		for (size_t x = 0; x < k->rows; x++)
			bind(st, (int)x * params, (const char *)items + (i + x) * size);
		if (st_exec(s, st, e) < 0)
			return e->code;
		i += k->rows;
	}
	return 0;
}

int store_review_made_put(struct store *s, const struct review_made *m, size_t n, struct err *e)
{
	static const struct tier gone[] = TIERS(X100, 100, GONE);
	static const struct tier periods[] = TIERS(X50, 50, PERIODS);
	static const struct tier states[] = TIERS(X100, 100, STATES);
	size_t k = 0, total = 0;
	if (put_chunks(s, gone, 1, m, sizeof *m, n, bind_gone, e) < 0)
		return e->code;
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < m[i].n; r++)
			total += (size_t)((m[i].rows[r].until_day - m[i].rows[r].made_day +
			                   STORE_REVIEW_PERIOD_DAYS - 1) / STORE_REVIEW_PERIOD_DAYS);
	struct review_state_row *split = xcalloc(total ? total : 1, sizeof *split);
	for (size_t i = 0; i < n; i++)
		for (size_t r = 0; r < m[i].n; r++) {
			const struct review_state_row *row = &m[i].rows[r];
			for (int d = row->made_day; d < row->until_day; d += STORE_REVIEW_PERIOD_DAYS) {
				split[k] = *row;
				split[k].made_day = d;
				if (d + STORE_REVIEW_PERIOD_DAYS < row->until_day)
					split[k].until_day = d + STORE_REVIEW_PERIOD_DAYS;
				k++;
			}
		}
	int rc = put_chunks(s, periods, PERIOD_ROW_PARAMS, split, sizeof *split, k, bind_period, e);
	free(split);
	if (rc < 0)
		return rc;
	return put_chunks(s, states, STATE_ROW_PARAMS, m, sizeof *m, n, bind_state, e);
}
#undef X2
#undef X5
#undef X10
#undef X50
#undef X100
#undef TIERS
#undef IDENTITY
#undef GONE
#undef PERIODS
#undef STATES

/* The periods in force on ?D (the walks test the days from their index). */
#define IN_FORCE(D) "from_day <= " D " AND to_day > " D
/* ... and begun within STORE_REVIEW_PERIOD_DAYS of it (?B: the day less
 * those days): a range of review_period_day */
#define IN_FORCE_SINCE(D, B) "from_day > " B " AND " IN_FORCE(D)

int store_review_state_totals(struct store *s, int day, long long *patients, long long *items,
                              int w[4], struct err *e)
{
	/* one pass over review_period_day, the periods begun within
	 * STORE_REVIEW_PERIOD_DAYS of the day (a period without items has no
	 * width) */
	static const char count[] =
		"SELECT count(*), coalesce(sum(n_items), 0), max(w_who), max(w_severity), "
		"max(w_reason), max(w_ref) FROM review_period WHERE n_items > 0 AND "
		IN_FORCE_SINCE("?1", "?2");
	struct dbst *st = st_prep(s, count, e);
	*patients = *items = 0;
	if (!st)
		return e->code;
	bind_int(st, 1, day);
	bind_int(st, 2, day - STORE_REVIEW_PERIOD_DAYS);
	int rc = st_step(s, st, e);
	for (int i = 0; i < 4; i++)
		w[i] = rc == ST_ROW ? (int)col_int(st, 2 + i) : 0;
	if (rc == ST_ROW) {
		*patients = col_int(st, 0);
		*items = col_int(st, 1);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_state_who(struct store *s, long long patient_id, int day, int *w_who,
                           struct err *e)
{
	static const char sql[] =
		"SELECT w_who FROM review_period WHERE patient_id = ?1 AND " IN_FORCE("?2");
	struct dbst *st = st_prep(s, sql, e);
	*w_who = 0;
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_int(st, 2, day);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		*w_who = (int)col_int(st, 0);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_kept_ahead(struct store *s, int day, int by, long long from_id, long long to_id,
                            const char *today,
                            int (*each)(void *arg, long long id,
                                        const struct store_review_ahead *a),
                            void *arg, struct err *e)
{
	static const char sql[] =
		"SELECT p.id, (SELECT min(c.given) FROM consent c WHERE c.patient_id = p.id AND c.given > ?2), "
		"(SELECT min(c.withdrawn) FROM consent c WHERE c.patient_id = p.id AND c.withdrawn > ?2) "
		"FROM patient p " TO_MAKE("?4", "?5") "AND p.id BETWEEN ?1 AND ?3 ORDER BY p.id";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, from_id);
	bind_text(st, 2, today);
	bind_int(st, 3, to_id);
	bind_int(st, 4, day);
	bind_int(st, 5, by);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct store_review_ahead a = {0};
		char *days[] = {a.consent, a.withdrawn};
		for (int i = 0; i < 2; i++) {
			const char *v = col_str(st, 1 + i);
			snprintf(days[i], sizeof a.consent, "%s", v ? v : "");
		}
		if ((rc = each(arg, col_int(st, 0), &a)) < 0)
			break;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_review_state_seek(struct store *s, int sev_rank, bool due_today, int day,
                            struct dbst **st, struct err *e)
{
	/* both on review_period_order, the periods not in force skipped there */
	static const char other[] =
		"SELECT patient_id, sev_rank, best_due, n_items, name, items FROM review_period "
		"WHERE n_items > 0 AND sev_rank = ?1 AND best_due <> ?2 AND " IN_FORCE("?3") " "
		"ORDER BY best_due, patient_id";
	static const char today[] =
		"SELECT patient_id, sev_rank, best_due, n_items, name, items FROM review_period "
		"WHERE n_items > 0 AND sev_rank = ?1 AND best_due = ?2 AND " IN_FORCE("?3") " "
		"ORDER BY patient_id";
	*st = st_prep(s, due_today ? today : other, e);
	if (!*st)
		return e->code;
	st_stream(*st);
	bind_int(*st, 1, sev_rank);
	bind_int(*st, 2, STORE_REVIEW_DUE_TODAY);
	bind_int(*st, 3, day);
	return 0;
}

int store_review_state_next(struct store *s, struct dbst *st, struct review_state_row *r,
                            struct err *e)
{
	int rc = st_step(s, st, e);
	if (rc != ST_ROW)
		return rc < 0 ? rc : 0;
	*r = (struct review_state_row){
		.patient_id = col_int(st, 0), .sev_rank = (int)col_int(st, 1),
		.best_due = (int)col_int(st, 2), .n_items = col_int(st, 3),
		.name = col_str(st, 4), .items = col_str(st, 5)};
	return 1;
}

void store_review_state_done(struct dbst *st)
{
	if (st)
		st_reset(st);
}

int store_review_state_sizes(struct store *s, int day,
                             void (*each)(void *arg, long long patient_id, long long n_items,
                                          const int w[4]),
                             void *arg, struct err *e)
{
	static const char sql[] =
		"SELECT patient_id, n_items, w_who, w_severity, w_reason, w_ref FROM review_period "
		"WHERE n_items > 0 AND " IN_FORCE_SINCE("?1", "?2");
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, day);
	bind_int(st, 2, day - STORE_REVIEW_PERIOD_DAYS);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		int w[4];
		for (int i = 0; i < 4; i++)
			w[i] = (int)col_int(st, 2 + i);
		each(arg, col_int(st, 0), col_int(st, 1), w);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
