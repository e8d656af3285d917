/* cli_patient: patients, contacts and care teams, medications, and the
 * timeline entries made by hand (notes, calls, discharges, time). */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/care.h"
#include "caseload/chart.h"
#include "caseload/cli.h"
#include "caseload/model.h"
#include "caseload/patient.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"

/* Options shared by patient add and edit. */
struct patient_args {
	const char *name, *dob, *mrn, *phone, *email, *risk, *language, *address,
	           *cadence, *ccm, *status, *coordinator, *interpreter, *dnc, *best_time, *qmb;
};

static const char *const yes_no[] = {"yes", "no"};
static const struct codeset YES_NO = {"yes or no", yes_no, 2};

#define PATIENT_OPTS(a) \
	{"name", &(a).name, NULL}, {"dob", &(a).dob, NULL}, {"mrn", &(a).mrn, NULL}, \
	{"phone", &(a).phone, NULL}, {"email", &(a).email, NULL}, {"risk", &(a).risk, NULL}, \
	{"language", &(a).language, NULL}, {"address", &(a).address, NULL}, \
	{"cadence", &(a).cadence, NULL}, {"ccm-consent", &(a).ccm, NULL}, \
	{"status", &(a).status, NULL}, {"coordinator", &(a).coordinator, NULL}, \
	{"interpreter", &(a).interpreter, NULL}, {"do-not-contact", &(a).dnc, NULL}, \
	{"best-time", &(a).best_time, NULL}, {"qmb", &(a).qmb, NULL}

static void set(const char **field, const char *v)
{
	if (!v)
		return;
	str_free(*field);
	*field = *v ? xstrdup(v) : NULL;
}

/* Apply the given options to p; checks every value first. */
static int patient_apply(struct app *app, const struct patient_args *a, struct patient *p)
{
	char day[DATE_STRLEN];
	int d;
	if (cli_code(app, &RISK, a->risk, "risk") < 0 ||
	    cli_code(app, &PATIENT_STATUS, a->status, "status") < 0 ||
	    cli_code(app, &YES_NO, a->interpreter, "interpreter") < 0 ||
	    cli_code(app, &YES_NO, a->dnc, "do-not-contact") < 0 ||
	    cli_code(app, &YES_NO, a->qmb, "qmb") < 0 ||
	    (a->best_time && *a->best_time && cli_code(app, &BEST_TIME, a->best_time, "best-time") < 0))
		return ERR_USAGE;
	if (a->interpreter)
		p->interpreter = !strcmp(a->interpreter, "yes");
	if (a->dnc)
		p->do_not_contact = !strcmp(a->dnc, "yes");
	if (a->qmb)
		p->qmb = !strcmp(a->qmb, "yes");
	set(&p->best_time, a->best_time);
	if (a->name) {
		const char *family, *given;
		if (patient_split_name(a->name, &family, &given) < 0)
			return app_usage(app, "--name %s has no family name (use \"Family, Given\")",
			                 TEXT_ARG(a->name));
		str_free(p->family);
		str_free(p->given);
		p->family = family;
		p->given = given;
	}
	if (a->dob) {
		if (date_parse_iso(a->dob, &d) < 0 || !date_in_range(d) || d > app->today)
			return app_usage(app, "--dob %s is not a past date from %d on (YYYY-MM-DD)",
			                 TEXT_ARG(a->dob), DATE_FIRST_YEAR);
		set(&p->dob, date_format(d, day));
	}
	if (a->ccm) {
		if (cli_date(app, a->ccm, "--ccm-consent", &d) < 0)
			return ERR_USAGE;
		set(&p->ccm_consent, date_format(d, day));
	}
	if (a->cadence) {
		long n;
		if (cli_int(app, a->cadence, "--cadence", 1, 365, &n) < 0)
			return ERR_USAGE;
		p->cadence_days = (int)n;
	}
	set(&p->mrn, a->mrn);
	set(&p->phone, a->phone);
	set(&p->email, a->email);
	set(&p->risk, a->risk);
	set(&p->language, a->language);
	set(&p->address, a->address);
	set(&p->status, a->status);
	set(&p->coordinator, a->coordinator);
	return 0;
}

