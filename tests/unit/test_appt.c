/* Unit tests: the appointment use cases and the task ones the screen and
 * the command line share — the defaults a new appointment gets, SEQUENCE
 * raised only for what a calendar must take, cancel and assign refusals,
 * a task edit on an open task only — and what each notes in its struct
 * change (both patients when an appointment moves between them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/appt.h"
#include "caseload/care.h"
#include "caseload/patient.h"
#include "caseload/store.h"
#include "caseload/util.h"
#include "fixture.h"

#define NOW 1795000000LL

static long long book(struct store *s, long long pid, struct change *ch)
{
	struct appointment a = {.patient_id = pid, .title = xstrdup("Cardiology"),
	                        .location = xstrdup("Lakeview"), .start = NOW + 86400,
	                        .end = NOW + 86400 + 1800};
	struct appt_req rq = {.a = &a, .zone = "America/New_York", .now = NOW};
	struct err e = {0};
	assert_int_equal(appt_add(s, &rq, ch, &e), 0);
	long long id = a.id;
	appointment_clear(&a);
	return id;
}

static void test_add_defaults(void **state)
{
	struct store *s = *state;
	long long p = fixture_patient(s, "Booked", "medium");
	struct change ch = {0};
	long long id = book(s, p, &ch);
	assert_int_equal(ch.kinds, CHANGE_APPT);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(ch.id, id);
	struct appointment a = {0};
	struct err e = {0};
	assert_int_equal(store_appt_get(s, id, &a, &e), 0);
	assert_non_null(a.uid);
	assert_true(strlen(a.uid) > 10);
	assert_string_equal(a.source, "manual");
	assert_string_equal(a.tzid, "America/New_York");   /* the coordinator's zone */
	assert_int_equal(a.booked_at, NOW);
	assert_int_equal(a.sequence, 0);
	appointment_clear(&a);
	/* the next one's id is its own (SQLite's from the last rowid, not
	 * RETURNING): not the first's, nor an audit or undo row's */
	long long id2 = book(s, p, &ch);
	assert_true(id2 > id);
	assert_int_equal(ch.id, id2);
	assert_int_equal(store_appt_get(s, id2, &a, &e), 0);
	assert_int_equal(a.id, id2);
	appointment_clear(&a);
}

/* Edit appointment id through the use case with `change` applied. */
static int edit(struct store *s, long long id, void (*change)(struct appointment *),
                struct err *e)
{
	struct appointment a = {0};
	assert_int_equal(store_appt_get(s, id, &a, e), 0);
	change(&a);
	struct appt_req rq = {.a = &a, .zone = "America/New_York", .now = NOW + 60};
	int rc = appt_edit(s, &rq, NULL, e);
	appointment_clear(&a);
	return rc;
}

static int sequence(struct store *s, long long id)
{
	struct appointment a = {0};
	struct err e = {0};
	assert_int_equal(store_appt_get(s, id, &a, &e), 0);
	int n = a.sequence;
	appointment_clear(&a);
	return n;
}

static void new_notes(struct appointment *a)
{
	str_set(&a->notes, "bring the pill box");
	a->sequence = 41;   /* a caller's own count is ignored */
}

static void new_place(struct appointment *a)
{
	str_set(&a->location, "Lakeview, 2nd floor");
}

static void later(struct appointment *a)
{
	a->start += 3600;
	a->end += 3600;
}

static void test_edit_sequence(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long id = book(s, fixture_patient(s, "Edited", "medium"), NULL);
	assert_int_equal(edit(s, id, new_notes, &e), 0);
	assert_int_equal(sequence(s, id), 0);
	assert_int_equal(edit(s, id, new_place, &e), 0);
	assert_int_equal(sequence(s, id), 1);
	assert_int_equal(edit(s, id, later, &e), 0);
	assert_int_equal(sequence(s, id), 2);
}

