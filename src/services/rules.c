/* rules: the yearly billing rules file, read with yamldoc and checked
 * (keys, types, sources, effective dates) naming file:line. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "caseload/rules.h"
#include "caseload/template.h"
#include "caseload/util.h"
#include "caseload/yamldoc.h"

static const char *const complexity_names[] = {"", "moderate", "high"};
static const char *const confidences[] = {"confirmed", "secondary", "unverified", NULL};

static int find(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

const char *complexity_name(enum complexity c)
{
	return c <= CPLX_HIGH ? complexity_names[c] : "";
}

int complexity_find(const char *name)
{
	int i = find(complexity_names, 3, name);
	return i > 0 ? i : -1;
}

/* ---- reading ---- */

struct ctx {
	const char *file;
	struct rules *r;
	struct err *e;
};

/* An error at node n's place. */
#define at(c, n, ...) err_set_at((c)->e, ERR_FAIL, (c)->file, (n)->line, (n)->col, __VA_ARGS__)

static int need(struct ctx *c, const struct ynode *n, enum ynode_type t, const char *what)
{
	if (n->type == t)
		return 0;
	return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col, "%s must be %s, not %s", what,
	                  t == Y_MAP ? "a mapping" : t == Y_SEQ ? "a list" : "text",
	                  ynode_type_name(n));
}

/* A key that must be there. */
static const struct ynode *must(struct ctx *c, const struct ynode *map, const char *key,
                                const char *what)
{
	const struct ynode *n = ynode_get(map, key);
	if (!n)
		err_set_at(c->e, ERR_FAIL, c->file, map->line, map->col, "%s has no '%s'", what, key);
	return n;
}

static int get_day(struct ctx *c, const struct ynode *n, const char *what, int *out)
{
	const char *v;
	if (ynode_string(n, c->file, what, &v, c->e) < 0)
		return ERR_FAIL;
	if (date_parse_iso(v, out) < 0)
		return err_set_at(c->e, ERR_FAIL, c->file, n->line, n->col,
		                  "%s must be a date YYYY-MM-DD, not '%s'", what, v);
	return 0;
}

static int get_int(struct ctx *c, const struct ynode *map, const char *key, long max, int *out)
{
	const struct ynode *n = ynode_get(map, key);
	long v = 0;
	if (n && ynode_int(n, c->file, key, 0, max, &v, c->e) < 0)
		return ERR_FAIL;
	*out = (int)v;
	return 0;
}

/* source: {url, document, confidence}; `inherit` when the node has none. */
static int get_source(struct ctx *c, const struct ynode *map, const char *what,
                      const struct rule_source *inherit, struct rule_source *out)
{
	static const char *const keys[] = {"url", "document", "confidence", NULL};
	const struct ynode *n = ynode_get(map, "source");
	if (!n) {
		if (inherit && inherit->url) {
			*out = *inherit;
			return 0;
		}
		return err_set_at(c->e, ERR_FAIL, c->file, map->line, map->col,
		                  "%s has no source (url, document, confidence)", what);
	}
	const struct ynode *u, *d, *k;
	if (need(c, n, Y_MAP, "source") < 0 || ynode_check_keys(n, keys, c->file, c->e) < 0 ||
	    !(u = must(c, n, "url", "the source")) || !(d = must(c, n, "document", "the source")) ||
	    !(k = must(c, n, "confidence", "the source")) ||
	    ynode_string(u, c->file, "url", &out->url, c->e) < 0 ||
	    ynode_string(d, c->file, "document", &out->document, c->e) < 0 ||
	    ynode_string(k, c->file, "confidence", &out->confidence, c->e) < 0)
		return ERR_FAIL;
	if (strncmp(out->url, "https://", 8) != 0)
		return at(c, u, "the source's url must start with https://, not '%s'", out->url);
	if (find(confidences, 3, out->confidence) < 0)
		return at(c, k, "confidence '%s' is not one of confirmed, secondary, unverified",
		          out->confidence);
	return 0;
}

