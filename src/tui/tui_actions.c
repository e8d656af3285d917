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
#include "caseload/handout.h"
#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/model.h"
#include "caseload/patient.h"
#include "caseload/plan.h"
#include "caseload/program.h"
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

int tui_check_time(struct tui *t, const char *v, struct err *e)
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
int tui_done(struct tui *t, int rc, const char *what, const struct change *ch)
{
	if (rc == 0) {
		tui_message(t, false, "%s", what);
		tui_changed(t, ch);
	}
	return rc;
}

int tui_lost_race(struct tui *t, long long version_now, long long *version)
{
	*version = version_now;
	/* the store's advice is for the command line: here Enter decides */
	static const char again[] = "; read it again";
	size_t used = strlen(t->err.msg), n = sizeof again - 1;
	if (used >= n && !strcmp(t->err.msg + used - n, again))
		used -= n;
	snprintf(t->err.msg + used, sizeof t->err.msg - used,
	         " — Enter saves what is typed over it, Esc keeps theirs");
	return ERR_CONFLICT;
}

static int save_task(struct tui *t, struct form_field *f, int n, void *arg)
{
	const struct patient_ref *who = arg;
	char day[DATE_STRLEN];
	int d;
	(void)n;
	struct task k = {.patient_id = who->id, .title = f[0].value,
	                 .priority = f[2].value, .kind = f[3].value};
	if (*f[1].value) {
		if (date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d, &t->err) < 0)
			return err_field(&t->err, "due");
		k.due = date_format(d, day);
	}
	struct change ch = {0};
	int rc = care_task_add(t->store, &k, &ch, &t->err);
	char *msg = xasprintf("task added: %s", f[0].value);
	tui_done(t, rc, msg, &ch);
	free(msg);
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
		{.label = "Due", .value = k0->due, .hint = "today, fri, next fri, +3d, +2bd, 2026-12-01", .check = tui_check_date},
		{.label = "Priority", .value = k0->priority, .hint = "routine, urgent, asap, stat", .check = tui_check_priority, .required = true, .choices = &TASK_PRIORITY},
		{.label = "Kind", .value = k0->kind, .hint = "call, refill, transport, referral, followup, ...", .check = tui_check_kind, .required = true, .choices = &TASK_KIND},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	struct patient_ref ref = *who;
	if (tui_form_save(t, "New task for", who, f, n, save_task, &ref))
		form_fields_free(f, n);
	return 0;
}

static void set_text(const char **dst, const char *v)
{
	str_free(*dst);
	*dst = v && *v ? xstrdup(v) : NULL;
}

struct appt_save {
	struct appointment *a;
	const char *title;         /* the form's, for the message */
	bool series;
};

/* The form's fields into *a; a bad one is named. */
static int appt_fields(struct tui *t, const struct form_field *f, struct appointment *a)
{
	int d, m, minutes;
	long long start;
	if (date_parse(f[1].value, t->ctx->today, tui_holidays(t), &d, &t->err) < 0)
		return err_field(&t->err, "date");
	if (time_parse(f[2].value, &m, &t->err) < 0 ||
	    tz_local_to_utc(t->ctx->zone, d, m, &start, &t->err) < 0)
		return err_field(&t->err, "time");
	if (duration_parse(f[3].value, &minutes, &t->err) < 0)
		return err_field(&t->err, "duration");
	a->start = start;
	a->end = start + minutes * 60LL;
	a->all_day = false;
	set_text(&a->title, f[0].value);
	set_text(&a->location, f[4].value);
	set_text(&a->transport, f[5].value);
	set_text(&a->status, f[6].value);
	return 0;
}

/* Save the appointment form: booked or changed with a warning for a
 * weekend, a holiday or an overlap; a lost race keeps the form. */
