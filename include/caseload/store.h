/* store: the caseload's database, one SQLite file (0600 in a 0700
 * directory, WAL, foreign keys, busy timeout) or a team's PostgreSQL
 * database (src/store/drv_pg.c); nothing above the store knows which.
 * Opening, numbered migrations, nesting transactions, an audit row for
 * every change, and one query function per thing the program needs.
 * Lists returned here own their strings (free them with the model's
 * _free). */
#ifndef CASELOAD_STORE_H
#define CASELOAD_STORE_H
#include <stdbool.h>
#include <stdio.h>
#include "caseload/err.h"
#include "caseload/model.h"
#include "caseload/util.h"

struct store;

#define STORE_APPLICATION_ID 0x43534c44   /* "CSLD" */

struct store_opts {
	const char *user;      /* who, for audit rows; NULL: "unknown"; on PostgreSQL
	                          the role the server authenticated instead */
	bool user_typed;       /* user came from --user: refused on PostgreSQL */
	bool no_create;        /* refuse a missing file instead of creating it */
	int migrate_to;        /* 0: the newest; a lower number for tests */
};

/* The default path ($XDG_DATA_HOME/caseload/caseload.db), caller frees. */
char *store_default_path(void);
/* Open, creating the file (mode 0600; a missing default directory 0700)
 * and migrating as needed.  path may be a PostgreSQL URI (postgresql://,
 * postgres://) or libpq conninfo ("host=... dbname=..."): that database
 * is opened instead (its schema made by the first open).  Refuses a
 * database that is not a caseload's, a damaged one and one from a newer
 * caseload. */
int store_open(struct store **s, const char *path, const struct store_opts *o,
               struct err *e);
void store_close(struct store **s);
int store_schema_version(void);          /* what this program writes */
int store_version(struct store *s);      /* what the file has */
/* The file, or postgresql://USER@HOST:PORT/DB (never a password). */
const char *store_path(const struct store *s);
const char *store_user(const struct store *s);
/* Changes when another connection commits (SQLite: PRAGMA data_version;
 * PostgreSQL: the audit's last id, which this connection's own writes
 * move too). */
long long store_data_version(struct store *s);
/* Live changes (PostgreSQL): a descriptor to poll for reading that
 * becomes readable when another connection commits a change to what the
 * screen shows (LISTEN on a second connection, opened on the first
 * call); -1 on SQLite, or when listening failed (then watch
 * store_data_version).  store_watch_drain reads what came: the
 * enum change_kind bits of the tables others changed (0: nothing, or
 * only this connection's own commits). */
int store_watch_fd(struct store *s);
unsigned store_watch_drain(struct store *s);

/* After a bulk load (db copy, demo, a large import), once committed:
 * PostgreSQL's ANALYZE, so that the next query is planned
 * with the rows that are there now (a server's autovacuum gets to it
 * only later: the review of 20,000 patients just copied took 27 s, and
 * 1.5 s once analyzed).  Nothing on SQLite, whose plans
 * (test_query_plans) come from the indexes alone. */
int store_analyze(struct store *s, struct err *e);

/* Transactions nest: the outermost is BEGIN IMMEDIATE (so two writers
 * queue instead of failing), inner ones are savepoints. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* A read transaction: many queries see one snapshot and share one lock.
 * For reading only; end it with store_commit (or store_rollback). */
int store_begin_read(struct store *s, struct err *e);
/* Begin a transaction as one bulk write (an import, the demo): when it is
 * the outermost, the writes nested in it open no savepoints of their own
 * (each would copy every page it touches), so one that fails cannot be
 * undone alone; after that the whole transaction can only be rolled back,
 * and store_commit rolls back and fails.  Inside another transaction it
 * is an ordinary store_begin.  Ends with store_commit or store_rollback. */
int store_begin_bulk(struct store *s, struct err *e);

