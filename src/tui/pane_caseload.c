/* pane_caseload: the coordinator's patients, a page at a time, with the
 * review mark, risk, overdue and due-today counts, this month's minutes
 * in a timed program and the next appointment; `/` searches as you type,
 * `f` filters, `o` orders. */
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/program.h"
#include "caseload/recur.h"
#include "caseload/review.h"
#include "caseload/rules.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "pane.h"

enum { FILTER_ALL, FILTER_HIGH, FILTER_REVIEW, FILTER_OVERDUE, FILTER_MINE, FILTER_N };
static const char *const filter_names[FILTER_N] = {"all", "high risk", "needs review",
                                                   "has overdue", "mine"};

struct caseload {
	struct caseload_query q;
	char *search;
	int filter;
	struct caseload_list rows;
	/* the timed programs' thresholds in thr_month (the rules files'
	 * look-up, kept: not one a row drawn) */
	char thr_month[DATE_STRLEN];
	int thr[PROG_N];
	bool thr_known[PROG_N];
	/* the counts of rows shown while t->changes was kept_at (see
	 * stats_from_kept) */
	struct caseload_list kept;
	unsigned long kept_at;
};

static struct caseload *C(struct pane *p)
{
	return p->data;
}

static void set_title(struct pane *p)
{
	struct caseload *c = C(p);
	snprintf(p->title, sizeof p->title, "Caseload by %s%s%s%s%s%s", view_order_name(c->q.order),
	         c->filter ? " — " : "", c->filter ? filter_names[c->filter] : "",
	         c->search ? " — /" : "", c->search ? c->search : "", "");
}

static void apply_filter(struct pane *p)
{
	struct caseload *c = C(p);
	c->q.risk = c->filter == FILTER_HIGH ? "high" : NULL;
	c->q.review_only = c->filter == FILTER_REVIEW;
	c->q.overdue_only = c->filter == FILTER_OVERDUE;
	c->q.coordinator = c->filter == FILTER_MINE ? p->t->ctx->user : NULL;
	c->q.search = c->search;
	set_title(p);
}

static int page_size(struct pane *p)
{
	int h = pane_height(p);
	return h < 20 ? 40 : 2 * h;
}

static void row_ref(const struct caseload_row *r, struct patient_ref *out)
{
	char *name = patient_display_name(r->family, r->given);
	patient_ref_set(out, r->id, name, r->dob, r->mrn);
	free(name);
}

static int caseload_patient(struct pane *p, struct patient_ref *out)
{
	if (!p->n)
		return 0;
	row_ref(&C(p)->rows.items[p->sel], out);
	return 1;
}

/* The timeline follows the caseload's selection while it has the focus. */
static void tell_selection(struct pane *p)
{
	struct tui *t = p->t;
	struct patient_ref r = {0};
	if (t->panes[t->focus] != p && t->patient.id)
		return;
	caseload_patient(p, &r);
	tui_select_patient(t, r.id ? &r : NULL);
}

/* The figures `want` (VIEW_FIG_*) from the store for rows [from, to):
 * the counts and marks; the next appointment (for a patient with a
 * recurring series, its next occurrence (recur) when it comes first);
 * this month's minutes.  Each one statement for the rows. */
