/* fuzz_csv: the roster's readers: the CSV reader (libcsv through
 * core/csv.c) and the roster's first reading (header mapping, value
 * checks, duplicate MRNs: roster_check, what import roster runs before
 * it writes).  The first byte picks the separator and how the input is
 * cut into feeds; the rest is the file. */
#include <stdlib.h>
#include <string.h>

#include "caseload/csv.h"
#include "caseload/roster.h"
#include "caseload/util.h"
#include "harness.h"

/* The records, each field NUL-ended, each record ended by '\n' after its
 * line number: what must not depend on how the bytes were fed. */
struct seen {
	struct buf text;
	int last_line;
	int lines;                 /* line ends in the input, plus one */
};

static int collect(void *ctx, const struct csv_record *r, struct err *e)
{
	struct seen *s = ctx;
	(void)e;
	if (r->n == 0 || r->n > CSV_FIELDS_MAX)
		fuzz_fail("a record's field count out of bounds", NULL);
	if (r->line < s->last_line || r->line < 1 || r->line > s->lines)
		fuzz_fail("a record's line out of order or past the input", NULL);
	s->last_line = r->line;
	size_t bytes = 0;
	for (size_t i = 0; i < r->n; i++) {
		size_t n = strlen(r->field[i]);
		bytes += n;
		buf_addn(&s->text, r->field[i], n + 1);
	}
	if (bytes > CSV_RECORD_MAX)
		fuzz_fail("a record longer than CSV_RECORD_MAX", NULL);
	buf_addf(&s->text, "%d\n", r->line);
	return 0;
}

/* Read data in feeds of `step` bytes (0: one feed); 0 or the error. */
static int read_all(const char *data, size_t len, char sep, size_t step, struct seen *s,
                    struct err *e)
{
	s->last_line = 0;
	s->lines = 1;
	for (size_t i = 0; i < len; i++)
		s->lines += data[i] == '\n';
	struct csv_reader *r = csv_reader_new(sep, "fuzz.csv", collect, s);
	int rc = 0;
	for (size_t at = 0; at < len && rc == 0;) {
		size_t n = step && len - at > step ? step : len - at;
		rc = csv_feed(r, data + at, n, e);
		at += n;
	}
	if (rc == 0)
		rc = csv_finish(r, e);
	csv_reader_free(&r);
	if (rc < 0 && !*e->msg)
		fuzz_fail("a refusal without a message", NULL);
	return rc;
}

/* Every field written by csv_field_into and read back is itself. */
static int one_record(void *ctx, const struct csv_record *r, struct err *e)
{
	struct buf *b = ctx;
	(void)e;
	buf_reset(b);
	for (size_t i = 0; i < r->n; i++)
		buf_add(b, r->field[i]);
	return 0;
}

static void round_trip(const char *field)
{
	if (strlen(field) > 1024)
		return;
	struct buf line = {0}, back = {0};
	struct err e = {0};
	csv_field_into(&line, field, ',');
	buf_add(&line, ",\n");     /* two fields: the second empty */
	struct csv_reader *r = csv_reader_new(',', "rt.csv", one_record, &back);
	if (csv_feed(r, line.s, line.len, &e) < 0 || csv_finish(r, &e) < 0)
		fuzz_fail("a field written by csv_field_into does not read back", e.msg);
	if (strcmp(back.s ? back.s : "", field) != 0 && *field)
		fuzz_fail("a field read back differs", field);
	csv_reader_free(&r);
	buf_free(&line);
	buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char sep = data[0] & 1 ? '\t' : ',';
	size_t step = (size_t)(data[0] >> 1) % 17;   /* 0: whole */
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	struct seen whole = {0}, cut = {0};
	struct err e1 = {0}, e2 = {0};
	int rc1 = read_all(text, len, sep, 0, &whole, &e1);
	int rc2 = read_all(text, len, sep, step ? step : 1, &cut, &e2);
	if (rc1 != rc2 || whole.text.len != cut.text.len ||
	    (whole.text.len && memcmp(whole.text.s, cut.text.s, whole.text.len) != 0))
		fuzz_fail("the records depend on how the input was fed", NULL);
	if (rc1 < 0 && strcmp(e1.msg, e2.msg) != 0)
		fuzz_fail("the refusal depends on how the input was fed", e1.msg);
	/* the fields of what was read, written and read back */
	for (size_t at = 0; at < whole.text.len;) {
		const char *f = whole.text.s + at;
		round_trip(f);
		at += strlen(f) + 1;
	}
	buf_free(&whole.text);
	buf_free(&cut.text);

	/* the roster's first reading, with and without a map */
	struct roster_opts o = {.sep = sep, .today = 20000};
	struct roster_summary sum;
	struct err e = {0};
	if (roster_check(text, len, "fuzz.csv", &o, &sum, &e) < 0 && !*e.msg)
		fuzz_fail("a roster refused without a message", NULL);
	o.map = "Member ID=mrn,Plan=-,DOB=dob";
	o.sep = 0;   /* as the first line suggests */
	err_clear(&e);
	if (roster_check(text, len, "fuzz.csv", &o, &sum, &e) < 0 && !*e.msg)
		fuzz_fail("a mapped roster refused without a message", NULL);
	return 0;
}
