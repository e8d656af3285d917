/* model: coded value sets and the plumbing of record structs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "caseload/model.h"
#include "caseload/util.h"

#define CODESET(var, label, ...) \
	static const char *const var##_codes[] = {__VA_ARGS__}; \
	const struct codeset var = {label, var##_codes, \
	                            sizeof var##_codes / sizeof var##_codes[0]}

#define CODE_TEXT_(name, code) code,
#define CODESET_OF(var, label, LIST) CODESET(var, label, LIST(CODE_TEXT_))

CODESET_OF(RISK, "risk", RISK_CODES);
CODESET(PATIENT_STATUS, "patient status", "active", "inactive");
CODESET(CONTACT_KIND, "contact kind", "primary-care", "specialist", "pharmacy",
        "family", "social-worker", "transport", "community", "hospital", "other");
CODESET_OF(APPT_STATUS, "appointment status", APPT_STATUS_CODES);
CODESET_OF(TRANSPORT, "transport", TRANSPORT_CODES);
CODESET(TASK_KIND, "task kind", "other", "call", "refill", "transport",
        "referral", "preauth", "followup", "education");
CODESET_OF(TASK_PRIORITY, "priority", TASK_PRIORITY_CODES);
CODESET_OF(TASK_STATUS, "task status", TASK_STATUS_CODES);
CODESET(ENTRY_KIND, "entry kind", "note", "call", "visit", "message",
        "result", "admission", "discharge", "med-change", "plan-event",
        "task-event", "appt-event");
CODESET(TEAM_ROLE, "role", "coordinator", "nurse", "social-worker", "supervisor");
CODESET_OF(OUTCOME, "outcome", OUTCOME_CODES);
CODESET_OF(PLAN_STATUS, "care plan status", PLAN_STATUS_CODES);
CODESET_OF(GOAL_STATUS, "goal status", GOAL_STATUS_CODES);
CODESET_OF(BEST_TIME, "best time to call", BEST_TIME_CODES);
CODESET_OF(MED_STATUS, "medication status", MED_STATUS_CODES);
CODESET_OF(CONDITION_STATUS, "condition status", CONDITION_STATUS_CODES);

/* http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason */
#define CANCEL_REASONS(X) \
	X("pat", "Patient") \
	X("pat-crs", "Patient: Canceled via automated reminder system") \
	X("pat-cpp", "Patient: Canceled via Patient Portal") \
	X("pat-dec", "Patient: Deceased") \
	X("pat-fb", "Patient: Feeling Better") \
	X("pat-lt", "Patient: Lack of Transportation") \
	X("pat-mt", "Patient: No longer covered by insurance or other payers") \
	X("pat-mv", "Patient: Moved Residence") \
	X("pat-preg", "Patient: Pregnant") \
	X("pat-swl", "Patient: Scheduled from Wait List") \
	X("pat-ucp", "Patient: Unhappy/Changed Provider") \
	X("prov", "Provider") \
	X("prov-pers", "Provider: Personal") \
	X("prov-dch", "Provider: Discharged") \
	X("prov-edu", "Provider: Edu/Meeting") \
	X("prov-hosp", "Provider: Hospitalized") \
	X("prov-labs", "Provider: Labs Out of Acceptable Range") \
	X("prov-mri", "Provider: MRI Screening Form Marked Do Not Proceed") \
	X("prov-onc", "Provider: Oncology Treatment Plan Changes") \
	X("maint", "Equipment Maintenance/Repair") \
	X("meds-inc", "Prep/Med Incomplete") \
	X("oth", "Other") \
	X("oth-cms", "Other: CMS Therapy Cap Service Not Authorized") \
	X("oth-err", "Other: Error") \
	X("oth-fin", "Other: Financial") \
	X("oth-iv", "Other: Improper IV Access/Infiltrate IV") \
	X("oth-int", "Other: No Interpreter Available") \
	X("oth-mu", "Other: Prep/Med/Results Unavailable") \
	X("oth-room", "Other: Room/Resource Maintenance") \
	X("oth-oerr", "Other: Schedule Order Error") \
	X("oth-swie", "Other: Silent Walk In Error") \
	X("oth-weath", "Other: Weather")
