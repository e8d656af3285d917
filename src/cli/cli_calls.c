/* cli_calls: the day's call list (caseload calls): a table, TSV or JSON,
 * or a page to print. */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/calls.h"
#include "caseload/cli.h"
#include "caseload/safefile.h"
#include "caseload/text.h"
#include "caseload/tz.h"

static const struct column cols[] = {
	{"kind", "Kind", false, true}, {"patient_id", "", true, false},
	{"patient", "Patient", false, true}, {"phone", "Phone", false, true},
	{"language", "Language", false, true}, {"interpreter", "", false, false},
	{"best_time", "Best time", false, true}, {"do_not_contact", "", false, false},
	{"attempts_today", "", true, false}, {"attempts", "", true, false},
	{"last_outcome", "", false, false}, {"tried", "Tried", false, true},
	{"reason", "Reason", false, true},
};

/* The table's cells are for people, the rest for programs. */
static void add_row(struct table *t, const struct calls_row *r, enum fmt f,
                    const struct config *cfg)
{
	char id[24], today[24], all[24];
	struct buf lang = {0}, best = {0}, tried = {0};
	bool people = f == FMT_TABLE;
	snprintf(id, sizeof id, "%lld", r->patient_id);
	snprintf(today, sizeof today, "%zu", r->n_today);
	snprintf(all, sizeof all, "%zu", r->n_attempts);
	buf_add(&lang, r->language ? r->language : "");
	if (people && r->interpreter)
		buf_add(&lang, r->language ? ", interpreter" : "interpreter");
	buf_add(&best, r->best_time ? r->best_time : "");
	if (people && r->best_now)
		buf_add(&best, " (now)");
	calls_attempts_text(r, cfg, &tried);
	const char *phone = r->do_not_contact ? (people ? "do not contact" : "") : r->phone;
	table_row(t, people ? calls_kind_words(r->kind) : calls_kind_code(r->kind), id,
	          r->patient, phone, lang.s, r->interpreter ? "yes" : "no", best.s,
	          r->do_not_contact ? "yes" : "no", today, all,
	          r->n_attempts ? r->attempts[r->n_attempts - 1].outcome : NULL, tried.s,
	          r->reason);
	buf_free(&lang);
	buf_free(&best);
	buf_free(&tried);
}

/* What is not listed: re-queued patients and those reached today. */
static void footer(struct app *app, const struct calls_list *l, FILE *o)
{
	if (l->n_later) {
		char when[40];
		fmt_instant(app, l->next_at, false, FMT_TABLE, when, sizeof when);
		fprintf(o, "%zu to call again later (the first from %s)\n", l->n_later, when);
	}
	if (l->n_reached)
		fprintf(o, "%zu reached today\n", l->n_reached);
}

static int print(struct app *app, const struct calls_list *l, const struct calls_when *w,
                 bool html, enum fmt f, FILE *o)
{
	if (html)
		return calls_html(l, w, &app->cfg, o) < 0 ? ERR_FAIL : 0;
	if (f == FMT_TABLE && !l->len) {
		fprintf(o, "no calls to make\n");
	} else {
		struct table t = TABLE_OF(cols);
		for (size_t i = 0; i < l->len; i++)
			add_row(&t, &l->items[i], f, &app->cfg);
		table_print(&t, f, o);
		table_free(&t);
	}
	if (f == FMT_TABLE)
		footer(app, l, o);
	return 0;
}

/* --at "D HH:MM" (the moment), else --date D at the clock's time of day,
 * else now. */
static int moment(struct app *app, const char *date, const char *at, struct calls_when *w)
{
	w->day = app->today;
	w->now = app->now;
	if (at) {
		if (date)
			return app_usage(app, "give --date or --at, not both");
		if (cli_when(app, at, NULL, -1, &w->now, NULL) < 0)
			return ERR_USAGE;
		w->day = tz_local_date(app->zone, w->now);
		return 0;
	}
	int day, minutes;
	if (!date)
		return 0;
	if (cli_date(app, date, "--date", &w->day) < 0)
		return ERR_USAGE;
	if (tz_utc_to_local(app->zone, app->now, &day, &minutes, &app->err) < 0 ||
	    tz_local_to_utc(app->zone, w->day, minutes, &w->now, &app->err) < 0)
		return ERR_FAIL;
	return 0;
}

int cmd_calls(struct app *app, int argc, char **argv)
{
	const char *date = NULL, *at = NULL, *format = NULL, *output = NULL;
	bool mine = false, force = false;
	const struct opt opts[] = {{"date", &date, NULL}, {"at", &at, NULL},
	                           {"format", &format, NULL}, {"mine", NULL, &mine},
	                           {"output", &output, NULL}, {"force", NULL, &force}, {0}};
	struct calls_when w;
	struct calls_list l = {0};
	enum fmt f = FMT_TABLE;
	int rc;
	if ((rc = cli_opts_o(app, argc, argv, opts)) < 0)
		return rc;
	bool html = format && !strcmp(format, "html");
	if (!html && cli_format(app, format, &f) < 0)
		return app_usage(app, "format %s is not one of table, tsv, json or html",
		                 TEXT_ARG(format));
	if ((rc = moment(app, date, at, &w)) < 0)
		return rc;
	if (force && !output)
		return app_usage(app, "--force replaces the file of -o FILE: give -o too");
	if (!app_store(app) ||
	    calls_build(app->store, &w, &app->cfg, mine ? app->user : NULL, &l, &app->err) < 0 ||
	    audit_read(app->store, output ? "export" : "list", "calls", 0, (long long)l.len,
	               &app->err) < 0) {
		calls_list_free(&l);
		return ERR_FAIL;
	}
	if (!output) {
		rc = print(app, &l, &w, html, f, app->out);
		calls_list_free(&l);
		return rc;
	}
	struct safefile sf;
	if (safefile_open(&sf, output, force ? SAFEFILE_REPLACE : 0, &app->err) < 0) {
		calls_list_free(&l);
		return cli_file_failed(app, output);
	}
	rc = print(app, &l, &w, html, f, sf.f);
	calls_list_free(&l);
	if (rc < 0) {
		safefile_abort(&sf);
		return err_set(&app->err, ERR_FAIL, "could not write %s", output);
	}
	if (safefile_commit(&sf, &app->err) < 0)
		return cli_file_failed(app, output);
	return 0;
}
