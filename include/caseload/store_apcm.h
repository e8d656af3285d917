/* store_apcm: what caseload's data says of a patient's APCM month (the
 * consent, the last visit, the care team, the care plans' open goals)
 * and the checklist rows recorded for it (apcm_check). */
#ifndef CASELOAD_STORE_APCM_H
#define CASELOAD_STORE_APCM_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/err.h"

struct store;

/* An element recorded done for a patient's month. */
struct apcm_mark {
	long long id;
	char *element, *done_by;
	long long created, version;
};

struct apcm_facts {
	char *consent_given, *consent_withdrawn;   /* the latest APCM consent given
	                                              by the month's end (NULL: none) */
	long long last_visit;      /* the latest visit before the month's end (UTC; 0: none) */
	int care_team;             /* care-team members */
	bool coordinator;          /* a primary coordinator named */
	int open_goals;            /* open goals of open care plans */
	struct apcm_mark *marks;   /* recorded for the month, by element */
	size_t n_marks;
};
void apcm_facts_free(struct apcm_facts *f);

/* The facts of patient_id's month ("YYYY-MM", last: its last day ISO;
 * to_utc: the instant after it). */
int store_apcm_facts(struct store *s, long long patient_id, const char *month,
                     const char *last, long long to_utc, struct apcm_facts *out,
                     struct err *e);
/* Record element done for the month (audited; undoable); ERR_CONFLICT
 * when it is recorded already. */
int store_apcm_mark(struct store *s, long long patient_id, const char *month,
                    const char *element, long long *id, struct err *e);

#endif
