/* cli_review: the daily review from the command line: the list of what
 * needs attention grouped by patient, and the review's own actions (mark
 * a patient reviewed, acknowledge an entry, confirm transport). */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/care.h"
#include "caseload/cli.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/team.h"
#include "caseload/text.h"

/* For programs: every item carries its patient. */
static const struct column data_cols[] = {
	{"patient_id", "", true, true}, {"patient", "", false, true},
	{"reason", "", false, true}, {"severity", "", false, true},
	{"due", "", false, true}, {"detail", "", false, true},
	{"ref_table", "", false, true}, {"ref_id", "", true, true},
	{"reviewed", "", false, true},
};
/* For people: the patient once, at the head of their items. */
static const struct column people_cols[] = {
	{"patient", "Patient", false, true}, {"severity", "Severity", false, true},
	{"reason", "Reason", false, true}, {"due", "Due", false, true},
	{"ref", "Record", false, true}, {"detail", "Detail", false, true},
};

/* A number written out at out's end (an id: no printf a line). */
static char *digits_of(long long v, char *out, size_t n)
{
	char *p = out + n;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0 && p > out + 1);
	if (v < 0)
		*--p = '-';
	return p;
}

/* The patient cell of the aligned table: the name, the id and today's
 * mark ("Family, Given (12) skipped"; one a patient of the listing: no
 * printf). */
static const char *who_cell(const struct review_item *it, const char *state, char *out, size_t n)
{
	char id[24];
	const char *d = digits_of(it->patient_id, id, sizeof id);
	const char *name = it->patient;
	size_t dl = strlen(d), sl = strlen(state);
	if (!name || strlen(name) + dl + sl + 5 > n) {
		snprintf(out, n, "%s (%s)%s%s", it->patient, d, *state ? " " : "", state);
		return out;
	}
	size_t nl = strlen(name);
	char *p = out;
	memcpy(p, name, nl);
	p += nl;
	*p++ = ' ';
	*p++ = '(';
	memcpy(p, d, dl);
	p += dl;
	*p++ = ')';
	if (sl) {
		*p++ = ' ';
		memcpy(p, state, sl);
		p += sl;
	}
	*p = '\0';
	return out;
}

static const char *state_name(enum review_state st)
{
	return st == REVIEW_DONE ? "reviewed" : st == REVIEW_SKIPPED ? "skipped" : "";
}

static void widen(int *width, const char *cell)
{
	int w;
	if (text_is_clean(cell)) {
		w = text_width(cell);
	} else {
		char *clean = text_sanitize(cell);
		w = text_width(clean);
		free(clean);
	}
	if (w > *width)
		*width = w;
}

enum { PEOPLE_N = sizeof people_cols / sizeof people_cols[0] };

/* The listing as it prints, item by item. */
struct printing {
	struct app *app;
	enum fmt f;
	struct table t;
	int width[PEOPLE_N];       /* the aligned table's, over every item */
	long long last;            /* the patient of the item before */
	size_t patients;
	char due[DATE_STRLEN];     /* due_day written out (print_item) */
	int due_day;
	bool due_set;
};

/* The aligned table prints as its rows come, its widths fixed by the
 * first TABLE_HOLD rows.  Every item is seen before the first prints, so
 * each heading is padded to its column's widest cell: the widths are
 * those of every row (no cell cut short), as when the table was held
 * whole.  (Each item of a patient has the same patient cell.) */
static void widen_item(void *arg, const struct review_item *it, enum review_state st)
{
	struct printing *p = arg;
	char text[512], ref_id[24];
	if (p->f != FMT_TABLE)
		return;
	widen(&p->width[0], who_cell(it, state_name(st), text, sizeof text));
	widen(&p->width[1], review_severity_name(it->severity));
	widen(&p->width[2], review_reason_code(it->reason));
	snprintf(text, sizeof text, "%s %s", it->ref_table, fmt_int(it->ref_id, ref_id, sizeof ref_id));
	widen(&p->width[4], text);
}

/* The headings padded to those widths into cols (a copy of people_cols)
 * and heads (the caller frees). */
static void people_headings(const struct printing *p, struct column *cols, struct buf *heads)
{
	for (int c = 0; c < PEOPLE_N; c++) {
		int width = c == 3 ? DATE_STRLEN - 1 : p->width[c];
		cols[c] = people_cols[c];
		if (c == PEOPLE_N - 1)
			continue;      /* the last column is never cut */
		buf_add(&heads[c], cols[c].heading);
		for (int w = text_width(cols[c].heading); w < width; w++)
			buf_addc(&heads[c], ' ');
		cols[c].heading = heads[c].s;
	}
}

