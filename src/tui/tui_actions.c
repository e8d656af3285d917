/* tui_actions: what the screen does to data: a form fills the request of
 * a use case in services/ (add a patient, task, appointment or note, log
 * a contact attempt, apply a care-plan template, export and import .ics),
 * which owns the defaults and the transaction; each ends with
 * tui_changed() and what the use case says it changed, so that only the
 * panes that show it load again. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/appt.h"
#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/model.h"
#include "caseload/patient.h"
#include "caseload/plan.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/template.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "pane.h"

const struct holidays *tui_holidays(const struct tui *t)
{
	return t->ctx->cfg ? &t->ctx->cfg->holidays : NULL;
}

/* Every action about a patient is given one (a row's): refuse none. */
static bool need_patient(struct tui *t, const struct patient_ref *who)
{
	if (who && who->id)
		return true;
	tui_message(t, true, "no patient here — select a row of a patient first");
	return false;
}

int tui_check_dob(struct tui *t, const char *v, struct err *e)
{
	int d;
	if (*v && (date_parse_iso(v, &d) < 0 || !date_in_range(d) || d > t->ctx->today))
		return err_set(e, ERR_USAGE, "YYYY-MM-DD, from %d to today", DATE_FIRST_YEAR);
	return 0;
}

int tui_check_date(struct tui *t, const char *v, struct err *e)
{
	int d;
	return date_parse(v, t->ctx->today, tui_holidays(t), &d, e);
}

static int check_time(struct tui *t, const char *v, struct err *e)
{
	int m;
	(void)t;
	return time_parse(v, &m, e);
}

static int check_duration(struct tui *t, const char *v, struct err *e)
{
	int m;
	(void)t;
	return duration_parse(v, &m, e);
}

static int check_set(const struct codeset *set, const char *v, struct err *e)
{
	return code_find(set, v) < 0 ? err_set(e, ERR_USAGE, "one of %s", code_list(set)) : 0;
}

#define CODE_CHECK(fn, set) \
	int fn(struct tui *t, const char *v, struct err *e) { (void)t; return check_set(&(set), v, e); }
CODE_CHECK(tui_check_priority, TASK_PRIORITY)
CODE_CHECK(tui_check_kind, TASK_KIND)
CODE_CHECK(tui_check_risk, RISK)
#undef CODE_CHECK
#define CODE_CHECK(fn, set) \
	static int fn(struct tui *t, const char *v, struct err *e) { (void)t; return check_set(&(set), v, e); }
CODE_CHECK(check_transport, TRANSPORT)
CODE_CHECK(check_outcome, OUTCOME)
CODE_CHECK(check_appt_status, APPT_STATUS)
static const char *const contact_kinds[] = {"call", "visit", "message"};
static const struct codeset CONTACT_HOW = {"contact", contact_kinds, 3};
CODE_CHECK(check_how, CONTACT_HOW)

static bool minutes_value(const char *v, long *n)
{
	char *end;
	*n = strtol(v, &end, 10);
	return *v && !*end && *n >= 1 && *n <= 24 * 60L;
}

int tui_check_minutes(struct tui *t, const char *v, struct err *e)
{
	long n;
	(void)t;
	if (!*v || minutes_value(v, &n))
		return 0;
	return err_set(e, ERR_USAGE, "minutes from 1 to 1440");
}

int tui_minutes(const char *v)
{
	long n;
	return minutes_value(v, &n) ? (int)n : 0;
}

/* After a use case: on success the message, and the panes that show
 * what it changed load again. */
static int done(struct tui *t, int rc, const char *what, const struct change *ch)
{
	if (rc == 0) {
		tui_message(t, false, "%s", what);
		tui_changed(t, ch);
	}
	return rc;
}

int tui_add_task(struct tui *t, const struct patient_ref *who, const struct task *prefill)
{
	if (!need_patient(t, who))
		return 0;
	const struct task *k0 = prefill ? prefill : &(struct task){.due = "today",
	                                                         .priority = "routine", .kind = "call"};
	struct form_field f[] = {
		{.label = "Title", .value = k0->title, .required = true},
		{.label = "Due", .value = k0->due, .hint = "today, fri, +3d, +2bd, 2026-12-01", .check = tui_check_date},
		{.label = "Priority", .value = k0->priority, .hint = "routine, urgent, asap, stat", .check = tui_check_priority, .required = true},
		{.label = "Kind", .value = k0->kind, .hint = "call, refill, transport, referral, followup, ...", .check = tui_check_kind, .required = true},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (!tui_form(t, "New task for", who, f, n))
		return 0;
	char day[DATE_STRLEN];
	int d;
	struct task k = {.patient_id = who->id, .title = f[0].value,
	                 .priority = f[2].value, .kind = f[3].value};
	int rc = 0;
	if (*f[1].value && (rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d, &t->err)) == 0)
		k.due = date_format(d, day);
	struct change ch = {0};
	if (rc == 0)
		rc = care_task_add(t->store, &k, &ch, &t->err);
	char *msg = xasprintf("task added: %s", f[0].value);
	done(t, rc, msg, &ch);
	free(msg);
	form_fields_free(f, n);
	return rc;
}

