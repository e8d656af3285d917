/* calls: the day's call list, from the review's rules and the calls made
 * (see calls.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/calls.h"
#include "caseload/html.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/store_calls.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

static const struct {
	const char *code, *words;
	enum review_reason reason;
} kinds[CALLS_KIND_N] = {
	[CALLS_DISCHARGE] = {"discharge", "discharge call", REASON_TCM_CONTACT},
	[CALLS_CADENCE] = {"cadence", "check-in overdue", REASON_CADENCE},
	[CALLS_NOSHOW] = {"noshow", "no-show to reschedule", REASON_NOSHOW},
	[CALLS_CONFIRM] = {"confirm", "confirm appointment", REASON_APPT_CONFIRM},
	[CALLS_REFILL] = {"refill", "refill due", REASON_REFILL},
};

const char *calls_kind_code(enum calls_kind k)
{
	return k < CALLS_KIND_N ? kinds[k].code : "?";
}

const char *calls_kind_words(enum calls_kind k)
{
	return k < CALLS_KIND_N ? kinds[k].words : "?";
}

static int kind_of(enum review_reason r)
{
	for (int k = 0; k < CALLS_KIND_N; k++)
		if (kinds[k].reason == r)
			return k;
	return -1;
}

static void row_free(struct calls_row *r)
{
	free(r->patient);
	free(r->reason);
	free(r->phone);
	free(r->language);
	free(r->best_time);
	struct call_attempts a = {r->attempts, r->n_attempts, r->n_attempts};
	call_attempts_free(&a);
}

void calls_list_free(struct calls_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		row_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

long long calls_not_before(long long at, const char *outcome, const struct config *cfg)
{
	if (!outcome_retry(outcome))
		return 0;
	const char *zone = config_zone(cfg);
	long long later = at + CALLS_RETRY_MINUTES * 60LL;
	int day = tz_local_date(zone, at), later_day, minutes;
	struct err e;
	if (tz_utc_to_local(zone, later, &later_day, &minutes, &e) == 0 && later_day == day &&
	    minutes <= CALLS_DAY_END)
		return later;
	return tz_local_midnight(zone, date_add_business_days(&cfg->holidays, day, 1));
}

static bool best_now(const char *best, const char *zone, long long now)
{
	int day, minutes;
	struct err e;
	if (!best || tz_utc_to_local(zone, now, &day, &minutes, &e) < 0)
		return false;
	switch (code_find(&BEST_TIME, best)) {
	case BEST_MORNING: return minutes < 12 * 60;
	case BEST_AFTERNOON: return minutes >= 12 * 60 && minutes < CALLS_DAY_END;
	case BEST_EVENING: return minutes >= CALLS_DAY_END;
	default: return false;
	}
}

/* The items of one patient, by kind then in the review's order. */
struct pick {
	const struct review_item *it;
	int kind;
	size_t order;
};

