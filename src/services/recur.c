/* recur: occurrence expansion on libical's recurrence iterator. */
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

/* A safety stop for rules that produce nothing in range for a long time
 * (FREQ=SECONDLY ...); no real appointment series comes near it. */
#define MAX_STEPS 200000

int recur_check_rule(const char *rrule, struct err *e)
{
	icalerror_clear_errno();
	struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
	free(r.rscale);   /* the caller owns it, the iterator does not */
	if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		return err_set(e, ERR_USAGE, "%s is not a recurrence rule (e.g. FREQ=WEEKLY;COUNT=6)",
		               TEXT_ARG(rrule));
	}
	return 0;
}

static icaltimezone *zone_of(const struct appointment *a)
{
	if (a->all_day || !a->tzid || !*a->tzid)
		return icaltimezone_get_utc_timezone();
	icaltimezone *z = tz_ical_zone(a->tzid);
	return z ? z : icaltimezone_get_utc_timezone();
}

static struct icaltimetype local_start(const struct appointment *a, icaltimezone *z)
{
	struct icaltimetype t = icaltime_from_timet_with_zone((time_t)a->start, a->all_day, z);
	if (!a->all_day)
		t.zone = z;
	return t;
}

/* A local time of a series as an instant.  A time the clocks skip (02:30
 * on the day daylight time begins) is read as tz_local_to_utc reads it,
 * with the offset before the change (RFC 5545 3.3.5). */
static long long as_utc(const struct appointment *a, struct icaltimetype t, icaltimezone *z)
{
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	if (t.is_date || z == utc)
		return (long long)icaltime_as_timet_with_zone(t, utc);
	long long s;
	struct err ignore = {0};
	if (tz_local_to_utc(a->tzid, date_from_ymd(t.year, t.month, t.day), t.hour * 60 + t.minute,
	                    &s, &ignore) < 0)
		return (long long)icaltime_as_timet_with_zone(t, z);
	return s + t.second;
}

/* libical's iterator over wall-clock times: given a DTSTART with a zone,
 * it moves an occurrence the clocks skip from 02:30 to 03:30 and keeps
 * 03:30 for every later one, an hour off all year.  So DTSTART goes in
 * as a local time with no zone, and a UTC UNTIL as its local time (the
 * iterator would compare a zoneless time with it as if it were UTC). */
static icalrecur_iterator *wall_clock_iterator(const struct appointment *a,
                                               struct icalrecurrencetype *r, icaltimezone *z)
{
	struct icaltimetype start = local_start(a, z);
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	if (!a->all_day && z != utc) {
		start.zone = NULL;
		if (!icaltime_is_null_time(r->until) && !r->until.is_date && icaltime_is_utc(r->until)) {
			r->until = icaltime_from_timet_with_zone(icaltime_as_timet_with_zone(r->until, utc),
			                                         0, z);
			r->until.zone = NULL;
		}
	}
	return icalrecur_iterator_new(*r, start);
}

/* Parse "…Z,…Z" into a sorted array. */
static long long *instants(const char *text, size_t *n)
{
	*n = 0;
	if (!text || !*text)
		return NULL;
	size_t cap = 0;
	long long *v = NULL;
	char *copy = xstrdup(text), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long long t;
		if (tz_parse_utc(tok, &t) < 0)
			continue;
		void *p = v;
		xgrow(&p, &cap, *n + 1, sizeof *v);
		v = p;
		v[(*n)++] = t;
	}
	free(copy);
	return v;
}

static bool contains(const long long *v, size_t n, long long t)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == t)
			return true;
	return false;
}

static void push(struct occurrence_list *out, const struct appointment *a, long long start,
                 long long dur)
{
	struct occurrence *o = LIST_PUSH(out);
	o->start = start;
	o->end = start + dur;
	o->original_start = start;
	o->appt = a;
}

