/* Unit tests: the HL7 v2 reader: separators from MSH, segments by CR, LF
 * or CRLF, repetitions, components and subcomponents, escapes, MLLP
 * framing and several messages in a stream, and refusals that name the
 * place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/hl7.h"

static const char adt[] =
	"MSH|^~\\&|HIS|MERCY|CASELOAD|CLINIC|20261201083000||ADT^A03^ADT_A03|MSG00042|P|2.5.1\r"
	"EVN|A03|20261201083000\r"
	"PID|1||99^^^OTHER^PI~1005^^^MERCY^MR||Doe^Jane||19500131|F|||1 Main St^^Springfield^IL^62701"
	"||(555)200-1005\r"
	"PV1|1|I|4W^401^B^MERCY HOSPITAL|||||||||||||||||||||||||||||||||01||||||||20261125140000"
	"|20261201080000\r";

static char *value(const struct hl7_msg *m, const char *seg, int field, int rep, int comp,
                   int sub)
{
	const struct hl7_seg *s = hl7_segment(m, seg, 1);
	assert_non_null(s);
	return hl7_value(m, s, field, rep, comp, sub);
}

static void assert_value(const struct hl7_msg *m, const char *seg, int field, int rep, int comp,
                         int sub, const char *want)
{
	char *v = value(m, seg, field, rep, comp, sub);
	if (!want) {
		assert_null(v);
		return;
	}
	if (!v)
		fail_msg("%s-%d[%d].%d.%d is empty, not '%s'", seg, field, rep, comp, sub, want);
	assert_string_equal(v, want);
	free(v);
}

static void test_fields(void **state)
{
	(void)state;
	struct hl7_msg m = {0};
	struct err e = {0};
	assert_int_equal(hl7_parse(adt, sizeof adt - 1, &m, &e), 0);
	assert_int_equal(m.nseg, 4);
	assert_int_equal(m.fs, '|');
	assert_int_equal(m.cs, '^');
	assert_int_equal(m.rs, '~');
	assert_int_equal(m.ec, '\\');
	assert_int_equal(m.ss, '&');
	assert_value(&m, "MSH", 1, 1, 1, 0, "|");
	assert_value(&m, "MSH", 2, 1, 1, 0, "^~\\&");
	assert_value(&m, "MSH", 9, 1, 2, 0, "A03");
	assert_value(&m, "MSH", 10, 1, 1, 0, "MSG00042");
	assert_value(&m, "PID", 3, 2, 1, 0, "1005");
	assert_value(&m, "PID", 3, 2, 5, 0, "MR");
	assert_value(&m, "PID", 3, 3, 1, 0, NULL);
	assert_int_equal(hl7_reps(&m, hl7_segment(&m, "PID", 1), 3), 2);
	assert_value(&m, "PID", 7, 1, 1, 0, "19500131");
	assert_value(&m, "PID", 11, 1, 3, 0, "Springfield");
	assert_value(&m, "PV1", 3, 1, 4, 0, "MERCY HOSPITAL");
	assert_value(&m, "PV1", 36, 1, 1, 0, "01");
	assert_value(&m, "PV1", 44, 1, 1, 0, "20261125140000");
	assert_value(&m, "PV1", 45, 1, 1, 0, "20261201080000");
	assert_value(&m, "PV1", 46, 1, 1, 0, NULL);   /* past the last field */
	assert_null(hl7_segment(&m, "NK1", 1));
	hl7_msg_free(&m);
}

/* Other separators, LF line ends, escapes and subcomponents. */
static void test_custom_separators(void **state)
{
	(void)state;
	static const char text[] =
		"MSH#*@!$#A#B#C#D#2026##ADT*A08#X1#P#2.5\n"
		"PID#1##7*$$$H$X*$$MR##Lee!F!*A@B!S!C!T!!R!!E!\n"
		"ZZZ#a$b$$c*!X4A6F7365!!.br!end\n";
	struct hl7_msg m = {0};
	struct err e = {0};
	assert_int_equal(hl7_parse(text, sizeof text - 1, &m, &e), 0);
	assert_int_equal(m.fs, '#');
	assert_int_equal(m.cs, '*');
	assert_int_equal(m.rs, '@');
	assert_int_equal(m.ec, '!');
	assert_int_equal(m.ss, '$');
	assert_value(&m, "PID", 3, 1, 2, 1, NULL);
	assert_value(&m, "PID", 3, 1, 2, 0, "$$$H$X");
	assert_value(&m, "PID", 3, 1, 2, 4, "H");
	assert_value(&m, "PID", 3, 1, 2, 5, "X");
	assert_value(&m, "PID", 3, 1, 3, 0, "$$MR");
	assert_value(&m, "PID", 3, 1, 4, 0, NULL);
	assert_value(&m, "PID", 5, 1, 1, 0, "Lee#");
	assert_value(&m, "PID", 5, 1, 2, 0, "A");
	assert_value(&m, "PID", 5, 2, 1, 0, "B*C$@!");
	assert_value(&m, "ZZZ", 1, 1, 1, 3, NULL);
	assert_value(&m, "ZZZ", 1, 1, 1, 4, "c");
	assert_value(&m, "ZZZ", 1, 1, 2, 0, "Jose\nend");
	hl7_msg_free(&m);
}

static int count_leaf(void *ctx, const char *seg, int seq, int field, int rep, int comp,
                      int sub, const char *value)
{
	(void)seg, (void)seq, (void)field, (void)rep, (void)comp, (void)sub;
	assert_true(*value);
	(*(int *)ctx)++;
	return 0;
}

