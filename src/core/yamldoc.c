/* yamldoc: libyaml's event parser folded into a bounded tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "caseload/util.h"
#include "caseload/yamldoc.h"

struct loader {
	yaml_parser_t parser;
	const char *name;
	size_t nodes;
	struct err *e;
};

static void node_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->len; i++) {
		node_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_lines);
	free(n->key_cols);
	free(n->value);
	free(n);
}

void yamldoc_free(struct ynode **root)
{
	node_free(*root);
	*root = NULL;
}

static int parse_error(struct loader *l)
{
	yaml_parser_t *p = &l->parser;
	const char *what = p->problem ? p->problem : "malformed YAML";
	int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
	if (p->context)
		return err_set_at(l->e, ERR_FAIL, l->name, line, col, "%s %s", what, p->context);
	return err_set_at(l->e, ERR_FAIL, l->name, line, col, "%s", what);
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->parser, ev))
		return parse_error(l);
	return 0;
}

static struct ynode *new_node(struct loader *l, enum ynode_type t, const yaml_event_t *ev)
{
	l->nodes++;
	struct ynode *n = xcalloc(1, sizeof *n);
	n->type = t;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	return n;
}

static void push(struct ynode *n, struct ynode *child, size_t *cap)
{
	void *p = n->items;
	xgrow(&p, cap, n->len + 1, sizeof(struct ynode *));
	n->items = p;
	n->items[n->len++] = child;
}

static int parse_node(struct loader *l, yaml_event_t *ev, int depth, struct ynode **out);

static int check_node_event(struct loader *l, const yaml_event_t *ev, int depth)
{
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
	if (ev->type == YAML_ALIAS_EVENT)
		return err_set_at(l->e, ERR_FAIL, l->name, line, col,
		                  "aliases (*name) are not supported; write the value out");
	const yaml_char_t *anchor = ev->type == YAML_SCALAR_EVENT ? ev->data.scalar.anchor :
	                            ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor :
	                            ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor : NULL;
	if (anchor)
		return err_set_at(l->e, ERR_FAIL, l->name, line, col,
		                  "anchors (&name) are not supported; write the value out");
	if (depth > YAMLDOC_MAX_DEPTH)
		return err_set_at(l->e, ERR_FAIL, l->name, line, col,
		                  "nested more than %d levels deep", YAMLDOC_MAX_DEPTH);
	if (l->nodes >= YAMLDOC_MAX_NODES)
		return err_set_at(l->e, ERR_FAIL, l->name, line, col,
		                  "more than %d values; this is not a caseload file", YAMLDOC_MAX_NODES);
	return 0;
}

static int parse_node(struct loader *l, yaml_event_t *ev, int depth, struct ynode **out)
{
	int rc = check_node_event(l, ev, depth);
	if (rc < 0)
		return rc;
	if (ev->type == YAML_SCALAR_EVENT) {
		struct ynode *n = new_node(l, Y_SCALAR, ev);
		n->value = xstrdup((const char *)ev->data.scalar.value);
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
		*out = n;
		return 0;
	}
	bool is_map = ev->type == YAML_MAPPING_START_EVENT;
	struct ynode *n = new_node(l, is_map ? Y_MAP : Y_SEQ, ev);
	size_t cap = 0, kcap = 0;
	*out = n;
	for (;;) {
		yaml_event_t child;
		if ((rc = next_event(l, &child)) < 0)
			return rc;
		if (child.type == YAML_MAPPING_END_EVENT || child.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&child);
			return 0;
		}
		if (is_map) {
			/* the key */
			if ((rc = check_node_event(l, &child, depth + 1)) < 0) {
				yaml_event_delete(&child);
				return rc;
			}
			if (child.type != YAML_SCALAR_EVENT) {
				rc = err_set_at(l->e, ERR_FAIL, l->name, (int)child.start_mark.line + 1,
				                (int)child.start_mark.column + 1, "a key must be plain text");
				yaml_event_delete(&child);
				return rc;
			}
			const char *key = (const char *)child.data.scalar.value;
			int kl = (int)child.start_mark.line + 1, kc = (int)child.start_mark.column + 1;
			for (size_t i = 0; i < n->len; i++)
				if (!strcmp(n->keys[i], key)) {
					rc = err_set_at(l->e, ERR_FAIL, l->name, kl, kc,
					                "key '%s' appears twice (first at line %d)", key,
					                n->key_lines[i]);
					yaml_event_delete(&child);
					return rc;
				}
			if (n->len + 1 >= kcap) {
				kcap = kcap ? kcap * 2 : 8;
				n->keys = xrealloc(n->keys, kcap * sizeof *n->keys);
				n->key_lines = xrealloc(n->key_lines, kcap * sizeof *n->key_lines);
				n->key_cols = xrealloc(n->key_cols, kcap * sizeof *n->key_cols);
			}
			n->keys[n->len] = xstrdup(key);
			n->key_lines[n->len] = kl;
			n->key_cols[n->len] = kc;
			yaml_event_delete(&child);
			if ((rc = next_event(l, &child)) < 0) {
				free(n->keys[n->len]);
				return rc;
			}
		}
		struct ynode *c = NULL;
		rc = parse_node(l, &child, depth + 1, &c);
		yaml_event_delete(&child);
		if (c)
			push(n, c, &cap);
		else if (is_map)
			free(n->keys[n->len]);
		if (rc < 0)
			return rc;
	}
}

