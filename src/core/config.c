/* config: defaults, then the YAML file on top. */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/config.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "caseload/yamldoc.h"

/* The file's keys, in its order; bit i of from_file is top_keys[i], bit
 * BIT_REVIEW + i is fields[i] under review:. */
static const char *const top_keys[] = {"coordinator", "timezone", "idle_lock_minutes",
                                       "holidays", "review", "keys", "colors",
                                       "import_max_component_kb", "database", "phone", "apcm",
                                       NULL};
enum { K_COORDINATOR, K_TIMEZONE, K_IDLE_LOCK, K_HOLIDAYS, K_REVIEW, K_KEYS, K_COLORS,
       K_IMPORT_MAX, K_DATABASE, K_PHONE, K_APCM, BIT_REVIEW = 16 };
static const struct {
	const char *key;
	size_t off;
} fields[] = {
#define F(k) {#k, offsetof(struct review_cfg, k)}
	F(transport_days), F(confirm_days), F(refill_days), F(tcm_contact_bdays),
	F(tcm_visit_days_high), F(tcm_visit_days_other), F(cadence_high),
	F(cadence_medium), F(cadence_low), F(ccm_minutes), F(ccm_days_left),
	F(noshow_days),
#undef F
};

_Static_assert(IDLE_LOCK_MAX_MINUTES >= 1 && IDLE_LOCK_MAX_MINUTES <= 24 * 60,
               "IDLE_LOCK_MAX is a number of minutes from 1 to a day");

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->idle_lock_minutes = IDLE_LOCK_MAX_MINUTES < 5 ? IDLE_LOCK_MAX_MINUTES : 5;
	c->import_max_component_kb = 1024;
	c->holidays.us_federal = true;
	c->review = (struct review_cfg){
		.transport_days = 3, .confirm_days = 2, .refill_days = 5,
		.tcm_contact_bdays = 2, .tcm_visit_days_high = 7,
		.tcm_visit_days_other = 14, .cadence_high = 7, .cadence_medium = 14,
		.cadence_low = 30, .ccm_minutes = 20, .ccm_days_left = 7,
		.noshow_days = 7,
	};
}

char *config_dir(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && *x == '/')
		return xasprintf("%s/caseload", x);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/caseload", home && *home ? home : ".");
}

const char *config_zone(const struct config *c)
{
	return c->timezone ? c->timezone : tz_default();
}

enum config_source config_zone_source(const struct config *c, const char **origin)
{
	*origin = c->path;
	if (c->timezone)
		return CFG_FILE;
	*origin = tz_default_origin();
	if (!*origin)
		return CFG_DEFAULT;
	return !strcmp(*origin, "CASELOAD_TZ") ? CFG_ENV : CFG_SYSTEM;
}

bool config_zone_chosen(const struct config *c)
{
	const char *origin;
	enum config_source src = config_zone_source(c, &origin);
	return src == CFG_FILE || src == CFG_ENV;
}

const char *config_source_name(enum config_source s)
{
	static const char *const names[] = {[CFG_DEFAULT] = "default", [CFG_FILE] = "file",
	                                    [CFG_ENV] = "environment", [CFG_OPTION] = "option",
	                                    [CFG_SYSTEM] = "system"};
	return names[s];
}

void config_settings_add(struct config_settings *l, const char *key, const char *value,
                         enum config_source source, const char *origin)
{
	void *p = l->items;
	xgrow(&p, &l->cap, l->len + 1, sizeof *l->items);
	l->items = p;
	l->items[l->len++] = (struct config_setting){xstrdup(key), xstrdup(value ? value : ""),
	                                              source, origin};
}

