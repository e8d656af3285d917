/* store_ical: connection settings for the iCalendar import. */
#include <stdio.h>

#include "caseload/store_ical.h"
#include "store_internal.h"

int store_cache_kb(struct store *s, int kb, struct err *e)
{
	char sql[96];
	/* the savepoint of each row's write keeps its sub-journal in memory
	 * rather than in a temporary file */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = %s",
	         kb > 0 ? kb : STORE_CACHE_DEFAULT_KB, kb > STORE_CACHE_DEFAULT_KB ? "MEMORY" : "DEFAULT");
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : st_error(s, rc, e);
}
