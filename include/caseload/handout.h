/* handout: the patient's own page, one large-print sheet to keep on the
 * fridge or read on a phone: their upcoming appointments (day, date and
 * time written out, place, whether a ride is arranged), their active
 * medicines with the next refill, who to call (their coordinator and the
 * care team's phones) and the next steps of their care plans (the open
 * goals of the active plans).  Minimum necessary: nothing the patient did
 * not already know (no notes, no risk level, no review, no task of the
 * team's).  In the patient's preferred language when a translation is
 * shipped (English, Spanish: compiled in; dates and names of days and
 * months by ICU for that language), else English.  Self-contained HTML5
 * (html.h) written all-or-nothing, mode 0600 (safefile.h). */
#ifndef CASELOAD_HANDOUT_H
#define CASELOAD_HANDOUT_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/util.h"

struct store;

/* What one page lists at most; fewer when their text is long, so that it
 * prints on one A4 or Letter page at 16 points (each section has its
 * share of the page); a heading says "(4 of 12)" when some are left out. */
#define HANDOUT_AHEAD_DAYS 60      /* appointments from now to this many days on */
#define HANDOUT_MAX_APPTS 5
#define HANDOUT_MAX_MEDS 6
#define HANDOUT_MAX_CALLS 4        /* care-team members, after the coordinator */
#define HANDOUT_MAX_STEPS 4

struct handout_req {
	long long patient_id;
	const char *lang;          /* "en" or "es"; NULL: the patient's preferred language */
	int today;                 /* civil date, the coordinator's zone */
	long long now;             /* UTC */
	const char *zone;          /* the coordinator's zone: times of appointments
	                              made without one */
	const struct config *cfg;  /* the practice's phone (may be NULL) */
};

struct handout_result {
	const char *lang;          /* the language written: "en" or "es" (static) */
	const char *language;      /* its name in English: "Spanish" (static) */
	bool fallback;             /* the patient's preferred language has no
	                              translation: written in English */
	size_t appointments, medications, calls, steps;   /* listed on the page */
};

/* The language code a preferred language names ("es", "es-MX",
 * "Spanish", "español", "spa" -> "es"), NULL when none is shipped; NULL
 * or empty text is English. */
const char *handout_lang(const char *preferred);

/* The page into out (appended).  ERR_NOTFOUND for an unknown patient,
 * ERR_USAGE for an unknown rq->lang.  The read is audited ("handout"). */
int handout_render(struct store *s, const struct handout_req *rq, struct buf *out,
                   struct handout_result *res, struct err *e);
/* The page written to path (all or nothing, 0600; an existing file is
 * replaced only with `replace`: ERR_CONFLICT otherwise, as safefile). */
int handout_write(struct store *s, const struct handout_req *rq, const char *path, bool replace,
                  struct handout_result *res, struct err *e);

#endif
