/* Unit tests: the sets of codes in model.h, on every code of their value
 * sets, and the store's SQL spelling of the same sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caseload/model.h"
#include "../../src/store/store_internal.h"

/* Each predicate against the codes that should be in it: every code of
 * the value set is tried, in and out. */
static void check_set(const struct codeset *set, bool (*in)(const char *), const char *name,
                      const char *const *want)
{
	int found = 0;
	for (int i = 0; i < set->n; i++) {
		bool expected = false;
		for (const char *const *w = want; *w; w++)
			expected |= !strcmp(*w, set->codes[i]);
		found += expected;
		if (in(set->codes[i]) != expected)
			fail_msg("%s('%s') is %d", name, set->codes[i], !expected);
	}
	int n = 0;
	while (want[n])
		n++;
	assert_int_equal(found, n);   /* every wanted code is a code of the set */
	assert_false(in(NULL));
	assert_false(in(""));
	assert_false(in("Booked"));   /* codes are exact */
	assert_false(in("unknown-code"));
}

#define WANT(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_sets(void **state)
{
	(void)state;
	check_set(&TASK_STATUS, task_status_open, "task_status_open",
	          WANT("requested", "in-progress", "on-hold"));
	check_set(&TASK_STATUS, task_status_closed, "task_status_closed",
	          WANT("completed", "cancelled", "failed"));
	/* review_screen.c left noshow out of this set; the others had it */
	check_set(&APPT_STATUS, appt_status_gone, "appt_status_gone",
	          WANT("cancelled", "noshow", "entered-in-error"));
	check_set(&APPT_STATUS, appt_status_live, "appt_status_live", WANT("booked", "pending"));
	check_set(&TASK_PRIORITY, task_priority_urgent, "task_priority_urgent",
	          WANT("urgent", "asap", "stat"));
	check_set(&TRANSPORT, transport_wanted, "transport_wanted",
	          WANT("needed", "arranged", "confirmed"));
	check_set(&TRANSPORT, transport_unconfirmed, "transport_unconfirmed",
	          WANT("needed", "arranged"));
	check_set(&PLAN_STATUS, plan_status_open, "plan_status_open",
	          WANT("active", "on-hold", "draft"));
	check_set(&PLAN_STATUS, plan_status_closes, "plan_status_closes",
	          WANT("completed", "revoked"));

	/* a task is open or closed, never both; a visit never live and gone */
	for (int i = 0; i < TASK_STATUS.n; i++)
		assert_true(task_status_open(TASK_STATUS.codes[i]) !=
		            task_status_closed(TASK_STATUS.codes[i]));
	for (int i = 0; i < APPT_STATUS.n; i++)
		assert_false(appt_status_live(APPT_STATUS.codes[i]) &&
		             appt_status_gone(APPT_STATUS.codes[i]));
	assert_int_equal(risk_default_cadence("high"), 7);
	assert_int_equal(risk_default_cadence("medium"), 14);
	assert_int_equal(risk_default_cadence("low"), 30);
	assert_int_equal(risk_default_cadence(NULL), 14);
}

/* The enums name the codes of their sets, in order, and nothing else. */
static void test_enums(void **state)
{
	(void)state;
	int n;
#define CHECK_CODE(name, code) \
	assert_int_equal(code_find(set, code), name); \
	assert_int_equal(name, n++);
#define CHECK_SET(s, LIST) do { \
		const struct codeset *set = &s; \
		n = 0; \
		LIST(CHECK_CODE) \
		assert_int_equal(set->n, n); \
	} while (0)
	CHECK_SET(RISK, RISK_CODES);
	CHECK_SET(APPT_STATUS, APPT_STATUS_CODES);
	CHECK_SET(TRANSPORT, TRANSPORT_CODES);
	CHECK_SET(TASK_PRIORITY, TASK_PRIORITY_CODES);
	CHECK_SET(TASK_STATUS, TASK_STATUS_CODES);
	CHECK_SET(PLAN_STATUS, PLAN_STATUS_CODES);
	CHECK_SET(MED_STATUS, MED_STATUS_CODES);
	assert_int_equal(code_find(&APPT_STATUS, "noshow"), APPT_NOSHOW);
	assert_string_equal(TASK_STATUS.codes[TASK_ON_HOLD], "on-hold");
	assert_int_equal(code_find(&RISK, "High"), -1);
	assert_int_equal(code_find(&RISK, NULL), -1);
}

/* "('a','b')": the codes of the set that it names, as the predicate's. */
static void check_sql(const struct codeset *set, bool (*in)(const char *), const char *sql)
{
	int named = 0;
	for (int i = 0; i < set->n; i++) {
		char quoted[64];
		snprintf(quoted, sizeof quoted, "'%s'", set->codes[i]);
		bool listed = strstr(sql, quoted) != NULL;
		named += listed;
		if (listed != in(set->codes[i]))
			fail_msg("%s: '%s' %s", sql, set->codes[i], listed ? "listed" : "missing");
	}
	/* nothing else in the list: n codes give n quoted words */
	int quotes = 0;
	for (const char *p = sql; *p; p++)
		quotes += *p == '\'';
	assert_int_equal(quotes, 2 * named);
}

static bool contact_kind(const char *kind)
{
	return kind && (!strcmp(kind, "call") || !strcmp(kind, "visit") || !strcmp(kind, "message"));
}

static void test_sql_sets(void **state)
{
	(void)state;
	check_sql(&TASK_STATUS, task_status_open, SQL_OPEN_TASK);
	check_sql(&APPT_STATUS, appt_status_gone, SQL_GONE_APPT);
	check_sql(&ENTRY_KIND, contact_kind, SQL_CONTACT_KINDS);
}