static int save_appt(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct appt_save *as = arg;
	struct appointment *a = as->a;
	(void)n;
	if (appt_fields(t, f, a) < 0)
		return t->err.code;
	struct appt_req rq = {.a = a, .zone = t->ctx->zone, .now = t->ctx->now};
	struct change ch = {0};
	int rc = a->id ? appt_edit(t->store, &rq, &ch, &t->err) : appt_add(t->store, &rq, &ch, &t->err);
	if (rc == ERR_CONFLICT && a->id) {
		struct appointment now = {0};
		struct err keep = t->err;
		if (store_appt_get(t->store, a->id, &now, &t->err) < 0)
			return t->err.code;
		t->err = keep;
		rc = tui_lost_race(t, now.version, &a->version);
		appointment_clear(&now);
	}
	if (rc < 0)
		return rc;
	struct strlist w = {0};
	struct err we = {0};
	if (appt_warnings(t->store, a, t->ctx->zone, tui_holidays(t), &w, &we) < 0)
		strlist_add(&w, we.msg);
	struct buf msg = {0};
	buf_addf(&msg, "%s%s: %s", as->title, as->series ? " (every occurrence)" : "", a->title);
	for (size_t i = 0; i < w.len; i++)
		buf_addf(&msg, "%s%s", i ? "; " : " — warning: ", w.items[i]);
	tui_message(t, w.len > 0, "%s", msg.s);
	tui_changed(t, &ch);
	buf_free(&msg);
	strlist_free(&w);
	return 0;
}

/* The appointment form over *a (a new one when a->id is 0), saved
 * before it closes: 1 saved, 0 cancelled. */
static int appt_form(struct tui *t, const char *title, const struct patient_ref *who,
                     struct appointment *a, bool series)
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
		{.label = "Date", .value = date, .hint = "today, fri, next fri, +3d, 2026-12-01", .check = tui_check_date, .required = true},
		{.label = "Time", .value = tm, .hint = "HH:MM", .check = tui_check_time, .required = true},
		{.label = "Duration", .value = dur, .hint = "30m, 1h, 1h30m", .check = check_duration, .required = true},
		{.label = "Location", .value = a->location},
		{.label = "Transport", .value = a->transport ? a->transport : "none", .hint = "none, needed, arranged, confirmed", .check = check_transport, .required = true, .choices = &TRANSPORT},
		{.label = "Status", .value = a->status ? a->status : "booked", .hint = "booked, pending, cancelled, fulfilled, noshow, ...", .check = check_appt_status, .required = true, .choices = &APPT_STATUS},
	};
	int n = (int)(sizeof f / sizeof f[0]);
	struct appt_save as = {.a = a, .title = a->id ? "saved" : "appointment added", .series = series};
	if (!tui_form_save(t, title, who, f, n, save_appt, &as))
		return 0;
	form_fields_free(f, n);
	return 1;
}

int tui_add_appointment(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	struct appointment a = {.patient_id = who->id};
	appt_form(t, "New appointment for", who, &a, false);
	appointment_clear(&a);
	return 0;
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
	appt_form(t, series ? "Edit the whole series (every occurrence)" : "Edit appointment", who,
	          &a, series);
	appointment_clear(&a);
	return 0;
}

int tui_save_patient(struct tui *t, struct patient *p, bool edit, struct change *ch)
{
	struct patient_dup dup = {0};
	struct patient_req rq = {.p = p, .dup = &dup, .by = t->ctx->user};
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
	if (rc == ERR_CONFLICT && edit && !dup.id) {   /* someone saved it first */
		struct patient now = {0};
		struct err keep = t->err;
		if (store_patient_get(t->store, p->id, &now, &t->err) < 0)
			return t->err.code;
		t->err = keep;
		rc = tui_lost_race(t, now.version, &p->version);
		patient_clear(&now);
	}
	return rc < 0 ? rc : 1;
}

static int check_cadence(struct tui *t, const char *v, struct err *e)
{
	char *end;
	long n = strtol(v, &end, 10);
	(void)t;
	return *v && (*end || n < 1 || n > 365)
	           ? err_set(e, ERR_USAGE, "days from 1 to 365 (empty: the risk's default)") : 0;
}

CODE_CHECK(check_patient_status, PATIENT_STATUS)

static int check_yes_no(struct tui *t, const char *v, struct err *e);

enum { PF_NAME, PF_DOB, PF_MRN, PF_PHONE, PF_RISK, PF_EMAIL, PF_ADDRESS, PF_LANGUAGE,
       PF_INTERPRETER, PF_DNC, PF_BEST_TIME, PF_QMB, PF_CADENCE, PF_CCM, PF_COORDINATOR, PF_STATUS, PF_N };

