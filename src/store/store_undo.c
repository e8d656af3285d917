/* store_undo: the undo log (issue 14).  Every write of a person's change
 * goes to a change group, done here once for every table: st_insert notes
 * the row it added, st_update_of (and undo_before, for an update that is
 * not version checked) the row's columns as they were.  The columns are
 * store_copy.c's one list of them, so a column added later is covered.
 * Undoing a group deletes what it added and puts back what it changed,
 * each row only if it is still at the version the group left it at. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/store_undo.h"
#include "store_internal.h"

#define UNDO_BATCH 200             /* rows of a group read at a time */

/* The tables the log covers: the caseload's own records (an id and a
 * version); not the team's members, the staging area, the audit. */
static const struct store_copy_table *undo_table(const char *tbl)
{
	size_t n;
	const struct store_copy_table *t = store_copy_tables(&n);
	if (!tbl || !strcmp(tbl, "team_member"))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, tbl))
			return strcmp(t[i].key, "id") == 0 && strstr(t[i].cols, ", version") ? &t[i]
			                                                                     : NULL;
	return NULL;
}

static const char *what_of(const char *tbl)
{
	return !strcmp(tbl, "care_plan") ? "care plan" : !strcmp(tbl, "entry") ? "timeline entry"
	       : !strcmp(tbl, "time_log") ? "time log" : !strcmp(tbl, "care_team") ? "care team member"
	       : tbl;
}

void store_undo_what(struct store *s, long long patient_id, const char *fmt, ...)
{
	va_list ap;
	struct buf b = {0};
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(s->undo_what);
	s->undo_what = buf_steal(&b);
	if (patient_id)
		s->undo_patient = patient_id;
	if (s->undo_group && !s->undo_keep) {
		static const char sql[] =
			"UPDATE undo_group SET what = ?1, patient_id = coalesce(?2, patient_id) WHERE id = ?3";
		struct err ignore = {0};
		struct dbst *st = st_prep(s, sql, &ignore);
		if (st) {
			bind_text(st, 1, s->undo_what);
			bind_id(st, 2, s->undo_patient);
			bind_int(st, 3, s->undo_group);
			st_exec(s, st, &ignore);
		}
	}
}

/* The patient a row belongs to (0: none or not known). */
static long long row_patient(struct store *s, const struct store_copy_table *t, long long id)
{
	if (!strcmp(t->name, "patient"))
		return id;
	if (!strstr(t->cols, "patient_id"))
		return 0;
	struct sqlq q = {0};
	struct err ignore = {0};
	q_sql(&q, "SELECT patient_id FROM ");
	q_sql(&q, t->name);
	q_sql(&q, " WHERE id = ");
	q_int(&q, id);
	struct dbst *st = sq_prep(s, &q, &ignore);
	if (!st)
		return 0;
	long long p = st_step(s, st, &ignore) == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	return p;
}

/* The open transaction's group, made at its first row. */
static int group_here(struct store *s, const struct store_copy_table *t, long long id,
                      const char *op, struct err *e)
{
	static const char sql[] =
		"INSERT INTO undo_group(at, who, what, patient_id) VALUES (?1, ?2, ?3, ?4) RETURNING id";
	if (s->undo_group)
		return 0;
	char *what = s->undo_what ? NULL
	             : xasprintf("%s %s %lld", !strcmp(op, "insert") ? "added" : "changed",
	                         what_of(t->name), id);
	if (!s->undo_patient)
		s->undo_patient = row_patient(s, t, id);
	struct dbst *st = st_prep(s, sql, e);
	if (!st) {
		free(what);
		return e->code;
	}
	bind_int(st, 1, store_now());
	bind_text(st, 2, s->user);
	bind_text(st, 3, what ? what : s->undo_what);
	bind_id(st, 4, s->undo_patient);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		s->undo_group = col_int(st, 0);
	st_reset(st);
	free(what);
	if (rc < 0)
		return rc;
	s->undo_depth = s->depth;
	return 0;
}

static int add_row(struct store *s, const char *tbl, long long id, const char *op,
                   long long version, const char *image, struct err *e)
{
	static const char sql[] =
		"INSERT INTO undo_row(group_id, tbl, row_id, op, version, image) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	if (!image && pending_on(s))   /* written with the next ones */
		return pending_undo(s, tbl, id, op, version, e);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, s->undo_group);
	bind_text(st, 2, tbl);
	bind_int(st, 3, id);
	bind_text(st, 4, op);
	bind_int(st, 5, version);
	bind_text_ref(st, 6, image);
	return st_exec(s, st, e);
}

