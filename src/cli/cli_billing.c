/* cli_billing: the month's end (billing), the rules file's check (rules
 * check) and the TCM episodes (tcm list, tcm set). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/billing.h"
#include "caseload/cli.h"
#include "caseload/text.h"

static const struct column bill_cols[] = {
	{"patient_id", "Patient", true, true}, {"patient", "Name", false, true},
	{"program", "Program", false, true}, {"code", "Code", false, true},
	{"units", "Units", true, true}, {"why_not", "Why not", false, true},
	{"staff_minutes", "Staff", true, true}, {"practitioner_minutes", "Pract", true, true},
	{"navigator_minutes", "Nav", true, true}, {"contacts", "Contacts", true, true},
	{"consent", "Consent", false, false}, {"discharge", "", false, false},
	{"face_to_face", "", false, false}, {"episode_id", "", true, false},
};

static char *num(long long v, char *out, size_t n)
{
	snprintf(out, n, "%lld", v);
	return out;
}

int cmd_billing(struct app *app, int argc, char **argv)
{
	const char *month = NULL, *patient = NULL, *format = NULL;
	const struct opt opts[] = {{"month", &month, NULL}, {"patient", &patient, NULL},
	                           {"format", &format, NULL}, {0}};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_need(app, month, "month")) < 0 || (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	struct bill_month m;
	if (!app_store(app) || billing_month(app->store, month, app->zone, &app->cfg, pid, &m,
	                                       &app->err) < 0)
		return app->err.code == ERR_USAGE ? ERR_USAGE : ERR_FAIL;
	struct table t = TABLE_OF(bill_cols);
	for (size_t i = 0; i < m.result.len; i++) {
		const struct bill_decision *d = &m.result.items[i];
		const struct bill_facts *x = &m.facts.items[d->fact];
		char id[24], u[24], s[24], p[24], n[24], c[24], ep[24];
		char cd[DATE_STRLEN], dd[DATE_STRLEN], fd[DATE_STRLEN];
		table_row(&t, num(x->patient_id, id, sizeof id), x->patient, program_title(x->program),
		          d->rule->code, num(d->units, u, sizeof u), d->why,
		          num(x->minutes[PERF_STAFF], s, sizeof s),
		          num(x->minutes[PERF_PRACTITIONER], p, sizeof p),
		          num(x->minutes[PERF_NAVIGATOR], n, sizeof n), num(x->contacts, c, sizeof c),
		          date_format(x->consent_given, cd), date_format(x->discharge, dd), date_format(x->face_to_face, fd),
		          num(x->episode_id, ep, sizeof ep));
	}
	rc = audit_read(app->store, "list", "billing", pid, (long long)t.nrows, &app->err);
	if (rc == 0)
		table_print(&t, f, app->out);
	table_free(&t);
	bill_month_free(&m);
	return rc;
}

static void warn_err(struct app *app, const struct err *e)
{
	char text[sizeof e->msg + sizeof e->file + 32];
	char *c = text_sanitize(err_text(e, text, sizeof text));
	fprintf(stderr, "%s: %s: %s\n", app->prog, app->cmd, c);
	free(c);
}

/* Check files; with none, every file of the rules directory. */
int cmd_rules_check(struct app *app, int argc, char **argv)
{
	const char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
	int np, rc, bad = 0;
	if ((rc = cli_opts(app, argc, argv, NULL, pos, argc, &np)) < 0) {
		free(pos);
		return rc;
	}
	struct rules_list l = {0};
	struct err e = {0};
	if (np == 0) {
		char *dir = rules_dir();
		if (rules_scan(dir, &l, &e) < 0) {
			warn_err(app, &e);
			bad++;
		}
		free(dir);
	}
	for (int i = 0; i < np; i++) {
		struct rules r;
		if (rules_load_file(pos[i], &r, &e) < 0) {
			warn_err(app, &e);
			bad++;
			continue;
		}
		xgrow((void **)&l.items, &l.cap, l.len, sizeof *l.items);
		l.items[l.len++] = r;
	}
	free(pos);
	if (!bad && rules_check_overlap(&l, &e) < 0) {
		warn_err(app, &e);
		bad++;
	}
	for (size_t i = 0; !bad && i < l.len; i++) {
		char f[DATE_STRLEN], t[DATE_STRLEN];
		char *line = xasprintf("%s: ok (%s to %s: %zu codes, %zu exclusions)", l.items[i].path,
		                       date_format(l.items[i].from, f), date_format(l.items[i].to, t),
		                       l.items[i].n_codes, l.items[i].n_exclusions);
		char *c = text_sanitize(line);
		fprintf(app->out, "%s\n", c);
		free(c);
		free(line);
	}
	rules_list_free(&l);
	return bad ? EXIT_FAIL : 0;
}

