/* ical_import: iCalendar files into appointments.  The reader
 * (ical_reader.c) hands over one top-level component at a time, so memory
 * stays flat however long the file is.  VTIMEZONEs are kept for the rest
 * of the file; each VEVENT is mapped (times, recurrence, text, our own
 * export's extras) and freed.  The import never holds the database's
 * write lock for long (issue 12): it runs in three steps, each of short
 * transactions, so another process's write waits a fraction of a second.
 *   1. Stage: the mapped events (with the file's notes and skips, in file
 *      order) go to import_stage under a new import_run, IMPORT_BATCH_ROWS
 *      rows or IMPORT_BATCH_SECONDS a transaction.  No one reads them.
 *   2. Ready: once the whole file is read, one transaction marks the run
 *      ready.  A file refused before that drops the staged rows: the
 *      database is as before, as it is after a kill (the next import or
 *      `caseload check` drops what a dead run staged).
 *   3. Merge: batch by batch, in the order the staged rows' ids give
 *      (stage_order.c: cell by cell, a cell being a range of UIDs and of
 *      start times, so that a batch writes neighbouring index pages; the
 *      rows of one UID in file order), each staged row is decided
 *      against the rows as they are now (matched to its patient, added,
 *      updated, unchanged or skipped, exactly as one transaction would
 *      have) and deleted from the stage, with its audit rows, in one
 *      transaction; the run is then marked merged.  The notes are told
 *      in file order.  A ready run whose process died is finished by the
 *      next import or `caseload check`: a ready import is never lost.
 * Meanwhile a reader sees the appointments of the batches merged so far.
 * One import runs at a time in a database: a second is refused while the
 * first one's process lives. */
#include <errno.h>
#include <limits.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caseload/date.h"
#include "caseload/fold.h"
#include "caseload/ical.h"
#include "caseload/recur.h"
#include "caseload/store.h"
#include "caseload/store_stage.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "ical_internal.h"

#define PROGRESS_EVERY 1000
#define MAX_LATER 1000           /* events kept waiting for a VTIMEZONE */
/* SQLite page cache while importing: a merge batch's pages (the rows,
 * their audit and undo rows, the stage rows it deletes, and the few
 * neighbouring pages of the UID and start-keyed indexes its cells write:
 * about 4,000 pages at 16,000 rows), with room to spare, inside the
 * 64 MB the import may take in all (the staging's UID table takes 8 MB
 * more at 1,000,000 events). */
#define IMPORT_CACHE_KB (24 * 1024)
/* An import that added this many appointments refreshes the planner's
 * statistics (store_analyze: PostgreSQL only) before it returns. */
#define IMPORT_ANALYZE_ROWS 1000
/* A staging or merging transaction ends after this many rows or this
 * long, whichever comes first; after it the import pauses IMPORT_YIELD_MS
 * for a writer waiting for the lock (store.c's busy handler polls every
 * few milliseconds).  The fewer batches the better (each commit writes
 * its pages and checkpoints), up to the wait a writer can bear; on a
 * slower machine IMPORT_BATCH_SECONDS ends a batch first.  With
 * CASELOAD_IMPORT_STOP set (tests) a batch is IMPORT_TEST_BATCH_ROWS
 * rows, so that a small file makes several, and its time is not looked
 * at (a sanitizer build on a loaded machine would end it at a row count
 * the test cannot know). */
#define IMPORT_BATCH_ROWS 16000
#define IMPORT_TEST_BATCH_ROWS 500
/* A merging batch reads the stage this many rows at a time (the rows in
 * memory at once); IMPORT_TEST_FETCH_ROWS with CASELOAD_IMPORT_STOP, so
 * that a test's batch takes several reads. */
#define IMPORT_FETCH_ROWS 1000
#define IMPORT_TEST_FETCH_ROWS 200
#define IMPORT_BATCH_SECONDS 0.25
#define IMPORT_YIELD_MS 5
/* A run that wrote nothing for this long is dead (a live one writes
 * after every batch). */
#define IMPORT_STALE_SECONDS 600

struct zone {                  /* a TZID seen in the file */
	char *tzid;                /* as the file spells it */
	icaltimezone *file_zone;   /* its VTIMEZONE, owned; NULL if none */
	const char *iana;          /* the IANA name stored, or NULL */
	icaltimezone *builtin;     /* libical's zone for iana */
};

struct importer {
	struct store *s;
	const struct ical_import_opts *o;
	struct ical_summary *sum;
	char *source;
	int line;                  /* where the event being imported begins */
	bool method_cancel;        /* the calendar's METHOD is CANCEL */
	enum icalproperty_method method;   /* the calendar's METHOD, ICAL_METHOD_NONE if none */
	struct zone *zones;
	size_t nz, capz;
	struct strlist iana;       /* owns the zones' IANA names */
	char why[200];             /* a skip reason that names something */
	/* events whose zone is not known yet: its VTIMEZONE may come later in
	 * the calendar; they are tried again at its end */
	struct later { icalcomponent *c; int line; } *later;
	size_t nlater, caplater;
	bool zone_missing, final;
	icaltimezone *floating;    /* the coordinator's zone */
	struct change change;      /* what was written, for the caller */
	long long bytes_total;     /* the file's size; 0 when unknown */
	/* the run: what the merge needs (the same for a run finished by
	 * another process) */
	long long run_id, patient_id, booked_at;
	bool dry_run;              /* all inside the caller's one transaction */
	bool reading;              /* staging: notes go to the stage */
	int stage_rc;              /* a note that could not be staged ... */
	struct err stage_err;      /* ... and why */
	bool in_batch;             /* a batch's transaction is open */
	int batch_rows, batch_max;
	double batch_seconds;      /* a batch's time at most (0: rows only) */
	double batch_start;
	long long staged, merged;  /* events staged, rows merged */
	long long nwaiting;        /* overrides waiting for their series */
	struct stage_order order;  /* staging: the ids that order the merge */
	/* merging: each note's place in the file (its row's), so that the
	 * notes are told in file order whatever order the rows merge in */
	long long note_key;
	long long *note_keys;      /* one a note of sum->notes */
	size_t cap_note_keys;
	/* the patient each row's attendees matched, while no one else
	 * writes (memo_key below) */
	struct attendee_memo { char *key; long long id; } *memo;
	size_t nmemo, capmemo;
	long long memo_version;    /* store_data_version when it was made */
};

void ical_summary_free(struct ical_summary *sum)
{
	strlist_free(&sum->notes);
	memset(sum, 0, sizeof *sum);
}

void ical_summary_format(const struct ical_summary *s, const char *name, bool dry_run,
                         struct buf *out)
{
	text_sanitize_into(out, name, false);
	buf_addf(out, ": %lld event%s: %lld added (%lld unassigned), %lld updated, "
	         "%lld unchanged, %lld cancelled, %lld skipped\n", s->events,
	         s->events == 1 ? "" : "s", s->added, s->unassigned, s->updated, s->unchanged,
	         s->cancelled, s->skipped);
	for (size_t i = 0; i < s->notes.len; i++) {
		buf_add(out, "  ");
		text_sanitize_into(out, s->notes.items[i], false);
		buf_addc(out, '\n');
	}
	if (s->notes_dropped)
		buf_addf(out, "  ... and %lld more\n", s->notes_dropped);
	if (dry_run)
		buf_add(out, "dry run: nothing was changed\n");
}