#define STORE_CACHE_DEFAULT_KB 16384  /* what store_open sets */
/* Set this connection's page cache in KiB, for a long write that would
 * otherwise spill index pages to the WAL again and again; above the
 * default, temporary data stays in memory.  Set it back when done. */
int store_cache_kb(struct store *s, int kb, struct err *e);
/* SQLite: copy the WAL back into the database after `pages` pages (its
 * default 1,000; more for a write that puts many pages there, fewer
 * copies of the pages it writes again); the cache and the temporary
 * tables as they are (store_cache_kb changes where those go, which drops
 * them).  Nothing on PostgreSQL. */
#define STORE_CHECKPOINT_PAGES 1000
int store_checkpoint_pages(struct store *s, int pages, struct err *e);
/* SQLite: this connection's commits no longer copy the WAL back when it
 * has grown past STORE_CHECKPOINT_PAGES: store_checkpoint_idle does, when
 * the caller has time (the screen, between keys).  Its commits are a few
 * pages, but the WAL may then hold thousands of another process's (an
 * import's): copying them back after a commit would make the key behind
 * it wait.  What store_checkpoint_pages sets for a long write of its own
 * holds until it sets the default again.  Nothing on PostgreSQL. */
void store_checkpoint_when_idle(struct store *s);
/* The copy store_checkpoint_when_idle leaves for later, if one is due (it
 * waits for no one: one another process is making, or a reader holds
 * back, is left to it or to the next time); 1 when one was due, 0 when
 * none was. */
int store_checkpoint_idle(struct store *s, struct err *e);
/* SQLite: a fill of a new database in one long transaction (the demo)
 * writes its pages straight into the file, with a rollback journal, when
 * `fill`; in WAL mode again when not.  Through the WAL, every page would
 * be written twice and every read would look it up in a WAL as large as
 * the whole database.  The transaction stays all-or-nothing (a killed
 * fill is rolled back at the next open).  When another connection has
 * the database open, or inside a transaction, it stays in WAL mode:
 * slower, nothing else.  Nothing on PostgreSQL. */
int store_fill_journal(struct store *s, bool fill, struct err *e);
/* Inside a bulk fill of an empty database: drop the named indexes, which
 * only reads use and which the fill would otherwise update at random
 * places (an index on a name or a due date), so that store_bulk_indexes_make
 * makes them again, sorted in one pass, before the commit.  saved gets
 * the name and text of each, and of every index made after one of them
 * on the same table (kept during the fill, made again after it), so that
 * a table's indexes stay in the order the migrations made them in, on
 * which SQLite's planner decides between two it finds as good (none on
 * PostgreSQL, which keeps its indexes).  A failure or a rollback leaves
 * the indexes as they were. */
int store_bulk_indexes_drop(struct store *s, const char *const *names, struct strlist *saved,
                            struct err *e);
int store_bulk_indexes_make(struct store *s, const struct strlist *saved, struct err *e);

/* The database's own notes (the meta table): what it remembers about
 * itself, such as the zone its demo was made in.  *value is NULL when
 * the key is not there (caller frees). */
int store_meta_get(struct store *s, const char *key, char **value, struct err *e);
int store_meta_set(struct store *s, const char *key, const char *value, struct err *e);

/* PRAGMA integrity_check and foreign_key_check; problems are appended
 * (none on PostgreSQL: the server keeps its constraints). */
int store_check(struct store *s, struct strlist *problems, struct err *e);
/* A consistent copy with SQLite's online backup API, written through
 * safefile (safefile.h): mode 0600, never through a symbolic link, whole
 * or not at all.  An existing dest is replaced only with `replace`
 * (ERR_CONFLICT otherwise); the database's own files are refused.
 * ERR_USAGE on PostgreSQL (the server's backups, pg_dump). */
int store_backup(struct store *s, const char *dest, bool replace, struct err *e);

