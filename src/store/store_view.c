/* store_view: the workstation's pane queries, one page at a time.
 *
 * Every listing walks an index in its ORDER BY and continues from a key
 * (keyset pagination): the caseload by need on patient_need (need_due,
 * family, given, id; need_due is kept by triggers, see migration 3), by
 * name on patient_name, by next appointment on appointment_start; the task
 * queue on task_open_due (due, id) or task_patient.  Statements are
 * literals so that st_prep keeps them prepared. */
#include <stdlib.h>
#include <string.h>

#include "caseload/store_review.h"
#include "caseload/store_view.h"
#include "store_internal.h"

/* ---- the caseload ---- */

const char *view_order_name(enum view_order o)
{
	switch (o) {
	case VIEW_BY_NEED: return "need";
	case VIEW_BY_NAME: return "name";
	case VIEW_BY_NEXT_APPT: return "next appointment";
	default: return "?";
	}
}

void caseload_list_free(struct caseload_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		struct caseload_row *r = &l->items[i];
		free(r->family);
		free(r->given);
		free(r->mrn);
		free(r->dob);
		free(r->risk);
		free(r->need_due);
		free(r->next_title);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* Needs review: the daily review's own set (review_need_select fills the
 * temporary table review_need, store_review.h); R is "" or this. */
#define NEEDS_REVIEW "AND p.id IN (SELECT patient_id FROM review_need) "

/* The search: patients matching every typed word (1 to
 * SEARCH_MAX_WORDS, see store_internal.h): a subquery of index ranges on
 * patient_search, so a search costs the matches, not the caseload. */
#define MATCH(ids) "p.id IN (" ids ") AND "

/* The filters, shared by every order: ?2 risk, ?3 overdue only, ?4 today,
 * ?5 coordinator; R: "" or NEEDS_REVIEW. */
#define FILTERS(R) \
	"p.status = 'active' " \
	"AND (?2 IS NULL OR p.risk = ?2) AND (?3 = 0 OR p.need_due < ?4) " \
	"AND (?5 IS NULL OR p.coordinator = ?5) " R

#define PCOLS "p.id, p.family, p.given, p.mrn, p.risk, p.need_due, p.dob"

/* x is "" to walk the order's index, or "+" (while searching) to keep
 * SQLite from walking it: then it looks up the few matches and sorts. */
#define NEED_SQL(cmp, dir, x, match, R) \
	"SELECT " PCOLS ", 0, 0 FROM patient p WHERE " match FILTERS(R) \
	"AND (p.need_due, p.family COLLATE NOCASE, p.given COLLATE NOCASE, p.id) " cmp \
	" (?7, ?8 COLLATE NOCASE, ?9 COLLATE NOCASE, ?10) " \
	"ORDER BY " x "p.need_due " dir ", p.family COLLATE NOCASE " dir ", " \
	"p.given COLLATE NOCASE " dir ", p.id " dir " LIMIT ?11"
#define NAME_SQL(cmp, dir, x, match, R) \
	"SELECT " PCOLS ", 0, 0 FROM patient p WHERE " match FILTERS(R) \
	"AND (p.family COLLATE NOCASE, p.given COLLATE NOCASE, p.id) " cmp \
	" (?8 COLLATE NOCASE, ?9 COLLATE NOCASE, ?10) " \
	"ORDER BY " x "p.family COLLATE NOCASE " dir ", p.given COLLATE NOCASE " dir ", p.id " dir \
	" LIMIT ?11"
/* A patient's first appointment from now on gives its place; later ones
 * of the same patient are skipped by the NOT EXISTS. */
#define SINGLE_APPT(a) a ".rrule IS NULL AND " a ".rdate IS NULL AND " a ".status NOT IN " SQL_GONE_APPT
#define APPT_SQL(cmp, dir, match, R) \
	"SELECT " PCOLS ", a.start_utc, a.id FROM appointment a JOIN patient p ON p.id = a.patient_id " \
	"WHERE " SINGLE_APPT("a") " AND a.start_utc >= ?12 AND a.patient_id IS NOT NULL " \
	"AND (a.start_utc, a.id) " cmp " (?7, ?10) " \
	"AND NOT EXISTS (SELECT 1 FROM appointment b WHERE b.patient_id = a.patient_id " \
	"  AND b.start_utc >= ?12 AND (b.start_utc, b.id) < (a.start_utc, a.id) AND " SINGLE_APPT("b") ") " \
	"AND " match FILTERS(R) "ORDER BY a.start_utc " dir ", a.id " dir " LIMIT ?11"

