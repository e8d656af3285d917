/* appt: booking, changing, cancelling and assigning appointments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/appt.h"
#include "caseload/date.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

/* What RFC 5545 counts as a change a calendar must take. */
static bool significant(const struct appointment *old, const struct appointment *a)
{
	return old->start != a->start || old->end != a->end || old->all_day != a->all_day ||
	       !str_eq(old->location, a->location) || !str_eq(old->status, a->status) ||
	       !str_eq(old->rrule, a->rrule) || !str_eq(old->rdate, a->rdate) ||
	       !str_eq(old->exdate, a->exdate) || !str_eq(old->tzid, a->tzid);
}

static int series_end(struct appointment *a, struct err *e)
{
	a->series_end = 0;
	if (!a->rrule && !a->rdate)
		return 0;
	return recur_series_end(a, &a->series_end, e);
}

/* The text a person typed; in an edit, only what changed (an imported
 * title may hold what the import kept). */
static int check_text(const struct appointment *old, const struct appointment *a,
                      struct err *e)
{
	const struct text_field f[] = {
		{"title", a->title, false}, {"location", a->location, false},
		{"notes", a->notes, true},
	};
	const char *was[] = {old ? old->title : NULL, old ? old->location : NULL,
	                     old ? old->notes : NULL};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if ((!old || !str_eq(was[i], f[i].value)) && text_check_fields(&f[i], 1, e) < 0)
			return err_field(e, f[i].what);
	return 0;
}