/* The audit trail, newest first (at most `limit`; tbl NULL for all). */
struct audit_row {
	long long id, at, row_id;
	char *who, *action, *tbl, *detail;
};
struct audit_list { struct audit_row *items; size_t len, cap; };
int store_audit_list(struct store *s, const char *tbl, long long row_id, int limit,
                     struct audit_list *out, struct err *e);
/* The streamed listings (store_X_each) give each row in order to a
 * callback instead of a list: a negative return stops the listing and is
 * returned. The row is the callback's to keep (move it out and zero it)
 * or to leave: what is left in it is cleared after the call. */
typedef int store_audit_fn(void *ctx, struct audit_row *a);
int store_audit_each(struct store *s, const char *tbl, long long row_id, int limit,
                     store_audit_fn *fn, void *ctx, struct err *e);
void audit_row_clear(struct audit_row *a);
void audit_list_free(struct audit_list *l);
/* One audit row for a read of patient data (action "read", "list",
 * "export", "review"; table "patient"; patient_id 0: not one patient). */
int store_audit_read(struct store *s, const char *action, long long patient_id,
                     const char *detail, struct err *e);
/* What was done to or with one patient: the rows naming the patient
 * (reads, writes, review marks) and the rows of the records that are
 * the patient's (tasks, appointments, entries...), newest first. */
int store_audit_patient(struct store *s, long long patient_id, int limit,
                        struct audit_list *out, struct err *e);
int store_audit_patient_each(struct store *s, long long patient_id, int limit,
                             store_audit_fn *fn, void *ctx, struct err *e);

/* Walk the audit's hash chain from its first row: the first row that is
 * missing (a gap in the ids), edited, forged or not the chain's recorded
 * head.  kind is NULL when the chain is intact (rows: its length). */
struct audit_verify {
	long long rows;        /* rows that verified before the first broken one */
	long long bad_id;      /* the first broken row */
	const char *kind;      /* "missing", "edited", "hash mismatch", "forged", "head";
	                          NULL: intact */
	char what[256];        /* a sentence naming the row and what is wrong */
};
int store_audit_verify(struct store *s, struct audit_verify *out, struct err *e);
/* How the schema (tables, indexes, triggers, views) differs from the one
 * this caseload makes, found by running every migration on a new
 * database in memory: "missing trigger audit_no_update", "extra index x",
 * "changed table y", appended to diff. */
int store_schema_diff(struct store *s, struct strlist *diff, struct err *e);
/* That schema as `make` finds it once (tools/schema_want.c writes it as C
 * into $(BUILD)/gen/schema_want.c, linked into caseload): an open
 * compares with it instead of making the database in memory again, which
 * was most of the time of a short command.  Only with the SQLite it was
 * made with (ALTER TABLE writes the text SQLite keeps) and the same
 * migrations; otherwise, or in a program linked without it (the unit
 * tests), the list is made at the open as before. */
struct store_schema_want {
	int sqlite_version;          /* sqlite3_libversion_number() */
	int migrations;              /* store_n_migrations */
	int len;
	const char *const (*rows)[3];   /* type, name, text (white space runs one space) */
};
/* Write that C file to `out`. */
int store_schema_want_c(FILE *out, struct err *e);
/* A database opened with its protections missing (the schema differs, or
 * the audit's last row is not the chain's recorded head) refuses every
 * write with this message until store_repair; NULL when none. */
const char *store_problem(const struct store *s);
/* Put back what can be: indexes, views and triggers made exactly as this
 * caseload makes them (extra ones dropped), the chain's head moved to the
 * last row, and one audit row ("repair") saying what was done (also
 * appended to `done`).  Tables that differ cannot be put back: writes
 * stay refused (store_problem).  Nothing to do: nothing written. */
int store_repair(struct store *s, struct strlist *done, struct err *e);

