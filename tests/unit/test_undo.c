/* test_undo: the undo log (store_undo.c, services/undo.c) — a row changed
 * twice in one change group comes back as it was before the first change;
 * a group that a savepoint's rollback took back is not the connection's
 * last; rows added are deleted and a row another group added since keeps
 * its parent; a group of two rows puts back both; an undo of an undo is
 * refused; and the version check, an earlier group undone after the
 * later ones on the same row were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/store.h"
#include "caseload/undo.h"
#include "fixture.h"

static long long add_task(struct store *s, long long pid, const char *title)
{
	struct err e = {0};
	struct task t = {.patient_id = pid, .title = title, .due = "2026-12-01"};
	if (care_task_add(s, &t, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	return t.id;
}

static void task_is(struct store *s, long long id, const char *status, const char *title,
                    const char *snoozed)
{
	struct err e = {0};
	struct task t = {0};
	if (store_task_get(s, id, &t, &e) < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(t.status, status);
	assert_string_equal(t.title, title);
	if (snoozed)
		assert_string_equal(t.snoozed_until, snoozed);
	else
		assert_null(t.snoozed_until);
	task_clear(&t);
}

/* One group changes a task twice: its undo puts back the first image. */
static void test_twice_in_one_group(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long pid = fixture_patient(s, "Twice", "low");
	long long id = add_task(s, pid, "Order a walker");
	struct task t = {0};
	assert_int_equal(store_begin(s, &e), 0);
	store_undo_what(s, pid, "two edits of task %lld", id);
	assert_int_equal(store_task_get(s, id, &t, &e), 0);
	str_set(&t.title, "Order a rollator");
	assert_int_equal(store_task_update(s, &t, &e), 0);
	t.version++;
	str_set(&t.snoozed_until, "2026-12-05");
	assert_int_equal(store_task_update(s, &t, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	task_clear(&t);
	long long g = undo_last_made(s);
	struct undo_group got = {0};
	assert_int_equal(store_undo_get(s, g, &got, &e), 0);
	assert_string_equal(got.what, "two edits of task 1");
	assert_int_equal(got.rows, 1);   /* one row, noted once */
	undo_group_clear(&got);
	assert_int_equal(undo_change(s, g, &got, NULL, &e), 0);
	undo_group_clear(&got);
	task_is(s, id, "requested", "Order a walker", NULL);
	/* twice: refused, nothing changes */
	assert_int_equal(undo_change(s, g, &got, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "undone already"));
	undo_group_clear(&got);
}

/* One group changes two rows (a care-team member's contact and role):
 * its undo puts back both, the older row too. */
static void test_two_rows_in_one_group(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long pid = fixture_patient(s, "Team", "low"), team_id;
	struct contact c = {.name = "Dr. Ada Park", .kind = "primary-care", .phone = "555-0100"};
	if (care_team_member_add(s, pid, &c, "primary care", &team_id, NULL, &e) < 0)
		fail_msg("%s", e.msg);
	struct contact now = {0};
	assert_int_equal(store_contact_get(s, c.id, &now, &e), 0);
	str_set(&now.phone, "555-0199");
	assert_int_equal(care_team_edit(s, team_id, 1, &now, "cardiology", NULL, &e), 0);
	contact_clear(&now);
	long long g = undo_last_made(s);
	struct undo_group got = {0};
	assert_int_equal(store_undo_get(s, g, &got, &e), 0);
	assert_int_equal(got.rows, 2);
	undo_group_clear(&got);
	assert_int_equal(undo_change(s, g, &got, NULL, &e), 0);
	assert_int_equal(got.rows, 2);   /* both put back, not only the newest */
	undo_group_clear(&got);
	struct contact_list team = {0};
	assert_int_equal(store_contact_list(s, pid, &team, &e), 0);
	assert_int_equal(team.len, 1);
	assert_string_equal(team.items[0].phone, "555-0100");
	assert_string_equal(team.items[0].role, "primary care");
	contact_list_free(&team);
}

/* A savepoint rolled back takes its group with it. */
static void test_savepoint_rollback(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long pid = fixture_patient(s, "Savepoint", "low");
	long long before = undo_last_made(s);
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_begin(s, &e), 0);
	add_task(s, pid, "gone");
	store_rollback(s);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(undo_last_made(s), before);
	long long id = add_task(s, pid, "kept");
	assert_true(undo_last_made(s) > before);
	struct undo_group g = {0};
	assert_int_equal(undo_last(s, &g, NULL, &e), 0);
	char want[48];
	snprintf(want, sizeof want, "added task %lld", id);
	bool same = !strcmp(g.what, want);
	undo_group_clear(&g);
	assert_true(same);
	struct task t = {0};
	assert_int_equal(store_task_get(s, id, &t, &e), ERR_NOTFOUND);
	task_clear(&t);
}

/* Undoing an added patient is refused while something added since
 * refers to it; the task's own undo first, then the patient's. */
static void test_parent_kept(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long pid = fixture_patient(s, "Parent", "low");
	long long g_patient = undo_last_made(s);
	add_task(s, pid, "child");
	struct undo_group g = {0};
	assert_int_equal(undo_change(s, g_patient, &g, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "has had task"));
	undo_group_clear(&g);
	assert_int_equal(undo_last(s, &g, NULL, &e), 0);   /* the task */
	undo_group_clear(&g);
	assert_int_equal(undo_change(s, g_patient, &g, NULL, &e), 0);
	undo_group_clear(&g);
	assert_int_equal(store_patient_exists(s, pid, &e), ERR_NOTFOUND);
}

/* Later changes of a row undone first: the earlier one undoes too, and
 * each undo raises the version. */
static void test_in_reverse_order(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long pid = fixture_patient(s, "Reverse", "low");
	long long id = add_task(s, pid, "Call");
	assert_int_equal(care_task_snooze(s, id, 0, 20000, NULL, &e), 0);
	long long g1 = undo_last_made(s);
	assert_int_equal(care_task_done(s, id, 1, NULL, &e), 0);
	long long g2 = undo_last_made(s);
	struct undo_group g = {0};
	/* the earlier one first: the row is not as it left it */
	assert_int_equal(undo_change(s, g1, &g, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "was changed by"));
	undo_group_clear(&g);
	assert_int_equal(undo_change(s, g2, &g, NULL, &e), 0);
	undo_group_clear(&g);
	assert_int_equal(undo_change(s, g1, &g, NULL, &e), 0);
	undo_group_clear(&g);
	task_is(s, id, "requested", "Call", NULL);
	struct task t = {0};
	assert_int_equal(store_task_get(s, id, &t, &e), 0);
	assert_int_equal(t.version, 5);   /* 1, snooze 2, done 3, undo 4, undo 5 */
	task_clear(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_twice_in_one_group, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_two_rows_in_one_group, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_savepoint_rollback, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_parent_kept, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_in_reverse_order, fixture_store_setup,
		                                fixture_store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
