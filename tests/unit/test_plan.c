/* Unit tests: a care-plan template applied to a patient on a scratch
 * database — the plan, its goals and dated tasks (business days around
 * Thanksgiving, repeats), the check-in cadence that only tightens, the
 * timeline event; a second active plan refused unless asked for; and all
 * or nothing when the last write fails.  Closing cancels open tasks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/plan.h"
#include "caseload/store.h"
#include "caseload/store_plan.h"
#include "caseload/template.h"
#include "fixture.h"

static const char plan_yaml[] =
	"name: unit\n"
	"title: Unit plan\n"
	"version: 3\n"
	"checkin_cadence: 10\n"
	"goals:\n"
	"  - description: Stay home\n"
	"    target: 0 admissions\n"
	"    due: +30d\n"
	"  - description: Feel able to manage\n"
	"tasks:\n"
	"  - title: First call\n"
	"    kind: call\n"
	"    priority: urgent\n"
	"    due: +2bd\n"
	"  - title: Weigh-in call\n"
	"    kind: call\n"
	"    due: +1w\n"
	"    every: 1w\n"
	"    count: 3\n";

static const struct holidays us = {.us_federal = true};

struct fix {
	struct store *s;
	struct template t;
};

static int setup(void **state)
{
	static struct fix f;
	struct err e = {0};
	if (fixture_store_setup(state) < 0)
		return -1;
	f.s = *state;
	if (template_load_string(plan_yaml, sizeof plan_yaml - 1, "unit.yaml", &f.t, &e) < 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	template_free(&f->t);
	*state = f->s;
	return fixture_store_teardown(state);
}

static int day(const char *iso)
{
	int d;
	assert_int_equal(date_parse_iso(iso, &d), 0);
	return d;
}

static struct plan_apply_opts opts(long long pid)
{
	return (struct plan_apply_opts){.patient_id = pid, .start = day("2026-11-24"),
	                                .now = 1795000000, .holidays = &us};
}

/* Rows of a table, for all-or-nothing checks (either engine). */
static long long count(const char *sql)
{
	long long n = -1;
	assert_int_equal(fixture_sql("test.db", sql, &n), 0);
	return n;
}

static void exec(const char *sql)
{
	assert_int_equal(fixture_sql("test.db", sql, NULL), 0);
}

static int cadence(struct store *s, long long pid)
{
	struct patient p = {0};
	struct err e = {0};
	assert_int_equal(store_patient_get(s, pid, &p, &e), 0);
	int c = p.cadence_days;
	patient_clear(&p);
	return c;
}

