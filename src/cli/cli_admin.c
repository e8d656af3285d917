/* cli_admin: the database as a whole: init, demo, check, backup, db copy, audit. */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/cli.h"
#include "caseload/dbcopy.h"
#include "caseload/demo.h"
#include "caseload/ical.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/zone.h"

int cmd_init(struct app *app, int argc, char **argv)
{
	const char *schema = NULL;
	const struct opt opts[] = {{"schema", &schema, NULL}, {0}};
	long v = 0;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (schema && (rc = cli_int(app, schema, "--schema", 1, store_schema_version(), &v)) < 0))
		return rc;
	/* an older schema is for trying a migration: later commands migrate it */
	struct store_opts so = {.user = app->who, .user_typed = app->user_from == CFG_OPTION,
	                        .migrate_to = (int)v};
	if (v ? store_open(&app->store, app->db_path, &so, &app->err) < 0 : !app_store(app))
		return ERR_FAIL;
	fprintf(app->out, "%s: schema %d\n", store_path(app->store), store_version(app->store));
	return 0;
}

int cmd_demo(struct app *app, int argc, char **argv)
{
	const char *patients = NULL, *seed = NULL;
	const struct opt opts[] = {{"patients", &patients, NULL}, {"seed", &seed, NULL}, {0}};
	long n = 60, sd = 1;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (patients && (rc = cli_int(app, patients, "--patients", 1, 1000000, &n)) < 0) ||
	    (seed && (rc = cli_int(app, seed, "--seed", 0, 2147483647L, &sd)) < 0))
		return rc;
	struct demo_opts o = {.patients = (int)n, .seed = (unsigned long long)sd,
	                      .today = app->today, .now = app->now, .zone = app->zone};
	struct demo_counts c;
	if (!app_store(app) || demo_fill(app->store, &o, &c, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%s: %lld patients, %lld contacts, %lld appointments, %lld tasks, "
	        "%lld medications, %lld timeline entries; visits in clinic hours in %s\n",
	        store_path(app->store), c.patients, c.contacts, c.appointments, c.tasks,
	        c.medications, c.entries, app->zone);
	return 0;
}

static const struct column config_cols[] = {
	{"setting", "Setting", false, true}, {"value", "Value", false, true},
	{"source", "Source", false, true}, {"origin", "Origin", false, true},
};

/* What an option or a variable set: its name. */
static const char *named(enum config_source src, const char *option, const char *env)
{
	return src == CFG_OPTION ? option : src == CFG_ENV ? env : NULL;
}

int cmd_config(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = {{"format", &format, NULL}, {0}};
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0)
		return rc;
	struct config_settings l = {0};
	char *file = cli_config_file(app), today[DATE_STRLEN];
	config_settings_add(&l, "config", file, app->config_from,
	                    app->cfg.path ? named(app->config_from, "--config", NULL) : "not found");
	config_settings_add(&l, "database", app->db_path, app->db_from,
	                    app->db_from == CFG_FILE ? app->cfg.path
	                                             : named(app->db_from, "--db", "CASELOAD_DB"));
	config_settings_add(&l, "user", app->user, app->user_from,
	                    app->user_from == CFG_OPTION ? "--user (recorded as an override)"
	                    : app->user_from == CFG_FILE ? "coordinator" : "login name");
	config_settings_add(&l, "today", date_format(app->today, today), app->today_from,
	                    app->today_from == CFG_SYSTEM ? "the clock"
	                    : named(app->today_from, "--today", "CASELOAD_TODAY"));
	free(file);
	config_settings(&app->cfg, app->user, &l);
	struct table t = TABLE_OF(config_cols);
	for (size_t i = 0; i < l.len; i++)
		table_row(&t, l.items[i].key, l.items[i].value, config_source_name(l.items[i].source),
		          l.items[i].origin);
	table_print(&t, f, app->out);
	table_free(&t);
	config_settings_free(&l);
	return 0;
}

