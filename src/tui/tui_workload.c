/* tui_workload: the team's workload over the workstation (W, or
 * :workload): per person their active patients, open tasks and of those
 * the overdue and due-today ones, whether they are out today, and the open
 * tasks no one owns; the rows of `caseload team workload` (team_workload).
 * It loads again when tasks or patients change, here or (on a server) on
 * anyone's screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/model.h"
#include "caseload/store_team.h"
#include "caseload/team.h"
#include "pane.h"

struct workload_view {
	struct workload_list l;
};

static int workload_load(struct pane *p, struct err *e)
{
	struct workload_view *v = p->data;
	workload_list_free(&v->l);
	int rc = team_workload(p->t->store, p->t->ctx->today, &v->l, e);
	p->n = v->l.len + 1;   /* the header first */
	p->repaint = true;
	return rc;
}

/* The columns after the name, fitted to the width: the role goes first,
 * then the numbers narrow (with short heads). */
struct cols {
	int name, role, out, num;
};

static struct cols fit(int width)
{
	struct cols c = {0, 14, 16, 10};
	if (width - c.role - c.out - 4 * c.num < 16)
		c.role = 0;
	if (width - c.role - c.out - 4 * c.num < 12)
		c.out = 12, c.num = 7;
	if (width - c.out - 4 * c.num < 8)   /* a tiny terminal: counts and names */
		c.out = 0;
	if (width - 4 * c.num < 4)
		c.num = width / 5 > 0 ? width / 5 : 1;
	c.name = width - c.role - c.out - 4 * c.num;
	return c;
}

/* "out to 12-11" today, "out 12-14..12-18" later, else "". */
static const char *away_text(const struct member *m, const char *today, char out[32])
{
	*out = '\0';
	if (!m->login || !m->out_from || !m->out_to || strcmp(m->out_to, today) < 0)
		return out;
	if (member_out_on(m, today))
		snprintf(out, 32, "out to %.5s", m->out_to + 5);
	else
		snprintf(out, 32, "out %.5s..%.5s", m->out_from + 5, m->out_to + 5);
	return out;
}

static void workload_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	static const char *const heads[2][4] = {{"Patients", "Open", "Overdue", "Due today"},
	                                        {"Pts", "Open", "Late", "Today"}};
	struct workload_view *v = p->data;
	struct tui *t = p->t;
	struct cols c = fit(width);
	int base = selected && i > 0 ? tui_attr(t, EL_SELECTED) : 0;
	char n[4][24], who[200], away[32];
	const char *name, *role, *out;
	int attr = base | tui_attr(t, EL_NORMAL), warn = attr;
	if (i == 0) {
		name = "Who", role = "Role", out = "Out";
		attr = warn = tui_attr(t, EL_HEADER);
		for (int k = 0; k < 4; k++)
			snprintf(n[k], sizeof n[k], "%*s", c.num, heads[c.num < 10][k]);
	} else {
		const struct workload *w = &v->l.items[i - 1];
		bool none = !w->m.login;
		if (none)
			snprintf(who, sizeof who, "(no one)");
		else
			snprintf(who, sizeof who, "%s (%s)", w->m.name ? w->m.name : "", w->m.login);
		name = who;
		role = none ? "" : w->m.role;
		out = away_text(&w->m, t->today_s, away);
		const long long cnt[4] = {w->patients, w->open, w->overdue, w->due_today};
		for (int k = 0; k < 4; k++)
			snprintf(n[k], sizeof n[k], "%*lld", c.num, cnt[k]);
		if (w->overdue > 0)
			warn = base | tui_attr(t, EL_OVERDUE);
	}
	tui_put(p->win, y, x, name, c.name, attr);
	tui_put(p->win, y, x + c.name, role, c.role, attr);
	tui_put(p->win, y, x + c.name + c.role, out, c.out, attr);
	for (int k = 0; k < 4; k++)
		tui_put(p->win, y, x + c.name + c.role + c.out + k * c.num, n[k], c.num,
		        k == 2 ? warn : attr);
}

static int workload_action(struct pane *p, enum action a)
{
	switch (a) {
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_WORKLOAD:
		tui_pop(p->t);
		return 1;
	default:
		/* a popup is modal: moving is the framework's, the rest nothing */
		pane_move(p, a);
		return 1;
	}
}

static void workload_free(struct pane *p)
{
	struct workload_view *v = p->data;
	workload_list_free(&v->l);
	free(v);
}

static const enum action workload_hints[] = {ACT_DOWN, ACT_UP, ACT_BACK, ACT_NONE};

static const struct pane_ops workload_ops = {
	.hints = workload_hints,
	.load = workload_load,
	.draw_row = workload_draw_row,
	.action = workload_action,
	.free = workload_free,
	.shows = CHANGE_TASK | CHANGE_PATIENT,
};

int tui_workload_open(struct tui *t)
{
	struct workload_view *v = xcalloc(1, sizeof *v);
	struct pane *p = pane_new(t, &workload_ops, v);
	p->popup = true;
	char today[DATE_SHOW_STRLEN];
	snprintf(p->title, sizeof p->title, "Workload, %s", date_show(t->ctx->today, t->ctx->today, today));
	/* loaded now, so that the popup is sized to its rows */
	if (workload_load(p, &t->err) < 0) {
		pane_free(&p);
		return -1;
	}
	p->reload = false;
	tui_push(t, p);
	return 0;
}
