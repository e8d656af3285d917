/* template: care-plan templates from YAML into struct template, and the
 * search path (shipped, then the user's own). */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/config.h"
#include "caseload/model.h"
#include "caseload/plan.h"
#include "caseload/store.h"
#include "caseload/template.h"
#include "caseload/yamldoc.h"

#ifndef CASELOAD_DATADIR
#define CASELOAD_DATADIR "/usr/local/share/caseload"
#endif

/* ---- offsets ---- */

/* The template's rule on top of the grammar: forward from the plan's
 * start, and at most ten years in each unit. */
static const int max_offset[] = {
	[DATE_DAYS] = 3660, [DATE_WEEKS] = 522, [DATE_MONTHS] = 120, [DATE_YEARS] = 10,
	[DATE_BDAYS] = 2610,
};

static int offset_parse(const char *s, struct date_offset *o, struct err *e)
{
	if (date_offset_parse(s, o, e) < 0)
		return e->code;
	if (o->n < 0 || *s == '-')
		return err_set(e, ERR_USAGE, "'%s' is negative; offsets count forward from the "
		               "plan's start", s);
	if (o->n > max_offset[o->unit])
		return err_set(e, ERR_USAGE, "'%s' is more than ten years", s);
	return 0;
}

void tpl_due_format(const struct tpl_due *d, struct buf *b)
{
	char o[DATE_OFFSET_STRLEN];
	if (!d->varies) {
		buf_add(b, date_offset_format(d->by_risk[0], o));
		return;
	}
	for (int r = TPL_RISKS - 1; r >= 0; r--)
		buf_addf(b, "%s%s %s", r == TPL_RISKS - 1 ? "" : ", ", RISK.codes[r],
		         date_offset_format(d->by_risk[r], o));
}

const char *tpl_section_name(enum tpl_section s)
{
	static const char *const names[] = {"task", "appointment", "education", "resource",
	                                    "review"};
	return names[s];
}

/* ---- loading ---- */

struct ctx {
	const char *file;
	struct template *t;
	size_t cap_tasks, cap_goals;
	struct err *e;
};

static bool key_place(const struct ynode *map, const char *key, int *line, int *col)
{
	for (size_t i = 0; i < map->len; i++)
		if (!strcmp(map->keys[i], key)) {
			*line = map->key_lines[i];
			*col = map->key_cols[i];
			return true;
		}
	*line = map->line;
	*col = map->col;
	return false;
}

static int need_map(struct ctx *c, const struct ynode *n, const char *what)
{
	if (n->type != Y_MAP)
		return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "%s must be a mapping "
		                  "(key: value lines), not %s", what, ynode_type_name(n));
	return 0;
}

/* A node's text, trimmed; NULL when empty (an error if required). */
static int node_text(struct ctx *c, const struct ynode *n, const char *key, bool required,
                     char **out)
{
	const char *v;
	*out = NULL;
	if (ynode_string(n, c->file, key, &v, c->e) < 0)
		return ERR_FAIL;
	if (!n->quoted && (!strcmp(v, "~") || !strcasecmp(v, "null")))
		v = "";                /* YAML's null */
	while (isspace((unsigned char)*v))
		v++;
	size_t len = strlen(v);
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	if (!len && !required)
		return 0;
	if (!len) {
		err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "'%s' is empty", key);
		return ERR_FAIL;
	}
	*out = xmalloc(len + 1);
	memcpy(*out, v, len);
	(*out)[len] = '\0';
	return 0;
}

/* A text value: NULL when absent; an error when required and absent or empty. */
static int get_text(struct ctx *c, const struct ynode *map, const char *key, bool required,
                    char **out)
{
	const struct ynode *n = ynode_get(map, key);
	*out = NULL;
	if (!n && !required)
		return 0;
	if (!n) {
		err_set_at(c->e, ERR_FAIL, c->file, map->line, map->col, "missing required key '%s'", key);
		return ERR_FAIL;
	}
	return node_text(c, n, key, required, out);
}

static int get_offset(struct ctx *c, const struct ynode *n, const char *what,
                      struct date_offset *o)
{
	const char *v;
	struct err tmp = {0};
	if (ynode_string(n, c->file, what, &v, c->e) < 0)
		return ERR_FAIL;
	if (offset_parse(v, o, &tmp) < 0)
		return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "%s: %s", what, tmp.msg);
	return 0;
}

