/* drv_sqlite: the store's driver for one SQLite file (the default).
 * Statements are SQLite's own, prepared once per text and kept; ?N is
 * SQLite's positional placeholder already; a write transaction is BEGIN
 * IMMEDIATE with a busy timeout, so two writers queue. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caseload/safefile.h"
#include "store_internal.h"

struct sqst {
	struct dbst h;
	sqlite3_stmt *st;
};

static sqlite3 *DB(struct store *s)
{
	return s->db;
}

static sqlite3_stmt *ST(struct dbst *st)
{
	return ((struct sqst *)st)->st;
}

/* The connection's last error as a sentence for e (names constraint
 * failures the way the program's messages do). */
static int sq_error(struct store *s, int rc, struct err *e)
{
	const char *m = sqlite3_errmsg(DB(s));
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
		int sys = sqlite3_system_errno(DB(s));
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

static struct dbst *sq_prepare(struct store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(DB(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		sq_error(s, rc, e);
		return NULL;
	}
	if (!st) {   /* SQLite's answer to a text with no statement in it */
		err_set(e, ERR_FAIL, "%s: an empty SQL statement", s->path);
		return NULL;
	}
	struct sqst *q = xcalloc(1, sizeof *q);
	q->h.s = s;
	q->st = st;
	return &q->h;
}

static void sq_finalize(struct dbst *st)
{
	sqlite3_finalize(ST(st));
	free(st);
}

static int sq_step(struct dbst *st, struct err *e)
{
	int rc = sqlite3_step(ST(st));
	if (rc == SQLITE_ROW)
		return ST_ROW;
	if (rc == SQLITE_DONE)
		return ST_DONE;
	rc = sq_error(st->s, rc, e);
	sqlite3_reset(ST(st));
	return rc;
}

static void sq_reset(struct dbst *st)
{
	sqlite3_reset(ST(st));
	sqlite3_clear_bindings(ST(st));
}

static void sq_bind_text(struct dbst *st, int i, const char *v, bool ref)
{
	if (v)
		sqlite3_bind_text(ST(st), i, v, -1, ref ? SQLITE_STATIC : SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(ST(st), i);
}

static void sq_bind_int(struct dbst *st, int i, long long v)
{
	sqlite3_bind_int64(ST(st), i, v);
}

static const char *sq_col_str(struct dbst *st, int i)
{
	return (const char *)sqlite3_column_text(ST(st), i);
}

static long long sq_col_int(struct dbst *st, int i)
{
	return sqlite3_column_int64(ST(st), i);
}

static bool sq_col_null(struct dbst *st, int i)
{
	return sqlite3_column_type(ST(st), i) == SQLITE_NULL;
}

static long long sq_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(DB(s));
}

static int sq_exec(struct store *s, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(DB(s), sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : sq_error(s, rc, e);
}

/* A number from a statement run once (a PRAGMA). */
static long long pragma_int(struct store *s, const char *sql, int *rc_out)
{
	sqlite3_stmt *st = NULL;
	long long v = 0;
	int rc = sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL);
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
static int sq_tx(struct store *s, enum tx_kind k, struct err *e)
{
	static const char *const sql[] = {
		[TX_BEGIN_WRITE] = "BEGIN IMMEDIATE", [TX_BEGIN_READ] = "BEGIN DEFERRED",
		[TX_SAVEPOINT] = "SAVEPOINT sp", [TX_RELEASE] = "RELEASE sp",
		[TX_ROLLBACK_TO] = "ROLLBACK TO sp", [TX_COMMIT] = "COMMIT",
		[TX_ROLLBACK] = "ROLLBACK",
	};
	/* The TEMP database's pages (review_need) go to no file until they
	 * spill, so SQLite keeps them on its dirty list and walks that list at
	 * the end of every later write transaction (BEGIN IMMEDIATE takes in
	 * TEMP too): a cost per key that grows with the caseload.  A commit that
	 * wrote them first writes them out to TEMP's own file. */
	if (k == TX_COMMIT && sqlite3_txn_state(DB(s), "temp") == SQLITE_TXN_WRITE) {
		int rc = sqlite3_db_cacheflush(DB(s));
		if (rc != SQLITE_OK)
			return sq_error(s, rc, e);
	}
	struct dbst *st = st_prep(s, sql[k], e);
	return st ? st_exec(s, st, e) : e->code;
}

static int sq_version(struct store *s, long long *version, long long *appid,
                      long long *objects, struct err *e)
{
	int rc;
	/* Is it ours?  An SQLite header is checked by the first read. */
	*appid = pragma_int(s, "PRAGMA application_id", &rc);
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_NOTADB)
			return err_set(e, ERR_FAIL, "%s is not a caseload database (not an SQLite file)",
			               s->path);
		return sq_error(s, rc, e);
	}
	*version = pragma_int(s, "PRAGMA user_version", &rc);
	if (rc == SQLITE_OK)
		*objects = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &rc);
	return rc == SQLITE_OK ? 0 : sq_error(s, rc, e);
}

static int sq_set_version(struct store *s, int version, struct err *e)
{
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d",
	         version, STORE_APPLICATION_ID);
	return sq_exec(s, sql, e);
}

static long long sq_data_version(struct store *s)
{
	struct err e;
	struct dbst *st = st_prep(s, "PRAGMA data_version", &e);
	if (!st)
		return -1;
	long long v = st_step(s, st, &e) == ST_ROW ? col_int(st, 0) : -1;
	st_reset(st);
	return v;
}

