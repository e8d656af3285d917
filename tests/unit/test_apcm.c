/* Unit tests: APCM's monthly checklist on a scratch database — the
 * elements seen in caseload's data (consent, a visit, a coordinator, an
 * open goal), attested in the config and recorded for the month; the
 * month's billing at 12 and 13 of 13; recording refused for what is not
 * the patient's to record, and undone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/apcm.h"
#include "caseload/billing.h"
#include "caseload/config.h"
#include "caseload/store.h"
#include "caseload/store_undo.h"
#include "fixture.h"

#define MONTH "2026-11"

static void sql(const char *text)
{
	assert_int_equal(fixture_sql("test.db", text, NULL), 0);
}

/* A patient with an APCM consent and episode from October, two chronic
 * conditions, a visit in November, a coordinator and a care plan with an
 * open goal. */
static long long arrange(struct store *s)
{
	long long p = fixture_patient(s, "Apcm", "high");
	char q[1024];
	snprintf(q, sizeof q,
	         "INSERT INTO consent(patient_id, program, method, given, captured_by, created, updated) "
	         "VALUES (%lld, 'apcm', 'verbal', '2026-10-01', 'tester', 0, 0)", p);
	sql(q);
	snprintf(q, sizeof q,
	         "INSERT INTO episode(patient_id, program, status, started, created, updated) "
	         "VALUES (%lld, 'apcm', 'active', '2026-10-01', 0, 0)", p);
	sql(q);
	snprintf(q, sizeof q,
	         "INSERT INTO condition(patient_id, name, status, created) VALUES "
	         "(%lld, 'Heart failure', 'active', 0), (%lld, 'COPD', 'active', 0)", p, p);
	sql(q);
	/* 2026-11-03 12:00 UTC */
	snprintf(q, sizeof q,
	         "INSERT INTO entry(patient_id, at, kind, outcome, author, created) "
	         "VALUES (%lld, 1793707200, 'visit', 'reached', 'tester', 0)", p);
	sql(q);
	snprintf(q, sizeof q, "UPDATE patient SET coordinator = 'dana' WHERE id = %lld", p);
	sql(q);
	snprintf(q, sizeof q,
	         "INSERT INTO care_plan(id, patient_id, title, status, start, created, updated) "
	         "VALUES (900, %lld, 'Plan', 'active', '2026-10-01', 0, 0)", p);
	sql(q);
	snprintf(q, sizeof q,
	         "INSERT INTO goal(plan_id, patient_id, description, status, created) "
	         "VALUES (900, %lld, 'Walk daily', 'active', 0)", p);
	sql(q);
	return p;
}

static const char *const practice[] = {"access", "alternative-care", "communication",
                                       "population-data", "risk-stratification", "performance"};

/* The config attesting the first n practice elements. */
static void attest(struct config *cfg, int n)
{
	config_defaults(cfg);
	cfg->path = strdup("config.yaml");
	cfg->attest = calloc((size_t)n + 1, sizeof *cfg->attest);
	for (int i = 0; i < n; i++)
		cfg->attest[cfg->n_attest++] = (struct attest){strdup(practice[i]), i + 2, 5};
}

static const struct apcm_item *item(const struct apcm_checklist *c, const char *id)
{
	for (size_t i = 0; i < c->len; i++)
		if (!strcmp(c->items[i].element->id, id))
			return &c->items[i];
	fail_msg("no element %s", id);
	return NULL;
}

/* G0557's units and why-not for the month. */
static int g0557(struct store *s, const struct config *cfg, long long p, char *why, size_t n)
{
	struct bill_month m;
	struct err e = {0};
	assert_int_equal(billing_month(s, MONTH, "UTC", cfg, p, &m, &e), 0);
	int units = -1;
	for (size_t i = 0; i < m.result.len; i++)
		if (!strcmp(m.result.items[i].rule->code, "G0557")) {
			units = m.result.items[i].units;
			snprintf(why, n, "%s", m.result.items[i].why);
		}
	bill_month_free(&m);
	assert_int_not_equal(units, -1);
	return units;
}