/* ---- a whole caseload into another database (store_copy.c) ----
 * The tables a copy carries, parents before children and the audit last,
 * with every column: the one list of them (test_store_copy holds it to
 * the schema).  key: the order rows are read in.  merge: the target may
 * have rows of its own there by then (meta's notes, rows made by the
 * triggers of the tables before it), which the source's row of the same
 * key (one column) replaces and the others stay. */
struct store_copy_table {
	const char *name, *cols, *key;
	bool merge;
};
const struct store_copy_table *store_copy_tables(size_t *n);
/* Rows in table i of store_copy_tables. */
int store_copy_count(struct store *s, size_t i, long long *n, struct err *e);
/* What a database holds beyond what `init` writes (meta's notes and the
 * audit's migrate and seal rows): "N patient rows", one a table, appended
 * to found (none: it is empty, a copy may go into it). */
int store_copy_contents(struct store *s, struct strlist *found, struct err *e);
/* Begin the target's one transaction and remove the audit rows of its
 * creation, so that the source's come in with their ids and hashes. */
int store_copy_begin(struct store *dst, struct err *e);
/* Copy table i from src (in a read transaction) into dst (after
 * store_copy_begin), ids kept; *rows: how many.  Ends with
 * store_after_bulk_copy. */
int store_copy_rows(struct store *src, struct store *dst, size_t i, long long *rows,
                    struct err *e);
/* After rows with explicit ids went into table tbl: make the ids the
 * database gives next go past them (PostgreSQL's identity sequences;
 * nothing to do on SQLite). */
int store_after_bulk_copy(struct store *s, const char *tbl, struct err *e);
/* The copy's own audit row ("copy", table "database"), chained after the
 * rows copied; the transaction then ends with store_commit. */
int store_copy_done(struct store *dst, const char *detail, struct err *e);

/* ---- patients ---- */
int store_patient_add(struct store *s, struct patient *p, struct err *e);
int store_patient_get(struct store *s, long long id, struct patient *out, struct err *e);
/* Write every field of p (p->id names the row), if p->version is still
 * the row's (ERR_CONFLICT naming who changed it otherwise). */
int store_patient_update(struct store *s, const struct patient *p, struct err *e);
struct patient_query {
	const char *search;    /* typed text, or NULL: every word must match the
	                          start of a word of the name (accents, case and
	                          script folded: "nunez" finds Núñez, "wang"
	                          王伟), or with digits any part of the MRN or of
	                          the phone's digits ("555-2005", "1005") */
	const char *risk;      /* NULL for any */
	bool include_inactive;
	int limit;             /* 0: no limit */
};
int store_patient_list(struct store *s, const struct patient_query *q,
                       struct patient_list *out, struct err *e);
typedef int store_patient_fn(void *ctx, struct patient *p);
int store_patient_each(struct store *s, const struct patient_query *q, store_patient_fn *fn,
                       void *ctx, struct err *e);
int store_patient_exists(struct store *s, long long id, struct err *e);
/* The patient (other than `except`, 0 for none) with this MRN, or with
 * the same folded family and given name (fold_name_key) and this date of
 * birth: 0 and out->id = 0 when there is none (or mrn, dob is empty). */
int store_patient_by_mrn(struct store *s, const char *mrn, long long except,
                         struct patient *out, struct err *e);
int store_patient_by_name_dob(struct store *s, const char *family, const char *given,
                              const char *dob, long long except, struct patient *out,
                              struct err *e);
int store_patient_count(struct store *s, long long *n, struct err *e);
/* Look-ups for matching imported events: 0 and *id = 0 when none. */
int store_patient_by_email(struct store *s, const char *email, long long *id, struct err *e);
int store_patient_by_name(struct store *s, const char *family, const char *given,
                          long long *id, struct err *e);

/* ---- contacts and care teams ---- */
int store_contact_add(struct store *s, struct contact *c, struct err *e);
/* Write every field of c over contact c->id (audited), if c->version is
 * still the row's (ERR_CONFLICT naming who changed it otherwise). */
