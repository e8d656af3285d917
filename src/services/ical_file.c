/* ical_file: the export use case that the command line and the screen
 * share.  It owns the defaults (ICAL_EXPORT_DETAIL, ICAL_EXPORT_ALARMS,
 * from today with no end), picks the rows (every appointment that may fall
 * in the range, or for the agenda those with an occurrence in it) and
 * writes the file safely: never through a symbolic link, never leaving a
 * half-written or world-readable file, never losing the one that was
 * there when something fails. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/audit.h"
#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/tz.h"

/* What a request asks for, checked, with the defaults filled in. */
struct plan {
	struct ical_export_opts o;
	int *alarms;
	long long from, to;        /* UTC instants, [from, to) */
};

static int plan_export(const struct ical_export_req *rq, struct plan *p, struct err *e)
{
	const char *detail = rq->detail ? rq->detail : ICAL_EXPORT_DETAIL;
	memset(p, 0, sizeof *p);
	p->o.now = rq->now;
	if (!strcmp(detail, "minimal"))
		p->o.detail = ICAL_DETAIL_MINIMAL;
	else if (!strcmp(detail, "full"))
		p->o.detail = ICAL_DETAIL_FULL;
	else
		return err_set(e, ERR_USAGE, "detail '%s' is not minimal or full", detail);
	if (ical_parse_alarms(rq->alarms ? rq->alarms : ICAL_EXPORT_ALARMS, &p->alarms,
	                      &p->o.n_alarms, e) < 0)
		return e->code;
	p->o.alarms = p->alarms;
	p->to = date_utc_midnight(date_from_ymd(9999, 12, 31));
	if (tz_local_to_utc(rq->zone, rq->has_from ? rq->from : rq->today, 0, &p->from, e) < 0 ||
	    (rq->has_to && tz_local_to_utc(rq->zone, rq->to + 1, 0, &p->to, e) < 0))
		return e->code;
	if (p->to <= p->from)
		return err_set(e, ERR_USAGE, "the last day is before the first");
	return 0;
}

/* ---- writing a file safely ---- */

/* What may be at the path: nothing, or a regular file when replacing. */
static int check_target(const char *path, bool replace, struct err *e)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_set(e, ERR_FAIL, "cannot write %s: %s", path,
		                                       strerror(errno));
	if (S_ISLNK(st.st_mode))
		return err_set(e, ERR_USAGE, "%s is a symbolic link: it is not written through "
		               "(name the file itself)", path);
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_USAGE, "%s is not a regular file", path);
	if (!replace)
		return err_set(e, ERR_CONFLICT, "%s exists", path);
	return 0;
}

/* The folder a path is in ("." for a bare name). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/* A rename is durable once its folder is synced; where that cannot be
 * done the file is still whole, so it is not an error. */
static void sync_folder(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int write_error(struct err *e, const char *path, int errnum)
{
	return err_set(e, ERR_FAIL, "cannot write %s: %s", path, strerror(errnum));
}

/* Write the calendar to a temporary file beside `path` (0600), flush and
 * sync it, then rename it over `path`.  On failure the temporary file is
 * removed and `path` is as it was. */
static int write_file(struct store *s, const char *path, const struct appointment *rows,
                      size_t n, const struct ical_export_opts *o, struct err *e)
{
	char *dir = folder_of(path);
	char *tmp = xasprintf("%s/.caseload-export-XXXXXX", dir);
	int rc = 0;
	int fd = mkstemp(tmp);     /* O_EXCL, mode 0600 */
	FILE *f = NULL;
	if (fd < 0) {
		rc = write_error(e, path, errno);
		goto out;
	}
	if (fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "w"))) {
		rc = write_error(e, path, errno);
		close(fd);
		goto fail;
	}
	if (ical_export(s, rows, n, o, f, e) < 0)   /* the disk's error, or the export's own */
		rc = ferror(f) ? write_error(e, path, errno ? errno : EIO) : e->code;
	if (rc == 0 && fsync(fd) < 0)
		rc = write_error(e, path, errno);
	if (fclose(f) != 0 && rc == 0)
		rc = write_error(e, path, errno);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = write_error(e, path, errno);
	if (rc == 0) {
		sync_folder(dir);
		goto out;
	}
fail:
	unlink(tmp);
out:
	free(tmp);
	free(dir);
	return rc;
}

static bool is_cancelled(const struct appointment *a)
{
	int code = a->status ? code_find(&APPT_STATUS, a->status) : -1;
	return code == APPT_CANCELLED || code == APPT_ENTERED_IN_ERROR;
}

/* The rows to write, shallow copies into out: without rq->include_cancelled
 * the cancelled ones are left out, since a calendar that never had them
 * would show them as visits (calcurse ignores STATUS) and whether it had
 * them is not recorded.  A cancelled occurrence of a series that is
 * written becomes an EXDATE of the series, or the series would show it
 * again; `own` keeps those EXDATE lists. */
