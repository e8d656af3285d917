/* store_audit: the audit's hash chain, its verification, and whether the
 * schema is the one this caseload makes.
 *
 * The chain.  Every audit row written since the audit was sealed has
 *
 *     hash = hex(SHA-256(F(prev) F(id) F(at) F(who) F(action) F(tbl)
 *                        F(row_id) F(detail)))
 *
 * where prev is the stored hash of the row before it (the text "" for the
 * first row, or when that row has none), integers are written in decimal,
 * and F(x) is the byte length of x in decimal, ':', then x's bytes; F of
 * NULL is the one byte '-' (a length never starts with it).  So no two
 * different rows encode alike.  meta's 'audit_head' holds "ID HASH" of
 * the last row caseload wrote, which shows rows removed from the end, or
 * added after it, by something else.  Everything is computed in C
 * (libsodium's SHA-256), so the chain does not depend on the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store_internal.h"

/* v in decimal (as "%lld" writes it), ending at `end`; its first byte. */
static char *decimal(char *end, long long v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--end = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--end = '-';
	return end;
}

static void feed_n(crypto_hash_sha256_state *h, const char *v, size_t n)
{
	char len[32];
	len[sizeof len - 1] = ':';
	char *p = decimal(len + sizeof len - 1, (long long)n);
	crypto_hash_sha256_update(h, (const unsigned char *)p, (unsigned long long)(len + sizeof len - p));
	crypto_hash_sha256_update(h, (const unsigned char *)v, n);
}

static void feed(crypto_hash_sha256_state *h, const char *v)
{
	if (!v) {
		crypto_hash_sha256_update(h, (const unsigned char *)"-", 1);
		return;
	}
	feed_n(h, v, strlen(v));
}

static void feed_int(crypto_hash_sha256_state *h, long long v)
{
	char num[32];
	char *p = decimal(num + sizeof num, v);
	feed_n(h, p, (size_t)(num + sizeof num - p));
}

void audit_row_hash(const char *prev, const struct audit_fields *f, char out[AUDIT_HASH_HEX])
{
	crypto_hash_sha256_state h;
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	feed(&h, prev ? prev : "");
	feed_int(&h, f->id);
	feed_int(&h, f->at);
	feed(&h, f->who);
	feed(&h, f->action);
	feed(&h, f->tbl);
	if (f->has_row_id)
		feed_int(&h, f->row_id);
	else
		feed(&h, NULL);
	feed(&h, f->detail);
	crypto_hash_sha256_final(&h, sum);
	sodium_bin2hex(out, AUDIT_HASH_HEX, sum, sizeof sum);
}

int audit_chain_version(void)
{
	for (int i = 0; i < store_n_migrations; i++)
		if (store_migrations[i].after == audit_seal)
			return i + 1;
	return store_n_migrations + 1;
}

/* One audit row as stored. */
struct arow {
	struct audit_fields f;
	char *hash;            /* NULL when the row has none */
};

static const char rows_sql[] =
	"SELECT id, at, who, action, tbl, row_id, detail, hash FROM audit ORDER BY id";

static void arow_read(struct dbst *st, struct arow *r)
{
	r->f.id = col_int(st, 0);
	r->f.at = col_int(st, 1);
	r->f.who = col_text(st, 2);
	r->f.action = col_text(st, 3);
	r->f.tbl = col_text(st, 4);
	r->f.has_row_id = !col_null(st, 5);
	r->f.row_id = col_int(st, 5);
	r->f.detail = col_text(st, 6);
	r->hash = col_text(st, 7);
}

static void arow_clear(struct arow *r)
{
	str_free(r->f.who);
	str_free(r->f.action);
	str_free(r->f.tbl);
	str_free(r->f.detail);
	free(r->hash);
	memset(r, 0, sizeof *r);
}