static void test_cancel_twice(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Cancelled", "medium");
	long long id = book(s, p, NULL);
	struct change ch = {0};
	assert_int_equal(appt_cancel(s, id, NOW, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_APPT);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(sequence(s, id), 1);   /* a calendar must take a cancellation */
	assert_int_equal(appt_cancel(s, id, NOW, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "already cancelled"));
	assert_int_equal(sequence(s, id), 1);   /* the refusal changed nothing */
	assert_int_equal(appt_cancel(s, 99999, NOW, NULL, &e), ERR_NOTFOUND);
}

static void test_assign(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p1 = fixture_patient(s, "First", "medium"), p2 = fixture_patient(s, "Second", "medium");
	long long id = book(s, 0, NULL);            /* imported: nobody's yet */
	struct change ch = {0};
	assert_int_equal(appt_assign(s, id, p1, false, NOW, &ch, &e), 0);
	assert_int_equal(ch.patient_id, p1);
	assert_false(ch.many);
	assert_int_equal(appt_assign(s, id, p1, false, NOW, NULL, &e), 0);   /* again: same */
	assert_int_equal(appt_assign(s, id, p2, false, NOW, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "belongs to patient"));
	struct change moved = {0};
	assert_int_equal(appt_assign(s, id, p2, true, NOW, &moved, &e), 0);
	assert_true(moved.many);                    /* both patients' views change */
	assert_int_equal(appt_assign(s, id, 99999, true, NOW, NULL, &e), ERR_NOTFOUND);
	struct appointment a = {0};
	assert_int_equal(store_appt_get(s, id, &a, &e), 0);
	assert_int_equal(a.patient_id, p2);
	appointment_clear(&a);
}

/* A series and its override (one UID) given to a patient in one step:
 * an audit row for each, and a refusal (a missing patient, a row of
 * another patient) changes none of them. */
static void test_assign_series(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p1 = fixture_patient(s, "Weekly", "medium"), p2 = fixture_patient(s, "Other", "low");
	struct appointment a = {.title = xstrdup("Dialysis"), .start = NOW, .end = NOW + 3600,
	                        .rrule = xstrdup("FREQ=WEEKLY;COUNT=4"), .uid = xstrdup("series-1")};
	struct appt_req rq = {.a = &a, .now = NOW};
	assert_int_equal(appt_add(s, &rq, NULL, &e), 0);
	long long series = a.id;
	appointment_clear(&a);
	a = (struct appointment){.title = xstrdup("Dialysis (moved)"), .start = NOW + 7 * 86400 + 7200,
	                         .end = NOW + 7 * 86400 + 10800, .uid = xstrdup("series-1"),
	                         .recurrence_id = xstrdup("2026-11-18T00:00:00Z")};
	assert_int_equal(appt_add(s, &rq, NULL, &e), 0);
	long long moved = a.id;
	appointment_clear(&a);
	long long alone = book(s, 0, NULL);          /* another UID: left alone */

	size_t n = 99;
	assert_int_equal(appt_assign_series(s, moved, 99999, false, NOW, &n, NULL, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "99999"));
	assert_int_equal(n, 99);
	struct change ch = {0};
	assert_int_equal(appt_assign_series(s, moved, p1, false, NOW, &n, &ch, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ch.patient_id, p1);
	assert_true(ch.kinds & CHANGE_APPT);
	long long ids[] = {series, moved};
	for (int i = 0; i < 2; i++) {
		struct appointment got = {0};
		struct audit_list al = {0};
		assert_int_equal(store_appt_get(s, ids[i], &got, &e), 0);
		assert_int_equal(got.patient_id, p1);
		appointment_clear(&got);
		assert_int_equal(store_audit_list(s, "appointment", ids[i], 10, &al, &e), 0);
		assert_true(al.len >= 1);
		assert_string_equal(al.items[0].action, "update");
		audit_list_free(&al);
	}
	struct appointment other = {0};
	assert_int_equal(store_appt_get(s, alone, &other, &e), 0);
	assert_int_equal(other.patient_id, 0);
	appointment_clear(&other);

	/* again: nothing to do; to another patient: refused, all stay */
	assert_int_equal(appt_assign_series(s, series, p1, false, NOW, &n, NULL, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(appt_assign_series(s, series, p2, false, NOW, &n, NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "belongs to patient"));
	for (int i = 0; i < 2; i++) {
		struct appointment got = {0};
		assert_int_equal(store_appt_get(s, ids[i], &got, &e), 0);
		assert_int_equal(got.patient_id, p1);
		appointment_clear(&got);
	}
}

static void test_task_add_edit(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Tasked", "medium");
	struct task t = {.patient_id = p, .title = "Call back"};
	struct change ch = {0};
	assert_int_equal(care_task_add(s, &t, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_TASK);
	assert_int_equal(ch.id, t.id);
	struct task got = {0};
	assert_int_equal(store_task_get(s, t.id, &got, &e), 0);
	assert_string_equal(got.kind, "other");       /* the defaults */
	assert_string_equal(got.priority, "routine");
	assert_string_equal(got.status, "requested");
	str_set(&got.title, "Call back about the scale");
	assert_int_equal(care_task_edit(s, &got, NULL, &e), 0);
	task_clear(&got);
	assert_int_equal(store_task_get(s, t.id, &got, &e), 0);
	assert_string_equal(got.title, "Call back about the scale");
	assert_int_equal(care_task_done(s, t.id, NOW, NULL, &e), 0);
	assert_int_equal(care_task_edit(s, &got, NULL, &e), ERR_USAGE);   /* closed now */
	task_clear(&got);
}

static void test_discharge(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Discharged", "medium");
	struct entry en = {.patient_id = p, .at = NOW, .facility = "St. Mary's"};
	struct change ch = {0};
	assert_int_equal(care_discharge(s, &en, NULL, "UTC", &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_ENTRY);
	struct entry got = {0};
	assert_int_equal(store_entry_get(s, en.id, &got, &e), 0);
	assert_string_equal(got.kind, "discharge");
	assert_true(got.needs_review);
	entry_clear(&got);
}

static void dirty_title(struct appointment *a)
{
	str_set(&a->title, "Visit \xc2\x9b" "2J");
}

static void imported_notes(struct appointment *a)
{
	str_set(&a->notes, "call first\nthen go");
}

/* Text a person typed reaches no record unless it is valid UTF-8 without
 * control characters, whichever front end typed it; an imported
 * appointment's own title does not stop an edit of its notes. */
static void test_typed_text(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Typed", "medium");

	struct patient np = {.family = "Esc\x1b[31m", .given = "Ann"};
	struct patient_req prq = {.p = &np};
	assert_int_equal(patient_add(s, &prq, NULL, &e), ERR_USAGE);
	assert_string_equal(e.msg, "name: character 4 is a control character (U+001B)");
	assert_int_equal(np.id, 0);

	struct appointment a = {.patient_id = p, .title = xstrdup("Visit\x1b[2J"),
	                        .start = NOW, .end = NOW + 1800};
	struct appt_req rq = {.a = &a, .zone = "America/New_York", .now = NOW};
	assert_int_equal(appt_add(s, &rq, NULL, &e), ERR_USAGE);
	assert_string_equal(e.msg, "title: character 6 is a control character (U+001B)");
	assert_int_equal(a.id, 0);
	str_set(&a.title, "Visit");
	str_set(&a.location, "Room \xff");
	assert_int_equal(appt_add(s, &rq, NULL, &e), ERR_USAGE);
	assert_string_equal(e.msg, "location: byte 6 is not valid UTF-8");
	appointment_clear(&a);

	/* as the import stores it: the text kept as the file had it */
	struct appointment im = {.patient_id = p, .uid = xstrdup("dirty@test"),
	                         .title = xstrdup("Imported \x1b[41m"), .start = NOW, .end = NOW + 60,
	                         .source = xstrdup("import:x.ics")};
	assert_int_equal(store_appt_add(s, &im, &e), 0);
	assert_int_equal(edit(s, im.id, imported_notes, &e), 0);
	assert_int_equal(edit(s, im.id, dirty_title, &e), ERR_USAGE);
	assert_string_equal(e.msg, "title: character 7 is a control character (U+009B)");
	struct appointment got = {0};
	assert_int_equal(store_appt_get(s, im.id, &got, &e), 0);
	assert_string_equal(got.title, "Imported \x1b[41m");
	assert_string_equal(got.notes, "call first\nthen go");
	appointment_clear(&got);
	appointment_clear(&im);

	struct task t = {.patient_id = p, .title = "Call\x7f"};
	assert_int_equal(care_task_add(s, &t, NULL, &e), ERR_USAGE);
	assert_string_equal(e.msg, "title: character 5 is a control character (U+007F)");
	t.title = "Call back";
	t.note = "ask about\n\tthe refill";
	assert_int_equal(care_task_add(s, &t, NULL, &e), 0);
	struct entry en = {.patient_id = p, .at = NOW, .kind = "note", .text = "Left a message\x07"};
	assert_int_equal(care_log_entry(s, &en, "UTC", NULL, &e), ERR_USAGE);
	assert_string_equal(e.msg, "text: character 15 is a control character (U+0007)");
	en.text = "Left a message.\nWill call again.";
	assert_int_equal(care_log_entry(s, &en, "UTC", NULL, &e), 0);
	struct contact c = {.name = "Dr \xc3\x28"};
	assert_int_equal(care_contact_add(s, &c, NULL, &e), ERR_USAGE);
	assert_string_equal(e.msg, "name: byte 4 is not valid UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_defaults, fixture_store_setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_edit_sequence, fixture_store_setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_twice, fixture_store_setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_assign, fixture_store_setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_assign_series, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_task_add_edit, fixture_store_setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_discharge, fixture_store_setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_typed_text, fixture_store_setup, fixture_store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
