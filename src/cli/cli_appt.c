/* cli_appt: appointments, the agenda, and the summary shown with no
 * command. */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/appt.h"
#include "caseload/cli.h"
#include "caseload/model.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"

struct appt_args {
	const char *patient, *start, *duration, *end, *tz, *title, *location, *provider,
	           *transport, *status, *notes, *rrule;
};

#define APPT_OPTS(a) \
	{"patient", &(a).patient, NULL}, {"start", &(a).start, NULL}, \
	{"duration", &(a).duration, NULL}, {"end", &(a).end, NULL}, {"tz", &(a).tz, NULL}, \
	{"title", &(a).title, NULL}, {"location", &(a).location, NULL}, \
	{"provider", &(a).provider, NULL}, {"transport", &(a).transport, NULL}, \
	{"status", &(a).status, NULL}, {"notes", &(a).notes, NULL}, {"rrule", &(a).rrule, NULL}

static void set(const char **field, const char *v)
{
	if (!v)
		return;
	str_free(*field);
	*field = *v ? xstrdup(v) : NULL;
}

/* Apply options to an appointment; a new one gets its times from --start
 * with --duration (default 30 minutes) or --end. */
static int appt_apply(struct app *app, const struct appt_args *o, struct appointment *a)
{
	if (o->duration && o->end)
		return app_usage(app, "give --duration or --end, not both");
	if (cli_code(app, &TRANSPORT, o->transport, "transport") < 0 ||
	    cli_code(app, &APPT_STATUS, o->status, "status") < 0)
		return ERR_USAGE;
	if (o->tz && !tz_known(o->tz))
		return app_usage(app, "unknown time zone %s (use a name like America/New_York)",
		                 TEXT_ARG(o->tz));
	if (o->patient && cli_id(app, o->patient, "patient", &a->patient_id) < 0)
		return ERR_USAGE;
	if (o->provider && cli_id(app, o->provider, "provider contact", &a->provider_id) < 0)
		return ERR_USAGE;
	if (o->rrule && *o->rrule && recur_check_rule(o->rrule, &app->err) < 0)
		return ERR_USAGE;
	if (o->title && !*o->title)
		return app_usage(app, "--title cannot be empty");
	set(&a->tzid, o->tz);
	char zone[128];   /* a copy: a->tzid may change below */
	snprintf(zone, sizeof zone, "%s", a->tzid ? a->tzid : app->zone);
	long long dur = a->end - a->start;
	if (o->start) {
		bool date_only;
		if (cli_when(app, o->start, zone, 0, &a->start, &date_only) < 0)
			return ERR_USAGE;
		a->all_day = date_only;
		if (date_only) {
			/* an all-day appointment: midnight UTC of the date, a day long */
			int day, m;
			tz_utc_to_local(zone, a->start, &day, &m, &app->err);
			a->start = date_utc_midnight(day);
			dur = DAY_SECONDS;
			/* a date is the same date everywhere: all-day is floating */
			set(&a->tzid, "");
		}
		if (dur <= 0)
			dur = 30 * 60LL;
	}
	if (o->duration) {
		int minutes;
		if (duration_parse(o->duration, &minutes, &app->err) < 0)
			return ERR_USAGE;
		dur = minutes * 60LL;
	}
	a->end = a->start + dur;
	if (o->end) {
		int minutes, day;
		struct err tmp;
		/* "HH:MM" alone is on the start's day */
		if (time_parse(o->end, &minutes, &tmp) == 0) {
			int m0;
			tz_utc_to_local(zone, a->start, &day, &m0, &app->err);
			if (tz_local_to_utc(zone, day, minutes, &a->end, &app->err) < 0)
				return ERR_USAGE;
		} else if (cli_when(app, o->end, zone, -1, &a->end, NULL) < 0) {
			return ERR_USAGE;
		}
		if (a->end <= a->start)
			return app_usage(app, "--end %s is not after the start", TEXT_ARG(o->end));
	}
	set(&a->title, o->title);
	set(&a->location, o->location);
	set(&a->transport, o->transport);
	set(&a->status, o->status);
	set(&a->notes, o->notes);
	set(&a->rrule, o->rrule);
	return 0;
}

