/* dbcopy: `caseload db copy SRC DST`, a whole caseload from one database
 * into another (an SQLite file into PostgreSQL and back, or file to
 * file), through the store so that it is the same on either engine. */
#ifndef CASELOAD_DBCOPY_H
#define CASELOAD_DBCOPY_H
#include <stdbool.h>
#include "caseload/err.h"

#define DB_COPY_MAX_TABLES 48

struct db_copy_report {
	size_t n_tables;
	struct { const char *name; long long rows; } tables[DB_COPY_MAX_TABLES];
	long long rows;            /* in every table */
	long long chain;           /* audit rows verified in the target (the copy's own included) */
	bool created;              /* DST was a new file */
	/* SRC and DST as the stores name them: a server's without its
	 * password, whatever the connection string held */
	char src_name[512], dst_name[512];
};

/* Copy every table of src into dst, ids, the audit's rows and their
 * hashes kept, in one transaction on dst; then check each table's count
 * against the source's and walk dst's audit chain before committing.
 * dst is created at the current schema when it is a file that does not
 * exist (written beside it and renamed in place whole: a copy that fails
 * or is killed leaves no file); an existing one must be empty (only what
 * `init` writes), else ERR_CONFLICT names what it holds.  src must be a
 * caseload whose audit chain verifies.  The read is recorded in src's
 * audit and the copy in dst's ("copy"); `who` acts. */
int db_copy(const char *src, const char *dst, const char *who, struct db_copy_report *r,
            struct err *e);

#endif
