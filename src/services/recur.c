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

static bool is_override(const struct appointment *a)
{
	return a->recurrence_id && *a->recurrence_id;
}

/* ---- the occurrences of a range, in time order, as they come ----
 *
 * The single events come from the store in start order; each series is a
 * cursor that expands its rule a window at a time; a heap of the cursors
 * (by their next occurrence) is merged with the single events.  So memory
 * holds the series that reach into the range, never the range.  An
 * override replaces the occurrence it names (its uid and original start);
 * one whose series is missing stands alone. */

/* How much of a series is expanded at a time. */
#define WINDOW_DAYS 7

struct moved {
	const char *uid;
	long long orig;
};

struct cursor {
	const struct appointment *a;
	long long next;            /* the next window starts here (>= to: none) */
	struct occurrence_list occ;   /* the window's occurrences, from i, in order */
	size_t i;
};

struct merge {
	long long from, to;
	struct appointment_list rows;  /* the series and their overrides */
	struct moved *moved;           /* the overrides, by uid then original start */
	size_t n_moved;
	long long *own;                /* their ids, in order: each is a cursor's */
	size_t n_own;
	struct cursor *cursors;
	struct cursor **heap;          /* the cursors with an occurrence left */
	size_t n_heap;
	recur_fn *fn;
	void *ctx;
	struct appointment_list *keep; /* NULL, or where the single events go */
	struct err *e;
	bool stopped;                  /* fn said enough (a positive return) */
};

static int by_moved(const void *x, const void *y)
{
	const struct moved *a = x, *b = y;
	int c = strcmp(a->uid, b->uid);
	return c ? c : (a->orig > b->orig) - (a->orig < b->orig);
}

static int by_id(const void *x, const void *y)
{
	long long a = *(const long long *)x, b = *(const long long *)y;
	return (a > b) - (a < b);
}

static bool was_moved(const struct merge *m, const char *uid, long long start)
{
	struct moved key = {uid ? uid : "", start};
	return m->n_moved && bsearch(&key, m->moved, m->n_moved, sizeof key, by_moved);
}

/* Whether an occurrence [start, end) overlaps [from, to) (a moment counts
 * at from). */
static bool overlaps(long long start, long long end, long long from, long long to)
{
	return start < to && (end > from || (end == start && start >= from));
}

/* The cursor's next window: its occurrences that start in it (the first
 * window: that overlap it), not moved by an override, in order.  An
 * override of a series is one occurrence, as a single event (the single
 * events leave it to its cursor: it may be another patient's). */
static int cursor_fill(struct merge *m, struct cursor *c)
{
	const struct appointment *a = c->a;
	c->occ.len = c->i = 0;
	while (c->occ.len == 0 && c->next < m->to) {
		long long w = c->next;
		if (is_override(a)) {
			long long orig;
			c->next = m->to;
			if (tz_parse_utc(a->recurrence_id, &orig) == 0 && overlaps(a->start, a->end, m->from, m->to)) {
				push(&c->occ, a, a->start, a->end - a->start);
				c->occ.items[0].original_start = orig;
			}
			break;
		}
		c->next = w + WINDOW_DAYS * (long long)DAY_SECONDS < m->to ? w + WINDOW_DAYS * (long long)DAY_SECONDS
		                                                           : m->to;
		if (recur_expand(a, w, c->next, &c->occ, m->e) < 0)
			return m->e->code;
		size_t k = 0;
		for (size_t i = 0; i < c->occ.len; i++) {
			const struct occurrence *o = &c->occ.items[i];
			if ((w == m->from || o->start >= w) && !was_moved(m, a->uid, o->start))
				c->occ.items[k++] = *o;
		}
		c->occ.len = k;
	}
	if (c->occ.len > 1)
		qsort(c->occ.items, c->occ.len, sizeof *c->occ.items, by_start);
	return 0;
}

static bool heap_less(struct cursor *const *h, size_t i, size_t j)
{
	return by_start(&h[i]->occ.items[h[i]->i], &h[j]->occ.items[h[j]->i]) < 0;
}

