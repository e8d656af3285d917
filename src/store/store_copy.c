/* store_copy: a whole caseload from one database into another (`caseload
 * db copy`), through the store's own statements so that it is the same on
 * either engine.  The one list of the tables and their columns is here;
 * test_store_copy fails when the schema has a table or a column it lacks. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Parents before children (the foreign keys' order); the audit last.
 * key: the order rows are read and written in. */
static const struct store_copy_table tables[] = {
	{"meta", "key, value", "key", true},
	{"team_member", "id, login, name, role, out_from, out_to, version, created, updated", "id", false},
	{"patient", "id, family, given, dob, mrn, phone, email, address, language, risk, "
	            "cadence_days, coordinator, status, created, updated, need_due, "
	            "name_key, version, interpreter, do_not_contact, best_time, qmb", "id", false},
	{"contact", "id, name, kind, organization, phone, email, address, notes, created, updated, "
	            "public_label, version", "id", false},
	{"care_team", "id, patient_id, contact_id, role, created, version", "id", false},
	{"condition", "id, patient_id, name, code, onset, status, created, version", "id", false},
	{"medication", "id, patient_id, name, dose, prescriber_id, pharmacy_id, refill_due, status, "
	               "created, updated, version", "id", false},
	{"appointment", "id, patient_id, uid, recurrence_id, title, location, notes, provider_id, "
	                "start_utc, end_utc, tzid, all_day, rrule, rdate, exdate, last_end_utc, "
	                "status, transport, sequence, dtstamp, last_modified, source, booked_at, "
	                "created, updated, version, cancel_reason", "id", false},
	{"care_plan", "id, patient_id, template, title, status, start, review_every, detail, "
	              "created, updated, version", "id", false},
	{"goal", "id, plan_id, patient_id, description, target, due, status, created, version", "id",
	 false},
	{"task", "id, patient_id, title, kind, priority, status, due, snoozed_until, plan_id, "
	         "recurrence, note, completed_at, created, updated, owner, version", "id", false},
	{"entry", "id, patient_id, at, kind, outcome, minutes, facility, text, ref_table, ref_id, "
	          "needs_review, reviewed_at, author, created, version", "id", false},
	{"consent", "id, patient_id, program, method, given, captured_by, withdrawn, note, version, "
	            "created, updated", "id", false},
	{"episode", "id, patient_id, program, status, started, ended, consent_id, practitioner, "
	            "discharge_id, face_to_face, med_rec, complexity, version, created, updated", "id",
	 false},
	{"apcm_check", "id, patient_id, month, element, done_by, created, version", "id", false},
	{"adt_message", "id, control_id, received, type, mrn, dob, state, patient_id, entry_id, "
	                "raw, version, updated", "id", false},
	{"time_log", "id, patient_id, day, minutes, activity, author, created, version, episode_id, "
	             "role", "id", false},
	/* after every table whose triggers mark its rows stale (a patient's
	 * insert makes its row): the source's rows over them, each as current
	 * as it was there (the data it was made from is the same), so that
	 * the copy's first review makes none again */
	{"review_state", "patient_id, stale, made_day, until_day", "patient_id", true},
	{"review_period", "patient_id, from_day, to_day, sev_rank, best_due, n_items, w_who, "
	                  "w_severity, w_reason, w_ref, name, items", "patient_id, from_day", false},
	{"review_mark", "day, patient_id, state, at, who", "day, patient_id", false},
	{"patient_search", "kind, token, patient_id", "kind, token, patient_id", false},
	{"search_first", "token, patient_id, need_due, family, given, words", "patient_id, token", false},
	{"import_run", "id, state, source, patient_id, booked_at, host, pid, beat, created, "
	               "updated", "id", false},
	{"import_stage", "id, run_id, kind, line, waiting, uid, recurrence_id, rid_day, "
	                 "rid_is_date, title, location, notes, start_utc, end_utc, tzid, all_day, "
	                 "rrule, rdate, exdate, series_end, status, sequence, dtstamp, "
	                 "last_modified, minimal, transport, x_patient, x_patient_cn, emails, cns, "
	                 "text", "id", false},
	{"undo_group", "id, at, who, what, patient_id, run_id, undone_at, undone_by", "id", false},
	{"undo_row", "id, group_id, tbl, row_id, op, version, image, undone_version", "id", false},
	{"audit", "id, at, who, action, tbl, row_id, detail, hash", "id", false},
};

