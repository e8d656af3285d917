/* review: the rules of the daily check-in review, and its actions.  Each
 * rule is one bounded store query (store_review.h) turned into attention
 * items here; appointments in the days ahead come from recur_range so
 * that series count. */
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "caseload/care.h"
#include "caseload/billing.h"
#include "caseload/model.h"
#include "caseload/program.h"
#include "caseload/recur.h"
#include "caseload/review.h"
#include "caseload/rules.h"
#include "caseload/store.h"
#include "caseload/store_review.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

/* How far back a discharge still calls for transitional care (the TCM
 * period is 30 days). */
#define TCM_WINDOW_DAYS 30
/* A kept row stands for its day and the days after it up to its last
 * day: the first day at least KEPT_DAYS on whose place in a cycle of
 * KEPT_DAYS_CYCLE days is its patients' (patient id / KEPT_DAYS_BLOCK),
 * so that a row made again on its last day stands for a whole cycle more
 * and each day, once the review is listed, about one block in
 * KEPT_DAYS_CYCLE is made again, whatever the day the caseload was all
 * made (with 3 + a block's 0 to 2 days after the day made, at 100,000
 * patients a third on some days and none on others: the day's review
 * 2.5 to 2.8 s, over 4x the patient list; with a cycle of 10 days, 1.5
 * to 1.7 s; of 7, 1.6 to 1.9 s; of 14, much as with 10, the first line
 * later).  Those of a day are runs of neighbours (kept_run: one
 * statement each), not every tenth patient.  Each period of its days
 * (at most STORE_REVIEW_PERIOD_DAYS) is a row of review_period: more
 * days, more rows to write when a row is made (every row made again at
 * 100,000 patients, the rows 2 to 11 days ahead: 6.8 s against 5.0 s
 * with 3 to 5, periods of any length). */
#define KEPT_DAYS 2
#define KEPT_DAYS_CYCLE 10
#define KEPT_DAYS_BLOCK 256
/* How far ahead the cadence rule looks for the kept review's rows. */
#define KEPT_CADENCE_AHEAD (KEPT_DAYS + KEPT_DAYS_CYCLE)

/* The last day a patient's kept row made on `day` looks at. */
static int kept_last(int day, long long pid)
{
	int place = (int)(pid / KEPT_DAYS_BLOCK % KEPT_DAYS_CYCLE);
	int first = day + KEPT_DAYS;
	/* (days are counted from 1970-01-01, negative before it: the % twice
	 * keeps the place in the cycle) */
	int off = ((place - first) % KEPT_DAYS_CYCLE + KEPT_DAYS_CYCLE) % KEPT_DAYS_CYCLE;
	return first + off;
}
/* How much of an entry's text goes into a detail line, in columns. */
#define DETAIL_TEXT_COLS 60

static const struct {
	const char *code, *help;
} reasons[REASON_N] = {
	[REASON_TASK_OVERDUE] = {"task-overdue", "an open task past its due date (not snoozed)"},
	[REASON_TASK_DUE] = {"task-due", "an open task due today"},
	[REASON_TRANSPORT] = {"transport", "an appointment in the next days needs transport not yet confirmed"},
	[REASON_APPT_CONFIRM] = {"appt-confirm", "a booked appointment in the next days, no contact with the patient since it was booked"},
	[REASON_REFILL] = {"refill", "a refill comes due soon and no refill task is open"},
	[REASON_TCM_CONTACT] = {"tcm-contact", "discharged from hospital: a reached call or visit is due within a few business days"},
	[REASON_TCM_VISIT] = {"tcm-visit", "discharged from hospital: no follow-up appointment booked in time"},
	[REASON_CADENCE] = {"cadence", "no successful contact within the patient's check-in cadence"},
	[REASON_CCM_MINUTES] = {"ccm-minutes", "chronic care management minutes short with the month ending"},
	[REASON_NOSHOW] = {"noshow", "a missed appointment with no follow-up task"},
	[REASON_UNREVIEWED] = {"unreviewed", "a result, admission, discharge or message not yet acknowledged"},
	[REASON_CONSENT_MISSING] = {"consent-missing", "enrolled in a program whose consent is withdrawn or not on file"},
	[REASON_CCM_ELIGIBLE] = {"ccm-eligible", "two or more active conditions and not in chronic care management"},
};
static const char *const severities[] = {"low", "medium", "high", "urgent"};

const char *review_reason_code(enum review_reason r)
{
	return r < REASON_N ? reasons[r].code : "?";
}

const char *review_reason_help(enum review_reason r)
{
	return r < REASON_N ? reasons[r].help : "";
}

const char *review_severity_name(enum review_severity s)
{
	return s <= SEV_URGENT ? severities[s] : "?";
}

int review_reason_find(const char *code)
{
	for (int i = 0; code && i < REASON_N; i++)
		if (!strcmp(reasons[i].code, code))
			return i;
	return -1;
}

void review_list_free(struct review_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].patient);
		free(l->items[i].detail);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* ---- building ---- */

/* Whether patients are active, for the rules that start from
 * appointments: a small open-addressing table, looked up once each. */
struct seen {
	long long *ids;            /* 0: empty slot */
	bool *active;
	size_t cap, len;
};

struct spill;

/* Of each patient of a range with one, the last reached contact's instant,
 * by patient (ascending). */
struct reached {
	long long *pid, *at;
	size_t n, cap;
};

/* What a rule's statement gave for a patient of a batch of the review
 * kept (kept_make), read once and evaluated again for each day its
 * patient's items may differ on (replay): a row, or an appointment's
 * occurrence (the fields occ_appointment reads) with whether the patient
 * was reached since its booking; a discharge's follow-up visit. */
enum fact_kind {
	FACT_TASK, FACT_APPT, FACT_REFILL, FACT_DISCHARGE, FACT_CADENCE, FACT_CCM, FACT_NOSHOW,
	FACT_UNREVIEWED, FACT_CONSENT, FACT_ELIGIBLE
};
struct fact {
	size_t who, seq;           /* the batch's patient; the order read */
	enum fact_kind kind;
	struct review_row w;       /* its strings owned */
	struct appointment a;      /* FACT_APPT: title, status, transport, name owned */
	long long start;
	int month_end;             /* FACT_CCM: its month's last day */
	bool reached, visit;
};

/* A batch of the review kept: its patients (ascending), each one's items
 * and the first day they may differ on; recording, what the rules'
 * statements gave (facts) and the first day after the day under review
 * on which they would give other rows (horizon, in until). */
struct kept_many {
	const long long *ids;
	size_t n;
	struct review_list *lists;
	int *until;
	struct fact *facts;
	size_t n_facts, cap_facts;
};

struct ctx {
	struct seen seen;
	struct spill *spill;       /* the items go there, not into out */
	struct buf name;           /* the spilled item's patient */
	struct store *s;
	long long pid;             /* 0: everyone */
	/* a batch (kb): the statements read the patients pid..to_id, the
	 * items of kb's patient `at` go to its list and its until */
	long long to_id;
	struct kept_many *kb;
	size_t at;
	const struct config *cfg;
	const char *zone;
	struct review_list *out;
	struct err *e;
	/* whether the patient was reached since appointment reached_of was
	 * booked (0: not asked yet) */
	long long reached_of;
	/* a batch: the last reached contact of each patient of its range to
	 * be made again that has one (read once, before its appointments) */
	struct reached reached_last;
	int ccm_end;               /* the month's last day */
	int ccm_need;              /* the month's CCM threshold (program_threshold) */
	unsigned only;             /* reasons kept (1u << REASON_x); 0: all */
	int day;
	/* kept: the first day after `day` on which the items could differ
	 * (reasons, severities, order; not the day counts, written as read),
	 * and the furthest day looked at (the rules look ahead to it) */
	int until, last;
	int by;                    /* kept: rows that end by it made again too */
	/* the next item's day count (REVIEW_COUNT_x, the day it counts from
	 * or to) and whether its due is the day under review, whatever the
	 * day: add() records them and resets them */
	int count_day;
	unsigned char count;
	bool due_today;
	bool failed;               /* a spilled item could not be written (e set) */
	bool kept;                 /* made for the review kept in the store */
	bool record;               /* kept: the rows into c->kb's facts */
	/* kept: the transitional-care windows of the days from tcm_base on
	 * (tcm_days[i].c NULL: not looked up yet), tcm_n of them */
	struct tcm_windows *tcm_days;
	int tcm_base, tcm_n;
	bool reached;
	char ccm_from[DATE_STRLEN];   /* its first day */
};

/* "2026-11-27 10:30" in the coordinator's zone (or the date alone). */
static char *when_text(const struct ctx *c, long long utc, bool all_day, char *out, size_t n)
{
	char d[DATE_STRLEN];
	int day, minutes;
	struct err e;
	if (all_day) {
		snprintf(out, n, "%s", date_format(date_of_utc(utc), d));
		return out;
	}
	if (tz_utc_to_local(c->zone, utc, &day, &minutes, &e) < 0)
		day = date_of_utc(utc), minutes = (int)((utc - date_utc_midnight(day)) / 60);
	snprintf(out, n, "%s %02d:%02d", date_format(day, d), minutes / 60, minutes % 60);
	return out;
}

static size_t slot_of(long long id, size_t cap)
{
	return (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ULL % cap);
}

static void seen_put(struct seen *t, long long id, bool active)
{
	if (!t->cap || 2 * (t->len + 1) > t->cap) {
		struct seen old = *t;
		t->cap = old.cap ? 2 * old.cap : 64;
		t->ids = xcalloc(t->cap, sizeof *t->ids);
		t->active = xcalloc(t->cap, sizeof *t->active);
		t->len = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.ids[i])
				seen_put(t, old.ids[i], old.active[i]);
		free(old.ids);
		free(old.active);
	}
	size_t i = slot_of(id, t->cap);
	while (t->ids[i] && t->ids[i] != id)
		i = (i + 1) % t->cap;
	t->len += !t->ids[i];
	t->ids[i] = id;
	t->active[i] = active;
}

static int patient_active(struct ctx *c, long long id, bool *active)
{
	struct seen *t = &c->seen;
	for (size_t i = t->cap ? slot_of(id, t->cap) : 0; t->cap && t->ids[i]; i = (i + 1) % t->cap)
		if (t->ids[i] == id)
			return *active = t->active[i], 0;
	char *name = NULL;
	int rc = store_review_patient(c->s, id, active, &name, c->e);
	free(name);
	if (rc == 0)
		seen_put(t, id, *active);
	return rc;
}

static int spill_item(struct ctx *c, const struct review_item *it);

/* A day count as the details write it ("3 days", "1 day") and the words
 * after it ("overdue"), for `day`. */
static const char *count_text(unsigned char kind, int count_day, int day, char *out, size_t n)
{
	int k = kind == REVIEW_COUNT_LEFT ? count_day - day : day - count_day;
	if (kind == REVIEW_COUNT_AGO)
		snprintf(out, n, "%d days", k);
	else
		snprintf(out, n, "%d day%s", k, k == 1 ? "" : "s");
	return out;
}

static const char *count_after(unsigned char kind)
{
	return kind == REVIEW_COUNT_OVERDUE ? " overdue" : kind == REVIEW_COUNT_AGO ? " ago" : " left";
}

/* The detail's day count (the last one followed by its words) as
 * REVIEW_COUNT_MARK, which sanitized text never holds; false if not
 * there. */
#define REVIEW_COUNT_MARK '\x01'
static bool count_mark(struct buf *detail, unsigned char kind, int count_day, int day)
{
	char cnt[32];
	struct buf want = {0}, out = {0};
	buf_add(&want, count_text(kind, count_day, day, cnt, sizeof cnt));
	buf_add(&want, count_after(kind));
	const char *at = NULL;
	for (const char *p = detail->s; p && (p = strstr(p, want.s)) != NULL; p++)
		at = p;
	if (at) {
		buf_addn(&out, detail->s, (size_t)(at - detail->s));
		buf_addc(&out, REVIEW_COUNT_MARK);
		buf_add(&out, at + strlen(cnt));
		buf_free(detail);
		*detail = out;
	}
	buf_free(&want);
	return at != NULL;
}

static void add(struct ctx *c, long long pid, const char *patient, enum review_reason r,
                enum review_severity sev, int due, const char *ref_table, long long ref_id,
                long long ref_at, const char *fmt, ...) __attribute__((format(printf, 10, 11)));

static void add(struct ctx *c, long long pid, const char *patient, enum review_reason r,
                enum review_severity sev, int due, const char *ref_table, long long ref_id,
                long long ref_at, const char *fmt, ...)
{
	unsigned char count = c->count;
	bool due_today = c->due_today;
	c->count = REVIEW_COUNT_NONE;
	c->due_today = false;
	if (c->only && !(c->only & (1u << r)))
		return;
	struct buf raw = {0}, clean = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&raw, fmt, ap);
	va_end(ap);
	/* text from outside (titles, notes) must not reach a terminal raw */
	if (raw.s && text_is_clean(raw.s))
		clean = raw, raw = (struct buf){0};
	else
		text_sanitize_into(&clean, raw.s ? raw.s : "", false);
	struct review_item item = {.patient_id = pid, .reason = r, .severity = sev, .due = due,
	                           .ref_table = ref_table, .ref_id = ref_id, .ref_at = ref_at,
	                           .due_today = due_today};
	if (c->kept && count && count_mark(&clean, count, c->count_day, c->day)) {
		item.count = count;
		item.count_day = c->count_day;
	}
	if (c->spill) {
		/* lent to the spill: the name in a buffer kept for the next item */
		buf_reset(&c->name);
		buf_add(&c->name, patient ? patient : "");
		buf_add(&clean, "");
		item.patient = c->name.s;
		item.detail = clean.s;
		if (!c->failed && spill_item(c, &item) < 0)
			c->failed = true;
	} else {
		struct review_item *it = LIST_PUSH(c->out);
		*it = item;
		it->patient = xstrdup(patient ? patient : "");
		/* its own size, not the buffer's room: a caseload's list holds many */
		it->detail = xstrdup(clean.s ? clean.s : "");
	}
	buf_free(&raw);
	buf_free(&clean);
}

/* Kept: the items may differ from day d on (a day not after the day
 * under review is in them already). */
static void until(struct ctx *c, int d)
{
	if (!c->kept || d <= c->day)
		return;
	if (d < c->until)
		c->until = d;
}