static void heap_down(struct merge *m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, best = i;
		if (l < m->n_heap && heap_less(m->heap, l, best))
			best = l;
		if (l + 1 < m->n_heap && heap_less(m->heap, l + 1, best))
			best = l + 1;
		if (best == i)
			return;
		struct cursor *t = m->heap[i];
		m->heap[i] = m->heap[best];
		m->heap[best] = t;
		i = best;
	}
}

/* Hand on the series' occurrences that come before `until` (NULL: all). */
static int drain(struct merge *m, const struct occurrence *until)
{
	while (m->n_heap) {
		struct cursor *c = m->heap[0];
		const struct occurrence *o = &c->occ.items[c->i];
		if (until && by_start(o, until) >= 0)
			return 0;
		int rc = m->fn(m->ctx, o);
		if (rc != 0) {
			m->stopped = rc > 0;
			return rc;
		}
		if (++c->i == c->occ.len && (rc = cursor_fill(m, c)) < 0)
			return rc;
		if (c->i == c->occ.len)
			m->heap[0] = m->heap[--m->n_heap];
		heap_down(m, 0);
	}
	return 0;
}

/* A single event (or override) from the store, after the occurrences of
 * the series before it. */
static int single(void *arg, struct appointment *a)
{
	struct merge *m = arg;
	struct occurrence o = {.start = a->start, .end = a->end, .original_start = a->start, .appt = a};
	if (is_override(a) && (tz_parse_utc(a->recurrence_id, &o.original_start) < 0 ||
	                       bsearch(&a->id, m->own, m->n_own, sizeof *m->own, by_id)))
		return 0;          /* names no occurrence: left out; or its series' */
	if (!overlaps(a->start, a->end, m->from, m->to))
		return 0;
	int rc = drain(m, &o);
	if (rc != 0)
		return rc;
	if (m->keep) {     /* recur_range's list: the row moved there, not copied */
		struct appointment *kept = LIST_PUSH(m->keep);
		*kept = *a;
		*a = (struct appointment){0};
		o.appt = kept;
	}
	rc = m->fn(m->ctx, &o);
	m->stopped = rc > 0;
	return rc;
}

static int merge_start(struct merge *m, struct store *s, long long patient_id, long long to_id)
{
	if ((to_id ? store_appt_series_range(s, patient_id, to_id, m->from, m->to, &m->rows, m->e)
	           : store_appt_series(s, patient_id, m->from, m->to, &m->rows, m->e)) < 0)
		return m->e->code;
	size_t n = m->rows.len;
	m->moved = xcalloc(n ? n : 1, sizeof *m->moved);
	m->own = xcalloc(n ? n : 1, sizeof *m->own);
	m->cursors = xcalloc(n ? n : 1, sizeof *m->cursors);
	m->heap = xcalloc(n ? n : 1, sizeof(struct cursor *));
	for (size_t i = 0; i < n; i++) {
		const struct appointment *a = &m->rows.items[i];
		long long orig;
		if (is_override(a) && tz_parse_utc(a->recurrence_id, &orig) == 0)
			m->moved[m->n_moved++] = (struct moved){a->uid ? a->uid : "", orig};
		if (is_override(a))
			m->own[m->n_own++] = a->id;
	}
	if (m->n_own > 1)
		qsort(m->own, m->n_own, sizeof *m->own, by_id);
	if (m->n_moved > 1)
		qsort(m->moved, m->n_moved, sizeof *m->moved, by_moved);
	for (size_t i = 0; i < n; i++) {
		const struct appointment *a = &m->rows.items[i];
		struct cursor *c = &m->cursors[i];
		c->a = a;
		c->next = m->from;
		if (cursor_fill(m, c) < 0)
			return m->e->code;
		if (c->occ.len)
			m->heap[m->n_heap++] = c;
	}
	for (size_t i = m->n_heap / 2 + 1; i-- > 0;)
		heap_down(m, i);
	return 0;
}

static void merge_free(struct merge *m)
{
	for (size_t i = 0; i < m->rows.len; i++)
		free(m->cursors[i].occ.items);
	free(m->cursors);
	free(m->heap);
	free(m->moved);
	free(m->own);
	appointment_list_free(&m->rows);
}

