/* model: the records of a caseload as plain structs, and the coded values
 * they use (with the FHIR R4 codes where a value set exists).  Strings in
 * a struct are const to its readers: a struct the store filled owns them
 * (its _clear, a list's one _free function, releases them with str_free);
 * a struct a caller fills for a write borrows them. */
#ifndef CASELOAD_MODEL_H
#define CASELOAD_MODEL_H
#include <stdbool.h>
#include <stddef.h>

/* A coded value set: the codes in order; index 0 is the default unless
 * said otherwise.  code_find returns the index or -1: for the sets the
 * program decides by, an enum below (RISK_HIGH, APPT_BOOKED, ...). */
struct codeset {
	const char *name;          /* what the codes are, for messages */
	const char *const *codes;
	int n;
};
int code_find(const struct codeset *set, const char *code);
/* "a, b or c" listing of the codes, into a static buffer. */
const char *code_list(const struct codeset *set);

extern const struct codeset RISK;          /* low medium high */
extern const struct codeset PATIENT_STATUS;/* active inactive */
extern const struct codeset CONTACT_KIND;  /* primary-care specialist pharmacy ... */
extern const struct codeset APPT_STATUS;   /* FHIR Appointment.status */
extern const struct codeset TRANSPORT;     /* none needed arranged confirmed */
extern const struct codeset TASK_KIND;     /* call refill transport ... */
extern const struct codeset TASK_PRIORITY; /* FHIR Task.priority */
extern const struct codeset TASK_STATUS;   /* subset of FHIR Task.status */
extern const struct codeset ENTRY_KIND;    /* timeline entry kinds */
extern const struct codeset OUTCOME;       /* contact attempt outcomes */
extern const struct codeset PLAN_STATUS;   /* FHIR CarePlan.status */
extern const struct codeset GOAL_STATUS;   /* FHIR Goal.lifecycleStatus */
extern const struct codeset MED_STATUS;    /* active stopped */
extern const struct codeset CONDITION_STATUS;   /* active resolved inactive */
extern const struct codeset BEST_TIME;     /* morning afternoon evening */
extern const struct codeset TEAM_ROLE;     /* coordinator nurse social-worker supervisor */
/* Why an appointment was cancelled: FHIR R4's appointment-cancellation-
 * reason codes (terminology.hl7.org), "pat-lt" lack of transportation,
 * "oth-int" no interpreter, ...; and each code's display ("Patient: Lack
 * of Transportation"), NULL for an unknown code. */
extern const struct codeset APPT_CANCEL_REASON;
const char *appt_cancel_reason_display(const char *code);

/* FHIR R4: the code an element takes for one of caseload's codes, from
 * one table (model.c), or NULL when the code has none there: an export
 * never passes a code through unmapped.  Elements: "Task.status",
 * "Task.priority", "Appointment.status", "CarePlan.status",
 * "Goal.lifecycleStatus", "MedicationStatement.status",
 * "Condition.clinicalStatus", "EpisodeOfCare.status" (an episode's
 * status), "Communication.status" (a contact's outcome, "" for a note),
 * "Communication.medium" (v3 ParticipationMode, by entry kind),
 * "CareTeam.member" (the resource type a contact kind is: RelatedPerson,
 * Practitioner or Organization) and "EpisodeOfCare.type" (a program's
 * name in words). */
const char *fhir_code(const char *element, const char *code);

/* The codes the program decides by, in their set's order: model.c builds
 * the codeset from the same list, so code_find(&APPT_STATUS, s) ==
 * APPT_BOOKED holds by construction (and -1 is an unknown code). */
#define RISK_CODES(X) X(RISK_LOW, "low") X(RISK_MEDIUM, "medium") X(RISK_HIGH, "high")
#define APPT_STATUS_CODES(X) \
	X(APPT_BOOKED, "booked") X(APPT_PROPOSED, "proposed") X(APPT_PENDING, "pending") \
	X(APPT_ARRIVED, "arrived") X(APPT_FULFILLED, "fulfilled") \
	X(APPT_CANCELLED, "cancelled") X(APPT_NOSHOW, "noshow") \
	X(APPT_ENTERED_IN_ERROR, "entered-in-error") X(APPT_CHECKED_IN, "checked-in") \
	X(APPT_WAITLIST, "waitlist")
#define TRANSPORT_CODES(X) \
	X(TRANSPORT_NONE, "none") X(TRANSPORT_NEEDED, "needed") \
	X(TRANSPORT_ARRANGED, "arranged") X(TRANSPORT_CONFIRMED, "confirmed")
