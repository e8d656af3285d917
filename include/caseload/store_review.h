/* store_review: the queries behind the daily review, one per rule, each
 * on an index and bounded by a date range (or, for the per-patient rules,
 * one indexed look-up per active patient); and the day's review marks.
 * Every query takes a patient id: 0 for the whole caseload.  Rows own
 * their strings (review_rows_free).  Also the day's needs-review set, a
 * temporary table of patient ids (review_need) that the caseload's paged
 * "needs review" filter joins. */
#ifndef CASELOAD_STORE_REVIEW_H
#define CASELOAD_STORE_REVIEW_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/err.h"

struct store;

/* One candidate a rule looks at; what each field holds depends on the
 * query (see each function).  A rule's rows go to a function one at a
 * time, their strings lent for the call (a caseload's rows are never held
 * whole); a list (review_rows) owns its rows' strings. */
struct review_row {
	long long patient_id;
	const char *patient;       /* "Family, Given" */
	const char *risk;
	long long ref_id;          /* the task, medication, entry or appointment */
	long long at;              /* an instant (0: none) */
	const char *day;           /* a date, YYYY-MM-DD */
	const char *text, *extra;
	long long n;
	bool flag, flag2;
	const char *from;          /* tasks: the day snoozed until (NULL: none) */
};
/* Gets each row; a negative return (an ERR_ with e set) stops the rule. */
typedef int review_row_fn(void *arg, const struct review_row *r);
struct review_rows {
	struct review_row *items;
	size_t len, cap;
};
void review_rows_free(struct review_rows *l);

/* The rules' statements: patient_id 0, every patient; to_id 0, that
 * patient; else the patients patient_id..to_id (a batch of the review
 * kept, review.c).
 *
 * Open tasks of active patients due on or before `today` and not snoozed
 * beyond it: day = due, text = title, extra = priority. */
int store_review_tasks(struct store *s, long long patient_id, long long to_id, const char *today,
                       review_row_fn *each, void *arg, struct err *e);
/* Active medications with a refill due on or before `until` whose patient
 * has no open refill task: day = refill due, text = name. */
int store_review_refills(struct store *s, long long patient_id, long long to_id, const char *until,
                         review_row_fn *each, void *arg, struct err *e);
/* Discharges at or after `since`: at = when, text = facility; flag = a
 * reached call or visit since; n = the second call or visit since (any
 * outcome; 0: none); day, extra = the face-to-face day and complexity of
 * the TCM episode it opened (NULL: not recorded); flag2 = a single
 * (non-series) appointment not cancelled starting within the window after
 * it (high_secs for high complexity, else for high risk when no
 * complexity is recorded; other_secs for the rest). */
int store_review_discharges(struct store *s, long long patient_id, long long to_id, long long since,
                            long long high_secs, long long other_secs, review_row_fn *each,
                            void *arg, struct err *e);
/* Active patients whose last successful contact (call, visit or message
 * reached) is before `before_day` (days since 1970, compared at UTC
 * midnight: a superset to refine) minus their cadence, or who have none:
 * at = that contact (0: none), n = cadence days (cadence_days, else the
 * risk's from cad_high/cad_medium/cad_low). */
int store_review_cadence(struct store *s, long long patient_id, long long to_id, int before_day,
                         int cad_high, int cad_medium, int cad_low, review_row_fn *each, void *arg,
                         struct err *e);
/* Open program episodes (not TCM) of active patients with no consent to
 * their program in force on day: ref_id = the episode, day = its start,
 * text = the program. */
int store_review_consent_missing(struct store *s, long long patient_id, long long to_id,
                                 const char *day, review_row_fn *each, void *arg, struct err *e);
/* Active patients with `conditions` or more active conditions, no open
 * CCM episode and no withdrawn CCM consent: n = the conditions. */
int store_review_ccm_eligible(struct store *s, long long patient_id, long long to_id,
                              int conditions, review_row_fn *each, void *arg, struct err *e);
/* Active patients in chronic care management (an open CCM episode begun
 * by `to`) with fewer than `minutes` logged toward that episode with day
 * in [from, to]: ref_id = the episode, n = the minutes logged. */
int store_review_ccm(struct store *s, long long patient_id, long long to_id, const char *from,
                     const char *to, int minutes, review_row_fn *each, void *arg, struct err *e);
/* Missed (noshow) appointments starting in [from, to) with no follow-up
 * task (kind followup) for the patient created since: ref_id = appointment, at = start, text =
 * title. */
