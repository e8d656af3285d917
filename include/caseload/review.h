/* review: the daily check-in review.  For a day, the rules find what needs
 * a coordinator's attention (overdue tasks, rides not confirmed, refills,
 * discharges to follow up, patients not reached...) as attention items
 * with a reason code and a severity.  From them comes the one definition
 * of "needs review" (flagged and not marked reviewed today; skipped still
 * counts): the day's queue, its counts, the batch verdict for the
 * caseload's marks and the set its filter joins; the severity and reason
 * filters; the day's marks; and the review's own use cases (a contact that
 * also closes the post-discharge call task).  The everyday actions on an
 * item (complete, snooze, confirm a ride, acknowledge) are care.h's. */
#ifndef CASELOAD_REVIEW_H
#define CASELOAD_REVIEW_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/change.h"
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/util.h"

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
	REASON_CONSENT_MISSING,    /* enrolled in a program without consent in force */
	REASON_CCM_ELIGIBLE,       /* two or more active conditions, not in CCM */
	REASON_N
};

enum review_severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_URGENT };

/* "task-overdue" ... "unreviewed"; "low" ... "urgent". */
const char *review_reason_code(enum review_reason r);
const char *review_severity_name(enum review_severity s);
/* One line saying what a reason means, for help. */
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
	/* For the review kept in the store (made once, read on other days):
	 * due_today: due is the day under review, whatever the day; count:
	 * the detail's day count ("3 days overdue"), REVIEW_COUNT_x, and the
	 * day it counts from or to. */
	bool due_today;
	unsigned char count;
	int count_day;
};
enum { REVIEW_COUNT_NONE, REVIEW_COUNT_OVERDUE, REVIEW_COUNT_AGO, REVIEW_COUNT_LEFT };
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
/* Only the items of the reasons in `reasons` (bits 1u << REASON_x), for
 * the whole caseload (same order): only the rules that can give them run.
 * Inside the caller's read transaction (store_begin_read).  The call list
 * (calls.h) takes its kinds of outreach from here. */
int review_build_reasons(struct store *s, int day, const struct config *cfg, unsigned reasons,
                         struct review_list *out, struct err *e);
/* Only one patient's items (same order). */
int review_build_patient(struct store *s, long long patient_id, int day,
                         const struct config *cfg, struct review_list *out, struct err *e);
/* Reorder a built list so each patient's items are together: patients in
 * the order of their most pressing item, items in their order. */
void review_group(struct review_list *l);
void review_list_free(struct review_list *l);

/* Why an item needs attention, with the thresholds of cfg->review
 * ("a reached call or visit is due within 2 business days of discharge";
 * an overdue refill says overdue), into out. */
const char *review_item_why(const struct review_item *it, int day, const struct config *cfg,
                            char *out, size_t n);

/* ---- narrowing a review to severities or reasons ---- */
struct review_filter {
	unsigned severities;       /* bits 1u << SEV_x; 0: every severity */
	unsigned reasons;          /* bits 1u << REASON_x; 0: every reason */
};
/* Comma lists ("urgent,high", "tcm-contact,refill"; NULL or "": all) into
 * f; an unknown name is a usage error that names it and the choices. */
int review_filter_parse(struct review_filter *f, const char *severities, const char *reasons,
                        struct err *e);
bool review_filter_match(const struct review_filter *f, const struct review_item *it);
/* Keep only the items the filter matches (NULL or empty: all). */
void review_filter_apply(const struct review_filter *f, struct review_list *l);
/* "urgent,high; tcm-contact" (empty when it matches everything) into b. */
void review_filter_text(const struct review_filter *f, struct buf *b);

/* One list mixing both ("urgent,high tcm-contact"; commas or spaces), as
 * the screen's prompt takes it. */
int review_filter_parse_any(struct review_filter *f, const char *list, struct err *e);

/* ---- the day's queue and who needs review ----
 *
 * ONE definition: a patient needs review today when the rules flag
 * something (review_build) and they are not marked reviewed today.  A
 * skipped patient still needs review.  The title count, the caseload's
 * `!` marks and its "needs review" filter, the review card and `caseload
 * review` all come from the functions below. */