int store_contact_update(struct store *s, const struct contact *c, struct err *e);
int store_contact_get(struct store *s, long long id, struct contact *out, struct err *e);
/* All contacts, or (patient_id > 0) the patient's care team with roles. */
int store_contact_list(struct store *s, long long patient_id,
                       struct contact_list *out, struct err *e);
int store_team_add(struct store *s, long long patient_id, long long contact_id,
                   const char *role, long long *id, struct err *e);
/* A care-team row's role (audited), if version is still the row's
 * (ERR_CONFLICT naming who changed it otherwise); *patient_id its patient. */
int store_team_update(struct store *s, long long team_id, const char *role, long long version,
                      long long *patient_id, struct err *e);

/* ---- conditions ---- */
int store_condition_add(struct store *s, long long patient_id, const char *name,
                        const char *onset, long long *id, struct err *e);
/* The patient's conditions (the active ones, or every status), in the
 * order they were added. */
int store_condition_list(struct store *s, long long patient_id, bool active_only,
                         struct condition_list *out, struct err *e);
int store_condition_get(struct store *s, long long id, struct condition *out, struct err *e);
/* Write name, onset and status over condition c->id (audited), if
 * c->version is still the row's (ERR_CONFLICT naming who changed it
 * otherwise). */
int store_condition_update(struct store *s, const struct condition *c, struct err *e);

/* ---- medications ---- */
int store_med_add(struct store *s, struct medication *m, struct err *e);
int store_med_list(struct store *s, long long patient_id,
                   struct medication_list *out, struct err *e);
int store_med_get(struct store *s, long long id, struct medication *out, struct err *e);
/* Write name, dose, refill due and status over medication m->id
 * (audited), if m->version is still the row's (ERR_CONFLICT naming who
 * changed it otherwise). */
int store_med_update(struct store *s, const struct medication *m, struct err *e);

/* ---- appointments ---- */
int store_appt_add(struct store *s, struct appointment *a, struct err *e);
int store_appt_get(struct store *s, long long id, struct appointment *out, struct err *e);
/* Write every field of a (a->id names the row), if a->version is still
 * the row's (ERR_CONFLICT naming who changed it otherwise). */
int store_appt_update(struct store *s, const struct appointment *a, struct err *e);
/* By iCalendar key; ERR_NOTFOUND (quietly, e untouched) when absent. */
int store_appt_by_uid(struct store *s, const char *uid, const char *recurrence_id,
                      struct appointment *out, struct err *e);
/* Every appointment made by `source` ("demo") in zone `tzid`, by id. */
int store_appt_by_source(struct store *s, const char *source, const char *tzid,
                         struct appointment_list *out, struct err *e);
/* Every row of one iCalendar UID (a series, or an event, and its
 * overrides: the series first), on the UID's unique index. */
int store_appt_by_series(struct store *s, const char *uid, struct appointment_list *out,
                         struct err *e);
struct appt_query {
	long long patient_id;  /* 0: all patients */
	bool unassigned;       /* only those with no patient */
	long long from, to;    /* start in [from, to); 0 for open ends */
	int limit;             /* 0: no limit */
};
/* Stored rows (series as one row), ordered by start. */
int store_appt_list(struct store *s, const struct appt_query *q,
                    struct appointment_list *out, struct err *e);
/* fn may keep *a (and leave it zeroed); a non-zero return ends the walk,
 * an error when negative. */
typedef int store_appt_fn(void *ctx, struct appointment *a);
int store_appt_each(struct store *s, const struct appt_query *q, store_appt_fn *fn, void *ctx,
                    struct err *e);
/* Rows that may have an occurrence overlapping [from, to): single events
 * overlapping it, series that start before `to` and have not ended by
 * `from`, and overrides of those series.  patient_id 0: all. */
int store_appt_candidates(struct store *s, long long patient_id, long long from,
                          long long to, struct appointment_list *out, struct err *e);
