/* cli_program: care-management programs (issue 16): consent add,
 * withdraw and list; program enroll, end and list. */
#include <stdlib.h>
#include <string.h>

#include "caseload/cli.h"
#include "caseload/date.h"
#include "caseload/program.h"
#include "caseload/store.h"
#include "caseload/text.h"

/* --if-version N: the version the caller read (0 when not given). */
static int if_version(struct app *app, const char *v, long long *version)
{
	*version = 0;
	return v ? cli_id(app, v, "version", version) : 0;
}

/* --date D (default today) as YYYY-MM-DD into out. */
static int day_opt(struct app *app, const char *v, const char *what, char out[DATE_STRLEN])
{
	int d = app->today;
	if (v && cli_date(app, v, what, &d) < 0)
		return ERR_USAGE;
	date_format(d, out);
	return 0;
}

/* consent add --patient ID --program P --method verbal|written [--date D] [--note N] */
int cmd_consent_add(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *program = NULL, *method = NULL, *date = NULL, *note = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"program", &program, NULL},
	                           {"method", &method, NULL}, {"date", &date, NULL},
	                           {"note", &note, NULL}, {0}};
	char day[DATE_STRLEN];
	struct consent c = {0};
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, program, "program")) < 0 ||
	    (rc = cli_need(app, method, "method")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &c.patient_id)) < 0 ||
	    (rc = cli_code(app, &PROGRAM, program, "--program")) < 0 ||
	    (rc = day_opt(app, date, "--date", day)) < 0)
		return rc;
	if (strcmp(method, "verbal") != 0 && strcmp(method, "written") != 0)
		return app_usage(app, "--method %s is not one of verbal, written", TEXT_ARG(method));
	c.program = program;
	c.method = method;
	c.given = day;
	c.note = note;
	if (!app_store(app) || program_consent_add(app->store, &c, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", c.id);
	return 0;
}

/* consent withdraw ID [--date D] [--if-version N] */
int cmd_consent_withdraw(struct app *app, int argc, char **argv)
{
	const char *date = NULL, *ver = NULL;
	const struct opt opts[] = {{"date", &date, NULL}, {"if-version", &ver, NULL}, {0}};
	char day[DATE_STRLEN];
	long long id, version;
	int rc, ended;
	if ((rc = cli_one_id(app, argc, argv, opts, "consent", &id)) < 0 ||
	    (rc = if_version(app, ver, &version)) < 0 || (rc = day_opt(app, date, "--date", day)) < 0)
		return rc;
	if (!app_store(app) ||
	    program_consent_withdraw(app->store, id, day, version, &ended, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	if (ended && !app->machine)
		fprintf(stderr, "%s: ended %d enrollment%s on %s\n", app->prog, ended,
		        ended == 1 ? "" : "s", day);
	return 0;
}

static const struct column consent_cols[] = {
	{"id", "ID", true, true}, {"patient_id", "Patient", true, true},
	{"program", "Program", false, true}, {"method", "Method", false, true},
	{"given", "Given", false, true}, {"captured_by", "Captured by", false, true},
	{"withdrawn", "Withdrawn", false, true}, {"version", "", true, false},
};

/* consent list [--patient ID] [--format F] */
int cmd_consent_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *format = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"format", &format, NULL}, {0}};
	struct consent_list l = {0};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	if (!app_store(app) || program_consents(app->store, pid, &l, &app->err) < 0) {
		consent_list_free(&l);
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(consent_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct consent *c = &l.items[i];
		char id[24], p[24], v[24];
		table_row(&t, fmt_int(c->id, id, sizeof id), fmt_int(c->patient_id, p, sizeof p),
		          f == FMT_TABLE ? program_label(c->program) : c->program, c->method, c->given,
		          c->captured_by, c->withdrawn, fmt_int(c->version, v, sizeof v));
	}
	table_print(&t, f, app->out);
	table_free(&t);
	consent_list_free(&l);
	return 0;
}

/* program enroll --patient ID --program P [--start D] [--status S] [--practitioner N] */
int cmd_program_enroll(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *program = NULL, *start = NULL, *status = NULL, *who = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"program", &program, NULL},
	                           {"start", &start, NULL}, {"status", &status, NULL},
	                           {"practitioner", &who, NULL}, {0}};
	char day[DATE_STRLEN];
	struct episode ep = {0};
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, program, "program")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &ep.patient_id)) < 0 ||
	    (rc = cli_code(app, &PROGRAM, program, "--program")) < 0 ||
	    (rc = cli_code(app, &EPISODE_STATUS, status, "--status")) < 0 ||
	    (rc = day_opt(app, start, "--start", day)) < 0)
		return rc;
	ep.program = program;
	ep.status = status;
	ep.started = day;
	ep.practitioner = who;
	if (!app_store(app) || program_enroll(app->store, &ep, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", ep.id);
	return 0;
}

/* program end ID [--status finished|cancelled] [--date D] [--if-version N] */
int cmd_program_end(struct app *app, int argc, char **argv)
{
	const char *status = NULL, *date = NULL, *ver = NULL;
	const struct opt opts[] = {{"status", &status, NULL}, {"date", &date, NULL},
	                           {"if-version", &ver, NULL}, {0}};
	char day[DATE_STRLEN];
	long long id, version;
	int rc;
	if ((rc = cli_one_id(app, argc, argv, opts, "program episode", &id)) < 0 ||
	    (rc = if_version(app, ver, &version)) < 0 || (rc = day_opt(app, date, "--date", day)) < 0)
		return rc;
	if (!app_store(app) ||
	    program_end(app->store, id, status, day, version, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

static const struct column episode_cols[] = {
	{"id", "ID", true, true}, {"patient_id", "Patient", true, true},
	{"program", "Program", false, true}, {"status", "Status", false, true},
	{"started", "Started", false, true}, {"ended", "Ended", false, true},
	{"consent_id", "Consent", true, true}, {"minutes", "Minutes", true, true},
	{"threshold", "Of", true, true}, {"version", "", true, false},
};

/* program list [--patient ID] [--program P] [--format F]: a patient's
 * every episode, or everyone's open ones; minutes of this month. */
int cmd_program_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *program = NULL, *format = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"program", &program, NULL},
	                           {"format", &format, NULL}, {0}};
	struct episode_list l = {0};
	char from[DATE_STRLEN], to[DATE_STRLEN];
	long long pid = 0;
	enum fmt f;
	int rc, y, m, d;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0) ||
	    (rc = cli_code(app, &PROGRAM, program, "--program")) < 0)
		return rc;
	date_to_ymd(app->today, &y, &m, &d);
	date_format(date_from_ymd(y, m, 1), from);
	date_format(date_from_ymd(y, m, date_days_in_month(y, m)), to);
	if (!app_store(app) || program_list(app->store, pid, program, from, to, app->today, &l, &app->err) < 0) {
		episode_list_free(&l);
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(episode_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct episode *ep = &l.items[i];
		char id[24], p[24], c[24], mn[24], th[24], v[24];
		snprintf(mn, sizeof mn, "%lld", ep->minutes);
		snprintf(th, sizeof th, "%d", program_threshold(&app->cfg, ep->program, from));
		table_row(&t, fmt_int(ep->id, id, sizeof id), fmt_int(ep->patient_id, p, sizeof p),
		          f == FMT_TABLE ? program_label(ep->program) : ep->program, ep->status,
		          ep->started, ep->ended, fmt_int(ep->consent_id, c, sizeof c), mn, th,
		          fmt_int(ep->version, v, sizeof v));
	}
	table_print(&t, f, app->out);
	table_free(&t);
	episode_list_free(&l);
	return 0;
}
