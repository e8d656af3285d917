/* store: opening, migrating, transactions, statements and the audit. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caseload/safefile.h"
#include "store_internal.h"

long long store_now(void)
{
	return (long long)time(NULL);
}

char *store_default_path(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	if (x && *x == '/')
		return xasprintf("%s/caseload/caseload.db", x);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/caseload/caseload.db", home && *home ? home : ".");
}

int store_schema_version(void)
{
	return store_n_migrations;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

const char *store_user(const struct store *s)
{
	return s->user;
}

int st_error(struct store *s, int rc, struct err *e)
{
	const char *m = sqlite3_errmsg(s->db);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, ERR_FAIL, "%s: the database is busy (another caseload is "
		               "writing); nothing was changed, try again", s->path);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return err_set(e, ERR_FAIL, "%s: the database file is damaged (%s); "
		               "restore it from a backup", s->path, m);
	case SQLITE_CONSTRAINT:
		if (strstr(m, "UNIQUE") && strstr(m, "mrn"))
			return err_set(e, ERR_CONFLICT, "another patient already has that MRN");
		if (strstr(m, "UNIQUE"))
			return err_set(e, ERR_CONFLICT, "that record exists already");
		if (strstr(m, "FOREIGN KEY"))
			return err_set(e, ERR_NOTFOUND, "a record it refers to does not exist");
		return err_set(e, ERR_FAIL, "refused by the database: %s", m);
	case SQLITE_FULL:
		return err_set(e, ERR_FAIL, "%s: the disk is full; nothing was changed", s->path);
	case SQLITE_IOERR: {
		/* no room (a full disk, a quota, a file size limit) or no right
		 * to write: SQLite keeps the errno only now and then */
		int sys = sqlite3_system_errno(s->db);
		bool known = sys == ENOSPC || sys == EFBIG || sys == EDQUOT || sys == EPERM ||
		             sys == EACCES || sys == EROFS;
		if (known || rc == SQLITE_IOERR_WRITE)
			return err_set(e, ERR_FAIL, "%s: cannot write the database (%s); nothing was "
			               "changed", s->path, known ? strerror(sys) :
			               "disk I/O error: the disk may be full or the file read-only");
		return err_set(e, ERR_FAIL, "%s: %s", s->path, m);
	}
	default:
		return err_set(e, ERR_FAIL, "%s: %s", s->path, m);
	}
}

sqlite3_stmt *st_prep(struct store *s, const char *sql, struct err *e)
{
	for (size_t i = 0; i < s->n_cache; i++) {
		sqlite3_stmt *hit = s->cache[i].st;
		if (s->cache[i].sql == sql && hit) {   /* a cached statement is never NULL */
			sqlite3_reset(hit);
			sqlite3_clear_bindings(hit);
			return hit;
		}
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		st_error(s, rc, e);
		return NULL;
	}
	if (!st) {   /* SQLite's answer to a text with no statement in it */
		err_set(e, ERR_FAIL, "%s: an empty SQL statement", s->path);
		return NULL;
	}
	void *p = s->cache;
	xgrow(&p, &s->cap_cache, s->n_cache + 1, sizeof *s->cache);
	s->cache = p;
	s->cache[s->n_cache++] = (struct stmt_cache){sql, st, NULL};
	return st;
}

static void q_param(struct sqlq *q)
{
	if (q->n == SQLQ_MAX_PARAMS)
		abort();   /* a fragment table larger than its statement: a bug */
	buf_addf(&q->sql, "?%d", ++q->n);
}

void q_sql(struct sqlq *q, const char *frag)
{
	buf_add(&q->sql, frag);
}

void q_where(struct sqlq *q, const char *cond)
{
	buf_add(&q->sql, q->where ? " AND " : " WHERE ");
	buf_add(&q->sql, cond);
	q->where = true;
}

void q_text(struct sqlq *q, const char *v)
{
	q_param(q);
	q->v[q->n - 1].text = true;
	q->v[q->n - 1].s = v;
}