int store_appt_candidates_each(struct store *s, long long patient_id, long long from,
                               long long to, store_appt_fn *fn, void *ctx, struct err *e);
/* The same rows in two parts: the single events (and overrides)
 * overlapping [from, to), as they are read, in start order (then id); the
 * series that may reach into it with their overrides, whole. */
int store_appt_singles_each(struct store *s, long long patient_id, long long from, long long to,
                            store_appt_fn *fn, void *ctx, struct err *e);
int store_appt_series(struct store *s, long long patient_id, long long from, long long to,
                      struct appointment_list *out, struct err *e);
/* The same two parts for the patients patient_id..to_id (on their index:
 * those patients' rows, not every patient's of the days). */
int store_appt_singles_range(struct store *s, long long patient_id, long long to_id, long long from,
                             long long to, store_appt_fn *fn, void *ctx, struct err *e);
int store_appt_series_range(struct store *s, long long patient_id, long long to_id, long long from,
                            long long to, struct appointment_list *out, struct err *e);
/* The overrides among those single events, in start order. */
int store_appt_overrides(struct store *s, long long patient_id, long long from, long long to,
                         struct appointment_list *out, struct err *e);
/* The zones (tzid) of every single event, each once, by name, one look-up
 * each on appointment_zone (not a walk of the appointments). */
int store_appt_zones(struct store *s, struct strlist *out, struct err *e);

/* ---- tasks ---- */
int store_task_add(struct store *s, struct task *t, struct err *e);
int store_task_get(struct store *s, long long id, struct task *out, struct err *e);
/* Write every field of t but its owner, if t->version is still the row's
 * (ERR_CONFLICT naming who changed it, when and what, otherwise). */
int store_task_update(struct store *s, const struct task *t, struct err *e);
struct task_query {
	long long patient_id;  /* 0: all */
	long long plan_id;     /* 0: any; else only that care plan's tasks */
	bool all_statuses;     /* false: open tasks only */
	const char *due_to;    /* due on or before (YYYY-MM-DD), or NULL */
	int limit;
	/* the team's views (store_team.h): at most one of owner, owned and
	 * unowned_on */
	const char *owner;     /* only this login's */
	bool owned;            /* only tasks someone owns */
	const char *unowned_on;/* only tasks no one owns, and those of people
	                          out on this day (YYYY-MM-DD) */
	bool on_hold;          /* only on-hold ones */
	long long done_from, done_to;  /* only those completed in [from, to) */
};
/* Ordered by due date (undated last), then id. */
int store_task_list(struct store *s, const struct task_query *q,
                    struct task_list *out, struct err *e);
typedef int store_task_fn(void *ctx, struct task *t);
int store_task_each(struct store *s, const struct task_query *q, store_task_fn *fn, void *ctx,
                    struct err *e);

/* ---- timeline ---- */
int store_entry_add(struct store *s, struct entry *en, struct err *e);
int store_entry_get(struct store *s, long long id, struct entry *out, struct err *e);
/* A patient's entries with at in [from, to) (0: open end), by time. */
int store_entry_list(struct store *s, long long patient_id, long long from,
                     long long to, int limit, struct entry_list *out, struct err *e);
/* Acknowledged at `at`, if the entry is still at `version` and not
 * acknowledged yet: ERR_CONFLICT naming who changed it and what (from
 * the audit) otherwise. */
int store_entry_mark_reviewed(struct store *s, long long id, long long at, long long version,
                              struct err *e);

/* ---- time log ---- */
int store_time_add(struct store *s, struct time_entry *t, struct err *e);
/* Minutes logged for a patient with day in [from, to] (YYYY-MM-DD). */
int store_time_minutes(struct store *s, long long patient_id, const char *from,
                       const char *to, long long *minutes, struct err *e);
int store_time_list(struct store *s, long long patient_id, struct time_list *out,
                    struct err *e);

#endif
