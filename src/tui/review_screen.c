/* review_screen: the daily review mode (`R`).  One patient at a time: a
 * card with the patient (name, date of birth, MRN, risk, phone, language),
 * what needs attention and why (review_build for that patient, with the
 * configuration's numbers), and what is coming up; one key per action,
 * each through a use case of the review or care services; the card is
 * rebuilt after every action, so an item goes as soon as its cause does,
 * and the selection stays where it was (on the next item).
 *
 * The queue is the review service's for the day (review_queue: the
 * patients with items, most pressing first, then those marked today),
 * narrowed by `f` to severities or reasons.  Unnarrowed (and not a team
 * member's share) it is read in place from the screen's verdicts
 * (review_cache_view): opening it and moving in it cost what is shown,
 * not the caseload; the current patient is held by its place there, so
 * that a change of its items does not lose the neighbours it had.  `<` and `>` step through all
 * of it; `v` marks the patient reviewed and goes to the next one not yet
 * marked, `>` skips (a skipped patient still needs review), `V` undoes a
 * mark.  Coming back the same day resumes at the first patient not
 * marked; at the end a summary counts reviewed, skipped and still open,
 * and `>` there revisits the skipped ones. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/recur.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_review.h"
#include "caseload/team.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "pane.h"

#define UPCOMING_DAYS 14
#define UPCOMING_MAX 6
#define LIST_NAME_COLS 28

struct line {
	char *text;
	int item;                  /* index into items, -1 for text */
	enum tui_elem el;
};

struct review_view {
	struct review_patient *q;  /* the day's queue, in the order it opened
	                              (a copy: narrowed, or a team member's) */
	size_t nq, cap, cur;
	bool in_place;             /* else the queue is view, and q is empty */
	struct review_cache_view view;
	struct review_key at;      /* the current patient (id) and its place */
	size_t n_state[3];         /* patients of the queue in each review_state:
	                              counted as it loads, kept by mark (the
	                              card shows them without a walk of it) */
	bool finished;             /* showing the summary */
	struct review_filter filter;
	struct review_scope scope; /* whose patients: the user's own in a team */
	struct review_list items;  /* the current patient's */
	int keep_item;             /* select this item (its place) after a reload;
	                              -1: the first */
	char name[128];
	long long audited;         /* the patient whose card was last recorded */
	struct line *lines;
	size_t n_lines, cap_lines;
};

static const enum action hints[] = {
	ACT_REVIEWED, ACT_SKIP, ACT_PREVIOUS, ACT_CONTACT, ACT_DONE, ACT_SNOOZE, ACT_ADD,
	ACT_ACKNOWLEDGE, ACT_RIDE_OK, ACT_UNREVIEW, ACT_FILTER, ACT_REVIEW_LIST, ACT_BACK, ACT_NONE};

static void lines_clear(struct review_view *v)
{
	for (size_t i = 0; i < v->n_lines; i++)
		free(v->lines[i].text);
	v->n_lines = 0;
}