/* A refused duplicate: say how to insist, when insisting can help. */
static int refused(struct app *app, const struct patient_dup *dup, const char *verb)
{
	if (dup->id && !dup->same_mrn) {
		char msg[sizeof app->err.msg];
		snprintf(msg, sizeof msg, "%s", app->err.msg);
		err_set(&app->err, ERR_CONFLICT, "%s; %s it anyway with --allow-duplicate", msg, verb);
	}
	return ERR_FAIL;
}

int cmd_patient_add(struct app *app, int argc, char **argv)
{
	struct patient_args a = {0};
	bool allow = false;
	const struct opt opts[] = {PATIENT_OPTS(a), {"allow-duplicate", NULL, &allow}, {0}};
	struct patient p = {0};
	struct patient_dup dup;
	struct patient_req rq = {.p = &p, .dup = &dup};
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, a.name, "name")) < 0 || (rc = patient_apply(app, &a, &p)) < 0)
		goto out;
	rq.allow_duplicate = allow;
	if (!app_store(app)) {
		rc = ERR_FAIL;
		goto out;
	}
	rq.by = app->user;   /* on a server, the role: known once connected */
	if (patient_add(app->store, &rq, NULL, &app->err) < 0) {
		rc = refused(app, &dup, "add");
		goto out;
	}
	fprintf(app->out, "%lld\n", p.id);
out:
	patient_clear(&p);
	return rc;
}

int cmd_patient_edit(struct app *app, int argc, char **argv)
{
	struct patient_args a = {0};
	bool allow = false;
	const char *if_version = NULL;
	const struct opt opts[] = {PATIENT_OPTS(a), {"allow-duplicate", NULL, &allow},
	                           {"if-version", &if_version, NULL}, {0}};
	const char *pos[1];
	int np, rc;
	long long id;
	struct patient p = {0};
	struct patient_dup dup;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which patient? (patient edit ID --option value ...)");
	long long version = 0;
	if (cli_id(app, pos[0], "patient", &id) < 0 ||
	    (if_version && cli_id(app, if_version, "--if-version", &version) < 0))
		return ERR_USAGE;
	/* the version read here, or the one the caller read (--if-version):
	 * a save after someone else's is refused, never written over it */
	if (!app_store(app) || store_patient_get(app->store, id, &p, &app->err) < 0)
		return ERR_FAIL;
	if (version)
		p.version = version;
	struct patient_req rq = {.p = &p, .allow_duplicate = allow, .dup = &dup};
	if ((rc = patient_apply(app, &a, &p)) == 0) {
		if (patient_edit(app->store, &rq, NULL, &app->err) < 0)
			rc = refused(app, &dup, "save");
		else
			fprintf(app->out, "%lld\n", p.id);
	}
	patient_clear(&p);
	return rc;
}

static const struct column patient_cols[] = {
	{"id", "ID", true, true}, {"name", "Name", false, true}, {"dob", "Born", false, true},
	{"mrn", "MRN", false, true}, {"risk", "Risk", false, true}, {"phone", "Phone", false, true},
	{"language", "Language", false, true}, {"email", "", false, false},
	{"cadence_days", "", true, false}, {"status", "", false, false},
};

static int patient_row(void *table, struct patient *p)
{
	char id[24], cad[24], *name = patient_display_name(p->family, p->given);
	table_row(table, fmt_int(p->id, id, sizeof id), name, p->dob, p->mrn, p->risk, p->phone,
	          p->language, p->email, fmt_int(p->cadence_days, cad, sizeof cad), p->status);
	free(name);
	return 0;
}

int cmd_patient_list(struct app *app, int argc, char **argv)
{
	const char *search = NULL, *risk = NULL, *format = NULL;
	bool all = false;
	const struct opt opts[] = {{"search", &search, NULL}, {"risk", &risk, NULL},
	                           {"all", NULL, &all}, {"format", &format, NULL}, {0}};
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 || (rc = cli_code(app, &RISK, risk, "risk")) < 0)
		return rc;
	struct patient_query q = {.search = search, .risk = risk, .include_inactive = all};
	struct table t = TABLE_OF(patient_cols);
	table_stream(&t, f, app->out);
	/* streamed: the read is recorded, with its count, once listed */
	if (!app_store(app) || audit_ready(app->store, &app->err) < 0 ||
	    store_patient_each(app->store, &q, patient_row, &t, &app->err) < 0 ||
	    audit_read(app->store, "list", "patient list", 0, (long long)t.rows, &app->err) < 0) {
		table_free(&t);   /* what was held: a failure prints no end */
		return ERR_FAIL;
	}
	if (!t.rows && search && f == FMT_TABLE) {
		/* for a person: say so, rather than an empty table */
		char *clean = text_sanitize(search);
		fprintf(app->out, "no patient matches '%s'\n", clean);
		free(clean);
	} else {
		table_print(&t, f, app->out);
	}
	table_free(&t);
	return 0;
}

