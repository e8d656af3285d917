/* pane_tasks: the queue of open tasks, overdue first, then today, then
 * upcoming, undated last; for all patients or (`p`) the selected one; in
 * the team's views (`w`): mine, unassigned (with the tasks of people out
 * today, covered), team, on hold, done today.  `x` completes, `s`
 * snoozes, `e` edits, `+` adds, `t` takes, Space marks, `a` assigns the
 * marked tasks (or the selected one) to a person picked from the team. */
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/store_team.h"
#include "caseload/team.h"
#include "caseload/tz.h"
#include "pane.h"

struct tasks {
	struct task_row_list rows;
	bool only_patient;
	enum task_view view;
	struct member_list team;   /* read with each load: who is out, the picker */
	long long *marks;          /* marked task ids */
	size_t n_marks, cap_marks;
};

static const char *const view_names[TASKS_VIEW_N] = {
	[TASKS_MINE] = "Mine", [TASKS_UNASSIGNED] = "Unassigned", [TASKS_TEAM] = "Team",
	[TASKS_ON_HOLD] = "On hold", [TASKS_DONE_TODAY] = "Done today",
};

static struct tasks *Q(struct pane *p)
{
	return p->data;
}

static long long who(struct pane *p)
{
	return Q(p)->only_patient ? (p->t->patient.id ? p->t->patient.id : -1) : 0;
}

bool tasks_pane_one_patient(struct pane *p)
{
	return Q(p)->only_patient;
}

static void row_ref(const struct task_row *r, struct patient_ref *out)
{
	patient_ref_set(out, r->patient_id, r->patient_name, r->patient_dob, r->patient_mrn);
}

/* The selected task's patient; with no task, the patient whose queue
 * this is. */
static int tasks_patient(struct pane *p, struct patient_ref *out)
{
	if (p->n) {
		row_ref(&Q(p)->rows.items[p->sel], out);
		return 1;
	}
	if (Q(p)->only_patient && p->t->patient.id) {
		*out = p->t->patient;
		return 1;
	}
	return 0;
}

/* With every patient's tasks and the focus, the timeline follows the
 * selected task's patient: what the coordinator sees is what they act on. */
static void tasks_selected(struct pane *p)
{
	struct tui *t = p->t;
	struct patient_ref r;
	if (Q(p)->only_patient || t->panes[t->focus] != p || !p->n)
		return;
	row_ref(&Q(p)->rows.items[p->sel], &r);
	tui_select_patient(t, &r);
}

/* The query of the pane's view. */
static void view_query(struct pane *p, struct task_view_query *v)
{
	struct tui *t = p->t;
	*v = (struct task_view_query){.patient_id = who(p), .view = Q(p)->view,
	                              .login = t->ctx->user, .today = t->today_s};
	if (v->view == TASKS_DONE_TODAY) {
		v->done_from = tz_local_midnight(t->ctx->zone, t->ctx->today);
		v->done_to = tz_local_midnight(t->ctx->zone, t->ctx->today + 1);
	}
}

