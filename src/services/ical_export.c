/* ical_export: appointments out as an RFC 5545 calendar.  libical builds
 * and prints every component; each VEVENT is printed and freed in turn so
 * a long export stays small.  libical 3.0's folding keeps UTF-8 characters
 * whole but, when a value ends exactly at the fold, prints a stray CR and
 * a bare LF ("\r\r\n \n"); so its text goes through one pass that unfolds
 * it and folds it again at 75 octets, on character boundaries, with CRLF. */
#include <errno.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "ical_internal.h"

#define FOLD_AT 75

int ical_parse_alarms(const char *spec, int **minutes, int *n, struct err *e)
{
	*minutes = NULL;
	*n = 0;
	if (!spec || !strcmp(spec, "none") || !*spec)
		return 0;
	size_t cap = 0;
	const char *p = spec;
	while (*p) {
		size_t len = strcspn(p, ",");
		char *end;
		long v = strtol(p, &end, 10);
		int unit = end < p + len ? *end : 0;
		long mult = unit == 'w' ? 7 * 1440 : unit == 'd' ? 1440 : unit == 'h' ? 60
		          : unit == 'm' ? 1 : 0;
		if (end == p || !mult || end + 1 != p + len || v < 0 || v > 4L * 7 * 1440 / mult) {
			free(*minutes);
			*minutes = NULL;
			*n = 0;
			return err_set(e, ERR_USAGE, "alarm '%.*s' is not like 1d, 2h or 30m (up to 4w)",
			               (int)len, p);
		}
		void *q = *minutes;
		xgrow(&q, &cap, (size_t)*n + 1, sizeof **minutes);
		*minutes = q;
		(*minutes)[(*n)++] = (int)(v * mult);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* ---- output: unfold libical's text and fold it again ---- */

static void emit_line(FILE *out, const char *l, size_t n)
{
	size_t start = 0, col = 0;   /* the run not yet written, and its width */
	for (size_t i = 0; i < n;) {
		size_t cl = 1;   /* a lead byte and its continuation bytes stay together */
		while (i + cl < n && cl < 4 && ((unsigned char)l[i + cl] & 0xC0) == 0x80)
			cl++;
		if (col + cl > FOLD_AT) {
			fwrite(l + start, 1, i - start, out);
			fputs("\r\n ", out);
			start = i;
			col = 1;
		}
		col += cl;
		i += cl;
	}
	fwrite(l + start, 1, n - start, out);
	fputs("\r\n", out);
}

/* Unfold libical's text (dropping every CR), then fold each line again. */
static void write_folded(FILE *out, const char *s, size_t len, struct buf *line)
{
	buf_reset(line);
	bool have = false;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t j = nl ? (size_t)(nl - s) : len;
		bool cont = have && (s[i] == ' ' || s[i] == '\t');
		if (!cont && have) {
			emit_line(out, line->s, line->len);
			buf_reset(line);
			have = false;
		}
		for (size_t k = cont ? i + 1 : i; k < j;) {
			const char *cr = memchr(s + k, '\r', j - k);
			size_t stop = cr ? (size_t)(cr - s) : j;
			buf_addn(line, s + k, stop - k);
			k = stop + (cr != NULL);
		}
		if (!cont && line->len)
			have = true;
		i = j + 1;
	}
	if (have)
		emit_line(out, line->s, line->len);
}

/* ---- building components ---- */

static icaltimezone *zone_for(const struct appointment *a)
{
	if (a->all_day || !a->tzid || !*a->tzid || !strcmp(a->tzid, "UTC"))
		return NULL;
	return tz_ical_zone(a->tzid);
}

/* An instant as the appointment's kind of time: a date, a local time in
 * its zone (TZID added by the caller), or UTC. */
static struct icaltimetype as_time(const struct appointment *a, icaltimezone *z, long long utc)
{
	struct icaltimetype t;
	if (a->all_day) {
		t = icaltime_null_date();
		date_to_ymd(date_of_utc(utc), &t.year, &t.month, &t.day);
		return t;
	}
	if (!z)
		return icaltime_from_timet_with_zone((time_t)utc, 0, icaltimezone_get_utc_timezone());
	t = icaltime_from_timet_with_zone((time_t)utc, 0, z);
	t.zone = NULL;
	return t;
}

static icalproperty *with_tz(icalproperty *p, const struct appointment *a, icaltimezone *z)
{
	if (z)
		icalproperty_add_parameter(p, icalparameter_new_tzid(a->tzid));
	return p;
}

/* Text as it leaves for a calendar: valid UTF-8 without control
 * characters or escape sequences (an imported file may have brought them,
 * and the file goes to phones and terminals); newlines stay, libical
 * writes them as \n.  Every TEXT value goes through here.  Caller frees. */
static char *clean_text(const char *s)
{
	struct buf b = {0};
	text_sanitize_into(&b, s ? s : "", true);
	return buf_steal(&b);
}

static void add_text(icalcomponent *c, icalproperty *(*make)(const char *), const char *s)
{
	char *v = clean_text(s);
	icalcomponent_add_property(c, make(v));
	free(v);
}

static void add_x(icalcomponent *c, const char *name, const char *value, icalparameter *par)
{
	icalproperty *p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	if (par)
		icalproperty_add_parameter(p, par);
	icalcomponent_add_property(c, p);
}

static void add_instants(icalcomponent *c, const struct appointment *a, icaltimezone *z,
                         const char *list, bool rdate)
{
	if (!list || !*list)
		return;
	char *copy = xstrdup(list), *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long long t;
		if (tz_parse_utc(tok, &t) < 0)
			continue;
		struct icaltimetype v = as_time(a, z, t);
		icalproperty *p;
		if (rdate) {
			struct icaldatetimeperiodtype dp = {0};
			dp.time = v;
			dp.period = icalperiodtype_null_period();
			p = icalproperty_new_rdate(dp);
		} else {
			p = icalproperty_new_exdate(v);
		}
		icalcomponent_add_property(c, with_tz(p, a, z));
	}
	free(copy);
}