/* Write one row's note in a transaction of its own when there is none
 * (a write that ran alone). */
static int with_tx(struct store *s, int (*fn)(struct store *, void *, struct err *), void *arg,
                   struct err *e)
{
	bool own = s->depth == 0;
	if (own && store_begin(s, e) < 0)
		return e->code;
	int rc = fn(s, arg, e);
	if (own && rc < 0)
		store_rollback(s);
	else if (own)
		rc = store_commit(s, e);
	return rc;
}

struct note {
	const struct store_copy_table *t;
	long long id, version;
	const char *op, *image;
};

static int note_row(struct store *s, void *arg, struct err *e)
{
	static const char seen[] =
		"SELECT id FROM undo_row WHERE tbl = ?1 AND row_id = ?2 AND group_id = ?3";
	static const char later[] = "UPDATE undo_row SET version = ?1 WHERE id = ?2";
	struct note *n = arg;
	if (group_here(s, n->t, n->id, n->op, e) < 0)
		return e->code;
	if (!n->image)   /* a row added: new to the group */
		return add_row(s, n->t->name, n->id, n->op, n->version, NULL, e);
	/* a row changed twice in one group: its first image, its last version */
	struct dbst *st = st_prep(s, seen, e);
	if (!st)
		return e->code;
	bind_text(st, 1, n->t->name);
	bind_int(st, 2, n->id);
	bind_int(st, 3, s->undo_group);
	int rc = st_step(s, st, e);
	long long had = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	if (rc < 0)
		return rc;
	if (!had)
		return add_row(s, n->t->name, n->id, n->op, n->version, n->image, e);
	if (!(st = st_prep(s, later, e)))
		return e->code;
	bind_int(st, 1, n->version);
	bind_int(st, 2, had);
	return st_exec(s, st, e);
}

int undo_note_insert(struct store *s, const char *tbl, long long id, struct err *e)
{
	const struct store_copy_table *t = undo_table(tbl);
	if (!t || s->undo_off)
		return 0;
	struct note n = {.t = t, .id = id, .version = 1, .op = "insert"};
	return with_tx(s, note_row, &n, e);
}

/* The row's columns but its id, as "name=len:value;" (NULL "name~;"),
 * and its version; *found false when there is no such row. */
