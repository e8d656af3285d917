/* Unit tests: the month's end decided from facts fed directly (no store):
 * each code at its thresholds, the 99439 cap, consent withdrawn
 * mid-month, APCM excluding CCM, TCM by complexity and face-to-face day,
 * and the contact's business days over Thanksgiving. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/billing.h"

static struct rules R;

static int D(const char *iso)
{
	int d = 0;
	assert_int_equal(date_parse_iso(iso, &d), 0);
	return d;
}

static int setup(void **state)
{
	(void)state;
	struct err e = {0};
	return rules_load_file("data/rules/2026.yaml", &R, &e);
}

static int teardown(void **state)
{
	(void)state;
	rules_free(&R);
	return 0;
}

/* November 2026, consent given in October */
static struct bill_facts month(enum program p)
{
	struct bill_facts f = {.patient_id = 1, .program = p, .first = D("2026-11-01"),
	                       .last = D("2026-11-30"), .started = D("2026-10-01"),
	                       .ended = DATE_NONE, .consent_given = D("2026-10-01"),
	                       .consent_withdrawn = DATE_NONE, .discharge = DATE_NONE,
	                       .face_to_face = DATE_NONE, .med_rec = DATE_NONE};
	return f;
}

/* The decision for code in r, or fail. */
static const struct bill_decision *code(const struct bill_result *r, const char *c)
{
	for (size_t i = 0; i < r->len; i++)
		if (!strcmp(r->items[i].rule->code, c))
			return &r->items[i];
	fail_msg("no decision for %s", c);
	return NULL;
}

static void expect(const struct bill_result *r, const char *c, int units, const char *why)
{
	const struct bill_decision *d = code(r, c);
	if (d->units != units || strcmp(d->why, why) != 0)
		fail_msg("%s: %d unit(s), '%s'; expected %d, '%s'", c, d->units, d->why, units, why);
}

static void test_ccm_thresholds(void **state)
{
	(void)state;
	static const struct {
		int minutes, u90, u39;
		const char *why90, *why39;
	} cases[] = {
		{19, 0, 0, "19 of 20 minutes", "19 of 20 minutes"},
		{20, 1, 0, "", "20 of 40 minutes"},
		{39, 1, 0, "", "39 of 40 minutes"},
		{40, 1, 1, "", ""},
		{60, 1, 2, "", ""},
		{95, 1, 2, "", ""},      /* 99439's cap: two units */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bill_facts f = month(PROG_CCM);
		struct bill_result r = {0};
		f.minutes[PERF_STAFF] = cases[i].minutes;
		billing_decide(&R, &f, 1, &r);
		expect(&r, "99490", cases[i].u90, cases[i].why90);
		expect(&r, "99439", cases[i].u39, cases[i].why39);
		/* complex CCM needs the episode's complexity; practitioner time its own */
		assert_int_equal(code(&r, "99487")->units, 0);
		assert_int_equal(code(&r, "99491")->units, 0);
		bill_result_free(&r);
	}
	char s[32];
	struct bill_decision d = {.rule = rules_code(&R, "99439"), .units = 2};
	assert_string_equal(billing_code_units(&d, s, sizeof s), "99439 x2");
}

static void test_ccm_complex_and_practitioner(void **state)
{
	(void)state;
	struct bill_facts f = month(PROG_CCM);
	struct bill_result r = {0};
	f.minutes[PERF_STAFF] = 60;
	f.minutes[PERF_PRACTITIONER] = 29;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99487", 0, "complexity not recorded on the episode");
	expect(&r, "99491", 0, "29 of 30 practitioner minutes");
	bill_result_free(&r);
	/* complex CCM at 60 minutes takes 99490 and 99439 away */
	f.complexity = CPLX_HIGH;
	f.minutes[PERF_STAFF] = 95;
	f.minutes[PERF_PRACTITIONER] = 30;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99487", 1, "");
	expect(&r, "99489", 1, "");
	expect(&r, "99490", 0, "excluded by CCM 99487 this month");
	expect(&r, "99439", 0, "excluded by CCM 99487 this month");
	expect(&r, "99491", 1, "");
	bill_result_free(&r);
}

/* Minutes before the consent's day (the store keeps them apart) do not
 * count; the why-not names them when they are what the month lacks. */
static void test_minutes_before_consent(void **state)
{
	(void)state;
	struct bill_facts f = month(PROG_CCM);
	struct bill_result r = {0};
	f.consent_given = D("2026-11-10");
	f.minutes[PERF_STAFF] = 15;
	f.minutes_early[PERF_STAFF] = 6;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99490", 0, "15 of 20 minutes (6 before the consent of 2026-11-10 do not count)");
	bill_result_free(&r);
	f.minutes_early[PERF_STAFF] = 4;   /* short even with them: the plain words */
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99490", 0, "15 of 20 minutes");
	bill_result_free(&r);
	f.minutes[PERF_STAFF] = 20;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99490", 1, "");
	expect(&r, "99439", 0, "20 of 40 minutes");
	bill_result_free(&r);
}