enum review_state { REVIEW_NONE, REVIEW_DONE, REVIEW_SKIPPED };
struct review_patient {
	long long id;
	size_t n_items;            /* under the filter */
	enum review_severity worst;   /* meaningful when n_items > 0 */
	enum review_state state;   /* today's mark */
};
struct review_queue {
	struct review_patient *items;
	size_t len, cap;
	size_t n_items;            /* items of every patient */
};
void review_queue_free(struct review_queue *q);
static inline bool review_patient_needs(const struct review_patient *p)
{
	return p->n_items > 0 && p->state != REVIEW_DONE;
}
/* The day's queue: the patients marked that day, in the order of the
 * marks (with f, only those with items left), then the other patients
 * with items (f: only those items; NULL: all) in the order of their most
 * pressing item; so the queue keeps its order through the day.
 * With `items` (may be NULL) also the built list, grouped by patient. */
int review_queue(struct store *s, int day, const struct config *cfg,
                 const struct review_filter *f, struct review_queue *out,
                 struct review_list *items, struct err *e);
/* review_queue with its items for a whole caseload, without holding the
 * items: they are spilled (store_review.h) as the rules make them, and
 * read back in review_group's order.  Memory: one entry per patient with
 * items or a mark. */
struct review_stream {
	const struct review_filter *filter;   /* NULL: every item */
	/* NULL: every patient; else only the patients it keeps */
	bool (*in_scope)(const void *arg, long long patient_id);
	const void *scope_arg;
	/* each item kept, as the rules make it (in no order), with its
	 * patient's mark: all of them before the first `item` (may be NULL) */
	void (*seen)(void *arg, const struct review_item *it, enum review_state st);
	/* each item in review_group's order; a negative return stops */
	int (*item)(void *arg, const struct review_item *it, enum review_state st);
	void *arg;
};
/* The queue (as review_queue's with how's filter, and only the patients
 * in scope) into out, and the items into the spill (calling how->seen). */
int review_spill(struct store *s, int day, const struct config *cfg,
                 const struct review_stream *how, struct review_queue *out, struct err *e);
/* Then the spilled items in order, to how->item.  (Between the two the
 * store's page cache is kept small: a caseload's pages are read about
 * once, and the memory goes to the sort of the items.) */
int review_spill_each(struct store *s, const struct review_stream *how, struct err *e);

/* ---- the review kept in the store ----
 * Each patient's items as the rules (above) make them, kept for the day
 * and the settings (thresholds, zone, holidays, billing rules) they were
 * made with; a write to anything a rule reads marks its patient stale.
 * `caseload review` reads them in review_group's order through an index,
 * so its first line does not wait for the whole caseload. */
/* Make the stale patients again (the whole caseload on another day or
 * with other settings): in write transactions of at most 1,000 patients
 * or 0.1 s each, so that another process's write never waits long; a
 * run cut short leaves the rows not made yet stale. */
int review_kept_refresh(struct store *s, int day, const struct config *cfg, struct err *e);
/* The same, with the rows whose days end the day after made again too
 * (from `day`): after a review is listed, so that the next day's review
 * finds its rows made (a row stands for a few days: review.c). */
int review_kept_renew(struct store *s, int day, const struct config *cfg, struct err *e);
struct review_rows;
struct review_kept {
	int day;
	size_t patients, items;    /* with items; their items */
	size_t done, skipped, need;   /* as review_queue_counts on the whole queue */
	/* the widest cells over every item: "Name (id)" (before a mark),
	 * severity, reason, "table id" */
	int width[4];
	int who_marked[3];         /* the widest "Name (id)" of the patients
	                              with items marked REVIEW_DONE, _SKIPPED */
	struct review_rows *marks; /* the day's */
	struct review_patient *marked;   /* the same by id (id, state) */
	size_t n_marked;
	/* NULL: every patient; else only those it keeps */
	bool (*in_scope)(const void *arg, long long patient_id);
	const void *scope_arg;
};
/* Refreshed, then its counts and widths over every item (no filter) of
 * the patients in scope (in_scope NULL: everyone; else the counts and
 * widths take one pass over the kept rows). */
int review_kept_open(struct store *s, int day, const struct config *cfg,
                     bool (*in_scope)(const void *arg, long long patient_id),
                     const void *scope_arg, struct review_kept *k, struct err *e);
