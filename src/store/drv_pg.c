/* drv_pg: the store's driver for a PostgreSQL server (a team's caseload),
 * through libpq.  Each statement text is prepared once per connection
 * (PQprepare) with its ?N rewritten to $N, and run with text parameters
 * whose types the server infers; its rows come one at a time (single-row
 * mode), so a long listing never sits whole in memory.  libpq runs one
 * query at a time on a connection: a statement started while another's
 * rows are still coming first reads the rest of those into a queue (the
 * store's nested reads, a listing whose callback looks something up),
 * kept compactly (one allocation per row, not libpq's result per row).
 * That read-ahead is the one place where a listing's memory grows with
 * its length on PostgreSQL: a listing whose callback reads (an export
 * looking up each provider) holds the rest of its rows while it runs.
 *
 * A listing's statement (st_stream) is read through a cursor instead,
 * STREAM_ROWS rows a FETCH: the server plans a cursor for its first rows
 * (cursor_tuple_fraction), so a listing in an index's order reads that
 * index rather than sorting every row before the first comes, as it does
 * for a statement it expects to run whole.  A cursor lives in a
 * transaction: the caller's, or one of its own, which ends with the
 * cursor.  In its own, anything else sent in the meantime first reads
 * the rest into the queue and closes it (pg_settle), as for a statement
 * above; in the caller's, only another cursor or the transaction's own
 * statements do (BEGIN, SAVEPOINT, COMMIT...). */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/change.h"
#include "store_internal.h"

/* libpq is loaded when a PostgreSQL database is opened, not linked: the
 * program on one SQLite file neither needs it installed nor carries it
 * (with its TLS, Kerberos and LDAP libraries, 5 MB more of every run). */
#define PQ_FUNCS(X) \
	X(PGconn *, PQconnectdbParams, (const char *const *, const char *const *, int)) \
	X(ConnStatusType, PQstatus, (const PGconn *)) \
	X(char *, PQerrorMessage, (const PGconn *)) \
	X(void, PQfinish, (PGconn *)) \
	X(char *, PQdb, (const PGconn *)) \
	X(char *, PQhost, (const PGconn *)) \
	X(char *, PQport, (const PGconn *)) \
	X(char *, PQuser, (const PGconn *)) \
	X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *)) \
	X(PGresult *, PQprepare, (PGconn *, const char *, const char *, int, const Oid *)) \
	X(int, PQsendQueryPrepared, (PGconn *, const char *, int, const char *const *, \
	                             const int *, const int *, int)) \
	X(int, PQsetSingleRowMode, (PGconn *)) \
	X(PGresult *, PQgetResult, (PGconn *)) \
	X(PGresult *, PQexec, (PGconn *, const char *)) \
	X(PGresult *, PQexecParams, (PGconn *, const char *, int, const Oid *, \
	                             const char *const *, const int *, const int *, int)) \
	X(ExecStatusType, PQresultStatus, (const PGresult *)) \
	X(char *, PQresultErrorField, (const PGresult *, int)) \
	X(int, PQntuples, (const PGresult *)) \
	X(int, PQnfields, (const PGresult *)) \
	X(char *, PQgetvalue, (const PGresult *, int, int)) \
	X(int, PQgetlength, (const PGresult *, int, int)) \
	X(int, PQgetisnull, (const PGresult *, int, int)) \
	X(Oid, PQftype, (const PGresult *, int)) \
	X(void, PQclear, (PGresult *)) \
	X(int, PQbackendPID, (const PGconn *)) \
	X(int, PQsocket, (const PGconn *)) \
	X(int, PQconsumeInput, (PGconn *)) \
	X(PGnotify *, PQnotifies, (PGconn *)) \
	X(void, PQfreemem, (void *))
/* a declarator: its parts cannot be parenthesised */
#define PQ_FIELD(ret, name, args) ret(*name) args; /* NOLINT(bugprone-macro-parentheses) */
static struct {
	PQ_FUNCS(PQ_FIELD)
} pq;

