/* cli_ical: `import` and `export` of iCalendar files, and the agenda as a
 * calendar (`agenda --ics`). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caseload/cli.h"
#include "caseload/ical.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"

#define DEFAULT_ALARMS "1d,2h"

/* ---- import ---- */

struct progress {
	long long total;           /* bytes, 0 when unknown */
	double last;               /* when it was last drawn */
	bool drawn;
};

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(void *ctx, long long events, long long bytes)
{
	struct progress *p = ctx;
	double now = seconds();
	if (now - p->last < 0.2)
		return;
	p->last = now;
	p->drawn = true;
	if (p->total > 0)
		fprintf(stderr, "\rimporting: %lld events, %d%%", events,
		        (int)(bytes * 100 / (p->total > 0 ? p->total : 1)));
	else
		fprintf(stderr, "\rimporting: %lld events", events);
	fflush(stderr);
}

static void print_summary(struct app *app, const char *name, const struct ical_summary *s,
                          bool dry_run)
{
	char *clean = text_sanitize(name);
	fprintf(app->out, "%s: %lld event%s: %lld added (%lld unassigned), %lld updated, "
	        "%lld unchanged, %lld cancelled, %lld skipped\n", clean, s->events,
	        s->events == 1 ? "" : "s", s->added, s->unassigned, s->updated, s->unchanged,
	        s->cancelled, s->skipped);
	free(clean);
	for (size_t i = 0; i < s->notes.len; i++) {
		clean = text_sanitize(s->notes.items[i]);
		fprintf(app->out, "  %s\n", clean);
		free(clean);
	}
	if (s->notes_dropped)
		fprintf(app->out, "  ... and %lld more\n", s->notes_dropped);
	if (dry_run)
		fprintf(app->out, "dry run: nothing was changed\n");
}

int cmd_import(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *pos[1];
	bool dry_run = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"dry-run", NULL, &dry_run}, {0}};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which file? (import FILE, or - for standard input)");
	struct ical_import_opts o = {.dry_run = dry_run, .zone = app->zone, .now = app->now};
	if (patient && cli_id(app, patient, "patient", &o.patient_id) < 0)
		return ERR_USAGE;
	bool std_in = !strcmp(pos[0], "-");
	const char *name = std_in ? "(standard input)" : pos[0];
	FILE *in = std_in ? stdin : fopen(pos[0], "r");
	if (!in)
		return err_set(&app->err, ERR_FAIL, "cannot open %s: %s", pos[0], strerror(errno));
	struct stat st;
	if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(in);
		return err_set(&app->err, ERR_USAGE, "%s is a directory, not a calendar file", pos[0]);
	}
	if (!app_store(app) ||
	    (o.patient_id && store_patient_exists(app->store, o.patient_id, &app->err) < 0)) {
		if (!std_in)
			fclose(in);
		return ERR_FAIL;
	}
	struct progress prog = {.total = S_ISREG(st.st_mode) ? (long long)st.st_size : 0,
	                        .last = seconds()};
	if (isatty(STDERR_FILENO)) {
		o.progress = show_progress;
		o.progress_ctx = &prog;
	}
	struct ical_summary sum = {0};
	rc = ical_import_stream(app->store, in, name, &o, &sum, &app->err);
	if (prog.drawn)
		fprintf(stderr, "\r%40s\r", "");
	if (!std_in)
		fclose(in);
	if (rc == 0)
		print_summary(app, name, &sum, dry_run);
	ical_summary_free(&sum);
	return rc;
}

/* ---- export ---- */

/* Write through a temporary file in the same directory (mode 0600: it
 * holds health information), renamed into place when complete. */