/* A weekend, a holiday, an overlap: booked, and said on stderr. */
static void warn_time(struct app *app, const struct appointment *a)
{
	struct strlist w = {0};
	struct err e = {0};
	if (appt_warnings(app->store, a, app->zone, &app->cfg.holidays, &w, &e) < 0)
		strlist_add(&w, e.msg);
	for (size_t i = 0; i < w.len; i++) {
		char *c = text_sanitize(w.items[i]);
		fprintf(stderr, "%s: %s: warning: %s\n", app->prog, app->cmd, c);
		free(c);
	}
	strlist_free(&w);
}

int cmd_appt_add(struct app *app, int argc, char **argv)
{
	struct appt_args o = {0};
	const struct opt opts[] = {APPT_OPTS(o), {0}};
	struct appointment a = {0};
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, o.patient, "patient")) < 0 || (rc = cli_need(app, o.start, "start")) < 0 ||
	    (rc = cli_need(app, o.title, "title")) < 0)
		goto out;
	/* Made in the coordinator's zone unless told otherwise, so that a
	 * series keeps its local time across DST and exports say where. */
	a.tzid = xstrdup(app->zone);
	if ((rc = appt_apply(app, &o, &a)) < 0)
		goto out;
	struct appt_req rq = {.a = &a, .zone = app->zone, .now = app->now};
	if (!app_store(app) || appt_add(app->store, &rq, NULL, &app->err) < 0) {
		rc = ERR_FAIL;
		goto out;
	}
	fprintf(app->out, "%lld\n", a.id);
	warn_time(app, &a);
out:
	appointment_clear(&a);
	return rc;
}

static int load_appt(struct app *app, int argc, char **argv, const struct opt *opts,
                     struct appointment *a)
{
	const char *pos[1];
	int np, rc;
	long long id;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which appointment? (%s ID)", app->cmd);
	if (cli_id(app, pos[0], "appointment", &id) < 0)
		return ERR_USAGE;
	if (!app_store(app) || store_appt_get(app->store, id, a, &app->err) < 0)
		return ERR_FAIL;
	return 0;
}

/* The appointment's id when a use case went through. */
static int print_id(struct app *app, int rc, long long id)
{
	if (rc < 0)
		return rc == ERR_USAGE ? ERR_USAGE : ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

int cmd_appt_edit(struct app *app, int argc, char **argv)
{
	struct appt_args o = {0};
	const struct opt opts[] = {APPT_OPTS(o), {0}};
	struct appointment a = {0};
	int rc;
	if ((rc = load_appt(app, argc, argv, opts, &a)) == 0 && (rc = appt_apply(app, &o, &a)) == 0) {
		struct appt_req rq = {.a = &a, .zone = app->zone, .now = app->now};
		if ((rc = print_id(app, appt_edit(app->store, &rq, NULL, &app->err), a.id)) == 0)
			warn_time(app, &a);
	}
	appointment_clear(&a);
	return rc;
}

int cmd_appt_cancel(struct app *app, int argc, char **argv)
{
	const char *reason = NULL;
	const struct opt opts[] = {{"reason", &reason, NULL}, {0}};
	struct appointment a = {0};
	int rc = load_appt(app, argc, argv, opts, &a);
	if (rc == 0 && (rc = cli_code(app, &APPT_CANCEL_REASON, reason, "--reason")) == 0)
		rc = print_id(app, appt_cancel_reason(app->store, a.id, reason, app->now, NULL,
		                                      &app->err), a.id);
	appointment_clear(&a);
	return rc;
}

int cmd_appt_assign(struct app *app, int argc, char **argv)
{
	const char *patient = NULL;
	bool reassign = false, series = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"reassign", NULL, &reassign},
	                           {"series", NULL, &series}, {0}};
	struct appointment a = {0};
	long long pid;
	int rc = load_appt(app, argc, argv, opts, &a);
	if (rc == 0 && (rc = cli_need(app, patient, "patient")) == 0 &&
	    (rc = cli_id(app, patient, "patient", &pid)) == 0)
		rc = print_id(app, series ? appt_assign_series(app->store, a.id, pid, reassign, app->now,
		                                               NULL, NULL, &app->err)
		                          : appt_assign(app->store, a.id, pid, reassign, app->now, NULL,
		                                        &app->err), a.id);
	appointment_clear(&a);
	return rc;
}

