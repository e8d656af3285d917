/* store: opening, migrating, transactions, statements and the audit. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caseload/config.h"
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

struct dbst *st_prep(struct store *s, const char *sql, struct err *e)
{
	if (pending_touches(s, sql) && pending_flush(s, e) < 0)
		return NULL;
	for (size_t i = 0; i < s->n_cache; i++) {
		struct dbst *hit = s->cache[i].st;
		if (s->cache[i].sql == sql && hit) {   /* a cached statement is never NULL */
			if (!hit->fresh)
				st_reset(hit);
			return hit;
		}
	}
	struct dbst *st = s->drv->prepare(s, sql, e);
	if (!st)
		return NULL;
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

struct dbst *sq_prep(struct store *s, struct sqlq *q, struct err *e)
{
	struct dbst *st = NULL;
	if (pending_touches(s, q->sql.s) && pending_flush(s, e) < 0) {
		sq_free(q);
		return NULL;
	}
	for (size_t i = 0; i < s->n_cache && !st; i++)
		if (s->cache[i].built && strcmp(s->cache[i].built, q->sql.s) == 0) {
			st = s->cache[i].st;
			if (!st->fresh)
				st_reset(st);
		}
	if (!st) {
		st = s->drv->prepare(s, q->sql.s, e);
		if (!st) {
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

int st_step(struct store *s, struct dbst *st, struct err *e)
{
	(void)s;
	st->fresh = false;
	return st->s->drv->step(st, e);
}

int st_exec(struct store *s, struct dbst *st, struct err *e)
{
	int rc = st_step(s, st, e);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int st_number(struct store *s, struct dbst *st, long long *n, struct err *e)
{
	int rc = st_step(s, st, e);
	*n = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

void st_reset(struct dbst *st)
{
	st->s->drv->reset(st);
	st->fresh = true;
}

void st_stream(struct dbst *st)
{
	if (st->s->drv->stream)
		st->s->drv->stream(st);
}

void bind_text(struct dbst *st, int i, const char *v)
{
	st->fresh = false;
	st->s->drv->bind_text(st, i, v, false);
}

void bind_text_ref(struct dbst *st, int i, const char *v)
{
	st->fresh = false;
	st->s->drv->bind_text(st, i, v, true);
}

void bind_int(struct dbst *st, int i, long long v)
{
	st->fresh = false;
	st->s->drv->bind_int(st, i, v);
}

void bind_id(struct dbst *st, int i, long long v)
{
	if (v)
		bind_int(st, i, v);
	else
		bind_text(st, i, NULL);
}

const char *col_str(struct dbst *st, int i)
{
	return st->s->drv->col_str(st, i);
}

char *col_text(struct dbst *st, int i)
{
	const char *t = col_str(st, i);
	return t ? xstrdup(t) : NULL;
}

long long col_int(struct dbst *st, int i)
{
	return st->s->drv->col_int(st, i);
}

bool col_null(struct dbst *st, int i)
{
	return st->s->drv->col_null(st, i);
}

int store_begin(struct store *s, struct err *e)
{
	if (s->problem && !s->repairing)
		return err_set(e, ERR_FAIL, "%s", s->problem);
	if (s->depth > 0 && s->bulk) {
		s->depth++;
		return 0;
	}
	int rc = s->drv->tx(s, s->depth == 0 ? TX_BEGIN_WRITE : TX_SAVEPOINT, e);
	if (rc == 0)
		s->depth++;
	return rc;
}

int store_cache_kb(struct store *s, int kb, struct err *e)
{
	return s->drv->cache_kb ? s->drv->cache_kb(s, kb, e) : 0;
}

int store_checkpoint_pages(struct store *s, int pages, struct err *e)
{
	(void)e;
	if (s->drv == &drv_sqlite)
		sq_autocheckpoint(s, pages);
	return 0;
}

void store_checkpoint_when_idle(struct store *s)
{
	if (s->drv != &drv_sqlite)
		return;
	s->checkpoint_idle = true;
	sq_autocheckpoint(s, STORE_CHECKPOINT_PAGES);
}

int store_checkpoint_idle(struct store *s, struct err *e)
{
	if (!s->checkpoint_idle || s->wal_pages < STORE_CHECKPOINT_PAGES || s->depth > 0)
		return 0;
	return sq_checkpoint_passive(s, e) < 0 ? e->code : 1;
}

int store_fill_journal(struct store *s, bool fill, struct err *e)
{
	/* (a journal mode is not changed inside a transaction) */
	return s->drv == &drv_sqlite && s->depth == 0 ? sq_fill_journal(s, fill, e) : 0;
}

int store_analyze(struct store *s, struct err *e)
{
	return s->drv->analyze ? s->drv->analyze(s, e) : 0;
}

int store_bulk_indexes_drop(struct store *s, const char *const *names, struct strlist *saved,
                            struct err *e)
{
	if (!s->drv->index_sql)
		return 0;
	if (s->depth == 0)
		return err_set(e, ERR_FAIL, "indexes dropped outside a transaction");
	/* saved: name and text of the named indexes and of every index made
	 * after one of them on its table, in the order they were made; the
	 * named ones are dropped now, and store_bulk_indexes_make makes them
	 * all again in that order, so that a table's indexes keep their
	 * order, which decides between two the planner finds as good
	 * (SQLite without statistics: the demo's overrides went from
	 * appointment_override to appointment_start when only the latter
	 * was made again).  The others stay for the fill's own look-ups. */
	struct buf list = {0};
	buf_addc(&list, ' ');
	for (const char *const *n = names; *n; n++)
		buf_addf(&list, "%s ", *n);
	struct dbst *st = st_prep(s, s->drv->index_sql, e);
	int rc = st ? 0 : e->code;
	if (st) {
		bind_text(st, 1, list.s);
		while ((rc = st_step(s, st, e)) == ST_ROW) {
			strlist_add(saved, col_str(st, 0));
			strlist_add(saved, col_str(st, 1));
		}
		st_reset(st);
	}
	for (size_t i = 0; rc >= 0 && i + 1 < saved->len; i += 2) {
		char *named = xasprintf(" %s ", saved->items[i]);
		bool drop_now = strstr(list.s, named) != NULL;
		free(named);
		if (!drop_now)
			continue;
		char *sql = xasprintf("DROP INDEX %s", saved->items[i]);
		rc = s->drv->exec(s, sql, e);
		free(sql);
	}
	buf_free(&list);
	return rc < 0 ? rc : 0;
}

int store_bulk_indexes_make(struct store *s, const struct strlist *saved, struct err *e)
{
	for (size_t i = 0; i + 1 < saved->len; i += 2) {
		char *sql = xasprintf("DROP INDEX IF EXISTS %s", saved->items[i]);
		int rc = s->drv->exec(s, sql, e);
		free(sql);
		if (rc < 0 || s->drv->exec(s, saved->items[i + 1], e) < 0)
			return e->code;
	}
	return 0;
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
	int rc = s->drv->tx(s, s->depth == 0 ? TX_BEGIN_READ : TX_SAVEPOINT, e);
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
	/* (a failed bulk write first: on PostgreSQL the failed statement
	 * aborted the transaction, and the kept rows could not be written) */
	if (s->bulk && s->bulk_failed) {
		store_rollback(s);
		return err_set(e, ERR_FAIL, "a write inside the transaction failed; nothing was "
		               "written");
	}
	if (s->depth == 1 && pending_flush(s, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (s->depth == 1 && s->head_dirty && audit_write_head(s, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	int rc = s->drv->tx(s, s->depth == 1 ? TX_COMMIT : TX_RELEASE, e);
	if (rc == 0) {
		s->depth--;
		if (s->depth == 0) {
			s->bulk = false, s->tail_valid = false;
			undo_tx_end(s, true);
		}
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
		pending_drop(s);
		s->drv->tx(s, TX_ROLLBACK, &ignore);
		s->bulk = false;
		s->head_dirty = false;
		undo_tx_end(s, false);
	} else if (s->bulk) {
		s->bulk_failed = true;   /* no savepoint to go back to: all of it goes */
	} else {
		undo_savepoint_gone(s);
		s->drv->tx(s, TX_ROLLBACK_TO, &ignore);
		s->drv->tx(s, TX_RELEASE, &ignore);
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
	struct dbst *st = st_prep(s, sql, e);
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
	struct dbst *st = st_prep(s, last, e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	if (rc < 0)
		return rc;
	*id = 0;
	hash[0] = '\0';
	if (rc == ST_ROW) {
		const char *h = col_str(st, 1);
		*id = col_int(st, 0);
		snprintf(hash, AUDIT_HASH_HEX, "%s", h ? h : "");
	}
	st_reset(st);
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
	struct dbst *st = st_prep(s, head, e);
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

int audit_insert(struct store *s, const struct audit_fields *f, const char *hash,
                 struct err *e)
{
	static const char ins[] =
		"INSERT INTO audit(id, at, who, action, tbl, row_id, detail, hash) "
		"VALUES (?,?,?,?,?,?,?,?)";
	struct dbst *st = st_prep(s, ins, e);
	if (!st)
		return e->code;
	bind_int(st, 1, f->id);
	bind_int(st, 2, f->at);
	bind_text(st, 3, f->who);
	bind_text(st, 4, f->action);
	bind_text(st, 5, f->tbl);
	if (f->has_row_id)
		bind_int(st, 6, f->row_id);
	else
		bind_text(st, 6, NULL);
	bind_text(st, 7, f->detail);
	bind_text(st, 8, hash);
	return st_exec(s, st, e) < 0 ? e->code : 0;
}

/* The chained row: the next id after the last row, its hash over that
 * row's stored hash and its own fields (audit_row_hash); meta's
 * audit_head moves to it when the transaction commits. */
static int audit_chained(struct store *s, struct audit_fields *f, struct err *e)
{
	if (audit_tail(s, e) < 0)
		return e->code;
	char hash[AUDIT_HASH_HEX];
	f->id = s->tail_id + 1;
	audit_row_hash(s->tail_hash, f, hash);
	int rc;
	if (pending_on(s)) {   /* written with the next ones */
		rc = pending_audit(s, f, hash, e);
	} else {
		rc = audit_insert(s, f, hash, e);
	}
	if (rc < 0) {
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

int st_insert(struct store *s, struct dbst *st, const char *tbl, const char *detail,
              long long *id, struct err *e)
{
	/* the id from RETURNING id when the INSERT has it */
	int rc = st_step(s, st, e);
	if (rc < 0)
		return rc;
	*id = rc == ST_ROW ? col_int(st, 0) : s->drv->last_id(s);
	st_reset(st);
	if (undo_note_insert(s, tbl, *id, e) < 0)
		return e->code;
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
		struct dbst *st = st_prep(s, q[i].sql, e);
		if (!st)
			return e->code;
		bind_int(st, 1, id);
		int rc = st_step(s, st, e);
		st_reset(st);
		if (rc < 0)
			return rc;
		if (rc != ST_ROW)
			return err_set(e, ERR_NOTFOUND, "no %s with id %lld", q[i].what, id);
		return 0;
	}
	return err_set(e, ERR_FAIL, "store_exists: unknown table %s", tbl);
}

/* The text of migration v (0-based) for this engine. */
static const char *migration_text(struct store *s, int v)
{
	if (s->drv != &drv_pg)
		return store_migrations[v].sql;
	if (v + 1 == STORE_PG_BASELINE)
		return store_pg_baseline;
	if (v + 1 < STORE_PG_BASELINE)
		return "";
	return store_migrations[v].pg ? store_migrations[v].pg : store_migrations[v].sql;
}

int st_migrate(struct store *s, int from, int to, struct err *e)
{
	/* a PostgreSQL database is born at the baseline, chained from its
	 * first row (see store_internal.h) */
	bool pg = s->drv == &drv_pg;
	if (pg && from < STORE_PG_BASELINE)
		from = STORE_PG_BASELINE - 1, to = to < STORE_PG_BASELINE ? STORE_PG_BASELINE : to;
	for (int v = from; v < to; v++) {
		char sql[96];
		if (store_begin(s, e) < 0)
			return e->code;
		/* another process may have migrated while this one waited */
		long long now = 0, appid, objects;
		if (s->drv->version(s, &now, &appid, &objects, e) < 0) {
			store_rollback(s);
			return e->code;
		}
		if (now > v) {
			store_rollback(s);
			continue;
		}
		s->chain = pg || v + 1 > audit_chain_version();
		const char *text = migration_text(s, v);   /* "": no step on this engine */
		int rc = *text ? s->drv->exec(s, text, e) : 0;
		if (rc == 0 && store_migrations[v].after && !(pg && v + 1 <= STORE_PG_BASELINE))
			rc = store_migrations[v].after(s, e);
		if (rc == 0)
			rc = s->drv->set_version(s, v + 1, e);
		if (rc == 0) {
			snprintf(sql, sizeof sql, "migrate to schema %d", v + 1);
			rc = store_audit(s, "migrate", "schema", v + 1, sql, e);
		}
		if (rc < 0) {
			store_rollback(s);
			s->chain = pg || v >= audit_chain_version();
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
	if (sodium_init() < 0)
		return err_set(e, ERR_FAIL, "cannot start libsodium (the audit's hashes)");
	bool pg = config_db_is_server(path);
	if (pg && o->user_typed)
		return err_set(e, ERR_USAGE, "--user is not for a PostgreSQL database: the audit "
		               "records the role the server authenticated; connect as the other "
		               "role instead (user= in the connection string)");
	struct store *s = xcalloc(1, sizeof *s);
	s->drv = pg ? &drv_pg : &drv_sqlite;
	s->path = xstrdup(pg ? "PostgreSQL" : path);
	s->max_span = -1;
	s->user = xstrdup(o->user && *o->user ? o->user : "unknown");
	long long appid = 0, version = 0, objects = 0;
	if (s->drv->open(s, path, !o->no_create, e) < 0 ||
	    s->drv->version(s, &version, &appid, &objects, e) < 0) {
		store_close(&s);
		return e->code;
	}
	if (pg && objects == 0 && o->no_create) {
		err_set(e, ERR_NOTFOUND, "%s: no caseload there yet (create it with 'caseload init')",
		        s->path);
		store_close(&s);
		return ERR_NOTFOUND;
	}
	if (appid != STORE_APPLICATION_ID && (objects > 0 || version > 0)) {
		err_set(e, ERR_FAIL, "%s is an %s database, but not a caseload database", s->path,
		        s->drv->name);
		store_close(&s);
		return ERR_FAIL;
	}
	if (version > store_n_migrations) {
		err_set(e, ERR_FAIL, "%s has schema version %lld, newer than this caseload "
		        "understands (%d); use a newer caseload", s->path, version, store_n_migrations);
		store_close(&s);
		return ERR_FAIL;
	}
	if (s->drv->settings(s, e) < 0) {
		store_close(&s);
		return ERR_FAIL;
	}
	int target = o->migrate_to > 0 && o->migrate_to < store_n_migrations ? o->migrate_to
	                                                                     : store_n_migrations;
	s->chain = pg || version >= audit_chain_version();
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
		s->drv->finalize(s->cache[i].st);
		free(s->cache[i].built);
	}
	free(s->cache);
	s->drv->close(s);
	free(s->path);
	free(s->user);
	free(s->problem);
	free(s->undo_what);
	pending_free(s);
	free(s);
	*sp = NULL;
}

int store_version(struct store *s)
{
	long long v = 0, appid, objects;
	struct err e;
	return s->drv->version(s, &v, &appid, &objects, &e) < 0 ? 0 : (int)v;
}

long long store_data_version(struct store *s)
{
	return s->drv->data_version(s);
}

int store_watch_fd(struct store *s)
{
	return s->drv->watch_fd ? s->drv->watch_fd(s) : -1;
}

unsigned store_watch_drain(struct store *s)
{
	return s->drv->watch_drain ? s->drv->watch_drain(s) : 0;
}

int store_meta_get(struct store *s, const char *key, char **value, struct err *e)
{
	static const char sql[] = "SELECT CAST(value AS TEXT) FROM meta WHERE key = ?1";
	*value = NULL;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, key);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		*value = col_text(st, 0);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_meta_set(struct store *s, const char *key, const char *value, struct err *e)
{
	static const char sql[] =
		"INSERT INTO meta(key, value) VALUES (?1, ?2) "
		"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return st_exec(s, st, e) < 0 ? e->code : 0;
}

int store_check(struct store *s, struct strlist *problems, struct err *e)
{
	return s->drv->check(s, problems, e);
}

int store_backup(struct store *s, const char *dest, bool replace, struct err *e)
{
	/* a backup is recorded like any read: refused when it could not be */
	if (s->problem)
		return err_set(e, ERR_FAIL, "%s", s->problem);
	if (!s->drv->backup)
		return err_set(e, ERR_USAGE, "backup is not for a %s database: its server keeps "
		               "the backups (pg_dump, or the server's own)", s->drv->name);
	if (s->drv->backup(s, dest, replace, e) < 0)
		return e->code;
	return store_audit(s, "backup", "database", 0, NULL, e);
}

/* Each audit row of st (id, at, who, action, tbl, row_id, detail) to fn. */
int audit_each(struct store *s, struct dbst *st, store_audit_fn *fn, void *ctx, struct err *e)
{
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
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
	st_reset(st);
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
	q_int(&b, limit > 0 ? limit : SQL_NO_LIMIT);
	struct dbst *st = sq_prep(s, &b, e);
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
