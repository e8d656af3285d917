/* fhir_export: a patient's record as a FHIR R4 Bundle (type collection),
 * or the whole caseload as Bulk Data NDJSON files (one resource type per
 * file, one resource a line), read through the store a patient at a time.
 * Ids are name-based UUIDs of the caseload's namespace and each row's
 * table, id and creation instant: two exports of the same rows give the
 * same ids.  Minimum necessary by default: no free text of notes (a
 * Communication's payload, Task.note, Appointment.comment, ...) unless
 * the detail is "full". */
#ifndef CASELOAD_FHIR_EXPORT_H
#define CASELOAD_FHIR_EXPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "caseload/err.h"

struct store;

#define FHIR_EXPORT_DETAIL "minimum"   /* or "full" */

/* The resource types, in the order a Bundle lists them. */
#define FHIR_TYPES(X) X(Patient) X(RelatedPerson) X(Practitioner) X(Organization) \
	X(CareTeam) X(Condition) X(MedicationStatement) X(CarePlan) X(Goal) X(Task) \
	X(Appointment) X(Communication) X(EpisodeOfCare) X(Consent)
#define FHIR_TYPE_ENUM_(t) FHIR_##t,
enum fhir_type { FHIR_TYPES(FHIR_TYPE_ENUM_) FHIR_TYPE_N };
const char *fhir_type_name(enum fhir_type t);

struct fhir_export_req {
	long long patient_id;      /* the Bundle's patient */
	const char *detail;        /* "minimum" or "full"; NULL: FHIR_EXPORT_DETAIL */
	const char *path;          /* the Bundle's file, NULL: to `out` */
	bool replace;              /* an existing file may be replaced */
	const char *dir;           /* NDJSON: the folder made for the files */
	int today;                 /* a TCM episode's status (civil date) */
	long long now;             /* the Bundle's timestamp */
	const char *zone;          /* the day of a discharge */
};
struct fhir_export_result {
	size_t patients;
	size_t count[FHIR_TYPE_N]; /* resources written, by type */
};

/* One patient's Bundle, to rq->path (written whole or not at all, mode
 * 0600) or to out (once it is whole: a failure prints nothing).  ERR_NOTFOUND for an unknown patient, ERR_USAGE for a
 * bad detail, nothing written either way. */
int fhir_export_bundle(struct store *s, const struct fhir_export_req *rq, FILE *out,
                       struct fhir_export_result *res, struct err *e);
/* Every patient (every status) into rq->dir: TYPE.ndjson for each type
 * that has resources, references as "Type/id".  The files are made in a
 * new folder beside it that is renamed to rq->dir at the end: rq->dir must
 * not exist or be empty, and on failure it is as it was. */
int fhir_export_ndjson(struct store *s, const struct fhir_export_req *rq,
                       struct fhir_export_result *res, struct err *e);

#endif