void config_settings_free(struct config_settings *l)
{
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* A setting of the file: from it when its bit is set, else the default. */
static void add_key(struct config_settings *l, const struct config *c, int bit,
                    const char *key, const char *value)
{
	bool file = c->from_file & (1ULL << bit);
	config_settings_add(l, key, value, file ? CFG_FILE : CFG_DEFAULT, file ? c->path : NULL);
}

static void add_holidays(struct config_settings *l, const struct config *c)
{
	struct buf b = {0};
	if (c->holidays.us_federal)
		buf_add(&b, "us-federal");
	for (int i = 0; i < c->holidays.n_extra; i++) {
		char d[DATE_STRLEN];
		buf_addf(&b, "%s%s", b.len ? ", " : "", date_format(c->holidays.extra[i], d));
	}
	add_key(l, c, K_HOLIDAYS, "holidays", b.len ? b.s : "none");
	buf_free(&b);
}

/* keys: and colors: list only what the file sets; without them, one line
 * says the built-in ones are used. */
static void add_keys_colors(struct config_settings *l, const struct config *c)
{
	struct buf key = {0}, val = {0};
	for (int i = 0; i < c->n_bindings; i++) {
		const struct binding *b = &c->bindings[i];
		buf_add(&val, b->key);
		if (i + 1 < c->n_bindings && !strcmp(c->bindings[i + 1].action, b->action)) {
			buf_add(&val, ", ");
			continue;
		}
		buf_reset(&key);
		buf_addf(&key, "keys.%s", b->action);
		config_settings_add(l, key.s, val.s, CFG_FILE, c->path);
		buf_reset(&val);
	}
	if (!c->n_bindings)
		add_key(l, c, K_KEYS, "keys", "built-in");
	for (int i = 0; i < c->n_colors; i++) {
		buf_reset(&key);
		buf_addf(&key, "colors.%s", c->colors[i].element);
		config_settings_add(l, key.s, c->colors[i].value, CFG_FILE, c->path);
	}
	if (!c->n_colors)
		add_key(l, c, K_COLORS, "colors", "built-in");
	buf_free(&key);
	buf_free(&val);
}

void config_settings(const struct config *c, const char *user, struct config_settings *out)
{
	char num[32];
	add_key(out, c, K_COORDINATOR, "coordinator", c->coordinator ? c->coordinator : user);
	add_key(out, c, K_PHONE, "phone", c->phone ? c->phone : "");
	const char *origin;
	enum config_source src = config_zone_source(c, &origin);
	config_settings_add(out, "timezone", config_zone(c), src, origin);
	snprintf(num, sizeof num, "%d", c->idle_lock_minutes);
	add_key(out, c, K_IDLE_LOCK, "idle_lock_minutes", num);
	snprintf(num, sizeof num, "%d", c->import_max_component_kb);
	add_key(out, c, K_IMPORT_MAX, "import_max_component_kb", num);
	add_holidays(out, c);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char key[64];
		snprintf(key, sizeof key, "review.%s", fields[i].key);
		snprintf(num, sizeof num, "%d", *(const int *)((const char *)&c->review + fields[i].off));
		add_key(out, c, (int)(BIT_REVIEW + i), key, num);
	}
	struct buf b = {0};
	for (int i = 0; i < c->n_attest; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", c->attest[i].id);
	add_key(out, c, K_APCM, "apcm.attest", b.len ? b.s : "none");
	buf_free(&b);
	add_keys_colors(out, c);
}

static int load_holidays(struct config *c, const struct ynode *n, const char *f,
                         struct err *e)
{
	if (n->type == Y_SCALAR && !strcmp(n->value, "us-federal")) {
		c->holidays.us_federal = true;
		return 0;
	}
	if (n->type == Y_SCALAR && !strcmp(n->value, "none")) {
		c->holidays.us_federal = false;
		return 0;
	}
	if (n->type != Y_SEQ)
		return err_set_at(e, ERR_FAIL, f, n->line, n->col,
		                  "holidays must be us-federal, none, or a list of dates and us-federal");
	c->holidays.us_federal = false;
	c->holidays.extra = xcalloc(n->len, sizeof *c->holidays.extra);
	for (size_t i = 0; i < n->len; i++) {
		const struct ynode *d = n->items[i];
		const char *s;
		if (ynode_string(d, f, "a holiday", &s, e) < 0)
			return e->code;
		if (!strcmp(s, "us-federal")) {
			c->holidays.us_federal = true;
			continue;
		}
		int day;
		if (date_parse_iso(s, &day) < 0 || !date_in_range(day))
			return err_set_at(e, ERR_FAIL, f, d->line, d->col,
			                  "holiday %s is not a date of the years %d-%d (YYYY-MM-DD) "
			                  "or us-federal", TEXT_ARG(s), DATE_FIRST_YEAR, DATE_LAST_YEAR);
		c->holidays.extra[c->holidays.n_extra++] = day;
	}
	return 0;
}

static int load_review(struct config *c, const struct ynode *n, const char *f,
                       struct err *e)
{
	const char *keys[sizeof fields / sizeof fields[0] + 1];
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		keys[i] = fields[i].key;
	keys[sizeof fields / sizeof fields[0]] = NULL;
	if (n->type != Y_MAP)
		return err_set_at(e, ERR_FAIL, f, n->line, n->col, "review must be a mapping");
	if (ynode_check_keys(n, keys, f, e) < 0)
		return e->code;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const struct ynode *v = ynode_get(n, fields[i].key);
		long x;
		if (!v)
			continue;
		if (ynode_int(v, f, fields[i].key, 0, 3660, &x, e) < 0)
			return e->code;
		*(int *)((char *)&c->review + fields[i].off) = (int)x;
		c->from_file |= 1ULL << (BIT_REVIEW + i);
	}
	return 0;
}

