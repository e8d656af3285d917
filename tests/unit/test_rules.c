/* Unit tests: the billing rules file (data/rules/2026.yaml) and its
 * checks, each bad file refused naming file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/rules.h"
#include "caseload/util.h"

#define SHIPPED "data/rules/2026.yaml"

static int D(const char *iso)
{
	int d = 0;
	assert_int_equal(date_parse_iso(iso, &d), 0);
	return d;
}

static void test_shipped(void **state)
{
	(void)state;
	struct rules r;
	struct err e = {0};
	assert_int_equal(rules_load_file(SHIPPED, &r, &e), 0);
	assert_int_equal(r.from, D("2026-01-01"));
	assert_int_equal(r.to, D("2026-12-31"));
	assert_int_equal(r.contact_bdays, 2);
	assert_int_equal(r.period_days, 30);
	assert_true(r.consent[PROG_CCM]);
	assert_false(r.consent[PROG_TCM]);
	/* the file's holidays are the observed federal ones date.c computes */
	int fed[12];
	int n = date_us_federal_holidays(2026, fed);
	assert_int_equal(r.holidays.n_extra, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(r.holidays.extra[i], fed[i]);
	const struct rule_code *k = rules_code(&r, "99439");
	assert_non_null(k);
	assert_string_equal(k->addon_to, "99490");
	assert_int_equal(k->step, 20);
	assert_int_equal(k->cap, 2);
	assert_int_equal(k->performer, PERF_STAFF);
	k = rules_code(&r, "99496");
	assert_int_equal(k->complexity, CPLX_HIGH);
	assert_int_equal(k->face_to_face_days, 7);
	assert_string_equal(k->source.confidence, "secondary");
	/* a code without its own source takes its program's */
	assert_non_null(strstr(rules_code(&r, "99490")->source.url, "https://"));
	assert_int_equal(r.n_exclusions, 4);
	/* APCM's 13 elements, each with a scope and a source */
	assert_int_equal(r.n_elements, 13);
	const struct rule_element *el = rules_element(&r, "access");
	assert_non_null(el);
	assert_true(el->practice);
	assert_false(rules_element(&r, "transitions")->practice);
	for (size_t i = 0; i < r.n_elements; i++)
		assert_non_null(strstr(r.elements[i].source.url, "https://"));
	assert_null(rules_element(&r, "acess"));
	assert_null(rules_code(&r, "G0136"));
	rules_free(&r);
}

/* A small valid file; each case replaces one line of it. */
static const char good[] =
	"effective: {from: 2027-01-01, to: 2027-12-31}\n"                       /* 1 */
	"business_days:\n"                                                      /* 2 */
	"  definition: weekdays\n"                                              /* 3 */
	"  holidays: [2027-01-01]\n"                                            /* 4 */
	"  source: {url: https://x.example/a, document: d, confidence: confirmed}\n" /* 5 */
	"programs:\n"                                                           /* 6 */
	"  ccm:\n"                                                              /* 7 */
	"    consent: true\n"                                                   /* 8 */
	"    source: {url: https://x.example/b, document: d, confidence: secondary}\n" /* 9 */
	"    codes:\n"                                                          /* 10 */
	"      - {code: '99490', performer: staff, minutes: 20}\n"              /* 11 */
	"      - {code: '99439', performer: staff, addon_to: '99490', step: 20, cap: 2}\n" /* 12 */
	"  pcm: {consent: true, source: {url: https://x.example/c, document: d, confidence: secondary}, codes: []}\n"
	"  apcm: {consent: true, source: {url: https://x.example/c, document: d, confidence: secondary}, codes: [{code: G0557, conditions_min: 2}]}\n"
	"  tcm:\n"                                                              /* 15 */
	"    consent: false\n"                                                  /* 16 */
	"    window: {contact_business_days: 2, period_days: 30}\n"             /* 17 */
	"    source: {url: https://x.example/d, document: d, confidence: confirmed}\n" /* 18 */
	"    codes: [{code: '99496', complexity: high, face_to_face_days: 7}]\n" /* 19 */
	"  pin: {consent: true, source: {url: https://x.example/c, document: d, confidence: secondary}, codes: []}\n"
	"  chi: {consent: true, source: {url: https://x.example/c, document: d, confidence: secondary}, codes: []}\n"
	"exclusions:\n"                                                         /* 22 */
	"  - {by: [G0557], excludes: ['99490'], why: bundled, source: {url: https://x.example/e, document: d, confidence: secondary}}\n";

/* good with line n (1-based) replaced by `with` */
static char *edit(int n, const char *with)
{
	struct buf b = {0};
	const char *p = good;
	for (int line = 1; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (line == n) {
			buf_add(&b, with);
			buf_add(&b, "\n");
		} else {
			buf_addn(&b, p, len);
		}
		p += len;
	}
	return buf_steal(&b);
}

static void test_good(void **state)
{
	(void)state;
	struct rules r;
	struct err e = {0};
	assert_int_equal(rules_load_string(good, strlen(good), "t.yaml", &r, &e), 0);
	assert_int_equal(r.n_codes, 4);
	rules_free(&r);
}