static void note(struct importer *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void stage_note(struct importer *im, int line, const char *text);
static void note(struct importer *im, int line, const char *fmt, ...)
{
	if (im->reading) {
		struct buf t = {0};
		va_list ap;
		va_start(ap, fmt);
		buf_vaddf(&t, fmt, ap);
		va_end(ap);
		stage_note(im, line, t.s ? t.s : "");
		buf_free(&t);
		return;
	}
	struct strlist *notes = &im->sum->notes;
	if (notes->len >= ICAL_MAX_NOTES) {
		/* the first ones in the file are kept: this one instead of the
		 * kept one latest in the file, if that one comes after it */
		im->sum->notes_dropped++;
		size_t at = 0;
		for (size_t i = 1; i < notes->len; i++)
			if (im->note_keys[i] >= im->note_keys[at])
				at = i;
		if (im->note_keys[at] <= im->note_key)
			return;
		free(notes->items[at]);
		notes->len--;
		memmove(&notes->items[at], &notes->items[at + 1],
		        (notes->len - at) * sizeof *notes->items);
		memmove(&im->note_keys[at], &im->note_keys[at + 1],
		        (notes->len - at) * sizeof *im->note_keys);
	}
	struct buf b = {0};
	buf_addf(&b, "line %d: ", line);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	strlist_add(notes, b.s);
	buf_free(&b);
	if (notes->len > im->cap_note_keys) {
		im->cap_note_keys = notes->len * 2;
		im->note_keys = xrealloc(im->note_keys, im->cap_note_keys * sizeof *im->note_keys);
	}
	im->note_keys[notes->len - 1] = im->note_key;
}

/* The notes in file order: by key, in the order they were made within
 * one (a stable sort of the few kept). */
static void notes_in_file_order(struct importer *im)
{
	struct strlist *notes = &im->sum->notes;
	for (size_t i = 1; i < notes->len; i++)
		for (size_t j = i; j > 0 && im->note_keys[j - 1] > im->note_keys[j]; j--) {
			long long k = im->note_keys[j];
			im->note_keys[j] = im->note_keys[j - 1];
			im->note_keys[j - 1] = k;
			char *t = notes->items[j];
			notes->items[j] = notes->items[j - 1];
			notes->items[j - 1] = t;
		}
}

/* ---- time zones ---- */

static const char *iana_name(const char *tzid)
{
	if (!tzid || !*tzid)
		return NULL;
	if (tz_known(tzid))
		return tzid;
	static char windows[64];
	if (ical_windows_zone(tzid, windows, sizeof windows) && tz_known(windows))
		return windows;
	/* "/softwarestudio.org/Olson_20011030_5/America/New_York": try the
	 * tails after each slash */
	for (const char *p = strchr(tzid, '/'); p; p = strchr(p + 1, '/'))
		if (p[1] && tz_known(p + 1))
			return p + 1;
	/* "US-Eastern", "Europe_Berlin" */
	static char slash[64];
	size_t cut = strcspn(tzid, "-_");
	if (tzid[cut] && strlen(tzid) < sizeof slash) {
		snprintf(slash, sizeof slash, "%s", tzid);
		slash[cut] = '/';
		if (tz_known(slash))
			return slash;
	}
	return NULL;
}

/* A stable copy of an IANA name, shared by every TZID that maps to it. */
static const char *intern_zone(struct importer *im, const char *iana)
{
	for (size_t i = 0; i < im->iana.len; i++)
		if (!strcmp(im->iana.items[i], iana))
			return im->iana.items[i];
	strlist_add(&im->iana, iana);
	return im->iana.items[im->iana.len - 1];
}

static void zone_set_iana(struct zone *z, const char *iana)
{
	z->iana = iana;
	z->builtin = !strcmp(iana, "UTC") ? icaltimezone_get_utc_timezone()
	                                  : tz_ical_zone(iana);
}

static struct zone *zone_add(struct importer *im, const char *tzid)
{
	void *p = im->zones;
	xgrow(&p, &im->capz, im->nz + 1, sizeof *im->zones);
	im->zones = p;
	struct zone *z = &im->zones[im->nz++];
	memset(z, 0, sizeof *z);
	z->tzid = xstrdup(tzid);
	const char *iana = iana_name(tzid);
	if (iana)
		zone_set_iana(z, intern_zone(im, iana));
	return z;
}

static struct zone *zone_find(struct importer *im, const char *tzid)
{
	for (size_t i = 0; i < im->nz; i++)
		if (!strcmp(im->zones[i].tzid, tzid))
			return &im->zones[i];
	return zone_add(im, tzid);
}

static void add_vtimezone(struct importer *im, icalcomponent *c, int line)
{
	icalproperty *p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
	const char *tzid = p ? icalproperty_get_tzid(p) : NULL;
	if (!tzid || !*tzid) {
		note(im, line, "a VTIMEZONE without a TZID is ignored");
		icalcomponent_free(c);
		return;
	}
	struct zone *z = zone_find(im, tzid);
	if (z->file_zone) {     /* the first definition wins */
		icalcomponent_free(c);
		return;
	}
	if (!z->iana) {         /* X-LIC-LOCATION names the zone it copies */
		for (icalproperty *x = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); x;
		     x = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
			const char *xn = icalproperty_get_x_name(x);
			const char *v = icalproperty_get_x(x);
			const char *iana = xn && !strcasecmp(xn, "X-LIC-LOCATION") ? iana_name(v) : NULL;
			if (iana) {
				zone_set_iana(z, intern_zone(im, iana));
				break;
			}
		}
	}
	icaltimezone *tz = icaltimezone_new();
	if (!icaltimezone_set_component(tz, c)) {
		icaltimezone_free(tz, 1);
		icalcomponent_free(c);
		note(im, line, "VTIMEZONE %s cannot be read; the zone's name is used", TEXT_ARG(tzid));
		return;
	}
	z->file_zone = tz;
}

static void zones_free(struct importer *im)
{
	for (size_t i = 0; i < im->nz; i++) {
		struct zone *z = &im->zones[i];
		if (z->file_zone)
			icaltimezone_free(z->file_zone, 1);
		free(z->tzid);
	}
	free(im->zones);
	strlist_free(&im->iana);
}

/* ---- one event ---- */

/* How a time property's local value becomes UTC. */
struct when {
	icaltimezone *conv;        /* NULL: the value is UTC or a date */
	const char *tzid;          /* stored zone id */
	bool all_day;
};

static const char *param_tzid(icalproperty *p)
{
	icalparameter *par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	return par ? icalparameter_get_tzid(par) : NULL;
}

/* Resolve the zone of a time property.  `dflt` is used for a local time
 * with no TZID (floating; for EXDATE and friends, the DTSTART's zone). */
static int resolve(struct importer *im, icalproperty *p, struct icaltimetype t,
                   const struct when *dflt, struct when *w, const char **why)
{
	memset(w, 0, sizeof *w);
	if (t.is_date) {
		w->all_day = true;
		return 0;
	}
	if (icaltime_is_utc(t))
		return 0;
	const char *tzid = param_tzid(p);
	if (tzid && *tzid) {
		struct zone *z = zone_find(im, tzid);
		w->conv = z->file_zone ? z->file_zone : z->builtin;
		w->tzid = z->iana;
		if (!w->conv) {
			im->zone_missing = true;
			snprintf(im->why, sizeof im->why, "unknown time zone %s (no VTIMEZONE "
			         "for it in the file, and not an IANA or Windows zone name)",
			         TEXT_ARG(tzid));
			*why = im->why;
			return -1;
		}
		if (w->conv == icaltimezone_get_utc_timezone())
			w->conv = NULL, w->tzid = NULL;
		return 0;
	}
	*w = *dflt;
	return 0;
}

static bool sane(struct icaltimetype t)
{
	return !icaltime_is_null_time(t) && t.year >= 1800 && t.year <= 2500 && t.month >= 1 &&
	       t.month <= 12 && t.day >= 1 && t.day <= icaltime_days_in_month(t.month, t.year) &&
	       t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 && t.second >= 0 &&
	       t.second <= 60;
}

static long long day_start(struct icaltimetype t)
{
	return date_utc_midnight(date_from_ymd(t.year, t.month, t.day));
}

static long long to_utc(struct icaltimetype t, const struct when *w)
{
	if (t.is_date)
		return day_start(t);
	t.zone = NULL;
	if (!w->conv)
		return day_start(t) + t.hour * 3600LL + t.minute * 60LL + t.second;
	return (long long)icaltime_as_timet_with_zone(t, w->conv);
}

/* An instant in the stored text form, appended to a comma list. */
static void add_instant(struct buf *b, long long utc)
{
	char s[21];
	buf_addf(b, "%s%s", b->len ? "," : "", tz_format_utc(utc, s));
}

/* EXDATE/RDATE/RECURRENCE-ID value to UTC: a date on a timed series
 * means that day at the series' time of day. */
static int other_instant(struct importer *im, icalproperty *p, struct icaltimetype t,
                         struct icaltimetype start, const struct when *sw, long long *utc,
                         const char **why)
{
	struct when w = {0};
	if (!sane(t))
		return *why = "a date that cannot be read", -1;
	if (t.is_date && !sw->all_day) {
		t.is_date = 0;
		t.hour = start.hour;
		t.minute = start.minute;
		t.second = start.second;
		w = *sw;
		if (icaltime_is_utc(start))
			w.conv = NULL;
	} else if (!t.is_date && sw->all_day) {
		t.is_date = 1;
		w.all_day = true;
	} else if (resolve(im, p, t, sw, &w, why) < 0) {
		return -1;
	}
	*utc = to_utc(t, &w);
	return 0;
}

static long long stamp_of(icalproperty *p)
{
	if (!p)
		return 0;
	struct icaltimetype t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (!sane(t))
		return 0;
	struct when w = {0};
	return to_utc(t, &w);
}

/* A stable UID for an event that has none, from what identifies it. */
static char *derived_uid(icalcomponent *c)
{
	static const icalproperty_kind kinds[] = {
		ICAL_SUMMARY_PROPERTY, ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY,
		ICAL_DURATION_PROPERTY, ICAL_LOCATION_PROPERTY, ICAL_RRULE_PROPERTY,
	};
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		icalproperty *p = icalcomponent_get_first_property(c, kinds[i]);
		char *s = p ? icalproperty_as_ical_string_r(p) : NULL;
		for (const char *q = s ? s : "-"; *q; q++)
			h = (h ^ (unsigned char)*q) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
		free(s);
	}
	return xasprintf("%016llx@derived.caseload", (unsigned long long)h);
}

