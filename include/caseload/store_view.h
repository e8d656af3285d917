/* store_view: the queries behind the workstation screen's panes.  Each
 * listing is one page of a keyset-paginated, indexed ORDER BY: a pane asks
 * for `limit` rows after (or before) a row it already has, never for a
 * whole table.  Lists returned here own their strings. */
#ifndef CASELOAD_STORE_VIEW_H
#define CASELOAD_STORE_VIEW_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/err.h"

struct store;

/* ---- the caseload ---- */

enum view_order {
	VIEW_BY_NEED,          /* earliest effective due of open tasks, then name */
	VIEW_BY_NAME,          /* family, given */
	VIEW_BY_NEXT_APPT,     /* next single (non-recurring) appointment; patients
	                          without one are not listed in this order */
	VIEW_N_ORDERS
};
const char *view_order_name(enum view_order o);

struct caseload_query {
	enum view_order order;
	const char *search;    /* typed text, matched as patient_query's search
	                          (store.h): words of the name, any part of the
	                          MRN or of the phone's digits */
	const char *risk;      /* NULL: any */
	bool overdue_only;     /* has an open task due before today */
	bool review_only;      /* the patients that need review today: the set
	                          review_need_select (review.h) last made, or
	                          that a review_cache keeps */
	bool review_few;       /* that set is few (view_review_few): read it
	                          whole and sort it, rather than walk the
	                          order's index and look each patient up */
	const char *coordinator; /* NULL: every coordinator's patients */
	long long size;        /* active patients, when known (0: not known):
	                          how a search reads its matches */
	const char *today;     /* YYYY-MM-DD */
	long long now;         /* UTC instant: "next" appointments start here */
};

/* Whether `need` patients needing review of `all` are few enough to read
 * whole for a page (the cost of reading n grows as n; of walking the
 * order's index to a page's worth as all / n). */
static inline bool view_review_few(long long need, long long all)
{
	return need * need <= 64 * all;
}

enum { VIEW_PROGRAMS = 6 };   /* program codes (program.h's PROGRAM) */
/* A row's figures, each read on its own (caseload_row.figures) */
enum {
	VIEW_FIG_COUNTS = 1,   /* overdue, due_today (and needs_review) */
	VIEW_FIG_NEXT = 2,     /* next_appt, next_title, has_series */
	VIEW_FIG_MINUTES = 4,  /* timed, n_timed */
};
struct caseload_row {
	long long id;
	char *family, *given, *mrn, *risk;
	char *dob;             /* YYYY-MM-DD or NULL: the second identifier */
	char *need_due;        /* the keyset: '9999-12-31' when no open dated task */
	long long appt_key;    /* VIEW_BY_NEXT_APPT's key (start), else 0 */
	long long appt_key_id; /* and the appointment id that gave it */
	/* filled by store_view_caseload_counts */
	int overdue, due_today;
	/* filled by store_view_caseload_next */
	long long next_appt;   /* UTC start of the next single appointment, 0: none */
	char *next_title;
	bool has_series;       /* recurring appointments too: expand them (recur) */
	/* filled by store_view_caseload_minutes: the open episodes (but
	 * TCM's) in program order, each with the minutes logged toward it
	 * this month */
	struct { char program[8]; int minutes; } timed[VIEW_PROGRAMS];
	int n_timed;
	bool needs_review;     /* set by the screen from the daily review */
	unsigned figures;      /* which of the above (VIEW_FIG_*) the screen
	                          filled: it reads those its columns show, for
	                          the rows it shows, when it first shows them */
};
struct caseload_list { struct caseload_row *items; size_t len, cap; };
void caseload_list_free(struct caseload_list *l);

/* One page: the rows after `anchor` (NULL: from the first), or with
 * `backward` the rows before it (NULL: the last ones); either way in
 * display order.  *more says whether rows remain in that direction. */
int store_view_caseload(struct store *s, const struct caseload_query *q,
                        const struct caseload_row *anchor, bool backward, int limit,
                        struct caseload_list *out, bool *more, struct err *e);
/* For rows [from, to), each figure one statement for up to
 * VIEW_MINUTES_IDS rows: the task counts; the next appointment and
 * whether a series may come; _stats both. */
int store_view_caseload_counts(struct store *s, const struct caseload_query *q,
                               struct caseload_list *l, size_t from, size_t to,
                               struct err *e);
int store_view_caseload_next(struct store *s, const struct caseload_query *q,
                             struct caseload_list *l, size_t from, size_t to, struct err *e);
int store_view_caseload_stats(struct store *s, const struct caseload_query *q,
                              struct caseload_list *l, size_t from, size_t to,
                              struct err *e);
/* For rows [from, to): each patient's open program episodes (not TCM,
 * which a discharge opens) with the minutes logged toward each (time_log.
 * episode_id) with day in [month_from, month_to] (YYYY-MM-DD).  One
 * statement for up to VIEW_MINUTES_IDS rows, keyed by their ids. */
enum { VIEW_MINUTES_IDS = 48 };
int store_view_caseload_minutes(struct store *s, const char *month_from, const char *month_to,
                                struct caseload_list *l, size_t from, size_t to,
                                struct err *e);
/* Whether two typed searches (caseload_query.search; NULL for none) look
 * for the same words ("Chen" and "Chen, " do): the same rows. */
bool view_search_same(const char *a, const char *b);
/* Active patients (of one coordinator, or all), for the title bar. */
int store_view_counts(struct store *s, const char *coordinator, long long *patients,
                      struct err *e);

/* ---- the task queue ---- */

struct task_row {
	long long id, patient_id;
	char *title, *kind, *priority, *due, *snoozed_until, *patient_name;
	char *patient_dob, *patient_mrn;   /* the patient's second identifiers (or NULL) */
	char *owner;               /* a team member's login, NULL: no one's */
	long long version;         /* the row's version when listed */
};
struct task_row_list { struct task_row *items; size_t len, cap; };
void task_row_list_free(struct task_row_list *l);

/* Open tasks by due date (overdue first, then today, upcoming, undated
 * last), then id; patient_id 0 for everyone.  Paging as above. */
int store_view_tasks(struct store *s, long long patient_id, const struct task_row *anchor,
                     bool backward, int limit, struct task_row_list *out, bool *more,
                     struct err *e);

/* The team's views of the queue (the same order and paging). */
enum task_view {
	TASKS_MINE,            /* open, owned by login */
	TASKS_UNASSIGNED,      /* open, owned by no one or by someone out today */
	TASKS_TEAM,            /* every open task */
	TASKS_ON_HOLD,         /* on hold, whoever owns it */
	TASKS_DONE_TODAY,      /* completed in [done_from, done_to) */
	TASKS_VIEW_N
};
struct task_view_query {
	long long patient_id;  /* 0: every patient */
	enum task_view view;
	const char *login;     /* TASKS_MINE's */
	const char *today;     /* YYYY-MM-DD: who is out (TASKS_UNASSIGNED) */
	long long done_from, done_to;   /* TASKS_DONE_TODAY's day, as instants */
};
int store_view_tasks_in(struct store *s, const struct task_view_query *v,
                        const struct task_row *anchor, bool backward, int limit,
                        struct task_row_list *out, bool *more, struct err *e);

#endif
