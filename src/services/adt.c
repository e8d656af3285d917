/* adt: HL7 v2 ADT messages applied to patients (see adt.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/adt.h"
#include "caseload/care.h"
#include "caseload/date.h"
#include "caseload/hl7.h"
#include "caseload/patient.h"
#include "caseload/store.h"
#include "caseload/store_adt.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/tz.h"

#define MINUTE_SECONDS 60LL
#define HOUR_SECONDS 3600LL
#define NOON_MINUTES (12 * 60)   /* a day without a time: noon, as the command line */
#define CONTROL_ID_MAX 199       /* MSH-10's length in version 2.7 */

/* What a message says, read and checked before anything is written. */
struct adt_event {
	char *control_id;          /* MSH-10 */
	char type[4];              /* A01, A03, A04, A08 */
	char *mrn, *dob;           /* dob: YYYY-MM-DD */
	long long at;              /* admitted or discharged (A01, A03) */
	char *facility;            /* PV1-3 */
	char *disposition_code;    /* PV1-36 as sent */
	char *phone, *address;     /* A04, A08: NULL when not carried */
};

static void event_clear(struct adt_event *ev)
{
	free(ev->control_id);
	free(ev->mrn);
	free(ev->dob);
	free(ev->facility);
	free(ev->disposition_code);
	free(ev->phone);
	free(ev->address);
	*ev = (struct adt_event){0};
}

static int refuse(struct hl7_msg *m, const char *seg, int field, enum hl7_code code,
                  struct err *e, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int refuse(struct hl7_msg *m, const char *seg, int field, enum hl7_code code,
                  struct err *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char text[sizeof e->msg];
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	snprintf(m->err_seg, sizeof m->err_seg, "%s", seg);
	m->err_field = field;
	m->err_code = code;
	return err_set(e, ERR_USAGE, "%s", text);
}

/* ---- reading the fields ---- */

static char *get(const struct hl7_msg *m, const char *seg, int field, int rep, int comp,
                 int sub)
{
	const struct hl7_seg *s = hl7_segment(m, seg, 1);
	return s ? hl7_value(m, s, field, rep, comp, sub) : NULL;
}

/* HL7's explicit null ("" : delete the value), which caseload never
 * acts on: it erases nothing. */
static bool hl7_null(const char *v)
{
	return v && !strcmp(v, "\"\"");
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* A TS's date (its first 8 digits) as a day number. */
static bool ts_day(const char *s, int *day)
{
	if (!s || strlen(s) < 8 || !digits(s, 8))
		return false;
	int y = num(s, 4), mo = num(s + 4, 2), d = num(s + 6, 2);
	if (y < DATE_FIRST_YEAR || y > DATE_LAST_YEAR || mo < 1 || mo > 12 || d < 1 ||
	    d > date_days_in_month(y, mo))
		return false;
	*day = date_from_ymd(y, mo, d);
	return true;
}

/* An HL7 TS (YYYYMMDD[HH[MM[SS[.S...]]]][+-ZZZZ]) as a UTC instant; one
 * without an offset is a time in `zone`, a day alone noon there. */
static int parse_ts(const char *s, const char *zone, long long *utc, bool *ok, struct err *e)
{
	int day;
	*ok = false;
	if (!ts_day(s, &day))
		return 0;
	size_t n = 8;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n != 8 && n != 10 && n != 12 && n != 14)
		return 0;
	int h = n >= 10 ? num(s + 8, 2) : 12, mi = n >= 12 ? num(s + 10, 2) : 0,
	    sec = n >= 14 ? num(s + 12, 2) : 0;
	const char *p = s + n;
	if (*p == '.' && n == 14) {
		size_t k = strspn(p + 1, "0123456789");
		if (k < 1 || k > 4)
			return 0;
		p += 1 + k;
	}
	if (h > 23 || mi > 59 || sec > 59)
		return 0;
	if (*p == '+' || *p == '-') {
		if (strlen(p) != 5 || !digits(p + 1, 4) || num(p + 1, 2) > 14 || num(p + 3, 2) > 59)
			return 0;
		long long off = num(p + 1, 2) * HOUR_SECONDS + num(p + 3, 2) * MINUTE_SECONDS;
		*utc = date_utc_midnight(day) + h * HOUR_SECONDS + mi * MINUTE_SECONDS + sec -
		       (*p == '-' ? -off : off);
		*ok = true;
		return 0;
	}
	if (*p)
		return 0;
	if (tz_local_to_utc(zone, day, n == 8 ? NOON_MINUTES : h * 60 + mi, utc, e) < 0)
		return e->code;
	*utc += sec;
	*ok = true;
	return 0;
}

/* The MRN: the identifier of PID-3 whose type (CX.5) is MR, else the
 * first. */
static char *read_mrn(const struct hl7_msg *m)
{
	const struct hl7_seg *pid = hl7_segment(m, "PID", 1);
	int n = hl7_reps(m, pid, 3);
	for (int r = 1; r <= n; r++) {
		char *type = hl7_value(m, pid, 3, r, 5, 0);
		bool mr = type && !strcmp(type, "MR");
		free(type);
		if (mr)
			return hl7_value(m, pid, 3, r, 1, 0);
	}
	return hl7_value(m, pid, 3, 1, 1, 0);
}

/* The first instant of the fields named (PV1-45, else EVN-6, else
 * EVN-2). */
static int read_when(struct hl7_msg *m, const char *zone, const char *const *segs,
                     const int *fields, size_t n, long long *at, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		char *v = get(m, segs[i], fields[i], 1, 1, 0);
		if (!v || hl7_null(v)) {
			free(v);
			continue;
		}
		bool ok;
		int rc = parse_ts(v, zone, at, &ok, e);
		if (rc == 0 && !ok)
			rc = refuse(m, segs[i], fields[i], HL7_DATA_TYPE_ERROR, e,
			            "%s-%d: %s is not a date and time (YYYYMMDDHHMM[SS][+ZZZZ])", segs[i],
			            fields[i], TEXT_ARG(v));
		free(v);
		return rc;
	}
	return refuse(m, segs[0], fields[0], HL7_REQUIRED_MISSING, e,
	              "%s-%d: the date and time are missing", segs[0], fields[0]);
}