int store_review_noshows(struct store *s, long long patient_id, long long to_id, long long from,
                         long long to, review_row_fn *each, void *arg, struct err *e);
/* Results, admissions, discharges and messages not yet acknowledged:
 * ref_id = entry, at = when, text = kind, extra = its text or facility. */
int store_review_unreviewed(struct store *s, long long patient_id, long long to_id,
                            review_row_fn *each, void *arg, struct err *e);
/* A reached contact (call, visit or message) with the patient at or after
 * `since`. */
int store_review_reached_since(struct store *s, long long patient_id, long long since,
                               bool *yes, struct err *e);
/* Of each patient from_id..to_id whose kept row is to be made again for
 * `day` and `by` (store_review_state_stale's) and who has a reached
 * contact (call, visit or message), in id order: the last one's instant. */
int store_review_reached_last(struct store *s, int day, int by, long long from_id, long long to_id,
                              void (*each)(void *arg, long long patient_id, long long at),
                              void *arg, struct err *e);
/* Whether the patient is active, and the display name (caller frees). */
int store_review_patient(struct store *s, long long patient_id, bool *active, char **name,
                         struct err *e);
/* The patients from_id..to_id in id order: each one's id, whether active
 * and display name (lent until the next) to each, which may stop it with
 * a negative ERR_. */
int store_review_patients(struct store *s, long long from_id, long long to_id,
                          int (*each)(void *arg, long long id, bool active, const char *name),
                          void *arg, struct err *e);

/* Up to `max` active patients with an id above `after`, in id order, into
 * ids (room for max); *n how many. */
int store_review_active_after(struct store *s, long long after, size_t max, long long *ids,
                              size_t *n, struct err *e);
/* The highest patient id (0: none), without a count: what a pass over
 * the active patients may have to hold. */
int store_review_last_patient(struct store *s, long long *id, struct err *e);

/* The day's review marks: state "reviewed" or "skipped"; NULL removes. */
int store_review_mark_set(struct store *s, const char *day, long long patient_id,
                          const char *state, struct err *e);
/* The state, or NULL when unmarked (caller frees). */
int store_review_mark_get(struct store *s, const char *day, long long patient_id,
                          char **state, struct err *e);
/* The day's marks in the order they were made: text = state, extra = who,
 * at = when. */
int store_review_mark_list(struct store *s, const char *day, struct review_rows *out,
                           struct err *e);
/* The needs-review set the caseload's "needs review" filter joins
 * (store_view.h): replaced by ids[0..n), in a temporary table of this
 * connection (nothing is written to the file). */
int store_review_need_set(struct store *s, const long long *ids, size_t n, struct err *e);
/* Add ids[0..n) to that set (in), or take them out, inside the caller's
 * transaction. */
int store_review_need_put(struct store *s, const long long *ids, size_t n, bool in,
                          struct err *e);
/* Create that table if this connection has none yet (empty). */
int store_review_need_ensure(struct store *s, struct err *e);
/* ---- the review's spill: a caseload's items, out of memory ----
 * Two temporary tables of this connection (nothing is written to the
 * file): the items as the rules make them, and each patient's place in
 * the listing; read back in that order. */
struct review_spilled {
	long long patient_id, ref_id, ref_at;
	int reason, severity, due;
	const char *patient, *detail, *ref_table;   /* borrowed */
	int state;                 /* the patient's, as spilled with its place */
};
/* Empty both tables (made when this connection has none yet); call it
 * outside a transaction. */
int store_review_spill_start(struct store *s, struct err *e);
int store_review_spill_put(struct store *s, const struct review_spilled *it, struct err *e);
/* The patient's place (given in ascending order) and a state that comes
 * back with each of its items: items come back by place, then by severity
 * (most severe first), due, reason, ref_id and ref_at; items of a patient
 * without a place do not come back. */
int store_review_spill_place(struct store *s, long long patient_id, long long place,
                             int state, struct err *e);
/* Each item in that order to `each` (its strings valid during the call);
 * a negative return from `each` stops the reading and is returned. */
int store_review_spill_each(struct store *s,
                            int (*each)(void *arg, const struct review_spilled *it),
                            void *arg, struct err *e);

/* ---- the review kept (review_state, review_period) ----
 * One review_state row per patient: whether it is stale (a trigger marks
 * it when anything a rule reads changes for its patient) and the days
 * [made_day, until_day) its periods cover; one review_period row for each
 * stretch of those days over which its items, as the rules make them with
 * the settings meta 'review_state' names, stay the same. */
