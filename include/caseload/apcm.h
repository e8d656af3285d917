/* apcm: advanced primary care management's monthly checklist (issue 16).
 * APCM has no minutes: a month is billed when each service element the
 * rules file lists (programs.apcm.elements) is met.  A practice-scope
 * element is attested once in the config file (apcm.attest); a
 * patient-scope one is seen in caseload's data (consent: an APCM consent
 * in force; initiating-visit: a visit in the three years to the month's
 * end; continuity: a coordinator or care team; care-plan: an open care
 * plan with an open goal) or recorded for the patient and month
 * (`apcm check --done`, apcm_record). */
#ifndef CASELOAD_APCM_H
#define CASELOAD_APCM_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/change.h"
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/rules.h"

struct store;

enum apcm_how { APCM_MISSING, APCM_ATTESTED, APCM_SEEN, APCM_RECORDED };
const char *apcm_how_name(enum apcm_how h);   /* "missing", "attested", "seen", "recorded" */

struct apcm_item {
	const struct rule_element *element;
	enum apcm_how how;
	char detail[120];          /* how it is met ("open care plan, 2 open goals"),
	                              or what is missing */
};
struct apcm_checklist {
	const struct rules *rules; /* rules_for_day's: not freed */
	char month[8];             /* "2026-11" */
	struct apcm_item *items;   /* the rules' elements, in their order */
	size_t len;
	int missing;
};
void apcm_checklist_free(struct apcm_checklist *c);

/* Each of the config's attested ids must be a practice-scope element of
 * r: else an error naming the config file's line. */
int apcm_check_attest(const struct rules *r, const struct config *cfg, struct err *e);
/* Patient patient_id's checklist for month "YYYY-MM" (days in zone). */
int apcm_checklist(struct store *s, const struct config *cfg, const char *zone,
                   long long patient_id, const char *month, struct apcm_checklist *out,
                   struct err *e);
/* The missing elements' ids, "access, transitions", into out. */
void apcm_missing_ids(const struct apcm_checklist *c, char *out, size_t n);

/* Record the n elements done for the patient's month: each a
 * patient-scope element of the month's rules (consent is a consent row:
 * consent add), not recorded already.  One transaction, audited,
 * undoable together. */
int apcm_record(struct store *s, long long patient_id, const char *month,
                const char *const *ids, size_t n, struct change *ch, struct err *e);

#endif
