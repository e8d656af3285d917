/* tui_chart: a patient's chart over the workstation (Enter on a patient),
 * and the view that shows a text whole (Enter on a timeline entry).
 *
 * Both are a document popup: lines wrapped to the popup's width (again
 * after a resize), scrolled with the movement keys.  The chart's lines
 * come from chart_read (services/chart.c, the same gathering as `caseload
 * patient show`), in sections; its own keys (the chart scope) add to it
 * through the use cases in services/care.c, and it loads again after
 * each.  Every string from outside goes through tui_put (sanitized). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/chart.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "pane.h"

#define LABEL_W 14             /* "Label         value", as patient show prints */

struct doc_line {
	char *text;
	bool head;             /* a section's heading */
};

struct doc {
	struct doc_line *items;
	size_t len, cap;
	int width;             /* the columns the lines are wrapped to */
	char *text;            /* a text view's text (NULL: a chart) */
	struct patient_ref who;/* the chart's patient */
	bool read;             /* the chart's read is in the audit */
};

static void doc_clear(struct doc *d)
{
	for (size_t i = 0; i < d->len; i++)
		free(d->items[i].text);
	free(d->items);
	d->items = NULL;
	d->len = d->cap = 0;
}

/* The columns inside the popup's border. */
static int doc_width(const struct tui *t)
{
	int w = tui_popup_width(t) - 2;
	return w > 10 ? w : 10;
}

/* One line of sanitized text (no newline), wrapped at spaces; the lines
 * after the first are indented by `hang` columns. */
static void wrap_line(struct doc *d, const char *s, int hang, bool head)
{
	int indent = 0;
	if (hang > d->width / 2)
		hang = 4 < d->width / 2 ? 4 : 0;
	do {
		int room = d->width - indent;
		size_t n = strlen(s);
		if (text_width(s) > room) {
			n = text_prefix_bytes(s, room);
			size_t cut = n;
			while (cut > 0 && s[n] != ' ' && s[cut - 1] != ' ')
				cut--;
			if (cut > 0 && s[n] != ' ')
				n = cut;
			if (n == 0)        /* a character wider than the room */
				for (n = 1; (s[n] & 0xc0) == 0x80; n++)
					;
		}
		struct doc_line *l = LIST_PUSH(d);
		l->text = xasprintf("%*s%.*s", indent, "", (int)n, s);
		l->head = head;
		s += n;
		while (*s == ' ')
			s++;
		indent = hang;
	} while (*s);
}

/* Text from outside (sanitized here), each of its lines wrapped. */
static void doc_text(struct doc *d, int hang, bool head, const char *text)
{
	struct buf b = {0};
	text_sanitize_into(&b, text ? text : "", true);
	char empty[1] = "", *s = b.s ? b.s : empty;
	for (char *nl; (nl = strchr(s, '\n')); s = nl + 1) {
		*nl = '\0';
		wrap_line(d, s, hang, head);
	}
	wrap_line(d, s, hang, head);
	buf_free(&b);
}

