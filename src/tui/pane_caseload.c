/* pane_caseload: the coordinator's patients, a page at a time, with the
 * review mark, risk, overdue and due-today counts and the next
 * appointment; `/` searches as you type, `f` filters, `o` orders. */
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/recur.h"
#include "caseload/review.h"
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

/* Counts and marks from the store for rows [from, to) (the rows shown,
 * when first shown); for a patient with a recurring series, its next
 * occurrence (recur) when it comes first. */
static int stats(struct pane *p, size_t from, size_t to, struct err *e)
{
	struct caseload *c = C(p);
	struct caseload_list *l = &c->rows;
	to = to < l->len ? to : l->len;
	while (from < to && l->items[from].has_stats)
		from++;
	while (to > from && l->items[to - 1].has_stats)
		to--;
	if (from >= to)
		return 0;
	size_t n = to - from;
	for (size_t i = from; i < to; i++)
		l->items[i].has_stats = true;
	int rc = store_view_caseload_stats(p->t->store, &c->q, l, from, to, e);
	/* "needs review" is what the daily review says, not a guess */
	long long *ids = xcalloc(n, sizeof *ids);
	bool *need = xcalloc(n, sizeof *need);
	for (size_t i = 0; i < n; i++)
		ids[i] = l->items[from + i].id;
	const struct review_cache *kept = tui_review(p->t);
	for (size_t i = 0; kept && i < n; i++)
		need[i] = review_cache_needs(kept, ids[i]);
	if (rc == 0 && !kept)
		rc = review_needs(p->t->store, p->t->ctx->today, p->t->ctx->cfg, ids, n, need, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		l->items[from + i].needs_review = need[i];
	free(ids);
	free(need);
	for (size_t i = from; rc == 0 && i < to; i++) {
		struct caseload_row *r = &l->items[i];
		if (!r->has_series)
			continue;
		struct occurrence_list occ = {0};
		long long until = r->next_appt ? r->next_appt : c->q.now + 366LL * DAY_SECONDS;
		rc = recur_range(p->t->store, r->id, c->q.now, until, &occ, e);
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
	if (rc == 0)
		rc = store_view_caseload(p->t->store, &c->q, c->rows.len ? &c->rows.items[c->rows.len - 1] : NULL,
		                         false, page_size(p), &c->rows, &more, e);
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

static int caseload_page(struct pane *p, bool backward, bool jump, struct err *e)
{
	struct caseload *c = C(p);
	struct caseload_list got = {0};
	const struct caseload_row *anchor = NULL;
	if (!jump && p->n)
		anchor = backward ? &c->rows.items[0] : &c->rows.items[p->n - 1];
	bool more = false;
	int rc = query_ready(p, e);
	if (rc == 0)
		rc = store_view_caseload(p->t->store, &c->q, anchor, backward, page_size(p), &got,
		                         &more, e);
	if (rc < 0) {
		caseload_list_free(&got);
		return rc;
	}
	if (jump)
		caseload_list_free(&c->rows);
	return pane_take_page(p, ROWS_REF(&c->rows), ROWS_REF(&got), backward, jump, more);
}

static void caseload_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct caseload *c = C(p);
	struct tui *t = p->t;
	struct caseload_row *r = &c->rows.items[i];
	struct err e = {0};
	if (!r->has_stats && stats(p, i, i + (size_t)pane_height(p), &e) < 0)
		tui_error(t, &e);
	int base = selected ? tui_attr(t, EL_SELECTED) : 0;
	char *name = patient_display_name(r->family, r->given);
	char counts[32] = "", next[16] = "";
	if (r->overdue || r->due_today)
		snprintf(counts, sizeof counts, "%2d %2d", r->overdue, r->due_today);
	if (r->next_appt) {
		int day, min, yy, mm, dd;
		tui_local(t, r->next_appt, &day, &min);
		date_to_ymd(day, &yy, &mm, &dd);
		snprintf(next, sizeof next, "%2d %s", dd, date_month_abbr(mm));
	}
	const char *risk = code_find(&RISK, r->risk) == RISK_MEDIUM ? "med" : r->risk;
	struct patient_ref ref;
	char ident[48];
	row_ref(r, &ref);
	patient_ref_ident(&ref, ident);
	/* ! name ... ident [mrn]  risk  od td  next: the identifier (date of
	 * birth, else MRN) always shows; the optional cells come in turn while
	 * the name keeps 12, 12, 16, then 16 columns; the MRN beside a date
	 * of birth comes last */
	const int ident_w = 11, risk_w = 5, counts_w = 6, next_w = 7, mrn_w = 13;
	bool has_mrn = ref.dob[0] && ref.mrn[0];
	int rest = width - 2, need = ident_w;
	bool show_counts = rest - need - counts_w >= 12;
	need += show_counts ? counts_w : 0;
	bool show_risk = rest - need - risk_w >= 12;
	need += show_risk ? risk_w : 0;
	bool show_next = rest - need - next_w >= 16;
	need += show_next ? next_w : 0;
	bool show_mrn = has_mrn && rest - need - mrn_w >= 16;
	need += show_mrn ? mrn_w : 0;
	int name_w = rest - need;
	if (name_w < 1)
		name_w = 1;
	tui_put(p->win, y, x, r->needs_review ? "!" : " ", 1, base | (r->needs_review ? tui_attr(t, EL_OVERDUE) | (int)A_BOLD : 0));
	tui_put(p->win, y, x + 1, " ", 1, base);
	int cx = x + 2;
	tui_put(p->win, y, cx, name, name_w, base);
	cx += name_w;
	char cell[64];
	snprintf(cell, sizeof cell, " %s", ident);
	tui_put(p->win, y, cx, cell, ident_w, base);
	cx += ident_w;
	if (show_mrn) {
		snprintf(cell, sizeof cell, " %s", ref.mrn);
		tui_put(p->win, y, cx, cell, mrn_w, base);
		cx += mrn_w;
	}
	if (show_risk) {
		snprintf(cell, sizeof cell, " %s", risk);
		tui_put(p->win, y, cx, cell, risk_w, base | (code_find(&RISK, r->risk) == RISK_HIGH ? tui_attr(t, EL_HIGH) : 0));
		cx += risk_w;
	}
	if (show_counts) {
		snprintf(cell, sizeof cell, " %s", counts);
		tui_put(p->win, y, cx, cell, counts_w, base | (r->overdue ? tui_attr(t, EL_OVERDUE) : 0));
		cx += counts_w;
	}
	if (show_next) {
		snprintf(cell, sizeof cell, " %s", next);
		tui_put(p->win, y, cx, cell, width - (cx - x), base);
	} else if (cx < x + width) {
		tui_put(p->win, y, cx, "", x + width - cx, base);
	}
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

static void show_patient(struct pane *p)
{
	struct caseload *c = C(p);
	if (!p->n)
		return;
	struct patient pt = {0};
	struct err e = {0};
	if (store_patient_get(p->t->store, c->rows.items[p->sel].id, &pt, &e) < 0) {
		tui_error(p->t, &e);
		return;
	}
	char *name = patient_display_name(pt.family, pt.given);
	struct patient_ref ref;
	struct buf title = {0};
	patient_ref_set(&ref, pt.id, name, pt.dob, pt.mrn);
	tui_patient_label(&ref, p->t->cols - 10, &title);
	const struct label_value f[] = {{"Name", name}, {"Date of birth", pt.dob}, {"MRN", pt.mrn}, {"Phone", pt.phone},
	         {"Email", pt.email}, {"Address", pt.address}, {"Language", pt.language},
	         {"Risk", pt.risk}, {"CCM consent", pt.ccm_consent}, {"Coordinator", pt.coordinator},
	         {"Status", pt.status}};
	tui_show_fields(p->t, title.s, f, sizeof f / sizeof f[0]);
	buf_free(&title);
	free(name);
	patient_clear(&pt);
}

static int edit_patient(struct pane *p);

static int caseload_action(struct pane *p, enum action a)
{
	struct caseload *c = C(p);
	switch (a) {
	case ACT_SEARCH: {
		char *s = NULL, *before = c->search ? xstrdup(c->search) : NULL;
		if (!tui_prompt(p->t, "search: ", c->search, search_changed, p, &s))
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
	case ACT_OPEN:
		show_patient(p);
		return 1;
	case ACT_ADD:
		return tui_add_patient(p->t) < 0 ? -1 : 1;
	case ACT_EDIT:
		return edit_patient(p) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

/* Save the edit form over *arg (the patient as read, with its version):
 * a refusal or a lost race keeps the form open with what was typed. */
static int save_patient(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct patient *pt = arg;
	const char *fam = NULL, *giv = NULL;
	(void)n;
	if (patient_split_name(f[0].value, &fam, &giv) < 0) {
		err_set(&t->err, ERR_USAGE, "name %s is not \"Family, Given\"", TEXT_ARG(f[0].value));
		return err_field(&t->err, "name");
	}
	str_free(pt->family), pt->family = fam;
	str_free(pt->given), pt->given = giv;
	str_free(pt->dob), pt->dob = *f[1].value ? xstrdup(f[1].value) : NULL;
	str_free(pt->phone), pt->phone = *f[2].value ? xstrdup(f[2].value) : NULL;
	str_free(pt->email), pt->email = *f[3].value ? xstrdup(f[3].value) : NULL;
	str_free(pt->risk), pt->risk = xstrdup(f[4].value);
	struct change ch = {0};
	int rc = tui_save_patient(t, pt, true, &ch);
	if (rc == 1) {
		tui_message(t, false, "saved %s", f[0].value);
		tui_changed(t, &ch);
	}
	return rc < 0 ? rc : 0;
}

static int edit_patient(struct pane *p)
{
	struct caseload *c = C(p);
	struct tui *t = p->t;
	if (!p->n)
		return 0;
	struct patient pt = {0};
	if (store_patient_get(t->store, c->rows.items[p->sel].id, &pt, &t->err) < 0)
		return -1;
	char *name = patient_display_name(pt.family, pt.given);
	struct patient_ref who;
	patient_ref_set(&who, pt.id, name, pt.dob, pt.mrn);
	struct form_field f[] = {
		{.label = "Name", .value = name, .hint = "Family, Given", .required = true},
		{.label = "Date of birth", .name = "dob", .value = pt.dob, .hint = "YYYY-MM-DD", .check = tui_check_dob},
		{.label = "Phone", .value = pt.phone},
		{.label = "Email", .value = pt.email},
		{.label = "Risk", .value = pt.risk, .hint = "low, medium, high", .check = tui_check_risk, .required = true, .choices = &RISK},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (tui_form_save(t, "Edit patient", &who, f, n, save_patient, &pt))
		form_fields_free(f, n);
	free(name);
	patient_clear(&pt);
	return 0;
}

static void caseload_selected(struct pane *p)
{
	tell_selection(p);
}

static void caseload_free(struct pane *p)
{
	struct caseload *c = C(p);
	caseload_list_free(&c->rows);
	free(c->search);
	free(c);
}

static const enum action caseload_hints[] = {
	ACT_SEARCH, ACT_FILTER, ACT_ORDER, ACT_OPEN, ACT_ADD, ACT_EDIT, ACT_CONTACT, ACT_NOTE,
	ACT_NEXT_PANE, ACT_QUIT, ACT_NONE};

static const struct pane_ops caseload_ops = {
	.hints = caseload_hints,
	.scope = SCOPE_CASELOAD,
	.load = caseload_load,
	.page = caseload_page,
	.draw_row = caseload_draw_row,
	.action = caseload_action,
	.selected = caseload_selected,
	.patient = caseload_patient,
	/* the marks and counts come from tasks, appointments, entries and
	 * the day's review */
	.shows = CHANGE_PATIENT | CHANGE_TASK | CHANGE_APPT | CHANGE_ENTRY | CHANGE_REVIEW |
	         CHANGE_PLAN,
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