static void test_checklist(void **state)
{
	struct store *s = *state;
	long long p = arrange(s);
	struct config cfg;
	struct apcm_checklist c;
	struct err e = {0};
	char why[200];
	attest(&cfg, 5);
	assert_int_equal(apcm_checklist(s, &cfg, "UTC", p, MONTH, &c, &e), 0);
	assert_int_equal(c.len, 13);
	assert_int_equal(item(&c, "consent")->how, APCM_SEEN);
	assert_int_equal(item(&c, "initiating-visit")->how, APCM_SEEN);
	assert_string_equal(item(&c, "initiating-visit")->detail, "visit on 2026-11-03");
	assert_int_equal(item(&c, "continuity")->how, APCM_SEEN);
	assert_int_equal(item(&c, "care-plan")->how, APCM_SEEN);
	assert_int_equal(item(&c, "access")->how, APCM_ATTESTED);
	assert_int_equal(item(&c, "performance")->how, APCM_MISSING);
	assert_int_equal(item(&c, "transitions")->how, APCM_MISSING);
	assert_int_equal(c.missing, 4);   /* performance and the three to record */
	apcm_checklist_free(&c);

	const char *ids[] = {"care-management", "transitions", "coordination"};
	assert_int_equal(apcm_record(s, p, MONTH, ids, 3, NULL, &e), 0);
	/* 12 of 13: not billed, and the why-not names the one missing */
	assert_int_equal(g0557(s, &cfg, p, why, sizeof why), 0);
	assert_string_equal(why, "1 of 13 elements missing: performance");
	config_free(&cfg);
	/* 13 of 13 */
	attest(&cfg, 6);
	assert_int_equal(g0557(s, &cfg, p, why, sizeof why), 1);
	assert_int_equal(apcm_checklist(s, &cfg, "UTC", p, MONTH, &c, &e), 0);
	assert_int_equal(c.missing, 0);
	assert_int_equal(item(&c, "transitions")->how, APCM_RECORDED);
	apcm_checklist_free(&c);
	/* the next month starts over for what is recorded */
	assert_int_equal(apcm_checklist(s, &cfg, "UTC", p, "2026-12", &c, &e), 0);
	assert_int_equal(c.missing, 3);
	apcm_checklist_free(&c);
	/* undone: the three recorded rows go */
	long long rows = 0;
	assert_int_equal(store_undo_apply(s, store_undo_last(s), &rows, &e), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(g0557(s, &cfg, p, why, sizeof why), 0);
	assert_string_equal(why, "3 of 13 elements missing: care-management, transitions, coordination");
	config_free(&cfg);
}

static void test_refused(void **state)
{
	struct store *s = *state;
	long long p = fixture_patient(s, "Refused", "low");
	struct config cfg;
	struct apcm_checklist c;
	struct err e = {0};
	const char *practice_one[] = {"access"}, *consent[] = {"consent"}, *unknown[] = {"acess"};
	assert_int_equal(apcm_record(s, p, MONTH, practice_one, 1, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "practice"));
	err_clear(&e);
	assert_int_equal(apcm_record(s, p, MONTH, consent, 1, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "consent add"));
	err_clear(&e);
	assert_int_equal(apcm_record(s, p, MONTH, unknown, 1, NULL, &e), ERR_USAGE);
	err_clear(&e);
	assert_int_equal(apcm_record(s, p, "2026-13", unknown, 1, NULL, &e), ERR_USAGE);
	err_clear(&e);
	/* one already recorded: the whole record is refused, nothing added */
	const char *one[] = {"transitions"}, *two[] = {"coordination", "transitions"};
	assert_int_equal(apcm_record(s, p, MONTH, one, 1, NULL, &e), 0);
	assert_int_equal(apcm_record(s, p, MONTH, two, 2, NULL, &e), ERR_CONFLICT);
	err_clear(&e);
	attest(&cfg, 0);
	assert_int_equal(apcm_checklist(s, &cfg, "UTC", p, MONTH, &c, &e), 0);
	assert_int_equal(item(&c, "coordination")->how, APCM_MISSING);
	assert_int_equal(item(&c, "transitions")->how, APCM_RECORDED);
	assert_int_equal(item(&c, "consent")->how, APCM_MISSING);
	assert_string_equal(item(&c, "consent")->detail, "no APCM consent on file");
	apcm_checklist_free(&c);
	config_free(&cfg);
	/* an attested id the rules do not know, or a patient's: named by file:line */
	config_defaults(&cfg);
	cfg.path = strdup("config.yaml");
	cfg.attest = calloc(2, sizeof *cfg.attest);
	cfg.attest[cfg.n_attest++] = (struct attest){strdup("care-plan"), 3, 12};
	assert_int_equal(apcm_checklist(s, &cfg, "UTC", p, MONTH, &c, &e), ERR_FAIL);
	char msg[600];
	err_text(&e, msg, sizeof msg);
	assert_non_null(strstr(msg, "config.yaml:3:12"));
	assert_non_null(strstr(msg, "care-plan is the patient's"));
	config_free(&cfg);
}

int main(void)
{
	setenv("CASELOAD_DATADIR", "data", 1);   /* the rules: run from the tree */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checklist, fixture_store_setup,
		                                fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_refused, fixture_store_setup,
		                                fixture_store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