static enum icalproperty_status ical_status(const char *s)
{
	if (!s)
		return ICAL_STATUS_CONFIRMED;
	switch (code_find(&APPT_STATUS, s)) {
	case APPT_CANCELLED: case APPT_ENTERED_IN_ERROR:
		return ICAL_STATUS_CANCELLED;
	case APPT_PROPOSED: case APPT_PENDING: case APPT_WAITLIST:
		return ICAL_STATUS_TENTATIVE;
	default:
		return ICAL_STATUS_CONFIRMED;
	}
}

struct exporter {
	struct store *s;
	const struct ical_export_opts *o;
	long long provider_id;     /* the last provider looked up */
	struct contact provider;
};

/* The appointment's provider (looked up once for a run of the same one),
 * or NULL when it has none or it cannot be read. */
static const struct contact *provider_of(struct exporter *x, const struct appointment *a)
{
	if (!a->provider_id)
		return NULL;
	if (a->provider_id != x->provider_id) {
		struct err ignore = {0};
		contact_clear(&x->provider);
		x->provider_id = a->provider_id;
		if (store_contact_get(x->s, a->provider_id, &x->provider, &ignore) < 0)
			memset(&x->provider, 0, sizeof x->provider);
	}
	return x->provider.name ? &x->provider : NULL;
}

/* DESCRIPTION for `full`: the notes, then provider, phone and transport. */
static char *description(struct exporter *x, const struct appointment *a, size_t *notes_len)
{
	struct buf b = {0};
	text_sanitize_into(&b, a->notes ? a->notes : "", true);
	*notes_len = b.len;
	struct buf extra = {0};
	const struct contact *pr = provider_of(x, a);
	if (pr) {
		buf_addf(&extra, "Provider: %s", pr->name);
		if (pr->organization && *pr->organization)
			buf_addf(&extra, ", %s", pr->organization);
		if (pr->phone && *pr->phone)
			buf_addf(&extra, "\nPhone: %s", pr->phone);
	}
	if (transport_wanted(a->transport))
		buf_addf(&extra, "%sTransport: %s", extra.len ? "\n" : "", a->transport);
	if (extra.len) {
		buf_add(&b, b.len ? "\n\n" : "");
		text_sanitize_into(&b, extra.s, true);
	}
	buf_free(&extra);
	return buf_steal(&b);
}

/* LOCATION for `minimal`: the provider's public label and address,
 * "Lakeview Clinic, 200 Lake Shore Dr", or whichever of them is recorded;
 * NULL (no LOCATION) when neither is, or there is no provider.  Never the
 * appointment's own location, the provider's name or its organization:
 * free text that often names the specialty ("Lakeview Cardiology", "Dr.
 * Berg, cardiologist") and so the condition. */
