/* billing: the month's end decided from a month's facts and the year's
 * rules file, and the TCM episode's use cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/apcm.h"
#include "caseload/billing.h"
#include "caseload/program.h"
#include "caseload/store.h"
#include "caseload/store_program.h"
#include "caseload/store_undo.h"
#include "caseload/tz.h"
#include "caseload/util.h"

void bill_result_free(struct bill_result *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}

bool billing_consent_in_force(const struct bill_facts *f)
{
	return f->consent_given != DATE_NONE && f->consent_given <= f->last &&
	       (f->consent_withdrawn == DATE_NONE || f->consent_withdrawn >= f->first);
}

bool billing_tcm_contact(const struct rules *r, const struct bill_facts *f, int *due, int *on)
{
	*on = DATE_NONE;
	*due = f->discharge == DATE_NONE ? DATE_NONE
	                                 : date_add_business_days(&r->holidays, f->discharge,
	                                                          r->contact_bdays);
	int attempts = 0;
	for (int i = 0; *due != DATE_NONE && i < f->n_attempts; i++) {
		if (f->attempt_day[i] > *due)
			break;
		attempts++;
		if (f->attempt_reached[i] || attempts >= 2) {
			*on = f->attempt_day[i];
			return true;
		}
	}
	return false;
}

#define WHY(d, ...) snprintf((d)->why, sizeof (d)->why, __VA_ARGS__)

/* Consent and enrollment, which every code of a program needs. */
static bool gate(const struct rules *r, const struct bill_facts *f, struct bill_decision *d)
{
	char day[DATE_STRLEN];
	if (!r->consent[f->program])
		return true;
	if (f->consent_given == DATE_NONE)
		return WHY(d, "no consent on file"), false;
	if (f->consent_given > f->last)
		return WHY(d, "consent given on %s, after the month", date_format(f->consent_given, day)),
		       false;
	if (f->consent_withdrawn != DATE_NONE && f->consent_withdrawn < f->first)
		return WHY(d, "consent withdrawn on %s", date_format(f->consent_withdrawn, day)), false;
	return true;
}

static void minutes_short(struct bill_decision *d, const struct bill_facts *f, int have, int need,
                          enum performer p)
{
	char n[48] = "", day[DATE_STRLEN];
	if (p != PERF_STAFF)
		snprintf(n, sizeof n, " %s", performer_name(p));
	if (f->minutes_early[p] && have + f->minutes_early[p] >= need)   /* short because of them */
		WHY(d, "%d of %d%s minutes (%d before the consent of %s do not count)", have, need, n,
		    f->minutes_early[p], date_format(f->consent_given, day));
	else
		WHY(d, "%d of %d%s minutes", have, need, n);
}

static void decide_timed(const struct bill_facts *f, struct bill_decision *d,
                         const struct bill_decision *base)
{
	const struct rule_code *k = d->rule;
	int have = f->minutes[k->performer];
	if (k->addon_to) {
		if (!base || !base->units) {
			if (base && base->why[0])
				snprintf(d->why, sizeof d->why, "%s", base->why);
			else
				WHY(d, "needs %s", k->addon_to);
			return;
		}
		int over = have - base->rule->minutes;
		int units = over / k->step;
		if (k->cap && units > k->cap)
			units = k->cap;
		if (units == 0)
			minutes_short(d, f, have, base->rule->minutes + k->step, k->performer);
		d->units = units;
		return;
	}
	if (k->complex && f->complexity == CPLX_NONE) {
		WHY(d, "complexity not recorded on the episode");
		return;
	}
	if (have < k->minutes)
		minutes_short(d, f, have, k->minutes, k->performer);
	else
		d->units = 1;
}

static void decide_apcm(const struct bill_facts *f, struct bill_decision *d)
{
	const struct rule_code *k = d->rule;
	if (f->conditions < k->conditions_min)
		WHY(d, "%d chronic condition%s on file, %d or more needed", f->conditions,
		    f->conditions == 1 ? "" : "s", k->conditions_min);
	else if (k->conditions_max && f->conditions > k->conditions_max)
		WHY(d, "%d chronic conditions on file, %d or fewer for this code", f->conditions,
		    k->conditions_max);
	else if (k->qmb && !f->qmb)
		WHY(d, "not a Qualified Medicare Beneficiary");
	else if (f->apcm_missing)
		WHY(d, "%d of %d elements missing: %s", f->apcm_missing, f->apcm_elements,
		    f->apcm_missing_ids);
	else
		d->units = 1;
}