static void doc_addf(struct doc *d, int hang, bool head, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void doc_addf(struct doc *d, int hang, bool head, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	doc_text(d, hang, head, b.s);
	buf_free(&b);
}

/* "  Label         value", when there is a value. */
static void field(struct doc *d, const char *label, const char *v)
{
	if (v && *v)
		doc_addf(d, LABEL_W + 3, false, "  %-*s %s", LABEL_W, label, v);
}

static void heading(struct doc *d, const char *title, size_t n)
{
	if (d->len)
		wrap_line(d, "", 0, false);
	if (n == (size_t)-1)
		doc_addf(d, 0, true, "%s", title);
	else
		doc_addf(d, 0, true, "%s (%zu)", title, n);
}

void tui_format_when(const struct tui *t, long long utc, bool with_time, char out[48])
{
	int day, min;
	char shown[DATE_SHOW_STRLEN];
	tui_local(t, utc, &day, &min);
	snprintf(out, 48, "%s", with_time ? date_show_time(day, min, t->ctx->today, shown)
	                                  : date_show(day, t->ctx->today, shown));
}

/* ---- the chart's sections ---- */

static void chart_demographics(struct doc *d, const struct chart *c)
{
	const struct patient *p = &c->p;
	char *name = patient_display_name(p->family, p->given), risk[96], id[24];
	heading(d, "Patient", (size_t)-1);
	field(d, "Name", name);
	free(name);
	field(d, "Born", p->dob ? p->dob : "(not recorded)");
	field(d, "MRN", p->mrn ? p->mrn : "(none)");
	snprintf(id, sizeof id, "%lld", p->id);
	field(d, "Record", id);
	if (p->interpreter) {
		char *lang = xasprintf("%s, interpreter needed", p->language ? p->language : "(not recorded)");
		field(d, "Language", lang);
		free(lang);
	} else {
		field(d, "Language", p->language);
	}
	if (p->do_not_contact) {
		/* the number stays in the record; the chart says not to use it */
		char *phone = xasprintf("%s, do not contact", p->phone ? p->phone : "(none)");
		field(d, "Phone", phone);
		free(phone);
	} else {
		field(d, "Phone", p->phone);
	}
	field(d, "Best time", p->best_time);
	field(d, "Email", p->email);
	field(d, "Address", p->address);
	snprintf(risk, sizeof risk, "%s, check in every %d days", p->risk,
	         p->cadence_days ? p->cadence_days : risk_default_cadence(p->risk));
	field(d, "Risk", risk);
	field(d, "Coordinator", p->coordinator);
	field(d, "Medicare", p->qmb ? "Qualified Medicare Beneficiary" : NULL);
	field(d, "Status", p->status);
}

static void none(struct doc *d, size_t n, const char *what)
{
	if (!n)
		doc_addf(d, 0, false, "  %s", what);
}

static void chart_plans(struct doc *d, const struct chart *c, int today)
{
	char shown[DATE_SHOW_STRLEN];
	heading(d, "Active care plans", c->plans.len);
	none(d, c->plans.len, "none");
	for (size_t i = 0; i < c->plans.len; i++) {
		const struct chart_plan *cp = &c->plans.items[i];
		doc_addf(d, 4, false, "  #%lld %s%s%s", cp->plan.id, cp->plan.title,
		         cp->plan.start ? ", from " : "",
		         cp->plan.start ? date_show_iso(cp->plan.start, today, shown) : "");
		for (size_t k = 0; k < cp->goals.len; k++) {
			const struct goal *g = &cp->goals.items[k];
			doc_addf(d, 10, false, "    goal: %s%s%s%s", g->description,
			         g->target ? " (target: " : "", g->target ? g->target : "",
			         g->target ? ")" : "");
			if (g->due)
				doc_addf(d, 10, false, "          by %s%s%s", date_show_iso(g->due, today, shown),
				         g->status ? ", " : "",
				         g->status ? g->status : "");
		}
		for (size_t k = 0; k < cp->tasks.len; k++) {
			char *line = chart_task_line(&cp->tasks.items[k], today);
			doc_addf(d, 10, false, "    task %s", line);
			free(line);
		}
	}
	size_t other = 0;
	for (size_t i = 0; i < c->tasks.len; i++)
		other += c->tasks.items[i].plan_id == 0;
	heading(d, "Other open tasks", other);
	none(d, other, "none");
	for (size_t i = 0; i < c->tasks.len; i++) {
		if (c->tasks.items[i].plan_id)
			continue;
		char *line = chart_task_line(&c->tasks.items[i], today);
		doc_addf(d, 4, false, "  %s", line);
		free(line);
	}
}

static void chart_month(const struct tui *t, struct doc *d, const struct chart *c)
{
	heading(d, "Contact attempts this month", c->contacts.len);
	none(d, c->contacts.len, "none yet");
	for (size_t i = 0; i < c->contacts.len; i++) {
		const struct entry *en = &c->contacts.items[i];
		char when[48];
		tui_format_when(t, en->at, true, when);
		if (en->minutes > 0)
			doc_addf(d, 4, false, "  %s  %s: %s (%d min)", when, en->kind, en->outcome,
			         en->minutes);
		else
			doc_addf(d, 4, false, "  %s  %s: %s", when, en->kind, en->outcome);
	}
	heading(d, "Care management time", (size_t)-1);
	long long left = c->ccm_target - c->ccm_minutes;
	char from[DATE_SHOW_STRLEN], to[DATE_SHOW_STRLEN];
	doc_addf(d, 4, false, "  %lld of %d minutes this month (%s to %s)%s", c->ccm_minutes,
	         c->ccm_target, date_show_iso(c->month_from, t->ctx->today, from),
	         date_show_iso(c->month_to, t->ctx->today, to), left > 0 ? "" : ": target met");
	if (left > 0)
		doc_addf(d, 4, false, "  %lld minute%s to go", left, left == 1 ? "" : "s");
	heading(d, "Programs and consent", c->episodes.len + c->consents.len);
	none(d, c->episodes.len + c->consents.len, "no program, no consent on file");
	for (size_t i = 0; i < c->episodes.len; i++) {
		char *line = chart_episode_line(&c->episodes.items[i], t->ctx->today);
		doc_addf(d, 4, false, "  %s", line);
		free(line);
	}
	for (size_t i = 0; i < c->consents.len; i++) {
		char *line = chart_consent_line(&c->consents.items[i], t->ctx->today);
		doc_addf(d, 4, false, "  consent: %s", line);
		free(line);
	}
}

static void chart_upcoming(const struct tui *t, struct doc *d, const struct chart *c)
{
	heading(d, "Upcoming appointments", c->upcoming.len);
	none(d, c->upcoming.len, "none in the next 90 days");
	for (size_t i = 0; i < c->upcoming.len; i++) {
		const struct appointment *a = c->upcoming.items[i].appt;
		char when[48];
		tui_format_when(t, c->upcoming.items[i].start, !a->all_day, when);
		bool booked = code_find(&APPT_STATUS, a->status) == APPT_BOOKED;
		doc_addf(d, 4, false, "  %s  %s%s%s%s%s%s%s", when, a->title ? a->title : "(appointment)",
		         a->location ? " @ " : "", a->location ? a->location : "",
		         booked ? "" : " [", booked ? "" : a->status, booked ? "" : "]",
		         transport_wanted(a->transport) ? " (transport)" : "");
		if (transport_wanted(a->transport))
			doc_addf(d, 6, false, "    transport: %s", a->transport);
	}
}

static void chart_lines(const struct tui *t, struct doc *d, const struct chart *c)
{
	chart_demographics(d, c);
	heading(d, "Care team", c->team.len);
	none(d, c->team.len, "none recorded");
	for (size_t i = 0; i < c->team.len; i++) {
		char *line = chart_team_line(&c->team.items[i]);
		doc_addf(d, 4, false, "  %s", line);
		free(line);
	}
	heading(d, "Conditions", c->conditions.len);
	none(d, c->conditions.len, "none recorded");
	for (size_t i = 0; i < c->conditions.len; i++)
		doc_addf(d, 4, false, "  %s", c->conditions.items[i].name);
	heading(d, "Medications", c->meds.len);
	none(d, c->meds.len, "none recorded");
	for (size_t i = 0; i < c->meds.len; i++) {
		char *line = chart_med_line(&c->meds.items[i], t->ctx->today);
		doc_addf(d, 4, false, "  %s", line);
		free(line);
	}
	chart_plans(d, c, t->ctx->today);
	chart_month(t, d, c);
	chart_upcoming(t, d, c);
}

/* ---- the popup ---- */

static int doc_load(struct pane *p, struct err *e)
{
	struct doc *d = p->data;
	struct tui *t = p->t;
	doc_clear(d);
	d->width = doc_width(t);
	int rc = 0;
	if (d->text) {
		/* "Label: value": the value wraps clear of its label */
		char *copy = xstrdup(d->text), *s = copy, *nl;
		do {
			if ((nl = strchr(s, '\n')))
				*nl = '\0';
			const char *colon = strstr(s, ": ");
			doc_text(d, colon && colon - s < 20 ? (int)(colon - s) + 2 : 0, false, s);
			s = nl + 1;
		} while (nl);
		free(copy);
	} else {
		struct chart c;
		struct chart_when w = {.today = t->ctx->today, .now = t->ctx->now, .zone = t->ctx->zone,
		                       .source = d->read ? NULL : "chart"};
		rc = chart_read(t->store, d->who.id, &w, t->ctx->cfg, &c, e);
		if (rc == 0) {
			d->read = true;
			char *name = patient_display_name(c.p.family, c.p.given);
			patient_ref_set(&d->who, c.p.id, name, c.p.dob, c.p.mrn);
			free(name);
			struct buf title = {0};
			buf_add(&title, "Chart: ");
			tui_patient_label(&d->who, tui_popup_width(t) - 14, &title);
			snprintf(p->title, sizeof p->title, "%s", title.s);
			buf_free(&title);
			chart_lines(t, d, &c);
		}
		chart_free(&c);
	}
	p->n = d->len;
	p->sel = p->top;       /* the selection is not shown: it holds the scroll */
	p->repaint = true;
	return rc;
}

static void doc_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct doc *d = p->data;
	(void)selected;
	int attr = d->items[i].head ? tui_attr(p->t, EL_HEADER) | (int)A_BOLD : tui_attr(p->t, EL_NORMAL);
	tui_put(p->win, y, x, d->items[i].text, width, attr);
}