static const char *x_value(icalcomponent *c, const char *name, icalproperty **prop)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
		const char *n = icalproperty_get_x_name(p);
		if (n && !strcasecmp(n, name)) {
			if (prop)
				*prop = p;
			return icalproperty_get_x(p);
		}
	}
	return NULL;
}

static const char *x_param(icalproperty *p, const char *name)
{
	for (icalparameter *par = icalproperty_get_first_parameter(p, ICAL_X_PARAMETER); par;
	     par = icalproperty_get_next_parameter(p, ICAL_X_PARAMETER)) {
		const char *n = icalparameter_get_xname(par);
		if (n && !strcasecmp(n, name))
			return icalparameter_get_xvalue(par);
	}
	return NULL;
}

static char *text_prop(icalcomponent *c, icalproperty_kind k)
{
	icalproperty *p = icalcomponent_get_first_property(c, k);
	const char *v = p ? icalvalue_get_text(icalproperty_get_value(p)) : NULL;
	return v && *v ? xstrdup(v) : NULL;
}

/* What our own export says about an event (X-CASELOAD-*). */
struct ours {
	bool present, minimal;
	const char *transport;
	long long patient_id;
	const char *patient_cn;
};

/* Why an event without DTSTART is not stored: a calendar's answer to an
 * invitation (iTIP, RFC 5546) names an event without saying when it is,
 * and is not an event; else the event lacks its start. */
static const char *itip_answer(enum icalproperty_method m)
{
	switch (m) {
	case ICAL_METHOD_REPLY:
		return "an iTIP REPLY (an answer to an invitation), not an event to store";
	case ICAL_METHOD_REFRESH:
		return "an iTIP REFRESH (a request for the latest version), not an event to store";
	case ICAL_METHOD_COUNTER:
		return "an iTIP COUNTER (a proposed change to an invitation), not an event to store";
	case ICAL_METHOD_DECLINECOUNTER:
		return "an iTIP DECLINECOUNTER (a refused proposal), not an event to store";
	default:
		return "no DTSTART";
	}
}

/* How the event starts: DTSTART as an instant, and how its zone turns
 * the other times of the event into instants (*sw). */
static int map_start(struct importer *im, icalcomponent *c, struct appointment *a,
                     struct icaltimetype *start, struct when *sw, const char **why)
{
	icalproperty *ps = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
	if (!ps)
		return *why = itip_answer(im->method), -1;
	*start = icalproperty_get_dtstart(ps);
	if (!sane(*start))
		return *why = "DTSTART cannot be read as a date or time", -1;
	struct when floating = {im->floating, im->o->zone, false};
	if (resolve(im, ps, *start, &floating, sw, why) < 0)
		return -1;
	a->all_day = sw->all_day;
	a->tzid = xstrdup(sw->tzid);
	a->start = to_utc(*start, sw);
	return 0;
}

/* How it ends: DTEND, else DURATION, else when it starts (an all-day
 * event lasts at least its day). */
static int map_end(struct importer *im, icalcomponent *c, struct appointment *a,
                   struct icaltimetype start, const struct when *sw, const char **why)
{
	icalproperty *pe = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY);
	icalproperty *pd = icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY);
	if (pe) {
		struct icaltimetype end = icalproperty_get_dtend(pe);
		struct when ew;
		if (!sane(end))
			return *why = "DTEND cannot be read as a date or time", -1;
		if (sw->all_day) {
			a->end = day_start(end);
		} else if (end.is_date) {
			return *why = "DTEND is a date but DTSTART a time", -1;
		} else {
			if (resolve(im, pe, end, sw, &ew, why) < 0)
				return -1;
			a->end = to_utc(end, &ew);
		}
		if (a->end < a->start)
			return *why = "DTEND is before DTSTART", -1;
	} else if (pd) {
		struct icaldurationtype d = icalproperty_get_duration(pd);
		if (d.is_neg)
			return *why = "a negative DURATION", -1;
		struct icaltimetype end = icaltime_add(start, d);
		a->end = sw->all_day ? day_start(end) : to_utc(end, sw);
	} else {
		a->end = a->start;
	}
	if (sw->all_day && a->end <= a->start)
		a->end = a->start + DAY_SECONDS;
	return 0;
}

/* The times: start, end. */
static int map_times(struct importer *im, icalcomponent *c, struct appointment *a,
                     struct icaltimetype *start, struct when *sw, const char **why)
{
	if (map_start(im, c, a, start, sw, why) < 0)
		return -1;
	return map_end(im, c, a, *start, sw, why);
}

/* Every EXDATE or RDATE (kind) as a comma list of instants in *out. */
static int map_instants(struct importer *im, icalcomponent *c, icalproperty_kind kind,
                        struct icaltimetype start, const struct when *sw, const char **out,
                        const char **why)
{
	struct buf b = {0};
	for (icalproperty *p = icalcomponent_get_first_property(c, kind); p;
	     p = icalcomponent_get_next_property(c, kind)) {
		struct icaltimetype t;
		if (kind == ICAL_RDATE_PROPERTY) {
			struct icaldatetimeperiodtype v = icalproperty_get_rdate(p);
			t = icaltime_is_null_time(v.time) ? v.period.start : v.time;
		} else {
			t = icalproperty_get_exdate(p);
		}
		long long u;
		if (other_instant(im, p, t, start, sw, &u, why) < 0) {
			buf_free(&b);
			return -1;
		}
		add_instant(&b, u);
	}
	*out = b.len ? buf_steal(&b) : NULL;
	buf_free(&b);
	return 0;
}

/* libical drops a recurrence property it cannot parse (an RRULE with an
 * escaped separator or an unknown part, an EXDATE cut short) and leaves
 * an X-LIC-ERROR "Can't parse as ... value in NAME property" in its
 * place.  The event would then silently gain or lose occurrences, so it
 * is not read at all: -1 with *why naming the property. */
static int unreadable_recurrence(struct importer *im, icalcomponent *c, const char **why)
{
	static const char *const names[] = {"RRULE", "EXRULE", "RDATE", "EXDATE", "RECURRENCE-ID"};
	static const char in_prop[] = " value in ";
	for (icalproperty *x = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); x;
	     x = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		const char *msg = icalproperty_get_xlicerror(x);
		const char *at = msg ? strstr(msg, in_prop) : NULL;
		if (!at)
			continue;
		at += sizeof in_prop - 1;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			size_t n = strlen(names[i]);
			if (strncmp(at, names[i], n) != 0 || strncmp(at + n, " property", 9) != 0)
				continue;
			snprintf(im->why, sizeof im->why, "its %s cannot be read, so which occurrences "
			         "it has is not known", names[i]);
			*why = im->why;
			return -1;
		}
	}
	return 0;
}

/* The repetition: an override's RECURRENCE-ID, or a series' RRULE, RDATEs
 * and EXDATEs, and when the series ends. */
static int map_recurrence(struct importer *im, icalcomponent *c, struct appointment *a,
                          struct icaltimetype start, const struct when *sw, const char **why)
{
	if (unreadable_recurrence(im, c, why) < 0)
		return -1;
	icalproperty *pr = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY);
	if (pr) {
		long long rid;
		if (other_instant(im, pr, icalproperty_get_recurrenceid(pr), start, sw, &rid, why) < 0)
			return -1;
		char s[21];
		a->recurrence_id = xstrdup(tz_format_utc(rid, s));
		return 0;
	}
	icalproperty *prr = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
	if (prr) {
		struct icalrecurrencetype r = icalproperty_get_rrule(prr);
		if (r.rscale && *r.rscale)
			return *why = "RRULE with RSCALE (a non-Gregorian calendar) is not supported", -1;
		if (r.freq != ICAL_NO_RECURRENCE)
			a->rrule = icalrecurrencetype_as_string_r(&r);
		if (icalcomponent_get_next_property(c, ICAL_RRULE_PROPERTY))
			note(im, im->line, "only the first of several RRULEs is kept");
	}
	if (map_instants(im, c, ICAL_EXDATE_PROPERTY, start, sw, &a->exdate, why) < 0 ||
	    map_instants(im, c, ICAL_RDATE_PROPERTY, start, sw, &a->rdate, why) < 0)
		return -1;
	if (!a->rrule && !a->rdate)
		return 0;
	if (sw->conv && !sw->tzid)
		note(im, im->line, "zone %s has no IANA name: the series repeats at "
		     "fixed UTC times", TEXT_ARG(param_tzid(icalcomponent_get_first_property(
		                                      c, ICAL_DTSTART_PROPERTY))));
	struct err e = {0};
	if (recur_series_end(a, &a->series_end, &e) < 0)
		return *why = "its RRULE cannot be expanded", -1;
	return 0;
}

