/* chart: everything about one patient that a coordinator reads in one
 * look, gathered in one place for `caseload patient show` and the
 * screen's chart: demographics, conditions, the care team, medications,
 * the active care plans with their goals and tasks, the other open tasks,
 * this calendar month's contact attempts and care management minutes
 * (against the configured target), and the upcoming appointments.  The
 * read is recorded in the audit (one row, naming where it was shown). */
#ifndef CASELOAD_CHART_H
#define CASELOAD_CHART_H
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/err.h"
#include "caseload/model.h"
#include "caseload/program.h"
#include "caseload/recur.h"
#include "caseload/util.h"

struct store;

#define CHART_AHEAD_DAYS 90        /* how far the upcoming appointments reach */

/* An active care plan, its goals and its open tasks. */
struct chart_plan {
	struct care_plan plan;
	struct goal_list goals;
	struct task_list tasks;
};
LIST_OF(chart_plan, chart_plan_list);

struct chart {
	struct patient p;
	struct condition_list conditions;   /* the active ones */
	struct contact_list team;      /* with their roles */
	struct medication_list meds;
	struct chart_plan_list plans;  /* active plans only */
	struct task_list tasks;        /* every open task (a plan's included) */
	struct entry_list contacts;    /* this month's contact attempts (an outcome) */
	long long ccm_minutes;         /* minutes logged this calendar month */
	int ccm_target;                /* the configured monthly target */
	char month_from[DATE_STRLEN], month_to[DATE_STRLEN];   /* the month, first and last day */
	struct occurrence_list upcoming;   /* from now, CHART_AHEAD_DAYS ahead */
	struct consent_list consents;  /* every consent, withdrawn ones too */
	struct episode_list episodes;  /* every program episode, with this month's
	                                  minutes against its threshold */
};

/* What "now" is for a chart. */
struct chart_when {
	int today;                     /* civil date in the coordinator's zone */
	long long now;                 /* UTC */
	const char *zone;              /* the zone the month is counted in */
	const char *source;            /* the audit's word for where it is shown */
};

/* Gather patient_id's chart into *out (cleared first; chart_free it in
 * every case).  cfg may be NULL (the default target). */
int chart_read(struct store *s, long long patient_id, const struct chart_when *w,
               const struct config *cfg, struct chart *out, struct err *e);
void chart_free(struct chart *c);
/* "CCM verbal 2026-10-01, captured by dana (consent 3)", withdrawn or
 * not; "CCM active from 2026-10-01: 17 of 20 minutes this month (episode
 * 1)".  today DATE_NONE keeps ISO dates, else as the screen shows them. */
char *chart_consent_line(const struct consent *c, int today);
char *chart_episode_line(const struct episode *ep, int today);

/* "Aspirin 81 mg, refill due 2026-12-04 (stopped)": a medication's line;
 * today DATE_NONE keeps the ISO dates (the command line), a day shows
 * them as the screen does (date_show: "Fri 4 Dec"). */
char *chart_med_line(const struct medication *m, int today);
/* "Dr Ada Park (primary care)  +1 555-0100": a care-team member's line. */
char *chart_team_line(const struct contact *c);
/* "#12 Call after discharge, due 2026-12-04": an open task's line. */
char *chart_task_line(const struct task *t, int today);

#endif
