/* patient: adding and editing a patient, the same from the command line
 * and the screen.  A patient is never told apart by name alone: a new or
 * changed patient with the same name as another (folded: accents, case
 * and script aside) and the same date of birth, or with another's MRN, is
 * refused with ERR_CONFLICT and a message naming the other record (id,
 * name, date of birth, MRN: it is for the coordinator, never logged).
 * The caller may insist on the name and date of birth (a real namesake);
 * an MRN stays unique. */
#ifndef CASELOAD_PATIENT_H
#define CASELOAD_PATIENT_H
#include <stdbool.h>
#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* The patient a refused add or edit would duplicate. */
struct patient_dup {
	long long id;            /* the other patient; 0 when not refused as a duplicate */
	bool same_mrn;           /* it has the MRN: allow_duplicate does not help */
};

struct patient_req {
	struct patient *p;       /* the fields; patient_add sets p->id; for
	                            patient_edit p->id names the patient */
	bool allow_duplicate;    /* save even with the name and date of birth
	                            of another patient */
	struct patient_dup *dup; /* may be NULL: filled when refused as a duplicate */
	const char *by;          /* who adds (a login; may be NULL): without a
	                            coordinator given, the patient is theirs
	                            when they are on the team */
};

/* Add a patient (one transaction, audited). */
int patient_add(struct store *s, const struct patient_req *rq, struct change *ch,
                struct err *e);
/* Write every field of rq->p over patient rq->p->id, if rq->p->version
 * is still the row's (ERR_CONFLICT naming who changed it, when and what,
 * otherwise; on success rq->p->version is the new one).  The duplicate
 * check applies only when the edit changes the name, the date of birth
 * or the MRN: a patient kept as a namesake can still be edited. */
int patient_edit(struct store *s, const struct patient_req *rq, struct change *ch,
                 struct err *e);

#endif