int cmd_patient_show(struct app *app, int argc, char **argv)
{
	const char *pos[1];
	int np, rc;
	long long id;
	if ((rc = cli_opts(app, argc, argv, NULL, pos, 1, &np)) < 0)
		return rc;
	if (np != 1 || cli_id(app, pos[0], "patient", &id) < 0)
		return np != 1 ? app_usage(app, "which patient? (patient show ID)") : ERR_USAGE;
	struct chart c;
	struct chart_when w = {.today = app->today, .now = app->now, .zone = app->zone,
	                       .source = "patient show"};
	if (!app_store(app) || chart_read(app->store, id, &w, &app->cfg, &c, &app->err) < 0) {
		chart_free(&c);
		return ERR_FAIL;
	}
	const struct patient *p = &c.p;
	FILE *o = app->out;
	char *name = patient_display_name(p->family, p->given), buf[160];
	cli_field(o, "Patient", name);
	free(name);
	fprintf(o, "%-13s %lld\n", "ID", p->id);
	cli_field(o, "Born", p->dob);
	cli_field(o, "MRN", p->mrn);
	cli_field(o, "Phone", p->phone);
	cli_field(o, "Email", p->email);
	cli_field(o, "Address", p->address);
	cli_field(o, "Language", p->language);
	cli_field(o, "Interpreter", p->interpreter ? "needed" : NULL);
	cli_field(o, "Best time", p->best_time);
	cli_field(o, "Contact", p->do_not_contact ? "do not contact" : NULL);
	cli_field(o, "Medicare", p->qmb ? "Qualified Medicare Beneficiary" : NULL);
	snprintf(buf, sizeof buf, "%s, check in every %d days", p->risk,
	         p->cadence_days ? p->cadence_days : risk_default_cadence(p->risk));
	cli_field(o, "Risk", buf);
	cli_field(o, "Coordinator", p->coordinator);
	cli_field(o, "Status", p->status);
	char version[24];
	cli_field(o, "Version", fmt_int(p->version, version, sizeof version));

	for (size_t i = 0; i < c.conditions.len; i++)
		cli_field(o, i ? "" : "Conditions", c.conditions.items[i].name);
	for (size_t i = 0; i < c.team.len; i++) {
		char *line = chart_team_line(&c.team.items[i]);
		cli_field(o, i ? "" : "Care team", line);
		free(line);
	}
	for (size_t i = 0; i < c.meds.len; i++) {
		char *line = chart_med_line(&c.meds.items[i], DATE_NONE);
		cli_field(o, i ? "" : "Medications", line);
		free(line);
	}
	for (size_t i = 0; i < c.upcoming.len; i++) {
		const struct appointment *a = c.upcoming.items[i].appt;
		char when[40];
		fmt_instant(app, c.upcoming.items[i].start, a->all_day, FMT_TABLE, when, sizeof when);
		bool booked = code_find(&APPT_STATUS, a->status) == APPT_BOOKED;
		char *line = xasprintf("%s  %s%s%s%s", when, a->title, booked ? "" : " [",
		                       booked ? "" : a->status, booked ? "" : "]");
		cli_field(o, i ? "" : "Upcoming", line);
		free(line);
	}
	for (size_t i = 0; i < c.tasks.len; i++) {
		char *line = chart_task_line(&c.tasks.items[i], DATE_NONE);
		cli_field(o, i ? "" : "Open tasks", line);
		free(line);
	}
	for (size_t i = 0; i < c.plans.len; i++) {
		const struct chart_plan *cp = &c.plans.items[i];
		char *line = xasprintf("#%lld %s, from %s: %zu goal%s, %zu open task%s", cp->plan.id,
		                       cp->plan.title, cp->plan.start ? cp->plan.start : "?",
		                       cp->goals.len, cp->goals.len == 1 ? "" : "s", cp->tasks.len,
		                       cp->tasks.len == 1 ? "" : "s");
		cli_field(o, i ? "" : "Care plans", line);
		free(line);
		for (size_t k = 0; k < cp->goals.len; k++) {
			const struct goal *g = &cp->goals.items[k];
			line = xasprintf("  goal: %s%s%s", g->description, g->due ? ", by " : "",
			                 g->due ? g->due : "");
			cli_field(o, "", line);
			free(line);
		}
	}
	snprintf(buf, sizeof buf, "%zu this month", c.contacts.len);
	cli_field(o, "Contacts", buf);
	snprintf(buf, sizeof buf, "%lld of %d this month (%s to %s)", c.ccm_minutes, c.ccm_target,
	         c.month_from, c.month_to);
	cli_field(o, "CCM minutes", buf);
	for (size_t i = 0; i < c.consents.len; i++) {
		char *line = chart_consent_line(&c.consents.items[i], DATE_NONE);
		cli_field(o, i ? "" : "Consents", line);
		free(line);
	}
	for (size_t i = 0; i < c.episodes.len; i++) {
		char *line = chart_episode_line(&c.episodes.items[i], DATE_NONE);
		cli_field(o, i ? "" : "Programs", line);
		free(line);
	}
	chart_free(&c);
	return 0;
}