static int load_effective(struct ctx *c, const struct ynode *root)
{
	static const char *const keys[] = {"from", "to", NULL};
	const struct ynode *n = must(c, root, "effective", "the rules file"), *f, *t;
	if (!n || need(c, n, Y_MAP, "effective") < 0 ||
	    ynode_check_keys(n, keys, c->file, c->e) < 0 ||
	    !(f = must(c, n, "from", "effective")) || !(t = must(c, n, "to", "effective")) ||
	    get_day(c, f, "effective.from", &c->r->from) < 0 ||
	    get_day(c, t, "effective.to", &c->r->to) < 0)
		return ERR_FAIL;
	c->r->from_line = f->line;
	if (c->r->to < c->r->from)
		return at(c, t, "effective.to is before effective.from");
	return 0;
}

static int load_business_days(struct ctx *c, const struct ynode *root)
{
	static const char *const keys[] = {"definition", "holidays", "source", NULL};
	const struct ynode *n = must(c, root, "business_days", "the rules file"), *h, *d;
	const char *def;
	struct rule_source src;
	if (!n || need(c, n, Y_MAP, "business_days") < 0 ||
	    ynode_check_keys(n, keys, c->file, c->e) < 0 ||
	    !(d = must(c, n, "definition", "business_days")) ||
	    ynode_string(d, c->file, "definition", &def, c->e) < 0 ||
	    get_source(c, n, "business_days", NULL, &src) < 0 ||
	    !(h = must(c, n, "holidays", "business_days")) || need(c, h, Y_SEQ, "holidays") < 0)
		return ERR_FAIL;
	struct holidays *hd = &c->r->holidays;
	hd->extra = xcalloc(h->len + 1, sizeof *hd->extra);
	for (size_t i = 0; i < h->len; i++) {
		if (get_day(c, h->items[i], "a holiday", &hd->extra[i]) < 0)
			return ERR_FAIL;
		hd->n_extra++;
	}
	return 0;
}

static int load_window(struct ctx *c, const struct ynode *prog, const struct rule_source *inh)
{
	static const char *const keys[] = {"contact_business_days", "period_days", "source", NULL};
	const struct ynode *w = ynode_get(prog, "window");
	struct rule_source src;
	if (!w)
		return at(c, prog, "tcm has no window (contact_business_days, period_days)");
	if (need(c, w, Y_MAP, "window") < 0 || ynode_check_keys(w, keys, c->file, c->e) < 0 ||
	    get_source(c, w, "the TCM window", inh, &src) < 0 ||
	    !must(c, w, "contact_business_days", "window") || !must(c, w, "period_days", "window") ||
	    get_int(c, w, "contact_business_days", 30, &c->r->contact_bdays) < 0 ||
	    get_int(c, w, "period_days", 366, &c->r->period_days) < 0)
		return ERR_FAIL;
	if (c->r->period_days == 0)
		return at(c, ynode_get(w, "period_days"), "period_days cannot be 0");
	return 0;
}

static int code_fields(struct ctx *c, const struct ynode *m, struct rule_code *k)
{
	const struct ynode *n;
	const char *v;
	k->performer = PERF_NONE;
	if ((n = ynode_get(m, "performer"))) {
		if (ynode_string(n, c->file, "performer", &v, c->e) < 0)
			return ERR_FAIL;
		if ((int)(k->performer = performer_find(v)) < 0)
			return at(c, n, "performer '%s' is not one of staff, practitioner, navigator", v);
	}
	if ((n = ynode_get(m, "complexity"))) {
		if (ynode_string(n, c->file, "complexity", &v, c->e) < 0)
			return ERR_FAIL;
		int x = complexity_find(v);
		if (x < 0)
			return at(c, n, "complexity '%s' is not one of moderate, high", v);
		k->complexity = (enum complexity)x;
	}
	if ((n = ynode_get(m, "addon_to")) &&
	    ynode_string(n, c->file, "addon_to", &k->addon_to, c->e) < 0)
		return ERR_FAIL;
	if (((n = ynode_get(m, "complex")) && ynode_bool(n, c->file, "complex", &k->complex, c->e) < 0) ||
	    ((n = ynode_get(m, "qmb")) && ynode_bool(n, c->file, "qmb", &k->qmb, c->e) < 0))
		return ERR_FAIL;
	if (get_int(c, m, "minutes", 1440, &k->minutes) < 0 || get_int(c, m, "step", 1440, &k->step) < 0 ||
	    get_int(c, m, "cap", 100, &k->cap) < 0 ||
	    get_int(c, m, "face_to_face_days", 366, &k->face_to_face_days) < 0 ||
	    get_int(c, m, "conditions_min", 100, &k->conditions_min) < 0 ||
	    get_int(c, m, "conditions_max", 100, &k->conditions_max) < 0)
		return ERR_FAIL;
	if (k->addon_to && k->step == 0)
		return at(c, m, "add-on code %s needs its step (minutes per unit)", k->code);
	if (!k->addon_to && (k->step || k->cap))
		return at(c, m, "code %s has a step or cap but is no add-on (addon_to)", k->code);
	if (k->performer == PERF_NONE && (k->minutes || k->step))
		return at(c, m, "timed code %s needs its performer", k->code);
	return 0;
}