static void test_consent(void **state)
{
	(void)state;
	struct bill_facts f = month(PROG_CCM);
	struct bill_result r = {0};
	f.minutes[PERF_STAFF] = 45;
	f.consent_given = DATE_NONE;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99490", 0, "no consent on file");
	expect(&r, "99439", 0, "no consent on file");
	bill_result_free(&r);
	/* withdrawn mid-month: in force to the month's end */
	f.consent_given = D("2026-10-01");
	f.consent_withdrawn = D("2026-11-12");
	assert_true(billing_consent_in_force(&f));
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99490", 1, "");
	expect(&r, "99439", 1, "");
	bill_result_free(&r);
	/* ...and not in December */
	f.first = D("2026-12-01");
	f.last = D("2026-12-31");
	assert_false(billing_consent_in_force(&f));
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99490", 0, "consent withdrawn on 2026-11-12");
	bill_result_free(&r);
	/* TCM needs none */
	struct bill_facts t = month(PROG_TCM);
	t.consent_given = DATE_NONE;
	billing_decide(&R, &t, 1, &r);
	expect(&r, "99495", 0, "no discharge on record");
	bill_result_free(&r);
}

static void test_pcm_pin_chi(void **state)
{
	(void)state;
	struct bill_facts f[3] = {month(PROG_PCM), month(PROG_PIN), month(PROG_CHI)};
	struct bill_result r = {0};
	f[0].minutes[PERF_STAFF] = 60;
	f[1].minutes[PERF_NAVIGATOR] = 59;
	f[2].minutes[PERF_NAVIGATOR] = 120;
	billing_decide(&R, f, 3, &r);
	expect(&r, "99426", 1, "");
	expect(&r, "99427", 1, "");
	expect(&r, "99424", 0, "0 of 30 practitioner minutes");
	expect(&r, "G0023", 0, "59 of 60 navigator minutes");
	expect(&r, "G0024", 0, "59 of 60 navigator minutes");
	expect(&r, "G0019", 1, "");
	expect(&r, "G0022", 2, "");
	bill_result_free(&r);
}

static void test_apcm_excludes_ccm(void **state)
{
	(void)state;
	struct bill_facts f[2] = {month(PROG_APCM), month(PROG_CCM)};
	struct bill_result r = {0};
	f[0].conditions = 3;
	f[1].conditions = 3;
	f[1].minutes[PERF_STAFF] = 45;
	billing_decide(&R, f, 2, &r);
	expect(&r, "G0556", 0, "3 chronic conditions on file, 1 or fewer for this code");
	expect(&r, "G0557", 1, "");
	expect(&r, "G0558", 0, "not a Qualified Medicare Beneficiary");
	expect(&r, "99490", 0, "excluded by APCM G0557 this month");
	expect(&r, "99439", 0, "excluded by APCM G0557 this month");
	bill_result_free(&r);
	/* no consent for APCM: CCM stands */
	f[0].consent_given = DATE_NONE;
	billing_decide(&R, f, 2, &r);
	expect(&r, "G0557", 0, "no consent on file");
	expect(&r, "99490", 1, "");
	bill_result_free(&r);
}

/* A Qualified Medicare Beneficiary: G0558 and not G0557 (one APCM code a
 * month); with one condition G0556 whatever the flag. */
static void test_apcm_qmb(void **state)
{
	(void)state;
	struct bill_facts f[2] = {month(PROG_APCM), month(PROG_CCM)};
	struct bill_result r = {0};
	f[0].conditions = 2;
	f[0].qmb = true;
	f[1].minutes[PERF_STAFF] = 25;
	billing_decide(&R, f, 2, &r);
	expect(&r, "G0558", 1, "");
	expect(&r, "G0557", 0, "excluded by APCM G0558 this month");
	expect(&r, "G0556", 0, "2 chronic conditions on file, 1 or fewer for this code");
	expect(&r, "99490", 0, "excluded by APCM G0558 this month");
	bill_result_free(&r);
	f[0].conditions = 1;
	billing_decide(&R, f, 1, &r);
	expect(&r, "G0556", 1, "");
	expect(&r, "G0557", 0, "1 chronic condition on file, 2 or more needed");
	expect(&r, "G0558", 0, "1 chronic condition on file, 2 or more needed");
	bill_result_free(&r);
}

/* The month's checklist (billing_month counts it, apcm.h): 12 of 13
 * elements is not enough, and the why-not names the missing one. */
