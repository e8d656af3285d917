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

/* Move an iterator on to the first occurrence at or after `at` (a rule
 * without COUNT only). */
static void jump_to(icalrecur_iterator *it, const struct appointment *a, icaltimezone *z,
                    long long at)
{
	struct icaltimetype jump = icaltime_from_timet_with_zone((time_t)at, a->all_day, z);
	if (!a->all_day)   /* a wall-clock time, as the iterator's DTSTART */
		jump.zone = z == icaltimezone_get_utc_timezone() ? z : NULL;
	icalrecur_iterator_set_start(it, jump);
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
		if (r.count == 0 && from - dur > a->start)
			jump_to(it, a, z, from - dur);
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

/* Has the rule no BYxxx part but those in `allowed` (by_day, by_month_day)? */
static bool only_parts(const struct icalrecurrencetype *r, bool by_day, bool by_month_day)
{
	const short *const parts[] = {r->by_second, r->by_minute, r->by_hour, r->by_year_day,
	                              r->by_week_no, r->by_month, r->by_set_pos};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i][0] != ICAL_RECURRENCE_ARRAY_MAX)
			return false;
	return (by_day || r->by_day[0] == ICAL_RECURRENCE_ARRAY_MAX) &&
	       (by_month_day || r->by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX);
}

/* The day of month `m` (1-12 of year y) that is its `pos`-th weekday wd
 * (0 Sunday; pos -1: the last); 0 when there is none. */
static int nth_weekday(int y, int m, int wd, int pos)
{
	int first = date_from_ymd(y, m, 1), len = date_days_in_month(y, m);
	int d = 1 + (wd - date_weekday(first) + 7) % 7 + 7 * (pos - 1);
	if (pos < 0)
		for (d = len; (date_weekday(first + d - 1) - wd + 7) % 7 != 0; d--)
			;
	return d >= 1 && d <= len ? d : 0;
}

/* WEEKLY with plain BYDAY weekdays, DTSTART's among them: the days of
 * every INTERVAL-th week (weeks begin on WKST) from DTSTART on. */
static bool weekly_by_day(const struct icalrecurrencetype *r, int d0, int *days, int n)
{
	bool set[7] = {false};
	for (int i = 0; i < ICAL_BY_DAY_SIZE && r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		if (icalrecurrencetype_day_position(r->by_day[i]) != 0)
			return false;
		set[(int)icalrecurrencetype_day_day_of_week(r->by_day[i]) - 1] = true;
	}
	int wkst = (int)r->week_start - 1;    /* libical: 1 Sunday; ours: 0 Sunday */
	if (!set[date_weekday(d0)] || wkst < 0 || wkst > 6)
		return false;
	int week = d0 - (date_weekday(d0) - wkst + 7) % 7;
	for (int k = 0; k < n; week += 7 * r->interval)
		for (int o = 0; o < 7 && k < n; o++)
			if (week + o >= d0 && set[date_weekday(week + o)])
				days[k++] = week + o;
	return true;
}

/* MONTHLY on DTSTART's day (up to the 28th, which every month has) or on
 * its n-th (1-4) or last weekday, as BYDAY names it: every INTERVAL-th month. */
static bool monthly(const struct icalrecurrencetype *r, int d0, int *days, int n)
{
	int y, m, d;
	date_to_ymd(d0, &y, &m, &d);
	int wd = -1, pos = 0;
	if (r->by_day[0] != ICAL_RECURRENCE_ARRAY_MAX) {
		pos = icalrecurrencetype_day_position(r->by_day[0]);
		wd = (int)icalrecurrencetype_day_day_of_week(r->by_day[0]) - 1;
		if (r->by_day[1] != ICAL_RECURRENCE_ARRAY_MAX || r->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
		    pos == 0 || pos > 4 || pos < -1 || nth_weekday(y, m, wd, pos) != d)
			return false;
	} else if (d > 28 || (r->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	                      (r->by_month_day[0] != d || r->by_month_day[1] != ICAL_RECURRENCE_ARRAY_MAX))) {
		return false;
	}
	for (int k = 0; k < n; k++) {
		int mm = m - 1 + k * r->interval;
		int yy = y + mm / 12;
		mm = mm % 12 + 1;
		days[k] = date_from_ymd(yy, mm, wd < 0 ? d : nth_weekday(yy, mm, wd, pos));
	}
	return true;
}

/* The local dates of a COUNT rule's occurrences when they follow from
 * DTSTART's date by counting days and months: DAILY or WEEKLY with no
 * BYxxx, WEEKLY by weekdays, MONTHLY by day or n-th weekday.  Then
 * libical's iterator, costly to start and to step (ICU calendar
 * arithmetic), is not needed.  NULL for any other rule. */
