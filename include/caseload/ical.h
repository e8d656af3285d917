/* ical: iCalendar files in and out, with libical doing the reading and
 * writing.  Import streams a file one component at a time (VTIMEZONEs are
 * kept, each VEVENT is staged and freed), then merges what it staged, in
 * short transactions (ical_import.c); export
 * writes RFC 5545 text with one VTIMEZONE per zone used. */
#ifndef CASELOAD_ICAL_H
#define CASELOAD_ICAL_H
#include <stdbool.h>
#include <stdio.h>
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"
#include "caseload/util.h"

struct store;

struct ical_import_opts {
	long long patient_id;      /* every event to this patient; 0: match each */
	bool dry_run;              /* do everything, then roll back */
	const char *zone;          /* floating times are taken in this zone */
	long long now;             /* booked_at of new appointments */
	/* Called every 1000 events (and once at the end) when set; bytes_total
	 * is the file's size, 0 when unknown (a pipe). */
	void (*progress)(void *ctx, long long events, long long bytes_read, long long bytes_total);
	/* Called after each merge batch when set: rows merged of about
	 * `staged` (the events staged; notes count among the rows). */
	void (*merging)(void *ctx, long long merged, long long staged);
	void *progress_ctx;        /* for both */
	/* A component (an event, a time zone) larger than this many KB is
	 * skipped with a note naming its line (an event counts as skipped);
	 * 0: ICAL_MAX_COMPONENT_KB.  The config's import_max_component_kb. */
	int max_component_kb;
};
#define ICAL_MAX_COMPONENT_KB 1024

/* What an import did.  Every VEVENT counts once in added, updated,
 * unchanged, cancelled or skipped; unassigned counts the added ones that
 * matched no patient.  notes: "line N: ..." for skipped events and other
 * remarks (at most ICAL_MAX_NOTES kept; notes_dropped counts the rest). */
#define ICAL_MAX_NOTES 200
struct ical_summary {
	long long events, added, updated, unchanged, cancelled, unassigned, skipped;
	struct strlist notes;
	long long notes_dropped;
	long long run_id;          /* its import run (import --undo RUN), 0: none */
};
void ical_summary_free(struct ical_summary *sum);
/* The summary as people read it, the same on the command line and the
 * screen: "NAME: N events: A added (U unassigned), X updated, Y unchanged,
 * C cancelled, S skipped", then "  line N: ..." per note, "  ... and N
 * more", and "dry run: nothing was changed" when `dry_run`; each line ends
 * in a newline, and text from the file is cleaned of control characters. */
void ical_summary_format(const struct ical_summary *sum, const char *name, bool dry_run,
                         struct buf *out);

/* Import from an open stream; `name` names it in messages and in the
 * appointments' source.  A file that is not iCalendar (or is cut short)
 * is refused with e naming the file, the line and what was expected
 * (never the file's text), and the store is left unchanged.  The file is
 * staged, then merged in short transactions (another process's write
 * waits a fraction of a second): once the whole file is read the import
 * is recorded, and one that fails or is killed after that is finished
 * by the next import or ical_import_recover.  While another process
 * imports into the same database, ERR_CONFLICT and nothing is done.  ch
 * (may be NULL) gets the appointments and the patients that changed. */
int ical_import_stream(struct store *s, FILE *in, const char *name,
                       const struct ical_import_opts *o, struct ical_summary *sum,
                       struct change *ch, struct err *e);
/* What ical_import_recover did with the imports killed processes left. */
struct ical_recovery {
	int finished;              /* read whole (ready): merged now */
	int dropped;               /* killed while reading: its staged rows deleted */
	long long busy_run;        /* an import running now in a live process, 0: none */
};
/* Finish or drop the imports that dead processes left (an import does
 * this first too); one running in a live process is left alone and
 * named in busy_run.  ch (may be NULL) as for an import. */
int ical_import_recover(struct store *s, struct ical_recovery *rep, struct change *ch,
                        struct err *e);

/* The same for the file at `path`, named `name` in messages (NULL: the
 * path): one that cannot be opened fails, a folder is a usage error. */
