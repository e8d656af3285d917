/* cli_team: the team (add, list, out, workload), owners of tasks and
 * patients (task assign, task take, patient assign) and task edit. */
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/cli.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/store_team.h"
#include "caseload/team.h"

/* team add LOGIN --name N [--role R]: a person of the team; team add
 * --patient ID --contact ID --role R: a contact on a patient's care team. */
int cmd_team_add(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *contact = NULL, *role = NULL, *name = NULL, *pos[1];
	const struct opt opts[] = {{"patient", &patient, NULL}, {"contact", &contact, NULL},
	                           {"role", &role, NULL}, {"name", &name, NULL}, {0}};
	long long pid, cid, id;
	int rc, np;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np == 1) {
		if (patient || contact)
			return app_usage(app, "team add LOGIN is a person of the team: "
			                      "--patient and --contact add a care team's contact");
		if ((rc = cli_need(app, name, "name")) < 0 ||
		    (rc = cli_code(app, &TEAM_ROLE, role, "--role")) < 0)
			return rc;
		struct member m = {.login = pos[0], .name = name, .role = role};
		if (!app_store(app) || team_member_save(app->store, &m, NULL, &app->err) < 0)
			return ERR_FAIL;
		fprintf(app->out, "%s\n", m.login);
		return 0;
	}
	if ((rc = cli_need(app, patient, "patient")) < 0 || (rc = cli_need(app, contact, "contact")) < 0 ||
	    (rc = cli_need(app, role, "role")) < 0 || (rc = cli_id(app, patient, "patient", &pid)) < 0 ||
	    (rc = cli_id(app, contact, "contact", &cid)) < 0)
		return rc;
	if (!app_store(app) || care_team_add(app->store, pid, cid, role, &id, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

static const struct column member_cols[] = {
	{"login", "Login", false, true}, {"name", "Name", false, true},
	{"role", "Role", false, true}, {"out_from", "Out from", false, true},
	{"out_to", "Out to", false, true}, {"out_today", "", false, false},
};

int cmd_team_list(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = {{"format", &format, NULL}, {0}};
	struct member_list l = {0};
	char today[DATE_STRLEN];
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0)
		return rc;
	if (!app_store(app) || store_member_list(app->store, &l, &app->err) < 0) {
		member_list_free(&l);
		return ERR_FAIL;
	}
	date_format(app->today, today);
	struct table t = TABLE_OF(member_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct member *m = &l.items[i];
		table_row(&t, m->login, m->name, m->role, m->out_from, m->out_to,
		          member_out_on(m, today) ? "yes" : "no");
	}
	table_print(&t, f, app->out);
	table_free(&t);
	member_list_free(&l);
	return 0;
}

/* team out LOGIN --from D --to D | --back */
int cmd_team_out(struct app *app, int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *pos[1];
	bool back = false;
	const struct opt opts[] = {{"from", &from, NULL}, {"to", &to, NULL}, {"back", NULL, &back},
	                           {0}};
	char d1[DATE_STRLEN], d2[DATE_STRLEN];
	int rc, np, a = 0, b = 0;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 1, &np)) < 0)
		return rc;
	if (np != 1)
		return app_usage(app, "who? (team out LOGIN --from D --to D, or --back)");
	if (back && (from || to))
		return app_usage(app, "--back clears the days out: it takes no --from or --to");
	if (!back && ((rc = cli_need(app, from, "from")) < 0 || (rc = cli_need(app, to, "to")) < 0 ||
	              (rc = cli_date(app, from, "--from", &a)) < 0 ||
	              (rc = cli_date(app, to, "--to", &b)) < 0))
		return rc;
	if (!back && b < a)
		return app_usage(app, "--to %s is before --from %s", date_format(b, d2),
		                 date_format(a, d1));
	if (!app_store(app) ||
	    team_member_out(app->store, pos[0], back ? NULL : date_format(a, d1),
	                    back ? NULL : date_format(b, d2), NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%s\n", pos[0]);
	return 0;
}

static const struct column workload_cols[] = {
	{"login", "Login", false, true}, {"name", "Name", false, true},
	{"role", "Role", false, true}, {"out", "Out", false, true},
	{"patients", "Patients", true, true}, {"open", "Open", true, true},
	{"overdue", "Overdue", true, true}, {"due_today", "Due today", true, true},
};

/* A count, "0" included. */
static const char *count(long long n, char out[24])
{
	snprintf(out, 24, "%lld", n);
	return out;
}

int cmd_team_workload(struct app *app, int argc, char **argv)
{
	const char *format = NULL;
	const struct opt opts[] = {{"format", &format, NULL}, {0}};
	struct workload_list l = {0};
	char today[DATE_STRLEN];
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0)
		return rc;
	date_format(app->today, today);
	if (!app_store(app) || team_workload(app->store, app->today, &l, &app->err) < 0) {
		workload_list_free(&l);
		return ERR_FAIL;
	}
	struct table t = TABLE_OF(workload_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct workload *w = &l.items[i];
		char n[4][24];
		bool none = !w->m.login;
		table_row(&t, none ? "" : w->m.login, none ? "(no one)" : w->m.name, w->m.role,
		          none ? "" : member_out_on(&w->m, today) ? "out" : "",
		          count(w->patients, n[0]), count(w->open, n[1]),
		          count(w->overdue, n[2]), count(w->due_today, n[3]));
	}
	table_print(&t, f, app->out);
	table_free(&t);
	workload_list_free(&l);
	return 0;
}