#define TASK_PRIORITY_CODES(X) \
	X(PRIORITY_ROUTINE, "routine") X(PRIORITY_URGENT, "urgent") X(PRIORITY_ASAP, "asap") \
	X(PRIORITY_STAT, "stat")
#define TASK_STATUS_CODES(X) \
	X(TASK_REQUESTED, "requested") X(TASK_IN_PROGRESS, "in-progress") \
	X(TASK_ON_HOLD, "on-hold") X(TASK_COMPLETED, "completed") \
	X(TASK_CANCELLED, "cancelled") X(TASK_FAILED, "failed")
#define PLAN_STATUS_CODES(X) \
	X(PLAN_ACTIVE, "active") X(PLAN_DRAFT, "draft") X(PLAN_ON_HOLD, "on-hold") \
	X(PLAN_REVOKED, "revoked") X(PLAN_COMPLETED, "completed") \
	X(PLAN_ENTERED_IN_ERROR, "entered-in-error") X(PLAN_UNKNOWN, "unknown")
/* FHIR Goal.lifecycleStatus */
#define GOAL_STATUS_CODES(X) \
	X(GOAL_ACTIVE, "active") X(GOAL_PROPOSED, "proposed") X(GOAL_PLANNED, "planned") \
	X(GOAL_ACCEPTED, "accepted") X(GOAL_ON_HOLD, "on-hold") X(GOAL_COMPLETED, "completed") \
	X(GOAL_CANCELLED, "cancelled") X(GOAL_ENTERED_IN_ERROR, "entered-in-error") \
	X(GOAL_REJECTED, "rejected")
#define OUTCOME_CODES(X) \
	X(OUTCOME_REACHED, "reached") X(OUTCOME_NO_ANSWER, "no-answer") \
	X(OUTCOME_VOICEMAIL, "voicemail") X(OUTCOME_LEFT_MESSAGE, "left-message")
/* When a patient is best called: morning before noon, afternoon to 17:00,
 * evening after (local time). */
#define BEST_TIME_CODES(X) \
	X(BEST_MORNING, "morning") X(BEST_AFTERNOON, "afternoon") X(BEST_EVENING, "evening")
#define MED_STATUS_CODES(X) X(MED_ACTIVE, "active") X(MED_STOPPED, "stopped")
#define CONDITION_STATUS_CODES(X) X(CONDITION_ACTIVE, "active") \
	X(CONDITION_RESOLVED, "resolved") X(CONDITION_INACTIVE, "inactive")

#define CODE_ENUM_(name, code) name,
enum risk { RISK_CODES(CODE_ENUM_) };
enum appt_status { APPT_STATUS_CODES(CODE_ENUM_) };
enum transport { TRANSPORT_CODES(CODE_ENUM_) };
enum task_priority { TASK_PRIORITY_CODES(CODE_ENUM_) };
enum task_status { TASK_STATUS_CODES(CODE_ENUM_) };
enum plan_status { PLAN_STATUS_CODES(CODE_ENUM_) };
enum goal_status { GOAL_STATUS_CODES(CODE_ENUM_) };
enum med_status { MED_STATUS_CODES(CODE_ENUM_) };
enum best_time { BEST_TIME_CODES(CODE_ENUM_) };
enum outcome { OUTCOME_CODES(CODE_ENUM_) };
enum condition_status { CONDITION_STATUS_CODES(CODE_ENUM_) };

/* Default check-in cadence in days by risk (high 7, medium 14, low 30). */
int risk_default_cadence(const char *risk);

/* The sets of codes the program decides by, each defined here once (the
 * store's SQL_ fragments in src/store/store_internal.h spell the same
 * sets; test_model checks that they agree).  NULL or an unknown code is in
 * no set. */
/* Tasks: open (requested, in-progress, on-hold: in the queue) or closed
 * (completed, cancelled, failed); every task is one or the other. */
bool task_status_open(const char *status);
bool task_status_closed(const char *status);
/* Appointments that will not or did not take place (cancelled, noshow,
 * entered-in-error): never the next visit nor a follow-up.  Live ones
 * (booked, pending) are still to take place and to be prepared for (a
 * ride, a confirmation call); proposed, waitlist, arrived, checked-in and
 * fulfilled are neither. */
bool appt_status_gone(const char *status);
bool appt_status_live(const char *status);
/* Contact attempts: the patient was reached; or not (no-answer,
 * voicemail, left-message: to be tried again). */
