/* tui_agenda: the agenda of the whole caseload (`D`, `:agenda`) and the
 * appointments imported with no patient (`U`).
 *
 * The agenda is a view over the workstation's panes: every occurrence of
 * a day, or of its week (Monday to Sunday, a header per day), recurring
 * series expanded by recur_each as `caseload agenda` lists them, in the
 * coordinator's zone.  A row names the patient with a second identifier,
 * the time, the ride, what and where, and marks what needs attention by
 * the review's own predicates: a ride not confirmed
 * (transport_unconfirmed), a booked visit with no reached contact since it
 * was booked (store_review_reached_since), and an overlap with another of
 * the same patient's appointments (among those read).  A day is read a
 * page at a time as it is scrolled (recur_each ends early), a week at most
 * WEEK_DAY_MAX a day, and the patient and the contact check are read for
 * the rows drawn only, so that a day of a large caseload opens at once.  [ ] (h l) move by day, w toggles day and week, t is today, g
 * asks for a date; Enter shows the row's patient in the timeline, and e,
 * r, a, n, c, E and T act on the row's appointment and patient.
 *
 * The unassigned list holds the stored rows with no patient (a series as
 * one row) with where they came from; A gives the selected one, or every
 * row of its series, to a patient found by search (appt_assign_series). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/appt.h"
#include "caseload/audit.h"
#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/store_review.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "pane.h"

#define UNASSIGNED_MAX 500     /* rows the list holds (the oldest first) */
#define DAY_PAGE 300           /* a day's appointments read at a time */
#define WEEK_DAY_MAX 100       /* a day's appointments in the week view */

enum row_kind { ROW_APPT, ROW_HEADER, ROW_EMPTY, ROW_MORE };

/* An occurrence loaded. */
struct arow {
	int day;                   /* the local date it falls on */
	long long start, end;      /* the occurrence */
	struct appointment a;      /* its stored row (owned) */
	bool looked;               /* who and unconfirmed read (when first drawn) */
	struct patient_ref who;
	bool unconfirmed;          /* booked, and no reached contact since */
	bool overlap;              /* with another of the patient's */
};
LIST_OF(arow, arow_list);

/* A line shown: an occurrence, a day's header, "no appointments", or
 * "more on this day" (a busy day in the week view). */
struct line {
	enum row_kind kind;
	int day;
	size_t occ;                /* ROW_APPT: index into occ */
};

struct agenda {
	int day;                   /* the day moved to */
	bool week;
	int first, days;           /* the days shown */
	struct arow_list occ;      /* in the order shown */
	struct line *lines;
	size_t n_lines, cap_lines;
	bool capped[7];            /* week: a day with more than WEEK_DAY_MAX */
	bool more;                 /* day: more after the last one read */
	long long resume;          /* day: the last one read's start */
	size_t rides, unassigned;
	bool to_day;               /* after the load: select the day's first row */
	long long keep_id, keep_start;   /* else this occurrence, if still there */
};

/* Where the agenda was left: it opens there again (t goes to today). */
static struct {
	bool set, week;
	int day;
} last;

static void occ_free(struct arow_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		appointment_clear(&l->items[i].a);
	free(l->items);
	*l = (struct arow_list){0};
}

static int monday_of(int day)
{
	return day - (date_weekday(day) + 6) % 7;
}

/* The occurrence of line i, or NULL. */
static struct arow *line_appt(struct agenda *g, size_t i)
{
	return i < g->n_lines && g->lines[i].kind == ROW_APPT ? &g->occ.items[g->lines[i].occ] : NULL;
}

/* ---- loading: a day at a time, at most `cap` occurrences (a day of a
 * large caseload is read as it is scrolled) ---- */

struct collect {
	struct agenda *g;
	int day;
	long long after;           /* skip what starts before (a page goes on from there) */
	size_t cap, added;
	bool stopped;
};

/* Asked only of what starts where the page before ended: rare. */
static bool loaded(const struct agenda *g, long long id, long long start)
{
	for (size_t i = 0; i < g->occ.len; i++)
		if (g->occ.items[i].a.id == id && g->occ.items[i].start == start)
			return true;
	return false;
}

