/* cli: global options, the command table, option parsing and listings. */
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caseload/cli.h"
#include "caseload/csv.h"
#include "caseload/demo.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/zone.h"

/* Every command: the words that name it, what it does, and its function.
 * `caseload help` and the unknown-command message come from this table. */
static const struct command {
	const char *group, *verb;
	cli_fn *fn;
	const char *args;
} commands[] = {
	{"init", NULL, cmd_init, "[--schema N] create the database"},
	{"demo", NULL, cmd_demo, "[--patients N] [--seed S]"},
	{"check", NULL, cmd_check, "integrity, schema, audit chain; puts protections back"},
	{"config", NULL, cmd_config, "[--format F] the settings in effect and where each came from"},
	{"backup", NULL, cmd_backup, "FILE [--force]"},
	{"db", "copy", cmd_db_copy, "SRC DST a whole caseload into a new or empty database"},
	{"audit", "verify", cmd_audit_verify, "walk the audit's hash chain"},
	{"audit", NULL, cmd_audit, "[--patient ID | --table T [--row ID]] [--limit N] [--format F]"},
	{"passphrase", "set", cmd_passphrase_set, "the screen lock's passphrase (asked twice; one line from a pipe)"},
	{"passphrase", "status", cmd_passphrase_status, "whether the screen's lock asks for one"},
	{"passphrase", "clear", cmd_passphrase_clear, "remove it (the lock is then only a curtain)"},
	{"patient", "add", cmd_patient_add, "--name \"Family, Given\" [--dob D] [--mrn M] [--phone P] [--email E] [--risk R] [--language L] [--interpreter yes|no] [--do-not-contact yes|no] [--best-time morning|afternoon|evening] [--qmb yes|no]"},
	{"patient", "list", cmd_patient_list, "[--search S] [--risk R] [--all] [--format F]"},
	{"patient", "show", cmd_patient_show, "ID"},
	{"patient", "edit", cmd_patient_edit, "ID [--name N] [--phone P] [--risk R] ... [--if-version N]"},
	{"patient", "assign", cmd_patient_assign, "ID LOGIN (primary coordinator)"},
	{"contact", "add", cmd_contact_add, "--name N [--kind K] [--org O] [--phone P] [--public-label L] ..."},
	{"contact", "edit", cmd_contact_edit, "ID [--name N] [--public-label L] [--address A] ..."},
	{"contact", "show", cmd_contact_show, "ID"},
	{"contact", "list", cmd_contact_list, "[--patient ID] [--format F]"},
	{"team", "add", cmd_team_add, "LOGIN --name N [--role coordinator|nurse|social-worker|supervisor] | --patient ID --contact ID --role R"},
	{"team", "list", cmd_team_list, "[--format F] the people of the team"},
	{"team", "out", cmd_team_out, "LOGIN --from D --to D | --back (coverage)"},
	{"team", "workload", cmd_team_workload, "[--format F] patients and open, overdue, due-today tasks per person"},
	{"med", "add", cmd_med_add, "--patient ID --name N [--dose D] [--refill-due D]"},
	{"med", "list", cmd_med_list, "[--patient ID] [--format F]"},
	{"med", "edit", cmd_med_edit, "ID [--name N] [--dose D] [--refill-due D] [--status active|stopped] [--if-version N]"},
	{"condition", "add", cmd_condition_add, "--patient ID --name N [--onset D]"},
	{"condition", "list", cmd_condition_list, "--patient ID [--format F] (ids, every status)"},
	{"condition", "edit", cmd_condition_edit, "ID [--name N] [--onset D] [--status active|resolved|inactive] [--if-version N]"},
	{"appt", "add", cmd_appt_add, "--patient ID --start \"D HH:MM\" --title T [--duration 45m | --end ...]"},
	{"appt", "list", cmd_appt_list, "[--patient ID] [--from D] [--to D] [--unassigned] [--format F]"},
	{"appt", "edit", cmd_appt_edit, "ID [--start ...] [--title T] [--transport T] ..."},
	{"appt", "cancel", cmd_appt_cancel, "ID [--reason CODE] (FHIR cancellation reason: pat-lt, oth-int, ...)"},
	{"appt", "assign", cmd_appt_assign, "ID --patient ID [--series] [--reassign]"},
	{"task", "add", cmd_task_add, "--patient ID --title T [--due D] [--priority P] [--kind K]"},
	{"task", "list", cmd_task_list, "[--patient ID] [--all] [--due D] [--format F]"},
	{"task", "edit", cmd_task_edit, "ID [--title T] [--due D] [--priority P] [--kind K] [--note N] [--if-version N]"},
	{"task", "assign", cmd_task_assign, "ID LOGIN | ID --none"},
	{"task", "take", cmd_task_take, "ID... (claim tasks no one owns)"},
	{"task", "done", cmd_task_done, "ID"},
	{"task", "snooze", cmd_task_snooze, "ID --until D"},
	{"task", "cancel", cmd_task_cancel, "ID --note TEXT (why; nothing is deleted)"},
	{"note", "add", cmd_note_add, "--patient ID [--kind K] [--outcome O] [--at \"D HH:MM\"] [--minutes N] [--text T]"},
	{"discharge", NULL, cmd_discharge, "--patient ID --date D [--facility F] [--disposition W]"},
	{"time", "log", cmd_time_log, "--patient ID --minutes N [--program P] [--role R] [--activity A] [--date D]"},
	{"consent", "add", cmd_consent_add, "--patient ID --program ccm|pcm|apcm|pin|chi|tcm --method verbal|written [--date D] [--note N]"},
	{"consent", "withdraw", cmd_consent_withdraw, "ID [--date D] [--if-version N] (ends the program's open enrollments)"},
	{"consent", "list", cmd_consent_list, "[--patient ID] [--format F]"},
	{"program", "enroll", cmd_program_enroll, "--patient ID --program P [--start D] [--status planned|active|onhold] [--practitioner N]"},
	{"program", "end", cmd_program_end, "ID [--status finished|cancelled] [--date D] [--if-version N]"},
	{"program", "list", cmd_program_list, "[--patient ID] [--program P] [--format F] (a patient's, or everyone's open)"},
	{"agenda", NULL, cmd_agenda, "[--date D] [--days N] [--patient ID] [--format F | --ics [-o FILE [--force]]]"},
	{"screen", NULL, cmd_screen, "the workstation (also: no command, on a terminal)"},
	{"keys", NULL, cmd_keys, "[--man] the screen's keys, from its action table"},
	{"import", "adt", cmd_import_adt, "FILE|- [--ack] [--dry-run [--format F]] (HL7 v2 ADT: A01, A03, A04, A08)"},
	{"adt", "list", cmd_adt_list, "[--unmatched] [--format F] (ADT messages received)"},
	{"adt", "match", cmd_adt_match, "MSG --patient ID (apply a message waiting for its patient)"},
	{"adt", "drop", cmd_adt_drop, "MSG (forget a message waiting for its patient)"},
	{"import", "roster", cmd_import_roster, "FILE.csv|FILE.tsv [--map \"Member ID=mrn,Plan=-\"] [--coordinator LOGIN] [--dry-run] [--tsv|--csv]"},
	{"import", NULL, cmd_import, "FILE|- [--patient ID] [--dry-run] (iCalendar) | --list | --undo RUN"},
	{"undo", NULL, cmd_undo, "[ID] | --list [--limit N] [--format F] (your last change, or change ID)"},
	{"export", "fhir", cmd_export_fhir, "--patient ID [-o FILE [--force]] | --all --ndjson DIR; [--detail minimum|full]"},
	{"export", NULL, cmd_export, "--patient ID|--all [--from D] [--to D] [--detail full|minimal] [--alarm 1d,2h] [-o FILE [--force]]"},
	{"handout", NULL, cmd_handout, "--patient ID -o FILE.html [--lang en|es] [--force] the patient's page to print or send"},
	{"template", "list", cmd_template_list, "[--format F] (shipped and your own templates)"},
	{"template", "show", cmd_template_show, "NAME"},
	{"template", "check", cmd_template_check, "[FILE...] (all templates when none given)"},
	{"template", "apply", cmd_template_apply, "NAME --patient ID [--start D] [--again]"},
	{"plan", "list", cmd_plan_list, "[--patient ID] [--active] [--format F]"},
	{"plan", "show", cmd_plan_show, "ID | --patient ID"},
	{"plan", "close", cmd_plan_close, "ID [--status completed|revoked] [--if-version N]"},
	{"billing", NULL, cmd_billing, "--month YYYY-MM [--patient ID] [--format F] the codes the month supports, and why not"},
	{"rules", "check", cmd_rules_check, "[FILE...] the billing rules files (all when none given)"},
	{"apcm", "check", cmd_apcm_check, "--patient ID [--month YYYY-MM] [--done ELEMENT ...] [--format F] the month's APCM elements: met, how, or missing"},
	{"tcm", "list", cmd_tcm_list, "[--patient ID] [--open] [--format F] transitional-care episodes"},
	{"tcm", "set", cmd_tcm_set, "EPISODE [--face-to-face D] [--med-rec D] [--complexity moderate|high] [--if-version N]"},
	{"review", "mark", cmd_review_mark, "PATIENT [--date D] [--skip | --clear]"},
	{"review", "ack", cmd_review_ack, "ENTRY (acknowledge a result, discharge, message...)"},
	{"review", "transport", cmd_review_transport, "APPT (transport confirmed)"},
	{"calls", NULL, cmd_calls, "[--date D | --at \"D HH:MM\"] [--mine] [--format table|tsv|json|html] [-o FILE [--force]] the day's outreach"},
	{"review", NULL, cmd_review, "[--date D] [--patient ID | --team] [--severity S,..] [--reason R,..] [--format F]"},
};

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "usage: %s [--db PATH] [--today YYYY-MM-DD] [--user NAME] [--config FILE] COMMAND ...\n\n"
	           "commands:\n", prog);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char words[64];
		snprintf(words, sizeof words, "%s%s%s", commands[i].group,
		         commands[i].verb ? " " : "", commands[i].verb ? commands[i].verb : "");
		fprintf(f, "  %-16s %s\n", words, commands[i].args);
	}
	fprintf(f, "\nWith no command: on a terminal the full-screen workstation (keys: see\n"
	           "'caseload keys'), otherwise the caseload and today's agenda.\n"
	           "See caseload(1) for every option.\n");
}