bool outcome_reached(const char *outcome);
bool outcome_retry(const char *outcome);
/* Priorities above routine (urgent, asap, stat). */
bool task_priority_urgent(const char *priority);
/* A ride is part of the visit (needed, arranged, confirmed); of those,
 * not confirmed yet (needed, arranged). */
bool transport_wanted(const char *transport);
bool transport_unconfirmed(const char *transport);
/* Care plans still running (active, on-hold, draft), and the statuses a
 * plan is closed with (completed, revoked). */
bool plan_status_open(const char *status);
bool plan_status_closes(const char *status);
/* Goals still to reach: active, proposed, planned, accepted, on-hold (not
 * completed, cancelled, rejected nor entered in error). */
bool goal_status_open(const char *status);

struct patient {
	long long id;
	const char *family, *given;
	const char *dob;                 /* YYYY-MM-DD or NULL */
	const char *mrn, *phone, *email, *address, *language;
	bool interpreter;          /* needs an interpreter (for `language`) */
	bool do_not_contact;       /* asked not to be called: the call list
	                              lists the reason without the phone */
	bool qmb;                  /* a Qualified Medicare Beneficiary (APCM's
	                              G0558 needs it) */
	const char *best_time;           /* BEST_TIME code, or NULL: any time */
	const char *risk;                /* RISK code */
	int cadence_days;          /* 0: the default for the risk */
	const char *ccm_consent;         /* date of chronic care management consent */
	const char *coordinator;         /* the primary coordinator: a team member's
	                                    login, or NULL */
	const char *status;              /* PATIENT_STATUS code */
	long long version;         /* the row's version when read: an update
	                              must still match it (0 for a new one) */
};

struct contact {
	long long id;
	const char *name, *kind, *organization, *phone, *email, *address, *notes;
	const char *public_label;        /* the neutral name a minimal export gives
	                                    ("Lakeview Clinic"), or NULL */
	const char *role;                /* set when listed as a patient's care team */
	long long version;         /* the row's version when read (updates check it) */
	long long team_id, team_version;   /* the care_team row, so listed (else 0) */
};

struct medication {
	long long id, patient_id;
	const char *name, *dose;
	long long prescriber_id, pharmacy_id;  /* contacts, 0 if none */
	const char *refill_due;          /* YYYY-MM-DD or NULL */
	const char *status;
	long long version;               /* the row's, as read */
};

/* A condition of a patient (status active, resolved or inactive). */
struct condition {
	long long id, patient_id;
	const char *name, *onset;        /* onset YYYY-MM-DD or NULL */
	const char *status;
	long long version;
};

struct appointment {
	long long id;
	long long patient_id;      /* 0: unassigned (imported, no match yet) */
	const char *uid;                 /* iCalendar UID, stable across exports */
	const char *recurrence_id;       /* "" for a series or single event; for an
	                              override, the occurrence's UTC instant */
	const char *title, *location, *notes;
	long long provider_id;     /* contact, 0 if none */
	long long start, end;      /* UTC instants; end exclusive */
	const char *tzid;                /* the zone it was made in, NULL: floating/UTC */
	bool all_day;              /* start/end are midnights UTC of the dates */
	const char *rrule, *rdate, *exdate; /* iCalendar text, NULL if none */
	long long series_end;      /* a series' last occurrence end; 0: open or
	                              unknown (always searched) */
	const char *status;              /* APPT_STATUS code */
	const char *transport;           /* TRANSPORT code */
	int sequence;
	long long dtstamp, last_modified;  /* 0 if unknown */
	const char *source;              /* "manual", "import:<file name>", ... */
	long long booked_at;       /* when it was created or booked */
	const char *patient_name;        /* filled by listings: "Family, Given" */
	long long version;         /* the row's version when read (updates check it) */
	const char *cancel_reason;       /* APPT_CANCEL_REASON code of a cancelled one */
};

struct task {
	long long id, patient_id;
	const char *title, *kind, *priority, *status;
	const char *due;                 /* YYYY-MM-DD or NULL */
	const char *snoozed_until;       /* YYYY-MM-DD or NULL */
	long long plan_id;         /* care plan it came from, 0 if none */
	const char *recurrence;          /* e.g. "every 1mo", NULL if none */
	const char *note;
	long long completed_at;
	const char *owner;               /* a team member's login, NULL: unassigned */
	long long version;         /* the row's version when read: an update
	                              must still match it (0 for a new one) */
	const char *patient_name;        /* filled by listings */
};

