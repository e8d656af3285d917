/* store_stage: an import's staging area (issue 12).  The import reads its
 * file into import_stage in short transactions, marks its import_run
 * ready in one, then merges the staged rows into the appointments in
 * short batches (services/ical_import.c), so that another process's write
 * never waits for the whole file.  Staged rows are no one's appointments:
 * no listing reads them, and writing them writes no audit row.  Every
 * function here runs in the caller's transaction (or alone). */
#ifndef CASELOAD_STORE_STAGE_H
#define CASELOAD_STORE_STAGE_H
#include <stdbool.h>
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

enum stage_kind {
	STAGE_EVENT,     /* an event to upsert by (UID, RECURRENCE-ID) */
	STAGE_CANCEL,    /* METHOD:CANCEL naming a UID alone: cancel it */
	STAGE_SKIP,      /* an event that cannot be used: text says why */
	STAGE_NOTE,      /* a remark about the file: text */
	STAGE_END,       /* the end of a calendar: the waiting overrides now */
};

/* One staged row. */
struct stage_row {
	long long id;
	enum stage_kind kind;
	int line;
	bool waiting;              /* an override kept for its calendar's end */
	struct appointment a;      /* the event as mapped (uid, times, text, rules,
	                              status, sequence, stamps, transport when the
	                              file is our export's); a cancel: uid, sequence */
	bool has_rid;              /* it has a RECURRENCE-ID (a.recurrence_id) */
	bool rid_is_date;          /* written as a date, not a time */
	int rid_day;               /* its civil day */
	bool minimal;              /* the file is our minimal export */
	long long x_patient;       /* X-CASELOAD-PATIENT, 0: none */
	const char *x_patient_cn;  /* its CN */
	const char *emails, *cns;  /* ATTENDEE mailto addresses and CNs, one a line */
	const char *text;          /* a skip's reason, a note */
};
void stage_row_clear(struct stage_row *r);

/* An import in progress (or done: state "merged"). */
struct import_run {
	long long id;
	const char *state;         /* "staging", "ready", "merged" */
	const char *source;        /* the appointments' source, "import:NAME" */
	long long patient_id;      /* --patient, 0: matched per event */
	long long booked_at;       /* booked_at of new appointments */
	const char *host;          /* where its process runs, and its pid */
	long long pid;
	long long beat;            /* when it last wrote (UTC seconds) */
	long long created;
};
void import_run_clear(struct import_run *r);
LIST_OF(import_run, import_run_list);
void import_run_list_free(struct import_run_list *l);

/* A new run in state "staging"; r->id gets its id. */
int store_run_add(struct store *s, struct import_run *r, struct err *e);
/* The runs not merged, oldest first. */
int store_run_open_list(struct store *s, struct import_run_list *out, struct err *e);
/* Move the run to `state` ("ready", "merged"); its beat (and the
 * beat alone) to now.  A run that is gone (another process took it for
 * dead and dropped it) is an error: its import must stop. */
int store_run_state(struct store *s, long long id, const char *state, struct err *e);
int store_run_beat(struct store *s, long long id, struct err *e);
/* Forget a run that never became ready (its rows deleted first). */
int store_run_delete(struct store *s, long long id, struct err *e);

/* A row of the run, with the id the caller chose: the stage is read in
 * id order (services/stage_order.c). */
int store_stage_add(struct store *s, long long run_id, long long id, const struct stage_row *r,
                    struct err *e);
/* The largest id in the stage (of any run), 0 when it is empty. */
int store_stage_max_id(struct store *s, long long *id, struct err *e);
/* The next `limit` rows of the run in id order: waiting ones or the
 * others.  Appended to out (*n of cap rows; the caller clears them). */
int store_stage_next(struct store *s, long long run_id, bool waiting, int limit,
                     struct stage_row *out, int *n, struct err *e);
int store_stage_set_waiting(struct store *s, long long id, struct err *e);
/* Delete the run's rows up to id `upto` (waiting ones with `waiting`). */
int store_stage_delete_upto(struct store *s, long long run_id, long long upto, bool waiting,
                            struct err *e);
/* Delete up to `limit` of the run's rows; *left: whether some remain. */
int store_stage_drop(struct store *s, long long run_id, int limit, bool *left,
                     struct err *e);

#endif