int app_fail(struct app *app)
{
	char text[sizeof app->err.msg + sizeof app->err.file + 32];
	char *clean = text_sanitize(err_text(&app->err, text, sizeof text));
	if (app->cmd)
		fprintf(stderr, "%s: %s: %s\n", app->prog, app->cmd, clean);
	else
		fprintf(stderr, "%s: %s\n", app->prog, clean);
	free(clean);
	return app->err.code == ERR_USAGE ? EXIT_USAGE : EXIT_FAIL;
}

int app_usage(struct app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	app->err.code = ERR_USAGE;
	vsnprintf(app->err.msg, sizeof app->err.msg, fmt, ap);
	app->err.file[0] = '\0';
	va_end(ap);
	return ERR_USAGE;
}

char *cli_config_file(const struct app *app)
{
	if (app->cfg.path)
		return xstrdup(app->cfg.path);
	if (app->config_path)
		return xstrdup(app->config_path);
	char *dir = config_dir();
	char *f = xasprintf("%s/config.yaml", dir);
	free(dir);
	return f;
}

/* No zone chosen: say once which one is used and how to choose. */
static void zone_notice(struct app *app)
{
	bool due = false;
	struct err e = {0};
	if (app->machine || config_zone_chosen(&app->cfg) ||
	    zone_notice_due(app->store, app->zone, &due, &e) < 0 || !due)
		return;   /* a database that cannot note it (read-only) just stays quiet */
	const char *origin;
	config_zone_source(&app->cfg, &origin);
	char *file = cli_config_file(app);
	/* the home directory as ~, to keep it to a line */
	const char *home = getenv("HOME");
	size_t hl = home && *home == '/' ? strlen(home) : 0;
	bool tilde = hl > 1 && !strncmp(file, home, hl) && file[hl] == '/';
	char *clean = text_sanitize(tilde ? file + hl : file);
	char found[64] = "no system zone found";
	if (origin)
		snprintf(found, sizeof found, "the system's, from %s", origin);
	snprintf(app->notice, sizeof app->notice,
	         "no time zone configured: times are in %s (%s); to choose one, put "
	         "'timezone: Area/City' in %s%s", app->zone, found, tilde ? "~" : "", clean);
	free(clean);
	free(file);
	if (!app->defer_notice)
		fprintf(stderr, "%s: %s\n", app->prog, app->notice);
}

