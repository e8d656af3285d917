/* Unit tests: sanitizing text from outside, display width, cutting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/text.h"

static int setup(void **state)
{
	(void)state;
	text_init_locale();
	return 0;
}

static void check_clean(const char *in, const char *want)
{
	char *got = text_sanitize(in);
	assert_string_equal(got, want);
	/* text_is_clean gives the same verdict without a copy */
	assert_int_equal(text_is_clean(in), strcmp(in, want) == 0);
	free(got);
}

static void test_sanitize(void **state)
{
	(void)state;
	check_clean("plain", "plain");
	check_clean("X\033[31mRED\033[0m", "XRED");
	check_clean("\033]0;title\007after", "after");
	check_clean("\033]8;;http://x\033\\link\033]8;;\033\\", "link");
	check_clean("bell\007 and \x01 nul-ish", "bell and  nul-ish");
	check_clean("two\nlines\r\n", "two lines ");
	check_clean("tab\there", "tab here");
	check_clean("c1 \xc2\x9b" "31mcsi", "c1 csi");
	check_clean("bidi \xe2\x80\xae" "evil", "bidi evil");
	check_clean("bad \xff utf8", "bad \xef\xbf\xbd utf8");
	check_clean("Núñez 王伟", "Núñez 王伟");
	check_clean("\033", "");
	assert_true(text_is_clean("José"));
	assert_false(text_is_clean("a\033[2Jb"));
	struct buf b = {0};
	text_sanitize_into(&b, "keep\nnewlines\033[1m", true);
	assert_string_equal(b.s, "keep\nnewlines");
	buf_free(&b);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("Núñez"), 5);
	assert_int_equal(text_width("王伟"), 4);
	assert_int_equal(text_width("e\xcc\x81"), 1);   /* e + combining acute */
	assert_int_equal(text_width("Nguyễn Thị Hoa"), 14);
	assert_int_equal(text_width(""), 0);
}

static void fit(const char *in, int w, bool pad, const char *want)
{
	struct buf b = {0};
	int used = text_fit(&b, in, w, pad);
	assert_string_equal(b.s ? b.s : "", want);
	assert_int_equal(used, text_width(want));
	buf_free(&b);
}

static void test_fit(void **state)
{
	(void)state;
	fit("Smith, Margaret", 8, false, "Smith, …");
	fit("Smith", 8, true, "Smith   ");
	fit("王伟王伟", 5, false, "王伟…");    /* never half a wide character */
	fit("王伟王伟", 6, true, "王伟… ");
	fit("Zoë Ødegaard", 4, false, "Zoë…");
	fit("e\xcc\x81" "e\xcc\x81" "e\xcc\x81", 2, false, "e\xcc\x81…");
	fit("exact", 5, false, "exact");
	fit("anything", 1, false, "…");
	fit("anything", 0, false, "");
}

/* Typed text: valid UTF-8 without control characters, named where it
 * fails. */
