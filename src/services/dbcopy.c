/* dbcopy: a whole caseload into a new or empty database (dbcopy.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "caseload/audit.h"
#include "caseload/config.h"
#include "caseload/dbcopy.h"
#include "caseload/safefile.h"
#include "caseload/store.h"

/* The source, opened, its chain verified and the read recorded. */
static int open_source(const char *src, const char *who, struct store **s, struct err *e)
{
	struct store_opts so = {.user = who, .no_create = true};
	struct audit_verify v;
	if (store_open(s, src, &so, e) < 0 || store_audit_verify(*s, &v, e) < 0)
		return e->code;
	if (v.kind)
		return err_set(e, ERR_FAIL, "%s: its audit chain is broken at row %lld (%s): a copy "
		               "would not verify; run 'caseload check' on it first", store_path(*s),
		               v.bad_id, v.kind);
	return audit_read(*s, "export", "db copy", 0, -1, e);
}

/* The target: a new file is made as a temporary file beside dst (sf),
 * renamed in place at the end; an existing database must be empty. */
static int open_target(const char *dst, const char *who, struct safefile *sf, bool *created,
                       struct store **d, struct err *e)
{
	struct stat st;
	*created = !config_db_is_server(dst) && stat(dst, &st) < 0 && errno == ENOENT;
	if (*created && safefile_open(sf, dst, 0, e) < 0)
		return e->code;
	struct store_opts so = {.user = who};
	if (store_open(d, *created ? sf->tmp : dst, &so, e) < 0)
		return e->code;
	struct strlist found = {0};
	int rc = store_copy_contents(*d, &found, e);
	if (rc == 0 && found.len) {
		struct buf b = {0};
		for (size_t i = 0; i < found.len; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", found.items[i]);
		rc = err_set(e, ERR_CONFLICT, "%s is not empty (%s): db copy goes only into a new or "
		             "empty database", store_path(*d), b.s);
		buf_free(&b);
	}
	strlist_free(&found);
	return rc;
}

/* Every table, then each one's count on both sides. */
static int copy_tables(struct store *s, struct store *d, struct db_copy_report *r,
                       struct err *e)
{
	size_t n;
	const struct store_copy_table *t = store_copy_tables(&n);
	if (n > DB_COPY_MAX_TABLES)
		return err_set(e, ERR_FAIL, "%zu tables, more than it can report", n);
	for (size_t i = 0; i < n; i++) {
		long long rows, in_src, in_dst;
		if (store_copy_rows(s, d, i, &rows, e) < 0 || store_copy_count(s, i, &in_src, e) < 0 ||
		    store_copy_count(d, i, &in_dst, e) < 0)
			return e->code;
		/* a merged table may keep rows of the target's own beside the
		 * source's (meta's notes; review_state's rows of a patient the
		 * source kept none for, stale) */
		if (rows != in_src || (t[i].merge ? in_dst < in_src : in_dst != in_src))
			return err_set(e, ERR_FAIL, "table %s has %lld rows in the source, %lld "
			               "were copied and the target has %lld; nothing was written",
			               t[i].name, in_src, rows, in_dst);
		r->tables[i].name = t[i].name;
		r->tables[i].rows = rows;
		r->rows += rows;
	}
	r->n_tables = n;
	return 0;
}

/* The copy in dst's one transaction, verified before it commits. */
static int copy_all(struct store *s, struct store *d, struct db_copy_report *r, struct err *e)
{
	if (store_begin_read(s, e) < 0)
		return e->code;
	if (store_copy_begin(d, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	int rc = copy_tables(s, d, r, e);
	store_rollback(s);   /* the snapshot read: nothing to keep */
	char detail[96];
	snprintf(detail, sizeof detail, "db copy: %zu tables, %lld rows", r->n_tables, r->rows);
	struct audit_verify v = {0};
	if (rc == 0)
		rc = store_copy_done(d, detail, e);
	if (rc == 0)
		rc = store_audit_verify(d, &v, e);
	if (rc == 0 && v.kind)
		rc = err_set(e, ERR_FAIL, "the copy's audit chain does not verify (%s); "
		             "nothing was written", v.what);
	if (rc < 0) {
		store_rollback(d);
		return rc;
	}
	r->chain = v.rows;
	if (store_commit(d, e) < 0)
		return e->code;
	return store_analyze(d, e);   /* a whole caseload just came in */
}

int db_copy(const char *src, const char *dst, const char *who, struct db_copy_report *r,
            struct err *e)
{
	memset(r, 0, sizeof *r);
	if (!strcmp(src, dst))
		return err_set(e, ERR_USAGE, "the source and the target are the same database");
	struct store *s = NULL, *d = NULL;
	struct safefile sf = {0};
	int rc = open_source(src, who, &s, e);
	if (rc == 0)
		rc = open_target(dst, who, &sf, &r->created, &d, e);
	if (rc == 0) {
		snprintf(r->src_name, sizeof r->src_name, "%s", store_path(s));
		snprintf(r->dst_name, sizeof r->dst_name, "%s", r->created ? dst : store_path(d));
		rc = copy_all(s, d, r, e);
	}
	store_close(&s);
	store_close(&d);   /* SQLite removes its -wal and -shm files beside it */
	if (rc < 0 || !r->created) {
		safefile_abort(&sf);
		return rc;
	}
	return safefile_commit(&sf, e);
}