/* A demo made in another zone keeps its clinic hours in this one. */
static void demo_notice(struct app *app)
{
	long long moved = 0;
	struct err e = {0};
	if (demo_rezone(app->store, app->zone, &moved, &e) < 0 || !moved)
		return;   /* a database that cannot be written keeps check's warning */
	char line[200];
	snprintf(line, sizeof line, "the demo's %lld visits moved to keep their clinic hours in %s",
	         moved, app->zone);
	/* beside the zone notice when both are due: the screen shows one line */
	size_t used = strlen(app->notice);
	snprintf(app->notice + used, sizeof app->notice - used, "%s%s", used ? "; " : "", line);
	if (!app->defer_notice)   /* on stderr: machine output on stdout stays whole */
		fprintf(stderr, "%s: %s\n", app->prog, line);
}

struct store *app_store(struct app *app)
{
	if (app->store)
		return app->store;
	struct store_opts o = {.user = app->who, .user_typed = app->user_from == CFG_OPTION};
	if (store_open(&app->store, app->db_path, &o, &app->err) < 0)
		return NULL;
	/* on a server the user is the role it authenticated: whose tasks
	 * and patients, as well as the audit's who */
	if (config_db_is_server(app->db_path)) {
		free(app->user);
		app->user = xstrdup(store_user(app->store));
	}
	zone_notice(app);
	demo_notice(app);
	return app->store;
}