static const struct column appt_cols[] = {
	{"id", "ID", true, true}, {"patient_id", "", true, false},
	{"patient", "Patient", false, true}, {"start", "Start", false, true},
	{"end", "End", false, true}, {"title", "Title", false, true},
	{"location", "Location", false, true}, {"transport", "Transport", false, true},
	{"status", "Status", false, true}, {"uid", "", false, false},
	{"tzid", "", false, false}, {"all_day", "", true, false}, {"rrule", "", false, false},
};

/* A listing of appointments as it streams: the rows between the days
 * asked for (first..last, or lo..hi as instants) go to the table. */
struct appt_listing {
	struct app *app;
	struct table t;
	enum fmt f;
	int first, last;
	long long lo, hi;
	bool from, to;
};

static void appt_row(struct app *app, struct table *t, enum fmt f, const struct appointment *a,
                     long long start, long long end)
{
	char id[24], pid[24], s[40], en[40];
	table_row(t, fmt_int(a->id, id, sizeof id), fmt_int(a->patient_id, pid, sizeof pid),
	          a->patient_name ? a->patient_name : "(unassigned)",
	          fmt_instant(app, start, a->all_day, f, s, sizeof s),
	          fmt_instant(app, end, a->all_day, f, en, sizeof en), a->title, a->location,
	          a->transport, a->status, a->uid, a->tzid, a->all_day ? "1" : "0", a->rrule);
}

static int appt_listed(void *listing, struct appointment *a)
{
	struct appt_listing *l = listing;
	int d = date_of_utc(a->start);
	if (a->all_day ? (l->from && d < l->first) || (l->to && d > l->last)
	               : (l->from && a->start < l->lo) || (l->to && a->start >= l->hi))
		return 0;
	appt_row(l->app, &l->t, l->f, a, a->start, a->end);
	return 0;
}

int cmd_appt_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *from = NULL, *to = NULL, *format = NULL;
	bool unassigned = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"from", &from, NULL},
	                           {"to", &to, NULL}, {"unassigned", NULL, &unassigned},
	                           {"format", &format, NULL}, {0}};
	struct appt_query q = {0};
	enum fmt f;
	int rc, first = 0, last = 0;
	if ((rc = cli_opts_o(app, argc, argv, opts)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &q.patient_id)) < 0))
		return rc;
	if (patient && unassigned)
		return app_usage(app, "--unassigned lists appointments with no patient; drop --patient");
	q.unassigned = unassigned;
	/* Days in the coordinator's zone; all-day appointments (stored at
	 * midnight UTC) are matched by their date, so the query reaches half
	 * a day further on each side and the rows are checked here. */
	long long lo = 0, hi = 0;
	if (from) {
		if (cli_date(app, from, "--from", &first) < 0 ||
		    tz_local_to_utc(app->zone, first, 0, &lo, &app->err) < 0)
			return ERR_USAGE;
		q.from = lo - 14 * 3600LL;
	}
	if (to) {   /* --to is a whole day, included */
		if (cli_date(app, to, "--to", &last) < 0 ||
		    tz_local_to_utc(app->zone, last + 1, 0, &hi, &app->err) < 0)
			return ERR_USAGE;
		q.to = hi + 14 * 3600LL;
	}
	struct appt_listing l = {app, TABLE_OF(appt_cols), f, first, last, lo, hi, from != NULL,
	                         to != NULL};
	table_stream(&l.t, f, app->out);
	/* streamed: the read is recorded, with its count, once listed */
	if (!app_store(app) || audit_ready(app->store, &app->err) < 0 ||
	    store_appt_each(app->store, &q, appt_listed, &l, &app->err) < 0 ||
	    audit_read(app->store, "list", "appt list", q.patient_id, (long long)l.t.rows,
	               &app->err) < 0) {
		table_free(&l.t);   /* what was held: a failure prints no end */
		return ERR_FAIL;
	}
	table_print(&l.t, f, app->out);
	table_free(&l.t);
	return 0;
}

