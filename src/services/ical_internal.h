/* ical_internal: what the iCalendar files share among themselves and no
 * one else: the names of our own export's extra properties, which the
 * import reads back, and the reader that frames a stream into top-level
 * components for the import. */
#ifndef CASELOAD_ICAL_INTERNAL_H
#define CASELOAD_ICAL_INTERNAL_H
#include <libical/ical.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "caseload/err.h"
#include "caseload/store_stage.h"

/* Our own export's extras, read back by the import. */
#define X_CASELOAD_DETAIL "X-CASELOAD-DETAIL"        /* "full" or "minimal" */
#define X_NOTES_LENGTH "X-NOTES-LENGTH"              /* parameter of the above: how much
                                                       * of DESCRIPTION is the notes */
#define X_CASELOAD_STATUS "X-CASELOAD-STATUS"        /* the FHIR Appointment.status */
#define X_CASELOAD_TRANSPORT "X-CASELOAD-TRANSPORT"  /* none, needed, arranged, confirmed */
#define X_CASELOAD_PATIENT "X-CASELOAD-PATIENT"      /* the patient's id, CN their name */

/* ---- ical_reader: a stream, one top-level component at a time ----
 * libical reads the content lines (unfolding them) and builds each
 * component; the reader follows BEGIN/END to hand it one top-level
 * component at a time, so memory stays flat however long the file is.
 * It counts lines, so that every component and every refusal names one,
 * and refuses what is not iCalendar or is cut short.  VALARMs inside a
 * component are passed over. */
struct ical_reader_ops {
	/* A VCALENDAR begins: its properties and components follow. */
	void (*calendar_begin)(void *ctx);
	/* A property line of the VCALENDAR itself (METHOD:CANCEL...). */
	void (*calendar_property)(void *ctx, const char *line);
	/* A top-level component read whole (VEVENT, VTIMEZONE, ...; the
	 * children of a VCALENDAR nested in another, one by one), beginning
	 * on `line`; bytes_read of the stream so far.  The callee owns c.
	 * A negative return stops the reading with that status. */
	int (*component)(void *ctx, icalcomponent *c, int line, long long bytes_read,
	                 struct err *e);
	/* At each END:VCALENDAR and at the end of the stream. */
	int (*calendar_end)(void *ctx, struct err *e);
	/* A remark about the file at a line (a typo that was forgiven). */
	void (*note)(void *ctx, int line, const char *text);
	/* A top-level component (of `kind`, beginning on `line`) was larger
	 * than max_component and is passed over whole. */
	void (*too_large)(void *ctx, const char *kind, int line, long long max_component);
};

/* Read the stream `in` (named `name` in messages) to its end.  0, or the
 * first negative status, from a callback or from a refusal that names
 * the file, the line and what was expected (never the file's text).
 * A top-level component whose lines come to more than max_component
 * bytes (each line counting at least 100: libical's cost of a property)
 * is passed over (too_large); 0: no bound.  Memory stays bounded by it and
 * by the longest content line (8 MiB; a longer one is refused before it
 * is read whole).  *bytes_read gets how much was read. */
int ical_read(FILE *in, const char *name, long long max_component,
              const struct ical_reader_ops *ops, void *ctx, long long *bytes_read, struct err *e);

/* ---- ical_export: a calendar written as its rows come ----
 * Every row's zone is noted first (the VTIMEZONEs come before the
 * events), then the head is written and each event in turn: memory stays
 * flat however many rows there are. ical_stream_end writes the end and
 * says whether everything could be written. */
struct appointment;
struct store;
struct ical_export_opts;
struct ical_stream;
struct ical_stream *ical_stream_new(struct store *s, const struct ical_export_opts *o);
void ical_stream_zone(struct ical_stream *w, const struct appointment *a);
/* Whether a row's times are written in its zone (a VTIMEZONE for it). */
bool ical_zone_used(const struct appointment *a);
void ical_stream_start(struct ical_stream *w, FILE *out);
void ical_stream_event(struct ical_stream *w, const struct appointment *a);
int ical_stream_end(struct ical_stream *w, struct err *e);
void ical_stream_free(struct ical_stream *w);

/* ---- stage_order: the order an import merges its staged rows ----
 * Each staged row gets an id that says where the merge takes it:
 * stage_order.c says how and why.  A run's ids begin at its base
 * (stage_order_base of the stage's largest id, so that no other run's
 * rows are among them); stage_order_key gives back the row's place in
 * the file.  The first `sample` events (fewer under test) set the
 * ranges; a sample of 0 keeps the whole file in file order. */
#define ORDER_CELL_BITS 8
#define ORDER_SEQ_BITS 38
#define ORDER_RUN_BITS (ORDER_CELL_BITS + ORDER_SEQ_BITS)
struct stage_order {
	long long base, seq;
	bool ended;                /* a calendar ended: file order from now */
	uint32_t *slots;           /* the UIDs seen: their cells */
	size_t used;
	int sample_max, nsample;   /* the sample: UIDs and starts */
	char **uids;
	long long *starts;
	bool bounded;              /* the sample is whole: the ranges are cut */
	char *uid_bound[(1 << (ORDER_CELL_BITS / 2)) - 1];
	long long start_bound[(1 << (ORDER_CELL_BITS / 2)) - 1];
};
void stage_order_init(struct stage_order *o, long long base, int sample);
long long stage_order_id(struct stage_order *o, enum stage_kind kind, const char *uid,
                         long long start);
void stage_order_free(struct stage_order *o);
long long stage_order_base(long long max_id);
long long stage_order_key(long long id);

#endif