int cli_opts(struct app *app, int argc, char **argv, const struct opt *opts,
             const char **pos, int max_pos, int *n_pos)
{
	size_t n = 0;
	while (opts && opts[n].name)
		n++;
	struct option *lo = xcalloc(n + 2, sizeof *lo);
	for (size_t i = 0; i < n; i++)
		lo[i] = (struct option){opts[i].name, opts[i].val ? required_argument : no_argument,
		                        NULL, (int)(256 + i)};
	lo[n] = (struct option){"help", no_argument, NULL, 'h'};
	int rc = 0, np = 0;
	optind = 0;
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, "-:h", lo, NULL);
		if (c == -1)
			break;
		if (c == 1) {
			if (np >= max_pos) {
				rc = app_usage(app, "unexpected argument %s", TEXT_ARG(optarg));
				break;
			}
			pos[np++] = optarg;
		} else if (c >= 256 && (size_t)(c - 256) < n) {
			const struct opt *o = &opts[c - 256];
			char what[64];
			snprintf(what, sizeof what, "--%s", o->name);
			bool lines = !strcmp(o->name, "text") || !strcmp(o->name, "notes") ||
			             !strcmp(o->name, "note");
			if (o->val && text_check_input(optarg, lines, what, &app->err) < 0) {
				rc = ERR_USAGE;
				break;
			}
			if (o->val)
				*o->val = optarg;
			else
				*o->flag = true;
		} else if (c == 'h') {
			rc = app_usage(app, "see 'caseload --help' or caseload(1) for its options");
			break;
		} else if (c == ':' || (c == '?' && optopt >= 256)) {
			rc = app_usage(app, "option --%s needs a value", lo[optopt - 256].name);
			break;
		} else {
			const char *bad = argv[optind - 1];
			rc = app_usage(app, "unknown option %s", TEXT_ARG(bad));
			break;
		}
	}
	free(lo);
	if (n_pos)
		*n_pos = np;
	else if (rc == 0 && np > 0)
		rc = app_usage(app, "unexpected argument %s", TEXT_ARG(pos[0]));
	return rc;
}

int cli_need(struct app *app, const char *val, const char *name)
{
	if (!val)
		return app_usage(app, "missing --%s", name);
	return 0;
}

int cli_opts_o(struct app *app, int argc, char **argv, const struct opt *opts)
{
	static char output_opt[] = "--output";
	char **args = xcalloc((size_t)argc + 1, sizeof *args);
	for (int i = 0; i < argc; i++)
		args[i] = !strcmp(argv[i], "-o") ? output_opt : argv[i];
	int rc = cli_opts(app, argc, args, opts, NULL, 0, NULL);
	free(args);
	return rc;
}

int cli_file_failed(struct app *app, const char *path)
{
	if (app->err.code == ERR_CONFLICT)
		err_set(&app->err, ERR_CONFLICT, "%s exists: give --force to replace it", path);
	return app->err.code ? app->err.code : ERR_FAIL;
}

int cli_int(struct app *app, const char *s, const char *what, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return app_usage(app, "%s %s is not a number from %ld to %ld", what, TEXT_ARG(s), min,
		                 max);
	*out = v;
	return 0;
}