/* The first of ids[0..n) (ascending) not below id (n: none). */
static size_t id_at(const long long *ids, size_t n, long long id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A batch: whether pid is one of its patients (the rows of the others in
 * its range are left), its items and its days taken up. */
static bool focus(struct ctx *c, long long pid)
{
	struct kept_many *b = c->kb;
	if (!b || b->ids[c->at] == pid)
		return true;
	size_t lo = id_at(b->ids, b->n, pid);
	if (lo == b->n || b->ids[lo] != pid)
		return false;
	b->until[c->at] = c->until;
	c->at = lo;
	c->until = b->until[lo];
	c->out = &b->lists[lo];
	return true;
}

static const char *dup_or_null(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

/* A fact of the batch's patient c->at, its strings still the caller's. */
static struct fact *fact_new(struct ctx *c, enum fact_kind kind, const struct review_row *w)
{
	struct kept_many *b = c->kb;
	if (b->n_facts == b->cap_facts) {
		b->cap_facts = b->cap_facts ? 2 * b->cap_facts : 256;
		b->facts = xrealloc(b->facts, b->cap_facts * sizeof *b->facts);
	}
	struct fact *f = &b->facts[b->n_facts++];
	*f = (struct fact){.who = c->at, .seq = b->n_facts - 1, .kind = kind};
	if (w) {
		f->w = *w;
		f->w.patient = dup_or_null(w->patient);
		f->w.risk = dup_or_null(w->risk);
		f->w.day = dup_or_null(w->day);
		f->w.text = dup_or_null(w->text);
		f->w.extra = dup_or_null(w->extra);
		f->w.from = dup_or_null(w->from);
	}
	return f;
}

static int record(struct ctx *c, enum fact_kind kind, const struct review_row *w)
{
	fact_new(c, kind, w);
	return 0;
}

static void facts_free(struct kept_many *b)
{
	for (size_t i = 0; i < b->n_facts; i++) {
		struct fact *f = &b->facts[i];
		str_free(f->w.patient);
		str_free(f->w.risk);
		str_free(f->w.day);
		str_free(f->w.text);
		str_free(f->w.extra);
		str_free(f->w.from);
		str_free(f->a.title);
		str_free(f->a.status);
		str_free(f->a.transport);
		str_free(f->a.patient_name);
	}
	free(b->facts);
	b->facts = NULL;
	b->n_facts = b->cap_facts = 0;
}

static const char *plural(long n)
{
	return n == 1 ? "" : "s";
}


/* A rule's rows come one at a time: each `row_` function turns one into
 * items (a negative return: a spilled item could not be written). */
static int added(const struct ctx *c)
{
	return c->failed ? c->e->code : 0;
}

static int row_task(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_TASK, w);
	int due, from;
	if (date_parse_iso(w->day, &due) < 0)
		return 0;      /* a malformed due date never matches a rule */
	/* kept: read up to the last day, one due or snoozed later comes then */
	if (due > c->day) {
		until(c, due);
		return 0;
	}
	if (w->from && date_parse_iso(w->from, &from) == 0 && from > c->day) {
		until(c, from);
		return 0;
	}
	bool urgent = task_priority_urgent(w->extra);
	if (due < c->day) {
		int late = c->day - due;
		c->count = REVIEW_COUNT_OVERDUE;
		c->count_day = due;
		add(c, w->patient_id, w->patient, REASON_TASK_OVERDUE, urgent ? SEV_URGENT : SEV_HIGH,
		    due, "task", w->ref_id, 0, "%s: due %s, %d day%s overdue", w->text, w->day, late,
		    plural(late));
	} else {
		until(c, c->day + 1);      /* overdue tomorrow */
		add(c, w->patient_id, w->patient, REASON_TASK_DUE, urgent ? SEV_HIGH : SEV_MEDIUM, due,
		    "task", w->ref_id, 0, "%s: due today", w->text);
	}
	return added(c);
}

static int rule_tasks(struct ctx *c)
{
	char today[DATE_STRLEN];
	return store_review_tasks(c->s, c->pid, c->to_id,
	                          date_format(c->kept ? c->last : c->day, today), row_task, c, c->e);
}

static void last_put(void *arg, long long pid, long long at)
{
	struct reached *r = &((struct ctx *)arg)->reached_last;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->pid = xrealloc(r->pid, r->cap * sizeof *r->pid);
		r->at = xrealloc(r->at, r->cap * sizeof *r->at);
	}
	r->pid[r->n] = pid;
	r->at[r->n++] = at;
}

/* A batch's patient's last reached contact (LLONG_MIN: none). */
static long long last_reached(const struct ctx *c, long long pid)
{
	const struct reached *r = &c->reached_last;
	size_t lo = id_at(r->pid, r->n, pid);
	return lo < r->n && r->pid[lo] == pid ? r->at[lo] : LLONG_MIN;
}

/* Appointments of the days ahead, series expanded: transport and
 * confirmation; one occurrence at a time. */
static int occ_appointment(void *arg, const struct occurrence *o)
{
	struct ctx *c = arg;
	const struct review_cfg *r = &c->cfg->review;
	const struct appointment *a = o->appt;
	int rc;
	if (!a->patient_id || !appt_status_live(a->status) || !focus(c, a->patient_id))
		return 0;
	if (c->record) {
		struct fact *f = fact_new(c, FACT_APPT, NULL);
		f->a = (struct appointment){.id = a->id, .patient_id = a->patient_id,
		                            .all_day = a->all_day, .booked_at = a->booked_at,
		                            .title = dup_or_null(a->title),
		                            .status = dup_or_null(a->status),
		                            .transport = dup_or_null(a->transport),
		                            .patient_name = dup_or_null(a->patient_name)};
		f->start = o->start;
		f->reached = last_reached(c, a->patient_id) >= a->booked_at;
		return 0;
	}
	int d = a->all_day ? date_of_utc(o->start) : tz_local_date(c->zone, o->start);
	if (d < c->day)
		return 0;      /* began before today (a long event) */
	bool ride = transport_unconfirmed(a->transport);
	bool confirm = code_find(&APPT_STATUS, a->status) == APPT_BOOKED;
	if (confirm && (c->kept || d - c->day <= r->confirm_days)) {
		/* (a series' occurrences: one question) */
		if (c->kb && c->reached_of != a->id)
			c->reached = last_reached(c, a->patient_id) >= a->booked_at;
		else if (c->reached_of != a->id &&
		         store_review_reached_since(c->s, a->patient_id, a->booked_at, &c->reached,
		                                    c->e) < 0)
			return c->e->code;
		c->reached_of = a->id;
		confirm = !c->reached;
	}
	/* kept: the days its items come, turn high and go */
	if (ride) {
		until(c, d - r->transport_days);
		until(c, d - 1);
		until(c, d + 1);
	}
	if (confirm) {
		until(c, d - r->confirm_days);
		until(c, d + 1);
	}
	ride = ride && d - c->day <= r->transport_days;
	confirm = confirm && d - c->day <= r->confirm_days;
	if (!ride && !confirm)
		return 0;
	bool active;
	char when[40];
	const char *name = a->patient_name;
	if ((rc = patient_active(c, a->patient_id, &active)) < 0)
		return rc;
	when_text(c, o->start, a->all_day, when, sizeof when);
	if (active && ride)
		add(c, a->patient_id, name, REASON_TRANSPORT, d - c->day <= 1 ? SEV_HIGH : SEV_MEDIUM, d,
		    "appointment", a->id, o->start, "%s %s: transport %s, not confirmed", a->title, when,
		    a->transport);
	if (active && confirm)
		add(c, a->patient_id, name, REASON_APPT_CONFIRM, SEV_MEDIUM, d, "appointment", a->id,
		    o->start, "%s %s: no contact with the patient since it was booked", a->title, when);
	return added(c);
}

static int rule_appointments(struct ctx *c)
{
	const struct review_cfg *r = &c->cfg->review;
	int ahead = r->transport_days > r->confirm_days ? r->transport_days : r->confirm_days;
	long long from = tz_local_midnight(c->zone, c->day);
	/* kept: those coming into the days ahead up to the last day too */
	if (!c->kb)
		return recur_each(c->s, c->pid, from,
		                  tz_local_midnight(c->zone,
		                                    (c->kept ? c->last : c->day) + ahead + 1),
		                  occ_appointment, c, c->e);
	/* a batch: up to its last patient's furthest day (an occurrence
	 * beyond a patient's own gives it no item, nor a day before its last);
	 * whether each was reached since a booking, from one statement */
	if (store_review_reached_last(c->s, c->day, c->by, c->pid, c->to_id, last_put, c, c->e) < 0)
		return c->e->code;
	return recur_each_range(c->s, c->pid, c->to_id, from,
	                        tz_local_midnight(c->zone, c->last + ahead + 1), occ_appointment, c,
	                        c->e);
}

static int row_refill(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_REFILL, w);
	int due;
	if (date_parse_iso(w->day, &due) < 0)
		return 0;
	if (due - c->cfg->review.refill_days > c->day) {
		until(c, due - c->cfg->review.refill_days);   /* kept: read up to the last day */
		return 0;
	}
	until(c, due + 1);     /* was due: high */
	add(c, w->patient_id, w->patient, REASON_REFILL, due < c->day ? SEV_HIGH : SEV_MEDIUM, due,
	    "medication", w->ref_id, 0, "%s%s%s: refill %s %s, no refill task open", w->text,
	    w->extra ? " " : "", w->extra ? w->extra : "", due < c->day ? "was due" : "due", w->day);
	return added(c);
}

static int rule_refills(struct ctx *c)
{
	char until[DATE_STRLEN];
	return store_review_refills(c->s, c->pid, c->to_id,
	                            date_format((c->kept ? c->last : c->day) +
	                                        c->cfg->review.refill_days, until),
	                            row_refill, c, c->e);
}

/* A follow-up visit in [from, to) among the patient's appointments,
 * series included (the store's check sees single events only). */
static int visit_in(struct ctx *c, long long pid, long long from, long long to, bool *yes)
{
	struct occurrence_list occ = {0};
	int rc = recur_range(c->s, pid, from, to, &occ, c->e);
	*yes = false;
	for (size_t i = 0; rc == 0 && i < occ.len; i++) {
		const char *st = occ.items[i].appt->status;
		if (occ.items[i].start >= from && !appt_status_gone(st))
			*yes = true;
	}
	occurrence_list_free(&occ);
	return rc;
}

/* The transitional-care windows: the rules file in effect (rules.h) is
 * the one source; the config's review.tcm_* only when no file covers the
 * day. */
struct tcm_windows {
	struct ctx *c;
	const struct holidays *holidays;
	int contact_bdays, days_high, days_moderate;
};

static int tcm_visit_days(const struct tcm_windows *t, const struct review_row *w)
{
	int x = w->extra ? complexity_find(w->extra) : -1;
	if (x == CPLX_HIGH)
		return t->days_high;
	if (x == CPLX_MODERATE)
		return t->days_moderate;
	return code_find(&RISK, w->risk) == RISK_HIGH ? t->days_high : t->days_moderate;
}

/* On the TCM episode the discharge opened (billing.h): day = its
 * face-to-face day, extra = its complexity, n = the second call or visit
 * after the discharge (two attempts in time count as the contact made);
 * has_visit: whether a follow-up visit came (NULL: look). */
static int discharge_at(struct tcm_windows *t, const struct review_row *w, const bool *has_visit)
{
	struct ctx *c = t->c;
	int out = tz_local_date(c->zone, w->at);
	char day[DATE_STRLEN], due_text[DATE_STRLEN];
	const char *fac = w->text ? w->text : "hospital";
	if (out > c->day) {
		until(c, out);
		return 0;      /* recorded ahead of the day under review */
	}
	if (out < c->day - TCM_WINDOW_DAYS)
		return 0;      /* out of the window (a replay of a later day) */
	until(c, out + TCM_WINDOW_DAYS + 1);   /* out of the window */
	date_format(out, day);
	int due = date_add_business_days(t->holidays, out, t->contact_bdays);
	until(c, due + 1);     /* overdue: urgent */
	bool attempts = w->n && tz_local_date(c->zone, w->n) <= due;
	if (!w->flag && !attempts)
		add(c, w->patient_id, w->patient, REASON_TCM_CONTACT,
		    c->day > due ? SEV_URGENT : SEV_HIGH, due, "entry", w->ref_id, w->at,
		    "discharged %s from %s: no reached call or visit yet, %s %s", day, fac,
		    c->day > due ? "overdue since" : "due by", date_format(due, due_text));
	if (!w->flag2 && !w->day) {
		int days = tcm_visit_days(t, w);
		bool visit;
		if (has_visit)
			visit = *has_visit;
		else if (visit_in(c, w->patient_id, w->at, w->at + days * (long long)DAY_SECONDS,
		                  &visit) < 0)
			return c->e->code;
		if (!visit && w->extra)
			add(c, w->patient_id, w->patient, REASON_TCM_VISIT, SEV_HIGH, out + days, "entry",
			    w->ref_id, w->at,
			    "discharged %s from %s: no face-to-face visit within %d days (%s complexity, by %s)",
			    day, fac, days, w->extra, date_format(out + days, due_text));
		else if (!visit)
			add(c, w->patient_id, w->patient, REASON_TCM_VISIT, SEV_HIGH, out + days, "entry",
			    w->ref_id, w->at,
			    "discharged %s from %s: no follow-up appointment within %d days (by %s)", day,
			    fac, days, date_format(out + days, due_text));
	}
	return added(c);
}

static int row_discharge(void *arg, const struct review_row *w)
{
	struct tcm_windows *t = arg;
	struct ctx *c = t->c;
	if (!focus(c, w->patient_id))
		return 0;
	if (!c->record)
		return discharge_at(t, w, NULL);
	/* whether a visit came, once (it does not hang on the day) */
	struct fact *f = fact_new(c, FACT_DISCHARGE, w);
	if (!w->flag2 && !w->day && tz_local_date(c->zone, w->at) <= c->last) {
		int days = tcm_visit_days(t, w);
		if (visit_in(c, w->patient_id, w->at, w->at + days * (long long)DAY_SECONDS,
		             &f->visit) < 0)
			return c->e->code;
	}
	return 0;
}

/* The transitional-care windows of the day c->day. */
static void tcm_of(struct ctx *c, struct tcm_windows *t)
{
	const struct review_cfg *r = &c->cfg->review;
	*t = (struct tcm_windows){c, &c->cfg->holidays, r->tcm_contact_bdays,
	                          r->tcm_visit_days_high, r->tcm_visit_days_other};
	const struct rules *rules;
	struct err none = {0};
	if (rules_for_day(c->day, &rules, &none) == 0) {
		const struct rule_code *h = rules_code(rules, "99496"), *m = rules_code(rules, "99495");
		t->holidays = &rules->holidays;
		t->contact_bdays = rules->contact_bdays;
		if (h)
			t->days_high = h->face_to_face_days;
		if (m)
			t->days_moderate = m->face_to_face_days;
	}
}