const struct store_copy_table *store_copy_tables(size_t *n)
{
	*n = sizeof tables / sizeof tables[0];
	return tables;
}

static int count_sql(struct store *s, const char *tbl, const char *where, long long *n,
                     struct err *e)
{
	struct sqlq q = {0};
	*n = 0;
	q_sql(&q, "SELECT count(*) FROM ");
	q_sql(&q, tbl);
	if (where)
		q_where(&q, where);
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	if (rc < 0)
		return rc;
	*n = rc == ST_ROW ? col_int(st, 0) : 0;
	st_step(s, st, e);   /* past its one row: done */
	return 0;
}

int store_copy_count(struct store *s, size_t i, long long *n, struct err *e)
{
	return count_sql(s, tables[i].name, NULL, n, e);
}

int store_copy_contents(struct store *s, struct strlist *found, struct err *e)
{
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		const char *t = tables[i].name;
		if (!strcmp(t, "meta"))
			continue;   /* the database's notes on itself */
		long long n;
		/* a new database's audit holds its creation, nothing else */
		if (count_sql(s, t, strcmp(t, "audit") ? NULL : "action NOT IN ('migrate', 'seal')", &n,
		              e) < 0)
			return e->code;
		if (n) {
			char *m = xasprintf("%lld %s row%s", n, t, n == 1 ? "" : "s");
			strlist_add(found, m);
			free(m);
		}
	}
	return 0;
}

/* What store_copy_begin runs: the audit's rows of the target's creation
 * go (its guard against DELETE off for that statement), so that the
 * source's rows come in with their ids and hashes.  The guard is a
 * trigger on both engines; PostgreSQL names the table it drops it from
 * and puts it back as its migration made it. */
static const char *const clear_sql[] = {
	"DROP TRIGGER audit_no_delete",
	"DELETE FROM audit",
	store_audit_no_delete,
};
static const char *const clear_pg[] = {
	"DROP TRIGGER audit_no_delete ON audit",
	"DELETE FROM audit",
	NULL,   /* store_pg_guards' audit_no_delete */
};

static const char *pg_guard(const char *name)
{
	for (const struct pg_guard *g = store_pg_guards; g->name; g++)
		if (!strcmp(g->name, name))
			return g->sql;
	return NULL;
}

int store_copy_begin(struct store *dst, struct err *e)
{
	bool pg = dst->drv == &drv_pg;
	const char *const *sql = pg ? clear_pg : clear_sql;
	if (store_begin(dst, e) < 0)
		return e->code;
	for (size_t i = 0; i < sizeof clear_sql / sizeof clear_sql[0]; i++) {
		const char *one = sql[i] ? sql[i] : pg_guard("audit_no_delete");
		if (dst->drv->exec(dst, one, e) < 0) {
			store_rollback(dst);
			return e->code;
		}
	}
	dst->tail_valid = false;
	return 0;
}

/* SQLite's next rowid is always past the largest there is; PostgreSQL's
 * identity column has a sequence of its own, moved past the copied ids. */
int store_after_bulk_copy(struct store *s, const char *tbl, struct err *e)
{
	if (s->drv != &drv_pg)
		return 0;
	size_t n;
	const struct store_copy_table *t = store_copy_tables(&n);
	size_t i = 0;
	while (i < n && strcmp(t[i].name, tbl) != 0)
		i++;
	if (i == n || strcmp(t[i].key, "id") != 0)
		return 0;   /* no identity column */
	struct sqlq q = {0};
	q_sql(&q, "SELECT setval(pg_get_serial_sequence('");
	q_sql(&q, tbl);
	q_sql(&q, "', 'id'), max(id)) FROM ");
	q_sql(&q, tbl);
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	if (rc < 0)
		return rc;
	st_reset(st);
	return 0;
}