/* Databases made before the fragments existed keep the text of these
 * indexes and this view: the migrations must still write exactly it, or
 * an old database and a new one differ without a migration saying so. */
static void test_schema_text(void **state)
{
	(void)state;
	static const char *const kept[] = {
		"CREATE INDEX task_open_due ON task(due, id) WHERE status IN "
		"('requested','in-progress','on-hold');\n",
		"    AND t.status IN ('requested','in-progress','on-hold')), '9999-12-31') AS need_due\n",
		"CREATE INDEX entry_reached ON entry(patient_id, at)\n"
		"  WHERE outcome = 'reached' AND kind IN ('call','visit','message');\n",
	};
	for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++) {
		int found = 0;
		for (int i = 0; i < store_n_migrations; i++)
			found += strstr(store_migrations[i].sql, kept[k]) != NULL;
		if (found != 1)
			fail_msg("the migrations write '%s' %d times", kept[k], found);
	}
}

/* Every code of the sets an export writes has its FHIR R4 code, and that
 * code is one of the R4 value set's (spelled here from the R4 spec, not
 * from model.c); an unknown code has none. */
static void check_fhir(const struct codeset *set, const char *element, const char *const *r4)
{
	for (int i = 0; i < set->n; i++) {
		const char *c = fhir_code(element, set->codes[i]);
		if (!c)
			fail_msg("%s %s has no %s code", set->name, set->codes[i], element);
		bool known = false;
		for (size_t k = 0; r4[k] && !known; k++)
			known = !strcmp(r4[k], c);
		if (!known)
			fail_msg("%s %s maps to %s, not an R4 %s code", set->name, set->codes[i], c,
			         element);
	}
	assert_null(fhir_code(element, "no-such-code"));
}

static void test_fhir_codes(void **state)
{
	(void)state;
	static const char *const task[] = {"draft", "requested", "received", "accepted",
		"rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed",
		"entered-in-error", NULL};
	static const char *const priority[] = {"routine", "urgent", "asap", "stat", NULL};
	static const char *const appt[] = {"proposed", "pending", "booked", "arrived",
		"fulfilled", "cancelled", "noshow", "entered-in-error", "checked-in", "waitlist", NULL};
	static const char *const plan[] = {"draft", "active", "on-hold", "revoked", "completed",
		"entered-in-error", "unknown", NULL};
	static const char *const goal[] = {"proposed", "planned", "accepted", "active", "on-hold",
		"completed", "cancelled", "entered-in-error", "rejected", NULL};
	static const char *const med[] = {"active", "completed", "entered-in-error", "intended",
		"stopped", "on-hold", "unknown", "not-taken", NULL};
	static const char *const clinical[] = {"active", "recurrence", "relapse", "inactive",
		"remission", "resolved", NULL};
	static const char *const event[] = {"preparation", "in-progress", "not-done", "on-hold",
		"stopped", "completed", "entered-in-error", "unknown", NULL};
	static const char *const member[] = {"RelatedPerson", "Practitioner", "Organization", NULL};
	check_fhir(&TASK_STATUS, "Task.status", task);
	check_fhir(&TASK_PRIORITY, "Task.priority", priority);
	check_fhir(&APPT_STATUS, "Appointment.status", appt);
	check_fhir(&PLAN_STATUS, "CarePlan.status", plan);
	check_fhir(&GOAL_STATUS, "Goal.lifecycleStatus", goal);
	check_fhir(&MED_STATUS, "MedicationStatement.status", med);
	check_fhir(&CONDITION_STATUS, "Condition.clinicalStatus", clinical);
	check_fhir(&OUTCOME, "Communication.status", event);
	check_fhir(&CONTACT_KIND, "CareTeam.member", member);
	assert_string_equal(fhir_code("Communication.status", "no-answer"), "not-done");
	assert_string_equal(fhir_code("Communication.medium", "call"), "PHONE");
	assert_null(fhir_code("Communication.medium", "discharge"));
	assert_null(fhir_code(NULL, "active"));
	assert_null(fhir_code("Task.status", NULL));
}

static void check_uid_shape(const char *uid)
{
	assert_int_equal(strlen(uid), 32 + strlen("@caseload"));
	assert_int_equal(strspn(uid, "0123456789abcdef"), 32);
	assert_string_equal(uid + 32, "@caseload");
}

/* An appointment UID begins with the time it was made: one made later
 * sorts later (the UID index grows at its end); two made in the same
 * millisecond still differ, in their random tail. */
static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void test_uids(void **state)
{
	(void)state;
	char *a = appointment_new_uid(), *b = appointment_new_uid();
	check_uid_shape(a);
	check_uid_shape(b);
	assert_string_not_equal(a, b);
	struct timespec pause = {.tv_nsec = 3000000};
	nanosleep(&pause, NULL);
	long long before = now_ms();
	char *c = appointment_new_uid();
	long long after = now_ms();
	assert_true(strcmp(a, c) < 0);
	assert_true(strcmp(b, c) < 0);
	assert_memory_not_equal(a + 12, b + 12, 20);
	char prefix[13];
	memcpy(prefix, c, 12);
	prefix[12] = '\0';
	long long made = strtoll(prefix, NULL, 16);   /* Unix time in ms */
	assert_true(made >= before && made <= after);
	char *r1 = random_uid(), *r2 = random_uid();
	check_uid_shape(r1);
	check_uid_shape(r2);
	assert_memory_not_equal(r1, r2, 12);   /* no clock in it */
	free(a);
	free(b);
	free(c);
	free(r1);
	free(r2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_sql_sets),
		cmocka_unit_test(test_schema_text),
		cmocka_unit_test(test_fhir_codes),
		cmocka_unit_test(test_uids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
