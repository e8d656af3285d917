/* store_internal: what the store's files share and nothing else sees. */
#ifndef CASELOAD_STORE_INTERNAL_H
#define CASELOAD_STORE_INTERNAL_H
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
#define SQL_CONDITION_ACTIVE "'active'"
/* LIMIT's value for "no limit" (PostgreSQL refuses SQLite's -1). */
#define SQL_NO_LIMIT 9223372036854775807LL
/* DAY_SECONDS as SQL text, for day numbers turned into instants. */
#define SQL_STR_(x) #x
#define SQL_STR(x) SQL_STR_(x)
#define SQL_DAY_SECONDS SQL_STR(DAY_SECONDS)

/* Migration N: its SQL, then (when set) a step in C in the same
 * transaction, for what SQL cannot compute (the folded search keys).
 * pg is its text for PostgreSQL when that differs (NULL: the same text);
 * an empty text is no step on that engine.
 * A PostgreSQL database starts at STORE_PG_BASELINE with one text, the
 * schema as migrations 1 to STORE_PG_BASELINE made it (there were no
 * PostgreSQL databases before): migrations after it run on both engines. */
struct migration {
	const char *sql;
	int (*after)(struct store *s, struct err *e);
	const char *pg;
};
extern const struct migration store_migrations[];
extern const int store_n_migrations;
#define STORE_PG_BASELINE 8
extern const char store_pg_baseline[];
/* What guards the audit on PostgreSQL: each trigger's name and the text
 * that makes it (`caseload check` puts a missing one back); NULL ends. */
extern const struct pg_guard { const char *name, *sql; } store_pg_guards[];

#define AUDIT_HASH_HEX 65          /* 64 hex digits and the NUL */

/* ---- the driver: what differs between the engines ----
 * Store code speaks one SQL text (?N placeholders, see DESIGN §3) through
 * st_prep, st_step, bind_ and col_; a driver turns that into its engine's
 * calls.  A statement of a driver begins with struct dbst. */
#define ST_ROW 100                 /* st_step: a row is there to read */
#define ST_DONE 101                /* st_step: no more rows */
struct dbst {
	struct store *s;
	/* reset, and nothing bound or stepped since: st_prep hands it out
	 * as it is (an import runs a few statements a million times, each
	 * reset after its step) */
	bool fresh;
};
enum tx_kind {
	TX_BEGIN_WRITE,            /* the outermost write: writers queue */
	TX_BEGIN_READ,             /* the outermost read: one snapshot */
	TX_SAVEPOINT, TX_RELEASE, TX_ROLLBACK_TO,
	TX_COMMIT, TX_ROLLBACK,
};
struct driver {
	const char *name;          /* "SQLite", "PostgreSQL": for messages */
	/* Connect s->db to target (a path, a conninfo); s->path is set;
	 * create: a missing database may be made. */
	int (*open)(struct store *s, const char *target, bool create, struct err *e);
	/* The connection's settings, once the database is known to be ours. */
	int (*settings)(struct store *s, struct err *e);
	void (*close)(struct store *s);
	/* Prepare one statement (kept by the store's cache until close). */
	struct dbst *(*prepare)(struct store *s, const char *sql, struct err *e);
	void (*finalize)(struct dbst *st);
	/* ST_ROW, ST_DONE or a negative ERR_ with e set (the statement is
	 * then reset). */
	int (*step)(struct dbst *st, struct err *e);
	/* Done with the rows (or not started): bindings cleared. */
	void (*reset)(struct dbst *st);
	/* The statement is a listing, read in its order to the end: planned
	 * for its first rows where the engine plans for the whole (NULL: it
	 * does not; see st_stream). */
	void (*stream)(struct dbst *st);
	/* v NULL binds NULL; ref: v stays valid until the statement is reset. */
	void (*bind_text)(struct dbst *st, int i, const char *v, bool ref);
	void (*bind_int)(struct dbst *st, int i, long long v);
	const char *(*col_str)(struct dbst *st, int i);   /* NULL for NULL */
	long long (*col_int)(struct dbst *st, int i);
	bool (*col_null)(struct dbst *st, int i);
	/* The id the last INSERT made, for one without RETURNING (0: none). */
	long long (*last_id)(struct store *s);
	/* Statements run once (migrations, settings), no rows. */
	int (*exec)(struct store *s, const char *sql, struct err *e);
	int (*tx)(struct store *s, enum tx_kind k, struct err *e);
	/* The schema version and the application's mark (0 when none), and
	 * how many objects the database has (0: empty, a new one). */
	int (*version)(struct store *s, long long *version, long long *appid,
	               long long *objects, struct err *e);
	int (*set_version)(struct store *s, int version, struct err *e);
	long long (*data_version)(struct store *s);
	/* Other connections' commits as they come (NULL: none, see
	 * store_watch_fd). */
	int (*watch_fd)(struct store *s);
	unsigned (*watch_drain)(struct store *s);
	/* Rows (type, name, text) of the schema's objects, by name. */
	const char *schema_sql;
	int (*check)(struct store *s, struct strlist *problems, struct err *e);
	int (*cache_kb)(struct store *s, int kb, struct err *e);
	/* Refresh the planner's statistics after a bulk load (NULL: the
	 * engine needs none, see store_analyze). */
	int (*analyze)(struct store *s, struct err *e);
	/* Rows (name, text that makes it) of the indexes named in ?1 (" a b ")
	 * and of every index made after one of them on the same table, in
	 * the order they were made, for store_bulk_indexes_drop (NULL: the
	 * engine keeps its indexes). */
	const char *index_sql;
	int (*backup)(struct store *s, const char *dest, bool replace, struct err *e);
};
extern const struct driver drv_sqlite, drv_pg;
/* An SQLite database in memory with nothing in it (the schema as this
 * caseload makes it is built there to compare). */
