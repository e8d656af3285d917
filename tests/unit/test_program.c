/* Unit tests: programs and consent (issue 16) on a scratch database —
 * enrollment refused without a consent in force, one open episode per
 * program, withdrawing a consent ends the program's episodes, minutes
 * refused without enrollment and consent, and an enrollment undone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/care.h"
#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/program.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_program.h"
#include "caseload/store_undo.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "fixture.h"

static long long consent(struct store *s, long long pid, const char *program, const char *day)
{
	struct consent c = {.patient_id = pid, .program = program, .method = "verbal",
	                    .given = day};
	struct err e = {0};
	assert_int_equal(program_consent_add(s, &c, NULL, &e), 0);
	assert_true(c.id > 0);
	return c.id;
}

static int enroll(struct store *s, long long pid, const char *program, const char *day,
                  long long *id, struct err *e)
{
	struct episode ep = {.patient_id = pid, .program = program, .started = day};
	int rc = program_enroll(s, &ep, NULL, e);
	if (id)
		*id = ep.id;
	return rc;
}

static size_t open_episodes(struct store *s, long long pid, const char *program)
{
	struct episode_list l = {0};
	struct err e = {0};
	assert_int_equal(store_episode_open(s, pid, program, &l, &e), 0);
	size_t n = l.len;
	episode_list_free(&l);
	return n;
}

static void test_enroll_needs_consent(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Consentless", "medium");
	assert_int_equal(enroll(s, p, "ccm", "2026-11-02", NULL, &e), ERR_USAGE);
	char want[80];
	snprintf(want, sizeof want, "no consent to CCM on file for patient %lld", p);
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(open_episodes(s, p, NULL), 0);

	/* a consent to another program, or one given after the first day, is not enough */
	consent(s, p, "pcm", "2026-11-01");
	consent(s, p, "ccm", "2026-11-05");
	e = (struct err){0};
	assert_int_equal(enroll(s, p, "ccm", "2026-11-02", NULL, &e), ERR_USAGE);
	long long id = 0;
	assert_int_equal(enroll(s, p, "ccm", "2026-11-05", &id, &e), 0);
	assert_true(id > 0);
	struct episode ep = {0};
	assert_int_equal(store_episode_get(s, id, &ep, &e), 0);
	assert_string_equal(ep.status, "active");
	assert_true(ep.consent_id > 0);
	episode_clear(&ep);

	/* transitional care is opened by a discharge */
	consent(s, p, "tcm", "2026-11-01");
	e = (struct err){0};
	assert_int_equal(enroll(s, p, "tcm", "2026-11-05", NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "discharge"));
}

static void test_one_open_episode(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Twice", "high"), first = 0, again = 0;
	consent(s, p, "ccm", "2026-10-01");
	assert_int_equal(enroll(s, p, "ccm", "2026-10-01", &first, &e), 0);
	assert_int_equal(enroll(s, p, "ccm", "2026-11-01", NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "enrolled in CCM already"));
	assert_int_equal(open_episodes(s, p, "ccm"), 1);
	/* ended, the patient can be enrolled again */
	e = (struct err){0};
	assert_int_equal(program_end(s, first, "cancelled", "2026-09-30", 0, NULL, &e), ERR_USAGE);
	assert_int_equal(program_end(s, first, "finished", "2026-10-31", 0, NULL, &e), 0);
	assert_int_equal(program_end(s, first, "finished", "2026-10-31", 0, NULL, &e), ERR_USAGE);
	assert_int_equal(enroll(s, p, "ccm", "2026-11-01", &again, &e), 0);
	assert_true(again != first);
	/* a consent can be in force only once per program */
	struct consent c = {.patient_id = p, .program = "ccm", .method = "written",
	                    .given = "2026-11-03"};
	assert_int_equal(program_consent_add(s, &c, NULL, &e), ERR_CONFLICT);
}