/* Options shared by contact add and edit. */
struct contact_args {
	const char *name, *kind, *org, *phone, *email, *address, *notes, *label;
};

#define CONTACT_OPTS(a) \
	{"name", &(a).name, NULL}, {"kind", &(a).kind, NULL}, {"org", &(a).org, NULL}, \
	{"phone", &(a).phone, NULL}, {"email", &(a).email, NULL}, \
	{"address", &(a).address, NULL}, {"notes", &(a).notes, NULL}, \
	{"public-label", &(a).label, NULL}

/* Apply the given options to c (an empty value clears the field; a name
 * cannot be cleared); checks every value first. */
static int contact_apply(struct app *app, const struct contact_args *a, struct contact *c)
{
	if (cli_code(app, &CONTACT_KIND, a->kind, "kind") < 0)
		return ERR_USAGE;
	if (a->name && !*a->name)
		return app_usage(app, "--name cannot be empty: a contact needs a name");
	set(&c->name, a->name);
	set(&c->kind, a->kind);
	set(&c->organization, a->org);
	set(&c->phone, a->phone);
	set(&c->email, a->email);
	set(&c->address, a->address);
	set(&c->notes, a->notes);
	set(&c->public_label, a->label);
	return 0;
}

int cmd_contact_add(struct app *app, int argc, char **argv)
{
	struct contact_args a = {0};
	const struct opt opts[] = {CONTACT_OPTS(a), {0}};
	struct contact c = {0};
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, a.name, "name")) < 0 || (rc = contact_apply(app, &a, &c)) < 0)
		goto out;
	if (!app_store(app) || care_contact_add(app->store, &c, NULL, &app->err) < 0)
		rc = ERR_FAIL;
	else
		fprintf(app->out, "%lld\n", c.id);
out:
	contact_clear(&c);
	return rc;
}

/* The contact named by the one positional argument of `contact VERB ID`. */
static int contact_arg(struct app *app, int np, const char **pos, const char *verb,
                       struct contact *c)
{
	long long id;
	if (np != 1)
		return app_usage(app, "which contact? (contact %s ID%s)", verb,
		                 strcmp(verb, "edit") ? "" : " --option value ...");
	if (cli_id(app, pos[0], "contact", &id) < 0)
		return ERR_USAGE;
	if (!app_store(app) || store_contact_get(app->store, id, c, &app->err) < 0)
		return ERR_FAIL;
	return 0;
}

int cmd_contact_edit(struct app *app, int argc, char **argv)
{
	struct contact_args a = {0};
	const struct opt opts[] = {CONTACT_OPTS(a), {0}};
	const char *pos[1];
	struct contact c = {0};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0 ||
	    (rc = contact_arg(app, np, pos, "edit", &c)) < 0)
		return rc;
	if ((rc = contact_apply(app, &a, &c)) == 0) {
		if (care_contact_edit(app->store, &c, NULL, &app->err) < 0)
			rc = ERR_FAIL;
		else
			fprintf(app->out, "%lld\n", c.id);
	}
	contact_clear(&c);
	return rc;
}

