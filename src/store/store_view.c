/* store_view: the workstation's pane queries, one page at a time.
 *
 * Every listing walks an index in its ORDER BY and continues from a key
 * (keyset pagination): the caseload by need on patient_need (need_due,
 * family, given, id; need_due is kept by triggers, see migration 3), by
 * name on patient_name, by next appointment on appointment_start; the task
 * queue on task_open_due (due, id) or task_patient.  Each page's statement
 * is built from fragments for its case (struct sqlq): only the filters
 * asked for, and no keyset from an end. */
#include <stdio.h>
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

/* The caseload's conditions, each only when asked for (one statement per
 * combination, so that the planner sees which indexes serve it): the
 * patients matching every typed word (1 to SEARCH_MAX_WORDS: a subquery
 * of index ranges on patient_search, so a search costs the matches, not
 * the caseload; or, when the matches are many, a look-up of each patient
 * the order's walk comes to, so it costs a page), the risk, overdue only, one coordinator's (on
 * patient_coordinator), and needing review today: the daily review's own
 * set (the temporary table review_need, store_review.h), driving the query
 * when it is few, else looked up for each patient of the order's walk. */
static void caseload_where(struct sqlq *b, const struct caseload_query *q,
                           const struct search *sq, bool walk)
{
	if (sq->n && walk) {
		search_each(b, sq, "p.id");
	} else if (sq->n) {
		q_where(b, "p.id IN (");
		search_ids(b, sq);
		q_sql(b, ")");
	}
	q_where(b, "p.status = 'active'");
	if (q->risk) {
		q_where(b, "p.risk = ");
		q_text(b, q->risk);
	}
	if (q->overdue_only) {
		q_where(b, "p.need_due < ");
		q_text(b, q->today);
	}
	if (q->coordinator) {
		q_where(b, "p.coordinator = ");
		q_text(b, q->coordinator);
	}
	if (q->review_only && q->review_few)
		q_where(b, "p.id IN (SELECT patient_id FROM review_need)");
	else if (q->review_only)
		q_where(b, "EXISTS (SELECT 1 FROM review_need r WHERE r.patient_id = p.id)");
}

#define PCOLS "p.id, p.family, p.given, p.mrn, p.risk, p.need_due, p.dob"
/* A patient's first appointment from now on gives its place; later ones
 * of the same patient are skipped by the NOT EXISTS. */
#define SINGLE_APPT(a) a ".rrule IS NULL AND " a ".rdate IS NULL AND " a ".status NOT IN " SQL_GONE_APPT

/* The need or name order on alias t (its patient's id in column id: p
 * and p.id, or a search_first row f and f.patient_id): only the rows
 * past the anchor when there is one (the collation on the anchor's
 * values only: with it on the columns, SQLite 3.40 walks the index from
 * its start), then ORDER BY (x "+": not on the order's index). */
static void order_after(struct sqlq *b, const char *t, const char *id, bool need,
                        const struct caseload_row *anchor, bool backward, const char *x)
{
	const char *dir = backward ? " DESC" : " ASC";
	struct buf sql = {0};
	if (anchor) {
		buf_add(&sql, "(");
		if (need)
			buf_addf(&sql, "%s.need_due, ", t);
		buf_addf(&sql, "%s.family, %s.given, %s)", t, t, id);
		q_where(b, sql.s);
		q_sql(b, backward ? " < (" : " > (");
		if (need) {
			q_text(b, anchor->need_due);
			q_sql(b, ", ");
		}
		q_text(b, anchor->family);
		q_sql(b, " COLLATE NOCASE, ");
		q_text(b, anchor->given);
		q_sql(b, " COLLATE NOCASE, ");
		q_int(b, anchor->id);
		q_sql(b, ")");
		buf_free(&sql);
	}
	buf_addf(&sql, " ORDER BY %s", x);
	if (need)
		buf_addf(&sql, "%s.need_due%s, ", t, dir);
	buf_addf(&sql, "%s.family COLLATE NOCASE%s, %s.given COLLATE NOCASE%s, %s%s", t, dir, t,
	         dir, id, dir);
	q_sql(b, sql.s);
	buf_free(&sql);
}