static int stats_read(struct pane *p, size_t from, size_t to, unsigned want, struct err *e)
{
	struct caseload *c = C(p);
	struct caseload_list *l = &c->rows;
	size_t n = to - from;
	struct store *s = p->t->store;
	int rc = 0;
	if (want & VIEW_FIG_COUNTS)
		rc = store_view_caseload_counts(s, &c->q, l, from, to, e);
	if (rc == 0 && (want & VIEW_FIG_NEXT))
		rc = store_view_caseload_next(s, &c->q, l, from, to, e);
	if (rc == 0 && (want & VIEW_FIG_MINUTES)) {
		int y, m, d;
		char month_from[DATE_STRLEN], month_to[DATE_STRLEN];
		date_to_ymd(p->t->ctx->today, &y, &m, &d);
		date_format(date_from_ymd(y, m, 1), month_from);
		date_format(date_from_ymd(y, m, date_days_in_month(y, m)), month_to);
		rc = store_view_caseload_minutes(s, month_from, month_to, l, from, to, e);
	}
	if (want & VIEW_FIG_COUNTS) {
		/* "needs review" is what the daily review says, not a guess */
		long long *ids = xcalloc(n, sizeof *ids);
		bool *need = xcalloc(n, sizeof *need);
		for (size_t i = 0; i < n; i++)
			ids[i] = l->items[from + i].id;
		const struct review_cache *kept = tui_review(p->t);
		for (size_t i = 0; kept && i < n; i++)
			need[i] = review_cache_needs(kept, ids[i]);
		if (rc == 0 && !kept)
			rc = review_needs(s, p->t->ctx->today, p->t->ctx->cfg, ids, n, need, e);
		for (size_t i = 0; rc == 0 && i < n; i++)
			l->items[from + i].needs_review = need[i];
		free(ids);
		free(need);
	}
	for (size_t i = from; rc == 0 && (want & VIEW_FIG_NEXT) && i < to; i++) {
		struct caseload_row *r = &l->items[i];
		if (!r->has_series)
			continue;
		struct occurrence_list occ = {0};
		long long until = r->next_appt ? r->next_appt : c->q.now + 366LL * DAY_SECONDS;
		rc = recur_range(s, r->id, c->q.now, until, &occ, e);
		for (size_t k = 0; rc == 0 && k < occ.len; k++) {
			const struct appointment *a = occ.items[k].appt;
			if (occ.items[k].start < c->q.now || code_find(&APPT_STATUS, a->status) < 0 ||
			    appt_status_gone(a->status))
				continue;
			r->next_appt = occ.items[k].start;
			free(r->next_title);
			r->next_title = xstrdup(a->title);
			break;
		}
		occurrence_list_free(&occ);
	}
	return rc;
}

/* The figures of the rows shown since the data last changed (no
 * tui_changed since), by patient, up to KEPT_ROWS: a row that comes back
 * (the caseload after a search, a search's next letter, the first page
 * again) shows them without reading them again. */
#define KEPT_ROWS 512

static void stats_copy(struct caseload_row *to, const struct caseload_row *from)
{
	to->overdue = from->overdue;
	to->due_today = from->due_today;
	to->next_appt = from->next_appt;
	free(to->next_title);
	to->next_title = from->next_title ? xstrdup(from->next_title) : NULL;
	to->has_series = from->has_series;
	memcpy(to->timed, from->timed, sizeof to->timed);
	to->n_timed = from->n_timed;
	to->needs_review = from->needs_review;
	to->figures = from->figures;
}

static struct caseload_list *kept_rows(struct pane *p)
{
	struct caseload *c = C(p);
	if (c->kept_at != p->t->changes || c->kept.len >= KEPT_ROWS) {
		caseload_list_free(&c->kept);
		c->kept_at = p->t->changes;
	}
	return &c->kept;
}

static bool has_all(const struct caseload_row *r, unsigned want)
{
	return (r->figures & want) == want;
}

/* The kept row of a patient, or NULL. */
static struct caseload_row *kept_row(struct caseload_list *k, long long id)
{
	for (size_t j = 0; j < k->len; j++)
		if (k->items[j].id == id)
			return &k->items[j];
	return NULL;
}

static void stats_from_kept(struct pane *p, size_t from, size_t to, unsigned want)
{
	struct caseload_list *k = kept_rows(p), *l = &C(p)->rows;
	for (size_t i = from; i < to; i++) {
		const struct caseload_row *r;
		if (!has_all(&l->items[i], want) && (r = kept_row(k, l->items[i].id)) &&
		    has_all(r, want))
			stats_copy(&l->items[i], r);
	}
}

static void stats_keep(struct pane *p, size_t from, size_t to)
{
	struct caseload_list *k = kept_rows(p), *l = &C(p)->rows;
	for (size_t i = from; i < to; i++) {
		struct caseload_row *r = kept_row(k, l->items[i].id);
		if (!r && k->len >= KEPT_ROWS)
			break;
		if (!r) {
			r = LIST_PUSH(k);
			r->id = l->items[i].id;
		}
		stats_copy(r, &l->items[i]);
	}
}