static void set_text(const char **dst, const char *v)
{
	str_free(*dst);
	*dst = v && *v ? xstrdup(v) : NULL;
}

/* The appointment form over *a (a new one when a->id is 0): 1 with the
 * typed values in *a, 0 cancelled, negative on a bad value (t->err). */
static int appt_form(struct tui *t, const char *title, const struct patient_ref *who,
                     struct appointment *a)
{
	char date[DATE_STRLEN] = "tomorrow", tm[16] = "10:00", dur[32] = "30m";
	if (a->id) {
		int day, min;
		tui_local(t, a->start, &day, &min);
		date_format(day, date);
		snprintf(tm, sizeof tm, "%02d:%02d", min / 60, min % 60);
		snprintf(dur, sizeof dur, "%lldm", (a->end - a->start) / 60);
	}
	struct form_field f[] = {
		{.label = "Title", .value = a->title, .required = true},
		{.label = "Date", .value = date, .hint = "today, fri, +3d, 2026-12-01", .check = tui_check_date, .required = true},
		{.label = "Time", .value = tm, .hint = "HH:MM", .check = check_time, .required = true},
		{.label = "Duration", .value = dur, .hint = "30m, 1h, 1h30m", .check = check_duration, .required = true},
		{.label = "Location", .value = a->location},
		{.label = "Transport", .value = a->transport ? a->transport : "none", .hint = "none, needed, arranged, confirmed", .check = check_transport, .required = true},
		{.label = "Status", .value = a->status ? a->status : "booked", .hint = "booked, pending, cancelled, fulfilled, noshow, ...", .check = check_appt_status, .required = true},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (!tui_form(t, title, who, f, n))
		return 0;
	int d, m, minutes;
	long long start;
	int rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d, &t->err);
	if (rc == 0)
		rc = time_parse(f[2].value, &m, &t->err);
	if (rc == 0)
		rc = duration_parse(f[3].value, &minutes, &t->err);
	if (rc == 0)
		rc = tz_local_to_utc(t->ctx->zone, d, m, &start, &t->err);
	if (rc == 0) {
		a->start = start;
		a->end = start + minutes * 60LL;
		a->all_day = false;
		set_text(&a->title, f[0].value);
		set_text(&a->location, f[4].value);
		set_text(&a->transport, f[5].value);
		set_text(&a->status, f[6].value);
	}
	form_fields_free(f, n);
	return rc < 0 ? rc : 1;
}

int tui_add_appointment(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	struct appointment a = {.patient_id = who->id};
	int rc = appt_form(t, "New appointment for", who, &a);
	if (rc == 1) {
		struct appt_req rq = {.a = &a, .zone = t->ctx->zone, .now = t->ctx->now};
		struct change ch = {0};
		char *msg = xasprintf("appointment added: %s", a.title);
		rc = done(t, appt_add(t->store, &rq, &ch, &t->err), msg, &ch);
		free(msg);
	}
	appointment_clear(&a);
	return rc < 0 ? rc : 0;
}

int tui_edit_appointment(struct tui *t, const struct patient_ref *who, long long id)
{
	struct appointment a = {0};
	if (store_appt_get(t->store, id, &a, &t->err) < 0)
		return -1;
	if (!who || who->id != a.patient_id) {
		appointment_clear(&a);
		tui_message(t, true, "edit: this appointment is not the patient's shown here");
		return 0;
	}
	/* A series is one stored row, as for 'caseload appt edit': the form
	 * shows its first occurrence and a change applies to every one. */
	bool series = a.rrule || a.rdate;
	int rc = appt_form(t, series ? "Edit the whole series (every occurrence)" : "Edit appointment",
	                   who, &a);
	if (rc == 1) {
		struct appt_req rq = {.a = &a, .zone = t->ctx->zone, .now = t->ctx->now};
		struct change ch = {0};
		char *msg = xasprintf("saved%s: %s", series ? " (every occurrence)" : "", a.title);
		rc = done(t, appt_edit(t->store, &rq, &ch, &t->err), msg, &ch);
		free(msg);
	}
	appointment_clear(&a);
	return rc < 0 ? rc : 0;
}