int audit_seal(struct store *s, struct err *e)
{
	static const char put[] = "UPDATE audit SET hash = ?1 WHERE id = ?2";
	struct dbst *st = st_prep(s, rows_sql, e);
	if (!st)
		return e->code;
	char prev[AUDIT_HASH_HEX] = "";
	long long n = 0, last = 0;
	struct { long long id; char hash[AUDIT_HASH_HEX]; } *h = NULL;
	size_t cap = 0;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct arow r = {0};
		arow_read(st, &r);
		void *p = h;
		xgrow(&p, &cap, (size_t)n + 1, sizeof *h);
		h = p;
		h[n].id = last = r.f.id;
		audit_row_hash(prev, &r.f, h[n].hash);
		memcpy(prev, h[n].hash, sizeof prev);
		n++;
		arow_clear(&r);
	}
	st_reset(st);
	for (long long i = 0; rc >= 0 && i < n; i++) {
		if (!(st = st_prep(s, put, e)))
			rc = e->code;
		else {
			bind_text(st, 1, h[i].hash);
			bind_int(st, 2, h[i].id);
			rc = st_exec(s, st, e);
		}
	}
	free(h);
	if (rc < 0)
		return rc;
	if ((rc = s->drv->exec(s, store_audit_no_update, e)) < 0)
		return rc;
	s->chain = true;
	char detail[80];
	snprintf(detail, sizeof detail, "sealed %lld earlier rows", n);
	return store_audit(s, "seal", "audit", last, detail, e);
}

/* ---- verifying the chain ---- */

