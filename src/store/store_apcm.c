/* store_apcm: APCM's month as caseload's data has it, and the checklist
 * rows recorded for it. */
#include <stdlib.h>
#include <string.h>

#include "caseload/store_apcm.h"
#include "store_internal.h"

void apcm_facts_free(struct apcm_facts *f)
{
	free(f->consent_given);
	free(f->consent_withdrawn);
	for (size_t i = 0; i < f->n_marks; i++) {
		free(f->marks[i].element);
		free(f->marks[i].done_by);
	}
	free(f->marks);
	memset(f, 0, sizeof *f);
}

static char *dup_or_null(struct dbst *st, int i)
{
	const char *v = col_str(st, i);
	return v && !col_null(st, i) ? xstrdup(v) : NULL;
}

static int read_marks(struct store *s, long long patient_id, const char *month,
                      struct apcm_facts *out, struct err *e)
{
	static const char sql[] =
		"SELECT id, element, done_by, created, version FROM apcm_check "
		"WHERE patient_id = ?1 AND month = ?2 ORDER BY element";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, month);
	int rc;
	size_t cap = 0;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		xgrow((void **)&out->marks, &cap, out->n_marks, sizeof *out->marks);
		struct apcm_mark *m = &out->marks[out->n_marks++];
		m->id = col_int(st, 0);
		m->element = xstrdup(col_str(st, 1));
		m->done_by = xstrdup(col_str(st, 2));
		m->created = col_int(st, 3);
		m->version = col_int(st, 4);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* Goals still to reach on plans still running (the model's predicates). */
static int open_goals(struct store *s, long long patient_id, struct apcm_facts *out,
                      struct err *e)
{
	static const char sql[] =
		"SELECT c.status, g.status FROM goal g JOIN care_plan c ON c.id = g.plan_id "
		"WHERE g.patient_id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		if (plan_status_open(col_str(st, 0)) && goal_status_open(col_str(st, 1)))
			out->open_goals++;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_apcm_facts(struct store *s, long long patient_id, const char *month,
                     const char *last, long long to_utc, struct apcm_facts *out,
                     struct err *e)
{
	static const char consent[] =
		"SELECT given, withdrawn FROM consent WHERE patient_id = ?1 AND program = 'apcm' "
		"AND given <= ?2 ORDER BY given DESC, id DESC LIMIT 1";
	static const char counts[] =
		"SELECT (SELECT max(v.at) FROM entry v WHERE v.patient_id = ?1 AND v.kind = 'visit' "
		"  AND v.at < ?2 AND (v.outcome IS NULL OR v.outcome = 'reached')), "
		"(SELECT count(*) FROM care_team t WHERE t.patient_id = ?1), "
		"(SELECT count(*) FROM patient p WHERE p.id = ?1 AND p.coordinator IS NOT NULL)";
	memset(out, 0, sizeof *out);
	if (store_begin_read(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, consent, e);
	if (!st)
		goto fail;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, last);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW) {
		out->consent_given = dup_or_null(st, 0);
		out->consent_withdrawn = dup_or_null(st, 1);
	}
	st_reset(st);
	if (rc < 0 || !(st = st_prep(s, counts, e)))
		goto fail;
	bind_int(st, 1, patient_id);
	bind_int(st, 2, to_utc);
	if ((rc = st_step(s, st, e)) == ST_ROW) {
		out->last_visit = col_null(st, 0) ? 0 : col_int(st, 0);
		out->care_team = (int)col_int(st, 1);
		out->coordinator = col_int(st, 2) != 0;
	}
	st_reset(st);
	if (rc < 0 || open_goals(s, patient_id, out, e) < 0 ||
	    read_marks(s, patient_id, month, out, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	apcm_facts_free(out);
	return e->code;
}

int store_apcm_mark(struct store *s, long long patient_id, const char *month,
                    const char *element, long long *id, struct err *e)
{
	static const char have[] =
		"SELECT id FROM apcm_check WHERE patient_id = ?1 AND month = ?2 AND element = ?3";
	static const char sql[] =
		"INSERT INTO apcm_check(patient_id, month, element, done_by, created) "
		"VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
	if (store_begin(s, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, have, e);
	if (!st)
		goto fail;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, month);
	bind_text(st, 3, element);
	int rc = st_step(s, st, e);
	st_reset(st);
	if (rc < 0)
		goto fail;
	if (rc == ST_ROW) {
		err_set(e, ERR_CONFLICT, "%s is recorded for patient %lld in %s already", element,
		        patient_id, month);
		goto fail;
	}
	if (!(st = st_prep(s, sql, e)))
		goto fail;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, month);
	bind_text(st, 3, element);
	bind_text(st, 4, store_user(s));
	bind_int(st, 5, store_now());
	if (st_insert(s, st, "apcm_check", element, id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}
