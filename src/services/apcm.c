/* apcm: APCM's monthly checklist from the rules file's elements, the
 * config's attestations, caseload's data and the rows recorded for the
 * month; and the use case that records elements done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/apcm.h"
#include "caseload/billing.h"
#include "caseload/store.h"
#include "caseload/store_apcm.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

const char *apcm_how_name(enum apcm_how h)
{
	static const char *const names[] = {"missing", "attested", "seen", "recorded"};
	return h <= APCM_RECORDED ? names[h] : "?";
}

void apcm_checklist_free(struct apcm_checklist *c)
{
	free(c->items);
	memset(c, 0, sizeof *c);
}

int apcm_check_attest(const struct rules *r, const struct config *cfg, struct err *e)
{
	for (int i = 0; i < cfg->n_attest; i++) {
		const struct attest *a = &cfg->attest[i];
		const struct rule_element *el = rules_element(r, a->id);
		if (!el)
			return err_set_at(e, ERR_FAIL, cfg->path, a->line, a->col,
			                  "apcm.attest: %s is not an APCM element of %s", TEXT_ARG(a->id),
			                  r->path);
		if (!el->practice)
			return err_set_at(e, ERR_FAIL, cfg->path, a->line, a->col,
			                  "apcm.attest: %s is the patient's, not the practice's "
			                  "(apcm check --done)", a->id);
	}
	return 0;
}

static bool attested(const struct config *cfg, const char *id)
{
	for (int i = 0; i < cfg->n_attest; i++)
		if (!strcmp(cfg->attest[i].id, id))
			return true;
	return false;
}

/* What caseload's data says of the month. */
struct seen {
	const struct apcm_facts *f;
	const char *zone;
	int first, last;
};

#define DETAIL(it, ...) snprintf((it)->detail, sizeof (it)->detail, __VA_ARGS__)

static bool seen_consent(const struct seen *w, struct apcm_item *it)
{
	int given, gone = DATE_NONE;
	if (!w->f->consent_given || date_parse_iso(w->f->consent_given, &given) < 0)
		return DETAIL(it, "no APCM consent on file"), false;
	if (w->f->consent_withdrawn && date_parse_iso(w->f->consent_withdrawn, &gone) == 0 &&
	    gone < w->first)
		return DETAIL(it, "APCM consent withdrawn on %s", w->f->consent_withdrawn), false;
	return DETAIL(it, "APCM consent given %s", w->f->consent_given), true;
}

static bool seen_visit(const struct seen *w, struct apcm_item *it)
{
	char day[DATE_STRLEN];
	int from = date_add_months(w->first, -36);
	if (!w->f->last_visit)
		return DETAIL(it, "no visit on the timeline"), false;
	int d = tz_local_date(w->zone, w->f->last_visit);
	if (d < from)
		return DETAIL(it, "last visit %s, over three years ago", date_format(d, day)), false;
	return DETAIL(it, "visit on %s", date_format(d, day)), true;
}

static bool seen_continuity(const struct seen *w, struct apcm_item *it)
{
	int n = w->f->care_team;
	if (!n && !w->f->coordinator)
		return DETAIL(it, "no coordinator nor care team"), false;
	if (!n)
		return DETAIL(it, "a primary coordinator"), true;
	return DETAIL(it, "%s%d care-team member%s", w->f->coordinator ? "a coordinator and " : "",
	              n, n == 1 ? "" : "s"), true;
}

static bool seen_plan(const struct seen *w, struct apcm_item *it)
{
	int n = w->f->open_goals;
	if (!n)
		return DETAIL(it, "no open care plan with an open goal"), false;
	return DETAIL(it, "open care plan, %d open goal%s", n, n == 1 ? "" : "s"), true;
}

/* The patient-scope elements caseload's data shows. */
static const struct {
	const char *id;
	bool (*fn)(const struct seen *w, struct apcm_item *it);
} derived[] = {
	{"consent", seen_consent}, {"initiating-visit", seen_visit},
	{"continuity", seen_continuity}, {"care-plan", seen_plan},
};