void q_int(struct sqlq *q, long long v)
{
	q_param(q);
	q->v[q->n - 1].text = false;
	q->v[q->n - 1].i = v;
}

void sq_free(struct sqlq *q)
{
	buf_free(&q->sql);
	q->n = 0;
	q->where = false;
}

sqlite3_stmt *sq_prep(struct store *s, struct sqlq *q, struct err *e)
{
	sqlite3_stmt *st = NULL;
	for (size_t i = 0; i < s->n_cache && !st; i++)
		if (s->cache[i].built && strcmp(s->cache[i].built, q->sql.s) == 0) {
			st = s->cache[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
		}
	if (!st) {
		int rc = sqlite3_prepare_v3(s->db, q->sql.s, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		if (rc != SQLITE_OK) {
			st_error(s, rc, e);
			sq_free(q);
			return NULL;
		}
		void *p = s->cache;
		xgrow(&p, &s->cap_cache, s->n_cache + 1, sizeof *s->cache);
		s->cache = p;
		char *text = buf_steal(&q->sql);
		s->cache[s->n_cache++] = (struct stmt_cache){text, st, text};
	}
	for (int i = 0; i < q->n; i++) {
		if (q->v[i].text)
			bind_text(st, i + 1, q->v[i].s);
		else
			bind_int(st, i + 1, q->v[i].i);
	}
	sq_free(q);
	return st;
}

int st_step(struct store *s, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	rc = st_error(s, rc, e);
	sqlite3_reset(st);
	return rc;
}

int st_exec(struct store *s, sqlite3_stmt *st, struct err *e)
{
	int rc = st_step(s, st, e);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void bind_int(sqlite3_stmt *st, int i, long long v)
{
	sqlite3_bind_int64(st, i, v);
}

void bind_id(sqlite3_stmt *st, int i, long long v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

long long col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/* Statements run once (PRAGMAs, migrations) go through here. */
static int exec_sql(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : st_error(s, rc, e);
}

static long long pragma_int(struct store *s, const char *sql, int *rc_out)
{
	sqlite3_stmt *st = NULL;
	long long v = 0;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			v = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	*rc_out = rc;
	return v;
}

/* Transactions are run for every row written, so their statements are
 * prepared once like any other.  Savepoints may share one name: RELEASE
 * and ROLLBACK TO act on the innermost of that name. */
static int tx(struct store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = st_prep(s, sql, e);
	return st ? st_exec(s, st, e) : e->code;
}

int store_begin(struct store *s, struct err *e)
{
	if (s->problem && !s->repairing)
		return err_set(e, ERR_FAIL, "%s", s->problem);
	if (s->depth > 0 && s->bulk) {
		s->depth++;
		return 0;
	}
	int rc = tx(s, s->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT sp", e);
	if (rc == 0)
		s->depth++;
	return rc;
}

int store_cache_kb(struct store *s, int kb, struct err *e)
{
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = %s",
	         kb > 0 ? kb : STORE_CACHE_DEFAULT_KB, kb > STORE_CACHE_DEFAULT_KB ? "MEMORY" : "DEFAULT");
	return exec_sql(s, sql, e);
}

int store_begin_bulk(struct store *s, struct err *e)
{
	bool outer = s->depth == 0;
	int rc = store_begin(s, e);
	if (rc == 0 && outer)
		s->bulk = true, s->bulk_failed = false;
	return rc;
}

int store_begin_read(struct store *s, struct err *e)
{
	int rc = tx(s, s->depth == 0 ? "BEGIN DEFERRED" : "SAVEPOINT sp", e);
	if (rc == 0)
		s->depth++;
	return rc;
}

int store_commit(struct store *s, struct err *e)
{
	if (s->depth <= 0)
		return err_set(e, ERR_FAIL, "commit without a transaction");
	if (s->bulk && s->depth > 1) {
		s->depth--;
		return 0;
	}
	if (s->bulk && s->bulk_failed) {
		store_rollback(s);
		return err_set(e, ERR_FAIL, "a write inside the transaction failed; nothing was "
		               "written");
	}
	if (s->depth == 1 && s->head_dirty && audit_write_head(s, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	int rc = tx(s, s->depth == 1 ? "COMMIT" : "RELEASE sp", e);
	if (rc == 0) {
		s->depth--;
		if (s->depth == 0)
			s->bulk = false, s->tail_valid = false;
	} else {
		store_rollback(s);
	}
	return rc;
}

void store_rollback(struct store *s)
{
	struct err ignore;
	if (s->depth <= 0)
		return;
	s->tail_valid = false;        /* the rows it knew may be gone */
	if (s->depth == 1) {
		tx(s, "ROLLBACK", &ignore);
		s->bulk = false;
		s->head_dirty = false;
	} else if (s->bulk) {
		s->bulk_failed = true;   /* no savepoint to go back to: all of it goes */
	} else {
		tx(s, "ROLLBACK TO sp", &ignore);
		tx(s, "RELEASE sp", &ignore);
	}
	s->depth--;
	s->max_span = -1;   /* what it cached may have been rolled back */
}

/* Before the audit is chained (migrations 1 to audit_chain_version()-1
 * on a new database): a row without a hash, sealed later. */
static int audit_plain(struct store *s, const struct audit_fields *f, struct err *e)
{
	static const char sql[] =
		"INSERT INTO audit(at, who, action, tbl, row_id, detail) VALUES (?,?,?,?,?,?)";
	sqlite3_stmt *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->at);
	bind_text(st, 2, f->who);
	bind_text(st, 3, f->action);
	bind_text(st, 4, f->tbl);
	bind_id(st, 5, f->row_id);
	bind_text(st, 6, f->detail);
	return st_exec(s, st, e);
}

int audit_last(struct store *s, long long *id, char hash[AUDIT_HASH_HEX], struct err *e)
{
	static const char last[] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = st_prep(s, last, e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	if (rc < 0)
		return rc;
	*id = 0;
	hash[0] = '\0';
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 1);
		*id = col_int(st, 0);
		snprintf(hash, AUDIT_HASH_HEX, "%s", h ? (const char *)h : "");
	}
	sqlite3_reset(st);
	return 0;
}

/* The audit's last row, as this transaction knows it. */
static int audit_tail(struct store *s, struct err *e)
{
	if (s->tail_valid)
		return 0;
	if (audit_last(s, &s->tail_id, s->tail_hash, e) < 0)
		return e->code;
	s->tail_valid = true;
	return 0;
}

int audit_write_head(struct store *s, struct err *e)
{
	static const char head[] =
		"INSERT INTO meta(key, value) VALUES ('audit_head', ?1) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	if (audit_tail(s, e) < 0)
		return e->code;
	sqlite3_stmt *st = st_prep(s, head, e);
	if (!st)
		return e->code;
	char value[AUDIT_HASH_HEX + 24];
	snprintf(value, sizeof value, "%lld %s", s->tail_id, s->tail_hash);
	bind_text(st, 1, value);
	if (st_exec(s, st, e) < 0)
		return e->code;
	s->head_dirty = false;
	return 0;
}

/* The chained row: the next id after the last row, its hash over that
 * row's stored hash and its own fields (audit_row_hash); meta's
 * audit_head moves to it when the transaction commits. */
static int audit_chained(struct store *s, struct audit_fields *f, struct err *e)
{
	static const char ins[] =
		"INSERT INTO audit(id, at, who, action, tbl, row_id, detail, hash) "
		"VALUES (?,?,?,?,?,?,?,?)";
	if (audit_tail(s, e) < 0)
		return e->code;
	char hash[AUDIT_HASH_HEX];
	f->id = s->tail_id + 1;
	audit_row_hash(s->tail_hash, f, hash);
	sqlite3_stmt *st = st_prep(s, ins, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->id);
	bind_int(st, 2, f->at);
	bind_text(st, 3, f->who);
	bind_text(st, 4, f->action);
	bind_text(st, 5, f->tbl);
	bind_id(st, 6, f->row_id);
	bind_text(st, 7, f->detail);
	bind_text(st, 8, hash);
	if (st_exec(s, st, e) < 0) {
		s->tail_valid = false;
		return e->code;
	}
	s->tail_id = f->id;
	memcpy(s->tail_hash, hash, sizeof hash);
	s->head_dirty = true;
	return 0;
}

int store_audit(struct store *s, const char *action, const char *tbl,
                long long row_id, const char *detail, struct err *e)
{
	struct audit_fields f = {.at = store_now(), .row_id = row_id, .has_row_id = row_id != 0,
	                         .who = s->user, .action = action, .tbl = tbl, .detail = detail};
	if (!s->chain)
		return audit_plain(s, &f, e);
	/* reading the last row and writing the next one is one step */
	bool own = s->depth == 0;
	if (own && store_begin(s, e) < 0)
		return e->code;
	int rc = audit_chained(s, &f, e);
	if (own && rc < 0)
		store_rollback(s);
	else if (own)
		rc = store_commit(s, e);
	return rc;
}

int st_insert(struct store *s, sqlite3_stmt *st, const char *tbl, const char *detail,
              long long *id, struct err *e)
{
	if (st_exec(s, st, e) < 0)
		return e->code;
	*id = sqlite3_last_insert_rowid(s->db);
	return store_audit(s, "insert", tbl, *id, detail, e);
}

int store_exists(struct store *s, const char *tbl, long long id, struct err *e)
{
	static const struct {
		const char *tbl, *what, *sql;
	} q[] = {
		{"patient", "patient", "SELECT 1 FROM patient WHERE id = ?"},
		{"contact", "contact", "SELECT 1 FROM contact WHERE id = ?"},
		{"appointment", "appointment", "SELECT 1 FROM appointment WHERE id = ?"},
		{"task", "task", "SELECT 1 FROM task WHERE id = ?"},
		{"entry", "timeline entry", "SELECT 1 FROM entry WHERE id = ?"},
		{"medication", "medication", "SELECT 1 FROM medication WHERE id = ?"},
		{"care_plan", "care plan", "SELECT 1 FROM care_plan WHERE id = ?"},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
		if (strcmp(q[i].tbl, tbl) != 0)
			continue;
		sqlite3_stmt *st = st_prep(s, q[i].sql, e);
		if (!st)
			return e->code;
		bind_int(st, 1, id);
		int rc = st_step(s, st, e);
		sqlite3_reset(st);
		if (rc < 0)
			return rc;
		if (rc != SQLITE_ROW)
			return err_set(e, ERR_NOTFOUND, "no %s with id %lld", q[i].what, id);
		return 0;
	}
	return err_set(e, ERR_FAIL, "store_exists: unknown table %s", tbl);
}

/* Waiting for another process's write: a look every BUSY_STEP_MS for
 * BUSY_TRIES looks (10 s), so that a writer takes the lock in the pause an
 * import makes between its short transactions (SQLite's own timeout
 * looks ever less often, up to every 100 ms, and would miss it). */
#define BUSY_STEP_MS 2
#define BUSY_TRIES 5000
static int busy_wait(void *ctx, int tries)
{
	(void)ctx;
	if (tries >= BUSY_TRIES)
		return 0;
	struct timespec pause = {0, BUSY_STEP_MS * 1000000L};
	nanosleep(&pause, NULL);
	return 1;
}

/* Create the parent directory (0700) when it is missing. */
static int make_parent(const char *path, struct err *e)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; *p; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				break;
			*p = '/';
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			rc = err_set(e, ERR_FAIL, "cannot create directory %s: %s", dir, strerror(errno));
	}
	free(dir);
	return rc;
}

int st_migrate(struct store *s, int from, int to, struct err *e)
{
	for (int v = from; v < to; v++) {
		char sql[96];
		if (store_begin(s, e) < 0)
			return e->code;
		/* another process may have migrated while this one waited */
		int vrc;
		if (pragma_int(s, "PRAGMA user_version", &vrc) > v) {
			store_rollback(s);
			continue;
		}
		s->chain = v + 1 > audit_chain_version();
		int rc = exec_sql(s, store_migrations[v].sql, e);
		if (rc == 0 && store_migrations[v].after)
			rc = store_migrations[v].after(s, e);
		if (rc == 0) {
			snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d",
			         v + 1, STORE_APPLICATION_ID);
			rc = exec_sql(s, sql, e);
		}
		if (rc == 0) {
			snprintf(sql, sizeof sql, "migrate to schema %d", v + 1);
			rc = store_audit(s, "migrate", "schema", v + 1, sql, e);
		}
		if (rc < 0) {
			store_rollback(s);
			s->chain = v >= audit_chain_version();
			char prev[sizeof e->msg];
			snprintf(prev, sizeof prev, "%s", e->msg);
			return err_set(e, ERR_FAIL, "%s: migration to schema %d failed: %s",
			               s->path, v + 1, prev);
		}
		if (store_commit(s, e) < 0)
			return e->code;
	}
	return 0;
}

static int protect(struct store *s, struct err *e);

int store_open(struct store **out, const char *path, const struct store_opts *o,
               struct err *e)
{
	static const struct store_opts none = {0};
	if (!o)
		o = &none;
	*out = NULL;
	struct stat st;
	bool exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return err_set(e, ERR_USAGE, "%s is a directory, not a database file", path);
	if (!exists && o->no_create)
		return err_set(e, ERR_NOTFOUND, "%s: no such database (create it with 'caseload init')",
		               path);
	if (!exists) {
		if (make_parent(path, e) < 0)
			return e->code;
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return err_set(e, ERR_FAIL, "cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}

	if (sodium_init() < 0)
		return err_set(e, ERR_FAIL, "cannot start libsodium (the audit's hashes)");
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->max_span = -1;
	s->user = xstrdup(o->user && *o->user ? o->user : "unknown");
	/* one thread uses a connection: no mutex around each of its calls */
	int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_FAIL, "cannot open %s: %s", path,
		        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		store_close(&s);
		return ERR_FAIL;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_handler(s->db, busy_wait, NULL);

	/* Is it ours?  An SQLite header is checked by the first read. */
	long long appid = pragma_int(s, "PRAGMA application_id", &rc);
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_NOTADB)
			err_set(e, ERR_FAIL, "%s is not a caseload database (not an SQLite file)", path);
		else
			st_error(s, rc, e);
		store_close(&s);
		return ERR_FAIL;
	}
	long long version = pragma_int(s, "PRAGMA user_version", &rc);
	long long tables = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &rc);
	if (rc != SQLITE_OK) {
		st_error(s, rc, e);
		store_close(&s);
		return ERR_FAIL;
	}
	if (appid != STORE_APPLICATION_ID && (tables > 0 || version > 0)) {
		err_set(e, ERR_FAIL, "%s is an SQLite database, but not a caseload database", path);
		store_close(&s);
		return ERR_FAIL;
	}
	if (version > store_n_migrations) {
		err_set(e, ERR_FAIL, "%s has schema version %lld, newer than this caseload "
		        "understands (%d); use a newer caseload", path, version, store_n_migrations);
		store_close(&s);
		return ERR_FAIL;
	}
	/* 16 MiB of page cache (SQLite's default is 2): the panes and the
	 * daily review read the same indexes over and over */
	if (exec_sql(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
	                "PRAGMA cache_size = -16384", e) < 0) {
		store_close(&s);
		return ERR_FAIL;
	}
	/* WAL is a property of the file; a database in WAL mode says so. */
	if (exec_sql(s, "PRAGMA journal_mode = WAL", e) < 0) {
		store_close(&s);
		return ERR_FAIL;
	}
	int target = o->migrate_to > 0 && o->migrate_to < store_n_migrations ? o->migrate_to
	                                                                     : store_n_migrations;
	s->chain = version >= audit_chain_version();
	if (version < target && st_migrate(s, (int)version, target, e) < 0) {
		store_close(&s);
		return ERR_FAIL;
	}
	if (target == store_n_migrations && protect(s, e) < 0) {
		store_close(&s);
		return ERR_FAIL;
	}
	*out = s;
	return 0;
}

