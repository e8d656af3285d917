/* care: everyday changes shared by the front ends. */
#include <stdlib.h>
#include <string.h>

#include "caseload/billing.h"
#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/program.h"
#include "caseload/store.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

static int entry_text(const struct entry *en, struct err *e)
{
	const struct text_field f[] = {{"facility", en->facility, false}, {"text", en->text, true}};
	return text_check_fields(f, sizeof f / sizeof f[0], e);
}

static int task_text(const struct task *t, struct err *e)
{
	const struct text_field f[] = {{"title", t->title, false}, {"note", t->note, true}};
	return text_check_fields(f, sizeof f / sizeof f[0], e);
}

int care_log_entry(struct store *s, struct entry *en, const char *zone, struct change *ch,
                   struct err *e)
{
	if (entry_text(en, e) < 0)
		return e->code;
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_entry_add(s, en, e) < 0)
		goto fail;
	if (en->minutes > 0) {
		char day[DATE_STRLEN];
		int d, m;
		struct time_entry t = {.patient_id = en->patient_id, .minutes = en->minutes,
		                       .activity = en->kind};
		if (tz_utc_to_local(zone, en->at, &d, &m, e) < 0)
			goto fail;
		t.day = date_format(d, day);
		/* the minutes count toward the program named, else the
		 * patient's one program; in none, they stay the contact's own
		 * (its entry keeps them) */
		int rc = program_episode_for_time(s, en->patient_id, en->program, t.day,
		                                  &t.episode_id, e);
		if (rc < 0 && (rc != ERR_NOTFOUND || en->program))
			goto fail;
		if (rc == 0) {
			if (store_time_add(s, &t, e) < 0)
				goto fail;
			change_note(ch, CHANGE_TIME, en->patient_id);
		}
	}
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_ENTRY, en->patient_id, en->id);
fail:
	store_rollback(s);
	return e->code;
}

static const char *const dispositions[] = {"home", "home-health", "snf", "rehab", "hospice",
                                           "other-hospital", "other"};
const struct codeset DISCHARGE_DISPOSITION = {"disposition", dispositions,
                                              (int)(sizeof dispositions / sizeof dispositions[0])};

/* A hospital or lab event on the timeline that needs acknowledging (the
 * review follows it up).  Sets en->id. */
static int review_entry(struct store *s, struct entry *en, const char *kind, struct change *ch,
                        struct err *e)
{
	struct entry d = *en;   /* the caller's strings, borrowed */
	d.kind = kind;
	d.needs_review = true;
	if (entry_text(&d, e) < 0 || store_entry_add(s, &d, e) < 0)
		return e->code;
	en->id = d.id;
	return change_record(ch, CHANGE_ENTRY, en->patient_id, en->id);
}

/* The discharge and the TCM episode it opens (billing.h), in one
 * transaction: its days are the discharge's in the coordinator's zone. */
