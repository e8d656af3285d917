/* pane_timeline: the selected patient's life in care in time order, a
 * year back and four months ahead: appointments (recurring series
 * expanded by recur_range), contacts and their outcomes, notes,
 * admissions, discharges and the other timeline entries, under a header
 * per day, with a marker line for today; opened scrolled to today. */
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/tz.h"
#include "pane.h"

#define BACK_DAYS 365
#define AHEAD_DAYS 120

enum line_kind { L_HEADER, L_TODAY, L_ITEM };

struct tl_line {
	enum line_kind kind;
	long long at;
	int day;
	char *text;            /* the row */
	char *detail;          /* Enter shows this (lines separated by \n) */
	int elem;
	long long appt_id;     /* an appointment's row, 0 for other lines */
};

struct timeline {
	struct tl_line *items;
	size_t len, cap;
	long long patient_id;
	struct patient_ref who;  /* whom it shows */
};

static void clear_lines(struct timeline *tl)
{
	for (size_t i = 0; i < tl->len; i++) {
		free(tl->items[i].text);
		free(tl->items[i].detail);
	}
	free(tl->items);
	tl->items = NULL;
	tl->len = tl->cap = 0;
}

static struct tl_line *add_line(struct timeline *tl)
{
	return LIST_PUSH(tl);
}

static int by_time(const void *a, const void *b)
{
	const struct tl_line *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

static void hhmm(const struct tui *t, long long utc, bool all_day, char out[16])
{
	if (all_day) {
		snprintf(out, 16, "all day");
		return;
	}
	int day, min;
	tui_local(t, utc, &day, &min);
	snprintf(out, 16, "%02d:%02d", min / 60 % 24, min % 60);
}

static void add_appt(struct pane *p, struct timeline *tl, const struct occurrence *o)
{
	const struct appointment *a = o->appt;
	struct tl_line *l = add_line(tl);
	char tm[16];
	hhmm(p->t, o->start, a->all_day, tm);
	struct buf b = {0};
	buf_addf(&b, "%s %s", tm, a->title && *a->title ? a->title : "(appointment)");
	if (a->location && *a->location)
		buf_addf(&b, " @ %s", a->location);
	if (transport_wanted(a->transport))
		buf_addf(&b, " (transport: %s)", a->transport);
	if (a->status && code_find(&APPT_STATUS, a->status) != APPT_BOOKED)
		buf_addf(&b, " [%s]", a->status);
	if (a->rrule)
		buf_add(&b, " ↻");
	l->kind = L_ITEM;
	/* an all-day event is kept from midnight UTC of its date: it begins
	 * the same date here (where UTC midnight may be the evening before) */
	l->at = a->all_day ? tz_local_midnight(p->t->ctx->zone, date_of_utc(o->start)) : o->start;
	l->appt_id = a->id;
	l->text = buf_steal(&b);
	l->elem = code_find(&APPT_STATUS, a->status) == APPT_CANCELLED ? EL_BORDER : EL_NORMAL;
	const char *why = appt_cancel_reason_display(a->cancel_reason);
	char status[160];
	snprintf(status, sizeof status, "%s%s%s%s", a->status ? a->status : "", why ? " (" : "",
	         why ? why : "", why ? ")" : "");
	/* Enter: the fields that apply, the full date and time */
	char from[48];
	int min_end, day_end, day_start, min_start;
	tui_format_when(p->t, l->at, !a->all_day, from);
	tui_local(p->t, o->start, &day_start, &min_start);
	tui_local(p->t, o->end, &day_end, &min_end);
	buf_addf(&b, "Appointment: %s\nWhen: %s", a->title ? a->title : "", from);
	if (!a->all_day && o->end > o->start && day_end == day_start)
		buf_addf(&b, " to %02d:%02d", min_end / 60 % 24, min_end % 60);
	const struct {
		const char *label, *v;
	} f[] = {{"Location", a->location}, {"Status", status},
	         {"Transport", transport_wanted(a->transport) ? a->transport : NULL},
	         {"Repeats", a->rrule}, {"Source", a->source}, {"Notes", a->notes}};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i].v && *f[i].v)
			buf_addf(&b, "\n%s: %s", f[i].label, f[i].v);
	l->detail = buf_steal(&b);
}