/* Load libpq once; 0, or ERR_FAIL with e set. */
static int load_libpq(struct err *e)
{
	static void *lib;
	if (lib)
		return 0;
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return err_set(e, ERR_FAIL, "a PostgreSQL database needs libpq (Debian: libpq5): %s",
		               dlerror());
#define PQ_LOAD(ret, name, args) \
	{ \
		void *sym = dlsym(h, #name); \
		if (!sym) { \
			dlclose(h); \
			return err_set(e, ERR_FAIL, "libpq has no %s: too old", #name); \
		} \
		memcpy(&pq.name, &sym, sizeof sym); \
	}
	PQ_FUNCS(PQ_LOAD)
#undef PQ_LOAD
	lib = h;
	return 0;
}

/* Every write transaction takes an advisory lock first (its key is
 * 0x43534c44, "CSLD"): writers queue one behind the other as they do on
 * SQLite (BEGIN IMMEDIATE), which the audit's hash chain needs (each row
 * names the one before it).
 *
 * Hence no retry of serialization failures: caseload's writes cannot meet
 * one.  A write transaction is READ COMMITTED, where the server never
 * raises 40001 (only REPEATABLE READ and SERIALIZABLE do), and as no two
 * of them run at once none waits for another's row locks (no 40P01).
 * Reads (REPEATABLE READ, one snapshot) write nothing but the session's
 * temporary table.  Nor could the driver retry safely: the transaction's
 * statements come from a use case above it, and after an error the
 * server has aborted them all.  tests/cli/pg_writers.sh runs writers and
 * readers at once and checks that none is refused; with writes at
 * REPEATABLE READ and no lock it gets 40001s and duplicate audit ids.  An
 * error of that kind (another program's lock, a server setting) is
 * reported as busy, nothing changed, to try again. */

/* (SQLite's own limit: a statement runs on both) */
#define PG_MAX_PARAMS 32766

struct pgst {
	struct dbst h;
	char name[24];             /* of the prepared statement */
	int nparams;               /* of each array below */
	char **val;
	bool *own;                 /* val[i] is ours to free */
	char (*num)[24];
	enum { IDLE, RUNNING, FINISHED } state;
	PGresult *row;             /* the current row, or */
	struct crow *crow;         /* the current row read ahead */
	PGresult *failed;          /* an error met while reading ahead */
	struct crow **queue;       /* rows read ahead (see the top) */
	size_t qhead, qlen, qcap;
	/* a listing read through a cursor (pg_stream): its text and types
	 * for the DECLARE; open: the cursor is, in a transaction of its own
	 * (own_tx) or the caller's; more: a FETCH may give rows still */
	char *text;
	Oid *types;
	bool stream, open, own_tx, more;
	struct err *later;         /* an error met reading the rest ahead */
};

/* A row read ahead: its values one after the other, each with its NUL. */
struct crow {
	int n;
	int off[];                 /* n offsets into the text after them; -1: NULL */
};

/* A boolean's type (pg_type.oid of bool).  Its text from the server,
 * "t" or "f", is read as "1" or "0", as SQLite has a flag: every reader
 * (a copy into SQLite, an undo image, a bare col_int) gets the same. */
#define PG_BOOL_OID 16

/* Field i of r's row as the store reads it (NULL: SQL NULL). */
static const char *field(const PGresult *r, int row, int i)
{
	if (pq.PQgetisnull(r, row, i))
		return NULL;
	const char *v = pq.PQgetvalue(r, row, i);
	if (pq.PQftype(r, i) == PG_BOOL_OID)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static struct crow *crow_of(const PGresult *r, int row)
{
	int n = pq.PQnfields(r);
	size_t len = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)pq.PQgetlength(r, row, i) + 1;
	struct crow *c = xcalloc(1, sizeof *c + (size_t)n * sizeof c->off[0] + len);
	char *text = (char *)&c->off[n];
	size_t at = 0;
	c->n = n;
	for (int i = 0; i < n; i++) {
		const char *v = field(r, row, i);
		if (!v) {
			c->off[i] = -1;
			continue;
		}
		size_t l = strlen(v);   /* (a boolean's "1" is no longer than its "t") */
		memcpy(text + at, v, l);
		text[at + l] = '\0';
		c->off[i] = (int)at;
		at += l + 1;
	}
	return c;
}

static const char *crow_value(const struct crow *c, int i)
{
	if (i >= c->n || c->off[i] < 0)
		return NULL;
	return (const char *)&c->off[c->n] + c->off[i];
}

struct pgconn {
	PGconn *c;
	struct pgst *active;       /* the statement whose rows are coming */
	struct pgst *stream;       /* the statement whose cursor is open */
	unsigned long names;
	/* the live watch (store_watch_fd): a second session that LISTENs,
	 * opened with target on the first call; failed: not again */
	char *target;
	PGconn *listen;
	bool listen_failed;
};

static struct pgconn *CONN(struct store *s)
{
	return s->db;
}

static struct pgst *PST(struct dbst *st)
{
	return (struct pgst *)st;
}

/* Whether state is the class or code of a result's SQLSTATE. */
static bool state_is(const PGresult *r, const char *want)
{
	const char *st = r ? pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	return st && !strncmp(st, want, strlen(want));
}

/* An error result (or the connection's error when r is NULL) as e, in
 * the same words and codes as SQLite's (drv_sqlite.c). */
static int pg_error(struct store *s, const PGresult *r, struct err *e)
{
	PGconn *c = CONN(s)->c;
	const char *m = r ? pq.PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!m) {
		m = pq.PQerrorMessage(c);
		/* libpq's message ends with a newline */
	}
	char msg[400];
	snprintf(msg, sizeof msg, "%s", m && *m ? m : "unknown error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	const char *cons = r ? pq.PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME) : NULL;
	if (pq.PQstatus(c) == CONNECTION_BAD || state_is(r, "08") || state_is(r, "57P"))
		return err_set(e, ERR_FAIL, "%s: the connection to the server was lost (%s); "
		               "what was not committed was not written", s->path, msg);
	if (state_is(r, "40001") || state_is(r, "40P01") || state_is(r, "55P03"))
		return err_set(e, ERR_FAIL, "%s: the database is busy (another caseload is "
		               "writing); nothing was changed, try again", s->path);
	if (state_is(r, "23505") && cons && strstr(cons, "mrn"))
		return err_set(e, ERR_CONFLICT, "another patient already has that MRN");
	if (state_is(r, "23505"))
		return err_set(e, ERR_CONFLICT, "that record exists already");
	if (state_is(r, "23503"))
		return err_set(e, ERR_NOTFOUND, "a record it refers to does not exist");
	if (state_is(r, "23") || state_is(r, "P0001"))
		return err_set(e, ERR_FAIL, "refused by the database: %s", msg);
	if (state_is(r, "53"))
		return err_set(e, ERR_FAIL, "%s: the server is out of room (%s); nothing was "
		               "changed", s->path, msg);
	if (state_is(r, "42501"))
		return err_set(e, ERR_FAIL, "%s: not allowed for this role (%s)", s->path, msg);
	return err_set(e, ERR_FAIL, "%s: %s", s->path, msg);
}

/* Read every result still coming for the active statement: rows into its
 * queue when keep, else dropped. */
/* Row i of r to the end of q's queue. */
static void enqueue(struct pgst *q, const PGresult *r, int i)
{
	if (q->qhead == q->qlen)
		q->qhead = q->qlen = 0;   /* all read: from the start again */
	void *p = q->queue;
	xgrow(&p, &q->qcap, q->qlen + 1, sizeof(struct crow *));
	q->queue = p;
	q->queue[q->qlen++] = crow_of(r, i);
}

static void drain(struct pgconn *pc, bool keep)
{
	struct pgst *q = pc->active;
	PGresult *r;
	while ((r = pq.PQgetResult(pc->c))) {
		ExecStatusType t = pq.PQresultStatus(r);
		if (keep && q && t == PGRES_SINGLE_TUPLE) {
			enqueue(q, r, 0);
			pq.PQclear(r);
		} else if (keep && q && !q->failed && t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
			q->failed = r;
		} else {
			pq.PQclear(r);
		}
	}
	if (q)
		q->state = FINISHED;
	pc->active = NULL;
}

static void pg_settle(struct store *s);

/* Before anything else is sent on the connection. */
static void quiet(struct store *s)
{
	if (CONN(s)->active)
		drain(CONN(s), true);
	if (CONN(s)->stream && CONN(s)->stream->own_tx)
		pg_settle(s);
}

/* ?N as $N, and a bare ? as the next number, outside quotes and comments;
 * *n gets the highest parameter number, (*used)[k-1] whether $k is there
 * (an array of *n, or more, to free). */
static char *rewrite(const char *sql, int *n, bool **used)
{
	size_t cap = 0;
	struct buf b = {0};
	int next = 0;
	*n = 0;
	*used = NULL;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'' || *p == '"') {
			const char *end = strchr(p + 1, *p);
			size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
			buf_addf(&b, "%.*s", (int)len, p);
			p += len - 1;
		} else if (p[0] == '-' && p[1] == '-') {
			const char *end = strchr(p, '\n');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			buf_addf(&b, "%.*s", (int)len, p);
			p += len - 1;
		} else if (*p == '?') {
			int k;
			if (p[1] >= '0' && p[1] <= '9') {
				char *end;
				k = (int)strtol(p + 1, &end, 10);
				p = end - 1;
			} else {
				k = ++next;
			}
			buf_addf(&b, "$%d", k);
			if (k > *n)
				*n = k;
			if (k >= 1 && k <= PG_MAX_PARAMS) {
				void *u = *used;
				size_t was = cap;
				xgrow(&u, &cap, (size_t)k, sizeof **used);
				*used = u;
				memset(*used + was, 0, (cap - was) * sizeof **used);
				(*used)[k - 1] = true;
			}
		} else {
			buf_addc(&b, *p);
		}
	}
	if (!b.s)
		buf_add(&b, "");
	return buf_steal(&b);
}