static void add_line(struct review_view *v, int item, enum tui_elem el, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_line(struct review_view *v, int item, enum tui_elem el, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	void *p = v->lines;
	xgrow(&p, &v->cap_lines, v->n_lines + 1, sizeof *v->lines);
	v->lines = p;
	v->lines[v->n_lines++] = (struct line){buf_steal(&b), item, el};
	buf_free(&b);
}

static size_t count_state(const struct review_view *v, enum review_state st)
{
	return v->n_state[st];
}

static size_t qlen(struct review_view *v)
{
	return v->in_place ? review_cache_view_len(&v->view) : v->nq;
}

static struct review_patient qat(struct review_view *v, size_t i)
{
	return v->in_place ? review_cache_view_at(&v->view, i, NULL) : v->q[i];
}

/* Make the i-th patient the current one (read in place: held at its
 * place, so that it keeps it, and its number, as its items change). */
static void go(struct review_view *v, size_t i)
{
	v->cur = i;
	if (v->in_place) {
		review_cache_view_at(&v->view, i, &v->at);
		review_cache_view_hold(&v->view, &v->at);
	} else
		v->at = (struct review_key){.id = i < v->nq ? v->q[i].id : 0};
}

/* The current patient, as it is now. */
static struct review_patient current(struct review_view *v)
{
	return v->in_place ? review_cache_view_patient(&v->view, v->at.id) : v->q[v->cur];
}

/* Read in place: the current patient's number (a change of another
 * patient's items may have moved it). */
static void place_current(struct review_view *v)
{
	if (v->in_place && v->cur >= v->view.n_first)
		v->cur = review_cache_view_place(&v->view, &v->at, false);
}

/* The place just after the current patient. */
static size_t after_current(struct review_view *v)
{
	if (v->in_place && v->cur >= v->view.n_first)
		return review_cache_view_place(&v->view, &v->at, true);
	return v->cur + 1;
}

static void recount(struct review_view *v)
{
	memset(v->n_state, 0, sizeof v->n_state);
	for (size_t i = 0; i < v->nq; i++)
		v->n_state[v->q[i].state]++;
}

/* The first patient at or after `from` (wrapping) in state `st`. */
static bool find_state(struct review_view *v, size_t from, enum review_state st, size_t *at)
{
	size_t n = qlen(v);
	for (size_t k = 0; k < n; k++) {
		size_t i = (from + k) % n;
		if (qat(v, i).state == st) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* Go to the first patient not marked at or after `from`, else the summary. */
static void next_open(struct review_view *v, size_t from)
{
	size_t at;
	v->finished = !find_state(v, from, REVIEW_NONE, &at);
	if (!v->finished)
		go(v, at);
	v->keep_item = -1;
}

static int by_id(const void *pa, const void *pb)
{
	const struct review_patient *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Unnarrowed, not a team member's share: the queue in place, from the
 * day's verdicts the screen keeps (judged to the end now if they are not
 * yet); its counts again. */
static int view_load(struct tui *t, struct review_view *v, bool replace)
{
	const struct review_cache *kept = tui_review_whole(t, &t->err);
	if (!kept)
		return -1;
	if (replace || !v->in_place) {
		review_cache_view_free(&v->view);
		free(v->q);
		v->q = NULL;
		v->nq = v->cap = 0;
		v->in_place = true;
		if (review_cache_view_open(t->store, kept, &v->view, &t->err) < 0)
			return -1;
	}
	return review_cache_view_counts(t->store, &v->view, v->n_state, &t->err);
}

/* The day's queue again (marks and counts as they are now).  With
 * `replace`, it becomes the queue (a new filter); else only the counts and
 * marks of the patients already in it change, and newcomers go last. */
static int queue_load(struct tui *t, struct review_view *v, bool replace)
{
	struct review_queue q = {0};
	if (!v->filter.severities && !v->filter.reasons && !v->scope.mine &&
	    (replace || v->in_place))
		return view_load(t, v, replace);
	if (v->in_place) {
		review_cache_view_free(&v->view);
		v->in_place = false;
		replace = true;
	}
	/* a team member's share, from the day's verdicts the screen keeps */
	if (!v->filter.severities && !v->filter.reasons) {
		const struct review_cache *kept = tui_review_whole(t, &t->err);
		if (!kept || review_cache_queue(t->store, kept, &q, &t->err) < 0)
			return -1;
	} else if (review_queue(t->store, t->ctx->today, t->ctx->cfg, &v->filter, &q, NULL,
	                        &t->err) < 0) {
		return -1;
	}
	team_scope_apply(&v->scope, NULL, &q);
	if (replace || !v->nq) {
		free(v->q);
		v->q = q.items;
		v->nq = q.len;
		v->cap = q.cap;
		recount(v);
		return 0;
	}
	qsort(q.items, q.len, sizeof *q.items, by_id);
	bool *seen = xcalloc(q.len ? q.len : 1, sizeof *seen);
	for (size_t i = 0; i < v->nq; i++) {
		struct review_patient *now = bsearch(&v->q[i], q.items, q.len, sizeof *q.items, by_id);
		if (now) {
			v->q[i] = *now;
			seen[now - q.items] = true;
		} else {
			v->q[i].n_items = 0;
			v->q[i].state = REVIEW_NONE;
		}
	}
	for (size_t i = 0; i < q.len; i++)
		if (!seen[i]) {
			void *p = v->q;
			xgrow(&p, &v->cap, v->nq + 1, sizeof *v->q);
			v->q = p;
			v->q[v->nq++] = q.items[i];
		}
	free(seen);
	review_queue_free(&q);
	recount(v);
	return 0;
}

static void upcoming(struct tui *t, struct review_view *v, long long pid)
{
	struct occurrence_list occ = {0};
	struct task_list tasks = {0};
	struct task_query tq = {.patient_id = pid};
	struct err e = {0};
	add_line(v, -1, EL_HEADER, "Coming up");
	size_t shown = 0;
	if (recur_range(t->store, pid, t->ctx->now, t->ctx->now + UPCOMING_DAYS * (long long)DAY_SECONDS, &occ, &e) == 0)
		for (size_t i = 0; i < occ.len && shown < UPCOMING_MAX; i++) {
			const struct appointment *a = occ.items[i].appt;
			int day, min;
			char d[DATE_SHOW_STRLEN], hm[24] = "";
			int st = code_find(&APPT_STATUS, a->status);
			if (st == APPT_CANCELLED || st == APPT_ENTERED_IN_ERROR)
				continue;
			tui_local(t, occ.items[i].start, &day, &min);
			if (a->all_day)
				day = date_of_utc(occ.items[i].start);
			else
				snprintf(hm, sizeof hm, "%02d:%02d", min / 60, min % 60);
			add_line(v, -1, EL_NORMAL, "  %-10s %-5s  %s%s%s", date_show(day, t->ctx->today, d), hm,
			         a->title,
			         transport_wanted(a->transport) ? ", transport " : "",
			         transport_wanted(a->transport) ? a->transport : "");
			shown++;
		}
	/* only what lies ahead: tasks due (or snoozed) after today; what is
	 * due or overdue is among the items above */
	if (store_task_list(t->store, &tq, &tasks, &e) == 0)
		for (size_t i = 0; i < tasks.len && shown < (size_t)2 * UPCOMING_MAX; i++) {
			const struct task *k = &tasks.items[i];
			const char *when = k->snoozed_until && (!k->due || strcmp(k->snoozed_until, k->due) > 0)
			                   ? k->snoozed_until : k->due;
			int day;
			char d[DATE_SHOW_STRLEN];
			if (!when || strcmp(when, t->today_s) <= 0 || date_parse_iso(when, &day) < 0)
				continue;
			add_line(v, -1, EL_NORMAL, "  task %-10s  %s%s", date_show(day, t->ctx->today, d), k->title,
			         when == k->snoozed_until ? " (snoozed)" : "");
			shown++;
		}
	if (e.code)
		tui_error(t, &e);
	if (!shown)
		add_line(v, -1, EL_NORMAL, "  nothing in the next %d days", UPCOMING_DAYS);
	occurrence_list_free(&occ);
	task_list_free(&tasks);
}

static void summary(struct tui *t, struct review_view *v)
{
	long long contacts = 0, closed = 0, from, to;
	struct err e = {0};
	if (tz_local_to_utc(t->ctx->zone, t->ctx->today, 0, &from, &e) < 0 ||
	    tz_local_to_utc(t->ctx->zone, t->ctx->today + 1, 0, &to, &e) < 0 ||
	    store_review_day_counts(t->store, from, to, &contacts, &closed, &e) < 0)
		tui_error(t, &e);
	if (queue_load(t, v, false) < 0)
		tui_error(t, &t->err);
	size_t items = 0, with = 0, need = 0, n = qlen(v);
	if (v->in_place) {   /* every patient with items is in the queue */
		items = v->view.c->n_items;
		with = v->view.total;
		need = (size_t)v->view.c->need;
	}
	for (size_t i = 0; !v->in_place && i < v->nq; i++) {
		items += v->q[i].n_items;
		with += v->q[i].n_items > 0;
		need += review_patient_needs(&v->q[i]);
	}
	size_t done = count_state(v, REVIEW_DONE), skipped = count_state(v, REVIEW_SKIPPED);
	size_t unseen = count_state(v, REVIEW_NONE);
	snprintf(v->name, sizeof v->name, "summary");
	char today[DATE_SHOW_STRLEN];
	date_show(t->ctx->today, t->ctx->today, today);
	if (need)
		add_line(v, -1, EL_HEADER, "The review of %s: the end of the queue, %zu patient%s still "
		         "need%s review", today, need, need == 1 ? "" : "s", need == 1 ? "s" : "");
	else
		add_line(v, -1, EL_HEADER, "The review of %s is done", today);
	add_line(v, -1, EL_NORMAL, "%s", "");
	add_line(v, -1, EL_NORMAL, "  Reviewed      %zu of %zu patients", done, n);
	add_line(v, -1, EL_NORMAL, "  Skipped       %zu%s", skipped,
	         skipped ? " (they still need review)" : "");
	add_line(v, -1, EL_NORMAL, "  Not marked    %zu", unseen);
	add_line(v, -1, EL_NORMAL, "  Contacts made %lld today", contacts);
	add_line(v, -1, EL_NORMAL, "  Tasks closed  %lld today", closed);
	add_line(v, -1, EL_NORMAL, "  Still open    %zu item%s for %zu patient%s", items,
	         items == 1 ? "" : "s", with, with == 1 ? "" : "s");
	add_line(v, -1, EL_NORMAL, "%s", "");
	if (skipped)
		add_line(v, -1, EL_NORMAL, "> revisit skipped (%zu)", skipped);
	else if (unseen)
		add_line(v, -1, EL_NORMAL, "> the patients not marked (%zu)", unseen);
	add_line(v, -1, EL_NORMAL, "%s", "< back to the last patient, l the list, Esc close");
}

static enum tui_elem severity_elem(enum review_severity s)
{
	return s == SEV_URGENT ? EL_OVERDUE : s == SEV_HIGH ? EL_HIGH : s == SEV_MEDIUM ? EL_TODAY
	                                                                               : EL_NORMAL;
}

/* "DOB 1950-03-02 (76)" or "DOB not recorded". */
static void birth_text(const struct tui *t, const char *dob, char *out, size_t n)
{
	int born, y, m, d, ty, tm, td;
	if (!dob || date_parse_iso(dob, &born) < 0) {
		snprintf(out, n, "DOB not recorded");
		return;
	}
	date_to_ymd(born, &y, &m, &d);
	date_to_ymd(t->ctx->today, &ty, &tm, &td);
	int age = ty - y - (tm < m || (tm == m && td < d));
	snprintf(out, n, "DOB %s (%d)", dob, age);
}

static void card(struct tui *t, struct review_view *v, const struct patient *pat)
{
	struct review_patient q = current(v);
	size_t n = qlen(v);
	char *name = patient_display_name(pat->family, pat->given), born[64];
	snprintf(v->name, sizeof v->name, "%s", name);
	free(name);
	birth_text(t, pat->dob, born, sizeof born);
	add_line(v, -1, EL_HEADER, "%s  ·  %s%s%s  ·  %s risk  ·  %s  ·  %s", v->name, born,
	         pat->mrn ? "  ·  MRN " : "", pat->mrn ? pat->mrn : "", pat->risk,
	         pat->phone ? pat->phone : "no phone",
	         pat->language ? pat->language : "language not recorded");
	size_t skipped = count_state(v, REVIEW_SKIPPED);
	char skipped_text[48] = "";
	if (skipped)
		snprintf(skipped_text, sizeof skipped_text, ", %zu skipped", skipped);
	add_line(v, -1, EL_NORMAL, "Patient %zu of %zu  ·  Reviewed %zu of %zu%s%s", v->cur + 1,
	         n, count_state(v, REVIEW_DONE), n, skipped_text,
	         q.state == REVIEW_DONE ? "  ·  this one is reviewed (V undoes)"
	         : q.state == REVIEW_SKIPPED ? "  ·  this one was skipped" : "");
	add_line(v, -1, EL_NORMAL, "%s", "");
	if (v->items.len == 0)
		add_line(v, -1, EL_NORMAL, "%s", "Nothing needs attention now: v marks the patient reviewed.");
	for (size_t i = 0; i < v->items.len; i++) {
		const struct review_item *it = &v->items.items[i];
		char due[DATE_SHOW_STRLEN], why[256];
		add_line(v, (int)i, severity_elem(it->severity), "%-6s  %-12s  %-10s  %s",
		         review_severity_name(it->severity), review_reason_code(it->reason),
		         date_show(it->due, t->ctx->today, due), it->detail);
		add_line(v, -1, EL_NORMAL, "        why: %s",
		         review_item_why(it, t->ctx->today, t->ctx->cfg, why, sizeof why));
	}
	add_line(v, -1, EL_NORMAL, "%s", "");
	upcoming(t, v, q.id);
}

static int card_load(struct pane *p, struct err *e)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	struct buf narrowed = {0};
	lines_clear(v);
	review_list_free(&v->items);
	review_filter_text(&v->filter, &narrowed);
	/* (read in place, the verdicts are whole: tui_review_detach) */
	place_current(v);
	if (v->finished || qlen(v) == 0) {
		v->finished = true;
		summary(t, v);
		snprintf(p->title, sizeof p->title, "Daily review — summary%s%s",
		         narrowed.s ? " — " : "", narrowed.s ? narrowed.s : "");
	} else {
		long long id = v->at.id;
		struct patient pat = {0};
		/* a card opened is a read of the patient: recorded once, not
		 * at each reload of the same card */
		if (store_patient_get(t->store, id, &pat, e) < 0 ||
		    (id != v->audited &&
		     audit_read(t->store, "review", "screen review", id, -1, e) < 0) ||
		    review_build_patient(t->store, id, t->ctx->today, t->ctx->cfg, &v->items, e) < 0) {
			patient_clear(&pat);
			buf_free(&narrowed);
			return e->code;
		}
		v->audited = id;
		review_filter_apply(&v->filter, &v->items);
		/* the copied queue's count follows the card (in place, the
		 * verdicts do) */
		if (!v->in_place) {
			struct review_patient *q = &v->q[v->cur];
			q->n_items = v->items.len;
			for (size_t i = 0; i < v->items.len; i++)
				if (i == 0 || v->items.items[i].severity > q->worst)
					q->worst = v->items.items[i].severity;
		}
		card(t, v, &pat);
		patient_clear(&pat);
		snprintf(p->title, sizeof p->title, "Daily review — %s%s%s", v->name,
		         narrowed.s ? " — " : "", narrowed.s ? narrowed.s : "");
	}
	buf_free(&narrowed);
	/* a steady height, so that the card does not jump as items go */
	size_t h = t->rows > 8 ? (size_t)t->rows - 6 : 2;
	p->n = v->n_lines > h ? v->n_lines : h;
	/* the item in the place of the one acted on (the next one), else the
	 * first; none on the summary */
	size_t sel = p->n, last = p->n;
	int seen = 0;
	for (size_t i = 0; i < v->n_lines; i++)
		if (v->lines[i].item >= 0) {
			if (sel == p->n && seen >= (v->keep_item > 0 ? v->keep_item : 0))
				sel = i;
			last = i;
			seen++;
		}
	if (sel == p->n)
		sel = last;
	p->top = 0;
	pane_select(p, sel < p->n ? sel : 0);
	v->keep_item = -1;
	p->repaint = true;
	return 0;
}

static void card_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct review_view *v = p->data;
	const struct line *l = i < v->n_lines ? &v->lines[i] : NULL;
	int attr = tui_attr(p->t, l ? l->el : EL_NORMAL);
	if (l && l->item >= 0 && selected)
		attr = tui_attr(p->t, EL_SELECTED);
	tui_put(p->win, y, x, l ? l->text : "", width, attr);
}

static const struct review_item *selected_item(struct pane *p)
{
	struct review_view *v = p->data;
	if (v->finished || p->sel >= v->n_lines || v->lines[p->sel].item < 0)
		return NULL;
	return &v->items.items[v->lines[p->sel].item];
}

/* Up and down go from item to item. */
static void card_move(struct pane *p, int dir)
{
	struct review_view *v = p->data;
	for (size_t i = p->sel; dir < 0 ? i > 0 : i + 1 < v->n_lines;) {
		i = dir < 0 ? i - 1 : i + 1;
		if (v->lines[i].item >= 0) {
			pane_select(p, i);
			return;
		}
	}
}

/* After an action on the card: reload it with the selection in the same
 * place (the acted-on item is gone, so that is the next one). */
static int changed(struct pane *p, int rc, const char *what, const struct change *ch)
{
	struct review_view *v = p->data;
	if (rc == 0) {
		v->keep_item = p->sel < v->n_lines ? v->lines[p->sel].item : -1;
		tui_message(p->t, false, "%s", what);
		tui_changed(p->t, ch);
		p->reload = true;
	}
	return rc;
}

/* After a shared screen action (it showed its message and reloaded what
 * it changed): keep the selection on the item, reload the card. */
static int after(struct pane *p, int rc)
{
	struct review_view *v = p->data;
	if (rc == 0) {
		v->keep_item = p->sel < v->n_lines ? v->lines[p->sel].item : -1;
		p->reload = true;
	}
	return rc;
}

static const struct review_item *need(struct pane *p, const char *table,
                                      enum review_reason reason, const char *what)
{
	const struct review_item *it = selected_item(p);
	if (!it || strcmp(it->ref_table, table) != 0 || (reason < REASON_N && it->reason != reason)) {
		tui_message(p->t, true, "select %s first (j/k)", what);
		return NULL;
	}
	return it;
}

static int snooze(struct pane *p)
{
	const struct review_item *it = need(p, "task", REASON_N, "a task");
	struct patient_ref who;
	if (!it)
		return 0;
	if (tui_patient_ref(p->t, it->patient_id, &who) < 0)
		return -1;
	return after(p, tui_snooze_task(p->t, it->ref_id, &who, NULL));
}

/* ---- the card's forms: the workstation's contact and completion, and a
 * task prefilled from the selected item ---- */


/* `c`: the workstation's contact form for the card's patient (it offers
 * to complete an open post-discharge call task). */
static int contact(struct pane *p)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	struct patient_ref who;
	if (tui_patient_ref(t, v->at.id, &who) < 0)
		return -1;
	return after(p, tui_log_contact(t, &who));
}

