/* text: UTF-8 text for the terminal.  Removing control characters and
 * escape sequences from text that came from outside, display width of
 * wide and combining characters, cutting to a width with an ellipsis. */
#ifndef CASELOAD_TEXT_H
#define CASELOAD_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/err.h"
#include "caseload/util.h"

/* Make sure LC_CTYPE is a UTF-8 locale (the user's, else C.UTF-8). */
void text_init_locale(void);
/* Append s to b with C0/C1 controls, DEL and whole escape sequences
 * (CSI, OSC, DCS ...) removed; tabs and newlines become one space unless
 * keep_newlines; invalid UTF-8 becomes U+FFFD. */
void text_sanitize_into(struct buf *b, const char *s, bool keep_newlines);
/* A new sanitized copy (caller frees). */
char *text_sanitize(const char *s);
/* True when s holds nothing that text_sanitize would change. */
bool text_is_clean(const char *s);
/* Columns s takes on a terminal (s should be sanitized). */
int text_width(const char *s);
/* Append s to b cut to at most `width` columns: when cut, the last column
 * is "…", never splitting a character.  pad: fill with spaces to `width`.
 * Returns the columns written. */
int text_fit(struct buf *b, const char *s, int width, bool pad);
/* Byte length of the valid UTF-8 prefix of s that fits in width columns. */
size_t text_prefix_bytes(const char *s, int width);

/* Text a person typed (an option's value, a form's field): valid UTF-8
 * with no control character (C0, DEL, C1, bidirectional overrides); with
 * `lines`, newlines and tabs are allowed (a note).  0, or ERR_USAGE
 * naming `what` and the position: "--name: byte 5 is not valid UTF-8",
 * "--title: character 3 is a control character (U+001B)". */
int text_check_input(const char *s, bool lines, const char *what, struct err *e);
/* The same for the text fields of a record a person wrote (the services
 * check what they are given, so that every front end gets it); a NULL
 * value is not checked. */
struct text_field {
	const char *what;          /* "title", for the message */
	const char *value;
	bool lines;                /* newlines and tabs allowed (a note) */
};
int text_check_fields(const struct text_field *f, size_t n, struct err *e);

/* An argument shown in a message: cleaned (text_sanitize), at most
 * TEXT_ARG_CHARS characters and columns (then "…"), in single quotes.
 * out holds TEXT_ARG_SIZE bytes; returns out.  TEXT_ARG(s) gives it a
 * buffer that lives until the end of the enclosing block, for
 * err_set(e, ERR_USAGE, "%s is not a date", TEXT_ARG(s)). */
#define TEXT_ARG_CHARS 40
#define TEXT_ARG_SIZE (TEXT_ARG_CHARS * 4 + 8)
const char *text_quote_arg(const char *s, char *out);
#define TEXT_ARG(s) text_quote_arg((s), (char[TEXT_ARG_SIZE]){0})

/* Append s to b as a JSON string, quotes included, that any strict parser
 * reads: invalid UTF-8 becomes U+FFFD; C0 controls, DEL and C1 controls
 * are escaped (\u001b, \u009b), as are '"' and '\\'. */
void text_json_into(struct buf *b, const char *s);

#endif
