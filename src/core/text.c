/* text: sanitizing and measuring UTF-8 for display. */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "caseload/text.h"

void text_init_locale(void)
{
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	if (!cs || (strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "utf8") != 0))
		if (!setlocale(LC_CTYPE, "C.UTF-8"))
			setlocale(LC_CTYPE, "C.utf8");
	/* Messages and numbers stay in the C locale: output is for scripts too. */
	setlocale(LC_NUMERIC, "C");
}

/* Decode one UTF-8 character at s; returns its length (1 for an invalid
 * byte, with *cp = 0xFFFD), 0 at the end. */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
	unsigned c = s[0];
	if (!c)
		return 0;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	unsigned min;
	if ((c & 0xE0) == 0xC0)
		n = 2, c &= 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		n = 3, c &= 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		n = 4, c &= 0x07, min = 0x10000;
	else
		goto bad;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}

static void utf8_put(struct buf *b, unsigned c)
{
	char o[4];
	size_t n;
	if (c < 0x80)
		o[0] = (char)c, n = 1;
	else if (c < 0x800)
		o[0] = (char)(0xC0 | c >> 6), o[1] = (char)(0x80 | (c & 0x3F)), n = 2;
	else if (c < 0x10000)
		o[0] = (char)(0xE0 | c >> 12), o[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
		o[2] = (char)(0x80 | (c & 0x3F)), n = 3;
	else
		o[0] = (char)(0xF0 | c >> 18), o[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
		o[2] = (char)(0x80 | ((c >> 6) & 0x3F)), o[3] = (char)(0x80 | (c & 0x3F)), n = 4;
	buf_addn(b, o, n);
}

static bool is_control(unsigned c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) ||
	       /* bidirectional overrides and isolates can reorder a line */
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* Skip an escape sequence starting after ESC (or after a C1 introducer
 * given as `intro`); returns bytes consumed. */
static size_t skip_escape(const unsigned char *s, unsigned intro)
{
	size_t i = 0;
	if (intro == 0x1B) {
		if (!s[0])
			return 0;
		if (s[0] == '[')
			intro = 0x9B;
		else if (s[0] == ']' || s[0] == 'P' || s[0] == '_' || s[0] == '^' || s[0] == 'X')
			intro = 0x9D;
		else {
			/* ESC, optional intermediates 0x20-0x2F, one final byte */
			while (s[i] >= 0x20 && s[i] <= 0x2F)
				i++;
			return s[i] ? i + 1 : i;
		}
		i = 1;
	}
	if (intro == 0x9B) {            /* CSI: params, intermediates, final */
		while (s[i] >= 0x20 && s[i] <= 0x3F)
			i++;
		return s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
	}
	if (intro == 0x9D || intro == 0x90 || intro == 0x9E || intro == 0x9F ||
	    intro == 0x98) {            /* string: up to BEL or ST */
		while (s[i]) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1B && s[i + 1] == '\\')
				return i + 2;
			if (s[i] == 0xC2 && s[i + 1] == 0x9C)
				return i + 2;
			i++;
		}
		return i;
	}
	return i;
}

void text_sanitize_into(struct buf *b, const char *str, bool keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	if (!s)
		return;
	buf_add(b, "");
	while (*s) {
		unsigned c;
		size_t n = utf8_next(s, &c);
		s += n;
		if (c == 0x1B || c == 0x9B || c == 0x9D || c == 0x90 || c == 0x9E ||
		    c == 0x9F || c == 0x98) {
			s += skip_escape(s, c);
			continue;
		}
		if (c == '\n' && keep_newlines) {
			buf_addc(b, '\n');
			continue;
		}
		if (c == '\t' || c == '\n' || c == '\r') {
			if (b->len && b->s[b->len - 1] != ' ')
				buf_addc(b, ' ');
			continue;
		}
		if (is_control(c))
			continue;
		utf8_put(b, c);
	}
}

char *text_sanitize(const char *s)
{
	struct buf b = {0};
	text_sanitize_into(&b, s ? s : "", false);
	return buf_steal(&b);
}

bool text_is_clean(const char *str)
{
	/* the same verdict as comparing with text_sanitize(), without a copy:
	 * it is asked of every line the review builds */
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		if (*s < 0x80) {
			if (*s < 0x20 || *s == 0x7F)
				return false;
			s++;
			continue;
		}
		unsigned c;
		size_t n = utf8_next(s, &c);
		if ((c == 0xFFFD && n == 1) || is_control(c))
			return false;
		s += n;
	}
	return true;
}