int appt_add(struct store *s, const struct appt_req *rq, struct change *ch, struct err *e)
{
	struct appointment *a = rq->a;
	if (check_text(NULL, a, e) < 0)
		return e->code;
	if (!a->uid)
		a->uid = appointment_new_uid();
	if (!a->source)
		a->source = xstrdup("manual");
	if (!a->tzid && !a->all_day && rq->zone)
		a->tzid = xstrdup(rq->zone);
	if (!a->booked_at)
		a->booked_at = rq->now;
	if (series_end(a, e) < 0 || store_appt_add(s, a, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_APPT, a->patient_id, a->id);
}

/* Read appointment `id`, let `alter` change it, write it: one transaction. */
static int change_appt(struct store *s, long long id, long long now, const char *verb,
                       int (*alter)(struct appointment *, const void *, struct err *),
                       const void *arg, struct change *ch, struct err *e)
{
	struct appointment old = {0}, a = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "%s appointment %lld", verb, id);
	if (store_appt_get(s, id, &old, e) < 0)
		goto fail;
	appointment_copy(&a, &old);
	if (alter(&a, arg, e) < 0 || series_end(&a, e) < 0)
		goto fail;
	if (significant(&old, &a))
		a.sequence = old.sequence + 1;
	a.last_modified = now;
	if (store_appt_update(s, &a, e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		goto out;
	/* both patients' views change when it moves from one to another */
	change_note(ch, CHANGE_APPT, old.patient_id);
	change_record(ch, CHANGE_APPT, a.patient_id, a.id);
	appointment_clear(&old);
	appointment_clear(&a);
	return 0;
fail:
	store_rollback(s);
out:
	appointment_clear(&old);
	appointment_clear(&a);
	return e->code;
}

/* The caller's fields over the stored row; its identity stays as stored. */
static int take_fields(struct appointment *a, const void *arg, struct err *e)
{
	if (check_text(a, arg, e) < 0)
		return e->code;
	struct appointment stored = *a;
	appointment_copy(a, arg);
	str_free(a->uid);
	str_free(a->recurrence_id);
	a->id = stored.id;
	a->uid = stored.uid;
	a->recurrence_id = stored.recurrence_id;
	a->sequence = stored.sequence;
	/* the version the caller read (0: as read here): a save after someone
	 * else's is refused */
	if (!a->version)
		a->version = stored.version;
	stored.uid = stored.recurrence_id = NULL;
	appointment_clear(&stored);
	return 0;
}

int appt_edit(struct store *s, const struct appt_req *rq, struct change *ch, struct err *e)
{
	return change_appt(s, rq->a->id, rq->now, "edited", take_fields, rq->a, ch, e);
}

static int cancel(struct appointment *a, const void *arg, struct err *e)
{
	if (code_find(&APPT_STATUS, a->status) == APPT_CANCELLED)
		return err_set(e, ERR_CONFLICT, "appointment %lld is already cancelled", a->id);
	str_set(&a->status, "cancelled");
	str_set(&a->cancel_reason, arg);
	return 0;
}

int appt_cancel_reason(struct store *s, long long id, const char *reason, long long now,
                       struct change *ch, struct err *e)
{
	if (reason && code_find(&APPT_CANCEL_REASON, reason) < 0)
		return err_set(e, ERR_USAGE, "cancellation reason %s is not one of %s",
		               TEXT_ARG(reason), code_list(&APPT_CANCEL_REASON));
	return change_appt(s, id, now, "cancelled", cancel, reason, ch, e);
}

int appt_cancel(struct store *s, long long id, long long now, struct change *ch, struct err *e)
{
	return appt_cancel_reason(s, id, NULL, now, ch, e);
}

struct assign {
	long long patient_id;
	bool reassign;
};

static int assign(struct appointment *a, const void *arg, struct err *e)
{
	const struct assign *to = arg;
	if (a->patient_id && a->patient_id != to->patient_id && !to->reassign)
		return err_set(e, ERR_CONFLICT,
		               "appointment %lld belongs to patient %lld already (--reassign to move it)",
		               a->id, a->patient_id);
	a->patient_id = to->patient_id;
	return 0;
}

int appt_assign(struct store *s, long long id, long long patient_id, bool reassign,
                long long now, struct change *ch, struct err *e)
{
	struct assign to = {patient_id, reassign};
	if (store_patient_exists(s, patient_id, e) < 0)
		return e->code;
	return change_appt(s, id, now, "assigned", assign, &to, ch, e);
}

/* ---- warnings ---- */

static void add_line(struct strlist *out, char *line)
{
	strlist_add(out, line);
	free(line);
}

/* "HH:MM" of an instant in the zone. */
static void local_hhmm(const char *zone, long long utc, char out[8])
{
	long long secs = utc - tz_local_midnight(zone, tz_local_date(zone, utc));
	snprintf(out, 8, "%02lld:%02lld", secs / 3600 % 24, secs / 60 % 60);
}

int appt_warnings(struct store *s, const struct appointment *a, const char *zone,
                  const struct holidays *h, struct strlist *out, struct err *e)
{
	const char *z = a->tzid ? a->tzid : zone;
	int day = a->all_day || !z ? date_of_utc(a->start) : tz_local_date(z, a->start);
	char ymd[DATE_STRLEN];
	date_format(day, ymd);
	int wd = date_weekday(day);
	if (wd == 0 || wd == 6)
		add_line(out, xasprintf("%s is a %s", ymd, date_weekday_name(wd)));
	else if (date_is_holiday(h, day))
		add_line(out, xasprintf("%s is a holiday in the calendar", ymd));
	if (!a->patient_id || appt_status_gone(a->status))
		return 0;
	struct occurrence_list l = {0};
	long long end = a->end > a->start ? a->end : a->start + 1;
	if (recur_range(s, a->patient_id, a->start, end, &l, e) < 0)
		return e->code;
	for (size_t i = 0; i < l.len; i++) {
		const struct occurrence *o = &l.items[i];
		if (o->appt->id == a->id || appt_status_gone(o->appt->status) ||
		    o->end <= a->start || o->start >= end)
			continue;
		char from[8], to[8];
		local_hhmm(z ? z : "UTC", o->start, from);
		local_hhmm(z ? z : "UTC", o->end, to);
		add_line(out, xasprintf("overlaps appointment %lld (%s-%s) of patient %lld",
		                        o->appt->id, from, to, a->patient_id));
	}
	occurrence_list_free(&l);
	return 0;
}

int appt_assign_series(struct store *s, long long id, long long patient_id, bool reassign,
                       long long now, size_t *count, struct change *ch, struct err *e)
{
	struct assign to = {patient_id, reassign};
	struct appointment first = {0};
	struct appointment_list rows = {0};
	struct change done = {0};
	size_t n = 0;
	if (store_patient_exists(s, patient_id, e) < 0)
		return e->code;
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_appt_get(s, id, &first, e) < 0 || store_appt_by_series(s, first.uid, &rows, e) < 0)
		goto fail;
	/* every row or none: one that is another patient's refuses them all */
	for (size_t i = 0; i < rows.len; i++) {
		if (rows.items[i].patient_id == patient_id)
			continue;
		if (change_appt(s, rows.items[i].id, now, "assigned", assign, &to, &done, e) < 0)
			goto fail;
		n++;
	}
	store_undo_what(s, patient_id, "assigned the series of appointment %lld (%zu row%s)", id, n,
	                n == 1 ? "" : "s");
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		goto out;
	if (count)
		*count = n;
	change_note(ch, done.kinds, done.patient_id);
	if (ch && done.many)
		ch->many = true;
	change_record(ch, CHANGE_APPT, patient_id, id);
	appointment_clear(&first);
	appointment_list_free(&rows);
	return 0;
fail:
	store_rollback(s);
out:
	appointment_clear(&first);
	appointment_list_free(&rows);
	return e->code;
}