static int snapshot(struct store *s, const struct store_copy_table *t, long long id,
                    struct buf *img, long long *version, bool *found, struct err *e)
{
	struct sqlq q = {0};
	q_sql(&q, "SELECT ");
	q_sql(&q, t->cols);
	q_sql(&q, " FROM ");
	q_sql(&q, t->name);
	q_sql(&q, " WHERE id = ");
	q_int(&q, id);
	struct dbst *st = sq_prep(s, &q, e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	if (rc < 0)
		return rc;
	*found = rc == ST_ROW;
	char name[64];
	for (int i = 0; *found && store_col_name(t->cols, i, name, sizeof name); i++) {
		if (!strcmp(name, "id"))
			continue;
		const char *v = col_str(st, i);
		if (!strcmp(name, "version"))
			*version = col_int(st, i);
		if (!v || col_null(st, i))
			buf_addf(img, "%s~;", name);
		else
			buf_addf(img, "%s=%zu:%s;", name, strlen(v), v);
	}
	st_reset(st);
	return 0;
}

struct snap {
	const struct store_copy_table *t;
	struct buf img;
	long long version;
	bool found;
};

static int snap_take(struct store *s, const char *tbl, long long id, struct snap *sn,
                     struct err *e)
{
	memset(sn, 0, sizeof *sn);
	sn->t = s->undo_off ? NULL : undo_table(tbl);
	if (!sn->t)
		return 0;
	return snapshot(s, sn->t, id, &sn->img, &sn->version, &sn->found, e);
}

/* The snapshot as the row's note: the update made it version+1. */
static int snap_note(struct store *s, long long id, struct snap *sn, struct err *e)
{
	if (!sn->t || !sn->found)
		return 0;
	struct note n = {.t = sn->t, .id = id, .version = sn->version + 1, .op = "update",
	                 .image = sn->img.s};
	return with_tx(s, note_row, &n, e);
}

int st_update_of(struct store *s, struct dbst *st, const char *tbl, long long id,
                 struct err *e)
{
	struct snap sn;
	if (snap_take(s, tbl, id, &sn, e) < 0) {
		st_reset(st);
		buf_free(&sn.img);
		return e->code;
	}
	int rc = st_update(s, st, e);
	if (rc == 1 && snap_note(s, id, &sn, e) < 0)
		rc = e->code;
	buf_free(&sn.img);
	return rc;
}

int undo_before(struct store *s, const char *tbl, long long id, struct err *e)
{
	struct snap sn;
	int rc = snap_take(s, tbl, id, &sn, e);
	if (rc == 0)
		rc = snap_note(s, id, &sn, e);
	buf_free(&sn.img);
	return rc;
}

void undo_tx_end(struct store *s, bool committed)
{
	if (committed && s->undo_group && !s->undo_keep)
		s->undo_last = s->undo_group;
	if (s->undo_keep)
		return;
	s->undo_group = 0;
	s->undo_patient = 0;
	free(s->undo_what);
	s->undo_what = NULL;
}

void undo_savepoint_gone(struct store *s)
{
	if (s->undo_group && !s->undo_keep && s->depth <= s->undo_depth)
		s->undo_group = 0;   /* made inside what was rolled back */
}

long long store_undo_last(const struct store *s)
{
	return s->undo_last;
}

/* ---- an import's group: several transactions ---- */

int store_undo_run_begin(struct store *s, long long run_id, const char *what, struct err *e)
{
	static const char find[] = "SELECT id FROM undo_group WHERE run_id = ?1";
	static const char add[] =
		"INSERT INTO undo_group(at, who, what, patient_id, run_id) "
		"VALUES (?1, ?2, ?3, NULL, ?4) RETURNING id";
	if (store_begin(s, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, find, e);
	long long id = 0;
	int rc = st ? st_step(s, st, e) : e->code;
	if (rc == ST_ROW)
		id = col_int(st, 0);
	if (st)
		st_reset(st);
	if (rc >= 0 && !id) {
		if (!(st = st_prep(s, add, e))) {
			rc = e->code;
		} else {
			bind_int(st, 1, store_now());
			bind_text(st, 2, s->user);
			bind_text(st, 3, what);
			bind_int(st, 4, run_id);
			if ((rc = st_step(s, st, e)) == ST_ROW)
				id = col_int(st, 0);
			st_reset(st);
		}
	}
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, e)) < 0)
		return rc;
	undo_tx_end(s, false);
	s->undo_group = id;
	s->undo_keep = true;
	return 0;
}

void store_undo_run_end(struct store *s)
{
	if (s->undo_keep && s->undo_group)
		s->undo_last = s->undo_group;
	s->undo_keep = false;
	undo_tx_end(s, false);
}

/* ---- the groups ---- */

#define GROUP_COLS "g.id, g.at, g.who, g.what, g.patient_id, g.run_id, g.undone_at, " \
	"g.undone_by, (SELECT count(*) FROM undo_row r WHERE r.group_id = g.id)"

static void read_group(struct dbst *st, struct undo_group *g)
{
	g->id = col_int(st, 0);
	g->at = col_int(st, 1);
	g->who = col_text(st, 2);
	g->what = col_text(st, 3);
	g->patient_id = col_int(st, 4);
	g->run_id = col_int(st, 5);
	g->undone_at = col_int(st, 6);
	g->undone_by = col_text(st, 7);
	g->rows = col_int(st, 8);
}

void undo_group_clear(struct undo_group *g)
{
	str_free(g->who);
	str_free(g->what);
	str_free(g->undone_by);
	memset(g, 0, sizeof *g);
}