static int collect(void *ctx, const struct occurrence *o)
{
	struct collect *c = ctx;
	const struct appointment *a = o->appt;
	/* all-day events belong to their date, whatever the zone */
	if (a->all_day && (o->end <= date_utc_midnight(c->day) ||
	                   o->start >= date_utc_midnight(c->day + 1)))
		return 0;
	if (o->start < c->after || (o->start == c->after && loaded(c->g, a->id, o->start)))
		return 0;          /* read by the page before */
	if (c->added == c->cap) {
		c->stopped = true;
		return 1;          /* enough: the walk ends here */
	}
	if (!a->patient_id) {      /* nobody's yet: counted, listed by U */
		c->g->unassigned++;
		return 0;
	}
	struct arow *r = LIST_PUSH(&c->g->occ);
	*r = (struct arow){.day = c->day, .start = o->start, .end = o->end};
	appointment_copy(&r->a, a);
	c->added++;
	c->g->resume = o->start;
	return 0;
}

/* Read day `day` from instant `after` (0: its start): at most cap more. */
static int read_day(struct tui *t, struct agenda *g, int day, long long after, size_t cap,
                    bool *more, struct err *e)
{
	long long from, to;
	struct collect c = {g, day, after, cap, 0, false};
	if (tz_local_to_utc(t->ctx->zone, day, 0, &from, e) < 0 ||
	    tz_local_to_utc(t->ctx->zone, day + 1, 0, &to, e) < 0 ||
	    recur_each(t->store, 0, after > from ? after : from, to, collect, &c, e) < 0)
		return e->code;
	*more = c.stopped;
	return 0;
}

/* What was read is a listing of every patient's: recorded, with its count. */
static int audited(struct tui *t, size_t count, struct err *e)
{
	return audit_read(t->store, "list", "screen agenda", 0, (long long)count, e);
}

/* By day, the all-day ones first, then by time. */
static int by_day(const void *pa, const void *pb)
{
	const struct arow *a = pa, *b = pb;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->a.all_day != b->a.all_day)
		return a->a.all_day ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->a.id < b->a.id ? -1 : a->a.id > b->a.id;
}

/* qsort has no context: the rows by_patient compares indexes into. */
static const struct arow *sorting;