static int load_code(struct ctx *c, const struct ynode *m, enum program p,
                     const struct rule_source *inh)
{
	static const char *const keys[] = {"code", "performer", "minutes", "addon_to", "step",
	                                   "cap", "complex", "complexity", "face_to_face_days",
	                                   "conditions_min", "conditions_max", "qmb", "source",
	                                   NULL};
	struct rules *r = c->r;
	const struct ynode *n;
	if (need(c, m, Y_MAP, "a code") < 0 || ynode_check_keys(m, keys, c->file, c->e) < 0 ||
	    !(n = must(c, m, "code", "a code")))
		return ERR_FAIL;
	xgrow((void **)&r->codes, &r->cap_codes, r->n_codes, sizeof *r->codes);
	struct rule_code *k = &r->codes[r->n_codes];
	memset(k, 0, sizeof *k);
	k->program = p;
	k->line = m->line;
	if (ynode_string(n, c->file, "code", &k->code, c->e) < 0)
		return ERR_FAIL;
	if (rules_code(r, k->code))
		return at(c, n, "code %s is listed twice", k->code);
	r->n_codes++;
	if (code_fields(c, m, k) < 0 || get_source(c, m, k->code, inh, &k->source) < 0)
		return ERR_FAIL;
	if (p == PROG_TCM && (!k->complexity || !k->face_to_face_days))
		return at(c, m, "TCM code %s needs complexity and face_to_face_days", k->code);
	return 0;
}

/* An element id: lower-case letters, digits and '-', as `apcm check
 * --done` and the config's apcm.attest name it. */
static bool element_id_ok(const char *id)
{
	if (!*id || strlen(id) > 32)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
	return true;
}

static int load_element(struct ctx *c, const struct ynode *m, const struct rule_source *inh)
{
	static const char *const keys[] = {"id", "title", "scope", "source", NULL};
	struct rules *r = c->r;
	const struct ynode *id, *title, *scope;
	const char *sc;
	struct rule_element *el = &r->elements[r->n_elements];
	if (need(c, m, Y_MAP, "an element") < 0 || ynode_check_keys(m, keys, c->file, c->e) < 0 ||
	    !(id = must(c, m, "id", "an element")) || !(title = must(c, m, "title", "an element")) ||
	    !(scope = must(c, m, "scope", "an element")) ||
	    ynode_string(id, c->file, "id", &el->id, c->e) < 0 ||
	    ynode_string(title, c->file, "title", &el->title, c->e) < 0 ||
	    ynode_string(scope, c->file, "scope", &sc, c->e) < 0)
		return ERR_FAIL;
	el->line = m->line;
	if (!element_id_ok(el->id))
		return at(c, id, "element id '%s' is not lower-case letters, digits and '-'", el->id);
	if (rules_element(r, el->id))
		return at(c, id, "element %s is listed twice", el->id);
	if (strcmp(sc, "practice") != 0 && strcmp(sc, "patient") != 0)
		return at(c, scope, "scope '%s' is not one of practice, patient", sc);
	el->practice = !strcmp(sc, "practice");
	r->n_elements++;
	return get_source(c, m, el->id, inh, &el->source);
}