/* The figures `want` of the rows of [from, to) that lack them (the rows
 * shown, when first shown, with what their columns show) and are not
 * kept, in one read transaction: the page's few statements (each figure
 * one for the rows) take the database's lock once, not each its own. */
static int stats(struct pane *p, size_t from, size_t to, unsigned want, struct err *e)
{
	struct caseload_list *l = &C(p)->rows;
	to = to < l->len ? to : l->len;
	stats_from_kept(p, from, to, want);
	while (from < to && has_all(&l->items[from], want))
		from++;
	while (to > from && has_all(&l->items[to - 1], want))
		to--;
	if (from >= to)
		return 0;
	if (store_begin_read(p->t->store, e) < 0)
		return e->code;
	int rc = 0;
	for (size_t i = from; rc == 0 && i < to;) {
		if (has_all(&l->items[i], want)) {      /* kept */
			i++;
			continue;
		}
		/* a run of rows that lack some: each is read what it lacks of
		 * what the run lacks (what it has again, the same) */
		size_t j = i;
		unsigned lack = 0;
		for (; j < to && !has_all(&l->items[j], want); j++)
			lack |= want & ~l->items[j].figures;
		/* read or failed, not read again before the next change (an
		 * error is told once, not at every draw of its rows) */
		rc = stats_read(p, i, j, lack, e);
		for (size_t k = i; k < j; k++)
			l->items[k].figures |= lack;
		if (rc == 0)
			stats_keep(p, i, j);
		i = j;
	}
	if (rc < 0) {
		store_rollback(p->t->store);
		return rc;
	}
	return store_commit(p->t->store, e);
}

/* Before a page: the caseload's size (how a search reads its matches);
 * the "needs review" filter pages through the set the day's verdicts keep
 * (judged to the end first when they are not: the only wait), and
 * whether they are few tells the store how to read them. */
static int query_ready(struct pane *p, struct err *e)
{
	struct caseload *c = C(p);
	c->q.size = p->t->n_patients > 0 ? p->t->n_patients : 0;
	if (!c->q.review_only)
		return 0;
	const struct review_cache *kept = tui_review_whole(p->t, e);
	if (!kept)
		return e->code;
	c->q.review_few = view_review_few(kept->need, kept->active);
	return 0;
}

/* Reload around the selected row: a page before it, then from it on. */
static int caseload_load(struct pane *p, struct err *e)
{
	struct caseload *c = C(p);
	struct caseload_list old = c->rows;
	long long sel_id = p->n ? old.items[p->sel].id : 0;
	size_t sel_at = 0;
	c->rows = (struct caseload_list){0};
	bool more = false;
	int rc = query_ready(p, e);
	if (rc == 0 && p->n) {
		rc = store_view_caseload(p->t->store, &c->q, &old.items[p->sel], true,
		                         pane_height(p), &c->rows, &p->more_before, e);
		sel_at = c->rows.len;
	} else {
		p->more_before = false;
	}
	/* a new list (another search, order or filter) reads the rows it
	 * shows: a search's or the next appointment's rows each read their
	 * patient, a page of the file at 100,000 (the rest come with a move) */
	int limit = p->n ? page_size(p) : pane_height(p) > 0 ? pane_height(p) : 1;
	if (rc == 0)
		rc = store_view_caseload(p->t->store, &c->q, c->rows.len ? &c->rows.items[c->rows.len - 1] : NULL,
		                         false, limit, &c->rows, &more, e);
	caseload_list_free(&old);
	p->more_after = more;
	p->n = c->rows.len;
	p->sel = sel_at;
	for (size_t i = 0; i < p->n; i++)
		if (c->rows.items[i].id == sel_id)
			p->sel = i;
	pane_select(p, p->sel);
	tell_selection(p);
	return rc;
}

/* Up to `limit` rows after the last one (before the first backward), or
 * from an end (jump). */
static int caseload_read(struct pane *p, bool backward, bool jump, int limit, struct err *e)
{
	struct caseload *c = C(p);
	struct caseload_list got = {0};
	const struct caseload_row *anchor = NULL;
	if (!jump && p->n)
		anchor = backward ? &c->rows.items[0] : &c->rows.items[p->n - 1];
	bool more = false;
	int rc = query_ready(p, e);
	if (rc == 0)
		rc = store_view_caseload(p->t->store, &c->q, anchor, backward, limit, &got, &more, e);
	if (rc < 0) {
		caseload_list_free(&got);
		return rc;
	}
	if (jump)
		caseload_list_free(&c->rows);
	return pane_take_page(p, ROWS_REF(&c->rows), ROWS_REF(&got), backward, jump, more);
}

