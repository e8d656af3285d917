/* cli_ical: `import` and `export` of iCalendar files, and the agenda as a
 * calendar (`agenda --ics`). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caseload/cli.h"
#include "caseload/ical.h"
#include "caseload/store.h"
#include "caseload/text.h"

/* ---- import ---- */

struct progress {
	double last;               /* when it was last drawn */
	bool drawn;
};

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A file this large shows its progress from its first event (however fast
 * the machine); a smaller one only once it has taken a fifth of a second. */
#define PROGRESS_AT_ONCE_BYTES (512LL * 1024)

static void show_progress(void *ctx, long long events, long long bytes, long long total)
{
	struct progress *p = ctx;
	double now = seconds();
	bool first_of_large = !p->drawn && total >= PROGRESS_AT_ONCE_BYTES;
	if (!first_of_large && now - p->last < 0.2)
		return;
	p->last = now;
	p->drawn = true;
	if (total > 0)
		fprintf(stderr, "\rimporting: %lld events, %d%%", events, (int)(bytes * 100 / total));
	else
		fprintf(stderr, "\rimporting: %lld events", events);
	fflush(stderr);
}

/* The merge, once the file is read. */
static void show_merging(void *ctx, long long merged, long long staged)
{
	struct progress *p = ctx;
	double now = seconds();
	if (now - p->last < 0.2)
		return;
	p->last = now;
	p->drawn = true;
	fprintf(stderr, "\rmerging: %lld of %lld events ", merged < staged ? merged : staged,
	        staged);
	fflush(stderr);
}

int cmd_import(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *undo = NULL, *limit = NULL, *format = NULL, *pos[1];
	bool dry_run = false, list = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"dry-run", NULL, &dry_run},
	                           {"undo", &undo, NULL}, {"list", NULL, &list},
	                           {"limit", &limit, NULL}, {"format", &format, NULL}, {0}};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if ((undo || list) && (np || patient || dry_run || (undo && list)))
		return app_usage(app, "import --undo RUN and import --list take no file and no other "
		                      "option");
	if (undo)
		return cli_import_undo(app, undo);
	if (list)
		return cli_import_list(app, limit, format);
	if (limit || format)
		return app_usage(app, "--limit and --format go with --list");
	if (np != 1)
		return app_usage(app, "which file? (import FILE, or - for standard input)");
	struct ical_import_opts o = {.dry_run = dry_run, .zone = app->zone, .now = app->now,
	                             .max_component_kb = app->cfg.import_max_component_kb};
	if (patient && cli_id(app, patient, "patient", &o.patient_id) < 0)
		return ERR_USAGE;
	if (!app_store(app))
		return ERR_FAIL;
	struct progress prog = {.last = seconds()};
	if (isatty(STDERR_FILENO)) {
		o.progress = show_progress;
		o.merging = show_merging;
		o.progress_ctx = &prog;
	}
	bool std_in = !strcmp(pos[0], "-");
	const char *name = std_in ? "(standard input)" : pos[0];
	struct ical_summary sum = {0};
	rc = std_in ? ical_import_stream(app->store, stdin, name, &o, &sum, NULL, &app->err)
	            : ical_import_file(app->store, pos[0], NULL, &o, &sum, NULL, &app->err);
	if (prog.drawn)
		fprintf(stderr, "\r%40s\r", "");
	if (rc == 0) {
		struct buf text = {0};
		ical_summary_format(&sum, name, dry_run, &text);
		fputs(text.s, app->out);
		buf_free(&text);
	}
	ical_summary_free(&sum);
	return rc;
}

/* ---- export ---- */

/* "N appointments written to FILE", when the calendar went to a file. */
static void written(struct app *app, const char *output, size_t n)
{
	if (!output)
		return;
	char *clean = text_sanitize(output);
	fprintf(app->out, "%zu appointment%s written to %s\n", n, n == 1 ? "" : "s", clean);
	free(clean);
}

int cmd_export(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *from = NULL, *to = NULL, *detail = NULL, *alarm = NULL,
	           *output = NULL;
	bool all = false, include_cancelled = false, force = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"all", NULL, &all},
	                           {"force", NULL, &force},
	                           {"include-cancelled", NULL, &include_cancelled},
	                           {"from", &from, NULL}, {"to", &to, NULL},
	                           {"detail", &detail, NULL}, {"alarm", &alarm, NULL},
	                           {"output", &output, NULL}, {0}};
	int rc = cli_opts_o(app, argc, argv, opts);
	if (rc < 0)
		return rc;
	/* an existing file is replaced only with --force */
	struct ical_export_req rq = {.detail = detail, .alarms = alarm, .path = output,
	                             .replace = force, .today = app->today, .zone = app->zone,
	                             .now = app->now};
	if (force && !output)
		return app_usage(app, "--force replaces the file of -o FILE: give -o too");
	if (!patient == !all)
		return app_usage(app, "give --patient ID or --all");
	if ((patient && cli_id(app, patient, "patient", &rq.patient_id) < 0) ||
	    (from && cli_date(app, from, "--from", &rq.from) < 0) ||
	    (to && cli_date(app, to, "--to", &rq.to) < 0))
		return ERR_USAGE;
	rq.has_from = from != NULL;
	rq.has_to = to != NULL;
	rq.include_cancelled = include_cancelled;
	struct ical_export_result res;
	if (!app_store(app))
		return ERR_FAIL;
	if (ical_export_file(app->store, &rq, app->out, &res, &app->err) < 0)
		return output ? cli_file_failed(app, output) : app->err.code ? app->err.code : ERR_FAIL;
	written(app, output, res.appointments);
	return 0;
}

/* ---- agenda --ics ---- */

/* The agenda is the coordinator's own calendar: full detail. */
int cli_agenda_ics(struct app *app, long long patient_id, int day, int days,
                   const char *output, bool force)
{
	struct ical_export_req rq = {.patient_id = patient_id, .has_from = true, .has_to = true,
	                             .from = day, .to = day + days - 1, .detail = "full",
	                             .path = output, .replace = force,
	                             .today = app->today, .zone = app->zone, .now = app->now};
	struct ical_export_result res;
	if (!app_store(app))
		return ERR_FAIL;
	if (ical_export_agenda(app->store, &rq, app->out, &res, &app->err) < 0)
		return output ? cli_file_failed(app, output) : ERR_FAIL;
	written(app, output, res.appointments);
	return 0;
}