/* The day range [day, day + days) in the coordinator's zone, as instants. */
static int day_range(struct app *app, int day, int days, long long *from, long long *to)
{
	if (tz_local_to_utc(app->zone, day, 0, from, &app->err) < 0 ||
	    tz_local_to_utc(app->zone, day + days, 0, to, &app->err) < 0)
		return ERR_FAIL;
	return 0;
}

struct agenda_listing {
	struct app *app;
	struct table t;
	enum fmt f;
	int day, days;
};

static int agenda_listed(void *listing, const struct occurrence *o)
{
	struct agenda_listing *l = listing;
	/* all-day events belong to their date, whatever the zone */
	if (o->appt->all_day && (o->end <= date_utc_midnight(l->day) ||
	                         o->start >= date_utc_midnight(l->day + l->days)))
		return 0;
	appt_row(l->app, &l->t, l->f, o->appt, o->start, o->end);
	return 0;
}

static int print_agenda(struct app *app, long long pid, int day, int days, enum fmt f)
{
	long long from, to;
	struct agenda_listing l = {app, TABLE_OF(appt_cols), f, day, days};
	table_stream(&l.t, f, app->out);
	/* streamed: the read is recorded, with its count, once listed */
	if (day_range(app, day, days, &from, &to) < 0 || !app_store(app) ||
	    audit_ready(app->store, &app->err) < 0 ||
	    recur_each(app->store, pid, from, to, agenda_listed, &l, &app->err) < 0 ||
	    audit_read(app->store, "list", "agenda", pid, (long long)l.t.rows, &app->err) < 0) {
		table_free(&l.t);   /* what was held: a failure prints no end */
		return ERR_FAIL;
	}
	table_print(&l.t, f, app->out);
	table_free(&l.t);
	return 0;
}

int cmd_agenda(struct app *app, int argc, char **argv)
{
	const char *date = NULL, *days = NULL, *patient = NULL, *format = NULL, *output = NULL;
	bool ics = false, force = false;
	const struct opt opts[] = {{"date", &date, NULL}, {"days", &days, NULL},
	                           {"patient", &patient, NULL}, {"format", &format, NULL},
	                           {"ics", NULL, &ics}, {"output", &output, NULL},
	                           {"force", NULL, &force}, {0}};
	enum fmt f;
	long n = 1;
	long long pid = 0;
	int rc, day = app->today;
	if ((rc = cli_opts_o(app, argc, argv, opts)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (date && (rc = cli_date(app, date, "--date", &day)) < 0) ||
	    (days && (rc = cli_int(app, days, "--days", 1, 366, &n)) < 0) ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	if (pid && (!app_store(app) || store_patient_exists(app->store, pid, &app->err) < 0))
		return ERR_FAIL;
	if (output && !ics)
		return app_usage(app, "-o FILE writes the agenda as a calendar: give --ics too");
	if (force && !output)
		return app_usage(app, "--force replaces the file of -o FILE: give -o too");
	if (ics)
		return cli_agenda_ics(app, pid, day, (int)n, output, force);
	return print_agenda(app, pid, day, (int)n, f);
}

/* With no command: who is on the caseload and what is on today. */
int cmd_summary(struct app *app, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char day[DATE_STRLEN];
	char list[] = "list";
	int rc = cmd_patient_list(app, 1, (char *[]){list, NULL});
	if (rc < 0)
		return rc;
	fprintf(app->out, "\nAgenda for %s (%s)\n", date_format(app->today, day), app->zone);
	return print_agenda(app, 0, app->today, 1, FMT_TABLE);
}