static void test_withdraw_ends_episodes(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Withdrawn", "medium"), ep_id = 0, pcm = 0;
	long long c = consent(s, p, "ccm", "2026-10-01");
	consent(s, p, "pcm", "2026-10-01");
	assert_int_equal(enroll(s, p, "ccm", "2026-10-02", &ep_id, &e), 0);
	assert_int_equal(enroll(s, p, "pcm", "2026-10-02", &pcm, &e), 0);
	int ended = -1;
	assert_int_equal(program_consent_withdraw(s, c, "2026-09-01", 0, &ended, NULL, &e),
	                 ERR_USAGE);   /* before it was given */
	struct change ch = {0};
	assert_int_equal(program_consent_withdraw(s, c, "2026-11-15", 0, &ended, &ch, &e), 0);
	assert_int_equal(ended, 1);
	assert_int_equal(ch.patient_id, p);
	struct episode ep = {0};
	assert_int_equal(store_episode_get(s, ep_id, &ep, &e), 0);
	assert_string_equal(ep.status, "finished");
	assert_string_equal(ep.ended, "2026-11-15");
	episode_clear(&ep);
	/* the other program's episode is untouched */
	assert_int_equal(open_episodes(s, p, "pcm"), 1);
	/* and it cannot be withdrawn twice */
	assert_int_equal(program_consent_withdraw(s, c, "2026-11-16", 0, NULL, NULL, &e), ERR_USAGE);
	/* enrolling again needs a new consent */
	assert_int_equal(enroll(s, p, "ccm", "2026-11-20", NULL, &e), ERR_USAGE);
}

static void test_minutes_need_enrollment(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Minutes", "medium");
	struct time_entry t = {.patient_id = p, .day = "2026-11-10", .minutes = 15};
	/* not enrolled: refused, nothing written */
	assert_true(care_time_log(s, &t, NULL, NULL, &e) < 0);
	assert_non_null(strstr(e.msg, "not enrolled"));
	/* consent alone is not enough */
	long long c = consent(s, p, "ccm", "2026-11-01");
	e = (struct err){0};
	assert_true(care_time_log(s, &t, "ccm", NULL, &e) < 0);
	long long ep = 0;
	assert_int_equal(enroll(s, p, "ccm", "2026-11-01", &ep, &e), 0);
	/* another program than the one enrolled in */
	assert_int_equal(care_time_log(s, &t, "pcm", NULL, &e), ERR_USAGE);
	assert_int_equal(care_time_log(s, &t, NULL, NULL, &e), 0);
	assert_int_equal(t.episode_id, ep);
	t.role = "dancer";
	assert_int_equal(care_time_log(s, &t, "ccm", NULL, &e), ERR_USAGE);
	t.role = "practitioner";
	assert_int_equal(care_time_log(s, &t, "ccm", NULL, &e), 0);
	/* before the episode began: refused */
	t.day = "2026-10-31";
	assert_true(care_time_log(s, &t, "ccm", NULL, &e) < 0);
	/* withdrawn: no more minutes */
	assert_int_equal(program_consent_withdraw(s, c, "2026-11-20", 0, NULL, NULL, &e), 0);
	t.day = "2026-11-21";
	assert_true(care_time_log(s, &t, NULL, NULL, &e) < 0);
	struct time_list tl = {0};
	assert_int_equal(store_time_list(s, p, &tl, &e), 0);
	assert_int_equal(tl.len, 2);
	assert_int_equal(tl.items[0].episode_id, ep);
	assert_string_equal(tl.items[1].role, "practitioner");
	time_list_free(&tl);
	struct episode_list l = {0};
	assert_int_equal(program_list(s, p, NULL, "2026-11-01", "2026-11-30", DATE_NONE, &l, &e), 0);
	assert_int_equal(l.len, 1);
	assert_int_equal(l.items[0].minutes, 30);
	episode_list_free(&l);
}

static void test_undo_enrollment(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Undone", "low"), ep = 0, rows = 0;
	consent(s, p, "ccm", "2026-11-01");
	assert_int_equal(enroll(s, p, "ccm", "2026-11-02", &ep, &e), 0);
	assert_int_equal(open_episodes(s, p, "ccm"), 1);
	assert_int_equal(store_undo_apply(s, store_undo_last(s), &rows, &e), 0);
	assert_int_equal(rows, 1);
	assert_int_equal(open_episodes(s, p, "ccm"), 0);
	struct episode gone = {0};
	assert_int_equal(store_episode_get(s, ep, &gone, &e), ERR_NOTFOUND);

	/* a withdrawal undone puts back the consent and the episode it ended */
	assert_int_equal(enroll(s, p, "ccm", "2026-11-02", &ep, &e), 0);
	struct consent_list cl = {0};
	assert_int_equal(store_consent_list(s, p, &cl, &e), 0);
	long long c = cl.items[0].id;
	consent_list_free(&cl);
	assert_int_equal(program_consent_withdraw(s, c, "2026-11-10", 0, NULL, NULL, &e), 0);
	assert_int_equal(open_episodes(s, p, "ccm"), 0);
	assert_int_equal(store_undo_apply(s, store_undo_last(s), &rows, &e), 0);
	assert_int_equal(rows, 2);
	assert_int_equal(open_episodes(s, p, "ccm"), 1);
	struct consent back = {0};
	assert_int_equal(store_consent_get(s, c, &back, &e), 0);
	assert_null(back.withdrawn);
	consent_clear(&back);
}