static int need_map(const struct ynode *n, const char *f, const char *what,
                    struct err *e)
{
	if (n->type != Y_MAP)
		return err_set_at(e, ERR_FAIL, f, n->line, n->col, "%s must be a mapping", what);
	return 0;
}

static int load_keys(struct config *c, const struct ynode *n, const char *f, struct err *e)
{
	int rc;
	const char *s;
	if ((rc = need_map(n, f, "keys", e)) < 0)
		return rc;
	c->bindings = xcalloc(n->len * 4 + 1, sizeof *c->bindings);
	for (size_t i = 0; i < n->len; i++) {
		const struct ynode *v = n->items[i];
		size_t nk = v->type == Y_SEQ ? v->len : 1;
		for (size_t k = 0; k < nk && k < 4; k++) {
			const struct ynode *kv = v->type == Y_SEQ ? v->items[k] : v;
			if ((rc = ynode_string(kv, f, "a key", &s, e)) < 0)
				return rc;
			struct binding *b = &c->bindings[c->n_bindings++];
			b->action = xstrdup(n->keys[i]);
			b->key = xstrdup(s);
			b->line = kv->line;
			b->col = kv->col;
		}
	}
	return 0;
}

static int load_colors(struct config *c, const struct ynode *n, const char *f, struct err *e)
{
	int rc;
	const char *s;
	if ((rc = need_map(n, f, "colors", e)) < 0)
		return rc;
	c->colors = xcalloc(n->len + 1, sizeof *c->colors);
	for (size_t i = 0; i < n->len; i++) {
		if ((rc = ynode_string(n->items[i], f, "a color", &s, e)) < 0)
			return rc;
		struct color_setting *cs = &c->colors[c->n_colors++];
		cs->element = xstrdup(n->keys[i]);
		cs->value = xstrdup(s);
		cs->line = n->items[i]->line;
		cs->col = n->items[i]->col;
	}
	return 0;
}

/* apcm: {attest: [id, ...]}: the practice-scope APCM elements the
 * practice provides.  The ids are checked against the rules file where
 * they are used (the rules are the services'). */
static int load_apcm(struct config *c, const struct ynode *n, const char *f, struct err *e)
{
	static const char *const keys[] = {"attest", NULL};
	int rc;
	const char *s;
	if ((rc = need_map(n, f, "apcm", e)) < 0 || (rc = ynode_check_keys(n, keys, f, e)) < 0)
		return rc;
	const struct ynode *l = ynode_get(n, "attest");
	if (!l)
		return 0;
	if (l->type != Y_SEQ)
		return err_set_at(e, ERR_FAIL, f, l->line, l->col,
		                  "apcm.attest must be a list of element ids");
	c->attest = xcalloc(l->len + 1, sizeof *c->attest);
	for (size_t i = 0; i < l->len; i++) {
		if ((rc = ynode_string(l->items[i], f, "an element id", &s, e)) < 0)
			return rc;
		struct attest *a = &c->attest[c->n_attest++];
		a->id = xstrdup(s);
		a->line = l->items[i]->line;
		a->col = l->items[i]->col;
	}
	return 0;
}

bool config_db_is_server(const char *where)
{
	if (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11))
		return true;
	const char *p = where;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return p > where && *p == '=';
}

/* database: a file (absolute, or ~/ for the home directory: a relative
 * one would depend on where caseload is started) or a PostgreSQL
 * connection string or URI, as --db and CASELOAD_DB take them. */
static int load_database(struct config *c, const struct ynode *n, const char *f, struct err *e)
{
	const char *s;
	int rc = ynode_string(n, f, "database", &s, e);
	if (rc < 0)
		return rc;
	bool server = config_db_is_server(s);
	const char *home = getenv("HOME");
	if (!server && !strncmp(s, "~/", 2) && home && *home)
		c->database = xasprintf("%s%s", home, s + 1);
	else if (server || s[0] == '/')
		c->database = xstrdup(s);
	else
		return err_set_at(e, ERR_FAIL, f, n->line, n->col,
		                  "database: %s is not an absolute path (start it with / or ~/), "
		                  "nor a PostgreSQL connection", TEXT_ARG(s));
	return 0;
}