/* One page's statement: the order's index walked from the anchor (from
 * either end without one), the rows after it, or before it backward.
 * While searching for few matches, the need and name orders sort them
 * ("+" keeps SQLite from walking the order's index through the caseload);
 * for many (walk), they walk the index and look each patient up. */
static void caseload_sql(struct sqlq *b, enum view_order order, const struct caseload_query *q,
                         const struct search *sq, bool walk, const struct caseload_row *anchor,
                         bool backward)
{
	const char *cmp = backward ? " < " : " > ";
	const char *dir = backward ? " DESC" : " ASC";
	const char *x = sq->n && !walk ? "+" : "";
	if (order == VIEW_BY_NEXT_APPT) {
		q_sql(b, "SELECT " PCOLS ", a.start_utc, a.id FROM appointment a "
		      "JOIN patient p ON p.id = a.patient_id");
		q_where(b, SINGLE_APPT("a") " AND a.patient_id IS NOT NULL AND a.start_utc >= ");
		q_int(b, q->now);
		if (anchor) {
			q_where(b, "(a.start_utc, a.id)");
			q_sql(b, cmp);
			q_sql(b, "(");
			q_int(b, anchor->appt_key);
			q_sql(b, ", ");
			q_int(b, anchor->appt_key_id);
			q_sql(b, ")");
		}
		q_where(b, "NOT EXISTS (SELECT 1 FROM appointment b WHERE b.patient_id = a.patient_id "
		        "AND " SINGLE_APPT("b") " AND (b.start_utc, b.id) < (a.start_utc, a.id) "
		        "AND b.start_utc >= ");
		q_int(b, q->now);
		q_sql(b, ")");
		caseload_where(b, q, sq, false);
		q_sql(b, " ORDER BY a.start_utc");
		q_sql(b, dir);
		q_sql(b, ", a.id");
		q_sql(b, dir);
	} else {
		q_sql(b, "SELECT " PCOLS ", 0, 0 FROM patient p");
		caseload_where(b, q, sq, walk);
		order_after(b, "p", "p.id", order == VIEW_BY_NEED, anchor, backward, x);
	}
}

/* A search with a word of the name, in the need or name order: the rows
 * of the word's start in search_first (start, of word `driver`, `whole`
 * when that is all of it; or its pair row with word `pair`, `pair_whole`
 * when the row's character is all of that word), walked in the order
 * (its index).  The rest of the driver and of the pair's word are tested
 * on the row's words (" thomp" in them starts a word: the texts put in
 * starts[2], the caller's to free after sq_prep); each patient's other
 * words looked up.  The order's columns are the search row's, equal to
 * the patient's. */
static void caseload_first_sql(struct store *s, struct sqlq *b, enum view_order order,
                               const struct caseload_query *q, const struct search *sq,
                               const char *start, int driver, bool whole, int pair,
                               bool pair_whole, const struct caseload_row *anchor,
                               bool backward, char *starts[2])
{
	bool need = order == VIEW_BY_NEED;
	struct search rest = {0}, none = {0};
	q_sql(b, "SELECT " PCOLS ", 0, 0 FROM search_first f JOIN patient p ON ");
	if (s->drv == &drv_pg) {
		/* by its key: with the columns below as well, PostgreSQL's
		 * planner took them for independent, expected one row of the
		 * join, and sorted every match of "s" for a page */
		q_sql(b, "p.id = f.patient_id");
	} else {
		/* each match's patient on the order's index by the search
		 * row's order columns (the id, with "+", not looked up by
		 * itself): the page's matches lie together there, where their
		 * rows in the table are a page of the file each at 100,000 */
		q_sql(b, "+p.id = f.patient_id");
		if (need)
			q_sql(b, " AND p.need_due IS NOT DISTINCT FROM f.need_due");
		q_sql(b, " AND p.family = f.family COLLATE NOCASE AND p.given = f.given COLLATE NOCASE");
	}
	q_where(b, "f.token = ");
	q_text(b, start);
	for (int k = 0; k < 2; k++) {
		int w = k ? pair : driver;
		if (w < 0 || (k ? pair_whole : whole))
			continue;
		starts[k] = xasprintf(" %s", sq->w[w].token);
		q_where(b, "instr(f.words, ");
		q_text(b, starts[k]);
		q_sql(b, ") > 0");
	}
	/* on the search row's id, so that they are tested before the
	 * patient is read; the other words first (they rule out the most):
	 * a short word of the name on its own start row, the others on
	 * their ranges (borrowed, not freed) */
	for (int i = 0; i < sq->n; i++) {
		if (i == driver || i == pair)
			continue;
		if (!strcmp(sq->w[i].kind[0], "n") && !search_first_longer(sq->w[i].token)) {
			q_where(b, "EXISTS (SELECT 1 FROM search_first g WHERE g.patient_id = f.patient_id "
			        "AND g.token = ");
			q_text(b, sq->w[i].token);
			q_sql(b, ")");
		} else {
			rest.w[rest.n++] = sq->w[i];
		}
	}
	search_each(b, &rest, "f.patient_id");
	caseload_where(b, q, &none, false);
	order_after(b, "f", "f.patient_id", need, anchor, backward, "");
}

