/* hl7: HL7 version 2 messages, split and decoded (see hl7.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/hl7.h"
#include "caseload/text.h"

#define VT 0x0b                /* MLLP: a frame begins */
#define FS_BYTE 0x1c           /* MLLP: a frame ends (then CR) */

void hl7_msg_free(struct hl7_msg *m)
{
	free(m->raw);
	free(m->segs);
	memset(m, 0, sizeof *m);
}

/* The k-th (1-based) part of p[0..n) split at sep: its offset and length
 * in *o, *l; false when there are fewer parts. */
static bool nth_part(const char *p, size_t n, char sep, int k, size_t *o, size_t *l)
{
	size_t start = 0;
	for (int i = 1; i < k; i++) {
		const char *c = memchr(p + start, sep, n - start);
		if (!c)
			return false;
		start = (size_t)(c - p) + 1;
	}
	const char *c = memchr(p + start, sep, n - start);
	*o = start;
	*l = (c ? (size_t)(c - p) : n) - start;
	return true;
}

/* A field's span in the raw text (MSH-1 has none: it is the separator). */
static bool field_span(const struct hl7_msg *m, const struct hl7_seg *seg, int field, size_t *o,
                       size_t *l)
{
	bool msh = !strcmp(seg->name, "MSH");
	int part = msh ? field : field + 1;   /* part 1 is the segment's name */
	if (field < 1 || (msh && field == 1))
		return false;
	size_t po, pl;
	if (!nth_part(m->raw + seg->off, seg->len, m->fs, part, &po, &pl))
		return false;
	*o = seg->off + po;
	*l = pl;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode p[0..n) into out; -1 with why set (an escape sequence that is
 * unknown, unterminated or gives a NUL byte). */
static int decode(const struct hl7_msg *m, const char *p, size_t n, struct buf *out,
                  char *why, size_t why_size)
{
	buf_addn(out, "", 0);
	for (size_t i = 0; i < n; i++) {
		if (p[i] != m->ec) {
			buf_addc(out, p[i]);
			continue;
		}
		const char *end = memchr(p + i + 1, m->ec, n - i - 1);
		if (!end) {
			snprintf(why, why_size, "an escape sequence is not ended (%c missing)", m->ec);
			return -1;
		}
		const char *seq = p + i + 1;
		size_t len = (size_t)(end - seq);
		if (len == 1 && strchr("FSTRE", seq[0])) {
			char c = seq[0] == 'F' ? m->fs : seq[0] == 'S' ? m->cs : seq[0] == 'T' ? m->ss
			         : seq[0] == 'R' ? m->rs : m->ec;
			buf_addc(out, c);
		} else if (len == 1 && (seq[0] == 'H' || seq[0] == 'N')) {
			/* highlighting on and off: the text is kept, plain */
		} else if (len == 3 && !memcmp(seq, ".br", 3)) {
			buf_addc(out, '\n');
		} else if (len >= 3 && seq[0] == 'X' && len % 2 == 1) {
			for (size_t k = 1; k < len; k += 2) {
				int hi = hexval(seq[k]), lo = hexval(seq[k + 1]);
				if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
					snprintf(why, why_size, "escape sequence \\%.*s\\ is not bytes in "
					         "hexadecimal (or is a NUL byte)", (int)(len > 20 ? 20 : len), seq);
					return -1;
				}
				buf_addc(out, (char)(hi * 16 + lo));
			}
		} else {
			char shown[TEXT_ARG_SIZE];
			char *copy = xasprintf("%c%.*s%c", m->ec, (int)(len > 20 ? 20 : len), seq, m->ec);
			snprintf(why, why_size, "escape sequence %s is not one caseload reads "
			         "(\\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\X..\\ \\.br\\ \\H\\ \\N\\)",
			         text_quote_arg(copy, shown));
			free(copy);
			return -1;
		}
		i += len + 1;
	}
	return 0;
}

/* ---- parsing ---- */

