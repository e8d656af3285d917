/* cli_plan: care-plan templates (list, show, check, apply) and the care
 * plans made from them (list, show, close). */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/cli.h"
#include "caseload/model.h"
#include "caseload/plan.h"
#include "caseload/store.h"
#include "caseload/store_plan.h"
#include "caseload/template.h"
#include "caseload/text.h"

/* Print a label and sanitized text (nothing when empty). */
/* Report a problem on stderr without ending the command. */
static void warn(struct app *app, const char *text)
{
	char *c = text_sanitize(text);
	fprintf(stderr, "%s: %s: %s\n", app->prog, app->cmd, c);
	free(c);
}

static void warn_err(struct app *app, const struct err *e)
{
	char text[sizeof e->msg + sizeof e->file + 32];
	warn(app, err_text(e, text, sizeof text));
}

static const struct column template_cols[] = {
	{"name", "Name", false, true}, {"source", "Source", false, true},
	{"overrides", "Overrides", false, true}, {"version", "Version", false, true},
	{"title", "Title", false, true}, {"goals", "", true, false},
	{"tasks", "", true, false}, {"file", "", false, false},
};

int cmd_template_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = {{"format", &format, NULL}, {0}};
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0)
		return rc;
	struct template_list l = {0};
	struct strlist problems = {0};
	template_scan(&l, &problems, &app->err);
	struct table t = TABLE_OF(template_cols);
	for (size_t i = 0; i < l.len; i++) {
		struct template *k = &l.items[i];
		char goals[24], tasks[24];
		snprintf(goals, sizeof goals, "%zu", k->n_goals);
		snprintf(tasks, sizeof tasks, "%zu", k->n_tasks);
		table_row(&t, k->name, k->user ? "user" : "shipped", k->overrides ? "shipped" : "",
		          k->version, k->title, goals, tasks, k->path);
	}
	table_print(&t, f, app->out);
	table_free(&t);
	for (size_t i = 0; i < problems.len; i++)
		warn(app, problems.items[i]);
	rc = problems.len ? EXIT_FAIL : 0;
	template_list_free(&l);
	strlist_free(&problems);
	return rc;
}

static void show_tasks(FILE *o, const struct template *t, enum tpl_section s, const char *head)
{
	bool first = true;
	for (size_t i = 0; i < t->n_tasks; i++) {
		const struct tpl_task *k = &t->tasks[i];
		if (k->section != s)
			continue;
		struct buf b = {0};
		char off[16];
		tpl_due_format(&k->due, &b);
		buf_addf(&b, "  %s (%s, %s)", k->title, k->kind, k->priority);
		if (k->repeats) {
			buf_addf(&b, ", every %s", date_offset_format(k->every, off) + 1);
			if (k->count)
				buf_addf(&b, ", %d times", k->count);
			if (k->has_until)
				buf_addf(&b, ", until %s", date_offset_format(k->until, off));
		}
		if (k->note)
			buf_addf(&b, " — %s", k->note);
		cli_field(o, first ? head : "", b.s);
		buf_free(&b);
		first = false;
	}
}

int cmd_template_show(struct app *app, int argc, char **argv)
{
	const char *pos[1];
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, NULL, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which template? (template show NAME)");
	struct template t;
	if (template_find(pos[0], &t, &app->err) < 0)
		return ERR_FAIL;
	FILE *o = app->out;
	char *head = xasprintf("%s (%s, version %s)", t.name,
	                       t.overrides ? "user, overrides shipped" : t.user ? "user" : "shipped",
	                       t.version);
	cli_field(o, "Template", head);
	free(head);
	cli_field(o, "Title", t.title);
	cli_field(o, "File", t.path);
	cli_field(o, "Description", t.description);
	char off[16], days[32];
	if (t.has_review)
		cli_field(o, "Review", date_offset_format(t.review_every, off));
	if (t.checkin_cadence) {
		snprintf(days, sizeof days, "every %d days", t.checkin_cadence);
		cli_field(o, "Check in", days);
	}
	for (size_t i = 0; i < t.n_goals; i++) {
		const struct tpl_goal *g = &t.goals[i];
		struct buf b = {0};
		if (g->has_due) {
			tpl_due_format(&g->due, &b);
			buf_add(&b, "  ");
		}
		buf_add(&b, g->description);
		if (g->target)
			buf_addf(&b, " (target: %s)", g->target);
		cli_field(o, i ? "" : "Goals", b.s);
		buf_free(&b);
	}
	show_tasks(o, &t, TPL_TASK, "Tasks");
	show_tasks(o, &t, TPL_APPOINTMENT, "Appointments");
	show_tasks(o, &t, TPL_EDUCATION, "Education");
	show_tasks(o, &t, TPL_RESOURCE, "Resources");
	template_free(&t);
	return 0;
}