/* recur_each; with `keep`, each single event is moved to its end before
 * fn sees it. */
static int walk(struct store *s, long long patient_id, long long to_id, long long from,
                long long to, recur_fn *fn, void *ctx, struct appointment_list *keep, struct err *e)
{
	struct merge m = {.from = from, .to = to, .fn = fn, .ctx = ctx, .keep = keep, .e = e};
	if (store_begin_read(s, e) < 0)   /* the two parts of one snapshot */
		return e->code;
	int rc = merge_start(&m, s, patient_id, to_id);
	if (rc == 0)
		rc = to_id ? store_appt_singles_range(s, patient_id, to_id, from, to, single, &m, e)
		           : store_appt_singles_each(s, patient_id, from, to, single, &m, e);
	if (rc == 0 && !m.stopped)
		rc = drain(&m, NULL);
	if (rc > 0)
		rc = 0;            /* fn ended the walk: not an error */
	merge_free(&m);
	if (rc < 0)
		store_rollback(s);
	else
		rc = store_commit(s, e);
	return rc;
}

int recur_each(struct store *s, long long patient_id, long long from, long long to, recur_fn *fn,
               void *ctx, struct err *e)
{
	return walk(s, patient_id, 0, from, to, fn, ctx, NULL, e);
}

int recur_each_range(struct store *s, long long patient_id, long long to_id, long long from,
                     long long to, recur_fn *fn, void *ctx, struct err *e)
{
	return walk(s, patient_id, to_id, from, to, fn, ctx, NULL, e);
}

/* ---- the same as one list ---- */

/* The list being made: the single events moved in, each series' row
 * copied once (found by id), the occurrences pointing at them by index
 * until the list is whole. */
struct collect {
	struct occurrence_list *out;
	size_t *row_of;            /* by occurrence */
	size_t cap_row_of;
	struct slot {
		long long id;      /* 0: empty */
		size_t row;
	} *slots;
	size_t n_slots;            /* a power of two */
	size_t n_copied;           /* the rows in slots */
};

static size_t row_slot(const struct collect *c, long long id)
{
	size_t i = (size_t)((unsigned long long)id * 0x9E3779B97F4A7C15ULL) & (c->n_slots - 1);
	while (c->slots[i].id && c->slots[i].id != id)
		i = (i + 1) & (c->n_slots - 1);
	return i;
}

static size_t row_index(struct collect *c, const struct appointment *a)
{
	struct appointment_list *rows = &c->out->rows;
	if (2 * (c->n_copied + 1) > c->n_slots) {
		struct slot *old = c->slots;
		size_t n = c->n_slots;
		c->n_slots = n ? 2 * n : 64;
		c->slots = xcalloc(c->n_slots, sizeof *c->slots);
		for (size_t i = 0; i < n; i++)
			if (old[i].id)
				c->slots[row_slot(c, old[i].id)] = old[i];
		free(old);
	}
	size_t k = row_slot(c, a->id);
	if (!c->slots[k].id) {
		c->slots[k] = (struct slot){a->id, rows->len};
		c->n_copied++;
		appointment_copy(LIST_PUSH(rows), a);
	}
	return c->slots[k].row;
}

static int collect_one(void *arg, const struct occurrence *o)
{
	struct collect *c = arg;
	const struct appointment_list *rows = &c->out->rows;
	/* a single event was moved to the end of the rows; a series' row is
	 * copied there once */
	size_t row = rows->len && o->appt == &rows->items[rows->len - 1] ? rows->len - 1
	                                                                 : row_index(c, o->appt);
	void *p = c->row_of;
	xgrow(&p, &c->cap_row_of, c->out->len + 1, sizeof *c->row_of);
	c->row_of = p;
	c->row_of[c->out->len] = row;
	*LIST_PUSH(c->out) = *o;
	return 0;
}