/* programs.apcm.elements: APCM's monthly checklist. */
static int load_elements(struct ctx *c, const struct ynode *prog, enum program p,
                         const struct rule_source *inh)
{
	const struct ynode *l = ynode_get(prog, "elements");
	if (!l)
		return 0;
	if (p != PROG_APCM)
		return at(c, l, "only apcm has elements");
	if (need(c, l, Y_SEQ, "elements") < 0)
		return ERR_FAIL;
	c->r->elements = xcalloc(l->len + 1, sizeof *c->r->elements);
	for (size_t i = 0; i < l->len; i++)
		if (load_element(c, l->items[i], inh) < 0)
			return ERR_FAIL;
	return 0;
}

static int load_program(struct ctx *c, const struct ynode *n, const char *name, int line)
{
	static const char *const keys[] = {"consent", "source", "codes", "window", "elements",
	                                   NULL};
	int p = program_find(name);
	if (p < 0)
		return err_set_at(c->e, ERR_FAIL, c->file, line, 1,
		                  "program '%s' is not one of ccm, pcm, apcm, tcm, pin, chi", name);
	const struct ynode *codes, *k;
	struct rule_source src = {0};
	if (need(c, n, Y_MAP, name) < 0 || ynode_check_keys(n, keys, c->file, c->e) < 0 ||
	    !(k = must(c, n, "consent", name)) ||
	    ynode_bool(k, c->file, "consent", &c->r->consent[p], c->e) < 0 ||
	    (ynode_get(n, "source") && get_source(c, n, name, NULL, &src) < 0) ||
	    !(codes = must(c, n, "codes", name)) || need(c, codes, Y_SEQ, "codes") < 0)
		return ERR_FAIL;
	if (p == PROG_TCM && load_window(c, n, &src) < 0)
		return ERR_FAIL;
	if (p != PROG_TCM && ynode_get(n, "window"))
		return at(c, ynode_get(n, "window"), "only tcm has a window");
	for (size_t i = 0; i < codes->len; i++)
		if (load_code(c, codes->items[i], (enum program)p, &src) < 0)
			return ERR_FAIL;
	return load_elements(c, n, (enum program)p, &src);
}

static int code_list(struct ctx *c, const struct ynode *n, const char *what, const char ***out,
                     size_t *len)
{
	if (need(c, n, Y_SEQ, what) < 0)
		return ERR_FAIL;
	*out = xcalloc(n->len + 1, sizeof **out);
	for (size_t i = 0; i < n->len; i++) {
		if (ynode_string(n->items[i], c->file, what, &(*out)[i], c->e) < 0)
			return ERR_FAIL;
		*len = i + 1;
		if (!rules_code(c->r, (*out)[i]))
			return at(c, n->items[i], "code %s is not among the programs' codes", (*out)[i]);
	}
	return 0;
}

static int load_exclusions(struct ctx *c, const struct ynode *root)
{
	static const char *const keys[] = {"by", "excludes", "why", "source", NULL};
	const struct ynode *l = ynode_get(root, "exclusions");
	if (!l)
		return 0;
	if (need(c, l, Y_SEQ, "exclusions") < 0)
		return ERR_FAIL;
	struct rules *r = c->r;
	r->exclusions = xcalloc(l->len + 1, sizeof *r->exclusions);
	for (size_t i = 0; i < l->len; i++) {
		const struct ynode *m = l->items[i], *by, *ex, *why;
		struct rule_exclusion *x = &r->exclusions[i];
		r->n_exclusions = i + 1;
		x->line = m->line;
		if (need(c, m, Y_MAP, "an exclusion") < 0 || ynode_check_keys(m, keys, c->file, c->e) < 0 ||
		    !(by = must(c, m, "by", "an exclusion")) ||
		    !(ex = must(c, m, "excludes", "an exclusion")) ||
		    !(why = must(c, m, "why", "an exclusion")) ||
		    code_list(c, by, "by", &x->by, &x->n_by) < 0 ||
		    code_list(c, ex, "excludes", &x->excludes, &x->n_excludes) < 0 ||
		    ynode_string(why, c->file, "why", &x->why, c->e) < 0 ||
		    get_source(c, m, "an exclusion", NULL, &x->source) < 0)
			return ERR_FAIL;
	}
	return 0;
}