static void decide_tcm(const struct rules *r, const struct bill_facts *f,
                       struct bill_decision *d)
{
	const struct rule_code *k = d->rule;
	char day[DATE_STRLEN];
	int due, on;
	if (f->discharge == DATE_NONE) {
		WHY(d, "no discharge on record");
		return;
	}
	if (!billing_tcm_contact(r, f, &due, &on)) {
		int n = 0;
		for (int i = 0; i < f->n_attempts && f->attempt_day[i] <= due; i++)
			n++;
		WHY(d, "no interactive contact by %s (%d business days; %d attempt%s)",
		    date_format(due, day), r->contact_bdays, n, n == 1 ? "" : "s");
		return;
	}
	if (f->complexity == CPLX_NONE) {
		WHY(d, "complexity not recorded on the episode");
		return;
	}
	if (f->face_to_face == DATE_NONE) {
		WHY(d, "no face-to-face visit recorded");
		return;
	}
	int n = f->face_to_face - f->discharge;
	if (n < 0) {
		WHY(d, "face-to-face visit before the discharge");
		return;
	}
	if (n > k->face_to_face_days) {
		WHY(d, "face-to-face visit on day %d, after the %d days of %s complexity", n,
		    k->face_to_face_days, complexity_name(k->complexity));
		return;
	}
	if (f->complexity < k->complexity) {
		WHY(d, "%s complexity, %s needs %s", complexity_name(f->complexity), k->code,
		    complexity_name(k->complexity));
		return;
	}
	if (f->med_rec == DATE_NONE || f->med_rec > f->face_to_face) {
		WHY(d, "medication reconciliation not recorded by the face-to-face visit");
		return;
	}
	d->units = 1;
}

static const struct bill_decision *find_code(const struct bill_result *out, size_t from,
                                             const char *code)
{
	for (size_t i = from; code && i < out->len; i++)
		if (!strcmp(out->items[i].rule->code, code))
			return &out->items[i];
	return NULL;
}

static void decide_one(const struct rules *r, const struct bill_facts *f, size_t fi,
                       struct bill_result *out)
{
	size_t start = out->len;
	for (size_t i = 0; i < r->n_codes; i++) {
		const struct rule_code *k = &r->codes[i];
		if (k->program != f->program)
			continue;
		xgrow((void **)&out->items, &out->cap, out->len, sizeof *out->items);
		struct bill_decision *d = &out->items[out->len++];
		memset(d, 0, sizeof *d);
		d->rule = k;
		d->fact = fi;
		if (!gate(r, f, d))
			continue;
		if (f->program == PROG_TCM)
			decide_tcm(r, f, d);
		else if (k->performer == PERF_NONE)
			decide_apcm(f, d);
		else
			decide_timed(f, d, find_code(out, start, k->addon_to));
	}
}

static bool in(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(codes[i], code))
			return true;
	return false;
}

/* An exclusion whose `by` code is supported takes its `excludes` codes
 * away from the patient's month. */
static void exclude(const struct rules *r, struct bill_result *out, size_t start)
{
	for (size_t x = 0; x < r->n_exclusions; x++) {
		const struct rule_exclusion *ex = &r->exclusions[x];
		const struct bill_decision *by = NULL;
		for (size_t i = start; i < out->len && !by; i++)
			if (out->items[i].units && in(ex->by, ex->n_by, out->items[i].rule->code))
				by = &out->items[i];
		if (!by)
			continue;
		for (size_t i = start; i < out->len; i++) {
			struct bill_decision *d = &out->items[i];
			if (d->units && in(ex->excludes, ex->n_excludes, d->rule->code)) {
				d->units = 0;
				WHY(d, "excluded by %s %s this month", program_title(by->rule->program),
				    by->rule->code);
			}
		}
	}
}

void billing_decide(const struct rules *r, const struct bill_facts *f, size_t n,
                    struct bill_result *out)
{
	size_t start = out->len;
	for (size_t i = 0; i < n; i++)
		decide_one(r, &f[i], i, out);
	exclude(r, out, start);
}

const char *billing_code_units(const struct bill_decision *d, char *out, size_t n)
{
	if (d->units > 1)
		snprintf(out, n, "%s x%d", d->rule->code, d->units);
	else
		snprintf(out, n, "%s", d->rule->code);
	return out;
}