/* tcm_of, each day looked up once (a replay's days, a batch's patients). */
static void tcm_day(struct ctx *c, struct tcm_windows *t)
{
	int i = c->day - c->tcm_base;
	if (!c->tcm_days || i < 0 || i >= c->tcm_n) {
		tcm_of(c, t);
		return;
	}
	if (!c->tcm_days[i].c)
		tcm_of(c, &c->tcm_days[i]);
	*t = c->tcm_days[i];
}

static int rule_discharges(struct ctx *c)
{
	struct tcm_windows t;
	tcm_of(c, &t);
	return store_review_discharges(c->s, c->pid, c->to_id,
	                               tz_local_midnight(c->zone, c->day - TCM_WINDOW_DAYS),
	                               t.days_high * (long long)DAY_SECONDS,
	                               t.days_moderate * (long long)DAY_SECONDS, row_discharge, &t,
	                               c->e);
}

static int row_cadence(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_CADENCE, w);
	enum review_severity sev = code_find(&RISK, w->risk) == RISK_HIGH ? SEV_HIGH : SEV_MEDIUM;
	if (w->at == 0) {
		c->due_today = true;
		add(c, w->patient_id, w->patient, REASON_CADENCE, sev, c->day, "patient", w->patient_id,
		    0, "no successful contact on record (check in every %lld days)", w->n);
		return added(c);
	}
	int last = tz_local_date(c->zone, w->at), due = last + (int)w->n;
	char d[DATE_STRLEN];
	until(c, due);
	if (due <= c->day) {
		c->count = REVIEW_COUNT_AGO;
		c->count_day = last;
		add(c, w->patient_id, w->patient, REASON_CADENCE, sev, due, "patient", w->patient_id,
		    w->at, "last reached %s, %d days ago (check in every %lld days)",
		    date_format(last, d), c->day - last, w->n);
	}
	return added(c);
}

static int rule_cadence(struct ctx *c)
{
	const struct review_cfg *r = &c->cfg->review;
	/* kept: the patient's last contact whenever it comes due (within
	 * KEPT_CADENCE_AHEAD days: after the row's last day in any case) */
	return store_review_cadence(c->s, c->pid, c->to_id,
	                            c->kept ? c->day + KEPT_CADENCE_AHEAD : c->day, r->cadence_high,
	                            r->cadence_medium, r->cadence_low, row_cadence, c, c->e);
}

static int row_ccm(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record) {
		struct fact *f = fact_new(c, FACT_CCM, w);
		f->month_end = c->ccm_end;
		return 0;
	}
	int left = c->ccm_end - c->day;    /* (a replay: of its day) */
	c->count = REVIEW_COUNT_LEFT;
	c->count_day = c->ccm_end;
	add(c, w->patient_id, w->patient, REASON_CCM_MINUTES, SEV_LOW, c->ccm_end, "patient",
	    w->patient_id, 0, "%lld of %d care management minutes logged in %.7s, %d day%s left",
	    w->n, c->ccm_need, c->ccm_from, left, plural(left));
	return added(c);
}

/* The last day of day's month; *first its first. */
static int month_end(int day, int *first)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	*first = date_from_ymd(y, m, 1);
	return date_from_ymd(y, m, date_days_in_month(y, m));
}

/* The month's CCM threshold and its first day into c (for its last day
 * end). */
static void ccm_month(struct ctx *c, int end, int first)
{
	if (c->ccm_end == end)
		return;        /* (a replay's: the month's again) */
	c->ccm_end = end;
	date_format(first, c->ccm_from);
	c->ccm_need = program_threshold(c->cfg, "ccm", c->ccm_from);
}

/* Patients in chronic care management short of the month's minutes
 * toward their CCM episode, near the month's end (the ccm-eligible item
 * covers those not in it). */
static int rule_ccm(struct ctx *c)
{
	const struct review_cfg *r = &c->cfg->review;
	char to[DATE_STRLEN];
	int first, rc = 0;
	/* kept: each month whose last days come up to the last day, read for
	 * the replays of those days (replay_ccm) */
	for (int d = c->day; rc == 0 && d <= (c->kept ? c->last : c->day);) {
		int end = month_end(d, &first);
		if (end - (c->kept ? c->last : d) <= r->ccm_days_left) {
			ccm_month(c, end, first);
			rc = store_review_ccm(c->s, c->pid, c->to_id, c->ccm_from,
			                      date_format(c->ccm_end, to), c->ccm_need, row_ccm, c, c->e);
		}
		d = end + 1;
	}
	return rc;
}

/* A replay's CCM row, on a day of its month's last days. */
static int replay_ccm(struct ctx *c, const struct fact *f)
{
	int first, end = month_end(c->day, &first);
	int days_left = c->cfg->review.ccm_days_left;
	if (f->month_end > end) {
		/* a later month's: its item begins on its first day of them,
		 * which may be that month's first (days_left near a month) */
		int from = f->month_end - days_left;
		until(c, from > end + 1 ? from : end + 1);
		return 0;
	}
	if (f->month_end != end)
		return 0;      /* an earlier month's */
	if (end - c->day > days_left) {
		until(c, end - days_left);
		return 0;
	}
	until(c, end + 1);
	ccm_month(c, end, first);
	return row_ccm(c, &f->w);
}

static int row_consent(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_CONSENT, w);
	c->due_today = true;
	add(c, w->patient_id, w->patient, REASON_CONSENT_MISSING, SEV_MEDIUM, c->day, "patient",
	    w->patient_id, 0, "enrolled in %s since %s (episode %lld) with no consent in force",
	    program_label(w->text), w->day, w->ref_id);
	return added(c);
}

static int rule_consent(struct ctx *c)
{
	char day[DATE_STRLEN];
	return store_review_consent_missing(c->s, c->pid, c->to_id, date_format(c->day, day),
	                                    row_consent, c, c->e);
}

/* Every active condition counts as chronic (the condition list has no
 * reliable chronic flag): two or more make a patient eligible for CCM. */
#define CCM_ELIGIBLE_CONDITIONS 2

static int row_eligible(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_ELIGIBLE, w);
	c->due_today = true;
	add(c, w->patient_id, w->patient, REASON_CCM_ELIGIBLE, SEV_LOW, c->day, "patient",
	    w->patient_id, 0, "%lld active conditions, not in chronic care management", w->n);
	return added(c);
}

static int rule_eligible(struct ctx *c)
{
	return store_review_ccm_eligible(c->s, c->pid, c->to_id, CCM_ELIGIBLE_CONDITIONS,
	                                 row_eligible, c, c->e);
}

static int row_noshow(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_NOSHOW, w);
	char when[40];
	int d = tz_local_date(c->zone, w->at);
	if (d > c->day) {
		until(c, d);   /* kept: one ahead */
		return 0;
	}
	if (d < c->day - c->cfg->review.noshow_days)
		return 0;      /* out of the window (a replay of a later day) */
	until(c, d + c->cfg->review.noshow_days + 1);   /* out of the window */
	add(c, w->patient_id, w->patient, REASON_NOSHOW, SEV_MEDIUM, d,
	    "appointment", w->ref_id, w->at, "missed %s %s, no follow-up task since", w->text,
	    when_text(c, w->at, false, when, sizeof when));
	return added(c);
}

static int rule_noshows(struct ctx *c)
{
	return store_review_noshows(c->s, c->pid, c->to_id,
	                            tz_local_midnight(c->zone, c->day - c->cfg->review.noshow_days),
	                            tz_local_midnight(c->zone, (c->kept ? c->last : c->day) + 1),
	                            row_noshow, c, c->e);
}

static int row_unreviewed(void *arg, const struct review_row *w)
{
	struct ctx *c = arg;
	if (!focus(c, w->patient_id))
		return 0;
	if (c->record)
		return record(c, FACT_UNREVIEWED, w);
	char when[40];
	struct buf what = {0};
	if (w->extra) {
		char *clean = text_sanitize(w->extra);
		buf_add(&what, ": ");
		text_fit(&what, clean, DETAIL_TEXT_COLS, false);
		free(clean);
	}
	int d = tz_local_date(c->zone, w->at);
	if (d > c->day)
		until(c, d);
	else
		add(c, w->patient_id, w->patient, REASON_UNREVIEWED, SEV_MEDIUM, d, "entry", w->ref_id,
		    w->at, "%s %s not yet acknowledged%s", w->text,
		    when_text(c, w->at, false, when, sizeof when), what.s ? what.s : "");
	buf_free(&what);
	return added(c);
}

static int rule_unreviewed(struct ctx *c)
{
	return store_review_unreviewed(c->s, c->pid, c->to_id, row_unreviewed, c, c->e);
}

static int by_severity(const void *pa, const void *pb)
{
	const struct review_item *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	if (a->patient_id != b->patient_id)
		return a->patient_id < b->patient_id ? -1 : 1;
	if (a->reason != b->reason)
		return a->reason < b->reason ? -1 : 1;
	if (a->ref_id != b->ref_id)
		return a->ref_id < b->ref_id ? -1 : 1;
	return a->ref_at < b->ref_at ? -1 : a->ref_at > b->ref_at;
}

#define BIT(r) (1u << (r))

/* The rules, and the reasons each can give. */
static const struct {
	int (*run)(struct ctx *);
	unsigned reasons;
} rules[] = {
	{rule_tasks, BIT(REASON_TASK_OVERDUE) | BIT(REASON_TASK_DUE)},
	{rule_appointments, BIT(REASON_TRANSPORT) | BIT(REASON_APPT_CONFIRM)},
	{rule_refills, BIT(REASON_REFILL)},
	{rule_discharges, BIT(REASON_TCM_CONTACT) | BIT(REASON_TCM_VISIT)},
	{rule_cadence, BIT(REASON_CADENCE)},
	{rule_ccm, BIT(REASON_CCM_MINUTES)},
	{rule_noshows, BIT(REASON_NOSHOW)},
	{rule_unreviewed, BIT(REASON_UNREVIEWED)},
	{rule_consent, BIT(REASON_CONSENT_MISSING)},
	{rule_eligible, BIT(REASON_CCM_ELIGIBLE)},
};

/* The rules c asks for, into c->out (sorted) or its spill. */
static int run_rules(struct ctx *c)
{
	if (c->pid && !c->kb && store_patient_exists(c->s, c->pid, c->e) < 0)
		return c->e->code;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof rules / sizeof rules[0]; i++)
		if (!c->only || (c->only & rules[i].reasons))
			rc = rules[i].run(c);
	if (rc == 0 && c->failed)
		rc = c->e->code;
	buf_free(&c->name);
	if (c->kb) {
		c->kb->until[c->at] = c->until;
		return rc; /* the batch's facts (kept_make frees the rest) */
	}
	free(c->seen.ids);
	free(c->seen.active);
	free(c->reached_last.pid);
	free(c->reached_last.at);
	if (!c->out)
		return rc;         /* spilled: read back in order */
	if (rc < 0) {
		review_list_free(c->out);
		return rc;
	}
	if (c->out->len > 1)
		qsort(c->out->items, c->out->len, sizeof *c->out->items, by_severity);
	return 0;
}

/* only: the reasons kept (0: every one); a rule that gives none of them
 * does not run. */
static int build_only(struct store *s, long long pid, int day, const struct config *cfg,
                      unsigned only, struct spill *spill, struct review_list *out, struct err *e)
{
	struct ctx c = {.s = s, .spill = spill, .pid = pid, .day = day, .cfg = cfg,
	                .zone = config_zone(cfg), .out = out, .e = e, .only = only};
	return run_rules(&c);
}

/* Kept: when what the rules' statements do not return for the day comes
 * (a consent given or withdrawn: a, read for the patient): the rows read
 * stand up to that day (its horizon).  (The tasks and refills of the days
 * up to the last are read, row_task and row_refill, and each month's CCM
 * minutes, rule_ccm.) */
static void kept_horizon(struct ctx *c, const struct store_review_ahead *a)
{
	int d;
	if (a->consent[0] && date_parse_iso(a->consent, &d) == 0)
		until(c, d);
	if (a->withdrawn[0] && date_parse_iso(a->withdrawn, &d) == 0)
		until(c, d);
}

/* Kept: when the order of an item due on the day under review and one of
 * a day of its own turns. */
static void kept_order(struct ctx *c, const struct review_list *l)
{
	unsigned today_due = 0;     /* the severities of such items */
	for (size_t i = 0; i < l->len; i++)
		if (l->items[i].due_today)
			today_due |= 1u << l->items[i].severity;
	for (size_t i = 0; today_due && i < l->len; i++)
		if (!l->items[i].due_today && (today_due & (1u << l->items[i].severity)))
			until(c, l->items[i].due == c->day ? c->day + 1 : l->items[i].due);
}

static int ahead_each(void *arg, long long id, const struct store_review_ahead *a)
{
	struct ctx *c = arg;
	if (focus(c, id))
		kept_horizon(c, a);
	return 0;
}

/* kept_horizon for a batch's patients (c->kb: c->pid..c->to_id) after its
 * rules, with one statement. */
static int kept_ahead_all(struct ctx *c)
{
	char today[DATE_STRLEN];
	if (store_review_kept_ahead(c->s, c->day, c->by, c->pid, c->to_id, date_format(c->day, today),
	                            ahead_each, c, c->e) < 0)
		return c->e->code;
	c->kb->until[c->at] = c->until;
	return 0;
}

static int build(struct store *s, long long pid, int day, const struct config *cfg,
                 struct spill *spill, struct review_list *out, struct err *e)
{
	return build_only(s, pid, day, cfg, 0, spill, out, e);
}

int review_build_reasons(struct store *s, int day, const struct config *cfg, unsigned only,
                         struct review_list *out, struct err *e)
{
	return build_only(s, 0, day, cfg, only, NULL, out, e);
}

int review_build(struct store *s, int day, const struct config *cfg, struct review_list *out,
                 struct err *e)
{
	/* one snapshot for every rule, and one lock instead of one a query */
	if (store_begin_read(s, e) < 0)
		return e->code;
	int rc = build(s, 0, day, cfg, NULL, out, e);
	if (rc < 0)
		store_rollback(s);
	else
		rc = store_commit(s, e);
	return rc;
}

int review_build_patient(struct store *s, long long patient_id, int day,
                         const struct config *cfg, struct review_list *out, struct err *e)
{
	if (patient_id <= 0)
		return err_set(e, ERR_USAGE, "no patient given for the review");
	return build(s, patient_id, day, cfg, NULL, out, e);
}

