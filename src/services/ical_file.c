/* ical_file: the export use case that the command line and the screen
 * share.  It owns the defaults (ICAL_EXPORT_DETAIL, ICAL_EXPORT_ALARMS,
 * from today with no end, which the screen's form shows as
 * ICAL_EXPORT_FROM and ICAL_EXPORT_TO), picks the rows (every appointment
 * that may fall in the range, or for the agenda those with an occurrence
 * in it) and writes the file through safefile (never through a symbolic
 * link, never half-written or readable by others, never losing the file
 * that was there when something fails). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/recur.h"
#include "caseload/safefile.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "ical_internal.h"

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
		return err_set(e, ERR_USAGE, "detail %s is not minimal or full", TEXT_ARG(detail));
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

static bool is_cancelled(const struct appointment *a)
{
	int code = a->status ? code_find(&APPT_STATUS, a->status) : -1;
	return code == APPT_CANCELLED || code == APPT_ENTERED_IN_ERROR;
}

/* An export as its rows come.  The series that reach into the range (with
 * their overrides) and the overrides among the single events are read
 * first, and the zones found (the VTIMEZONEs come first); then the single
 * events, read in start order, are merged with the series and written.
 * Without rq->include_cancelled the cancelled rows are left out, since a
 * calendar that never had them would show them as visits (calcurse
 * ignores STATUS) and whether it had them is not recorded. */
struct run {
	const struct ical_export_req *rq;
	struct ical_stream *w;
	struct appointment_list series;       /* the series and their overrides */
	size_t next;                          /* the next of them to write */
	struct appointment_list owned;        /* the overrides among the single events */
	const struct appointment **ov;        /* every override, by uid then start */
	size_t n_ov;
	size_t written;
};

static bool picked(const struct run *r, const struct appointment *a)
{
	return r->rq->include_cancelled || !is_cancelled(a);
}

static bool is_override(const struct appointment *a)
{
	return a->recurrence_id && *a->recurrence_id;
}

/* Whether a row comes before another in the store's order (start, id). */
static bool before(const struct appointment *a, const struct appointment *b)
{
	return a->start < b->start || (a->start == b->start && a->id < b->id);
}

static int by_uid(const void *pa, const void *pb)
{
	const struct appointment *a = *(const struct appointment *const *)pa;
	const struct appointment *b = *(const struct appointment *const *)pb;
	int c = strcmp(a->uid ? a->uid : "", b->uid ? b->uid : "");
	return c ? c : before(b, a) - before(a, b);
}

/* The overrides among rows[0..n) and more[0..m), by uid (in the store's
 * order), each once. */
static void index_overrides(struct run *r, const struct appointment *rows, size_t n,
                            const struct appointment *more, size_t m)
{
	r->ov = xcalloc(n + m + 1, sizeof(const struct appointment *));
	for (size_t i = 0; i < n + m; i++) {
		const struct appointment *a = i < n ? &rows[i] : &more[i - n];
		if (is_override(a))
			r->ov[r->n_ov++] = a;
	}
	if (r->n_ov > 1)
		qsort(r->ov, r->n_ov, sizeof(const struct appointment *), by_uid);
	size_t k = 0;
	for (size_t i = 0; i < r->n_ov; i++)
		if (k == 0 || r->ov[k - 1]->id != r->ov[i]->id)
			r->ov[k++] = r->ov[i];
	r->n_ov = k;
}

/* Is t the start of one of series m's occurrences? */
static bool is_occurrence(const struct appointment *m, long long t)
{
	struct occurrence_list occ = {0};
	struct err ignore = {0};
	bool found = false;
	if (recur_expand(m, t, t + 1, &occ, &ignore) == 0)
		for (size_t i = 0; i < occ.len && !found; i++)
			found = occ.items[i].start == t;
	occurrence_list_free(&occ);
	return found;
}

/* One more date for a list of dates (the old list is freed when it was
 * made here). */
static const char *add_date(const char *list, const char *date, char **own)
{
	char *more = list && *list ? xasprintf("%s,%s", list, date) : xstrdup(date);
	free(*own);
	*own = more;
	return more;
}

/* The second pass: a row written. A series' cancelled overrides become
 * EXDATEs, or the series would show those occurrences again. An override
 * whose RECURRENCE-ID is no occurrence of its series (the series was moved
 * after the occurrence was, or a file came so) stands alone in the agenda;
 * RFC 5545 leaves it undefined, and ical.js drops it where
 * python-icalendar shows it. Its RECURRENCE-ID becomes an RDATE of the
 * series: an occurrence that the override replaces, for every reader as in
 * the agenda. */