static char *minimal_location(struct exporter *x, const struct appointment *a)
{
	const struct contact *pr = provider_of(x, a);
	const char *label = pr && pr->public_label && *pr->public_label ? pr->public_label : NULL;
	const char *addr = pr && pr->address && *pr->address ? pr->address : NULL;
	if (label && addr)
		return xasprintf("%s, %s", label, addr);
	return label || addr ? xstrdup(label ? label : addr) : NULL;
}

static icalcomponent *make_event(struct exporter *x, const struct appointment *a)
{
	const struct ical_export_opts *o = x->o;
	bool full = o->detail == ICAL_DETAIL_FULL;
	icaltimezone *z = zone_for(a);
	icalcomponent *ev = icalcomponent_new_vevent();
	add_text(ev, icalproperty_new_uid, a->uid);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(
		icaltime_from_timet_with_zone((time_t)o->now, 0, icaltimezone_get_utc_timezone())));
	icalcomponent_add_property(ev, with_tz(icalproperty_new_dtstart(as_time(a, z, a->start)), a, z));
	icalcomponent_add_property(ev, with_tz(icalproperty_new_dtend(as_time(a, z, a->end)), a, z));
	if (a->recurrence_id && *a->recurrence_id) {
		long long rid;
		if (tz_parse_utc(a->recurrence_id, &rid) == 0)
			icalcomponent_add_property(ev, with_tz(icalproperty_new_recurrenceid(
				as_time(a, z, rid)), a, z));
	}
	const char *title = full ? (a->title && *a->title ? a->title : "Appointment") : "Appointment";
	add_text(ev, icalproperty_new_summary, title);
	/* the location is free text that often names the specialty ("Lakeview
	 * Cardiology"): only the coordinator's own calendar gets it */
	if (full && a->location && *a->location)
		add_text(ev, icalproperty_new_location, a->location);
	char *place = full ? NULL : minimal_location(x, a);
	if (place)
		add_text(ev, icalproperty_new_location, place);
	free(place);
	size_t notes_len = 0;
	if (full) {
		char *d = description(x, a, &notes_len);   /* cleaned already */
		if (*d)
			icalcomponent_add_property(ev, icalproperty_new_description(d));
		free(d);
	}
	icalcomponent_add_property(ev, icalproperty_new_sequence(a->sequence));
	icalcomponent_add_property(ev, icalproperty_new_status(ical_status(a->status)));
	if (a->rrule && *a->rrule) {
		struct icalrecurrencetype r = icalrecurrencetype_from_string(a->rrule);
		if (r.freq != ICAL_NO_RECURRENCE)
			icalcomponent_add_property(ev, icalproperty_new_rrule(r));
		icalerror_clear_errno();
	}
	add_instants(ev, a, z, a->rdate, true);
	add_instants(ev, a, z, a->exdate, false);
	if (a->last_modified)
		icalcomponent_add_property(ev, icalproperty_new_lastmodified(icaltime_from_timet_with_zone(
			(time_t)a->last_modified, 0, icaltimezone_get_utc_timezone())));
	char num[32];
	snprintf(num, sizeof num, "%zu", notes_len);
	icalparameter *len = NULL;
	if (full) {
		len = icalparameter_new_x(num);
		icalparameter_set_xname(len, X_NOTES_LENGTH);
	}
	add_x(ev, X_CASELOAD_DETAIL, full ? "full" : "minimal", len);
	if (full) {
		add_x(ev, X_CASELOAD_STATUS, a->status ? a->status : "booked", NULL);
		add_x(ev, X_CASELOAD_TRANSPORT, a->transport ? a->transport : "none", NULL);
		if (a->patient_id) {
			snprintf(num, sizeof num, "%lld", a->patient_id);
			icalparameter *cn = NULL;
			if (a->patient_name) {
				char *name = clean_text(a->patient_name);
				for (char *q = name; *q; q++)   /* a parameter value cannot hold '"' */
					if (*q == '"' || *q == '\n')
						*q = '\'';
				cn = icalparameter_new_cn(name);
				free(name);
			}
			add_x(ev, X_CASELOAD_PATIENT, num, cn);
		}
	}
	for (int i = 0; i < o->n_alarms && ical_status(a->status) != ICAL_STATUS_CANCELLED; i++) {
		icalcomponent *al = icalcomponent_new_valarm();
		icalcomponent_add_property(al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
		add_text(al, icalproperty_new_description, title);
		struct icaltriggertype tr = {0};
		tr.time = icaltime_null_time();
		tr.duration = icaldurationtype_from_int(-o->alarms[i] * 60);
		icalcomponent_add_property(al, icalproperty_new_trigger(tr));
		icalcomponent_add_component(ev, al);
	}
	return ev;
}

