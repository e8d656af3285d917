/* cli_roster: `import roster FILE`, a health plan's member list in. */
#include <stdlib.h>
#include <string.h>

#include "caseload/cli.h"
#include "caseload/roster.h"
#include "caseload/text.h"

/* Each problem of the first reading, on stderr as the final error is. */
static void show_problem(void *ctx, const struct err *e)
{
	struct app *app = ctx;
	char text[sizeof e->msg + sizeof e->file + 32];
	char *clean = text_sanitize(err_text(e, text, sizeof text));
	fprintf(stderr, "%s: %s\n", app->prog, clean);
	free(clean);
}

/* A dry run lists what it would do, a line a patient. */
static void show_change(void *ctx, int line, long long id, bool added, const char *fields)
{
	struct app *app = ctx;
	if (added)
		fprintf(app->out, "line %d: would add a patient\n", line);
	else
		fprintf(app->out, "line %d: would update patient %lld: %s\n", line, id, fields);
}

int cmd_import_roster(struct app *app, int argc, char **argv)
{
	const char *map = NULL, *coordinator = NULL, *pos[1];
	bool dry_run = false, tsv = false, csv = false;
	const struct opt opts[] = {{"map", &map, NULL}, {"dry-run", NULL, &dry_run},
	                           {"coordinator", &coordinator, NULL}, {"tsv", NULL, &tsv},
	                           {"csv", NULL, &csv}, {0}};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which file? (import roster FILE.csv)");
	if (!strcmp(pos[0], "-"))
		return app_usage(app, "import roster reads its file twice (it checks every row before "
		                      "it writes): give a file, not standard input");
	if (tsv && csv)
		return app_usage(app, "--tsv or --csv, not both");
	if (!app_store(app))
		return ERR_FAIL;
	struct roster_opts o = {.map = map, .sep = tsv ? '\t' : csv ? ',' : 0, .dry_run = dry_run,
	                        .coordinator = coordinator, .by = app->user, .today = app->today,
	                        .problem = show_problem, .changed = dry_run ? show_change : NULL,
	                        .ctx = app};
	struct roster_summary sum;
	if (roster_import(app->store, pos[0], &o, &sum, NULL, &app->err) < 0)
		return ERR_FAIL;
	char *name = text_sanitize(pos[0]);
	fprintf(app->out, "%s: %lld row%s: %lld added, %lld updated", name, sum.rows,
	        sum.rows == 1 ? "" : "s", sum.added, sum.updated);
	free(name);
	for (int f = 0, n = 0; f < RF_N; f++)
		if (sum.by_field[f])
			fprintf(app->out, "%s%s %lld", n++ ? ", " : " (", roster_field_name(f),
			        sum.by_field[f]);
	fprintf(app->out, "%s, %lld unchanged\n", sum.updated ? ")" : "", sum.unchanged);
	if (dry_run)
		fputs("dry run: nothing was changed\n", app->out);
	else if (sum.group)
		fprintf(app->out, "change %lld: 'caseload undo %lld' takes the roster back\n",
		        sum.group, sum.group);
	return 0;
}
