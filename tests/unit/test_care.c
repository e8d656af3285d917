/* Unit tests: the everyday care actions on a scratch database — logging
 * an entry (its minutes counted on the local day), completing and
 * snoozing tasks (never a closed one, never until today), confirming
 * transport, acknowledging, editing a contact — each all or nothing, and
 * each noting what it changed in its struct change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/program.h"
#include "caseload/store.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "fixture.h"

static long long utc(const char *iso)
{
	long long t;
	assert_int_equal(tz_parse_utc(iso, &t), 0);
	return t;
}

static long long task(struct store *s, long long pid, const char *due)
{
	struct task t = {.patient_id = pid, .title = "Call back", .kind = "call",
	                 .priority = "routine", .status = "requested", .due = due};
	struct err e = {0};
	assert_int_equal(store_task_add(s, &t, &e), 0);
	return t.id;
}

static size_t count_entries(struct store *s, long long pid)
{
	struct entry_list l = {0};
	struct err e = {0};
	assert_int_equal(store_entry_list(s, pid, 0, 0, 0, &l, &e), 0);
	size_t n = l.len;
	entry_list_free(&l);
	return n;
}

/* In CCM with consent from November 1st: minutes count toward it. */
static void enrolled(struct store *s, long long pid)
{
	struct consent c = {.patient_id = pid, .program = "ccm", .method = "verbal",
	                    .given = "2026-11-01"};
	struct episode ep = {.patient_id = pid, .program = "ccm", .started = "2026-11-01"};
	struct err e = {0};
	assert_int_equal(program_consent_add(s, &c, NULL, &e), 0);
	assert_int_equal(program_enroll(s, &ep, NULL, &e), 0);
}

static void test_log_entry_with_minutes(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Minutes", "medium");
	enrolled(s, p);

	/* 22:30 on the 24th in New York is 03:30 UTC on the 25th: the time
	 * counts on the coordinator's day, the 24th */
	struct entry en = {.patient_id = p, .kind = "call", .outcome = "reached", .minutes = 25,
	                   .text = "Went over the medicines", .at = utc("2026-11-25T03:30:00Z")};
	struct change ch = {0};
	assert_int_equal(care_log_entry(s, &en, "America/New_York", &ch, &e), 0);
	assert_true(en.id > 0);
	assert_int_equal(ch.kinds, CHANGE_ENTRY | CHANGE_TIME);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(ch.id, en.id);
	assert_false(ch.many);

	struct time_list tl = {0};
	assert_int_equal(store_time_list(s, p, &tl, &e), 0);
	assert_int_equal(tl.len, 1);
	assert_string_equal(tl.items[0].day, "2026-11-24");
	assert_int_equal(tl.items[0].minutes, 25);
	assert_string_equal(tl.items[0].activity, "call");
	time_list_free(&tl);
	long long minutes = 0;
	assert_int_equal(store_time_minutes(s, p, "2026-11-24", "2026-11-24", &minutes, &e), 0);
	assert_int_equal(minutes, 25);

	/* in London the same instant is already the 25th */
	struct entry en2 = {.patient_id = p, .kind = "visit", .minutes = 10, .text = "Home visit",
	                    .at = utc("2026-11-25T03:30:00Z")};
	assert_int_equal(care_log_entry(s, &en2, "Europe/London", NULL, &e), 0);
	assert_int_equal(store_time_minutes(s, p, "2026-11-25", "2026-11-25", &minutes, &e), 0);
	assert_int_equal(minutes, 10);

	/* a patient in no program: the contact keeps its minutes, no time is logged */
	long long q = fixture_patient(s, "Unenrolled", "medium");
	struct entry en3 = {.patient_id = q, .kind = "call", .outcome = "reached", .minutes = 7,
	                    .at = utc("2026-11-25T15:00:00Z")};
	struct change ch3 = {0};
	assert_int_equal(care_log_entry(s, &en3, "Europe/London", &ch3, &e), 0);
	assert_int_equal(ch3.kinds, CHANGE_ENTRY);
	assert_int_equal(count_entries(s, q), 1);
	assert_int_equal(store_time_minutes(s, q, "2026-11-01", "2026-11-30", &minutes, &e), 0);
	assert_int_equal(minutes, 0);
}

