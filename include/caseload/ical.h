/* ical: iCalendar files in and out, with libical doing the reading and
 * writing.  Import streams a file one component at a time (VTIMEZONEs are
 * kept, each VEVENT is stored and freed) inside one transaction; export
 * writes RFC 5545 text with one VTIMEZONE per zone used. */
#ifndef CASELOAD_ICAL_H
#define CASELOAD_ICAL_H
#include <stdbool.h>
#include <stdio.h>
#include "caseload/err.h"
#include "caseload/model.h"
#include "caseload/util.h"

struct store;

struct ical_import_opts {
	long long patient_id;      /* every event to this patient; 0: match each */
	bool dry_run;              /* do everything, then roll back */
	const char *zone;          /* floating times are taken in this zone */
	long long now;             /* booked_at of new appointments */
	/* Called every 1000 events (and once at the end) when set. */
	void (*progress)(void *ctx, long long events, long long bytes_read);
	void *progress_ctx;
};

/* What an import did.  Every VEVENT counts once in added, updated,
 * unchanged, cancelled or skipped; unassigned counts the added ones that
 * matched no patient.  notes: "line N: ..." for skipped events and other
 * remarks (at most ICAL_MAX_NOTES kept; notes_dropped counts the rest). */
#define ICAL_MAX_NOTES 200
struct ical_summary {
	long long events, added, updated, unchanged, cancelled, unassigned, skipped;
	struct strlist notes;
	long long notes_dropped;
};
void ical_summary_free(struct ical_summary *sum);

/* Import from an open stream; `name` names it in messages and in the
 * appointments' source.  A file that is not iCalendar (or is cut short)
 * is refused with e naming the line, and the store is left unchanged. */
int ical_import_stream(struct store *s, FILE *in, const char *name,
                       const struct ical_import_opts *o, struct ical_summary *sum,
                       struct err *e);

enum ical_detail { ICAL_DETAIL_FULL, ICAL_DETAIL_MINIMAL };

struct ical_export_opts {
	enum ical_detail detail;   /* minimal: time, "Appointment", location */
	const int *alarms;         /* VALARM reminders, minutes before the start */
	int n_alarms;
	long long now;             /* DTSTAMP */
};
/* "1d,2h,30m" (or "none") into minutes before the start; caller frees. */
int ical_parse_alarms(const char *spec, int **minutes, int *n, struct err *e);
/* Write a VCALENDAR holding these appointments (series with their
 * overrides) to out.  Providers are looked up in the store for `full`. */
int ical_export(struct store *s, const struct appointment *rows, size_t n,
                const struct ical_export_opts *o, FILE *out, struct err *e);

/* The IANA zone for a Windows zone name ("Eastern Standard Time"), or
 * NULL. */
const char *ical_windows_zone(const char *name);
/* The i-th entry of that table (for tests): the IANA name, or NULL past
 * the end; *windows gets the Windows name. */
const char *ical_windows_zone_at(size_t i, const char **windows);

#endif
