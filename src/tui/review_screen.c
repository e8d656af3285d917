/* review_screen: the daily review mode (`R`).  One patient at a time: a
 * card with the patient, what needs attention and why (review_build for
 * that patient), and what is coming up; one key per action, each through
 * the review service or the store (with its audit row); the card is
 * rebuilt after every action, so an item goes as soon as its cause does.
 *
 * The queue is the patients with items today, most pressing first, and
 * the patients already marked today.  Marks (review_mark) make a second
 * visit the same day resume at the first patient not yet reviewed or
 * skipped; when none is left, a summary. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/recur.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_review.h"
#include "caseload/tz.h"
#include "pane.h"

#define UPCOMING_DAYS 14
#define UPCOMING_MAX 6

struct line {
	char *text;
	int item;                  /* index into items, -1 for text */
	enum tui_elem el;
};

struct queued {
	long long id;
	size_t n_items;            /* when the review opened */
	enum review_severity worst;
	enum review_state state;
};

struct review_view {
	struct queued *q;
	size_t nq, cap, cur;
	bool finished;
	struct review_list items;  /* the current patient's */
	char name[128];
	struct line *lines;
	size_t n_lines, cap_lines;
};

static const char hints[] =
	"c contact  x done  s snooze  r ride confirmed  A acknowledge  a task  v reviewed+next  "
	"> skip  < back  l list  Esc leave";

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

static struct queued *queue_find(struct review_view *v, long long id)
{
	for (size_t i = 0; i < v->nq; i++)
		if (v->q[i].id == id)
			return &v->q[i];
	return NULL;
}

static struct queued *queue_add(struct review_view *v, long long id)
{
	void *p = v->q;
	xgrow(&p, &v->cap, v->nq + 1, sizeof *v->q);
	v->q = p;
	v->q[v->nq] = (struct queued){.id = id};
	return &v->q[v->nq++];
}

static size_t count_state(const struct review_view *v, enum review_state st)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nq; i++)
		n += v->q[i].state == st;
	return n;
}

/* The first patient at or after `from` (wrapping) with no mark. */
static bool next_open(struct review_view *v, size_t from)
{
	for (size_t k = 0; k < v->nq; k++) {
		size_t i = (from + k) % v->nq;
		if (v->q[i].state == REVIEW_NONE) {
			v->cur = i;
			v->finished = false;
			return true;
		}
	}
	v->finished = true;
	return false;
}

static int build_queue(struct tui *t, struct review_view *v)
{
	struct review_list all = {0};
	struct review_rows marks = {0};
	int rc = review_build(t->store, t->ctx->today, t->ctx->cfg, &all, &t->err);
	if (rc == 0)
		rc = store_review_mark_list(t->store, t->today_s, &marks, &t->err);
	if (rc == 0) {
		/* those already marked today first, in the order they were;
		 * then the rest, most pressing first */
		for (size_t i = 0; i < marks.len; i++)
			queue_add(v, marks.items[i].patient_id)->state =
				!strcmp(marks.items[i].text, "skipped") ? REVIEW_SKIPPED : REVIEW_DONE;
		review_group(&all);
		for (size_t i = 0; i < all.len; i++) {
			const struct review_item *it = &all.items[i];
			struct queued *q = queue_find(v, it->patient_id);
			if (!q)
				q = queue_add(v, it->patient_id);
			if (q->n_items++ == 0 || it->severity > q->worst)
				q->worst = it->severity;
		}
	}
	review_list_free(&all);
	review_rows_free(&marks);
	return rc;
}

