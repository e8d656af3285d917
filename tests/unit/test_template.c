/* Unit tests: care-plan templates (offsets, parsing, errors with their
 * place) and their expansion into dated tasks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/plan.h"
#include "caseload/template.h"

static const struct holidays us = {.us_federal = true};

static const char *fmt(int days)
{
	static char buf[4][DATE_STRLEN];
	static int i;
	i = (i + 1) % 4;
	return date_format(days, buf[i]);
}

static int D(const char *iso)
{
	int d = 0;
	assert_int_equal(date_parse_iso(iso, &d), 0);
	return d;
}

/* The template's own rule on offsets (the grammar is date.c's). */
static void test_offsets(void **state)
{
	(void)state;
	static const char head[] = "name: x\ntitle: y\nversion: 1\ntasks:\n  - title: a\n    due: ";
	static const struct {
		const char *due, *msg;
	} cases[] = {
		{"-1d", "'-1d' is negative"}, {"-0d", "negative"}, {"+2x", "'+2x' is not an offset"},
		{"+121mo", "'+121mo' is more than ten years"}, {"+11y", "more than ten years"},
		{"+3661d", "more than ten years"}, {"+523w", "more than ten years"},
		{"+2611bd", "more than ten years"}, {"+", "not an offset"}, {"\"\"", "not an offset"},
		{"+99999999999999999999d", "leaves the years 1900-2200"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[256];
		struct template t;
		struct err e = {0};
		snprintf(text, sizeof text, "%s%s\n", head, cases[i].due);
		assert_int_equal(template_load_string(text, strlen(text), "o.yaml", &t, &e), ERR_FAIL);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("'%s': message '%s' lacks '%s'", cases[i].due, e.msg, cases[i].msg);
		assert_int_equal(e.line, 6);
		assert_int_equal(e.col, 10);
	}
	/* the limits themselves, and a unit in capitals */
	static const char *const fine[] = {"+3660d", "+522w", "+120mo", "+10y", "+2610bd", "7d",
	                                   "+2BD"};
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		char text[256];
		struct template t;
		struct err e = {0};
		snprintf(text, sizeof text, "%s%s\n", head, fine[i]);
		assert_int_equal(template_load_string(text, strlen(text), "o.yaml", &t, &e), 0);
		template_free(&t);
	}
}

static const char good[] =
	"name: sample\n"
	"title: A sample plan\n"
	"version: 2\n"
	"review_every: +1mo\n"
	"checkin_cadence: 2w\n"
	"goals:\n"
	"  - description: Stay home\n"
	"    target: 0 admissions\n"
	"    due: +30d\n"
	"tasks:\n"
	"  - title: First call\n"
	"    kind: call\n"
	"    priority: urgent\n"
	"    due: +2bd\n"
	"  - title: Monthly call\n"
	"    kind: call\n"
	"    due: +0d\n"
	"    every: 1mo\n"
	"    count: 3\n"
	"appointments:\n"
	"  - with: primary care\n"
	"    reason: follow-up visit\n"
	"    within: {high: +7d, other: +14d}\n"
	"    transport: needed\n"
	"education:\n"
	"  - Warning signs\n"
	"resources:\n"
	"  - service: Meals on wheels\n"
	"    due: +1w\n";