/* The VTIMEZONE for a zone, under its plain IANA name (libical's carry a
 * prefix).  libical has no definition for its UTC zone, which tz gives
 * for "Etc/UTC": that one is written here, one offset with no change, so
 * that every TZID of the file is defined (RFC 5545 3.2.19). */
static icalcomponent *zone_definition(icaltimezone *z, const char *tzid)
{
	icalcomponent *def = icaltimezone_get_component(z);
	icalcomponent *vtz;
	if (def) {
		vtz = icalcomponent_new_clone(def);
	} else {
		int offset = tz_offset(tzid, 0);
		vtz = icalcomponent_new_vtimezone();
		icalcomponent_add_property(vtz, icalproperty_new_tzid(tzid));
		icalcomponent *std = icalcomponent_new_xstandard();
		struct icaltimetype t = icaltime_null_time();
		t.year = 1970, t.month = 1, t.day = 1;
		icalcomponent_add_property(std, icalproperty_new_dtstart(t));
		icalcomponent_add_property(std, icalproperty_new_tzoffsetfrom(offset));
		icalcomponent_add_property(std, icalproperty_new_tzoffsetto(offset));
		if (offset == 0)
			icalcomponent_add_property(std, icalproperty_new_tzname("UTC"));
		icalcomponent_add_component(vtz, std);
	}
	icalproperty *p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	if (p)
		icalproperty_set_tzid(p, tzid);
	return vtz;
}

/* ---- a calendar written as its rows come ---- */

struct ical_stream {
	struct exporter x;
	struct strlist zones;      /* the TZIDs used, in the order first seen */
	struct buf line;
	FILE *out;
};

struct ical_stream *ical_stream_new(struct store *s, const struct ical_export_opts *o)
{
	struct ical_stream *w = xcalloc(1, sizeof *w);
	w->x.s = s;
	w->x.o = o;
	return w;
}

bool ical_zone_used(const struct appointment *a)
{
	return zone_for(a) != NULL;
}

void ical_stream_zone(struct ical_stream *w, const struct appointment *a)
{
	if (!zone_for(a))
		return;
	for (size_t j = 0; j < w->zones.len; j++)
		if (!strcmp(w->zones.items[j], a->tzid))
			return;
	strlist_add(&w->zones, a->tzid);
}

/* The calendar's head: properties and one VTIMEZONE per zone used. */
void ical_stream_start(struct ical_stream *w, FILE *out)
{
	w->out = out;
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//caseload//caseload " CASELOAD_VERSION "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	for (size_t i = 0; i < w->zones.len; i++)
		icalcomponent_add_component(cal, zone_definition(tz_ical_zone(w->zones.items[i]),
		                                                 w->zones.items[i]));
	char *head = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	char *end = NULL;
	for (char *p = strstr(head, "END:VCALENDAR"); p; p = strstr(p + 1, "END:VCALENDAR"))
		end = p;
	write_folded(out, head, end ? (size_t)(end - head) : strlen(head), &w->line);
	free(head);
}

void ical_stream_event(struct ical_stream *w, const struct appointment *a)
{
	icalcomponent *ev = make_event(&w->x, a);
	char *text = icalcomponent_as_ical_string_r(ev);
	write_folded(w->out, text, strlen(text), &w->line);
	free(text);
	icalcomponent_free(ev);
}

int ical_stream_end(struct ical_stream *w, struct err *e)
{
	fputs("END:VCALENDAR\r\n", w->out);
	icalerror_clear_errno();
	if (fflush(w->out) != 0 || ferror(w->out))
		return err_set(e, ERR_FAIL, "cannot write the calendar: %s", strerror(errno ? errno : EIO));
	return 0;
}

void ical_stream_free(struct ical_stream *w)
{
	if (!w)
		return;
	strlist_free(&w->zones);
	buf_free(&w->line);
	contact_clear(&w->x.provider);
	free(w);
}

int ical_export(struct store *s, const struct appointment *rows, size_t n,
                const struct ical_export_opts *o, FILE *out, struct err *e)
{
	struct ical_stream *w = ical_stream_new(s, o);
	for (size_t i = 0; i < n; i++)
		ical_stream_zone(w, &rows[i]);
	ical_stream_start(w, out);
	for (size_t i = 0; i < n; i++)
		ical_stream_event(w, &rows[i]);
	int rc = ical_stream_end(w, e);
	ical_stream_free(w);
	return rc;
}