static void test_apply(void **state)
{
	struct fix *f = *state;
	struct err e = {0};
	long long pid = fixture_patient(f->s, "Applied", "medium");
	struct plan_apply_opts o = opts(pid);
	long long plan = 0;
	struct change ch = {0};
	assert_int_equal(plan_apply(f->s, &f->t, &o, &plan, &ch, &e), 0);
	assert_true(plan > 0);
	/* what the screen reloads: the plan, its tasks, the cadence, the timeline */
	assert_int_equal(ch.kinds, CHANGE_PLAN | CHANGE_TASK | CHANGE_PATIENT | CHANGE_ENTRY);
	assert_int_equal(ch.patient_id, pid);
	assert_int_equal(ch.id, plan);

	struct care_plan cp = {0};
	char *detail = NULL;
	assert_int_equal(store_plan_get(f->s, plan, &cp, &detail, &e), 0);
	assert_string_equal(cp.status, "active");
	assert_string_equal(cp.start, "2026-11-24");
	assert_string_equal(cp.template_name, "unit");
	assert_string_equal(cp.title, "Unit plan");
	assert_non_null(strstr(detail, "From template unit, version 3."));
	care_plan_clear(&cp);
	free(detail);

	/* tasks by due date: +2bd from the Tuesday before Thanksgiving is the
	 * Friday; the weekly call three times from a week on */
	struct task_list tl = {0};
	struct task_query q = {.plan_id = plan};
	assert_int_equal(store_task_list(f->s, &q, &tl, &e), 0);
	assert_int_equal(tl.len, 4);
	static const char *const want[][4] = {
		{"First call", "2026-11-27", "urgent", NULL},
		{"Weigh-in call", "2026-12-01", "routine", "every 1w, 1 of 3"},
		{"Weigh-in call", "2026-12-08", "routine", "every 1w, 2 of 3"},
		{"Weigh-in call", "2026-12-15", "routine", "every 1w, 3 of 3"},
	};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(tl.items[i].title, want[i][0]);
		assert_string_equal(tl.items[i].due, want[i][1]);
		assert_string_equal(tl.items[i].priority, want[i][2]);
		if (want[i][3])
			assert_string_equal(tl.items[i].recurrence, want[i][3]);
		else
			assert_null(tl.items[i].recurrence);
		assert_string_equal(tl.items[i].status, "requested");
		assert_string_equal(tl.items[i].kind, "call");
		assert_int_equal(tl.items[i].patient_id, pid);
		assert_int_equal(tl.items[i].plan_id, plan);
	}
	task_list_free(&tl);

	struct goal_list gl = {0};
	assert_int_equal(store_goal_list(f->s, plan, &gl, &e), 0);
	assert_int_equal(gl.len, 2);
	assert_string_equal(gl.items[0].description, "Stay home");
	assert_string_equal(gl.items[0].target, "0 admissions");
	assert_string_equal(gl.items[0].due, "2026-12-24");
	assert_null(gl.items[1].due);
	goal_list_free(&gl);

	/* the cadence tightens from medium's 14 days to the template's 10 */
	assert_int_equal(cadence(f->s, pid), 10);

	struct entry_list el = {0};
	assert_int_equal(store_entry_list(f->s, pid, 0, 0, 0, &el, &e), 0);
	assert_int_equal(el.len, 1);
	assert_string_equal(el.items[0].kind, "plan-event");
	assert_string_equal(el.items[0].text, "Care plan started: Unit plan (template unit; 2 goals, "
	                                      "4 tasks)");
	assert_string_equal(el.items[0].ref_table, "care_plan");
	assert_int_equal(el.items[0].ref_id, plan);
	assert_int_equal(el.items[0].at, 1795000000);
	entry_list_free(&el);
}

static void test_cadence_only_tightens(void **state)
{
	struct fix *f = *state;
	struct err e = {0};
	long long high = fixture_patient(f->s, "Tight", "high");     /* 7 days already */
	struct plan_apply_opts o = opts(high);
	long long plan = 0;
	assert_int_equal(plan_apply(f->s, &f->t, &o, &plan, NULL, &e), 0);
	assert_int_equal(cadence(f->s, high), 0);              /* still the risk's default */
}

static void test_second_plan(void **state)
{
	struct fix *f = *state;
	struct err e = {0};
	long long pid = fixture_patient(f->s, "Twice", "low");
	struct plan_apply_opts o = opts(pid);
	long long first = 0, second = 0;
	assert_int_equal(plan_apply(f->s, &f->t, &o, &first, NULL, &e), 0);
	long long tasks = count("SELECT count(*) FROM task");
	long long audit = count("SELECT count(*) FROM audit");

	assert_int_equal(plan_apply(f->s, &f->t, &o, &second, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "already has an active 'unit' plan"));
	assert_non_null(strstr(e.msg, "--again"));
	assert_int_equal(count("SELECT count(*) FROM task"), tasks);
	assert_int_equal(count("SELECT count(*) FROM audit"), audit);

	o.again = true;
	e = (struct err){0};
	assert_int_equal(plan_apply(f->s, &f->t, &o, &second, NULL, &e), 0);
	assert_true(second > first);
	assert_int_equal(count("SELECT count(*) FROM task"), tasks + 4);

	/* an unknown patient: nothing is written */
	struct plan_apply_opts none = opts(98765);
	long long plans = count("SELECT count(*) FROM care_plan");
	assert_int_equal(plan_apply(f->s, &f->t, &none, &second, NULL, &e), ERR_NOTFOUND);
	assert_int_equal(count("SELECT count(*) FROM care_plan"), plans);
}

/* The last write (the timeline event) fails: the plan, its goals and
 * tasks, the cadence and their audit rows are all undone. */