static int by_patient_kind(const void *pa, const void *pb)
{
	const struct pick *a = pa, *b = pb;
	if (a->it->patient_id != b->it->patient_id)
		return a->it->patient_id < b->it->patient_id ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int by_call_order(const void *pa, const void *pb)
{
	const struct calls_row *a = pa, *b = pb;
	if (a->do_not_contact != b->do_not_contact)
		return a->do_not_contact ? 1 : -1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a->patient_id < b->patient_id ? -1 : a->patient_id > b->patient_id;
}

struct build {
	struct store *s;
	const struct calls_when *w;
	const struct config *cfg;
	const char *zone;
	const char *mine;
	long long day_start;
	struct calls_list *out;
	struct err *e;
};

/* When the row's reasons arose: the discharge or the missed visit, else
 * the start of the day. */
static long long since_of(const struct build *b, const struct pick *p, size_t n)
{
	long long since = b->day_start;
	for (size_t i = 0; i < n; i++) {
		int k = p[i].kind;
		if ((k == CALLS_DISCHARGE || k == CALLS_NOSHOW) && p[i].it->ref_at &&
		    p[i].it->ref_at < since)
			since = p[i].it->ref_at;
	}
	return since;
}

/* One patient's items into a row, unless the patient is someone else's
 * (mine), reached today or waiting to be called again. */
static int add_row(struct build *b, const struct pick *p, size_t n)
{
	struct patient pt = {0};
	struct call_attempts att = {0};
	struct call_attempt last = {0};
	long long pid = p[0].it->patient_id;
	int rc = store_patient_get(b->s, pid, &pt, b->e);
	if (rc < 0)
		goto out;
	if (b->mine && !str_eq(pt.coordinator, b->mine))
		goto out;
	long long since = since_of(b, p, n);
	if ((rc = store_calls_attempts(b->s, pid, since, b->w->now, &att, &last, b->e)) < 0)
		goto out;
	if (last.at >= b->day_start && outcome_reached(last.outcome)) {
		b->out->n_reached++;
		goto out;
	}
	long long back = last.at ? calls_not_before(last.at, last.outcome, b->cfg) : 0;
	if (back > b->w->now) {
		b->out->n_later++;
		if (!b->out->next_at || back < b->out->next_at)
			b->out->next_at = back;
		goto out;
	}
	struct calls_row *r = LIST_PUSH(b->out);
	memset(r, 0, sizeof *r);
	r->patient_id = pid;
	r->patient = xstrdup(p[0].it->patient);
	r->kind = (enum calls_kind)p[0].kind;
	r->severity = p[0].it->severity;
	r->due = p[0].it->due;
	struct buf why = {0};
	for (size_t i = 0; i < n; i++) {
		r->kinds |= 1u << p[i].kind;
		buf_addf(&why, "%s%s: %s", i ? "; " : "", kinds[p[i].kind].words, p[i].it->detail);
	}
	r->reason = buf_steal(&why);
	r->do_not_contact = pt.do_not_contact;
	r->phone = pt.phone && !pt.do_not_contact ? xstrdup(pt.phone) : NULL;
	r->language = pt.language ? xstrdup(pt.language) : NULL;
	r->best_time = pt.best_time ? xstrdup(pt.best_time) : NULL;
	r->interpreter = pt.interpreter;
	r->best_now = best_now(pt.best_time, b->zone, b->w->now);
	r->since = since;
	r->attempts = att.items;
	r->n_attempts = att.len;
	att = (struct call_attempts){0};
	for (size_t i = 0; i < r->n_attempts; i++)
		r->n_today += r->attempts[i].at >= b->day_start;
out:
	free(last.outcome);
	call_attempts_free(&att);
	patient_clear(&pt);
	return rc;
}

static int rows_of(struct build *b, const struct review_list *items)
{
	struct pick *p = xcalloc(items->len ? items->len : 1, sizeof *p);
	size_t n = 0;
	for (size_t i = 0; i < items->len; i++) {
		int k = kind_of(items->items[i].reason);
		if (k >= 0)
			p[n++] = (struct pick){&items->items[i], k, i};
	}
	qsort(p, n, sizeof *p, by_patient_kind);
	int rc = 0;
	for (size_t i = 0, j; rc == 0 && i < n; i = j) {
		for (j = i + 1; j < n && p[j].it->patient_id == p[i].it->patient_id; j++)
			;
		rc = add_row(b, p + i, j - i);
	}
	free(p);
	return rc;
}

int calls_build(struct store *s, const struct calls_when *w, const struct config *cfg,
                const char *mine, struct calls_list *out, struct err *e)
{
	/* the review's thresholds, but confirmations over business days */
	struct config c = *cfg;
	c.review.confirm_days =
		date_add_business_days(&cfg->holidays, w->day, cfg->review.confirm_days) - w->day;
	unsigned reasons = 0;
	for (int k = 0; k < CALLS_KIND_N; k++)
		reasons |= 1u << kinds[k].reason;
	struct build b = {.s = s, .w = w, .cfg = cfg, .zone = config_zone(cfg), .mine = mine,
	                  .day_start = tz_local_midnight(config_zone(cfg), w->day), .out = out,
	                  .e = e};
	struct review_list items = {0};
	memset(out, 0, sizeof *out);
	if (store_begin_read(s, e) < 0)
		return e->code;
	int rc = review_build_reasons(s, w->day, &c, reasons, &items, e);
	if (rc == 0)
		rc = rows_of(&b, &items);
	review_list_free(&items);
	if (rc < 0) {
		store_rollback(s);
		calls_list_free(out);
		return rc;
	}
	if ((rc = store_commit(s, e)) < 0) {
		calls_list_free(out);
		return rc;
	}
	if (out->len > 1)
		qsort(out->items, out->len, sizeof *out->items, by_call_order);
	return 0;
}

void calls_attempts_text(const struct calls_row *r, const struct config *cfg, struct buf *b)
{
	const char *zone = config_zone(cfg);
	size_t earlier = r->n_attempts - r->n_today;
	for (size_t i = earlier; i < r->n_attempts; i++) {
		int d, minutes;
		struct err e;
		if (tz_utc_to_local(zone, r->attempts[i].at, &d, &minutes, &e) < 0)
			minutes = 0;
		buf_addf(b, "%s%02d:%02d %s", i > earlier ? ", " : "", minutes / 60, minutes % 60,
		         r->attempts[i].outcome ? r->attempts[i].outcome : "call");
	}
	if (earlier) {
		char since[DATE_STRLEN];
		buf_addf(b, "%s+%zu since %s", r->n_today ? " " : "", earlier,
		         date_format(tz_local_date(zone, r->since), since));
	}
}

/* ---- the paper call sheet ---- */

/* The sheet's own rules on top of html.c's large print: a table as wide
 * as the page, a row never split across pages. */
static const char sheet_css[] =
	"body{max-width:none}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{border:1px solid #000;padding:.4em;text-align:left;vertical-align:top}\n"
	"tr{break-inside:avoid}\n"
	".dnc{color:#555}\n"
	".small{font-size:12pt}\n"
	".box{white-space:nowrap}\n";

static void sheet_row(struct buf *b, const struct calls_row *r, size_t n, const struct config *cfg)
{
	struct buf tried = {0};
	calls_attempts_text(r, cfg, &tried);
	buf_addf(b, "<tr%s><td>%zu</td><td>", r->do_not_contact ? " class=\"dnc\"" : "", n);
	html_text(b, r->patient);
	buf_addf(b, " <span class=\"small\">(%lld)</span></td><td>", r->patient_id);
	if (r->do_not_contact)
		buf_add(b, "<strong>do not contact</strong>");
	else
		html_text(b, r->phone ? r->phone : "(no phone)");
	buf_add(b, "</td><td>");
	html_text(b, r->language);
	if (r->interpreter)
		buf_add(b, r->language ? ", interpreter needed" : "interpreter needed");
	buf_add(b, "</td><td>");
	html_text(b, r->best_time ? r->best_time : "any");
	buf_add(b, "</td><td><strong>");
	html_text(b, calls_kind_words(r->kind));
	buf_add(b, "</strong><br><span class=\"small\">");
	html_text(b, r->reason);
	buf_add(b, "</span></td><td class=\"small\">");
	html_text(b, tried.s);
	buf_add(b, "</td><td class=\"box\">");
	if (!r->do_not_contact)
		buf_add(b, "&#9744; reached<br>&#9744; no answer<br>&#9744; voicemail<br>"
		           "&#9744; left message");
	buf_add(b, "</td></tr>\n");
	buf_free(&tried);
}

int calls_html(const struct calls_list *l, const struct calls_when *w, const struct config *cfg,
               FILE *f)
{
	char day[DATE_STRLEN], *title = xasprintf("Call list %s", date_format(w->day, day));
	struct buf b = {0};
	html_head(&b, "en", title, sheet_css);
	buf_add(&b, "<h1>");
	html_text(&b, title);
	buf_add(&b, "</h1>\n");
	free(title);
	if (!l->len)
		buf_add(&b, "<p>No calls to make.</p>\n");
	else {
		buf_add(&b, "<table>\n<thead><tr><th>#</th><th>Patient</th><th>Phone</th>"
		           "<th>Language</th><th>Best time</th><th>Why</th><th>Tried</th>"
		           "<th>Outcome</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < l->len; i++)
			sheet_row(&b, &l->items[i], i + 1, cfg);
		buf_add(&b, "</tbody>\n</table>\n");
		if (l->n_later)
			buf_addf(&b, "<p class=\"small\">%zu more to call again later.</p>\n", l->n_later);
	}
	html_tail(&b);
	size_t wrote = fwrite(b.s, 1, b.len, f);
	bool ok = wrote == b.len && !ferror(f);
	buf_free(&b);
	return ok ? 0 : -1;
}
