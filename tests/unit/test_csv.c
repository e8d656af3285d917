/* Unit tests: the CSV reader's edge cases (libcsv underneath: BOM, CRLF,
 * quotes, line numbers, bounds), CSV output quoting, and the roster's
 * first reading (header mapping, values, duplicate MRNs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/csv.h"
#include "caseload/roster.h"
#include "caseload/text.h"
#include "caseload/util.h"

/* The records as "line:field|field;" */
static int collect(void *ctx, const struct csv_record *r, struct err *e)
{
	struct buf *b = ctx;
	(void)e;
	buf_addf(b, "%d:", r->line);
	for (size_t i = 0; i < r->n; i++)
		buf_addf(b, "%s%s", i ? "|" : "", r->field[i]);
	buf_addc(b, ';');
	return 0;
}

/* Read data fed in pieces of `step` bytes (0: whole); the records, or
 * "ERR <message>". */
static char *read_csv(const char *data, size_t len, char sep, size_t step)
{
	struct buf b = {0};
	struct err e = {0};
	struct csv_reader *r = csv_reader_new(sep, "t.csv", collect, &b);
	int rc = 0;
	for (size_t at = 0; at < len && rc == 0;) {
		size_t n = step && len - at > step ? step : len - at;
		rc = csv_feed(r, data + at, n, &e);
		at += n;
	}
	if (rc == 0)
		rc = csv_finish(r, &e);
	csv_reader_free(&r);
	assert_null(r);
	if (rc < 0) {
		buf_free(&b);
		return xasprintf("ERR %s", e.msg);
	}
	return buf_steal(&b);
}

/* The same records whole and fed a byte at a time. */
static void check(const char *data, char sep, const char *want)
{
	size_t len = strlen(data);
	char *whole = read_csv(data, len, sep, 0), *bytes = read_csv(data, len, sep, 1);
	assert_string_equal(whole, want);
	assert_string_equal(bytes, want);
	free(whole);
	free(bytes);
}

static void test_records(void **state)
{
	(void)state;
	check("a,b\nc,d\n", ',', "1:a|b;2:c|d;");
	check("a,b\r\nc,d\r\n", ',', "1:a|b;2:c|d;");
	check("a,b\nc,d", ',', "1:a|b;2:c|d;");             /* no final line end */
	check("\xEF\xBB\xBFmrn,dob\nM1,1950-01-01\n", ',', "1:mrn|dob;2:M1|1950-01-01;");
	check("\xEF\xBBx\n", ',', "1:\xEF\xBBx;");           /* not a whole BOM: kept */
	check("a\n\n\r\nb\n", ',', "1:a;4:b;");              /* blank lines are no records */
	check("\"Smith, Ann\",\"say \"\"hi\"\"\"\n", ',', "1:Smith, Ann|say \"hi\";");
	/* a quoted line break: the record's line is its first field's */
	check("x,\"two\nlines\"\ny,z\n", ',', "1:x|two\nlines;3:y|z;");
	check("a, b ,\" c \"\n", ',', "1:a|b| c ;");         /* unquoted spaces go */
	check(",,\n", ',', "1:||;");
	check("a\tb,c\n", '\t', "1:a|b,c;");
	check("a\t\tO\"Brien\n", '\t', "1:a||O\"Brien;");    /* TSV: a quote is text */
}

