/* tui_adt: the hospital's messages waiting for their patient (N, or :adt):
 * the HL7 ADT admissions, discharges and updates `caseload import adt`
 * could not match by MRN and date of birth (adt.h), oldest first, each
 * with the name and place the message gives.  A matches the selected one
 * to a patient found by search (the date of birth is the coordinator's
 * call: both are shown before it is applied), d drops it (its text is
 * forgotten; a resend is then a duplicate). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/adt.h"
#include "caseload/audit.h"
#include "caseload/store_adt.h"
#include "pane.h"

struct adt_view {
	struct adt_message_list l;
	char **name, **facility;   /* what each message says (NULL: nothing) */
};

static void adt_forget(struct adt_view *v)
{
	for (size_t i = 0; i < v->l.len; i++) {
		free(v->name[i]);
		free(v->facility[i]);
	}
	free(v->name);
	free(v->facility);
	v->name = v->facility = NULL;
	adt_message_list_free(&v->l);
}

static int adt_load(struct pane *p, struct err *e)
{
	struct tui *t = p->t;
	struct adt_view *v = p->data;
	long long keep = p->sel > 0 && p->sel - 1 < v->l.len ? v->l.items[p->sel - 1].id : 0;
	size_t at = p->sel;
	adt_forget(v);
	p->n = 1;
	if (store_adt_list(t->store, true, &v->l, e) < 0 ||
	    audit_read(t->store, "list", "screen adt", 0, (long long)v->l.len, e) < 0)
		return e->code;
	v->name = xcalloc(v->l.len + 1, sizeof *v->name);
	v->facility = xcalloc(v->l.len + 1, sizeof *v->facility);
	for (size_t i = 0; i < v->l.len; i++) {
		adt_message_about(&v->l.items[i], &v->name[i], &v->facility[i]);
		if (keep && v->l.items[i].id == keep)
			at = i + 1;
	}
	p->n = v->l.len + 1;       /* the header first */
	snprintf(p->title, sizeof p->title, "Hospital messages waiting for their patient: %zu",
	         v->l.len);
	char km[16], kd[16];
	const char *m = keymap_key_for(&t->km, SCOPE_AGENDA, ACT_ASSIGN_PATIENT, km);
	const char *d = keymap_key_for(&t->km, SCOPE_AGENDA, ACT_CANCEL, kd);
	if (m && d && v->l.len)
		snprintf(p->title + strlen(p->title), sizeof p->title - strlen(p->title),
		         " — %s matches one to a patient, %s drops one", m, d);
	pane_select(p, at < 1 ? 1 : at);
	p->repaint = true;
	return 0;
}

static void adt_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct adt_view *v = p->data;
	struct tui *t = p->t;
	int when = 17, what = 13, mrn = 12, born = 11;
	int rest = width - when - what - mrn - born;
	int name = rest * 3 / 5 > 1 ? rest * 3 / 5 : 1, place = rest - name > 1 ? rest - name : 1;
	int attr = tui_attr(t, EL_NORMAL) | (selected && i > 0 ? tui_attr(t, EL_SELECTED) : 0);
	char w[40] = "";
	const char *cells[6];
	if (i == 0) {
		cells[0] = "Received", cells[1] = "Event", cells[2] = "Name in message",
		cells[3] = "Place", cells[4] = "MRN", cells[5] = "Born";
		attr = tui_attr(t, EL_HEADER);
	} else {
		const struct adt_message *m = &v->l.items[i - 1];
		int day, min;
		char d[DATE_SHOW_STRLEN];
		tui_local(t, m->received, &day, &min);
		snprintf(w, sizeof w, "%s", date_show_time(day, min, t->ctx->today, d));
		cells[0] = w, cells[1] = adt_event_words(m->type), cells[2] = v->name[i - 1],
		cells[3] = v->facility[i - 1], cells[4] = m->mrn, cells[5] = m->dob;
	}
	const int widths[6] = {when, what, name, place, mrn, born};
	for (int c = 0, cx = x; c < 6; cx += widths[c], c++)
		tui_put(p->win, y, cx, cells[c] ? cells[c] : "", widths[c] - 1, attr);
}

static const struct adt_message *selected_message(struct pane *p)
{
	struct adt_view *v = p->data;
	if (p->sel < 1 || p->sel > v->l.len) {
		tui_message(p->t, false, "no hospital message is waiting");
		return NULL;
	}
	return &v->l.items[p->sel - 1];
}

/* A: to a patient found by search, once the coordinator has seen both
 * dates of birth. */