/* Grouping: each item's rank is the position of its patient's first item. */
struct slot {
	long long pid;
	size_t idx, rank;
};

static int by_pid_idx(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_rank_idx(const void *pa, const void *pb)
{
	const struct slot *a = pa, *b = pb;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

void review_group(struct review_list *l)
{
	if (l->len < 2)
		return;
	struct slot *v = xcalloc(l->len, sizeof *v);
	for (size_t i = 0; i < l->len; i++)
		v[i] = (struct slot){l->items[i].patient_id, i, 0};
	qsort(v, l->len, sizeof *v, by_pid_idx);
	for (size_t i = 0; i < l->len; i++)
		v[i].rank = i > 0 && v[i].pid == v[i - 1].pid ? v[i - 1].rank : v[i].idx;
	qsort(v, l->len, sizeof *v, by_rank_idx);
	/* place i takes the item at v[i].idx: moved in place, a cycle at a
	 * time with one item aside (no second copy of a caseload's list);
	 * a place done points at itself */
	for (size_t i = 0; i < l->len; i++) {
		if (v[i].idx == i)
			continue;
		struct review_item aside = l->items[i];
		size_t j = i;
		while (v[j].idx != i) {
			size_t k = v[j].idx;
			l->items[j] = l->items[k];
			v[j].idx = j;
			j = k;
		}
		l->items[j] = aside;
		v[j].idx = j;
	}
	free(v);
}

/* ---- why ---- */

const char *review_item_why(const struct review_item *it, int day, const struct config *cfg,
                            char *out, size_t n)
{
	const struct review_cfg *r = &cfg->review;
	switch (it->reason) {
	case REASON_TRANSPORT:
		snprintf(out, n, "an appointment within %d days needs transport, not yet confirmed",
		         r->transport_days);
		break;
	case REASON_APPT_CONFIRM:
		snprintf(out, n, "a booked appointment within %d days, no contact with the patient since "
		         "it was booked", r->confirm_days);
		break;
	case REASON_REFILL:
		if (it->due < day)
			snprintf(out, n, "a refill is overdue and no refill task is open");
		else
			snprintf(out, n, "a refill comes due within %d days and no refill task is open",
			         r->refill_days);
		break;
	case REASON_TCM_CONTACT:
		snprintf(out, n, "a reached call or visit is due within %d business day%s of discharge",
		         r->tcm_contact_bdays, plural(r->tcm_contact_bdays));
		break;
	case REASON_TCM_VISIT:
		snprintf(out, n, "a follow-up visit is due within %d days of discharge (%d for high risk)",
		         r->tcm_visit_days_other, r->tcm_visit_days_high);
		break;
	case REASON_CADENCE:
		snprintf(out, n, "a successful contact is due every %d/%d/%d days at high/medium/low "
		         "risk, or the patient's own cadence", r->cadence_high, r->cadence_medium,
		         r->cadence_low);
		break;
	case REASON_CCM_MINUTES: {
		int y, m, d;
		char month[DATE_STRLEN];
		date_to_ymd(day, &y, &m, &d);
		date_format(date_from_ymd(y, m, 1), month);
		snprintf(out, n, "fewer than %d minutes toward the chronic care management episode this "
		         "month, %d or fewer days left", program_threshold(cfg, "ccm", month),
		         r->ccm_days_left);
		break;
	}
	case REASON_NOSHOW:
		snprintf(out, n, "a missed appointment in the last %d days with no follow-up task",
		         r->noshow_days);
		break;
	default:
		snprintf(out, n, "%s", review_reason_help(it->reason));
		break;
	}
	return out;
}

/* ---- filters ---- */

/* One comma list into bits; `find` gives an index or -1. */
static int parse_list(const char *list, const char *what, int (*find)(const char *),
                      const char *choices, unsigned *bits, struct err *e)
{
	*bits = 0;
	if (!list)
		return 0;
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, ",", &save); w && rc == 0; w = strtok_r(NULL, ",", &save)) {
		while (*w == ' ')
			w++;
		size_t len = strlen(w);
		while (len && w[len - 1] == ' ')
			w[--len] = '\0';
		if (!*w)
			continue;
		int k = find(w);
		if (k < 0) {
			char *clean = text_sanitize(w);
			rc = err_set(e, ERR_USAGE, "'%s' is not a %s (one of %s)", clean, what, choices);
			free(clean);
		} else {
			*bits |= 1u << k;
		}
	}
	free(copy);
	return rc;
}

static int severity_find(const char *name)
{
	for (int i = 0; i <= SEV_URGENT; i++)
		if (!strcmp(severities[i], name))
			return i;
	return -1;
}

int review_filter_parse(struct review_filter *f, const char *sevs, const char *reasons_list,
                        struct err *e)
{
	struct buf choices = {0};
	for (int i = 0; i < REASON_N; i++)
		buf_addf(&choices, "%s%s", i ? ", " : "", reasons[i].code);
	*f = (struct review_filter){0};
	int rc = parse_list(sevs, "severity", severity_find, "urgent, high, medium, low",
	                    &f->severities, e);
	if (rc == 0)
		rc = parse_list(reasons_list, "review reason", review_reason_find, choices.s,
		                &f->reasons, e);
	buf_free(&choices);
	return rc;
}

int review_filter_parse_any(struct review_filter *f, const char *list, struct err *e)
{
	struct buf sev = {0}, why = {0};
	char *copy = xstrdup(list ? list : ""), *save = NULL;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save))
		buf_addf(severity_find(w) >= 0 ? &sev : &why, "%s,", w);
	free(copy);
	int rc = review_filter_parse(f, sev.s, why.s, e);
	buf_free(&sev);
	buf_free(&why);
	return rc;
}

bool review_filter_match(const struct review_filter *f, const struct review_item *it)
{
	return !f || ((!f->severities || (f->severities & (1u << it->severity))) &&
	              (!f->reasons || (f->reasons & (1u << it->reason))));
}

void review_filter_apply(const struct review_filter *f, struct review_list *l)
{
	if (!f || (!f->severities && !f->reasons))
		return;
	size_t k = 0;
	for (size_t i = 0; i < l->len; i++) {
		if (review_filter_match(f, &l->items[i])) {
			l->items[k++] = l->items[i];
		} else {
			free(l->items[i].patient);
			free(l->items[i].detail);
		}
	}
	l->len = k;
}

void review_filter_text(const struct review_filter *f, struct buf *b)
{
	if (!f)
		return;
	bool first = true;
	for (int i = SEV_URGENT; i >= 0; i--)
		if (f->severities & (1u << i)) {
			buf_addf(b, "%s%s", first ? "" : ",", severities[i]);
			first = false;
		}
	if (f->severities && f->reasons)
		buf_add(b, "; ");
	first = true;
	for (int i = 0; i < REASON_N; i++)
		if (f->reasons & (1u << i)) {
			buf_addf(b, "%s%s", first ? "" : ",", reasons[i].code);
			first = false;
		}
}

/* ---- the day's queue ---- */

void review_queue_free(struct review_queue *q)
{
	free(q->items);
	memset(q, 0, sizeof *q);
}

static enum review_state state_of(const char *s)
{
	return !s ? REVIEW_NONE : !strcmp(s, "skipped") ? REVIEW_SKIPPED : REVIEW_DONE;
}

static int by_id(const void *pa, const void *pb)
{
	const struct review_patient *const *a = pa, *const *b = pb;
	return (*a)->id < (*b)->id ? -1 : (*a)->id > (*b)->id;
}

/* The queue's patients sorted by id, to find them by id. */
static struct review_patient **index_by_id(const struct review_queue *q)
{
	struct review_patient **v = xcalloc(q->len ? q->len : 1, sizeof(struct review_patient *));
	for (size_t i = 0; i < q->len; i++)
		v[i] = &q->items[i];
	qsort(v, q->len, sizeof(struct review_patient *), by_id);
	return v;
}

static struct review_patient *find_id(struct review_patient **v, size_t n, long long id)
{
	struct review_patient key = {.id = id}, *k = &key, **hit;
	hit = bsearch(&k, v, n, sizeof(struct review_patient *), by_id);
	return hit ? *hit : NULL;
}

static int queue_from(struct store *s, int day, const struct review_filter *f,
                      struct review_list *l, struct review_queue *out, struct err *e)
{
	char d[DATE_STRLEN];
	struct review_rows marks = {0};
	struct review_queue g = {0};      /* the patients with items */
	if (store_review_mark_list(s, date_format(day, d), &marks, e) < 0) {
		review_rows_free(&marks);
		return e->code;
	}
	review_filter_apply(f, l);
	review_group(l);
	for (size_t i = 0; i < l->len; i++) {
		const struct review_item *it = &l->items[i];
		struct review_patient *p = g.len ? &g.items[g.len - 1] : NULL;
		if (!p || p->id != it->patient_id) {
			p = LIST_PUSH(&g);
			p->id = it->patient_id;
			p->worst = it->severity;
		}
		p->n_items++;
		if (it->severity > p->worst)
			p->worst = it->severity;
	}
	struct review_patient **v = index_by_id(&g);
	bool filtered = f && (f->severities || f->reasons);
	/* those marked today first, in the order of the marks (so the queue
	 * keeps its order through the day), then the rest, most pressing
	 * first */
	for (size_t i = 0; i < marks.len; i++) {
		struct review_patient *p = find_id(v, g.len, marks.items[i].patient_id);
		if (p)
			p->state = state_of(marks.items[i].text);
		if (p || !filtered) {
			struct review_patient *q = LIST_PUSH(out);
			*q = p ? *p : (struct review_patient){.id = marks.items[i].patient_id};
			q->state = state_of(marks.items[i].text);
		}
	}
	for (size_t i = 0; i < g.len; i++)
		if (g.items[i].state == REVIEW_NONE)
			*LIST_PUSH(out) = g.items[i];
	out->n_items = l->len;
	free(v);
	review_queue_free(&g);
	review_rows_free(&marks);
	return 0;
}

int review_queue(struct store *s, int day, const struct config *cfg,
                 const struct review_filter *f, struct review_queue *out,
                 struct review_list *items, struct err *e)
{
	struct review_list l = {0};
	if (store_begin_read(s, e) < 0)
		return e->code;
	int rc = build(s, 0, day, cfg, NULL, &l, e);
	if (rc == 0)
		rc = queue_from(s, day, f, &l, out, e);
	if (rc < 0) {
		store_rollback(s);
		review_queue_free(out);
		review_list_free(&l);
		return rc;
	}
	if (items)
		*items = l;
	else
		review_list_free(&l);
	return store_commit(s, e);
}

void review_queue_counts(const struct review_queue *q, size_t *need, size_t *done,
                         size_t *skipped)
{
	size_t n = 0, d = 0, k = 0;
	for (size_t i = 0; i < q->len; i++) {
		n += review_patient_needs(&q->items[i]);
		d += q->items[i].state == REVIEW_DONE;
		k += q->items[i].state == REVIEW_SKIPPED;
	}
	if (need)
		*need = n;
	if (done)
		*done = d;
	if (skipped)
		*skipped = k;
}

/* ---- the day's verdicts (review_cache) ---- */

/* The most verdicts a first step makes room for (the highest patient id
 * bounds the active patients; past this, the table grows as they come). */
#define VERDICT_RESERVE_MAX (1 << 18)

void review_cache_free(struct review_cache *c)
{
	for (size_t i = 0; i < c->n_runs; i++)
		free(c->runs[i].items);
	free(c->runs);
	free(c->slots);
	bool keeps_set = c->keeps_set;
	memset(c, 0, sizeof *c);
	c->keeps_set = keeps_set;
}

void review_cache_start(struct review_cache *c, int day)
{
	unsigned long long version = c->version;
	review_cache_free(c);
	c->day = day;
	c->version = version + 1;
}

static struct review_verdict *verdict_slot(const struct review_cache *c, long long id)
{
	if (!c->cap)
		return NULL;
	size_t i = slot_of(id, c->cap);
	while (c->slots[i].id && c->slots[i].id != id)
		i = (i + 1) % c->cap;
	return &c->slots[i];
}

/* Room for n verdicts (an empty table only: nothing to move). */
static void verdict_reserve(struct review_cache *c, size_t n)
{
	if (c->len || 2 * (n + 1) <= c->cap)
		return;
	free(c->slots);
	c->cap = 2 * (n + 1);
	c->slots = xcalloc(c->cap, sizeof *c->slots);
}

static enum review_state verdict_state(const struct review_cache *c, long long id)
{
	const struct review_verdict *v = verdict_slot(c, id);
	return v ? v->state : REVIEW_NONE;
}

static void verdict_put(struct review_cache *c, const struct review_verdict *v)
{
	if (2 * (c->len + 1) > c->cap) {
		struct review_verdict *old = c->slots;
		size_t old_cap = c->cap;
		c->cap = old_cap ? 2 * old_cap : 256;
		c->slots = xcalloc(c->cap, sizeof *c->slots);
		c->len = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].id)
				verdict_put(c, &old[i]);
		free(old);
	}
	size_t i = slot_of(v->id, c->cap);
	while (c->slots[i].id && c->slots[i].id != v->id)
		i = (i + 1) % c->cap;
	c->len += !c->slots[i].id;
	c->slots[i] = *v;
}

static bool verdict_needs(const struct review_verdict *v)
{
	struct review_patient p = {.id = v->id, .n_items = v->n_items, .state = v->state};
	return v->id && review_patient_needs(&p);
}

/* In the runs: items, whatever the mark (a mark does not move a patient
 * of a queue read in place, review_cache_view). */
static bool verdict_queued(const struct review_verdict *v)
{
	return v->id && v->n_items;
}

/* The first run not before (worst, due) in the queue's order. */
static size_t run_place(const struct review_cache *c, enum review_severity worst, int due)
{
	size_t lo = 0, hi = c->n_runs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct review_run *r = &c->runs[mid];
		if (r->worst > worst || (r->worst == worst && r->due < due))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The run of (worst, due), in the queue's order (by_severity's): most
 * severe first, then the earliest due; made (empty) when missing. */
static struct review_run *run_of(struct review_cache *c, enum review_severity worst, int due)
{
	size_t lo = run_place(c, worst, due);
	if (lo < c->n_runs && c->runs[lo].worst == worst && c->runs[lo].due == due)
		return &c->runs[lo];
	void *p = c->runs;
	xgrow(&p, &c->cap_runs, c->n_runs + 1, sizeof *c->runs);
	c->runs = p;
	memmove(&c->runs[lo + 1], &c->runs[lo], (c->n_runs - lo) * sizeof *c->runs);
	c->n_runs++;
	c->runs[lo] = (struct review_run){.worst = worst, .due = due};
	return &c->runs[lo];
}