static int caseload_page(struct pane *p, bool backward, bool jump, struct err *e)
{
	return caseload_read(p, backward, jump, page_size(p), e);
}

/* The columns at a width: ! name ... ident [mrn]  risk  ov td  minutes
 * next (the counts of overdue and due-today tasks; this month's minutes
 * against a timed program's threshold, "CCM 12/20").
 * The identifier (date of birth, else MRN) always shows; the optional
 * cells come in turn while the name keeps 12, 12 and 16 columns; the
 * minutes, then the MRN beside a date of birth come last (while the
 * name keeps 16): the first to go when narrow.  The header and every row
 * take them from here, so that they line up. */
enum { IDENT_W = 11, RISK_W = 5, COUNTS_W = 6, MINUTES_W = 11, NEXT_W = 11, MRN_W = 13 };
struct columns {
	int name_w;
	bool counts, risk, minutes, next, mrn;
};

static struct columns columns(int width, bool has_mrn)
{
	struct columns c = {0};
	int rest = width - 2, need = IDENT_W;
	c.counts = rest - need - COUNTS_W >= 12;
	need += c.counts ? COUNTS_W : 0;
	c.risk = rest - need - RISK_W >= 12;
	need += c.risk ? RISK_W : 0;
	c.next = rest - need - NEXT_W >= 16;
	need += c.next ? NEXT_W : 0;
	c.minutes = rest - need - MINUTES_W >= 16;
	need += c.minutes ? MINUTES_W : 0;
	c.mrn = has_mrn && rest - need - MRN_W >= 16;
	need += c.mrn ? MRN_W : 0;
	c.name_w = rest - need > 1 ? rest - need : 1;
	return c;
}

/* One row's cells (or the header's) at their columns. */
struct cells {
	const char *mark, *name, *ident, *mrn, *risk, *counts, *minutes, *next;
	int attr, mark_attr, risk_attr, counts_attr;
};

static void put_cells(struct pane *p, int y, int x, int width, const struct columns *c,
                      const struct cells *v)
{
	char cell[96];
	tui_put(p->win, y, x, v->mark, 1, v->attr | v->mark_attr);
	tui_put(p->win, y, x + 1, " ", 1, v->attr);
	int cx = x + 2;
	tui_put(p->win, y, cx, v->name, c->name_w, v->attr);
	cx += c->name_w;
	snprintf(cell, sizeof cell, " %s", v->ident);
	tui_put(p->win, y, cx, cell, IDENT_W, v->attr);
	cx += IDENT_W;
	if (c->mrn) {
		snprintf(cell, sizeof cell, " %s", v->mrn);
		tui_put(p->win, y, cx, cell, MRN_W, v->attr);
		cx += MRN_W;
	}
	if (c->risk) {
		snprintf(cell, sizeof cell, " %s", v->risk);
		tui_put(p->win, y, cx, cell, RISK_W, v->attr | v->risk_attr);
		cx += RISK_W;
	}
	if (c->counts) {
		snprintf(cell, sizeof cell, " %s", v->counts);
		tui_put(p->win, y, cx, cell, COUNTS_W, v->attr | v->counts_attr);
		cx += COUNTS_W;
	}
	if (c->minutes) {
		snprintf(cell, sizeof cell, " %s", v->minutes);
		tui_put(p->win, y, cx, cell, MINUTES_W, v->attr);
		cx += MINUTES_W;
	}
	if (c->next) {
		snprintf(cell, sizeof cell, " %s", v->next);
		tui_put(p->win, y, cx, cell, width - (cx - x), v->attr);
	} else if (cx < x + width) {
		tui_put(p->win, y, cx, "", x + width - cx, v->attr);
	}
}

/* The MRN column shows when the rows have room for it: the header asks
 * as a row with a date of birth and an MRN would. */
