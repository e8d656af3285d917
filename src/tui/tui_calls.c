/* tui_calls: the day's call list over the workstation (O, or :calls):
 * the rows of `caseload calls` (calls_build) for the screen's moment, the
 * patient first, the kind, phone, language, best time, the calls made and
 * the reason.  `c` logs an attempt on the selected row (the contact form):
 * a no-answer leaves the list until the patient is due again, a reached
 * call for the day.  A do-not-contact row is dim, without a phone, and
 * `c` on it is refused.  It loads again when entries, appointments,
 * tasks, medications or patients change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/calls.h"
#include "pane.h"

struct calls_view {
	struct calls_list l;
};

/* The kind in a word or two. */
static const char *const short_kind[CALLS_KIND_N] = {
	[CALLS_DISCHARGE] = "discharge", [CALLS_CADENCE] = "check-in", [CALLS_NOSHOW] = "no-show",
	[CALLS_CONFIRM] = "confirm", [CALLS_REFILL] = "refill",
};

static void title(struct pane *p)
{
	struct calls_view *v = p->data;
	struct tui *t = p->t;
	char today[DATE_SHOW_STRLEN];
	int n = snprintf(p->title, sizeof p->title, "Calls, %s: %zu to call",
	                 date_show(t->ctx->today, t->ctx->today, today), v->l.len);
	if (v->l.n_later && n > 0 && (size_t)n < sizeof p->title)
		n += snprintf(p->title + n, sizeof p->title - (size_t)n, ", %zu later", v->l.n_later);
	if (v->l.n_reached && n > 0 && (size_t)n < sizeof p->title)
		snprintf(p->title + n, sizeof p->title - (size_t)n, ", %zu reached", v->l.n_reached);
}

static int calls_load(struct pane *p, struct err *e)
{
	struct calls_view *v = p->data;
	struct tui *t = p->t;
	long long keep = p->sel > 0 && p->sel <= v->l.len ? v->l.items[p->sel - 1].patient_id : 0;
	calls_list_free(&v->l);
	struct calls_when w = {.day = t->ctx->today, .now = t->ctx->now};
	int rc = calls_build(t->store, &w, t->ctx->cfg, NULL, &v->l, e);
	if (rc == 0)
		rc = audit_read(t->store, "list", "screen calls", 0, (long long)v->l.len, e);
	p->n = v->l.len + 1;   /* the header first */
	if (p->sel >= p->n)
		p->sel = p->n - 1;
	for (size_t i = 0; keep && i < v->l.len; i++)
		if (v->l.items[i].patient_id == keep)
			p->sel = i + 1;
	if (p->sel == 0 && p->n > 1)
		p->sel = 1;
	title(p);
	p->repaint = true;
	return rc;
}

/* Column widths for the width: patient, kind, phone, language, best
 * time, tried; the reason takes the rest (none on a narrow screen). */
struct cols {
	int name, kind, phone, lang, best, tried, reason;
};

static struct cols fit(int width)
{
	struct cols c = {20, 10, 15, 21, 10, 20, 0};
	if (width < 110)
		c.tried = 0;
	if (width < 90)
		c.lang = 10, c.best = 0;
	if (width < 70)
		c.phone = 15, c.lang = 0;
	int used = c.kind + c.phone + c.lang + c.best + c.tried;
	if (width - used < c.name)
		c.name = width - used > 8 ? width - used : 8;
	c.reason = width - used - c.name;
	if (c.reason < 0)
		c.reason = 0;
	return c;
}