static bool marked(const struct tasks *q, long long id, size_t *at)
{
	for (size_t i = 0; i < q->n_marks; i++)
		if (q->marks[i] == id) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

static int tasks_load(struct pane *p, struct err *e)
{
	struct tasks *q = Q(p);
	struct tui *t = p->t;
	const char *view = view_names[q->view];
	if (q->only_patient) {
		struct buf b = {0};
		tui_patient_label(&t->patient, p->r.w - 14 - (int)strlen(view), &b);
		snprintf(p->title, sizeof p->title, "Tasks: %s · %s", b.s ? b.s : "", view);
		buf_free(&b);
	} else
		snprintf(p->title, sizeof p->title, "Tasks: %s (all patients)", view);
	if (q->n_marks) {
		size_t len = strlen(p->title);
		snprintf(p->title + len, sizeof p->title - len, " · %zu marked", q->n_marks);
	}
	member_list_free(&q->team);
	if (store_member_list(t->store, &q->team, e) < 0)
		return e->code;
	struct task_view_query v;
	view_query(p, &v);
	struct task_row_list old = q->rows;
	long long sel_id = p->n ? old.items[p->sel].id : 0;
	size_t sel_at = 0;
	q->rows = (struct task_row_list){0};
	int rc = 0, h = pane_height(p) > 10 ? pane_height(p) : 10;
	bool more = false;
	p->more_before = false;
	if (p->n) {
		rc = store_view_tasks_in(t->store, &v, &old.items[p->sel], true, h, &q->rows,
		                         &p->more_before, e);
		sel_at = q->rows.len;
	}
	if (rc == 0)
		rc = store_view_tasks_in(t->store, &v, q->rows.len ? &q->rows.items[q->rows.len - 1] : NULL,
		                         false, 2 * h, &q->rows, &more, e);
	task_row_list_free(&old);
	p->more_after = more;
	p->n = q->rows.len;
	p->sel = sel_at;
	for (size_t i = 0; i < p->n; i++)
		if (q->rows.items[i].id == sel_id)
			p->sel = i;
	pane_select(p, p->sel);
	tasks_selected(p);
	return rc;
}

static int tasks_page(struct pane *p, bool backward, bool jump, struct err *e)
{
	struct tasks *q = Q(p);
	struct task_row_list got = {0};
	const struct task_row *anchor = NULL;
	if (!jump && p->n)
		anchor = backward ? &q->rows.items[0] : &q->rows.items[p->n - 1];
	bool more = false;
	int h = pane_height(p) > 10 ? pane_height(p) : 10;
	struct task_view_query v;
	view_query(p, &v);
	int rc = store_view_tasks_in(p->t->store, &v, anchor, backward, 2 * h, &got, &more, e);
	if (rc < 0) {
		task_row_list_free(&got);
		return rc;
	}
	if (jump)
		task_row_list_free(&q->rows);
	return pane_take_page(p, ROWS_REF(&q->rows), ROWS_REF(&got), backward, jump, more);
}

/* The columns at a width: when*  title ...  name  ident  priority kind.
 * With every patient's tasks the patient shows with a second identifier
 * (the title and the name give way, the identifier never).  The header
 * and the rows take them from here. */
enum { WHEN_W = 11, IDENT_W = 11, MIN_TITLE = 10 };
struct columns {
	int title_w, name_w, tail;
	bool all;
};

static struct columns columns(struct pane *p, int width)
{
	struct columns c = {.all = !Q(p)->only_patient, .tail = 16};
	c.name_w = c.all ? width / 4 : 0;
	if (c.name_w > 24)
		c.name_w = 24;
	if (c.name_w < 12 && c.all)
		c.name_w = 12;
	c.title_w = width - WHEN_W - (c.all ? c.name_w + IDENT_W : 0) - c.tail;
	if (c.title_w < MIN_TITLE) {
		c.tail = 0;
		c.title_w = width - WHEN_W - (c.all ? c.name_w + IDENT_W : 0);
	}
	if (c.title_w < MIN_TITLE && c.all) {
		c.name_w = width - WHEN_W - IDENT_W - MIN_TITLE;
		if (c.name_w < 6)
			c.name_w = 6;
		c.title_w = width - WHEN_W - c.name_w - IDENT_W;
	}
	if (c.title_w < 1)
		c.title_w = 1;
	return c;
}

/* One row's cells (or the header's). */
struct cells {
	const char *when, *mark, *title, *name, *ident, *tail;
	int attr, when_attr, tail_attr;
};

static void put_cells(struct pane *p, int y, int x, int width, const struct columns *c,
                      const struct cells *v)
{
	char cell[160];
	tui_put(p->win, y, x, v->when, WHEN_W - 1, v->attr | v->when_attr);
	tui_put(p->win, y, x + WHEN_W - 1, v->mark, 1, v->attr);
	int cx = x + WHEN_W;
	tui_put(p->win, y, cx, v->title, c->title_w, v->attr);
	cx += c->title_w;
	if (c->all) {
		snprintf(cell, sizeof cell, " %s", v->name);
		tui_put(p->win, y, cx, cell, c->name_w, v->attr);
		snprintf(cell, sizeof cell, " %s", v->ident);
		tui_put(p->win, y, cx + c->name_w, cell, IDENT_W, v->attr);
		cx += c->name_w + IDENT_W;
	}
	if (cx < x + width)
		tui_put(p->win, y, cx, c->tail ? v->tail : "", x + width - cx, v->attr | v->tail_attr);
}

static void tasks_header(struct pane *p, int y, int x, int width)
{
	struct columns c = columns(p, width);
	const struct cells v = {"When", " ", "Task", "Patient", "Born/MRN", " Priority, kind",
	                        tui_attr(p->t, EL_HEADER) | (int)A_BOLD, 0, 0};
	put_cells(p, y, x, width, &c, &v);
}

/* When a task is due, as the queue says it: "3d over" (its due date, or
 * the end of a snooze that is over, passed), "today", the date, "someday";
 * a task snoozed past today says "snoozed", and *until when. */
static int when(const struct tui *t, const struct task_row *r, char out[DATE_SHOW_STRLEN],
                const char **until)
{
	const char *due = r->due;
	*until = NULL;
	if (r->snoozed_until && strcmp(r->snoozed_until, t->today_s) > 0) {
		snprintf(out, DATE_SHOW_STRLEN, "snoozed");
		*until = r->snoozed_until;
		return EL_BORDER;
	}
	if (r->snoozed_until && r->due && strcmp(r->snoozed_until, r->due) > 0)
		due = r->snoozed_until;
	int day;
	if (!due || date_parse_iso(due, &day) < 0) {
		snprintf(out, DATE_SHOW_STRLEN, "someday");
		return EL_NORMAL;
	}
	if (day < t->ctx->today) {
		snprintf(out, DATE_SHOW_STRLEN, "%dd over", t->ctx->today - day);
		return EL_OVERDUE;
	}
	if (day == t->ctx->today) {
		snprintf(out, DATE_SHOW_STRLEN, "today");
		return EL_TODAY;
	}
	date_show(day, t->ctx->today, out);
	return EL_NORMAL;
}

static void tasks_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct tui *t = p->t;
	struct task_row *r = &Q(p)->rows.items[i];
	char shown[DATE_SHOW_STRLEN], title[600];
	const char *until;
	int elem = when(t, r, shown, &until);
	/* a snoozed task says until when before its title */
	if (until) {
		int day;
		char d[DATE_SHOW_STRLEN];
		snprintf(title, sizeof title, "until %s · %s",
		         date_parse_iso(until, &day) == 0 ? date_show(day, t->ctx->today, d) : until,
		         r->title);
	} else
		snprintf(title, sizeof title, "%s", r->title);
	/* the tail: the priority (unless routine) and the kind; for a task
	 * someone owns, the owner instead of the kind: "@alice", or
	 * "covered:alice" while they are out today */
	bool covered = team_covered(&Q(p)->team, r->owner, t->today_s);
	bool routine = code_find(&TASK_PRIORITY, r->priority) == PRIORITY_ROUTINE;
	char tail[96], ident[48];
	snprintf(tail, sizeof tail, " %s %s%s", routine ? "" : r->priority,
	         !r->owner ? "" : covered ? "covered:" : "@", r->owner ? r->owner : r->kind);
	struct patient_ref ref;
	row_ref(r, &ref);
	struct columns c = columns(p, width);
	const struct cells v = {shown, marked(Q(p), r->id, NULL) ? "*" : " ", title, r->patient_name,
	                        patient_ref_ident(&ref, ident), tail,
	                        selected ? tui_attr(t, EL_SELECTED) : 0,
	                        selected ? 0 : tui_attr(t, (enum tui_elem)elem),
	                        routine ? 0 : (int)A_BOLD};
	put_cells(p, y, x, width, &c, &v);
}