static int by_patient(const void *pa, const void *pb)
{
	const struct arow *a = &sorting[*(const size_t *)pa], *b = &sorting[*(const size_t *)pb];
	if (a->a.patient_id != b->a.patient_id)
		return a->a.patient_id < b->a.patient_id ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* Two timed, live appointments of one patient at the same time: both
 * marked. */
static void mark_overlaps(struct arow_list *l)
{
	size_t *v = xcalloc(l->len ? l->len : 1, sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < l->len; i++)
		if (!l->items[i].a.all_day && appt_status_live(l->items[i].a.status))
			v[n++] = i;
	sorting = l->items;
	if (n)
		qsort(v, n, sizeof *v, by_patient);
	sorting = NULL;
	struct arow *longest = NULL;   /* of the patient's so far, the one ending last */
	for (size_t i = 0; i < n; i++) {
		struct arow *r = &l->items[v[i]];
		if (longest && longest->a.patient_id == r->a.patient_id && r->start < longest->end) {
			longest->overlap = r->overlap = true;
			if (r->end > longest->end)
				longest = r;
		} else {
			longest = r;
		}
	}
	free(v);
}

static void add_line(struct agenda *g, enum row_kind kind, int day, size_t occ)
{
	void *p = g->lines;
	xgrow(&p, &g->cap_lines, g->n_lines + 1, sizeof *g->lines);
	g->lines = p;
	g->lines[g->n_lines++] = (struct line){kind, day, occ};
}

/* The lines from the occurrences read: a header for each day of a week,
 * a line for a day with nothing, one for a busy day's rest. */
static void lay_out(struct agenda *g, int today)
{
	if (g->occ.len)
		qsort(g->occ.items, g->occ.len, sizeof *g->occ.items, by_day);
	mark_overlaps(&g->occ);
	g->n_lines = 0;
	g->rides = 0;
	size_t k = 0;
	for (int d = g->first; d < g->first + g->days; d++) {
		if (g->week)
			add_line(g, ROW_HEADER, d, 0);
		size_t before = g->n_lines;
		for (; k < g->occ.len && g->occ.items[k].day == d; k++) {
			add_line(g, ROW_APPT, d, k);
			if (d >= today && transport_unconfirmed(g->occ.items[k].a.transport) &&
			    appt_status_live(g->occ.items[k].a.status))
				g->rides++;
		}
		if (g->week && g->capped[d - g->first])
			add_line(g, ROW_MORE, d, 0);
		else if (g->n_lines == before && !g->more)
			add_line(g, ROW_EMPTY, d, 0);
	}
}

static void set_title(struct pane *p)
{
	struct agenda *g = p->data;
	struct buf b = {0};
	char key[16];
	int y, m, dd, day = g->week ? g->first : g->day;
	bool part = g->more;
	for (int i = 0; g->week && i < 7; i++)
		part = part || g->capped[i];
	date_to_ymd(day, &y, &m, &dd);
	buf_addf(&b, "Agenda — %s%s %d %s %d%s — %zu%s appointment%s", g->week ? "week of " : "",
	         date_weekday_abbr(date_weekday(day)), dd, date_month_abbr(m), y,
	         !g->week && g->day == p->t->ctx->today ? " (today)" : "", g->occ.len,
	         part ? "+" : "", g->occ.len == 1 && !part ? "" : "s");
	if (g->rides)
		buf_addf(&b, ", %zu%s ride%s to confirm", g->rides, part ? "+" : "",
		         g->rides == 1 && !part ? "" : "s");
	if (g->unassigned) {
		const char *k = keymap_key_for(&p->t->km, SCOPE_AGENDA, ACT_UNASSIGNED, key);
		buf_addf(&b, " — %zu%s unassigned%s%s%s", g->unassigned, part ? "+" : "", k ? " (" : "",
		         k ? k : "", k ? ")" : "");
	}
	snprintf(p->title, sizeof p->title, "%s", b.s);
	buf_free(&b);
}

static void select_after_load(struct pane *p)
{
	struct agenda *g = p->data;
	size_t at = 0;
	bool found = false;
	for (size_t i = 0; !g->to_day && g->keep_id && i < g->n_lines; i++) {
		const struct arow *r = line_appt(g, i);
		if (r && r->a.id == g->keep_id && r->start == g->keep_start) {
			at = i;
			found = true;
			break;
		}
	}
	/* the day's first appointment, else its header */
	for (size_t i = 0; !found && i < g->n_lines; i++)
		if (g->lines[i].day == g->day && g->lines[i].kind != ROW_HEADER) {
			at = i;
			found = true;
		}
	g->to_day = false;
	if (at < p->top || at >= p->top + (size_t)(pane_height(p) > 0 ? pane_height(p) : 1))
		p->top = at > 0 && g->lines[at - 1].kind == ROW_HEADER ? at - 1 : at;
	pane_select(p, at);
}

static int agenda_load(struct pane *p, struct err *e)
{
	struct tui *t = p->t;
	struct agenda *g = p->data;
	const struct arow *was = line_appt(g, p->sel);
	g->keep_id = was ? was->a.id : 0;
	g->keep_start = was ? was->start : 0;
	occ_free(&g->occ);
	g->n_lines = 0;
	g->rides = g->unassigned = 0;
	g->more = false;
	memset(g->capped, 0, sizeof g->capped);
	g->first = g->week ? monday_of(g->day) : g->day;
	g->days = g->week ? 7 : 1;
	p->n = 0;
	p->more_after = p->more_before = false;
	int rc = audit_ready(t->store, e);
	for (int d = g->first; rc == 0 && d < g->first + g->days; d++)
		rc = read_day(t, g, d, 0, g->week ? WEEK_DAY_MAX : DAY_PAGE,
		              g->week ? &g->capped[d - g->first] : &g->more, e);
	if (rc == 0)
		rc = audited(t, g->occ.len, e);
	if (rc < 0)                /* a read that cannot be recorded is not shown */
		occ_free(&g->occ);
	lay_out(g, t->ctx->today);
	p->n = rc < 0 ? 0 : g->n_lines;
	p->more_after = rc == 0 && g->more;
	set_title(p);
	if (rc < 0)
		return rc;
	select_after_load(p);
	p->repaint = true;
	return 0;
}

/* The day goes on as it is scrolled: the next page after the last read
 * (to the end, for End). */
static int agenda_page(struct pane *p, bool backward, bool jump, struct err *e)
{
	struct tui *t = p->t;
	struct agenda *g = p->data;
	if ((backward && !jump) || g->week || !g->more)
		return 0;
	size_t before = g->n_lines, had = g->occ.len;
	if (read_day(t, g, g->day, g->resume, jump ? SIZE_MAX : DAY_PAGE, &g->more, e) < 0 ||
	    audited(t, g->occ.len - had, e) < 0) {
		while (g->occ.len > had)   /* not recorded: not shown */
			appointment_clear(&g->occ.items[--g->occ.len].a);
		return e->code;
	}
	lay_out(g, t->ctx->today);
	p->n = g->n_lines;
	p->more_after = g->more;
	set_title(p);
	return (int)(g->n_lines - before);
}

/* ---- drawing ---- */

/* The patient and whether the visit is confirmed, read once per row. */
static void look(struct tui *t, struct arow *r)
{
	if (r->looked)
		return;
	r->looked = true;
	if (tui_patient_ref(t, r->a.patient_id, &r->who) < 0)
		patient_ref_set(&r->who, r->a.patient_id, r->a.patient_name ? r->a.patient_name : "?",
		                NULL, NULL);
	/* the review's rule: a booked visit in the next confirm_days, and no
	 * reached contact with the patient since it was booked */
	struct err e = {0};
	bool reached = true;
	int days = t->ctx->cfg ? t->ctx->cfg->review.confirm_days : 2;
	if (r->day >= t->ctx->today && r->day - t->ctx->today <= days &&
	    code_find(&APPT_STATUS, r->a.status) == APPT_BOOKED &&
	    store_review_reached_since(t->store, r->a.patient_id, r->a.booked_at, &reached, &e) < 0)
		tui_error(t, &e);
	r->unconfirmed = !reached;
}

/* What needs attention, in words ("" when nothing): only for what is to
 * come and still to take place. */
static void attention(const struct tui *t, const struct arow *r, struct buf *out)
{
	if (r->day < t->ctx->today || !appt_status_live(r->a.status))
		return;
	if (transport_unconfirmed(r->a.transport))
		buf_add(out, "ride?");
	if (r->unconfirmed)
		buf_addf(out, "%sunconfirmed", out->len ? " " : "");
	if (r->overlap)
		buf_addf(out, "%soverlap", out->len ? " " : "");
}

static void hhmm(const struct tui *t, long long utc, char out[8])
{
	int d, m;
	tui_local(t, utc, &d, &m);
	snprintf(out, 8, "%02d:%02d", m / 60 % 24, m % 60);
}

/* A field, cleaned of control characters, fitted to width and padded. */
static void field(struct buf *b, const char *s, int width)
{
	char *clean = text_sanitize(s ? s : "");
	text_fit(b, clean, width, true);
	free(clean);
	buf_add(b, " ");
}

static void draw_appt(struct pane *p, struct arow *r, int y, int x, int width, bool selected)
{
	struct tui *t = p->t;
	look(t, r);
	struct buf b = {0}, why = {0}, who = {0}, what = {0};
	char from[8], to[8], when[16];
	attention(t, r, &why);
	if (r->a.all_day) {
		snprintf(when, sizeof when, "all day");
	} else {
		hhmm(t, r->start, from);
		hhmm(t, r->end, to);
		snprintf(when, sizeof when, "%s-%s", from, to);
	}
	int pw = width >= 140 ? 44 : width >= 100 ? 34 : 28;
	tui_patient_label(&r->who, pw, &who);
	buf_add(&b, why.len ? "! " : "  ");
	field(&b, when, 11);
	field(&b, who.s, pw);
	field(&b, transport_wanted(r->a.transport) ? r->a.transport : "", 9);
	buf_add(&what, r->a.title ? r->a.title : "");
	if (r->a.location)
		buf_addf(&what, " @ %s", r->a.location);
	if (code_find(&APPT_STATUS, r->a.status) != APPT_BOOKED)
		buf_addf(&what, " (%s)", r->a.status);
	int rest = width - text_width(b.s) - (why.len ? text_width(why.s) + 1 : 0);
	field(&b, what.s, rest > 1 ? rest - 1 : 1);
	if (why.len)
		buf_add(&b, why.s);
	int attr = tui_attr(t, selected ? EL_SELECTED : why.len ? EL_TODAY : EL_NORMAL);
	tui_put(p->win, y, x, b.s, width, attr);
	buf_free(&b);
	buf_free(&why);
	buf_free(&who);
	buf_free(&what);
}

static void agenda_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct agenda *g = p->data;
	struct arow *a = line_appt(g, i);
	const struct line *r = &g->lines[i];
	struct tui *t = p->t;
	char key[16], line[128];
	if (a) {
		draw_appt(p, a, y, x, width, selected);
		return;
	}
	if (r->kind == ROW_MORE) {
		const char *k = keymap_key_for(&t->km, SCOPE_AGENDA, ACT_DAY_WEEK, key);
		snprintf(line, sizeof line, "  … more on this day%s%s%s", k ? ": " : "", k ? k : "",
		         k ? " shows the whole day" : "");
	} else if (r->kind == ROW_HEADER) {
		int yy, m, d;
		date_to_ymd(r->day, &yy, &m, &d);
		snprintf(line, sizeof line, "%s %s %d %s %d%s", r->day == g->day ? ">" : " ",
		         date_weekday_name(date_weekday(r->day)), d, date_month_abbr(m), yy,
		         r->day == t->ctx->today ? " — today" : "");
	} else {
		snprintf(line, sizeof line, "  no appointments");
	}
	int el = selected ? EL_SELECTED : r->kind == ROW_HEADER ? EL_HEADER : EL_NORMAL;
	tui_put(p->win, y, x, line, width, tui_attr(t, (enum tui_elem)el));
}