/* Check files; with none, every template on the search path. */
int cmd_template_check(struct app *app, int argc, char **argv)
{
	const char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
	int np, rc, bad = 0;
	struct strlist files = {0}, names = {0}, paths = {0};
	if ((rc = cli_opts(app, argc, argv, NULL, pos, argc, &np)) < 0) {
		free(pos);
		return rc;
	}
	for (int i = 0; i < np; i++)
		strlist_add(&files, pos[i]);
	free(pos);
	if (np == 0) {
		/* the search path: a broken file shows up in problems */
		struct template_list l = {0};
		struct strlist problems = {0};
		template_scan(&l, &problems, &app->err);
		for (size_t i = 0; i < l.len; i++)
			strlist_add(&files, l.items[i].path);
		for (size_t i = 0; i < problems.len; i++, bad++)
			warn(app, problems.items[i]);
		template_list_free(&l);
		strlist_free(&problems);
	}
	for (size_t i = 0; i < files.len; i++) {
		struct template t;
		struct err e = {0};
		if (template_load_file(files.items[i], &t, &e) < 0 ||
		    plan_check(&t, app->today, &app->cfg.holidays, &e) < 0) {
			warn_err(app, &e);
			bad++;
			if (t.name)
				template_free(&t);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < names.len && !dup; j++)
			if (!strcmp(names.items[j], t.name)) {
				err_set_at(&e, ERR_CONFLICT, t.path, t.name_line, t.name_col,
				           "template name '%s' is also used by %s", t.name, paths.items[j]);
				warn_err(app, &e);
				bad++;
				dup = true;
			}
		if (!dup) {
			strlist_add(&names, t.name);
			strlist_add(&paths, t.path);
			char *line = xasprintf("%s: ok (%s: %zu goals, %zu tasks)", t.path, t.name,
			                       t.n_goals, t.n_tasks);
			char *c = text_sanitize(line);
			fprintf(app->out, "%s\n", c);
			free(c);
			free(line);
		}
		template_free(&t);
	}
	strlist_free(&files);
	strlist_free(&names);
	strlist_free(&paths);
	return bad ? EXIT_FAIL : 0;
}

int cmd_template_apply(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *start = NULL, *pos[1];
	bool again = false, dry_run = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"start", &start, NULL},
	                           {"again", NULL, &again}, {"dry-run", NULL, &dry_run}, {0}};
	struct plan_apply_opts o = {.again = again, .start = app->today, .now = app->now,
	                            .holidays = &app->cfg.holidays};
	int np, rc;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which template? (template apply NAME --patient ID)");
	if ((rc = cli_need(app, patient, "patient")) < 0 ||
	    (rc = cli_id(app, patient, "patient", &o.patient_id)) < 0 ||
	    (start && (rc = cli_date(app, start, "--start", &o.start)) < 0))
		return rc;
	o.again = again;
	struct template t;
	if (template_find(pos[0], &t, &app->err) < 0)
		return ERR_FAIL;
	long long id = 0;
	struct strlist preview = {0};
	if (dry_run && app_store(app) &&
	    template_preview(app->store, &t, o.patient_id, o.start, o.holidays, &preview,
	                     &app->err) == 0) {
		for (size_t i = 0; i < preview.len; i++) {
			char *c = text_sanitize(preview.items[i]);
			fprintf(app->out, "%s\n", c);
			free(c);
		}
	} else if (!dry_run && app_store(app) &&
	           plan_apply(app->store, &t, &o, &id, NULL, &app->err) == 0) {
		fprintf(app->out, "%lld\n", id);
	} else {
		rc = ERR_FAIL;
	}
	strlist_free(&preview);
	template_free(&t);
	return rc;
}

static const struct column plan_cols[] = {
	{"id", "ID", true, true}, {"patient_id", "Patient", true, true},
	{"template", "Template", false, true}, {"title", "Title", false, true},
	{"status", "Status", false, true}, {"start", "Start", false, true},
	{"review_every", "Review", false, true}, {"open_tasks", "Open", true, true},
	{"tasks", "Tasks", true, true},
};

int cmd_plan_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *format = NULL;
	bool active = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"active", NULL, &active},
	                           {"format", &format, NULL}, {0}};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	struct plan_list l = {0};
	struct table t = TABLE_OF(plan_cols);
	if (!app_store(app) || store_plan_list(app->store, pid, active, &l, &app->err) < 0) {
		plan_list_free(&l);   /* what was read before the failure */
		return ERR_FAIL;
	}
	for (size_t i = 0; i < l.len && rc == 0; i++) {
		struct care_plan *p = &l.items[i];
		int open = 0, total = 0;
		char id[24], ps[24], so[24], st[24];
		rc = store_plan_task_counts(app->store, p->id, &open, &total, &app->err);
		snprintf(so, sizeof so, "%d", open);
		snprintf(st, sizeof st, "%d", total);
		table_row(&t, fmt_int(p->id, id, sizeof id), fmt_int(p->patient_id, ps, sizeof ps),
		          p->template_name, p->title, p->status, p->start, p->review_every, so, st);
	}
	if (rc == 0)
		rc = audit_read(app->store, "list", "plan list", pid, (long long)t.nrows, &app->err);
	if (rc == 0)
		table_print(&t, f, app->out);
	table_free(&t);
	plan_list_free(&l);
	return rc;
}