static size_t pick_rows(const struct ical_export_req *rq, const struct appointment *rows,
                        size_t n, struct appointment *out, struct strlist *own)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (rq->include_cancelled || !is_cancelled(&rows[i]))
			out[k++] = rows[i];
	for (size_t i = 0; i < n && !rq->include_cancelled; i++) {
		const struct appointment *o = &rows[i];
		if (!is_cancelled(o) || !o->recurrence_id || !*o->recurrence_id)
			continue;
		for (size_t j = 0; j < k; j++) {
			struct appointment *m = &out[j];
			if ((m->recurrence_id && *m->recurrence_id) || strcmp(m->uid, o->uid) != 0)
				continue;
			char *list = m->exdate && *m->exdate ? xasprintf("%s,%s", m->exdate, o->recurrence_id)
			                                     : xstrdup(o->recurrence_id);
			strlist_add(own, list);
			free(list);
			m->exdate = own->items[own->len - 1];
		}
	}
	return k;
}

static int write_rows(struct store *s, const struct ical_export_req *rq, FILE *stream,
                      const struct appointment *rows, size_t n,
                      const struct ical_export_opts *o, struct ical_export_result *res,
                      struct err *e)
{
	struct appointment *pick = xcalloc(n + 1, sizeof *pick);
	struct strlist own = {0};
	n = pick_rows(rq, rows, n, pick, &own);
	errno = 0;
	int rc = rq->path ? write_file(s, rq->path, pick, n, o, e)
	                  : ical_export(s, pick, n, o, stream, e);
	if (rc == 0 && res)
		res->appointments = n;
	strlist_free(&own);
	free(pick);
	return rc;
}

/* The checks that come before any work: the request and the target. */
static int begin(struct store *s, const struct ical_export_req *rq, struct plan *p,
                 struct ical_export_result *res, struct err *e)
{
	if (res)
		memset(res, 0, sizeof *res);
	if (plan_export(rq, p, e) < 0 || (rq->path && check_target(rq->path, rq->replace, e) < 0))
		return e->code;
	if (rq->patient_id && store_patient_exists(s, rq->patient_id, e) < 0)
		return e->code;
	/* the export is recorded when written: refuse one that could not be */
	return audit_ready(s, e);
}

int ical_export_file(struct store *s, const struct ical_export_req *rq, FILE *stream,
                     struct ical_export_result *res, struct err *e)
{
	struct plan p;
	struct appointment_list l = {0};
	struct ical_export_result own;
	if (!res)
		res = &own;
	int rc = begin(s, rq, &p, res, e);
	if (rc == 0)
		rc = store_appt_candidates(s, rq->patient_id, p.from, p.to, &l, e);
	if (rc == 0)
		rc = write_rows(s, rq, stream, l.items, l.len, &p.o, res, e);
	if (rc == 0)
		rc = audit_read(s, "export", "export", rq->patient_id, (long long)res->appointments, e);
	appointment_list_free(&l);
	free(p.alarms);
	return rc;
}

/* ---- the agenda ---- */

/* Mark the rows with an occurrence in [day, end_day), with their series
 * (for an override) and the series' overrides. */
static void mark_agenda_rows(const struct occurrence_list *occ, int day, int end_day, bool *keep)
{
	const struct appointment_list *rows = &occ->rows;
	for (size_t i = 0; i < occ->len; i++) {
		const struct appointment *a = occ->items[i].appt;
		if (a->all_day && (occ->items[i].end <= date_utc_midnight(day) ||
		                   occ->items[i].start >= date_utc_midnight(end_day)))
			continue;
		keep[a - rows->items] = true;
		for (size_t j = 0; a->recurrence_id && *a->recurrence_id && j < rows->len; j++)
			if (!*rows->items[j].recurrence_id && !strcmp(rows->items[j].uid, a->uid))
				keep[j] = true;
	}
	for (size_t j = 0; j < rows->len; j++)
		for (size_t k = 0; *rows->items[j].recurrence_id && k < rows->len && !keep[j]; k++)
			keep[j] = keep[k] && !*rows->items[k].recurrence_id &&
			          !strcmp(rows->items[k].uid, rows->items[j].uid);
}

int ical_export_agenda(struct store *s, const struct ical_export_req *rq, FILE *stream,
                       struct ical_export_result *res, struct err *e)
{
	if (!rq->has_from || !rq->has_to)
		return err_set(e, ERR_USAGE, "the agenda needs its first and last day");
	struct plan p;
	struct occurrence_list occ = {0};
	struct ical_export_result own;
	if (!res)
		res = &own;
	int rc = begin(s, rq, &p, res, e);
	if (rc == 0)
		rc = recur_range(s, rq->patient_id, p.from, p.to, &occ, e);
	if (rc == 0) {
		const struct appointment_list *rows = &occ.rows;
		bool *keep = xcalloc(rows->len + 1, sizeof *keep);
		mark_agenda_rows(&occ, rq->from, rq->to + 1, keep);
		struct appointment *pick = xcalloc(rows->len + 1, sizeof *pick);
		size_t n = 0;
		for (size_t j = 0; j < rows->len; j++)
			if (keep[j])
				pick[n++] = rows->items[j];   /* shallow: rows own the strings */
		rc = write_rows(s, rq, stream, pick, n, &p.o, res, e);
		free(pick);
		free(keep);
	}
	if (rc == 0)
		rc = audit_read(s, "export", "agenda --ics", rq->patient_id,
		                (long long)res->appointments, e);
	occurrence_list_free(&occ);
	free(p.alarms);
	return rc;
}