/* What the event says in words and versions: UID, summary, location,
 * description, SEQUENCE, time stamps, status. */
static void map_text(struct importer *im, icalcomponent *c, struct appointment *a)
{
	const char *uid = icalcomponent_get_uid(c);
	a->uid = uid && *uid ? xstrdup(uid) : derived_uid(c);
	a->title = text_prop(c, ICAL_SUMMARY_PROPERTY);
	a->location = text_prop(c, ICAL_LOCATION_PROPERTY);
	a->notes = text_prop(c, ICAL_DESCRIPTION_PROPERTY);
	a->sequence = icalcomponent_get_sequence(c);
	if (a->sequence < 0)
		a->sequence = 0;
	a->dtstamp = stamp_of(icalcomponent_get_first_property(c, ICAL_DTSTAMP_PROPERTY));
	a->last_modified = stamp_of(icalcomponent_get_first_property(c, ICAL_LASTMODIFIED_PROPERTY));
	enum icalproperty_status st = icalcomponent_get_status(c);
	a->status = xstrdup(im->method_cancel || st == ICAL_STATUS_CANCELLED ? "cancelled"
	                    : st == ICAL_STATUS_TENTATIVE ? "pending" : "booked");
}

/* What our own export added (X-CASELOAD-*): the detail (a minimal export
 * has no notes; a full one's DESCRIPTION is the notes, then the provider
 * lines), the transport, the FHIR status, the patient. */
static void map_caseload_extras(icalcomponent *c, struct appointment *a, struct ours *ours)
{
	icalproperty *px = NULL;
	const char *detail = x_value(c, X_CASELOAD_DETAIL, &px);
	if (detail) {
		ours->present = true;
		ours->minimal = !strcasecmp(detail, "minimal");
		const char *len = x_param(px, X_NOTES_LENGTH);
		if (a->notes && len) {
			size_t n = (size_t)strtoul(len, NULL, 10);
			if (n < strlen(a->notes)) {
				char *cut = xasprintf("%.*s", (int)n, a->notes);
				str_free(a->notes);
				a->notes = cut;
			}
		}
		if (a->notes && (ours->minimal || (len && !strcmp(len, "0")))) {
			str_free(a->notes);
			a->notes = NULL;
		}
		const char *tr = x_value(c, X_CASELOAD_TRANSPORT, NULL);
		if (tr && code_find(&TRANSPORT, tr) >= 0)
			ours->transport = tr;
		/* the FHIR status, unless STATUS says otherwise */
		const char *fs = x_value(c, X_CASELOAD_STATUS, NULL);
		bool cancelled = code_find(&APPT_STATUS, a->status) == APPT_CANCELLED;
		int fs_code = code_find(&APPT_STATUS, fs);
		bool fs_cancel = fs_code == APPT_CANCELLED || fs_code == APPT_ENTERED_IN_ERROR;
		if (fs && code_find(&APPT_STATUS, fs) >= 0 && cancelled == fs_cancel)
			str_set(&a->status, fs);
	}
	icalproperty *pp = NULL;
	const char *pid = x_value(c, X_CASELOAD_PATIENT, &pp);
	if (pid) {
		ours->patient_id = strtoll(pid, NULL, 10);
		icalparameter *cn = icalproperty_get_first_parameter(pp, ICAL_CN_PARAMETER);
		ours->patient_cn = cn ? icalparameter_get_cn(cn) : NULL;
	}
}

/* Map a VEVENT onto an appointment.  -1 with *why for an unusable one. */
static int map_event(struct importer *im, icalcomponent *c, struct appointment *a,
                     struct ours *ours, const char **why)
{
	struct icaltimetype start;
	struct when sw;
	if (map_times(im, c, a, &start, &sw, why) < 0 ||
	    map_recurrence(im, c, a, start, &sw, why) < 0)
		return -1;
	map_text(im, c, a);
	map_caseload_extras(c, a, ours);
	return 0;
}

static int by_cn(struct importer *im, const char *cn, long long *id, struct err *e)
{
	const char *family = NULL, *given = NULL;
	*id = 0;
	if (!cn || !*cn || patient_split_name(cn, &family, &given) < 0)
		return 0;
	int rc = store_patient_by_name(im->s, family, given, id, e);
	str_free(family);
	str_free(given);
	return rc;
}

/* The next line of a list of lines into *out (replacing what it held);
 * false at the end. */
static bool next_line(const char **p, char **out)
{
	if (!*p || !**p)
		return false;
	size_t n = strcspn(*p, "\n");
	free(*out);
	*out = xasprintf("%.*s", (int)n, *p);
	*p += n + ((*p)[n] == '\n');
	return true;
}

/* Which patient a row's attendees matched, kept while no other
 * connection writes: the calendar of a clinic names the same few
 * thousand patients again and again, and each look-up is a name folded
 * and two statements.  The import writes no patient, so while the
 * database's data version (read in each batch's write transaction) is
 * the one the memo was made at, the answer is the one the look-ups
 * would give; another commit in between forgets it (on PostgreSQL the
 * version moves with the import's own writes, so it lasts a batch, in
 * which the advisory lock of every caseload write keeps other writers
 * out).  Keyed by the row's emails and CNs; at most IMPORT_MEMO_ROWS. */
#define IMPORT_MEMO_ROWS 8192
static char *memo_key(const struct stage_row *r)
{
	/* (neither list has an empty line: a blank line parts them) */
	const char *m = r->emails ? r->emails : "", *c = r->cns ? r->cns : "";
	size_t nm = strlen(m), nc = strlen(c);
	char *key = xmalloc(nm + nc + 3);
	memcpy(key, m, nm);
	memcpy(key + nm, "\n\n", 2);
	memcpy(key + nm + 2, c, nc + 1);
	return key;
}

/* The key's slot: its entry, or the empty one where it would go. */
static struct attendee_memo *memo_slot(struct importer *im, const char *key)
{
	if (!im->capmemo) {
		im->capmemo = (size_t)2 * IMPORT_MEMO_ROWS;
		im->memo = xcalloc(im->capmemo, sizeof *im->memo);
	}
	uint32_t h = 2166136261u;   /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 16777619u;
	size_t mask = im->capmemo - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask)
		if (!im->memo[i].key || !strcmp(im->memo[i].key, key))
			return &im->memo[i];
}

static void memo_clear(struct importer *im)
{
	for (size_t i = 0; i < im->capmemo; i++)
		free(im->memo[i].key);
	free(im->memo);
	im->memo = NULL;
	im->nmemo = im->capmemo = 0;
}

/* Which patient: --patient, X-CASELOAD-PATIENT, ATTENDEE mailto, ATTENDEE
 * CN (the staged row's emails and cns, one a line).  0 when none matches. */
static int match_patient(struct importer *im, const struct stage_row *r,
                         const struct ours *ours, long long *id, struct err *e)
{
	*id = im->patient_id;
	if (*id)
		return 0;
	if (ours->patient_id > 0) {
		struct patient p = {0};
		struct err ignore = {0};
		if (store_patient_get(im->s, ours->patient_id, &p, &ignore) == 0) {
			/* the name it was exported with, accents and case aside */
			char *name = patient_display_name(p.family, p.given);
			char *a = fold(name), *b = ours->patient_cn ? fold(ours->patient_cn) : NULL;
			bool same = !b || !strcmp(a, b);
			free(name);
			free(a);
			free(b);
			patient_clear(&p);
			if (same)
				return *id = ours->patient_id, 0;
		}
		int rc = by_cn(im, ours->patient_cn, id, e);
		if (rc < 0 || *id)
			return rc;
	}
	char *key = memo_key(r);
	struct attendee_memo *m = memo_slot(im, key);
	if (m->key) {
		free(key);
		return *id = m->id, 0;
	}
	int rc = 0;
	char *one = NULL;
	for (const char *p = r->emails; rc == 0 && !*id && next_line(&p, &one);)
		rc = store_patient_by_email(im->s, one, id, e);
	for (const char *p = r->cns; rc == 0 && !*id && next_line(&p, &one);)
		rc = by_cn(im, one, id, e);
	free(one);
	if (rc == 0 && im->nmemo < IMPORT_MEMO_ROWS) {
		*m = (struct attendee_memo){key, *id};
		im->nmemo++;
		key = NULL;
	}
	free(key);
	return rc < 0 ? e->code : 0;
}

/* What match_patient reads of the ATTENDEEs, kept in the staged row:
 * their mailto addresses and their CNs, each in file order, one a line. */