/* An offset, or a mapping by risk level (high, medium, low, other). */
static int get_due(struct ctx *c, const struct ynode *n, const char *what, struct tpl_due *d)
{
	if (n->type != Y_MAP) {
		struct date_offset o;
		if (get_offset(c, n, what, &o) < 0)
			return ERR_FAIL;
		for (int r = 0; r < TPL_RISKS; r++)
			d->by_risk[r] = o;
		d->varies = false;
		return 0;
	}
	static const char *const keys[] = {"low", "medium", "high", "other", NULL};
	if (ynode_check_keys(n, keys, c->file, c->e) < 0)
		return ERR_FAIL;
	const struct ynode *other = ynode_get(n, "other");
	struct date_offset fallback = {0, DATE_DAYS};
	if (other && get_offset(c, other, what, &fallback) < 0)
		return ERR_FAIL;
	for (int r = 0; r < TPL_RISKS; r++) {
		const struct ynode *v = ynode_get(n, RISK.codes[r]);
		if (v && get_offset(c, v, what, &d->by_risk[r]) < 0)
			return ERR_FAIL;
		if (!v && !other)
			return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col,
			                  "%s by risk has no offset for '%s' (give 'other' for the "
			                  "rest)", what, RISK.codes[r]);
		if (!v)
			d->by_risk[r] = fallback;
	}
	d->varies = true;
	return 0;
}

static int get_code(struct ctx *c, const struct ynode *map, const char *key,
                    const struct codeset *set, const char *dflt, char **out)
{
	if (get_text(c, map, key, false, out) < 0)
		return ERR_FAIL;
	if (!*out) {
		*out = xstrdup(dflt);
		return 0;
	}
	if (code_find(set, *out) < 0) {
		const struct ynode *n = ynode_get(map, key);
		return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "%s '%s' is not one of %s",
		                  key, *out, code_list(set));
	}
	return 0;
}

static void task_clear_tpl(struct tpl_task *k)
{
	free(k->title);
	free(k->kind);
	free(k->priority);
	free(k->note);
	memset(k, 0, sizeof *k);
}

static struct tpl_task *new_task(struct ctx *c, enum tpl_section s, const struct ynode *n)
{
	void *p = c->t->tasks;
	xgrow(&p, &c->cap_tasks, c->t->n_tasks + 1, sizeof *c->t->tasks);
	c->t->tasks = p;
	struct tpl_task *k = &c->t->tasks[c->t->n_tasks++];
	memset(k, 0, sizeof *k);
	k->section = s;
	k->line = n->line;
	k->col = n->col;
	return k;
}

static int load_repeat(struct ctx *c, const struct ynode *m, struct tpl_task *k)
{
	const struct ynode *every = ynode_get(m, "every"), *count = ynode_get(m, "count"),
	                   *until = ynode_get(m, "until");
	int line, col;
	if (!every) {
		if (count || until) {
			key_place(m, count ? "count" : "until", &line, &col);
			return err_set_at(c->e, ERR_FAIL, c->file, line, col, "'%s' needs 'every' "
			                  "(how often the task repeats)", count ? "count" : "until");
		}
		return 0;
	}
	k->repeats = true;
	if (get_offset(c, every, "every", &k->every) < 0)
		return ERR_FAIL;
	if (k->every.n == 0)
		return err_set_at(c->e, ERR_FAIL, c->file, every->line, every->col,
		                  "every: a task cannot repeat every 0 days");
	long n = 0;
	if (count && ynode_int(count, c->file, "count", 1, TPL_MAX_REPEAT, &n, c->e) < 0)
		return ERR_FAIL;
	k->count = (int)n;
	if (until) {
		k->has_until = true;
		if (get_offset(c, until, "until", &k->until) < 0)
			return ERR_FAIL;
	}
	if (!count && !until) {
		key_place(m, "every", &line, &col);
		return err_set_at(c->e, ERR_FAIL, c->file, line, col, "a repeating task needs "
		                  "'count' (how many times) or 'until' (an offset from the start)");
	}
	return 0;
}

