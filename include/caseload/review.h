/* review: the daily check-in review.  For a day, the rules find what needs
 * a coordinator's attention (overdue tasks, rides not confirmed, refills,
 * discharges to follow up, patients not reached...) as attention items
 * with a reason code and a severity; and the actions a review takes on
 * them (log a contact, close or snooze a task, confirm a ride, acknowledge
 * an entry, mark a patient reviewed), used by both front ends. */
#ifndef CASELOAD_REVIEW_H
#define CASELOAD_REVIEW_H
#include <stdbool.h>
#include "caseload/config.h"
#include "caseload/err.h"

struct store;

enum review_reason {
	REASON_TASK_OVERDUE,       /* an open task past its due date, not snoozed */
	REASON_TASK_DUE,           /* an open task due today */
	REASON_TRANSPORT,          /* an appointment soon with transport not confirmed */
	REASON_APPT_CONFIRM,       /* a booked appointment soon, no contact since booked */
	REASON_REFILL,             /* a refill due soon with no open refill task */
	REASON_TCM_CONTACT,        /* a discharge with no interactive contact yet */
	REASON_TCM_VISIT,          /* a discharge with no follow-up visit in time */
	REASON_CADENCE,            /* no successful contact within the cadence */
	REASON_CCM_MINUTES,        /* CCM minutes short near the end of the month */
	REASON_NOSHOW,             /* a missed appointment with no follow-up task */
	REASON_UNREVIEWED,         /* a result, admission, discharge or message */
	REASON_N
};

enum review_severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_URGENT };

/* "task-overdue" ... "unreviewed"; "low" ... "urgent". */
const char *review_reason_code(enum review_reason r);
const char *review_severity_name(enum review_severity s);
/* One line saying what a reason means, for help and the review card. */
const char *review_reason_help(enum review_reason r);
int review_reason_find(const char *code);       /* -1 when unknown */

struct review_item {
	long long patient_id;
	char *patient;             /* "Family, Given" */
	enum review_reason reason;
	enum review_severity severity;
	int due;                   /* civil date it became (or becomes) due */
	char *detail;              /* one line */
	const char *ref_table;     /* the record it points at: "task",
	                              "appointment", "medication", "entry",
	                              "patient" (a string literal) */
	long long ref_id;
	long long ref_at;          /* an appointment occurrence's start, an
	                              entry's time; 0 otherwise */
};
/* Owns its items' strings. */
struct review_list {
	struct review_item *items;
	size_t len, cap;
};

/* Everything that needs attention on `day` (a civil date in the
 * configuration's zone; the whole day counts, whatever the time).  Sorted
 * by severity (most severe first), then by how long overdue (earliest due
 * first), then by patient id.  Thresholds from cfg->review, business days
 * from cfg->holidays. */
int review_build(struct store *s, int day, const struct config *cfg,
                 struct review_list *out, struct err *e);
/* Only one patient's items (same order). */
int review_build_patient(struct store *s, long long patient_id, int day,
                         const struct config *cfg, struct review_list *out, struct err *e);
/* Reorder a built list so each patient's items are together: patients in
 * the order of their most pressing item, items in their order. */
void review_group(struct review_list *l);
void review_list_free(struct review_list *l);

/* ---- progress of a day's review ---- */
enum review_state { REVIEW_NONE, REVIEW_DONE, REVIEW_SKIPPED };
/* Record that a patient was reviewed (or skipped) on `day`, with an
 * audit row; REVIEW_NONE removes the mark. */
int review_mark(struct store *s, int day, long long patient_id, enum review_state st,
                struct err *e);
int review_mark_get(struct store *s, int day, long long patient_id,
                    enum review_state *st, struct err *e);

/* The actions of the review card (complete, snooze, confirm transport,
 * acknowledge, log a contact) are the everyday ones of caseload/care.h. */

#endif
