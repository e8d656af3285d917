/* undo: taking back a change (issue 14), the same from the command line
 * and the screen.  Every change a person makes is a change group in the
 * store's undo log; undoing one deletes the rows it added and puts back
 * the ones it changed, in one transaction, refused when someone changed
 * one of them since.  An undo is audited ("undo") and is not undone. */
#ifndef CASELOAD_UNDO_H
#define CASELOAD_UNDO_H
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/store_undo.h"

struct store;

/* Undo the latest change of the store's user not undone yet; done gets
 * the group as it was (the caller clears it). */
int undo_last(struct store *s, struct undo_group *done, struct change *ch, struct err *e);
/* Undo change group id (ERR_CONFLICT: undone already, or a row changed
 * since). */
int undo_change(struct store *s, long long id, struct undo_group *done, struct change *ch,
                struct err *e);
/* Undo import run_id as a whole. */
int undo_import(struct store *s, long long run_id, struct undo_group *done, struct change *ch,
                struct err *e);
/* The group of this connection's last change (0: none): the screen keeps
 * its session's. */
long long undo_last_made(struct store *s);

#endif
