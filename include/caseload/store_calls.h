/* store_calls: the call list's one query of its own, the call attempts
 * made to a patient (timeline entries of kind call).  The list's kinds of
 * outreach are the review's rules (store_review.h). */
#ifndef CASELOAD_STORE_CALLS_H
#define CASELOAD_STORE_CALLS_H
#include <stddef.h>
#include "caseload/err.h"

struct store;

struct call_attempt {
	long long at;              /* UTC instant */
	char *outcome;             /* OUTCOME code, or NULL when none was recorded */
};
struct call_attempts {
	struct call_attempt *items;
	size_t len, cap;
};
void call_attempts_free(struct call_attempts *l);

/* The patient's calls with `from` <= at <= `to`, oldest first, added to
 * out; and (last, may be NULL) the newest call at or before `to` whenever
 * it was (last->at 0: none), which decides whether the patient is
 * waiting to be called again.  On the index of the patient's entries. */
int store_calls_attempts(struct store *s, long long patient_id, long long from, long long to,
                         struct call_attempts *out, struct call_attempt *last, struct err *e);

#endif
