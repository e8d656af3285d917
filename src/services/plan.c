/* plan: expanding a template into dated goals and tasks, and writing
 * them for a patient in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "caseload/model.h"
#include "caseload/plan.h"
#include "caseload/store.h"
#include "caseload/store_plan.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"

static void add_item(struct plan_draft *d, const struct tpl_task *k, int due, int seq,
                     int order)
{
	struct plan_item *it = LIST_PUSH(d);
	it->task = k;
	it->due = due;
	it->seq = seq;
	it->order = order;
	if (due > d->horizon)
		d->horizon = due;
}

/* base moved k times o, or an error at the entry (line, col) when that
 * leaves the calendar (a start close to its last year). */
static int shift(const struct template *t, int line, int col, struct date_offset o, int k,
                 int base, const struct holidays *h, int *out, struct err *e)
{
	struct date_offset ko = {o.n * k, o.unit};
	if (date_offset_apply(ko, base, h, out) == 0)
		return 0;
	char from[DATE_STRLEN], by[DATE_OFFSET_STRLEN];
	return err_set_at(e, ERR_FAIL, t->path, line, col, "%s from %s is past %d-12-31",
	                  date_offset_format(ko, by), date_format(base, from), DATE_LAST_YEAR);
}

/* Occurrence n of a task: when due and every share a unit, counted from
 * the start in one step, so that +1mo every 1mo from Jan 31 gives Feb 28,
 * Mar 31, Apr 30 rather than drifting to the 28th. */
static int occurrence(const struct template *t, const struct tpl_task *k, struct date_offset due,
                      int start, int n, const struct holidays *h, int *out, struct err *e)
{
	if (due.unit == k->every.unit) {
		struct date_offset o = {due.n + n * k->every.n, due.unit};
		return shift(t, k->line, k->col, o, 1, start, h, out, e);
	}
	int first;
	if (shift(t, k->line, k->col, due, 1, start, h, &first, e) < 0)
		return ERR_FAIL;
	return shift(t, k->line, k->col, k->every, n, first, h, out, e);
}

static int expand_task(const struct template *t, const struct tpl_task *k, int order,
                       int start, int risk, const struct holidays *h, struct plan_draft *d,
                       struct err *e)
{
	struct date_offset due = k->due.by_risk[risk];
	int day, until = 0;
	if (!k->repeats) {
		if (shift(t, k->line, k->col, due, 1, start, h, &day, e) < 0)
			return ERR_FAIL;
		add_item(d, k, day, 0, order);
		return 0;
	}
	if (k->has_until && shift(t, k->line, k->col, k->until, 1, start, h, &until, e) < 0)
		return ERR_FAIL;
	size_t first = d->len;
	for (int n = 0; k->count == 0 || n < k->count; n++) {
		if (occurrence(t, k, due, start, n, h, &day, e) < 0)
			return ERR_FAIL;
		if (k->has_until && day > until)
			break;
		if (n == TPL_MAX_REPEAT)
			return err_set_at(e, ERR_FAIL, t->path, k->line, k->col,
			                  "'%s' repeats more than %d times before its 'until'; use a "
			                  "longer 'every' or a shorter 'until'", k->title, TPL_MAX_REPEAT);
		add_item(d, k, day, n + 1, order);
	}
	if (d->len == first)
		return err_set_at(e, ERR_FAIL, t->path, k->line, k->col,
		                  "'%s': 'until' comes before the first due date", k->title);
	for (size_t i = first; i < d->len; i++)
		d->items[i].of = (int)(d->len - first);
	return 0;
}

static int by_due(const void *a, const void *b)
{
	const struct plan_item *x = a, *y = b;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->seq - y->seq;
}