static void write_row(struct run *r, const struct appointment *a)
{
	if (!picked(r, a))
		return;
	struct appointment m = *a;   /* shallow: the dates added are ours */
	char *exdate = NULL, *rdate = NULL;
	if (!is_override(a) && r->n_ov) {
		const char *uid = a->uid ? a->uid : "";
		size_t lo = 0, hi = r->n_ov;
		while (lo < hi) {   /* the first override of this uid */
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(r->ov[mid]->uid ? r->ov[mid]->uid : "", uid) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t end = lo;
		while (end < r->n_ov && !strcmp(r->ov[end]->uid ? r->ov[end]->uid : "", uid))
			end++;
		for (size_t i = lo; i < end && !r->rq->include_cancelled; i++)
			if (is_cancelled(r->ov[i]))
				m.exdate = add_date(m.exdate, r->ov[i]->recurrence_id, &exdate);
		for (size_t i = lo; i < end; i++) {
			const struct appointment *o = r->ov[i];
			long long rid;
			if (!picked(r, o) || tz_parse_utc(o->recurrence_id, &rid) < 0 ||
			    !((m.rrule && *m.rrule) || (m.rdate && *m.rdate)) || is_occurrence(&m, rid))
				continue;
			m.rdate = add_date(m.rdate, o->recurrence_id, &rdate);
		}
	}
	ical_stream_event(r->w, &m);
	r->written++;
	free(exdate);
	free(rdate);
}

/* A single event read, after the series that come before it (an
 * override of a series is among both: written once). */
static int write_single(void *run, struct appointment *a)
{
	struct run *r = run;
	while (r->next < r->series.len && before(&r->series.items[r->next], a))
		write_row(r, &r->series.items[r->next++]);
	if (r->next < r->series.len && r->series.items[r->next].id == a->id)
		r->next++;
	write_row(r, a);
	return 0;
}

/* The writing, to a file or the stream; a file goes through safefile: a
 * temporary file 0600 beside the target, renamed over it once whole. A
 * write error (a full disk) is named by safefile_commit; an error of the
 * export itself leaves nothing. `rows` NULL: the single events of
 * [from, to) are read from the store and merged with r->series. */
static int write_run(struct store *s, struct run *r, FILE *stream, const struct appointment *rows,
                     size_t n, const struct plan *p, struct err *e)
{
	const char *path = r->rq->path;
	struct safefile sf = {0};
	FILE *out = stream;
	if (path) {
		if (safefile_open(&sf, path, r->rq->replace ? SAFEFILE_REPLACE : 0, e) < 0)
			return e->code;
		out = sf.f;
	}
	if (rows)
		index_overrides(r, rows, n, NULL, 0);
	else
		index_overrides(r, r->series.items, r->series.len, r->owned.items, r->owned.len);
	ical_stream_start(r->w, out);
	int rc = 0;
	if (rows) {
		for (size_t i = 0; i < n; i++)
			write_row(r, &rows[i]);
	} else {
		rc = store_appt_singles_each(s, r->rq->patient_id, p->from, p->to, write_single, r, e);
		while (rc == 0 && r->next < r->series.len)
			write_row(r, &r->series.items[r->next++]);
	}
	if (rc == 0)
		rc = ical_stream_end(r->w, e);
	if (!path)
		return rc;
	if (rc < 0 && !ferror(sf.f)) {
		safefile_abort(&sf);
		return rc;
	}
	return safefile_commit(&sf, e);
}

static void run_free(struct run *r)
{
	ical_stream_free(r->w);
	appointment_list_free(&r->series);
	appointment_list_free(&r->owned);
	free(r->ov);
}

/* An export of rows held in memory (the agenda's). */
static int write_rows(struct store *s, const struct ical_export_req *rq, FILE *stream,
                      const struct appointment *rows, size_t n,
                      const struct plan *p, struct ical_export_result *res, struct err *e)
{
	struct run r = {.rq = rq, .w = ical_stream_new(s, &p->o)};
	for (size_t i = 0; i < n; i++)
		if (picked(&r, &rows[i]))
			ical_stream_zone(r.w, &rows[i]);
	int rc = write_run(s, &r, stream, rows, n, p, e);
	if (rc == 0 && res)
		res->appointments = r.written;
	run_free(&r);
	return rc;
}

/* The first row of each zone among the rows written, to put the zones in
 * the order they are first used. */
struct first_use {
	struct zone_use {
		char *tzid;
		long long start, id;
	} *items;
	size_t len, cap;
	const struct run *r;
};

static struct zone_use *zone_of(const struct first_use *u, const char *tzid)
{
	for (size_t i = 0; i < u->len; i++)
		if (!strcmp(u->items[i].tzid, tzid))
			return &u->items[i];
	return NULL;
}

/* Note a row's zone; false when the row names none that the calendar
 * would carry. */
static bool use_zone(struct first_use *u, const struct appointment *a)
{
	if (!picked(u->r, a) || !ical_zone_used(a))
		return false;
	struct zone_use *z = zone_of(u, a->tzid);
	if (!z)
		*LIST_PUSH(u) = (struct zone_use){xstrdup(a->tzid), a->start, a->id};
	else if (a->start < z->start || (a->start == z->start && a->id < z->id))
		z->start = a->start, z->id = a->id;
	return true;
}

/* A single event: its zone noted. */
static int use_single(void *arg, struct appointment *a)
{
	use_zone(arg, a);
	return 0;
}

/* Everyone's single events are walked in start order for the zones'
 * first uses, up to HEAD_WALK_ROWS rows: the walk ends sooner once each
 * zone single events have (store_appt_zones) has had its first.  A zone
 * not met by then is named after the others, in name order, whether or
 * not the export's days use it (a VTIMEZONE no event names is allowed;
 * an event whose zone is missing is not). */
#define HEAD_WALK_ROWS 2000
struct zone_walk {
	struct first_use *u;
	const struct strlist *zones;
	bool *met;                 /* per zone: its first single event seen */
	size_t known, rows;
};

static int walk_single(void *arg, struct appointment *a)
{
	struct zone_walk *w = arg;
	if (use_zone(w->u, a))
		for (size_t i = 0; i < w->zones->len; i++)
			if (!strcmp(w->zones->items[i], a->tzid)) {
				w->known += !w->met[i];
				w->met[i] = true;
				break;
			}
	return w->known == w->zones->len || ++w->rows >= HEAD_WALK_ROWS;
}

static int by_first_use(const void *pa, const void *pb)
{
	const struct zone_use *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* Everyone's zones: the first use of each on the walk, and after them
 * those the walk did not reach (see HEAD_WALK_ROWS). */
static int everyone_zones(struct store *s, struct first_use *u, const struct plan *p,
                          struct err *e)
{
	struct strlist all = {0}, zones = {0};
	int rc = store_appt_zones(s, &all, e);
	/* only those a calendar carries (not UTC): no other can be met */
	for (size_t i = 0; i < all.len; i++)
		if (ical_zone_used(&(struct appointment){.tzid = all.items[i]}))
			strlist_add(&zones, all.items[i]);
	strlist_free(&all);
	struct zone_walk w = {.u = u, .zones = &zones, .met = xcalloc(zones.len + 1, sizeof *w.met)};
	if (rc == 0 && zones.len)
		rc = store_appt_singles_each(s, 0, p->from, p->to, walk_single, &w, e);
	for (size_t i = 0; rc == 0 && w.rows >= HEAD_WALK_ROWS && i < zones.len; i++)
		if (!zone_of(u, zones.items[i]))
			*LIST_PUSH(u) = (struct zone_use){xstrdup(zones.items[i]), LLONG_MAX, (long long)i};
	free(w.met);
	strlist_free(&zones);
	return rc;
}

/* What comes before the first event: the series with their overrides,
 * the overrides among the single events, and the zones in the order of
 * their first use (one patient's: a walk of their few; everyone's:
 * everyone_zones). */
static int read_head(struct store *s, struct run *r, const struct plan *p, struct err *e)
{
	long long pid = r->rq->patient_id;
	struct first_use u = {.r = r};
	int rc = store_appt_series(s, pid, p->from, p->to, &r->series, e);
	if (rc == 0)
		rc = store_appt_overrides(s, pid, p->from, p->to, &r->owned, e);
	for (size_t i = 0; rc == 0 && i < r->series.len; i++)
		use_zone(&u, &r->series.items[i]);
	if (rc == 0 && pid)
		rc = store_appt_singles_each(s, pid, p->from, p->to, use_single, &u, e);
	else if (rc == 0)
		rc = everyone_zones(s, &u, p, e);
	if (u.len > 1)
		qsort(u.items, u.len, sizeof *u.items, by_first_use);
	for (size_t i = 0; i < u.len; i++) {
		if (rc == 0)
			ical_stream_zone(r->w, &(struct appointment){.tzid = u.items[i].tzid});
		free(u.items[i].tzid);
	}
	free(u.items);
	return rc;
}

/* The checks that come before any work: the request and the target. */
static int begin(struct store *s, const struct ical_export_req *rq, struct plan *p,
                 struct ical_export_result *res, struct err *e)
{
	if (res)
		memset(res, 0, sizeof *res);
	if (plan_export(rq, p, e) < 0)
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
	struct ical_export_result own;
	if (!res)
		res = &own;
	int rc = begin(s, rq, &p, res, e);
	if (rc < 0) {
		free(p.alarms);
		return rc;
	}
	/* Streamed: what comes before the first event, then the events as
	 * they are read, all of one snapshot. */
	struct run r = {.rq = rq, .w = ical_stream_new(s, &p.o)};
	rc = store_begin_read(s, e);
	if (rc == 0) {
		rc = read_head(s, &r, &p, e);
		if (rc == 0)
			rc = write_run(s, &r, stream, NULL, 0, &p, e);
		if (rc < 0)
			store_rollback(s);
		else
			rc = store_commit(s, e);
	}
	if (rc == 0) {
		res->appointments = r.written;
		rc = audit_read(s, "export", "export", rq->patient_id, (long long)r.written, e);
	}
	run_free(&r);
	free(p.alarms);
	return rc;
}

/* ---- the agenda ---- */

static int by_id(const void *pa, const void *pb)
{
	long long a = *(const long long *)pa, b = *(const long long *)pb;
	return (a > b) - (a < b);
}

/* Mark the rows (the candidates of the range) with an occurrence in
 * [day, end_day), with their series (for an override) and the series'
 * overrides. */
static void mark_agenda_rows(const struct occurrence_list *occ, const struct appointment_list *rows,
                             int day, int end_day, bool *keep)
{
	long long *ids = xcalloc(occ->len + 1, sizeof *ids);
	size_t n = 0;
	for (size_t i = 0; i < occ->len; i++) {
		const struct appointment *a = occ->items[i].appt;
		if (a->all_day && (occ->items[i].end <= date_utc_midnight(day) ||
		                   occ->items[i].start >= date_utc_midnight(end_day)))
			continue;
		ids[n++] = a->id;
	}
	qsort(ids, n, sizeof *ids, by_id);
	for (size_t j = 0; j < rows->len; j++)
		keep[j] = bsearch(&rows->items[j].id, ids, n, sizeof *ids, by_id) != NULL;
	free(ids);
	for (size_t j = 0; j < rows->len; j++) {
		const struct appointment *a = &rows->items[j];
		if (!keep[j] || !*a->recurrence_id)
			continue;
		for (size_t k = 0; k < rows->len; k++)
			if (!*rows->items[k].recurrence_id && !strcmp(rows->items[k].uid, a->uid))
				keep[k] = true;
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
	struct appointment_list rows_read = {0}, *rows = &rows_read;
	int rc = begin(s, rq, &p, res, e);
	/* the rows in the store's order (an override outside the range
	 * included), marked by the occurrences, both of one snapshot */
	if (rc == 0 && (rc = store_begin_read(s, e)) == 0) {
		if ((rc = store_appt_candidates(s, rq->patient_id, p.from, p.to, rows, e)) == 0)
			rc = recur_range(s, rq->patient_id, p.from, p.to, &occ, e);
		if (rc < 0)
			store_rollback(s);
		else
			rc = store_commit(s, e);
	}
	if (rc == 0) {
		bool *keep = xcalloc(rows->len + 1, sizeof *keep);
		mark_agenda_rows(&occ, rows, rq->from, rq->to + 1, keep);
		struct appointment *pick = xcalloc(rows->len + 1, sizeof *pick);
		size_t n = 0;
		for (size_t j = 0; j < rows->len; j++)
			if (keep[j])
				pick[n++] = rows->items[j];   /* shallow: rows own the strings */
		rc = write_rows(s, rq, stream, pick, n, &p, res, e);
		free(pick);
		free(keep);
	}
	if (rc == 0)
		rc = audit_read(s, "export", "agenda --ics", rq->patient_id,
		                (long long)res->appointments, e);
	occurrence_list_free(&occ);
	appointment_list_free(&rows_read);
	free(p.alarms);
	return rc;
}
