/* Unit tests: html, the escaping every page caseload writes relies on,
 * and handout_lang, which preferred languages pick a translation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/handout.h"
#include "caseload/html.h"
#include "caseload/text.h"

static void expect_escaped(const char *in, const char *want)
{
	char *got = html_escape(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape(void **state)
{
	(void)state;
	expect_escaped("plain text", "plain text");
	expect_escaped("<script>a && b</script>", "&lt;script&gt;a &amp;&amp; b&lt;/script&gt;");
	expect_escaped("say \"hi\" o'clock", "say &quot;hi&quot; o&#39;clock");
	expect_escaped("&amp;", "&amp;amp;");
	expect_escaped("Núñez", "Núñez");
	expect_escaped(NULL, "");
}

static void test_controls_removed(void **state)
{
	(void)state;
	expect_escaped("red\x1b[31m<b>\x07", "red&lt;b&gt;");
	expect_escaped("a\tb\nc", "a b c");
	expect_escaped("bidi\xe2\x80\xaeover", "bidiover");
	expect_escaped("c1\xc2\x9b" "31mx", "c1x");
	expect_escaped("bad \xff byte", "bad \xef\xbf\xbd byte");
}

static void test_cut(void **state)
{
	(void)state;
	struct buf b = {0};
	html_text_cut(&b, "<<<<<<<<<<", 4);
	assert_string_equal(b.s, "&lt;&lt;&lt;…");
	buf_reset(&b);
	html_text_cut(&b, "short", 40);
	assert_string_equal(b.s, "short");
	buf_free(&b);
}

static void test_head(void **state)
{
	(void)state;
	struct buf b = {0};
	html_head(&b, "es", "A <title>", ".x{}\n");
	html_tail(&b);
	assert_non_null(strstr(b.s, "<!DOCTYPE html>\n<html lang=\"es\">"));
	assert_non_null(strstr(b.s, "<title>A &lt;title&gt;</title>"));
	assert_non_null(strstr(b.s, "name=\"viewport\""));
	assert_non_null(strstr(b.s, "@page{"));
	assert_non_null(strstr(b.s, "@media print{"));
	assert_non_null(strstr(b.s, ".x{}\n</style>"));
	assert_null(strstr(b.s, "<script"));
	assert_non_null(strstr(b.s, "</body>\n</html>\n"));
	buf_free(&b);
}

static void test_lang(void **state)
{
	(void)state;
	assert_string_equal(handout_lang(NULL), "en");
	assert_string_equal(handout_lang(""), "en");
	assert_string_equal(handout_lang("English"), "en");
	assert_string_equal(handout_lang("es"), "es");
	assert_string_equal(handout_lang("es-MX"), "es");
	assert_string_equal(handout_lang("es_US"), "es");
	assert_string_equal(handout_lang("Spanish"), "es");
	assert_string_equal(handout_lang("SPANISH (Mexico)"), "es");
	assert_string_equal(handout_lang("español"), "es");
	assert_string_equal(handout_lang("spa"), "es");
	assert_null(handout_lang("Arabic"));
	assert_null(handout_lang("esperanto"));
	assert_null(handout_lang("e"));
}

int main(void)
{
	text_init_locale();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_controls_removed),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_lang),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