int recur_expand(const struct appointment *a, long long from, long long to,
                 struct occurrence_list *out, struct err *e)
{
	long long dur = a->end - a->start;
	if (!a->rrule && !a->rdate) {
		if (a->start < to && (a->end > from || (a->end == a->start && a->start >= from)))
			push(out, a, a->start, dur);
		return 0;
	}
	size_t nex = 0, nrd = 0;
	long long *ex = instants(a->exdate, &nex);
	long long *rd = instants(a->rdate, &nrd);
	icaltimezone *z = zone_of(a);
	int rc = 0;
	bool start_seen = false;
	if (a->rrule) {
		icalerror_clear_errno();
		struct icalrecurrencetype r = icalrecurrencetype_from_string(a->rrule);
		if (r.freq == ICAL_NO_RECURRENCE) {
			free(r.rscale);
			icalerror_clear_errno();
			rc = err_set(e, ERR_FAIL, "appointment %lld: cannot read its rule '%s'", a->id, a->rrule);
			goto out;
		}
		icalrecur_iterator *it = wall_clock_iterator(a, &r, z);
		if (!it) {
			free(r.rscale);
			icalerror_clear_errno();
			rc = err_set(e, ERR_FAIL, "appointment %lld: libical cannot expand its rule '%s'",
			             a->id, a->rrule);
			goto out;
		}
		/* Jump near the range when the rule allows it (not with COUNT). */
		if (r.count == 0 && from - dur > a->start) {
			struct icaltimetype jump = icaltime_from_timet_with_zone((time_t)(from - dur),
			                                                         a->all_day, z);
			if (!a->all_day)   /* a wall-clock time, as the iterator's DTSTART */
				jump.zone = z == icaltimezone_get_utc_timezone() ? z : NULL;
			icalrecur_iterator_set_start(it, jump);
		}
		for (int steps = 0; steps < MAX_STEPS; steps++) {
			struct icaltimetype t = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(t))
				break;
			long long s = as_utc(a, t, z);
			if (s >= to)
				break;
			if (s == a->start)
				start_seen = true;
			if (s + dur <= from && !(dur == 0 && s >= from))
				continue;
			if (!contains(ex, nex, s))
				push(out, a, s, dur);
		}
		icalrecur_iterator_free(it);
		free(r.rscale);
		icalerror_clear_errno();
	}
	/* DTSTART is always an occurrence, even when the rule does not match it. */
	if (!start_seen && a->rrule && a->start < to && a->start + dur > from &&
	    !contains(ex, nex, a->start)) {
		bool dup = false;
		for (size_t i = 0; i < out->len; i++)
			if (out->items[i].appt == a && out->items[i].start == a->start)
				dup = true;
		if (!dup)
			push(out, a, a->start, dur);
	}
	if (!a->rrule && a->start < to && a->start + dur > from && !contains(ex, nex, a->start))
		push(out, a, a->start, dur);
	for (size_t i = 0; i < nrd; i++)
		if (rd[i] < to && rd[i] + dur > from && !contains(ex, nex, rd[i]) && rd[i] != a->start)
			push(out, a, rd[i], dur);
out:
	free(ex);
	free(rd);
	return rc;
}

static int by_start(const void *x, const void *y)
{
	const struct occurrence *a = x, *b = y;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->appt->id < b->appt->id ? -1 : a->appt->id > b->appt->id;
}

int recur_range(struct store *s, long long patient_id, long long from, long long to,
                struct occurrence_list *out, struct err *e)
{
	int rc = store_appt_candidates(s, patient_id, from, to, &out->rows, e);
	if (rc < 0)
		return rc;
	struct appointment_list *rows = &out->rows;
	for (size_t i = 0; i < rows->len; i++) {
		const struct appointment *a = &rows->items[i];
		if (a->recurrence_id && *a->recurrence_id)
			continue;
		if ((rc = recur_expand(a, from, to, out, e)) < 0)
			return rc;
	}
	/* Overrides replace the occurrence they name; one whose series is
	 * missing stands alone. */
	for (size_t i = 0; i < rows->len; i++) {
		const struct appointment *o = &rows->items[i];
		long long orig;
		if (!o->recurrence_id || !*o->recurrence_id || tz_parse_utc(o->recurrence_id, &orig) < 0)
			continue;
		for (size_t j = out->len; j-- > 0;) {
			const struct appointment *sa = out->items[j].appt;
			if (sa != o && !strcmp(sa->uid, o->uid) && out->items[j].original_start == orig &&
			    !(sa->recurrence_id && *sa->recurrence_id))
				out->items[j] = out->items[--out->len];
		}
		if (o->start < to && (o->end > from || (o->end == o->start && o->start >= from))) {
			struct occurrence *oc = LIST_PUSH(out);
			oc->start = o->start;
			oc->end = o->end;
			oc->original_start = orig;
			oc->appt = o;
		}
	}
	if (out->len > 1)
		qsort(out->items, out->len, sizeof *out->items, by_start);
	return 0;
}

void occurrence_list_free(struct occurrence_list *l)
{
	free(l->items);
	appointment_list_free(&l->rows);
	memset(l, 0, sizeof *l);
}