/* The selected task from the store: 1, 0 when none is selected, or -1
 * with t->err set. */
static int selected_task(struct pane *p, struct task *k)
{
	if (!p->n) {
		tui_message(p->t, false, "no task selected");
		return 0;
	}
	return store_task_get(p->t->store, Q(p)->rows.items[p->sel].id, k, &p->t->err) < 0 ? -1 : 1;
}

static int complete(struct pane *p)
{
	struct tui *t = p->t;
	struct task k = {0};
	int found = selected_task(p, &k);
	if (found <= 0)
		return found;
	int rc = tui_complete_task(t, k.id, k.patient_id, k.title);
	task_clear(&k);
	return rc < 0 ? rc : 0;
}

static int snooze(struct pane *p)
{
	struct task k = {0};
	struct patient_ref ref = {0};
	int rc = selected_task(p, &k);
	if (rc > 0) {
		tasks_patient(p, &ref);
		rc = tui_snooze_task(p->t, k.id, &ref, k.title);
	}
	task_clear(&k);
	return rc < 0 ? rc : 0;
}

static int cancel(struct pane *p)
{
	struct task k = {0};
	struct patient_ref ref = {0};
	int rc = selected_task(p, &k);
	if (rc > 0) {
		tasks_patient(p, &ref);
		rc = tui_cancel_task(p->t, k.id, &ref, k.title);
	}
	task_clear(&k);
	return rc < 0 ? rc : 0;
}

