/* err: an error as a value.  Functions below the front ends return an int
 * status (0 ok, negative on error) and fill a struct err; the front end
 * decides how to show it (stderr, or the screen's message line). */
#ifndef CASELOAD_ERR_H
#define CASELOAD_ERR_H
#include <stddef.h>

enum {
	ERR_FAIL = -1,     /* the operation failed; see msg */
	ERR_USAGE = -2,    /* the caller's input is wrong (bad date, bad option) */
	ERR_NOTFOUND = -3, /* a named record does not exist */
	ERR_CONFLICT = -4, /* refused: would duplicate or contradict */
};

struct err {
	int code;          /* one of the ERR_ values, 0 when clear */
	char msg[1024];
	char file[512];    /* set when the error is about a file */
	int line, col;     /* 1-based; 0 when unknown */
	/* The field of the request the error is about, when the input was
	 * wrong ("template", "start", "title"): a form puts the cursor on
	 * it.  The use case's own names, documented with its request; ""
	 * when the error is about no one field. */
	char field[32];
};

void err_clear(struct err *e);
/* Set code and message; returns code so callers can `return err_set(...)`. */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, naming a place in a file. */
int err_set_at(struct err *e, int code, const char *file, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Name the request field an error (already set) is about; returns its
 * code.  Setting an error again clears the field. */
int err_field(struct err *e, const char *field);
/* "file:line:col: msg" (or just msg) into out. */
const char *err_text(const struct err *e, char *out, size_t size);

#endif