char *cli_demo_zone(struct app *app, bool only_other)
{
	char *zone = NULL;
	struct err e = {0};
	if (zone_of_demo(app->store, &zone, &e) < 0 || !zone)
		return NULL;
	char *clean = text_sanitize(zone), *word = NULL;
	if (strcmp(zone, app->zone) != 0)
		word = xasprintf("the demo was made in %s, but times now show in %s: the next "
		                 "command that opens it moves its visits to clinic hours in %s",
		                 clean, app->zone, app->zone);
	else if (!only_other)
		word = xasprintf("the demo was made in %s", clean);
	free(clean);
	free(zone);
	return word;
}

int cmd_check(struct app *app, int argc, char **argv)
{
	int rc = cli_opts(app, argc, argv, NULL, NULL, 0, NULL);
	if (rc < 0)
		return rc;
	struct store_opts so = {.user = app->who, .user_typed = app->user_from == CFG_OPTION,
	                        .no_create = true};
	if (store_open(&app->store, app->db_path, &so, &app->err) < 0)
		return ERR_FAIL;
	struct check_report r;
	if (check_run(app->store, &r, &app->err) < 0) {
		check_report_free(&r);
		return ERR_FAIL;
	}
	FILE *o = app->out;
	for (size_t i = 0; i < r.integrity.len; i++)
		fprintf(o, "problem: %s\n", r.integrity.items[i]);
	for (size_t i = 0; i < r.schema.len; i++)
		fprintf(o, "problem: schema: %s\n", r.schema.items[i]);
	if (r.chain.kind)
		fprintf(o, "problem: audit: %s\n", r.chain.what);
	if (r.no_review_row)
		fprintf(o, "problem: %lld patient%s had no kept review row (missing from every "
		        "review)\n", r.no_review_row, r.no_review_row == 1 ? "" : "s");
	for (size_t i = 0; i < r.repaired.len; i++)
		fprintf(o, "repaired: %s\n", r.repaired.items[i]);
	if (r.repaired.len)
		fprintf(o, "repaired: recorded in the audit as \"repair\"\n");
	if (r.still)
		fprintf(o, "problem: still refusing writes (restore from a backup): %s\n", r.still);
	/* an import a killed process left: finished when it had read its
	 * file, else its staged rows dropped */
	struct ical_recovery rec = {0};
	if (!r.still && !r.integrity.len &&
	    ical_import_recover(app->store, &rec, NULL, &app->err) < 0) {
		/* the database is intact; what was staged waits (a full disk) */
		fprintf(o, "import: a stopped import could not be settled now: %s\n", app->err.msg);
		err_clear(&app->err);
	}
	if (rec.finished)
		fprintf(o, "import: finished %d import%s that had read its file when it stopped\n",
		        rec.finished, rec.finished == 1 ? "" : "s");
	if (rec.dropped)
		fprintf(o, "import: dropped %d import%s stopped while reading its file (nothing of it "
		        "was stored)\n", rec.dropped, rec.dropped == 1 ? "" : "s");
	if (rec.busy_run)
		fprintf(o, "import: one is running now (run %lld)\n", rec.busy_run);
	char chain[64] = "";
	size_t n = check_problems(&r);
	if (!n && r.chain_checked)
		snprintf(chain, sizeof chain, ", audit chain of %lld rows verified", r.chain.rows);
	fprintf(o, "%s: schema %d (this caseload writes %d), %lld active patients, %s%s\n",
	        store_path(app->store), store_version(app->store), store_schema_version(), r.patients,
	        n ? "PROBLEMS FOUND" : "integrity ok", chain);
	char *demo = cli_demo_zone(app, false);
	if (demo)
		fprintf(o, "%s\n", demo);
	free(demo);
	rc = n ? err_set(&app->err, ERR_FAIL, "%zu problem%s found%s", n, n == 1 ? "" : "s",
	                 r.still || r.integrity.len ? "; restore from a backup" : "") : 0;
	check_report_free(&r);
	return rc;
}

int cmd_backup(struct app *app, int argc, char **argv)
{
	const char *pos[1];
	bool force = false;
	const struct opt opts[] = {{"force", NULL, &force}, {0}};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "where to? (backup FILE)");
	struct store_opts so = {.user = app->who, .user_typed = app->user_from == CFG_OPTION,
	                        .no_create = true};
	if (store_open(&app->store, app->db_path, &so, &app->err) < 0)
		return ERR_FAIL;
	if (store_backup(app->store, pos[0], force, &app->err) < 0)
		return cli_file_failed(app, pos[0]);
	fprintf(app->out, "%s\n", pos[0]);
	return 0;
}