/* The review: an open episode with no consent in force, and a patient
 * with two active conditions not in CCM. */
static void test_review_items(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	long long p = fixture_patient(s, "Reviewed", "low"), id = 0;
	struct config cfg;
	config_defaults(&cfg);
	/* carried over from elsewhere: an episode without its consent */
	struct episode pcm = {.patient_id = p, .program = "pcm", .started = "2026-11-01"};
	assert_int_equal(store_episode_add(s, &pcm, &e), 0);
	assert_int_equal(store_condition_add(s, p, "Diabetes", NULL, &id, &e), 0);
	int day;
	assert_int_equal(date_parse_iso("2026-11-10", &day), 0);
	struct review_list l = {0};
	assert_int_equal(review_build_patient(s, p, day, &cfg, &l, &e), 0);
	bool missing = false, eligible = false;
	for (size_t i = 0; i < l.len; i++) {
		missing |= l.items[i].reason == REASON_CONSENT_MISSING;
		eligible |= l.items[i].reason == REASON_CCM_ELIGIBLE;
	}
	review_list_free(&l);
	assert_true(missing);
	assert_false(eligible);   /* one condition */
	assert_int_equal(store_condition_add(s, p, "COPD", NULL, &id, &e), 0);
	consent(s, p, "pcm", "2026-11-02");
	assert_int_equal(review_build_patient(s, p, day, &cfg, &l, &e), 0);
	missing = eligible = false;
	for (size_t i = 0; i < l.len; i++) {
		missing |= l.items[i].reason == REASON_CONSENT_MISSING;
		eligible |= l.items[i].reason == REASON_CCM_ELIGIBLE;
	}
	review_list_free(&l);
	assert_false(missing);    /* consent now on file */
	assert_true(eligible);    /* two conditions, not in CCM */
	consent(s, p, "ccm", "2026-11-02");
	assert_int_equal(enroll(s, p, "ccm", "2026-11-03", NULL, &e), 0);
	assert_int_equal(review_build_patient(s, p, day, &cfg, &l, &e), 0);
	for (size_t i = 0; i < l.len; i++)
		assert_int_not_equal(l.items[i].reason, REASON_CCM_ELIGIBLE);
	review_list_free(&l);
	config_free(&cfg);
}

static int day_of(const char *iso)
{
	int d;
	assert_int_equal(date_parse_iso(iso, &d), 0);
	return d;
}

/* The TCM episode of a discharge at 23:30 on the 5th in New York, by a
 * machine in UTC (where it is the 6th already): it starts on the 5th and
 * ends 29 days later, both stored when it opens; past that day it reads
 * finished without a write, and everyone's open ones leave it out. */