static const struct column tcm_cols[] = {
	{"episode_id", "Episode", true, true}, {"patient_id", "Patient", true, true},
	{"patient", "Name", false, true}, {"status", "Status", false, true},
	{"discharge", "Discharge", false, true}, {"contact_due", "Contact by", false, true},
	{"contact", "Contact", false, true}, {"attempts", "Attempts", true, true},
	{"face_to_face", "Face to face", false, true}, {"med_rec", "Med rec", false, true},
	{"complexity", "Complexity", false, true}, {"version", "", true, false},
};

int cmd_tcm_list(struct app *app, int argc, char **argv)
{
	const char *patient = NULL, *format = NULL;
	bool open = false;
	const struct opt opts[] = {{"patient", &patient, NULL}, {"open", NULL, &open},
	                           {"format", &format, NULL}, {0}};
	long long pid = 0;
	enum fmt f;
	int rc;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &f)) < 0 ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	const struct rules *r;
	struct bill_facts_list l = {0};
	if (rules_for_day(app->today, &r, &app->err) < 0 || !app_store(app) ||
	    tcm_list(app->store, app->zone, app->today, pid, open, &l, &app->err) < 0)
		return ERR_FAIL;
	struct table t = TABLE_OF(tcm_cols);
	for (size_t i = 0; i < l.len; i++) {
		const struct bill_facts *x = &l.items[i];
		char id[24], p[24], a[24], v[24], dd[DATE_STRLEN], due[DATE_STRLEN], on[DATE_STRLEN];
		char fd[DATE_STRLEN], md[DATE_STRLEN];
		int due_day, on_day;
		billing_tcm_contact(r, x, &due_day, &on_day);
		int n = 0;
		while (n < x->n_attempts && x->attempt_day[n] <= due_day)
			n++;
		table_row(&t, num(x->episode_id, id, sizeof id), num(x->patient_id, p, sizeof p),
		          x->patient, x->status, date_format(x->discharge, dd), date_format(due_day, due),
		          on_day == DATE_NONE ? "not made" : date_format(on_day, on), num(n, a, sizeof a),
		          date_format(x->face_to_face, fd), date_format(x->med_rec, md), complexity_name(x->complexity),
		          num(x->version, v, sizeof v));
	}
	rc = audit_read(app->store, "list", "tcm list", pid, (long long)t.nrows, &app->err);
	if (rc == 0)
		table_print(&t, f, app->out);
	table_free(&t);
	bill_facts_list_free(&l);
	return rc;
}

static int day_opt(struct app *app, const char *v, const char *what, char *out)
{
	int d;
	if (!v)
		return 0;
	if (cli_date(app, v, what, &d) < 0)
		return ERR_USAGE;
	date_format(d, out);
	return 0;
}

int cmd_tcm_set(struct app *app, int argc, char **argv)
{
	const char *f2f = NULL, *medrec = NULL, *cplx = NULL, *ver = NULL;
	const struct opt opts[] = {{"face-to-face", &f2f, NULL}, {"med-rec", &medrec, NULL},
	                           {"complexity", &cplx, NULL}, {"if-version", &ver, NULL}, {0}};
	long long id;
	long v = 0;
	char fd[DATE_STRLEN], md[DATE_STRLEN];
	int rc;
	if ((rc = cli_one_id(app, argc, argv, opts, "episode", &id)) < 0 ||
	    (ver && (rc = cli_int(app, ver, "if-version", 1, 1L << 30, &v)) < 0) ||
	    (rc = day_opt(app, f2f, "--face-to-face", fd)) < 0 ||
	    (rc = day_opt(app, medrec, "--med-rec", md)) < 0)
		return rc;
	if (!app_store(app) || tcm_set(app->store, app->zone, app->today, id, v, f2f ? fd : NULL, medrec ? md : NULL, cplx,
	                               NULL, &app->err) < 0)
		return app->err.code == ERR_USAGE ? ERR_USAGE : ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}