static int load_task(struct ctx *c, const struct ynode *m)
{
	static const char *const keys[] = {"title", "kind", "priority", "due", "every", "count",
	                                   "until", "note", NULL};
	if (need_map(c, m, "a task") < 0 || ynode_check_keys(m, keys, c->file, c->e) < 0)
		return ERR_FAIL;
	struct tpl_task *k = new_task(c, TPL_TASK, m);
	const struct ynode *due = ynode_get(m, "due");
	if (get_text(c, m, "title", true, &k->title) < 0 ||
	    get_code(c, m, "kind", &TASK_KIND, "other", &k->kind) < 0 ||
	    get_code(c, m, "priority", &TASK_PRIORITY, "routine", &k->priority) < 0 ||
	    get_text(c, m, "note", false, &k->note) < 0)
		return ERR_FAIL;
	if (!due)
		return err_set_at(c->e, ERR_FAIL, c->file, m->line, m->col,
		                  "missing required key 'due' (an offset from the plan's start, "
		                  "e.g. +2bd)");
	if (get_due(c, due, "due", &k->due) < 0)
		return ERR_FAIL;
	return load_repeat(c, m, k);
}

static int load_goal(struct ctx *c, const struct ynode *m)
{
	static const char *const keys[] = {"description", "target", "due", NULL};
	if (need_map(c, m, "a goal") < 0 || ynode_check_keys(m, keys, c->file, c->e) < 0)
		return ERR_FAIL;
	struct template *t = c->t;
	void *p = t->goals;
	xgrow(&p, &c->cap_goals, t->n_goals + 1, sizeof *t->goals);
	t->goals = p;
	struct tpl_goal *g = &t->goals[t->n_goals++];
	memset(g, 0, sizeof *g);
	g->line = m->line;
	g->col = m->col;
	const struct ynode *due = ynode_get(m, "due");
	if (get_text(c, m, "description", true, &g->description) < 0 ||
	    get_text(c, m, "target", false, &g->target) < 0)
		return ERR_FAIL;
	g->has_due = due != NULL;
	return due ? get_due(c, due, "due", &g->due) : 0;
}

static int load_appointment(struct ctx *c, const struct ynode *m)
{
	static const char *const keys[] = {"with", "within", "reason", "kind", "priority",
	                                   "transport", "note", NULL};
	static const char *const kinds[] = {"followup", "referral"};
	/* not the appointment's TRANSPORT codes: whether to ask about a ride,
	 * or to add a task to arrange one */
	static const char *const rides[] = {"none", "ask", "needed"};
	enum { RIDE_NONE, RIDE_ASK, RIDE_NEEDED };   /* rides[], in order */
	static const struct codeset appt_kind = {"appointment kind", kinds, 2};
	static const struct codeset ride_hint = {"transport", rides, 3};
	if (need_map(c, m, "an appointment") < 0 || ynode_check_keys(m, keys, c->file, c->e) < 0)
		return ERR_FAIL;
	char *with = NULL, *reason = NULL, *ride = NULL, *note = NULL;
	struct tpl_task *k = new_task(c, TPL_APPOINTMENT, m);
	const struct ynode *within = ynode_get(m, "within");
	int rc = ERR_FAIL;
	if (get_text(c, m, "with", true, &with) < 0 || get_text(c, m, "reason", false, &reason) < 0 ||
	    get_code(c, m, "kind", &appt_kind, "followup", &k->kind) < 0 ||
	    get_code(c, m, "priority", &TASK_PRIORITY, "routine", &k->priority) < 0 ||
	    get_code(c, m, "transport", &ride_hint, "none", &ride) < 0 ||
	    get_text(c, m, "note", false, &note) < 0)
		goto out;
	if (!within) {
		err_set_at(c->e, ERR_FAIL, c->file, m->line, m->col, "missing required key 'within' "
		           "(the visit must take place by this offset from the start)");
		goto out;
	}
	if (get_due(c, within, "within", &k->due) < 0)
		goto out;
	k->title = reason ? xasprintf("Arrange %s with %s", reason, with)
	                  : xasprintf("Arrange a visit with %s", with);
	struct buf b = {0};
	buf_add(&b, "The visit should take place by the due date.");
	int want = code_find(&ride_hint, ride);
	if (want == RIDE_ASK)
		buf_add(&b, " Ask whether the patient needs transport.");
	if (note)
		buf_addf(&b, " %s", note);
	k->note = buf_steal(&b);
	if (want == RIDE_NEEDED) {
		struct tpl_task *tr = new_task(c, TPL_APPOINTMENT, m);
		k = &c->t->tasks[c->t->n_tasks - 2];        /* new_task may have moved it */
		tr->title = xasprintf("Arrange transport to the visit with %s", with);
		tr->kind = xstrdup("transport");
		tr->priority = xstrdup(k->priority);
		tr->due = k->due;
	}
	rc = 0;
out:
	free(with);
	free(reason);
	free(ride);
	free(note);
	return rc;
}