/* The place: PV1-3's facility (PL.4), else its point of care (PL.1). */
static char *read_facility(const struct hl7_msg *m)
{
	char *f = get(m, "PV1", 3, 1, 4, 1);
	if (!f || hl7_null(f)) {
		free(f);
		f = get(m, "PV1", 3, 1, 1, 0);
	}
	if (hl7_null(f)) {
		free(f);
		return NULL;
	}
	return f;
}

static char *read_phone(const struct hl7_msg *m)
{
	char *v = get(m, "PID", 13, 1, 1, 0);
	if (v && !hl7_null(v))
		return v;
	free(v);
	char *area = get(m, "PID", 13, 1, 6, 0), *local = get(m, "PID", 13, 1, 7, 0);
	char *phone = NULL;
	if (local && !hl7_null(local))
		phone = area && !hl7_null(area) ? xasprintf("(%s) %s", area, local) : xstrdup(local);
	free(area);
	free(local);
	return phone;
}

/* "street, other, city, ST zip" from PID-11's first address. */
static char *read_address(const struct hl7_msg *m)
{
	char *part[5];
	for (int i = 0; i < 5; i++) {
		part[i] = get(m, "PID", 11, 1, i + 1, i == 0 ? 1 : 0);
		if (hl7_null(part[i])) {
			free(part[i]);
			part[i] = NULL;
		}
	}
	struct buf b = {0};
	for (int i = 0; i < 3; i++)
		if (part[i])
			buf_addf(&b, "%s%s", b.len ? ", " : "", part[i]);
	if (part[3] || part[4])
		buf_addf(&b, "%s%s%s%s", b.len ? ", " : "", part[3] ? part[3] : "",
		         part[3] && part[4] ? " " : "", part[4] ? part[4] : "");
	for (int i = 0; i < 5; i++)
		free(part[i]);
	return b.len ? buf_steal(&b) : NULL;
}

