/* fold: romanise, remove accents and lower-case with ICU.
 *
 * One compound transliterator does it: NFKC (full-width and styled
 * letters, ligatures), Any-Latin (every script to Latin: Cyrillic, Greek,
 * Arabic, Hebrew, Han as pinyin, kana, Hangul), Latin-ASCII (Ø to O, æ to
 * ae, ß to ss, Đ to D, Vietnamese tones), then whatever combining marks
 * and modifier letters are left (Arabic's ʿ) removed, lower case, NFC.
 * Opening it compiles its rules (10 to 20 ms), so it is opened once per
 * process and kept.  Text that is all ASCII is only lower-cased: the
 * transliterator would give the same. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "caseload/fold.h"

#define FOLD_RULES "NFKC; Any-Latin; Latin-ASCII; NFD; [[:Mn:][:Lm:]] Remove; Lower; NFC"

static UTransliterator *trans;
static bool trans_failed;      /* no ICU data: fold ASCII only */

static UTransliterator *transliterator(void)
{
	if (!trans && !trans_failed) {
		UChar id[sizeof FOLD_RULES];
		UErrorCode st = U_ZERO_ERROR;
		u_uastrcpy(id, FOLD_RULES);
		trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
		if (U_FAILURE(st)) {
			trans = NULL;
			trans_failed = true;
		}
	}
	return trans;
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static char *ascii_lower(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return r;
}

/* s transliterated, as UTF-16 in a new buffer of *len units; NULL when
 * the transliterator is not there. */
static UChar *fold16(const char *s, int32_t *len)
{
	UTransliterator *t = transliterator();
	if (!t)
		return NULL;
	size_t bytes = strlen(s);
	if (bytes > INT32_MAX / 8)
		bytes = INT32_MAX / 8;
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;
	/* a byte is at most one UTF-16 unit */
	UChar *src = xmalloc(((size_t)bytes + 1) * sizeof *src);
	u_strFromUTF8WithSub(src, (int32_t)bytes + 1, &n, s, (int32_t)bytes, 0xFFFD, NULL, &st);
	if (U_FAILURE(st)) {
		free(src);
		return NULL;
	}
	/* Romanising may lengthen the text ("王" is "wáng"): grow and redo. */
	for (int32_t cap = 4 * n + 16;; cap *= 2) {
		UChar *u = xmalloc((size_t)cap * sizeof *u);
		memcpy(u, src, (size_t)n * sizeof *u);
		int32_t ulen = n, limit = n;
		st = U_ZERO_ERROR;
		utrans_transUChars(t, u, &ulen, cap, 0, &limit, &st);
		if (U_SUCCESS(st)) {
			free(src);
			*len = ulen;
			return u;
		}
		free(u);
		if (st != U_BUFFER_OVERFLOW_ERROR || cap > INT32_MAX / 4) {
			free(src);
			return NULL;
		}
	}
}

/* Append UTF-16 u[0..n) to b as UTF-8. */
static void add_utf8(struct buf *b, const UChar *u, int32_t n)
{
	if (n <= 0)
		return;
	char small[256];
	int32_t need = 0;
	UErrorCode st = U_ZERO_ERROR;
	u_strToUTF8WithSub(small, sizeof small, &need, u, n, 0xFFFD, NULL, &st);
	if (U_SUCCESS(st) && need < (int32_t)sizeof small) {
		buf_addn(b, small, (size_t)need);
		return;
	}
	char *big = xmalloc((size_t)need + 1);
	st = U_ZERO_ERROR;
	u_strToUTF8WithSub(big, need + 1, &need, u, n, 0xFFFD, NULL, &st);
	if (U_SUCCESS(st))
		buf_addn(b, big, (size_t)need);
	free(big);
}

char *fold(const char *s)
{
	if (!s)
		return xstrdup("");
	if (is_ascii(s))
		return ascii_lower(s);
	int32_t n;
	UChar *u = fold16(s, &n);
	if (!u)
		return ascii_lower(s);
	struct buf b = {0};
	add_utf8(&b, u, n);
	free(u);
	return buf_steal(&b);
}

static bool ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void fold_words(const char *s, struct strlist *out)
{
	if (!s)
		return;
	if (is_ascii(s) || !transliterator()) {
		char *f = ascii_lower(s);
		for (char *p = f; *p;) {
			char *w = p;
			while (*p && ascii_alnum(*p))
				p++;
			if (p > w) {
				char c = *p;
				*p = '\0';
				strlist_add(out, w);
				*p = c;
			}
			while (*p && !ascii_alnum(*p))
				p++;
		}
		free(f);
		return;
	}
	int32_t n;
	UChar *u = fold16(s, &n);
	if (!u)
		return;
	struct buf b = {0};
	for (int32_t i = 0; i < n;) {
		int32_t start = i, end = i;
		UChar32 c;
		/* a word: letters and digits of any script left */
		while (i < n) {
			/* ICU's macro mixes UChar32 and unsigned: its own code */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-conversion"
			U16_NEXT(u, i, n, c);
#pragma GCC diagnostic pop
			if (!u_isalnum(c))
				break;
			end = i;
		}
		if (end > start) {
			buf_reset(&b);
			add_utf8(&b, u + start, end - start);
			strlist_add(out, b.s);
		}
	}
	buf_free(&b);
	free(u);
}

static void add_joined(struct buf *b, const char *s)
{
	struct strlist w = {0};
	fold_words(s, &w);
	for (size_t i = 0; i < w.len; i++)
		buf_add(b, w.items[i]);
	strlist_free(&w);
}

char *fold_name_key(const char *family, const char *given)
{
	struct buf b = {0};
	add_joined(&b, family);
	buf_addc(&b, ',');
	add_joined(&b, given);
	return buf_steal(&b);
}