/* education and resources: a list of names, or of mappings with a name
 * key, an optional due (default `dflt`) and note. */
static int load_named(struct ctx *c, const struct ynode *item, enum tpl_section s,
                      const char *name_key, const char *dflt)
{
	const char *const keys[] = {name_key, "due", "note", NULL};
	struct tpl_task *k = new_task(c, s, item);
	char *name = NULL;
	struct date_offset o;
	struct err ignore;
	offset_parse(dflt, &o, &ignore);
	for (int r = 0; r < TPL_RISKS; r++)
		k->due.by_risk[r] = o;
	if (item->type == Y_SCALAR) {
		if (node_text(c, item, name_key, true, &name) < 0)
			return ERR_FAIL;
	} else {
		const struct ynode *due = ynode_get(item, "due");
		if (need_map(c, item, s == TPL_EDUCATION ? "an education item" : "a resource") < 0 ||
		    ynode_check_keys(item, keys, c->file, c->e) < 0 ||
		    get_text(c, item, name_key, true, &name) < 0 ||
		    get_text(c, item, "note", false, &k->note) < 0 ||
		    (due && get_due(c, due, "due", &k->due) < 0)) {
			free(name);
			return ERR_FAIL;
		}
	}
	if (s == TPL_EDUCATION) {
		k->title = xasprintf("Teach and give: %s", name);
		k->kind = xstrdup("education");
		strlist_add(&c->t->education, name);
	} else {
		k->title = xasprintf("Connect with %s", name);
		k->kind = xstrdup("referral");
		strlist_add(&c->t->resources, name);
	}
	k->priority = xstrdup("routine");
	free(name);
	return 0;
}

static int for_each(struct ctx *c, const struct ynode *root, const char *key,
                    int (*fn)(struct ctx *, const struct ynode *, void *), void *arg)
{
	const struct ynode *l = ynode_get(root, key);
	if (!l)
		return 0;
	if (l->type != Y_SEQ)
		return err_set_at(c->e, ERR_FAIL, c->file, l->line, l->col,
		                  "%s must be a list (lines starting with '- '), not %s", key,
		                  ynode_type_name(l));
	for (size_t i = 0; i < l->len; i++)
		if (fn(c, l->items[i], arg) < 0)
			return ERR_FAIL;
	return 0;
}

static int each_task(struct ctx *c, const struct ynode *n, void *arg)
{
	(void)arg;
	return load_task(c, n);
}
static int each_goal(struct ctx *c, const struct ynode *n, void *arg)
{
	(void)arg;
	return load_goal(c, n);
}
static int each_appt(struct ctx *c, const struct ynode *n, void *arg)
{
	(void)arg;
	return load_appointment(c, n);
}
static int each_education(struct ctx *c, const struct ynode *n, void *arg)
{
	(void)arg;
	return load_named(c, n, TPL_EDUCATION, "material", "+7d");
}
static int each_resource(struct ctx *c, const struct ynode *n, void *arg)
{
	(void)arg;
	return load_named(c, n, TPL_RESOURCE, "service", "+14d");
}

static int load_name(struct ctx *c, const struct ynode *root)
{
	struct template *t = c->t;
	if (get_text(c, root, "name", true, &t->name) < 0)
		return ERR_FAIL;
	const struct ynode *n = ynode_get(root, "name");
	t->name_line = n->line;
	t->name_col = n->col;
	size_t len = strlen(t->name);
	bool ok = len <= 64 && isalnum((unsigned char)t->name[0]);
	for (const char *p = t->name; ok && *p; p++)
		ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-';
	if (!ok)
		return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "name '%s' must be "
		                  "lowercase letters, digits and '-' (it is typed on the command "
		                  "line)", t->name);
	return 0;
}