/* Column i (0-based) of a comma list of names into out; false past the
 * last (or a name longer than size). */
bool store_col_name(const char *cols, int i, char *out, size_t size)
{
	const char *p = cols;
	for (; i > 0 && p; i--)
		if ((p = strchr(p, ',')))
			p++;
	if (!p)
		return false;
	p += strspn(p, " ");
	size_t len = strcspn(p, ",");
	if (!len || len >= size)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

/* SELECT cols FROM t ORDER BY key (a flag, boolean on PostgreSQL, reads
 * as 1 or 0 on both engines: drv_pg.c), and INSERT INTO t(cols) VALUES
 * (?1, ...); a merged table's rows of the target's own (meta's notes, as
 * the chain's head; review_state's rows the patients' triggers made) are
 * replaced */
static struct dbst *reader(struct store *src, const struct store_copy_table *t, struct err *e)
{
	struct sqlq q = {0};
	q_sql(&q, "SELECT ");
	q_sql(&q, t->cols);
	q_sql(&q, " FROM ");
	q_sql(&q, t->name);
	q_sql(&q, " ORDER BY ");
	q_sql(&q, t->key);
	return sq_prep(src, &q, e);
}

static struct dbst *writer(struct store *dst, const struct store_copy_table *t, int *ncols,
                            struct err *e)
{
	struct sqlq q = {0};
	q_sql(&q, "INSERT INTO ");
	q_sql(&q, t->name);
	q_sql(&q, "(");
	q_sql(&q, t->cols);
	q_sql(&q, ") VALUES (");
	*ncols = 1;
	for (const char *c = t->cols; *c; c++)
		*ncols += *c == ',';
	for (int i = 0; i < *ncols; i++) {
		if (i)
			q_sql(&q, ", ");
		q_text(&q, NULL);   /* each row binds its own */
	}
	q_sql(&q, ")");
	if (t->merge) {
		/* every column but the key (one column) from the source's row */
		char col[64];
		const char *sep = " DO UPDATE SET ";
		q_sql(&q, " ON CONFLICT(");
		q_sql(&q, t->key);
		q_sql(&q, ")");
		for (int i = 0; store_col_name(t->cols, i, col, sizeof col); i++) {
			if (!strcmp(col, t->key))
				continue;
			q_sql(&q, sep);
			q_sql(&q, col);
			q_sql(&q, " = excluded.");
			q_sql(&q, col);
			sep = ", ";
		}
	}
	return sq_prep(dst, &q, e);
}

int store_copy_rows(struct store *src, struct store *dst, size_t i, long long *rows,
                    struct err *e)
{
	const struct store_copy_table *t = &tables[i];
	int ncols;
	*rows = 0;
	struct dbst *w = writer(dst, t, &ncols, e);
	struct dbst *r = w ? reader(src, t, e) : NULL;
	if (!r)
		return e->code;
	/* every value as text: the column's type takes it back (an integer
	 * column, "42" as 42), and NULL stays NULL */
	int rc;
	while ((rc = st_step(src, r, e)) == ST_ROW) {
		for (int c = 0; c < ncols; c++) {
			char *v = col_text(r, c);
			bind_text(w, c + 1, v);
			free(v);
		}
		if (st_exec(dst, w, e) < 0)
			return e->code;
		++*rows;
	}
	if (rc < 0)
		return rc;
	return store_after_bulk_copy(dst, t->name, e);
}

int store_copy_done(struct store *dst, const char *detail, struct err *e)
{
	dst->tail_valid = false;   /* the audit's last row is the source's now */
	if (store_audit(dst, "copy", "database", 0, detail, e) < 0)
		return e->code;
	/* the chain's head at this row now (not only at the commit), for
	 * the check of the whole chain before it */
	return audit_write_head(dst, e);
}