/* Each item in review_group's order with its patient's mark (strings
 * lent during the call); a negative return from item stops. */
int review_kept_each(struct store *s, const struct review_kept *k,
                     int (*item)(void *arg, const struct review_item *it, enum review_state st),
                     void *arg, struct err *e);
void review_kept_free(struct review_kept *k);

/* How many of the queue's patients need review, are marked reviewed,
 * skipped (any may be NULL). */
void review_queue_counts(const struct review_queue *q, size_t *need, size_t *done,
                         size_t *skipped);
/* The patients that need review on `day` (the title count), judged
 * through a review_cache to the end. */
int review_need_count(struct store *s, int day, const struct config *cfg, long long *n,
                      struct err *e);

/* ---- the day's verdicts, kept for a screen ----
 * Each active patient judged by its own rules (review_build_patient) and
 * its mark, a slice at a time so that a screen answers a key between two
 * slices, then kept current one patient at a time as that patient
 * changes.  What it holds per patient (the count of items, the most
 * pressing one's severity and due date, the mark) is enough for the title
 * counts, the `!` marks, the "needs review" set and the unfiltered queue,
 * without running the rules again; the queue's order is kept as verdicts
 * change, so no look at it sorts the caseload.  Patients are judged in id
 * order; `done` once every one was. */
struct review_verdict {
	long long id;              /* 0: an empty slot */
	size_t n_items;
	enum review_severity worst;   /* the most pressing item's */
	int best_due;              /* and its due date */
	enum review_state state;
	bool active;
};
/* The patients of one (worst, best_due) not marked, in id order: the
 * queue after the marks is these runs in by_severity's order. */
struct review_run {
	enum review_severity worst;
	int due;
	struct review_patient *items;
	size_t len, cap;
};
struct review_cache {
	int day;
	long long after;           /* the last patient judged (0: none yet) */
	bool done;
	bool keeps_set;            /* set by the owner (kept across starts):
	                              also keep this connection's needs-review
	                              set (store_review_need_set) equal to the
	                              patients that need review, a step at a
	                              time; whole once done */
	long long need;            /* of the patients judged so far */
	long long active;          /* active patients judged so far */
	size_t n_items;            /* their items */
	struct review_verdict *slots;   /* by id, open addressing: every
	                                   active patient judged, and those
	                                   with a mark */
	size_t cap, len;
	struct review_run *runs;   /* in queue order */
	size_t n_runs, cap_runs;
	unsigned long long version;   /* goes up with every verdict that
	                                 changes and every start */
};
/* Empty, for `day` (frees what c held). */
void review_cache_start(struct review_cache *c, int day);
void review_cache_free(struct review_cache *c);
/* Judge the next `max` active patients at most (one read transaction). */
int review_cache_step(struct store *s, const struct config *cfg, struct review_cache *c,
                      size_t max, struct err *e);
/* Judge one patient again after a change of theirs (nothing when the
 * slices have not come to them yet). */
int review_cache_update(struct store *s, const struct config *cfg, struct review_cache *c,
                        long long patient_id, struct err *e);
/* Whether the patient needs review (c done). */
bool review_cache_needs(const struct review_cache *c, long long patient_id);
/* review_queue without a filter, from c (done) and the day's marks:
 * linear in the queue's length, no sort. */
int review_cache_queue(struct store *s, const struct review_cache *c, struct review_queue *out,
                       struct err *e);

/* The unfiltered queue read in place from c (done), for a screen that
 * walks it: no copy of the caseload's queue, so opening costs what is
 * shown.  Its first part is the patients marked when it was opened, in
 * the order of the marks; then every other patient with items in the
 * runs' order, whatever their mark since (a mark does not move anyone).
 * It follows c: a patient whose items change goes to their new place,
 * unless held (below).
 * Each call costs the runs and the first part, not the caseload. */