int tui_save_patient(struct tui *t, struct patient *p, bool edit, struct change *ch)
{
	struct patient_dup dup = {0};
	struct patient_req rq = {.p = p, .dup = &dup};
	int rc = edit ? patient_edit(t->store, &rq, ch, &t->err) : patient_add(t->store, &rq, ch, &t->err);
	if (rc == ERR_CONFLICT && dup.id && !dup.same_mrn) {
		/* a namesake born the same day may be a real one: the coordinator says */
		char *q = xasprintf("Save anyway? %s", t->err.msg);
		bool yes = tui_confirm(t, q);
		free(q);
		if (!yes) {
			tui_message(t, false, "not saved: %s", edit ? "the patient is as it was" : "no patient added");
			return 0;
		}
		rq.allow_duplicate = true;
		rc = edit ? patient_edit(t->store, &rq, ch, &t->err) : patient_add(t->store, &rq, ch, &t->err);
	}
	return rc < 0 ? rc : 1;
}

int tui_add_patient(struct tui *t)
{
	struct form_field f[] = {
		{.label = "Name", .hint = "Family, Given", .required = true},
		{.label = "Date of birth", .hint = "YYYY-MM-DD", .check = tui_check_dob},
		{.label = "MRN"},
		{.label = "Phone"},
		{.label = "Risk", .value = "medium", .hint = "low, medium, high", .check = tui_check_risk, .required = true},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	if (!tui_form(t, "New patient", NULL, f, n))
		return 0;
	struct patient p = {0};
	int rc = 0;
	if (patient_split_name(f[0].value, &p.family, &p.given) < 0)
		rc = err_set(&t->err, ERR_USAGE, "name %s is not \"Family, Given\"",
		             TEXT_ARG(f[0].value));
	if (rc == 0) {
		p.dob = *f[1].value ? xstrdup(f[1].value) : NULL;
		p.mrn = *f[2].value ? xstrdup(f[2].value) : NULL;
		p.phone = *f[3].value ? xstrdup(f[3].value) : NULL;
		p.risk = xstrdup(f[4].value);
		p.status = xstrdup("active");
		p.coordinator = xstrdup(t->ctx->user);
	}
	struct change ch = {0};
	if (rc == 0 && (rc = tui_save_patient(t, &p, false, &ch)) == 1) {
		char *msg = xasprintf("patient added: %s", f[0].value);
		done(t, 0, msg, &ch);
		free(msg);
	}
	patient_clear(&p);
	form_fields_free(f, n);
	return rc < 0 ? rc : 0;
}

/* A timeline entry, and minutes toward care management time. */
static int add_entry(struct tui *t, struct entry *en, struct change *ch)
{
	return care_log_entry(t->store, en, t->ctx->zone, ch, &t->err) < 0 ? -1 : 0;
}

static int check_yes_no(struct tui *t, const char *v, struct err *e)
{
	(void)t;
	return strcmp(v, "yes") != 0 && strcmp(v, "no") != 0 ? err_set(e, ERR_USAGE, "yes or no") : 0;
}

int tui_log_contact(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	/* an open post-discharge call task: a reached call or visit completes
	 * it in the same step, when the coordinator says so */
	long long task_id = 0;
	char *task_title = NULL, hint[200] = "";
	if (review_discharge_task(t->store, who->id, &task_id, &task_title, &t->err) < 0)
		return -1;
	if (task_id) {
		char *clean = text_sanitize(task_title);
		snprintf(hint, sizeof hint, "on a reached call or visit: \"%s\"", clean);
		free(clean);
	}
	free(task_title);
	struct form_field f[] = {
		{.label = "How", .value = "call", .hint = "call, visit, message", .check = check_how, .required = true},
		{.label = "Outcome", .value = "reached", .hint = "reached, no-answer, voicemail, left-message", .check = check_outcome, .required = true},
		{.label = "Minutes", .hint = "optional, counts toward CCM time", .check = tui_check_minutes},
		{.label = "Note"},
		{.label = "Complete task", .value = "yes", .hint = hint, .check = check_yes_no, .required = true},
	};
	int n = task_id ? 5 : 4;
	if (!tui_form(t, "Contact with", who, f, n))
		return 0;
	struct entry en = {.patient_id = who->id, .at = t->ctx->now, .kind = f[0].value,
	                   .outcome = f[1].value, .minutes = tui_minutes(f[2].value),
	                   .text = *f[3].value ? f[3].value : NULL, .author = t->ctx->user};
	bool complete = task_id && !strcmp(f[4].value, "yes");
	struct change ch = {0};
	int rc = review_log_contact(t->store, &en, t->ctx->zone, complete ? task_id : 0, t->ctx->now,
	                            &ch, &t->err);
	char *msg = xasprintf("logged %s: %s%s", f[0].value, f[1].value,
	                      change_has(&ch, CHANGE_TASK) ? "; the post-discharge call task is done" : "");
	done(t, rc, msg, &ch);
	free(msg);
	form_fields_free(f, n);
	return rc;
}

int tui_snooze_task(struct tui *t, long long task_id, const struct patient_ref *who,
                    const char *title)
{
	/* the typed date keeps room on the line: the name gives way */
	struct buf label = {0};
	char *until = NULL;
	buf_add(&label, "snooze (");
	tui_patient_label(who, t->cols / 3, &label);
	buf_add(&label, ") until (+1d, fri, date): ");
	int asked = tui_prompt(t, label.s, "+1d", NULL, NULL, &until);
	buf_free(&label);
	if (!asked)
		return 1;
	int d, rc = date_parse(until, t->ctx->today, tui_holidays(t), &d, &t->err);
	free(until);
	struct change ch = {0};
	if (rc == 0 && (rc = care_task_snooze(t->store, task_id, t->ctx->today, d, &ch, &t->err)) == 0) {
		char day[DATE_STRLEN];
		tui_message(t, false, "snoozed until %s: %s", date_format(d, day), title ? title : "the task");
		tui_changed(t, &ch);
	}
	return rc;
}

int tui_complete_task(struct tui *t, long long task_id, long long patient_id, const char *title)
{
	long long discharge_task = 0;
	bool owed = false;
	if (review_discharge_task(t->store, patient_id, &discharge_task, NULL, &t->err) < 0 ||
	    (discharge_task == task_id &&
	     review_contact_owed(t->store, patient_id, t->ctx->today, t->ctx->cfg, &owed, &t->err) < 0))
		return -1;
	struct change ch = {0};
	if (!owed) {
		char *msg = title ? xasprintf("done: %s", title) : xstrdup("task done");
		int rc = done(t, care_task_done(t->store, task_id, t->ctx->now, &ch, &t->err), msg, &ch);
		free(msg);
		return rc;
	}
	/* the post-discharge call, and no reached contact logged since */
	if (!tui_confirm(t, "No reached call or visit is logged since the discharge. Was the patient "
	                 "reached? (y logs a reached call and completes the task)")) {
		tui_message(t, false, "task left open: log each attempt with c");
		return 1;
	}
	struct entry en = {.patient_id = patient_id, .at = t->ctx->now, .kind = "call",
	                   .outcome = "reached", .author = t->ctx->user};
	return done(t, review_log_contact(t->store, &en, t->ctx->zone, task_id, t->ctx->now, &ch,
	                                  &t->err), "logged call: reached; task done", &ch);
}

int tui_add_note(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	struct form_field f[] = {{.label = "Note", .required = true}};
	if (!tui_form(t, "Note about", who, f, 1))
		return 0;
	struct entry en = {.patient_id = who->id, .at = t->ctx->now, .kind = "note",
	                   .text = f[0].value, .author = t->ctx->user};
	struct change ch = {0};
	int rc = done(t, add_entry(t, &en, &ch), "note added", &ch);
	form_fields_free(f, 1);
	return rc;
}

/* ---- care-plan templates ---- */

int tui_template(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	struct template_list tl = {0};
	struct strlist problems = {0};
	struct buf names = {0};
	if (template_scan(&tl, &problems, &t->err) == 0)
		for (size_t i = 0; i < tl.len && names.len < 200; i++)
			buf_addf(&names, "%s%s", names.len ? ", " : "", tl.items[i].name);
	template_list_free(&tl);
	strlist_free(&problems);
	struct form_field f[] = {
		{.label = "Template", .hint = names.s, .required = true},
		{.label = "Start", .value = "today", .hint = "today, +1d, 2026-12-01", .check = tui_check_date, .required = true},
	};
	int rc = 0;
	if (tui_form(t, "Apply a care plan to", who, f, 2)) {
		struct template tp = {0};
		int start;
		long long plan_id;
		struct change ch = {0};
		if ((rc = template_find(f[0].value, &tp, &t->err)) == 0 &&
		    (rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &start, &t->err)) == 0) {
			struct plan_apply_opts o = {.patient_id = who->id, .start = start,
			                            .now = t->ctx->now, .holidays = tui_holidays(t)};
			rc = plan_apply(t->store, &tp, &o, &plan_id, &ch, &t->err);
		}
		char *msg = xasprintf("care plan '%s' applied", f[0].value);
		done(t, rc, msg, &ch);
		free(msg);
		template_free(&tp);
		form_fields_free(f, 2);
	}
	buf_free(&names);
	return rc;
}