static int *rule_dates(const struct icalrecurrencetype *r, int d0)
{
	if (r->count <= 0 || r->count >= MAX_STEPS - 1 || r->interval < 1 ||
	    !icaltime_is_null_time(r->until) || (r->rscale && *r->rscale))
		return NULL;
	int n = r->count;
	int *days = xcalloc((size_t)n, sizeof *days);
	bool ok = false;
	if ((r->freq == ICAL_DAILY_RECURRENCE || r->freq == ICAL_WEEKLY_RECURRENCE) &&
	    only_parts(r, false, false)) {
		int step = r->interval * (r->freq == ICAL_WEEKLY_RECURRENCE ? 7 : 1);
		for (int k = 0; k < n; k++)
			days[k] = d0 + step * k;
		ok = true;
	} else if (r->freq == ICAL_WEEKLY_RECURRENCE && only_parts(r, true, false)) {
		ok = weekly_by_day(r, d0, days, n);
	} else if (r->freq == ICAL_MONTHLY_RECURRENCE && only_parts(r, true, true)) {
		ok = monthly(r, d0, days, n);
	}
	if (!ok)
		free(days), days = NULL;
	return days;
}

/* The latest end of a series whose occurrences fall on `days` at DTSTART's
 * local time, or 0 when libical's iterator might not agree: a series that
 * runs very far, or one across a zone's move over the date line (Samoa
 * skipped 30 December 2011), where the iterator's calendar arithmetic
 * shifts the days after it. */
static long long listed_end(const struct appointment *a, const int *days, int count,
                            long long last)
{
	icaltimezone *z = zone_of(a);
	struct icaltimetype first = local_start(a, z);
	long long dur = a->end - a->start;
	int ly, lm, ld;
	date_to_ymd(days[count - 1], &ly, &lm, &ld);
	if (ly > 2200)
		return 0;
	long long offset0 = 0;
	for (int k = 0; k < count; k++) {
		struct icaltimetype t = first;
		date_to_ymd(days[k], &t.year, &t.month, &t.day);
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

/* How far before a rule's UNTIL its last occurrence can be: one period
 * of the rule and two days for zones and a date UNTIL; 0 when the rule
 * has COUNT or no UNTIL, or steps in hours or less. */
static long long until_span(const struct icalrecurrencetype *r)
{
	if (r->count != 0 || icaltime_is_null_time(r->until) || r->interval < 1)
		return 0;
	long long days = r->freq == ICAL_DAILY_RECURRENCE     ? 1
	               : r->freq == ICAL_WEEKLY_RECURRENCE    ? 7
	               : r->freq == ICAL_MONTHLY_RECURRENCE   ? 31
	               : r->freq == ICAL_YEARLY_RECURRENCE    ? 366
	                                                      : 0;
	return days ? (days * r->interval + 2) * DAY_SECONDS : 0;
}

/* The latest end of the rule's occurrences (at least `last`) by libical's
 * iterator, started at `from` when that is after DTSTART (a rule with
 * UNTIL ends within until_span of it: a few steps instead of a whole
 * series, each of which costs ICU calendar arithmetic).  0: too long to
 * tell (open); 1: no occurrence at or after `from`. */
static long long last_of_rule(const struct appointment *a, struct icalrecurrencetype *r,
                              long long from, long long last)
{
	icaltimezone *z = zone_of(a);
	long long dur = a->end - a->start;
	icalrecur_iterator *it = wall_clock_iterator(a, r, z);
	if (!it) {
		icalerror_clear_errno();
		return 0;
	}
	bool jumped = from - dur > a->start, seen = false;
	if (jumped)
		jump_to(it, a, z, from - dur);
	for (int steps = 0; steps < MAX_STEPS; steps++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		long long s = as_utc(a, t, z);
		seen = true;
		if (s + dur > last)
			last = s + dur;
		if (steps == MAX_STEPS - 1)
			last = 0;     /* too long to tell: treat as open */
	}
	icalrecur_iterator_free(it);
	return jumped && !seen ? 1 : last;
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
		struct icaltimetype first = local_start(a, zone_of(a));
		int *days = rule_dates(&r, date_from_ymd(first.year, first.month, first.day));
		long long fixed = days ? listed_end(a, days, r.count, last) : 0;
		free(days);
		if (fixed) {
			free(r.rscale);
			*end = fixed;
			return 0;
		}
		long long back = until_span(&r);
		long long until = back ? (long long)icaltime_as_timet_with_zone(
		                             r.until, icaltimezone_get_utc_timezone()) : 0;
		struct icalrecurrencetype again = r;
		long long rule_last = last_of_rule(a, &r, until - back, last);
		if (rule_last == 1)   /* nothing after the jump: from DTSTART */
			rule_last = last_of_rule(a, &again, 0, last);
		free(r.rscale);
		icalerror_clear_errno();
		if (rule_last <= 0)
			return 0;
		last = rule_last;
	}
	*end = last;
	return 0;
}