static void calls_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct calls_view *v = p->data;
	struct tui *t = p->t;
	struct cols c = fit(width);
	int attr = (selected && i > 0 ? tui_attr(t, EL_SELECTED) : 0) | tui_attr(t, EL_NORMAL);
	struct buf lang = {0}, best = {0}, tried = {0};
	const char *cells[7];
	if (i == 0) {
		attr = tui_attr(t, EL_HEADER);
		const char *heads[7] = {"Patient", "Kind", "Phone", "Language", "Best time", "Tried",
		                        "Reason"};
		memcpy(cells, heads, sizeof cells);
	} else {
		const struct calls_row *r = &v->l.items[i - 1];
		if (r->do_not_contact)
			attr |= (int)A_DIM;
		else if (r->kind == CALLS_DISCHARGE)
			attr |= tui_attr(t, EL_HIGH);
		buf_add(&lang, r->language ? r->language : "");
		if (r->interpreter)
			buf_add(&lang, r->language ? ", interpreter" : "interpreter");
		buf_add(&best, r->best_time ? r->best_time : "");
		if (r->best_now)
			buf_add(&best, " now");
		calls_attempts_text(r, t->ctx->cfg, &tried);
		cells[0] = r->patient;
		cells[1] = short_kind[r->kind];
		cells[2] = r->do_not_contact ? "do not contact" : r->phone ? r->phone : "";
		cells[3] = lang.s ? lang.s : "";
		cells[4] = best.s ? best.s : "";
		cells[5] = tried.s ? tried.s : "";
		cells[6] = r->reason;
	}
	const int w[7] = {c.name, c.kind, c.phone, c.lang, c.best, c.tried, c.reason};
	for (int k = 0, at = x; k < 7; at += w[k], k++)
		if (w[k] > 0)
			tui_put(p->win, y, at, cells[k], w[k] - (k < 6 ? 1 : 0), attr);
	buf_free(&lang);
	buf_free(&best);
	buf_free(&tried);
}

static int calls_patient(struct pane *p, struct patient_ref *out)
{
	struct calls_view *v = p->data;
	if (p->sel == 0 || p->sel > v->l.len)
		return 0;
	return tui_patient_ref(p->t, v->l.items[p->sel - 1].patient_id, out) == 0;
}

/* c on a row: the contact form for its patient; then the list again. */
static int log_attempt(struct pane *p)
{
	struct calls_view *v = p->data;
	struct tui *t = p->t;
	struct patient_ref who;
	if (p->sel == 0 || p->sel > v->l.len) {
		tui_message(t, true, "no patient here: select a row of the list first");
		return 1;
	}
	if (v->l.items[p->sel - 1].do_not_contact) {
		tui_message(t, true, "%.100s asked not to be contacted: not called from the list",
		            v->l.items[p->sel - 1].patient);
		return 1;
	}
	if (!calls_patient(p, &who))
		return -1;
	int rc = tui_log_contact(t, &who);
	p->reload = true;
	return rc < 0 ? -1 : 1;
}

static int calls_action(struct pane *p, enum action a)
{
	switch (a) {
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_CALLS:
		tui_pop(p->t);
		return 1;
	case ACT_CONTACT:
		return log_attempt(p);
	default:
		/* a popup is modal: moving is the framework's, the rest nothing */
		pane_move(p, a);
		if (p->sel == 0 && p->n > 1)
			p->sel = 1;   /* the header is not a row to select */
		return 1;
	}
}

static void calls_free(struct pane *p)
{
	struct calls_view *v = p->data;
	calls_list_free(&v->l);
	free(v);
}

static const enum action calls_hints[] = {ACT_CONTACT, ACT_DOWN, ACT_UP, ACT_BACK, ACT_NONE};

static const struct pane_ops calls_ops = {
	.hints = calls_hints,
	.load = calls_load,
	.draw_row = calls_draw_row,
	.action = calls_action,
	.patient = calls_patient,
	.free = calls_free,
	.shows = CHANGE_ENTRY | CHANGE_APPT | CHANGE_TASK | CHANGE_CLINICAL | CHANGE_PATIENT,
};

int tui_calls_open(struct tui *t)
{
	struct calls_view *v = xcalloc(1, sizeof *v);
	struct pane *p = pane_new(t, &calls_ops, v);
	p->popup = p->fullscreen = true;
	if (calls_load(p, &t->err) < 0) {
		pane_free(&p);
		return -1;
	}
	p->reload = false;
	tui_push(t, p);
	return 0;
}