int cmd_contact_show(struct app *app, int argc, char **argv)
{
	const char *pos[1];
	struct contact c = {0};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, NULL, pos, 1, &np)) < 0 ||
	    (rc = contact_arg(app, np, pos, "show", &c)) < 0)
		return rc;
	FILE *o = app->out;
	cli_field(o, "Contact", c.name);
	fprintf(o, "%-13s %lld\n", "ID", c.id);
	cli_field(o, "Kind", c.kind);
	cli_field(o, "Organization", c.organization);
	cli_field(o, "Public label", c.public_label);
	cli_field(o, "Phone", c.phone);
	cli_field(o, "Email", c.email);
	cli_field(o, "Address", c.address);
	cli_field(o, "Notes", c.notes);
	contact_clear(&c);
	return 0;
}

static const struct column contact_cols[] = {
	{"id", "ID", true, true}, {"name", "Name", false, true}, {"kind", "Kind", false, true},
	{"role", "Role", false, true}, {"organization", "Organization", false, true},
	{"public_label", "Public label", false, true},
	{"phone", "Phone", false, true}, {"email", "Email", false, true},
	{"address", "", false, false},
};

int cmd_contact_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *format = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"format", &format, NULL}, {0}};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	struct contact_list l = {0};
	/* a patient's care team is the patient's data; the directory is not */
	if (!app_store(app) || store_contact_list(app->store, pid, &l, &app->err) < 0 ||
	    (pid && audit_read(app->store, "list", "contact list", pid, (long long)l.len,
	                       &app->err) < 0)) {
		contact_list_free(&l);   /* what was read before the failure */
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(contact_cols);
	for (size_t i = 0; i < l.len; i++) {
		struct contact *c = &l.items[i];
		char id[24];
		table_row(&t, fmt_int(c->id, id, sizeof id), c->name, c->kind, c->role, c->organization,
		          c->public_label, c->phone, c->email, c->address);
	}
	table_print(&t, f, app->out);
	table_free(&t);
	contact_list_free(&l);
	return 0;
}

int cmd_med_add(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *name = NULL, *dose = NULL, *refill = NULL,
	           *prescriber = NULL, *pharmacy = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"name", &name, NULL},
	                           {"dose", &dose, NULL}, {"refill-due", &refill, NULL},
	                           {"prescriber", &prescriber, NULL}, {"pharmacy", &pharmacy, NULL},
	                           {0}};
	struct medication m = {0};
	char day[DATE_STRLEN];
	int rc, d;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, name, "name")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &m.patient_id)) < 0 ||
	    (prescriber && (rc = cli_id(app, prescriber, "prescriber contact", &m.prescriber_id)) < 0) ||
	    (pharmacy && (rc = cli_id(app, pharmacy, "pharmacy contact", &m.pharmacy_id)) < 0) ||
	    (refill && (rc = cli_date(app, refill, "--refill-due", &d)) < 0))
		return rc;
	m.name = name;
	m.dose = dose;
	m.refill_due = refill ? date_format(d, day) : NULL;
	if (!app_store(app) || care_med_add(app->store, &m, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", m.id);
	return 0;
}

static const struct column med_cols[] = {
	{"id", "ID", true, true}, {"patient_id", "Patient", true, true},
	{"name", "Medication", false, true}, {"dose", "Dose", false, true},
	{"refill_due", "Refill due", false, true}, {"status", "Status", false, true},
	{"version", "", true, false},
};

int cmd_med_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *format = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"format", &format, NULL}, {0}};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	struct medication_list l = {0};
	if (!app_store(app) || store_med_list(app->store, pid, &l, &app->err) < 0 ||
	    audit_read(app->store, "list", "med list", pid, (long long)l.len, &app->err) < 0) {
		medication_list_free(&l);   /* what was read before the failure */
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(med_cols);
	for (size_t i = 0; i < l.len; i++) {
		struct medication *m = &l.items[i];
		char id[24], pidt[24], v[24];
		table_row(&t, fmt_int(m->id, id, sizeof id), fmt_int(m->patient_id, pidt, sizeof pidt),
		          m->name, m->dose, m->refill_due, m->status, fmt_int(m->version, v, sizeof v));
	}
	table_print(&t, f, app->out);
	table_free(&t);
	medication_list_free(&l);
	return 0;
}