/* A search that can match nothing: text, but no word in it. */
static bool search_void(const char *text, const struct search *q)
{
	return !q->n && text && text[strspn(text, " ,\t")];
}

/* Matches from which a search walks the order's index: m sorted cost
 * about m, a walk about 80 * size / m look-ups, each a few times dearer
 * (m * m = 256 * size); 2048 when the size is not known. */
static long long search_walk_from(long long size)
{
	long long m = 16;
	if (size <= 0)
		return 2048;
	while (m * m < 256 * size)
		m++;
	return m;
}

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
	/* the set review_need_select filled or a review_cache keeps (empty
	 * until then) */
	if (q->review_only && store_review_need_ensure(s, e) < 0)
		return e->code;
	search_parse(q->search, &sq);
	if (search_void(q->search, &sq)) {
		search_free(&sq);
		return 0;      /* only punctuation: nothing can match it */
	}
	struct sqlq b = {0};
	char start[SEARCH_PAIR_KEY], *starts[2] = {NULL, NULL};
	bool whole = false, pair_whole = false;
	int driver = sq.n && order != VIEW_BY_NEXT_APPT ? search_first_word(&sq, start, &whole) : -1;
	if (driver >= 0) {
		/* with another word that starts otherwise, the pair's rows: a
		 * subset of the start's ("Chen, W" reads the Chens with a W) */
		int pair = search_pair_key(&sq, driver, start, &pair_whole);
		caseload_first_sql(s, &b, order, q, &sq, start, driver, whole, pair, pair_whole,
		                   anchor, backward, starts);
	} else {
		/* a number's words: with many matches, walk the order's
		 * index (a page costs about limit * size / matches look-ups)
		 * rather than sort them all */
		bool walk = false;
		if (sq.n && order != VIEW_BY_NEXT_APPT &&
		    search_many(s, &sq, search_walk_from(q->size), &walk, e) < 0) {
			search_free(&sq);
			return e->code;
		}
		caseload_sql(&b, order, q, &sq, walk, anchor, backward);
	}
	q_sql(&b, " LIMIT ");
	q_int(&b, limit + 1);
	struct dbst *st = sq_prep(s, &b, e);
	search_free(&sq);
	free(starts[0]);
	free(starts[1]);
	if (!st)
		return e->code;
	size_t first = out->len;
	int rc, n = 0;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
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
	st_reset(st);
	if (rc < 0)
		return rc;
	if (more)
		*more = n > limit;
	if (backward)
		reverse_rows(out->items + first, out->len - first, sizeof *out->items);
	return 0;
}

bool view_search_same(const char *a, const char *b)
{
	struct search x, y;
	search_parse(a, &x);
	search_parse(b, &y);
	bool same = x.n == y.n && search_void(a, &x) == search_void(b, &y);
	for (int i = 0; same && i < x.n; i++)
		same = !strcmp(x.w[i].token, y.w[i].token) && !strcmp(x.w[i].kind[0], y.w[i].kind[0]) &&
		       !strcmp(x.w[i].kind[1], y.w[i].kind[1]);
	search_free(&x);
	search_free(&y);
	return same;
}