int store_open_memory(struct store **s, const char *user, struct err *e);

struct stmt_cache {
	const char *sql;           /* a string literal: compared by address */
	struct dbst *st;
	char *built;               /* or a built text (struct sqlq): compared by content */
};

struct store {
	const struct driver *drv;
	void *db;                  /* the driver's connection */
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
	/* The undo log (store_undo.c): the open transaction's change group
	 * (0: none yet, made at its first row, at depth undo_depth), its
	 * name and patient when the use case gave them; keep: the group
	 * outlives the transaction (an import's batches); off: the writes
	 * of an undo itself; last: the group of the last commit. */
	long long undo_group, undo_patient, undo_last;
	int undo_depth;
	char *undo_what;
	bool undo_keep, undo_off;
	struct pending *pending;   /* a bulk write's rows not yet written */
	/* store_checkpoint_when_idle: set, and the WAL's pages after this
	 * connection's last commit (SQLite) */
	bool checkpoint_idle;
	int wal_pages;
};

/* SQLite: copy the WAL back after `pages` pages (drv_sqlite.c), or leave
 * it to store_checkpoint_idle at the default once checkpoint_idle is set. */
void sq_autocheckpoint(struct store *s, int pages);
int sq_checkpoint_passive(struct store *s, struct err *e);
int sq_fill_journal(struct store *s, bool fill, struct err *e);

/* The prepared statement for a literal SQL text, reset and with bindings
 * cleared; prepared on first use and kept.  NULL with e set on error. */
struct dbst *st_prep(struct store *s, const char *sql, struct err *e);
/* Mark st, before its first step, as a listing whose rows are read in
 * order to the end (a command's output, a screen's page): PostgreSQL
 * then reads it through a cursor, whose plan brings the first rows early
 * (an index in the listing's order) rather than the whole soonest (a
 * sort of every row).  A no-op on SQLite, which plans so anyway. */
void st_stream(struct dbst *st);
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
struct dbst *sq_prep(struct store *s, struct sqlq *q, struct err *e);
void sq_free(struct sqlq *q);
/* The condition "t" (a task) is up for taking on day (ISO text): no one
 * owns it, or its owner is out that day (covered).  One definition for
 * the task list and the screen's task views. */
