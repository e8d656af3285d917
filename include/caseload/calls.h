/* calls: the day's call list (issue 16).  The outreach of a day, one row
 * a patient, in the order of the patient's most pressing kind:
 *   1. a discharge owed a call (the review's tcm-contact rule),
 *   2. a check-in overdue by the patient's cadence (cadence),
 *   3. a missed appointment to reschedule (noshow),
 *   4. an appointment to confirm (appt-confirm: booked, no reached
 *      contact with the patient since it was booked; here within the
 *      review's confirm_days *business* days, so that Friday's list
 *      confirms Monday's visits),
 *   5. a refill due (refill),
 * then by the review's order (severity, how long due).  The kinds are the
 * review's rules (review_build_reasons): one definition each.
 *
 * The list is for a moment, `now`.  It counts the patient's calls (entry
 * kind call) since the reason arose (the discharge, the missed visit,
 * else the start of the day).  The newest call decides the rest, derived
 * from its instant and outcome, nothing stored: reached today, the
 * patient is done for the day; no-answer, voicemail or left-message, the
 * patient comes back CALLS_RETRY_MINUTES later if that is still before
 * CALLS_DAY_END (local time), else on the next business day
 * (calls_not_before).  A patient who asked not to be contacted is listed
 * last, without a phone number: the reason still needs someone (the care
 * team, a caregiver), but no one dials the patient. */
#ifndef CASELOAD_CALLS_H
#define CASELOAD_CALLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/review.h"
#include "caseload/store_calls.h"

struct store;

enum calls_kind { CALLS_DISCHARGE, CALLS_CADENCE, CALLS_NOSHOW, CALLS_CONFIRM, CALLS_REFILL,
                  CALLS_KIND_N };
/* "discharge", "cadence", "noshow", "confirm", "refill" (for programs). */
const char *calls_kind_code(enum calls_kind k);
/* "discharge call", "check-in overdue", ... (for people). */
const char *calls_kind_words(enum calls_kind k);

/* Re-queue: two hours later, the calling day ending at 17:00. */
enum { CALLS_RETRY_MINUTES = 120, CALLS_DAY_END = 17 * 60 };

struct calls_row {
	long long patient_id;
	char *patient;             /* "Family, Given" */
	enum calls_kind kind;      /* the most pressing of its kinds */
	unsigned kinds;            /* every kind of the row: bits 1u << CALLS_x */
	enum review_severity severity;   /* of its first item */
	int due;
	char *reason;              /* in words: "discharge call: discharged ..." */
	char *phone;               /* NULL when none, or do not contact */
	char *language, *best_time;   /* NULL when not recorded */
	bool interpreter, do_not_contact;
	bool best_now;             /* `now` is within the best time to call */
	long long since;           /* the attempts are counted from */
	struct call_attempt *attempts;   /* since then, oldest first (owned) */
	size_t n_attempts, n_today;
};
struct calls_list {
	struct calls_row *items;
	size_t len, cap;
	size_t n_later;            /* re-queued: not listed before next_at */
	long long next_at;         /* the first of them to come back (0: none) */
	size_t n_reached;          /* reached today: done for the day */
};
void calls_list_free(struct calls_list *l);

struct calls_when {
	int day;                   /* the list's day (local civil date) */
	long long now;             /* the moment it is for (UTC) */
};
/* The list for w; `mine` (a login, or NULL for everyone): only the
 * patients whose primary coordinator that is.  One read transaction. */
int calls_build(struct store *s, const struct calls_when *w, const struct config *cfg,
                const char *mine, struct calls_list *out, struct err *e);

/* When a patient called at `at` with `outcome` is to be called again (UTC;
 * 0 for an outcome that does not re-queue: reached, or none). */
long long calls_not_before(long long at, const char *outcome, const struct config *cfg);

/* The attempts of a row as one line: "09:10 no-answer, 11:15 voicemail"
 * for today's, "+2 since 2026-11-20" for earlier ones; "" for none
 * (into b). */
void calls_attempts_text(const struct calls_row *r, const struct config *cfg, struct buf *b);

/* The list as a page to print (large type, one row a patient, a box per
 * outcome to tick, do-not-contact rows greyed without a phone): HTML
 * with nothing fetched from a network, every text escaped.  -1 when
 * writing to f failed. */
int calls_html(const struct calls_list *l, const struct calls_when *w, const struct config *cfg,
               FILE *f);

#endif