#define CANCEL_CODE_(code, display) code,
#define CANCEL_DISPLAY_(code, display) display,
CODESET(APPT_CANCEL_REASON, "cancellation reason", CANCEL_REASONS(CANCEL_CODE_));

const char *appt_cancel_reason_display(const char *code)
{
	static const char *const display[] = {CANCEL_REASONS(CANCEL_DISPLAY_)};
	int i = code ? code_find(&APPT_CANCEL_REASON, code) : -1;
	return i < 0 ? NULL : display[i];
}

int code_find(const struct codeset *set, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < set->n; i++)
		if (!strcmp(set->codes[i], code))
			return i;
	return -1;
}

const char *code_list(const struct codeset *set)
{
	static char out[512];
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < set->n && len < sizeof out; i++) {
		int w = snprintf(out + len, sizeof out - len, "%s%s",
		                 i == 0 ? "" : i == set->n - 1 ? " or " : ", ", set->codes[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return out;
}

int risk_default_cadence(const char *risk)
{
	switch (code_find(&RISK, risk)) {
	case RISK_HIGH: return 7;
	case RISK_LOW: return 30;
	default: return 14;
	}
}

/* ---- the sets of codes ---- */

bool task_status_open(const char *status)
{
	switch (code_find(&TASK_STATUS, status)) {
	case TASK_REQUESTED: case TASK_IN_PROGRESS: case TASK_ON_HOLD: return true;
	default: return false;
	}
}

bool task_status_closed(const char *status)
{
	switch (code_find(&TASK_STATUS, status)) {
	case TASK_COMPLETED: case TASK_CANCELLED: case TASK_FAILED: return true;
	default: return false;
	}
}

bool appt_status_gone(const char *status)
{
	switch (code_find(&APPT_STATUS, status)) {
	case APPT_CANCELLED: case APPT_NOSHOW: case APPT_ENTERED_IN_ERROR: return true;
	default: return false;
	}
}

bool appt_status_live(const char *status)
{
	switch (code_find(&APPT_STATUS, status)) {
	case APPT_BOOKED: case APPT_PENDING: return true;
	default: return false;
	}
}

bool outcome_reached(const char *outcome)
{
	return code_find(&OUTCOME, outcome) == OUTCOME_REACHED;
}

bool outcome_retry(const char *outcome)
{
	switch (code_find(&OUTCOME, outcome)) {
	case OUTCOME_NO_ANSWER: case OUTCOME_VOICEMAIL: case OUTCOME_LEFT_MESSAGE: return true;
	default: return false;
	}
}

bool task_priority_urgent(const char *priority)
{
	switch (code_find(&TASK_PRIORITY, priority)) {
	case PRIORITY_URGENT: case PRIORITY_ASAP: case PRIORITY_STAT: return true;
	default: return false;
	}
}

bool transport_wanted(const char *transport)
{
	switch (code_find(&TRANSPORT, transport)) {
	case TRANSPORT_NEEDED: case TRANSPORT_ARRANGED: case TRANSPORT_CONFIRMED: return true;
	default: return false;
	}
}

bool transport_unconfirmed(const char *transport)
{
	switch (code_find(&TRANSPORT, transport)) {
	case TRANSPORT_NEEDED: case TRANSPORT_ARRANGED: return true;
	default: return false;
	}
}

bool plan_status_open(const char *status)
{
	switch (code_find(&PLAN_STATUS, status)) {
	case PLAN_ACTIVE: case PLAN_ON_HOLD: case PLAN_DRAFT: return true;
	default: return false;
	}
}

bool plan_status_closes(const char *status)
{
	switch (code_find(&PLAN_STATUS, status)) {
	case PLAN_COMPLETED: case PLAN_REVOKED: return true;
	default: return false;
	}
}

bool goal_status_open(const char *status)
{
	switch (code_find(&GOAL_STATUS, status)) {
	case GOAL_ACTIVE: case GOAL_PROPOSED: case GOAL_PLANNED: case GOAL_ACCEPTED:
	case GOAL_ON_HOLD: return true;
	default: return false;
	}
}

void list_grow(void **items, size_t *cap, size_t len, size_t elem)
{
	size_t old = *cap;
	xgrow(items, cap, len + 1, elem);
	if (*cap > old)
		memset((char *)*items + old * elem, 0, (*cap - old) * elem);
}

#define FREE_ALL(...) do { \
	const char **fields_[] = {__VA_ARGS__}; \
	for (size_t i_ = 0; i_ < sizeof fields_ / sizeof fields_[0]; i_++) \
		str_free(*fields_[i_]); \
	} while (0)

void patient_clear(struct patient *p)
{
	FREE_ALL(&p->family, &p->given, &p->dob, &p->mrn, &p->phone, &p->email,
	         &p->address, &p->language, &p->risk, &p->ccm_consent,
	         &p->coordinator, &p->status, &p->best_time);
	memset(p, 0, sizeof *p);
}

void contact_clear(struct contact *c)
{
	FREE_ALL(&c->name, &c->kind, &c->organization, &c->phone, &c->email,
	         &c->address, &c->notes, &c->public_label, &c->role);
	memset(c, 0, sizeof *c);
}

void medication_clear(struct medication *m)
{
	FREE_ALL(&m->name, &m->dose, &m->refill_due, &m->status);
	memset(m, 0, sizeof *m);
}

void condition_clear(struct condition *c)
{
	FREE_ALL(&c->name, &c->onset, &c->status);
	memset(c, 0, sizeof *c);
}

void appointment_clear(struct appointment *a)
{
	FREE_ALL(&a->uid, &a->recurrence_id, &a->title, &a->location, &a->notes,
	         &a->tzid, &a->rrule, &a->rdate, &a->exdate, &a->status,
	         &a->transport, &a->source, &a->patient_name, &a->cancel_reason);
	memset(a, 0, sizeof *a);
}

void appointment_copy(struct appointment *dst, const struct appointment *src)
{
	*dst = *src;
	const char **f[] = {&dst->uid, &dst->recurrence_id, &dst->title, &dst->location,
	                    &dst->notes, &dst->tzid, &dst->rrule, &dst->rdate,
	                    &dst->exdate, &dst->status, &dst->transport, &dst->source,
	                    &dst->patient_name, &dst->cancel_reason};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		*f[i] = xstrdup(*f[i]);
}

void task_clear(struct task *t)
{
	FREE_ALL(&t->title, &t->kind, &t->priority, &t->status, &t->due,
	         &t->snoozed_until, &t->recurrence, &t->note, &t->owner, &t->patient_name);
	memset(t, 0, sizeof *t);
}

void member_clear(struct member *m)
{
	FREE_ALL(&m->login, &m->name, &m->role, &m->out_from, &m->out_to);
	memset(m, 0, sizeof *m);
}

bool team_role_supervises(const char *role)
{
	return code_find(&TEAM_ROLE, role) == 3;
}

bool member_out_on(const struct member *m, const char *day)
{
	return m->out_from && m->out_to && day && strcmp(m->out_from, day) <= 0 &&
	       strcmp(day, m->out_to) <= 0;
}

void entry_clear(struct entry *e)
{
	FREE_ALL(&e->kind, &e->outcome, &e->facility, &e->text, &e->ref_table,
	         &e->author);
	memset(e, 0, sizeof *e);
}

void time_entry_clear(struct time_entry *t)
{
	FREE_ALL(&t->day, &t->activity, &t->role);
	memset(t, 0, sizeof *t);
}

void care_plan_clear(struct care_plan *p)
{
	FREE_ALL(&p->template_name, &p->title, &p->status, &p->start, &p->review_every);
	memset(p, 0, sizeof *p);
}

void goal_clear(struct goal *g)
{
	FREE_ALL(&g->description, &g->target, &g->due, &g->status);
	memset(g, 0, sizeof *g);
}

#define LIST_FREE(name, clear) \
	void name##_free(struct name *l) \
	{ \
		for (size_t i = 0; i < l->len; i++) \
			clear(&l->items[i]); \
		free(l->items); \
		l->items = NULL; \
		l->len = l->cap = 0; \
	}
LIST_FREE(patient_list, patient_clear)
LIST_FREE(contact_list, contact_clear)
LIST_FREE(medication_list, medication_clear)
LIST_FREE(condition_list, condition_clear)
LIST_FREE(appointment_list, appointment_clear)
LIST_FREE(task_list, task_clear)
LIST_FREE(member_list, member_clear)
LIST_FREE(entry_list, entry_clear)
LIST_FREE(time_list, time_entry_clear)
LIST_FREE(plan_list, care_plan_clear)
LIST_FREE(goal_list, goal_clear)

/* caseload's code -> FHIR R4's, by element.  Most of caseload's sets are
 * FHIR's own codes (or a subset): those map to themselves, listed all the
 * same so that a code added to a set without a FHIR counterpart is caught
 * (test_model walks every set through this table). */
static const struct fhir_map {
	const char *element, *ours, *fhir;
} fhir_map[] = {
	{"Task.status", "requested", "requested"},
	{"Task.status", "in-progress", "in-progress"},
	{"Task.status", "on-hold", "on-hold"},
	{"Task.status", "completed", "completed"},
	{"Task.status", "cancelled", "cancelled"},
	{"Task.status", "failed", "failed"},
	{"Task.priority", "routine", "routine"},
	{"Task.priority", "urgent", "urgent"},
	{"Task.priority", "asap", "asap"},
	{"Task.priority", "stat", "stat"},
	{"Appointment.status", "booked", "booked"},
	{"Appointment.status", "proposed", "proposed"},
	{"Appointment.status", "pending", "pending"},
	{"Appointment.status", "arrived", "arrived"},
	{"Appointment.status", "fulfilled", "fulfilled"},
	{"Appointment.status", "cancelled", "cancelled"},
	{"Appointment.status", "noshow", "noshow"},
	{"Appointment.status", "entered-in-error", "entered-in-error"},
	{"Appointment.status", "checked-in", "checked-in"},
	{"Appointment.status", "waitlist", "waitlist"},
	{"CarePlan.status", "active", "active"},
	{"CarePlan.status", "draft", "draft"},
	{"CarePlan.status", "on-hold", "on-hold"},
	{"CarePlan.status", "revoked", "revoked"},
	{"CarePlan.status", "completed", "completed"},
	{"CarePlan.status", "entered-in-error", "entered-in-error"},
	{"CarePlan.status", "unknown", "unknown"},
	{"Goal.lifecycleStatus", "active", "active"},
	{"Goal.lifecycleStatus", "proposed", "proposed"},
	{"Goal.lifecycleStatus", "planned", "planned"},
	{"Goal.lifecycleStatus", "accepted", "accepted"},
	{"Goal.lifecycleStatus", "on-hold", "on-hold"},
	{"Goal.lifecycleStatus", "completed", "completed"},
	{"Goal.lifecycleStatus", "cancelled", "cancelled"},
	{"Goal.lifecycleStatus", "entered-in-error", "entered-in-error"},
	{"Goal.lifecycleStatus", "rejected", "rejected"},
	{"MedicationStatement.status", "active", "active"},
	{"MedicationStatement.status", "stopped", "stopped"},
	{"Condition.clinicalStatus", "active", "active"},
	{"Condition.clinicalStatus", "resolved", "resolved"},
	{"Condition.clinicalStatus", "inactive", "inactive"},
	{"EpisodeOfCare.status", "planned", "planned"},
	{"EpisodeOfCare.status", "active", "active"},
	{"EpisodeOfCare.status", "onhold", "onhold"},
	{"EpisodeOfCare.status", "finished", "finished"},
	{"EpisodeOfCare.status", "cancelled", "cancelled"},
	/* the attempt happened (a message left is a message sent), or not */
	{"Communication.status", "", "completed"},
	{"Communication.status", "reached", "completed"},
	{"Communication.status", "voicemail", "completed"},
	{"Communication.status", "left-message", "completed"},
	{"Communication.status", "no-answer", "not-done"},
	{"Communication.statusReason", "no-answer", "No answer"},
	/* the timeline's kinds that are Communications ("": no medium) */
	{"Communication.medium", "note", ""},
	{"Communication.medium", "call", "PHONE"},
	{"Communication.medium", "visit", "FACE"},
	{"Communication.medium", "message", "WRITTEN"},
	{"CareTeam.member", "primary-care", "Practitioner"},
	{"CareTeam.member", "specialist", "Practitioner"},
	{"CareTeam.member", "social-worker", "Practitioner"},
	{"CareTeam.member", "family", "RelatedPerson"},
	{"CareTeam.member", "pharmacy", "Organization"},
	{"CareTeam.member", "transport", "Organization"},
	{"CareTeam.member", "community", "Organization"},
	{"CareTeam.member", "hospital", "Organization"},
	{"CareTeam.member", "other", "Organization"},
	{"EpisodeOfCare.type", "ccm", "Chronic care management"},
	{"EpisodeOfCare.type", "pcm", "Principal care management"},
	{"EpisodeOfCare.type", "apcm", "Advanced primary care management"},
	{"EpisodeOfCare.type", "tcm", "Transitional care management"},
	{"EpisodeOfCare.type", "pin", "Principal illness navigation"},
	{"EpisodeOfCare.type", "chi", "Community health integration"},
};

const char *fhir_code(const char *element, const char *code)
{
	if (!element || !code)
		return NULL;
	for (size_t i = 0; i < sizeof fhir_map / sizeof fhir_map[0]; i++)
		if (!strcmp(fhir_map[i].element, element) && !strcmp(fhir_map[i].ours, code))
			return fhir_map[i].fhir;
	return NULL;
}

/* n random bytes from one getrandom(2) call: no file to open per UID
 * (a demo or an import makes hundreds of thousands of them). */
static void random_bytes(unsigned char *r, size_t n)
{
	ssize_t got;
	do
		got = getrandom(r, n, 0);
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)n) {
		/* no getrandom: time and address bits still make a collision unlikely */
		unsigned long long x = (unsigned long long)time(NULL) ^ (unsigned long long)(size_t)r;
		for (size_t i = 0; i < n; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			r[i] = (unsigned char)(x >> 56);
	}
}