/* Scroll (the selection follows the top line, so that placing the popup
 * again keeps the place). */
static int doc_scroll(struct pane *p, enum action a)
{
	size_t h = (size_t)(pane_height(p) > 0 ? pane_height(p) : 1);
	size_t last = p->n > h ? p->n - h : 0;
	switch (a) {
	case ACT_DOWN:
		p->top = p->top < last ? p->top + 1 : last;
		break;
	case ACT_PAGE_DOWN:
		p->top = p->top + h < last ? p->top + h : last;
		break;
	case ACT_UP:
		p->top = p->top > 0 ? p->top - 1 : 0;
		break;
	case ACT_PAGE_UP:
		p->top = p->top > h ? p->top - h : 0;
		break;
	case ACT_TOP:
		p->top = 0;
		break;
	case ACT_BOTTOM:
		p->top = last;
		break;
	default:
		return 0;
	}
	p->sel = p->top;
	p->repaint = true;
	return 1;
}

static void doc_help(struct tui *t)
{
	struct strlist lines = {0};
	keymap_help(&t->km, &lines);
	tui_show_text(t, "Keys (the chart's are under \"chart\")", &lines);
}

/* Keys every document popup shares: 1 handled (the popup may be gone). */
static int doc_common(struct pane *p, enum action a)
{
	switch (a) {
	case ACT_BACK:
	case ACT_OPEN:
	case ACT_QUIT:
		tui_pop(p->t);
		return 1;
	case ACT_HELP:
		doc_help(p->t);
		return 1;
	default:
		return doc_scroll(p, a);
	}
}