#define STORE_META_REVIEW_STATE "review_state"   /* what the rows were made for */
struct review_state_row {
	long long patient_id;
	int sev_rank, best_due;    /* 3 - the most pressing severity, its due */
	long long n_items;
	int w_who, w_severity, w_reason, w_ref;   /* widest cells; 0 without items */
	const char *name, *items;  /* borrowed */
	int made_day, until_day;   /* a period: the days [made, until) it stands for */
};
/* Every row stale (the settings the rows were made with changed). */
int store_review_state_stale_all(struct store *s, struct err *e);
/* The patients whose rows are to be made again for `day`, at most max
 * (n: how many): the stale ones (n_stale of them), then those that do not
 * stand for that day or end by `by` (a day not before it) after patient
 * *after (moved past them: start at LLONG_MIN), each part ascending. */
int store_review_state_stale(struct store *s, int day, int by, long long *after, long long *ids,
                             size_t max, size_t *n, size_t *n_stale, struct err *e);
/* Patients' rows made: each one's periods, its rows[0..n) (made_day and
 * until_day their days), in place of those it had, one of more than
 * STORE_REVIEW_PERIOD_DAYS days written as several of at most that many
 * (the same items), so that those in force on a day are among those begun
 * within that many days of it: the day's counts read those alone, not
 * every period of the rows' days begun by it; and its row not stale, its
 * periods covering [made_day, until_day).  The patients are distinct. */
#define STORE_REVIEW_PERIOD_DAYS 3
struct review_made {
	long long patient_id;
	int made_day, until_day;
	const struct review_state_row *rows;
	size_t n;
};
int store_review_made_put(struct store *s, const struct review_made *m, size_t n,
                          struct err *e);
/* A row, stale, for each patient without one (*added: how many), and a
 * "repair" audit row saying so: a patient without a row is missing from
 * every review.  Its trigger makes one for each patient added, so only a
 * damaged database lacks any (caseload check puts them back). */
int store_review_state_fill(struct store *s, long long *added, struct err *e);
/* A patient's row and periods gone (the patient is). */
int store_review_state_drop(struct store *s, long long patient_id, struct err *e);
/* Of the periods in force on `day`: the patients with items and their
 * items; the widest cells (w[0..3]: who, severity, reason, ref). */
int store_review_state_totals(struct store *s, int day, long long *patients, long long *items,
                              int w[4], struct err *e);
/* best_due of a row whose most pressing item is due the day under review,
 * whatever the day (it is read in that day's place). */
#define STORE_REVIEW_DUE_TODAY (-1000000000)
/* The periods in force on `day` with items of one sev_rank, read one at a time: with
 * due_today those of best_due STORE_REVIEW_DUE_TODAY by patient_id, else
 * the others by best_due, patient_id.  next gives 1 and a row (its
 * strings lent until the next call), 0 at the end, or a negative ERR_;
 * done ends the reading (st NULL: nothing to end). */
struct dbst;
int store_review_state_seek(struct store *s, int sev_rank, bool due_today, int day,
                            struct dbst **st, struct err *e);
int store_review_state_next(struct store *s, struct dbst *st, struct review_state_row *r,
                            struct err *e);
void store_review_state_done(struct dbst *st);
/* For a kept row's last day (review.c): of each patient from_id..to_id
 * whose kept row is to be made again for `day` and `by` (store_review_state_stale's;
 * in id order, to each, which may stop it with a negative ERR_), the
 * first consent given or withdrawn after today (ISO dates, "" if none). */
struct store_review_ahead {
	char consent[16], withdrawn[16];
};
int store_review_kept_ahead(struct store *s, int day, int by, long long from_id, long long to_id,
                            const char *today,
                            int (*each)(void *arg, long long id,
                                        const struct store_review_ahead *a),
                            void *arg, struct err *e);
/* Each period in force on `day` with items: its patient, n_items and
 * widths (w[0..3]). */
int store_review_state_sizes(struct store *s, int day,
                             void (*each)(void *arg, long long patient_id, long long n_items,
                                          const int w[4]),
                             void *arg, struct err *e);
/* One patient's w_who on `day` (0: no period or no items). */
int store_review_state_who(struct store *s, long long patient_id, int day, int *w_who,
                           struct err *e);

/* Contact attempts (calls, visits, messages) made and tasks completed
 * with their time in [from, to). */
int store_review_day_counts(struct store *s, long long from, long long to, long long *contacts,
                            long long *closed, struct err *e);

#endif