int plan_expand(const struct template *t, int start, int risk, const struct holidays *h,
                struct plan_draft *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->start = out->horizon = start;
	if (risk < 0 || risk >= TPL_RISKS)
		risk = 1;
	out->n_goals = t->n_goals;
	out->goal_due = xcalloc(t->n_goals + 1, sizeof *out->goal_due);
	for (size_t i = 0; i < t->n_goals; i++) {
		const struct tpl_goal *g = &t->goals[i];
		out->goal_due[i] = DATE_NONE;
		if (g->has_due && shift(t, g->line, g->col, g->due.by_risk[risk], 1, start, h,
		                        &out->goal_due[i], e) < 0)
			goto fail;
		if (g->has_due && out->goal_due[i] > out->horizon)
			out->horizon = out->goal_due[i];
	}
	for (size_t i = 0; i < t->n_tasks; i++)
		if (expand_task(t, &t->tasks[i], (int)i, start, risk, h, out, e) < 0)
			goto fail;
	if (t->has_review) {
		/* reviews every review_every up to the plan's horizon, at least one */
		int horizon = out->horizon;
		for (int n = 1;; n++) {
			int day;
			if (shift(t, t->review.line, t->review.col, t->review_every, n, start, h, &day,
			          e) < 0)
				goto fail;
			if (n > 1 && day > horizon)
				break;
			if (n > TPL_MAX_REPEAT) {
				err_set_at(e, ERR_FAIL, t->path, t->review.line, t->review.col,
				           "review_every gives more than %d reviews before the plan's last "
				           "task", TPL_MAX_REPEAT);
				goto fail;
			}
			add_item(out, &t->review, day, n, (int)t->n_tasks);
		}
	}
	if (out->len)
		qsort(out->items, out->len, sizeof *out->items, by_due);
	return 0;
fail:
	plan_draft_free(out);
	return ERR_FAIL;
}

void plan_draft_free(struct plan_draft *d)
{
	free(d->items);
	free(d->goal_due);
	memset(d, 0, sizeof *d);
}

char *plan_item_recurrence(const struct plan_item *it)
{
	char o[DATE_OFFSET_STRLEN];
	if (it->task->section == TPL_REVIEW)
		return xasprintf("every %s", date_offset_format(it->task->due.by_risk[0], o) + 1);
	if (!it->task->repeats)
		return NULL;
	return xasprintf("every %s, %d of %d", date_offset_format(it->task->every, o) + 1, it->seq,
	                 it->of);
}

int plan_check(const struct template *t, int start, const struct holidays *h, struct err *e)
{
	for (int r = 0; r < TPL_RISKS; r++) {
		struct plan_draft d;
		if (plan_expand(t, start, r, h, &d, e) < 0)
			return ERR_FAIL;
		plan_draft_free(&d);
	}
	return 0;
}

static char *plan_detail(const struct template *t)
{
	struct buf b = {0};
	if (t->description)
		buf_addf(&b, "%s\n", t->description);
	const struct strlist *lists[] = {&t->education, &t->resources};
	const char *heads[] = {"Education", "Community resources"};
	for (int i = 0; i < 2; i++) {
		if (!lists[i]->len)
			continue;
		buf_addf(&b, "%s%s: ", b.len ? "\n" : "", heads[i]);
		for (size_t j = 0; j < lists[i]->len; j++)
			buf_addf(&b, "%s%s", j ? "; " : "", lists[i]->items[j]);
	}
	buf_addf(&b, "%sFrom template %s, version %s.", b.len ? "\n" : "", t->name, t->version);
	return buf_steal(&b);
}

static int write_plan(struct store *s, const struct template *t, const struct plan_apply_opts *o,
                      const struct plan_draft *d, struct patient *p, long long *plan_id,
                      struct err *e)
{
	char day[DATE_STRLEN], every[DATE_OFFSET_STRLEN];
	struct care_plan plan = {
		.patient_id = o->patient_id, .template_name = t->name, .title = t->title,
		.status = "active", .start = date_format(o->start, day),
		.review_every = t->has_review ? date_offset_format(t->review_every, every) : NULL,
	};
	char *detail = plan_detail(t);
	int rc = store_plan_add(s, &plan, detail, e);
	free(detail);
	if (rc < 0)
		return rc;
	*plan_id = plan.id;
	for (size_t i = 0; i < t->n_goals; i++) {
		char due[DATE_STRLEN];
		struct goal g = {
			.plan_id = plan.id, .patient_id = o->patient_id,
			.description = t->goals[i].description, .target = t->goals[i].target,
			.due = d->goal_due[i] == DATE_NONE ? NULL : date_format(d->goal_due[i], due),
		};
		if (store_goal_add(s, &g, e) < 0)
			return ERR_FAIL;
	}
	for (size_t i = 0; i < d->len; i++) {
		const struct plan_item *it = &d->items[i];
		char due[DATE_STRLEN];
		struct task k = {
			.patient_id = o->patient_id, .title = it->task->title, .kind = it->task->kind,
			.priority = it->task->priority, .due = date_format(it->due, due),
			.plan_id = plan.id, .note = it->task->note,
		};
		k.recurrence = plan_item_recurrence(it);
		rc = store_task_add(s, &k, e);
		str_free(k.recurrence);
		if (rc < 0)
			return ERR_FAIL;
	}
	/* The check-in cadence only ever tightens: a patient already called
	 * more often than the template asks keeps that cadence. */
	int current = p->cadence_days ? p->cadence_days : risk_default_cadence(p->risk);
	if (t->checkin_cadence && t->checkin_cadence < current) {
		p->cadence_days = t->checkin_cadence;
		if (store_patient_update(s, p, e) < 0)
			return ERR_FAIL;
	}
	char *text = xasprintf("Care plan started: %s (template %s; %zu goals, %zu tasks)",
	                       t->title, t->name, t->n_goals, d->len);
	struct entry en = {
		.patient_id = o->patient_id, .at = o->now, .kind = "plan-event", .text = text,
		.ref_table = "care_plan", .ref_id = plan.id,
	};
	rc = store_entry_add(s, &en, e);
	free(text);
	return rc;
}