static void test_refused(void **state)
{
	(void)state;
	/* the first problem of a line is the one said, however it was fed */
	char nul_quote[] = "a,b\0c,d\"e\n";
	char *first = read_csv(nul_quote, sizeof nul_quote - 1, ',', 0);
	assert_string_equal(first, "ERR line 1, column 2: a NUL byte (is it a text file?)");
	free(first);
	check("a,b\nc,d\"x\n", ',', "ERR line 2: a quote out of place (a quoted field is \"...\" "
	                            "whole, quotes inside it doubled)");
	check("a,b\nc,\"open\n\n", ',', "ERR line 4: the file ends inside a quoted field (a "
	                                 "quote left open)");
	char nul[] = "a,b\nc,d\0e\n";
	char *got = read_csv(nul, sizeof nul - 1, ',', 0);
	assert_string_equal(got, "ERR line 2, column 2: a NUL byte (is it a text file?)");
	free(got);
	/* a record beyond CSV_RECORD_MAX: refused, not held */
	size_t big = CSV_RECORD_MAX + 10;
	char *data = xmalloc(big + 3);
	memcpy(data, "a\n\"", 3);
	memset(data + 3, 'x', big);
	got = read_csv(data, big + 3, ',', 4096);
	assert_string_equal(got, "ERR line 2: a record longer than 64 KiB (a quote left open?)");
	free(got);
	free(data);
	struct buf many = {0};
	for (int i = 0; i <= CSV_FIELDS_MAX; i++)
		buf_add(&many, i ? ",x" : "x");
	got = read_csv(many.s, many.len, ',', 0);
	assert_string_equal(got, "ERR line 1: more than 256 fields in a record");
	free(got);
	buf_free(&many);
}

static void test_sniff_and_quote(void **state)
{
	(void)state;
	assert_int_equal(csv_sniff("a\tb\tc\nx,y", 9), '\t');
	assert_int_equal(csv_sniff("a\tb,c\n", 6), ',');
	assert_int_equal(csv_sniff("a,b\n", 4), ',');
	assert_int_equal(csv_sniff("", 0), ',');
	struct buf b = {0};
	const char *in[] = {"plain", "Smith, Ann", "say \"hi\"", "two\nlines", " lead", "",
	                    "\xEF\xBB\xBFx"};
	for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
		csv_field_into(&b, in[i], ',');
		buf_addc(&b, ';');
	}
	assert_string_equal(b.s, "plain;\"Smith, Ann\";\"say \"\"hi\"\"\";\"two\nlines\";\" lead\";;"
	                         "\"\xEF\xBB\xBFx\";");
	buf_free(&b);
}

/* ---- the roster's first reading ---- */

static struct buf problems;

static void note_problem(void *ctx, const struct err *e)
{
	(void)ctx;
	buf_addf(&problems, "%s\n", e->msg);
}

static int roster(const char *data, const char *map, struct roster_summary *sum)
{
	struct roster_opts o = {.map = map, .today = 20000, .problem = note_problem};
	struct err e = {0};
	buf_reset(&problems);
	int rc = roster_check(data, strlen(data), "r.csv", &o, sum, &e);
	if (rc < 0)
		buf_addf(&problems, "= %s", e.msg);
	return rc;
}

static void test_roster_header(void **state)
{
	(void)state;
	struct roster_summary sum;
	/* patient list --format csv's own names, and common ones */
	assert_int_equal(roster("id,name,dob,mrn,risk,phone,language,email,cadence_days,status\r\n"
	                        "7,\"Doe, Jane\",1950-01-02,M1,low,555,English,j@x,30,active\r\n",
	                        NULL, &sum), 0);
	assert_int_equal(sum.rows, 1);
	assert_int_equal(roster("Last Name,First Name,Date of Birth,MRN,Preferred Language\n"
	                        "Doe,Jane,1950-01-02,M1,Spanish\n", NULL, &sum), 0);
	/* unknown columns: refused, each named, unless mapped */
	assert_int_equal(roster("Member ID,Plan,name\nM1,A,\"Doe, J\"\n", NULL, &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "line 1, column 1: 'Member ID' is not a patient field"));
	assert_non_null(strstr(problems.s, "line 1, column 2: 'Plan' is not a patient field"));
	assert_non_null(strstr(problems.s, "no MRN column"));
	assert_int_equal(roster("Member ID,Plan,name\nM1,A,\"Doe, J\"\n", "Member ID=mrn, plan = -",
	                        &sum), 0);
	assert_int_equal(roster("mrn,name\nM1,\"Doe, J\"\n", "Plan=-", &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "--map names 'Plan', which the header does not have"));
	assert_int_equal(roster("mrn,name\n", "mrn=birthday", &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "'birthday' is not a patient field"));
	assert_int_equal(roster("mrn,name,Last Name\nM1,\"A, B\",A\n", NULL, &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "a whole name column and family or given name columns"));
	assert_int_equal(roster("mrn,DOB,Date of Birth\n", NULL, &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "columns 2 and 3 are both the dob"));
	assert_int_equal(roster("", NULL, &sum), ERR_USAGE);
	assert_string_equal(problems.s, "= empty: no header row");
}