static void caseload_header(struct pane *p, int y, int x, int width)
{
	struct columns c = columns(width, true);
	const struct cells v = {" ", "Patient", "Born/MRN", "MRN", "Risk", "Ov Td", "Minutes",
	                        "Next appt",
	                        tui_attr(p->t, EL_HEADER) | (int)A_BOLD, 0, 0, 0};
	put_cells(p, y, x, width, &c, &v);
}

/* A program's threshold in the month (its first day). */
static int threshold(struct pane *p, const char *program, const char *month)
{
	struct caseload *c = C(p);
	int k = program_find(program);
	if (k < 0)
		return program_threshold(p->t->ctx->cfg, program, month);
	if (strcmp(c->thr_month, month) != 0) {
		snprintf(c->thr_month, sizeof c->thr_month, "%s", month);
		memset(c->thr_known, 0, sizeof c->thr_known);
	}
	if (!c->thr_known[k]) {
		c->thr[k] = program_threshold(p->t->ctx->cfg, program, month);
		c->thr_known[k] = true;
	}
	return c->thr[k];
}

/* "CCM 12/20": the row's first timed program (a threshold in the month)
 * with its minutes, "+" when there is another; "" when none. */
static void minutes_cell(struct pane *p, const struct caseload_row *r, char *out, size_t n)
{
	int y, m, d, shown = 0;
	char month[DATE_STRLEN];
	date_to_ymd(p->t->ctx->today, &y, &m, &d);
	date_format(date_from_ymd(y, m, 1), month);
	*out = '\0';
	for (int i = 0; i < r->n_timed; i++) {
		int need = threshold(p, r->timed[i].program, month);
		if (need <= 0)
			continue;
		if (shown++) {
			size_t len = strlen(out);
			snprintf(out + len, n - len, "+");
			break;
		}
		snprintf(out, n, "%s %d/%d", program_label(r->timed[i].program), r->timed[i].minutes,
		         need);
	}
}

static void caseload_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct caseload *c = C(p);
	struct tui *t = p->t;
	struct caseload_row *r = &c->rows.items[i];
	struct err e = {0};
	/* the MRN column is the same for every row: a row without both
	 * leaves it blank */
	struct columns col = columns(width, true);
	/* the figures of the rows shown from this one on (a move that
	 * shows one more row reads that row's, not a screenful), those that
	 * have a column at this width */
	unsigned want = VIEW_FIG_COUNTS | (col.next ? VIEW_FIG_NEXT : 0u) |
	                (col.minutes ? VIEW_FIG_MINUTES : 0u);
	size_t shown = p->top + (size_t)(pane_height(p) > 0 ? pane_height(p) : 1);
	if (!has_all(r, want) && stats(p, i, shown > i ? shown : i + 1, want, &e) < 0)
		tui_error(t, &e);
	char *name = patient_display_name(r->family, r->given);
	char counts[32] = "", minutes[32], next[DATE_SHOW_STRLEN] = "";
	if (r->overdue || r->due_today)
		snprintf(counts, sizeof counts, "%2d %2d", r->overdue, r->due_today);
	if (r->next_appt) {
		int day, min;
		tui_local(t, r->next_appt, &day, &min);
		date_show(day, t->ctx->today, next);
	}
	minutes_cell(p, r, minutes, sizeof minutes);
	struct patient_ref ref;
	char ident[48];
	row_ref(r, &ref);
	patient_ref_ident(&ref, ident);
	const struct cells v = {
		r->needs_review ? "!" : " ", name, ident, ref.dob[0] ? ref.mrn : "",
		code_find(&RISK, r->risk) == RISK_MEDIUM ? "med" : r->risk, counts, minutes, next,
		selected ? tui_attr(t, EL_SELECTED) : 0,
		r->needs_review ? tui_attr(t, EL_OVERDUE) | (int)A_BOLD : 0,
		code_find(&RISK, r->risk) == RISK_HIGH ? tui_attr(t, EL_HIGH) : 0,
		r->overdue ? tui_attr(t, EL_OVERDUE) : 0};
	put_cells(p, y, x, width, &col, &v);
	free(name);
}