static int print_item(void *arg, const struct review_item *it, enum review_state st)
{
	struct printing *p = arg;
	char pid_text[24], ref_id[24], ref[64], who[512];
	bool first = p->patients == 0 || it->patient_id != p->last;
	p->patients += first;
	p->last = it->patient_id;
	const char *state = state_name(st);
	/* (the day of the item before, most often the same) */
	if (!p->due_set || it->due != p->due_day) {
		date_format(it->due, p->due);
		p->due_day = it->due;
		p->due_set = true;
	}
	const char *id = it->ref_id ? digits_of(it->ref_id, ref_id, sizeof ref_id) : "";
	if (p->f != FMT_TABLE) {
		table_row(&p->t, fmt_int(it->patient_id, pid_text, sizeof pid_text), it->patient,
		          review_reason_code(it->reason), review_severity_name(it->severity), p->due,
		          it->detail, it->ref_table, id, state);
		return 0;
	}
	/* "table id", as "%s %s" cut to the cell's size */
	size_t tl = strlen(it->ref_table), il = strlen(id);
	if (tl + 1 + il < sizeof ref) {
		memcpy(ref, it->ref_table, tl);
		ref[tl] = ' ';
		memcpy(ref + tl + 1, id, il + 1);
	} else {
		snprintf(ref, sizeof ref, "%s %s", it->ref_table, id);
	}
	table_row(&p->t, first ? who_cell(it, state, who, sizeof who) : NULL,
	          review_severity_name(it->severity), review_reason_code(it->reason), p->due, ref,
	          it->detail);
	return 0;
}

static bool in_scope(const void *arg, long long patient_id)
{
	return team_scope_has(arg, patient_id);
}

/* One patient's review: a short list, held. */
static int patient_review(struct app *app, long long pid, int day,
                          const struct review_filter *filter, struct review_list *l,
                          struct review_queue *q, enum review_state *st)
{
	*st = REVIEW_NONE;
	int rc = review_build_patient(app->store, pid, day, &app->cfg, l, &app->err);
	if (rc == 0)
		rc = review_mark_get(app->store, day, pid, st, &app->err);
	review_filter_apply(filter, l);
	if (rc == 0 && (l->len || *st != REVIEW_NONE))
		*LIST_PUSH(q) = (struct review_patient){.id = pid, .n_items = l->len, .state = *st};
	q->n_items = l->len;
	return rc;
}

/* The whole caseload's review (or the user's own patients') as the
 * store keeps it: its widths are known before the first item (every item's, as widen_item would make
 * them), so the first line comes at once. */
static int kept_open(struct app *app, int day, const struct review_scope *scope,
                     struct printing *p, struct review_kept *k)
{
	if (review_kept_open(app->store, day, &app->cfg, scope->mine ? in_scope : NULL, scope, k,
	                     &app->err) < 0)
		return app->err.code;
	p->width[0] = k->width[0];
	for (enum review_state st = REVIEW_DONE; st <= REVIEW_SKIPPED; st++) {
		int w = k->who_marked[st] ? k->who_marked[st] + 1 + text_width(state_name(st)) : 0;
		if (w > p->width[0])
			p->width[0] = w;
	}
	p->width[1] = k->width[1];
	p->width[2] = k->width[2];
	p->width[4] = k->width[3];
	return 0;
}