static void pgst_free(struct pgst *q)
{
	free(q->val);
	free(q->own);
	free(q->num);
	free(q->types);
	free(q->text);
	free(q);
}

static struct dbst *pg_prepare(struct store *s, const char *sql, struct err *e)
{
	struct pgconn *pc = CONN(s);
	int n;
	bool *used;
	char *text = rewrite(sql, &n, &used);
	if (n > PG_MAX_PARAMS) {
		free(text);
		free(used);
		err_set(e, ERR_FAIL, "%s: a statement with %d parameters (at most %d)", s->path, n,
		        PG_MAX_PARAMS);
		return NULL;
	}
	quiet(s);
	struct pgst *q = xcalloc(1, sizeof *q);
	q->h.s = s;
	q->nparams = n;
	size_t k = n > 0 ? (size_t)n : 1;
	q->val = xcalloc(k, sizeof *q->val);
	q->own = xcalloc(k, sizeof *q->own);
	q->num = xcalloc(k, sizeof *q->num);
	q->types = xcalloc(k, sizeof *q->types);
	snprintf(q->name, sizeof q->name, "c%lu", ++pc->names);
	/* a parameter the text does not use (SQLite lets one statement of a
	 * pair skip a number) is text: the server cannot infer its type */
	for (int i = 0; i < n; i++)
		q->types[i] = used[i] ? 0 : 25;   /* 25: text's type */
	free(used);
	q->text = text;
	PGresult *r = pq.PQprepare(pc->c, q->name, text, n, q->types);
	if (!r || pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_error(s, r, e);
		pq.PQclear(r);
		pgst_free(q);
		return NULL;
	}
	pq.PQclear(r);
	return &q->h;
}