static void upcoming(struct tui *t, struct review_view *v, long long pid)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	struct occurrence_list occ = {0};
	struct task_list tasks = {0};
	struct task_query tq = {.patient_id = pid, .limit = UPCOMING_MAX};
	struct err e = {0};
	add_line(v, -1, EL_HEADER, "Coming up");
	size_t shown = 0;
	if (recur_range(t->store, pid, t->ctx->now, t->ctx->now + UPCOMING_DAYS * 86400LL, &occ, &e) == 0)
		for (size_t i = 0; i < occ.len && shown < UPCOMING_MAX; i++) {
			const struct appointment *a = occ.items[i].appt;
			int day, min;
			char d[DATE_STRLEN], hm[24] = "";
			if (!strcmp(a->status, "cancelled") || !strcmp(a->status, "entered-in-error"))
				continue;
			tui_local(t, occ.items[i].start, &day, &min);
			if (a->all_day)
				day = (int)(occ.items[i].start / 86400);
			else
				snprintf(hm, sizeof hm, "%02d:%02d", min / 60, min % 60);
			add_line(v, -1, EL_NORMAL, "  %s %s %-5s  %s%s%s", wd[date_weekday(day)],
			         date_format(day, d), hm, a->title,
			         strcmp(a->transport, "none") ? ", transport " : "",
			         strcmp(a->transport, "none") ? a->transport : "");
			shown++;
		}
	if (store_task_list(t->store, &tq, &tasks, &e) == 0)
		for (size_t i = 0; i < tasks.len; i++, shown++)
			add_line(v, -1, EL_NORMAL, "  task %-10s  %s%s%s", tasks.items[i].due ? tasks.items[i].due : "",
			         tasks.items[i].title,
			         tasks.items[i].snoozed_until ? ", snoozed until " : "",
			         tasks.items[i].snoozed_until ? tasks.items[i].snoozed_until : "");
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
	struct review_list all = {0};
	struct err e = {0};
	size_t patients = 0;
	if (tz_local_to_utc(t->ctx->zone, t->ctx->today, 0, &from, &e) < 0 ||
	    tz_local_to_utc(t->ctx->zone, t->ctx->today + 1, 0, &to, &e) < 0 ||
	    store_review_day_counts(t->store, from, to, &contacts, &closed, &e) < 0 ||
	    review_build(t->store, t->ctx->today, t->ctx->cfg, &all, &e) < 0)
		tui_error(t, &e);
	review_group(&all);
	for (size_t i = 0; i < all.len; i++)
		patients += i == 0 || all.items[i].patient_id != all.items[i - 1].patient_id;
	snprintf(v->name, sizeof v->name, "summary");
	add_line(v, -1, EL_HEADER, "The review of %s is done", t->today_s);
	add_line(v, -1, EL_NORMAL, "%s", "");
	add_line(v, -1, EL_NORMAL, "  Reviewed      %zu of %zu patients%s", count_state(v, REVIEW_DONE),
	         v->nq, count_state(v, REVIEW_SKIPPED) ? " (some skipped)" : "");
	add_line(v, -1, EL_NORMAL, "  Skipped       %zu", count_state(v, REVIEW_SKIPPED));
	add_line(v, -1, EL_NORMAL, "  Contacts made %lld today", contacts);
	add_line(v, -1, EL_NORMAL, "  Tasks closed  %lld today", closed);
	add_line(v, -1, EL_NORMAL, "  Still open    %zu item%s for %zu patient%s", all.len,
	         all.len == 1 ? "" : "s", patients, patients == 1 ? "" : "s");
	add_line(v, -1, EL_NORMAL, "%s", "");
	add_line(v, -1, EL_NORMAL, "%s", "< back to the last patient, l the list, Esc close");
	review_list_free(&all);
}

static enum tui_elem severity_elem(enum review_severity s)
{
	return s == SEV_URGENT ? EL_OVERDUE : s == SEV_HIGH ? EL_HIGH : s == SEV_MEDIUM ? EL_TODAY
	                                                                               : EL_NORMAL;
}