static int text_action(struct pane *p, enum action a)
{
	doc_common(p, a);
	return 1;              /* modal: other keys do nothing here */
}

static void doc_free(struct pane *p)
{
	struct doc *d = p->data;
	doc_clear(d);
	free(d->text);
	free(d);
}

static const enum action text_hints[] = {ACT_DOWN, ACT_UP, ACT_PAGE_DOWN, ACT_BOTTOM, ACT_BACK,
                                         ACT_NONE};

static const struct pane_ops text_doc_ops = {
	.hints = text_hints,
	.scope = SCOPE_GENERIC,
	.load = doc_load,
	.draw_row = doc_draw_row,
	.action = text_action,
	.free = doc_free,
};

void tui_show_doc(struct tui *t, const char *title, const char *text)
{
	struct doc *d = xcalloc(1, sizeof *d);
	d->text = xstrdup(text ? text : "");
	struct pane *p = pane_new(t, &text_doc_ops, d);
	p->popup = true;
	snprintf(p->title, sizeof p->title, "%s", title);
	struct err e = {0};
	doc_load(p, &e);       /* the lines now: the popup is sized by them */
	tui_push(t, p);
}

/* ---- the chart's actions ---- */

/* A date and an optional time ("" or HH:MM; none: noon) in the
 * coordinator's zone, to a UTC instant. */