static void clear_params(struct pgst *q)
{
	for (int i = 0; i < q->nparams; i++) {
		if (q->own[i])
			free(q->val[i]);
		q->val[i] = NULL;
		q->own[i] = false;
	}
}

static void clear_rows(struct pgst *q)
{
	pq.PQclear(q->row);
	q->row = NULL;
	free(q->crow);
	q->crow = NULL;
	pq.PQclear(q->failed);
	q->failed = NULL;
	for (size_t i = q->qhead; i < q->qlen; i++)
		free(q->queue[i]);
	q->qhead = q->qlen = 0;
}

/* ---- a listing through a cursor (see the top) ---- */
#define STREAM_ROWS 256

/* The cursor's next n rows (0: the rest) into q's queue: how many, or an
 * error. */
static int fetch(struct pgst *q, int n, struct err *e)
{
	struct store *s = q->h.s;
	char sql[64];
	if (n > 0)
		snprintf(sql, sizeof sql, "FETCH %d FROM k%s", n, q->name);
	else
		snprintf(sql, sizeof sql, "FETCH ALL FROM k%s", q->name);
	PGresult *r = pq.PQexec(CONN(s)->c, sql);
	int rc = r && pq.PQresultStatus(r) == PGRES_TUPLES_OK ? pq.PQntuples(r) : pg_error(s, r, e);
	for (int i = 0; i < rc; i++)
		enqueue(q, r, i);
	pq.PQclear(r);
	return rc;
}

/* Close q's cursor: its own transaction ends with it (COMMIT, or
 * ROLLBACK after an error: it only read); in the caller's, CLOSE, unless
 * that one failed (its ROLLBACK closes the cursor). */
static int stream_close(struct pgst *q, struct err *e)
{
	struct pgconn *pc = CONN(q->h.s);
	if (!q->open)
		return 0;
	q->open = q->more = false;
	if (pc->stream == q)
		pc->stream = NULL;
	bool ok = pq.PQtransactionStatus(pc->c) == PQTRANS_INTRANS;
	char sql[48] = "COMMIT";
	if (!q->own_tx && !ok)
		return 0;
	if (!q->own_tx)
		snprintf(sql, sizeof sql, "CLOSE k%s", q->name);
	else if (!ok)
		snprintf(sql, sizeof sql, "ROLLBACK");
	PGresult *r = pq.PQexec(pc->c, sql);
	int rc = r && pq.PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_error(q->h.s, r, e);
	pq.PQclear(r);
	return rc;
}

/* The open cursor's rest into its queue, and the cursor closed: before
 * anything else is sent while it has a transaction of its own (quiet),
 * before a transaction begins or ends (pg_tx), before another cursor. */
static void pg_settle(struct store *s)
{
	struct pgst *q = CONN(s)->stream;
	if (!q)
		return;
	struct err e = {0};
	if (q->more)
		fetch(q, 0, &e);
	stream_close(q, e.code ? &(struct err){0} : &e);
	if (e.code) {   /* told at the step that comes to it */
		q->later = xmalloc(sizeof *q->later);
		*q->later = e;
	}
	q->state = FINISHED;
}

