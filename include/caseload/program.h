/* program: care-management programs (issue 16).  A patient's consent to a
 * program (how it was given, the day, who captured it, the day it was
 * withdrawn) and their enrollment in it, an episode of care (FHIR
 * EpisodeOfCare: planned, active, onhold, finished, cancelled).  An
 * enrollment needs a consent to that program in force on its first day;
 * a patient has at most one open episode per program; withdrawing a
 * consent ends the open episodes of its program that day.  Minutes count
 * only toward a program the patient is enrolled in and consented to.
 * Each change is one transaction with its audit rows, can be undone, and
 * notes what it changed in `ch` (may be NULL). */
#ifndef CASELOAD_PROGRAM_H
#define CASELOAD_PROGRAM_H
#include <stdbool.h>
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

extern const struct codeset PROGRAM;         /* ccm pcm apcm tcm pin chi */
extern const struct codeset CONSENT_METHOD;  /* verbal written unrecorded */
extern const struct codeset EPISODE_STATUS;  /* FHIR EpisodeOfCare.status */
extern const struct codeset TIME_ROLE;       /* staff practitioner navigator */

/* "CCM" for "ccm": how a program is named to people. */
const char *program_label(const char *program);
/* Whether an episode's status is open (planned, active, onhold). */
bool episode_open(const char *status);

struct consent {
	long long id, patient_id;
	const char *program;             /* PROGRAM code */
	const char *method;              /* CONSENT_METHOD code */
	const char *given;               /* YYYY-MM-DD */
	const char *captured_by;         /* a login */
	const char *withdrawn;           /* YYYY-MM-DD or NULL */
	const char *note;
	long long version;
	long long created;               /* the row's instant (FHIR ids are made from it) */
};
struct episode {
	long long id, patient_id;
	const char *program, *status;    /* PROGRAM, EPISODE_STATUS codes */
	const char *started, *ended;     /* YYYY-MM-DD; ended NULL while open, but a TCM
	                                  * episode's is its period's last day from the
	                                  * start (episode_status_on) */
	long long consent_id;            /* 0: none (a TCM episode) */
	const char *practitioner;
	long long discharge_id;          /* the discharge a TCM episode follows */
	const char *face_to_face, *med_rec;   /* TCM: YYYY-MM-DD or NULL */
	const char *complexity;          /* TCM: moderate, high or NULL */
	long long version;
	long long created;               /* the row's instant (FHIR ids are made from it) */
	long long minutes;               /* listings: this month's minutes */
	int threshold;                   /* the chart: the program's monthly minutes */
};
/* The status an episode reads as on `today`: an open one whose last day
 * is before today reads finished (a TCM episode once its period is past:
 * nothing writes that), any other its own.  episode_open_on: whether
 * that status is open. */
const char *episode_status_on(const struct episode *ep, int today);
bool episode_open_on(const struct episode *ep, int today);
LIST_OF(consent, consent_list);
LIST_OF(episode, episode_list);
void consent_clear(struct consent *c);
void episode_clear(struct episode *ep);
void consent_list_free(struct consent_list *l);
void episode_list_free(struct episode_list *l);

/* A consent of c->patient_id to c->program, given on c->given by method
 * verbal or written (unrecorded: a day kept from before, method unknown);
 * captured_by defaults to the store's user.  Refused when a consent to
 * that program is in force on that day already.  Sets c->id. */
int program_consent_add(struct store *s, struct consent *c, struct change *ch, struct err *e);
/* Consent id withdrawn on `day` (YYYY-MM-DD, not before it was given);
 * the patient's open episodes of that program end that day (finished).
 * version: the consent's as read (0: as it is now).  *ended (may be NULL):
 * how many episodes ended. */
int program_consent_withdraw(struct store *s, long long id, const char *day, long long version,
                             int *ended, struct change *ch, struct err *e);
/* Enroll ep->patient_id in ep->program from ep->started (status active
 * unless given): refused without a consent to that program in force that
 * day ("no consent to CCM on file for patient 12"), when an episode of it
 * is open already, and for TCM (a discharge opens it).  Sets ep->id and
 * ep->consent_id. */
int program_enroll(struct store *s, struct episode *ep, struct change *ch, struct err *e);
/* End open episode id on `day` with status finished or cancelled. */
int program_end(struct store *s, long long id, const char *status, const char *day,
                long long version, struct change *ch, struct err *e);
/* A patient's episodes (every one) or, patient_id 0, everyone's open
 * ones on today; program (NULL: any) narrows.  Each with its minutes of
 * the month from..to (YYYY-MM-DD) and the status it reads as on today
 * (episode_status_on). */
int program_list(struct store *s, long long patient_id, const char *program, const char *from,
                 const char *to, int today, struct episode_list *out, struct err *e);
int program_consents(struct store *s, long long patient_id, struct consent_list *out,
                     struct err *e);

/* The open episode minutes of t->patient_id on t->day go to: the one of
 * `program` (NULL: the only open one), consented that day.  Refused
 * (ERR_USAGE, naming the patient and the program) otherwise; without a
 * program and no episode at all, ERR_NOTFOUND (with its message).  Sets
 * *episode_id.  A store transaction may be open (the caller's). */
int program_episode_for_time(struct store *s, long long patient_id, const char *program,
                             const char *day, long long *episode_id, struct err *e);
/* The monthly minutes a program's time is held against (CCM 20, PCM 30,
 * PIN and CHI 60; 0 for APCM and TCM), from the billing rules file in
 * force on `month` (an ISO day); without one, review.ccm_minutes for CCM. */
struct config;
int program_threshold(const struct config *cfg, const char *program, const char *month);

#endif