static int check_addons(struct ctx *c)
{
	for (size_t i = 0; i < c->r->n_codes; i++) {
		const struct rule_code *k = &c->r->codes[i], *b;
		if (!k->addon_to)
			continue;
		if (!(b = rules_code(c->r, k->addon_to)) || b->addon_to || b->program != k->program)
			return err_set_at(c->e, ERR_FAIL, c->file, k->line, 1,
			                  "add-on code %s: %s is not a base code of the same program",
			                  k->code, k->addon_to);
	}
	return 0;
}

static int load_tree(struct ctx *c, const struct ynode *root)
{
	static const char *const keys[] = {"effective", "business_days", "programs", "exclusions",
	                                   NULL};
	if (!root)
		return err_set_at(c->e, ERR_FAIL, c->file, 1, 1, "the file is empty");
	const struct ynode *p;
	if (need(c, root, Y_MAP, "a rules file") < 0 ||
	    ynode_check_keys(root, keys, c->file, c->e) < 0 || load_effective(c, root) < 0 ||
	    load_business_days(c, root) < 0 || !(p = must(c, root, "programs", "the rules file")) ||
	    need(c, p, Y_MAP, "programs") < 0)
		return ERR_FAIL;
	bool seen[PROG_N] = {false};
	for (size_t i = 0; i < p->len; i++) {
		if (load_program(c, p->items[i], p->keys[i], p->key_lines[i]) < 0)
			return ERR_FAIL;
		seen[program_find(p->keys[i])] = true;
	}
	for (int i = 0; i < PROG_N; i++)
		if (!seen[i])
			return err_set_at(c->e, ERR_FAIL, c->file, p->line, p->col,
			                  "programs has no '%s'", program_name((enum program)i));
	return check_addons(c) < 0 || load_exclusions(c, root) < 0 ? ERR_FAIL : 0;
}

static int load_root(struct ynode *root, int rc, const char *file, struct rules *r,
                     struct err *e)
{
	memset(r, 0, sizeof *r);
	r->path = xstrdup(file);
	r->doc = root;
	struct ctx c = {.file = file, .r = r, .e = e};
	if (rc == 0 && load_tree(&c, root) != 0)
		rc = ERR_FAIL;
	if (rc != 0)
		rules_free(r);
	return rc != 0 ? ERR_FAIL : 0;
}

int rules_load_string(const char *text, size_t len, const char *name, struct rules *out,
                      struct err *e)
{
	struct ynode *root = NULL;
	int rc = yamldoc_load_string(text, len, name, &root, e);
	return load_root(root, rc, name, out, e);
}

int rules_load_file(const char *path, struct rules *out, struct err *e)
{
	struct ynode *root = NULL;
	int rc = yamldoc_load_file(path, &root, e);
	return load_root(root, rc, path, out, e);
}

void rules_free(struct rules *r)
{
	for (size_t i = 0; i < r->n_exclusions; i++) {
		free((void *)r->exclusions[i].by);
		free((void *)r->exclusions[i].excludes);
	}
	free(r->exclusions);
	free(r->elements);
	free(r->codes);
	free(r->holidays.extra);
	free(r->path);
	yamldoc_free(&r->doc);
	memset(r, 0, sizeof *r);
}

const struct rule_code *rules_code(const struct rules *r, const char *code)
{
	for (size_t i = 0; code && i < r->n_codes; i++)
		if (!strcmp(r->codes[i].code, code))
			return &r->codes[i];
	return NULL;
}

const struct rule_element *rules_element(const struct rules *r, const char *id)
{
	for (size_t i = 0; id && i < r->n_elements; i++)
		if (!strcmp(r->elements[i].id, id))
			return &r->elements[i];
	return NULL;
}

/* ---- the files ---- */

char *rules_dir(void)
{
	char *t = template_shipped_dir();     /* <data>/templates */
	char *slash = strrchr(t, '/');
	if (slash)
		*slash = '\0';
	char *d = xasprintf("%s/rules", slash ? t : ".");
	free(t);
	return d;
}

static int by_start(const void *a, const void *b)
{
	const struct rules *x = a, *y = b;
	return (x->from > y->from) - (x->from < y->from);
}

