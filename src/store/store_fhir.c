/* store_fhir: reads for the FHIR export (see store_fhir.h). */
#include <stdlib.h>

#include "caseload/store_fhir.h"
#include "caseload/util.h"
#include "store_internal.h"

/* One statement: each row is (table number, id, created), by table and id. */
#define STAMP(n, tbl) "SELECT " #n ", id, created FROM " tbl " WHERE patient_id = ?1 UNION ALL "
int store_fhir_stamps(struct store *s, long long patient_id, struct fhir_stamps *out,
                      struct err *e)
{
	static const char sql[] =
		"SELECT 0, id, created FROM patient WHERE id = ?1 UNION ALL "
		"SELECT 1, c.id, c.created FROM contact c "
		"  WHERE c.id IN (SELECT contact_id FROM care_team WHERE patient_id = ?1) UNION ALL "
		STAMP(2, "condition") STAMP(3, "medication") STAMP(4, "care_plan")
		STAMP(5, "goal") STAMP(6, "task") STAMP(7, "entry") STAMP(8, "consent")
		"SELECT 9, id, created FROM episode WHERE patient_id = ?1 "
		"ORDER BY 1, 2";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		long long t = col_int(st, 0);
		if (t < 0 || t >= FHIR_T_N)
			continue;
		struct fhir_stamp *x = LIST_PUSH(&out->t[t]);
		x->id = col_int(st, 1);
		x->created = col_int(st, 2);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
#undef STAMP

long long fhir_stamp_of(const struct fhir_stamps *st, enum fhir_table t, long long id)
{
	const struct fhir_stamp_list *l = &st->t[t];
	size_t lo = 0, hi = l->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->len && l->items[lo].id == id ? l->items[lo].created : -1;
}

void fhir_stamps_free(struct fhir_stamps *st)
{
	for (int t = 0; t < FHIR_T_N; t++)
		free(st->t[t].items);
	*st = (struct fhir_stamps){0};
}

int store_fhir_patient_page(struct store *s, long long after, int max, long long *ids,
                            int *n, struct err *e)
{
	static const char sql[] = "SELECT id FROM patient WHERE id > ?1 ORDER BY id LIMIT ?2";
	*n = 0;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, after);
	bind_int(st, 2, max);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		if (*n < max)
			ids[(*n)++] = col_int(st, 0);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_fhir_contact_page(struct store *s, long long after, int max, struct fhir_stamp *out,
                            int *n, struct err *e)
{
	static const char sql[] =
		"SELECT id, created FROM contact WHERE id > ?1 ORDER BY id LIMIT ?2";
	*n = 0;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, after);
	bind_int(st, 2, max);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		if (*n < max) {
			out[*n].id = col_int(st, 0);
			out[(*n)++].created = col_int(st, 1);
		}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