static int load_cadence(struct ctx *c, const struct ynode *n)
{
	long days;
	if (n->type == Y_SCALAR && !n->quoted && isdigit((unsigned char)n->value[0]) &&
	    strspn(n->value, "0123456789") == strlen(n->value)) {
		if (ynode_int(n, c->file, "checkin_cadence", 1, 365, &days, c->e) < 0)
			return ERR_FAIL;
		c->t->checkin_cadence = (int)days;
		return 0;
	}
	struct date_offset o;
	if (get_offset(c, n, "checkin_cadence", &o) < 0)
		return ERR_FAIL;
	if ((o.unit != DATE_DAYS && o.unit != DATE_WEEKS) || o.n == 0 ||
	    (days = o.unit == DATE_WEEKS ? 7L * o.n : o.n) > 365)
		return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "checkin_cadence must "
		                  "be 1 to 365 days (e.g. 7, 14d or 2w), not '%s'", n->value);
	c->t->checkin_cadence = (int)days;
	return 0;
}

static int load_tree(struct ctx *c, const struct ynode *root)
{
	static const char *const keys[] = {"name", "title", "version", "description",
	                                   "review_every", "checkin_cadence", "goals", "tasks",
	                                   "appointments", "education", "resources", NULL};
	struct template *t = c->t;
	if (!root)
		return err_set_at(c->e, ERR_FAIL, c->file, 1, 1, "the file is empty");
	if (need_map(c, root, "a template") < 0 || ynode_check_keys(root, keys, c->file, c->e) < 0 ||
	    load_name(c, root) < 0 || get_text(c, root, "title", true, &t->title) < 0 ||
	    get_text(c, root, "version", true, &t->version) < 0 ||
	    get_text(c, root, "description", false, &t->description) < 0)
		return ERR_FAIL;
	const struct ynode *n;
	if ((n = ynode_get(root, "checkin_cadence")) && load_cadence(c, n) < 0)
		return ERR_FAIL;
	if ((n = ynode_get(root, "review_every"))) {
		t->has_review = true;
		if (get_offset(c, n, "review_every", &t->review_every) < 0)
			return ERR_FAIL;
		if (t->review_every.n == 0)
			return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col,
			                  "review_every cannot be 0");
		struct tpl_task *r = &t->review;
		r->section = TPL_REVIEW;
		r->title = xasprintf("Review the care plan: %s", t->title);
		r->kind = xstrdup("followup");
		r->priority = xstrdup("routine");
		r->line = n->line;
		r->col = n->col;
		for (int i = 0; i < TPL_RISKS; i++)
			r->due.by_risk[i] = t->review_every;
	}
	if (for_each(c, root, "goals", each_goal, NULL) < 0 ||
	    for_each(c, root, "tasks", each_task, NULL) < 0 ||
	    for_each(c, root, "appointments", each_appt, NULL) < 0 ||
	    for_each(c, root, "education", each_education, NULL) < 0 ||
	    for_each(c, root, "resources", each_resource, NULL) < 0)
		return ERR_FAIL;
	if (t->n_tasks == 0 && t->n_goals == 0)
		return err_set_at(c->e, ERR_FAIL, c->file, root->line, root->col,
		                  "the template has no goals, tasks, appointments, education or "
		                  "resources");
	return 0;
}

static int load_root(struct ynode *root, int rc, const char *file, struct template *t,
                     struct err *e)
{
	memset(t, 0, sizeof *t);
	t->path = xstrdup(file);
	struct ctx c = {.file = file, .t = t, .e = e};
	if (rc == 0)
		rc = load_tree(&c, root);
	if (rc == 0 && !t->name) { /* load_name's promise, where the analyzer sees it */
		err_set(e, ERR_FAIL, "%s: the template has no name", file);
		rc = ERR_FAIL;
	}
	yamldoc_free(&root);
	if (rc != 0)               /* the loaders give 0 or an ERR_ code */
		template_free(t);
	return rc != 0 ? ERR_FAIL : 0;
}

int template_load_string(const char *text, size_t len, const char *name,
                         struct template *t, struct err *e)
{
	struct ynode *root = NULL;
	int rc = yamldoc_load_string(text, len, name, &root, e);
	return load_root(root, rc, name, t, e);
}