/* The patient form's fields into *p; a bad one is named. */
static int patient_fields(struct tui *t, const struct form_field *f, struct patient *p)
{
	const char *fam = NULL, *giv = NULL;
	int ccm = DATE_NONE;
	char day[DATE_STRLEN];
	if (patient_split_name(f[PF_NAME].value, &fam, &giv) < 0) {
		err_set(&t->err, ERR_USAGE, "name %s is not \"Family, Given\"", TEXT_ARG(f[PF_NAME].value));
		return err_field(&t->err, "name");
	}
	if (*f[PF_CCM].value && date_parse(f[PF_CCM].value, t->ctx->today, tui_holidays(t), &ccm, &t->err) < 0) {
		str_free(fam);
		str_free(giv);
		return err_field(&t->err, "ccm consent");
	}
	str_free(p->family), p->family = fam;
	str_free(p->given), p->given = giv;
	set_text(&p->dob, f[PF_DOB].value);
	set_text(&p->mrn, f[PF_MRN].value);
	set_text(&p->phone, f[PF_PHONE].value);
	set_text(&p->risk, f[PF_RISK].value);
	set_text(&p->email, f[PF_EMAIL].value);
	set_text(&p->address, f[PF_ADDRESS].value);
	set_text(&p->language, f[PF_LANGUAGE].value);
	p->interpreter = !strcmp(f[PF_INTERPRETER].value, "yes");
	p->do_not_contact = !strcmp(f[PF_DNC].value, "yes");
	set_text(&p->best_time, f[PF_BEST_TIME].value);   /* checked by the use case */
	p->qmb = !strcmp(f[PF_QMB].value, "yes");
	p->cadence_days = *f[PF_CADENCE].value ? (int)strtol(f[PF_CADENCE].value, NULL, 10) : 0;
	set_text(&p->ccm_consent, ccm == DATE_NONE ? NULL : date_format(ccm, day));
	set_text(&p->coordinator, f[PF_COORDINATOR].value);
	set_text(&p->status, p->id ? f[PF_STATUS].value : "active");
	return 0;
}

struct patient_save {
	struct patient *p;
	bool edit;
};

/* Save the patient form: a refusal or a lost race keeps it open with
 * what was typed; "not saved" (a namesake declined) closes it. */
static int save_patient(struct tui *t, struct form_field *f, int n, void *arg)
{
	struct patient_save *ps = arg;
	(void)n;
	if (patient_fields(t, f, ps->p) < 0)
		return t->err.code;
	struct change ch = {0};
	int rc = tui_save_patient(t, ps->p, ps->edit, &ch);
	if (rc == 1) {
		char *name = patient_display_name(ps->p->family, ps->p->given);
		char *msg = ps->edit ? xasprintf("saved %s", name) : xasprintf("patient added: %s", name);
		tui_done(t, 0, msg, &ch);
		free(msg);
		free(name);
	}
	return rc < 0 ? rc : 0;
}

/* The patient form over *p: every field `patient add` and `edit` take
 * (a new patient is active: no status field).  1 with the typed values
 * in *p, 0 cancelled, negative on a bad value (t->err). */
static int patient_form(struct tui *t, const char *title, const struct patient_ref *who,
                        struct patient *p)
{
	char *name = p->family ? patient_display_name(p->family, p->given) : NULL;
	char cadence[16] = "";
	if (p->cadence_days)
		snprintf(cadence, sizeof cadence, "%d", p->cadence_days);
	struct form_field f[PF_N] = {
		[PF_NAME] = {.label = "Name", .value = name, .hint = "Family, Given", .required = true},
		[PF_DOB] = {.label = "Date of birth", .value = p->dob, .hint = "YYYY-MM-DD", .check = tui_check_dob},
		[PF_MRN] = {.label = "MRN", .value = p->mrn},
		[PF_PHONE] = {.label = "Phone", .value = p->phone},
		[PF_RISK] = {.label = "Risk", .value = p->risk ? p->risk : "medium", .hint = "low, medium, high", .check = tui_check_risk, .required = true, .choices = &RISK},
		[PF_EMAIL] = {.label = "Email", .value = p->email},
		[PF_ADDRESS] = {.label = "Address", .value = p->address},
		[PF_LANGUAGE] = {.label = "Language", .value = p->language, .hint = "preferred language"},
		[PF_INTERPRETER] = {.label = "Interpreter", .value = p->interpreter ? "yes" : "no", .hint = "yes: an interpreter is needed", .check = check_yes_no, .required = true},
		[PF_DNC] = {.label = "Do not call", .value = p->do_not_contact ? "yes" : "no", .hint = "yes: the patient asked not to be called", .check = check_yes_no, .required = true},
		[PF_BEST_TIME] = {.label = "Best time", .value = p->best_time, .hint = "morning, afternoon, evening; empty: any time"},
		[PF_QMB] = {.label = "QMB", .value = p->qmb ? "yes" : "no", .hint = "yes: a Qualified Medicare Beneficiary (APCM G0558)", .check = check_yes_no, .required = true},
		[PF_CADENCE] = {.label = "Check in every", .value = cadence, .hint = "days; empty: by risk (7, 14, 30)", .check = check_cadence},
		[PF_CCM] = {.label = "CCM consent", .value = p->ccm_consent, .hint = "the date of consent: today, 2026-11-02", .check = tui_check_date},
		[PF_COORDINATOR] = {.label = "Coordinator", .value = p->coordinator, .hint = "a team member's login"},
		[PF_STATUS] = {.label = "Status", .value = p->status ? p->status : "active", .hint = "active, inactive", .check = check_patient_status, .required = true, .choices = &PATIENT_STATUS},
	};
	int n = p->id ? PF_N : PF_STATUS;
	struct patient_save ps = {.p = p, .edit = p->id != 0};
	int saved = tui_form_save(t, title, who, f, n, save_patient, &ps);
	free(name);
	if (saved)
		form_fields_free(f, n);
	return 0;
}