int cli_id(struct app *app, const char *s, const char *what, long long *id)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v <= 0)
		return app_usage(app, "%s is not a %s id (a positive number)", TEXT_ARG(s ? s : ""),
		                 what);
	*id = v;
	return 0;
}

int cli_one_id(struct app *app, int argc, char **argv, const struct opt *opts, const char *what,
               long long *id)
{
	const char *pos[1];
	int np, rc;
	*id = 0;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which %s? (%s ID)", what, app->cmd);
	return cli_id(app, pos[0], what, id);
}

int cli_date(struct app *app, const char *s, const char *what, int *day)
{
	if (date_parse(s, app->today, &app->cfg.holidays, day, &app->err) < 0) {
		char prev[sizeof app->err.msg];
		snprintf(prev, sizeof prev, "%s", app->err.msg);
		return app_usage(app, "%s: %s", what, prev);
	}
	return 0;
}

int cli_code(struct app *app, const struct codeset *set, const char *v, const char *what)
{
	if (v && code_find(set, v) < 0)
		return app_usage(app, "%s %s is not one of %s", what, TEXT_ARG(v), code_list(set));
	return 0;
}

int cli_when(struct app *app, const char *s, const char *zone, int default_minutes,
             long long *utc, bool *date_only)
{
	int day, minutes;
	if (datetime_parse(s, app->today, &app->cfg.holidays, &day, &minutes, &app->err) < 0)
		return ERR_USAGE;
	if (date_only)
		*date_only = minutes < 0;
	if (minutes < 0) {
		if (default_minutes < 0)
			return app_usage(app, "%s needs a time of day (\"D HH:MM\")", TEXT_ARG(s));
		minutes = default_minutes;
	}
	if (tz_local_to_utc(zone ? zone : app->zone, day, minutes, utc, &app->err) < 0)
		return ERR_USAGE;
	return 0;
}

int cli_format(struct app *app, const char *s, enum fmt *f)
{
	*f = FMT_TABLE;
	if (!s || !strcmp(s, "table"))
		return 0;
	if (!strcmp(s, "tsv"))
		return *f = FMT_TSV, app->machine = true, 0;
	if (!strcmp(s, "json"))
		return *f = FMT_JSON, app->machine = true, 0;
	if (!strcmp(s, "csv"))
		return *f = FMT_CSV, app->machine = true, 0;
	return app_usage(app, "format %s is not one of table, tsv, csv or json", TEXT_ARG(s));
}

char *fmt_int(long long v, char *out, size_t n)
{
	if (v)
		snprintf(out, n, "%lld", v);
	else
		out[0] = '\0';
	return out;
}

char *fmt_instant(struct app *app, long long utc, bool all_day, enum fmt f, char *out, size_t n)
{
	char tmp[32];
	if (all_day) {
		date_format(date_of_utc(utc), tmp);
		snprintf(out, n, "%s", tmp);
		return out;
	}
	if (f != FMT_TABLE) {
		snprintf(out, n, "%s", tz_format_utc(utc, tmp));
		return out;
	}
	int day, minutes;
	struct err e;
	if (tz_utc_to_local(app->zone, utc, &day, &minutes, &e) < 0)
		day = date_of_utc(utc), minutes = (int)((utc - date_utc_midnight(day)) / 60);
	snprintf(out, n, "%s %02d:%02d", date_format(day, tmp), minutes / 60, minutes % 60);
	return out;
}

void cli_field(FILE *out, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	char *c = text_sanitize(value);
	fprintf(out, "%-13s %s\n", label, c);
	free(c);
}

/* The columns a row is printed from without a copy (no table has more). */
#define TABLE_COLS_MAX 32

static const char *cell_at(const struct table *t, size_t r, int c)
{
	return t->cells[r * (size_t)t->ncols + (size_t)c];
}

/* One line of the aligned table: each shown column padded to its width,
 * numbers to the right and never cut; the last column is not padded, nor
 * cut. A later row's cell wider than its column (the widths are fixed
 * by the rows held before the first line) ends in an ellipsis. */
static void table_line(const struct table *t, const char *const *cells, bool heading,
                       struct buf *line)
{
	buf_reset(line);
	buf_add(line, "");
	bool first = true;
	for (int c = 0; c < t->ncols; c++) {
		if (!t->cols[c].table)
			continue;
		const char *v = heading ? t->cols[c].heading : cells[c];
		if (!first)
			buf_add(line, "  ");
		first = false;
		if (t->cols[c].number && !heading) {
			for (int pad = t->width[c] - text_width(v); pad > 0; pad--)
				buf_addc(line, ' ');
			buf_add(line, v);
		} else if (c == t->last) {
			buf_add(line, v);
		} else {
			text_fit(line, v, t->width[c], true);
		}
	}
}