/* `x`: the workstation's completion (it asks on the post-discharge call
 * task while no reached contact is logged). */
static int complete(struct pane *p)
{
	const struct review_item *it = need(p, "task", REASON_N, "a task");
	if (!it)
		return 0;
	return after(p, tui_complete_task(p->t, it->ref_id, it->patient_id, NULL));
}

/* `a`: the workstation's task form for the card's patient, prefilled
 * from the selected item. */
static int add_task(struct pane *p)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	const struct review_item *it = selected_item(p);
	struct task k = {0};
	struct patient_ref who;
	if (tui_patient_ref(t, v->at.id, &who) < 0)
		return -1;
	if (it)
		review_item_task(it, t->ctx->today, &k);
	int rc = after(p, tui_add_task(t, &who, it ? &k : NULL));
	task_clear(&k);
	return rc;
}

/* `f`: narrow the review to severities and reasons. */
static int narrow(struct pane *p)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	struct buf now = {0};
	char *text = NULL;
	review_filter_text(&v->filter, &now);
	/* the prompt's own separator is a space */
	for (char *c = now.s; c && *c; c++)
		if (*c == ';')
			*c = ' ';
	int ok = tui_prompt(t, "narrow to (urgent,high and/or reasons such as tcm-contact; empty: all): ",
	                    now.s ? now.s : "", NULL, NULL, &text);
	buf_free(&now);
	if (!ok)
		return 0;
	struct review_filter f;
	int rc = review_filter_parse_any(&f, text, &t->err);
	free(text);
	if (rc < 0)
		return -1;
	long long id = !v->finished && qlen(v) ? v->at.id : 0;
	v->filter = f;
	if (queue_load(t, v, true) < 0)
		return -1;
	next_open(v, 0);
	size_t at, n = qlen(v);
	if (v->in_place && id && review_cache_view_find(&v->view, id, &at) &&
	    qat(v, at).n_items)
		go(v, at), v->finished = false;
	for (size_t i = 0; !v->in_place && id && i < v->nq; i++)
		if (v->q[i].id == id && v->q[i].n_items)
			go(v, i), v->finished = false;
	tui_message(t, false, "%zu patient%s in the review", n, n == 1 ? "" : "s");
	p->reload = true;
	return 0;
}