static void pg_reset(struct dbst *st)
{
	struct pgst *q = PST(st);
	struct pgconn *pc = CONN(st->s);
	if (q->state == RUNNING && pc->active == q)
		drain(pc, false);
	stream_close(q, &(struct err){0});
	free(q->later);
	q->later = NULL;
	clear_rows(q);
	clear_params(q);
	q->state = IDLE;
}

static void pg_finalize(struct dbst *st)
{
	struct pgst *q = PST(st);
	pg_reset(st);
	free(q->queue);
	pgst_free(q);
}

/* The next row: ST_ROW, ST_DONE or an error. */
static int next_row(struct pgst *q, struct err *e)
{
	struct store *s = q->h.s;
	struct pgconn *pc = CONN(s);
	pq.PQclear(q->row);
	q->row = NULL;
	free(q->crow);
	q->crow = NULL;
	if (q->qhead < q->qlen) {
		q->crow = q->queue[q->qhead++];
		return ST_ROW;
	}
	if (q->later) {
		*e = *q->later;
		pg_reset(&q->h);
		return e->code;
	}
	if (q->failed) {
		int rc = pg_error(s, q->failed, e);
		pg_reset(&q->h);
		return rc;
	}
	if (q->state != RUNNING)
		return ST_DONE;
	if (q->stream) {
		int n = q->more ? fetch(q, STREAM_ROWS, e) : 0;
		if (n < 0) {
			pg_reset(&q->h);
			return n;
		}
		q->more = n == STREAM_ROWS;
		if (n > 0) {
			q->crow = q->queue[q->qhead++];
			return ST_ROW;
		}
		q->state = FINISHED;
		n = stream_close(q, e);
		return n < 0 ? n : ST_DONE;
	}
	PGresult *r = pq.PQgetResult(pc->c);
	ExecStatusType t = r ? pq.PQresultStatus(r) : PGRES_COMMAND_OK;
	if (t == PGRES_SINGLE_TUPLE) {
		q->row = r;
		return ST_ROW;
	}
	if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) {
		pq.PQclear(r);
		drain(pc, false);
		return ST_DONE;
	}
	int rc = pg_error(s, r, e);
	pq.PQclear(r);
	drain(pc, false);
	pg_reset(&q->h);
	return rc;
}

/* DECLARE q's cursor, in the caller's transaction or one of its own,
 * and its first rows. */