/* A cell as it may reach a terminal: itself when it is clean (most are),
 * else a sanitized copy in *copy (the caller frees *copy). */
static const char *clean_cell(const char *v, char **copy)
{
	*copy = NULL;
	if (text_is_clean(v))
		return v;
	return *copy = text_sanitize(v);
}

/* One CSV line: the cells, or the column names when cells is NULL (the
 * header, not counted as printed), cleaned of control characters. */
static void print_csv(struct table *t, const char *const *cells)
{
	buf_reset(&t->line);
	for (int c = 0; c < t->ncols; c++) {
		char *copy;
		if (c)
			buf_addc(&t->line, ',');
		csv_field_into(&t->line, cells ? clean_cell(cells[c], &copy) : t->cols[c].name, ',');
		if (cells)
			free(copy);
	}
	buf_add(&t->line, "\r\n");
	fputs(t->line.s, t->out);
}

/* The table's start: the widths of the aligned table (from the rows held
 * so far and the headings: fixed from then on), the TSV header line, the
 * JSON array's opening bracket. */
static void print_start(struct table *t)
{
	t->started = true;
	if (t->fmt == FMT_JSON) {
		fputs("[", t->out);
		return;
	}
	if (t->fmt == FMT_TSV) {
		for (int c = 0; c < t->ncols; c++)
			fprintf(t->out, "%s%s", c ? "\t" : "", t->cols[c].name);
		fputc('\n', t->out);
		return;
	}
	if (t->fmt == FMT_CSV) {
		print_csv(t, NULL);
		return;
	}
	t->width = xcalloc((size_t)t->ncols + 1, sizeof *t->width);
	t->last = -1;
	for (int c = 0; c < t->ncols; c++) {
		if (!t->cols[c].table)
			continue;
		t->last = c;
		t->width[c] = text_width(t->cols[c].heading);
		for (size_t r = 0; r < t->nrows; r++) {
			char *copy = NULL;
			int w = text_width(clean_cell(cell_at(t, r, c), &copy));
			if (w > t->width[c])
				t->width[c] = w;
			free(copy);
		}
	}
	table_line(t, NULL, true, &t->line);
	fprintf(t->out, "%s\n", t->line.s ? t->line.s : "");
}

/* One row in the table's format. */
static void print_one(struct table *t, const char *const *cells)
{
	if (t->fmt == FMT_CSV) {
		print_csv(t, cells);
	} else if (t->fmt == FMT_JSON) {
		/* an array of objects, numbers bare (null when empty), strings
		 * valid UTF-8 with every control character escaped */
		fputs(t->printed ? ",\n {" : "\n {", t->out);
		for (int c = 0; c < t->ncols; c++) {
			const char *v = cells[c];
			fprintf(t->out, "%s\"%s\": ", c ? ", " : "", t->cols[c].name);
			if (t->cols[c].number) {
				fputs(*v ? v : "null", t->out);
			} else {
				buf_reset(&t->line);
				text_json_into(&t->line, v);
				fputs(t->line.s, t->out);
			}
		}
		fputs("}", t->out);
	} else if (t->fmt == FMT_TSV) {
		for (int c = 0; c < t->ncols; c++) {
			char *copy;
			if (c)
				fputc('\t', t->out);
			fputs(clean_cell(cells[c], &copy), t->out);
			free(copy);
		}
		fputc('\n', t->out);
	} else {
		/* copies only of the cells that need cleaning */
		const char *on_stack[TABLE_COLS_MAX] = {0}, **clean = on_stack;
		char *copies[TABLE_COLS_MAX] = {0}, **copy = copies;
		if (t->ncols > TABLE_COLS_MAX) {
			clean = xcalloc((size_t)t->ncols, sizeof *clean);
			copy = xcalloc((size_t)t->ncols, sizeof *copy);
		}
		for (int c = 0; c < t->ncols; c++) {
			copy[c] = NULL;
			clean[c] = t->cols[c].table ? clean_cell(cells[c], &copy[c]) : "";
		}
		table_line(t, clean, false, &t->line);
		fputs(t->line.s ? t->line.s : "", t->out);
		fputc('\n', t->out);
		for (int c = 0; c < t->ncols; c++)
			free(copy[c]);
		if (clean != on_stack) {
			free(clean);
			free(copy);
		}
	}
	t->printed++;
}