static void search_changed(struct tui *t, const char *text, void *arg)
{
	struct pane *p = arg;
	struct caseload *c = C(p);
	/* the same words ("Chen," after "Chen"): the same rows */
	bool same = view_search_same(c->search, *text ? text : NULL);
	free(c->search);
	c->search = *text ? xstrdup(text) : NULL;
	apply_filter(p);
	if (same) {
		p->repaint = true;
		return;
	}
	p->n = 0;      /* a new list: start at its top */
	p->reload = true;
	(void)t;
}

static int caseload_action(struct pane *p, enum action a)
{
	struct caseload *c = C(p);
	switch (a) {
	case ACT_SEARCH: {
		char *s = NULL, *before = c->search ? xstrdup(c->search) : NULL;
		bool took = tui_prompt(p->t, "search: ", c->search, search_changed, p, &s);
		/* the count says a page's worth (the list read the rows shown) */
		if (took && p->more_after && p->n < (size_t)page_size(p) &&
		    caseload_read(p, false, false, page_size(p) - (int)p->n, &p->t->err) < 0)
			tui_error(p->t, &p->t->err);
		if (!took)
			search_changed(p->t, "", p);
		else if (p->n)
			tui_message(p->t, false, "%zu%s %s — Esc clears the search", p->n,
			            p->more_after ? "+" : "",
			            p->n == 1 && !p->more_after ? "patient matches" : "patients match");
		else
			tui_message(p->t, false, "no patient matches '%s'", s ? s : "");
		free(s);
		free(before);
		return 1;
	}
	case ACT_BACK:
		if (!c->search && !c->filter)
			return 0;
		free(c->search);
		c->search = NULL;
		c->filter = FILTER_ALL;
		apply_filter(p);
		p->reload = true;
		return 1;
	case ACT_FILTER:
		c->filter = (c->filter + 1) % FILTER_N;
		apply_filter(p);
		p->n = 0;
		p->reload = true;
		tui_message(p->t, false, "filter: %s", filter_names[c->filter]);
		return 1;
	case ACT_ORDER:
		c->q.order = (enum view_order)((c->q.order + 1) % VIEW_N_ORDERS);
		apply_filter(p);
		p->n = 0;
		p->reload = true;
		tui_message(p->t, false, "order: %s%s", view_order_name(c->q.order),
		            c->q.order == VIEW_BY_NEXT_APPT ? " (patients with an upcoming appointment)" : "");
		return 1;
	case ACT_OPEN: {
		struct patient_ref who;
		return caseload_patient(p, &who) && tui_chart_open(p->t, &who) < 0 ? -1 : 1;
	}
	case ACT_ADD:
		return tui_add_patient(p->t) < 0 ? -1 : 1;
	case ACT_EDIT:
		return p->n && tui_edit_patient(p->t, c->rows.items[p->sel].id) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

static void caseload_selected(struct pane *p)
{
	tell_selection(p);
}

static void caseload_free(struct pane *p)
{
	struct caseload *c = C(p);
	caseload_list_free(&c->rows);
	caseload_list_free(&c->kept);
	free(c->search);
	free(c);
}

static const enum action caseload_hints[] = {
	ACT_SEARCH, ACT_FILTER, ACT_ORDER, ACT_OPEN, ACT_ADD, ACT_EDIT, ACT_CONTACT, ACT_NOTE,
	ACT_UNDO, ACT_NEXT_PANE, ACT_QUIT, ACT_NONE};

static const struct pane_ops caseload_ops = {
	.hints = caseload_hints,
	.scope = SCOPE_CASELOAD,
	.load = caseload_load,
	.page = caseload_page,
	.header = caseload_header,
	.draw_row = caseload_draw_row,
	.action = caseload_action,
	.selected = caseload_selected,
	.patient = caseload_patient,
	/* the marks and counts come from tasks, appointments, entries,
	 * minutes and the day's review */
	.shows = CHANGE_PATIENT | CHANGE_TASK | CHANGE_APPT | CHANGE_ENTRY | CHANGE_REVIEW |
	         CHANGE_PLAN | CHANGE_TIME,
	.free = caseload_free,
};

struct pane *caseload_pane_new(struct tui *t)
{
	struct caseload *c = xcalloc(1, sizeof *c);
	c->q.today = t->today_s;
	c->q.now = t->ctx->now;
	struct pane *p = pane_new(t, &caseload_ops, c);
	apply_filter(p);
	return p;
}