static int card_load(struct pane *p, struct err *e)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	lines_clear(v);
	review_list_free(&v->items);
	if (v->finished || v->nq == 0) {
		v->finished = true;
		summary(t, v);
		snprintf(p->title, sizeof p->title, "Daily review — done");
	} else {
		struct queued *q = &v->q[v->cur];
		struct patient pat = {0};
		if (store_patient_get(t->store, q->id, &pat, e) < 0 ||
		    review_build_patient(t->store, q->id, t->ctx->today, t->ctx->cfg, &v->items, e) < 0) {
			patient_clear(&pat);
			return e->code;
		}
		char *name = patient_display_name(pat.family, pat.given);
		snprintf(v->name, sizeof v->name, "%s", name);
		free(name);
		snprintf(p->title, sizeof p->title, "Daily review — %s", v->name);
		add_line(v, -1, EL_HEADER, "%s  ·  %s risk  ·  %s  ·  %s", v->name, pat.risk,
		         pat.phone ? pat.phone : "no phone", pat.language ? pat.language : "language not recorded");
		add_line(v, -1, EL_NORMAL, "Patient %zu of %zu  ·  Reviewed %zu of %zu%s", v->cur + 1, v->nq,
		         count_state(v, REVIEW_DONE), v->nq,
		         q->state == REVIEW_DONE ? "  ·  this one is reviewed"
		         : q->state == REVIEW_SKIPPED ? "  ·  this one was skipped" : "");
		add_line(v, -1, EL_NORMAL, "%s", "");
		if (v->items.len == 0)
			add_line(v, -1, EL_NORMAL, "%s", "Nothing needs attention now: v marks the patient reviewed.");
		for (size_t i = 0; i < v->items.len; i++) {
			const struct review_item *it = &v->items.items[i];
			char due[DATE_STRLEN];
			add_line(v, (int)i, severity_elem(it->severity), "%-6s  %-12s  %s  %s",
			         review_severity_name(it->severity), review_reason_code(it->reason),
			         date_format(it->due, due), it->detail);
			add_line(v, -1, EL_NORMAL, "        why: %s", review_reason_help(it->reason));
		}
		add_line(v, -1, EL_NORMAL, "%s", "");
		upcoming(t, v, q->id);
		patient_clear(&pat);
	}
	/* a steady height, so that the card does not jump as items go */
	size_t h = t->rows > 8 ? (size_t)t->rows - 6 : 2;
	p->n = v->n_lines > h ? v->n_lines : h;
	size_t sel = p->n;
	for (size_t i = 0; i < v->n_lines && sel == p->n; i++)
		if (v->lines[i].item >= 0)
			sel = i;
	p->top = 0;
	pane_select(p, sel < p->n ? sel : 0);
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

static int changed(struct pane *p, int rc, const char *what)
{
	if (rc == 0) {
		tui_message(p->t, false, "%s", what);
		tui_changed(p->t);
		p->reload = true;
	}
	return rc;
}

static const struct review_item *need(struct pane *p, const char *table,
                                      enum review_reason reason, const char *what)
{
	const struct review_item *it = selected_item(p);
	if (!it || strcmp(it->ref_table, table) || (reason < REASON_N && it->reason != reason)) {
		tui_message(p->t, true, "select %s first (j/k)", what);
		return NULL;
	}
	return it;
}

static int snooze(struct pane *p)
{
	struct tui *t = p->t;
	const struct review_item *it = need(p, "task", REASON_N, "a task");
	char *until = NULL;
	int d, rc;
	if (!it || !tui_prompt(t, "snooze until (+1d, +1w, fri, YYYY-MM-DD): ", "+1d", NULL, NULL, &until))
		return 0;
	long long id = it->ref_id;
	rc = date_parse(until, t->ctx->today, t->ctx->cfg ? &t->ctx->cfg->holidays : NULL, &d, &t->err);
	free(until);
	if (rc == 0)
		rc = care_task_snooze(t->store, id, t->ctx->today, d, NULL, &t->err);
	return changed(p, rc, "task snoozed");
}

/* Leave the card where it is: marks keep the place for next time. */
static void leave(struct pane *p)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	size_t done = count_state(v, REVIEW_DONE), n = v->nq;
	tui_pop(t);
	tui_message(t, false, "review %s: reviewed %zu of %zu (R resumes)",
	            done == n ? "done" : "paused", done, n);
	tui_changed(t);
}

static void show_list(struct pane *p)
{
	struct review_view *v = p->data;
	struct strlist lines = {0};
	for (size_t i = 0; i < v->nq; i++) {
		const struct queued *q = &v->q[i];
		bool active;
		char *name = NULL, line[256];
		struct err e = {0};
		if (store_review_patient(p->t->store, q->id, &active, &name, &e) < 0)
			continue;
		snprintf(line, sizeof line, "%s %3zu  %-30s %2zu item%s%s%s", i == v->cur && !v->finished ? ">" : " ",
		         i + 1, name, q->n_items, q->n_items == 1 ? " " : "s",
		         q->n_items ? review_severity_name(q->worst) : "", q->state == REVIEW_DONE ? "  reviewed"
		         : q->state == REVIEW_SKIPPED ? "  skipped" : "");
		strlist_add(&lines, line);
		free(name);
	}
	if (!lines.len)
		strlist_add(&lines, "Nobody needs attention today.");
	tui_show_text(p->t, "The day's review (items as it opened)", &lines);
}