/* Print the rows held, and let them go. */
static void print_held(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		print_one(t, (const char *const *)t->cells + r * (size_t)t->ncols);
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	t->nrows = 0;
}

void table_stream(struct table *t, enum fmt f, FILE *out)
{
	t->fmt = f;
	t->out = out;
	t->stream = true;
}

void table_row(struct table *t, ...)
{
	va_list ap;
	va_start(ap, t);
	if (t->stream && t->started && !t->nrows && t->ncols <= TABLE_COLS_MAX) {
		/* streaming: printed from the caller's cells, nothing copied */
		const char *cells[TABLE_COLS_MAX] = {0};
		for (int i = 0; i < t->ncols; i++) {
			const char *v = va_arg(ap, const char *);
			cells[i] = v ? v : "";
		}
		va_end(ap);
		t->rows++;
		print_one(t, cells);
		return;
	}
	void *p = t->cells;
	xgrow(&p, &t->cap, (t->nrows + 1) * (size_t)t->ncols, sizeof *t->cells);
	t->cells = p;
	for (int i = 0; i < t->ncols; i++) {
		const char *v = va_arg(ap, const char *);
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = xstrdup(v ? v : "");
	}
	t->nrows++;
	t->rows++;
	va_end(ap);
	if (!t->stream || (!t->started && t->nrows < TABLE_HOLD))
		return;
	if (!t->started) {
		print_start(t);
		print_held(t);
		fflush(t->out);   /* the first lines now, not when a buffer fills */
	} else {
		print_held(t);
	}
}

void table_print(struct table *t, enum fmt f, FILE *out)
{
	if (!t->stream)
		t->fmt = f, t->out = out;
	if (!t->started)
		print_start(t);
	print_held(t);
	if (t->fmt == FMT_JSON)
		fputs(t->printed ? "\n]\n" : "]\n", t->out);
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->width);
	buf_free(&t->line);
	t->cells = NULL;
	t->width = NULL;
	t->nrows = t->cap = 0;
}

/* The account's name from the password database ($USER can be set to
 * anything), or its number. */
static char *login_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return xstrdup(pw->pw_name);
	return xasprintf("uid %ld", (long)getuid());
}

/* Who acts: the coordinator named in the config, else the login name.
 * --user NAME acts as NAME, and the audit records it as an override by
 * that identity: "NAME (override by IDENTITY)". */
static void set_user(struct app *app)
{
	bool configured = app->cfg.coordinator && *app->cfg.coordinator;
	char *self = configured ? xstrdup(app->cfg.coordinator) : login_name();
	const char *u = app->user_arg;
	app->user_from = u && *u ? CFG_OPTION : configured ? CFG_FILE : CFG_SYSTEM;
	if (u && *u && strcmp(u, self) != 0) {
		app->user = xstrdup(u);
		app->who = xasprintf("%s (override by %s)", u, self);
		free(self);
	} else {
		app->user = self;
		app->who = xstrdup(self);
	}
}

/* Global options come before the command word. */
static int global_opts(struct app *app, int argc, char **argv, int *first)
{
	int i = 1;
	const char *const env_db = getenv("CASELOAD_DB"), *const env_today = getenv("CASELOAD_TODAY");
	const char *db = env_db;
	app->today_arg = env_today;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout, app->prog);
			return 1;
		}
		if (!strcmp(a, "--version")) {
			printf("caseload %s (schema %d)\n", CASELOAD_VERSION, store_schema_version());
			return 1;
		}
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		if (!strncmp(a, "--db", len) && len == 4)
			slot = &db;
		else if (!strncmp(a, "--today", len) && len == 7)
			slot = &app->today_arg;
		else if (!strncmp(a, "--user", len) && len == 6)
			slot = &app->user_arg;
		else if (!strncmp(a, "--config", len) && len == 8)
			slot = &app->config_path;
		else
			return app_usage(app, "unknown option %s (global options: --db, --today, "
			                      "--user, --config, --help, --version)", TEXT_ARG(a));
		if (eq)
			*slot = eq + 1;
		else if (i + 1 < argc)
			*slot = argv[++i];
		else
			return app_usage(app, "option %s needs a value", TEXT_ARG(a));
	}
	*first = i;
	if (app->user_arg && text_check_input(app->user_arg, false, "--user", &app->err) < 0)
		return ERR_USAGE;
	/* none: the config's database: or the default (setup) */
	app->db_path = db && *db ? xstrdup(db) : NULL;
	/* an option's value is another pointer than the variable's */
	app->db_from = !db || !*db ? CFG_DEFAULT : db == env_db ? CFG_ENV : CFG_OPTION;
	const char *td = app->today_arg;
	app->today_from = !td || !*td ? CFG_SYSTEM : td == env_today ? CFG_ENV : CFG_OPTION;
	app->config_from = app->config_path ? CFG_OPTION : CFG_DEFAULT;
	return 0;
}

