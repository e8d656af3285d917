/* store_program: consent and episode rows (issue 16).  Lists own their
 * strings.  Checks of meaning (is a consent in force, one open episode
 * per program) are program.c's; these read and write rows, audited, with
 * the undo log's notes and the version check on updates. */
#ifndef CASELOAD_STORE_PROGRAM_H
#define CASELOAD_STORE_PROGRAM_H
#include "caseload/program.h"

int store_consent_add(struct store *s, struct consent *c, struct err *e);
int store_consent_get(struct store *s, long long id, struct consent *out, struct err *e);
/* The newest consent of the patient to program in force on day (given on
 * or before it, not withdrawn by then): *id 0 when none. */
int store_consent_in_force(struct store *s, long long patient_id, const char *program,
                           const char *day, long long *id, struct err *e);
/* Write given, withdrawn, method and note over consent c->id if
 * c->version is still the row's (ERR_CONFLICT naming who changed it). */
int store_consent_update(struct store *s, const struct consent *c, struct err *e);
/* A patient's consents (0: everyone's), by patient, program, day given. */
int store_consent_list(struct store *s, long long patient_id, struct consent_list *out,
                       struct err *e);

int store_episode_add(struct store *s, struct episode *ep, struct err *e);
int store_episode_get(struct store *s, long long id, struct episode *out, struct err *e);
/* The patient's open episodes (of program, or of any when NULL). */
int store_episode_open(struct store *s, long long patient_id, const char *program,
                       struct episode_list *out, struct err *e);
/* Write status, end day and the TCM days and complexity over episode
 * ep->id if ep->version is still the row's (ERR_CONFLICT naming who
 * changed it); the audit names the fields that changed.  The one writer
 * of an episode after it is added. */
int store_episode_update(struct store *s, const struct episode *ep, struct err *e);
/* Listings: a patient's every episode, or everyone's open ones; with
 * each its minutes logged from..to. */
int store_episode_list(struct store *s, long long patient_id, const char *program,
                       const char *from, const char *to, struct episode_list *out,
                       struct err *e);

#endif