/* The page's ids bound as ?2..?49 or ?3..?50 (a short page repeats its
 * last id), so that every page runs the one text of each statement. */
#define PAGE_IDS_2 \
	"?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24," \
	"?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35,?36,?37,?38,?39,?40,?41,?42,?43,?44," \
	"?45,?46,?47,?48,?49"
#define PAGE_IDS \
	"?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24," \
	"?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35,?36,?37,?38,?39,?40,?41,?42,?43,?44," \
	"?45,?46,?47,?48,?49,?50"

static void bind_ids(struct dbst *st, int first, const long long *ids, size_t n)
{
	for (size_t k = 0; k < VIEW_MINUTES_IDS; k++)
		bind_int(st, (int)k + first, ids[k < n ? k : n - 1]);
}

static void bind_page_ids(struct dbst *st, int first, const struct caseload_list *l, size_t from,
                          size_t to)
{
	for (size_t k = 0; k < VIEW_MINUTES_IDS; k++)
		bind_int(st, (int)k + first, l->items[from + k < to ? from + k : to - 1].id);
}

/* The next row of [*at, to) with the patient `id`, or NULL (a page holds
 * a patient once; its callers do not count on it). */
static struct caseload_row *row_of(struct caseload_list *l, size_t *at, size_t to, long long id)
{
	for (; *at < to; ++*at)
		if (l->items[*at].id == id)
			return &l->items[(*at)++];
	return NULL;
}

/* Each result row of st (the patient's id first) given to fn with the
 * page's row of that patient. */