static const char *const handled[] = {"A01", "A03", "A04", "A08"};
static const char *const handled_words[] = {"admission", "discharge", "registration", "update"};

/* MSH-9 and MSH-10. */
static int read_header(struct hl7_msg *m, struct adt_event *ev, struct err *e)
{
	ev->control_id = get(m, "MSH", 10, 1, 1, 0);
	if (!ev->control_id)
		return refuse(m, "MSH", 10, HL7_REQUIRED_MISSING, e,
		              "MSH-10: the message control id is missing");
	if (strlen(ev->control_id) > CONTROL_ID_MAX || strchr(ev->control_id, '\n'))
		return refuse(m, "MSH", 10, HL7_DATA_TYPE_ERROR, e,
		              "MSH-10: the message control id is longer than %d characters or "
		              "more than one line", CONTROL_ID_MAX);
	char *type = get(m, "MSH", 9, 1, 1, 0), *event = get(m, "MSH", 9, 1, 2, 0);
	int rc = 0;
	size_t i = 0, n = sizeof handled / sizeof handled[0];
	while (event && i < n && strcmp(event, handled[i]) != 0)
		i++;
	if (!type || strcmp(type, "ADT") != 0)
		rc = refuse(m, "MSH", 9, HL7_UNSUPPORTED_TYPE, e,
		            "MSH-9: message type %s is not ADT", TEXT_ARG(type ? type : ""));
	else if (i == n)
		rc = refuse(m, "MSH", 9, HL7_UNSUPPORTED_EVENT, e,
		            "MSH-9: event %s is not one caseload takes (A01, A03, A04, A08)",
		            TEXT_ARG(event ? event : ""));
	else
		memcpy(ev->type, handled[i], 4);
	free(type);
	free(event);
	return rc;
}

/* Everything the message says, checked; refused naming the field. */
static int read_event(struct hl7_msg *m, const char *zone, struct adt_event *ev, struct err *e)
{
	if (read_header(m, ev, e) < 0)
		return ERR_USAGE;
	if (!hl7_segment(m, "PID", 1))
		return refuse(m, "PID", 0, HL7_SEGMENT_ERROR, e, "the PID segment is missing");
	ev->mrn = read_mrn(m);
	if (!ev->mrn || hl7_null(ev->mrn))
		return refuse(m, "PID", 3, HL7_REQUIRED_MISSING, e,
		              "PID-3: the patient's identifier (MRN) is missing");
	char *dob = get(m, "PID", 7, 1, 1, 0);
	int day = 0;
	long long instant;
	bool ok = false;
	if (ts_day(dob, &day) && parse_ts(dob, "UTC", &instant, &ok, e) < 0)
		ok = false;
	if (!ok) {
		int rc = dob ? refuse(m, "PID", 7, HL7_DATA_TYPE_ERROR, e,
		                      "PID-7: %s is not a date", TEXT_ARG(dob))
		             : refuse(m, "PID", 7, HL7_REQUIRED_MISSING, e,
		                      "PID-7: the date of birth is missing");
		free(dob);
		return rc;
	}
	free(dob);
	char iso[DATE_STRLEN];
	ev->dob = xstrdup(date_format(day, iso));
	bool admit = !strcmp(ev->type, "A01"), discharge = !strcmp(ev->type, "A03");
	if (admit || discharge) {
		if (!hl7_segment(m, "PV1", 1))
			return refuse(m, "PV1", 0, HL7_SEGMENT_ERROR, e, "the PV1 segment is missing");
		static const char *const segs[] = {"PV1", "EVN", "EVN"};
		const int admit_f[] = {44, 6, 2}, discharge_f[] = {45, 6, 2};
		if (read_when(m, zone, segs, admit ? admit_f : discharge_f, 3, &ev->at, e) < 0)
			return ERR_USAGE;
		ev->facility = read_facility(m);
		if (discharge) {
			ev->disposition_code = get(m, "PV1", 36, 1, 1, 0);
			if (hl7_null(ev->disposition_code)) {
				free(ev->disposition_code);
				ev->disposition_code = NULL;
			}
		}
	} else {
		ev->phone = read_phone(m);
		ev->address = read_address(m);
	}
	return 0;
}