int ical_import_file(struct store *s, const char *path, const char *name,
                     const struct ical_import_opts *o, struct ical_summary *sum,
                     struct change *ch, struct err *e);

enum ical_detail { ICAL_DETAIL_FULL, ICAL_DETAIL_MINIMAL };

struct ical_export_opts {
	enum ical_detail detail;   /* minimal: the time, "Appointment" and the
	                              provider's public label and address */
	const int *alarms;         /* VALARM reminders, minutes before the start */
	int n_alarms;
	long long now;             /* DTSTAMP */
};
/* "1d,2h,30m" (or "none") into minutes before the start; caller frees. */
int ical_parse_alarms(const char *spec, int **minutes, int *n, struct err *e);
/* Write a VCALENDAR holding these appointments (series with their
 * overrides) to out.  Providers are looked up in the store (`full`: for
 * the DESCRIPTION; `minimal`: for the LOCATION). */
int ical_export(struct store *s, const struct appointment *rows, size_t n,
                const struct ical_export_opts *o, FILE *out, struct err *e);

/* ---- export: the use case both front ends call ---- */

/* The export's defaults, chosen for a file that a patient or a family
 * caregiver loads into a phone: from today on with no end, the detail that
 * is safe to share (the time, "Appointment" and, as the place, only the
 * provider's public label and address; no title, location text, notes,
 * provider or patient), no cancelled appointments, and reminders a day
 * before (to arrange the ride, fasting, papers) and two hours before
 * (time to leave). */
#define ICAL_EXPORT_DETAIL "minimal"
#define ICAL_EXPORT_ALARMS "1d,2h"
/* The range as a form shows it (date_parse's words): what has_from and
 * has_to false give. */
#define ICAL_EXPORT_FROM "today"
#define ICAL_EXPORT_TO ""

struct ical_export_req {
	long long patient_id;      /* whose appointments; 0: every patient's */
	bool has_from, has_to;     /* false: from today; with no end */
	int from, to;              /* civil days, both included */
	const char *detail;        /* "minimal" or "full"; NULL: ICAL_EXPORT_DETAIL */
	const char *alarms;        /* "1d,2h", "30m", "none"; NULL: ICAL_EXPORT_ALARMS */
	const char *path;          /* the file to write; NULL: the stream */
	bool replace;              /* an existing file may be replaced */
	bool include_cancelled;    /* false: cancelled appointments are left out
	                              (a cancelled occurrence of a series
	                              becomes its EXDATE) */
	int today;                 /* civil date the default range starts on */
	const char *zone;          /* the days are local days in this zone */
	long long now;             /* DTSTAMP */
};
struct ical_export_result {
	size_t appointments;       /* how many were written */
};

/* Export one patient's appointments (or everyone's) that may fall in the
 * range: a series whole with its overrides.  With rq->path the file is
 * written through safefile (safefile.h): a temporary file (mode 0600)
 * beside it, written, synced and renamed over it, so the result is 0600
 * and complete or not there; on any failure an existing file is left as
 * it was.  A symbolic link or anything but a regular file at the path is
 * refused, never written through; an existing file without rq->replace is
 * ERR_CONFLICT (ask, then call again with replace).  Without a path the
 * calendar goes to `stream`.  Writes one audit row ("export": the patient,
 * or how many appointments), and refuses to export what it could not
 * record. */
int ical_export_file(struct store *s, const struct ical_export_req *rq, FILE *stream,
                     struct ical_export_result *res, struct err *e);
/* The same for the agenda: the appointments with an occurrence in
 * [from, to] (both required), their series and its overrides. */
int ical_export_agenda(struct store *s, const struct ical_export_req *rq, FILE *stream,
                       struct ical_export_result *res, struct err *e);

/* The IANA zone for a zone name Outlook writes as TZID, through ICU: a
 * Windows zone id ("Eastern Standard Time", as spelled by CLDR), or a
 * Windows display name ("(UTC+01:00) Amsterdam, Berlin, ...") one of whose
 * cities is an IANA zone's with the offset it says.  True with the name in
 * iana (size bytes); false when it names no zone. */
bool ical_windows_zone(const char *name, char *iana, size_t size);

#endif