static void stage_attendees(icalcomponent *c, struct stage_row *r)
{
	struct buf emails = {0}, cns = {0};
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
		const char *v = icalproperty_get_attendee(p);
		if (v && !strncasecmp(v, "mailto:", 7) && v[7] && !strchr(v, '\n'))
			buf_addf(&emails, "%s%s", emails.len ? "\n" : "", v + 7);
		icalparameter *cn = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
		const char *name = cn ? icalparameter_get_cn(cn) : NULL;
		if (name && *name && !strchr(name, '\n'))
			buf_addf(&cns, "%s%s", cns.len ? "\n" : "", name);
	}
	r->emails = emails.len ? buf_steal(&emails) : NULL;
	r->cns = cns.len ? buf_steal(&cns) : NULL;
	buf_free(&emails);
	buf_free(&cns);
}

/* The fields an import sets are equal. */
static bool same_content(const struct appointment *x, const struct appointment *y)
{
	return x->patient_id == y->patient_id && x->start == y->start && x->end == y->end &&
	       x->all_day == y->all_day && str_eq(x->tzid, y->tzid) &&
	       str_eq(x->title, y->title) && str_eq(x->location, y->location) &&
	       str_eq(x->notes, y->notes) && str_eq(x->rrule, y->rrule) &&
	       str_eq(x->rdate, y->rdate) && str_eq(x->exdate, y->exdate) &&
	       str_eq(x->status, y->status) && str_eq(x->transport, y->transport);
}

/* Statuses the coordinator sets after the fact; a file saying "booked"
 * again does not undo them. */
static bool local_progress(const char *status)
{
	static const char *const kept[] = {"arrived", "fulfilled", "noshow", "checked-in",
	                                   "entered-in-error"};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (status && !strcmp(status, kept[i]))
			return true;
	return false;
}

static int skip(struct importer *im, int line, const char *uid, const char *why)
{
	im->sum->skipped++;
	/* a UID names the event; past TEXT_ARG_CHARS it is cut, not echoed */
	if (uid && text_width(uid) > TEXT_ARG_CHARS)
		note(im, line, "skipped (UID %.*s…): %s", (int)text_prefix_bytes(uid, TEXT_ARG_CHARS - 1),
		     uid, why);
	else if (uid)
		note(im, line, "skipped (UID %s): %s", uid, why);
	else
		note(im, line, "skipped: %s", why);
	return 0;
}

/* Which of two versions of an event is newer: SEQUENCE, then
 * LAST-MODIFIED (or DTSTAMP when either lacks it). */
static int compare_version(const struct appointment *n, const struct appointment *o)
{
	if (n->sequence != o->sequence)
		return n->sequence > o->sequence ? 1 : -1;
	long long a = n->last_modified, b = o->last_modified;
	if (!a || !b)
		a = n->dtstamp, b = o->dtstamp;
	return a > b ? 1 : a < b ? -1 : 0;
}

/* An event that names what it cancels by UID alone (METHOD:CANCEL with no
 * DTSTART) cancels that appointment. */
static int apply_cancel(struct importer *im, const char *uid, int sequence, int line,
                        struct err *e)
{
	struct appointment old = {0};
	int rc = store_appt_by_uid(im->s, uid, "", &old, e);
	if (rc == ERR_NOTFOUND) {
		rc = skip(im, line, uid, "it cancels an appointment that is not here");
	} else if (rc < 0) {
		/* the store's error stands */
	} else if (code_find(&APPT_STATUS, old.status) == APPT_CANCELLED) {
		im->sum->unchanged++;
	} else if (sequence < old.sequence) {
		skip(im, line, uid, "an older cancel (lower SEQUENCE) than the stored version");
	} else {
		str_set(&old.status, "cancelled");
		old.sequence = sequence;
		if ((rc = store_appt_update(im->s, &old, e)) == 0) {
			im->sum->cancelled++;
			change_note(&im->change, CHANGE_APPT, old.patient_id);
		}
	}
	appointment_clear(&old);
	return rc;
}

/* A new appointment from the event, for patient pid (0: unassigned). */
static int insert_new(struct importer *im, struct appointment *a, const struct ours *ours,
                      long long pid, struct err *e)
{
	a->patient_id = pid;
	str_set(&a->transport, ours->transport ? ours->transport : "none");
	if (ours->minimal && !a->title)
		a->title = xstrdup("Appointment");
	str_set(&a->source, im->source);
	a->booked_at = im->booked_at;
	if (store_appt_add(im->s, a, e) < 0)
		return e->code;
	change_note(&im->change, CHANGE_APPT, a->patient_id);
	if (code_find(&APPT_STATUS, a->status) == APPT_CANCELLED)
		im->sum->cancelled++;
	else
		im->sum->added++;
	if (!a->patient_id)
		im->sum->unassigned++;
	return 0;
}

/* The stored version with what the file says laid over it: times, zone,
 * rules, status (a visit's outcome set by hand stays unless the file
 * cancels), our export's transport; title, notes and location unless the
 * file is our minimal export, which has none of them. */
static void overlay(struct appointment *m, const struct appointment *old,
                    const struct appointment *a, const struct ours *ours, long long pid)
{
	appointment_copy(m, old);
	if (pid)
		m->patient_id = pid;
	m->start = a->start;
	m->end = a->end;
	m->all_day = a->all_day;
	str_set(&m->tzid, a->tzid);
	if (!ours->minimal) {
		str_set(&m->title, a->title ? a->title : "");
		str_set(&m->notes, a->notes);
		str_set(&m->location, a->location);
	}
	str_set(&m->rrule, a->rrule);
	str_set(&m->rdate, a->rdate);
	str_set(&m->exdate, a->exdate);
	m->series_end = a->series_end;
	if (!(local_progress(old->status) && code_find(&APPT_STATUS, a->status) != APPT_CANCELLED))
		str_set(&m->status, a->status);
	if (ours->transport)
		str_set(&m->transport, ours->transport);
	m->sequence = a->sequence;
	m->dtstamp = a->dtstamp;
	m->last_modified = a->last_modified;
}

/* The event is already here: unchanged, an update when it is newer, or
 * skipped when it is older or the same version saying something else. */
static int merge_existing(struct importer *im, const struct appointment *a,
                          const struct appointment *old, const struct ours *ours,
                          long long pid, int line, struct err *e)
{
	struct appointment m = {0};
	int rc = 0;
	overlay(&m, old, a, ours, pid);
	int newer = compare_version(a, old);
	if (same_content(&m, old)) {
		im->sum->unchanged++;
	} else if (newer < 0) {
		char why[96];
		snprintf(why, sizeof why, "older than the stored version (SEQUENCE %d, stored %d)",
		         a->sequence, old->sequence);
		skip(im, line, a->uid, why);
	} else if (newer == 0) {
		skip(im, line, a->uid, "same SEQUENCE and time stamp as the stored version but "
		                       "different content; the stored one is kept");
	} else if ((rc = store_appt_update(im->s, &m, e)) == 0) {
		change_note(&im->change, CHANGE_APPT, old->patient_id);
		change_note(&im->change, CHANGE_APPT, m.patient_id);
		if (code_find(&APPT_STATUS, m.status) == APPT_CANCELLED &&
		    code_find(&APPT_STATUS, old->status) != APPT_CANCELLED)
			im->sum->cancelled++;
		else
			im->sum->updated++;
	}
	appointment_clear(&m);
	return rc;
}

/* A usable event, keyed by (UID, RECURRENCE-ID): its patient is matched
 * when it is new, unassigned, or the import names one; then it is
 * inserted or merged, against the rows as they are now. */
static int upsert(struct importer *im, struct stage_row *r, const struct ours *ours,
                  struct err *e)
{
	struct appointment old = {0};
	struct appointment *a = &r->a;
	int rc = store_appt_by_uid(im->s, a->uid, a->recurrence_id, &old, e);
	bool exists = rc == 0;
	long long pid = 0;
	if (rc == 0 || rc == ERR_NOTFOUND)
		rc = 0;
	if (rc == 0 && (!exists || !old.patient_id || im->patient_id))
		rc = match_patient(im, r, ours, &pid, e);
	if (rc == 0)
		rc = exists ? merge_existing(im, a, &old, ours, pid, r->line, e)
		            : insert_new(im, a, ours, pid, e);
	appointment_clear(&old);
	return rc;
}

/* The series' occurrence on the local day `date` (the first, when it
 * has several that day); 1 when it has none. */
static int series_on_day(const struct appointment *m, int date, long long *out,
                         struct err *e)
{
	const char *zone = m->tzid && *m->tzid ? m->tzid : "UTC";
	struct occurrence_list occ = {0};
	int rc = recur_expand(m, tz_local_midnight(zone, date), tz_local_midnight(zone, date + 1),
	                      &occ, e);
	long long best = 0;
	bool found = false;
	for (size_t i = 0; rc == 0 && i < occ.len; i++)
		if (!found || occ.items[i].original_start < best)
			best = occ.items[i].original_start, found = true;
	occurrence_list_free(&occ);
	if (rc < 0)
		return rc;
	if (!found)
		return 1;
	*out = best;
	return 0;
}

