/* store_pending: a bulk write's audit and undo rows, kept and then
 * written PENDING_ROWS at a time by one INSERT of many rows (one
 * statement's cost instead of PENDING_ROWS, on PostgreSQL one round trip:
 * an import adds an audit row and an undo row for each appointment).  The
 * rows are the same, in the same order (the audit's ids and hashes are
 * computed when each row is kept, as audit_chained would write it); they
 * are written before the transaction commits and before any statement
 * that names the audit or the undo rows runs (st_prep), and dropped with
 * a rollback, which in a bulk write takes all of it. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define PENDING_ROWS 64

struct pending_audit {
	long long id, at, row_id;
	bool has_row_id;
	char *who, *action, *tbl, *detail;
	char hash[AUDIT_HASH_HEX];
};

struct pending_undo {
	long long group_id, row_id, version;
	char *tbl, *op;
};

struct pending {
	struct pending_audit audit[PENDING_ROWS];
	struct pending_undo undo[PENDING_ROWS];
	int n_audit, n_undo;
	bool flushing;
};

#define ROWS2(x) x "," x
#define ROWS64(x) ROWS2(ROWS2(ROWS2(ROWS2(ROWS2(ROWS2(x))))))
static const char audit_many[] =
	"INSERT INTO audit(id, at, who, action, tbl, row_id, detail, hash) VALUES "
	ROWS64("(?,?,?,?,?,?,?,?)");
static const char undo_one[] =
	"INSERT INTO undo_row(group_id, tbl, row_id, op, version, image) VALUES (?,?,?,?,?,NULL)";
static const char undo_many[] =
	"INSERT INTO undo_row(group_id, tbl, row_id, op, version, image) VALUES "
	ROWS64("(?,?,?,?,?,NULL)");

bool pending_on(const struct store *s)
{
	return s->bulk;
}

static struct pending *pending_of(struct store *s)
{
	if (!s->pending)
		s->pending = xcalloc(1, sizeof *s->pending);
	return s->pending;
}

/* The kept audit rows: PENDING_ROWS to a statement, fewer one by one as
 * audit_chained writes a row outside a bulk write. */
static int write_audit(struct store *s, struct err *e)
{
	struct pending *p = s->pending;
	if (p->n_audit < PENDING_ROWS) {
		for (int i = 0; i < p->n_audit; i++) {
			const struct pending_audit *r = &p->audit[i];
			const struct audit_fields f = {.id = r->id, .at = r->at, .row_id = r->row_id,
			                               .has_row_id = r->has_row_id, .who = r->who,
			                               .action = r->action, .tbl = r->tbl,
			                               .detail = r->detail};
			if (audit_insert(s, &f, r->hash, e) < 0)
				return e->code;
		}
		return 0;
	}
	struct dbst *st = st_prep(s, audit_many, e);
	if (!st)
		return e->code;
	for (int i = 0; i < PENDING_ROWS; i++) {
		const struct pending_audit *r = &p->audit[i];
		int b = 8 * i;
		bind_int(st, b + 1, r->id);
		bind_int(st, b + 2, r->at);
		bind_text_ref(st, b + 3, r->who);
		bind_text_ref(st, b + 4, r->action);
		bind_text_ref(st, b + 5, r->tbl);
		if (r->has_row_id)
			bind_int(st, b + 6, r->row_id);
		bind_text_ref(st, b + 7, r->detail);
		bind_text_ref(st, b + 8, r->hash);
	}
	return st_exec(s, st, e) < 0 ? e->code : 0;
}

static int write_undo(struct store *s, struct err *e)
{
	struct pending *p = s->pending;
	int n = p->n_undo, done = 0;
	while (done < n) {
		int k = n - done == PENDING_ROWS ? PENDING_ROWS : 1;
		struct dbst *st = st_prep(s, k == PENDING_ROWS ? undo_many : undo_one, e);
		if (!st)
			return e->code;
		for (int i = 0; i < k; i++) {
			const struct pending_undo *r = &p->undo[done + i];
			int b = 5 * i;
			bind_int(st, b + 1, r->group_id);
			bind_text_ref(st, b + 2, r->tbl);
			bind_int(st, b + 3, r->row_id);
			bind_text_ref(st, b + 4, r->op);
			bind_int(st, b + 5, r->version);
		}
		if (st_exec(s, st, e) < 0)
			return e->code;
		done += k;
	}
	return 0;
}

static void drop_audit(struct pending *p)
{
	for (int i = 0; i < p->n_audit; i++) {
		struct pending_audit *r = &p->audit[i];
		free(r->who), free(r->action), free(r->tbl), free(r->detail);
	}
	p->n_audit = 0;
}

static void drop_undo(struct pending *p)
{
	for (int i = 0; i < p->n_undo; i++)
		free(p->undo[i].tbl), free(p->undo[i].op);
	p->n_undo = 0;
}

void pending_drop(struct store *s)
{
	struct pending *p = s->pending;
	if (!p)
		return;
	drop_audit(p);
	drop_undo(p);
}

/* The kept rows of one kind or both written and forgotten.  Each kind is
 * written when it is full, alone: the other, one row short of full as the
 * rows come in pairs, would go one row a statement. */
static int flush(struct store *s, bool audit, bool undo, struct err *e)
{
	struct pending *p = s->pending;
	if (!p || p->flushing || (p->n_audit == 0 && p->n_undo == 0))
		return 0;
	p->flushing = true;
	int rc = 0;
	if (audit)
		rc = write_audit(s, e);
	if (undo && rc == 0)
		rc = write_undo(s, e);
	p->flushing = false;
	if (audit || rc < 0)
		drop_audit(p);
	if (undo || rc < 0)
		drop_undo(p);
	if (rc < 0)
		s->bulk_failed = true;   /* rows lost: the transaction cannot commit */
	return rc;
}

int pending_flush(struct store *s, struct err *e)
{
	return flush(s, true, true, e);
}

bool pending_touches(const struct store *s, const char *sql)
{
	const struct pending *p = s->pending;
	return p && !p->flushing && (p->n_audit || p->n_undo) &&
	       (strstr(sql, "audit") || strstr(sql, "undo_row"));
}

int pending_audit(struct store *s, const struct audit_fields *f, const char *hash,
                  struct err *e)
{
	struct pending *p = pending_of(s);
	struct pending_audit *r = &p->audit[p->n_audit++];
	*r = (struct pending_audit){.id = f->id, .at = f->at, .row_id = f->row_id,
	                            .has_row_id = f->has_row_id, .who = xstrdup(f->who),
	                            .action = xstrdup(f->action), .tbl = xstrdup(f->tbl),
	                            .detail = xstrdup(f->detail)};
	memcpy(r->hash, hash, AUDIT_HASH_HEX);
	return p->n_audit == PENDING_ROWS ? flush(s, true, false, e) : 0;
}

int pending_undo(struct store *s, const char *tbl, long long id, const char *op,
                 long long version, struct err *e)
{
	struct pending *p = pending_of(s);
	p->undo[p->n_undo++] = (struct pending_undo){.group_id = s->undo_group, .row_id = id,
	                                             .version = version, .tbl = xstrdup(tbl),
	                                             .op = xstrdup(op)};
	return p->n_undo == PENDING_ROWS ? flush(s, false, true, e) : 0;
}

void pending_free(struct store *s)
{
	pending_drop(s);
	free(s->pending);
	s->pending = NULL;
}