typedef void page_row_fn(struct dbst *st, struct caseload_row *r);
static int page_rows(struct store *s, struct dbst *st, struct caseload_list *l, size_t from,
                     size_t to, page_row_fn *fn, struct err *e)
{
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		long long id = col_int(st, 0);
		size_t at = from;
		for (struct caseload_row *r; (r = row_of(l, &at, to, id));)
			fn(st, r);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static void tasks_row(struct dbst *st, struct caseload_row *r)
{
	r->overdue = (int)col_int(st, 1);
	r->due_today = (int)col_int(st, 2);
}

static void appt_row(struct dbst *st, struct caseload_row *r)
{
	if (r->next_appt)
		return;      /* its first is taken */
	r->next_appt = col_int(st, 1);
	r->next_title = col_text(st, 2);
}

static void series_row(struct dbst *st, struct caseload_row *r)
{
	(void)st;
	r->has_series = true;
}

/* Each figure one statement for up to VIEW_MINUTES_IDS rows (a page).
 * The counts: the open tasks due by today, counted per patient (of the
 * patients whose need_due, their earliest open task's effective due date,
 * is not after today: the others have none to count). */
static int page_counts(struct store *s, const struct caseload_query *q, struct caseload_list *l,
                       size_t from, size_t to, struct err *e)
{
	static const char tasks_sql[] =
		"SELECT patient_id, coalesce(sum(CASE WHEN eff < ?1 THEN 1 ELSE 0 END), 0), "
		"coalesce(sum(CASE WHEN eff = ?1 THEN 1 ELSE 0 END), 0) FROM ("
		"SELECT patient_id, max(due, coalesce(snoozed_until, due)) AS eff FROM task "
		"WHERE patient_id IN (" PAGE_IDS_2 ") AND due <= ?1 AND status IN " SQL_OPEN_TASK
		") AS d GROUP BY patient_id";
	long long due[VIEW_MINUTES_IDS] = {0};
	size_t n_due = 0;
	for (size_t i = from; i < to; i++) {
		struct caseload_row *r = &l->items[i];
		r->overdue = r->due_today = 0;
		if (!r->need_due || strcmp(r->need_due, q->today) <= 0)
			due[n_due++] = r->id;
	}
	if (!n_due)
		return 0;
	struct dbst *st = st_prep(s, tasks_sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, q->today);
	bind_ids(st, 2, due, n_due);
	return page_rows(s, st, l, from, to, tasks_row, e);
}

/* Each patient's first appointment from now on (its start and title):
 * two seeks of the patient's leaf of appointment_patient_next however
 * many it holds ahead, driven by the page's ids themselves (not the
 * patient table, which the page's own statement does not read: a page
 * of the file more for each row); the patients with a series that may
 * still come.  (The ids typed: PostgreSQL's VALUES of bare parameters
 * are text.) */
#define PAGE_IDS_2_ROWS \
	"(CAST(?2 AS BIGINT)),(CAST(?3 AS BIGINT)),(CAST(?4 AS BIGINT)),(CAST(?5 AS BIGINT))," \
	"(CAST(?6 AS BIGINT)),(CAST(?7 AS BIGINT)),(CAST(?8 AS BIGINT)),(CAST(?9 AS BIGINT))," \
	"(CAST(?10 AS BIGINT)),(CAST(?11 AS BIGINT)),(CAST(?12 AS BIGINT))," \
	"(CAST(?13 AS BIGINT)),(CAST(?14 AS BIGINT)),(CAST(?15 AS BIGINT))," \
	"(CAST(?16 AS BIGINT)),(CAST(?17 AS BIGINT)),(CAST(?18 AS BIGINT))," \
	"(CAST(?19 AS BIGINT)),(CAST(?20 AS BIGINT)),(CAST(?21 AS BIGINT))," \
	"(CAST(?22 AS BIGINT)),(CAST(?23 AS BIGINT)),(CAST(?24 AS BIGINT))," \
	"(CAST(?25 AS BIGINT)),(CAST(?26 AS BIGINT)),(CAST(?27 AS BIGINT))," \
	"(CAST(?28 AS BIGINT)),(CAST(?29 AS BIGINT)),(CAST(?30 AS BIGINT))," \
	"(CAST(?31 AS BIGINT)),(CAST(?32 AS BIGINT)),(CAST(?33 AS BIGINT))," \
	"(CAST(?34 AS BIGINT)),(CAST(?35 AS BIGINT)),(CAST(?36 AS BIGINT))," \
	"(CAST(?37 AS BIGINT)),(CAST(?38 AS BIGINT)),(CAST(?39 AS BIGINT))," \
	"(CAST(?40 AS BIGINT)),(CAST(?41 AS BIGINT)),(CAST(?42 AS BIGINT))," \
	"(CAST(?43 AS BIGINT)),(CAST(?44 AS BIGINT)),(CAST(?45 AS BIGINT))," \
	"(CAST(?46 AS BIGINT)),(CAST(?47 AS BIGINT)),(CAST(?48 AS BIGINT))," \
	"(CAST(?49 AS BIGINT))"
static int page_next(struct store *s, const struct caseload_query *q, struct caseload_list *l,
                     size_t from, size_t to, struct err *e)
{
#define NEXT_APPT(col) \
	"(SELECT b." col " FROM appointment b WHERE b.patient_id = ids.id AND b.start_utc >= ?1 " \
	"AND " SINGLE_APPT("b") " ORDER BY b.start_utc LIMIT 1)"
	static const char appt_sql[] =
		"WITH ids(id) AS (VALUES " PAGE_IDS_2_ROWS ") "
		"SELECT ids.id, " NEXT_APPT("start_utc") ", " NEXT_APPT("title") " FROM ids";
#undef NEXT_APPT
	static const char series_sql[] =
		"SELECT DISTINCT a.patient_id FROM appointment a WHERE a.patient_id IN (" PAGE_IDS_2 ") "
		"AND (a.rrule IS NOT NULL OR a.rdate IS NOT NULL) "
		"AND (a.last_end_utc IS NULL OR a.last_end_utc > ?1)";
	for (size_t i = from; i < to; i++) {
		struct caseload_row *r = &l->items[i];
		free(r->next_title);
		r->next_title = NULL;
		r->next_appt = 0;
		r->has_series = false;
	}
	struct dbst *st = st_prep(s, appt_sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, q->now);
	bind_page_ids(st, 2, l, from, to);
	if (page_rows(s, st, l, from, to, appt_row, e) < 0)
		return e->code;
	if (!(st = st_prep(s, series_sql, e)))
		return e->code;
	bind_int(st, 1, q->now);
	bind_page_ids(st, 2, l, from, to);
	return page_rows(s, st, l, from, to, series_row, e);
}

typedef int page_fn(struct store *s, const struct caseload_query *q, struct caseload_list *l,
                    size_t from, size_t to, struct err *e);

/* fn for rows [from, to) a page (VIEW_MINUTES_IDS rows) at a time. */
static int by_pages(struct store *s, const struct caseload_query *q, struct caseload_list *l,
                    size_t from, size_t to, page_fn *fn, struct err *e)
{
	to = to < l->len ? to : l->len;
	for (size_t at = from; at < to; at += VIEW_MINUTES_IDS) {
		size_t end = to - at > VIEW_MINUTES_IDS ? at + VIEW_MINUTES_IDS : to;
		if (fn(s, q, l, at, end, e) < 0)
			return e->code;
	}
	return 0;
}

int store_view_caseload_counts(struct store *s, const struct caseload_query *q,
                               struct caseload_list *l, size_t from, size_t to,
                               struct err *e)
{
	return by_pages(s, q, l, from, to, page_counts, e);
}

int store_view_caseload_next(struct store *s, const struct caseload_query *q,
                             struct caseload_list *l, size_t from, size_t to, struct err *e)
{
	return by_pages(s, q, l, from, to, page_next, e);
}

int store_view_caseload_stats(struct store *s, const struct caseload_query *q,
                              struct caseload_list *l, size_t from, size_t to,
                              struct err *e)
{
	if (store_view_caseload_counts(s, q, l, from, to, e) < 0)
		return e->code;
	return store_view_caseload_next(s, q, l, from, to, e);
}

static int page_minutes(struct store *s, const char *month_from, const char *month_to,
                        struct caseload_list *l, size_t from, size_t to, struct err *e)
{
	static const char sql[] =
		"SELECT ep.patient_id, ep.program, (SELECT coalesce(sum(t.minutes), 0) FROM time_log t "
		"WHERE t.episode_id = ep.id AND t.day >= ?1 AND t.day <= ?2) FROM episode ep "
		"WHERE ep.patient_id IN (" PAGE_IDS ") AND ep.status IN ('planned','active','onhold') "
		"AND ep.program <> 'tcm' ORDER BY ep.patient_id, ep.program";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, month_from);
	bind_text(st, 2, month_to);
	bind_page_ids(st, 3, l, from, to);
	for (size_t i = from; i < to; i++)
		l->items[i].n_timed = 0;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		long long id = col_int(st, 0);
		const char *program = col_str(st, 1);
		for (size_t i = from; i < to; i++) {
			struct caseload_row *r = &l->items[i];
			if (r->id != id || r->n_timed == VIEW_PROGRAMS || !program)
				continue;
			snprintf(r->timed[r->n_timed].program, sizeof r->timed[0].program, "%s", program);
			r->timed[r->n_timed++].minutes = (int)col_int(st, 2);
		}
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_view_caseload_minutes(struct store *s, const char *month_from, const char *month_to,
                                struct caseload_list *l, size_t from, size_t to,
                                struct err *e)
{
	to = to < l->len ? to : l->len;
	for (size_t at = from; at < to; at += VIEW_MINUTES_IDS) {
		size_t end = to - at > VIEW_MINUTES_IDS ? at + VIEW_MINUTES_IDS : to;
		if (page_minutes(s, month_from, month_to, l, at, end, e) < 0)
			return e->code;
	}
	return 0;
}

int store_view_counts(struct store *s, const char *coordinator, long long *patients,
                      struct err *e)
{
	static const char all[] = "SELECT count(*) FROM patient WHERE status = 'active'";
	static const char mine[] =
		"SELECT count(*) FROM patient WHERE coordinator = ?1 AND status = 'active'";
	struct dbst *st = st_prep(s, coordinator ? mine : all, e);
	if (!st)
		return e->code;
	if (coordinator)
		bind_text(st, 1, coordinator);
	int rc = st_step(s, st, e);
	*patients = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
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
	free(r->owner);
}

void task_row_list_free(struct task_row_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		task_row_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

#define TCOLS "SELECT t.id, t.patient_id, t.title, t.kind, t.priority, t.due, t.snoozed_until, " \
	"CASE WHEN p.given = '' THEN p.family ELSE p.family || ', ' || p.given END, p.dob, p.mrn, " \
	"t.owner, t.version FROM task t JOIN patient p ON p.id = t.patient_id"

/* The view's conditions (task_owner for one person's, task_completed for
 * the day's completed ones, task_on_hold for those on hold, task_open_due
 * otherwise). */
static void task_where(struct sqlq *b, const struct task_view_query *v)
{
	switch (v->view) {
	case TASKS_ON_HOLD:
		q_where(b, "t.status = 'on-hold'");
		break;
	case TASKS_DONE_TODAY:
		q_where(b, "t.status = 'completed' AND t.completed_at >= ");
		q_int(b, v->done_from);
		q_sql(b, " AND t.completed_at < ");
		q_int(b, v->done_to);
		break;
	case TASKS_MINE:
		q_where(b, "t.status IN " SQL_OPEN_TASK);
		q_where(b, "t.owner = ");
		q_text(b, v->login);
		break;
	case TASKS_UNASSIGNED:
		q_where(b, "t.status IN " SQL_OPEN_TASK);
		q_task_unowned(b, v->today);
		break;
	default:
		q_where(b, "t.status IN " SQL_OPEN_TASK);
	}
}

/* Append up to n rows of one phase (the dated tasks on task_open_due or
 * task_patient, or the undated ones by id), after `from` (before it
 * backward; NULL: from that end); returns the count or a negative error. */
static int task_phase(struct store *s, const struct task_view_query *v, bool undated,
                      bool backward, const struct task_row *from, int n,
                      struct task_row_list *out, struct err *e)
{
	const char *dir = backward ? " DESC" : " ASC";
	struct sqlq b = {0};
	q_sql(&b, TCOLS);
	task_where(&b, v);
	if (v->patient_id) {
		q_where(&b, "t.patient_id = ");
		q_int(&b, v->patient_id);
	}
	q_where(&b, undated ? "t.due IS NULL" : "t.due IS NOT NULL");
	if (from && undated) {
		q_where(&b, backward ? "t.id < " : "t.id > ");
		q_int(&b, from->id);
	} else if (from) {
		q_where(&b, backward ? "(t.due, t.id) < (" : "(t.due, t.id) > (");
		q_text(&b, from->due);
		q_sql(&b, ", ");
		q_int(&b, from->id);
		q_sql(&b, ")");
	}
	q_sql(&b, " ORDER BY ");
	if (!undated) {
		q_sql(&b, "t.due");
		q_sql(&b, dir);
		q_sql(&b, ", ");
	}
	q_sql(&b, "t.id");
	q_sql(&b, dir);
	q_sql(&b, " LIMIT ");
	q_int(&b, n);
	struct dbst *st = sq_prep(s, &b, e);
	if (!st)
		return e->code;
	int rc, got = 0;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
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
		r->owner = col_text(st, 10);
		r->version = col_int(st, 11);
		got++;
	}
	st_reset(st);
	return rc < 0 ? rc : got;
}

int store_view_tasks(struct store *s, long long patient_id, const struct task_row *anchor,
                     bool backward, int limit, struct task_row_list *out, bool *more,
                     struct err *e)
{
	const struct task_view_query v = {.patient_id = patient_id, .view = TASKS_TEAM};
	return store_view_tasks_in(s, &v, anchor, backward, limit, out, more, e);
}

int store_view_tasks_in(struct store *s, const struct task_view_query *v,
                        const struct task_row *anchor, bool backward, int limit,
                        struct task_row_list *out, bool *more, struct err *e)
{
	int want = limit + 1, got = 0, rc;
	size_t first = out->len;
	bool undated = anchor ? anchor->due == NULL : backward;
	/* Forward: dated, then undated.  Backward: undated, then dated. */
	if ((rc = task_phase(s, v, undated, backward, anchor, want, out, e)) < 0)
		return rc;
	got = rc;
	if (got < want && undated == backward) {
		rc = task_phase(s, v, !undated, backward, NULL, want - got, out, e);
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