static int cp_width(unsigned c)
{
	int w = wcwidth((wchar_t)c);
	return w < 0 ? 1 : w;
}

int text_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int w = 0;
	unsigned c;
	/* (an ASCII character is one column, as cp_width has it: most are) */
	for (size_t n; *s; s += n) {
		if (*s < 0x80) {
			w++;
			n = 1;
			continue;
		}
		n = utf8_next(s, &c);
		w += cp_width(c);
	}
	return w;
}

size_t text_prefix_bytes(const char *str, int width)
{
	const unsigned char *s = (const unsigned char *)str;
	int w = 0;
	size_t bytes = 0;
	unsigned c;
	for (size_t n; (n = utf8_next(s + bytes, &c)); bytes += n) {
		int cw = cp_width(c);
		if (w + cw > width)
			break;
		w += cw;
	}
	return bytes;
}

int text_fit(struct buf *b, const char *s, int width, bool pad)
{
	if (width <= 0)
		return 0;
	int w = text_width(s);
	int used;
	buf_add(b, "");
	if (w <= width) {
		buf_add(b, s);
		used = w;
	} else {
		size_t n = text_prefix_bytes(s, width - 1);
		/* keep combining marks that follow the last kept character */
		buf_addn(b, s, n);
		used = text_width(b->s + b->len - n);
		buf_add(b, "…");
		used += 1;
	}
	static const char spaces[] = "                                ";
	while (pad && used < width) {
		int k = width - used < (int)sizeof spaces - 1 ? width - used : (int)sizeof spaces - 1;
		buf_addn(b, spaces, (size_t)k);
		used += k;
	}
	return used;
}

int text_check_input(const char *str, bool lines, const char *what, struct err *e)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t at = 0, chars = 0;
	while (s[at]) {
		unsigned c;
		size_t n = utf8_next(s + at, &c);
		chars++;
		if (c == 0xFFFD && n == 1)
			return err_set(e, ERR_USAGE, "%s: byte %zu is not valid UTF-8", what, at + 1);
		if ((c == '\n' || c == '\t') && lines) {
			at += n;
			continue;
		}
		if (is_control(c))
			return err_set(e, ERR_USAGE, "%s: character %zu is a control character "
			               "(U+%04X)%s", what, chars, c,
			               c == '\n' || c == '\t' ? ": one line of text" : "");
		at += n;
	}
	return 0;
}

int text_check_fields(const struct text_field *f, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].value && text_check_input(f[i].value, f[i].lines, f[i].what, e) < 0)
			return e->code;
	return 0;
}

/* Bytes of the longest prefix of s with at most `max` characters and
 * columns; *all: it is the whole of s. */
static size_t prefix_within(const unsigned char *s, int max, bool *all)
{
	size_t bytes = 0;
	int chars = 0, cols = 0;
	unsigned c;
	for (size_t n; (n = utf8_next(s + bytes, &c)); bytes += n) {
		int w = cp_width(c);
		if (chars + 1 > max || cols + w > max)
			break;
		chars++;
		cols += w;
	}
	*all = !s[bytes];
	return bytes;
}

const char *text_quote_arg(const char *str, char *out)
{
	char *clean = text_sanitize(str);
	const unsigned char *s = (const unsigned char *)clean;
	bool all;
	size_t bytes = prefix_within(s, TEXT_ARG_CHARS, &all);
	if (!all)
		bytes = prefix_within(s, TEXT_ARG_CHARS - 1, &all);
	snprintf(out, TEXT_ARG_SIZE, "'%.*s%s'", (int)bytes, clean, all ? "" : "…");
	free(clean);
	return out;
}

void text_json_into(struct buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	buf_addc(b, '"');
	while (*s) {
		unsigned c;
		size_t n = utf8_next(s, &c);
		s += n;
		if (c == '"' || c == '\\')
			buf_addc(b, '\\'), buf_addc(b, (char)c);
		else if (c == '\n')
			buf_add(b, "\\n");
		else if (c == '\t')
			buf_add(b, "\\t");
		else if (c == '\r')
			buf_add(b, "\\r");
		else if (c < 0x20 || (c >= 0x7F && c < 0xA0))
			buf_addf(b, "\\u%04x", c);
		else
			utf8_put(b, c);
	}
	buf_addc(b, '"');
}