static bool is_hex_hash(const char *h)
{
	if (!h || strlen(h) != AUDIT_HASH_HEX - 1)
		return false;
	for (const char *p = h; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* meta's audit_head, "ID HASH": 0 with id = 0 when there is none, -1
 * when it is not of that form. */
static int read_head(struct store *s, long long *id, char hash[AUDIT_HASH_HEX], struct err *e)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = 'audit_head'";
	*id = 0;
	hash[0] = '\0';
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	if (rc == ST_ROW) {
		const char *v = col_str(st, 0);
		char *end = NULL;
		long long n = v ? strtoll(v, &end, 10) : 0;
		if (!v || end == v || *end != ' ' || n <= 0 || !is_hex_hash(end + 1)) {
			*id = -1;
		} else {
			*id = n;
			memcpy(hash, end + 1, AUDIT_HASH_HEX);
		}
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static bool row_ok(const char *prev, const struct arow *r)
{
	char want[AUDIT_HASH_HEX];
	if (!r->hash)
		return false;
	audit_row_hash(prev, &r->f, want);
	return !strcmp(want, r->hash);
}

/* Row r (after prev) does not match its hash: say how, looking at the
 * next row when there is one.  If the next row still chains to r's
 * stored hash, that hash is the one r was written with, so r's fields
 * changed since. */
static void explain_mismatch(const struct arow *r, const struct arow *next,
                             struct audit_verify *out)
{
	out->bad_id = r->f.id;
	if (!r->hash) {
		out->kind = "forged";
		snprintf(out->what, sizeof out->what, "row %lld has no hash: it was written outside "
		         "caseload", r->f.id);
	} else if (!is_hex_hash(r->hash)) {
		out->kind = "forged";
		snprintf(out->what, sizeof out->what, "row %lld has a hash caseload does not write: "
		         "it was written outside caseload", r->f.id);
	} else if (next && row_ok(r->hash, next)) {
		out->kind = "edited";
		snprintf(out->what, sizeof out->what, "row %lld was edited: its fields are not the "
		         "ones it was written with", r->f.id);
	} else {
		out->kind = "hash mismatch";
		snprintf(out->what, sizeof out->what, "row %lld does not match its hash (%s)",
		         r->f.id, next ? "its hash was rewritten too: edited and re-hashed, or written "
		         "outside caseload" : "edited, or written outside caseload");
	}
}

/* "row 5 is" or "rows 5 to 7 are". */
static const char *rows_text(long long from, long long to, char out[64])
{
	if (from == to)
		snprintf(out, 64, "row %lld is", from);
	else
		snprintf(out, 64, "rows %lld to %lld are", from, to);
	return out;
}

/* The rows from the chain's start: the first one not chained to the one
 * before it, or a gap in the ids. */
static int walk(struct store *s, struct audit_verify *out, long long *last_id,
                char last_hash[AUDIT_HASH_HEX], struct err *e)
{
	struct dbst *st = st_prep(s, rows_sql, e);
	if (!st)
		return e->code;
	char prev[AUDIT_HASH_HEX] = "";
	long long want = 1;
	struct arow r = {0}, next = {0};
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		arow_clear(&r);
		arow_read(st, &r);
		if (r.f.id < want) {   /* ids start at 1: caseload never writes 0 or less */
			out->bad_id = r.f.id, out->kind = "forged";
			snprintf(out->what, sizeof out->what, "row %lld has an id caseload does not "
			         "write: it was written outside caseload", r.f.id);
			break;
		}
		if (r.f.id != want) {
			char rows[64];
			out->bad_id = want, out->kind = "missing";
			snprintf(out->what, sizeof out->what, "%s missing (deleted): the ids go from "
			         "%lld to %lld", rows_text(want, r.f.id - 1, rows), want - 1, r.f.id);
			break;
		}
		if (!row_ok(prev, &r)) {
			if ((rc = st_step(s, st, e)) == ST_ROW)
				arow_read(st, &next);
			explain_mismatch(&r, rc == ST_ROW ? &next : NULL, out);
			break;
		}
		snprintf(prev, sizeof prev, "%s", r.hash);
		out->rows++;
		want++;
	}
	*last_id = want - 1;
	snprintf(last_hash, AUDIT_HASH_HEX, "%s", prev);
	arow_clear(&r);
	arow_clear(&next);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* The last row against the recorded head: rows removed from the end, or
 * added after it, by something else. */
static int head_check(struct store *s, long long last_id, const char *last_hash,
                      struct audit_verify *out, struct err *e)
{
	long long hid;
	char hhash[AUDIT_HASH_HEX];
	if (read_head(s, &hid, hhash, e) < 0)
		return e->code;
	out->kind = "head";
	if (hid <= 0) {
		out->bad_id = last_id;
		snprintf(out->what, sizeof out->what, "the chain's head (meta audit_head) is %s",
		         hid ? "damaged" : "missing");
	} else if (hid > last_id) {
		char rows[64];
		out->bad_id = last_id + 1;
		snprintf(out->what, sizeof out->what, "%s missing at the end (deleted): the chain's "
		         "head is row %lld", rows_text(last_id + 1, hid, rows), hid);
	} else if (hid < last_id) {
		out->bad_id = hid + 1;
		snprintf(out->what, sizeof out->what, "rows after %lld were added outside caseload "
		         "(the chain's head is row %lld)", hid, hid);
	} else if (strcmp(hhash, last_hash) != 0) {
		out->bad_id = hid;
		snprintf(out->what, sizeof out->what, "row %lld is not the row caseload wrote last "
		         "(its hash differs from the chain's head)", hid);
	} else {
		out->kind = NULL;
	}
	return 0;
}

int store_audit_verify(struct store *s, struct audit_verify *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!s->chain)
		return err_set(e, ERR_FAIL, "%s: the audit has no hash chain yet (schema %d): open "
		               "it with this caseload to migrate it", s->path, store_version(s));
	if (store_begin_read(s, e) < 0)
		return e->code;
	long long last_id = 0;
	char last_hash[AUDIT_HASH_HEX];
	int rc = walk(s, out, &last_id, last_hash, e);
	if (rc == 0 && !out->kind) {
		/* the rows after a broken one were not walked: the head is
		 * compared with the whole chain only */
		rc = head_check(s, last_id, last_hash, out, e);
	}
	if (rc < 0)
		store_rollback(s);
	else
		rc = store_commit(s, e);
	return rc;
}

/* ---- the schema this caseload makes ---- */

struct sobj {
	char *type, *name, *sql;   /* sql with its white space runs made one space */
};
struct sobj_list {
	struct sobj *items;
	size_t len, cap;
};

static char *normalise(const char *sql)
{
	struct buf b = {0};
	bool space = false;
	for (const char *p = sql ? sql : ""; *p; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			space = true;
			continue;
		}
		if (space && b.len)
			buf_addc(&b, ' ');
		space = false;
		buf_addc(&b, *p);
	}
	return buf_steal(&b);
}

static void sobj_free(struct sobj_list *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].type);
		free(l->items[i].name);
		free(l->items[i].sql);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* Tables, indexes, triggers and views as the driver lists them (its own
 * left out): rows of type, name and the text that makes it. */