int yamldoc_load_string(const char *text, size_t len, const char *name,
                        struct ynode **root, struct err *e)
{
	struct loader l = {.name = name, .e = e};
	*root = NULL;
	if (len > YAMLDOC_MAX_BYTES)
		return err_set_at(e, ERR_FAIL, name, 0, 0, "file is larger than %zu MiB",
		                  YAMLDOC_MAX_BYTES >> 20);
	if (!yaml_parser_initialize(&l.parser))
		return err_set(e, ERR_FAIL, "cannot start the YAML parser");
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	int rc = 0;
	yaml_event_t ev;
	for (;;) {
		if ((rc = next_event(&l, &ev)) < 0)
			break;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		rc = parse_node(&l, &ev, 1, root);
		yaml_event_delete(&ev);
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&l.parser);
	if (rc < 0)
		yamldoc_free(root);
	return rc;
}

int yamldoc_load_file(const char *path, struct ynode **root, struct err *e)
{
	*root = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set_at(e, errno == ENOENT ? ERR_NOTFOUND : ERR_FAIL, path, 0, 0,
		                  "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return err_set_at(e, ERR_FAIL, path, 0, 0, "is a directory");
	}
	struct buf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_addn(&b, chunk, n);
		if (b.len > YAMLDOC_MAX_BYTES)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		return err_set_at(e, ERR_FAIL, path, 0, 0, "cannot read");
	}
	int rc = yamldoc_load_string(b.s ? b.s : "", b.len, path, root, e);
	buf_free(&b);
	return rc;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->type != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->len; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

int text_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	int row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int sub = prev + (a[i - 1] != b[j - 1]);
			int del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}

int ynode_check_keys(const struct ynode *map, const char *const *allowed,
                     const char *file, struct err *e)
{
	for (size_t i = 0; i < map->len; i++) {
		const char *k = map->keys[i];
		const char *best = NULL;
		int bestd = 99;
		bool ok = false;
		for (const char *const *a = allowed; *a; a++) {
			if (!strcmp(*a, k)) {
				ok = true;
				break;
			}
			int d = text_distance(k, *a);
			if (d < bestd)
				bestd = d, best = *a;
		}
		if (ok)
			continue;
		if (best && bestd <= 2 + (int)strlen(k) / 6)
			return err_set_at(e, ERR_FAIL, file, map->key_lines[i], map->key_cols[i],
			                  "unknown key '%s' (did you mean '%s'?)", k, best);
		struct buf list = {0};
		for (const char *const *a = allowed; *a; a++)
			buf_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
		err_set_at(e, ERR_FAIL, file, map->key_lines[i], map->key_cols[i],
		           "unknown key '%s' (known: %s)", k, list.s);
		buf_free(&list);
		return ERR_FAIL;
	}
	return 0;
}

const char *ynode_type_name(const struct ynode *n)
{
	return n->type == Y_MAP ? "a mapping" : n->type == Y_SEQ ? "a list" : "text";
}

int ynode_string(const struct ynode *n, const char *file, const char *what,
                 const char **out, struct err *e)
{
	if (n->type != Y_SCALAR)
		return err_set_at(e, ERR_FAIL, file, n->line, n->col,
		                  "%s must be text, not %s", what, ynode_type_name(n));
	*out = n->value;
	return 0;
}

int ynode_int(const struct ynode *n, const char *file, const char *what,
              long min, long max, long *out, struct err *e)
{
	if (n->type != Y_SCALAR || n->quoted)
		goto bad;
	char *end;
	errno = 0;
	long v = strtol(n->value, &end, 10);
	if (end == n->value || *end || errno)
		goto bad;
	if (v < min || v > max)
		return err_set_at(e, ERR_FAIL, file, n->line, n->col,
		                  "%s must be from %ld to %ld, not %ld", what, min, max, v);
	*out = v;
	return 0;
bad:
	return err_set_at(e, ERR_FAIL, file, n->line, n->col, "%s must be a whole number, not %s%s%s",
	                  what, n->type == Y_SCALAR ? "'" : "",
	                  n->type == Y_SCALAR ? n->value : ynode_type_name(n),
	                  n->type == Y_SCALAR ? "'" : "");
}

int ynode_bool(const struct ynode *n, const char *file, const char *what,
               bool *out, struct err *e)
{
	if (n->type == Y_SCALAR && !n->quoted) {
		const char *v = n->value;
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
			return *out = true, 0;
		if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
			return *out = false, 0;
	}
	return err_set_at(e, ERR_FAIL, file, n->line, n->col, "%s must be true or false", what);
}