int template_load_file(const char *path, struct template *t, struct err *e)
{
	struct ynode *root = NULL;
	int rc = yamldoc_load_file(path, &root, e);
	return load_root(root, rc, path, t, e);
}

void template_free(struct template *t)
{
	for (size_t i = 0; i < t->n_tasks; i++)
		task_clear_tpl(&t->tasks[i]);
	for (size_t i = 0; i < t->n_goals; i++) {
		free(t->goals[i].description);
		free(t->goals[i].target);
	}
	task_clear_tpl(&t->review);
	free(t->tasks);
	free(t->goals);
	free(t->path);
	free(t->name);
	free(t->title);
	free(t->version);
	free(t->description);
	strlist_free(&t->education);
	strlist_free(&t->resources);
	memset(t, 0, sizeof *t);
}

/* ---- the search path ---- */

static bool exists(const char *path, bool dir)
{
	struct stat st;
	return stat(path, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

char *template_shipped_dir(void)
{
	const char *env = getenv("CASELOAD_DATADIR");
	if (env && *env)
		return xasprintf("%s/templates", env);
	/* Running from the source tree: the binary is <tree>/BUILD/caseload
	 * or <tree>/BUILD/san/caseload, and the tree has src/cli/main.c. */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash || slash == exe)
				break;
			*slash = '\0';
			char *src = xasprintf("%s/src/cli/main.c", exe);
			char *data = xasprintf("%s/data/templates", exe);
			bool tree = exists(src, false) && exists(data, true);
			free(src);
			if (tree)
				return data;
			free(data);
		}
	}
	return xstrdup(CASELOAD_DATADIR "/templates");
}

char *template_user_dir(void)
{
	char *dir = config_dir();
	char *t = xasprintf("%s/templates", dir);
	free(dir);
	return t;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void problem(struct strlist *problems, const struct err *e)
{
	char text[sizeof e->msg + sizeof e->file + 32];
	strlist_add(problems, err_text(e, text, sizeof text));
}

/* Load dir's *.yaml files in name order into out. */
static void scan_dir(const char *dir, bool user, struct template_list *out, size_t shipped,
                     struct strlist *problems)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct strlist files = {0};
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] != '.' && len > 5 && !strcmp(de->d_name + len - 5, ".yaml"))
			strlist_add(&files, de->d_name);
	}
	closedir(d);
	if (files.len)
		qsort(files.items, files.len, sizeof *files.items, by_name);
	size_t first = out->len;
	for (size_t i = 0; i < files.len; i++) {
		char *path = xasprintf("%s/%s", dir, files.items[i]);
		struct template t;
		struct err e = {0};
		if (template_load_file(path, &t, &e) < 0) {
			problem(problems, &e);
			free(path);
			continue;
		}
		free(path);
		t.user = user;
		bool dup = false;
		for (size_t j = 0; j < out->len && !dup; j++) {
			struct template *o = &out->items[j];
			if (strcmp(o->name, t.name) != 0)
				continue;
			if (j >= first) {
				err_set_at(&e, ERR_CONFLICT, t.path, t.name_line, t.name_col,
				           "template name '%s' is also used by %s", t.name, o->path);
				problem(problems, &e);
				template_free(&t);
			} else if (user && j < shipped) {
				template_free(o);
				*o = t;
				o->overrides = true;
			}
			dup = true;
		}
		if (!dup)
			*LIST_PUSH(out) = t;
	}
	strlist_free(&files);
}

static int by_template_name(const void *a, const void *b)
{
	return strcmp(((const struct template *)a)->name, ((const struct template *)b)->name);
}

int template_scan(struct template_list *out, struct strlist *problems, struct err *e)
{
	(void)e;
	char *shipped = template_shipped_dir(), *user = template_user_dir();
	scan_dir(shipped, false, out, 0, problems);
	scan_dir(user, true, out, out->len, problems);
	free(shipped);
	free(user);
	if (out->len)
		qsort(out->items, out->len, sizeof *out->items, by_template_name);
	return 0;
}