static int read_schema(struct store *s, struct sobj_list *out, struct err *e)
{
	struct dbst *st = st_prep(s, s->drv->schema_sql, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		void *p = out->items;
		xgrow(&p, &out->cap, out->len + 1, sizeof *out->items);
		out->items = p;
		struct sobj *o = &out->items[out->len++];
		o->type = col_text(st, 0);
		o->name = col_text(st, 1);
		o->sql = normalise(col_str(st, 2));
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static const struct sobj *find(const struct sobj_list *l, const char *name)
{
	for (size_t i = 0; i < l->len; i++)
		if (!strcmp(l->items[i].name, name))
			return &l->items[i];
	return NULL;
}

/* What this caseload makes: every migration run on a new database in
 * memory (not a list kept by hand, which would drift). */
static int expected_schema(const char *user, struct sobj_list *out, struct err *e)
{
	struct store *m = NULL;
	int rc = store_open_memory(&m, user, e);
	if (rc == 0 && (rc = st_migrate(m, 0, store_n_migrations, e)) == 0)
		rc = read_schema(m, out, e);
	store_close(&m);
	return rc;
}

/* Linked into caseload, not into every program (store.h). */
extern const struct store_schema_want store_schema_want __attribute__((weak));

/* The list as `make` found it, when it holds for this SQLite. */
static bool built_schema(struct sobj_list *out)
{
	const struct store_schema_want *w = &store_schema_want;
	if (!w || w->sqlite_version != sqlite3_libversion_number() ||
	    w->migrations != store_n_migrations)
		return false;
	out->items = xcalloc((size_t)w->len + 1, sizeof *out->items);
	out->cap = (size_t)w->len + 1;
	for (int i = 0; i < w->len; i++)
		out->items[out->len++] = (struct sobj){xstrdup(w->rows[i][0]), xstrdup(w->rows[i][1]),
		                                       xstrdup(w->rows[i][2])};
	return true;
}

static void c_string(FILE *out, const char *v)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\%03o", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

int store_schema_want_c(FILE *out, struct err *e)
{
	struct sobj_list l = {0};
	if (sodium_init() < 0)
		return err_set(e, ERR_FAIL, "cannot start libsodium (the audit's hashes)");
	if (expected_schema("make", &l, e) < 0) {
		sobj_free(&l);
		return e->code;
	}
	fputs("/* The schema caseload's migrations make, written by tools/schema_want.c\n"
	      " * when caseload was built (store.h, store_schema_want). */\n"
	      "#include \"caseload/store.h\"\n"
	      "extern const struct store_schema_want store_schema_want;\n"
	      "static const char *const rows[][3] = {\n", out);
	for (size_t i = 0; i < l.len; i++) {
		fputs("\t{", out);
		c_string(out, l.items[i].type);
		fputs(", ", out);
		c_string(out, l.items[i].name);
		fputs(",\n\t ", out);
		c_string(out, l.items[i].sql);
		fputs("},\n", out);
	}
	fprintf(out, "};\nconst struct store_schema_want store_schema_want = {%d, %d, %zu, rows};\n",
	        sqlite3_libversion_number(), store_n_migrations, l.len);
	sobj_free(&l);
	return ferror(out) ? err_set(e, ERR_FAIL, "cannot write the schema") : 0;
}

/* On PostgreSQL what is compared is what guards the audit (its triggers,
 * by name): the server keeps the rest (constraints, types), only its
 * owner can change them, and the schema-parity test compares the
 * baseline with SQLite's.  The want list then names only those. */
static void pg_guards(struct sobj_list *want, struct sobj_list *have)
{
	for (size_t i = 0; store_pg_guards[i].name; i++) {
		void *p = want->items;
		xgrow(&p, &want->cap, want->len + 1, sizeof *want->items);
		want->items = p;
		struct sobj *o = &want->items[want->len++];
		o->type = xstrdup("trigger");
		o->name = xstrdup(store_pg_guards[i].name);
		o->sql = xstrdup(store_pg_guards[i].sql);
		/* present: as it is (its text is the server's own words) */
		const struct sobj *h = find(have, o->name);
		if (h && !strcmp(h->type, "trigger")) {
			free(o->sql);
			o->sql = xstrdup(h->sql);
		}
	}
	/* the rest is not compared: the same in both lists */
	size_t n = have->len;
	for (size_t i = 0; i < n; i++) {
		const struct sobj *h = &have->items[i];
		if (find(want, h->name))
			continue;
		void *p = want->items;
		xgrow(&p, &want->cap, want->len + 1, sizeof *want->items);
		want->items = p;
		h = &have->items[i];
		want->items[want->len++] = (struct sobj){xstrdup(h->type), xstrdup(h->name),
		                                         xstrdup(h->sql)};
	}
}

static int compare(const struct sobj_list *want, const struct sobj_list *have,
                   struct strlist *diff)
{
	for (size_t i = 0; i < want->len; i++) {
		const struct sobj *w = &want->items[i], *h = find(have, w->name);
		char *m = NULL;
		if (!h)
			m = xasprintf("missing %s %s", w->type, w->name);
		else if (strcmp(h->type, w->type) != 0 || strcmp(h->sql, w->sql) != 0)
			m = xasprintf("changed %s %s", w->type, w->name);
		if (m)
			strlist_add(diff, m);
		free(m);
	}
	for (size_t i = 0; i < have->len; i++)
		if (!find(want, have->items[i].name)) {
			char *m = xasprintf("extra %s %s", have->items[i].type, have->items[i].name);
			strlist_add(diff, m);
			free(m);
		}
	return 0;
}

static int schema_diff(struct store *s, struct sobj_list *want, struct sobj_list *have,
                       struct strlist *diff, struct err *e)
{
	int rc = 0;
	if (s->drv == &drv_pg) {
		rc = read_schema(s, have, e);
		if (rc == 0)
			pg_guards(want, have);
		return rc < 0 ? rc : compare(want, have, diff);
	}
	rc = built_schema(want) ? 0 : expected_schema(s->user, want, e);
	if (rc == 0)
		rc = read_schema(s, have, e);
	return rc < 0 ? rc : compare(want, have, diff);
}


int store_schema_diff(struct store *s, struct strlist *diff, struct err *e)
{
	struct sobj_list want = {0}, have = {0};
	int rc = schema_diff(s, &want, &have, diff, e);
	sobj_free(&want);
	sobj_free(&have);
	return rc;
}

/* The last row against the head: one look-up, not the whole chain. */
static int tail_check(struct store *s, struct audit_verify *v, struct err *e)
{
	memset(v, 0, sizeof *v);
	long long id;
	char hash[AUDIT_HASH_HEX];
	if (audit_last(s, &id, hash, e) < 0)
		return e->code;
	return head_check(s, id, hash, v, e);
}

int audit_protections(struct store *s, struct strlist *problems, struct err *e)
{
	if (!s->chain)
		return 0;
	/* one snapshot: another caseload may commit between two reads, and
	 * its head would then seem ahead of the last row read before it */
	if (store_begin_read(s, e) < 0)
		return e->code;
	struct audit_verify v;
	if (store_schema_diff(s, problems, e) < 0 || tail_check(s, &v, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (v.kind)
		strlist_add(problems, v.what);
	return store_commit(s, e);
}

/* ---- putting protections back (`caseload check`) ---- */

static int exec_one(struct store *s, const char *sql, struct err *e)
{
	return s->drv->exec(s, sql, e);
}

/* The quoted name for DROP (a quote in it doubled). */
static char *drop_sql(const struct sobj *o)
{
	struct buf b = {0};
	buf_addf(&b, "DROP %s \"", o->type);
	for (const char *p = o->name; *p; p++) {
		if (*p == '"')
			buf_addc(&b, '"');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '"');
	return buf_steal(&b);
}

/* Make one kind of object (index, view, trigger) what this caseload
 * makes: drop the extra and changed ones, create the missing and changed
 * ones.  What was done is appended to `done`. */
static int repair_kind(struct store *s, const char *type, const struct sobj_list *want,
                       const struct sobj_list *have, struct strlist *done, struct err *e)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < have->len; i++) {
		const struct sobj *h = &have->items[i], *w = find(want, h->name);
		if (strcmp(h->type, type) != 0 || (w && !strcmp(w->type, h->type) && !strcmp(w->sql, h->sql)))
			continue;
		char *sql = drop_sql(h);
		rc = exec_one(s, sql, e);
		free(sql);
		if (rc == 0 && !w) {
			char *m = xasprintf("dropped %s %s", h->type, h->name);
			strlist_add(done, m);
			free(m);
		}
	}
	for (size_t i = 0; rc == 0 && i < want->len; i++) {
		const struct sobj *w = &want->items[i], *h = find(have, w->name);
		if (strcmp(w->type, type) != 0 || (h && !strcmp(w->type, h->type) && !strcmp(w->sql, h->sql)))
			continue;
		rc = exec_one(s, w->sql, e);
		if (rc == 0) {
			char *m = xasprintf("%s %s %s", h ? "re-made" : "re-created", w->type, w->name);
			strlist_add(done, m);
			free(m);
		}
	}
	return rc;
}

int store_repair(struct store *s, struct strlist *done, struct err *e)
{
	if (!s->chain)
		return 0;
	struct sobj_list want = {0}, have = {0};
	struct strlist diff = {0};
	struct audit_verify v = {0};
	/* nothing to do: no write transaction (the file may be read-only) */
	struct strlist found = {0};
	int rc = audit_protections(s, &found, e);
	size_t n_found = found.len;
	strlist_free(&found);
	if (rc < 0 || n_found == 0)
		return rc < 0 ? rc : store_recheck(s, e);
	/* looked at again and repaired in one write transaction */
	s->repairing = true;
	if ((rc = store_begin(s, e)) < 0)
		goto out;
	rc = schema_diff(s, &want, &have, &diff, e);
	if (rc == 0)
		rc = tail_check(s, &v, e);
	bool head_wrong = v.kind != NULL;
	/* views before the triggers that use them */
	static const char *const kinds[] = {"index", "view", "trigger"};
	for (size_t k = 0; rc == 0 && k < 3; k++)
		rc = repair_kind(s, kinds[k], &want, &have, done, e);
	if (rc == 0 && head_wrong) {
		long long hid;
		char hhash[AUDIT_HASH_HEX];
		if ((rc = read_head(s, &hid, hhash, e)) == 0) {
			char *m = hid > 0 ? xasprintf("the chain's head was row %lld; it is this row now", hid)
			                  : xstrdup("the chain's head was missing; it is this row now");
			strlist_add(done, m);
			free(m);
		}
	}
	if (rc == 0 && done->len) {
		struct buf b = {0};
		for (size_t i = 0; i < done->len; i++)
			buf_addf(&b, "%s%s", i ? "; " : "", done->items[i]);
		rc = store_audit(s, "repair", "schema", 0, b.s, e);
		buf_free(&b);
	}
	if (rc < 0)
		store_rollback(s);
	else
		rc = store_commit(s, e);
out:
	s->repairing = false;
	sobj_free(&want);
	sobj_free(&have);
	strlist_free(&diff);
	return rc < 0 ? rc : store_recheck(s, e);
}

/* ---- who did what to or with a patient ---- */

int store_audit_read(struct store *s, const char *action, long long patient_id,
                     const char *detail, struct err *e)
{
	return store_audit(s, action, "patient", patient_id, detail, e);
}

int store_audit_patient(struct store *s, long long patient_id, int limit,
                        struct audit_list *out, struct err *e)
{
	return store_audit_patient_each(s, patient_id, limit, audit_push, out, e);
}

int store_audit_patient_each(struct store *s, long long patient_id, int limit,
                             store_audit_fn *fn, void *ctx, struct err *e)
{
	/* the patient's row, their review marks, and the rows of every record
	 * of theirs the undo log covers (its list of the caseload's tables: a
	 * table added there is in the patient's trail without a word here) */
	struct sqlq q = {0};
	size_t n;
	const struct store_copy_table *t = store_copy_tables(&n);
	q_sql(&q, "SELECT id, at, who, action, tbl, row_id, detail FROM audit "
	          "WHERE (tbl IN ('patient', 'review_mark') AND row_id = ");
	q_int(&q, patient_id);
	q_sql(&q, ")");
	for (size_t i = 0; i < n; i++) {
		if (!store_undo_patient_table(&t[i]))
			continue;
		q_sql(&q, " OR (tbl = '");
		q_sql(&q, t[i].name);
		q_sql(&q, "' AND row_id IN (SELECT id FROM ");
		q_sql(&q, t[i].name);
		q_sql(&q, " WHERE patient_id = ?1))");
	}
	q_sql(&q, " ORDER BY id DESC LIMIT ");
	q_int(&q, limit > 0 ? limit : SQL_NO_LIMIT);
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	return audit_each(s, st, fn, ctx, e);
}