int config_load(struct config *c, const char *path, struct err *e)
{
	config_defaults(c);
	char *dflt = NULL;
	if (!path) {
		char *dir = config_dir();
		dflt = xasprintf("%s/config.yaml", dir);
		free(dir);
		if (access(dflt, F_OK) != 0) {
			free(dflt);
			return 0;
		}
		path = dflt;
	}
	struct ynode *root = NULL;
	int rc = yamldoc_load_file(path, &root, e);
	c->path = xstrdup(path);
	free(dflt);
	const char *f = c->path;
	if (rc < 0 || !root)
		goto out;
	if (root->type != Y_MAP) {
		rc = err_set_at(e, ERR_FAIL, f, root->line, root->col,
		                "the config file must be a mapping of settings");
		goto out;
	}
	if ((rc = ynode_check_keys(root, top_keys, f, e)) < 0)
		goto out;
	for (int k = 0; top_keys[k]; k++)
		if (k != K_REVIEW && ynode_get(root, top_keys[k]))
			c->from_file |= 1ULL << k;
	const struct ynode *n;
	const char *s;
	long x;
	if ((n = ynode_get(root, "coordinator"))) {
		if ((rc = ynode_string(n, f, "coordinator", &s, e)) < 0)
			goto out;
		c->coordinator = xstrdup(s);
	}
	if ((n = ynode_get(root, "phone"))) {
		if ((rc = ynode_string(n, f, "phone", &s, e)) < 0)
			goto out;
		if (text_check_input(s, false, "phone", e) < 0) {
			char why[sizeof e->msg];
			snprintf(why, sizeof why, "%s", e->msg);
			rc = err_set_at(e, ERR_FAIL, f, n->line, n->col, "%s", why);
			goto out;
		}
		c->phone = xstrdup(s);
	}
	if ((n = ynode_get(root, "database")) && (rc = load_database(c, n, f, e)) < 0)
		goto out;
	if ((n = ynode_get(root, "timezone"))) {
		if ((rc = ynode_string(n, f, "timezone", &s, e)) < 0)
			goto out;
		if (!tz_known(s)) {
			rc = err_set_at(e, ERR_FAIL, f, n->line, n->col, "unknown time zone %s", TEXT_ARG(s));
			goto out;
		}
		c->timezone = xstrdup(s);
	}
	if ((n = ynode_get(root, "idle_lock_minutes"))) {
		if ((rc = ynode_int(n, f, "idle_lock_minutes", LONG_MIN, LONG_MAX, &x, e)) < 0)
			goto out;
		if (x < 1 || x > IDLE_LOCK_MAX_MINUTES) {
			rc = err_set_at(e, ERR_FAIL, f, n->line, n->col,
			                "idle_lock_minutes must be from 1 to %d, not %ld%s", IDLE_LOCK_MAX_MINUTES,
			                x, x < 1 ? " (the screen always locks when left alone)"
			                         : " (the most this caseload was built to allow)");
			goto out;
		}
		c->idle_lock_minutes = (int)x;
	}
	/* memory for one imported component is about ten times its size */
	if ((n = ynode_get(root, "import_max_component_kb"))) {
		if ((rc = ynode_int(n, f, "import_max_component_kb", 16, 4096, &x, e)) < 0)
			goto out;
		c->import_max_component_kb = (int)x;
	}
	if ((n = ynode_get(root, "holidays")) && (rc = load_holidays(c, n, f, e)) < 0)
		goto out;
	if ((n = ynode_get(root, "review")) && (rc = load_review(c, n, f, e)) < 0)
		goto out;
	if ((n = ynode_get(root, "keys")) && (rc = load_keys(c, n, f, e)) < 0)
		goto out;
	if ((n = ynode_get(root, "colors")) && (rc = load_colors(c, n, f, e)) < 0)
		goto out;
	if ((n = ynode_get(root, "apcm")) && (rc = load_apcm(c, n, f, e)) < 0)
		goto out;
out:
	yamldoc_free(&root);
	return rc < 0 ? rc : 0;
}

void config_free(struct config *c)
{
	free(c->path);
	free(c->coordinator);
	free(c->phone);
	free(c->database);
	free(c->timezone);
	free(c->holidays.extra);
	for (int i = 0; i < c->n_bindings; i++) {
		free(c->bindings[i].action);
		free(c->bindings[i].key);
	}
	free(c->bindings);
	for (int i = 0; i < c->n_colors; i++) {
		free(c->colors[i].element);
		free(c->colors[i].value);
	}
	free(c->colors);
	for (int i = 0; i < c->n_attest; i++)
		free(c->attest[i].id);
	free(c->attest);
	memset(c, 0, sizeof *c);
}