/* Each order's statements: [review only][words searched][backward]. */
#define EACH_SEARCH(SQL, x, R) { \
	{SQL(">", "ASC", "", "", R), SQL("<", "DESC", "", "", R)}, \
	{SQL(">", "ASC", x, MATCH(SEARCH_IDS_1), R), SQL("<", "DESC", x, MATCH(SEARCH_IDS_1), R)}, \
	{SQL(">", "ASC", x, MATCH(SEARCH_IDS_2), R), SQL("<", "DESC", x, MATCH(SEARCH_IDS_2), R)}, \
	{SQL(">", "ASC", x, MATCH(SEARCH_IDS_3), R), SQL("<", "DESC", x, MATCH(SEARCH_IDS_3), R)}, \
	{SQL(">", "ASC", x, MATCH(SEARCH_IDS_4), R), SQL("<", "DESC", x, MATCH(SEARCH_IDS_4), R)}}
#define EACH_FILTER(SQL, x) {EACH_SEARCH(SQL, x, ""), EACH_SEARCH(SQL, x, NEEDS_REVIEW)}
#define APPT_ORDER(cmp, dir, x, match, R) APPT_SQL(cmp, dir, match, R)

static const char *const caseload_sql[VIEW_N_ORDERS][2][SEARCH_MAX_WORDS + 1][2] = {
	EACH_FILTER(NEED_SQL, "+"), EACH_FILTER(NAME_SQL, "+"), EACH_FILTER(APPT_ORDER, "")};

static void reverse_rows(void *items, size_t n, size_t elem)
{
	char tmp[256];
	char *a = items;
	if (elem > sizeof tmp)
		return;
	for (size_t i = 0; i < n / 2; i++) {
		memcpy(tmp, a + i * elem, elem);
		memcpy(a + i * elem, a + (n - 1 - i) * elem, elem);
		memcpy(a + (n - 1 - i) * elem, tmp, elem);
	}
}

int store_view_caseload(struct store *s, const struct caseload_query *q,
                        const struct caseload_row *anchor, bool backward, int limit,
                        struct caseload_list *out, bool *more, struct err *e)
{
	enum view_order order = q->order >= 0 && q->order < VIEW_N_ORDERS ? q->order : VIEW_BY_NEED;
	struct search sq;
	if (more)
		*more = false;
	/* the set review_need_select filled (empty until it runs) */
	if (q->review_only && store_review_need_ensure(s, e) < 0)
		return e->code;
	search_parse(q->search, &sq);
	if (!sq.n && q->search && q->search[strspn(q->search, " ,\t")]) {
		search_free(&sq);
		return 0;      /* only punctuation: nothing can match it */
	}
	sqlite3_stmt *st = st_prep(s, caseload_sql[order][q->review_only ? 1 : 0][sq.n][backward], e);
	if (!st) {
		search_free(&sq);
		return e->code;
	}
	search_bind(st, &sq);
	search_free(&sq);
	bind_text(st, 2, q->risk);
	bind_int(st, 3, q->overdue_only);
	bind_text(st, 4, q->today);
	bind_text(st, 5, q->coordinator);
	/* The anchor, or a key before the first (after the last) row. */
	if (anchor) {
		if (order == VIEW_BY_NEXT_APPT)
			bind_int(st, 7, anchor->appt_key);
		else
			bind_text(st, 7, anchor->need_due);
		bind_text(st, 8, anchor->family);
		bind_text(st, 9, anchor->given);
		bind_int(st, 10, order == VIEW_BY_NEXT_APPT ? anchor->appt_key_id : anchor->id);
	} else if (!backward) {
		if (order == VIEW_BY_NEXT_APPT)
			bind_int(st, 7, -1);
		else
			bind_text(st, 7, "");
		bind_text(st, 8, "");
		bind_text(st, 9, "");
		bind_int(st, 10, -1);
	} else {
		if (order == VIEW_BY_NEXT_APPT)
			bind_int(st, 7, (long long)1 << 62);
		else
			bind_text(st, 7, "\xff");
		bind_text(st, 8, "\xff");
		bind_text(st, 9, "\xff");
		bind_int(st, 10, (long long)1 << 62);
	}
	bind_int(st, 11, limit + 1);
	bind_int(st, 12, q->now);
	size_t first = out->len;
	int rc, n = 0;
	while ((rc = st_step(s, st, e)) == SQLITE_ROW) {
		if (n++ == limit)
			break;
		struct caseload_row *r = LIST_PUSH(out);
		r->id = col_int(st, 0);
		r->family = col_text(st, 1);
		r->given = col_text(st, 2);
		r->mrn = col_text(st, 3);
		r->risk = col_text(st, 4);
		r->need_due = col_text(st, 5);
		r->dob = col_text(st, 6);
		r->appt_key = col_int(st, 7);
		r->appt_key_id = col_int(st, 8);
	}
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	if (more)
		*more = n > limit;
	if (backward)
		reverse_rows(out->items + first, out->len - first, sizeof *out->items);
	return 0;
}