/* A database whose protections are missing (a trigger dropped, the
 * schema not the one this caseload makes, the audit's last rows not the
 * ones it wrote) refuses writes, the audit rows of reads included, until
 * `caseload check` has reported it and put back what it can. */
static int protect(struct store *s, struct err *e)
{
	struct strlist p = {0};
	if (audit_protections(s, &p, e) < 0) {
		strlist_free(&p);
		return e->code;
	}
	free(s->problem);
	s->problem = NULL;
	if (p.len)
		s->problem = xasprintf("%s: its protections are not intact (%s%s): caseload will not "
		                       "write to it, nor show patient data (reads are recorded), until "
		                       "you run 'caseload check'", s->path, p.items[0],
		                       p.len > 1 ? ", and more" : "");
	strlist_free(&p);
	return 0;
}

int store_recheck(struct store *s, struct err *e)
{
	return protect(s, e);
}

const char *store_problem(const struct store *s)
{
	return s->problem;
}

void store_close(struct store **sp)
{
	struct store *s = *sp;
	if (!s)
		return;
	while (s->depth > 0)
		store_rollback(s);
	for (size_t i = 0; i < s->n_cache; i++) {
		sqlite3_finalize(s->cache[i].st);
		free(s->cache[i].built);
	}
	free(s->cache);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s->user);
	free(s->problem);
	free(s);
	*sp = NULL;
}