static void test_log_entry_without_minutes(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Plain", "medium");
	struct entry en = {.patient_id = p, .kind = "note", .text = "Prefers mornings",
	                   .at = utc("2026-11-24T15:00:00Z")};
	struct change ch = {0};
	assert_int_equal(care_log_entry(s, &en, "America/New_York", &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_ENTRY);
	assert_int_equal(ch.id, en.id);
	struct time_list tl = {0};
	assert_int_equal(store_time_list(s, p, &tl, &e), 0);
	assert_int_equal(tl.len, 0);
	time_list_free(&tl);
	assert_int_equal(count_entries(s, p), 1);
}

static void test_log_entry_all_or_nothing(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Atomic", "medium");
	/* the entry is written, then the time cannot be: neither stays */
	struct entry en = {.patient_id = p, .kind = "call", .outcome = "reached", .minutes = 5,
	                   .text = "x", .at = utc("2026-11-24T15:00:00Z")};
	struct change ch = {0};
	assert_int_not_equal(care_log_entry(s, &en, "Mars/Olympus_Mons", &ch, &e), 0);
	assert_true(e.msg[0] != '\0');
	assert_int_equal(count_entries(s, p), 0);
	struct time_list tl = {0};
	assert_int_equal(store_time_list(s, p, &tl, &e), 0);
	assert_int_equal(tl.len, 0);
	time_list_free(&tl);
	assert_int_equal(ch.kinds, 0);

	/* an unknown patient: refused, nothing noted */
	struct entry bad = {.patient_id = 4242, .kind = "note", .text = "x", .at = 1};
	e = (struct err){0};
	assert_int_not_equal(care_log_entry(s, &bad, "America/New_York", &ch, &e), 0);
	assert_int_equal(ch.kinds, 0);
}

static void test_task_done(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Done", "medium");
	long long t = task(s, p, "2026-11-20");
	struct change ch = {0};
	assert_int_equal(care_task_done(s, t, 1795000000, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_TASK);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(ch.id, t);
	struct task got = {0};
	assert_int_equal(store_task_get(s, t, &got, &e), 0);
	assert_string_equal(got.status, "completed");
	assert_int_equal(got.completed_at, 1795000000);
	task_clear(&got);

	/* a closed task is refused, and the refusal changes nothing */
	struct change none = {0};
	assert_int_equal(care_task_done(s, t, 1795000100, &none, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "already completed"));
	assert_int_equal(none.kinds, 0);
	assert_int_equal(store_task_get(s, t, &got, &e), 0);
	assert_int_equal(got.completed_at, 1795000000);
	task_clear(&got);

	/* so is a cancelled one, and one that does not exist */
	long long c = task(s, p, NULL);
	assert_int_equal(store_task_get(s, c, &got, &e), 0);
	str_free(got.status);
	got.status = xstrdup("cancelled");
	assert_int_equal(store_task_update(s, &got, &e), 0);
	task_clear(&got);
	assert_int_equal(care_task_done(s, c, 1, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "already cancelled"));
	assert_int_equal(care_task_done(s, 99999, 1, NULL, &e), ERR_NOTFOUND);
}

static void test_task_snooze(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	int today = date_from_ymd(2026, 11, 24);
	long long p = fixture_patient(s, "Snooze", "medium");
	long long t = task(s, p, "2026-11-23");
	struct change ch = {0};

	/* until must be after today */
	assert_int_equal(care_task_snooze(s, t, today, today, &ch, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "after today (2026-11-24)"));
	assert_int_equal(care_task_snooze(s, t, today, today - 3, &ch, &e), ERR_USAGE);
	assert_int_equal(ch.kinds, 0);
	struct task got = {0};
	assert_int_equal(store_task_get(s, t, &got, &e), 0);
	assert_null(got.snoozed_until);
	task_clear(&got);

	assert_int_equal(care_task_snooze(s, t, today, today + 2, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_TASK);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(ch.id, t);
	assert_int_equal(store_task_get(s, t, &got, &e), 0);
	assert_string_equal(got.snoozed_until, "2026-11-26");
	assert_string_equal(got.status, "requested");
	assert_string_equal(got.due, "2026-11-23");
	task_clear(&got);

	/* snoozing again moves it; a completed task cannot be snoozed */
	assert_int_equal(care_task_snooze(s, t, today, today + 7, NULL, &e), 0);
	assert_int_equal(care_task_done(s, t, 5, NULL, &e), 0);
	struct change none = {0};
	assert_int_equal(care_task_snooze(s, t, today, today + 9, &none, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "already completed"));
	assert_int_equal(none.kinds, 0);
	assert_int_equal(store_task_get(s, t, &got, &e), 0);
	assert_string_equal(got.snoozed_until, "2026-12-01");
	task_clear(&got);
	assert_int_equal(care_task_snooze(s, 99999, today, today + 1, NULL, &e), ERR_NOTFOUND);
}

static void test_confirm_transport(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Ride", "medium");
	struct appointment a = {.patient_id = p, .uid = "ride@test", .title = "Dialysis",
	                        .start = utc("2026-11-27T14:00:00Z"),
	                        .end = utc("2026-11-27T15:00:00Z"), .transport = "needed",
	                        .sequence = 2};
	assert_int_equal(store_appt_add(s, &a, &e), 0);
	struct change ch = {0};
	assert_int_equal(care_confirm_transport(s, a.id, 1795000000, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_APPT);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(ch.id, a.id);
	struct appointment got = {0};
	assert_int_equal(store_appt_get(s, a.id, &got, &e), 0);
	assert_string_equal(got.transport, "confirmed");
	assert_int_equal(got.sequence, 3);
	assert_int_equal(got.last_modified, 1795000000);
	appointment_clear(&got);

	/* confirming again is no change: the SEQUENCE stays */
	struct change again = {0};
	assert_int_equal(care_confirm_transport(s, a.id, 1795000500, &again, &e), 0);
	assert_int_equal(again.kinds, 0);
	assert_int_equal(store_appt_get(s, a.id, &got, &e), 0);
	assert_int_equal(got.sequence, 3);
	appointment_clear(&got);
	assert_int_equal(care_confirm_transport(s, 99999, 1, NULL, &e), ERR_NOTFOUND);
}

static void test_acknowledge(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Result", "medium");
	struct entry res = {.patient_id = p, .kind = "result", .text = "A1c 7.9", .at = 100,
	                    .needs_review = true};
	assert_int_equal(store_entry_add(s, &res, &e), 0);
	struct change ch = {0};
	assert_int_equal(care_acknowledge(s, res.id, 200, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_ENTRY);
	assert_int_equal(ch.patient_id, p);
	assert_int_equal(ch.id, res.id);
	struct entry got = {0};
	assert_int_equal(store_entry_get(s, res.id, &got, &e), 0);
	assert_int_equal(got.reviewed_at, 200);
	entry_clear(&got);
	struct change none = {0};
	/* acknowledged already (by whoever was first): refused, naming who */
	assert_int_equal(care_acknowledge(s, res.id, 300, &none, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "entry"));
	assert_non_null(strstr(e.msg, "was changed by"));
	assert_non_null(strstr(e.msg, "(acknowledge)"));
	assert_int_equal(store_entry_get(s, res.id, &got, &e), 0);
	assert_int_equal(got.reviewed_at, 200);
	entry_clear(&got);
	assert_int_equal(none.kinds, 0);
}

static size_t audit_rows(struct store *s, long long contact_id)
{
	struct audit_list l = {0};
	struct err e = {0};
	assert_int_equal(store_audit_list(s, "contact", contact_id, 100, &l, &e), 0);
	size_t n = l.len;
	audit_list_free(&l);
	return n;
}

/* A contact's edit writes every field, is audited, clears a public label
 * given as "", and refuses what an add refuses, changing nothing. */
static void test_contact_edit(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	struct contact c = {.name = "Dr. Hannah Berg", .kind = "specialist",
	                    .organization = "Lakeview Cardiology"};
	assert_int_equal(care_contact_add(s, &c, NULL, &e), 0);
	assert_int_equal(audit_rows(s, c.id), 1);

	struct contact ed = c;   /* the caller's strings, borrowed */
	ed.public_label = "Lakeview Clinic";
	ed.address = "200 Lake Shore Dr";
	struct change ch = {0};
	assert_int_equal(care_contact_edit(s, &ed, &ch, &e), 0);
	assert_int_equal(ch.kinds, CHANGE_CONTACT);
	assert_int_equal(ch.id, c.id);
	assert_int_equal(audit_rows(s, c.id), 2);
	struct contact got = {0};
	assert_int_equal(store_contact_get(s, c.id, &got, &e), 0);
	assert_string_equal(got.public_label, "Lakeview Clinic");
	assert_string_equal(got.address, "200 Lake Shore Dr");
	assert_string_equal(got.organization, "Lakeview Cardiology");
	contact_clear(&got);

	/* the label shows in the list too */
	struct contact_list l = {0};
	assert_int_equal(store_contact_list(s, 0, &l, &e), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(l.items[0].public_label, "Lakeview Clinic");
	contact_list_free(&l);

	/* refused: no name, an unknown kind, a contact that is not there */
	struct contact bad = ed;
	bad.name = "";
	struct change none = {0};
	assert_int_equal(care_contact_edit(s, &bad, &none, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "needs a name"));
	bad = ed;
	bad.kind = "wizard";
	assert_int_equal(care_contact_edit(s, &bad, &none, &e), ERR_USAGE);
	bad = ed;
	bad.id = 99999;
	assert_int_equal(care_contact_edit(s, &bad, &none, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "99999"));
	assert_int_equal(none.kinds, 0);
	assert_int_equal(audit_rows(s, c.id), 2);
	assert_int_equal(store_contact_get(s, c.id, &got, &e), 0);
	assert_string_equal(got.name, "Dr. Hannah Berg");
	assert_string_equal(got.kind, "specialist");
	contact_clear(&got);

	/* "" clears the label */
	ed.public_label = "";
	assert_int_equal(care_contact_edit(s, &ed, NULL, &e), 0);
	assert_int_equal(store_contact_get(s, c.id, &got, &e), 0);
	assert_null(got.public_label);
	contact_clear(&got);
}

/* change_note: one patient, then a second makes it many. */
static void test_change_note(void **state)
{
	(void)state;
	struct change c = {0};
	change_note(&c, CHANGE_TASK, 7);
	change_note(&c, CHANGE_ENTRY, 7);
	assert_int_equal(c.kinds, CHANGE_TASK | CHANGE_ENTRY);
	assert_int_equal(c.patient_id, 7);
	assert_false(c.many);
	assert_true(change_has(&c, CHANGE_ENTRY | CHANGE_APPT));
	assert_false(change_has(&c, CHANGE_APPT));
	change_note(&c, CHANGE_APPT, 0);
	assert_false(c.many);
	change_note(&c, CHANGE_APPT, 8);
	assert_true(c.many);
	assert_int_equal(c.patient_id, 7);
	change_note(NULL, CHANGE_ALL, 1);
	assert_false(change_has(NULL, CHANGE_ALL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_entry_with_minutes),
		cmocka_unit_test(test_log_entry_without_minutes),
		cmocka_unit_test(test_log_entry_all_or_nothing),
		cmocka_unit_test(test_task_done),
		cmocka_unit_test(test_task_snooze),
		cmocka_unit_test(test_confirm_transport),
		cmocka_unit_test(test_acknowledge),
		cmocka_unit_test(test_contact_edit),
		cmocka_unit_test(test_change_note),
	};
	return cmocka_run_group_tests(tests, fixture_store_setup, fixture_store_teardown);
}