static void test_tcm_episode_days(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	setenv("TZ", "UTC", 1);
	unsetenv("CASELOAD_TZ");
	long long p = fixture_patient(s, "Discharged", "high"), at;
	assert_int_equal(tz_parse_utc("2026-11-06T04:30:00Z", &at), 0);
	struct entry en = {.patient_id = p, .at = at, .facility = "General"};
	assert_int_equal(care_discharge(s, &en, NULL, "America/New_York", NULL, &e), 0);

	struct episode_list l = {0};
	assert_int_equal(program_list(s, p, "tcm", "2026-11-01", "2026-11-30", day_of("2026-12-04"),
	                              &l, &e), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(l.items[0].started, "2026-11-05");
	assert_string_equal(l.items[0].ended, "2026-12-04");
	assert_string_equal(l.items[0].status, "active");
	assert_int_equal(l.items[0].discharge_id, en.id);
	assert_true(l.items[0].created > 0);
	long long id = l.items[0].id;
	episode_list_free(&l);

	assert_int_equal(program_list(s, p, "tcm", "2026-12-01", "2026-12-31", day_of("2026-12-05"),
	                              &l, &e), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(l.items[0].status, "finished");
	assert_false(episode_open_on(&l.items[0], day_of("2026-12-05")));
	episode_list_free(&l);
	struct episode row = {0};
	assert_int_equal(store_episode_get(s, id, &row, &e), 0);
	assert_string_equal(row.status, "active");   /* as written at the opening */
	assert_int_equal(row.version, 1);
	episode_clear(&row);

	assert_int_equal(program_list(s, 0, "tcm", "2026-12-01", "2026-12-31", day_of("2026-12-05"),
	                              &l, &e), 0);
	for (size_t i = 0; i < l.len; i++)
		assert_int_not_equal(l.items[i].id, id);
	episode_list_free(&l);
	assert_int_equal(program_list(s, 0, "tcm", "2026-12-01", "2026-12-31", day_of("2026-12-04"),
	                              &l, &e), 0);
	bool found = false;
	for (size_t i = 0; i < l.len; i++)
		found |= l.items[i].id == id;
	assert_true(found);
	episode_list_free(&l);
}

/* The migration after which a TCM episode's end is stored gives the rows
 * opened before theirs (the period's 30 days from their start), on
 * either engine, and leaves every other episode's alone. */
static void test_migration_tcm_ended(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct err e = {0};
	/* the version before tcm_ended, migration 25 (shipped: it never moves) */
	struct store_opts o = {.user = "tester", .migrate_to = 24};
	assert_int_equal(store_open(&s, fixture_target("old.db"), &o, &e), 0);
	store_close(&s);
	/* by hand: this program's writes are those of the newest schema */
	long long p = 0, v = 0;
	assert_int_equal(fixture_sql("old.db", "INSERT INTO patient(family, given, risk, created, "
	                             "updated) VALUES ('Before', 'Pat', 'high', 1, 1)", NULL), 0);
	assert_int_equal(fixture_sql("old.db", "SELECT max(id) FROM patient", &p), 0);
	assert_true(p > 0);
	char *sql = xasprintf(
		"INSERT INTO episode(patient_id, program, status, started, ended, created, updated) "
		"VALUES (%lld, 'tcm', 'active', '2026-11-05', NULL, 1, 1), "
		"(%lld, 'tcm', 'finished', '2026-09-01', '2026-09-30', 1, 1), "
		"(%lld, 'ccm', 'active', '2026-10-01', NULL, 1, 1)", p, p, p);
	assert_int_equal(fixture_sql("old.db", sql, NULL), 0);
	free(sql);
	if (store_open(&s, fixture_target("old.db"), &(struct store_opts){.user = "tester"}, &e) != 0)
		fail_msg("migrating from 24: %s", e.msg);
	assert_int_equal(store_version(s), store_schema_version());
	struct episode_list l = {0};
	assert_int_equal(program_list(s, p, NULL, "2026-11-01", "2026-11-30", DATE_NONE, &l, &e), 0);
	assert_int_equal(l.len, 3);
	assert_string_equal(l.items[0].started, "2026-09-01");
	assert_string_equal(l.items[0].ended, "2026-09-30");
	assert_string_equal(l.items[1].program, "ccm");
	assert_null(l.items[1].ended);
	assert_string_equal(l.items[2].started, "2026-11-05");
	assert_string_equal(l.items[2].ended, "2026-12-04");
	assert_string_equal(l.items[2].status, "active");
	episode_list_free(&l);
	store_close(&s);
	assert_int_equal(fixture_sql("old.db", "SELECT count(*) FROM episode WHERE ended IS NULL", &v), 0);
	assert_int_equal(v, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enroll_needs_consent),
		cmocka_unit_test(test_one_open_episode),
		cmocka_unit_test(test_withdraw_ends_episodes),
		cmocka_unit_test(test_minutes_need_enrollment),
		cmocka_unit_test(test_undo_enrollment),
		cmocka_unit_test(test_review_items),
		cmocka_unit_test(test_tcm_episode_days),
		cmocka_unit_test(test_migration_tcm_ended),
	};
	return cmocka_run_group_tests(tests, fixture_store_setup, fixture_store_teardown);
}
