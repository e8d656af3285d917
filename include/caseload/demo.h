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

#endif
