/* csv: records from comma- or tab-separated text, through libcsv.  The
 * bytes are fed to libcsv a line at a time, so that what its callbacks
 * hand over is known to end on the line being fed. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/csv.h"
#include "caseload/util.h"

struct csv_reader {
	struct csv_parser p;
	char sep;
	char *name;
	csv_record_fn *fn;
	void *ctx;
	struct buf text;              /* the record's fields, each NUL-ended */
	size_t off[CSV_FIELDS_MAX];   /* where each starts in text */
	const char *field[CSV_FIELDS_MAX];
	size_t n;
	int line;                     /* the line being fed (1-based) */
	int rec_line;                 /* the record's first field's, 0: none yet */
	size_t fed;                   /* bytes fed since the last record ended */
	size_t bom;                   /* bytes of a leading byte order mark seen */
	bool started;                 /* past the byte order mark */
	struct err *e;                /* set while feeding */
	bool failed;
};

static const char BOM[] = "\xEF\xBB\xBF";

static int space_csv(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int space_tsv(unsigned char c)
{
	return c == ' ';
}

struct csv_reader *csv_reader_new(char sep, const char *name, csv_record_fn *fn, void *ctx)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);
	/* strict for CSV (a quote inside an unquoted field is an error, as an
	 * unclosed one at the end); a TSV file may hold quotes as text */
	unsigned char opts = CSV_APPEND_NULL;
	if (sep != '\t')
		opts |= CSV_STRICT | CSV_STRICT_FINI;
	(void)csv_init(&r->p, opts);   /* fails only without a parser */
	csv_set_delim(&r->p, (unsigned char)sep);
	csv_set_space_func(&r->p, sep == '\t' ? space_tsv : space_csv);
	r->sep = sep;
	r->name = xstrdup(name ? name : "(input)");
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
	return r;
}

void csv_reader_free(struct csv_reader **pr)
{
	struct csv_reader *r = *pr;
	if (!r)
		return;
	csv_free(&r->p);
	buf_free(&r->text);
	free(r->name);
	free(r);
	*pr = NULL;
}

static void fail(struct csv_reader *r, int col, const char *what)
{
	if (r->failed)
		return;
	r->failed = true;
	if (col)
		err_set_at(r->e, ERR_USAGE, r->name, 0, 0, "line %d, column %d: %s", r->line,
		           col, what);
	else
		err_set_at(r->e, ERR_USAGE, r->name, 0, 0, "line %d: %s", r->line, what);
}

static void on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	if (r->failed)
		return;
	if (r->n == CSV_FIELDS_MAX) {
		fail(r, 0, "more than 256 fields in a record");
		return;
	}
	if (len && memchr(s, '\0', len)) {
		fail(r, (int)r->n + 1, "a NUL byte (is it a text file?)");
		return;
	}
	if (!r->n)
		r->rec_line = r->line;
	r->off[r->n++] = r->text.len;
	buf_addn(&r->text, len ? s : "", len);
	buf_addc(&r->text, '\0');
}

static void on_record(int c, void *data)
{
	struct csv_reader *r = data;
	(void)c;
	if (r->failed)
		return;
	r->fed = 0;
	for (size_t i = 0; i < r->n; i++)
		r->field[i] = r->text.s + r->off[i];
	struct csv_record rec = {r->n, r->field, r->rec_line};
	if (r->n && r->fn(r->ctx, &rec, r->e) < 0)
		r->failed = true;
	r->n = 0;
	r->rec_line = 0;
	buf_reset(&r->text);
}

static int parse_error(struct csv_reader *r)
{
	r->failed = true;
	return err_set_at(r->e, ERR_USAGE, r->name, 0, 0,
	                  "line %d: %s", r->line,
	                  csv_error(&r->p) == CSV_EPARSE
	                      ? "a quote out of place (a quoted field is \"...\" whole, quotes "
	                        "inside it doubled)"
	                      : "cannot be read");
}

/* Feed one piece that ends at a line's end or holds no line end. */
static int feed_piece(struct csv_reader *r, const char *s, size_t len)
{
	r->fed += len;
	if (r->fed > CSV_RECORD_MAX) {
		fail(r, 0, "a record longer than 64 KiB (a quote left open?)");
		return r->e->code;
	}
	if (csv_parse(&r->p, s, len, on_field, on_record, r) != len && !r->failed)
		return parse_error(r);   /* (after a field refused: that one is said) */
	return r->failed ? r->e->code : 0;
}

int csv_feed(struct csv_reader *r, const char *data, size_t len, struct err *e)
{
	r->e = e;
	if (r->failed)
		return e->code ? e->code : ERR_FAIL;
	/* a byte order mark, possibly split over feeds */
	while (!r->started && len) {
		if ((unsigned char)*data != (unsigned char)BOM[r->bom]) {
			r->started = true;
			if (r->bom && feed_piece(r, BOM, r->bom) < 0)   /* not one after all */
				return e->code;
			break;
		}
		data++, len--;
		if (++r->bom == 3)
			r->started = true;
	}
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;
		if (n > CSV_RECORD_MAX)
			n = CSV_RECORD_MAX;
		if (feed_piece(r, data, n) < 0)
			return e->code;
		if (data[n - 1] == '\n')
			r->line++;
		data += n;
		len -= n;
	}
	return 0;
}

int csv_finish(struct csv_reader *r, struct err *e)
{
	r->e = e;
	if (r->failed)
		return e->code ? e->code : ERR_FAIL;
	if (!r->started && r->bom && feed_piece(r, BOM, r->bom) < 0)
		return e->code;
	if (csv_fini(&r->p, on_field, on_record, r) != 0) {
		err_set_at(e, ERR_USAGE, r->name, 0, 0,
		           "line %d: the file ends inside a quoted field (a quote left open)", r->line);
		r->failed = true;
		return e->code;
	}
	return r->failed ? e->code : 0;
}

int csv_read_stream(FILE *f, char sep, const char *name, csv_record_fn *fn, void *ctx,
                    struct err *e)
{
	struct csv_reader *r = csv_reader_new(sep, name, fn, ctx);
	enum { CHUNK = 64 * 1024 };
	char *chunk = xmalloc(CHUNK);
	int rc = 0;
	size_t n;
	while (rc == 0 && (n = fread(chunk, 1, CHUNK, f)) > 0)
		rc = csv_feed(r, chunk, n, e);
	if (rc == 0 && ferror(f))
		rc = err_set_at(e, ERR_FAIL, r->name, 0, 0, "cannot be read");
	if (rc == 0)
		rc = csv_finish(r, e);
	free(chunk);
	csv_reader_free(&r);
	return rc;
}

char csv_sniff(const char *head, size_t len)
{
	const char *nl = memchr(head, '\n', len);
	size_t n = nl ? (size_t)(nl - head) : len;
	bool tab = memchr(head, '\t', n) != NULL, comma = memchr(head, ',', n) != NULL;
	return tab && !comma ? '\t' : ',';
}

void csv_field_into(struct buf *b, const char *s, char sep)
{
	size_t len = strlen(s);
	/* libcsv drops an unquoted field's surrounding spaces and tabs */
	bool quote = len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t');
	quote = quote || !strncmp(s, BOM, 3);   /* at a file's start it would be dropped */
	for (const char *c = s; *c && !quote; c++)
		quote = *c == sep || *c == '"' || *c == '\n' || *c == '\r';
	if (!quote) {
		buf_addn(b, s, len);
		return;
	}
	buf_addc(b, '"');
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			buf_addc(b, '"');
		buf_addc(b, *c);
	}
	buf_addc(b, '"');
}