/* Leave the card where it is: marks keep the place for next time. */
static void leave(struct pane *p)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	size_t done = count_state(v, REVIEW_DONE), n = qlen(v);
	tui_pop(t);
	/* each action on the card told its change already (tui_changed): the
	 * panes under it are current, only drawn again */
	tui_message(t, false, "review %s: reviewed %zu of %zu (R resumes)",
	            done == n ? "done" : "paused", done, n);
}

/* ---- the list (`l`): every patient of the queue, Enter goes there ---- */

struct review_list_view {
	struct pane *card;
	struct patient_ref *who;   /* fetched as rows are drawn (id 0: not yet) */
	size_t n;
};

static void list_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct review_list_view *lv = p->data;
	struct review_view *v = lv->card->data;
	const struct review_patient qi = qat(v, i), *q = &qi;
	struct buf b = {0};
	if (!lv->who[i].id && tui_patient_ref(p->t, q->id, &lv->who[i]) < 0)
		patient_ref_set(&lv->who[i], q->id, "?", NULL, NULL);
	char *name = text_sanitize(lv->who[i].name), ident[48];
	buf_addf(&b, "%s %3zu  ", i == v->cur && !v->finished ? ">" : " ", i + 1);
	text_fit(&b, name, LIST_NAME_COLS, true);
	buf_addf(&b, " %-11s %3zu item%s  %-6s  %s", patient_ref_ident(&lv->who[i], ident), q->n_items,
	         q->n_items == 1 ? " " : "s", q->n_items ? review_severity_name(q->worst) : "",
	         q->state == REVIEW_DONE ? "reviewed" : q->state == REVIEW_SKIPPED ? "skipped" : "");
	tui_put(p->win, y, x, b.s, width, tui_attr(p->t, selected ? EL_SELECTED : EL_NORMAL));
	free(name);
	buf_free(&b);
}