int tui_add_patient(struct tui *t)
{
	struct patient p = {.coordinator = xstrdup(t->ctx->user)};
	int rc = patient_form(t, "New patient", NULL, &p);
	patient_clear(&p);
	return rc;
}

int tui_edit_patient(struct tui *t, long long id)
{
	struct patient p = {0};
	if (store_patient_get(t->store, id, &p, &t->err) < 0)
		return -1;
	char *name = patient_display_name(p.family, p.given);
	struct patient_ref who;
	patient_ref_set(&who, p.id, name, p.dob, p.mrn);
	free(name);
	int rc = patient_form(t, "Edit patient", &who, &p);
	patient_clear(&p);
	return rc;
}

/* A timeline entry, and minutes toward care management time. */
static int add_entry(struct tui *t, struct entry *en, struct change *ch)
{
	return care_log_entry(t->store, en, t->ctx->zone, ch, &t->err) < 0 ? -1 : 0;
}

static const char *const yes_no[] = {"yes", "no"};
static const struct codeset YES_NO = {"answer", yes_no, 2};

static int check_yes_no(struct tui *t, const char *v, struct err *e)
{
	(void)t;
	return strcmp(v, "yes") != 0 && strcmp(v, "no") != 0 ? err_set(e, ERR_USAGE, "yes or no") : 0;
}

/* The contact form's program field: the patient's open episodes (but a
 * discharge's TCM, which minutes go to only when named) as its choices,
 * the one prefilled when there is one. */
struct contact_programs {
	struct episode_list eps;
	const char *codes[VIEW_PROGRAMS];
	struct codeset set;
	char hint[80];
};

static int contact_programs(struct tui *t, long long patient_id, struct contact_programs *cp)
{
	char day[DATE_STRLEN];
	date_format(t->ctx->today, day);
	cp->set = (struct codeset){"program", cp->codes, 0};
	if (program_list(t->store, patient_id, NULL, day, day, t->ctx->today, &cp->eps, &t->err) < 0)
		return -1;
	for (size_t i = 0; i < cp->eps.len && cp->set.n < VIEW_PROGRAMS; i++) {
		const struct episode *ep = &cp->eps.items[i];
		if (episode_open_on(ep, t->ctx->today) && strcmp(ep->program, "tcm") != 0)
			cp->codes[cp->set.n++] = ep->program;
	}
	if (!cp->set.n)
		snprintf(cp->hint, sizeof cp->hint, "in no program: the minutes stay the contact's");
	else if (cp->set.n == 1)
		snprintf(cp->hint, sizeof cp->hint, "the program the minutes count toward");
	else
		snprintf(cp->hint, sizeof cp->hint, "which the minutes count toward: Space cycles");
	return 0;
}

static int check_contact_program(struct tui *t, const char *v, struct err *e)
{
	(void)t;
	if (!*v || code_find(&PROGRAM, v) >= 0)
		return 0;
	return err_set(e, ERR_USAGE, "%s (empty: the one the patient is in)", code_list(&PROGRAM));
}

struct contact_save {
	const struct patient_ref *who;
	long long task_id;
};