static void test_parse(void **state)
{
	(void)state;
	struct template t;
	struct err e = {0};
	assert_int_equal(template_load_string(good, sizeof good - 1, "good.yaml", &t, &e), 0);
	assert_string_equal(t.name, "sample");
	assert_string_equal(t.version, "2");
	assert_int_equal(t.checkin_cadence, 14);
	assert_true(t.has_review);
	assert_int_equal(t.n_goals, 1);
	assert_string_equal(t.goals[0].target, "0 admissions");
	/* 2 tasks, the visit and its transport, education, resource */
	assert_int_equal(t.n_tasks, 6);
	assert_int_equal(t.tasks[2].section, TPL_APPOINTMENT);
	assert_string_equal(t.tasks[2].title, "Arrange follow-up visit with primary care");
	assert_string_equal(t.tasks[2].kind, "followup");
	assert_true(t.tasks[2].due.varies);
	assert_int_equal(t.tasks[2].due.by_risk[2].n, 7);    /* high */
	assert_int_equal(t.tasks[2].due.by_risk[0].n, 14);   /* low: other */
	assert_string_equal(t.tasks[3].kind, "transport");
	assert_string_equal(t.tasks[4].title, "Teach and give: Warning signs");
	assert_int_equal(t.tasks[4].due.by_risk[1].n, 7);    /* default +7d */
	assert_string_equal(t.tasks[5].kind, "referral");
	assert_int_equal(t.education.len, 1);
	assert_string_equal(t.resources.items[0], "Meals on wheels");
	template_free(&t);
}

/* The error for a text: message part and place. */
static void bad(const char *text, int line, int col, const char *msg)
{
	struct template t;
	struct err e = {0};
	assert_int_equal(template_load_string(text, strlen(text), "bad.yaml", &t, &e), ERR_FAIL);
	if (!strstr(e.msg, msg))
		fail_msg("message '%s' lacks '%s'", e.msg, msg);
	assert_string_equal(e.file, "bad.yaml");
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	assert_null(t.name);
}

static void test_errors(void **state)
{
	(void)state;
	bad("name: x\ntitel: y\n", 2, 1, "unknown key 'titel' (did you mean 'title'?)");
	bad("name: x\ntitle: y\n", 1, 1, "missing required key 'version'");
	bad("name: X Y\ntitle: y\nversion: 1\n", 1, 7, "lowercase");
	bad("name: x\ntitle: y\nversion: 1\ntasks:\n  - title: a\n    due: soon\n", 6, 10,
	    "'soon' is not an offset");
	bad("name: x\ntitle: y\nversion: 1\ntasks:\n  - title: a\n    due: +1d\n    kind: phone\n",
	    7, 11, "kind 'phone' is not one of");
	bad("name: x\ntitle: y\nversion: 1\ngoals: {description: a}\n", 4, 8, "must be a list");
	bad("name: x\ntitle: y\nversion: 1\ntasks:\n  - title: [a, b]\n    due: +1d\n", 5, 12,
	    "title must be text, not a list");
	bad("name: x\ntitle: y\nversion: 1\ntasks:\n  - title: a\n    due: +1d\n    count: 3\n",
	    7, 5, "'count' needs 'every'");
	bad("name: x\ntitle: y\nversion: 1\ntasks:\n  - title: a\n    due: +1d\n    every: 1w\n"
	    "    count: 500\n", 8, 12, "count must be from 1 to 120");
	bad("name: x\ntitle: y\nversion: 1\n", 1, 1, "no goals, tasks");
	bad("", 1, 1, "the file is empty");
	bad("name: x\ntitle: ~\nversion: 1\n", 2, 8, "'title' is empty");
	bad("name: x\ntitle: y\nversion: 1\ncheckin_cadence: 1mo\ngoals:\n  - description: a\n",
	    4, 18, "checkin_cadence must be 1 to 365 days");
	bad("name: x\ntitle: y\nversion: 1\ngoals:\n  - description: a\n    due: {high: +1d, "
	    "hgh: +2d}\n", 6, 22, "unknown key 'hgh' (did you mean 'high'?)");
	bad("name: x\ntitle: &t y\n", 2, 8, "anchors");
	bad("name: x\n  title: y\n", 2, 8, "mapping values are not allowed");
}

static const char *due_of(const struct plan_draft *d, const char *title, int seq)
{
	for (size_t i = 0; i < d->len; i++)
		if (!strcmp(d->items[i].task->title, title) && d->items[i].seq == seq)
			return fmt(d->items[i].due);
	return "none";
}

