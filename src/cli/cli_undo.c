/* cli_undo: `undo` (the latest change, a given one, the list of them) and
 * `import --undo RUN` / `import --list`. */
#include <stdlib.h>
#include <string.h>

#include "caseload/cli.h"
#include "caseload/store.h"
#include "caseload/undo.h"

#define UNDO_LIST_DEFAULT 20

static const struct column group_cols[] = {
	{"id", "Id", true, true}, {"at", "When", false, true}, {"who", "Who", false, true},
	{"what", "What", false, true}, {"patient_id", "Patient", true, true},
	{"run_id", "Run", true, true}, {"rows", "Rows", true, true},
	{"undone", "Undone", false, true},
};

static int list_groups(struct app *app, bool runs, const char *limit, const char *format)
{
	struct undo_group_list l = {0};
	long n = UNDO_LIST_DEFAULT;
	enum fmt f;
	int rc;
	if ((rc = cli_format(app, format, &f)) < 0 ||
	    (limit && (rc = cli_int(app, limit, "--limit", 1, 100000, &n)) < 0))
		return rc;
	if (!app_store(app) ||
	    store_undo_list(app->store, store_user(app->store), runs, (int)n, &l, &app->err) < 0) {
		undo_group_list_free(&l);
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(group_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct undo_group *g = &l.items[i];
		char at[64], undone[128], id[24], pid[24], run[24], rows[24];
		fmt_instant(app, g->at, false, f, at, sizeof at);
		undone[0] = '\0';
		if (g->undone_at) {
			char when[64];
			fmt_instant(app, g->undone_at, false, f, when, sizeof when);
			snprintf(undone, sizeof undone, "%s by %s", when, g->undone_by ? g->undone_by : "?");
		}
		snprintf(rows, sizeof rows, "%lld", g->rows);
		table_row(&t, fmt_int(g->id, id, sizeof id), at, g->who, g->what,
		          fmt_int(g->patient_id, pid, sizeof pid), fmt_int(g->run_id, run, sizeof run),
		          rows, undone);
	}
	table_print(&t, f, app->out);
	table_free(&t);
	undo_group_list_free(&l);
	return 0;
}

static void undone(struct app *app, const struct undo_group *g)
{
	fprintf(app->out, "undone: %s (change %lld, %lld row%s)\n", g->what, g->id, g->rows,
	        g->rows == 1 ? "" : "s");
}

/* undo [ID] | undo --list [--limit N] [--format F] */
int cmd_undo(struct app *app, int argc, char **argv)
{
	const char *limit = NULL, *format = NULL, *pos[1];
	bool list = false;
	const struct opt opts[] = {{"list", NULL, &list}, {"limit", &limit, NULL},
	                           {"format", &format, NULL}, {0}};
	int np, rc;
	long long id = 0;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (list) {
		if (np)
			return app_usage(app, "undo --list lists your changes: leave out the id");
		return list_groups(app, false, limit, format);
	}
	if (limit || format)
		return app_usage(app, "--limit and --format go with --list");
	if (np && (rc = cli_id(app, pos[0], "change", &id)) < 0)
		return rc;
	struct undo_group g = {0};
	if (!app_store(app) ||
	    (id ? undo_change(app->store, id, &g, NULL, &app->err)
	        : undo_last(app->store, &g, NULL, &app->err)) < 0) {
		undo_group_clear(&g);
		return ERR_FAIL;
	}
	undone(app, &g);
	undo_group_clear(&g);
	return 0;
}

int cli_import_undo(struct app *app, const char *run)
{
	long long id;
	int rc = cli_id(app, run, "import run", &id);
	if (rc < 0)
		return rc;
	struct undo_group g = {0};
	if (!app_store(app) || undo_import(app->store, id, &g, NULL, &app->err) < 0) {
		undo_group_clear(&g);
		return ERR_FAIL;
	}
	undone(app, &g);
	undo_group_clear(&g);
	return 0;
}

int cli_import_list(struct app *app, const char *limit, const char *format)
{
	return list_groups(app, true, limit, format);
}