int recur_range(struct store *s, long long patient_id, long long from, long long to,
                struct occurrence_list *out, struct err *e)
{
	struct collect c = {.out = out};
	size_t first = out->len;
	int rc = walk(s, patient_id, 0, from, to, collect_one, &c, &out->rows, e);
	for (size_t i = first; i < out->len; i++)
		out->items[i].appt = &out->rows.items[c.row_of[i]];
	free(c.row_of);
	free(c.slots);
	return rc;
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

/* The local dates of a rule's first n occurrences when they follow from
 * DTSTART's date by counting days and months: DAILY or WEEKLY with no
 * BYxxx, WEEKLY by weekdays, MONTHLY by day or n-th weekday.  Then
 * libical's iterator, costly to start and to step (ICU calendar
 * arithmetic), is not needed.  NULL for any other rule. */
static int *rule_days(const struct icalrecurrencetype *r, int d0, int n)
{
	if (n <= 0 || n >= MAX_STEPS - 1 || r->interval < 1 || (r->rscale && *r->rscale))
		return NULL;
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

/* rule_days for the COUNT occurrences of a COUNT rule. */
static int *rule_dates(const struct icalrecurrencetype *r, int d0)
{
	if (r->count <= 0 || !icaltime_is_null_time(r->until))
		return NULL;
	return rule_days(r, d0, r->count);
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

/* The latest end of an UNTIL rule's occurrences (at least `last`) on the
 * calendar, without the iterator: the dates rule_days counts up to
 * UNTIL's, and of them the last whose wall-clock time is not after
 * UNTIL's, compared as libical's iterator compares them
 * (wall_clock_iterator: a UTC UNTIL as its local time in the series'
 * zone; an all-day series by the date).  EXDATE plays no part: the end
 * is that of the rule's last occurrence, excluded or not, as the
 * iterator gives it.  0 when the calendar cannot tell as surely as the
 * iterator: a rule rule_days does not count, a timed series whose UNTIL
 * is a date or a local time, an UNTIL before DTSTART, or a last
 * occurrence listed_end would not vouch for. */
static long long until_end(const struct appointment *a, const struct icalrecurrencetype *r,
                           long long last)
{
	if (r->count != 0 || icaltime_is_null_time(r->until) || r->interval < 1)
		return 0;
	icaltimezone *z = zone_of(a), *utc = icaltimezone_get_utc_timezone();
	struct icaltimetype first = local_start(a, z), u = r->until;
	int d0 = date_from_ymd(first.year, first.month, first.day);
	int tod = a->all_day ? 0 : first.hour * 3600 + first.minute * 60 + first.second;
	int until_tod = 0;
	if (!a->all_day) {
		if (u.is_date || !icaltime_is_utc(u))
			return 0;
		if (z != utc)
			u = icaltime_from_timet_with_zone(icaltime_as_timet_with_zone(u, utc), 0, z);
		until_tod = u.hour * 3600 + u.minute * 60 + u.second;
	}
	int ud = date_from_ymd(u.year, u.month, u.day);
	if (ud < d0)
		return 0;
	long long n;   /* enough dates to pass UNTIL's */
	if (r->freq == ICAL_DAILY_RECURRENCE)
		n = (ud - d0) / r->interval + 2;
	else if (r->freq == ICAL_WEEKLY_RECURRENCE)
		n = ((ud - d0) / (7LL * r->interval) + 2) * 7;
	else if (r->freq == ICAL_MONTHLY_RECURRENCE)
		n = ((u.year - first.year) * 12LL + u.month - first.month) / r->interval + 2;
	else
		return 0;
	if (n >= MAX_STEPS - 1)
		return 0;
	int *days = rule_days(r, d0, (int)n);
	if (!days)
		return 0;
	int k = (int)n - 1;
	while (k >= 0 && (days[k] > ud || (days[k] == ud && tod > until_tod)))
		k--;
	long long fixed = 0;
	if (k >= 0 && k < (int)n - 1)   /* the one after is past UNTIL: k is the last */
		fixed = listed_end(a, (const int[]){days[0], days[k]}, k ? 2 : 1, last);
	free(days);
	return fixed;
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
		long long fixed = days ? listed_end(a, days, r.count, last) : until_end(a, &r, last);
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
