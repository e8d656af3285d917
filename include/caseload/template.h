/* template: care-plan templates, written in YAML (see caseload-template(5)),
 * loaded and checked into a struct template, and found by name in the
 * shipped directory and the user's own (a user template overrides a
 * shipped one of the same name).  Every error names file, line, column. */
#ifndef CASELOAD_TEMPLATE_H
#define CASELOAD_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/date.h"
#include "caseload/err.h"
#include "caseload/util.h"

/* Offsets are date.h's (struct date_offset: +0d, +3d, +2w, +1mo, +1y,
 * +2bd); a template's are never negative and reach at most ten years. */

/* A due offset that may depend on the patient's risk level: the offset
 * for each RISK code, by index (low, medium, high). */
#define TPL_RISKS 3
struct tpl_due {
	struct date_offset by_risk[TPL_RISKS];
	bool varies;               /* written as a mapping by risk */
};
/* "+7d", or "high +7d, medium +14d, low +14d" into b. */
void tpl_due_format(const struct tpl_due *d, struct buf *b);

/* Where a dated item came from in the file. */
enum tpl_section { TPL_TASK, TPL_APPOINTMENT, TPL_EDUCATION, TPL_RESOURCE, TPL_REVIEW };
const char *tpl_section_name(enum tpl_section s);

/* One task to create (appointments to arrange, education and resources
 * become tasks too; `section` says which). */
struct tpl_task {
	enum tpl_section section;
	char *title, *kind, *priority, *note;   /* kind/priority: model codes */
	struct tpl_due due;
	bool repeats;              /* every/count/until given */
	struct date_offset every;
	int count;                 /* 0: bounded by until */
	bool has_until;
	struct date_offset until;   /* from the plan's start */
	int line, col;
};

struct tpl_goal {
	char *description, *target;
	bool has_due;
	struct tpl_due due;
	int line, col;
};

struct template {
	char *path;                /* the file, for messages */
	bool user;                 /* from the user's directory */
	bool overrides;            /* a user template hiding a shipped one */
	char *name, *title, *version, *description;
	int name_line, name_col;
	bool has_review;
	struct date_offset review_every;
	int checkin_cadence;       /* days; 0: leave the patient's alone */
	struct tpl_goal *goals;
	size_t n_goals;
	struct tpl_task *tasks;    /* in file order: tasks, appointments, ... */
	size_t n_tasks;
	struct tpl_task review;    /* the care-plan review task (has_review) */
	struct strlist education, resources;   /* names, for the plan's detail */
};

/* Most tasks one recurring entry may expand to. */
#define TPL_MAX_REPEAT 120

/* Load and check one file (or text, named `name` in messages). */
int template_load_file(const char *path, struct template *t, struct err *e);
int template_load_string(const char *text, size_t len, const char *name,
                         struct template *t, struct err *e);
void template_free(struct template *t);

/* Where templates are found.  Shipped ones: $CASELOAD_DATADIR/templates
 * when that is set; else, when the program runs from its build tree
 * (build/caseload, build/san/caseload), the tree's data/templates; else
 * the installed CASELOAD_DATADIR/templates.  The user's: config_dir()/
 * templates.  Callers free. */
char *template_shipped_dir(void);
char *template_user_dir(void);

/* Every template on the search path, shipped ones first, each a user
 * template overriding the shipped one of its name (marked `overrides`).
 * A file that does not load, or a name used twice in one directory, is
 * reported in `problems` ("file:line:col: message") and left out. */
struct template_list {
	struct template *items;
	size_t len, cap;
};
/* Always 0: problems are reported in `problems`, e is left alone. */
int template_scan(struct template_list *out, struct strlist *problems, struct err *e);
void template_list_free(struct template_list *l);
/* The template called `name` (or, when name contains '/' or ends in
 * .yaml, that file).  Refuses when a file on the path is broken, since
 * it might be the one meant.  Its errors name the field "template"
 * (err.field). */
int template_find(const char *name, struct template *out, struct err *e);

/* What applying t to the patient from `start` would create, as lines
 * for people (`template apply --dry-run`, the screen's preview before it
 * applies): a head line, the goals with their due dates, then every task
 * as plan_apply would date it (by the patient's risk level), "bd" where
 * its offset counts business days and a note where it falls on a
 * weekend or holiday of h.  Writes nothing. */
struct store;
int template_preview(struct store *s, const struct template *t, long long patient_id, int start,
                     const struct holidays *h, struct strlist *out, struct err *e);

#endif