int store_version(struct store *s)
{
	int rc;
	return (int)pragma_int(s, "PRAGMA user_version", &rc);
}

long long store_data_version(struct store *s)
{
	struct err e;
	sqlite3_stmt *st = st_prep(s, "PRAGMA data_version", &e);
	if (!st)
		return -1;
	long long v = st_step(s, st, &e) == SQLITE_ROW ? col_int(st, 0) : -1;
	sqlite3_reset(st);
	return v;
}

int store_meta_get(struct store *s, const char *key, char **value, struct err *e)
{
	static const char sql[] = "SELECT CAST(value AS TEXT) FROM meta WHERE key = ?1";
	*value = NULL;
	sqlite3_stmt *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, key);
	int rc = st_step(s, st, e);
	if (rc == SQLITE_ROW)
		*value = col_text(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
	static const char sql[] =
		"INSERT INTO meta(key, value) VALUES (?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	sqlite3_stmt *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return st_exec(s, st, e) < 0 ? e->code : 0;
}

int store_check(struct store *s, struct strlist *problems, struct err *e)
{
	static const char *const checks[] = {"PRAGMA integrity_check",
	                                     "PRAGMA foreign_key_check"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(s->db, checks[i], -1, &st, NULL);
		if (rc != SQLITE_OK)
			return st_error(s, rc, e);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			if (i == 0 && t && !strcmp(t, "ok"))
				continue;
			if (i == 0)
				strlist_add(problems, t ? t : "?");
			else {
				char *m = xasprintf("%s row %lld refers to a missing %s row",
				                    sqlite3_column_text(st, 0),
				                    (long long)sqlite3_column_int64(st, 1),
				                    sqlite3_column_text(st, 2));
				strlist_add(problems, m);
				free(m);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return st_error(s, rc, e);
	}
	return 0;
}

/* Is dest the database or one of the files SQLite keeps beside it?
 * Replacing one of them would pull the database from under every open
 * connection. */
static bool is_own_file(const struct store *s, const char *dest)
{
	struct stat d, o;
	if (stat(dest, &d) < 0)
		return false;
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char *p = xasprintf("%s%s", s->path, suffix[i]);
		bool same = stat(p, &o) == 0 && o.st_dev == d.st_dev && o.st_ino == d.st_ino;
		free(p);
		if (same)
			return true;
	}
	return false;
}