/* ---- actions ---- */

/* Move to a day: within the week shown, the selection goes there; else
 * the agenda loads that day (or its week). */
static void go_to(struct pane *p, int day)
{
	struct agenda *g = p->data;
	g->day = day;
	if (g->week && day >= g->first && day < g->first + g->days) {
		for (size_t i = 0; i < g->n_lines; i++)
			if (g->lines[i].day == day && g->lines[i].kind == ROW_HEADER) {
				p->top = i;
				pane_select(p, i + 1 < g->n_lines ? i + 1 : i);
				break;
			}
		p->repaint = true;
		return;
	}
	g->to_day = true;
	p->reload = true;
}

static int goto_date(struct pane *p)
{
	struct tui *t = p->t;
	char *text = NULL;
	if (!tui_prompt(t, "go to (today, tomorrow, mon, +3d, 2026-12-07): ", "", NULL, NULL, &text))
		return 0;
	int day;
	int rc = date_parse(text, t->ctx->today, tui_holidays(t), &day, &t->err);
	free(text);
	if (rc < 0)
		return -1;
	go_to(p, day);
	return 0;
}

static struct arow *selected_appt(struct pane *p)
{
	struct agenda *g = p->data;
	struct arow *r = line_appt(g, p->sel);
	if (!r) {
		tui_message(p->t, true, "select an appointment first (j/k)");
		return NULL;
	}
	look(p->t, r);
	return r;
}