static void list_header(struct pane *p, int y, int x, int width)
{
	struct buf b = {0};
	buf_add(&b, "    #  ");
	text_fit(&b, "Patient", LIST_NAME_COLS, true);
	buf_addf(&b, " %-11s %-9s  %-6s  %s", "Born/MRN", "    Items", "Worst", "Today");
	tui_put(p->win, y, x, b.s, width, tui_attr(p->t, EL_HEADER) | (int)A_BOLD);
	buf_free(&b);
}

static int list_action(struct pane *p, enum action a)
{
	struct review_list_view *lv = p->data;
	struct pane *card = lv->card;
	struct review_view *v = card->data;
	switch (a) {
	case ACT_OPEN: {
		size_t to = p->sel;
		tui_pop(p->t);     /* frees p */
		if (to < qlen(v)) {
			go(v, to);
			v->finished = false;
			v->keep_item = -1;
			card->reload = true;
		}
		return 1;
	}
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_REVIEW_LIST:
		tui_pop(p->t);
		return 1;
	default:
		pane_move(p, a);
		return 1;          /* modal */
	}
}

static void list_free(struct pane *p)
{
	struct review_list_view *lv = p->data;
	free(lv->who);
	free(lv);
}

static const enum action list_hints[] = {ACT_DOWN, ACT_UP, ACT_OPEN, ACT_BACK, ACT_NONE};