void q_task_unowned(struct sqlq *b, const char *day);
/* Step; returns ST_ROW or ST_DONE, or a negative ERR_ with e set. */
int st_step(struct store *s, struct dbst *st, struct err *e);
/* Run a statement that returns no rows (or whose rows are not read). */
int st_exec(struct store *s, struct dbst *st, struct err *e);
/* A statement's one number: the first column of its first row (0 with no
 * row); reset after. */
int st_number(struct store *s, struct dbst *st, long long *n, struct err *e);

/* Done with a statement's rows before the last one (or after it). */
void st_reset(struct dbst *st);

void bind_text(struct dbst *st, int i, const char *v);   /* NULL -> NULL */
/* Text that stays valid until the statement is reset: not copied. */
void bind_text_ref(struct dbst *st, int i, const char *v);
void bind_int(struct dbst *st, int i, long long v);
void bind_id(struct dbst *st, int i, long long v);       /* 0 -> NULL */
char *col_text(struct dbst *st, int i);                  /* NULL stays NULL */
const char *col_str(struct dbst *st, int i);             /* borrowed until the next step */
long long col_int(struct dbst *st, int i);
bool col_null(struct dbst *st, int i);

/* Run an INSERT, give the new row's id and write its audit row
 * ("insert", tbl, id, detail). */