/* ---- applying ---- */

static const struct {
	const char *code, *disposition;
} dispositions[] = {
	{"01", "home"}, {"02", "other-hospital"}, {"03", "snf"}, {"04", "other"},
	{"05", "other-hospital"}, {"06", "home-health"}, {"07", "other"}, {"20", "other"},
	{"21", "other"}, {"43", "other-hospital"}, {"50", "hospice"}, {"51", "hospice"},
	{"61", "snf"}, {"62", "rehab"}, {"63", "other-hospital"}, {"64", "snf"},
	{"65", "other-hospital"}, {"66", "other-hospital"}, {"70", "other"},
};

const char *adt_disposition(const char *code)
{
	if (!code || !*code)
		return NULL;
	char two[3] = {'0', code[0], '\0'};   /* "1" is "01" */
	if (code[0] >= '0' && code[0] <= '9' && !code[1])
		code = two;
	for (size_t i = 0; i < sizeof dispositions / sizeof dispositions[0]; i++)
		if (!strcmp(code, dispositions[i].code))
			return dispositions[i].disposition;
	return "other";
}

/* The phone and address a registration or update carries, written over
 * the patient's when they differ; nothing else of the patient changes. */
static int update_demographics(struct store *s, const struct adt_event *ev, long long pid,
                               struct change *ch, struct err *e)
{
	if (!ev->phone && !ev->address)
		return 0;
	struct patient p = {0};
	if (store_patient_get(s, pid, &p, e) < 0)
		return e->code;
	bool differs = (ev->phone && !str_eq(p.phone, ev->phone)) ||
	               (ev->address && !str_eq(p.address, ev->address));
	int rc = 0;
	if (differs) {
		if (ev->phone)
			str_set(&p.phone, ev->phone);
		if (ev->address)
			str_set(&p.address, ev->address);
		struct patient_req rq = {.p = &p, .allow_duplicate = true};
		rc = patient_edit(s, &rq, ch, e);
	}
	patient_clear(&p);
	return rc;
}

/* The message's change to patient pid; *entry_id: the entry made. */
static int apply(struct store *s, const struct adt_event *ev, long long pid, const char *zone,
                 long long *entry_id, struct change *ch, struct err *e)
{
	*entry_id = 0;
	bool admit = !strcmp(ev->type, "A01"), discharge = !strcmp(ev->type, "A03");
	if (!admit && !discharge)
		return update_demographics(s, ev, pid, ch, e);
	char *text = ev->disposition_code
	             ? xasprintf("HL7 ADT %s, message %s, PV1-36 %s", ev->type, ev->control_id,
	                         ev->disposition_code)
	             : xasprintf("HL7 ADT %s, message %s", ev->type, ev->control_id);
	struct entry en = {.patient_id = pid, .at = ev->at, .facility = ev->facility,
	                   .text = text};
	int rc = admit ? care_admission(s, &en, ch, e)
	               : care_discharge(s, &en, adt_disposition(ev->disposition_code), zone, ch, e);
	free(text);
	*entry_id = en.id;
	return rc;
}

/* The patient with the message's MRN and date of birth (0: none). */
static int match(struct store *s, const struct adt_event *ev, long long *pid, struct err *e)
{
	struct patient p = {0};
	*pid = 0;
	if (store_patient_by_mrn(s, ev->mrn, 0, &p, e) < 0)
		return e->code;
	if (p.id && str_eq(p.dob, ev->dob))
		*pid = p.id;
	patient_clear(&p);
	return 0;
}

enum received { APPLIED, UNMATCHED, DUPLICATE };