/* RFC 5545 gives a RECURRENCE-ID the value type of the series' DTSTART.
 * An override that names a date while its series starts at a time (or a
 * time while the series is all-day) means the series' occurrence on that
 * day: its key is set to that occurrence, so that it replaces it.  When
 * the series is not stored yet, the override waits for the end of the
 * calendar (*wait); then, with no series, its key stays as read. */
static int align_override(struct importer *im, struct stage_row *r, bool *wait,
                          struct err *e)
{
	struct appointment *a = &r->a;
	*wait = false;
	if (!r->has_rid || !a->recurrence_id)
		return 0;
	struct appointment m = {0};
	int rc = store_appt_by_uid(im->s, a->uid, "", &m, e);
	if (rc == ERR_NOTFOUND) {
		*wait = !im->final;
		return 0;
	}
	long long rid = 0;
	bool moved = false;
	if (rc < 0) {
		/* the store's error stands */
	} else if (m.all_day && !r->rid_is_date) {
		rid = date_utc_midnight(r->rid_day), moved = true;
	} else if (!m.all_day && r->rid_is_date) {
		rc = series_on_day(&m, r->rid_day, &rid, e);
		moved = rc == 0;    /* 1: not a day of the series; the key stays as read */
	}
	if (moved) {
		char s[21];
		str_set(&a->recurrence_id, tz_format_utc(rid, s));
	}
	appointment_clear(&m);
	return rc < 0 ? rc : 0;
}

/* ---- the batches: short write transactions ---- */

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Test only: CASELOAD_IMPORT_STOP=staging, ready or merge kills the
 * import (SIGKILL, as a crash or kill -9 would) once the first staging
 * batch is committed, right after the run is marked ready, or once the
 * first merge batch is committed (tests/cli/import_stage.sh);
 * pause-merge stops it there (SIGSTOP) until a SIGCONT, once. */
static void stop_here(const char *phase)
{
	static bool paused;
	const char *stop = getenv("CASELOAD_IMPORT_STOP");
	if (stop && !strcmp(stop, phase))
		raise(SIGKILL);
	if (stop && !strncmp(stop, "pause-", 6) && !strcmp(stop + 6, phase) && !paused) {
		paused = true;
		raise(SIGSTOP);
	}
}

static int batch_open(struct importer *im, struct err *e)
{
	if (im->in_batch)
		return 0;
	if (store_begin_bulk(im->s, e) < 0)
		return e->code;
	long long version = store_data_version(im->s);
	if (version < 0 || version != im->memo_version)
		memo_clear(im);      /* (a version not read: nothing kept) */
	im->memo_version = version;
	im->in_batch = true;
	im->batch_rows = 0;
	im->batch_start = seconds();
	return 0;
}

/* Commit the open batch, then give a writer waiting for the lock (its
 * busy handler polls every few milliseconds) the time to take it. */
static int batch_close(struct importer *im, struct err *e)
{
	if (!im->in_batch)
		return 0;
	im->in_batch = false;
	if (store_run_beat(im->s, im->run_id, e) < 0) {
		store_rollback(im->s);
		return e->code;
	}
	if (store_commit(im->s, e) < 0)
		return e->code;
	if (!im->dry_run) {
		struct timespec pause = {0, IMPORT_YIELD_MS * 1000000L};
		nanosleep(&pause, NULL);
	}
	return 0;
}

static void batch_abort(struct importer *im)
{
	if (im->in_batch)
		store_rollback(im->s);
	im->in_batch = false;
	memo_clear(im);
}

static int batch_rows_max(void)
{
	return getenv("CASELOAD_IMPORT_STOP") ? IMPORT_TEST_BATCH_ROWS : IMPORT_BATCH_ROWS;
}

static int fetch_rows_max(void)
{
	return getenv("CASELOAD_IMPORT_STOP") ? IMPORT_TEST_FETCH_ROWS : IMPORT_FETCH_ROWS;
}

static double batch_seconds_max(void)
{
	return getenv("CASELOAD_IMPORT_STOP") ? 0 : IMPORT_BATCH_SECONDS;
}

/* The events whose UIDs and starts cut the merge's ranges
 * (stage_order.c).  Test only: CASELOAD_IMPORT_SAMPLE sets another
 * number, so that a small file has cells (0: none, file order). */
#define ORDER_SAMPLE 4096
static int order_sample(void)
{
	const char *v = getenv("CASELOAD_IMPORT_SAMPLE");
	char *end = NULL;
	long n = v ? strtol(v, &end, 10) : -1;
	return v && *v && !*end && n >= 0 && n <= ORDER_SAMPLE ? (int)n : ORDER_SAMPLE;
}

static bool batch_full(const struct importer *im)
{
	return im->batch_rows >= im->batch_max ||
	       (im->batch_seconds > 0 && seconds() - im->batch_start >= im->batch_seconds);
}

/* ---- staging: the file into import_stage ---- */

/* One row more, in the open batch (committed when it is full). */
static int stage(struct importer *im, const struct stage_row *r, struct err *e)
{
	long long id = stage_order_id(&im->order, r->kind, r->a.uid, r->a.start);
	if (batch_open(im, e) < 0 || store_stage_add(im->s, im->run_id, id, r, e) < 0)
		return e->code;
	im->batch_rows++;
	if (!batch_full(im))
		return 0;
	if (batch_close(im, e) < 0)
		return e->code;
	stop_here("staging");
	return 0;
}

static void stage_note(struct importer *im, int line, const char *text)
{
	struct stage_row r = {.kind = STAGE_NOTE, .line = line, .text = text};
	if (im->stage_rc == 0)
		im->stage_rc = stage(im, &r, &im->stage_err);
}

static int stage_skip(struct importer *im, int line, const char *uid, const char *why,
                      struct err *e)
{
	struct stage_row r = {.kind = STAGE_SKIP, .line = line, .text = why};
	r.a.uid = uid;
	im->staged++;
	return stage(im, &r, e);
}

/* An unusable event: a cancel by UID alone (METHOD:CANCEL with no
 * DTSTART) when it is one, else skipped with `why`. */
static int stage_unusable(struct importer *im, icalcomponent *c, int line, const char *why,
                          struct err *e)
{
	const char *uid = icalcomponent_get_uid(c);
	bool cancel_only = im->method_cancel && uid && *uid &&
	                   !icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
	if (!cancel_only)
		return stage_skip(im, line, uid, why, e);
	if (icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY))
		/* the override's key needs a DTSTART's zone: use the series' */
		return stage_skip(im, line, uid, "a cancelled occurrence without DTSTART", e);
	struct stage_row r = {.kind = STAGE_CANCEL, .line = line};
	r.a.uid = uid;
	r.a.sequence = icalcomponent_get_sequence(c);
	im->staged++;
	return stage(im, &r, e);
}

/* Keep an event whose zone is not known yet (its VTIMEZONE may come
 * later in the calendar).  False when it cannot wait. */
static bool wait_for_zone(struct importer *im, icalcomponent *c, int line)
{
	if (!im->zone_missing || im->final || im->nlater >= MAX_LATER)
		return false;
	void *p = im->later;
	xgrow(&p, &im->caplater, im->nlater + 1, sizeof *im->later);
	im->later = p;
	im->later[im->nlater++] = (struct later){c, line};
	return true;
}

/* One VEVENT mapped and staged: 0 done (c is the caller's to free), 1
 * kept for later (c is ours), negative on a store error. */
static int stage_event(struct importer *im, icalcomponent *c, int line, struct err *e)
{
	struct stage_row r = {.kind = STAGE_EVENT, .line = line};
	struct ours ours = {0};
	const char *why = NULL;
	im->line = line;
	im->zone_missing = false;
	int rc = map_event(im, c, &r.a, &ours, &why);
	if (rc < 0 && wait_for_zone(im, c, line)) {
		stage_row_clear(&r);
		return 1;     /* tried again at the end of the calendar */
	}
	if (im->stage_rc < 0) {   /* a note could not be staged */
		stage_row_clear(&r);
		*e = im->stage_err;
		return e->code;
	}
	if (rc < 0) {
		stage_row_clear(&r);
		return stage_unusable(im, c, line, why, e);
	}
	icalproperty *pr = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY);
	if (pr && r.a.recurrence_id) {
		struct icaltimetype t = icalproperty_get_recurrenceid(pr);
		r.has_rid = true;
		r.rid_is_date = t.is_date;
		r.rid_day = date_from_ymd(t.year, t.month, t.day);
	}
	r.minimal = ours.minimal;
	r.a.transport = ours.transport ? xstrdup(ours.transport) : NULL;
	r.x_patient = ours.patient_id;
	r.x_patient_cn = ours.patient_cn ? xstrdup(ours.patient_cn) : NULL;
	stage_attendees(c, &r);
	im->staged++;
	rc = stage(im, &r, e);
	stage_row_clear(&r);
	return rc;
}

/* ---- what the reader hands over ---- */