static void leave(struct pane *p)
{
	struct agenda *g = p->data;
	last.set = true;
	last.day = g->day;
	last.week = g->week;
	tui_pop(p->t);
}

/* Enter: the row's patient in the timeline, the agenda closed (D comes
 * back to the same day). */
static void open_patient(struct pane *p, struct arow *r)
{
	struct tui *t = p->t;
	struct patient_ref who = r->who;
	char key[16];
	const char *k = keymap_key_for(&t->km, SCOPE_GENERIC, ACT_AGENDA, key);
	leave(p);                  /* frees p and r */
	tui_select_patient(t, &who);
	t->focus = SLOT_TIMELINE;
	t->full_redraw = true;
	struct buf label = {0};
	tui_patient_label(&who, 60, &label);
	tui_message(t, false, "%s%s%s%s", label.s ? label.s : "", k ? " — " : "", k ? k : "",
	            k ? " goes back to the agenda" : "");
	buf_free(&label);
}

static int ride_ok(struct pane *p, struct arow *r)
{
	struct tui *t = p->t;
	if (!transport_wanted(r->a.transport)) {
		tui_message(t, false, "no ride is arranged for this appointment (e edits it)");
		return 0;
	}
	struct change ch = {0};
	bool series = r->a.rrule || r->a.rdate;
	char *title = xstrdup(r->a.title ? r->a.title : "");
	if (care_confirm_transport(t->store, r->a.id, t->ctx->now, &ch, &t->err) < 0) {
		free(title);
		return -1;
	}
	tui_changed(t, &ch);
	tui_message(t, false, "transport confirmed: %s%s", title,
	            series ? " (every occurrence of the series)" : "");
	free(title);
	p->reload = true;
	return 0;
}