static int sq_check(struct store *s, struct strlist *problems, struct err *e)
{
	static const char *const checks[] = {"PRAGMA integrity_check",
	                                     "PRAGMA foreign_key_check"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(DB(s), checks[i], -1, &st, NULL);
		if (rc != SQLITE_OK)
			return sq_error(s, rc, e);
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
			return sq_error(s, rc, e);
	}
	return 0;
}

/* A cache larger than the default is for a bulk write (an import, the
 * demo): its transactions each write thousands of pages, so the WAL is
 * copied back into the database every BULK_CHECKPOINT_PAGES pages (32 MB
 * at 4 KB) rather than SQLite's 1000, once for the pages several
 * transactions wrote over and over. */
#define BULK_CHECKPOINT_PAGES 8192
static int sq_cache_kb(struct store *s, int kb, struct err *e)
{
	char sql[160];
	bool bulk = kb > STORE_CACHE_DEFAULT_KB;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d; PRAGMA temp_store = %s",
	         kb > 0 ? kb : STORE_CACHE_DEFAULT_KB, bulk ? "MEMORY" : "DEFAULT");
	if (sq_exec(s, sql, e) < 0)
		return e->code;
	sq_autocheckpoint(s, bulk ? BULK_CHECKPOINT_PAGES : STORE_CHECKPOINT_PAGES);
	return 0;
}

/* After each commit of a connection that checkpoints when idle: how
 * many pages the WAL holds (store_checkpoint_idle copies them back). */
static int note_wal(void *arg, sqlite3 *db, const char *name, int pages)
{
	(void)db;
	(void)name;
	((struct store *)arg)->wal_pages = pages;
	return SQLITE_OK;
}

void sq_autocheckpoint(struct store *s, int pages)
{
	if (s->checkpoint_idle && pages == STORE_CHECKPOINT_PAGES)
		sqlite3_wal_hook(s->db, note_wal, s);
	else
		sqlite3_wal_autocheckpoint(s->db, pages);
}

int sq_checkpoint_passive(struct store *s, struct err *e)
{
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 0;           /* another process copies it now: again later */
	s->wal_pages = 0;   /* (a reader that held it back: the next commit says) */
	return rc == SQLITE_OK ? 0 : sq_error(s, rc, e);
}

int sq_fill_journal(struct store *s, bool fill, struct err *e)
{
	sqlite3_stmt *st = NULL;
	const char *sql = fill ? "PRAGMA journal_mode = DELETE" : "PRAGMA journal_mode = WAL";
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 0;           /* another connection has it open: WAL mode */
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_error(s, rc, e);
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
	sqlite3_backup *b = sqlite3_backup_init(to, "main", DB(s), "main");
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

static int sq_backup(struct store *s, const char *dest, bool replace, struct err *e)
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
	return safefile_commit(&sf, e);
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

/* The file (created 0600, in a 0700 directory when that is missing). */
static int sq_open(struct store *s, const char *path, bool create, struct err *e)
{
	struct stat st;
	bool memory = !strcmp(path, ":memory:");
	bool exists = memory || stat(path, &st) == 0;
	if (exists && !memory && S_ISDIR(st.st_mode))
		return err_set(e, ERR_USAGE, "%s is a directory, not a database file", path);
	if (!exists && !create)
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
	/* one thread uses a connection: no mutex around each of its calls;
	 * and no count of SQLite's memory, which takes a mutex on every
	 * allocation (a bulk import makes millions); before SQLite starts
	 * (later, it is refused and changes nothing) */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
	                         SQLITE_OPEN_NOMUTEX, NULL);
	s->db = db;
	if (rc != SQLITE_OK)
		return err_set(e, ERR_FAIL, "cannot open %s: %s", path,
		               db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_handler(db, busy_wait, NULL);
	return 0;
}

/* After the checks of store_open: 16 MiB of page cache (SQLite's default
 * is 2), since the panes and the daily review read the same indexes over
 * and over; WAL is a property of the file (a database in WAL mode says so). */
static int sq_settings(struct store *s, struct err *e)
{
	return sq_exec(s, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
	                  "PRAGMA cache_size = -16384; PRAGMA journal_mode = WAL", e);
}

static void sq_close(struct store *s)
{
	if (s->db)
		sqlite3_close(DB(s));
	s->db = NULL;
}

int store_open_memory(struct store **out, const char *user, struct err *e)
{
	struct store *s = xcalloc(1, sizeof *s);
	s->drv = &drv_sqlite;
	s->path = xstrdup(":memory:");
	s->user = xstrdup(user ? user : "unknown");
	s->max_span = -1;
	*out = s;
	return sq_open(s, ":memory:", true, e);
}

const struct driver drv_sqlite = {
	.name = "SQLite",
	.open = sq_open,
	.settings = sq_settings,
	.close = sq_close,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.step = sq_step,
	.reset = sq_reset,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.col_str = sq_col_str,
	.col_int = sq_col_int,
	.col_null = sq_col_null,
	.last_id = sq_last_id,
	.exec = sq_exec,
	.tx = sq_tx,
	.version = sq_version,
	.set_version = sq_set_version,
	.data_version = sq_data_version,
	.schema_sql = "SELECT type, name, sql FROM sqlite_schema "
	              "WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name",
	.check = sq_check,
	.cache_kb = sq_cache_kb,
	.index_sql = "SELECT i.name, i.sql FROM sqlite_schema i WHERE i.type = 'index' "
	             "AND i.sql IS NOT NULL AND i.rowid >= (SELECT min(n.rowid) FROM sqlite_schema n "
	             "WHERE n.type = 'index' AND n.tbl_name = i.tbl_name "
	             "AND instr(?1, ' ' || n.name || ' ') > 0) ORDER BY i.rowid",
	.backup = sq_backup,
};