/* ---- iCalendar ---- */

static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");
	if (path[0] == '~' && path[1] == '/' && home)
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

int tui_export(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	char *def = xasprintf("~/appointments-%lld.ics", who->id);
	struct form_field f[] = {   /* the defaults are the export's own */
		{.label = "From", .value = ICAL_EXPORT_FROM, .check = tui_check_date, .required = true},
		{.label = "To", .value = ICAL_EXPORT_TO, .hint = "the last day; empty: no end",
		 .check = tui_check_date},
		{.label = "Detail", .value = ICAL_EXPORT_DETAIL, .hint = "minimal (safe to share) or full"},
		{.label = "Reminders", .value = ICAL_EXPORT_ALARMS, .hint = "1d,2h,30m or none"},
		{.label = "File", .value = def, .required = true},
	};
	int n = (int)(sizeof f / sizeof f[0]), rc = 0;
	bool filled = tui_form(t, "Export the appointments of", who, f, n);
	free(def);
	if (!filled)
		return 0;
	char *path = expand_home(f[4].value);
	struct ical_export_req rq = {.patient_id = who->id, .has_from = true,
	                             .has_to = *f[1].value != '\0', .detail = f[2].value,
	                             .alarms = f[3].value, .path = path, .today = t->ctx->today,
	                             .zone = t->ctx->zone, .now = t->ctx->now};
	struct ical_export_result res = {0};
	if ((rc = date_parse(f[0].value, t->ctx->today, tui_holidays(t), &rq.from, &t->err)) == 0 &&
	    (!rq.has_to || (rc = date_parse(f[1].value, t->ctx->today, tui_holidays(t), &rq.to, &t->err)) == 0))
		rc = ical_export_file(t->store, &rq, NULL, &res, &t->err);
	bool declined = false;
	if (rc == ERR_CONFLICT) {   /* the file is there: replace it only when told to */
		char *q = xasprintf("%s exists. Replace it?", path);
		rq.replace = tui_confirm(t, q);
		free(q);
		declined = !rq.replace;
		rc = declined ? 0 : ical_export_file(t->store, &rq, NULL, &res, &t->err);
	}
	if (rc == 0 && declined)
		tui_message(t, false, "not exported: %s is as it was", path);
	else if (rc == 0)
		tui_message(t, false, "wrote %zu appointments to %s", res.appointments, path);
	free(path);
	form_fields_free(f, n);
	return rc;
}