static int show_plan(struct app *app, long long id)
{
	struct care_plan p = {0};
	struct goal_list goals = {0};
	struct task_list tasks = {0};
	char *detail = NULL, buf[64];
	int rc = ERR_FAIL;
	if (store_plan_get(app->store, id, &p, &detail, &app->err) < 0 ||
	    store_goal_list(app->store, id, &goals, &app->err) < 0 ||
	    store_task_list(app->store, &(struct task_query){.plan_id = id, .all_statuses = true},
	                    &tasks, &app->err) < 0 ||
	    audit_read(app->store, "read", "plan show", p.patient_id, -1, &app->err) < 0)
		goto out;
	FILE *o = app->out;
	snprintf(buf, sizeof buf, "%lld", p.id);
	cli_field(o, "Care plan", buf);
	cli_field(o, "Title", p.title);
	snprintf(buf, sizeof buf, "%lld", p.patient_id);
	cli_field(o, "Patient", buf);
	cli_field(o, "Template", p.template_name);
	cli_field(o, "Status", p.status);
	cli_field(o, "Start", p.start);
	cli_field(o, "Review every", p.review_every);
	snprintf(buf, sizeof buf, "%lld", p.version);
	cli_field(o, "Version", buf);   /* for plan close --if-version */
	if (detail) {
		char *line = strtok(detail, "\n");
		for (bool first = true; line; line = strtok(NULL, "\n"), first = false)
			cli_field(o, first ? "Detail" : "", line);
	}
	for (size_t i = 0; i < goals.len; i++) {
		struct goal *g = &goals.items[i];
		char *line = xasprintf("%s  %s%s%s (%s)", g->due ? g->due : "          ",
		                       g->description, g->target ? "; target: " : "",
		                       g->target ? g->target : "", g->status);
		cli_field(o, i ? "" : "Goals", line);
		free(line);
	}
	for (size_t i = 0; i < tasks.len; i++) {
		struct task *k = &tasks.items[i];
		char *line = xasprintf("%s  %-9s #%lld %s (%s%s%s)", k->due ? k->due : "          ",
		                       k->status, k->id, k->title, k->kind,
		                       k->recurrence ? ", " : "", k->recurrence ? k->recurrence : "");
		cli_field(o, i ? "" : "Tasks", line);
		free(line);
	}
	rc = 0;
out:
	care_plan_clear(&p);
	goal_list_free(&goals);
	task_list_free(&tasks);
	free(detail);
	return rc;
}

int cmd_plan_show(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *pos[1];
	const struct opt opts[] = {{"patient", &patient, NULL}, {0}};
	int np, rc;
	long long id;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if ((np == 1) == (patient != NULL))
		return app_usage(app, "which plan? (plan show ID, or plan show --patient ID)");
	if (np == 1) {
		if ((rc = cli_id(app, pos[0], "care plan", &id)) < 0)
			return rc;
		return app_store(app) ? show_plan(app, id) : ERR_FAIL;
	}
	if ((rc = cli_id(app, patient, "patient", &id)) < 0)
		return rc;
	struct plan_list l = {0};
	if (!app_store(app) || store_plan_list(app->store, id, true, &l, &app->err) < 0) {
		plan_list_free(&l);   /* what was read before the failure */
		return ERR_FAIL;
	}
	if (l.len == 0)
		fprintf(app->out, "Patient %lld has no active care plan.\n", id);
	for (size_t i = 0; i < l.len && rc == 0; i++) {
		if (i)
			fputc('\n', app->out);
		rc = show_plan(app, l.items[i].id);
	}
	plan_list_free(&l);
	return rc;
}

int cmd_plan_close(struct app *app, int argc, char **argv)
{
	const char *status = NULL, *ver = NULL, *pos[1];
	const struct opt opts[] = {{"status", &status, NULL}, {"if-version", &ver, NULL}, {0}};
	int np, rc, cancelled;
	long long id, version = 0;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "which plan? (plan close ID)");
	if ((rc = cli_id(app, pos[0], "care plan", &id)) < 0 ||
	    (ver && (rc = cli_id(app, ver, "version", &version)) < 0))
		return rc;
	if (status && !plan_status_closes(status))
		return app_usage(app, "--status %s is not one of completed or revoked", TEXT_ARG(status));
	if (!app_store(app) || plan_close(app->store, id, status, version, app->now, &cancelled, NULL,
	                                  &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}
