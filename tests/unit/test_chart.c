/* Unit tests: the chart one patient's record is gathered into (the
 * screen's chart and `patient show`): the month's contact attempts and
 * minutes counted in the coordinator's zone, the configured target, the
 * active plans; and the use cases the chart adds with (a care-team member
 * all or nothing, a condition, a discharge's disposition, a result). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/chart.h"
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

static int day(const char *iso)
{
	int d;
	assert_int_equal(date_parse_iso(iso, &d), 0);
	return d;
}

static void contact_at(struct store *s, long long pid, const char *at, const char *outcome)
{
	struct entry en = {.patient_id = pid, .kind = outcome ? "call" : "note", .outcome = outcome,
	                   .text = outcome ? NULL : "a note", .at = utc(at)};
	struct err e = {0};
	assert_int_equal(care_log_entry(s, &en, "America/New_York", NULL, &e), 0);
}

static void minutes_on(struct store *s, long long pid, const char *d, int n)
{
	struct time_entry t = {.patient_id = pid, .day = d, .minutes = n};
	struct err e = {0};
	assert_int_equal(care_time_log(s, &t, NULL, NULL, &e), 0);
}

static void test_month_in_zone(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Month", "high");
	/* minutes count toward a program the patient is in, with consent */
	struct consent cs = {.patient_id = p, .program = "ccm", .method = "written",
	                     .given = "2026-10-01"};
	struct episode ep = {.patient_id = p, .program = "ccm", .started = "2026-10-01"};
	struct err pe = {0};
	assert_int_equal(program_consent_add(s, &cs, NULL, &pe), 0);
	assert_int_equal(program_enroll(s, &ep, NULL, &pe), 0);
	/* 22:30 on 30 Nov in New York is 1 Dec in UTC: November's */
	contact_at(s, p, "2026-12-01T03:30:00Z", "reached");
	/* 23:00 on 31 Oct in New York is 1 Nov in UTC: October's */
	contact_at(s, p, "2026-11-01T03:00:00Z", "no-answer");
	contact_at(s, p, "2026-11-10T15:00:00Z", "voicemail");
	contact_at(s, p, "2026-11-11T15:00:00Z", NULL);   /* a note: no attempt */
	minutes_on(s, p, "2026-10-31", 30);
	minutes_on(s, p, "2026-11-01", 5);
	minutes_on(s, p, "2026-11-30", 8);

	struct config cfg;
	config_defaults(&cfg);
	cfg.review.ccm_minutes = 60;
	struct chart c;
	struct chart_when w = {.today = day("2026-11-24"), .now = utc("2026-11-24T15:00:00Z"),
	                       .zone = "America/New_York", .source = "test"};
	assert_int_equal(chart_read(s, p, &w, &cfg, &c, &e), 0);
	assert_string_equal(c.month_from, "2026-11-01");
	assert_string_equal(c.month_to, "2026-11-30");
	assert_int_equal(c.contacts.len, 2);
	assert_string_equal(c.contacts.items[0].outcome, "voicemail");
	assert_string_equal(c.contacts.items[1].outcome, "reached");
	assert_int_equal(c.ccm_minutes, 5 + 8);
	assert_int_equal(c.ccm_target, 60);
	assert_int_equal(c.plans.len, 0);
	chart_free(&c);

	/* no config: the default target */
	assert_int_equal(chart_read(s, p, &w, NULL, &c, &e), 0);
	assert_int_equal(c.ccm_target, 20);
	chart_free(&c);

	/* an unknown patient: an error, and nothing to free but the empty chart */
	assert_int_not_equal(chart_read(s, p + 100, &w, NULL, &c, &e), 0);
	chart_free(&c);
}

static void test_team_member(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Team", "low"), id = 0;
	struct change ch = {0};
	struct contact c = {.name = "Dr Ada Park", .kind = "specialist", .phone = "555-0111"};
	assert_int_equal(care_team_member_add(s, p, &c, "cardiologist", &id, &ch, &e), 0);
	assert_true(c.id > 0 && id > 0);
	assert_true(change_has(&ch, CHANGE_CONTACT));
	assert_int_equal(ch.patient_id, p);

	/* a bad kind: refused, and no contact left behind */
	struct contact_list all = {0};
	assert_int_equal(store_contact_list(s, 0, &all, &e), 0);
	size_t before = all.len;
	contact_list_free(&all);
	struct contact bad = {.name = "Someone", .kind = "astronaut"};
	assert_int_not_equal(care_team_member_add(s, p, &bad, "helper", &id, NULL, &e), 0);
	struct contact nobody = {.name = "Someone", .kind = "other"};
	assert_int_equal(care_team_member_add(s, p, &nobody, "", &id, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "role"));
	assert_int_equal(store_contact_list(s, 0, &all, &e), 0);
	assert_int_equal(all.len, before);
	contact_list_free(&all);

	struct contact_list team = {0};
	assert_int_equal(store_contact_list(s, p, &team, &e), 0);
	assert_int_equal(team.len, 1);
	assert_string_equal(team.items[0].role, "cardiologist");
	char *line = chart_team_line(&team.items[0]);
	assert_string_equal(line, "Dr Ada Park (cardiologist)  555-0111");
	free(line);
	contact_list_free(&team);
}

static void test_events(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Events", "medium"), id = 0;
	struct change ch = {0};
	assert_int_equal(care_condition_add(s, p, "Asthma", NULL, &id, &ch, &e), 0);
	assert_true(change_has(&ch, CHANGE_CLINICAL));
	assert_int_equal(care_condition_add(s, p, "", NULL, &id, NULL, &e), ERR_USAGE);

	struct entry d = {.patient_id = p, .at = utc("2026-11-20T17:00:00Z"), .facility = "General",
	                  .text = "walker"};
	assert_int_equal(care_discharge(s, &d, "moon", "UTC", NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "disposition"));
	assert_int_equal(care_discharge(s, &d, "snf", "UTC", NULL, &e), 0);
	struct entry got = {0};
	assert_int_equal(store_entry_get(s, d.id, &got, &e), 0);
	assert_string_equal(got.kind, "discharge");
	assert_string_equal(got.text, "disposition: snf; walker");
	assert_true(got.needs_review);
	entry_clear(&got);

	struct entry r = {.patient_id = p, .at = utc("2026-11-21T17:00:00Z")};
	assert_int_equal(care_result(s, &r, NULL, &e), ERR_USAGE);
	r.text = "A1c 7.9%";
	assert_int_equal(care_result(s, &r, NULL, &e), 0);
	struct entry a = {.patient_id = p, .at = utc("2026-11-18T17:00:00Z"), .facility = "General"};
	assert_int_equal(care_admission(s, &a, NULL, &e), 0);
	assert_int_equal(store_entry_get(s, a.id, &got, &e), 0);
	assert_string_equal(got.kind, "admission");
	assert_true(got.needs_review);
	entry_clear(&got);

	struct chart c;
	struct chart_when w = {.today = day("2026-11-24"), .now = utc("2026-11-24T15:00:00Z"),
	                       .zone = "America/New_York", .source = "test"};
	assert_int_equal(chart_read(s, p, &w, NULL, &c, &e), 0);
	assert_int_equal(c.conditions.len, 1);
	assert_int_equal(c.contacts.len, 0);   /* events are not contact attempts */
	chart_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_month_in_zone),
		cmocka_unit_test(test_team_member),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, fixture_store_setup, fixture_store_teardown);
}
