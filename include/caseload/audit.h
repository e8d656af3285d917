/* audit: the use cases of the audit trail.  Reads leave a row as writes
 * do (who, what, which patient or how many, when; never what was shown),
 * and `caseload check` looks at the database as a whole: SQLite's own
 * checks, the schema against the one this caseload makes, and the audit's
 * hash chain, then puts back the protections it can. */
#ifndef CASELOAD_AUDIT_H
#define CASELOAD_AUDIT_H
#include "caseload/err.h"
#include "caseload/store.h"
#include "caseload/util.h"

/* Record a read: `action` is "read" (one patient's chart), "list" (a
 * listing), "export" (data leaving caseload) or "review"; `source` names
 * where ("patient show", "screen"); patient_id 0 when the read is not of
 * one patient; count the rows shown or written (-1: not counted).  One
 * insert.  Refused (with the store's message) while the database's
 * protections are missing: a read that cannot be recorded is not done. */
int audit_read(struct store *s, const char *action, const char *source, long long patient_id,
               long long count, struct err *e);
/* Whether a read could be recorded now (for a read whose output leaves
 * before its count is known: check first, record after). */
int audit_ready(struct store *s, struct err *e);

/* What `caseload check` found and did. */
struct check_report {
	struct strlist integrity;      /* SQLite's integrity and foreign key checks */
	struct strlist schema;         /* how the schema differs ("missing trigger x") */
	struct audit_verify chain;     /* the audit chain (kind NULL: intact) */
	bool chain_checked;            /* false: the database has no chain yet */
	struct strlist repaired;       /* what was put back (and recorded as "repair") */
	const char *still;             /* what still refuses writes, or NULL */
	long long patients;            /* active patients */
	long long no_review_row;       /* patients that had no kept review row */
};
/* Check, then repair what can be (store_repair); problems found make the
 * report's counts non-zero, not an error.  Free with check_report_free. */
int check_run(struct store *s, struct check_report *r, struct err *e);
/* How many problems the report names (0: all is well). */
size_t check_problems(const struct check_report *r);
void check_report_free(struct check_report *r);

#endif