static int setup(struct app *app)
{
	if (config_load(&app->cfg, app->config_path, &app->err) < 0)
		return app->err.code ? app->err.code : ERR_FAIL;
	/* the database: --db, CASELOAD_DB, the config's database:, the default */
	if (!app->db_path && app->cfg.database) {
		app->db_path = xstrdup(app->cfg.database);
		app->db_from = CFG_FILE;
	} else if (!app->db_path) {
		app->db_path = store_default_path();
	}
	set_user(app);
	app->zone = config_zone(&app->cfg);
	if (tz_today(app->today_arg, app->zone, &app->today, &app->err) < 0)
		return ERR_USAGE;
	app->now = (long long)time(NULL);
	if (app->today_arg && *app->today_arg) {
		/* a pinned day keeps the clock's time of day, to the second (the
		 * screen's clock moves on from it, and a contact it logs must not
		 * fall after the next command's "now") */
		int day, minutes;
		long long seconds = app->now % 60;
		if (tz_utc_to_local(app->zone, app->now, &day, &minutes, &app->err) < 0 ||
		    tz_local_to_utc(app->zone, app->today, minutes, &app->now, &app->err) < 0)
			return ERR_FAIL;
		app->now += seconds;
	}
	return 0;
}

static int dispatch(struct app *app, int argc, char **argv)
{
	if (argc == 0) {
		app->cmd = NULL;
		/* On a terminal (or replaying a key script): the workstation. */
		if ((isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) || getenv("CASELOAD_KEYS_REPLAY"))
			return cmd_screen(app, 0, argv);
		return cmd_summary(app, 0, argv);
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout, app->prog);
		return 0;
	}
	bool group_known = false;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		const struct command *c = &commands[i];
		if (strcmp(c->group, argv[0]) != 0)
			continue;
		group_known = true;
		if (!c->verb) {
			app->cmd = c->group;
			return c->fn(app, argc, argv);
		}
		if (argc > 1 && !strcmp(c->verb, argv[1])) {
			static char cmd[64];
			snprintf(cmd, sizeof cmd, "%s %s", c->group, c->verb);
			app->cmd = cmd;
			return c->fn(app, argc - 1, argv + 1);
		}
	}
	if (group_known) {
		struct buf verbs = {0};
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (!strcmp(commands[i].group, argv[0]))
				buf_addf(&verbs, "%s%s", verbs.len ? ", " : "", commands[i].verb);
		app_usage(app, "%s: %s %s; use one of: %s", argv[0],
		          argc > 1 ? "unknown action" : "missing action", TEXT_ARG(argc > 1 ? argv[1] : ""),
		          verbs.s);
		buf_free(&verbs);
		return ERR_USAGE;
	}
	return app_usage(app, "unknown command %s (see 'caseload --help')", TEXT_ARG(argv[0]));
}

int cli_main(int argc, char **argv)
{
	struct app app = {.prog = "caseload", .out = stdout};
	text_init_locale();
	int first = 0;
	int rc = global_opts(&app, argc, argv, &first);
	if (rc == 1) {
		rc = 0;
		goto done;
	}
	if (rc == 0)
		rc = setup(&app);
	if (rc == 0)
		rc = dispatch(&app, argc - first, argv + first);
	if (rc < 0) {
		if (!app.err.code)
			app.err.code = rc;
		rc = app_fail(&app);
	}
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "caseload: cannot write the output\n");
		rc = EXIT_FAIL;
	}
done:
	store_close(&app.store);
	config_free(&app.cfg);
	free(app.db_path);
	free(app.user);
	free(app.who);
	tz_shutdown();
	return rc;
}