/* The form's fields into k. */
static int edit_fields(struct tui *t, const struct form_field *f, struct task *k)
{
	int d, rc = 0;
	char day[DATE_STRLEN];
	str_free(k->title), k->title = xstrdup(f[0].value);
	str_free(k->due), k->due = NULL;
	if (*f[1].value && (rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d,
	                                    &t->err)) == 0)
		k->due = xstrdup(date_format(d, day));
	str_free(k->priority), k->priority = xstrdup(f[2].value);
	str_free(k->kind), k->kind = xstrdup(f[3].value);
	return rc;
}

/* Save the edit form: a save that lost the race (someone changed the
 * task since the form opened) is refused with who changed it and what,
 * and the form stays open with what was typed, now over the task as it
 * is, so that saving again is a choice made knowing that. */
struct task_edit {
	struct pane *p;
	struct task k;             /* as read, with its version */
};

static int save_edit(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct pane *p = ((struct task_edit *)arg)->p;
	struct task *k = &((struct task_edit *)arg)->k;
	struct change ch = {0};
	(void)n;
	if (edit_fields(t, f, k) < 0)
		return err_field(&t->err, "due");
	int rc = care_task_edit(t->store, k, &ch, &t->err);
	if (rc == ERR_CONFLICT) {
		struct task now = {0};
		struct err keep = t->err;
		if (store_task_get(t->store, k->id, &now, &t->err) < 0)
			return t->err.code;
		t->err = keep;
		rc = tui_lost_race(t, now.version, &k->version);
		task_clear(&now);
		p->reload = true;
	}
	if (rc == 0) {
		tui_message(t, false, "saved: %s", k->title);
		tui_changed(t, &ch);
	}
	return rc;
}