static int adt_match_one(struct pane *p)
{
	struct tui *t = p->t;
	struct adt_view *v = p->data;
	const struct adt_message *m = selected_message(p);
	if (!m)
		return 0;
	long long id = m->id;
	char *said = xasprintf("%s %s (MRN %s, born %s)", adt_event_words(m->type),
	                       v->name[p->sel - 1] ? v->name[p->sel - 1] : "of a patient",
	                       m->mrn ? m->mrn : "none", m->dob ? m->dob : "not given");
	struct patient_ref who;
	int rc = tui_choose_patient(t, "match to", &who);
	if (rc <= 0) {
		free(said);
		return rc;
	}
	struct buf label = {0}, q = {0};
	tui_patient_label(&who, 60, &label);
	buf_addf(&q, "Apply the %s to %s?", said, label.s ? label.s : "");
	free(said);
	bool yes = tui_confirm(t, q.s);
	buf_free(&q);
	struct change ch = {0};
	long long entry = 0;
	if (yes && adt_match(t->store, id, who.id, t->ctx->zone, &entry, &ch, &t->err) < 0) {
		buf_free(&label);
		return -1;
	}
	if (yes) {
		tui_changed(t, &ch);
		p->reload = true;
		tui_message(t, false, "message %lld applied to %s%s", id, label.s ? label.s : "",
		            entry ? ": on the timeline" : "");
	} else {
		tui_message(t, false, "nothing applied");
	}
	buf_free(&label);
	return 0;
}

static int adt_drop_one(struct pane *p)
{
	struct tui *t = p->t;
	const struct adt_message *m = selected_message(p);
	if (!m)
		return 0;
	long long id = m->id;
	char *q = xasprintf("Drop message %lld (%s)? Its text is forgotten", id, adt_event_words(m->type));
	bool yes = tui_confirm(t, q);
	free(q);
	if (!yes) {
		tui_message(t, false, "nothing dropped");
		return 0;
	}
	struct change ch = {0};
	if (adt_drop(t->store, id, &ch, &t->err) < 0)
		return -1;
	tui_changed(t, &ch);
	p->reload = true;
	tui_message(t, false, "message %lld dropped", id);
	return 0;
}

static void adt_show(struct pane *p)
{
	struct adt_view *v = p->data;
	const struct adt_message *m = selected_message(p);
	if (!m)
		return;
	int day, min;
	char d[DATE_SHOW_STRLEN], id[24];
	tui_local(p->t, m->received, &day, &min);
	snprintf(id, sizeof id, "%lld", m->id);
	const struct label_value f[] = {
		{"Message", id}, {"Event", adt_event_words(m->type)},
		{"Received", date_show_time(day, min, p->t->ctx->today, d)},
		{"Control id", m->control_id}, {"Name", v->name[p->sel - 1]},
		{"Place", v->facility[p->sel - 1]}, {"MRN", m->mrn}, {"Born", m->dob},
	};
	tui_show_fields(p->t, "Hospital message waiting for its patient", f, sizeof f / sizeof f[0]);
}

static int adt_action(struct pane *p, enum action a)
{
	switch (a) {
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_ADT:
		tui_pop(p->t);
		return 1;
	case ACT_ASSIGN_PATIENT:
		return adt_match_one(p) < 0 ? -1 : 1;
	case ACT_CANCEL:
		return adt_drop_one(p) < 0 ? -1 : 1;
	case ACT_OPEN:
		adt_show(p);
		return 1;
	default:
		break;
	}
	if (pane_move(p, a) && p->sel == 0)
		pane_select(p, 1);     /* the header is not a message */
	return 1;                  /* modal */
}

static void adt_free(struct pane *p)
{
	struct adt_view *v = p->data;
	adt_forget(v);
	free(v);
}

static const enum action adt_hints[] = {ACT_ASSIGN_PATIENT, ACT_CANCEL, ACT_OPEN, ACT_DOWN,
                                        ACT_UP, ACT_BACK, ACT_NONE};

static const struct pane_ops adt_ops = {
	.hints = adt_hints,
	.scope = SCOPE_AGENDA,     /* A: assign-patient, as in the unassigned list */
	.load = adt_load,
	.draw_row = adt_draw_row,
	.action = adt_action,
	.free = adt_free,
	.shows = CHANGE_PATIENT | CHANGE_ENTRY,
};

int tui_adt_open(struct tui *t)
{
	struct pane *p = pane_new(t, &adt_ops, xcalloc(1, sizeof(struct adt_view)));
	p->popup = p->fullscreen = true;
	snprintf(p->title, sizeof p->title, "Hospital messages waiting for their patient");
	tui_push(t, p);
	return 0;
}