/* ---- the month from the store ---- */

int billing_parse_month(const char *month, int *first, int *last, struct err *e)
{
	char day[DATE_STRLEN];
	int y, m, d;
	if (!month || strlen(month) != 7 || month[4] != '-' ||
	    snprintf(day, sizeof day, "%s-01", month) != 10 || date_parse_iso(day, first) < 0 ||
	    !date_in_range(*first))
		return err_set(e, ERR_USAGE, "month '%s' is not YYYY-MM", month ? month : "");
	date_to_ymd(*first, &y, &m, &d);
	*last = date_from_ymd(y, m, date_days_in_month(y, m));
	return 0;
}

/* The local days of a TCM episode's discharge and attempts. */
static void local_days(struct bill_facts *f, const char *zone)
{
	if (f->discharge_at)
		f->discharge = tz_local_date(zone, f->discharge_at);
	for (int i = 0; i < f->n_attempts; i++)
		f->attempt_day[i] = tz_local_date(zone, f->attempt_at[i]);
}

/* An APCM month's checklist (apcm.h), counted into its facts. */
static int apcm_facts(struct store *s, const char *month, const char *zone,
                      const struct config *cfg, struct bill_facts *f, struct err *e)
{
	struct apcm_checklist c;
	if (apcm_checklist(s, cfg, zone, f->patient_id, month, &c, e) < 0)
		return e->code;
	f->apcm_elements = (int)c.len;
	f->apcm_missing = c.missing;
	apcm_missing_ids(&c, f->apcm_missing_ids, sizeof f->apcm_missing_ids);
	apcm_checklist_free(&c);
	return 0;
}

int billing_month(struct store *s, const char *month, const char *zone,
                  const struct config *cfg, long long patient_id, struct bill_month *out,
                  struct err *e)
{
	memset(out, 0, sizeof *out);
	char first[DATE_STRLEN], last[DATE_STRLEN];
	if (billing_parse_month(month, &out->first, &out->last, e) < 0 ||
	    rules_for_day(out->first, &out->rules, e) < 0)
		return e->code;
	date_format(out->first, first);
	date_format(out->last, last);
	if (store_billing_month(s, patient_id, first, last, tz_local_midnight(zone, out->first),
	                        tz_local_midnight(zone, out->last + 1), &out->facts, e) < 0) {
		bill_month_free(out);
		return e->code;
	}
	struct bill_facts *f = out->facts.items;
	for (size_t i = 0; i < out->facts.len; i++) {
		local_days(&f[i], zone);
		if (f[i].program == PROG_APCM && out->rules->n_elements &&
		    apcm_facts(s, month, zone, cfg, &f[i], e) < 0) {
			bill_month_free(out);
			return e->code;
		}
	}
	for (size_t i = 0, j; i < out->facts.len; i = j) {
		for (j = i + 1; j < out->facts.len && f[j].patient_id == f[i].patient_id; j++)
			;
		struct bill_result one = {0};
		billing_decide(out->rules, &f[i], j - i, &one);
		for (size_t k = 0; k < one.len; k++) {
			one.items[k].fact += i;
			xgrow((void **)&out->result.items, &out->result.cap, out->result.len,
			      sizeof *out->result.items);
			out->result.items[out->result.len++] = one.items[k];
		}
		bill_result_free(&one);
	}
	return 0;
}

void bill_month_free(struct bill_month *m)
{
	bill_facts_list_free(&m->facts);
	bill_result_free(&m->result);
}

/* ---- TCM episodes ---- */

int tcm_last_day(int started)
{
	const struct rules *r = NULL;
	struct err e = {0};
	if (rules_for_day(started, &r, &e) < 0 || !r)
		return started + TCM_PERIOD_DAYS - 1;   /* no rules file covers the day */
	return started + r->period_days - 1;
}

/* A TCM episode's status as it reads on today (program.h's
 * episode_status_on, on the facts' days). */
static void status_on(struct bill_facts *f, int today)
{
	char a[DATE_STRLEN], b[DATE_STRLEN];
	struct episode ep = {.status = f->status, .started = date_format(f->started, a),
	                     .ended = f->ended == DATE_NONE ? NULL : date_format(f->ended, b)};
	const char *status = episode_status_on(&ep, today);
	if (status != f->status)
		str_set(&f->status, status);
}