static void test_all_or_nothing(void **state)
{
	struct fix *f = *state;
	struct err e = {0};
	long long pid = fixture_patient(f->s, "Atomic", "medium");
	if (fixture_pg())
		exec("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
		     "IF NEW.kind = 'plan-event' THEN RAISE EXCEPTION 'injected failure'; END IF; "
		     "RETURN NEW; END $$; "
		     "CREATE TRIGGER boom BEFORE INSERT ON entry FOR EACH ROW EXECUTE FUNCTION boom()");
	else
		exec("CREATE TRIGGER boom BEFORE INSERT ON entry WHEN NEW.kind = 'plan-event' "
		     "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
	const char *const tables[] = {"SELECT count(*) FROM care_plan", "SELECT count(*) FROM goal",
	                              "SELECT count(*) FROM task", "SELECT count(*) FROM entry",
	                              "SELECT count(*) FROM audit"};
	long long before[5];
	for (int i = 0; i < 5; i++)
		before[i] = count(tables[i]);
	struct plan_apply_opts o = opts(pid);
	long long plan = 0;
	assert_int_not_equal(plan_apply(f->s, &f->t, &o, &plan, NULL, &e), 0);
	assert_non_null(strstr(e.msg, "injected failure"));
	for (int i = 0; i < 5; i++)
		if (count(tables[i]) != before[i])
			fail_msg("%s: %lld, was %lld", tables[i], count(tables[i]), before[i]);
	assert_int_equal(cadence(f->s, pid), 0);
	exec(fixture_pg() ? "DROP TRIGGER boom ON entry; DROP FUNCTION boom()" : "DROP TRIGGER boom");

	/* and the store works after it */
	e = (struct err){0};
	assert_int_equal(plan_apply(f->s, &f->t, &o, &plan, NULL, &e), 0);
	assert_int_equal(cadence(f->s, pid), 10);
}

static void test_close(void **state)
{
	struct fix *f = *state;
	struct err e = {0};
	long long pid = fixture_patient(f->s, "Closed", "medium");
	struct plan_apply_opts o = opts(pid);
	long long plan = 0;
	assert_int_equal(plan_apply(f->s, &f->t, &o, &plan, NULL, &e), 0);
	struct task_list tl = {0};
	struct task_query q = {.plan_id = plan};
	assert_int_equal(store_task_list(f->s, &q, &tl, &e), 0);
	assert_int_equal(care_task_done(f->s, tl.items[0].id, 1, NULL, &e), 0);
	task_list_free(&tl);

	int cancelled = -1;
	assert_int_equal(plan_close(f->s, plan, "finished", 0, 1, &cancelled, NULL, &e), ERR_USAGE);
	struct care_plan read = {0};
	assert_int_equal(store_plan_get(f->s, plan, &read, NULL, &e), 0);
	assert_true(read.version >= 1);
	struct change closed = {0};
	assert_int_equal(plan_close(f->s, plan, NULL, read.version, 1795100000, &cancelled, &closed, &e), 0);
	assert_true(change_has(&closed, CHANGE_TASK) && change_has(&closed, CHANGE_PLAN));
	assert_int_equal(cancelled, 3);
	int open = -1, total = -1;
	assert_int_equal(store_plan_task_counts(f->s, plan, &open, &total, &e), 0);
	assert_int_equal(open, 0);
	assert_int_equal(total, 4);
	assert_int_equal(plan_close(f->s, plan, "revoked", 0, 1795100001, &cancelled, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "already completed"));
	/* closed by someone else since it was read: refused, saying who and what */
	assert_int_equal(plan_close(f->s, plan, "revoked", read.version, 1795100001, &cancelled, NULL, &e),
	                 ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "care_plan"));
	assert_non_null(strstr(e.msg, "was changed by"));
	assert_non_null(strstr(e.msg, "(update: completed)"));
	assert_non_null(strstr(e.msg, "nothing was saved"));
	struct care_plan now = {0};
	assert_int_equal(store_plan_get(f->s, plan, &now, NULL, &e), 0);
	assert_string_equal(now.status, "completed");
	assert_int_equal(now.version, read.version + 1);
	care_plan_clear(&now);
	care_plan_clear(&read);
	/* a closed plan no longer blocks a new one */
	assert_int_equal(plan_apply(f->s, &f->t, &o, &plan, NULL, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cadence_only_tightens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
