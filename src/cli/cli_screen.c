/* cli_screen: `caseload screen` (and no command on a terminal) opens the
 * workstation; `caseload keys [--man]` prints its key table from the
 * screen's action table (the man page's THE SCREEN section is made so). */
#include <stdlib.h>

#include "caseload/audit.h"
#include "caseload/cli.h"
#include "caseload/tui.h"

int cmd_screen(struct app *app, int argc, char **argv)
{
	if (argc > 1 && cli_opts(app, argc, argv, NULL, NULL, 0, NULL) < 0)
		return ERR_USAGE;
	app->defer_notice = true;      /* the screen shows it on its status line */
	/* the screen records what it shows: it opens only where it can, and
	 * its caseload (a listing of patients) is one row */
	if (!app_store(app) || audit_read(app->store, "list", "screen", 0, -1, &app->err) < 0)
		return ERR_FAIL;
	/* the zone notice or the demo's visits moved (app_store), else a demo
	 * made in another zone whose visits could not be moved */
	char *demo = app->notice[0] ? NULL : cli_demo_zone(app, true);
	struct tui_ctx ctx = {
		.store = app->store, .cfg = &app->cfg, .zone = app->zone,
		.user = app->user, .today = app->today, .now = app->now,
		.today_pinned = app->today_arg && *app->today_arg,
		.replay = getenv("CASELOAD_KEYS_REPLAY"), .report = stderr,
		.notice = app->notice[0] ? app->notice : demo,
	};
	if (ctx.replay && !*ctx.replay)
		ctx.replay = NULL;
	int rc = tui_run(&ctx, &app->err) < 0 ? ERR_FAIL : 0;
	free(demo);
	return rc;
}

int cmd_keys(struct app *app, int argc, char **argv)
{
	bool man = false;
	const struct opt opts[] = {{"man", NULL, &man}, {0}};
	if (cli_opts(app, argc, argv, opts, NULL, 0, NULL) < 0)
		return ERR_USAGE;
	struct keymap km;
	struct strlist warnings = {0};
	keymap_defaults(&km);
	if (keymap_apply_config(&km, &app->cfg, &warnings, &app->err) < 0) {
		strlist_free(&warnings);
		return ERR_USAGE;
	}
	for (size_t i = 0; i < warnings.len; i++)
		fprintf(stderr, "caseload: warning: %s\n", warnings.items[i]);
	strlist_free(&warnings);
	if (man) {
		struct buf b = {0};
		keymap_man(&km, &b);
		fputs(b.s ? b.s : "", app->out);
		buf_free(&b);
		return 0;
	}
	struct strlist lines = {0};
	keymap_help(&km, &lines);
	for (size_t i = 0; i < lines.len; i++)
		fprintf(app->out, "%s\n", lines.items[i]);
	strlist_free(&lines);
	return 0;
}