static const struct pane_ops list_ops = {
	.hints = list_hints,
	.header = list_header,
	.draw_row = list_draw_row,
	.action = list_action,
	.free = list_free,
};

static void show_list(struct pane *card)
{
	struct tui *t = card->t;
	struct review_view *v = card->data;
	if (queue_load(t, v, false) < 0) {
		tui_error(t, &t->err);
		return;
	}
	size_t n = qlen(v);
	if (!n) {
		tui_message(t, false, "nobody needs attention today");
		return;
	}
	struct review_list_view *lv = xcalloc(1, sizeof *lv);
	lv->card = card;
	lv->who = xcalloc(n, sizeof *lv->who);
	lv->n = n;
	struct pane *p = pane_new(t, &list_ops, lv);
	p->popup = true;
	p->n = n;
	snprintf(p->title, sizeof p->title, "The day's review: %zu patients, counts as they are now",
	         n);
	tui_push(t, p);
	pane_select(p, v->finished ? 0 : v->cur);
}

/* ---- marks and moving ---- */

static int mark(struct pane *p, enum review_state st)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	struct review_patient q = current(v);
	struct change ch = {0};
	if (review_mark(t->store, t->ctx->today, q.id, st, &ch, &t->err) < 0)
		return -1;
	v->n_state[q.state]--;
	v->n_state[st]++;
	if (v->in_place)
		review_cache_view_mark(&v->view, v->cur, st);
	else
		v->q[v->cur].state = st;
	tui_changed(t, &ch);
	p->reload = true;
	return 0;
}