static int discharge_entry(struct store *s, struct entry *en, const char *zone, struct change *ch,
                           struct err *e)
{
	if (store_begin(s, e) < 0)
		return e->code;
	if (review_entry(s, en, "discharge", ch, e) < 0 ||
	    tcm_open(s, en->patient_id, en->id, en->at, zone, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	return store_commit(s, e);
}

int care_discharge(struct store *s, struct entry *en, const char *disposition, const char *zone,
                   struct change *ch, struct err *e)
{
	if (!disposition)
		return discharge_entry(s, en, zone, ch, e);
	if (code_find(&DISCHARGE_DISPOSITION, disposition) < 0)
		return err_set(e, ERR_USAGE, "disposition %s is not one of %s", TEXT_ARG(disposition),
		               code_list(&DISCHARGE_DISPOSITION));
	/* kept with the entry's text, where the timeline and the chart show it */
	char *text = xasprintf("disposition: %s%s%s", disposition, en->text && *en->text ? "; " : "",
	                       en->text ? en->text : "");
	struct entry d = *en;
	d.text = text;
	int rc = discharge_entry(s, &d, zone, ch, e);
	en->id = d.id;
	free(text);
	return rc;
}

int care_admission(struct store *s, struct entry *en, struct change *ch, struct err *e)
{
	return review_entry(s, en, "admission", ch, e);
}

int care_result(struct store *s, struct entry *en, struct change *ch, struct err *e)
{
	if (!en->text || !*en->text)
		return err_set(e, ERR_USAGE, "a result needs its text (what came back)");
	return review_entry(s, en, "result", ch, e);
}

int care_time_log(struct store *s, struct time_entry *t, const char *program,
                  struct change *ch, struct err *e)
{
	if (t->role && code_find(&TIME_ROLE, t->role) < 0)
		return err_set(e, ERR_USAGE, "role %s is not one of %s", TEXT_ARG(t->role),
		               code_list(&TIME_ROLE));
	if (!t->day)
		return err_set(e, ERR_USAGE, "a time log entry needs a day");
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_patient_exists(s, t->patient_id, e) < 0 ||
	    program_episode_for_time(s, t->patient_id, program, t->day, &t->episode_id, e) < 0 ||
	    store_time_add(s, t, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (store_commit(s, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_TIME, t->patient_id, t->id);
}

int care_task_add(struct store *s, struct task *t, struct change *ch, struct err *e)
{
	if (task_text(t, e) < 0 || store_task_add(s, t, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_TASK, t->patient_id, t->id);
}

/* The task, if it is still open. */
static int open_task(struct store *s, long long id, struct task *t, struct err *e)
{
	if (store_task_get(s, id, t, e) < 0)
		return e->code;
	if (!task_status_open(t->status)) {
		err_set(e, ERR_USAGE, "task %lld is already %s", id, t->status);
		task_clear(t);
		return ERR_USAGE;
	}
	return 0;
}

/* Read the open task, let `change` alter it, write it back: one transaction. */
static int update_open_task(struct store *s, long long id, const char *verb,
                            void (*alter)(struct task *, const void *), const void *arg,
                            struct change *ch, struct err *e)
{
	struct task t = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "%s task %lld", verb, id);
	if (open_task(s, id, &t, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	alter(&t, arg);
	int rc = store_task_update(s, &t, e);
	if (rc < 0)
		store_rollback(s);
	else if ((rc = store_commit(s, e)) == 0)   /* a failed commit has rolled back */
		change_record(ch, CHANGE_TASK, t.patient_id, id);
	task_clear(&t);
	return rc < 0 ? rc : 0;
}

/* Everything but the identity and the plan it came from. */
static void take_task(struct task *t, const void *arg)
{
	const struct task *in = arg;
	struct {
		const char **dst;
		const char *src;
	} f[] = {{&t->title, in->title}, {&t->kind, in->kind}, {&t->priority, in->priority},
	         {&t->status, in->status}, {&t->due, in->due}, {&t->snoozed_until, in->snoozed_until},
	         {&t->note, in->note}, {&t->recurrence, in->recurrence}};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		char *v = f[i].src ? xstrdup(f[i].src) : NULL;
		str_free(*f[i].dst);
		*f[i].dst = v;
	}
	t->completed_at = in->completed_at;
	/* the version the editor read: a save after someone else's is refused */
	if (in->version)
		t->version = in->version;
}

int care_task_edit(struct store *s, const struct task *t, struct change *ch, struct err *e)
{
	if (task_text(t, e) < 0)
		return e->code;
	return update_open_task(s, t->id, "edited", take_task, t, ch, e);
}

static void complete(struct task *t, const void *arg)
{
	str_set(&t->status, "completed");
	t->completed_at = *(const long long *)arg;
}

int care_task_done(struct store *s, long long task_id, long long now, struct change *ch,
                   struct err *e)
{
	return update_open_task(s, task_id, "completed", complete, &now, ch, e);
}

static void snooze(struct task *t, const void *arg)
{
	str_set(&t->snoozed_until, arg);
}

int care_task_snooze(struct store *s, long long task_id, int today, int until,
                     struct change *ch, struct err *e)
{
	char d[DATE_STRLEN];
	if (until <= today)
		return err_set(e, ERR_USAGE, "a snooze must end after today (%s)", date_format(today, d));
	return update_open_task(s, task_id, "snoozed", snooze, date_format(until, d), ch, e);
}

struct cancel_note {
	const char *text;
};

/* Cancelled, its note (the reason) after what the note said. */
static void cancel(struct task *t, const void *arg)
{
	const struct cancel_note *c = arg;
	str_set(&t->status, "cancelled");
	if (t->note && *t->note) {
		char *both = xasprintf("%s\nCancelled: %s", t->note, c->text);
		str_free(t->note);
		t->note = both;
	} else {
		str_set(&t->note, c->text);
	}
}

int care_task_cancel(struct store *s, long long task_id, const char *note, long long now,
                     struct change *ch, struct err *e)
{
	if (!note || !*note)
		return err_set(e, ERR_USAGE, "a task is cancelled with a note saying why");
	const struct text_field f[] = {{"note", note, true}};
	if (text_check_fields(f, 1, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	struct cancel_note c = {note};
	struct change mine = {0};
	struct task t = {0};
	char *text = NULL;
	int rc = update_open_task(s, task_id, "cancelled", cancel, &c, &mine, e);
	if (rc == 0)
		rc = store_task_get(s, task_id, &t, e);
	if (rc == 0) {   /* on the timeline, where the task itself does not show */
		text = xasprintf("Task cancelled: %s — %s", t.title, note);
		struct entry en = {.patient_id = t.patient_id, .at = now, .kind = "task-event",
		                   .text = text, .ref_table = "task", .ref_id = task_id,
		                   .author = store_user(s)};
		rc = store_entry_add(s, &en, e);
	}
	free(text);
	long long pid = t.patient_id;
	task_clear(&t);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, e)) < 0)
		return rc;
	return change_record(ch, CHANGE_TASK | CHANGE_ENTRY, pid, task_id);
}

int care_confirm_transport(struct store *s, long long appt_id, long long now,
                           struct change *ch, struct err *e)
{
	struct appointment a = {0};
	bool changed = false;
	if (store_begin(s, e) < 0)
		return e->code;
	int rc = store_appt_get(s, appt_id, &a, e);
	if (rc == 0 && !transport_wanted(a.transport))
		rc = err_set(e, ERR_USAGE, "appointment %lld needs no transport", appt_id);
	else if (rc == 0 && transport_unconfirmed(a.transport)) {
		str_set(&a.transport, "confirmed");
		a.sequence++;      /* calendars that have it take the change */
		a.last_modified = now;
		rc = store_appt_update(s, &a, e);
		changed = true;
	}
	if (rc < 0)
		store_rollback(s);
	else if ((rc = store_commit(s, e)) == 0)   /* a failed commit has rolled back */
		change_record(ch, changed ? CHANGE_APPT : 0, a.patient_id, appt_id);
	appointment_clear(&a);
	return rc;
}

int care_acknowledge(struct store *s, long long entry_id, long long now, struct change *ch,
                     struct err *e)
{
	struct entry en = {0};
	if (store_begin(s, e) < 0)
		return e->code;
	int rc = store_entry_get(s, entry_id, &en, e);
	if (rc == 0 && !en.needs_review)
		rc = err_set(e, ERR_USAGE, "timeline entry %lld needs no acknowledging", entry_id);
	else if (rc == 0)   /* acknowledged already: refused, naming who did it */
		rc = store_entry_mark_reviewed(s, entry_id, now, en.version, e);
	if (rc < 0)
		store_rollback(s);
	else if ((rc = store_commit(s, e)) == 0)   /* a failed commit has rolled back */
		change_record(ch, CHANGE_ENTRY, en.patient_id, entry_id);
	entry_clear(&en);
	return rc;
}

int care_contact_add(struct store *s, struct contact *c, struct change *ch, struct err *e)
{
	const struct text_field f[] = {
		{"name", c->name, false}, {"organization", c->organization, false},
		{"phone", c->phone, false}, {"email", c->email, false},
		{"address", c->address, false}, {"notes", c->notes, true},
	};
	if (text_check_fields(f, sizeof f / sizeof f[0], e) < 0 || store_contact_add(s, c, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_CONTACT, 0, c->id);
}

int care_contact_edit(struct store *s, struct contact *c, struct change *ch, struct err *e)
{
	if (store_contact_update(s, c, e) < 0)
		return e->code;
	c->version++;   /* the caller's copy is the row as it is now */
	return change_record(ch, CHANGE_CONTACT, 0, c->id);
}

int care_team_add(struct store *s, long long patient_id, long long contact_id, const char *role,
                  long long *id, struct change *ch, struct err *e)
{
	if (text_check_input(role ? role : "", false, "role", e) < 0 ||
	    store_team_add(s, patient_id, contact_id, role, id, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_CONTACT, patient_id, *id);
}

int care_med_add(struct store *s, struct medication *m, struct change *ch, struct err *e)
{
	const struct text_field f[] = {{"name", m->name, false}, {"dose", m->dose, false}};
	if (text_check_fields(f, sizeof f / sizeof f[0], e) < 0 || store_med_add(s, m, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_CLINICAL, m->patient_id, m->id);
}

int care_team_member_add(struct store *s, long long patient_id, struct contact *c,
                         const char *role, long long *id, struct change *ch, struct err *e)
{
	if (!role || !*role)
		return err_set(e, ERR_USAGE, "a care-team member needs a role (nurse, pharmacy, ...)");
	if (store_begin(s, e) < 0)
		return e->code;
	if (care_contact_add(s, c, NULL, e) < 0 ||
	    care_team_add(s, patient_id, c->id, role, id, NULL, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	return change_record(ch, CHANGE_CONTACT, patient_id, *id);
}

int care_condition_add(struct store *s, long long patient_id, const char *name, const char *onset,
                       long long *id, struct change *ch, struct err *e)
{
	if (!name || !*name)
		return err_set(e, ERR_USAGE, "a condition needs a name");
	if (text_check_input(name, false, "condition", e) < 0 ||
	    store_condition_add(s, patient_id, name, onset, id, e) < 0)
		return e->code;
	return change_record(ch, CHANGE_CLINICAL, patient_id, *id);
}

int care_med_edit(struct store *s, struct medication *m, struct change *ch, struct err *e)
{
	const struct text_field f[] = {{"name", m->name, false}, {"dose", m->dose, false}};
	struct medication was;
	if (text_check_fields(f, sizeof f / sizeof f[0], e) < 0 || store_begin(s, e) < 0)
		return e->code;
	if (store_med_get(s, m->id, &was, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	m->patient_id = was.patient_id;
	if (!m->version)
		m->version = was.version;
	medication_clear(&was);
	store_undo_what(s, m->patient_id, "edited medication %lld", m->id);
	if (store_med_update(s, m, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	m->version++;   /* the caller's copy is the row as it is now */
	return change_record(ch, CHANGE_CLINICAL, m->patient_id, m->id);
}

int care_condition_edit(struct store *s, struct condition *c, struct change *ch, struct err *e)
{
	struct condition was;
	if (text_check_input(c->name ? c->name : "", false, "condition", e) < 0 ||
	    store_begin(s, e) < 0)
		return e->code;
	if (store_condition_get(s, c->id, &was, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	c->patient_id = was.patient_id;
	if (!c->version)
		c->version = was.version;
	condition_clear(&was);
	store_undo_what(s, c->patient_id, "edited condition %lld", c->id);
	if (store_condition_update(s, c, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	c->version++;
	return change_record(ch, CHANGE_CLINICAL, c->patient_id, c->id);
}

int care_team_edit(struct store *s, long long team_id, long long team_version,
                   struct contact *c, const char *role, struct change *ch, struct err *e)
{
	long long patient_id = 0;
	if (text_check_input(role ? role : "", false, "role", e) < 0 || store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "edited care team member %lld", team_id);
	if (store_team_update(s, team_id, role, team_version, &patient_id, e) < 0 ||
	    store_contact_update(s, c, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	store_undo_what(s, patient_id, "edited care team member %lld", team_id);
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	c->version++;
	change_record(ch, CHANGE_CONTACT, 0, c->id);
	return change_record(ch, CHANGE_CONTACT, patient_id, team_id);
}