static void add_entry(struct pane *p, struct timeline *tl, const struct entry *en)
{
	struct tl_line *l = add_line(tl);
	char tm[16];
	hhmm(p->t, en->at, false, tm);
	struct buf b = {0};
	buf_addf(&b, "%s %s", tm, en->kind);
	if (en->outcome)
		buf_addf(&b, ": %s", en->outcome);
	if (en->minutes > 0)
		buf_addf(&b, " (%d min)", en->minutes);
	if (en->facility && *en->facility)
		buf_addf(&b, ", %s", en->facility);
	if (en->text && *en->text)
		buf_addf(&b, " — %s", en->text);
	if (en->needs_review && !en->reviewed_at)
		buf_add(&b, " [to review]");
	l->kind = L_ITEM;
	l->at = en->at;
	l->text = buf_steal(&b);
	l->elem = en->needs_review && !en->reviewed_at ? EL_OVERDUE : EL_NORMAL;
	/* Enter: the fields that apply to its kind, the full date and time,
	 * then its text whole */
	char when[48];
	tui_format_when(p->t, en->at, true, when);
	buf_addf(&b, "%c%s\nWhen: %s", en->kind[0] >= 'a' && en->kind[0] <= 'z' ? en->kind[0] - 'a' + 'A' : en->kind[0],
	         en->kind + 1, when);
	if (en->outcome)
		buf_addf(&b, "\nOutcome: %s", en->outcome);
	if (en->minutes > 0)
		buf_addf(&b, "\nMinutes: %d", en->minutes);
	if (en->facility && *en->facility)
		buf_addf(&b, "\nFacility: %s", en->facility);
	if (en->author && *en->author)
		buf_addf(&b, "\nBy: %s", en->author);
	if (en->needs_review) {
		char seen[48];
		if (en->reviewed_at)
			tui_format_when(p->t, en->reviewed_at, true, seen);
		buf_addf(&b, "\nAcknowledged: %s", en->reviewed_at ? seen : "not yet");
	}
	if (en->text && *en->text)
		buf_addf(&b, "\n\n%s", en->text);
	l->detail = buf_steal(&b);
}

static int timeline_load(struct pane *p, struct err *e)
{
	struct timeline *tl = p->data;
	struct tui *t = p->t;
	bool same = tl->patient_id == t->patient.id;
	size_t old_sel = p->sel, old_top = p->top;
	clear_lines(tl);
	tl->patient_id = t->patient.id;
	tl->who = t->patient;
	struct buf label = {0};
	if (t->patient.id)
		tui_patient_label(&t->patient, p->r.w - 16, &label);
	snprintf(p->title, sizeof p->title, "Timeline%s%s", t->patient.id ? ": " : "",
	         label.s ? label.s : "");
	buf_free(&label);
	p->n = 0;
	if (!t->patient.id)
		return 0;
	long long from = tz_local_midnight(t->ctx->zone, t->ctx->today - BACK_DAYS);
	long long to = tz_local_midnight(t->ctx->zone, t->ctx->today + AHEAD_DAYS);
	struct occurrence_list occ = {0};
	struct entry_list ents = {0};
	int rc = recur_range(t->store, t->patient.id, from, to, &occ, e);
	if (rc == 0)
		rc = store_entry_list(t->store, t->patient.id, from, to, 2000, &ents, e);
	if (rc == 0) {
		for (size_t i = 0; i < occ.len; i++)
			add_appt(p, tl, &occ.items[i]);
		for (size_t i = 0; i < ents.len; i++)
			add_entry(p, tl, &ents.items[i]);
	}
	occurrence_list_free(&occ);
	entry_list_free(&ents);
	if (tl->len > 1)       /* (qsort of nothing may not take NULL) */
		qsort(tl->items, tl->len, sizeof *tl->items, by_time);
	/* Day headers and the today marker. */
	struct timeline out = {.patient_id = tl->patient_id, .who = tl->who};
	int last_day = DATE_NONE;
	bool today_done = false;
	size_t today_at = 0;
	for (size_t i = 0; i <= tl->len; i++) {
		int day = DATE_NONE, min;
		if (i < tl->len)
			tui_local(t, tl->items[i].at, &day, &min);
		if (!today_done && (i == tl->len || day >= t->ctx->today)) {
			struct tl_line *m = add_line(&out);
			m->kind = L_TODAY;
			char shown[DATE_SHOW_STRLEN];
			m->text = xasprintf("──── today %s ────", date_show(t->ctx->today, t->ctx->today, shown));
			m->elem = EL_TODAY;
			today_at = out.len - 1;
			today_done = true;
		}
		if (i == tl->len)
			break;
		if (day != last_day) {
			char shown[DATE_SHOW_STRLEN];
			struct tl_line *h = add_line(&out);
			h->kind = L_HEADER;
			h->day = day;
			h->text = xstrdup(date_show(day, t->ctx->today, shown));
			h->elem = EL_HEADER;
			last_day = day;
		}
		*add_line(&out) = tl->items[i];
	}
	free(tl->items);
	*tl = out;
	p->n = tl->len;
	p->more_before = p->more_after = false;
	if (same && old_sel < p->n) {
		p->sel = old_sel;
		p->top = old_top;
	} else {
		p->sel = today_at;
		p->top = today_at > 2 ? today_at - 2 : 0;
	}
	return rc;
}

