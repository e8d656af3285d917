/* cli: the command line front end.  `struct app` carries what every
 * command needs (the open store, today, the zone, the config); helpers
 * parse options, friendly dates and ids, and print listings as an
 * aligned table, TSV or JSON.  Only main() and the dispatcher exit. */
#ifndef CASELOAD_CLI_H
#define CASELOAD_CLI_H
#include <stdbool.h>
#include <stdio.h>
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/util.h"

struct store;

struct app {
	const char *prog;          /* "caseload" */
	const char *cmd;           /* "patient add", for messages */
	char *db_path;
	const char *user_arg;      /* --user NAME: act as NAME (an override) */
	char *user;                /* who acts: --user, the config's coordinator,
	                              else the login name */
	char *who;                 /* for the audit: user, with "(override by
	                              IDENTITY)" when --user named another */
	const char *config_path;
	const char *today_arg;     /* --today or CASELOAD_TODAY */
	int today;                 /* civil date */
	long long now;             /* UTC instant: today at the current time of day */
	struct config cfg;
	const char *zone;          /* where times are shown and entered */
	struct store *store;       /* opened by app_store() */
	FILE *out;
	struct err err;
	/* where the global settings came from (caseload config) */
	enum config_source db_from, user_from, today_from, config_from;
	bool machine;              /* output for programs (--format tsv/json) */
	bool defer_notice;         /* the screen shows the notice itself */
	char notice[640];          /* the zone notice given by app_store, or "" */
};

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cli_main(int argc, char **argv);
/* The store, opened on first use (creating the file); NULL with app->err
 * set.  When the zone is the system's and the database has not said so
 * for it, it says so once: on stderr, or into app->notice for the screen
 * (defer_notice); never for --format tsv or json. */
struct store *app_store(struct app *app);
/* The config file read, or the one that would be (caller frees). */
char *cli_config_file(const struct app *app);
/* The zone the database's demo was made in, as a line for people: "the
 * demo was made in ZONE", or, when times now show in another zone, a
 * warning that its visits fall outside clinic hours.  NULL when there is
 * no demo (or only_other and the zone is the same); caller frees. */
char *cli_demo_zone(struct app *app, bool only_other);
/* Print app->err as "caseload: ..." and give the exit status for it. */
int app_fail(struct app *app);
/* A usage error: message, then 2. */
int app_usage(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Options of one subcommand.  For an option taking a value, `val` gets
 * it (the last one wins); for a flag, `flag` is set.  Every value must be
 * valid UTF-8 without control characters (text_check_input); the values
 * of --text, --notes and --note may hold newlines and tabs. */
struct opt {
	const char *name;
	const char **val;
	bool *flag;
};
/* Parse argv (argv[0] is the subcommand's name); positional arguments
 * are collected in pos (at most max_pos).  Returns 0 or a usage error. */
int cli_opts(struct app *app, int argc, char **argv, const struct opt *opts,
             const char **pos, int max_pos, int *n_pos);
/* cli_opts for a command that writes a file: -o FILE is --output FILE
 * (opts names "output"); no positional arguments. */
int cli_opts_o(struct app *app, int argc, char **argv, const struct opt *opts);
/* After a write of `path` failed: a file that was there already is
 * replaced only with --force, and the message says so.  Returns the
 * error's code. */
int cli_file_failed(struct app *app, const char *path);
/* Require an option: usage error naming it when NULL. */
int cli_need(struct app *app, const char *val, const char *name);
int cli_id(struct app *app, const char *s, const char *what, long long *id);
/* A command's one positional id (usage error without exactly one) and its
 * options; *id is 0 unless it returns 0. */
int cli_one_id(struct app *app, int argc, char **argv, const struct opt *opts, const char *what,
               long long *id);
int cli_int(struct app *app, const char *s, const char *what, long min, long max, long *out);
int cli_date(struct app *app, const char *s, const char *what, int *day);
/* Check a code against a value set. */
struct codeset;
int cli_code(struct app *app, const struct codeset *set, const char *v, const char *what);
/* A local "DATE HH:MM" in app->zone (or `zone`) to a UTC instant; a date
 * alone is taken at `default_minutes` (or -1 to require the time). */
int cli_when(struct app *app, const char *s, const char *zone, int default_minutes,
             long long *utc, bool *date_only);

/* Listings. */
/* FMT_CSV: RFC 4180 (CRLF line ends, fields quoted when they must be) */
enum fmt { FMT_TABLE, FMT_TSV, FMT_JSON, FMT_CSV };
int cli_format(struct app *app, const char *s, enum fmt *f);

struct column {
	const char *name;          /* TSV/JSON key */
	const char *heading;       /* table heading */
	bool number;               /* JSON number (empty: null) */
	bool table;                /* shown in the table format */
};
struct table {
	const struct column *cols;
	int ncols;
	char **cells;              /* row-major, owned: the rows not printed yet */
	size_t nrows, cap;
	size_t rows;               /* every row added */
	/* how it prints (set by table_stream or table_print) */
	FILE *out;
	enum fmt fmt;
	bool stream, started;
	size_t printed;
	int *width, last;          /* the aligned table's widths, once started */
	struct buf line;
};
#define TABLE_OF(c) {(c), (int)(sizeof(c) / sizeof(c)[0]), NULL, 0, 0, 0, NULL, FMT_TABLE, \
                     false, false, 0, NULL, 0, {0}}
