/* roster: a health plan's member list (CSV or TSV, a header row) into
 * the caseload.  The header's names map to patient fields (by name, the
 * names `patient list --format csv` writes and a few common ones, or as
 * the caller maps them); rows are matched by MRN: a new MRN is a new
 * patient, a known one is updated where a value differs, nobody is
 * deleted, and an empty cell changes nothing.  The file is read twice:
 * first every value is checked (by the rules of `patient add`; problems
 * name the line and the column) and the MRNs must be unique, then the
 * whole roster is written in one transaction through the patient use
 * cases: one change group (`undo` takes it back whole), nothing written
 * on any error.  Memory is bounded: the MRNs of at most ROSTER_ROWS_MAX
 * rows, and one record. */
#ifndef CASELOAD_ROSTER_H
#define CASELOAD_ROSTER_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/change.h"
#include "caseload/err.h"

struct store;

/* The patient fields a column can map to. */
enum roster_field {
	RF_NAME,         /* "Family, Given" */
	RF_FAMILY, RF_GIVEN, RF_DOB, RF_MRN, RF_PHONE, RF_EMAIL, RF_ADDRESS, RF_LANGUAGE,
	RF_INTERPRETER,  /* yes or no */
	RF_QMB,          /* yes or no: a Qualified Medicare Beneficiary */
	RF_RISK, RF_CADENCE, RF_STATUS, RF_COORDINATOR,
	RF_N
};
/* The field's name in --map and in messages ("dob"). */
const char *roster_field_name(enum roster_field f);

/* The most rows a roster may have (DESIGN's caseload at scale: 100,000
 * patients).  It is one transaction: 100,000 new patients take some 17 s
 * of CPU time (68 s on a loaded machine), which every other writer waits
 * for.  A longer file is read to
 * its end (to count it, holding nothing) and refused. */
#define ROSTER_ROWS_MAX 100000

/* Problems reported through opts->problem before the reading stops. */
#define ROSTER_PROBLEMS_MAX 20

struct roster_opts {
	const char *map;           /* "Member ID=mrn,Plan=-" (a column to a
	                              field, or ignored), or NULL */
	char sep;                  /* ',' or '\t'; 0: a tab for a name ending
	                              in .tsv or .tab, else as the first line
	                              suggests (csv_sniff) */
	bool dry_run;              /* everything but the commit */
	const char *coordinator;   /* a team member's login: new patients
	                              without a coordinator column are theirs */
	const char *by;            /* who imports; as for patient add, new
	                              patients are theirs when on the team */
	int today;                 /* a date of birth is not after it */
	/* Each problem found while checking, up to ROSTER_PROBLEMS_MAX (then
	 * the import fails with a count); NULL: the first one fails it. */
	void (*problem)(void *ctx, const struct err *e);
	/* Each patient added or updated, with the fields that changed
	 * ("phone, risk"); may be NULL. */
	void (*changed)(void *ctx, int line, long long patient_id, bool added,
	                const char *fields);
	void *ctx;
};

struct roster_summary {
	long long rows, added, updated, unchanged;
	long long by_field[RF_N];  /* updated patients, per field changed */
	long long group;           /* the change group written (0: none) */
};

/* Import the roster at path (dry run: check and report, write nothing). */
int roster_import(struct store *s, const char *path, const struct roster_opts *o,
                  struct roster_summary *sum, struct change *ch, struct err *e);
/* Only the first reading (header, values, duplicate MRNs) of a roster in
 * memory: what the import checks before it writes; sets sum->rows. */
int roster_check(const char *data, size_t len, const char *name, const struct roster_opts *o,
                 struct roster_summary *sum, struct err *e);

#endif