/* One message, one transaction. */
static int receive(struct store *s, struct hl7_msg *m, const struct adt_event *ev,
                   const struct adt_opts *o, enum received *out, struct change *ch,
                   struct err *e)
{
	struct adt_message row = {0};
	int rc = store_adt_find(s, ev->control_id, &row, e);
	adt_message_clear(&row);
	if (rc == 0) {
		*out = DUPLICATE;
		return 0;
	}
	if (rc != ERR_NOTFOUND)
		return rc;
	if (store_begin(s, e) < 0)
		return e->code;
	long long pid;
	if (match(s, ev, &pid, e) < 0)
		goto fail;
	store_undo_what(s, pid, "ADT %s message received", ev->type);
	row.control_id = ev->control_id;
	row.received = o->now;
	row.type = ev->type;
	row.mrn = ev->mrn;
	row.dob = ev->dob;
	row.patient_id = pid;
	row.state = pid ? "matched" : "unmatched";
	row.raw = pid ? NULL : m->raw;
	if (pid && apply(s, ev, pid, o->zone, &row.entry_id, ch, e) < 0)
		goto fail;
	rc = store_adt_add(s, &row, e);
	row = (struct adt_message){0};   /* borrowed strings */
	if (rc < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return e->code;
	*out = pid ? APPLIED : UNMATCHED;
	return 0;
fail:
	store_rollback(s);
	return e->code;
}

/* ---- acknowledgements ---- */

/* "20261203140501+0000" */
static void ts_utc(long long at, char out[32])
{
	int y, mo, d;
	int day = date_of_utc(at);
	int secs = (int)(at - date_utc_midnight(day));
	date_to_ymd(day, &y, &mo, &d);
	snprintf(out, 32, "%04d%02d%02d%02d%02d%02d+0000", y % 10000, mo % 100, d % 100,
	         (int)(secs / HOUR_SECONDS) % 100, (int)(secs / MINUTE_SECONDS) % 60, secs % 60);
}

static void raw_field(struct buf *b, const struct hl7_msg *m, int field)
{
	const struct hl7_seg *msh = m->fs ? hl7_segment(m, "MSH", 1) : NULL;
	char *v = msh ? hl7_raw_field(m, msh, field) : NULL;
	buf_add(b, v ? v : "");
	free(v);
}

static const char *code_text(enum hl7_code c)
{
	switch (c) {
	case HL7_SEGMENT_ERROR: return "Segment sequence error";
	case HL7_REQUIRED_MISSING: return "Required field missing";
	case HL7_DATA_TYPE_ERROR: return "Data type error";
	case HL7_TABLE_VALUE: return "Table value not found";
	case HL7_UNSUPPORTED_TYPE: return "Unsupported message type";
	case HL7_UNSUPPORTED_EVENT: return "Unsupported event code";
	case HL7_INTERNAL_ERROR: break;
	}
	return "Application internal error";
}

/* MSH, MSA and (for a refusal) ERR: code AA, AE or AR. */
static void ack(const struct adt_opts *o, const struct hl7_msg *m, const char *code,
                const char *text)
{
	struct hl7_msg dflt = {.fs = '|', .cs = '^', .rs = '~', .ec = '\\', .ss = '&'};
	const struct hl7_msg *sep = m->fs ? m : &dflt;
	struct buf b = {0};
	char now[32];
	ts_utc(o->now, now);
	if (m->mllp)
		buf_addc(&b, 0x0b);
	buf_addf(&b, "MSH%c%c%c%c%c%c", sep->fs, sep->cs, sep->rs, sep->ec, sep->ss, sep->fs);
	static const int swapped[] = {5, 6, 3, 4};   /* the receiver becomes the sender */
	for (int i = 0; i < 4; i++) {
		raw_field(&b, m, swapped[i]);
		buf_addc(&b, sep->fs);
	}
	/* m->fs is set only once MSH-1 and MSH-2 were read whole */
	char *event = m->fs ? get(m, "MSH", 9, 1, 2, 0) : NULL;
	char *control = m->fs ? get(m, "MSH", 10, 1, 1, 0) : NULL;
	char *processing = m->fs ? get(m, "MSH", 11, 1, 1, 0) : NULL;
	char *version = m->fs ? get(m, "MSH", 12, 1, 1, 0) : NULL;
	buf_addf(&b, "%s%c%cACK%c", now, sep->fs, sep->fs, sep->cs);
	hl7_escape_into(&b, sep, event ? event : "");
	buf_addf(&b, "%cACK%cACK-", sep->cs, sep->fs);
	hl7_escape_into(&b, sep, control ? control : "");
	buf_addc(&b, sep->fs);
	hl7_escape_into(&b, sep, processing ? processing : "P");
	buf_addc(&b, sep->fs);
	hl7_escape_into(&b, sep, version ? version : "2.5.1");
	buf_addf(&b, "\rMSA%c%s%c", sep->fs, code, sep->fs);
	hl7_escape_into(&b, sep, control ? control : "");
	if (text) {
		buf_addc(&b, sep->fs);
		hl7_escape_into(&b, sep, text);
	}
	buf_addc(&b, '\r');
	if (strcmp(code, "AA") != 0) {
		/* ERR-2 where (segment^sequence^field), ERR-3 the code (table
		 * 0357), ERR-4 severity, ERR-8 the message */
		buf_addf(&b, "ERR%c%c", sep->fs, sep->fs);
		if (m->err_seg[0]) {
			buf_addf(&b, "%s%c1", m->err_seg, sep->cs);
			if (m->err_field)
				buf_addf(&b, "%c%d", sep->cs, m->err_field);
		}
		buf_addf(&b, "%c%d%c%s%cHL70357%cE%c%c%c%c", sep->fs, (int)m->err_code, sep->cs,
		         code_text(m->err_code), sep->cs, sep->fs, sep->fs, sep->fs, sep->fs, sep->fs);
		hl7_escape_into(&b, sep, text ? text : "");
		buf_addc(&b, '\r');
	}
	if (m->mllp)
		buf_add(&b, "\x1c\r");
	o->ack(o->ctx, b.s, b.len);
	buf_free(&b);
	free(event);
	free(control);
	free(processing);
	free(version);
}

/* "message 3 (MSG00042): " before a refusal. */
static void report(const struct adt_opts *o, const struct hl7_msg *m, const struct err *e)
{
	if (!o->refused)
		return;
	char *control = m->fs ? get(m, "MSH", 10, 1, 1, 0) : NULL;
	char *why = control ? xasprintf("message %ld (%s): %s", m->ordinal, control,
	                                e->msg)
	                    : xasprintf("message %ld: %s", m->ordinal, e->msg);
	o->refused(o->ctx, why);
	free(why);
	free(control);
}

/* One message read: checked, matched, applied or kept, acknowledged. */
static void one_message(struct store *s, struct hl7_msg *m, int read_rc,
                        const struct adt_opts *o, struct adt_summary *sum, struct change *ch,
                        struct err *me)
{
	struct adt_event ev = {0};
	enum received out = APPLIED;
	int rc = read_rc < 0 ? read_rc : read_event(m, o->zone, &ev, me);
	if (rc == 0 && (rc = receive(s, m, &ev, o, &out, ch, me)) < 0 && !m->err_code)
		m->err_code = HL7_INTERNAL_ERROR;   /* the store refused it (m->err_seg "") */
	sum->messages++;
	if (rc < 0) {
		sum->refused++;
		report(o, m, me);
		if (o->ack) {
			bool reject = m->err_code == HL7_UNSUPPORTED_TYPE ||
			              m->err_code == HL7_UNSUPPORTED_EVENT || !m->fs;
			ack(o, m, reject ? "AR" : "AE", me->msg);
		}
	} else {
		sum->applied += out == APPLIED;
		sum->unmatched += out == UNMATCHED;
		sum->duplicates += out == DUPLICATE;
		if (o->ack)
			ack(o, m, "AA", out == DUPLICATE ? "duplicate: applied once already"
			                : out == UNMATCHED ? "received: waiting for its patient" : NULL);
	}
	event_clear(&ev);
}

int adt_import_stream(struct store *s, FILE *f, const struct adt_opts *o,
                      struct adt_summary *sum, struct change *ch, struct err *e)
{
	struct hl7_reader r;
	struct hl7_msg m = {0};
	*sum = (struct adt_summary){0};
	if (o->dry_run && store_begin(s, e) < 0)
		return e->code;
	hl7_reader_init(&r, f);
	int rc;
	for (;;) {
		struct err me = {0};
		rc = hl7_next(&r, &m, &me);
		if (rc == 0 || rc == ERR_FAIL) {
			if (rc < 0)
				*e = me;
			break;
		}
		one_message(s, &m, rc < 0 ? rc : 0, o, sum, ch, &me);
	}
	hl7_msg_free(&m);
	hl7_reader_free(&r);
	if (o->dry_run)
		store_rollback(s);
	return rc < 0 ? rc : 0;
}

void adt_summary_format(const struct adt_summary *sum, bool dry_run, char *out, size_t size)
{
	snprintf(out, size, "%lld message%s: %lld %s, %lld unmatched, %lld duplicate%s, %lld refused%s",
	         sum->messages, sum->messages == 1 ? "" : "s", sum->applied,
	         dry_run ? "would apply" : "applied", sum->unmatched, sum->duplicates,
	         sum->duplicates == 1 ? "" : "s", sum->refused,
	         dry_run ? " (dry run: nothing kept)" : "");
}

/* ---- the waiting list ---- */

static int waiting(struct store *s, long long id, struct adt_message *row, struct err *e)
{
	if (store_adt_get(s, id, row, e) < 0)
		return e->code;
	if (strcmp(row->state, "unmatched") != 0)
		return err_set(e, ERR_CONFLICT, "ADT message %lld is %s, not waiting for a patient",
		               id, row->state);
	return 0;
}

int adt_match(struct store *s, long long id, long long patient_id, const char *zone,
              long long *entry_id, struct change *ch, struct err *e)
{
	struct adt_message row = {0};
	struct hl7_msg m = {0};
	struct adt_event ev = {0};
	*entry_id = 0;
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, patient_id, "ADT message %lld applied to patient %lld", id, patient_id);
	if (waiting(s, id, &row, e) < 0 || store_patient_exists(s, patient_id, e) < 0)
		goto fail;
	if (!row.raw || hl7_parse(row.raw, strlen(row.raw), &m, e) < 0 ||
	    read_event(&m, zone, &ev, e) < 0) {
		err_set(e, ERR_FAIL, "ADT message %lld cannot be read again: drop it", id);
		goto fail;
	}
	if (apply(s, &ev, patient_id, zone, entry_id, ch, e) < 0 ||
	    store_adt_settle(s, id, "done", patient_id, *entry_id, e) < 0)
		goto fail;
	adt_message_clear(&row);
	hl7_msg_free(&m);
	event_clear(&ev);
	if (store_commit(s, e) < 0)
		return e->code;
	change_note(ch, CHANGE_PATIENT, patient_id);
	return 0;
fail:
	adt_message_clear(&row);
	hl7_msg_free(&m);
	event_clear(&ev);
	store_rollback(s);
	return e->code;
}

