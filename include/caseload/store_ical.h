/* store_ical: what the iCalendar import needs from the store beyond the
 * appointment queries of store.h. */
#ifndef CASELOAD_STORE_ICAL_H
#define CASELOAD_STORE_ICAL_H
#include "caseload/err.h"

struct store;

#define STORE_CACHE_DEFAULT_KB 2000   /* SQLite's own default */

/* Set the page cache of this connection, in KiB.  A long import raises it
 * so that index pages are not spilled to the WAL and written again and
 * again, and sets it back to the default at the end.  Above the default,
 * temporary data (the sub-journals of the savepoints each row's write
 * opens) stays in memory instead of temporary files. */
int store_cache_kb(struct store *s, int kb, struct err *e);

/* Begin a transaction as one bulk write: when it is the outermost, the
 * writes nested in it open no savepoints of their own (each would copy
 * every page it touches), so one that fails cannot be undone alone; after
 * that the whole transaction can only be rolled back, and store_commit
 * rolls back and fails.  Inside another transaction it is an ordinary
 * store_begin.  Ends with store_commit or store_rollback as usual. */
int store_begin_bulk(struct store *s, struct err *e);

#endif