void undo_group_list_free(struct undo_group_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		undo_group_clear(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static int one_group(struct store *s, struct dbst *st, struct undo_group *out, struct err *e)
{
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_group(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : ERR_NOTFOUND;
}

int store_undo_get(struct store *s, long long id, struct undo_group *out, struct err *e)
{
	static const char sql[] = "SELECT " GROUP_COLS " FROM undo_group g WHERE g.id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = one_group(s, st, out, e);
	return rc == ERR_NOTFOUND ? err_set(e, ERR_NOTFOUND, "no change with id %lld", id) : rc;
}

int store_undo_of_run(struct store *s, long long run_id, struct undo_group *out, struct err *e)
{
	static const char sql[] = "SELECT " GROUP_COLS " FROM undo_group g WHERE g.run_id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, run_id);
	int rc = one_group(s, st, out, e);
	return rc == ERR_NOTFOUND ? err_set(e, ERR_NOTFOUND, "no import run %lld to undo", run_id)
	                          : rc;
}

int store_undo_latest(struct store *s, const char *who, struct undo_group *out, struct err *e)
{
	static const char sql[] =
		"SELECT " GROUP_COLS " FROM undo_group g WHERE g.who = ?1 AND g.undone_at IS NULL "
		"ORDER BY g.id DESC LIMIT 1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, who);
	int rc = one_group(s, st, out, e);
	return rc == ERR_NOTFOUND ? err_set(e, ERR_NOTFOUND, "%s has no change to undo", who) : rc;
}

int store_undo_list(struct store *s, const char *who, bool runs, int limit,
                    struct undo_group_list *out, struct err *e)
{
	static const char mine[] =
		"SELECT " GROUP_COLS " FROM undo_group g WHERE g.who = ?1 ORDER BY g.id DESC LIMIT ?2";
	static const char imports[] =
		"SELECT " GROUP_COLS " FROM undo_group g WHERE g.run_id IS NOT NULL "
		"ORDER BY g.id DESC LIMIT ?1";
	struct dbst *st = st_prep(s, runs ? imports : mine, e);
	if (!st)
		return e->code;
	if (runs) {
		bind_int(st, 1, limit);
	} else {
		bind_text(st, 1, who);
		bind_int(st, 2, limit);
	}
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_group(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- undoing ---- */

struct undo_item {
	long long id, row_id, version;
	char *tbl, *op, *image;
};

/* The value of name in an image: *v (not NUL-ended, *len bytes) or NULL;
 * false when the image has no such column. */
static bool image_value(const char *img, const char *name, const char **v, size_t *len)
{
	size_t n = strlen(name);
	for (const char *p = img; p && *p;) {
		const char *sep = p + strcspn(p, "=~");
		bool match = (size_t)(sep - p) == n && !strncmp(p, name, n);
		if (*sep == '~') {
			if (match)
				return *v = NULL, *len = 0, true;
			p = sep + 2;
			continue;
		}
		if (*sep != '=')
			return false;
		char *end;
		size_t l = strtoul(sep + 1, &end, 10);
		if (*end != ':')
			return false;
		if (match)
			return *v = end + 1, *len = l, true;
		p = end + 1 + l + 1;
	}
	return false;
}

/* Columns an undo does not put back: kept by triggers from other rows. */
static bool derived(const char *tbl, const char *col)
{
	return !strcmp(tbl, "patient") && !strcmp(col, "need_due");
}

static int stale(struct store *s, const char *tbl, long long id, struct err *e)
{
	struct err why = {0};
	store_stale(s, tbl, id, &why);
	/* "T N was changed by X at W since it was read (...): nothing was ..." */
	char *cut = strstr(why.msg, " since it was read");
	if (cut)
		*cut = '\0';
	return err_set(e, ERR_CONFLICT, "%s since (nothing was undone)", why.msg);
}

/* The version the row must have for the group to be undone: as the
 * group left it, or, when every later change of it was undone, as the
 * last of those undos left it (versions only grow). */
static int expected(struct store *s, const struct undo_item *it, long long group, long long *v,
                    struct err *e)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(CASE WHEN undone_version IS NULL THEN 1 ELSE 0 END), 0), "
		"max(undone_version) FROM undo_row WHERE tbl = ?1 AND row_id = ?2 AND group_id > ?3";
	*v = it->version;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, it->tbl);
	bind_int(st, 2, it->row_id);
	bind_int(st, 3, group);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW && col_int(st, 0) > 0 && col_int(st, 1) == 0)
		*v = col_int(st, 2);
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static int mark_row(struct store *s, const struct undo_item *it, long long version, struct err *e)
{
	static const char sql[] = "UPDATE undo_row SET undone_version = ?1 WHERE id = ?2";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, version);
	bind_int(st, 2, it->id);
	return st_exec(s, st, e);
}

static int put_back(struct store *s, const struct store_copy_table *t, const struct undo_item *it,
                    long long group, struct err *e)
{
	long long was;
	if (expected(s, it, group, &was, e) < 0)
		return e->code;
	struct sqlq q = {0};
	char name[64];
	char **vals = xcalloc(SQLQ_MAX_PARAMS, sizeof *vals);
	int nv = 0;
	q_sql(&q, "UPDATE ");
	q_sql(&q, t->name);
	q_sql(&q, " SET ");
	for (int i = 0; store_col_name(t->cols, i, name, sizeof name); i++) {
		const char *v;
		size_t len;
		if (!strcmp(name, "id") || !strcmp(name, "version") || derived(t->name, name) ||
		    !image_value(it->image, name, &v, &len) || nv >= SQLQ_MAX_PARAMS - 3)
			continue;
		if (v) {
			vals[nv] = xmalloc(len + 1);
			memcpy(vals[nv], v, len);
			vals[nv][len] = '\0';
		}
		q_sql(&q, name);   /* a name from the copy list, never a value */
		q_sql(&q, " = ");
		q_text(&q, vals[nv]);
		q_sql(&q, ", ");
		nv++;
	}
	q_sql(&q, "version = ");
	q_int(&q, was + 1);
	q_sql(&q, " WHERE id = ");
	q_int(&q, it->row_id);
	q_sql(&q, " AND version = ");
	q_int(&q, was);
	q_sql(&q, " RETURNING id");
	struct dbst *st = sq_prep(s, &q, e);
	int rc = st ? st_update(s, st, e) : e->code;
	for (int i = 0; i < nv; i++)
		free(vals[i]);
	free(vals);
	if (rc == 0)
		return stale(s, t->name, it->row_id, e);
	if (rc < 0)
		return rc;
	char detail[48];
	snprintf(detail, sizeof detail, "undo of change %lld", group);
	if (mark_row(s, it, was + 1, e) < 0 ||
	    store_audit(s, "update", t->name, it->row_id, detail, e) < 0)
		return e->code;
	if (!strcmp(t->name, "patient")) {   /* its search rows follow its name */
		struct patient p = {0};
		rc = store_patient_get(s, it->row_id, &p, e);
		if (rc == 0)
			rc = search_index(s, it->row_id, &p, e);
		patient_clear(&p);
	}
	return rc < 0 ? rc : 0;   /* not st_update's 1: the group's other rows follow */
}

/* Rows that refer to a row: deleting it would take them with it. */
static const struct {
	const char *parent, *col;
} refs[] = {
	{"patient", "patient_id"}, {"care_plan", "plan_id"}, {"contact", "contact_id"},
	{"contact", "prescriber_id"}, {"contact", "pharmacy_id"}, {"contact", "provider_id"},
};

static bool lists(const char *cols, const char *word)
{
	char name[64];
	for (int i = 0; store_col_name(cols, i, name, sizeof name); i++)
		if (!strcmp(name, word))
			return true;
	return false;
}

bool store_undo_patient_table(const struct store_copy_table *t)
{
	return undo_table(t->name) == t && lists(t->cols, "patient_id");
}

static int still_used(struct store *s, const char *tbl, long long id, struct err *e)
{
	size_t n;
	const struct store_copy_table *t = store_copy_tables(&n);
	for (size_t r = 0; r < sizeof refs / sizeof refs[0]; r++) {
		if (strcmp(refs[r].parent, tbl) != 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!undo_table(t[i].name) || !lists(t[i].cols, refs[r].col))
				continue;
			struct sqlq q = {0};
			q_sql(&q, "SELECT id FROM ");
			q_sql(&q, t[i].name);
			q_sql(&q, " WHERE ");
			q_sql(&q, refs[r].col);
			q_sql(&q, " = ");
			q_int(&q, id);
			q_sql(&q, " LIMIT 1");
			struct dbst *st = sq_prep(s, &q, e);
			if (!st)
				return e->code;
			int rc = st_step(s, st, e);
			long long child = rc == ST_ROW ? col_int(st, 0) : 0;
			st_reset(st);
			if (rc < 0)
				return rc;
			if (child)
				return err_set(e, ERR_CONFLICT, "%s %lld has had %s %lld added since "
				               "(nothing was undone)", tbl, id, what_of(t[i].name), child);
		}
	}
	return 0;
}