int adt_drop(struct store *s, long long id, struct change *ch, struct err *e)
{
	struct adt_message row = {0};
	(void)ch;
	if (store_begin(s, e) < 0)
		return e->code;
	store_undo_what(s, 0, "ADT message %lld dropped", id);
	if (waiting(s, id, &row, e) < 0 || store_adt_settle(s, id, "dropped", 0, 0, e) < 0) {
		adt_message_clear(&row);
		store_rollback(s);
		return e->code;
	}
	adt_message_clear(&row);
	return store_commit(s, e);
}

void adt_message_about(const struct adt_message *row, char **name, char **facility)
{
	struct hl7_msg m = {0};
	struct err e = {0};
	*name = *facility = NULL;
	if (!row->raw || hl7_parse(row->raw, strlen(row->raw), &m, &e) < 0) {
		err_clear(&e);
		return;
	}
	char *family = get(&m, "PID", 5, 1, 1, 1), *given = get(&m, "PID", 5, 1, 2, 0);
	if (family && !hl7_null(family))
		*name = patient_display_name(family, given && !hl7_null(given) ? given : NULL);
	free(family);
	free(given);
	*facility = read_facility(&m);
	hl7_msg_free(&m);
}

const char *adt_event_words(const char *type)
{
	for (size_t i = 0; type && i < sizeof handled / sizeof handled[0]; i++)
		if (!strcmp(type, handled[i]))
			return handled_words[i];
	return type ? type : "";
}
