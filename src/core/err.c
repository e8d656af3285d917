/* err: error values with a message and, for files, a place. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "caseload/err.h"

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

static int err_vset(struct err *e, int code, const char *file, int line,
                    int col, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	e->field[0] = '\0';
	return code;
}

int err_field(struct err *e, const char *field)
{
	if (!e)
		return ERR_FAIL;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	return e->code;
}

int err_set(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return code;
}

int err_set_at(struct err *e, int code, const char *file, int line, int col,
               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, file, line, col, fmt, ap);
	va_end(ap);
	return code;
}

const char *err_text(const struct err *e, char *out, size_t size)
{
	if (!e->file[0])
		snprintf(out, size, "%s", e->msg);
	else if (e->line && e->col)
		snprintf(out, size, "%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
	else if (e->line)
		snprintf(out, size, "%s:%d: %s", e->file, e->line, e->msg);
	else
		snprintf(out, size, "%s: %s", e->file, e->msg);
	return out;
}
