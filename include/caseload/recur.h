/* recur: the occurrences of appointments within a range, with recurring
 * series (RRULE, RDATE, EXDATE) expanded by libical's recurrence
 * iterator in the series' own zone and moved or cancelled occurrences
 * (RECURRENCE-ID overrides) applied.  Used wherever a date range is shown.
 *
 * Conventions of the stored text: exdate and rdate are comma-separated
 * UTC instants as "2026-12-01T14:00:00Z" (all-day: midnight UTC of the
 * date); an override's recurrence_id is the original occurrence's start
 * in the same form. */
#ifndef CASELOAD_RECUR_H
#define CASELOAD_RECUR_H
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

struct occurrence {
	long long start, end;          /* this occurrence, UTC */
	long long original_start;      /* where the series put it (= start unless moved) */
	const struct appointment *appt;/* the row it comes from (series or override) */
};
struct occurrence_list {
	struct occurrence *items;
	size_t len, cap;
	struct appointment_list rows;  /* owned: what items point into */
};

/* Occurrences overlapping [from, to) of one patient (0: everyone), in
 * time order.  Cancelled ones are included (check appt->status). */
int recur_range(struct store *s, long long patient_id, long long from, long long to,
                struct occurrence_list *out, struct err *e);
/* The same occurrences handed to fn one at a time as they come, in the
 * same order (o->appt lives until fn returns): memory holds the series
 * that reach into the range, not the range.  fn's error ends the walk;
 * a positive return ends it too, early and without an error (0). */
typedef int recur_fn(void *ctx, const struct occurrence *o);
int recur_each(struct store *s, long long patient_id, long long from, long long to, recur_fn *fn,
               void *ctx, struct err *e);
/* The same for the patients patient_id..to_id (their occurrences in time
 * order, the patients' mixed). */
int recur_each_range(struct store *s, long long patient_id, long long to_id, long long from,
                     long long to, recur_fn *fn, void *ctx, struct err *e);
/* Expand one series (no store): occurrences overlapping [from, to). */
int recur_expand(const struct appointment *a, long long from, long long to,
                 struct occurrence_list *out, struct err *e);
void occurrence_list_free(struct occurrence_list *l);

/* Check an RRULE text ("FREQ=WEEKLY;COUNT=6"); names what is wrong. */
int recur_check_rule(const char *rrule, struct err *e);
/* End of the series' last occurrence, or 0 when it never ends. */
int recur_series_end(const struct appointment *a, long long *end, struct err *e);

#endif