int store_view_caseload_stats(struct store *s, const struct caseload_query *q,
                              struct caseload_list *l, size_t from, size_t to,
                              struct err *e)
{
	static const char tasks_sql[] =
		"SELECT coalesce(sum(eff < ?2), 0), coalesce(sum(eff = ?2), 0) FROM ("
		"SELECT max(due, coalesce(snoozed_until, due)) AS eff FROM task "
		"WHERE patient_id = ?1 AND due <= ?2 AND status IN " SQL_OPEN_TASK ")";
	static const char appt_sql[] =
		"SELECT start_utc, title FROM appointment a WHERE patient_id = ?1 AND start_utc >= ?2 "
		"AND " SINGLE_APPT("a") " ORDER BY start_utc LIMIT 1";
	static const char series_sql[] =
		"SELECT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = ?1 "
		"AND (a.rrule IS NOT NULL OR a.rdate IS NOT NULL) "
		"AND (a.last_end_utc IS NULL OR a.last_end_utc > ?2))";
	for (size_t i = from; i < to && i < l->len; i++) {
		struct caseload_row *r = &l->items[i];
		sqlite3_stmt *st = st_prep(s, tasks_sql, e);
		if (!st)
			return e->code;
		bind_int(st, 1, r->id);
		bind_text(st, 2, q->today);
		int rc = st_step(s, st, e);
		if (rc < 0)
			return rc;
		r->overdue = (int)col_int(st, 0);
		r->due_today = (int)col_int(st, 1);
		sqlite3_reset(st);

		if (!(st = st_prep(s, appt_sql, e)))
			return e->code;
		bind_int(st, 1, r->id);
		bind_int(st, 2, q->now);
		free(r->next_title);
		r->next_title = NULL;
		r->next_appt = 0;
		if ((rc = st_step(s, st, e)) < 0)
			return rc;
		if (rc == SQLITE_ROW) {
			r->next_appt = col_int(st, 0);
			r->next_title = col_text(st, 1);
		}
		sqlite3_reset(st);

		if (!(st = st_prep(s, series_sql, e)))
			return e->code;
		bind_int(st, 1, r->id);
		bind_int(st, 2, q->now);
		if ((rc = st_step(s, st, e)) < 0)
			return rc;
		r->has_series = rc == SQLITE_ROW && col_int(st, 0);
		sqlite3_reset(st);
	}
	return 0;
}

int store_view_counts(struct store *s, const char *coordinator, long long *patients,
                      struct err *e)
{
	static const char sql[] =
		"SELECT count(*) FROM patient WHERE status = 'active' AND (?1 IS NULL OR coordinator = ?1)";
	sqlite3_stmt *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, coordinator);
	int rc = st_step(s, st, e);
	*patients = rc == SQLITE_ROW ? col_int(st, 0) : 0;
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- the task queue ---- */