/* line 14, apcm, with elements */
#define APCM_WITH(els) "  apcm: {consent: true, source: {url: https://x.example/c, document: d, confidence: secondary}, codes: [{code: G0557, conditions_min: 2}], elements: [" els "]}"

static void test_elements(void **state)
{
	(void)state;
	char *text = edit(14, APCM_WITH("{id: access, title: t, scope: practice}, "
	                                "{id: care-plan, title: t, scope: patient}"));
	struct rules r;
	struct err e = {0};
	assert_int_equal(rules_load_string(text, strlen(text), "t.yaml", &r, &e), 0);
	assert_int_equal(r.n_elements, 2);
	assert_true(r.elements[0].practice);
	assert_false(r.elements[1].practice);
	assert_string_equal(r.elements[1].source.url, "https://x.example/c");   /* apcm's */
	rules_free(&r);
	free(text);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		int line;
		const char *with, *file_line, *msg;
	} cases[] = {
		{11, "      - {code: '99490', performer: staff, minuts: 20}", "t.yaml:11:", "minuts"},
		{11, "      - {code: '99490', performer: staff, minutes: twenty}", "t.yaml:11:", "whole number"},
		{11, "      - {code: '99490', performer: robot, minutes: 20}", "t.yaml:11:", "robot"},
		{9, "    note: none", "t.yaml:9:", "note"},
		{9, "    # no source", "t.yaml:11:", "99490 has no source"},
		{5, "  source: {url: https://x.example/a, document: d, confidence: likely}", "t.yaml:5:", "likely"},
		{5, "  source: {url: http://x.example/a, document: d, confidence: confirmed}", "t.yaml:5:", "https://"},
		{12, "      - {code: '99439', performer: staff, addon_to: '99999', step: 20}", "t.yaml:12:", "99999"},
		{12, "      - {code: '99490', performer: staff, minutes: 20}", "t.yaml:12:", "twice"},
		{1, "effective: {from: 2027-01-01, to: 2026-12-31}", "t.yaml:1:", "before"},
		{4, "  holidays: [2027-02-30]", "t.yaml:4:", "2027-02-30"},
		{17, "    window: {contact_business_days: 2}", "t.yaml:17:", "period_days"},
		{19, "    codes: [{code: '99496', complexity: high}]", "t.yaml:19:", "face_to_face_days"},
		{21, "  chx: {consent: true, codes: []}", "t.yaml:21:", "chx"},
		{14, APCM_WITH("{id: access, title: t, scope: office}"), "t.yaml:14:", "office"},
		{14, APCM_WITH("{id: access, titel: t, scope: practice}"), "t.yaml:14:", "titel"},
		{14, APCM_WITH("{id: Access, title: t, scope: practice}"), "t.yaml:14:", "lower-case"},
		{14, APCM_WITH("{id: a, title: t, scope: patient}, {id: a, title: u, scope: patient}"),
		 "t.yaml:14:", "twice"},
		{14, APCM_WITH("{id: access, scope: practice}"), "t.yaml:14:", "title"},
		{20, "  pin: {consent: true, source: {url: https://x.example/c, document: d, confidence: secondary}, codes: [], elements: []}",
		 "t.yaml:20:", "only apcm has elements"},
		{23, "  - {by: [G0557], excludes: ['99491'], why: b, source: {url: https://x.example/e, document: d, confidence: secondary}}", "t.yaml:23:", "99491"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = edit(cases[i].line, cases[i].with), msg[600];
		struct rules r;
		struct err e = {0};
		int rc = rules_load_string(text, strlen(text), "t.yaml", &r, &e);
		err_text(&e, msg, sizeof msg);
		if (rc == 0 || !strstr(msg, cases[i].file_line) || !strstr(msg, cases[i].msg))
			fail_msg("case %zu: rc %d, '%s'", i, rc, msg);
		free(text);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Two files whose effective dates overlap: the later one is named. */
static void test_overlap(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_rules.XXXXXX", msg[600];
	assert_non_null(mkdtemp(dir));
	char *a = xasprintf("%s/2027.yaml", dir), *b = xasprintf("%s/2027b.yaml", dir);
	char *late = edit(1, "effective: {from: 2027-07-01, to: 2028-06-30}");
	write_file(a, good);
	struct rules_list l = {0};
	struct err e = {0};
	assert_int_equal(rules_scan(dir, &l, &e), 0);
	assert_int_equal(l.len, 1);
	rules_list_free(&l);
	write_file(b, late);
	assert_int_not_equal(rules_scan(dir, &l, &e), 0);
	err_text(&e, msg, sizeof msg);
	assert_non_null(strstr(msg, "2027b.yaml:1:"));
	assert_non_null(strstr(msg, "overlaps"));
	rules_list_free(&l);
	unlink(a);
	unlink(b);
	rmdir(dir);
	free(a);
	free(b);
	free(late);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped), cmocka_unit_test(test_good), cmocka_unit_test(test_elements),
		cmocka_unit_test(test_bad), cmocka_unit_test(test_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
