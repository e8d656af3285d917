/* rules: the billing rules of care-management programs, one YAML file a
 * year (data/rules/2026.yaml), read with yamldoc and checked like
 * templates: an unknown key, a wrong type, a rule without its source or
 * two files whose effective dates overlap are refused naming file:line.
 * What the month's end (billing.h) and the review's transitional-care
 * items decide by. */
#ifndef CASELOAD_RULES_H
#define CASELOAD_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/date.h"
#include "caseload/err.h"

/* The programs, as consent.program and episode.program spell them. */
enum program { PROG_CCM, PROG_PCM, PROG_APCM, PROG_TCM, PROG_PIN, PROG_CHI, PROG_N };
/* A TCM period's days when no rules file covers its first day (and for
 * the episodes recorded before their end was stored: schema.c). */
#define TCM_PERIOD_DAYS 30
/* Whose minutes count: time_log.role. */
enum performer { PERF_STAFF, PERF_PRACTITIONER, PERF_NAVIGATOR, PERF_N, PERF_NONE = -1 };
/* A TCM episode's medical decision making (0: not recorded). */
enum complexity { CPLX_NONE, CPLX_MODERATE, CPLX_HIGH };

/* program.c's one table of programs (program.h's PROGRAM codeset too): */
const char *program_name(enum program p);          /* "ccm" */
const char *program_title(enum program p);         /* "CCM" */
int program_find(const char *name);                /* -1 when unknown */
/* and of roles (program.h's TIME_ROLE codeset too): */
const char *performer_name(enum performer p);      /* "staff" */
int performer_find(const char *name);              /* -1 when unknown */
const char *complexity_name(enum complexity c);    /* "moderate", "high", "" */
int complexity_find(const char *name);             /* -1 when unknown */

struct rule_source {
	const char *url, *document, *confidence;   /* confirmed|secondary|unverified */
};

struct rule_code {
	const char *code;          /* "99490" */
	enum program program;
	enum performer performer;  /* PERF_NONE: no minutes (APCM, TCM) */
	int minutes;               /* the base's threshold (0: untimed) */
	const char *addon_to;      /* an add-on's base code, or NULL */
	int step, cap;             /* an add-on: minutes per unit, most units (0: no cap) */
	bool complex;              /* needs the episode's complexity recorded */
	enum complexity complexity;   /* TCM: the decision making it needs */
	int face_to_face_days;     /* TCM: the visit within this many days */
	int conditions_min, conditions_max;   /* APCM (max 0: none) */
	bool qmb;
	int line;
	struct rule_source source;
};

/* One of APCM's service elements (programs.apcm.elements): its id
 * ("access"), title, and scope: a practice's (attested once in the
 * config file, apcm.attest) or each patient's (seen in caseload's data or
 * recorded for the month: apcm.h). */
struct rule_element {
	const char *id, *title;
	bool practice;
	int line;
	struct rule_source source;
};

struct rule_exclusion {
	const char **by, **excludes;
	size_t n_by, n_excludes;
	const char *why;
	int line;
	struct rule_source source;
};

struct rules {
	char *path;
	int from, to;              /* effective days, inclusive */
	int from_line;
	struct holidays holidays;  /* the business days' holidays (no us_federal) */
	bool consent[PROG_N];      /* consent required */
	int contact_bdays;         /* TCM: interactive contact within (business days) */
	int period_days;           /* TCM: the period from discharge */
	struct rule_code *codes;
	size_t n_codes, cap_codes;
	struct rule_exclusion *exclusions;
	size_t n_exclusions;
	struct rule_element *elements;   /* APCM's checklist (none: no checklist) */
	size_t n_elements;
	struct ynode *doc;         /* owns the strings above */
};

/* Load and check one file. */
int rules_load_file(const char *path, struct rules *out, struct err *e);
int rules_load_string(const char *text, size_t len, const char *name, struct rules *out,
                      struct err *e);
void rules_free(struct rules *r);

/* Where the shipped rules are: the directory beside the shipped
 * templates ($CASELOAD_DATADIR/rules, data/rules in the source tree, or
 * the installed one).  Caller frees. */
char *rules_dir(void);
/* Every *.yaml in dir, loaded and checked, sorted by effective date;
 * a broken file or two overlapping files is an error naming file:line. */
struct rules_list {
	struct rules *items;
	size_t len, cap;
};
int rules_scan(const char *dir, struct rules_list *out, struct err *e);
/* Refuse overlapping effective dates among l's files (sorts l). */
int rules_check_overlap(struct rules_list *l, struct err *e);
void rules_list_free(struct rules_list *l);
/* The rules in effect on `day` from rules_dir(): ERR_NOTFOUND naming the
 * day and the directory when no file covers it.  The files are read once
 * and kept for the process (looked at again at most once a second, and
 * read anew when they change); *out stays valid to the process's end. */
int rules_for_day(int day, const struct rules **out, struct err *e);

/* A code's rule, or NULL. */
const struct rule_code *rules_code(const struct rules *r, const char *code);
/* An APCM element by id, or NULL. */
const struct rule_element *rules_element(const struct rules *r, const char *id);

#endif
