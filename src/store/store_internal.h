/* store_internal: what the store's files share and nothing else sees. */
#ifndef CASELOAD_STORE_INTERNAL_H
#define CASELOAD_STORE_INTERNAL_H
#include <sqlite3.h>
#include "caseload/store.h"
#include "caseload/util.h"

/* Sets of model.h's codes for SQL's IN: SQL_OPEN_TASK is task_status_open,
 * SQL_GONE_APPT appt_status_gone (test_model checks that they agree), and
 * SQL_CONTACT_KINDS the timeline entries that are contacts with the
 * patient (a call, a visit, a message), whose outcome can be 'reached'.
 * schema.c writes partial indexes and a view with them, and a database
 * keeps that text as it was created: changing a set needs a migration that
 * recreates task_open_due, patient_need_calc and entry_reached. */
#define SQL_OPEN_TASK "('requested','in-progress','on-hold')"
#define SQL_GONE_APPT "('cancelled','entered-in-error','noshow')"
#define SQL_CONTACT_KINDS "('call','visit','message')"

extern const char *const store_migrations[];
extern const int store_n_migrations;

struct stmt_cache {
	const char *sql;           /* a string literal: compared by address */
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	char *path;
	char *user;
	int depth;                 /* transaction nesting */
	bool bulk;                 /* the open transaction is one bulk write */
	bool bulk_failed;          /* a write inside it failed: it cannot commit */
	long long max_span;        /* longest single appointment known, -1: unknown */
	struct stmt_cache *cache;
	size_t n_cache, cap_cache;
};

/* The prepared statement for a literal SQL text, reset and with bindings
 * cleared; prepared on first use and kept.  NULL with e set on error. */
sqlite3_stmt *st_prep(struct store *s, const char *sql, struct err *e);
/* Step; returns SQLITE_ROW or SQLITE_DONE, or a negative ERR_ with e set. */
int st_step(struct store *s, sqlite3_stmt *st, struct err *e);
/* Run a statement that returns no rows. */
int st_exec(struct store *s, sqlite3_stmt *st, struct err *e);
/* Turn the connection's last error into e (names constraint failures). */
int st_error(struct store *s, int rc, struct err *e);

void bind_text(sqlite3_stmt *st, int i, const char *v);   /* NULL -> NULL */
void bind_int(sqlite3_stmt *st, int i, long long v);
void bind_id(sqlite3_stmt *st, int i, long long v);       /* 0 -> NULL */
char *col_text(sqlite3_stmt *st, int i);                  /* NULL stays NULL */
long long col_int(sqlite3_stmt *st, int i);

/* Run an INSERT, give the new row's id and write its audit row
 * ("insert", tbl, id, detail). */
int st_insert(struct store *s, sqlite3_stmt *st, const char *tbl, const char *detail,
              long long *id, struct err *e);
/* One audit row: action is "insert", "update", "delete" or a verb. */
int store_audit(struct store *s, const char *action, const char *tbl,
                long long row_id, const char *detail, struct err *e);
long long store_now(void);

/* Check that a row exists: ERR_NOTFOUND "no <what> with id N". */
int store_exists(struct store *s, const char *tbl, long long id, struct err *e);

#endif