int timeline_goto(struct pane *p, int day)
{
	struct timeline *tl = p->data;
	for (size_t i = 0; i < tl->len; i++) {
		const struct tl_line *l = &tl->items[i];
		int at = l->kind == L_HEADER ? l->day : l->kind == L_TODAY ? p->t->ctx->today : DATE_NONE;
		if (at == DATE_NONE || at < day)
			continue;
		p->top = i;            /* the day at the top, its lines below */
		pane_select(p, i);
		return 0;
	}
	return -1;
}

static void timeline_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct timeline *tl = p->data;
	const struct tl_line *l = &tl->items[i];
	int attr = tui_attr(p->t, (enum tui_elem)l->elem);
	if (selected)
		attr = tui_attr(p->t, EL_SELECTED);
	if (l->kind == L_ITEM) {
		tui_put(p->win, y, x, "  ", 2, attr);
		tui_put(p->win, y, x + 2, l->text, width - 2, attr);
	} else {
		tui_put(p->win, y, x, l->text, width, attr | (int)A_BOLD);
	}
}

static void timeline_header(struct pane *p, int y, int x, int width)
{
	tui_put(p->win, y, x, "Day, time  appointment, contact or note", width,
	        tui_attr(p->t, EL_HEADER) | (int)A_BOLD);
}

static int timeline_action(struct pane *p, enum action a)
{
	struct timeline *tl = p->data;
	switch (a) {
	case ACT_OPEN: {
		if (!p->n || !tl->items[p->sel].detail)
			return 1;
		struct buf title = {0};
		buf_add(&title, "Timeline of ");
		tui_patient_label(&tl->who, p->t->cols - 20, &title);
		tui_show_doc(p->t, title.s, tl->items[p->sel].detail);
		buf_free(&title);
		return 1;
	}
	case ACT_ADD:
		if (!tl->patient_id) {
			tui_message(p->t, true, "add: no patient here — select one in the caseload first");
			return 1;
		}
		return tui_add_appointment(p->t, &tl->who) < 0 ? -1 : 1;
	case ACT_CANCEL:
		if (!p->n || !tl->items[p->sel].appt_id) {
			tui_message(p->t, false, "select an appointment to cancel (timeline entries stay "
			            "as written)");
			return 1;
		}
		return tui_cancel_appointment(p->t, tl->items[p->sel].appt_id) < 0 ? -1 : 1;
	case ACT_EDIT:
		if (!p->n || !tl->items[p->sel].appt_id) {
			tui_message(p->t, false, "select an appointment to edit (timeline entries stay "
			            "as written: add a note instead)");
			return 1;
		}
		return tui_edit_appointment(p->t, &tl->who, tl->items[p->sel].appt_id) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

static void timeline_free(struct pane *p)
{
	struct timeline *tl = p->data;
	clear_lines(tl);
	free(tl);
}

/* The patient the timeline shows. */
static int timeline_patient(struct pane *p, struct patient_ref *out)
{
	struct timeline *tl = p->data;
	if (!tl->patient_id)
		return 0;
	*out = tl->who;
	return 1;
}

static const enum action timeline_hints[] = {
	ACT_OPEN, ACT_ADD, ACT_EDIT, ACT_CANCEL, ACT_UNDO, ACT_CONTACT, ACT_NOTE, ACT_EXPORT, ACT_IMPORT, ACT_NEXT_PANE,
	ACT_NONE};

static const struct pane_ops timeline_ops = {
	.hints = timeline_hints,
	.scope = SCOPE_TIMELINE,
	.load = timeline_load,
	.header = timeline_header,
	.draw_row = timeline_draw_row,
	.action = timeline_action,
	.patient = timeline_patient,
	.shows = CHANGE_APPT | CHANGE_ENTRY | CHANGE_PATIENT | CHANGE_PLAN,
	.free = timeline_free,
};

struct pane *timeline_pane_new(struct tui *t)
{
	struct pane *p = pane_new(t, &timeline_ops, xcalloc(1, sizeof(struct timeline)));
	snprintf(p->title, sizeof p->title, "Timeline");
	return p;
}
