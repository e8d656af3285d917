/* ical_reader: the framing of an iCalendar stream (see ical_internal.h).
 * libical's icalparser_get_line reads and unfolds content lines through
 * read_chunk, which counts physical lines; each content line goes through
 * handle_line, which follows BEGIN and END on a stack and feeds the lines
 * of one top-level component at a time to icalparser_add_line. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ical_internal.h"

#define MAX_DEPTH 32
#define MAX_LINE ((size_t)8 * 1024 * 1024)     /* one unfolded content line */
#define KIND_MAX 24                    /* a component's name, cut to fit */
/* What a line of a component costs at least, against max_component:
 * libical keeps about 300 bytes for a property however short its line, so
 * a component of many tiny lines is bounded as well as one of long lines. */
#define LINE_CHARGE 100

struct reader {
	FILE *in;
	const char *name;
	const struct ical_reader_ops *ops;
	void *ctx;
	/* line numbers: physical lines handed to libical so far, the line the
	 * last chunk began on, and where the next content line begins */
	int phys, chunk_line, next_start;
	bool at_start, nul;
	long long bytes;
	icalparser *parser;
	struct { char name[KIND_MAX]; int line; } stack[MAX_DEPTH];
	int depth;
	int comp_line;             /* where the top-level component began */
	int comp_depth;            /* and its depth on the stack (1 or 2) */
	bool fed;                  /* the open top-level component goes to libical */
	int unused;                /* > 0: inside a VALARM at this depth, not read */
	bool saw_component;
	/* the bound on one top-level component (0: none), what its lines cost
	 * so far, how many of its BEGINs libical holds open, and whether it is
	 * passed over for being larger */
	long long max_component, comp_cost;
	int lib_depth;
	bool dropping;
	/* the content line being read: its bytes so far; too long to read */
	long long line_bytes;
	bool too_long;
};

/* libical's line source: fgets, counting lines, dropping a UTF-8 BOM and
 * noticing NUL bytes (which would silently cut a line short). */
static char *read_chunk(char *buf, size_t size, void *data)
{
	struct reader *r = data;
	if (r->too_long) {
		buf[0] = '\0';       /* libical stops asking only on an empty buffer */
		return NULL;
	}
	if (!fgets(buf, (int)size, r->in))
		return NULL;
	size_t n = strlen(buf);
	if (r->phys == 0 && r->bytes == 0 && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		memmove(buf, buf + 3, n - 2);
		n -= 3;
		r->bytes += 3;
	}
	if (n + 1 < size && (n == 0 || buf[n - 1] != '\n') && !feof(r->in))
		r->nul = true;
	r->bytes += (long long)n;
	/* a content line goes on over folded lines (they begin with a blank):
	 * one longer than MAX_LINE ends the reading here, before libical holds
	 * all of it */
	if (r->at_start && n > 0 && buf[0] != ' ' && buf[0] != '\t')
		r->line_bytes = 0;
	r->line_bytes += (long long)n;
	if (r->line_bytes > (long long)MAX_LINE) {
		r->too_long = true;
		buf[0] = '\0';
		return NULL;
	}
	r->chunk_line = r->at_start ? r->phys + 1 : r->chunk_line;
	r->at_start = n > 0 && buf[n - 1] == '\n';
	if (r->at_start)
		r->phys++;
	return buf;
}

/* ---- messages ---- */