/* Does the rule only step DTSTART's local time by a fixed number of days
 * (FREQ=DAILY or WEEKLY, INTERVAL, COUNT, no BYxxx)?  Then its occurrences
 * are known without libical's iterator, which is costly to start. */
static int fixed_step_days(const struct icalrecurrencetype *r)
{
	const short *const parts[] = {r->by_second, r->by_minute, r->by_hour, r->by_day,
	                              r->by_month_day, r->by_year_day, r->by_week_no,
	                              r->by_month, r->by_set_pos};
	if ((r->freq != ICAL_DAILY_RECURRENCE && r->freq != ICAL_WEEKLY_RECURRENCE) ||
	    r->count <= 0 || r->count >= MAX_STEPS - 1 || r->interval < 1 ||
	    !icaltime_is_null_time(r->until) || (r->rscale && *r->rscale))
		return 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i][0] != ICAL_RECURRENCE_ARRAY_MAX)
			return 0;
	return r->interval * (r->freq == ICAL_WEEKLY_RECURRENCE ? 7 : 1);
}

/* The latest end of a fixed-step series' occurrences, or 0 when libical's
 * iterator might not agree: a series that runs very far, or one across a
 * zone's move over the date line (Samoa skipped 30 December 2011), where
 * the iterator's calendar arithmetic shifts the days after it. */
static long long fixed_step_end(const struct appointment *a, int step, int count,
                                long long last)
{
	icaltimezone *z = zone_of(a);
	struct icaltimetype first = local_start(a, z);
	long long dur = a->end - a->start;
	if ((long long)step * (count - 1) / 366 > 2200 - first.year)
		return 0;
	long long offset0 = 0;
	for (int k = 0; k < count; k++) {
		struct icaltimetype t = first;
		icaltime_adjust(&t, step * k, 0, 0, 0);
		long long s = as_utc(a, t, z);
		long long offset = (long long)icaltime_as_timet(t) - s;
		if (k == 0)
			offset0 = offset;
		else if (llabs(offset - offset0) >= 12 * 3600LL)
			return 0;
		/* a time the clocks skip (02:30 on the day DST begins): the
		 * iterator moves it, and so might our end */
		struct icaltimetype back = icaltime_from_timet_with_zone((time_t)s, t.is_date, z);
		if (!a->all_day && (back.year != t.year || back.month != t.month ||
		                    back.day != t.day || back.hour != t.hour ||
		                    back.minute != t.minute || back.second != t.second))
			return 0;
		if (s + dur > last)
			last = s + dur;
	}
	return last;
}

int recur_series_end(const struct appointment *a, long long *end, struct err *e)
{
	*end = 0;
	if (!a->rrule && !a->rdate) {
		*end = a->end;
		return 0;
	}
	long long dur = a->end - a->start;
	size_t nrd = 0;
	long long *rd = instants(a->rdate, &nrd);
	long long last = a->end;
	for (size_t i = 0; i < nrd; i++)
		if (rd[i] + dur > last)
			last = rd[i] + dur;
	free(rd);
	if (a->rrule) {
		struct icalrecurrencetype r = icalrecurrencetype_from_string(a->rrule);
		icalerror_clear_errno();
		if (r.freq == ICAL_NO_RECURRENCE) {
			free(r.rscale);
			return err_set(e, ERR_USAGE, "%s is not a recurrence rule", TEXT_ARG(a->rrule));
		}
		if (r.count == 0 && icaltime_is_null_time(r.until)) {
			free(r.rscale);
			return 0;             /* open-ended */
		}
		int step = fixed_step_days(&r);
		long long fixed = step ? fixed_step_end(a, step, r.count, last) : 0;
		if (fixed) {
			free(r.rscale);
			*end = fixed;
			return 0;
		}
		icaltimezone *z = zone_of(a);
		icalrecur_iterator *it = wall_clock_iterator(a, &r, z);
		if (!it) {
			free(r.rscale);
			icalerror_clear_errno();
			return 0;
		}
		for (int steps = 0; steps < MAX_STEPS; steps++) {
			struct icaltimetype t = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(t))
				break;
			long long s = as_utc(a, t, z);
			if (s + dur > last)
				last = s + dur;
			if (steps == MAX_STEPS - 1)
				last = 0;     /* too long to tell: treat as open */
		}
		icalrecur_iterator_free(it);
		free(r.rscale);
		icalerror_clear_errno();
		if (last == 0)
			return 0;
	}
	*end = last;
	return 0;
}
