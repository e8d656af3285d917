/* billing: the month's end.  For each patient and program, which codes
 * the month's facts support (with units: 99439 x2) and, for each code not
 * supported, why not in words ("18 of 20 minutes", "no consent on file").
 * The decision is pure (facts and rules in, decisions out: the unit tests
 * feed facts directly); billing_month gathers a month's facts from the
 * store.  TCM episodes: listing and setting the face-to-face day, the
 * medication reconciliation day and the complexity. */
#ifndef CASELOAD_BILLING_H
#define CASELOAD_BILLING_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/change.h"
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/rules.h"
#include "caseload/store_billing.h"

struct store;

#define BILL_WHY 160
struct bill_decision {
	const struct rule_code *rule;
	size_t fact;               /* the index of its facts */
	int units;                 /* 0: not supported */
	char why[BILL_WHY];        /* why not ("" when supported) */
};
struct bill_result {
	struct bill_decision *items;
	size_t len, cap;
};
void bill_result_free(struct bill_result *r);

/* Whether the consent is in force for the month: given by its last day
 * and not withdrawn before its first (a withdrawal takes effect at the
 * end of the month it is made in). */
bool billing_consent_in_force(const struct bill_facts *f);
/* The TCM contact: due = the discharge day moved the rules' business
 * days (weekends and the file's holidays skipped); made when a reached
 * call or visit, or a second attempt, falls on or before it; *on = that
 * day (DATE_NONE: not made). */
bool billing_tcm_contact(const struct rules *r, const struct bill_facts *f, int *due, int *on);
/* Decide every code of f[i].program for each of the n facts (one
 * patient's month), then the exclusions between them; appends to out in
 * the rules' code order for each fact. */
void billing_decide(const struct rules *r, const struct bill_facts *f, size_t n,
                    struct bill_result *out);

/* "YYYY-MM" into its first and last days (ERR_USAGE naming it). */
int billing_parse_month(const char *month, int *first, int *last, struct err *e);

/* A month's facts and decisions for the whole caseload (or a patient). */
struct bill_month {
	const struct rules *rules;      /* rules_for_day's: not freed */
	struct bill_facts_list facts;
	struct bill_result result;
	int first, last;
};
/* month: "YYYY-MM"; local days and instants in zone; cfg: the
 * practice's APCM attestations (apcm.h: an APCM month's checklist). */
int billing_month(struct store *s, const char *month, const char *zone,
                  const struct config *cfg, long long patient_id, struct bill_month *out,
                  struct err *e);
void bill_month_free(struct bill_month *m);
/* "99490", "99439 x2" into out. */
const char *billing_code_units(const struct bill_decision *d, char *out, size_t n);

/* The last day of a TCM period that begins on `started`: the rules
 * file's period_days in force that day, or TCM_PERIOD_DAYS when none
 * covers it (started + 29 either way in 2026). */
int tcm_last_day(int started);
/* TCM episodes, newest first: the discharge's local days filled in
 * (zone) and each one's status as it reads on today (an episode past its
 * period reads finished); open_only: the open ones. */
int tcm_list(struct store *s, const char *zone, int today, long long patient_id, bool open_only,
             struct bill_facts_list *out, struct err *e);
/* Set what the practitioner recorded on a TCM episode: face_to_face and
 * med_rec as ISO days (NULL: leave; neither before the discharge),
 * complexity moderate|high (NULL: leave); version-checked (if_version 0:
 * the current one), audited, undoable.  An episode that reads as ended on
 * today (its period past, or cancelled) is refused. */
int tcm_set(struct store *s, const char *zone, int today, long long episode_id,
            long long if_version, const char *face_to_face, const char *med_rec,
            const char *complexity, struct change *ch, struct err *e);
/* Open the TCM episode of a discharge (care_discharge calls it inside its
 * transaction): started = the discharge's day in zone (the
 * coordinator's), ended = tcm_last_day(started), known from the start;
 * the row stays active and reads finished once ended is past. */
int tcm_open(struct store *s, long long patient_id, long long discharge_id, long long at,
             const char *zone, struct err *e);

#endif