/* Remove what SQLite may have left beside a failed copy. */
static void remove_sidecars(const char *path)
{
	static const char *const suffix[] = {"-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);
		unlink(p);
		free(p);
	}
}

/* Copy the database page by page into `to` with the online backup API. */
static int copy_pages(struct store *s, sqlite3 *to)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", s->db, "main");
	if (!b)
		return sqlite3_errcode(to);
	int rc;
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int store_backup(struct store *s, const char *dest, bool replace, struct err *e)
{
	/* a backup is recorded like any read: refused when it could not be */
	if (s->problem)
		return err_set(e, ERR_FAIL, "%s", s->problem);
	if (is_own_file(s, dest))
		return err_set(e, ERR_USAGE, "%s is the database itself (or its journal): "
		               "back up to another file", dest);
	/* SQLite writes the copy into safefile's temporary file (0600, new),
	 * which is renamed over dest only once it is whole */
	struct safefile sf;
	if (safefile_open(&sf, dest, replace ? SAFEFILE_REPLACE : 0, e) < 0)
		return e->code;
	sqlite3 *to = NULL;
	int rc = sqlite3_open_v2(sf.tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc == SQLITE_OK)
		rc = copy_pages(s, to);
	if (rc != SQLITE_OK) {
		/* a full disk or a size limit: the system's words say which */
		int sys = to && (rc & 0xff) == SQLITE_IOERR ? sqlite3_system_errno(to) : 0;
		err_set(e, ERR_FAIL, "backup to %s failed: %s; %s", dest,
		        sys ? strerror(sys) : to ? sqlite3_errmsg(to) : sqlite3_errstr(rc),
		        sf.existed ? "the file there is as it was" : "no file was made");
		sqlite3_close(to);
		remove_sidecars(sf.tmp);
		safefile_abort(&sf);
		return ERR_FAIL;
	}
	rc = sqlite3_close(to);
	remove_sidecars(sf.tmp);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_FAIL, "backup to %s failed: %s", dest, sqlite3_errstr(rc));
		safefile_abort(&sf);
		return ERR_FAIL;
	}
	if (safefile_commit(&sf, e) < 0)
		return e->code;
	return store_audit(s, "backup", "database", 0, NULL, e);
}

