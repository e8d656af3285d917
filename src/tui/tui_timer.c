/* tui_timer: the care management timer (`M`, issue 16).  It starts on the
 * selected patient and shows in the title bar with the patient's caseload
 * id and the minutes so far: the title is seen over a shoulder, and the id
 * means nothing outside caseload, where a name or an MRN (a record number
 * of the hospital's) would say who is being cared for.  `M` again stops it
 * and offers the minutes to log (program, activity); the contact form of
 * that patient (`c`) starts with its minutes, and logging the contact
 * stops it; cancelling the form leaves it running, its minutes kept (the
 * coordinator is still at work with the patient).  The lock never lets it run on unasked: on unlock the coordinator
 * keeps the minutes the lock took or stops the timer at the lock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/program.h"
#include "caseload/text.h"
#include "tui_internal.h"

#define MINUTE_MS 60000.0

bool tui_timer_running(const struct tui *t)
{
	return t->timer.patient_id != 0;
}

/* Whole minutes from start to `at`, to the nearest, at least one. */
static int minutes_until(const struct tui *t, double at)
{
	double ms = at - t->timer.start_ms;
	int n = ms > 0 ? (int)((ms + MINUTE_MS / 2) / MINUTE_MS) : 0;
	return n < 1 ? 1 : n;
}

void tui_timer_title(const struct tui *t, char *out, size_t n)
{
	out[0] = '\0';
	if (!tui_timer_running(t))
		return;
	double ms = tui_now_ms() - t->timer.start_ms;
	snprintf(out, n, " — timer: patient %lld, %d min", t->timer.patient_id,
	         ms > 0 ? (int)(ms / MINUTE_MS) : 0);
}

void tui_timer_tick(struct tui *t)
{
	if (!tui_timer_running(t))
		return;
	int shown = (int)((tui_now_ms() - t->timer.start_ms) / MINUTE_MS);
	if (shown != t->timer.shown) {
		t->timer.shown = shown;
		t->title_dirty = true;
	}
}

int tui_timer_minutes(const struct tui *t, long long patient_id)
{
	if (!tui_timer_running(t) || t->timer.patient_id != patient_id)
		return 0;
	return minutes_until(t, tui_now_ms());
}

int tui_timer_stop(struct tui *t, long long patient_id)
{
	if (!tui_timer_running(t) || (patient_id && t->timer.patient_id != patient_id))
		return 0;
	int n = minutes_until(t, tui_now_ms());
	memset(&t->timer, 0, sizeof t->timer);
	t->title_dirty = true;
	return n;
}

static int check_program(struct tui *t, const char *v, struct err *e)
{
	(void)t;
	if (!*v || code_find(&PROGRAM, v) >= 0)
		return 0;
	return err_set(e, ERR_USAGE, "%s (empty: the one the patient is in)", code_list(&PROGRAM));
}

static int check_minutes(struct tui *t, const char *v, struct err *e)
{
	return !*v ? err_set(e, ERR_USAGE, "minutes from 1 to 1440") : tui_check_minutes(t, v, e);
}

struct time_save {
	const struct patient_ref *who;
};

static int save_time(struct tui *t, struct form_field *f, int n, void *arg)
{
	const struct time_save *ts = arg;
	char day[DATE_STRLEN];
	(void)n;
	struct time_entry te = {.patient_id = ts->who->id, .day = date_format(t->ctx->today, day),
	                        .minutes = tui_minutes(f[0].value),
	                        .activity = *f[2].value ? f[2].value : NULL};
	struct change ch = {0};
	if (care_time_log(t->store, &te, *f[1].value ? f[1].value : NULL, &ch, &t->err) < 0) {
		if (!t->err.field[0])
			snprintf(t->err.field, sizeof t->err.field, "program");
		return t->err.code;
	}
	char *msg = xasprintf("logged %d minute%s for patient %lld", te.minutes,
	                      te.minutes == 1 ? "" : "s", ts->who->id);
	tui_done(t, 0, msg, &ch);
	free(msg);
	return 0;
}

/* Offer minutes to log for who: the form, saved or not. */
static int offer_log(struct tui *t, const struct patient_ref *who, int minutes)
{
	char n[16];
	snprintf(n, sizeof n, "%d", minutes);
	struct form_field f[] = {
		{.label = "Minutes", .value = n, .hint = "from the timer", .check = check_minutes, .required = true},
		{.label = "Program", .hint = "empty: the one the patient is in (ccm, pcm, ...)", .check = check_program, .choices = &PROGRAM},
		{.label = "Activity", .value = "care management", .hint = "what the time went to"},
	};
	struct time_save ts = {.who = who};
	int saved = tui_form_save(t, "Log minutes for", who, f, 3, save_time, &ts);
	if (saved)
		form_fields_free(f, 3);
	else
		tui_message(t, false, "timer stopped: %d minute%s not logged", minutes,
		            minutes == 1 ? "" : "s");
	return 0;
}

int tui_timer_toggle(struct tui *t, const struct patient_ref *who)
{
	if (tui_timer_running(t)) {
		struct patient_ref was = t->timer.who;
		int minutes = tui_timer_stop(t, 0);
		return offer_log(t, &was, minutes);
	}
	if (!who || !who->id) {
		tui_message(t, true, "timer: no patient here — select a row of a patient first");
		return 0;
	}
	t->timer.patient_id = who->id;
	t->timer.who = *who;
	t->timer.start_ms = tui_now_ms();
	t->timer.shown = 0;
	t->title_dirty = true;
	tui_message(t, false, "timer started for patient %lld: M again stops it and logs the minutes",
	            who->id);
	return 0;
}

void tui_timer_locked(struct tui *t)
{
	if (tui_timer_running(t))
		t->timer.locked_ms = tui_now_ms();
}

void tui_timer_unlocked(struct tui *t)
{
	if (!tui_timer_running(t) || !t->timer.locked_ms)
		return;
	double at_lock = t->timer.locked_ms;
	t->timer.locked_ms = 0;
	int all = minutes_until(t, tui_now_ms()), before = minutes_until(t, at_lock);
	char keep[80], stop[80];
	snprintf(keep, sizeof keep, "keep %d minute%s (the lock's included): the timer runs on", all,
	         all == 1 ? "" : "s");
	snprintf(stop, sizeof stop, "stop at the lock: %d minute%s", before, before == 1 ? "" : "s");
	const char *const items[] = {stop, keep};
	size_t chosen = 0;
	if (tui_pick(t, "The timer ran during the lock", items, 2, &chosen) && chosen == 1) {
		t->title_dirty = true;
		return;
	}
	/* stopped at the lock (Esc too: the time locked is not counted) */
	struct patient_ref was = t->timer.who;
	memset(&t->timer, 0, sizeof t->timer);
	t->title_dirty = true;
	offer_log(t, &was, before);
}