static void test_expand(void **state)
{
	(void)state;
	struct template t;
	struct err e = {0};
	struct plan_draft d;
	assert_int_equal(template_load_string(good, sizeof good - 1, "good.yaml", &t, &e), 0);

	/* high risk, from the Tuesday before Thanksgiving */
	assert_int_equal(plan_expand(&t, D("2026-11-24"), 2, &us, &d, &e), 0);
	assert_string_equal(due_of(&d, "First call", 0), "2026-11-27");
	assert_string_equal(due_of(&d, "Arrange follow-up visit with primary care", 0), "2026-12-01");
	assert_string_equal(due_of(&d, "Monthly call", 3), "2027-01-24");
	assert_string_equal(fmt(d.goal_due[0]), "2026-12-24");
	/* sorted by due date */
	for (size_t i = 1; i < d.len; i++)
		assert_true(d.items[i - 1].due <= d.items[i].due);
	/* horizon 2027-01-24: reviews 12-24 and 01-24 */
	assert_string_equal(due_of(&d, "Review the care plan: A sample plan", 2), "2027-01-24");
	assert_string_equal(due_of(&d, "Review the care plan: A sample plan", 3), "none");
	char *r = plan_item_recurrence(&d.items[0]);
	assert_string_equal(d.items[0].task->title, "Monthly call");
	assert_string_equal(r, "every 1mo, 1 of 3");
	free(r);
	plan_draft_free(&d);

	/* low risk, from a month's last day: months clamp and come back */
	assert_int_equal(plan_expand(&t, D("2027-01-31"), 0, &us, &d, &e), 0);
	assert_string_equal(due_of(&d, "Arrange follow-up visit with primary care", 0), "2027-02-14");
	assert_string_equal(due_of(&d, "Monthly call", 1), "2027-01-31");
	assert_string_equal(due_of(&d, "Monthly call", 2), "2027-02-28");
	assert_string_equal(due_of(&d, "Monthly call", 3), "2027-03-31");
	assert_int_equal(plan_check(&t, D("2026-11-24"), &us, &e), 0);
	plan_draft_free(&d);
	template_free(&t);

	/* until bounds the repeats; too many is an error at the task */
	static const char until[] =
		"name: u\ntitle: U\nversion: 1\ntasks:\n"
		"  - title: Biweekly\n    due: +2w\n    every: 2w\n    until: +3mo\n";
	assert_int_equal(template_load_string(until, sizeof until - 1, "u.yaml", &t, &e), 0);
	assert_int_equal(plan_expand(&t, D("2026-11-24"), 1, &us, &d, &e), 0);
	assert_int_equal(d.len, 6);   /* 12-08 ... 02-16; 03-02 is past 02-24 */
	assert_string_equal(due_of(&d, "Biweekly", 6), "2027-02-16");
	plan_draft_free(&d);
	template_free(&t);

	static const char many[] =
		"name: m\ntitle: M\nversion: 1\ntasks:\n"
		"  - title: Daily\n    due: +0d\n    every: 1d\n    until: +1y\n";
	assert_int_equal(template_load_string(many, sizeof many - 1, "m.yaml", &t, &e), 0);
	assert_int_equal(plan_expand(&t, D("2026-11-24"), 1, &us, &d, &e), ERR_FAIL);
	assert_int_equal(e.line, 5);
	assert_int_equal(e.col, 5);
	assert_non_null(strstr(e.msg, "more than 120 times"));
	assert_int_equal(plan_check(&t, D("2026-11-24"), &us, &e), ERR_FAIL);
	template_free(&t);

	/* a plan that would run past the calendar's end is refused at the entry */
	assert_int_equal(template_load_string(good, sizeof good - 1, "good.yaml", &t, &e), 0);
	assert_int_equal(plan_expand(&t, D("2200-12-20"), 1, &us, &d, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "past 2200-12-31"));
	assert_string_equal(e.file, "good.yaml");
	assert_true(e.line > 0);
	assert_int_equal(plan_check(&t, D("2200-12-20"), &us, &e), ERR_FAIL);
	template_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_expand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