static int when_of(struct tui *t, const char *date, const char *time, long long *at)
{
	int d, m = 12 * 60;
	if (date_parse(date, t->ctx->today, tui_holidays(t), &d, &t->err) < 0 ||
	    (*time && time_parse(time, &m, &t->err) < 0) ||
	    tz_local_to_utc(t->ctx->zone, d, m, at, &t->err) < 0)
		return -1;
	return 0;
}

static int check_contact_kind(struct tui *t, const char *v, struct err *e)
{
	(void)t;
	return code_find(&CONTACT_KIND, v) < 0 ? err_set(e, ERR_USAGE, "one of %s", code_list(&CONTACT_KIND)) : 0;
}

static int check_disposition(struct tui *t, const char *v, struct err *e)
{
	(void)t;
	return code_find(&DISCHARGE_DISPOSITION, v) < 0
	           ? err_set(e, ERR_USAGE, "one of %s", code_list(&DISCHARGE_DISPOSITION)) : 0;
}

static const char *opt(const char *v)
{
	return v && *v ? v : NULL;
}

static int add_team_member(struct tui *t, const struct patient_ref *who)
{
	struct form_field f[] = {
		{.label = "Name", .required = true},
		{.label = "Role", .hint = "on this patient's team: nurse, cardiologist, daughter ...", .required = true},
		{.label = "Phone"},
		{.label = "Kind", .value = "other", .hint = "primary-care, specialist, pharmacy, family, ...", .check = check_contact_kind, .required = true},
		{.label = "Organization"},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (!tui_form(t, "Care team of", who, f, n))
		return 0;
	struct contact c = {.name = f[0].value, .phone = opt(f[2].value), .kind = f[3].value,
	                    .organization = opt(f[4].value)};
	struct change ch = {0};
	long long id;
	char *msg = xasprintf("care team: %s (%s) added", f[0].value, f[1].value);
	int rc = tui_done(t, care_team_member_add(t->store, who->id, &c, f[1].value, &id, &ch, &t->err),
	                  msg, &ch);
	free(msg);
	form_fields_free(f, n);
	return rc;
}

static int add_condition(struct tui *t, const struct patient_ref *who)
{
	struct form_field f[] = {
		{.label = "Condition", .required = true},
		{.label = "Onset", .hint = "a date, or empty", .check = tui_check_date},
	};
	if (!tui_form(t, "Condition of", who, f, 2))
		return 0;
	char day[DATE_STRLEN];
	int d, rc = 0;
	const char *onset = NULL;
	if (*f[1].value && (rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d, &t->err)) == 0)
		onset = date_format(d, day);
	struct change ch = {0};
	long long id;
	if (rc == 0)
		rc = care_condition_add(t->store, who->id, f[0].value, onset, &id, &ch, &t->err);
	char *msg = xasprintf("condition added: %s", f[0].value);
	rc = tui_done(t, rc, msg, &ch);
	free(msg);
	form_fields_free(f, 2);
	return rc;
}