static void on_calendar_begin(void *ctx)
{
	struct importer *im = ctx;
	im->method_cancel = false;
	im->method = ICAL_METHOD_NONE;
}

static void on_calendar_property(void *ctx, const char *line)
{
	struct importer *im = ctx;
	if (strncasecmp(line, "METHOD:", 7) != 0)
		return;
	icalproperty *p = icalproperty_new_from_string(line);
	im->method = p ? icalproperty_get_method(p) : ICAL_METHOD_NONE;
	im->method_cancel = im->method == ICAL_METHOD_CANCEL;
	if (p)
		icalproperty_free(p);
}

static int on_component(void *ctx, icalcomponent *c, int line, long long bytes_read,
                        struct err *e)
{
	struct importer *im = ctx;
	icalcomponent_kind kind = icalcomponent_isa(c);
	if (kind == ICAL_VTIMEZONE_COMPONENT) {
		add_vtimezone(im, c, line);
		return im->stage_rc < 0 ? (*e = im->stage_err, e->code) : 0;
	}
	int rc = kind == ICAL_VEVENT_COMPONENT ? stage_event(im, c, line, e) : 0;
	if (rc == 1)
		return 0;
	icalcomponent_free(c);
	if (rc == 0 && kind == ICAL_VEVENT_COMPONENT && im->o->progress &&
	    im->staged % PROGRESS_EVERY == 0)
		im->o->progress(im->o->progress_ctx, im->staged, bytes_read, im->bytes_total);
	return rc;
}

/* The end of a calendar: the events that waited for a zone, once more;
 * then the end itself, where the merge gives the overrides that waited
 * for their series their last chance. */
static int on_calendar_end(void *ctx, struct err *e)
{
	struct importer *im = ctx;
	int rc = 0;
	im->final = true;
	for (size_t i = 0; i < im->nlater; i++) {
		if (rc == 0)
			rc = stage_event(im, im->later[i].c, im->later[i].line, e);
		icalcomponent_free(im->later[i].c);
	}
	im->final = false;
	im->nlater = 0;
	struct stage_row end = {.kind = STAGE_END, .line = im->line};
	return rc < 0 ? rc : stage(im, &end, e);
}

static void on_note(void *ctx, int line, const char *text)
{
	note(ctx, line, "%s", text);
}

static void on_too_large(void *ctx, const char *kind, int line, long long max_component)
{
	struct importer *im = ctx;
	if (strcasecmp(kind, "VEVENT") != 0) {
		note(im, line, "a %s larger than %lld KB is ignored (import_max_component_kb)", kind,
		     max_component / 1024);
		return;
	}
	snprintf(im->why, sizeof im->why, "an event larger than %lld KB "
	         "(import_max_component_kb)", max_component / 1024);
	if (im->stage_rc == 0)
		im->stage_rc = stage_skip(im, line, NULL, im->why, &im->stage_err);
}

static const struct ical_reader_ops import_ops = {
	.calendar_begin = on_calendar_begin,
	.calendar_property = on_calendar_property,
	.component = on_component,
	.calendar_end = on_calendar_end,
	.note = on_note,
	.too_large = on_too_large,
};

/* ---- merging: import_stage into the appointments ---- */

static int merge_row(struct importer *im, struct stage_row *r, struct err *e);

/* The end of a calendar: the overrides that waited for their series, in
 * file order, with their keys as read when the series is still not here. */
static int merge_waiting(struct importer *im, struct err *e)
{
	struct stage_row *rows = xcalloc(MAX_LATER, sizeof *rows);
	int n = 0;
	int rc = store_stage_next(im->s, im->run_id, true, MAX_LATER, rows, &n, e);
	im->final = true;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = merge_row(im, &rows[i], e);
	im->final = false;
	if (rc == 0 && n > 0)
		rc = store_stage_delete_upto(im->s, im->run_id, rows[n - 1].id, true, e);
	for (int i = 0; i < n; i++)
		stage_row_clear(&rows[i]);
	free(rows);
	im->nwaiting = 0;
	return rc;
}

static int merge_event(struct importer *im, struct stage_row *r, struct err *e)
{
	bool wait = false;
	if (align_override(im, r, &wait, e) < 0)
		return e->code;
	if (wait && im->nwaiting < MAX_LATER) {
		im->nwaiting++;
		return store_stage_set_waiting(im->s, r->id, e);
	}
	im->sum->events++;
	/* ours.transport is the row's, moved out so that the row's own
	 * transport can be set */
	const char *transport = r->a.transport;
	r->a.transport = NULL;
	struct ours ours = {.present = true, .minimal = r->minimal, .transport = transport,
	                    .patient_id = r->x_patient, .patient_cn = r->x_patient_cn};
	int rc = upsert(im, r, &ours, e);
	str_free(transport);
	return rc;
}

static int merge_row(struct importer *im, struct stage_row *r, struct err *e)
{
	switch (r->kind) {
	case STAGE_NOTE:
		note(im, r->line, "%s", r->text ? r->text : "");
		return 0;
	case STAGE_SKIP:
		im->sum->events++;
		return skip(im, r->line, r->a.uid, r->text ? r->text : "");
	case STAGE_CANCEL:
		im->sum->events++;
		return apply_cancel(im, r->a.uid, r->a.sequence, r->line, e);
	case STAGE_END:
		return merge_waiting(im, e);
	case STAGE_EVENT:
		break;
	}
	return merge_event(im, r, e);
}

/* One batch: the next rows in file order (read IMPORT_FETCH_ROWS at a
 * time), each decided against the rows as they are now, then deleted from
 * the stage, in one short transaction.  *done when there were none left. */
static int merge_batch(struct importer *im, struct stage_row *rows, bool *done,
                       struct err *e)
{
	int rc = batch_open(im, e), merged = 0, n = 1, fetch = fetch_rows_max();
	bool full = false;
	*done = false;
	while (rc == 0 && !full && n > 0) {
		int i = 0;
		n = 0;
		rc = store_stage_next(im->s, im->run_id, false, fetch, rows, &n, e);
		for (; rc == 0 && i < n && !(full = merged > 0 && batch_full(im));
		     i++, merged++, im->batch_rows++) {
			im->note_key = stage_order_key(rows[i].id);
			rc = merge_row(im, &rows[i], e);
		}
		if (rc == 0 && i > 0)
			rc = store_stage_delete_upto(im->s, im->run_id, rows[i - 1].id, false, e);
		for (int j = 0; j < n; j++)
			stage_row_clear(&rows[j]);
	}
	*done = rc == 0 && merged == 0;   /* none were left */
	if (rc < 0) {
		batch_abort(im);
		return rc;
	}
	if (batch_close(im, e) < 0)
		return e->code;
	im->merged += merged;
	if (im->o && im->o->merging && !*done)
		im->o->merging(im->o->progress_ctx, im->merged, im->staged);
	return 0;
}

/* Merge what the run staged, batch by batch, then mark it merged.  The
 * batches' writes are one change group, the run's (undone as a whole by
 * `import --undo RUN`). */
static int merge(struct importer *im, struct err *e)
{
	struct stage_row *rows = xcalloc(IMPORT_FETCH_ROWS, sizeof *rows);
	bool done = false;
	int rc = 0;
	if (!im->dry_run) {
		char what[64];
		snprintf(what, sizeof what, "imported run %lld", im->run_id);
		rc = store_undo_run_begin(im->s, im->run_id, what, e);
	}
	im->sum->run_id = im->run_id;
	while (rc == 0 && !done) {
		rc = merge_batch(im, rows, &done, e);
		if (rc == 0 && !done)
			stop_here("merge");
	}
	free(rows);
	im->note_key = LLONG_MAX;
	notes_in_file_order(im);
	if (rc == 0 && (rc = batch_open(im, e)) == 0 &&
	    (rc = store_run_state(im->s, im->run_id, "merged", e)) < 0)
		batch_abort(im);
	rc = rc < 0 ? rc : batch_close(im, e);
	if (!im->dry_run)
		store_undo_run_end(im->s);
	return rc;
}

/* ---- runs: one import at a time, and what a killed one left ---- */

/* Whether the process that runs r is still at it: it wrote in the last
 * IMPORT_STALE_SECONDS (a live import writes every batch) and, on this
 * host, its pid is alive and not this process's (a run of ours is one
 * that failed earlier).  A run taken for dead by mistake stops at its
 * next write (store_run_beat finds it gone). */
static bool run_alive(const struct import_run *r, const char *host, long long now)
{
	if (now - r->beat >= IMPORT_STALE_SECONDS)
		return false;
	if (host && r->host && !strcmp(r->host, host)) {
		if (r->pid == (long long)getpid() || r->pid <= 0)
			return false;
		return kill((pid_t)r->pid, 0) == 0 || errno != ESRCH;
	}
	return true;
}

static void host_name(char *host, size_t size)
{
	if (gethostname(host, size) < 0)
		snprintf(host, size, "unknown");
	host[size - 1] = '\0';
}