/* Mark the patient (skipping one already marked keeps its mark) and go
 * to the next one not marked. */
static int mark(struct pane *p, enum review_state st)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	if (v->finished)
		return 0;
	struct queued *q = &v->q[v->cur];
	if (!(st == REVIEW_SKIPPED && q->state != REVIEW_NONE)) {
		if (review_mark(t->store, t->ctx->today, q->id, st, NULL, &t->err) < 0)
			return -1;
		q->state = st;
	}
	next_open(v, v->cur + 1);
	tui_changed(t);
	p->reload = true;
	return 0;
}

static int card_action(struct pane *p, enum action a)
{
	struct tui *t = p->t;
	struct review_view *v = p->data;
	const struct review_item *it;
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
		tui_show_text(t, "Keys (the review's are under \"review\")", &lines);
		return 1;
	}
	case ACT_REVIEW_LIST:
		show_list(p);
		return 1;
	case ACT_PREVIOUS:
		if (v->finished && v->nq) {
			v->finished = false;
		} else if (v->cur > 0) {
			v->cur--;
		} else {
			tui_message(t, false, "this is the first patient");
			return 1;
		}
		p->reload = true;
		return 1;
	case ACT_REVIEWED:
		return mark(p, REVIEW_DONE) < 0 ? -1 : 1;
	case ACT_SKIP:
		return mark(p, REVIEW_SKIPPED) < 0 ? -1 : 1;
	default:
		break;
	}
	if (v->finished) {
		tui_message(t, false, "the review is done: Esc closes it, < goes back");
		return 1;
	}
	switch (a) {
	case ACT_CONTACT:
		/* the workstation's forms, for this patient */
		tui_select_patient(t, v->q[v->cur].id, v->name);
		p->reload = true;
		return tui_log_contact(t) < 0 ? -1 : 1;
	case ACT_ADD:
		tui_select_patient(t, v->q[v->cur].id, v->name);
		p->reload = true;
		return tui_add_task(t) < 0 ? -1 : 1;
	case ACT_DONE:
		if (!(it = need(p, "task", REASON_N, "a task")))
			return 1;
		return changed(p, care_task_done(t->store, it->ref_id, t->ctx->now, NULL, &t->err), "task done") < 0 ? -1 : 1;
	case ACT_SNOOZE:
		return snooze(p) < 0 ? -1 : 1;
	case ACT_RIDE_OK:
		if (!(it = need(p, "appointment", REASON_TRANSPORT, "a transport item")))
			return 1;
		return changed(p, care_confirm_transport(t->store, it->ref_id, t->ctx->now, NULL, &t->err),
		               "transport confirmed") < 0 ? -1 : 1;
	case ACT_ACKNOWLEDGE:
		if (!(it = need(p, "entry", REASON_UNREVIEWED, "an unreviewed item")))
			return 1;
		return changed(p, care_acknowledge(t->store, it->ref_id, t->ctx->now, NULL, &t->err),
		               "acknowledged") < 0 ? -1 : 1;
	case ACT_OPEN:
		if ((it = selected_item(p)))
			tui_message(t, false, "%s: %s", review_reason_code(it->reason), review_reason_help(it->reason));
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
	review_list_free(&v->items);
	free(v);
}

static const struct pane_ops card_ops = {
	.hints = hints,
	.load = card_load,
	.draw_row = card_draw_row,
	.action = card_action,
	.free = card_free,
};

int tui_review_open(struct tui *t)
{
	struct review_view *v = xcalloc(1, sizeof *v);
	if (build_queue(t, v) < 0) {
		free(v->q);
		free(v);
		return -1;
	}
	next_open(v, 0);
	struct pane *p = pane_new(t, &card_ops, v);
	p->popup = true;
	snprintf(p->title, sizeof p->title, "Daily review");
	tui_push(t, p);
	if (v->nq == 0)
		tui_message(t, false, "nobody needs attention today");
	return 0;
}