static int fail_at(struct reader *r, struct err *e, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail_at(struct reader *r, struct err *e, int line, const char *fmt, ...)
{
	char msg[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set_at(e, ERR_FAIL, r->name, line, 0, "%s", msg);
}

static void note_at(struct reader *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note_at(struct reader *r, int line, const char *fmt, ...)
{
	char text[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	r->ops->note(r->ctx, line, text);
}

/* A component's name for a message: an unknown one is shown only when it
 * looks like a name (VCARD), so that no other text of the file is. */
static const char *shown_kind(const char *kind)
{
	if (strspn(kind, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") ==
	    strlen(kind))
		return kind;
	return "(a name that is not a component's)";
}

/* ---- one content line ---- */

/* Is the name of a content line ("BEGIN", "DTSTART"...: its first n
 * bytes) `want`, in any case?  This runs for every line of the file. */
static bool name_is(const char *line, size_t n, const char *want)
{
	return strlen(want) == n && !strncasecmp(line, want, n);
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* A component libical knows (VCALENDAR, VEVENT, VALARM ...), not a VCARD
 * or a typo. */
static bool known_kind(const char *v)
{
	icalcomponent_kind k = icalenum_string_to_component_kind(v);
	return k != ICAL_NO_COMPONENT && k != ICAL_X_COMPONENT && k != ICAL_XLICINVALID_COMPONENT;
}

/* The component named by a BEGIN or END line, cut to fit; "" for none. */
static void component_name(const char *line, char kind[KIND_MAX])
{
	const char *value = strchr(line, ':');
	kind[0] = '\0';
	if (!value)
		return;
	value++;
	while (*value == ' ')
		value++;
	size_t k = strcspn(value, " \t\r");
	if (k > KIND_MAX - 1)
		k = KIND_MAX - 1;
	memcpy(kind, value, k);
	kind[k] = '\0';
}

/* A top-level component is handed over; a VCALENDAR nested in another is
 * handed over child by child. */
static int hand_over(struct reader *r, icalcomponent *c, struct err *e)
{
	if (icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT)
		return r->ops->component(r->ctx, c, r->comp_line, r->bytes, e);
	icalcomponent *sub;
	int rc = 0;
	while (rc == 0 && (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT))) {
		icalcomponent_remove_component(c, sub);
		rc = hand_over(r, sub, e);
	}
	icalcomponent_free(c);
	return rc;
}

/* Outside any component only a BEGIN of a known kind may come.  1: go on. */
static int at_top(struct reader *r, bool begin, const char *kind, int at, struct err *e)
{
	if (!begin && !r->saw_component)
		return fail_at(r, e, at, "expected BEGIN:VCALENDAR: this is not an iCalendar file");
	if (!begin) {
		note_at(r, at, "text outside BEGIN:VCALENDAR ... END:VCALENDAR is ignored");
		return 0;
	}
	if (!known_kind(kind))
		return fail_at(r, e, at, "BEGIN:%s is not an iCalendar object (expected "
		               "BEGIN:VCALENDAR)", shown_kind(kind));
	r->saw_component = true;
	return 1;
}

/* BEGIN: push it; a calendar begins, a top-level component starts going
 * to libical, or a VALARM inside it is passed over.  1: feed the line. */
static int on_begin(struct reader *r, const char *kind, int at, struct err *e)
{
	if (r->depth >= MAX_DEPTH)
		return fail_at(r, e, at, "components nested too deep");
	memcpy(r->stack[r->depth].name, kind, KIND_MAX);
	r->stack[r->depth].line = at;
	r->depth++;
	if (r->depth == 1 && !strcasecmp(kind, "VCALENDAR")) {
		r->ops->calendar_begin(r->ctx);
		return 0;
	}
	if (!r->fed) {
		r->fed = true;
		r->comp_line = at;
		r->comp_depth = r->depth;
		r->comp_cost = 0;
		r->lib_depth = 0;
		r->dropping = false;
	} else if (!r->unused && !strcasecmp(kind, "VALARM")) {
		r->unused = r->depth;   /* reminders are not imported: skip them */
	}
	return r->unused ? 0 : 1;
}

/* END: pop the component it closes (a misspelt name closes the open one,
 * as libical does; an outer one is refused); the calendar ends, a VALARM
 * ends, or the line goes to libical (1). */
static int on_end(struct reader *r, const char *kind, int at, struct err *e)
{
	if (r->depth == 0)
		return fail_at(r, e, at, "END:%s without a BEGIN", shown_kind(kind));
	const char *open = r->stack[r->depth - 1].name;
	int open_line = r->stack[r->depth - 1].line;
	if (strcasecmp(kind, open) != 0) {
		for (int d = r->depth - 2; d >= 0; d--)
			if (!strcasecmp(kind, r->stack[d].name))
				return fail_at(r, e, at, "END:%s while BEGIN:%s of line %d is still "
				               "open (cut short?)", shown_kind(kind), shown_kind(open),
				               open_line);
		note_at(r, at, "END:%s taken as the end of BEGIN:%s of line %d", shown_kind(kind),
		        shown_kind(open), open_line);
	}
	r->depth--;
	if (!r->fed)       /* END:VCALENDAR */
		return r->ops->calendar_end(r->ctx, e);
	if (r->unused) {
		if (r->depth < r->unused)
			r->unused = 0;
		return 0;
	}
	return 1;
}

/* A property: of a passed-over VALARM, of the VCALENDAR itself, or of the
 * component going to libical (1). */
static int on_property(struct reader *r, const char *line)
{
	if (r->unused)
		return 0;
	if (!r->fed) {
		r->ops->calendar_property(r->ctx, line);
		return 0;
	}
	return 1;
}

/* The open component has grown past max_component: what libical holds
 * of it is closed and freed (libical closes its open component on any
 * END), the rest of its lines are passed over, and the callee hears of it
 * at the line it began on. */
static void drop(struct reader *r)
{
	for (; r->lib_depth > 0; r->lib_depth--) {
		char end[] = "END:VEVENT";
		icalcomponent *c = icalparser_add_line(r->parser, end);
		if (c)
			icalcomponent_free(c);
	}
	r->dropping = true;
	const char *kind = r->stack[r->comp_depth - 1].name;
	if (r->ops->too_large)
		r->ops->too_large(r->ctx, shown_kind(kind), r->comp_line, r->max_component);
}

/* libical takes the line; at the end of a top-level component it gives
 * the component, or nothing when it could not read it.  A component past
 * max_component is dropped: its lines go nowhere until its END. */
static int feed(struct reader *r, char *line, bool begin, bool end, const char *kind, int at,
                struct err *e)
{
	if (!r->dropping && r->max_component) {
		size_t n = strlen(line);
		r->comp_cost += n > LINE_CHARGE ? (long long)n : LINE_CHARGE;
		if (r->comp_cost > r->max_component)
			drop(r);
	}
	if (r->dropping) {
		if (end && r->depth < r->comp_depth)
			r->fed = r->dropping = false;
		return 0;
	}
	icalcomponent *c = icalparser_add_line(r->parser, line);
	r->lib_depth += begin ? 1 : end ? -1 : 0;
	if (c) {
		r->fed = false;
		r->lib_depth = 0;
		return hand_over(r, c, e);
	}
	if (end && r->fed && (r->depth == 0 || (r->depth == 1 &&
	                                        !strcasecmp(r->stack[0].name, "VCALENDAR"))))
		return fail_at(r, e, at, "libical could not read the %s that begins on line %d",
		               shown_kind(kind), r->comp_line);
	return 0;
}

static int handle_line(struct reader *r, char *line, int at, struct err *e)
{
	if (blank(line))
		return 0;
	size_t name_len = strcspn(line, ";:");
	bool begin = name_is(line, name_len, "BEGIN"), end = name_is(line, name_len, "END");
	char kind[KIND_MAX] = "";
	if (begin || end) {
		component_name(line, kind);
		if (!kind[0])
			return fail_at(r, e, at, "a BEGIN or END line without a component name "
			               "(expected BEGIN:NAME or END:NAME)");
	}
	int rc = r->depth == 0 ? at_top(r, begin, kind, at, e) : 1;
	if (rc <= 0)
		return rc;
	rc = begin ? on_begin(r, kind, at, e) : end ? on_end(r, kind, at, e) : on_property(r, line);
	return rc <= 0 ? rc : feed(r, line, begin, end, kind, at, e);
}

/* ---- the stream ---- */

/* The next content line; NULL at the end.  *at gets the line it began on. */
static char *next_line(struct reader *r, int *at)
{
	*at = r->next_start;
	char *line = icalparser_get_line(r->parser, read_chunk);
	r->next_start = r->chunk_line;
	return line;
}

int ical_read(FILE *in, const char *name, long long max_component,
              const struct ical_reader_ops *ops, void *ctx, long long *bytes_read, struct err *e)
{
	struct reader r = {.in = in, .name = name, .ops = ops, .ctx = ctx, .at_start = true,
	                   .next_start = 1, .max_component = max_component};
	r.parser = icalparser_new();
	icalparser_set_gen_data(r.parser, &r);
	int rc = 0, at;
	for (char *line; rc == 0 && (line = next_line(&r, &at)); free(line)) {
		if (r.nul)
			rc = fail_at(&r, e, at, "a NUL byte: this is not a text calendar file");
		else if (r.too_long || strlen(line) > MAX_LINE)
			rc = fail_at(&r, e, at, "a content line longer than %zu bytes", MAX_LINE);
		else
			rc = handle_line(&r, line, at, e);
	}
	if (rc == 0 && r.too_long)     /* libical gave nothing of the cut line */
		rc = fail_at(&r, e, r.next_start, "a content line longer than %zu bytes", MAX_LINE);
	if (rc == 0)
		rc = ops->calendar_end(ctx, e);
	if (rc == 0 && ferror(in))
		rc = err_set_at(e, ERR_FAIL, name, 0, 0, "read error");
	if (rc == 0 && r.depth > 0)
		rc = fail_at(&r, e, r.stack[r.depth - 1].line,
		             "the file ends inside BEGIN:%s (cut short?); nothing was imported",
		             shown_kind(r.stack[r.depth - 1].name));
	if (rc == 0 && !r.saw_component)
		rc = err_set_at(e, ERR_FAIL, name, 0, 0, "no iCalendar data in it (no BEGIN:VCALENDAR)");
	icalparser_free(r.parser);
	*bytes_read = r.bytes;
	return rc;
}