int rules_check_overlap(struct rules_list *l, struct err *e)
{
	if (l->len > 1)
		qsort(l->items, l->len, sizeof *l->items, by_start);
	for (size_t i = 1; i < l->len; i++) {
		const struct rules *a = &l->items[i - 1], *b = &l->items[i];
		if (b->from <= a->to) {
			char f[DATE_STRLEN], t[DATE_STRLEN];
			return err_set_at(e, ERR_FAIL, b->path, b->from_line, 1,
			                  "effective from %s overlaps %s (in effect to %s)",
			                  date_format(b->from, f), a->path, date_format(a->to, t));
		}
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rules_scan(const char *dir, struct rules_list *out, struct err *e)
{
	DIR *d = opendir(dir);
	if (!d)
		return err_set(e, ERR_NOTFOUND, "no billing rules: cannot open %s", dir);
	struct strlist names = {0};
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n > 5 && !strcmp(de->d_name + n - 5, ".yaml") && de->d_name[0] != '.')
			strlist_add(&names, de->d_name);
	}
	closedir(d);
	if (names.len > 1)
		qsort(names.items, names.len, sizeof *names.items, by_name);
	int rc = 0;
	for (size_t i = 0; i < names.len && rc == 0; i++) {
		char *path = xasprintf("%s/%s", dir, names.items[i]);
		struct rules r;
		if ((rc = rules_load_file(path, &r, e)) == 0) {
			xgrow((void **)&out->items, &out->cap, out->len, sizeof *out->items);
			out->items[out->len++] = r;
		}
		free(path);
	}
	strlist_free(&names);
	return rc < 0 ? rc : rules_check_overlap(out, e);
}

void rules_list_free(struct rules_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		rules_free(&l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* The files read, kept for the process: the review asks for every
 * patient it judges.  At most once a second the directory is looked at
 * again (names, sizes, times); a change reads it anew, and the lists read
 * before stay (a caller may still hold their rules) until the end. */
static struct {
	char *dir, *sig;
	time_t checked;
	struct rules_list l;
	int rc;
	struct err e;
	struct rules_list *old;
	size_t n_old;
} cache;

/* "name size mtime;" for each *.yaml of dir ("" when it cannot be read) */
static char *signature(const char *dir)
{
	struct buf b = {0};
	DIR *d = opendir(dir);
	struct dirent *de;
	buf_add(&b, d ? "+" : "-");
	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct stat st;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		if (n > 5 && !strcmp(de->d_name + n - 5, ".yaml") && stat(path, &st) == 0)
			buf_addf(&b, "%s %lld %lld.%ld;", de->d_name, (long long)st.st_size,
			         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		free(path);
	}
	if (d)
		closedir(d);
	return buf_steal(&b);
}

static void cache_load(const char *dir)
{
	time_t now = time(NULL);
	if (cache.dir && !strcmp(cache.dir, dir) && cache.checked == now)
		return;
	char *sig = signature(dir);
	cache.checked = now;
	if (cache.dir && !strcmp(cache.dir, dir) && !strcmp(cache.sig, sig)) {
		free(sig);
		return;
	}
	if (cache.l.len) {
		cache.old = xrealloc(cache.old, (cache.n_old + 1) * sizeof *cache.old);
		cache.old[cache.n_old++] = cache.l;
	}
	memset(&cache.l, 0, sizeof cache.l);
	free(cache.dir);
	free(cache.sig);
	cache.dir = xstrdup(dir);
	cache.sig = sig;
	memset(&cache.e, 0, sizeof cache.e);
	cache.rc = rules_scan(dir, &cache.l, &cache.e);
	if (cache.rc < 0)
		rules_list_free(&cache.l);
}

int rules_for_day(int day, const struct rules **out, struct err *e)
{
	char *dir = rules_dir();
	cache_load(dir);
	*out = NULL;
	int rc = cache.rc;
	if (rc < 0)
		*e = cache.e;
	for (size_t i = 0; rc == 0 && i < cache.l.len && !*out; i++)
		if (cache.l.items[i].from <= day && day <= cache.l.items[i].to)
			*out = &cache.l.items[i];
	if (rc == 0 && !*out) {
		char d[DATE_STRLEN];
		rc = err_set(e, ERR_NOTFOUND, "no billing rules in effect on %s in %s",
		             date_format(day, d), dir);
	}
	free(dir);
	return rc;
}
