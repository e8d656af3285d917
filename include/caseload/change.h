/* change: what a use case changed, so that a front end refreshes only what
 * shows it.  Every user action in services/ fills one (when the caller
 * passes one: NULL is allowed); the screen marks dirty the panes that show
 * any of its kinds, the command line ignores it or reports the id. */
#ifndef CASELOAD_CHANGE_H
#define CASELOAD_CHANGE_H
#include <stdbool.h>

/* The kinds of record a change can touch (a bit set). */
enum change_kind {
	CHANGE_PATIENT = 1u << 0,   /* demographics, risk, status */
	CHANGE_CONTACT = 1u << 1,   /* contacts and care teams */
	CHANGE_CLINICAL = 1u << 2,  /* conditions and medications */
	CHANGE_APPT = 1u << 3,      /* appointments */
	CHANGE_TASK = 1u << 4,      /* tasks */
	CHANGE_ENTRY = 1u << 5,     /* timeline entries (notes, contacts, discharges) */
	CHANGE_PLAN = 1u << 6,      /* care plans and goals */
	CHANGE_TIME = 1u << 7,      /* minutes logged */
	CHANGE_REVIEW = 1u << 8,    /* the day's review marks */
	CHANGE_ALL = (1u << 9) - 1  /* anything (another process changed the file) */
};

struct change {
	unsigned kinds;             /* enum change_kind bits */
	long long patient_id;       /* the one patient concerned; 0 when none */
	bool many;                  /* more than one patient (an import) */
	long long id;               /* the record created or changed, when one */
};

/* Record that `kinds` changed for a patient (0: none or unknown); a
 * second, different patient makes the change one of many.  c may be NULL. */
static inline void change_note(struct change *c, unsigned kinds, long long patient_id)
{
	if (!c)
		return;
	c->kinds |= kinds;
	if (patient_id && c->patient_id && c->patient_id != patient_id)
		c->many = true;
	if (patient_id && !c->patient_id)
		c->patient_id = patient_id;
}

/* The same, naming the one record created or changed; returns 0, so
 * that a use case can end with `return change_record(...)`. */
static inline int change_record(struct change *c, unsigned kinds, long long patient_id,
                                long long id)
{
	change_note(c, kinds, patient_id);
	if (c)
		c->id = id;
	return 0;
}

/* Whether a change touches any of `kinds`. */
static inline bool change_has(const struct change *c, unsigned kinds)
{
	return c && (c->kinds & kinds);
}

#endif