/* The contact, with its minutes toward the program (care_log_entry's
 * rules: a refusal stays in the form beside the program). */
static int save_contact(struct tui *t, struct form_field *f, int n, void *arg)
{
	const struct contact_save *cs = arg;
	struct entry en = {.patient_id = cs->who->id, .at = t->ctx->now, .kind = f[0].value,
	                   .outcome = f[1].value, .minutes = tui_minutes(f[2].value),
	                   .text = *f[3].value ? f[3].value : NULL,
	                   .program = *f[4].value ? f[4].value : NULL, .author = t->ctx->user};
	bool complete = n > 5 && cs->task_id && !strcmp(f[5].value, "yes");
	struct change ch = {0};
	if (review_log_contact(t->store, &en, t->ctx->zone, complete ? cs->task_id : 0, t->ctx->now,
	                       &ch, &t->err) < 0) {
		if (!t->err.field[0] && en.minutes > 0)
			snprintf(t->err.field, sizeof t->err.field, "program");
		return t->err.code;
	}
	/* logged: the timer on this patient stops (its minutes went in) */
	tui_timer_stop(t, cs->who->id);
	char *msg = xasprintf("logged %s: %s%s", f[0].value, f[1].value,
	                      change_has(&ch, CHANGE_TASK) ? "; the post-discharge call task is done" : "");
	tui_done(t, 0, msg, &ch);
	free(msg);
	return 0;
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
	struct contact_programs cp = {0};
	if (contact_programs(t, who->id, &cp) < 0) {
		episode_list_free(&cp.eps);
		return -1;
	}
	/* the timer on this patient: its minutes so far go into the form; it
	 * stops when the contact is logged and runs on when the form is
	 * cancelled */
	char timed[16] = "";
	int minutes = tui_timer_minutes(t, who->id);
	if (minutes)
		snprintf(timed, sizeof timed, "%d", minutes);
	struct form_field f[] = {
		{.label = "How", .value = "call", .hint = "call, visit, message", .check = check_how, .required = true, .choices = &CONTACT_HOW},
		{.label = "Outcome", .value = "reached", .hint = "reached, no-answer, voicemail, left-message", .check = check_outcome, .required = true, .choices = &OUTCOME},
		{.label = "Minutes", .value = timed, .hint = minutes ? "from the timer" : "optional, counts toward the patient's program", .check = tui_check_minutes},
		{.label = "Note"},
		{.label = "Program", .value = cp.set.n == 1 ? cp.codes[0] : "", .hint = cp.hint, .check = check_contact_program, .choices = cp.set.n ? &cp.set : &PROGRAM},
		{.label = "Complete task", .value = "yes", .hint = hint, .check = check_yes_no, .required = true, .choices = &YES_NO},
	};
	int n = task_id ? 6 : 5;
	struct contact_save cs = {.who = who, .task_id = task_id};
	int saved = tui_form_save(t, "Contact with", who, f, n, save_contact, &cs);
	if (saved)
		form_fields_free(f, n);
	else if (tui_timer_running(t) && t->timer.patient_id == who->id)
		tui_message(t, false, "contact not logged: the timer runs on (%d minute%s so far)",
		            tui_timer_minutes(t, who->id), tui_timer_minutes(t, who->id) == 1 ? "" : "s");
	episode_list_free(&cp.eps);
	return 0;
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
		int rc = tui_done(t, care_task_done(t->store, task_id, t->ctx->now, &ch, &t->err), msg, &ch);
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
	return tui_done(t, review_log_contact(t->store, &en, t->ctx->zone, task_id, t->ctx->now, &ch,
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
	int rc = tui_done(t, add_entry(t, &en, &ch), "note added", &ch);
	form_fields_free(f, 1);
	return rc;
}

/* ---- care-plan templates ---- */

/* The preview of the plan (goals, dated tasks) before it is applied:
 * Enter applies, Esc goes back to the form. */
static int save_template(struct tui *t, struct form_field *f, int n, void *arg)
{
	const struct patient_ref *who = arg;
	struct template tp = {0};
	struct strlist lines = {0};
	int start, rc;
	(void)n;
	if ((rc = template_find(f[0].value, &tp, &t->err)) < 0)
		return rc;
	if (date_parse(f[1].value, t->ctx->today, tui_holidays(t), &start, &t->err) < 0)
		rc = err_field(&t->err, "start");
	else
		rc = template_preview(t->store, &tp, who->id, start, tui_holidays(t), &lines, &t->err);
	size_t chosen = 0;
	if (rc == 0 && !tui_pick(t, "Apply this care plan? Enter applies, Esc goes back",
	                         (const char *const *)lines.items, lines.len, &chosen))
		rc = 1;
	if (rc == 0) {
		long long plan_id;
		struct change ch = {0};
		struct plan_apply_opts o = {.patient_id = who->id, .start = start,
		                            .now = t->ctx->now, .holidays = tui_holidays(t)};
		rc = plan_apply(t->store, &tp, &o, &plan_id, &ch, &t->err);
		char *msg = xasprintf("care plan '%s' applied", tp.name);
		tui_done(t, rc, msg, &ch);
		free(msg);
	}
	strlist_free(&lines);
	template_free(&tp);
	return rc;
}

int tui_template(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	struct template_list tl = {0};
	struct strlist problems = {0}, names = {0};
	struct buf hint = {0};
	if (template_scan(&tl, &problems, &t->err) == 0)
		for (size_t i = 0; i < tl.len; i++) {
			strlist_add(&names, tl.items[i].name);
			buf_addf(&hint, "%s%s", i ? ", " : "", tl.items[i].name);
		}
	template_list_free(&tl);
	strlist_free(&problems);
	struct codeset set = {"template", (const char *const *)names.items, (int)names.len};
	struct form_field f[] = {
		{.label = "Template", .hint = hint.s, .required = true,
		 .choices = names.len ? &set : NULL, .pick = true},
		{.label = "Start", .value = "today", .hint = "today, +1d, next week, 2026-12-01", .check = tui_check_date, .required = true},
	};
	struct patient_ref ref = *who;
	if (tui_form_save(t, "Apply a care plan to", who, f, 2, save_template, &ref))
		form_fields_free(f, 2);
	strlist_free(&names);
	buf_free(&hint);
	return 0;
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

/* The patient's handout (`caseload handout`): the file asked on the
 * bottom line, prefilled with one named by the patient's id. */
int tui_handout(struct tui *t, const struct patient_ref *who)
{
	if (!need_patient(t, who))
		return 0;
	char *def = xasprintf("~/handout-%lld.html", who->id), *typed = NULL;
	struct buf label = {0};
	buf_add(&label, "handout of ");
	tui_patient_label(who, t->cols / 3, &label);
	buf_add(&label, " to file: ");
	int asked = tui_prompt(t, label.s, def, NULL, NULL, &typed);
	buf_free(&label);
	free(def);
	if (!asked)
		return 0;
	char *path = expand_home(typed);
	free(typed);
	struct handout_req rq = {.patient_id = who->id, .today = t->ctx->today, .now = t->ctx->now,
	                         .zone = t->ctx->zone, .cfg = t->ctx->cfg};
	struct handout_result res = {0};
	int rc = handout_write(t->store, &rq, path, false, &res, &t->err);
	bool declined = false;
	if (rc == ERR_CONFLICT) {   /* the file is there: replace it only when told to */
		char *q = xasprintf("%s exists. Replace it?", path);
		declined = !tui_confirm(t, q);
		free(q);
		rc = declined ? 0 : handout_write(t->store, &rq, path, true, &res, &t->err);
	}
	if (rc == 0 && declined)
		tui_message(t, false, "no handout written: %s is as it was", path);
	else if (rc == 0)
		tui_message(t, false, "handout in %s written to %s%s", res.language, path,
		            res.fallback ? " (no translation for the patient's language)" : "");
	free(path);
	return rc;
}

int tui_import(struct tui *t, const struct patient_ref *who)
{
	struct form_field f[] = {
		{.label = "File", .hint = "an .ics file", .required = true},
		{.label = "For patient", .value = "no", .hint = "yes: all to the selected patient; no: match each", .choices = &YES_NO},
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
		bool undo = sum.run_id && (sum.added || sum.updated || sum.cancelled);
		if (undo) {
			char *line = xasprintf("u undoes this import as a whole (caseload import --undo "
			                       "%lld)", sum.run_id);
			strlist_add(&l, "");
			strlist_add(&l, line);
			free(line);
		}
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
		if (undo)
			tui_popup_undoes(t);
		if (ch.kinds)
			tui_changed(t, &ch);
	}
	ical_summary_free(&sum);
	free(path);
	form_fields_free(f, 2);
	return rc;
}
