/* demo: a deterministic synthetic caseload for trying the program and for
 * tests.  Every name, number and date is made up; dates are relative to
 * `today` so the caseload always looks current. */
#ifndef CASELOAD_DEMO_H
#define CASELOAD_DEMO_H
#include "caseload/err.h"

struct store;

struct demo_opts {
	int patients;              /* how many (default 60) */
	unsigned long long seed;   /* same seed, same caseload */
	int today;                 /* civil date */
	long long now;             /* UTC instant */
	const char *zone;          /* the coordinator's zone */
};

struct demo_counts {
	long long patients, contacts, appointments, tasks, entries, medications;
};

/* Fill an empty database in one transaction; refuses one with patients. */
int demo_fill(struct store *s, const struct demo_opts *o, struct demo_counts *n,
              struct err *e);

/* Keep the demo's visits in clinic hours when the coordinator's zone is
 * no longer the one the demo was made in (a demo made before a zone was
 * configured): each visit keeps its local day and clock time, now in
 * `zone`, and the database notes `zone` as the demo's.  One transaction;
 * *moved is how many visits moved (0 when there is no demo or the zone is
 * the same).  Only the demo's own visits move: what the coordinator added
 * keeps its instant. */
int demo_rezone(struct store *s, const char *zone, long long *moved, struct err *e);

#endif
