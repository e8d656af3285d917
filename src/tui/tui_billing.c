/* tui_billing: the month's end over the workstation (B, or :billing):
 * this calendar month's codes per patient and program, each with its
 * units or why not; the rows of `caseload billing --month` (billing.h).
 * It loads again when minutes, contacts or the review's items change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/billing.h"
#include "pane.h"

struct billing_view {
	struct bill_month m;
	bool loaded;
	char month[8];         /* "2026-11" */
};

static int billing_load(struct pane *p, struct err *e)
{
	struct billing_view *v = p->data;
	if (v->loaded)
		bill_month_free(&v->m);
	v->loaded = false;
	p->n = 1;
	int rc = billing_month(p->t->store, v->month, p->t->ctx->zone, p->t->ctx->cfg, 0,
	                       &v->m, e);
	if (rc == 0) {
		v->loaded = true;
		p->n = v->m.result.len + 1;   /* the header first */
	}
	p->repaint = true;
	return rc;
}

static void billing_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct billing_view *v = p->data;
	struct tui *t = p->t;
	int prog = 6, code = 10, name = width / 4 > 12 ? width / 4 : 12;
	if (name + prog + code + 8 > width)
		name = width - prog - code - 8 > 0 ? width - prog - code - 8 : 1;
	int why = width - name - prog - code;
	int attr = tui_attr(t, EL_NORMAL) | (selected && i > 0 ? tui_attr(t, EL_SELECTED) : 0);
	char c[32];
	const char *cells[4];
	if (i == 0) {
		cells[0] = "Patient", cells[1] = "Prog", cells[2] = "Code", cells[3] = "Supported, or why not";
		attr = tui_attr(t, EL_HEADER);
	} else {
		const struct bill_decision *d = &v->m.result.items[i - 1];
		const struct bill_facts *f = &v->m.facts.items[d->fact];
		cells[0] = f->patient;
		cells[1] = program_title(f->program);
		cells[2] = billing_code_units(d, c, sizeof c);
		cells[3] = d->units ? "supported" : d->why;
		if (!d->units && !selected)
			attr = tui_attr(t, EL_OVERDUE);
	}
	tui_put(p->win, y, x, cells[0], name, attr);
	tui_put(p->win, y, x + name, cells[1], prog, attr);
	tui_put(p->win, y, x + name + prog, cells[2], code, attr);
	tui_put(p->win, y, x + name + prog + code, cells[3], why, attr);
}

static int billing_action(struct pane *p, enum action a)
{
	switch (a) {
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_BILLING:
		tui_pop(p->t);
		return 1;
	default:
		/* a popup is modal: moving is the framework's, the rest nothing */
		pane_move(p, a);
		return 1;
	}
}

static void billing_free(struct pane *p)
{
	struct billing_view *v = p->data;
	if (v->loaded)
		bill_month_free(&v->m);
	free(v);
}

static const enum action billing_hints[] = {ACT_DOWN, ACT_UP, ACT_BACK, ACT_NONE};

static const struct pane_ops billing_ops = {
	.hints = billing_hints,
	.load = billing_load,
	.draw_row = billing_draw_row,
	.action = billing_action,
	.free = billing_free,
	.shows = CHANGE_TIME | CHANGE_ENTRY | CHANGE_PATIENT | CHANGE_CLINICAL | CHANGE_REVIEW,
};

int tui_billing_open(struct tui *t)
{
	struct billing_view *v = xcalloc(1, sizeof *v);
	int y, m, d;
	date_to_ymd(t->ctx->today, &y, &m, &d);
	snprintf(v->month, sizeof v->month, "%04d-%02d", y, m);
	struct pane *p = pane_new(t, &billing_ops, v);
	p->popup = true;
	snprintf(p->title, sizeof p->title, "Billing, %s %d (check against the payer's rules)",
	         date_month_name(m), y);
	/* loaded now, so that the popup is sized to its rows */
	if (billing_load(p, &t->err) < 0) {
		pane_free(&p);
		return -1;
	}
	p->reload = false;
	tui_push(t, p);
	return 0;
}