int tui_import(struct tui *t, const struct patient_ref *who)
{
	struct form_field f[] = {
		{.label = "File", .hint = "an .ics file", .required = true},
		{.label = "For patient", .value = "no", .hint = "yes: all to the selected patient; no: match each"},
	};
	if (!tui_form(t, "Import a calendar", NULL, f, 2))
		return 0;
	bool for_patient = f[1].value[0] == 'y';
	if (for_patient && !who) {
		form_fields_free(f, 2);
		tui_message(t, true, "no patient on this row: import with 'For patient: no', or select one");
		return 0;
	}
	char *path = expand_home(f[0].value);
	struct ical_summary sum = {0};
	struct change ch = {0};
	struct ical_import_opts o = {.patient_id = for_patient ? who->id : 0,
	                             .zone = t->ctx->zone, .now = t->ctx->now,
	                             .max_component_kb = t->ctx->cfg->import_max_component_kb};
	int rc = ical_import_file(t->store, path, f[0].value, &o, &sum, &ch, &t->err);
	if (rc == 0) {
		struct buf text = {0};
		struct strlist l = {0};
		ical_summary_format(&sum, f[0].value, false, &text);   /* as typed */
		for (char *line = text.s, *nl; line && (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			strlist_add(&l, line);
		}
		buf_free(&text);
		/* where the unmatched ones went, and the key to them */
		char key[16];
		if (sum.unassigned > 0 && keymap_key_for(&t->km, SCOPE_GENERIC, ACT_UNASSIGNED, key)) {
			char *line = xasprintf("%lld appointment%s matched no patient: %s lists them to "
			                       "assign (Esc closes)", sum.unassigned,
			                       sum.unassigned == 1 ? "" : "s", key);
			strlist_add(&l, "");
			strlist_add(&l, line);
			free(line);
		}
		tui_show_text_offer(t, "Import", &l, ACT_UNASSIGNED, tui_unassigned_open);
		if (ch.kinds)
			tui_changed(t, &ch);
	}
	ical_summary_free(&sum);
	free(path);
	form_fields_free(f, 2);
	return rc;
}