/* A streamed listing holds its first TABLE_HOLD rows: a listing no
 * longer than that prints all or nothing, and the aligned table takes its
 * column widths from them. */
#define TABLE_HOLD 200
/* Add a row: exactly ncols strings (NULL for empty), copied. On a
 * streamed table, printed once TABLE_HOLD rows have come. */
void table_row(struct table *t, ...);
/* Print the rows as they are added (after the first TABLE_HOLD), in f. */
void table_stream(struct table *t, enum fmt f, FILE *out);
/* Print the rows not printed yet and the end (JSON's closing bracket);
 * a streamed table prints in the format given to table_stream. A
 * listing that fails is freed without it: its JSON stays unclosed. */
void table_print(struct table *t, enum fmt f, FILE *out);
void table_free(struct table *t);

/* A "Label:  value" line of a detail view, the value cleaned of control
 * characters; nothing for an empty value. */
void cli_field(FILE *out, const char *label, const char *value);

/* Times for listings: ISO UTC for programs, local for people. */
char *fmt_instant(struct app *app, long long utc, bool all_day, enum fmt f, char *out, size_t n);
char *fmt_int(long long v, char *out, size_t n);     /* "" for 0 */

/* Commands, one function each (argv[0] is the command word). */
typedef int cli_fn(struct app *app, int argc, char **argv);
cli_fn cmd_init, cmd_demo, cmd_check, cmd_backup, cmd_db_copy, cmd_audit, cmd_audit_verify,
       cmd_config;
cli_fn cmd_patient_add, cmd_patient_list, cmd_patient_show, cmd_patient_edit;
cli_fn cmd_contact_add, cmd_contact_edit, cmd_contact_show, cmd_contact_list, cmd_team_add;
cli_fn cmd_med_add, cmd_med_list, cmd_med_edit;
cli_fn cmd_condition_add, cmd_condition_list, cmd_condition_edit;
cli_fn cmd_appt_add, cmd_appt_list, cmd_appt_edit, cmd_appt_cancel, cmd_appt_assign;
cli_fn cmd_task_add, cmd_task_list, cmd_task_done, cmd_task_snooze, cmd_task_cancel;
cli_fn cmd_team_list, cmd_team_out, cmd_team_workload, cmd_patient_assign;
cli_fn cmd_task_assign, cmd_task_take, cmd_task_edit;
cli_fn cmd_consent_add, cmd_consent_withdraw, cmd_consent_list;
cli_fn cmd_program_enroll, cmd_program_end, cmd_program_list;
cli_fn cmd_note_add, cmd_discharge, cmd_time_log, cmd_agenda, cmd_summary;
cli_fn cmd_screen, cmd_keys, cmd_undo;
cli_fn cmd_billing, cmd_rules_check, cmd_tcm_list, cmd_tcm_set;
cli_fn cmd_apcm_check;
/* import --undo RUN and import --list (cli_undo.c) */
int cli_import_undo(struct app *app, const char *run);
int cli_import_list(struct app *app, const char *limit, const char *format);
cli_fn cmd_passphrase_set, cmd_passphrase_status, cmd_passphrase_clear;
cli_fn cmd_calls;
cli_fn cmd_review, cmd_review_mark, cmd_review_ack, cmd_review_transport;
cli_fn cmd_template_list, cmd_template_show, cmd_template_check, cmd_template_apply;
cli_fn cmd_plan_list, cmd_plan_show, cmd_plan_close;
cli_fn cmd_import_adt, cmd_adt_list, cmd_adt_match, cmd_adt_drop;
/* export fhir (cli_fhir.c) */
cli_fn cmd_export_fhir;
cli_fn cmd_import, cmd_export, cmd_import_roster, cmd_handout;
/* The appointments of [day, day + days) as an iCalendar file: on app->out,
 * or written to `output` (replacing a file only with `force`). */
int cli_agenda_ics(struct app *app, long long patient_id, int day, int days,
                   const char *output, bool force);

#endif