int cmd_review(struct app *app, int argc, char **argv)
{
	const char *date = NULL, *format = NULL, *patient = NULL, *sev = NULL, *reason = NULL;
	bool team = false;
	const struct opt opts[] = {{"date", &date, NULL}, {"format", &format, NULL},
	                           {"patient", &patient, NULL}, {"severity", &sev, NULL},
	                           {"reason", &reason, NULL}, {"team", NULL, &team}, {0}};
	struct review_scope scope = {0};
	struct review_list l = {0};
	struct review_queue q = {0};
	struct review_filter filter;
	struct printing p = {.app = app};
	struct review_kept k = {0};
	bool kept = false;         /* the whole caseload, read from the kept review */
	long long pid = 0;
	enum review_state pid_state = REVIEW_NONE;   /* --patient's mark */
	int rc, day = app->today;
	if ((rc = cli_opts(app, argc, argv, opts, NULL, 0, NULL)) < 0 ||
	    (rc = cli_format(app, format, &p.f)) < 0 ||
	    (date && (rc = cli_date(app, date, "--date", &day)) < 0) ||
	    (patient && (rc = cli_id(app, patient, "patient", &pid)) < 0))
		return rc;
	struct review_filter by_reason;
	char msg[sizeof app->err.msg];
	const char *bad = review_filter_parse(&filter, sev, NULL, &app->err) < 0 ? "--severity"
	                  : review_filter_parse(&by_reason, NULL, reason, &app->err) < 0 ? "--reason"
	                  : NULL;
	if (bad) {
		snprintf(msg, sizeof msg, "%s", app->err.msg);
		return app_usage(app, "%s: %s", bad, msg);
	}
	filter.reasons = by_reason.reasons;
	if (!app_store(app))
		return ERR_FAIL;
	/* a caseload's items are not held: spilled, then read back in order */
	const struct review_stream how = {.filter = &filter, .in_scope = in_scope,
	                                  .scope_arg = &scope, .seen = widen_item,
	                                  .item = print_item, .arg = &p};
	if (pid) {
		rc = patient_review(app, pid, day, &filter, &l, &q, &pid_state);
		for (size_t i = 0; rc == 0 && i < l.len; i++)
			widen_item(&p, &l.items[i], pid_state);
	} else {
		/* the user's own patients when the team has several people */
		rc = team_review_scope(app->store, app->user, team, &scope, &app->err);
		kept = rc == 0 && !filter.severities && !filter.reasons;
		if (kept)
			rc = kept_open(app, day, &scope, &p, &k);
		else if (rc == 0)
			rc = review_spill(app->store, day, &app->cfg, &how, &q, &app->err);
	}
	size_t n_items = kept ? k.items : q.n_items;
	if (rc == 0)
		rc = audit_read(app->store, "review", "review", pid, (long long)n_items, &app->err);
	if (rc < 0) {
		review_kept_free(&k);
		review_list_free(&l);
		review_queue_free(&q);
		team_scope_free(&scope);
		return rc;
	}
	struct column cols[PEOPLE_N];
	struct buf heads[PEOPLE_N] = {{0}};
	p.t = (struct table)TABLE_OF(data_cols);
	if (p.f == FMT_TABLE) {
		people_headings(&p, cols, heads);
		p.t = (struct table)TABLE_OF(cols);
	}
	table_stream(&p.t, p.f, app->out);   /* not held a second time */
	size_t need = k.need, done = k.done, skipped = k.skipped;
	if (pid)
		for (size_t i = 0; i < l.len; i++)
			print_item(&p, &l.items[i], pid_state);
	else if (kept)
		rc = review_kept_each(app->store, &k, print_item, &p, &app->err);
	else
		rc = review_spill_each(app->store, &how, &app->err);
	if (!kept)
		review_queue_counts(&q, &need, &done, &skipped);
	if (rc < 0) {
		/* a failed read leaves the listing cut short (and its JSON unclosed) */
	} else if (p.f == FMT_TABLE && n_items == 0) {
		char d[DATE_STRLEN];
		fprintf(app->out, "Nothing needs attention on %s.\n", date_format(day, d));
	} else {
		table_print(&p.t, p.f, app->out);
		if (p.f == FMT_TABLE)
			fprintf(app->out, "\n%zu item%s for %zu patient%s; today %zu reviewed, %zu skipped, "
			        "%zu still need review.\n", n_items, n_items == 1 ? "" : "s", p.patients,
			        p.patients == 1 ? "" : "s", done, skipped, need);
	}
	if (rc == 0 && p.f == FMT_TABLE && scope.mine)
		fprintf(app->out, "The patients of %s only; --team for everyone's.\n", scope.login);
	if (rc == 0 && kept) {
		/* listed: the rows whose days end tomorrow made again now, not
		 * before tomorrow's first line (a failure leaves them for then) */
		fflush(app->out);
		review_kept_renew(app->store, day, &app->cfg, &(struct err){0});
	}
	team_scope_free(&scope);
	table_free(&p.t);
	for (size_t c = 0; c < PEOPLE_N; c++)
		buf_free(&heads[c]);
	review_kept_free(&k);
	review_list_free(&l);
	review_queue_free(&q);
	return rc;
}

/* One positional id, and the store opened. */
static int one_id(struct app *app, int argc, char **argv, const struct opt *opts,
                  const char *what, long long *id)
{
	int rc = cli_one_id(app, argc, argv, opts, what, id);
	if (rc < 0)
		return rc;
	if (!app_store(app))
		return app->err.code ? app->err.code : ERR_FAIL;
	return 0;
}

int cmd_review_mark(struct app *app, int argc, char **argv)
{
	const char *date = NULL;
	bool skip = false, clear = false;
	const struct opt opts[] = {{"date", &date, NULL}, {"skip", NULL, &skip},
	                           {"clear", NULL, &clear}, {0}};
	long long id;
	int rc, day = app->today;
	if ((rc = one_id(app, argc, argv, opts, "patient", &id)) < 0 ||
	    (date && (rc = cli_date(app, date, "--date", &day)) < 0))
		return rc;
	if (skip && clear)
		return app_usage(app, "give --skip or --clear, not both");
	if (review_mark(app->store, day, id, clear ? REVIEW_NONE : skip ? REVIEW_SKIPPED : REVIEW_DONE,
	                NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

/* A review action on one record, named by its id. */
static int act_on(struct app *app, int argc, char **argv, const char *what,
                  int (*act)(struct store *, long long, long long, struct change *,
                             struct err *))
{
	long long id;
	int rc;
	if ((rc = one_id(app, argc, argv, NULL, what, &id)) < 0)
		return rc;
	if (act(app->store, id, app->now, NULL, &app->err) < 0)
		return ERR_FAIL;
	fprintf(app->out, "%lld\n", id);
	return 0;
}

int cmd_review_ack(struct app *app, int argc, char **argv)
{
	return act_on(app, argc, argv, "timeline entry", care_acknowledge);
}

int cmd_review_transport(struct app *app, int argc, char **argv)
{
	return act_on(app, argc, argv, "appointment", care_confirm_transport);
}