/* Where id is, or goes, in a run (ids ascending). */
static size_t run_at(const struct review_run *r, long long id)
{
	size_t lo = 0, hi = r->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void run_remove(struct review_cache *c, const struct review_verdict *v)
{
	struct review_run *r = run_of(c, v->worst, v->best_due);
	size_t at = run_at(r, v->id);
	if (at < r->len && r->items[at].id == v->id) {
		memmove(&r->items[at], &r->items[at + 1], (r->len - at - 1) * sizeof *r->items);
		r->len--;
	}
}

/* A judging pass comes in id order: each patient goes at its run's end. */
static void run_insert(struct review_cache *c, const struct review_verdict *v)
{
	struct review_run *r = run_of(c, v->worst, v->best_due);
	size_t at = run_at(r, v->id);
	void *p = r->items;
	xgrow(&p, &r->cap, r->len + 1, sizeof *r->items);
	r->items = p;
	memmove(&r->items[at + 1], &r->items[at], (r->len - at) * sizeof *r->items);
	r->len++;
	r->items[at] = (struct review_patient){.id = v->id, .n_items = v->n_items,
	                                       .worst = v->worst};
}

/* One patient's verdict, inside the caller's read transaction. */
static int judge(struct store *s, const struct config *cfg, int day, long long id,
                 struct review_verdict *out, struct err *e)
{
	char d[DATE_STRLEN], *state = NULL;
	struct review_list l = {0};
	*out = (struct review_verdict){.id = id, .active = true};
	if (build(s, id, day, cfg, NULL, &l, e) < 0)
		return e->code;
	int rc = store_review_mark_get(s, date_format(day, d), id, &state, e);
	out->state = state_of(state);
	out->n_items = l.len;
	if (l.len) {          /* built in order: the first is the most pressing */
		out->worst = l.items[0].severity;
		out->best_due = l.items[0].due;
	}
	free(state);
	review_list_free(&l);
	return rc;
}

static void keep(struct review_cache *c, const struct review_verdict *v)
{
	struct review_verdict *was = verdict_slot(c, v->id);
	c->version++;
	if (was && was->id) {
		c->need -= verdict_needs(was);
		c->active -= was->active;
		c->n_items -= was->n_items;
		if (verdict_queued(was))
			run_remove(c, was);
		*was = *v;
	} else if (v->active || v->state != REVIEW_NONE || v->n_items) {
		verdict_put(c, v);
	} else {
		return;
	}
	c->need += verdict_needs(v);
	c->active += v->active;
	c->n_items += v->n_items;
	if (verdict_queued(v))
		run_insert(c, v);
}

/* The needs-review set of this connection kept with c: a pass's step
 * adds those of its patients that need review (the first empties it), an
 * update puts its patient in or out; inside their transaction. */
static int keep_set(struct store *s, const struct review_cache *c, const struct review_verdict *v,
                    size_t n, bool pass, struct err *e)
{
	if (!c->keeps_set)
		return 0;
	if (pass && !c->after && store_review_need_set(s, NULL, 0, e) < 0)
		return e->code;
	long long *in = xcalloc(n ? n : 1, sizeof *in), *out = xcalloc(n ? n : 1, sizeof *out);
	size_t n_in = 0, n_out = 0;
	for (size_t i = 0; i < n; i++) {
		if (verdict_needs(&v[i]))
			in[n_in++] = v[i].id;
		else if (!pass)
			out[n_out++] = v[i].id;
	}
	int rc = 0;
	if ((n_in && store_review_need_put(s, in, n_in, true, e) < 0) ||
	    (n_out && store_review_need_put(s, out, n_out, false, e) < 0))
		rc = e->code;
	free(in);
	free(out);
	return rc;
}

int review_cache_step(struct store *s, const struct config *cfg, struct review_cache *c,
                      size_t max, struct err *e)
{
	long long *ids = xcalloc(max ? max : 1, sizeof *ids);
	struct review_verdict *got = xcalloc(max ? max : 1, sizeof *got);
	size_t n = 0;
	if (store_begin_read(s, e) < 0) {
		free(ids);
		free(got);
		return e->code;
	}
	long long last = 0;
	int rc = 0;
	/* the table made big enough at the first step: growing it later
	 * moves every verdict in one step (some 4 ms at 65,536 patients) */
	if (!c->after && !c->len && (rc = store_review_last_patient(s, &last, e)) == 0)
		verdict_reserve(c, (size_t)(last < VERDICT_RESERVE_MAX ? last : VERDICT_RESERVE_MAX));
	if (rc == 0)
		rc = store_review_active_after(s, c->after, max, ids, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = judge(s, cfg, c->day, ids[i], &got[i], e);
	if (rc == 0)
		rc = keep_set(s, c, got, n, true, e);
	if (rc == 0)
		rc = store_commit(s, e);
	else
		store_rollback(s);
	for (size_t i = 0; rc == 0 && i < n; i++)
		keep(c, &got[i]);
	if (rc == 0) {
		c->after = n ? ids[n - 1] : c->after;
		c->done = n < max;
	}
	free(ids);
	free(got);
	return rc;
}

int review_cache_update(struct store *s, const struct config *cfg, struct review_cache *c,
                        long long patient_id, struct err *e)
{
	struct review_verdict v;
	bool active = false;
	char *name = NULL;
	if (patient_id <= 0 || (!c->done && patient_id > c->after))
		return 0;
	if (store_begin_read(s, e) < 0)
		return e->code;
	int rc = store_review_patient(s, patient_id, &active, &name, e);
	free(name);
	if (rc == 0)
		rc = judge(s, cfg, c->day, patient_id, &v, e);
	if (rc == ERR_NOTFOUND) {          /* gone: nothing to review */
		v = (struct review_verdict){.id = patient_id};
		rc = 0;
	}
	v.active = active;
	if (rc == 0)
		rc = keep_set(s, c, &v, 1, false, e);
	if (rc == 0)
		rc = store_commit(s, e);
	else
		store_rollback(s);
	if (rc == 0)
		keep(c, &v);
	return rc;
}

bool review_cache_needs(const struct review_cache *c, long long patient_id)
{
	const struct review_verdict *v = verdict_slot(c, patient_id);
	return v && verdict_needs(v);
}

int review_cache_queue(struct store *s, const struct review_cache *c, struct review_queue *out,
                       struct err *e)
{
	char d[DATE_STRLEN];
	struct review_rows marks = {0};
	if (store_review_mark_list(s, date_format(c->day, d), &marks, e) < 0) {
		review_rows_free(&marks);
		return e->code;
	}
	size_t n = marks.len;
	for (size_t i = 0; i < c->n_runs; i++)
		n += c->runs[i].len;
	out->items = xcalloc(n ? n : 1, sizeof *out->items);
	out->cap = n ? n : 1;
	out->n_items = c->n_items;
	/* as queue_from: those marked today first, in the order of the marks */
	for (size_t i = 0; i < marks.len; i++) {
		const struct review_verdict *m = verdict_slot(c, marks.items[i].patient_id);
		struct review_patient *q = &out->items[out->len++];
		*q = (struct review_patient){.id = marks.items[i].patient_id,
		                             .state = state_of(marks.items[i].text)};
		if (m && m->id) {
			q->n_items = m->n_items;
			q->worst = m->worst;
		}
	}
	/* then the others with items, in the runs' order */
	for (size_t i = 0; i < c->n_runs; i++)
		for (size_t k = 0; k < c->runs[i].len; k++)
			if (verdict_state(c, c->runs[i].items[k].id) == REVIEW_NONE)
				out->items[out->len++] = c->runs[i].items[k];
	review_rows_free(&marks);
	return 0;
}

/* ---- the unfiltered queue read in place (review_cache_view) ----
 * The queue: the first part (marked at the opening), then the entries of
 * the runs less the first part's and the held patients', merged with the
 * held patients at the places they were held at.  Places in the runs
 * ("g") count every entry; ranks count the entries left. */

static int by_ll(const void *pa, const void *pb)
{
	long long a = *(const long long *)pa, b = *(const long long *)pb;
	return a < b ? -1 : a > b;
}

static int by_size(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	return a < b ? -1 : a > b;
}

/* The queue's order of two places (by_severity's). */
static int key_cmp(const struct review_key *a, const struct review_key *b)
{
	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

int review_cache_view_open(struct store *s, const struct review_cache *c,
                           struct review_cache_view *v, struct err *e)
{
	char d[DATE_STRLEN];
	struct review_rows marks = {0};
	memset(v, 0, sizeof *v);
	v->c = c;
	if (store_review_mark_list(s, date_format(c->day, d), &marks, e) < 0) {
		review_rows_free(&marks);
		return e->code;
	}
	v->first = xcalloc(marks.len ? marks.len : 1, sizeof *v->first);
	v->first_ids = xcalloc(marks.len ? marks.len : 1, sizeof *v->first_ids);
	for (size_t i = 0; i < marks.len; i++) {
		v->first[i] = (struct review_patient){.id = marks.items[i].patient_id,
		                                      .state = state_of(marks.items[i].text)};
		v->first_ids[i] = marks.items[i].patient_id;
	}
	v->n_first = marks.len;
	qsort(v->first_ids, v->n_first, sizeof *v->first_ids, by_ll);
	review_rows_free(&marks);
	return 0;
}

void review_cache_view_free(struct review_cache_view *v)
{
	free(v->first);
	free(v->first_ids);
	free(v->held);
	free(v->held_rank);
	free(v->before);
	free(v->skip);
	memset(v, 0, sizeof *v);
}

static bool view_in_first(const struct review_cache_view *v, long long id)
{
	return v->n_first &&
	       bsearch(&id, v->first_ids, v->n_first, sizeof *v->first_ids, by_ll) != NULL;
}

static const struct review_key *view_held(const struct review_cache_view *v, long long id)
{
	for (size_t i = 0; i < v->n_held; i++)
		if (v->held[i].id == id)
			return &v->held[i];
	return NULL;
}

/* The entries of the runs before a place (and the one at it too with
 * `with`). */
static size_t runs_before(const struct review_cache_view *v, const struct review_key *k,
                          bool with)
{
	const struct review_cache *c = v->c;
	size_t r = run_place(c, k->worst, k->due);
	if (r == c->n_runs)
		return v->total;
	const struct review_run *run = &c->runs[r];
	if (run->worst != k->worst || run->due != k->due)
		return v->before[r];
	size_t at = run_at(run, k->id);
	return v->before[r] + at + (with && at < run->len && run->items[at].id == k->id);
}

/* The entries left before g. */
static size_t runs_rank(const struct review_cache_view *v, size_t g)
{
	size_t n = 0;
	while (n < v->n_skip && v->skip[n] < g)
		n++;
	return g - n;
}

/* A patient's own entry in the runs, left out (g into skip). */
static void view_skip(struct review_cache_view *v, long long id)
{
	const struct review_verdict *m = verdict_slot(v->c, id);
	if (!m || !verdict_queued(m))
		return;
	struct review_key k = {.worst = m->worst, .due = m->best_due, .id = m->id};
	v->skip[v->n_skip++] = runs_before(v, &k, false);
}

/* The places again after c changed or a patient was held. */
static void view_sync(struct review_cache_view *v)
{
	const struct review_cache *c = v->c;
	if (v->version == c->version && v->before)
		return;
	v->version = c->version;
	free(v->before);
	free(v->skip);
	v->before = xcalloc(c->n_runs + 1, sizeof *v->before);
	v->skip = xcalloc(v->n_first + v->n_held + 1, sizeof *v->skip);
	v->total = 0;
	for (size_t i = 0; i < c->n_runs; i++) {
		v->before[i] = v->total;
		v->total += c->runs[i].len;
	}
	v->before[c->n_runs] = v->total;
	v->n_skip = 0;
	for (size_t i = 0; i < v->n_first; i++)
		view_skip(v, v->first_ids[i]);
	for (size_t i = 0; i < v->n_held; i++)
		view_skip(v, v->held[i].id);
	qsort(v->skip, v->n_skip, sizeof *v->skip, by_size);
	for (size_t i = 0; i < v->n_held; i++)
		v->held_rank[i] = runs_rank(v, runs_before(v, &v->held[i], false));
	v->len = v->n_first + v->total - v->n_skip + v->n_held;
}

size_t review_cache_view_len(struct review_cache_view *v)
{
	view_sync(v);
	return v->len;
}

void review_cache_view_hold(struct review_cache_view *v, const struct review_key *k)
{
	if (!k->id || view_in_first(v, k->id) || view_held(v, k->id))
		return;
	size_t at = 0;
	while (at < v->n_held && key_cmp(&v->held[at], k) < 0)
		at++;
	void *p = v->held;
	xgrow(&p, &v->cap_held, v->n_held + 1, sizeof *v->held);
	v->held = p;
	memmove(&v->held[at + 1], &v->held[at], (v->n_held - at) * sizeof *v->held);
	v->held[at] = *k;
	v->n_held++;
	v->held_rank = xrealloc(v->held_rank, v->cap_held * sizeof *v->held_rank);
	v->version = 0;   /* places again */
	free(v->before);
	v->before = NULL;
}

struct review_patient review_cache_view_patient(struct review_cache_view *v, long long id)
{
	const struct review_verdict *m = verdict_slot(v->c, id);
	if (m && m->id)
		return (struct review_patient){.id = id, .n_items = m->n_items, .worst = m->worst,
		                               .state = m->state};
	for (size_t i = 0; i < v->n_first; i++)
		if (v->first[i].id == id)
			return v->first[i];
	return (struct review_patient){.id = view_held(v, id) ? id : 0};
}

/* The (j)th of the runs' entries left: its run and place there. */
static struct review_patient runs_at(const struct review_cache_view *v, size_t j,
                                     struct review_key *key)
{
	const struct review_cache *c = v->c;
	size_t g = j;
	for (size_t k = 0; k < v->n_skip && v->skip[k] <= g; k++)
		g++;
	size_t lo = 0, hi = c->n_runs;     /* the last run starting at or before g */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->before[mid] <= g)
			lo = mid;
		else
			hi = mid;
	}
	const struct review_run *r = &c->runs[lo];
	struct review_patient p = r->items[g - v->before[lo]];
	p.state = verdict_state(c, p.id);
	*key = (struct review_key){.worst = r->worst, .due = r->due, .id = p.id};
	return p;
}

struct review_patient review_cache_view_at(struct review_cache_view *v, size_t i,
                                           struct review_key *key)
{
	struct review_key k = {0};
	struct review_patient p = {0};
	view_sync(v);
	if (i < v->n_first) {
		const struct review_verdict *m = verdict_slot(v->c, v->first[i].id);
		p = review_cache_view_patient(v, v->first[i].id);
		k = (struct review_key){.worst = p.worst, .due = m ? m->best_due : 0, .id = p.id};
	} else if (i < v->len) {
		size_t j = i - v->n_first, shift = 0;
		for (size_t h = 0; h < v->n_held && !k.id; h++) {
			size_t at = v->held_rank[h] + h;
			if (at == j)
				k = v->held[h];
			else if (at < j)
				shift++;
			else
				break;
		}
		if (k.id)
			p = review_cache_view_patient(v, k.id);
		else
			p = runs_at(v, j - shift, &k);
	}
	if (key)
		*key = k;
	return p;
}

size_t review_cache_view_place(struct review_cache_view *v, const struct review_key *k,
                               bool after)
{
	view_sync(v);
	size_t n = v->n_first + runs_rank(v, runs_before(v, k, after));
	for (size_t h = 0; h < v->n_held; h++)
		n += after ? key_cmp(&v->held[h], k) <= 0 : key_cmp(&v->held[h], k) < 0;
	return n;
}

bool review_cache_view_find(struct review_cache_view *v, long long id, size_t *at)
{
	for (size_t i = 0; i < v->n_first; i++)
		if (v->first[i].id == id) {
			*at = i;
			return true;
		}
	const struct review_key *h = view_held(v, id);
	const struct review_verdict *m = verdict_slot(v->c, id);
	if (!h && (!m || !verdict_queued(m)))
		return false;
	struct review_key k = h ? *h : (struct review_key){.worst = m->worst, .due = m->best_due,
	                                                   .id = id};
	*at = review_cache_view_place(v, &k, false);
	return true;
}

void review_cache_view_mark(struct review_cache_view *v, size_t i, enum review_state st)
{
	if (i < v->n_first)
		v->first[i].state = st;
}

int review_cache_view_counts(struct store *s, struct review_cache_view *v, size_t n[3],
                             struct err *e)
{
	char d[DATE_STRLEN];
	struct review_rows marks = {0};
	view_sync(v);
	memset(n, 0, 3 * sizeof *n);
	if (store_review_mark_list(s, date_format(v->c->day, d), &marks, e) < 0) {
		review_rows_free(&marks);
		return e->code;
	}
	/* a patient marked is in the queue when in its first part, held or
	 * with items; the others in it have no mark */
	for (size_t i = 0; i < marks.len; i++) {
		long long id = marks.items[i].patient_id;
		const struct review_verdict *m = verdict_slot(v->c, id);
		if (view_in_first(v, id) || view_held(v, id) || (m && verdict_queued(m)))
			n[state_of(marks.items[i].text)]++;
	}
	n[REVIEW_NONE] = v->len - n[REVIEW_DONE] - n[REVIEW_SKIPPED];
	review_rows_free(&marks);
	return 0;
}

/* ---- the caseload's review, spilled ---- */

/* The page cache of a spilled review: the rules read each page of the
 * caseload about once, and SQLite sorts the items in up to this much
 * memory (the rest in its temporary files). */
#define SPILL_CACHE_KB 2048

struct spill {
	const struct review_stream *how;
	struct review_cache pts;   /* by id: items, worst, best due, mark */
	size_t n_items;
};

/* One item the rules made: kept when the filter and the scope keep it. */
static int spill_item(struct ctx *c, const struct review_item *it)
{
	struct spill *sp = c->spill;
	const struct review_stream *how = sp->how;
	if (!review_filter_match(how->filter, it) ||
	    (how->in_scope && !how->in_scope(how->scope_arg, it->patient_id)))
		return 0;
	struct review_verdict *v = verdict_slot(&sp->pts, it->patient_id);
	if (!v || !v->id) {
		verdict_put(&sp->pts, &(struct review_verdict){.id = it->patient_id});
		v = verdict_slot(&sp->pts, it->patient_id);
	}
	/* the patient's place: by its most pressing item (by_severity's) */
	if (!v->n_items || it->severity > v->worst ||
	    (it->severity == v->worst && it->due < v->best_due)) {
		v->worst = it->severity;
		v->best_due = it->due;
	}
	v->n_items++;
	sp->n_items++;
	if (how->seen)
		how->seen(how->arg, it, v->state);
	struct review_spilled row = {.patient_id = it->patient_id, .ref_id = it->ref_id,
	                             .ref_at = it->ref_at, .reason = (int)it->reason,
	                             .severity = (int)it->severity, .due = it->due,
	                             .patient = it->patient, .detail = it->detail,
	                             .ref_table = it->ref_table};
	return store_review_spill_put(c->s, &row, c->e);
}

/* The queue's order after the marks: by_severity's on each patient's most
 * pressing item. */
static int by_place(const void *pa, const void *pb)
{
	const struct review_verdict *a = pa, *b = pb;
	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	if (a->best_due != b->best_due)
		return a->best_due < b->best_due ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The queue (as queue_from) from the patients' tallies, and each
 * patient's place in the spill. */
static int spill_queue(struct store *s, struct spill *sp, const struct review_rows *marks,
                       struct review_queue *out, struct err *e)
{
	const struct review_stream *how = sp->how;
	const struct review_filter *f = how->filter;
	bool filtered = f && (f->severities || f->reasons);
	struct review_verdict *g = xcalloc(sp->pts.len ? sp->pts.len : 1, sizeof *g);
	size_t n = 0;
	for (size_t i = 0; i < sp->pts.cap; i++)
		if (sp->pts.slots[i].id && sp->pts.slots[i].n_items)
			g[n++] = sp->pts.slots[i];
	qsort(g, n, sizeof *g, by_place);
	for (size_t i = 0; i < marks->len; i++) {
		long long id = marks->items[i].patient_id;
		const struct review_verdict *v = verdict_slot(&sp->pts, id);
		bool items = v && v->id && v->n_items;
		if ((how->in_scope && !how->in_scope(how->scope_arg, id)) || (!items && filtered))
			continue;
		*LIST_PUSH(out) = (struct review_patient){.id = id, .n_items = items ? v->n_items : 0,
		                                          .worst = items ? v->worst : SEV_LOW,
		                                          .state = state_of(marks->items[i].text)};
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (g[i].state == REVIEW_NONE)
			*LIST_PUSH(out) = (struct review_patient){.id = g[i].id, .n_items = g[i].n_items,
			                                          .worst = g[i].worst};
		rc = store_review_spill_place(s, g[i].id, (long long)i + 1, (int)g[i].state, e);
	}
	out->n_items = sp->n_items;
	free(g);
	return rc;
}

/* review_spill's work; out NULL: the items only (no marks, queue nor
 * places: read back by patient). */
int review_spill(struct store *s, int day, const struct config *cfg,
                 const struct review_stream *how, struct review_queue *out, struct err *e)
{
	struct spill sp = {.how = how};
	struct review_rows marks = {0};
	char d[DATE_STRLEN];
	memset(out, 0, sizeof *out);
	if (store_review_spill_start(s, e) < 0 || store_cache_kb(s, SPILL_CACHE_KB, e) < 0 ||
	    store_begin_read(s, e) < 0)
		return e->code;
	int rc = store_review_mark_list(s, date_format(day, d), &marks, e);
	/* the marks first, so that each item is seen with its patient's */
	for (size_t i = 0; rc == 0 && i < marks.len; i++)
		verdict_put(&sp.pts, &(struct review_verdict){.id = marks.items[i].patient_id,
		                                              .state = state_of(marks.items[i].text)});
	if (rc == 0)
		rc = build(s, 0, day, cfg, &sp, NULL, e);
	if (rc == 0)
		rc = spill_queue(s, &sp, &marks, out, e);
	review_rows_free(&marks);
	review_cache_free(&sp.pts);
	if (rc < 0) {
		store_rollback(s);
		store_cache_kb(s, STORE_CACHE_DEFAULT_KB, &(struct err){0});
		review_queue_free(out);
		return rc;
	}
	return store_commit(s, e);
}

struct spill_read {
	const struct review_stream *how;
	struct buf patient, detail;
};

static int read_spilled(void *arg, const struct review_spilled *row)
{
	static const char *const tables[] = {"task", "appointment", "medication", "entry", "patient"};
	struct spill_read *r = arg;
	struct review_item it = {.patient_id = row->patient_id, .reason = (enum review_reason)row->reason,
	                         .severity = (enum review_severity)row->severity, .due = row->due,
	                         .ref_id = row->ref_id, .ref_at = row->ref_at, .ref_table = "?"};
	/* the item's own strings (a review_item's are not const) */
	buf_reset(&r->patient);
	buf_add(&r->patient, row->patient ? row->patient : "");
	buf_reset(&r->detail);
	buf_add(&r->detail, row->detail ? row->detail : "");
	it.patient = r->patient.s;
	it.detail = r->detail.s;
	for (size_t i = 0; row->ref_table && i < sizeof tables / sizeof tables[0]; i++)
		if (!strcmp(tables[i], row->ref_table))
			it.ref_table = tables[i];
	return r->how->item(r->how->arg, &it, (enum review_state)row->state);
}

static int spill_read_back(struct store *s, const struct review_stream *how, struct err *e)
{
	struct spill_read r = {.how = how};
	int rc = store_review_spill_each(s, read_spilled, &r, e);
	store_cache_kb(s, STORE_CACHE_DEFAULT_KB, &(struct err){0});
	buf_free(&r.patient);
	buf_free(&r.detail);
	return rc;
}

int review_spill_each(struct store *s, const struct review_stream *how, struct err *e)
{
	return spill_read_back(s, how, e);
}

/* ---- the review kept (review_state) ----
 * Each patient's items as the rules made them (build, one definition),
 * kept in the store for the day and the settings meta 'review_state'
 * names; a write to what a rule reads marks its patient's row stale (the
 * store's triggers), and the review makes the stale rows again before it
 * reads them in its order. */

/* The width of the patient's "Name (id)" cell (cli_review.c's, before
 * its mark). */
#define WHO_CELL 512

/* What the kept items were made with: the form of the rows (4: periods
 * of at most STORE_REVIEW_PERIOD_DAYS days, which the day's counts rely
 * on), the zone, the review's thresholds, the holidays and the billing
 * rules file in effect on the day (each row says the days it stands
 * for). */
static void kept_key(int day, const struct config *cfg, struct buf *b)
{
	const struct review_cfg *r = &cfg->review;
	const struct rules *in_effect;
	struct err none = {0};
	struct stat st;
	buf_addf(b, "4 %s %d %d %d %d %d %d %d %d %d %d %d %d h%d", config_zone(cfg), r->transport_days, r->confirm_days, r->refill_days,
	         r->tcm_contact_bdays, r->tcm_visit_days_high, r->tcm_visit_days_other,
	         r->cadence_high, r->cadence_medium, r->cadence_low, r->ccm_minutes,
	         r->ccm_days_left, r->noshow_days, cfg->holidays.us_federal);
	for (int i = 0; i < cfg->holidays.n_extra; i++)
		buf_addf(b, ",%d", cfg->holidays.extra[i]);
	if (rules_for_day(day, &in_effect, &none) == 0 && in_effect->path &&
	    stat(in_effect->path, &st) == 0)
		buf_addf(b, " %s %lld %lld.%ld", in_effect->path, (long long)st.st_size,
		         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static int text_cols(const char *t)
{
	if (text_is_clean(t))
		return text_width(t);
	char *clean = text_sanitize(t);
	int w = text_width(clean);
	free(clean);
	return w;
}

static const char *const ref_tables[] = {"task", "appointment", "medication", "entry", "patient"};
enum { N_REF_TABLES = sizeof ref_tables / sizeof ref_tables[0] };

/* An item's text in a line: \t, \n and \ escaped. */
static void add_escaped(struct buf *b, const char *t)
{
	while (t && *t) {
		size_t n = strcspn(t, "\\\t\n");
		buf_addn(b, t, n);
		if (!t[n])
			break;
		buf_addc(b, '\\');
		buf_addc(b, t[n] == '\t' ? 't' : t[n] == '\n' ? 'n' : '\\');
		t += n + 1;
	}
}

/* The width of a number written out. */
static int digits(long long v)
{
	int n = v < 0 ? 2 : 1;
	for (unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	     u >= 10; u /= 10)
		n++;
	return n;
}

/* A number and a tab (kept_row_of's many: no printf). */
static void add_num(struct buf *b, long long v)
{
	char d[24], *p = d + sizeof d;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	*--p = '\t';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_addn(b, p, (size_t)(d + sizeof d - p));
}

/* A patient's items (in by_severity's order) into its row (r->items:
 * items' text, the caller's to free); *w_who the width of its patient
 * cell (-1: not yet known, then found: the same in each of its rows). */
static void kept_row_of(long long pid, const char *name, const struct review_list *l, int day,
                        int until, int *w_who, struct review_state_row *out, struct buf *items)
{
	struct review_state_row r = {.patient_id = pid, .n_items = (long long)l->len,
	                             .name = name, .made_day = day, .until_day = until};
	char who[WHO_CELL];
	if (l->len) {
		r.sev_rank = (int)SEV_URGENT - (int)l->items[0].severity;
		r.best_due = l->items[0].due_today ? STORE_REVIEW_DUE_TODAY : l->items[0].due;
		if (*w_who < 0) {
			snprintf(who, sizeof who, "%s (%lld)", name ? name : "", pid);
			*w_who = text_cols(who);
		}
		r.w_who = *w_who;
	}
	for (size_t i = 0; i < l->len; i++) {
		const struct review_item *it = &l->items[i];
		int t = 0, w;
		while (t < N_REF_TABLES && (!it->ref_table || strcmp(ref_tables[t], it->ref_table) != 0))
			t++;
		/* (a due of the day under review and a day count: as read) */
		long long v[] = {(int)it->reason, (int)it->severity, it->due_today ? 0 : it->due, t,
		                 it->ref_id, it->ref_at, (it->due_today ? 1 : 0) | it->count << 1,
		                 it->count_day};
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			add_num(items, v[k]);
		add_escaped(items, it->detail);
		buf_addc(items, '\n');
		if ((w = (int)strlen(review_severity_name(it->severity))) > r.w_severity)
			r.w_severity = w;
		if ((w = (int)strlen(review_reason_code(it->reason))) > r.w_reason)
			r.w_reason = w;
		/* "table id" */
		w = (int)strlen(it->ref_table ? it->ref_table : "") + 1 + digits(it->ref_id);
		if (w > r.w_ref)
			r.w_ref = w;
	}
	r.items = items->s;
	*out = r;
}

/* The kept rows are made again in batches, each its own short write
 * transaction (issue 12: another process's write waits one batch at most,
 * not the whole caseload): at most KEPT_BATCH patients or KEPT_BATCH_SECONDS,
 * then a pause of KEPT_YIELD_MS for a writer waiting on the lock.  A batch
 * cut short (a crash, a kill) leaves its rows as they were, stale: the
 * next review makes them. */
#define KEPT_BATCH 1000
#define KEPT_BATCH_SECONDS 0.1
#define KEPT_YIELD_MS 2
/* The rows made again write their periods' index entries all over the
 * indexes: the WAL is copied back into the database after 8,192 pages
 * rather than 1,000, as a bulk write's (every row made again at 100,000
 * patients: 0.45 s less). */
#define KEPT_CHECKPOINT_PAGES 8192

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Test only: CASELOAD_REVIEW_STOP=N kills the review (SIGKILL, as a crash
 * or kill -9 would) in its batch N + 1, its rows made but not committed,
 * after N batches committed (tests/cli/review_batches.sh). */
static void stop_here(int batches)
{
	const char *stop = getenv("CASELOAD_REVIEW_STOP");
	if (stop && strtol(stop, NULL, 10) == batches)
		raise(SIGKILL);
}

/* A run of a batch's patients (ascending) made with one statement a rule
 * over their range: a run holds at least one patient in KEPT_RUN_SPREAD of
 * its range (the rules' rows of the others are read and left), and at
 * most KEPT_RUN patients (a batch's time is looked at between runs). */
#define KEPT_RUN_SPREAD 4
#define KEPT_RUN 250

/* ids[i..] up to the run's end (not past `stop`, where the stale end). */
static size_t kept_run(const long long *ids, size_t i, size_t n, size_t stop)
{
	size_t j = i + 1;
	while (j < n && j != stop && j - i < KEPT_RUN &&
	       ids[j] - ids[i] < KEPT_RUN_SPREAD * (long long)(j - i + 1))
		j++;
	return j;
}

/* The run's patients as the store has them (kept_make): its ids matched
 * in order, and each patient of its range seen (patient_active). */
struct kept_who {
	const long long *ids;
	size_t n, i;
	long long *live;
	char **names;
	size_t m;
	struct seen *seen;
};

static int kept_who_each(void *arg, long long id, bool active, const char *name)
{
	struct kept_who *w = arg;
	seen_put(w->seen, id, active);
	while (w->i < w->n && w->ids[w->i] < id)
		w->i++;
	if (w->i < w->n && w->ids[w->i] == id) {
		w->live[w->m] = id;
		w->names[w->m++] = name ? xstrdup(name) : NULL;
		w->i++;
	}
	return 0;
}

/* The facts of one patient (f[0..n)) evaluated for c->day, its items
 * into c->out. */
static int replay(struct ctx *c, const struct fact *f, size_t n)
{
	struct tcm_windows t;
	bool tcm = false;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		switch (f[i].kind) {
		case FACT_TASK: rc = row_task(c, &f[i].w); break;
		case FACT_REFILL: rc = row_refill(c, &f[i].w); break;
		case FACT_CADENCE: rc = row_cadence(c, &f[i].w); break;
		case FACT_CCM: rc = replay_ccm(c, &f[i]); break;
		case FACT_NOSHOW: rc = row_noshow(c, &f[i].w); break;
		case FACT_UNREVIEWED: rc = row_unreviewed(c, &f[i].w); break;
		case FACT_CONSENT: rc = row_consent(c, &f[i].w); break;
		case FACT_ELIGIBLE: rc = row_eligible(c, &f[i].w); break;
		case FACT_DISCHARGE:
			if (!tcm)
				tcm_day(c, &t), tcm = true;
			rc = discharge_at(&t, &f[i].w, &f[i].visit);
			break;
		case FACT_APPT: {
			struct occurrence o = {.start = f[i].start, .appt = &f[i].a};
			c->reached_of = f[i].a.id;
			c->reached = f[i].reached;
			rc = occ_appointment(c, &o);
			break;
		}
		}
	}
	return rc;
}

static bool same_period(const struct review_state_row *a, const struct review_state_row *b)
{
	return a->sev_rank == b->sev_rank && a->best_due == b->best_due &&
	       a->n_items == b->n_items && a->w_who == b->w_who &&
	       a->w_severity == b->w_severity && a->w_reason == b->w_reason &&
	       a->w_ref == b->w_ref && strcmp(a->items ? a->items : "", b->items ? b->items : "") == 0;
}

/* A run's rows made, written together (store_review_made_put): the
 * periods of all its patients (items: each one's text), each patient's
 * after the one before's, and each patient's row (made). */
struct kept_out {
	struct review_state_row *rows;
	struct buf *items;
	size_t len, cap_rows, cap_items;
	struct review_made *made;
	size_t n_made, cap_made;
};

static int kept_write(struct store *s, struct kept_out *o, struct err *e)
{
	/* (rows moves as it grows: each patient's periods pointed at last) */
	for (size_t i = 0, at = 0; i < o->n_made; at += o->made[i++].n)
		o->made[i].rows = o->rows + at;
	return store_review_made_put(s, o->made, o->n_made, e);
}

static void kept_out_free(struct kept_out *o)
{
	for (size_t i = 0; i < o->len; i++)
		buf_free(&o->items[i]);
	free(o->items);
	free(o->rows);
	free(o->made);
}

/* One patient's periods from the day made to `end` (its facts f[0..n)
 * evaluated on the first day of each: the day made, then each day its
 * items may differ on), to be written in place of those it had, and its
 * row, into o. */
static int kept_periods(struct ctx *c, struct kept_out *o, long long pid, const char *name,
                        int made, int end, const struct fact *f, size_t n)
{
	size_t first = o->len;
	int rc = 0, w_who = -1;
	for (int from = made; rc == 0 && from < end;) {
		struct review_list l = {0};
		c->day = from;
		c->until = end;
		c->out = &l;
		if ((rc = replay(c, f, n)) == 0) {
			kept_order(c, &l);
			if (l.len > 1)
				qsort(l.items, l.len, sizeof *l.items, by_severity);
			void *grown = o->rows;
			xgrow(&grown, &o->cap_rows, o->len + 1, sizeof *o->rows);
			o->rows = grown;
			grown = o->items;
			xgrow(&grown, &o->cap_items, o->len + 1, sizeof *o->items);
			o->items = grown;
			size_t k = o->len;
			o->items[k] = (struct buf){0};
			kept_row_of(pid, name, &l, from, c->until, &w_who, &o->rows[k], &o->items[k]);
			if (k > first && same_period(&o->rows[k - 1], &o->rows[k])) {
				o->rows[k - 1].until_day = c->until;     /* the same: one period */
				buf_free(&o->items[k]);
			} else {
				o->len++;
			}
			from = c->until;
		}
		review_list_free(&l);
	}
	c->out = NULL;
	if (rc == 0) {
		void *grown = o->made;
		xgrow(&grown, &o->cap_made, o->n_made + 1, sizeof *o->made);
		o->made = grown;
		o->made[o->n_made++] = (struct review_made){
			.patient_id = pid, .made_day = made, .until_day = end, .n = o->len - first};
	}
	return rc;
}

static int by_who(const void *pa, const void *pb)
{
	const struct fact *a = pa, *b = pb;
	if (a->who != b->who)
		return a->who < b->who ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* A run's patients made again (one gone: its row dropped): a statement
 * for their names, each rule's and one for what lies ahead read once
 * (facts), then each patient's periods up to its horizon from them. */
static int kept_make(struct store *s, int day, int by, const struct config *cfg,
                     const long long *ids, size_t n, struct err *e)
{
	long long *live = xcalloc(n, sizeof *live);
	char **names = xcalloc(n, sizeof *names);
	struct review_list *lists = xcalloc(n, sizeof *lists);
	int *to = xcalloc(n, sizeof *to);
	struct kept_many b = {.ids = live, .lists = lists, .until = to};
	struct ctx c = {.s = s, .kb = &b, .day = day, .cfg = cfg, .zone = config_zone(cfg),
	                .out = lists, .e = e, .kept = true, .record = true, .by = by};
	struct kept_who w = {.ids = ids, .n = n, .live = live, .names = names, .seen = &c.seen};
	int rc = store_review_patients(s, ids[0], ids[n - 1], kept_who_each, &w, e);
	size_t m = b.n = w.m;
	/* the ones gone */
	for (size_t i = 0, j = 0; rc == 0 && i < n; i++) {
		if (j < m && live[j] == ids[i])
			j++;
		else
			rc = store_review_state_drop(s, ids[i], e);
	}
	c.pid = m ? live[0] : 0;
	c.to_id = m ? live[m - 1] : 0;
	for (size_t i = 0; i < m; i++) {
		to[i] = kept_last(day, live[i]) + 1;
		if (to[i] - 1 > c.last)
			c.last = to[i] - 1;
	}
	if (rc == 0 && m > 0) {
		c.until = to[0];
		rc = run_rules(&c);
		if (rc == 0)
			rc = kept_ahead_all(&c);
	}
	/* each patient's facts in the order read */
	if (b.n_facts > 1)
		qsort(b.facts, b.n_facts, sizeof *b.facts, by_who);
	c.kb = NULL;
	c.record = false;
	c.tcm_base = day;
	c.tcm_n = m ? c.last - day + 1 : 0;
	c.tcm_days = c.tcm_n > 0 ? xcalloc((size_t)c.tcm_n, sizeof *c.tcm_days) : NULL;
	struct kept_out o = {0};
	for (size_t i = 0, k = 0; rc == 0 && i < m; i++) {
		size_t k0 = k;
		while (k < b.n_facts && b.facts[k].who == i)
			k++;
		rc = kept_periods(&c, &o, live[i], names[i], day, to[i], b.facts + k0, k - k0);
	}
	if (rc == 0)
		rc = kept_write(s, &o, e);
	kept_out_free(&o);
	facts_free(&b);
	free(c.tcm_days);
	free(c.seen.ids);
	free(c.seen.active);
	free(c.reached_last.pid);
	free(c.reached_last.at);
	for (size_t i = 0; i < n; i++) {
		review_list_free(&lists[i]);
		free(names[i]);
	}
	free(lists);
	free(names);
	free(to);
	free(live);
	return rc;
}

/* One batch: up to KEPT_BATCH stale patients made again in one write
 * transaction, run by run (kept_run); *more when some are left. */
static int kept_batch(struct store *s, int day, int by, const struct config *cfg, int batch,
                      long long *after, bool *more, struct err *e)
{
	long long *ids = xcalloc(KEPT_BATCH, sizeof *ids);
	size_t n = 0, i, j;
	double start = seconds();
	*more = false;
	if (store_begin(s, e) < 0) {
		free(ids);
		return e->code;
	}
	long long was = *after;
	size_t n_stale;
	int rc = store_review_state_stale(s, day, by, after, ids, KEPT_BATCH, &n, &n_stale, e);
	for (i = 0; rc == 0 && i < n; i = j) {
		if (i > 0 && seconds() - start >= KEPT_BATCH_SECONDS) {
			*after = i > n_stale ? ids[i - 1] : was;   /* the rest again */
			break;     /* the rest in the next batch */
		}
		j = kept_run(ids, i, n, n_stale);
		rc = kept_make(s, day, by, cfg, ids + i, j - i, e);
	}
	free(ids);
	if (rc == 0)
		stop_here(batch);
	if (rc < 0) {
		store_rollback(s);
		*after = was;
		return rc;
	}
	*more = i < n || n == KEPT_BATCH;
	return store_commit(s, e);
}

/* review_kept_refresh, the rows that end by `by` made again too. */
static int kept_refresh(struct store *s, int day, int by, const struct config *cfg,
                        struct err *e)
{
	struct buf key = {0};
	char *was = NULL;
	kept_key(day, cfg, &key);
	if (store_begin(s, e) < 0) {
		buf_free(&key);
		return e->code;
	}
	/* other settings: every row stale, in the same transaction as the key */
	int rc = store_meta_get(s, STORE_META_REVIEW_STATE, &was, e);
	if (rc == 0 && (!was || strcmp(was, key.s) != 0) &&
	    (rc = store_review_state_stale_all(s, e)) == 0)
		rc = store_meta_set(s, STORE_META_REVIEW_STATE, key.s, e);
	free(was);
	buf_free(&key);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	bool more = true;
	long long after = LLONG_MIN;   /* the rows outside their days: done up to it (any id) */
	store_checkpoint_pages(s, KEPT_CHECKPOINT_PAGES, &(struct err){0});
	for (int batch = 0; rc == 0 && more; batch++) {
		rc = kept_batch(s, day, by, cfg, batch, &after, &more, e);
		if (rc == 0 && more) {
			struct timespec pause = {0, KEPT_YIELD_MS * 1000000L};
			nanosleep(&pause, NULL);
		}
	}
	store_checkpoint_pages(s, STORE_CHECKPOINT_PAGES, &(struct err){0});
	return rc;
}

int review_kept_refresh(struct store *s, int day, const struct config *cfg, struct err *e)
{
	return kept_refresh(s, day, day, cfg, e);
}

int review_kept_renew(struct store *s, int day, const struct config *cfg, struct err *e)
{
	return kept_refresh(s, day, day + 1, cfg, e);
}

void review_kept_free(struct review_kept *k)
{
	if (k->marks)
		review_rows_free(k->marks);
	free(k->marks);
	free(k->marked);
	memset(k, 0, sizeof *k);
}

static int by_patient_id(const void *pa, const void *pb)
{
	const struct review_patient *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The day's marks, and from them the counts and the widest marked cell. */
static int kept_marks(struct store *s, struct review_kept *k, struct err *e)
{
	int rc = 0;
	k->marked = xcalloc(k->marks->len ? k->marks->len : 1, sizeof *k->marked);
	for (size_t i = 0; rc == 0 && i < k->marks->len; i++) {
		enum review_state st = state_of(k->marks->items[i].text);
		int w;
		if (k->in_scope && !k->in_scope(k->scope_arg, k->marks->items[i].patient_id))
			continue;
		k->marked[k->n_marked++] = (struct review_patient){.id = k->marks->items[i].patient_id,
		                                                   .state = st};
		k->done += st == REVIEW_DONE;
		k->skipped += st == REVIEW_SKIPPED;
		if ((rc = store_review_state_who(s, k->marks->items[i].patient_id, k->day, &w, e)) < 0)
			break;
		if (w > k->who_marked[st])
			k->who_marked[st] = w;
		k->need -= w > 0 && st == REVIEW_DONE;
	}
	qsort(k->marked, k->n_marked, sizeof *k->marked, by_patient_id);
	return rc;
}

/* The counts and widths of the patients in scope, a row at a time. */
static void kept_size(void *arg, long long pid, long long n_items, const int w[4])
{
	struct review_kept *k = arg;
	if (!k->in_scope(k->scope_arg, pid))
		return;
	k->patients++;
	k->items += (size_t)n_items;
	for (int i = 0; i < 4; i++)
		if (w[i] > k->width[i])
			k->width[i] = w[i];
}

int review_kept_open(struct store *s, int day, const struct config *cfg,
                     bool (*in_scope)(const void *arg, long long patient_id),
                     const void *scope_arg, struct review_kept *k, struct err *e)
{
	char d[DATE_STRLEN];
	long long patients, items;
	memset(k, 0, sizeof *k);
	k->day = day;
	k->in_scope = in_scope;
	k->scope_arg = scope_arg;
	k->marks = xcalloc(1, sizeof *k->marks);
	if (review_kept_refresh(s, day, cfg, e) < 0 || store_begin_read(s, e) < 0)
		return e->code;
	int rc;
	if (in_scope) {
		rc = store_review_state_sizes(s, day, kept_size, k, e);
	} else {
		rc = store_review_state_totals(s, day, &patients, &items, k->width, e);
		k->patients = (size_t)patients;
		k->items = (size_t)items;
	}
	k->need = k->patients;
	if (rc == 0)
		rc = store_review_mark_list(s, date_format(day, d), k->marks, e);
	if (rc == 0)
		rc = kept_marks(s, k, e);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

struct kept_read {
	const struct review_kept *k;
	int (*item)(void *arg, const struct review_item *it, enum review_state st);
	void *arg;
	struct buf detail;
};

static enum review_state kept_state(const struct review_kept *k, long long pid)
{
	struct review_patient key = {.id = pid};
	const struct review_patient *hit =
		k->n_marked ? bsearch(&key, k->marked, k->n_marked, sizeof key, by_patient_id) : NULL;
	return hit ? hit->state : REVIEW_NONE;
}

/* A number of a line and the tab after it (add_num wrote them: digits,
 * a minus before them if below zero; what is not a digit ends it). */
static long long kept_num(const char **pp)
{
	const char *p = *pp;
	bool minus = *p == '-';
	unsigned long long u = 0;
	p += minus;
	for (; *p >= '0' && *p <= '9'; p++)
		u = u * 10 + (unsigned)(*p - '0');
	*pp = *p == '\t' ? p + 1 : p;
	return minus ? -(long long)u : (long long)u;
}

/* One line of a row's items into it for `day` (detail into d); the
 * line's end.  (The detail's text is copied a stretch at a time, up to
 * its next escape or count.) */
static const char *kept_line(const char *p, int day, struct review_item *it, struct buf *d)
{
	static const char stops[] = {'\\', REVIEW_COUNT_MARK, '\n', '\0'};
	long long v[8] = {0};
	char cnt[32];
	for (int i = 0; i < 8 && *p; i++)
		v[i] = kept_num(&p);
	unsigned char count = (unsigned char)(v[6] >> 1);
	buf_reset(d);
	buf_add(d, "");
	while (*p && *p != '\n') {
		size_t n = strcspn(p, stops);
		buf_addn(d, p, n);
		p += n;
		if (*p == '\\' && p[1]) {
			buf_addc(d, p[1] == 't' ? '\t' : p[1] == 'n' ? '\n' : p[1]);
			p += 2;
		} else if (*p == '\\') {
			buf_addc(d, *p++);
		} else if (*p == REVIEW_COUNT_MARK) {
			buf_add(d, count_text(count, (int)v[7], day, cnt, sizeof cnt));
			p++;
		}
	}
	it->reason = (enum review_reason)v[0];
	it->severity = (enum review_severity)v[1];
	it->due = v[6] & 1 ? day : (int)v[2];
	it->ref_table = v[3] >= 0 && v[3] < N_REF_TABLES ? ref_tables[v[3]] : "?";
	it->ref_id = v[4];
	it->ref_at = v[5];
	it->detail = d->s;
	return *p ? p + 1 : p;
}

static int kept_row(struct kept_read *k, const struct review_state_row *r)
{
	if (k->k->in_scope && !k->k->in_scope(k->k->scope_arg, r->patient_id))
		return 0;
	enum review_state st = kept_state(k->k, r->patient_id);
	char *name = xstrdup(r->name ? r->name : "");
	int rc = 0;
	for (const char *p = r->items ? r->items : ""; rc >= 0 && *p;) {
		struct review_item it = {.patient_id = r->patient_id, .patient = name};
		p = kept_line(p, k->k->day, &it, &k->detail);
		rc = k->item(k->arg, &it, st);
	}
	free(name);
	return rc;
}

/* The rows in the review's order for k->day: for each severity, the
 * rows whose most pressing item has a day of its own (by that day) merged
 * with those whose item is due the day under review (whatever the day,
 * STORE_REVIEW_DUE_TODAY: at that day), each in patient order. */
static int kept_rows(struct store *s, struct kept_read *r, struct err *e)
{
	int rc = 0;
	for (int sev = 0; rc == 0 && sev <= (int)SEV_URGENT; sev++) {
		struct review_state_row a, b;
		struct dbst *da = NULL, *db = NULL;
		int ra = store_review_state_seek(s, sev, false, r->k->day, &da, e), rb = 0;
		if (ra >= 0)
			ra = store_review_state_next(s, da, &a, e);
		if (ra >= 0 && (rb = store_review_state_seek(s, sev, true, r->k->day, &db, e)) >= 0)
			rb = store_review_state_next(s, db, &b, e);
		while (ra == 1 || rb == 1) {
			if (ra < 0 || rb < 0)
				break;
			bool first = rb != 1 ||
			             (ra == 1 && (a.best_due < r->k->day ||
			                               (a.best_due == r->k->day &&
			                                a.patient_id < b.patient_id)));
			if ((rc = kept_row(r, first ? &a : &b)) < 0)
				break;
			if (first)
				ra = store_review_state_next(s, da, &a, e);
			else
				rb = store_review_state_next(s, db, &b, e);
		}
		if (rc == 0 && (ra < 0 || rb < 0))
			rc = e->code;
		store_review_state_done(da);
		store_review_state_done(db);
	}
	return rc;
}

int review_kept_each(struct store *s, const struct review_kept *k,
                     int (*item)(void *arg, const struct review_item *it, enum review_state st),
                     void *arg, struct err *e)
{
	struct kept_read r = {.k = k, .item = item, .arg = arg};
	if (store_begin_read(s, e) < 0)
		return e->code;
	int rc = kept_rows(s, &r, e);
	buf_free(&r.detail);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int review_need_count(struct store *s, int day, const struct config *cfg, long long *n,
                      struct err *e)
{
	struct review_cache c = {0};
	review_cache_start(&c, day);
	while (!c.done)
		if (review_cache_step(s, cfg, &c, 256, e) < 0) {
			review_cache_free(&c);
			return e->code;
		}
	*n = c.need;
	review_cache_free(&c);
	return 0;
}

int review_needs(struct store *s, int day, const struct config *cfg, const long long *ids,
                 size_t n, bool *out, struct err *e)
{
	char d[DATE_STRLEN];
	struct review_rows marks = {0};
	if (store_begin_read(s, e) < 0)
		return e->code;
	int rc = store_review_mark_list(s, date_format(day, d), &marks, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct review_list l = {0};
		out[i] = false;
		if ((rc = build(s, ids[i], day, cfg, NULL, &l, e)) < 0)
			break;
		/* the same rule as review_patient_needs */
		struct review_patient p = {.id = ids[i], .n_items = l.len};
		for (size_t k = 0; k < marks.len; k++)
			if (marks.items[k].patient_id == ids[i])
				p.state = state_of(marks.items[k].text);
		out[i] = review_patient_needs(&p);
		review_list_free(&l);
	}
	review_rows_free(&marks);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}

int review_need_select(struct store *s, int day, const struct config *cfg, struct err *e)
{
	struct review_queue q = {0};
	if (review_queue(s, day, cfg, NULL, &q, NULL, e) < 0)
		return e->code;
	long long *ids = xcalloc(q.len ? q.len : 1, sizeof *ids);
	size_t n = 0;
	for (size_t i = 0; i < q.len; i++)
		if (review_patient_needs(&q.items[i]))
			ids[n++] = q.items[i].id;
	int rc = store_review_need_set(s, ids, n, e);
	free(ids);
	review_queue_free(&q);
	return rc;
}

/* ---- marks ---- */

int review_mark(struct store *s, int day, long long patient_id, enum review_state st,
                struct change *ch, struct err *e)
{
	char d[DATE_STRLEN];
	const char *state = st == REVIEW_DONE ? "reviewed" : st == REVIEW_SKIPPED ? "skipped" : NULL;
	if (store_review_mark_set(s, date_format(day, d), patient_id, state, e) < 0)
		return e->code;
	change_note(ch, CHANGE_REVIEW, patient_id);
	return 0;
}

int review_mark_get(struct store *s, int day, long long patient_id, enum review_state *st,
                    struct err *e)
{
	char d[DATE_STRLEN], *state = NULL;
	int rc = store_review_mark_get(s, date_format(day, d), patient_id, &state, e);
	*st = state_of(state);
	free(state);
	return rc;
}

/* ---- the card's own use cases ---- */

/* The text of a detail before its first ": " (a title, a medication). */
static char *head(const char *detail)
{
	const char *c = strstr(detail, ": ");
	struct buf b = {0};
	buf_addn(&b, detail, c ? (size_t)(c - detail) : strlen(detail));
	return buf_steal(&b);
}

void review_item_task(const struct review_item *it, int day, struct task *out)
{
	static const struct {
		const char *kind, *priority, *title;   /* title: %s is the detail's head */
	} by_reason[REASON_N] = {
		[REASON_TASK_OVERDUE] = {"followup", "routine", "Follow up: %s"},
		[REASON_TASK_DUE] = {"followup", "routine", "Follow up: %s"},
		[REASON_TRANSPORT] = {"transport", "routine", "Confirm transport: %s"},
		[REASON_APPT_CONFIRM] = {"call", "routine", "Confirm appointment: %s"},
		[REASON_REFILL] = {"refill", "routine", "Request refill: %s"},
		[REASON_TCM_CONTACT] = {"call", "urgent", "Call after discharge"},
		[REASON_TCM_VISIT] = {"followup", "urgent", "Book a follow-up visit after discharge"},
		[REASON_CADENCE] = {"call", "routine", "Check-in call"},
		[REASON_CCM_MINUTES] = {"call", "routine", "Care management call"},
		[REASON_NOSHOW] = {"followup", "routine", "Reschedule: %s"},
		[REASON_UNREVIEWED] = {"followup", "routine", "Follow up: %s"},
		[REASON_CONSENT_MISSING] = {"call", "routine", "Ask for consent: %s"},
		[REASON_CCM_ELIGIBLE] = {"call", "routine", "Offer chronic care management"},
	};
	enum review_reason r = it->reason < REASON_N ? it->reason : REASON_UNREVIEWED;
	char *h = head(it->detail ? it->detail : ""), d[DATE_STRLEN];
	struct buf title = {0};
	if (strstr(by_reason[r].title, "%s")) {
		const char *pct = strstr(by_reason[r].title, "%s");
		buf_addn(&title, by_reason[r].title, (size_t)(pct - by_reason[r].title));
		buf_add(&title, h);
		buf_add(&title, pct + 2);
	} else {
		buf_add(&title, by_reason[r].title);
	}
	/* a ride is confirmed the day before; the rest by when it is due */
	int due = r == REASON_TRANSPORT ? it->due - 1 : it->due;
	if (r == REASON_TASK_OVERDUE || r == REASON_TASK_DUE || due < day)
		due = day;
	memset(out, 0, sizeof *out);
	out->patient_id = it->patient_id;
	out->kind = xstrdup(by_reason[r].kind);
	out->priority = xstrdup(it->severity == SEV_URGENT ? "urgent" : by_reason[r].priority);
	out->title = buf_steal(&title);
	out->due = xstrdup(date_format(due, d));
	buf_free(&title);
	free(h);
}

/* Whether a task title speaks of a discharge (ASCII, any case). */
static bool about_discharge(const char *title)
{
	static const char word[] = "discharge";
	for (const char *p = title; p && *p; p++) {
		size_t i = 0;
		while (word[i] && p[i] && (p[i] | 0x20) == word[i])
			i++;
		if (!word[i])
			return true;
	}
	return false;
}

int review_contact_owed(struct store *s, long long patient_id, int day,
                        const struct config *cfg, bool *owed, struct err *e)
{
	struct review_list l = {0};
	*owed = false;
	if (review_build_patient(s, patient_id, day, cfg, &l, e) < 0)
		return e->code;
	for (size_t i = 0; i < l.len && !*owed; i++)
		*owed = l.items[i].reason == REASON_TCM_CONTACT;
	review_list_free(&l);
	return 0;
}

int review_discharge_task(struct store *s, long long patient_id, long long *task_id,
                          char **title, struct err *e)
{
	struct task_list l = {0};
	struct task_query q = {.patient_id = patient_id};
	*task_id = 0;
	if (title)
		*title = NULL;
	if (store_task_list(s, &q, &l, e) < 0)
		return e->code;
	/* listed by due date: the first is the one due first */
	for (size_t i = 0; i < l.len && !*task_id; i++)
		if (l.items[i].kind && !strcmp(l.items[i].kind, "call") &&
		    about_discharge(l.items[i].title)) {
			*task_id = l.items[i].id;
			if (title)
				*title = xstrdup(l.items[i].title);
		}
	task_list_free(&l);
	return 0;
}

int review_log_contact(struct store *s, struct entry *en, const char *zone, long long task_id,
                       long long now, struct change *ch, struct err *e)
{
	bool reached = en->outcome && !strcmp(en->outcome, "reached") && en->kind &&
	               (!strcmp(en->kind, "call") || !strcmp(en->kind, "visit"));
	if (store_begin(s, e) < 0)
		return e->code;
	if (care_log_entry(s, en, zone, ch, e) < 0 ||
	    (task_id && reached && care_task_done(s, task_id, now, ch, e) < 0)) {
		store_rollback(s);
		return e->code;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	if (ch)
		ch->id = en->id;
	return 0;
}
