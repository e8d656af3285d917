/* Unit tests: the patient use cases as the screen calls them — a refused
 * duplicate says which patient and whether insisting can help; what
 * changed is noted; a refusal writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/patient.h"
#include "caseload/store.h"

static char dir[256];
static struct store *s;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/caseload-patient-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/t.db", dir);
	struct err e = {0};
	struct store_opts o = {.user = "tester"};
	assert_int_equal(store_open(&s, db, &o, &e), 0);
	free(db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(&s);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static long long count(void)
{
	long long n = 0;
	struct err e = {0};
	struct patient_list l = {0};
	struct patient_query q = {.include_inactive = true};
	assert_int_equal(store_patient_list(s, &q, &l, &e), 0);
	n = (long long)l.len;
	patient_list_free(&l);
	return n;
}

static void test_add_and_duplicates(void **state)
{
	(void)state;
	struct err e = {0};
	struct change ch = {0};
	struct patient_dup dup = {.id = -1};
	struct patient a = {.family = "Jackson", .given = "James", .dob = "1950-03-02", .mrn = "M-15"};
	struct patient_req rq = {.p = &a, .dup = &dup};
	assert_int_equal(patient_add(s, &rq, &ch, &e), 0);
	assert_true(a.id > 0);
	assert_int_equal(dup.id, 0);
	assert_true(change_has(&ch, CHANGE_PATIENT));
	assert_int_equal(ch.patient_id, a.id);
	assert_int_equal(ch.id, a.id);

	/* the screen's question: "a patient with this name and DOB exists" */
	struct patient b = {.family = "JACKSON", .given = "Jámes", .dob = "1950-03-02"};
	rq = (struct patient_req){.p = &b, .dup = &dup};
	memset(&ch, 0, sizeof ch);
	assert_int_equal(patient_add(s, &rq, &ch, &e), ERR_CONFLICT);
	assert_int_equal(dup.id, a.id);
	assert_false(dup.same_mrn);
	assert_non_null(strstr(e.msg, "Jackson, James, born 1950-03-02, MRN M-15"));
	assert_int_equal(b.id, 0);
	assert_int_equal(ch.kinds, 0);
	assert_int_equal(count(), 1);
	/* ... and the answer "add anyway" */
	rq.allow_duplicate = true;
	assert_int_equal(patient_add(s, &rq, &ch, &e), 0);
	assert_int_equal(dup.id, 0);
	assert_true(b.id > a.id);

	/* an MRN cannot be insisted on */
	struct patient c = {.family = "Other", .given = "", .mrn = "M-15"};
	rq = (struct patient_req){.p = &c, .allow_duplicate = true, .dup = &dup};
	assert_int_equal(patient_add(s, &rq, NULL, &e), ERR_CONFLICT);
	assert_int_equal(dup.id, a.id);
	assert_true(dup.same_mrn);
	assert_int_equal(count(), 2);

	/* without a dup to fill, the refusal is the same */
	rq = (struct patient_req){.p = &c};
	assert_int_equal(patient_add(s, &rq, NULL, &e), ERR_CONFLICT);
}

static void test_edit(void **state)
{
	(void)state;
	struct err e = {0};
	struct patient_dup dup;
	struct patient a = {.family = "Núñez", .given = "José", .dob = "1978-08-08"};
	struct patient b = {.family = "Chen", .given = "Su", .dob = "1978-08-08"};
	struct patient_req rq = {.p = &a, .dup = &dup};
	assert_int_equal(patient_add(s, &rq, NULL, &e), 0);
	rq.p = &b;
	assert_int_equal(patient_add(s, &rq, NULL, &e), 0);

	struct patient edit = {0};
	assert_int_equal(store_patient_get(s, b.id, &edit, &e), 0);
	str_free(edit.family);
	str_free(edit.given);
	edit.family = xstrdup("Nunez");
	edit.given = xstrdup("Jose");
	struct change ch = {0};
	rq = (struct patient_req){.p = &edit, .dup = &dup};
	assert_int_equal(patient_edit(s, &rq, &ch, &e), ERR_CONFLICT);
	assert_int_equal(dup.id, a.id);
	assert_int_equal(ch.kinds, 0);
	struct patient got = {0};
	assert_int_equal(store_patient_get(s, b.id, &got, &e), 0);
	assert_string_equal(got.family, "Chen");
	patient_clear(&got);

	rq.allow_duplicate = true;
	assert_int_equal(patient_edit(s, &rq, &ch, &e), 0);
	assert_int_equal(ch.id, b.id);
	/* a kept namesake's other fields can change without insisting */
	str_free(edit.phone);
	edit.phone = xstrdup("555-0100");
	rq.allow_duplicate = false;
	assert_int_equal(patient_edit(s, &rq, NULL, &e), 0);
	patient_clear(&edit);

	struct patient missing = {.id = 9999, .family = "X"};
	rq = (struct patient_req){.p = &missing};
	assert_int_equal(patient_edit(s, &rq, NULL, &e), ERR_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_and_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
