/* cli_apcm: APCM's monthly checklist (apcm check): each element met,
 * how, or missing; --done records patient elements for the month. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/apcm.h"
#include "caseload/audit.h"
#include "caseload/cli.h"
#include "caseload/util.h"

static const struct column apcm_cols[] = {
	{"element", "Element", false, true}, {"scope", "Scope", false, true},
	{"met", "Met", false, true}, {"how", "How", false, true},
	{"detail", "Detail", false, true}, {"title", "", false, false},
};

#define APCM_MAX_DONE 32

/* --done's value (ids split at commas) and the positional ids after it. */
static int done_ids(struct app *app, char *done, const char **pos, int np, const char **ids,
                    size_t *n)
{
	*n = 0;
	for (char *save = NULL, *t = strtok_r(done, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (*t && *n < APCM_MAX_DONE)
			ids[(*n)++] = t;
	for (int i = 0; i < np && *n < APCM_MAX_DONE; i++)
		ids[(*n)++] = pos[i];
	if (!*n)
		return app_usage(app, "--done needs an element (apcm check lists them)");
	return 0;
}

int cmd_apcm_check(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *month = NULL, *done = NULL, *format = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"month", &month, NULL},
	                           {"done", &done, NULL}, {"format", &format, NULL}, {0}};
	const char *pos[APCM_MAX_DONE], *ids[APCM_MAX_DONE];
	char this_month[DATE_STRLEN];
	long long pid;
	size_t n = 0;
	int np = 0, rc;
	enum fmt f;
	if ((rc = cli_opts(app, argc, argv, opts, pos, APCM_MAX_DONE, &np)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &pid)) < 0 || (rc = cli_format(app, format, &f)) < 0)
		return rc;
	if (np && !done)
		return app_usage(app, "unexpected argument %s (elements follow --done)", pos[0]);
	if (!month) {
		date_format(app->today, this_month);
		this_month[7] = '\0';
		month = this_month;
	}
	char *copy = done ? xstrdup(done) : NULL;
	if (done && (rc = done_ids(app, copy, pos, np, ids, &n)) < 0) {
		free(copy);
		return rc;
	}
	rc = app_store(app) ? 0 : ERR_FAIL;
	if (rc == 0 && n)
		rc = apcm_record(app->store, pid, month, ids, n, NULL, &app->err);
	free(copy);
	struct apcm_checklist c;
	if (rc < 0 || apcm_checklist(app->store, &app->cfg, app->zone, pid, month, &c, &app->err) < 0)
		return app->err.code == ERR_USAGE ? ERR_USAGE : ERR_FAIL;
	struct table t = TABLE_OF(apcm_cols);
	for (size_t i = 0; i < c.len; i++) {
		const struct apcm_item *it = &c.items[i];
		table_row(&t, it->element->id, it->element->practice ? "practice" : "patient",
		          it->how == APCM_MISSING ? "no" : "yes", apcm_how_name(it->how), it->detail,
		          it->element->title);
	}
	table_print(&t, f, app->out);
	if (f == FMT_TABLE)
		fprintf(app->out, "%zu of %zu elements met in %s\n", c.len - (size_t)c.missing, c.len,
		        c.month);
	table_free(&t);
	apcm_checklist_free(&c);
	return audit_read(app->store, "read", "apcm check", pid, 1, &app->err) < 0 ? ERR_FAIL : 0;
}
