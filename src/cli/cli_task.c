/* cli_task: tasks: add, list, done, snooze (edit, assign and take: cli_team.c). */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/care.h"
#include "caseload/cli.h"
#include "caseload/model.h"
#include "caseload/store.h"

int cmd_task_add(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *title = NULL, *due = NULL, *priority = NULL, *kind = NULL,
	           *note = NULL;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"title", &title, NULL},
	                           {"due", &due, NULL}, {"priority", &priority, NULL},
	                           {"kind", &kind, NULL}, {"note", &note, NULL}, {0}};
	struct task t = {0};
	char day[DATE_STRLEN];
	int rc, d;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, title, "title")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &t.patient_id)) < 0 ||
	    (rc = cli_code(app, &TASK_PRIORITY, priority, "priority")) < 0 ||
	    (rc = cli_code(app, &TASK_KIND, kind, "kind")) < 0 ||
	    (due && (rc = cli_date(app, due, "--due", &d)) < 0))
		return rc;
	if (!*title)
		return app_usage(app, "--title cannot be empty");
	t.title = title;
	t.priority = priority;
	t.kind = kind;
	t.note = note;
	t.due = due ? date_format(d, day) : NULL;
	if (!app_store(app) || care_task_add(app->store, &t, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", t.id);
	return 0;
}

static const struct column task_cols[] = {
	{"id", "ID", true, true}, {"patient_id", "", true, false},
	{"patient", "Patient", false, true}, {"due", "Due", false, true},
	{"title", "Task", false, true}, {"kind", "Kind", false, true},
	{"priority", "Priority", false, true}, {"status", "Status", false, true},
	{"snoozed_until", "", false, false}, {"plan_id", "", true, false},
	{"owner", "Owner", false, true}, {"version", "", true, false},
};

static int task_row(void *table, struct task *k)
{
	char id[24], pid[24], plan[24], version[24];
	table_row(table, fmt_int(k->id, id, sizeof id), fmt_int(k->patient_id, pid, sizeof pid),
	          k->patient_name, k->due, k->title, k->kind, k->priority, k->status,
	          k->snoozed_until, fmt_int(k->plan_id, plan, sizeof plan), k->owner,
	          fmt_int(k->version, version, sizeof version));
	return 0;
}

int cmd_task_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *due = NULL, *format = NULL;
	bool all = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"due", &due, NULL},
	                           {"all", NULL, &all}, {"format", &format, NULL}, {0}};
	struct task_query q = {0};
	char day[DATE_STRLEN];
	enum fmt f;
	int rc, d;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &q.patient_id)) < 0) ||
	    (due && (rc = cli_date(app, due, "--due", &d)) < 0))
		return rc;
	q.all_statuses = all;
	q.due_to = due ? date_format(d, day) : NULL;
	struct table t = TABLE_OF(task_cols);
	table_stream(&t, f, app->out);
	/* streamed: the read is recorded, with its count, once listed */
	if (!app_store(app) || audit_ready(app->store, &app->err) < 0 ||
	    store_task_each(app->store, &q, task_row, &t, &app->err) < 0 ||
	    audit_read(app->store, "list", "task list", q.patient_id, (long long)t.rows,
	               &app->err) < 0) {
		table_free(&t);   /* what was held: a failure prints no end */
		return ERR_FAIL;
	}
	table_print(&t, f, app->out);
	table_free(&t);
	return 0;
}

/* The task id, the one positional argument of done and snooze. */
static int task_id(struct app *app, int argc, char **argv, const struct opt *opts,
                   long long *id)
{
	const char *pos[1];
	int np, rc;
	*id = 0;       /* set on every path: the callers read it only on success */
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which task? (%s ID)", app->cmd);
	return cli_id(app, pos[0], "task", id);
}

int cmd_task_done(struct app *app, int argc, char **argv)
{
	long long id;
	int rc = task_id(app, argc, argv, NULL, &id);
	if (rc < 0)
		return rc;
	if (!app_store(app) || (rc = care_task_done(app->store, id, app->now, NULL, &app->err)) < 0)
		return rc == ERR_USAGE ? rc : ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

int cmd_task_cancel(struct app *app, int argc, char **argv)
{
	const char *note = NULL;
	const struct opt opts[] = {{"note", &note, NULL}, {0}};
	long long id;
	int rc;
	if ((rc = task_id(app, argc, argv, opts, &id)) < 0 || (rc = cli_need(app, note, "note")) < 0)
		return rc;
	if (!app_store(app) || (rc = care_task_cancel(app->store, id, note, app->now, NULL, &app->err)) < 0)
		return rc == ERR_USAGE ? rc : ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

int cmd_task_snooze(struct app *app, int argc, char **argv)
{
	const char *until = NULL;
	const struct opt opts[] = {{"until", &until, NULL}, {0}};
	long long id;
	int d, rc;
	if ((rc = task_id(app, argc, argv, opts, &id)) < 0 ||
	    (rc = cli_need(app, until, "until")) < 0 || (rc = cli_date(app, until, "--until", &d)) < 0)
		return rc;
	if (!app_store(app) || (rc = care_task_snooze(app->store, id, app->today, d, NULL, &app->err)) < 0)
		return rc == ERR_USAGE ? rc : ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}
