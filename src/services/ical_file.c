/* ical_file: the export use case that the command line and the screen
 * share.  It owns the defaults (ICAL_EXPORT_DETAIL, ICAL_EXPORT_ALARMS,
 * from today with no end, which the screen's form shows as
 * ICAL_EXPORT_FROM and ICAL_EXPORT_TO), picks the rows (every appointment
 * that may fall in the range, or for the agenda those with an occurrence
 * in it) and writes the file through safefile (never through a symbolic
 * link, never half-written or readable by others, never losing the file
 * that was there when something fails). */
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

/* Write the calendar through safefile: a temporary file 0600 beside the
 * target, renamed over it once whole.  A write error (a full disk) is
 * named by safefile_commit; an error of the export itself leaves nothing. */
static int write_file(struct store *s, const struct ical_export_req *rq,
                      const struct appointment *rows, size_t n,
                      const struct ical_export_opts *o, struct err *e)
{
	struct safefile sf;
	if (safefile_open(&sf, rq->path, rq->replace ? SAFEFILE_REPLACE : 0, e) < 0)
		return e->code;
	if (ical_export(s, rows, n, o, sf.f, e) < 0 && !ferror(sf.f)) {
		safefile_abort(&sf);
		return e->code;
	}
	return safefile_commit(&sf, e);
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

/* An override whose RECURRENCE-ID is no occurrence of its series (the
 * series was moved after the occurrence was, or a file came so) stands
 * alone in the agenda; RFC 5545 leaves it undefined, and ical.js drops it
 * where python-icalendar shows it.  Its RECURRENCE-ID becomes an RDATE of
 * the series: an occurrence that the override replaces, for every reader
 * as in the agenda.  `own` keeps the RDATE lists. */
static void orphans_as_rdates(struct appointment *out, size_t k, struct strlist *own)
{
	for (size_t i = 0; i < k; i++) {
		const struct appointment *o = &out[i];
		long long rid;
		if (!o->recurrence_id || !*o->recurrence_id || tz_parse_utc(o->recurrence_id, &rid) < 0)
			continue;
		for (size_t j = 0; j < k; j++) {
			struct appointment *m = &out[j];
			if ((m->recurrence_id && *m->recurrence_id) || strcmp(m->uid, o->uid) != 0 ||
			    !((m->rrule && *m->rrule) || (m->rdate && *m->rdate)) || is_occurrence(m, rid))
				continue;
			char *list = m->rdate && *m->rdate ? xasprintf("%s,%s", m->rdate, o->recurrence_id)
			                                   : xstrdup(o->recurrence_id);
			strlist_add(own, list);
			free(list);
			m->rdate = own->items[own->len - 1];
		}
	}
}

static int write_rows(struct store *s, const struct ical_export_req *rq, FILE *stream,
                      const struct appointment *rows, size_t n,
                      const struct ical_export_opts *o, struct ical_export_result *res,
                      struct err *e)
{
	struct appointment *pick = xcalloc(n + 1, sizeof *pick);
	struct strlist own = {0};
	n = pick_rows(rq, rows, n, pick, &own);
	orphans_as_rdates(pick, n, &own);
	int rc = rq->path ? write_file(s, rq, pick, n, o, e)
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