static int take_out(struct store *s, const struct store_copy_table *t, const struct undo_item *it,
                    long long group, struct err *e)
{
	long long was;
	if (expected(s, it, group, &was, e) < 0 || still_used(s, t->name, it->row_id, e) < 0)
		return e->code;
	struct sqlq q = {0};
	q_sql(&q, "DELETE FROM ");
	q_sql(&q, t->name);
	q_sql(&q, " WHERE id = ");
	q_int(&q, it->row_id);
	q_sql(&q, " AND version = ");
	q_int(&q, was);
	q_sql(&q, " RETURNING id");
	struct dbst *st = sq_prep(s, &q, e);
	int rc = st ? st_update(s, st, e) : e->code;
	if (rc == 0)
		return stale(s, t->name, it->row_id, e);
	if (rc < 0)
		return rc;
	char detail[48];
	snprintf(detail, sizeof detail, "undo of change %lld", group);
	return store_audit(s, "delete", t->name, it->row_id, detail, e);
}

static void items_clear(struct undo_item *it, int n)
{
	for (int i = 0; i < n; i++) {
		free(it[i].tbl);
		free(it[i].op);
		free(it[i].image);
	}
}

/* The group's rows before id `before`, newest first, UNDO_BATCH at most. */
static int next_items(struct store *s, long long group, long long before, struct undo_item *it,
                      int *n, struct err *e)
{
	static const char sql[] =
		"SELECT id, tbl, row_id, op, version, image FROM undo_row "
		"WHERE group_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT " SQL_STR(UNDO_BATCH);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, group);
	bind_int(st, 2, before);
	int rc;
	*n = 0;
	while ((rc = st_step(s, st, e)) == ST_ROW && *n < UNDO_BATCH) {
		struct undo_item *x = &it[(*n)++];
		x->id = col_int(st, 0);
		x->tbl = col_text(st, 1);
		x->row_id = col_int(st, 2);
		x->op = col_text(st, 3);
		x->version = col_int(st, 4);
		x->image = col_text(st, 5);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static int undo_rows(struct store *s, long long group, long long *rows, struct err *e)
{
	struct undo_item *it = xcalloc(UNDO_BATCH, sizeof *it);
	long long before = SQL_NO_LIMIT;
	int n = 0, rc;
	*rows = 0;
	while ((rc = next_items(s, group, before, it, &n, e)) == 0 && n > 0) {
		for (int i = 0; rc == 0 && i < n; i++) {
			const struct store_copy_table *t = undo_table(it[i].tbl);
			if (!t)
				rc = err_set(e, ERR_FAIL, "change %lld names table %s, which undo does not "
				             "know", group, it[i].tbl);
			else if (!strcmp(it[i].op, "insert"))
				rc = take_out(s, t, &it[i], group, e);
			else
				rc = put_back(s, t, &it[i], group, e);
			++*rows;
		}
		before = it[n - 1].id;
		items_clear(it, n);
		n = 0;
		if (rc < 0)
			break;
	}
	items_clear(it, n);
	free(it);
	return rc;
}

int store_undo_apply(struct store *s, long long group, long long *rows, struct err *e)
{
	static const char mark[] =
		"UPDATE undo_group SET undone_at = ?1, undone_by = ?2 "
		"WHERE id = ?3 AND undone_at IS NULL RETURNING id";
	struct undo_group g = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	bool off = s->undo_off;
	s->undo_off = true;   /* an undo's own writes are not a change to undo */
	int rc = store_undo_get(s, group, &g, e);
	if (rc == 0 && g.undone_at)
		rc = err_set(e, ERR_CONFLICT, "change %lld (%s) was undone already by %s", group,
		             g.what, g.undone_by ? g.undone_by : "?");
	if (rc == 0)
		rc = undo_rows(s, group, rows, e);
	struct dbst *st = rc == 0 ? st_prep(s, mark, e) : NULL;
	if (rc == 0 && !st)
		rc = e->code;
	if (st) {
		bind_int(st, 1, store_now());
		bind_text(st, 2, s->user);
		bind_int(st, 3, group);
		if ((rc = st_update(s, st, e)) == 0)
			rc = err_set(e, ERR_CONFLICT, "change %lld was undone already", group);
	}
	if (rc >= 0)
		rc = store_audit(s, "undo", "undo_group", group, g.what, e);
	s->undo_off = off;
	undo_group_clear(&g);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, e);
}