static void test_roster_values(void **state)
{
	(void)state;
	struct roster_summary sum;
	assert_int_equal(roster("mrn,DOB,risk,interpreter,cadence\n"
	                        "M1,13/45/1950,low,yes,7\n"
	                        "M2,1950-01-01,severe,no,7\n"
	                        "M3,2030-01-01,high,maybe,0\n"
	                        ",1950-01-01,,,\n"
	                        "M5,1950-01-01\n"
	                        "M6,\"a\xff\",,,\n"
	                        "M7,,,,\n"
	                        "M7,,,,\n", NULL, &sum), ERR_USAGE);
	const char *want[] = {
		"line 2, column DOB: '13/45/1950' is not a date (YYYY-MM-DD)",
		"line 3, column risk: 'severe' is not one of low, medium or high",
		"line 4, column DOB: '2030-01-01' is not a past date from 1900 on",
		"line 5, column mrn: empty: every row needs the MRN it is matched by",
		"line 6: 2 fields where the header has 5",
		"line 7, column DOB: byte 2 is not valid UTF-8",
		"line 9: MRN 'M7' is also on line 8",
		"= 7 problems (each shown): nothing imported",
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++)
		if (!strstr(problems.s, want[i]))
			fail_msg("missing \"%s\" in:\n%s", want[i], problems.s);
	/* a line with two problems names the first (the date), once */
	assert_null(strstr(problems.s, "line 4, column interpreter"));
	assert_int_equal(sum.rows, 8);
	/* a control character is refused as patient add refuses it */
	assert_int_equal(roster("mrn,name\nM1,\"Doe\x1b[31m, J\"\n", NULL, &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "line 2, column name: character 4 is a control character"));
	/* without a reporter the first problem is the error */
	struct roster_opts o = {.today = 20000};
	struct err e = {0};
	const char *two = "mrn,dob\nM1,x\nM2,y\n";
	assert_int_equal(roster_check(two, strlen(two), "r.csv", &o, &sum, &e), ERR_USAGE);
	assert_string_equal(e.msg, "line 2, column dob: 'x' is not a date (YYYY-MM-DD)");
	assert_string_equal(e.file, "r.csv");
}

static void test_roster_bounded(void **state)
{
	(void)state;
	/* problems stop the reading at ROSTER_PROBLEMS_MAX */
	struct buf b = {0};
	buf_add(&b, "mrn,dob\n");
	for (int i = 0; i < 100; i++)
		buf_addf(&b, "M%d,bad\n", i);
	struct roster_summary sum;
	assert_int_equal(roster(b.s, NULL, &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "= 20 problems (the first ones shown): nothing imported"));
	assert_null(strstr(problems.s, "line 22,"));
	buf_free(&b);
	/* many distinct MRNs: the set grows and still finds the duplicate */
	buf_add(&b, "mrn\n");
	for (int i = 0; i < 5000; i++)
		buf_addf(&b, "M%d\n", i);
	buf_add(&b, "M4321\n");
	assert_int_equal(roster(b.s, NULL, &sum), ERR_USAGE);
	assert_non_null(strstr(problems.s, "line 5002: MRN 'M4321' is also on line 4323"));
	buf_free(&b);
}

static int teardown(void **state)
{
	(void)state;
	buf_free(&problems);
	return 0;
}

int main(void)
{
	text_init_locale();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_sniff_and_quote),
		cmocka_unit_test(test_roster_header),
		cmocka_unit_test(test_roster_values),
		cmocka_unit_test(test_roster_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