static void test_check_input(void **state)
{
	(void)state;
	struct err e = {0};
	static const char *const good[] = {"Smith, Margaret", "Müller-Łukasz, Zoë", "陈 美玲", "",
	                                   "O'Brien \"Pat\"", "café ☕ 🙂"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(text_check_input(good[i], false, "--name", &e), 0);
	static const struct {
		const char *in, *msg;
	} bad[] = {
		{"Bad\xff\xfeUtf", "--name: byte 4 is not valid UTF-8"},
		{"In\xc3valid", "--name: byte 3 is not valid UTF-8"},
		{"\xc0\xaf", "--name: byte 1 is not valid UTF-8"},             /* overlong */
		{"\xed\xa0\x80", "--name: byte 1 is not valid UTF-8"},         /* surrogate */
		{"é\xe2\x82", "--name: byte 3 is not valid UTF-8"},            /* cut short */
		{"Red\x1b[31m", "--name: character 4 is a control character (U+001B)"},
		{"a\x07", "--name: character 2 is a control character (U+0007)"},
		{"é\xc2\x9b" "2J", "--name: character 2 is a control character (U+009B)"},
		{"x\x7f", "--name: character 2 is a control character (U+007F)"},
		{"\xe2\x80\xae" "evil", "--name: character 1 is a control character (U+202E)"},
		{"two\nlines", "--name: character 4 is a control character (U+000A): one line of text"},
		{"a\tb", "--name: character 2 is a control character (U+0009): one line of text"},
		{"cr\r", "--name: character 3 is a control character (U+000D)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(text_check_input(bad[i].in, false, "--name", &e), ERR_USAGE);
		assert_string_equal(e.msg, bad[i].msg);
	}
	/* a note may hold lines and tabs, nothing else */
	assert_int_equal(text_check_input("Called.\n\tNo answer.", true, "note", &e), 0);
	assert_int_equal(text_check_input("Called.\r\n", true, "note", &e), ERR_USAGE);
	assert_int_equal(text_check_input("\x1b]0;t\x07", true, "note", &e), ERR_USAGE);

	const struct text_field f[] = {{"title", "ok", false}, {"where", NULL, false},
	                               {"notes", "a\nb", true}, {"dose", "1\x9b", false}};
	assert_int_equal(text_check_fields(f, 3, &e), 0);
	assert_int_equal(text_check_fields(f, 4, &e), ERR_USAGE);
	assert_string_equal(e.msg, "dose: byte 2 is not valid UTF-8");
}

/* Arguments in messages: cleaned, quoted, cut at 40 characters. */
static void test_quote_arg(void **state)
{
	(void)state;
	char out[TEXT_ARG_SIZE];
	assert_string_equal(text_quote_arg("+3x", out), "'+3x'");
	assert_string_equal(text_quote_arg("", out), "''");
	assert_string_equal(TEXT_ARG("a\x1b[2Jb\x9b\xff"), "'ab\xef\xbf\xbd\xef\xbf\xbd'");
	/* 40 characters fit; 41 are cut to 39 and an ellipsis */
	char s[200];
	memset(s, 'a', 40);
	s[40] = '\0';
	assert_int_equal(strlen(text_quote_arg(s, out)), 42);
	s[40] = 'b', s[41] = '\0';
	text_quote_arg(s, out);
	assert_string_equal(out + 38, "aa…'");
	assert_int_equal(strlen(out), 1 + 39 + strlen("…") + 1);
	/* wide characters count their columns; the buffer holds the worst case */
	char wide[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(wide, "美");
	text_quote_arg(wide, out);
	assert_int_equal(strlen(out), 2 + 19 * 3 + strlen("…"));
	char four[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(four, "\xf0\x9d\x90\x80");    /* U+1D400, one column, four bytes */
	text_quote_arg(four, out);
	assert_int_equal(strlen(out), 2 + 39 * 4 + strlen("…"));
	assert_true(strlen(out) < TEXT_ARG_SIZE);
	/* a huge argument costs nothing in the message */
	char *big = malloc(200000);
	memset(big, 'x', 199999);
	big[199999] = '\0';
	assert_int_equal(strlen(text_quote_arg(big, out)), 1 + 39 + strlen("…") + 1);
	free(big);
}

/* JSON strings are valid UTF-8 with every control escaped. */
static void test_json(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"plain", "\"plain\""},
		{"q\"b\\s/", "\"q\\\"b\\\\s/\""},
		{"a\nb\tc\rd", "\"a\\nb\\tc\\rd\""},
		{"\x1b[31mred\x07", "\"\\u001b[31mred\\u0007\""},
		{"del\x7f", "\"del\\u007f\""},
		{"c1 \xc2\x9b \xc2\x80 \xc2\x9f", "\"c1 \\u009b \\u0080 \\u009f\""},
		{"Bad\xff\xfeUtf, In\xc3valid", "\"Bad\xef\xbf\xbd\xef\xbf\xbdUtf, In\xef\xbf\xbdvalid\""},
		{"raw \x9b", "\"raw \xef\xbf\xbd\""},
		{"Zoë 陈 🙂 \xc2\xa0", "\"Zoë 陈 🙂 \xc2\xa0\""},
		{"", "\"\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = {0};
		text_json_into(&b, cases[i].in);
		assert_string_equal(b.s, cases[i].want);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_check_input),
		cmocka_unit_test(test_quote_arg),
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