/* `>`: skip (a patient not yet marked becomes skipped: not reviewed) and
 * step on to the next patient of the queue, whatever its mark; after the
 * last, the summary; on the summary, back to the first skipped one (or
 * one not marked). */
static int step_on(struct pane *p)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	size_t at;
	if (v->finished) {
		if (find_state(v, 0, REVIEW_SKIPPED, &at) || find_state(v, 0, REVIEW_NONE, &at)) {
			go(v, at);
			v->finished = false;
			v->keep_item = -1;
			p->reload = true;
		} else {
			tui_message(t, false, "every patient is reviewed: < goes back, Esc closes");
		}
		return 0;
	}
	if (current(v).state == REVIEW_NONE && mark(p, REVIEW_SKIPPED) < 0)
		return -1;
	size_t next = after_current(v);
	if (next < qlen(v))
		go(v, next);
	else
		v->finished = true;
	v->keep_item = -1;
	p->reload = true;
	return 0;
}

static int card_action(struct pane *p, enum action a)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	const struct review_item *it;
	struct change ch = {0};
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
		card_move(p, a == ACT_UP ? -1 : 1);
		return 1;
	case ACT_BACK:
	case ACT_QUIT:
		leave(p);
		return 1;
	case ACT_HELP: {
		struct strlist lines = {0};
		keymap_help(&t->km, &lines);
		tui_show_text(t, "Keys (the review's are under \"review\"; f narrows it)", &lines);
		return 1;
	}
	case ACT_REVIEW_LIST:
		show_list(p);
		return 1;
	case ACT_FILTER:
		return narrow(p) < 0 ? -1 : 1;
	case ACT_PREVIOUS:
		place_current(v);
		if (v->finished && qlen(v)) {
			v->finished = false;
			go(v, qlen(v) - 1);
		} else if (v->cur > 0 && !v->finished) {
			go(v, v->cur - 1);
		} else {
			tui_message(t, false, "this is the first patient");
			return 1;
		}
		v->keep_item = -1;
		p->reload = true;
		return 1;
	case ACT_SKIP:
		return step_on(p) < 0 ? -1 : 1;
	default:
		break;
	}
	if (v->finished) {
		tui_message(t, false, "the review's summary: > revisits, < goes back, Esc closes");
		return 1;
	}
	switch (a) {
	case ACT_REVIEWED: {
		/* on to the next not marked, else the next skipped, else the end */
		size_t at;
		size_t next = after_current(v);
		if (mark(p, REVIEW_DONE) < 0)
			return -1;
		next_open(v, next);
		if (v->finished && find_state(v, next, REVIEW_SKIPPED, &at))
			go(v, at), v->finished = false;
		return 1;
	}
	case ACT_UNREVIEW:
		if (current(v).state == REVIEW_NONE) {
			tui_message(t, false, "this patient has no mark today");
			return 1;
		}
		if (mark(p, REVIEW_NONE) < 0)
			return -1;
		tui_message(t, false, "mark removed: the patient needs review again");
		return 1;
	case ACT_CONTACT:
		return contact(p) < 0 ? -1 : 1;
	case ACT_ADD:
		return add_task(p) < 0 ? -1 : 1;
	case ACT_DONE:
		return complete(p) < 0 ? -1 : 1;
	case ACT_SNOOZE:
		return snooze(p) < 0 ? -1 : 1;
	case ACT_RIDE_OK:
		if (!(it = need(p, "appointment", REASON_TRANSPORT, "a transport item")))
			return 1;
		return changed(p, care_confirm_transport(t->store, it->ref_id, t->ctx->now, &ch, &t->err),
		               "transport confirmed", &ch) < 0 ? -1 : 1;
	case ACT_ACKNOWLEDGE:
		if (!(it = need(p, "entry", REASON_UNREVIEWED, "an unreviewed item")))
			return 1;
		return changed(p, care_acknowledge(t->store, it->ref_id, t->ctx->now, &ch, &t->err),
		               "acknowledged", &ch) < 0 ? -1 : 1;
	case ACT_OPEN:
		if ((it = selected_item(p))) {
			/* the whole detail, which the card may cut */
			struct strlist lines = {0};
			char why[256], due[DATE_SHOW_STRLEN];
			char *l1 = xasprintf("%s, %s, due %s", review_reason_code(it->reason),
			                     review_severity_name(it->severity),
			                     date_show(it->due, t->ctx->today, due));
			char *l3 = xasprintf("why: %s", review_item_why(it, t->ctx->today, t->ctx->cfg, why,
			                                                sizeof why));
			strlist_add(&lines, l1);
			strlist_add(&lines, it->detail);
			strlist_add(&lines, l3);
			free(l1);
			free(l3);
			struct patient_ref who;
			struct buf title = {0};
			if (tui_patient_ref(t, it->patient_id, &who) == 0)
				tui_patient_label(&who, t->cols - 20, &title);
			tui_show_text(t, title.s ? title.s : v->name, &lines);
			buf_free(&title);
		}
		return 1;
	default:
		tui_message(t, false, "%s: not in the review (press ? for the keys)", action_name(a));
		return 1;      /* the card is modal */
	}
}