/* A field given on the command line replaces the record's. */
static void take_opt(const char **field, const char *v)
{
	if (v)
		str_set(field, v);
}

int cmd_med_edit(struct app *app, int argc, char **argv)
{
	const char *name = NULL, *dose = NULL, *refill = NULL, *status = NULL, *if_version = NULL;
	const struct opt opts[] = {{"name", &name, NULL}, {"dose", &dose, NULL},
	                           {"refill-due", &refill, NULL}, {"status", &status, NULL},
	                           {"if-version", &if_version, NULL}, {0}};
	const char *pos[1];
	int np, rc, d = 0;
	long long id, version = 0;
	char day[DATE_STRLEN];
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which medication? (med edit ID --option value ...)");
	if ((rc = cli_id(app, pos[0], "medication", &id)) < 0 ||
	    (if_version && (rc = cli_id(app, if_version, "--if-version", &version)) < 0) ||
	    (status && (rc = cli_code(app, &MED_STATUS, status, "status")) < 0) ||
	    (refill && *refill && (rc = cli_date(app, refill, "--refill-due", &d)) < 0))
		return rc;
	struct medication m = {0};
	if (!app_store(app) || store_med_get(app->store, id, &m, &app->err) < 0)
		return ERR_FAIL;
	take_opt(&m.name, name);
	take_opt(&m.dose, dose);
	take_opt(&m.status, status);
	if (refill)   /* "" clears it */
		str_set(&m.refill_due, *refill ? date_format(d, day) : NULL);
	m.version = version ? version : m.version;
	rc = care_med_edit(app->store, &m, NULL, &app->err) < 0 ? ERR_FAIL : 0;
	if (!rc)
		fprintf(app->out, "%lld\n", m.id);
	medication_clear(&m);
	return rc;
}

int cmd_condition_add(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *name = NULL, *onset = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"name", &name, NULL},
	                           {"onset", &onset, NULL}, {0}};
	long long pid, id;
	char day[DATE_STRLEN];
	int rc, d;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, name, "name")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &pid)) < 0 ||
	    (onset && (rc = cli_date(app, onset, "--onset", &d)) < 0))
		return rc;
	if (!app_store(app) ||
	    care_condition_add(app->store, pid, name, onset ? date_format(d, day) : NULL, &id, NULL,
	                       &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

int cmd_condition_edit(struct app *app, int argc, char **argv)
{
	const char *name = NULL, *onset = NULL, *status = NULL, *if_version = NULL;
	const struct opt opts[] = {{"name", &name, NULL}, {"onset", &onset, NULL},
	                           {"status", &status, NULL}, {"if-version", &if_version, NULL},
	                           {0}};
	const char *pos[1];
	int np, rc, d = 0;
	long long id, version = 0;
	char day[DATE_STRLEN];
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which condition? (condition edit ID --option value ...)");
	if ((rc = cli_id(app, pos[0], "condition", &id)) < 0 ||
	    (if_version && (rc = cli_id(app, if_version, "--if-version", &version)) < 0) ||
	    (status && (rc = cli_code(app, &CONDITION_STATUS, status, "status")) < 0) ||
	    (onset && *onset && (rc = cli_date(app, onset, "--onset", &d)) < 0))
		return rc;
	struct condition c = {0};
	if (!app_store(app) || store_condition_get(app->store, id, &c, &app->err) < 0)
		return ERR_FAIL;
	take_opt(&c.name, name);
	take_opt(&c.status, status);
	if (onset)   /* "" clears it */
		str_set(&c.onset, *onset ? date_format(d, day) : NULL);
	c.version = version ? version : c.version;
	rc = care_condition_edit(app->store, &c, NULL, &app->err) < 0 ? ERR_FAIL : 0;
	if (!rc)
		fprintf(app->out, "%lld\n", c.id);
	condition_clear(&c);
	return rc;
}

static const struct column condition_cols[] = {
	{"id", "ID", true, true}, {"name", "Condition", false, true},
	{"onset", "Onset", false, true}, {"status", "Status", false, true},
	{"version", "Version", true, true},
};

int cmd_condition_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *format = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"format", &format, NULL}, {0}};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 || (rc = cli_need(app, patient, "patient")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &pid)) < 0)
		return rc;
	struct condition_list l = {0};
	if (!app_store(app) || store_condition_list(app->store, pid, false, &l, &app->err) < 0 ||
	    audit_read(app->store, "list", "condition list", pid, (long long)l.len, &app->err) < 0) {
		condition_list_free(&l);
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(condition_cols);
	for (size_t i = 0; i < l.len; i++) {
		struct condition *c = &l.items[i];
		char id[24], v[24];
		table_row(&t, fmt_int(c->id, id, sizeof id), c->name, c->onset, c->status,
		          fmt_int(c->version, v, sizeof v));
	}
	table_print(&t, f, app->out);
	table_free(&t);
	condition_list_free(&l);
	return 0;
}