int tcm_list(struct store *s, const char *zone, int today, long long patient_id, bool open_only,
             struct bill_facts_list *out, struct err *e)
{
	if (store_tcm_list(s, patient_id, out, e) < 0)
		return e->code;
	size_t keep = 0;
	for (size_t i = 0; i < out->len; i++) {
		struct bill_facts *f = &out->items[i];
		local_days(f, zone);
		status_on(f, today);
		if (!open_only || episode_open(f->status)) {
			out->items[keep++] = *f;
		} else {
			str_free(f->patient);
			str_free(f->status);
		}
	}
	out->len = keep;
	return 0;
}

static int check_day(const char *what, const char *v, int discharge, struct err *e)
{
	int d;
	if (!v)
		return 0;
	if (date_parse_iso(v, &d) < 0)
		return err_set(e, ERR_USAGE, "%s '%s' is not a date YYYY-MM-DD", what, v);
	if (d < discharge) {
		char day[DATE_STRLEN];
		return err_set(e, ERR_USAGE, "%s %s is before the discharge (%s)", what, v,
		               date_format(discharge, day));
	}
	return 0;
}

/* The day a TCM episode's days may not precede: its discharge's in zone
 * (its first day when the discharge is gone). */
static int discharge_day(struct store *s, const struct episode *ep, const char *zone, int *day,
                         struct err *e)
{
	struct entry en = {0};
	if (date_parse_iso(ep->started, day) < 0)
		*day = DATE_NONE;
	if (!ep->discharge_id)
		return 0;
	int rc = store_entry_get(s, ep->discharge_id, &en, e);
	if (rc == 0)
		*day = tz_local_date(zone, en.at);
	entry_clear(&en);
	if (rc == ERR_NOTFOUND)
		err_clear(e);
	return rc == ERR_NOTFOUND ? 0 : rc;
}

int tcm_set(struct store *s, const char *zone, int today, long long episode_id,
            long long if_version, const char *face_to_face, const char *med_rec,
            const char *complexity, struct change *ch, struct err *e)
{
	struct episode ep = {0};
	int from;
	if (complexity && complexity_find(complexity) < 0)
		return err_set(e, ERR_USAGE, "complexity '%s' is not one of moderate, high", complexity);
	if (!face_to_face && !med_rec && !complexity)
		return err_set(e, ERR_USAGE, "nothing to set (--face-to-face, --med-rec, --complexity)");
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "set TCM episode %lld", episode_id);
	if (store_episode_get(s, episode_id, &ep, e) < 0 ||
	    (program_find(ep.program) != PROG_TCM &&
	     err_set(e, ERR_NOTFOUND, "no TCM episode %lld", episode_id) < 0))
		goto fail;
	store_undo_what(s, ep.patient_id, "set TCM episode %lld", episode_id);
	if (!episode_open_on(&ep, today)) {
		err_set(e, ERR_CONFLICT, "TCM episode %lld has ended (%s)", episode_id,
		        ep.ended ? ep.ended : ep.status);
		goto fail;
	}
	if (discharge_day(s, &ep, zone, &from, e) < 0 ||
	    check_day("--face-to-face", face_to_face, from, e) < 0 ||
	    check_day("--med-rec", med_rec, from, e) < 0)
		goto fail;
	if (if_version)
		ep.version = if_version;
	if (face_to_face)
		str_set(&ep.face_to_face, face_to_face);
	if (med_rec)
		str_set(&ep.med_rec, med_rec);
	if (complexity)
		str_set(&ep.complexity, complexity);
	if (store_episode_update(s, &ep, e) < 0)
		goto fail;
	long long pid = ep.patient_id;
	episode_clear(&ep);
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_TIME | CHANGE_REVIEW, pid, episode_id);
fail:
	episode_clear(&ep);
	store_rollback(s);
	return e->code;
}

int tcm_open(struct store *s, long long patient_id, long long discharge_id, long long at,
             const char *zone, struct err *e)
{
	char first[DATE_STRLEN], last[DATE_STRLEN];
	int day = tz_local_date(zone, at);
	struct episode ep = {.patient_id = patient_id, .program = "tcm", .status = "active",
	                     .started = date_format(day, first),
	                     .ended = date_format(tcm_last_day(day), last),
	                     .discharge_id = discharge_id};
	return store_episode_add(s, &ep, e);
}