struct review_key {            /* a patient's place in the runs */
	enum review_severity worst;
	int due;
	long long id;
};
struct review_cache_view {
	const struct review_cache *c;
	struct review_patient *first;   /* marked at the opening */
	long long *first_ids;           /* the same ids, ascending */
	size_t n_first;
	struct review_key *held;        /* held at their places, in order */
	size_t *held_rank;              /* of each, among the runs' entries left */
	size_t n_held, cap_held;
	unsigned long long version;     /* of c when the places below were made */
	size_t *before;                 /* per run: the entries of the runs before it */
	size_t *skip;                   /* the first part's places in the runs, ascending */
	size_t n_skip, total, len;      /* total: in the runs; len: the queue's */
};
int review_cache_view_open(struct store *s, const struct review_cache *c,
                           struct review_cache_view *v, struct err *e);
void review_cache_view_free(struct review_cache_view *v);
size_t review_cache_view_len(struct review_cache_view *v);
/* The i-th patient (its mark as it is now) and its place (key: may be
 * NULL); i past the end: id 0. */
struct review_patient review_cache_view_at(struct review_cache_view *v, size_t i,
                                           struct review_key *key);
/* Where a place of the runs is in the queue: the first patient after it
 * (`after`), else at it; for a patient whose items changed since, the
 * neighbours it had. */
size_t review_cache_view_place(struct review_cache_view *v, const struct review_key *k,
                               bool after);
/* Keep a patient (of the runs) at this place from now on, whatever its
 * items become (a screen holds the patients it showed, so that they keep
 * their place and their number). */
void review_cache_view_hold(struct review_cache_view *v, const struct review_key *k);
/* A patient's items and mark as c holds them now (the first part's mark
 * when c has no verdict: id 0 when not in the queue either). */
struct review_patient review_cache_view_patient(struct review_cache_view *v, long long id);
/* Where a patient is now (false: not in the queue). */
bool review_cache_view_find(struct review_cache_view *v, long long id, size_t *at);
/* A mark of the i-th patient (kept for one of the first part whose
 * verdict c does not hold). */
void review_cache_view_mark(struct review_cache_view *v, size_t i, enum review_state st);
/* The queue's patients in each review_state (from the day's marks). */
int review_cache_view_counts(struct store *s, struct review_cache_view *v, size_t n[3],
                             struct err *e);

/* Whether each of ids[0..n) needs review on `day` (the `!` marks):
 * out[i]; one read transaction, one rule run per patient. */
int review_needs(struct store *s, int day, const struct config *cfg, const long long *ids,
                 size_t n, bool *out, struct err *e);
/* Make the patients that need review on `day` the store's needs-review
 * set, which the caseload's "needs review" filter pages through
 * (store_view.h, review_only). */
int review_need_select(struct store *s, int day, const struct config *cfg, struct err *e);

/* ---- marks (use cases: one transaction with its audit row) ---- */
/* Record that a patient was reviewed (or skipped) on `day`; REVIEW_NONE
 * removes the mark.  Notes CHANGE_REVIEW in ch (may be NULL). */
int review_mark(struct store *s, int day, long long patient_id, enum review_state st,
                struct change *ch, struct err *e);
int review_mark_get(struct store *s, int day, long long patient_id,
                    enum review_state *st, struct err *e);

/* ---- the card's own use cases ----
 * The other actions of the review card (complete, snooze, confirm
 * transport, acknowledge) are the everyday ones of caseload/care.h. */
struct task;
struct entry;
/* A new task's defaults from an item (`a` on the card): kind, title,
 * priority and due (never before `day`), into strings of out that the
 * caller frees with task_clear. */
void review_item_task(const struct review_item *it, int day, struct task *out);
/* The patient's open post-discharge contact task (an open call task whose
 * title speaks of a discharge), the one due first: *task_id (0: none) and
 * its title (caller frees; may be NULL). */
int review_discharge_task(struct store *s, long long patient_id, long long *task_id,
                          char **title, struct err *e);
/* Whether the post-discharge contact is still owed on `day`: the
 * tcm-contact rule flags the patient (no reached call or visit since the
 * discharge). */
int review_contact_owed(struct store *s, long long patient_id, int day,
                        const struct config *cfg, bool *owed, struct err *e);
/* Log a contact (care_log_entry) and, when `task_id` is given and the
 * contact is a reached call or visit, complete that task: one
 * transaction. */
int review_log_contact(struct store *s, struct entry *en, const char *zone, long long task_id,
                       long long now, struct change *ch, struct err *e);

#endif