int plan_apply(struct store *s, const struct template *t, const struct plan_apply_opts *o,
               long long *plan_id, struct change *ch, struct err *e)
{
	struct patient p = {0};
	struct plan_draft d = {0};
	long long existing = 0;
	int rc = ERR_FAIL;
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, o->patient_id, "applied template %s to patient %lld", t->name,
	                o->patient_id);
	if (store_patient_get(s, o->patient_id, &p, e) < 0 ||
	    plan_expand(t, o->start, code_find(&RISK, p.risk), o->holidays, &d, e) < 0 ||
	    store_plan_find_active(s, o->patient_id, t->name, &existing, e) < 0)
		goto fail;
	if (existing && !o->again) {
		struct care_plan old = {0};
		if (store_plan_get(s, existing, &old, NULL, e) == 0)
			err_set(e, ERR_CONFLICT, "patient %lld already has an active '%s' plan (plan "
			        "%lld, started %s); close it with 'caseload plan close %lld', or give "
			        "--again for a second one", o->patient_id, t->name, existing,
			        old.start, existing);
		care_plan_clear(&old);
		goto fail;
	}
	if (write_plan(s, t, o, &d, &p, plan_id, e) < 0)
		goto fail;
	if ((rc = store_commit(s, e)) == 0) {
		/* the plan, its tasks and goals, the cadence, a timeline event */
		change_record(ch, CHANGE_PLAN | CHANGE_TASK | CHANGE_PATIENT | CHANGE_ENTRY, o->patient_id, *plan_id);
	}
	goto out;
fail:
	store_rollback(s);
	rc = e->code ? e->code : ERR_FAIL;
out:
	patient_clear(&p);
	plan_draft_free(&d);
	return rc;
}

int plan_close(struct store *s, long long plan_id, const char *status, long long version,
               long long now, int *cancelled, struct change *ch, struct err *e)
{
	struct care_plan p = {0};
	if (!status)
		status = "completed";
	*cancelled = 0;
	if (!plan_status_closes(status))
		return err_set(e, ERR_USAGE, "a plan closes as completed or revoked, not %s",
		               TEXT_ARG(status));
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_plan_get(s, plan_id, &p, NULL, e) < 0)
		goto fail;
	if (!plan_status_open(p.status) && (!version || version == p.version)) {
		err_set(e, ERR_CONFLICT, "care plan %lld is already %s", plan_id, p.status);
		goto fail;
	}
	if (store_plan_set_status(s, plan_id, status, version ? version : p.version, e) < 0 ||
	    store_plan_cancel_tasks(s, plan_id, cancelled, e) < 0)
		goto fail;
	char *text = xasprintf("Care plan %s: %s (%d open tasks cancelled)", status, p.title,
	                       *cancelled);
	struct entry en = {
		.patient_id = p.patient_id, .at = now, .kind = "plan-event", .text = text,
		.ref_table = "care_plan", .ref_id = plan_id,
	};
	int rc = store_entry_add(s, &en, e);
	free(text);
	if (rc < 0)
		goto fail;
	if (store_commit(s, e) < 0) {
		care_plan_clear(&p);
		return e->code;
	}
	change_record(ch, CHANGE_PLAN | CHANGE_TASK | CHANGE_ENTRY, p.patient_id, plan_id);
	care_plan_clear(&p);
	return 0;
fail:
	care_plan_clear(&p);
	store_rollback(s);
	return e->code ? e->code : ERR_FAIL;
}
