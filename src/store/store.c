/* store: opening, migrating, transactions, statements and the audit. */
#include <errno.h>
#include <fcntl.h>
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
	for (size_t i = 0; i < s->n_cache; i++)
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		st_error(s, rc, e);
		return NULL;
	}
	void *p = s->cache;
	xgrow(&p, &s->cap_cache, s->n_cache + 1, sizeof *s->cache);
	s->cache = p;
	s->cache[s->n_cache++] = (struct stmt_cache){sql, st};
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
	int rc = tx(s, s->depth == 1 ? "COMMIT" : "RELEASE sp", e);
	if (rc == 0) {
		s->depth--;
		if (s->depth == 0)
			s->bulk = false;
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
	if (s->depth == 1) {
		tx(s, "ROLLBACK", &ignore);
		s->bulk = false;
	} else if (s->bulk) {
		s->bulk_failed = true;   /* no savepoint to go back to: all of it goes */
	} else {
		tx(s, "ROLLBACK TO sp", &ignore);
		tx(s, "RELEASE sp", &ignore);
	}
	s->depth--;
	s->max_span = -1;   /* what it cached may have been rolled back */
}

int store_audit(struct store *s, const char *action, const char *tbl,
                long long row_id, const char *detail, struct err *e)
{
	static const char sql[] =
		"INSERT INTO audit(at, who, action, tbl, row_id, detail) VALUES (?,?,?,?,?,?)";
	sqlite3_stmt *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, store_now());
	bind_text(st, 2, s->user);
	bind_text(st, 3, action);
	bind_text(st, 4, tbl);
	bind_id(st, 5, row_id);
	bind_text(st, 6, detail);
	return st_exec(s, st, e);
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

static int migrate(struct store *s, int from, int to, struct err *e)
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
	sqlite3_busy_timeout(s->db, 10000);

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
	if (version < target && migrate(s, (int)version, target, e) < 0) {
		store_close(&s);
		return ERR_FAIL;
	}
	*out = s;
	return 0;
}

void store_close(struct store **sp)
{
	struct store *s = *sp;
	if (!s)
		return;
	while (s->depth > 0)
		store_rollback(s);
	for (size_t i = 0; i < s->n_cache; i++)
		sqlite3_finalize(s->cache[i].st);
	free(s->cache);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s->user);
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

int store_audit_list(struct store *s, const char *tbl, long long row_id, int limit,
                     struct audit_list *out, struct err *e)
{
	static const char sql[] =
		"SELECT id, at, who, action, tbl, row_id, detail FROM audit "
		"WHERE (?1 IS NULL OR tbl = ?1) AND (?2 = 0 OR row_id = ?2) "
		"ORDER BY id DESC LIMIT ?3";
	sqlite3_stmt *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, tbl);
	bind_int(st, 2, row_id);
	bind_int(st, 3, limit > 0 ? limit : -1);
	int rc;
	while ((rc = st_step(s, st, e)) == SQLITE_ROW) {
		struct audit_row *a = LIST_PUSH(out);
		a->id = col_int(st, 0);
		a->at = col_int(st, 1);
		a->who = col_text(st, 2);
		a->action = col_text(st, 3);
		a->tbl = col_text(st, 4);
		a->row_id = col_int(st, 5);
		a->detail = col_text(st, 6);
	}
	sqlite3_reset(st);
	return rc < 0 ? rc : 0;
}

void audit_list_free(struct audit_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].who);
		free(l->items[i].action);
		free(l->items[i].tbl);
		free(l->items[i].detail);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}