static int export_rows(struct app *app, const struct appointment *rows, size_t n,
                       const struct ical_export_opts *o, const char *path)
{
	if (!path)
		return ical_export(app->store, rows, n, o, app->out, &app->err);
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		int saved = errno;
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return err_set(&app->err, ERR_FAIL, "cannot write %s: %s", path, strerror(saved));
	}
	int rc = ical_export(app->store, rows, n, o, f, &app->err);
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(&app->err, ERR_FAIL, "cannot write %s: %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) < 0)
		rc = err_set(&app->err, ERR_FAIL, "cannot write %s: %s", path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int cmd_export(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *from = NULL, *to = NULL, *detail = NULL, *alarm = NULL,
	           *output = NULL;
	bool all = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"all", NULL, &all},
	                           {"from", &from, NULL}, {"to", &to, NULL},
	                           {"detail", &detail, NULL}, {"alarm", &alarm, NULL},
	                           {"output", &output, NULL}, {0}};
	/* -o FILE is --output FILE */
	char **args = xcalloc((size_t)argc + 1, sizeof *args);
	for (int i = 0; i < argc; i++)
		args[i] = !strcmp(argv[i], "-o") ? "--output" : argv[i];
	int rc = cli_opts(app, argc, args, opts, NULL, 0, NULL);
	free(args);
	if (rc < 0)
		return rc;
	long long pid = 0;
	if (!patient == !all)
		return app_usage(app, "give --patient ID or --all");
	if (patient && cli_id(app, patient, "patient", &pid) < 0)
		return ERR_USAGE;
	struct ical_export_opts o = {.detail = ICAL_DETAIL_FULL, .now = app->now};
	if (detail && !strcmp(detail, "minimal"))
		o.detail = ICAL_DETAIL_MINIMAL;
	else if (detail && strcmp(detail, "full"))
		return app_usage(app, "--detail '%s' is not full or minimal", detail);
	int day;
	long long t0, t1 = (long long)date_from_ymd(9999, 12, 31) * 86400;
	if (cli_date(app, from ? from : "today", "--from", &day) < 0 ||
	    tz_local_to_utc(app->zone, day, 0, &t0, &app->err) < 0)
		return ERR_USAGE;
	if (to && (cli_date(app, to, "--to", &day) < 0 ||   /* --to is a whole day, included */
	           tz_local_to_utc(app->zone, day + 1, 0, &t1, &app->err) < 0))
		return ERR_USAGE;
	if (t1 <= t0)
		return app_usage(app, "--to is before --from");
	int *alarms = NULL, n_alarms = 0;
	if (ical_parse_alarms(alarm ? alarm : DEFAULT_ALARMS, &alarms, &n_alarms, &app->err) < 0)
		return ERR_USAGE;
	o.alarms = alarms;
	o.n_alarms = n_alarms;
	struct appointment_list l = {0};
	rc = ERR_FAIL;
	if (app_store(app) && (!pid || store_patient_exists(app->store, pid, &app->err) == 0) &&
	    store_appt_candidates(app->store, pid, t0, t1, &l, &app->err) == 0)
		rc = export_rows(app, l.items, l.len, &o, output);
	if (rc == 0 && output)
		fprintf(app->out, "%zu appointment%s written to %s\n", l.len, l.len == 1 ? "" : "s",
		        output);
	appointment_list_free(&l);
	free(alarms);
	return rc;
}

/* ---- agenda --ics ---- */

int cli_agenda_ics(struct app *app, long long patient_id, int day, int days)
{
	long long from, to;
	struct occurrence_list occ = {0};
	if (tz_local_to_utc(app->zone, day, 0, &from, &app->err) < 0 ||
	    tz_local_to_utc(app->zone, day + days, 0, &to, &app->err) < 0 || !app_store(app) ||
	    recur_range(app->store, patient_id, from, to, &occ, &app->err) < 0) {
		occurrence_list_free(&occ);
		return ERR_FAIL;
	}
	/* the rows with an occurrence in range, their series and its overrides */
	struct appointment_list *rows = &occ.rows;
	bool *keep = xcalloc(rows->len + 1, sizeof *keep);
	for (size_t i = 0; i < occ.len; i++) {
		const struct appointment *a = occ.items[i].appt;
		if (a->all_day && (occ.items[i].end <= (long long)day * 86400 ||
		                   occ.items[i].start >= (long long)(day + days) * 86400))
			continue;
		keep[a - rows->items] = true;
		for (size_t j = 0; a->recurrence_id && *a->recurrence_id && j < rows->len; j++)
			if (!*rows->items[j].recurrence_id && !strcmp(rows->items[j].uid, a->uid))
				keep[j] = true;
	}
	for (size_t j = 0; j < rows->len; j++)
		for (size_t k = 0; *rows->items[j].recurrence_id && k < rows->len && !keep[j]; k++)
			keep[j] = keep[k] && !*rows->items[k].recurrence_id &&
			          !strcmp(rows->items[k].uid, rows->items[j].uid);
	struct appointment *pick = xcalloc(rows->len + 1, sizeof *pick);
	size_t n = 0;
	for (size_t j = 0; j < rows->len; j++)
		if (keep[j])
			pick[n++] = rows->items[j];   /* shallow: rows own the strings */
	int *alarms = NULL, n_alarms = 0;
	ical_parse_alarms(DEFAULT_ALARMS, &alarms, &n_alarms, &app->err);
	struct ical_export_opts o = {.detail = ICAL_DETAIL_FULL, .alarms = alarms,
	                             .n_alarms = n_alarms, .now = app->now};
	int rc = ical_export(app->store, pick, n, &o, app->out, &app->err);
	free(alarms);
	free(pick);
	free(keep);
	occurrence_list_free(&occ);
	return rc;
}