/* An action on the selected row's appointment or patient. */
static int row_action(struct pane *p, enum action a)
{
	struct tui *t = p->t;
	struct arow *r = selected_appt(p);
	if (!r)
		return 0;
	struct patient_ref who = r->who;
	int rc;
	switch (a) {
	case ACT_OPEN:
		open_patient(p, r);
		return 0;
	case ACT_RIDE_OK:
		return ride_ok(p, r);
	case ACT_EDIT:
		rc = tui_edit_appointment(t, &who, r->a.id);
		break;
	case ACT_ADD:
		rc = tui_add_appointment(t, &who);
		break;
	case ACT_NOTE:
		rc = tui_add_note(t, &who);
		break;
	case ACT_CONTACT:
		rc = tui_log_contact(t, &who);
		break;
	case ACT_EXPORT:
		rc = tui_export(t, &who);
		break;
	default:
		rc = tui_template(t, &who);
		break;
	}
	p->reload = true;          /* what it changed shows */
	return rc < 0 ? -1 : 0;
}

static int agenda_action(struct pane *p, enum action a)
{
	struct tui *t = p->t;
	struct agenda *g = p->data;
	switch (a) {
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_AGENDA:
		leave(p);
		return 1;
	case ACT_HELP: {
		struct strlist lines = {0};
		keymap_help(&t->km, &lines);
		tui_show_text(t, "Keys (the agenda's are under \"agenda\")", &lines);
		return 1;
	}
	case ACT_PREV_DAY:
	case ACT_NEXT_DAY:
		go_to(p, g->day + (a == ACT_NEXT_DAY ? 1 : -1));
		return 1;
	case ACT_TODAY:
		go_to(p, t->ctx->today);
		return 1;
	case ACT_DAY_WEEK:
		g->week = !g->week;
		g->to_day = true;
		p->top = 0;
		p->reload = true;
		return 1;
	case ACT_GOTO_DATE:
		return goto_date(p) < 0 ? -1 : 1;
	case ACT_UNASSIGNED:
		return tui_unassigned_open(t) < 0 ? -1 : 1;
	case ACT_OPEN:
	case ACT_RIDE_OK:
	case ACT_EDIT:
	case ACT_ADD:
	case ACT_NOTE:
	case ACT_CONTACT:
	case ACT_EXPORT:
	case ACT_TEMPLATE:
		return row_action(p, a) < 0 ? -1 : 1;
	default:
		break;
	}
	if (pane_move(p, a)) {
		/* the day follows the selection (w then shows that day) */
		if (p->sel < g->n_lines && g->day != g->lines[p->sel].day) {
			g->day = g->lines[p->sel].day;
			p->repaint = true;
		}
		return 1;
	}
	tui_message(t, false, "%s: not in the agenda (press ? for the keys)", action_name(a));
	return 1;                  /* the agenda is modal */
}

static int agenda_patient(struct pane *p, struct patient_ref *out)
{
	struct agenda *g = p->data;
	struct arow *r = line_appt(g, p->sel);
	if (!r)
		return 0;
	look(p->t, r);
	*out = r->who;
	return 1;
}

static void agenda_free(struct pane *p)
{
	struct agenda *g = p->data;
	occ_free(&g->occ);
	free(g->lines);
	free(g);
}