static void test_apcm_checklist(void **state)
{
	(void)state;
	struct bill_facts f = month(PROG_APCM);
	struct bill_result r = {0};
	f.conditions = 2;
	f.apcm_elements = 13;
	f.apcm_missing = 1;
	snprintf(f.apcm_missing_ids, sizeof f.apcm_missing_ids, "transitions");
	billing_decide(&R, &f, 1, &r);
	expect(&r, "G0557", 0, "1 of 13 elements missing: transitions");
	bill_result_free(&r);
	f.apcm_missing = 0;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "G0557", 1, "");
	bill_result_free(&r);
}

/* Discharged Wednesday 25 November 2026: Thursday 26 is Thanksgiving, so
 * the second business day is Monday 30 November. */
static struct bill_facts tcm(void)
{
	struct bill_facts f = month(PROG_TCM);
	f.discharge = D("2026-11-25");
	f.consent_given = DATE_NONE;
	return f;
}

static void attempt(struct bill_facts *f, const char *day, bool reached)
{
	f->attempt_day[f->n_attempts] = D(day);
	f->attempt_reached[f->n_attempts++] = reached;
}

static void test_tcm_contact(void **state)
{
	(void)state;
	int due, on;
	struct bill_facts f = tcm();
	assert_false(billing_tcm_contact(&R, &f, &due, &on));
	assert_int_equal(due, D("2026-11-30"));
	/* reached on day 5 (the 2nd business day after the holiday): made */
	attempt(&f, "2026-11-30", true);
	assert_true(billing_tcm_contact(&R, &f, &due, &on));
	assert_int_equal(on, D("2026-11-30"));
	/* one unreached attempt is not enough, two are */
	f = tcm();
	attempt(&f, "2026-11-27", false);
	assert_false(billing_tcm_contact(&R, &f, &due, &on));
	attempt(&f, "2026-11-30", false);
	assert_true(billing_tcm_contact(&R, &f, &due, &on));
	/* a reached call on 1 December is too late */
	f = tcm();
	attempt(&f, "2026-12-01", true);
	assert_false(billing_tcm_contact(&R, &f, &due, &on));
	/* the same day count over weekdays only: Monday 2 Nov -> Wednesday 4 */
	f = tcm();
	f.discharge = D("2026-11-02");
	billing_tcm_contact(&R, &f, &due, &on);
	assert_int_equal(due, D("2026-11-04"));
}

static void test_tcm_codes(void **state)
{
	(void)state;
	struct bill_result r = {0};
	struct bill_facts f = tcm();
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99495", 0, "no interactive contact by 2026-11-30 (2 business days; 0 attempts)");
	bill_result_free(&r);
	attempt(&f, "2026-11-27", true);
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99496", 0, "complexity not recorded on the episode");
	bill_result_free(&r);
	f.complexity = CPLX_HIGH;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99496", 0, "no face-to-face visit recorded");
	bill_result_free(&r);
	/* high complexity, visit on day 9: not 99496, but 99495 */
	f.face_to_face = f.discharge + 9;
	f.med_rec = f.discharge + 9;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99496", 0, "face-to-face visit on day 9, after the 7 days of high complexity");
	expect(&r, "99495", 1, "");
	bill_result_free(&r);
	/* on day 7: 99496, which excludes 99495 */
	f.face_to_face = f.discharge + 7;
	f.med_rec = f.discharge + 1;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99496", 1, "");
	expect(&r, "99495", 0, "excluded by TCM 99496 this month");
	bill_result_free(&r);
	/* moderate: 99495 up to day 14, never 99496 */
	f.complexity = CPLX_MODERATE;
	f.face_to_face = f.discharge + 14;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99495", 1, "");
	expect(&r, "99496", 0, "face-to-face visit on day 14, after the 7 days of high complexity");
	bill_result_free(&r);
	f.face_to_face = f.discharge + 5;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99496", 0, "moderate complexity, 99496 needs high");
	bill_result_free(&r);
	f.face_to_face = f.discharge + 15;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99495", 0, "face-to-face visit on day 15, after the 14 days of moderate complexity");
	bill_result_free(&r);
	/* medication reconciliation after the visit */
	f.face_to_face = f.discharge + 10;
	f.med_rec = f.discharge + 11;
	billing_decide(&R, &f, 1, &r);
	expect(&r, "99495", 0, "medication reconciliation not recorded by the face-to-face visit");
	bill_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ccm_thresholds), cmocka_unit_test(test_ccm_complex_and_practitioner),
		cmocka_unit_test(test_consent), cmocka_unit_test(test_pcm_pin_chi),
		cmocka_unit_test(test_apcm_excludes_ccm), cmocka_unit_test(test_apcm_qmb),
		cmocka_unit_test(test_apcm_checklist), cmocka_unit_test(test_tcm_contact),
		cmocka_unit_test(test_tcm_codes), cmocka_unit_test(test_minutes_before_consent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
