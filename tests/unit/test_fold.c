/* Unit tests: folding names for search and duplicate checks, across
 * scripts; words; bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/fold.h"

static const struct {
	const char *in, *want;
} table[] = {
	{"Núñez, José", "nunez, jose"},
	{"NÚÑEZ", "nunez"},
	{"Ødegaard, Zoë", "odegaard, zoe"},
	{"ø", "o"},
	{"Ø", "o"},
	{"Nguyễn Văn Đức", "nguyen van duc"},
	{"Trần Thị Hương", "tran thi huong"},
	{"王伟", "wang wei"},
	{"محمد", "mhmd"},
	{"عبد الله", "bd allh"},           /* the ʿ of ʿabd is a modifier letter: gone */
	{"Иванов, Пётр", "ivanov, petr"},
	{"Παπαδόπουλος", "papadopoulos"},
	{"Straße", "strasse"},
	{"Æsa Bjørk", "aesa bjork"},
	{"Łukasz Wałęsa", "lukasz walesa"},
	{"Þór", "thor"},
	{"İSTANBUL", "istanbul"},
	{"Jose\xcc\x81", "jose"},           /* a decomposed accent */
	{"Ｆｕｌｌ", "full"},              /* full-width letters */
	{"O'Brien-Smith", "o'brien-smith"},
	{"plain ascii 42", "plain ascii 42"},
	{"", ""},
};

static void test_fold_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		char *got = fold(table[i].in);
		if (strcmp(got, table[i].want))
			fail_msg("fold(\"%s\") = \"%s\", want \"%s\"", table[i].in, got, table[i].want);
		free(got);
	}
	char *n = fold(NULL);
	assert_string_equal(n, "");
	free(n);
}

static void check_words(const char *in, const char *want)
{
	struct strlist l = {0};
	struct buf b = {0};
	fold_words(in, &l);
	for (size_t i = 0; i < l.len; i++)
		buf_addf(&b, "%s%s", i ? "|" : "", l.items[i]);
	if (strcmp(b.s ? b.s : "", want))
		fail_msg("fold_words(\"%s\") = \"%s\", want \"%s\"", in, b.s ? b.s : "", want);
	buf_free(&b);
	strlist_free(&l);
}

static void test_words(void **state)
{
	(void)state;
	check_words("O'Brien-Smith", "o|brien|smith");
	check_words("Chen, Su", "chen|su");
	check_words("  Núñez,  José ", "nunez|jose");
	check_words("王伟", "wang|wei");
	check_words("محمد عبد الله", "mhmd|bd|allh");
	check_words("(555) 200-5000", "555|200|5000");
	check_words("MRN-0001005", "mrn|0001005");
	check_words("Əliyev", "əliyev");     /* no ASCII letter for schwa: kept, lower case */
	check_words("", "");
	check_words(" ,.- ", "");
	check_words(NULL, "");
}

/* Invalid UTF-8 is a word break, never a crash; lone surrogates and
 * truncated sequences too. */
static void test_bad_input(void **state)
{
	(void)state;
	char *f = fold("Nú\xff\xfe" "ñez");
	assert_non_null(strstr(f, "nu"));
	assert_non_null(strstr(f, "nez"));
	free(f);
	check_words("Nú\xffñez", "nu|nez");
	check_words("\xed\xa0\x80 Zoë \xc3", "zoe");
	check_words("\xe4\xb8", "");
	/* a long name: the transliteration outgrows its first buffer */
	struct buf b = {0};
	for (int i = 0; i < 2000; i++)
		buf_add(&b, "王");
	f = fold(b.s);
	assert_true(strlen(f) >= 2000 * 4);
	assert_int_equal(strncmp(f, "wang wang ", 10), 0);
	free(f);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_table),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