/* Each audit row of st (id, at, who, action, tbl, row_id, detail) to fn. */
int audit_each(struct store *s, sqlite3_stmt *st, store_audit_fn *fn, void *ctx, struct err *e)
{
	int rc;
	while ((rc = st_step(s, st, e)) == SQLITE_ROW) {
		struct audit_row a = {0};
		a.id = col_int(st, 0);
		a.at = col_int(st, 1);
		a.who = col_text(st, 2);
		a.action = col_text(st, 3);
		a.tbl = col_text(st, 4);
		a.row_id = col_int(st, 5);
		a.detail = col_text(st, 6);
		rc = fn(ctx, &a);
		audit_row_clear(&a);
		if (rc < 0)
			break;
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

int audit_push(void *list, struct audit_row *a)
{
	*LIST_PUSH((struct audit_list *)list) = *a;
	*a = (struct audit_row){0};
	return 0;
}

int store_audit_each(struct store *s, const char *tbl, long long row_id, int limit,
                     store_audit_fn *fn, void *ctx, struct err *e)
{
	/* the newest first, of one table (and row) on audit_row */
	struct sqlq b = {0};
	q_sql(&b, "SELECT id, at, who, action, tbl, row_id, detail FROM audit");
	if (tbl) {
		q_where(&b, "tbl = ");
		q_text(&b, tbl);
	}
	if (row_id) {
		q_where(&b, "row_id = ");
		q_int(&b, row_id);
	}
	q_sql(&b, " ORDER BY id DESC LIMIT ");
	q_int(&b, limit > 0 ? limit : -1);
	sqlite3_stmt *st = sq_prep(s, &b, e);
	if (!st)
		return e->code;
	return audit_each(s, st, fn, ctx, e);
}

int store_audit_list(struct store *s, const char *tbl, long long row_id, int limit,
                     struct audit_list *out, struct err *e)
{
	return store_audit_each(s, tbl, row_id, limit, audit_push, out, e);
}

void audit_row_clear(struct audit_row *a)
{
	free(a->who);
	free(a->action);
	free(a->tbl);
	free(a->detail);
	memset(a, 0, sizeof *a);
}

void audit_list_free(struct audit_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		audit_row_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}
