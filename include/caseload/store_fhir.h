/* store_fhir: the reads the FHIR export needs that no screen does: the
 * creation instant of each of a patient's rows (half of the name its
 * stable FHIR id is made from), and the patients a page at a time by id.
 * Lists own their strings (free with their _free function). */
#ifndef CASELOAD_STORE_FHIR_H
#define CASELOAD_STORE_FHIR_H
#include <stdbool.h>
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

/* meta's key for the caseload's FHIR namespace (made by a migration) */
#define STORE_META_FHIR_NS "fhir_namespace"

/* When each row of a patient was made (created, integer seconds): the
 * patient itself, its conditions, medications, care plans, goals, tasks,
 * timeline entries, consents, episodes and the contacts of its care team. */
enum fhir_table {
	FHIR_T_PATIENT, FHIR_T_CONTACT, FHIR_T_CONDITION, FHIR_T_MEDICATION, FHIR_T_PLAN,
	FHIR_T_GOAL, FHIR_T_TASK, FHIR_T_ENTRY, FHIR_T_CONSENT, FHIR_T_EPISODE, FHIR_T_N
};
struct fhir_stamp {
	long long id, created;
};
LIST_OF(fhir_stamp, fhir_stamp_list);
struct fhir_stamps {
	struct fhir_stamp_list t[FHIR_T_N];   /* each sorted by id */
};
int store_fhir_stamps(struct store *s, long long patient_id, struct fhir_stamps *out,
                      struct err *e);
/* The created instant of row id of table t, or -1 when not read. */
long long fhir_stamp_of(const struct fhir_stamps *st, enum fhir_table t, long long id);
void fhir_stamps_free(struct fhir_stamps *st);

/* Up to `max` patient ids (every status) greater than `after`, in order:
 * a walk of the whole caseload a page at a time. */
int store_fhir_patient_page(struct store *s, long long after, int max, long long *ids,
                            int *n, struct err *e);
/* The same walk of every contact, with when each was made. */
int store_fhir_contact_page(struct store *s, long long after, int max, struct fhir_stamp *out,
                            int *n, struct err *e);

#endif