int st_insert(struct store *s, struct dbst *st, const char *tbl, const char *detail,
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
/* One chained row written at once (f->id and its hash computed). */
int audit_insert(struct store *s, const struct audit_fields *f, const char *hash,
                 struct err *e);
/* store_pending.c: in a bulk write (pending_on), audit rows
 * (with their computed id and hash) and undo rows of added rows are kept
 * and written many to a statement: pending_flush writes them (at the
 * commit; st_prep before a statement that names audit or undo_row, as
 * pending_touches tells), pending_drop forgets them (a rollback). */
bool pending_on(const struct store *s);
int pending_audit(struct store *s, const struct audit_fields *f, const char *hash,
                  struct err *e);
int pending_undo(struct store *s, const char *tbl, long long id, const char *op,
                 long long version, struct err *e);
bool pending_touches(const struct store *s, const char *sql);
int pending_flush(struct store *s, struct err *e);
void pending_drop(struct store *s);
void pending_free(struct store *s);
/* The audit's last row: its id and hash (0 and "" when it is empty). */
int audit_last(struct store *s, long long *id, char hash[AUDIT_HASH_HEX], struct err *e);
/* The schema version from which the audit is chained (the migration
 * whose step is audit_seal). */
int audit_chain_version(void);
/* The chaining migration's step: hash the rows there are, in id order. */
int audit_seal(struct store *s, struct err *e);
/* The guard trigger's text (schema.c), for audit_seal to put it back. */
extern const char store_audit_no_update[];
/* and the one against DELETE, for store_copy_begin */
extern const char store_audit_no_delete[];
/* What is missing or different in the schema and at the chain's head,
 * one sentence each (cheap: run at every open). */
int audit_protections(struct store *s, struct strlist *problems, struct err *e);
/* Run audit_protections again and set or clear s->problem. */
int store_recheck(struct store *s, struct err *e);

/* Check that a row exists: ERR_NOTFOUND "no <what> with id N". */
int store_exists(struct store *s, const char *tbl, long long id, struct err *e);
/* The audit listings' rows (id, at, who, action, tbl, row_id, detail)
 * to fn; and the callback that keeps them in a struct audit_list. */
int audit_each(struct store *s, struct dbst *st, store_audit_fn *fn, void *ctx, struct err *e);
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
/* The same as conditions on the patient's id (the column `id`, e.g.
 * "p.id"), one EXISTS a word, each a look-up of
 * the patient's own rows (patient_search_patient): for a walk of an order's
 * index when the matches are many. */
void search_each(struct sqlq *b, const struct search *q, const char *id);
/* The first page of a search in the need or name order comes from one
 * index range already in that order: search_first(token, patient_id,
 * need_due, family, given) holds the first 1 to SEARCH_FIRST characters
 * of each word of the patient's name (the kind 'n' tokens), each row with
 * the patient's order columns (search_index writes them, a trigger on
 * patient keeps them when need_due or the name changes; migration m_search_first, 23),
 * indexed (token, the order's columns, words).  words: the patient's
 * name words that start with the row's start (on a pair row, below, with
 * either part), each after a space (" thomas thompson").  The search
 * walks the rows of one typed word's start (search_first_word) in order,
 * tests the rest of a longer word on the row's words (" thomp" in them),
 * and looks up its other words for each patient it comes to
 * (search_each): a page costs its rows, not the matches. */
#define SEARCH_FIRST 3
/* The word that drives the walk (of the name kind, the one with the
 * longest start), -1 if none; its start (up to SEARCH_FIRST characters) into `start`, and
 * whether that is the whole word. */
int search_first_word(const struct search *q, char start[4 * SEARCH_FIRST + 1], bool *whole);
/* With another word of the name as well, a search reads fewer rows: the
 * pair rows of search_first hold each two words of a name that start
 * with different characters as the first's start (SEARCH_FIRST
 * characters) and the second's first character, "che w"; the rest of
 * the second word is tested on the row's words too.  The index of
 * the word that makes a pair with the driver (its start SEARCH_FIRST
 * characters long), their row's token into `key`, and whether that
 * character is all of the word; -1 if none. */
#define SEARCH_PAIR_KEY (4 * SEARCH_FIRST + 6)
int search_pair_key(const struct search *q, int driver, char key[SEARCH_PAIR_KEY], bool *whole);
/* Whether a token is longer than SEARCH_FIRST characters (then its
 * search_first rows hold only its start). */
bool search_first_longer(const char *token);
/* Whether every word matches at least `many` rows (counting no further). */
int search_many(struct store *s, const struct search *q, long long many, bool *out,
                struct err *e);
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
int st_update(struct store *s, struct dbst *st, struct err *e);
/* The same for the row id of table tbl, noted in the undo log first (its
 * columns as they were); and the note alone, before an update that
 * checks no version. */
int st_update_of(struct store *s, struct dbst *st, const char *tbl, long long id,
                 struct err *e);
int undo_before(struct store *s, const char *tbl, long long id, struct err *e);
/* st_insert's note of the row it added. */
int undo_note_insert(struct store *s, const char *tbl, long long id, struct err *e);
/* One of the caseload's own records (the undo log covers it) that belongs
 * to a patient (it has a patient_id): in the patient's audit trail. */
bool store_undo_patient_table(const struct store_copy_table *t);
/* Column i (0-based) of a comma list of column names (a copy table's
 * cols) into out (size bytes); false past the last (store_copy.c). */
bool store_col_name(const char *cols, int i, char *out, size_t size);
/* The outermost transaction ended (store_commit, store_rollback); a
 * savepoint at s->depth is being rolled back. */
void undo_tx_end(struct store *s, bool committed);
void undo_savepoint_gone(struct store *s);
int store_stale(struct store *s, const char *tbl, long long id, struct err *e);
/* An update's audit detail: the names of the fields that differ, added
 * to b as "a, b, c". */
void diff_field(struct buf *b, const char *name, const char *was, const char *now);
/* The episode table's one row reader (store_program.c): STORE_EPISODE_COLS
 * (of `episode ep`) are the statement's first columns, read into ep. */
#define STORE_EPISODE_COLS \
	"ep.id, ep.patient_id, ep.program, ep.status, ep.started, ep.ended, ep.consent_id, " \
	"ep.practitioner, ep.discharge_id, ep.version, ep.created, ep.face_to_face, ep.med_rec, " \
	"ep.complexity"
#define STORE_EPISODE_NCOLS 14
struct episode;
void store_read_episode(struct dbst *st, struct episode *ep);
void diff_int(struct buf *b, const char *name, long long was, long long now);

#endif