int cmd_note_add(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *kind = NULL, *outcome = NULL, *at = NULL, *minutes = NULL,
	           *text = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"kind", &kind, NULL},
	                           {"outcome", &outcome, NULL}, {"at", &at, NULL},
	                           {"minutes", &minutes, NULL}, {"text", &text, NULL}, {0}};
	static const char *const kinds[] = {"note", "call", "visit", "message"};
	static const struct codeset NOTE_KIND = {"kind", kinds, 4};
	struct entry en = {0};
	long n = 0;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &en.patient_id)) < 0 ||
	    (rc = cli_code(app, &NOTE_KIND, kind, "kind")) < 0 ||
	    (rc = cli_code(app, &OUTCOME, outcome, "outcome")) < 0 ||
	    (minutes && (rc = cli_int(app, minutes, "--minutes", 1, 24 * 60L, &n)) < 0))
		return rc;
	if (!kind)
		kind = outcome ? "call" : "note";
	if (outcome && !strcmp(kind, "note"))
		return app_usage(app, "--outcome is for contact attempts (--kind call, visit or message)");
	if (!outcome && !text)
		return app_usage(app, "a note needs --text (or an --outcome for a contact attempt)");
	en.at = app->now;
	if (at && cli_when(app, at, NULL, 12 * 60, &en.at, NULL) < 0)
		return ERR_USAGE;
	en.kind = kind;
	en.outcome = outcome;
	en.minutes = (int)n;
	en.text = text;
	if (!app_store(app) || care_log_entry(app->store, &en, app->zone, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", en.id);
	return 0;
}

int cmd_discharge(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *date = NULL, *facility = NULL, *text = NULL, *disposition = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"date", &date, NULL},
	                           {"facility", &facility, NULL}, {"text", &text, NULL},
	                           {"disposition", &disposition, NULL}, {0}};
	struct entry en = {0};
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, date, "date")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &en.patient_id)) < 0 ||
	    (rc = cli_when(app, date, NULL, 12 * 60, &en.at, NULL)) < 0 ||
	    (rc = cli_code(app, &DISCHARGE_DISPOSITION, disposition, "disposition")) < 0)
		return rc;
	en.facility = facility;
	en.text = text;
	if (!app_store(app) || care_discharge(app->store, &en, disposition, app->zone, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", en.id);
	return 0;
}

int cmd_time_log(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *minutes = NULL, *activity = NULL, *date = NULL;
	const char *program = NULL, *role = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"minutes", &minutes, NULL},
	                           {"activity", &activity, NULL}, {"date", &date, NULL},
	                           {"program", &program, NULL}, {"role", &role, NULL}, {0}};
	struct time_entry t = {0};
	char day[DATE_STRLEN];
	long n;
	int rc, d = app->today;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, minutes, "minutes")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &t.patient_id)) < 0 ||
	    (rc = cli_int(app, minutes, "--minutes", 1, 24 * 60L, &n)) < 0 ||
	    (date && (rc = cli_date(app, date, "--date", &d)) < 0))
		return rc;
	t.minutes = (int)n;
	t.activity = activity;
	t.role = role;
	t.day = date_format(d, day);
	if (!app_store(app) || care_time_log(app->store, &t, program, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", t.id);
	return 0;
}
