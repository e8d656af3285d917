/* pane_tasks: the queue of open tasks, overdue first, then today, then
 * upcoming, undated last; for all patients or (`t`) the selected one.
 * `x` completes, `s` snoozes, `e` edits, `a` adds. */
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "pane.h"

struct tasks {
	struct task_row_list rows;
	bool only_patient;
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

static int tasks_load(struct pane *p, struct err *e)
{
	struct tasks *q = Q(p);
	struct tui *t = p->t;
	if (q->only_patient) {
		struct buf b = {0};
		tui_patient_label(&t->patient, p->r.w - 12, &b);
		snprintf(p->title, sizeof p->title, "Tasks: %s", b.s ? b.s : "");
		buf_free(&b);
	} else
		snprintf(p->title, sizeof p->title, "Tasks (all patients)");
	struct task_row_list old = q->rows;
	long long sel_id = p->n ? old.items[p->sel].id : 0;
	size_t sel_at = 0;
	q->rows = (struct task_row_list){0};
	int rc = 0, h = pane_height(p) > 10 ? pane_height(p) : 10;
	bool more = false;
	p->more_before = false;
	if (p->n) {
		rc = store_view_tasks(t->store, who(p), &old.items[p->sel], true, h, &q->rows,
		                      &p->more_before, e);
		sel_at = q->rows.len;
	}
	if (rc == 0)
		rc = store_view_tasks(t->store, who(p), q->rows.len ? &q->rows.items[q->rows.len - 1] : NULL,
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
	int rc = store_view_tasks(p->t->store, who(p), anchor, backward, 2 * h, &got, &more, e);
	if (rc < 0) {
		task_row_list_free(&got);
		return rc;
	}
	if (jump)
		task_row_list_free(&q->rows);
	return pane_take_page(p, ROWS_REF(&q->rows), ROWS_REF(&got), backward, jump, more);
}

static void tasks_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct tui *t = p->t;
	struct task_row *r = &Q(p)->rows.items[i];
	char when[16];
	int elem = EL_NORMAL;
	const char *due = r->due;
	if (r->snoozed_until && r->due && strcmp(r->snoozed_until, r->due) > 0)
		due = r->snoozed_until;
	if (!due)
		snprintf(when, sizeof when, "someday");
	else if (strcmp(due, t->today_s) < 0)
		snprintf(when, sizeof when, "OVERDUE"), elem = EL_OVERDUE;
	else if (!strcmp(due, t->today_s))
		snprintf(when, sizeof when, "today"), elem = EL_TODAY;
	else
		snprintf(when, sizeof when, "%s", due + 5);
	int base = selected ? tui_attr(t, EL_SELECTED) : 0;
	/* when  title ...  name  ident  priority kind: with every patient's
	 * tasks the patient shows with a second identifier (the title and the
	 * name give way, the identifier never) */
	const int when_w = 9, ident_w = 11, min_title = 10;
	bool all = !Q(p)->only_patient;
	int name_w = all ? width / 4 : 0, tail = 16;
	if (name_w > 24)
		name_w = 24;
	if (name_w < 12 && all)
		name_w = 12;
	int title_w = width - when_w - (all ? name_w + ident_w : 0) - tail;
	if (title_w < min_title) {
		tail = 0;
		title_w = width - when_w - (all ? name_w + ident_w : 0);
	}
	if (title_w < min_title && all) {
		name_w = width - when_w - ident_w - min_title;
		if (name_w < 6)
			name_w = 6;
		title_w = width - when_w - name_w - ident_w;
	}
	if (title_w < 1)
		title_w = 1;
	tui_put(p->win, y, x, when, 8, base | (selected ? 0 : tui_attr(t, (enum tui_elem)elem)));
	tui_put(p->win, y, x + 8, " ", 1, base);
	int cx = x + when_w;
	tui_put(p->win, y, cx, r->title, title_w, base);
	cx += title_w;
	if (all) {
		struct patient_ref ref;
		char ident[48], cell[64];
		row_ref(r, &ref);
		snprintf(cell, sizeof cell, " %s", r->patient_name);
		tui_put(p->win, y, cx, cell, name_w, base);
		snprintf(cell, sizeof cell, " %s", patient_ref_ident(&ref, ident));
		tui_put(p->win, y, cx + name_w, cell, ident_w, base);
		cx += name_w + ident_w;
	}
	if (tail || cx < x + width) {
		char pk[40] = "";
		bool routine = code_find(&TASK_PRIORITY, r->priority) == PRIORITY_ROUTINE;
		if (tail)
			snprintf(pk, sizeof pk, " %s %s", routine ? "" : r->priority, r->kind);
		tui_put(p->win, y, cx, pk, x + width - cx, base | (routine ? 0 : (int)A_BOLD));
	}
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

static int edit(struct pane *p)
{
	struct tui *t = p->t;
	struct task k = {0};
	int found = selected_task(p, &k);
	if (found <= 0)
		return found;
	struct form_field f[] = {
		{.label = "Title", .value = k.title, .required = true},
		{.label = "Due", .value = k.due, .hint = "today, fri, +3d, +2bd, 2026-12-01", .check = tui_check_date},
		{.label = "Priority", .value = k.priority, .hint = "routine, urgent, asap, stat", .check = tui_check_priority},
		{.label = "Kind", .value = k.kind, .hint = "call, refill, transport, ...", .check = tui_check_kind},
	};
	int n = (int)(sizeof f / sizeof f[0]), rc = 0;
	struct patient_ref ref = {0};
	tasks_patient(p, &ref);
	if (tui_form(t, "Edit task", &ref, f, n)) {
		int d;
		char day[DATE_STRLEN];
		str_free(k.title), k.title = xstrdup(f[0].value);
		str_free(k.due), k.due = NULL;
		if (*f[1].value && (rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d,
		                                    &t->err)) == 0)
			k.due = xstrdup(date_format(d, day));
		str_free(k.priority), k.priority = xstrdup(f[2].value);
		str_free(k.kind), k.kind = xstrdup(f[3].value);
		struct change ch = {0};
		if (rc == 0 && (rc = care_task_edit(t->store, &k, &ch, &t->err)) == 0) {
			tui_message(t, false, "saved: %s", k.title);
			tui_changed(t, &ch);
		}
		form_fields_free(f, n);
	}
	task_clear(&k);
	return rc;
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

static int tasks_action(struct pane *p, enum action a)
{
	switch (a) {
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
	free(p->data);
}

static const enum action tasks_hints[] = {
	ACT_DONE, ACT_SNOOZE, ACT_EDIT, ACT_ADD, ACT_CONTACT, ACT_NOTE, ACT_TOGGLE_TASKS, ACT_OPEN,
	ACT_NEXT_PANE, ACT_NONE};

static const struct pane_ops tasks_ops = {
	.hints = tasks_hints,
	.scope = SCOPE_TASKS,
	.load = tasks_load,
	.page = tasks_page,
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
	snprintf(p->title, sizeof p->title, "Tasks (all patients)");
	return p;
}

/* `t` works from any pane: it is about the queue. */