static const struct apcm_mark *mark_of(const struct apcm_facts *f, const char *id)
{
	for (size_t i = 0; i < f->n_marks; i++)
		if (!strcmp(f->marks[i].element, id))
			return &f->marks[i];
	return NULL;
}

static void judge(const struct seen *w, const struct config *cfg, struct apcm_item *it)
{
	const char *id = it->element->id;
	if (it->element->practice) {
		if (attested(cfg, id)) {
			it->how = APCM_ATTESTED;
			DETAIL(it, "attested in the config file");
		} else {
			DETAIL(it, "not attested (the config file's apcm.attest)");
		}
		return;
	}
	for (size_t k = 0; k < sizeof derived / sizeof *derived; k++)
		if (!strcmp(derived[k].id, id) && derived[k].fn(w, it)) {
			it->how = APCM_SEEN;
			return;
		}
	const struct apcm_mark *m = mark_of(w->f, id);
	if (m) {
		char day[DATE_STRLEN];
		it->how = APCM_RECORDED;
		DETAIL(it, "recorded by %s on %s", m->done_by,
		       date_format(tz_local_date(w->zone, m->created), day));
	} else if (!it->detail[0]) {
		DETAIL(it, "not recorded for the month");
	}
}

int apcm_checklist(struct store *s, const struct config *cfg, const char *zone,
                   long long patient_id, const char *month, struct apcm_checklist *out,
                   struct err *e)
{
	memset(out, 0, sizeof *out);
	struct seen w = {.zone = zone};
	struct apcm_facts f;
	char last[DATE_STRLEN];
	if (billing_parse_month(month, &w.first, &w.last, e) < 0 ||
	    rules_for_day(w.first, &out->rules, e) < 0 || apcm_check_attest(out->rules, cfg, e) < 0 ||
	    store_apcm_facts(s, patient_id, month, date_format(w.last, last),
	                     tz_local_midnight(zone, w.last + 1), &f, e) < 0)
		return e->code;
	w.f = &f;
	snprintf(out->month, sizeof out->month, "%s", month);
	out->len = out->rules->n_elements;
	out->items = xcalloc(out->len + 1, sizeof *out->items);
	for (size_t i = 0; i < out->len; i++) {
		struct apcm_item *it = &out->items[i];
		it->element = &out->rules->elements[i];
		judge(&w, cfg, it);
		if (it->how == APCM_MISSING)
			out->missing++;
	}
	apcm_facts_free(&f);
	return 0;
}

void apcm_missing_ids(const struct apcm_checklist *c, char *out, size_t n)
{
	struct buf b = {0};
	for (size_t i = 0; i < c->len; i++)
		if (c->items[i].how == APCM_MISSING)
			buf_addf(&b, "%s%s", b.len ? ", " : "", c->items[i].element->id);
	snprintf(out, n, "%s", b.len ? b.s : "");
	buf_free(&b);
}

int apcm_record(struct store *s, long long patient_id, const char *month,
                const char *const *ids, size_t n, struct change *ch, struct err *e)
{
	int first, last;
	const struct rules *r;
	if (!n)
		return err_set(e, ERR_USAGE, "which elements? (--done ELEMENT ...)");
	if (billing_parse_month(month, &first, &last, e) < 0 || rules_for_day(first, &r, e) < 0)
		return e->code;
	for (size_t i = 0; i < n; i++) {
		const struct rule_element *el = rules_element(r, ids[i]);
		if (!el)
			return err_set(e, ERR_USAGE, "%s is not an APCM element (apcm check lists them)",
			               TEXT_ARG(ids[i]));
		if (el->practice)
			return err_set(e, ERR_USAGE, "%s is the practice's: attest it in the config "
			               "file (apcm.attest)", el->id);
		if (!strcmp(el->id, "consent"))
			return err_set(e, ERR_USAGE, "consent is a consent row (consent add --program apcm)");
	}
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, patient_id, "APCM %s for patient %lld: %zu element%s", month, patient_id,
	                n, n == 1 ? "" : "s");
	long long id = 0;
	if (store_patient_exists(s, patient_id, e) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (store_apcm_mark(s, patient_id, month, ids[i], &id, e) < 0)
			goto fail;
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_PATIENT, patient_id, id);
fail:
	store_rollback(s);
	return e->code;
}
