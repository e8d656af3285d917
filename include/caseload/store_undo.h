/* store_undo: the undo log's groups (issue 14).  The store notes every
 * change of the caseload's records in the open transaction's change group
 * by itself (store_undo.c); here a use case names its group, an import
 * keeps one group over its batches, and `undo` lists and undoes them. */
#ifndef CASELOAD_STORE_UNDO_H
#define CASELOAD_STORE_UNDO_H
#include <stdbool.h>
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* One change group: a person's one change (or an import run). */
struct undo_group {
	long long id, at;          /* at: UTC seconds */
	const char *who, *what;    /* what: "completed task 12" */
	long long patient_id;      /* 0: none or several */
	long long run_id;          /* the import run it was, 0: none */
	long long undone_at;       /* 0: not undone */
	const char *undone_by;
	long long rows;            /* rows it touched */
};
void undo_group_clear(struct undo_group *g);
LIST_OF(undo_group, undo_group_list);
void undo_group_list_free(struct undo_group_list *l);

/* Name the open transaction's group ("completed task 12": records by id,
 * never patient data) and its patient (0: leave as it is).  Without it
 * a group is named by its first row ("changed task 12"). */
void store_undo_what(struct store *s, long long patient_id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The group this connection's last committed change made (0: none). */
long long store_undo_last(const struct store *s);
/* An import run's one group (made in a transaction of its own, or found
 * when the run was begun by a process that died): the writes of every
 * transaction until store_undo_run_end go to it. */
int store_undo_run_begin(struct store *s, long long run_id, const char *what, struct err *e);
void store_undo_run_end(struct store *s);

int store_undo_get(struct store *s, long long id, struct undo_group *out, struct err *e);
int store_undo_of_run(struct store *s, long long run_id, struct undo_group *out, struct err *e);
/* who's latest group not undone (ERR_NOTFOUND: none). */
int store_undo_latest(struct store *s, const char *who, struct undo_group *out, struct err *e);
/* who's latest `limit` groups, newest first; runs: the imports' (anyone's). */
int store_undo_list(struct store *s, const char *who, bool runs, int limit,
                    struct undo_group_list *out, struct err *e);
/* Undo group id in one transaction: what it added deleted, what it
 * changed put back (version raised), each row only if it is as the group
 * left it (else ERR_CONFLICT naming the row and who changed it since);
 * the group marked undone and an audit row "undo".  *rows: how many. */
int store_undo_apply(struct store *s, long long id, long long *rows, struct err *e);

#endif
