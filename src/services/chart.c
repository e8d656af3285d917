/* chart: one patient's whole record, gathered once for every front end. */
#include <stdlib.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/chart.h"
#include "caseload/program.h"
#include "caseload/store.h"
#include "caseload/store_plan.h"
#include "caseload/tz.h"

void chart_free(struct chart *c)
{
	patient_clear(&c->p);
	condition_list_free(&c->conditions);
	contact_list_free(&c->team);
	medication_list_free(&c->meds);
	for (size_t i = 0; i < c->plans.len; i++) {
		care_plan_clear(&c->plans.items[i].plan);
		goal_list_free(&c->plans.items[i].goals);
		task_list_free(&c->plans.items[i].tasks);
	}
	free(c->plans.items);
	task_list_free(&c->tasks);
	entry_list_free(&c->contacts);
	occurrence_list_free(&c->upcoming);
	consent_list_free(&c->consents);
	episode_list_free(&c->episodes);
	memset(c, 0, sizeof *c);
}

/* The active plans, each with its goals and open tasks. */
static int read_plans(struct store *s, long long pid, struct chart *c, struct err *e)
{
	struct plan_list pl = {0};
	if (store_plan_list(s, pid, true, &pl, e) < 0) {
		plan_list_free(&pl);
		return e->code;
	}
	int rc = 0;
	for (size_t i = 0; i < pl.len; i++) {
		struct chart_plan *cp = LIST_PUSH(&c->plans);
		memset(cp, 0, sizeof *cp);
		cp->plan = pl.items[i];          /* taken over */
		pl.items[i] = (struct care_plan){0};
		struct task_query q = {.patient_id = pid, .plan_id = cp->plan.id};
		if (rc == 0 && (rc = store_goal_list(s, cp->plan.id, &cp->goals, e)) == 0)
			rc = store_task_list(s, &q, &cp->tasks, e);
	}
	plan_list_free(&pl);
	return rc;
}

/* This calendar month's contact attempts (an outcome) and minutes. */
static int read_month(struct store *s, long long pid, const struct chart_when *w, struct chart *c,
                      struct err *e)
{
	int y, m, d;
	date_to_ymd(w->today, &y, &m, &d);
	int first = date_from_ymd(y, m, 1), last = first + date_days_in_month(y, m) - 1;
	date_format(first, c->month_from);
	date_format(last, c->month_to);
	struct entry_list all = {0};
	int rc = store_entry_list(s, pid, tz_local_midnight(w->zone, first),
	                          tz_local_midnight(w->zone, last + 1), 0, &all, e);
	for (size_t i = 0; rc == 0 && i < all.len; i++) {
		if (!all.items[i].outcome)
			continue;
		*LIST_PUSH(&c->contacts) = all.items[i];   /* taken over */
		all.items[i] = (struct entry){0};
	}
	entry_list_free(&all);
	if (rc == 0)
		rc = store_time_minutes(s, pid, c->month_from, c->month_to, &c->ccm_minutes, e);
	if (rc == 0)
		rc = program_consents(s, pid, &c->consents, e);
	if (rc == 0)
		rc = program_list(s, pid, NULL, c->month_from, c->month_to, w->today, &c->episodes, e);
	return rc;
}

/* A day as the front end shows it (ISO for DATE_NONE). */
static const char *show_day(const char *iso, int today, char out[DATE_SHOW_STRLEN])
{
	if (today == DATE_NONE || !iso)
		return iso ? iso : "?";
	return date_show_iso(iso, today, out);
}

char *chart_consent_line(const struct consent *c, int today)
{
	char given[DATE_SHOW_STRLEN], gone[DATE_SHOW_STRLEN];
	char *withdrawn = c->withdrawn ? xasprintf(", withdrawn %s", show_day(c->withdrawn, today, gone))
	                               : xstrdup("");
	char *line = xasprintf("%s %s %s, captured by %s%s (consent %lld)",
	                       program_label(c->program), c->method, show_day(c->given, today, given),
	                       c->captured_by, withdrawn, c->id);
	free(withdrawn);
	return line;
}

char *chart_episode_line(const struct episode *ep, int today)
{
	char from[DATE_SHOW_STRLEN], to[DATE_SHOW_STRLEN];
	if (!episode_open(ep->status))
		return xasprintf("%s %s, %s to %s (episode %lld)", program_label(ep->program),
		                 ep->status, show_day(ep->started, today, from),
		                 show_day(ep->ended, today, to), ep->id);
	return xasprintf("%s %s from %s: %lld of %d minutes this month (episode %lld)",
	                 program_label(ep->program), ep->status, show_day(ep->started, today, from),
	                 ep->minutes, ep->threshold, ep->id);
}

int chart_read(struct store *s, long long patient_id, const struct chart_when *w,
               const struct config *cfg, struct chart *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct config defaults;
	if (!cfg) {
		config_defaults(&defaults);
		cfg = &defaults;
	}
	out->ccm_target = cfg->review.ccm_minutes;
	struct task_query tq = {.patient_id = patient_id};
	if (store_patient_get(s, patient_id, &out->p, e) < 0 ||
	    audit_read(s, "read", w->source ? w->source : "chart", patient_id, -1, e) < 0 ||
	    store_condition_list(s, patient_id, true, &out->conditions, e) < 0 ||
	    store_contact_list(s, patient_id, &out->team, e) < 0 ||
	    store_med_list(s, patient_id, &out->meds, e) < 0 ||
	    read_plans(s, patient_id, out, e) < 0 ||
	    store_task_list(s, &tq, &out->tasks, e) < 0 || read_month(s, patient_id, w, out, e) < 0 ||
	    recur_range(s, patient_id, w->now, w->now + CHART_AHEAD_DAYS * (long long)DAY_SECONDS,
	                &out->upcoming, e) < 0)
		return e->code;
	for (size_t i = 0; i < out->episodes.len; i++)
		out->episodes.items[i].threshold =
			program_threshold(cfg, out->episodes.items[i].program, out->month_from);
	return 0;
}

char *chart_med_line(const struct medication *m, int today)
{
	bool stopped = code_find(&MED_STATUS, m->status) != MED_ACTIVE;
	char shown[DATE_SHOW_STRLEN];
	const char *due = date_show_iso(m->refill_due, today, shown);
	return xasprintf("%s%s%s%s%s%s", m->name, m->dose ? " " : "", m->dose ? m->dose : "",
	                 due ? ", refill due " : "", due ? due : "",
	                 stopped ? " (stopped)" : "");
}

char *chart_team_line(const struct contact *c)
{
	return xasprintf("%s (%s)%s%s", c->name, c->role ? c->role : c->kind, c->phone ? "  " : "",
	                 c->phone ? c->phone : "");
}

char *chart_task_line(const struct task *t, int today)
{
	char shown[DATE_SHOW_STRLEN];
	const char *due = date_show_iso(t->due, today, shown);
	return xasprintf("#%lld %s%s%s", t->id, t->title, due ? ", due " : "", due ? due : "");
}