void template_list_free(struct template_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		template_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static int find(const char *name, struct template *out, struct err *e)
{
	size_t len = strlen(name);
	if (strchr(name, '/') || (len > 5 && !strcmp(name + len - 5, ".yaml")))
		return template_load_file(name, out, e);
	struct template_list l = {0};
	struct strlist problems = {0};
	int rc = ERR_NOTFOUND;
	template_scan(&l, &problems, e);
	if (problems.len) {
		rc = err_set(e, ERR_FAIL, "a template file is broken, and it might be '%s': %s "
		             "(fix or remove it; 'caseload template check' shows every problem)",
		             name, problems.items[0]);
		goto out;
	}
	const char *near = NULL;
	int best = 4;
	for (size_t i = 0; i < l.len; i++) {
		if (!strcmp(l.items[i].name, name)) {
			*out = l.items[i];
			l.items[i] = l.items[--l.len];
			rc = 0;
			goto out;
		}
		int d = text_distance(name, l.items[i].name);
		if (d < best)
			best = d, near = l.items[i].name;
	}
	if (near)
		err_set(e, ERR_NOTFOUND, "no template named '%s' (did you mean '%s'?)", name, near);
	else
		err_set(e, ERR_NOTFOUND, "no template named '%s' (see 'caseload template list')", name);
out:
	template_list_free(&l);
	strlist_free(&problems);
	return rc;
}

int template_find(const char *name, struct template *out, struct err *e)
{
	int rc = find(name, out, e);
	return rc < 0 ? err_field(e, "template") : rc;
}

/* ---- the preview ---- */

static void add_line(struct strlist *out, struct buf *b)
{
	strlist_add(out, b->s ? b->s : "");
	buf_free(b);
}

/* "2026-12-04 Fri" and, when it is not a business day, why. */
static void day_text(int day, const struct holidays *h, struct buf *b, const char **why)
{
	char ymd[DATE_STRLEN];
	int wd = date_weekday(day);
	buf_addf(b, "%s %s", date_format(day, ymd), date_weekday_abbr(wd));
	*why = wd == 0 || wd == 6 ? "weekend" : date_is_holiday(h, day) ? "holiday" : NULL;
}

static bool counts_business_days(const struct tpl_task *k, int risk)
{
	return k->due.by_risk[risk].unit == DATE_BDAYS || (k->repeats && k->every.unit == DATE_BDAYS);
}

int template_preview(struct store *s, const struct template *t, long long patient_id, int start,
                     const struct holidays *h, struct strlist *out, struct err *e)
{
	struct patient p = {0};
	if (store_patient_get(s, patient_id, &p, e) < 0)
		return e->code;
	int risk = code_find(&RISK, p.risk);
	patient_clear(&p);
	if (risk < 0)
		risk = 1;
	struct plan_draft d;
	if (plan_expand(t, start, risk, h, &d, e) < 0)
		return e->code;
	struct buf b = {0};
	const char *why;
	buf_addf(&b, "%s (%s, version %s) for patient %lld, risk %s, from ", t->title, t->name,
	         t->version, patient_id, RISK.codes[risk]);
	day_text(start, h, &b, &why);
	add_line(out, &b);
	buf_addf(&b, "Goals (%zu):", t->n_goals);
	add_line(out, &b);
	for (size_t i = 0; i < t->n_goals; i++) {
		const struct tpl_goal *g = &t->goals[i];
		if (d.goal_due[i] == DATE_NONE)
			buf_addf(&b, "  %-19s", "(no date)");
		else {
			struct buf day = {0};
			day_text(d.goal_due[i], h, &day, &why);
			buf_addf(&b, "  %-19s", day.s);
			buf_free(&day);
		}
		buf_add(&b, g->description);
		if (g->target)
			buf_addf(&b, " (target: %s)", g->target);
		add_line(out, &b);
	}
	buf_addf(&b, "Tasks (%zu; bd: due in business days, skipping weekends and holidays):", d.len);
	add_line(out, &b);
	for (size_t i = 0; i < d.len; i++) {
		const struct plan_item *it = &d.items[i];
		struct buf day = {0};
		day_text(it->due, h, &day, &why);
		buf_addf(&b, "  %s %-3s %-9s %s", day.s, counts_business_days(it->task, risk) ? "bd" : "",
		         it->task->kind, it->task->title);
		buf_free(&day);
		char *rec = plan_item_recurrence(it);
		if (rec)
			buf_addf(&b, " (%s)", rec);
		free(rec);
		if (why)
			buf_addf(&b, " — on a %s", why);
		add_line(out, &b);
	}
	plan_draft_free(&d);
	return 0;
}