static const enum action agenda_hints[] = {
	ACT_PREV_DAY, ACT_NEXT_DAY, ACT_DAY_WEEK, ACT_TODAY, ACT_GOTO_DATE, ACT_OPEN, ACT_EDIT,
	ACT_RIDE_OK, ACT_UNASSIGNED, ACT_BACK, ACT_NONE};

static const struct pane_ops agenda_ops = {
	.hints = agenda_hints,
	.scope = SCOPE_AGENDA,
	.load = agenda_load,
	.page = agenda_page,
	.draw_row = agenda_draw_row,
	.action = agenda_action,
	.patient = agenda_patient,
	.free = agenda_free,
	/* its rows, their patients, the reached contacts its marks look for */
	.shows = CHANGE_APPT | CHANGE_PATIENT | CHANGE_ENTRY,
};

int tui_agenda_open(struct tui *t)
{
	struct agenda *g = xcalloc(1, sizeof *g);
	g->day = last.set ? last.day : t->ctx->today;
	g->week = last.set && last.week;
	g->to_day = true;
	struct pane *p = pane_new(t, &agenda_ops, g);
	p->popup = p->fullscreen = true;
	snprintf(p->title, sizeof p->title, "Agenda");
	tui_push(t, p);
	return 0;
}

/* ---- the unassigned appointments ---- */

struct unassigned {
	struct appointment_list rows;
	bool more;                 /* more than UNASSIGNED_MAX */
};

static int unassigned_load(struct pane *p, struct err *e)
{
	struct tui *t = p->t;
	struct unassigned *u = p->data;
	long long keep = p->sel < u->rows.len ? u->rows.items[p->sel].id : 0;
	size_t at = p->sel;
	appointment_list_free(&u->rows);
	p->n = 0;
	struct appt_query q = {.unassigned = true, .limit = UNASSIGNED_MAX + 1};
	if (store_appt_list(t->store, &q, &u->rows, e) < 0 ||
	    audit_read(t->store, "list", "screen unassigned", 0, (long long)u->rows.len, e) < 0)
		return e->code;
	u->more = u->rows.len > UNASSIGNED_MAX;
	if (u->more) {
		appointment_clear(&u->rows.items[UNASSIGNED_MAX]);
		u->rows.len = UNASSIGNED_MAX;
	}
	p->n = u->rows.len;
	for (size_t i = 0; keep && i < u->rows.len; i++)
		if (u->rows.items[i].id == keep)
			at = i;
	char key[16];
	const char *k = keymap_key_for(&t->km, SCOPE_AGENDA, ACT_ASSIGN_PATIENT, key);
	snprintf(p->title, sizeof p->title, "Unassigned appointments — %s%zu", u->more ? "the first " : "",
	         u->rows.len);
	if (k && u->rows.len)
		snprintf(p->title + strlen(p->title), sizeof p->title - strlen(p->title),
		         " — %s gives one to a patient", k);
	pane_select(p, at);
	p->repaint = true;
	return 0;
}

static void when_text(const struct tui *t, const struct appointment *a, char *out, size_t n)
{
	int day, min;
	char d[DATE_SHOW_STRLEN];
	if (a->all_day) {
		snprintf(out, n, "%s", date_show(date_of_utc(a->start), t->ctx->today, d));
		return;
	}
	tui_local(t, a->start, &day, &min);
	snprintf(out, n, "%s", date_show_time(day, min, t->ctx->today, d));
}

static void unassigned_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct unassigned *u = p->data;
	const struct appointment *a = &u->rows.items[i];
	struct buf b = {0}, what = {0};
	char when[40];
	when_text(p->t, a, when, sizeof when);
	field(&b, when, 16);
	field(&b, a->rrule || a->rdate ? "series" : a->recurrence_id && *a->recurrence_id ? "moved" : "",
	      6);
	buf_add(&what, a->title ? a->title : "");
	if (a->location)
		buf_addf(&what, " @ %s", a->location);
	int src = width >= 100 ? 30 : 20;
	int rest = width - text_width(b.s) - src - 1;
	field(&b, what.s, rest > 1 ? rest : 1);
	field(&b, a->source ? a->source : "", src);
	tui_put(p->win, y, x, b.s, width, tui_attr(p->t, selected ? EL_SELECTED : EL_NORMAL));
	buf_free(&b);
	buf_free(&what);
}