struct entry {                 /* a timeline entry */
	long long id, patient_id;
	long long at;              /* UTC instant */
	const char *kind;                /* ENTRY_KIND code */
	const char *outcome;             /* OUTCOME code for contact attempts, or NULL */
	int minutes;
	const char *program;             /* adding: the PROGRAM code the minutes count
	                                    toward (NULL: the patient's one) */
	const char *facility;            /* admissions and discharges */
	const char *text;
	const char *ref_table;           /* the record it is about, if any */
	long long ref_id;
	bool needs_review;
	long long reviewed_at;     /* 0: not yet acknowledged */
	const char *author;
	long long version;         /* the row's version when read (updates check it) */
};

struct time_entry {
	long long id, patient_id;
	const char *day;                 /* YYYY-MM-DD */
	int minutes;
	const char *activity;
	long long episode_id;            /* the program episode it counts toward (0: none) */
	const char *role;                /* staff practitioner navigator (NULL: staff) */
};

struct care_plan {
	long long id, patient_id;
	const char *template_name, *title, *status;
	const char *start;               /* YYYY-MM-DD */
	const char *review_every;        /* offset text, e.g. "+1mo" */
	long long created;
	long long version;         /* the row's version when read (updates check it) */
};

struct goal {
	long long id, plan_id, patient_id;
	const char *description, *target, *due, *status;
};

/* A person of the team: the login is who the audit records; out_from and
 * out_to (YYYY-MM-DD, NULL: not out) the days they are away, when their
 * open tasks show to the team as covered. */
struct member {
	long long id;
	const char *login, *name;
	const char *role;                /* TEAM_ROLE code */
	const char *out_from, *out_to;
	long long version;
};

#define LIST_OF(T, name) struct name { struct T *items; size_t len, cap; }
LIST_OF(patient, patient_list);
LIST_OF(contact, contact_list);
LIST_OF(medication, medication_list);
LIST_OF(condition, condition_list);
LIST_OF(appointment, appointment_list);
LIST_OF(task, task_list);
LIST_OF(entry, entry_list);
LIST_OF(time_entry, time_list);
LIST_OF(care_plan, plan_list);
LIST_OF(goal, goal_list);

void patient_clear(struct patient *p);
void condition_clear(struct condition *c);
void contact_clear(struct contact *c);
void medication_clear(struct medication *m);
void appointment_clear(struct appointment *a);
void task_clear(struct task *t);
void entry_clear(struct entry *e);
void time_entry_clear(struct time_entry *t);
void care_plan_clear(struct care_plan *p);
void goal_clear(struct goal *g);
void appointment_copy(struct appointment *dst, const struct appointment *src);

void patient_list_free(struct patient_list *l);
void contact_list_free(struct contact_list *l);
void medication_list_free(struct medication_list *l);
void condition_list_free(struct condition_list *l);
void appointment_list_free(struct appointment_list *l);
void task_list_free(struct task_list *l);
LIST_OF(member, member_list);
void member_clear(struct member *m);
void member_list_free(struct member_list *l);
/* Whether a supervisor (whose review and workload default to the team). */
bool team_role_supervises(const char *role);
/* Whether m is out on day (YYYY-MM-DD). */
bool member_out_on(const struct member *m, const char *day);
void entry_list_free(struct entry_list *l);
void time_list_free(struct time_list *l);
void plan_list_free(struct plan_list *l);
void goal_list_free(struct goal_list *l);

/* Append a zeroed item to a list and return it. */
#define LIST_PUSH(l) (list_grow((void **)&(l)->items, &(l)->cap, (l)->len, sizeof *(l)->items), \
                      &(l)->items[(l)->len++])
void list_grow(void **items, size_t *cap, size_t len, size_t elem);

/* A new globally unique iCalendar UID ("<32 hex>@caseload"), caller frees:
 * the first 12 hex digits are the time it was made (ms), so UIDs made later
 * sort later. */
char *appointment_new_uid(void);
/* "<32 hex>@caseload", all 128 bits random (the FHIR namespace), caller frees. */
char *random_uid(void);
/* "Family, Given" (or just Family), caller frees. */
char *patient_display_name(const char *family, const char *given);
/* Split "Family, Given" (or "Given Family") into its parts; 0 or -1. */
int patient_split_name(const char *full, const char **family, const char **given);

#endif