/* e: edit the selected task. */
static int edit(struct pane *p)
{
	struct tui *t = p->t;
	struct task_edit te = {.p = p};
	struct task *k = &te.k;
	int found = selected_task(p, k);
	if (found <= 0)
		return found;
	struct form_field f[] = {
		{.label = "Title", .value = k->title, .required = true},
		{.label = "Due", .value = k->due, .hint = "today, fri, +3d, +2bd, 2026-12-01", .check = tui_check_date},
		{.label = "Priority", .value = k->priority, .hint = "routine, urgent, asap, stat", .check = tui_check_priority, .choices = &TASK_PRIORITY},
		{.label = "Kind", .value = k->kind, .hint = "call, refill, transport, ...", .check = tui_check_kind, .choices = &TASK_KIND},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	struct patient_ref ref = {0};
	tasks_patient(p, &ref);
	if (tui_form_save(t, "Edit task", &ref, f, n, save_edit, &te))
		form_fields_free(f, n);
	task_clear(k);
	return 0;
}

static void show(struct pane *p)
{
	struct task k = {0};
	int found = selected_task(p, &k);
	if (found <= 0) {
		if (found < 0)
			tui_error(p->t, &p->t->err);
		return;
	}
	struct patient_ref ref;
	struct buf who = {0};
	row_ref(&Q(p)->rows.items[p->sel], &ref);
	tui_patient_label(&ref, -1, &who);
	const struct label_value f[] = {{"Task", k.title}, {"Patient", who.s}, {"Due", k.due},
	         {"Snoozed until", k.snoozed_until}, {"Priority", k.priority}, {"Kind", k.kind},
	         {"Status", k.status}, {"Repeats", k.recurrence}, {"Note", k.note}};
	struct buf title = {0};
	buf_add(&title, "Task for ");
	tui_patient_label(&ref, p->t->cols - 20, &title);
	tui_show_fields(p->t, title.s, f, sizeof f / sizeof f[0]);
	buf_free(&title);
	buf_free(&who);
	task_clear(&k);
}

/* t: claim the selected task. */
static int take(struct pane *p)
{
	struct tui *t = p->t;
	if (!p->n) {
		tui_message(t, false, "no task selected");
		return 0;
	}
	const struct task_row *r = &Q(p)->rows.items[p->sel];
	struct change ch = {0};
	struct err e = {0};
	int rc = team_task_take(t->store, r->id, t->ctx->user, &ch, &e);
	if (rc == ERR_CONFLICT || rc == ERR_NOTFOUND) {   /* someone was first: say who */
		tui_message(t, true, "%s", e.msg);
		p->reload = true;
		return 0;
	}
	if (rc < 0) {
		t->err = e;
		return -1;
	}
	tui_message(t, false, "taken: %s", r->title);
	tui_changed(t, &ch);
	return 0;
}

/* Space: mark or unmark the selected task, and go to the next. */
static void mark(struct pane *p)
{
	struct tasks *q = Q(p);
	size_t at;
	if (!p->n)
		return;
	long long id = q->rows.items[p->sel].id;
	if (marked(q, id, &at))
		q->marks[at] = q->marks[--q->n_marks];
	else {
		void *m = q->marks;
		xgrow(&m, &q->cap_marks, q->n_marks + 1, sizeof *q->marks);
		q->marks = m;
		q->marks[q->n_marks++] = id;
	}
	if (p->sel + 1 < p->n)
		pane_select(p, p->sel + 1);
	p->reload = true;   /* the title counts the marks */
}

/* The version a listed task had (0: not listed now: as it is read). */
static long long listed_version(const struct tasks *q, long long id)
{
	for (size_t i = 0; i < q->rows.len; i++)
		if (q->rows.items[i].id == id)
			return q->rows.items[i].version;
	return 0;
}

/* a: the marked tasks, or the selected one, to a person of the team. */
static int assign(struct pane *p)
{
	struct tui *t = p->t;
	struct tasks *q = Q(p);
	if (!q->n_marks && !p->n) {
		tui_message(t, false, "no task selected");
		return 0;
	}
	if (!q->team.len) {
		tui_message(t, true, "assign: no one is on the team yet (caseload team add LOGIN "
		                     "--name NAME); + adds a task");
		return 0;
	}
	size_t n = q->team.len + 1, chosen = 0;
	char **items = xcalloc(n, sizeof *items);
	for (size_t i = 0; i < q->team.len; i++) {
		const struct member *m = &q->team.items[i];
		items[i] = xasprintf("%s  %s (%s)%s", m->login, m->name, m->role,
		                     member_out_on(m, t->today_s) ? ", out today" : "");
		if (t->ctx->user && !strcmp(m->login, t->ctx->user))
			chosen = i;
	}
	items[n - 1] = xstrdup("(no one)");
	size_t count = q->n_marks ? q->n_marks : 1;
	char *title = xasprintf("Assign %zu task%s to", count, count == 1 ? "" : "s");
	int picked = tui_pick(t, title, (const char *const *)items, n, &chosen);
	free(title);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	if (!picked)
		return 0;
	const char *login = chosen < q->team.len ? q->team.items[chosen].login : NULL;
	long long one = q->rows.items[p->sel].id;
	const long long *ids = q->n_marks ? q->marks : &one;
	size_t done = 0;
	struct err first = {0};
	struct change ch = {0};
	for (size_t i = 0; i < count; i++) {
		struct err e = {0};
		if (team_task_assign(t->store, ids[i], login, listed_version(q, ids[i]), &ch, &e) == 0)
			done++;
		else if (!first.code)
			first = e;
	}
	q->n_marks = 0;
	p->reload = true;
	if (first.code)
		tui_message(t, true, "%zu of %zu assigned; %s", done, count, first.msg);
	else
		tui_message(t, false, "%zu task%s assigned to %s", done, done == 1 ? "" : "s",
		            login ? login : "no one");
	tui_changed(t, &ch);
	return 0;
}

static int tasks_action(struct pane *p, enum action a)
{
	switch (a) {
	case ACT_TASK_VIEW:
		Q(p)->view = (enum task_view)((Q(p)->view + 1) % TASKS_VIEW_N);
		Q(p)->n_marks = 0;
		p->n = 0;
		p->reload = true;
		return 1;
	case ACT_TAKE:
		return take(p) < 0 ? -1 : 1;
	case ACT_MARK:
		mark(p);
		return 1;
	case ACT_ASSIGN:
		return assign(p) < 0 ? -1 : 1;
	case ACT_TOGGLE_TASKS:
		Q(p)->only_patient = !Q(p)->only_patient;
		p->n = 0;
		p->reload = true;
		return 1;
	case ACT_ADD: {
		struct patient_ref ref;
		if (tasks_patient(p, &ref) != 1) {
			tui_message(p->t, true, "add: no patient here — select a task, or a patient in the caseload");
			return 1;
		}
		return tui_add_task(p->t, &ref, NULL) < 0 ? -1 : 1;
	}
	case ACT_DONE:
		return complete(p) < 0 ? -1 : 1;
	case ACT_SNOOZE:
		return snooze(p) < 0 ? -1 : 1;
	case ACT_CANCEL:
		return cancel(p) < 0 ? -1 : 1;
	case ACT_EDIT:
		return edit(p) < 0 ? -1 : 1;
	case ACT_OPEN:
		show(p);
		return 1;
	default:
		return 0;
	}
}

static void tasks_free(struct pane *p)
{
	task_row_list_free(&Q(p)->rows);
	member_list_free(&Q(p)->team);
	free(Q(p)->marks);
	free(p->data);
}

static const enum action tasks_hints[] = {
	ACT_DONE, ACT_SNOOZE, ACT_CANCEL, ACT_UNDO, ACT_EDIT, ACT_ADD, ACT_CONTACT, ACT_NOTE, ACT_TOGGLE_TASKS,
	ACT_TASK_VIEW, ACT_TAKE, ACT_MARK, ACT_ASSIGN, ACT_OPEN, ACT_NEXT_PANE, ACT_NONE};

static const struct pane_ops tasks_ops = {
	.hints = tasks_hints,
	.scope = SCOPE_TASKS,
	.load = tasks_load,
	.page = tasks_page,
	.header = tasks_header,
	.draw_row = tasks_draw_row,
	.action = tasks_action,
	.selected = tasks_selected,
	.patient = tasks_patient,
	.shows = CHANGE_TASK | CHANGE_PATIENT | CHANGE_PLAN,
	.free = tasks_free,
};

struct pane *tasks_pane_new(struct tui *t)
{
	struct pane *p = pane_new(t, &tasks_ops, xcalloc(1, sizeof(struct tasks)));
	Q(p)->view = TASKS_TEAM;
	snprintf(p->title, sizeof p->title, "Tasks: Team (all patients)");
	return p;
}

/* `t` works from any pane: it is about the queue. */