static void task_row_clear(struct task_row *r)
{
	free(r->title);
	free(r->kind);
	free(r->priority);
	free(r->due);
	free(r->snoozed_until);
	free(r->patient_name);
	free(r->patient_dob);
	free(r->patient_mrn);
}

void task_row_list_free(struct task_row_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		task_row_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

#define TCOLS "SELECT t.id, t.patient_id, t.title, t.kind, t.priority, t.due, t.snoozed_until, " \
	"CASE WHEN p.given = '' THEN p.family ELSE p.family || ', ' || p.given END, p.dob, p.mrn " \
	"FROM task t JOIN patient p ON p.id = t.patient_id WHERE t.status IN " SQL_OPEN_TASK " "
#define DATED(cmp, dir, who) TCOLS who "AND t.due IS NOT NULL AND (t.due, t.id) " cmp " (?1, ?2) " \
	"ORDER BY t.due " dir ", t.id " dir " LIMIT ?3"
#define UNDATED(cmp, dir, who) TCOLS who "AND t.due IS NULL AND t.id " cmp " ?2 " \
	"ORDER BY t.id " dir " LIMIT ?3"
#define ALL ""
#define ONE "AND t.patient_id = ?4 "

/* [patient?][undated?][backward?] */
static const char *const task_sql[2][2][2] = {
	{{DATED(">", "ASC", ALL), DATED("<", "DESC", ALL)},
	 {UNDATED(">", "ASC", ALL), UNDATED("<", "DESC", ALL)}},
	{{DATED(">", "ASC", ONE), DATED("<", "DESC", ONE)},
	 {UNDATED(">", "ASC", ONE), UNDATED("<", "DESC", ONE)}},
};

/* Append up to n rows of one phase; returns the count or a negative error. */
static int task_phase(struct store *s, long long patient_id, bool undated, bool backward,
                      const char *due, long long id, int n, struct task_row_list *out,
                      struct err *e)
{
	sqlite3_stmt *st = st_prep(s, task_sql[patient_id != 0][undated][backward], e);
	if (!st)
		return e->code;
	bind_text(st, 1, due);
	bind_int(st, 2, id);
	bind_int(st, 3, n);
	if (patient_id)
		bind_int(st, 4, patient_id);
	int rc, got = 0;
	while ((rc = st_step(s, st, e)) == SQLITE_ROW) {
		struct task_row *r = LIST_PUSH(out);
		r->id = col_int(st, 0);
		r->patient_id = col_int(st, 1);
		r->title = col_text(st, 2);
		r->kind = col_text(st, 3);
		r->priority = col_text(st, 4);
		r->due = col_text(st, 5);
		r->snoozed_until = col_text(st, 6);
		r->patient_name = col_text(st, 7);
		r->patient_dob = col_text(st, 8);
		r->patient_mrn = col_text(st, 9);
		got++;
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : got;
}

int store_view_tasks(struct store *s, long long patient_id, const struct task_row *anchor,
                     bool backward, int limit, struct task_row_list *out, bool *more,
                     struct err *e)
{
	const long long big = (long long)1 << 62;
	int want = limit + 1, got = 0, rc;
	size_t first = out->len;
	bool undated = anchor ? anchor->due == NULL : backward;
	const char *due = anchor && anchor->due ? anchor->due : backward ? "\xff" : "";
	long long id = anchor ? anchor->id : backward ? big : -1;
	/* Forward: dated, then undated.  Backward: undated, then dated. */
	if ((rc = task_phase(s, patient_id, undated, backward, due, id, want, out, e)) < 0)
		return rc;
	got = rc;
	if (got < want && undated == backward) {
		rc = task_phase(s, patient_id, !undated, backward, backward ? "\xff" : "",
		                backward ? big : -1, want - got, out, e);
		if (rc < 0)
			return rc;
		got += rc;
	}
	if (more)
		*more = got > limit;
	if (got > limit)      /* the peeked row only said there is more */
		task_row_clear(&out->items[--out->len]);
	if (backward)
		reverse_rows(out->items + first, out->len - first, sizeof *out->items);
	return 0;
}