int cmd_db_copy(struct app *app, int argc, char **argv)
{
	const char *pos[2];
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, NULL, pos, 2, &np)) < 0)
		return rc;
	if (np != 2)
		return app_usage(app, "copy what where? (db copy SRC DST)");
	struct db_copy_report r;
	if (db_copy(pos[0], pos[1], app->who, &r, &app->err) < 0)
		return ERR_FAIL;
	char *src = text_sanitize(r.src_name), *dst = text_sanitize(r.dst_name);
	for (size_t i = 0; i < r.n_tables; i++)
		fprintf(app->out, "%-16s %10lld\n", r.tables[i].name, r.tables[i].rows);
	fprintf(app->out, "%s: %s%zu tables, %lld rows copied from %s, each table's count "
	        "checked; audit chain of %lld rows verified\n", dst, r.created ? "created, " : "",
	        r.n_tables, r.rows, src, r.chain);
	free(src);
	free(dst);
	return 0;
}

static const struct column audit_cols[] = {
	{"id", "ID", true, true}, {"at", "When", false, true}, {"who", "Who", false, true},
	{"action", "Action", false, true}, {"table", "Table", false, true},
	{"row_id", "Row", true, true}, {"detail", "Detail", false, true},
};

struct audit_listing {
	struct app *app;
	struct table t;
	enum fmt f;
};

static int audit_row(void *listing, struct audit_row *r)
{
	struct audit_listing *a = listing;
	char id[24], when[40], row[24];
	table_row(&a->t, fmt_int(r->id, id, sizeof id),
	          fmt_instant(a->app, r->at, false, a->f, when, sizeof when), r->who, r->action,
	          r->tbl, fmt_int(r->row_id, row, sizeof row), r->detail);
	return 0;
}

int cmd_audit(struct app *app, int argc, char **argv)
{
	const char *limit = NULL, *format = NULL, *table = NULL, *row = NULL, *patient = NULL;
	const struct opt opts[] = {{"limit", &limit, NULL}, {"format", &format, NULL},
	                           {"table", &table, NULL}, {"row", &row, NULL},
	                           {"patient", &patient, NULL}, {0}};
	long n = 50;
	long long rid = 0, pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (limit && (rc = cli_int(app, limit, "--limit", 1, 1000000, &n)) < 0) ||
	    (row && (rc = cli_id(app, row, "row", &rid)) < 0) ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	if (patient && (table || row))
		return app_usage(app, "--patient lists every table's rows of the patient: leave out "
		                      "--table and --row");
	struct audit_listing a = {app, TABLE_OF(audit_cols), f};
	table_stream(&a.t, f, app->out);
	if (!app_store(app) ||
	    (pid ? store_audit_patient_each(app->store, pid, (int)n, audit_row, &a, &app->err)
	         : store_audit_each(app->store, table, rid, (int)n, audit_row, &a, &app->err)) < 0) {
		table_free(&a.t);   /* what was held: a failure prints no end */
		return ERR_FAIL;
	}
	table_print(&a.t, f, app->out);
	table_free(&a.t);
	return 0;
}

int cmd_audit_verify(struct app *app, int argc, char **argv)
{
	int rc = cli_opts(app, argc, argv, NULL, NULL, 0, NULL);
	if (rc < 0)
		return rc;
	struct store_opts so = {.user = app->who, .user_typed = app->user_from == CFG_OPTION,
	                        .no_create = true};
	struct audit_verify v;
	if (store_open(&app->store, app->db_path, &so, &app->err) < 0 ||
	    store_audit_verify(app->store, &v, &app->err) < 0)
		return ERR_FAIL;
	if (v.kind) {
		fprintf(app->out, "audit chain broken at row %lld (%s): %s\n", v.bad_id, v.kind, v.what);
		return err_set(&app->err, ERR_FAIL, "the audit trail was changed outside caseload "
		               "(the %lld rows before that verify)", v.rows);
	}
	fprintf(app->out, "audit chain ok: %lld rows\n", v.rows);
	return 0;
}