/* Delete what a run that never became ready staged, a batch at a time,
 * then the run. */
static int drop_run(struct store *s, long long run_id, struct err *e)
{
	bool left = true;
	while (left) {
		if (store_begin(s, e) < 0)
			return e->code;
		if (store_stage_drop(s, run_id, IMPORT_BATCH_ROWS, &left, e) < 0 ||
		    (!left && store_run_delete(s, run_id, e) < 0)) {
			store_rollback(s);
			return e->code;
		}
		if (store_commit(s, e) < 0)
			return e->code;
	}
	return 0;
}

/* Add what one change says to another. */
static void change_merge(struct change *to, const struct change *from)
{
	change_note(to, from->kinds, from->patient_id);
	if (from->many)
		to->many = true;
}

/* Finish a ready run that a killed process left: merged as its own
 * process would have (its summary is not kept). */
static int finish_run(struct store *s, const struct import_run *r, bool dry_run,
                      struct change *ch, struct err *e)
{
	struct ical_summary sum = {0};
	struct importer im = {.s = s, .sum = &sum, .run_id = r->id, .patient_id = r->patient_id,
	                      .booked_at = r->booked_at, .source = xstrdup(r->source),
	                      .dry_run = dry_run, .batch_max = batch_rows_max(),
	                      .batch_seconds = batch_seconds_max()};
	int rc = merge(&im, e);
	memo_clear(&im);
	free(im.note_keys);
	if (ch)
		change_merge(ch, &im.change);
	ical_summary_free(&sum);
	free(im.source);
	return rc;
}

/* Settle the runs other processes left: a live one makes *busy (with its
 * id), a dead one is dropped (staging) or finished (ready). */
static int settle_runs(struct store *s, bool dry_run, struct ical_recovery *rep,
                       long long *busy, struct change *ch, struct err *e)
{
	char host[256];
	host_name(host, sizeof host);
	struct import_run_list runs = {0};
	int rc = store_run_open_list(s, &runs, e);
	*busy = 0;
	long long now = (long long)time(NULL);
	for (size_t i = 0; rc == 0 && i < runs.len; i++) {
		const struct import_run *r = &runs.items[i];
		if (run_alive(r, host, now)) {
			*busy = r->id;
		} else if (!strcmp(r->state, "staging")) {
			if ((rc = drop_run(s, r->id, e)) == 0 && rep)
				rep->dropped++;
		} else if ((rc = finish_run(s, r, dry_run, ch, e)) == 0 && rep) {
			rep->finished++;
		}
	}
	import_run_list_free(&runs);
	return rc;
}

int ical_import_recover(struct store *s, struct ical_recovery *rep, struct change *ch,
                        struct err *e)
{
	memset(rep, 0, sizeof *rep);
	return settle_runs(s, false, rep, &rep->busy_run, ch, e);
}

/* Settle what others left, then record this import's run, in one write
 * transaction with the check that no other import is running (so two
 * imports started together do not both go on). */
static int start_run(struct importer *im, struct change *ch, struct err *e)
{
	char host[256];
	host_name(host, sizeof host);
	for (int tries = 0; tries < 3; tries++) {
		long long busy = 0;
		if (settle_runs(im->s, im->dry_run, NULL, &busy, ch, e) < 0)
			return e->code;
		if (busy)
			return err_set(e, ERR_CONFLICT, "another import (run %lld) is in progress in this "
			               "database; nothing was imported: try again when it is done", busy);
		if (store_begin(im->s, e) < 0)
			return e->code;
		struct import_run_list runs = {0};
		int rc = store_run_open_list(im->s, &runs, e);
		bool clear = rc == 0 && runs.len == 0;
		import_run_list_free(&runs);
		if (rc == 0 && clear) {
			long long now = (long long)time(NULL);
			struct import_run r = {.source = im->source, .patient_id = im->patient_id,
			                       .booked_at = im->booked_at, .host = host,
			                       .pid = (long long)getpid(), .beat = now, .created = now};
			long long max_id = 0;
			if ((rc = store_run_add(im->s, &r, e)) == 0 &&
			    (rc = store_stage_max_id(im->s, &max_id, e)) == 0) {
				im->run_id = r.id;
				stage_order_init(&im->order, stage_order_base(max_id), order_sample());
				return store_commit(im->s, e);
			}
		}
		store_rollback(im->s);
		if (rc < 0)
			return rc;
	}
	return err_set(e, ERR_CONFLICT, "other imports keep starting in this database; nothing "
	               "was imported: try again");
}

/* ---- the import ---- */

/* Read the file into the stage (short transactions); on success the run
 * is marked ready in one more.  A file refused (or a failure) drops what
 * was staged: the database is as before. */
static int stage_file(struct importer *im, FILE *in, const char *name, struct err *e)
{
	const struct ical_import_opts *o = im->o;
	long long bytes = 0;
	long long max_kb = o->max_component_kb > 0 ? o->max_component_kb : ICAL_MAX_COMPONENT_KB;
	im->reading = true;
	int rc = ical_read(in, name, max_kb * 1024, &import_ops, im, &bytes, e);
	im->reading = false;
	stage_order_free(&im->order);
	if (rc == 0 && im->stage_rc < 0)
		*e = im->stage_err, rc = e->code;
	if (rc == 0 && o->progress)
		o->progress(o->progress_ctx, im->staged, bytes, im->bytes_total);
	if (rc == 0 && (rc = batch_open(im, e)) == 0 &&
	    (rc = store_run_state(im->s, im->run_id, "ready", e)) == 0)
		rc = batch_close(im, e);
	if (rc == 0) {
		stop_here("ready");
		return 0;
	}
	batch_abort(im);
	if (!im->dry_run) {
		struct err ignore = {0};
		drop_run(im->s, im->run_id, &ignore);
	}
	return rc;
}

int ical_import_stream(struct store *s, FILE *in, const char *name,
                       const struct ical_import_opts *o, struct ical_summary *sum,
                       struct change *ch, struct err *e)
{
	struct importer im = {.s = s, .o = o, .sum = sum, .patient_id = o->patient_id,
	                      .booked_at = o->now, .dry_run = o->dry_run,
	                      .batch_max = batch_rows_max(),
	                      .batch_seconds = batch_seconds_max()};
	const char *base = strrchr(name, '/');
	im.source = xasprintf("import:%s", base ? base + 1 : name);
	im.floating = o->zone && tz_known(o->zone) ? tz_ical_zone(o->zone) : NULL;
	if (!im.floating || !o->zone || !strcmp(o->zone, "UTC"))
		im.floating = NULL;
	struct stat st;
	if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode))
		im.bytes_total = (long long)st.st_size;
	/* a dry run does everything inside one transaction, then rolls it back */
	int rc = o->patient_id ? store_patient_exists(s, o->patient_id, e) : 0;
	if (rc == 0)
		rc = store_cache_kb(s, IMPORT_CACHE_KB, e);
	if (rc == 0 && o->dry_run)
		rc = store_begin_bulk(s, e);
	if (rc == 0 && (rc = start_run(&im, o->dry_run ? NULL : ch, e)) == 0 &&
	    (rc = stage_file(&im, in, name, e)) == 0) {
		rc = merge(&im, e);
		if (rc < 0 && !o->dry_run) {
			char why[sizeof e->msg];
			snprintf(why, sizeof why, "%s", e->msg);
			err_set(e, rc, "%s; the file was read whole and its import will be finished "
			        "by the next import or `caseload check`", why);
		}
	}
	if (o->dry_run)
		store_rollback(s);
	else if (ch)
		change_merge(ch, &im.change);
	/* many new rows: the server's planner should know of them now */
	if (rc == 0 && !o->dry_run && sum->added >= IMPORT_ANALYZE_ROWS)
		rc = store_analyze(s, e);
	for (size_t i = 0; i < im.nlater; i++)
		icalcomponent_free(im.later[i].c);
	free(im.later);
	memo_clear(&im);
	free(im.note_keys);
	stage_order_free(&im.order);
	store_cache_kb(s, STORE_CACHE_DEFAULT_KB, &(struct err){0});
	zones_free(&im);
	free(im.source);
	icalerror_clear_errno();
	return rc;
}

int ical_import_file(struct store *s, const char *path, const char *name,
                     const struct ical_import_opts *o, struct ical_summary *sum,
                     struct change *ch, struct err *e)
{
	if (!name)
		name = path;
	FILE *in = fopen(path, "r");
	if (!in)
		return err_set(e, ERR_FAIL, "cannot open %s: %s", name, strerror(errno));
	struct stat st;
	int rc = 0;
	if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode))
		rc = err_set(e, ERR_USAGE, "%s is a directory, not a calendar file", name);
	else
		rc = ical_import_stream(s, in, name, o, sum, ch, e);
	fclose(in);
	return rc;
}
