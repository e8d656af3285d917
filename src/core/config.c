/* config: defaults, then the YAML file on top. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/config.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "caseload/yamldoc.h"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->idle_lock_minutes = 5;
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
	static const char *const keys[] = {"coordinator", "timezone", "idle_lock_minutes",
	                                   "holidays", "review", "keys", "colors",
	                                   "import_max_component_kb", NULL};
	if ((rc = ynode_check_keys(root, keys, f, e)) < 0)
		goto out;
	const struct ynode *n;
	const char *s;
	long x;
	if ((n = ynode_get(root, "coordinator"))) {
		if ((rc = ynode_string(n, f, "coordinator", &s, e)) < 0)
			goto out;
		c->coordinator = xstrdup(s);
	}
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
		if ((rc = ynode_int(n, f, "idle_lock_minutes", 0, 24 * 60L, &x, e)) < 0)
			goto out;
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
	if ((n = ynode_get(root, "keys"))) {
		if ((rc = need_map(n, f, "keys", e)) < 0)
			goto out;
		c->bindings = xcalloc(n->len * 4 + 1, sizeof *c->bindings);
		for (size_t i = 0; i < n->len; i++) {
			const struct ynode *v = n->items[i];
			size_t nk = v->type == Y_SEQ ? v->len : 1;
			for (size_t k = 0; k < nk && k < 4; k++) {
				const struct ynode *kv = v->type == Y_SEQ ? v->items[k] : v;
				if ((rc = ynode_string(kv, f, "a key", &s, e)) < 0)
					goto out;
				struct binding *b = &c->bindings[c->n_bindings++];
				b->action = xstrdup(n->keys[i]);
				b->key = xstrdup(s);
				b->line = kv->line;
				b->col = kv->col;
			}
		}
	}
	if ((n = ynode_get(root, "colors"))) {
		if ((rc = need_map(n, f, "colors", e)) < 0)
			goto out;
		c->colors = xcalloc(n->len + 1, sizeof *c->colors);
		for (size_t i = 0; i < n->len; i++) {
			if ((rc = ynode_string(n->items[i], f, "a color", &s, e)) < 0)
				goto out;
			struct color_setting *cs = &c->colors[c->n_colors++];
			cs->element = xstrdup(n->keys[i]);
			cs->value = xstrdup(s);
			cs->line = n->items[i]->line;
			cs->col = n->items[i]->col;
		}
	}
out:
	yamldoc_free(&root);
	return rc < 0 ? rc : 0;
}

void config_free(struct config *c)
{
	free(c->path);
	free(c->coordinator);
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
	memset(c, 0, sizeof *c);
}