static int stream_start(struct pgst *q, struct err *e)
{
	struct store *s = q->h.s;
	struct pgconn *pc = CONN(s);
	quiet(s);
	pg_settle(s);
	q->own_tx = pq.PQtransactionStatus(pc->c) == PQTRANS_IDLE;
	PGresult *r = q->own_tx ? pq.PQexec(pc->c, "BEGIN") : NULL;
	int rc = 0;
	if (q->own_tx && (!r || pq.PQresultStatus(r) != PGRES_COMMAND_OK))
		rc = pg_error(s, r, e);
	pq.PQclear(r);
	char *sql = xasprintf("DECLARE k%s NO SCROLL CURSOR FOR %s", q->name, q->text);
	if (rc == 0) {
		r = pq.PQexecParams(pc->c, sql, q->nparams, q->types, (const char *const *)q->val,
		                    NULL, NULL, 0);
		if (!r || pq.PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_error(s, r, e);
		pq.PQclear(r);
		if (rc < 0 && q->own_tx)
			pq.PQclear(pq.PQexec(pc->c, "ROLLBACK"));
	}
	free(sql);
	if (rc < 0) {
		pg_reset(&q->h);
		return rc;
	}
	q->open = q->more = true;
	q->state = RUNNING;
	pc->stream = q;
	return next_row(q, e);
}

static int pg_step(struct dbst *st, struct err *e)
{
	struct pgst *q = PST(st);
	struct store *s = st->s;
	struct pgconn *pc = CONN(s);
	if (q->state == IDLE && q->stream)
		return stream_start(q, e);
	if (q->state == IDLE) {
		quiet(s);
		if (!pq.PQsendQueryPrepared(pc->c, q->name, q->nparams, (const char *const *)q->val,
		                         NULL, NULL, 0)) {
			int rc = pg_error(s, NULL, e);
			pg_reset(st);
			return rc;
		}
		pq.PQsetSingleRowMode(pc->c);
		q->state = RUNNING;
		pc->active = q;
	}
	return next_row(q, e);
}

static void set_param(struct pgst *q, int i, char *v, bool own)
{
	if (i < 1 || i > q->nparams)
		return;   /* like SQLite, a parameter the text does not have is ignored */
	if (q->own[i - 1])
		free(q->val[i - 1]);
	q->val[i - 1] = v;
	q->own[i - 1] = own;
}

static void pg_bind_text(struct dbst *st, int i, const char *v, bool ref)
{
	struct pgst *q = PST(st);
	if (!v)
		set_param(q, i, NULL, false);
	else if (ref)
		set_param(q, i, (char *)(uintptr_t)v, false);
	else
		set_param(q, i, xstrdup(v), true);
}

static void pg_bind_int(struct dbst *st, int i, long long v)
{
	struct pgst *q = PST(st);
	if (i < 1 || i > q->nparams)
		return;
	snprintf(q->num[i - 1], sizeof q->num[0], "%lld", v);
	set_param(q, i, q->num[i - 1], false);
}

static const char *pg_col_str(struct dbst *st, int i)
{
	struct pgst *q = PST(st);
	if (q->crow)
		return crow_value(q->crow, i);
	if (!q->row || i >= pq.PQnfields(q->row))
		return NULL;
	return field(q->row, 0, i);
}

static long long pg_col_int(struct dbst *st, int i)
{
	const char *v = pg_col_str(st, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

static bool pg_col_null(struct dbst *st, int i)
{
	return pg_col_str(st, i) == NULL;
}

static void pg_stream(struct dbst *st)
{
	PST(st)->stream = true;
}

static long long pg_last_id(struct store *s)
{
	(void)s;
	return 0;   /* every INSERT that needs its id says RETURNING id */
}

/* A text with no parameters, maybe several statements; no rows kept. */
static int pg_exec(struct store *s, const char *sql, struct err *e)
{
	quiet(s);
	PGresult *r = pq.PQexec(CONN(s)->c, sql);
	ExecStatusType t = r ? pq.PQresultStatus(r) : PGRES_FATAL_ERROR;
	int rc = t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK ? 0 : pg_error(s, r, e);
	pq.PQclear(r);
	return rc;
}

static int pg_tx(struct store *s, enum tx_kind k, struct err *e)
{
	static const char *const sql[] = {
		[TX_BEGIN_WRITE] = "BEGIN; SELECT pg_advisory_xact_lock(1129532484)",
		[TX_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ",
		[TX_SAVEPOINT] = "SAVEPOINT sp", [TX_RELEASE] = "RELEASE sp",
		[TX_ROLLBACK_TO] = "ROLLBACK TO sp", [TX_COMMIT] = "COMMIT",
		[TX_ROLLBACK] = "ROLLBACK",
	};
	pg_settle(s);
	int rc = pg_exec(s, sql[k], e);
	/* a BEGIN whose lock failed leaves a transaction open */
	if (rc < 0 && k == TX_BEGIN_WRITE && pq.PQtransactionStatus(CONN(s)->c) != PQTRANS_IDLE)
		pg_exec(s, "ROLLBACK", &(struct err){0});
	/* a COMMIT that failed ended the transaction all the same */
	return rc;
}

/* The whole database's statistics (a second or so for a million rows):
 * without them the planner takes every table as a few pages, and after a
 * bulk load it picks plans that are quadratic in the rows (the review's
 * refill rule ANDed two bitmap scans per medication: 8 s alone). */
static int pg_analyze(struct store *s, struct err *e)
{
	return pg_exec(s, "ANALYZE", e);
}

/* One value from a query with up to one parameter; NULL when no row. */
static char *query_one(struct store *s, const char *sql, const char *param, int *rc,
                       struct err *e)
{
	quiet(s);
	PGresult *r = pq.PQexecParams(CONN(s)->c, sql, param ? 1 : 0, NULL, &param, NULL, NULL, 0);
	char *v = NULL;
	*rc = 0;
	if (!r || pq.PQresultStatus(r) != PGRES_TUPLES_OK)
		*rc = pg_error(s, r, e);
	else if (pq.PQntuples(r) > 0 && !pq.PQgetisnull(r, 0, 0))
		v = xstrdup(pq.PQgetvalue(r, 0, 0));
	pq.PQclear(r);
	return v;
}

/* The schema version and the application's mark are rows of meta
 * (SQLite keeps them in its header). */
static int pg_version(struct store *s, long long *version, long long *appid,
                      long long *objects, struct err *e)
{
	int rc;
	*version = *appid = *objects = 0;
	char *v = query_one(s, "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
	                       "ON n.oid = c.relnamespace WHERE n.nspname = current_schema()",
	                    NULL, &rc, e);
	if (rc < 0)
		return rc;
	*objects = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	v = query_one(s, "SELECT to_regclass('meta') IS NOT NULL", NULL, &rc, e);
	bool meta = v && v[0] == 't';
	free(v);
	if (rc < 0 || !meta)
		return rc;
	v = query_one(s, "SELECT value FROM meta WHERE key = $1", "schema_version", &rc, e);
	*version = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	if (rc == 0) {
		v = query_one(s, "SELECT value FROM meta WHERE key = $1", "application_id", &rc, e);
		*appid = v ? strtoll(v, NULL, 10) : 0;
		free(v);
	}
	return rc;
}

static int pg_set_version(struct store *s, int version, struct err *e)
{
	char *sql = xasprintf("INSERT INTO meta(key, value) VALUES ('schema_version', '%d'), "
	                      "('application_id', '%d') "
	                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	                      version, STORE_APPLICATION_ID);
	int rc = pg_exec(s, sql, e);
	free(sql);
	return rc;
}

/* Another connection's change shows as a newer audit row: every write
 * writes one (this connection's own writes and reads count too: one
 * reload more, never one less). */
static long long pg_data_version(struct store *s)
{
	int rc;
	struct err e;
	char *v = query_one(s, "SELECT coalesce(max(id), 0) FROM audit", NULL, &rc, &e);
	long long n = rc < 0 ? -1 : v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return n;
}

/* ---- the live watch ----
 * A session of its own LISTENs on channel 'caseload', where the triggers
 * of migration 13 send the name of each table a committed statement
 * changed (nothing comes before the commit).  Its socket goes into the
 * screen's poll beside the keyboard.  The payload is a table: the screen
 * reloads what shows that kind of record.  What this store's own session
 * sent (be_pid) is left out: the screen has reloaded that already. */
static void listen_stop(struct pgconn *pc)
{
	if (pc->listen)
		pq.PQfinish(pc->listen);
	pc->listen = NULL;
	pc->listen_failed = true;
}

static int pg_watch_fd(struct store *s)
{
	struct pgconn *pc = CONN(s);
	if (!pc->listen && !pc->listen_failed) {
		static const char *const keys[] = {"dbname", "fallback_application_name", NULL};
		const char *const values[] = {pc->target, "caseload", NULL};
		pc->listen = pq.PQconnectdbParams(keys, values, 1);
		PGresult *r = NULL;
		if (pc->listen && pq.PQstatus(pc->listen) == CONNECTION_OK)
			r = pq.PQexec(pc->listen, "LISTEN caseload");
		bool ok = r && pq.PQresultStatus(r) == PGRES_COMMAND_OK;
		pq.PQclear(r);
		if (!ok)
			listen_stop(pc);
	}
	return pc->listen ? pq.PQsocket(pc->listen) : -1;
}

/* The kinds of record a table holds (an unknown one: anything). */
static unsigned table_kinds(const char *table)
{
	static const struct {
		const char *table;
		unsigned kinds;
	} map[] = {
		{"patient", CHANGE_PATIENT}, {"contact", CHANGE_CONTACT},
		{"care_team", CHANGE_CONTACT}, {"condition", CHANGE_CLINICAL},
		{"medication", CHANGE_CLINICAL}, {"appointment", CHANGE_APPT},
		{"task", CHANGE_TASK}, {"entry", CHANGE_ENTRY}, {"time_log", CHANGE_TIME},
		{"care_plan", CHANGE_PLAN}, {"goal", CHANGE_PLAN},
		{"review_mark", CHANGE_REVIEW}, {"team_member", CHANGE_TASK | CHANGE_PATIENT},
		/* what program.c and billing.c note when they change these */
		{"consent", CHANGE_PATIENT | CHANGE_TIME},
		{"episode", CHANGE_PATIENT | CHANGE_TIME | CHANGE_REVIEW},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (table && !strcmp(map[i].table, table))
			return map[i].kinds;
	return CHANGE_ALL;
}

static unsigned pg_watch_drain(struct store *s)
{
	struct pgconn *pc = CONN(s);
	if (!pc->listen)
		return 0;
	if (!pq.PQconsumeInput(pc->listen) || pq.PQstatus(pc->listen) != CONNECTION_OK) {
		listen_stop(pc);   /* the server went: store_data_version from now */
		return CHANGE_ALL;
	}
	int own = pq.PQbackendPID(pc->c);
	unsigned kinds = 0;
	PGnotify *n;
	while ((n = pq.PQnotifies(pc->listen))) {
		if (n->be_pid != own)
			kinds |= table_kinds(n->extra);
		pq.PQfreemem(n);
	}
	return kinds;
}

/* The server keeps its constraints itself (no row can refer to a missing
 * one) and checks its pages with its own tools (amcheck, data checksums):
 * nothing to add to the problems here. */
static int pg_check(struct store *s, struct strlist *problems, struct err *e)
{
	(void)s;
	(void)problems;
	(void)e;
	return 0;
}

/* The name shown in messages: never the connection string as typed (it
 * may hold a password). */
static char *display_name(PGconn *c)
{
	const char *host = pq.PQhost(c), *db = pq.PQdb(c), *user = pq.PQuser(c), *port = pq.PQport(c);
	return xasprintf("postgresql://%s@%s%s%s/%s", user && *user ? user : "?",
	                 host && *host ? host : "localhost", port && *port ? ":" : "",
	                 port && *port ? port : "", db && *db ? db : "?");
}

static int pg_open(struct store *s, const char *target, bool create, struct err *e)
{
	(void)create;   /* a server's database is made by its administrator */
	if (load_libpq(e) < 0)
		return e->code;
	struct pgconn *pc = xcalloc(1, sizeof *pc);
	s->db = pc;
	/* target as given (a URI or a conninfo, expanded by libpq); the
	 * sessions show as caseload's to the server's administrator unless
	 * target names itself */
	static const char *const keys[] = {"dbname", "fallback_application_name", NULL};
	const char *const values[] = {target, "caseload", NULL};
	pc->c = pq.PQconnectdbParams(keys, values, 1);
	pc->target = xstrdup(target);
	if (!pc->c)
		return err_set(e, ERR_FAIL, "cannot connect to PostgreSQL: out of memory");
	free(s->path);
	s->path = display_name(pc->c);
	if (pq.PQstatus(pc->c) != CONNECTION_OK) {
		char msg[400];
		snprintf(msg, sizeof msg, "%s", pq.PQerrorMessage(pc->c));
		size_t n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		return err_set(e, ERR_FAIL, "cannot connect to %s: %s", s->path, msg);
	}
	/* the audit's who is the role the server authenticated */
	int rc;
	char *who = query_one(s, "SELECT session_user", NULL, &rc, e);
	if (rc < 0)
		return rc;
	free(s->user);
	s->user = who ? who : xstrdup("unknown");
	return 0;
}

/* The server's notices (NOTICE, INFO) are not the user's business; a
 * lock waited for longer than SQLite's busy timeout is "busy, try again"
 * there too (55P03), not a wait without end. */
/* cursor_tuple_fraction: a listing's cursor (st_stream) is planned for
 * its first hundredth, not tenth: its first screenful early rather than
 * its whole soonest (an index read in order rather than a sort).
 * jit off: the server compiles a statement whose plan costs more than
 * jit_above_cost to machine code before its first row, some 30 ms that
 * caseload's statements (a listing read once, a look-up) never win back:
 * `patient list` of 20,000 had its first line after 53 ms with it, 23
 * without, and its last after 149 and 118. */
static int pg_settings(struct store *s, struct err *e)
{
	return pg_exec(s, "SET client_min_messages = warning; SET lock_timeout = '10s'; "
	                  "SET cursor_tuple_fraction = 0.01; SET jit = off", e);
}

static void pg_close(struct store *s)
{
	struct pgconn *pc = CONN(s);
	if (!pc)
		return;
	if (pc->c)
		pq.PQfinish(pc->c);
	if (pc->listen)
		pq.PQfinish(pc->listen);
	free(pc->target);
	free(pc);
	s->db = NULL;
}

const struct driver drv_pg = {
	.name = "PostgreSQL",
	.open = pg_open,
	.settings = pg_settings,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.step = pg_step,
	.reset = pg_reset,
	.stream = pg_stream,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.col_str = pg_col_str,
	.col_int = pg_col_int,
	.col_null = pg_col_null,
	.last_id = pg_last_id,
	.exec = pg_exec,
	.tx = pg_tx,
	.version = pg_version,
	.set_version = pg_set_version,
	.data_version = pg_data_version,
	.watch_fd = pg_watch_fd,
	.watch_drain = pg_watch_drain,
	.schema_sql =
		"SELECT 'table', c.relname, 'table' FROM pg_class c JOIN pg_namespace n "
		"ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' "
		"UNION ALL SELECT 'index', c.relname, pg_get_indexdef(c.oid) FROM pg_class c "
		"JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = current_schema() AND c.relkind = 'i' "
		"UNION ALL SELECT 'view', c.relname, pg_get_viewdef(c.oid) FROM pg_class c "
		"JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = current_schema() AND c.relkind = 'v' "
		"UNION ALL SELECT 'trigger', t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
		"JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE n.nspname = current_schema() AND NOT t.tgisinternal AND t.tgenabled <> 'D' "
		"ORDER BY 2",
	.check = pg_check,
	.cache_kb = NULL,
	.analyze = pg_analyze,
	.backup = NULL,
};