/* --if-version N: the version the caller read (0 when not given). */
static int if_version(struct app *app, const char *v, long long *version)
{
	*version = 0;
	return v ? cli_id(app, v, "version", version) : 0;
}

/* task assign ID LOGIN | --none */
int cmd_task_assign(struct app *app, int argc, char **argv)
{
	const char *pos[2], *ver = NULL;
	bool none = false;
	const struct opt opts[] = {{"none", NULL, &none}, {"if-version", &ver, NULL}, {0}};
	long long id, version;
	int rc, np;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 2, &np)) < 0 ||
	    (rc = if_version(app, ver, &version)) < 0)
		return rc;
	if (np != (none ? 1 : 2))
		return app_usage(app, "task assign ID LOGIN, or task assign ID --none");
	if ((rc = cli_id(app, pos[0], "task", &id)) < 0)
		return rc;
	if (!app_store(app) ||
	    team_task_assign(app->store, id, none ? NULL : pos[1], version, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

/* task take ID...: each its own claim; the ones taken are printed, each
 * refusal says who has the task (exit 1 when any was refused). */
int cmd_task_take(struct app *app, int argc, char **argv)
{
	const char **pos = xmalloc((size_t)(argc > 1 ? argc : 1) * sizeof *pos);
	int np, rc, failed = 0;
	if ((rc = cli_opts(app, argc, argv, NULL, pos, argc, &np)) < 0)
		goto out;
	if (np == 0) {
		rc = app_usage(app, "which task? (task take ID...)");
		goto out;
	}
	long long *ids = xmalloc((size_t)np * sizeof *ids);
	for (int i = 0; i < np && rc == 0; i++)
		rc = cli_id(app, pos[i], "task", &ids[i]);
	if (rc == 0 && !app_store(app))
		rc = ERR_FAIL;
	for (int i = 0; i < np && rc == 0; i++) {
		struct err e = {0};
		int r = team_task_take(app->store, ids[i], app->user, NULL, &e);
		if (r == ERR_CONFLICT) {
			fprintf(stderr, "%s: %s\n", app->prog, e.msg);
			failed++;
		} else if (r < 0) {
			app->err = e;
			rc = ERR_FAIL;
		} else
			fprintf(app->out, "%lld\n", ids[i]);
	}
	free(ids);
	if (rc == 0 && failed) {
		fflush(app->out);
		rc = err_set(&app->err, ERR_CONFLICT, "%d of %d not taken", failed, np);
	}
out:
	free(pos);
	return rc;
}

/* patient assign ID LOGIN */
int cmd_patient_assign(struct app *app, int argc, char **argv)
{
	const char *pos[2], *ver = NULL;
	const struct opt opts[] = {{"if-version", &ver, NULL}, {0}};
	long long id, version;
	int rc, np;
	if ((rc = cli_opts(app, argc, argv, opts, pos, 2, &np)) < 0 ||
	    (rc = if_version(app, ver, &version)) < 0)
		return rc;
	if (np != 2)
		return app_usage(app, "patient assign ID LOGIN");
	if ((rc = cli_id(app, pos[0], "patient", &id)) < 0)
		return rc;
	if (!app_store(app) ||
	    team_patient_assign(app->store, id, pos[1], version, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

/* task edit ID [--title T] [--due D] [--priority P] [--kind K] [--note N]
 * [--if-version N]: the fields given, over the task as read (or as the
 * caller read it: --if-version). */
int cmd_task_edit(struct app *app, int argc, char **argv)
{
	const char *title = NULL, *due = NULL, *priority = NULL, *kind = NULL, *note = NULL,
	           *ver = NULL;
	const struct opt opts[] = {{"title", &title, NULL}, {"due", &due, NULL},
	                           {"priority", &priority, NULL}, {"kind", &kind, NULL},
	                           {"note", &note, NULL}, {"if-version", &ver, NULL}, {0}};
	long long id, version;
	char day[DATE_STRLEN];
	int rc, d = 0;
	if ((rc = cli_one_id(app, argc, argv, opts, "task", &id)) < 0 ||
	    (rc = if_version(app, ver, &version)) < 0 ||
	    (rc = cli_code(app, &TASK_PRIORITY, priority, "priority")) < 0 ||
	    (rc = cli_code(app, &TASK_KIND, kind, "kind")) < 0 ||
	    (due && *due && (rc = cli_date(app, due, "--due", &d)) < 0))
		return rc;
	if (title && !*title)
		return app_usage(app, "--title cannot be empty");
	struct task t = {0};
	if (!app_store(app) || store_task_get(app->store, id, &t, &app->err) < 0)
		return ERR_FAIL;
	if (version)
		t.version = version;
	if (title)
		str_set(&t.title, title);
	if (due)
		str_set(&t.due, *due ? date_format(d, day) : NULL);
	if (priority)
		str_set(&t.priority, priority);
	if (kind)
		str_set(&t.kind, kind);
	if (note)
		str_set(&t.note, *note ? note : NULL);
	rc = care_task_edit(app->store, &t, NULL, &app->err);
	task_clear(&t);
	if (rc < 0)
		return rc == ERR_USAGE ? rc : ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}