static int add_medication(struct tui *t, const struct patient_ref *who)
{
	struct form_field f[] = {
		{.label = "Medication", .required = true},
		{.label = "Dose", .hint = "10 mg daily"},
		{.label = "Refill due", .hint = "a date: +30d, 2026-12-20, or empty", .check = tui_check_date},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (!tui_form(t, "Medication of", who, f, n))
		return 0;
	char day[DATE_STRLEN];
	int d, rc = 0;
	struct medication m = {.patient_id = who->id, .name = f[0].value, .dose = opt(f[1].value)};
	if (*f[2].value && (rc = date_parse(f[2].value, t->ctx->today, tui_holidays(t), &d, &t->err)) == 0)
		m.refill_due = date_format(d, day);
	struct change ch = {0};
	if (rc == 0)
		rc = care_med_add(t->store, &m, &ch, &t->err);
	char *msg = xasprintf("medication added: %s", f[0].value);
	rc = tui_done(t, rc, msg, &ch);
	free(msg);
	form_fields_free(f, n);
	return rc;
}

/* An admission, a discharge or a result: an entry to acknowledge. */
static int add_event(struct tui *t, const struct patient_ref *who, enum action a)
{
	bool result = a == ACT_RESULT, discharge = a == ACT_DISCHARGE;
	struct form_field f[] = {
		{.label = result ? "Result" : "Facility", .hint = result ? "what came back" : "the hospital", .required = true},
		{.label = "Date", .value = "today", .hint = "today, -1d, mon, 2026-11-30", .check = tui_check_date, .required = true},
		{.label = "Time", .hint = "HH:MM (empty: noon)", .check = tui_check_time},
		{.label = "Note"},
		{.label = "Disposition", .value = "home", .hint = "home, home-health, snf, rehab, hospice, other-hospital, other", .check = check_disposition, .required = true},
	};
	int n = discharge ? 5 : 4;
	const char *title = result ? "Result for" : discharge ? "Discharge of" : "Admission of";
	if (!tui_form(t, title, who, f, n))
		return 0;
	struct entry en = {.patient_id = who->id, .author = t->ctx->user};
	struct change ch = {0};
	int rc = when_of(t, f[1].value, f[2].value, &en.at);
	if (result) {
		char *text = *f[3].value ? xasprintf("%s; %s", f[0].value, f[3].value) : xstrdup(f[0].value);
		en.text = text;
		if (rc == 0)
			rc = care_result(t->store, &en, &ch, &t->err);
		free(text);
	} else {
		en.facility = f[0].value;
		en.text = opt(f[3].value);
		if (rc == 0)
			rc = discharge ? care_discharge(t->store, &en, f[4].value, t->ctx->zone, &ch, &t->err)
			               : care_admission(t->store, &en, &ch, &t->err);
	}
	rc = tui_done(t, rc, result      ? "result recorded, to acknowledge"
	                     : discharge ? "discharge recorded: the review follows it up (call, visit)"
	                                 : "admission recorded", &ch);
	form_fields_free(f, n);
	return rc;
}

/* ---- editing what the chart shows (e: a pick list of its records) ---- */

/* A medication or a condition being edited: the row as read, whose id
 * and version the save sends (the version moves on after a lost race). */
struct record_edit {
	struct medication m;
	struct condition c;
	struct contact k;
	const struct patient_ref *who;
};

/* A form's date field to ISO into day, or NULL when empty. */
static int form_date(struct tui *t, const char *v, const char *field, char day[DATE_STRLEN],
                     const char **out)
{
	int d;
	*out = NULL;
	if (!*v)
		return 0;
	if (date_parse(v, t->ctx->today, tui_holidays(t), &d, &t->err) < 0)
		return err_field(&t->err, field);
	*out = date_format(d, day);
	return 0;
}

static int save_med(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct record_edit *r = arg;
	char day[DATE_STRLEN];
	(void)n;
	struct medication m = {.id = r->m.id, .version = r->m.version, .name = f[0].value,
	                       .dose = opt(f[1].value), .status = f[3].value};
	if (form_date(t, f[2].value, "refill due", day, &m.refill_due) < 0)
		return t->err.code;
	struct change ch = {0};
	int rc = care_med_edit(t->store, &m, &ch, &t->err);
	if (rc == ERR_CONFLICT) {
		struct medication now = {0};
		struct err keep = t->err;
		if (store_med_get(t->store, r->m.id, &now, &t->err) < 0)
			return t->err.code;
		t->err = keep;
		rc = tui_lost_race(t, now.version, &r->m.version);
		medication_clear(&now);
	}
	if (rc < 0)
		return rc;
	tui_message(t, false, "medication saved: %s", f[0].value);
	tui_changed(t, &ch);
	return 0;
}

static int save_condition(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct record_edit *r = arg;
	char day[DATE_STRLEN];
	(void)n;
	struct condition c = {.id = r->c.id, .version = r->c.version, .name = f[0].value,
	                      .status = f[2].value};
	if (form_date(t, f[1].value, "onset", day, &c.onset) < 0)
		return t->err.code;
	struct change ch = {0};
	int rc = care_condition_edit(t->store, &c, &ch, &t->err);
	if (rc == ERR_CONFLICT) {
		struct condition now = {0};
		struct err keep = t->err;
		if (store_condition_get(t->store, r->c.id, &now, &t->err) < 0)
			return t->err.code;
		t->err = keep;
		rc = tui_lost_race(t, now.version, &r->c.version);
		condition_clear(&now);
	}
	if (rc < 0)
		return rc;
	tui_message(t, false, "condition saved: %s", f[0].value);
	tui_changed(t, &ch);
	return 0;
}

/* After a care-team edit lost the race: the versions of the member's
 * contact and care-team row now, so that Enter again saves over them. */
static int member_lost_race(struct tui *t, const struct patient_ref *who, struct contact *k)
{
	struct contact_list team = {0};
	struct err keep = t->err;
	if (store_contact_list(t->store, who->id, &team, &t->err) < 0) {
		contact_list_free(&team);
		return t->err.code;
	}
	t->err = keep;
	for (size_t i = 0; i < team.len; i++)
		if (team.items[i].team_id == k->team_id) {
			k->team_version = team.items[i].team_version;
			tui_lost_race(t, team.items[i].version, &k->version);
		}
	contact_list_free(&team);
	return ERR_CONFLICT;
}

/* A care-team member's name and phone (their contact record) and role. */
static int save_member(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct record_edit *r = arg;
	struct contact now = {0};
	(void)n;
	if (store_contact_get(t->store, r->k.id, &now, &t->err) < 0)
		return t->err.code;
	str_set(&now.name, f[0].value);
	str_set(&now.phone, opt(f[2].value));
	now.version = r->k.version;
	struct change ch = {0};
	int rc = care_team_edit(t->store, r->k.team_id, r->k.team_version, &now, f[1].value, &ch,
	                        &t->err);
	contact_clear(&now);
	if (rc == ERR_CONFLICT)
		rc = member_lost_race(t, r->who, &r->k);
	if (rc < 0)
		return rc;
	tui_message(t, false, "care team: %s (%s) saved", f[0].value, f[1].value);
	tui_changed(t, &ch);
	return 0;
}

static void edit_med(struct tui *t, const struct patient_ref *who, const struct medication *m)
{
	struct record_edit r = {.m = {.id = m->id, .version = m->version}};
	struct form_field f[] = {
		{.label = "Medication", .value = m->name, .required = true},
		{.label = "Dose", .value = m->dose ? m->dose : "", .hint = "10 mg daily"},
		{.label = "Refill due", .value = m->refill_due ? m->refill_due : "",
		 .hint = "a date: +30d, 2026-12-20, or empty", .check = tui_check_date, .name = "refill due"},
		{.label = "Status", .value = m->status, .choices = &MED_STATUS, .required = true},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (tui_form_save(t, "Medication of", who, f, n, save_med, &r))
		form_fields_free(f, n);
}

static void edit_condition(struct tui *t, const struct patient_ref *who, const struct condition *c)
{
	struct record_edit r = {.c = {.id = c->id, .version = c->version}};
	struct form_field f[] = {
		{.label = "Condition", .value = c->name, .required = true},
		{.label = "Onset", .value = c->onset ? c->onset : "", .hint = "a date, or empty",
		 .check = tui_check_date},
		{.label = "Status", .value = c->status, .choices = &CONDITION_STATUS, .required = true},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (tui_form_save(t, "Condition of", who, f, n, save_condition, &r))
		form_fields_free(f, n);
}

static void edit_member(struct tui *t, const struct patient_ref *who, const struct contact *k)
{
	struct record_edit r = {.k = {.id = k->id, .version = k->version, .team_id = k->team_id,
	                              .team_version = k->team_version},
	                        .who = who};
	struct form_field f[] = {
		{.label = "Name", .value = k->name, .required = true},
		{.label = "Role", .value = k->role ? k->role : "",
		 .hint = "on this patient's team: nurse, cardiologist, daughter ...", .required = true},
		{.label = "Phone", .value = k->phone ? k->phone : ""},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (tui_form_save(t, "Care team of", who, f, n, save_member, &r))
		form_fields_free(f, n);
}

/* "Kind: text" as a pick list's item. */
static void add_item(struct strlist *l, const char *kind, const char *text)
{
	char *item = xasprintf("%s: %s", kind, text);
	strlist_add(l, item);
	free(item);
}

/* e on the chart: the patient, or one of their medications, conditions
 * or care-team members, chosen from a list, in its form prefilled. */
static int edit_pick(struct tui *t, const struct patient_ref *who)
{
	struct medication_list meds = {0};
	struct condition_list conds = {0};
	struct contact_list team = {0};
	struct strlist items = {0};
	int rc = 0;
	if (store_med_list(t->store, who->id, &meds, &t->err) < 0 ||
	    store_condition_list(t->store, who->id, true, &conds, &t->err) < 0 ||
	    store_contact_list(t->store, who->id, &team, &t->err) < 0) {
		rc = -1;
		goto out;
	}
	strlist_add(&items, "The patient (demographics)");
	for (size_t i = 0; i < meds.len; i++) {
		char *line = chart_med_line(&meds.items[i], t->ctx->today);
		add_item(&items, "Medication", line);
		free(line);
	}
	for (size_t i = 0; i < conds.len; i++)
		add_item(&items, "Condition", conds.items[i].name);
	for (size_t i = 0; i < team.len; i++) {
		char *line = chart_team_line(&team.items[i]);
		add_item(&items, "Care team", line);
		free(line);
	}
	size_t k = 0;
	if (!tui_pick(t, "Edit", (const char *const *)items.items, items.len, &k))
		goto out;
	if (k == 0)
		rc = tui_edit_patient(t, who->id);
	else if ((k -= 1) < meds.len)
		edit_med(t, who, &meds.items[k]);
	else if ((k -= meds.len) < conds.len)
		edit_condition(t, who, &conds.items[k]);
	else
		edit_member(t, who, &team.items[k - conds.len]);
out:
	strlist_free(&items);
	medication_list_free(&meds);
	condition_list_free(&conds);
	contact_list_free(&team);
	return rc;
}

static int chart_action(struct pane *p, enum action a)
{
	struct doc *d = p->data;
	struct tui *t = p->t;
	struct patient_ref who = d->who;   /* the popup may be reloaded meanwhile */
	int rc;
	switch (a) {
	case ACT_EDIT:
		rc = edit_pick(t, &who);
		break;
	case ACT_NOTE:
		rc = tui_add_note(t, &who);
		break;
	case ACT_CONTACT:
		rc = tui_log_contact(t, &who);
		break;
	case ACT_HANDOUT:           /* changes nothing: the chart stays as read */
		return tui_handout(t, &who) < 0 ? -1 : 1;
	case ACT_TEAM_MEMBER:
		rc = add_team_member(t, &who);
		break;
	case ACT_CONDITION:
		rc = add_condition(t, &who);
		break;
	case ACT_MEDICATION:
		rc = add_medication(t, &who);
		break;
	case ACT_ADMISSION:
	case ACT_DISCHARGE:
	case ACT_RESULT:
		rc = add_event(t, &who, a);
		break;
	default:
		return doc_common(p, a);   /* 0: "not here" */
	}
	p->reload = true;          /* what was added shows */
	return rc < 0 ? -1 : 1;
}

/* The chart's patient: note, contact and the like act on them. */
static int chart_patient(struct pane *p, struct patient_ref *out)
{
	struct doc *d = p->data;
	*out = d->who;
	return 1;
}

static const enum action chart_hints[] = {
	ACT_EDIT, ACT_TEAM_MEMBER, ACT_CONDITION, ACT_MEDICATION, ACT_ADMISSION, ACT_DISCHARGE,
	ACT_RESULT, ACT_NOTE, ACT_CONTACT, ACT_HANDOUT, ACT_BACK, ACT_NONE};

static const struct pane_ops chart_ops = {
	.hints = chart_hints,
	.scope = SCOPE_CHART,
	.load = doc_load,
	.draw_row = doc_draw_row,
	.action = chart_action,
	.patient = chart_patient,
	.free = doc_free,
};

int tui_chart_open(struct tui *t, const struct patient_ref *who)
{
	struct doc *d = xcalloc(1, sizeof *d);
	d->who = *who;
	struct pane *p = pane_new(t, &chart_ops, d);
	p->popup = true;
	if (doc_load(p, &t->err) < 0) {
		pane_free(&p);
		return -1;
	}
	p->reload = false;
	tui_push(t, p);
	return 0;
}
