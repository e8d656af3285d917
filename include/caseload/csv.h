/* csv: reading comma- or tab-separated files (RFC 4180) a record at a
 * time, with libcsv underneath: UTF-8 with or without a byte order mark,
 * CRLF or LF line ends, quoted fields with separators, quotes and line
 * breaks inside.  Every field handed on is valid UTF-8 without a NUL;
 * what is not is refused naming the line and column.  Memory is bounded
 * by the longest record (CSV_RECORD_MAX), never by the file. */
#ifndef CASELOAD_CSV_H
#define CASELOAD_CSV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "caseload/err.h"

/* The longest record (bytes of its fields) and the most fields in one:
 * beyond them a file is refused (an unclosed quote swallows the file). */
#define CSV_RECORD_MAX ((size_t)64 * 1024)
#define CSV_FIELDS_MAX 256

/* One record as read; valid until the callback returns. */
struct csv_record {
	size_t n;                  /* fields */
	const char *const *field;  /* NUL-terminated bytes (a byte order mark
	                              at the file's start removed); an unquoted
	                              field's surrounding spaces removed */
	int line;                  /* the line its first field ends on (1-based) */
};

/* Called for each record in file order (blank lines are no records);
 * a negative return (with e set) stops the reading. */
typedef int csv_record_fn(void *ctx, const struct csv_record *r, struct err *e);

struct csv_reader;
/* A reader for records separated by `sep` (',' or '\t'); `name` (the
 * file's, for messages) is copied. */
struct csv_reader *csv_reader_new(char sep, const char *name, csv_record_fn *fn, void *ctx);
void csv_reader_free(struct csv_reader **r);
/* Feed the next bytes of the file (any split: a record may span feeds),
 * then csv_finish once at its end.  0, or negative with e naming the
 * file, line and column (and nothing more is read). */
int csv_feed(struct csv_reader *r, const char *data, size_t len, struct err *e);
int csv_finish(struct csv_reader *r, struct err *e);
/* Read a whole stream through a new reader. */
int csv_read_stream(FILE *f, char sep, const char *name, csv_record_fn *fn, void *ctx,
                    struct err *e);

/* The separator a file's start suggests: a tab when its first line has
 * tabs and no comma, else a comma. */
char csv_sniff(const char *head, size_t len);

/* Append s to b as one RFC 4180 field: quoted (quotes doubled) when it
 * holds the separator, a quote, a line break or surrounding blanks, or
 * starts with a byte order mark. */
struct buf;
void csv_field_into(struct buf *b, const char *s, char sep);

#endif