static void card_free(struct pane *p)
{
	struct review_view *v = p->data;
	lines_clear(v);
	free(v->lines);
	free(v->q);
	review_cache_view_free(&v->view);
	review_list_free(&v->items);
	team_scope_free(&v->scope);
	free(v);
}

static const struct pane_ops card_ops = {
	.hints = hints,
	.scope = SCOPE_REVIEW,
	.load = card_load,
	.draw_row = card_draw_row,
	.action = card_action,
	.free = card_free,
};

void tui_review_detach(struct tui *t)
{
	for (int i = 0; i < t->n_stack; i++) {
		struct pane *p = t->stack[i];
		struct review_view *v = p->data;
		if (p->ops != &card_ops || !v->in_place)
			continue;
		size_t n = qlen(v);
		v->q = xcalloc(n ? n : 1, sizeof *v->q);
		for (size_t k = 0; k < n; k++)
			v->q[k] = qat(v, k);
		place_current(v);
		v->nq = v->cap = n;
		review_cache_view_free(&v->view);
		v->in_place = false;
	}
}

int tui_review_open(struct tui *t)
{
	struct review_view *v = xcalloc(1, sizeof *v);
	if (team_review_scope(t->store, t->ctx->user, false, &v->scope, &t->err) < 0 ||
	    queue_load(t, v, true) < 0) {
		free(v->q);
		review_cache_view_free(&v->view);
		team_scope_free(&v->scope);
		free(v);
		return -1;
	}
	/* resume at the first patient not marked; when only skipped ones are
	 * left, the summary offers them */
	next_open(v, 0);
	struct pane *p = pane_new(t, &card_ops, v);
	p->popup = true;
	snprintf(p->title, sizeof p->title, "Daily review");
	tui_push(t, p);
	if (qlen(v) == 0)
		tui_message(t, false, "nobody needs attention today");
	return 0;
}
