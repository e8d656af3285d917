/* store_internal: what the store's files share and nothing else sees. */
#ifndef CASELOAD_STORE_INTERNAL_H
#define CASELOAD_STORE_INTERNAL_H
#include <sqlite3.h>
#include "caseload/date.h"
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
/* DAY_SECONDS as SQL text, for day numbers turned into instants. */
#define SQL_STR_(x) #x
#define SQL_STR(x) SQL_STR_(x)
#define SQL_DAY_SECONDS SQL_STR(DAY_SECONDS)

/* Migration N: its SQL, then (when set) a step in C in the same
 * transaction, for what SQL cannot compute (the folded search keys). */
struct migration {
	const char *sql;
	int (*after)(struct store *s, struct err *e);
};
extern const struct migration store_migrations[];
extern const int store_n_migrations;

#define AUDIT_HASH_HEX 65          /* 64 hex digits and the NUL */

struct stmt_cache {
	const char *sql;           /* a string literal: compared by address */
	sqlite3_stmt *st;
	char *built;               /* or a built text (struct sqlq): compared by content */
};

struct store {
	sqlite3 *db;
	char *path;
	char *user;
	int depth;                 /* transaction nesting */
	bool bulk;                 /* the open transaction is one bulk write */
	bool bulk_failed;          /* a write inside it failed: it cannot commit */
	long long max_span;        /* longest single appointment known, -1: unknown */
	bool chain;                /* the audit has its hash chain (sealed) */
	/* Inside a write transaction: the audit's last row as written here
	 * (valid until a rollback or the end of the transaction, when other
	 * processes may write), and whether meta's audit_head must move to it
	 * at the commit (once per transaction, not per row). */
	bool tail_valid, head_dirty;
	long long tail_id;
	char tail_hash[AUDIT_HASH_HEX];
	bool repairing;            /* `check` puts protections back: writes allowed */
	char *problem;             /* protections missing: writes are refused */
	struct stmt_cache *cache;
	size_t n_cache, cap_cache;
};

/* The prepared statement for a literal SQL text, reset and with bindings
 * cleared; prepared on first use and kept.  NULL with e set on error. */
sqlite3_stmt *st_prep(struct store *s, const char *sql, struct err *e);
/* A statement assembled from fragments, one text per case: a listing
 * with optional filters adds only the conditions it has, never a
 * catch-all "(?N IS NULL OR col = ?N)" that hides the index from the
 * planner.  q_text and q_int write the next parameter's placeholder
 * (?1, ?2, ... without gaps) and keep its value; sq_prep prepares the
 * text (once per distinct text, then kept like a literal's), binds the
 * values and frees the builder.  Fragments are literals, never values. */
#define SQLQ_MAX_PARAMS 32
struct sqlq {
	struct buf sql;
	int n;
	bool where;                /* q_where wrote its WHERE */
	struct { bool text; const char *s; long long i; } v[SQLQ_MAX_PARAMS];
};
void q_sql(struct sqlq *q, const char *frag);
/* " WHERE " the first time, " AND " after, then the condition. */
void q_where(struct sqlq *q, const char *cond);
void q_text(struct sqlq *q, const char *v);      /* NULL binds NULL */
void q_int(struct sqlq *q, long long v);
sqlite3_stmt *sq_prep(struct store *s, struct sqlq *q, struct err *e);
void sq_free(struct sqlq *q);
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

/* Move meta's audit_head to the audit's last row (before a commit). */
int audit_write_head(struct store *s, struct err *e);
/* Run migrations from..to-1 (each in its own transaction). */
int st_migrate(struct store *s, int from, int to, struct err *e);

/* ---- the audit's hash chain (store_audit.c) ---- */
struct audit_fields {
	long long id, at, row_id;      /* row_id: when has_row_id */
	bool has_row_id;
	const char *who, *action, *tbl, *detail;   /* detail may be NULL */
};
/* The hash of a row: SHA-256 over the previous row's stored hash ("" for
 * the first row or one without) and the fields, in hex. */
