/* store_billing: the facts of a calendar month that the month's end
 * (billing.h) decides on, and the TCM episode a discharge opens. */
#ifndef CASELOAD_STORE_BILLING_H
#define CASELOAD_STORE_BILLING_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/err.h"
#include "caseload/rules.h"

struct store;

/* The contact attempts after a discharge a TCM episode looks at. */
#define BILL_ATTEMPTS 8
#define APCM_MISSING_IDS 200

/* One patient's episode of one program in the month.  Days are civil
 * days (DATE_NONE: none); instants UTC seconds (0: none). */
struct bill_facts {
	long long patient_id, episode_id, version;
	const char *patient;               /* "Family, Given" (owned by a list) */
	enum program program;
	const char *status;                /* the episode's (owned by a list) */
	int first, last;                   /* the month */
	int started, ended;                /* the episode */
	int consent_given, consent_withdrawn;
	int minutes[PERF_N];               /* from the consent's day on (or the month's first) */
	int minutes_early[PERF_N];         /* logged in the month before the consent's day */
	int contacts;                      /* reached calls, visits, messages in the month */
	int conditions;                    /* active conditions */
	enum complexity complexity;
	/* TCM: the discharge, its visit, its medication reconciliation, and
	 * the calls and visits after it (any outcome; messages do not count) */
	long long discharge_id, discharge_at;
	int discharge, face_to_face, med_rec;
	int n_attempts;
	long long attempt_at[BILL_ATTEMPTS];
	int attempt_day[BILL_ATTEMPTS];
	bool attempt_reached[BILL_ATTEMPTS];
	/* APCM: the patient is a Qualified Medicare Beneficiary; the month's
	 * checklist of service elements (apcm.h; billing_month fills it):
	 * of how many elements (0: the rules list none), how many are
	 * missing, and their ids ("access, transitions") */
	bool qmb;
	int apcm_elements, apcm_missing;
	char apcm_missing_ids[APCM_MISSING_IDS];
};
struct bill_facts_list {
	struct bill_facts *items;
	size_t len, cap;
};
void bill_facts_list_free(struct bill_facts_list *l);

/* The month [first, last] (ISO days; from_utc, to_utc: its instants in the
 * coordinator's zone): every episode of an active patient (one patient
 * when patient_id) that is active, on hold or finished and overlaps the
 * month, TCM ones only in the month of their discharge (its instant in
 * [from_utc, to_utc)); with the
 * minutes logged to it by role (a CCM episode also takes the minutes
 * logged to no episode: the time log before programs was CCM time), those
 * dated before the day the consent was given apart (minutes_early), the
 * consent for its program (the latest given by the month's end),
 * the month's reached contacts, active conditions, for APCM whether the
 * patient is a Qualified Medicare Beneficiary and, for TCM, the
 * contact attempts (at only: the caller gives them days).  By patient
 * name, then program. */
int store_billing_month(struct store *s, long long patient_id, const char *first,
                        const char *last, long long from_utc, long long to_utc,
                        struct bill_facts_list *out, struct err *e);

/* TCM episodes (one patient, or all when 0), newest first, as stored
 * (billing.c's tcm_list reads their status on a day).  Facts without the
 * month's fields. */
int store_tcm_list(struct store *s, long long patient_id, struct bill_facts_list *out,
                   struct err *e);

#endif