static void hex_into(char *hex, const unsigned char *r, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[r[i] >> 4];
		hex[2 * i + 1] = digits[r[i] & 15];
	}
	hex[2 * n] = '\0';
}

char *random_uid(void)
{
	unsigned char r[16];
	char hex[33];
	random_bytes(r, sizeof r);
	hex_into(hex, r, sizeof r);
	return xasprintf("%s@caseload", hex);
}

/* Time-ordered, like a UUIDv7 (RFC 9562): 12 hex digits of the Unix time
 * in milliseconds, then 80 random bits.  A new UID sorts after the older
 * ones, so the appointment table's UID index grows at its end instead of
 * at a random page (a demo or an import of 100,000 patients no longer
 * reads and writes its whole UID index over and over); 80 random bits a
 * millisecond keep UIDs unique.  What it tells whoever gets the calendar:
 * when the appointment was first saved, to the millisecond. */
char *appointment_new_uid(void)
{
	unsigned char r[16];
	struct timespec ts;
	unsigned long long ms = 0;
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 0)
		ms = (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
	for (int i = 5; i >= 0; i--, ms >>= 8)
		r[i] = (unsigned char)(ms & 0xff);
	random_bytes(r + 6, sizeof r - 6);
	char hex[33];
	hex_into(hex, r, sizeof r);
	return xasprintf("%s@caseload", hex);
}

char *patient_display_name(const char *family, const char *given)
{
	if (given && *given)
		return xasprintf("%s, %s", family ? family : "", given);
	return xstrdup(family ? family : "");
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *r = xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

int patient_split_name(const char *full, const char **family, const char **given)
{
	const char *comma = strchr(full, ',');
	if (comma) {
		*family = trimmed(full, (size_t)(comma - full));
		*given = trimmed(comma + 1, strlen(comma + 1));
	} else {
		const char *sp = strrchr(full, ' ');
		if (sp) {
			*family = trimmed(sp + 1, strlen(sp + 1));
			*given = trimmed(full, (size_t)(sp - full));
		} else {
			*family = trimmed(full, strlen(full));
			*given = xstrdup("");
		}
	}
	if (!**family) {
		str_free(*family);
		str_free(*given);
		*family = *given = NULL;
		return -1;
	}
	return 0;
}