/* A: the selected row, or (asked when it has more than one row) its
 * whole series, to a patient. */
static int assign(struct pane *p)
{
	struct tui *t = p->t;
	struct unassigned *u = p->data;
	if (!u->rows.len) {
		tui_message(t, false, "nothing is unassigned");
		return 0;
	}
	long long id = u->rows.items[p->sel].id;
	char *uid = xstrdup(u->rows.items[p->sel].uid);
	struct patient_ref who;
	struct appointment_list same = {0};
	int rc = tui_choose_patient(t, "assign to", &who);
	if (rc == 1 && store_appt_by_series(t->store, uid, &same, &t->err) < 0)
		rc = -1;
	free(uid);
	if (rc <= 0)
		return rc;
	bool series = false;
	if (same.len > 1) {
		char *q = xasprintf("All %zu appointments of this series (one calendar UID)? n: only "
		                    "this one", same.len);
		series = tui_confirm(t, q);
		free(q);
	}
	appointment_list_free(&same);
	struct change ch = {0};
	size_t n = 1;
	rc = series ? appt_assign_series(t->store, id, who.id, false, t->ctx->now, &n, &ch, &t->err)
	            : appt_assign(t->store, id, who.id, false, t->ctx->now, &ch, &t->err);
	if (rc < 0)
		return -1;
	tui_changed(t, &ch);
	struct buf label = {0};
	tui_patient_label(&who, 60, &label);
	tui_message(t, false, "%zu appointment%s assigned to %s", n, n == 1 ? "" : "s",
	            label.s ? label.s : "");
	buf_free(&label);
	return 0;
}

static void show_unassigned(struct pane *p)
{
	struct unassigned *u = p->data;
	if (!u->rows.len)
		return;
	const struct appointment *a = &u->rows.items[p->sel];
	char when[40], end[40];
	when_text(p->t, a, when, sizeof when);
	struct appointment e = *a;
	e.start = a->end;
	when_text(p->t, &e, end, sizeof end);
	const struct label_value f[] = {
		{"Title", a->title}, {"Starts", when}, {"Ends", end}, {"Location", a->location},
		{"Repeats", a->rrule}, {"Status", a->status}, {"Transport", a->transport},
		{"Source", a->source}, {"UID", a->uid},
	};
	tui_show_fields(p->t, "Unassigned appointment", f, sizeof f / sizeof f[0]);
}

static int unassigned_action(struct pane *p, enum action a)
{
	struct tui *t = p->t;
	switch (a) {
	case ACT_BACK:
	case ACT_QUIT:
	case ACT_UNASSIGNED:
		tui_pop(t);
		return 1;
	case ACT_ASSIGN_PATIENT:
		return assign(p) < 0 ? -1 : 1;
	case ACT_OPEN:
		show_unassigned(p);
		return 1;
	case ACT_HELP: {
		struct strlist lines = {0};
		keymap_help(&t->km, &lines);
		tui_show_text(t, "Keys (assign-patient gives the selected appointment a patient)", &lines);
		return 1;
	}
	default:
		break;
	}
	if (pane_move(p, a))
		return 1;
	tui_message(t, false, "%s: not in the unassigned list (press ? for the keys)", action_name(a));
	return 1;                  /* modal */
}

static void unassigned_free(struct pane *p)
{
	struct unassigned *u = p->data;
	appointment_list_free(&u->rows);
	free(u);
}

static const enum action unassigned_hints[] = {ACT_ASSIGN_PATIENT, ACT_OPEN, ACT_DOWN, ACT_UP,
                                               ACT_BACK, ACT_NONE};

static const struct pane_ops unassigned_ops = {
	.hints = unassigned_hints,
	.scope = SCOPE_AGENDA,
	.load = unassigned_load,
	.draw_row = unassigned_draw_row,
	.action = unassigned_action,
	.free = unassigned_free,
	.shows = CHANGE_APPT,
};

int tui_unassigned_open(struct tui *t)
{
	struct pane *p = pane_new(t, &unassigned_ops, xcalloc(1, sizeof(struct unassigned)));
	p->popup = p->fullscreen = true;
	snprintf(p->title, sizeof p->title, "Unassigned appointments");
	tui_push(t, p);
	return 0;
}