static int refuse(struct hl7_msg *m, const char *seg, int field, enum hl7_code code,
                  struct err *e, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int refuse(struct hl7_msg *m, const char *seg, int field, enum hl7_code code,
                  struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char text[sizeof e->msg];
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	snprintf(m->err_seg, sizeof m->err_seg, "%s", seg ? seg : "");
	m->err_field = field;
	m->err_code = code;
	return err_set(e, ERR_USAGE, "%s", text);
}

static bool is_sep_char(char c)
{
	unsigned char u = (unsigned char)c;
	return u > ' ' && u < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
	       !(c >= 'a' && c <= 'z');
}

/* MSH-1 and MSH-2: the separators. */
static int read_separators(struct hl7_msg *m, const struct hl7_seg *msh, struct err *e)
{
	const char *p = m->raw + msh->off;
	if (msh->len < 4 || !is_sep_char(p[3]))
		return refuse(m, "MSH", 1, HL7_DATA_TYPE_ERROR, e,
		              "MSH-1: the field separator is missing or not a punctuation character");
	char fs = p[3];
	const char *enc = p + 4, *end = memchr(enc, fs, msh->len - 4);
	size_t n = end ? (size_t)(end - enc) : msh->len - 4;
	bool ok = n == 4 || n == 5;
	for (size_t i = 0; ok && i < n; i++) {
		ok = is_sep_char(enc[i]) && enc[i] != fs;
		for (size_t k = 0; ok && k < i; k++)
			ok = enc[k] != enc[i];
	}
	if (!ok) {
		char *copy = xasprintf("%.*s", (int)(n > 10 ? 10 : n), enc);
		refuse(m, "MSH", 2, HL7_DATA_TYPE_ERROR, e,
		       "MSH-2: the encoding characters %s are not four distinct separators "
		       "(component, repetition, escape, subcomponent: ^~\\&)", TEXT_ARG(copy));
		free(copy);
		return ERR_USAGE;
	}
	m->fs = fs;   /* set only when all are known: a reply uses them */
	m->cs = enc[0];
	m->rs = enc[1];
	m->ec = enc[2];
	m->ss = enc[3];
	return 0;
}

static bool name_ok(const char *p, size_t len, char fs)
{
	if (len < 3 || (len > 3 && p[3] != fs) || !(p[0] >= 'A' && p[0] <= 'Z'))
		return false;
	for (int i = 1; i < 3; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/* A field's bytes and its escapes. */
static int check_field(struct hl7_msg *m, const struct hl7_seg *seg, int field, size_t o,
                       size_t l, struct buf *tmp, struct err *e)
{
	char what[16], why[200];
	snprintf(what, sizeof what, "%s-%d", seg->name, field);
	if (memchr(m->raw + o, '\0', l))
		return refuse(m, seg->name, field, HL7_DATA_TYPE_ERROR, e, "%s: a NUL byte", what);
	buf_reset(tmp);
	buf_addn(tmp, m->raw + o, l);
	struct err e2 = {0};
	if (text_check_input(tmp->s, true, what, &e2) < 0)
		return refuse(m, seg->name, field, HL7_DATA_TYPE_ERROR, e, "%s", e2.msg);
	if (!strcmp(seg->name, "MSH") && field == 2)
		return 0;
	buf_reset(tmp);
	if (decode(m, m->raw + o, l, tmp, why, sizeof why) < 0)
		return refuse(m, seg->name, field, HL7_DATA_TYPE_ERROR, e, "%s: %s", what, why);
	if (text_check_input(tmp->s, true, what, &e2) < 0)
		return refuse(m, seg->name, field, HL7_DATA_TYPE_ERROR, e, "%s (decoded): %s", what,
		              e2.msg + strlen(what) + 2);
	return 0;
}

static int check_segment(struct hl7_msg *m, const struct hl7_seg *seg, struct buf *tmp,
                         struct err *e)
{
	bool msh = !strcmp(seg->name, "MSH");
	const char *p = m->raw + seg->off;
	size_t start = 3;   /* past the name: at the separator before field 1 */
	for (int field = msh ? 2 : 1; start < seg->len; field++) {
		start++;
		const char *c = memchr(p + start, m->fs, seg->len - start);
		size_t end = c ? (size_t)(c - p) : seg->len;
		if (check_field(m, seg, field, seg->off + start, end - start, tmp, e) < 0)
			return ERR_USAGE;
		start = end;
	}
	return 0;
}

static int add_segment(struct hl7_msg *m, size_t off, size_t len, struct err *e)
{
	const char *p = m->raw + off;
	char fs = m->nseg ? m->fs : '|';
	if (m->nseg == 0 && (len < 3 || memcmp(p, "MSH", 3) != 0)) {
		char *copy = xasprintf("%.*s", (int)(len > 3 ? 3 : len), p);
		refuse(m, "", 0, HL7_SEGMENT_ERROR, e,
		       "segment 1: a message begins with MSH, not %s", TEXT_ARG(copy));
		free(copy);
		return ERR_USAGE;
	}
	if (m->nseg && !name_ok(p, len, fs)) {
		char *copy = xasprintf("%.*s", (int)(len > 8 ? 8 : len), p);
		refuse(m, "", 0, HL7_SEGMENT_ERROR, e,
		       "segment %zu: %s does not begin with a segment name (three capitals or "
		       "digits, then the field separator)", m->nseg + 1, TEXT_ARG(copy));
		free(copy);
		return ERR_USAGE;
	}
	if (m->nseg >= HL7_MAX_SEGMENTS)
		return refuse(m, "", 0, HL7_SEGMENT_ERROR, e, "more than %d segments",
		              HL7_MAX_SEGMENTS);
	xgrow((void **)&m->segs, &m->cap, m->nseg, sizeof *m->segs);
	struct hl7_seg *s = &m->segs[m->nseg++];
	memcpy(s->name, p, 3);
	s->name[3] = '\0';
	s->off = off;
	s->len = len;
	return 0;
}

int hl7_parse(const char *text, size_t len, struct hl7_msg *m, struct err *e)
{
	m->raw = xmalloc(len + 1);
	/* segments, each ended by CR; empty ones (CRLF's LF) dropped */
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\r' && text[i] != '\n')
			continue;
		if (i > start) {
			memcpy(m->raw + m->len, text + start, i - start);
			if (add_segment(m, m->len, i - start, e) < 0)
				return ERR_USAGE;
			m->len += i - start;
			m->raw[m->len++] = '\r';
			if (m->nseg == 1 && read_separators(m, &m->segs[0], e) < 0)
				return ERR_USAGE;
		}
		start = i + 1;
	}
	m->raw[m->len] = '\0';
	if (m->nseg == 0)
		return refuse(m, "", 0, HL7_SEGMENT_ERROR, e, "an empty message");
	struct buf tmp = {0};
	int rc = 0;
	for (size_t i = 0; i < m->nseg && rc == 0; i++)
		rc = check_segment(m, &m->segs[i], &tmp, e);
	buf_free(&tmp);
	return rc;
}

/* ---- access ---- */

const struct hl7_seg *hl7_segment(const struct hl7_msg *m, const char *name, int nth)
{
	for (size_t i = 0; i < m->nseg; i++)
		if (!strcmp(m->segs[i].name, name) && --nth == 0)
			return &m->segs[i];
	return NULL;
}

char *hl7_raw_field(const struct hl7_msg *m, const struct hl7_seg *seg, int field)
{
	size_t o, l;
	if (!strcmp(seg->name, "MSH") && field == 1)
		return xasprintf("%c", m->fs);
	if (!field_span(m, seg, field, &o, &l))
		return NULL;
	return xasprintf("%.*s", (int)l, m->raw + o);
}

int hl7_reps(const struct hl7_msg *m, const struct hl7_seg *seg, int field)
{
	size_t o, l;
	if (!field_span(m, seg, field, &o, &l) || l == 0)
		return 0;
	int n = 1;
	for (size_t i = 0; i < l; i++)
		n += m->raw[o + i] == m->rs;
	return n;
}

/* The decoded text of p[0..n) (checked by hl7_parse), or NULL if empty. */
static char *decoded(const struct hl7_msg *m, const char *p, size_t n)
{
	if (n == 0)
		return NULL;
	struct buf b = {0};
	char why[200];
	decode(m, p, n, &b, why, sizeof why);
	return buf_steal(&b);
}

char *hl7_value(const struct hl7_msg *m, const struct hl7_seg *seg, int field, int rep,
                int comp, int sub)
{
	size_t o, l, ro, rl, co, cl, so, sl;
	if (!strcmp(seg->name, "MSH") && field <= 2)
		return hl7_raw_field(m, seg, field);
	if (!field_span(m, seg, field, &o, &l))
		return NULL;
	const char *p = m->raw + o;
	if (!nth_part(p, l, m->rs, rep, &ro, &rl) || !nth_part(p + ro, rl, m->cs, comp, &co, &cl))
		return NULL;
	p += ro + co;
	if (sub == 0)
		return decoded(m, p, cl);
	if (!nth_part(p, cl, m->ss, sub, &so, &sl))
		return NULL;
	return decoded(m, p + so, sl);
}

/* Each part of p[0..n) split at sep, to `each` with its ordinal. */
struct walk {
	const struct hl7_msg *m;
	hl7_leaf_fn *fn;
	void *ctx;
	const char *seg;
	int seq, field, rep, comp;
};

static int walk_subs(struct walk *w, const char *p, size_t n)
{
	size_t o, l;
	for (int k = 1; nth_part(p, n, w->m->ss, k, &o, &l); k++) {
		char *v = decoded(w->m, p + o, l);
		int rc = v ? w->fn(w->ctx, w->seg, w->seq, w->field, w->rep, w->comp, k, v) : 0;
		free(v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int walk_field(struct walk *w, const char *p, size_t n)
{
	size_t ro, rl, co, cl;
	for (w->rep = 1; nth_part(p, n, w->m->rs, w->rep, &ro, &rl); w->rep++)
		for (w->comp = 1; nth_part(p + ro, rl, w->m->cs, w->comp, &co, &cl); w->comp++) {
			int rc = walk_subs(w, p + ro + co, cl);
			if (rc < 0)
				return rc;
		}
	return 0;
}

int hl7_each(const struct hl7_msg *m, hl7_leaf_fn *fn, void *ctx)
{
	struct walk w = {.m = m, .fn = fn, .ctx = ctx};
	for (size_t i = 0; i < m->nseg; i++) {
		const struct hl7_seg *seg = &m->segs[i];
		bool msh = !strcmp(seg->name, "MSH");
		w.seg = seg->name;
		w.seq = 1;
		for (size_t k = 0; k < i; k++)
			w.seq += !strcmp(m->segs[k].name, seg->name);
		int rc = 0;
		if (msh) {
			char *v1 = hl7_raw_field(m, seg, 1), *v2 = hl7_raw_field(m, seg, 2);
			rc = fn(ctx, "MSH", w.seq, 1, 1, 1, 1, v1);
			if (rc >= 0 && v2 && *v2)
				rc = fn(ctx, "MSH", w.seq, 2, 1, 1, 1, v2);
			free(v1);
			free(v2);
		}
		size_t o, l;
		for (w.field = msh ? 3 : 1; rc >= 0 && field_span(m, seg, w.field, &o, &l); w.field++)
			rc = walk_field(&w, m->raw + o, l);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void hl7_escape_into(struct buf *b, const struct hl7_msg *m, const char *s)
{
	for (; s && *s; s++) {
		char c = *s;
		const char *esc = c == m->fs ? "F" : c == m->cs ? "S" : c == m->ss ? "T"
		                  : c == m->rs ? "R" : c == m->ec ? "E" : c == '\n' ? ".br"
		                  : c == '\r' ? "X0D" : NULL;
		if (esc)
			buf_addf(b, "%c%s%c", m->ec, esc, m->ec);
		else
			buf_addc(b, c);
	}
}

/* ---- the stream ---- */

void hl7_reader_init(struct hl7_reader *r, FILE *f)
{
	*r = (struct hl7_reader){.f = f};
}

void hl7_reader_free(struct hl7_reader *r)
{
	buf_free(&r->pending);
}

/* One segment into line (cut at HL7_MAX_SEGMENT + 1 bytes: *cut); 0 at
 * the end of the stream with nothing read. */
static int read_segment(struct hl7_reader *r, struct buf *line, bool *cut)
{
	buf_reset(line);
	buf_addn(line, "", 0);
	*cut = false;
	int c;
	bool any = false;
	while ((c = getc(r->f)) != EOF) {
		any = true;
		if (c == '\r' || c == '\n' || c == FS_BYTE)
			return 1;
		if (c == VT && line->len == 0) {
			r->mllp = true;
			continue;
		}
		if (line->len > HL7_MAX_SEGMENT)
			*cut = true;
		else
			buf_addc(line, (char)c);
	}
	return any ? 1 : 0;
}

static bool is_batch(const struct buf *line)
{
	static const char *const names[] = {"FHS", "BHS", "BTS", "FTS"};
	if (line->len < 3 || (line->len > 3 && is_sep_char(line->s[3]) == false))
		return false;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!memcmp(line->s, names[i], 3))
			return true;
	return false;
}

int hl7_next(struct hl7_reader *r, struct hl7_msg *m, struct err *e)
{
	hl7_msg_free(m);
	struct buf msg = {0}, line = {0};
	bool started = false, cut, too_long = false;
	size_t segs = 0, long_seg = 0;
	char long_name[4] = "";
	if (r->have_pending) {
		buf_addn(&msg, r->pending.s, r->pending.len);
		buf_addc(&msg, '\r');
		r->have_pending = false;
		started = true;
		segs = 1;
	}
	while (!r->eof) {
		int rc = read_segment(r, &line, &cut);
		if (rc == 0) {
			r->eof = true;
			break;
		}
		if (line.len == 0 || is_batch(&line))
			continue;
		if (started && line.len >= 3 && !memcmp(line.s, "MSH", 3)) {
			buf_reset(&r->pending);
			buf_addn(&r->pending, line.s, line.len);
			r->have_pending = true;
			break;
		}
		started = true;
		segs++;
		if (cut || msg.len + line.len + 1 > HL7_MAX_MESSAGE) {
			if (!too_long) {
				long_seg = segs;
				snprintf(long_name, sizeof long_name, "%.3s", line.s);
			}
			too_long = true;
			continue;
		}
		buf_addn(&msg, line.s, line.len);
		buf_addc(&msg, '\r');
	}
	buf_free(&line);
	if (ferror(r->f) || !started) {
		buf_free(&msg);
		return ferror(r->f) ? err_set(e, ERR_FAIL, "cannot read the messages") : 0;
	}
	m->ordinal = ++r->ordinal;
	m->mllp = r->mllp;
	int rc = hl7_parse(msg.s ? msg.s : "", msg.len, m, e);
	buf_free(&msg);
	if (rc == 0 && too_long) {
		char *name = text_sanitize(long_name);
		rc = refuse(m, name, 0, HL7_SEGMENT_ERROR, e,
		            "segment %zu (%s): longer than %d KiB, or the message longer than %d KiB",
		            long_seg, name, (int)(HL7_MAX_SEGMENT / 1024), (int)(HL7_MAX_MESSAGE / 1024));
		free(name);
	}
	return rc < 0 ? rc : 1;
}