void audit_row_hash(const char *prev, const struct audit_fields *f, char out[AUDIT_HASH_HEX]);
/* The audit's last row: its id and hash (0 and "" when it is empty). */
int audit_last(struct store *s, long long *id, char hash[AUDIT_HASH_HEX], struct err *e);
/* The schema version from which the audit is chained (the migration
 * whose step is audit_seal). */
int audit_chain_version(void);
/* The chaining migration's step: hash the rows there are, in id order. */
int audit_seal(struct store *s, struct err *e);
/* The guard trigger's text (schema.c), for audit_seal to put it back. */
extern const char store_audit_no_update[];
/* What is missing or different in the schema and at the chain's head,
 * one sentence each (cheap: run at every open). */
int audit_protections(struct store *s, struct strlist *problems, struct err *e);
/* Run audit_protections again and set or clear s->problem. */
int store_recheck(struct store *s, struct err *e);

/* Check that a row exists: ERR_NOTFOUND "no <what> with id N". */
int store_exists(struct store *s, const char *tbl, long long id, struct err *e);
/* The audit listings' rows (id, at, who, action, tbl, row_id, detail)
 * to fn; and the callback that keeps them in a struct audit_list. */
int audit_each(struct store *s, sqlite3_stmt *st, store_audit_fn *fn, void *ctx, struct err *e);
int audit_push(void *list, struct audit_row *a);

/* ---- patient search (store_search.c) ----
 * Each patient has rows in patient_search(kind, token, patient_id),
 * primary key in that order: kind 'n' a folded word of the name (and each
 * part's words run together: "o'brien" gives o, brien and obrien), 'm'
 * every suffix of the folded MRN, 'p' every suffix of the phone's digits.
 * A typed word matches when it is the start of one of the patient's
 * tokens of its kinds: one index range each, so a suffix makes "any part"
 * a prefix range too.  Several words must all match (INTERSECT). */
#define SEARCH_MAX_WORDS 4
struct search {
	int n;                     /* words, 0 to SEARCH_MAX_WORDS */
	struct {
		const char *kind[2];   /* the token kinds it may match */
		char *token;           /* a prefix of the token */
		char *hi;              /* the end of its range (see search_ids) */
	} w[SEARCH_MAX_WORDS];
};
/* Split typed text into words to match (the first SEARCH_MAX_WORDS):
 * letters match words of the name; a word with digits matches any part
 * of the MRN or the phone; text with digits and no letters ("(555)
 * 200-5", "555 2005") is one number.  Returns q->n; free with search_free. */
int search_parse(const char *text, struct search *q);
void search_free(struct search *q);
/* Add to b the ids of the patients that match every word of q (1 or
 * more: a subquery of index ranges on patient_search, INTERSECT-ed);
 * q must outlive the builder's sq_prep. */
void search_ids(struct sqlq *b, const struct search *q);
/* Write patient id's search rows for p (replacing any it had). */
int search_index(struct store *s, long long id, const struct patient *p, struct err *e);
/* Migration 5: name keys and search rows for every patient. */
int search_fill(struct store *s, struct err *e);

/* ---- versioned updates (store_team.c) ----
 * Every update of a mutable row is "... SET ..., version = version + 1
 * WHERE id = ? AND version = ? RETURNING id": st_update steps it and
 * gives 1 when it changed the row, 0 when it did not (someone else's
 * update came first), negative on error.  store_stale then refuses the
 * save (ERR_CONFLICT) naming who changed the record, when and what, from
 * the audit's last row for it. */
int st_update(struct store *s, sqlite3_stmt *st, struct err *e);
int store_stale(struct store *s, const char *tbl, long long id, struct err *e);
/* An update's audit detail: the names of the fields that differ, added
 * to b as "a, b, c". */
void diff_field(struct buf *b, const char *name, const char *was, const char *now);
void diff_int(struct buf *b, const char *name, long long was, long long now);

#endif