static void test_each(void **state)
{
	(void)state;
	static const char text[] = "MSH|^~\\&|A||||||ADT^A01|1\rPID|||x~y&z^^w\r";
	struct hl7_msg m = {0};
	struct err e = {0};
	int n = 0;
	assert_int_equal(hl7_parse(text, sizeof text - 1, &m, &e), 0);
	assert_int_equal(hl7_each(&m, count_leaf, &n), 0);
	/* MSH-1, MSH-2, A, ADT, A01, 1, x, y, z, w */
	assert_int_equal(n, 10);
	struct buf b = {0};
	hl7_escape_into(&b, &m, "a|b^c~d\\e&f\ng");
	assert_string_equal(b.s, "a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\.br\\g");
	buf_free(&b);
	hl7_msg_free(&m);
}

static void refused(const char *text, const char *want_msg, const char *seg, int field)
{
	struct hl7_msg m = {0};
	struct err e = {0};
	assert_int_equal(hl7_parse(text, strlen(text), &m, &e), ERR_USAGE);
	if (!strstr(e.msg, want_msg))
		fail_msg("'%s' does not say '%s'", e.msg, want_msg);
	assert_string_equal(m.err_seg, seg);
	assert_int_equal(m.err_field, field);
	hl7_msg_free(&m);
}

static void test_refusals(void **state)
{
	(void)state;
	refused("PID|1\r", "segment 1: a message begins with MSH, not 'PID'", "", 0);
	refused("MSH|^~\\|A\r", "MSH-2: the encoding characters '^~\\'", "MSH", 2);
	refused("MSH|^^\\&|A\r", "MSH-2", "MSH", 2);
	refused("MSH|^~\\&|A\rPID|1||\\Z12\\\r", "PID-3: escape sequence '\\Z12\\' is not one",
	        "PID", 3);
	refused("MSH|^~\\&|A\rPID|1||a\\F\r", "PID-3: an escape sequence is not ended", "PID", 3);
	refused("MSH|^~\\&|A\rPID|1|||||\xff\r", "PID-6: byte 1 is not valid UTF-8", "PID", 6);
	refused("MSH|^~\\&|A\rPID|1|x\x1by\r", "PID-2: character 2 is a control character", "PID",
	        2);
	refused("MSH|^~\\&|A\rPID|1|x\\X1B\\\r", "PID-2 (decoded): character 2 is a control",
	        "PID", 2);
	refused("MSH|^~\\&|A\rPID|1|x\\X00\\\r", "NUL byte", "PID", 2);
	refused("MSH|^~\\&|A\rpid|1\r", "segment 2: 'pid|1' does not begin with a segment name",
	        "", 0);
	refused("MSH|^~\\&|A\rPIDX|1\r", "segment 2", "", 0);
}

/* MLLP frames, batch envelopes, several messages, a bad one among them. */
static void test_stream(void **state)
{
	(void)state;
	static const char text[] =
		"FHS|^~\\&\rBHS|^~\\&\r"
		"\x0bMSH|^~\\&|A||||||ADT^A01|M1\rPID|1\r\x1c\r"
		"\x0bMSH|^~\\&|A||||||ADT^A01|M2\rPID|1|\xc3\x28\r\x1c\r"
		"\x0bMSH|^~\\&|A||||||ADT^A03|M3\r\nPV1|1\r\n\x1c\r"
		"BTS|3\rFTS|1\r";
	FILE *f = fmemopen((void *)(uintptr_t)text, sizeof text - 1, "r");
	assert_non_null(f);
	struct hl7_reader r;
	struct hl7_msg m = {0};
	struct err e = {0};
	hl7_reader_init(&r, f);
	assert_int_equal(hl7_next(&r, &m, &e), 1);
	assert_true(m.mllp);
	assert_int_equal(m.ordinal, 1);
	assert_int_equal(m.nseg, 2);
	assert_value(&m, "MSH", 10, 1, 1, 0, "M1");
	assert_int_equal(hl7_next(&r, &m, &e), ERR_USAGE);
	assert_int_equal(m.ordinal, 2);
	assert_non_null(strstr(e.msg, "PID-2: byte 1 is not valid UTF-8"));
	assert_value(&m, "MSH", 10, 1, 1, 0, "M2");   /* the reply can name it */
	assert_int_equal(hl7_next(&r, &m, &e), 1);
	assert_int_equal(m.ordinal, 3);
	assert_int_equal(m.nseg, 2);
	assert_value(&m, "MSH", 9, 1, 2, 0, "A03");
	assert_int_equal(hl7_next(&r, &m, &e), 0);
	hl7_msg_free(&m);
	hl7_reader_free(&r);
	fclose(f);
}

/* A segment too long is refused alone; memory stays bounded. */
static void test_huge_segment(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_add(&b, "MSH|^~\\&|A||||||ADT^A01|BIG\rPID|1||");
	for (size_t i = 0; i < HL7_MAX_SEGMENT + 10; i++)
		buf_addc(&b, 'x');
	buf_add(&b, "\rMSH|^~\\&|A||||||ADT^A01|NEXT\r");
	FILE *f = fmemopen(b.s, b.len, "r");
	struct hl7_reader r;
	struct hl7_msg m = {0};
	struct err e = {0};
	hl7_reader_init(&r, f);
	assert_int_equal(hl7_next(&r, &m, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "segment 2 (PID): longer than 64 KiB"));
	assert_value(&m, "MSH", 10, 1, 1, 0, "BIG");
	assert_int_equal(hl7_next(&r, &m, &e), 1);
	assert_value(&m, "MSH", 10, 1, 1, 0, "NEXT");
	assert_int_equal(hl7_next(&r, &m, &e), 0);
	hl7_msg_free(&m);
	hl7_reader_free(&r);
	fclose(f);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_custom_separators),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_huge_segment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
