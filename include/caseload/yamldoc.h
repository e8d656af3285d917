/* yamldoc: read a YAML file with libyaml into a small tree of maps,
 * sequences and scalars, each with its line and column, so that the
 * config and template loaders can check keys and types and name the place
 * of every error.  Anchors and aliases are refused; depth and size are
 * bounded so that a hostile file cannot exhaust memory or the stack. */
#ifndef CASELOAD_YAMLDOC_H
#define CASELOAD_YAMLDOC_H
#include <stdbool.h>
#include <stddef.h>
#include "caseload/err.h"

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_type type;
	int line, col;              /* 1-based, where the node starts */
	char *value;                /* scalar text */
	bool quoted;                /* a quoted scalar (never a null or number) */
	struct ynode **items;       /* sequence items, or map values */
	char **keys;                /* map keys (scalars only) */
	int *key_lines, *key_cols;
	size_t len;
};

#define YAMLDOC_MAX_DEPTH 32
#define YAMLDOC_MAX_NODES 100000
#define YAMLDOC_MAX_BYTES ((size_t)4 * 1024 * 1024)

/* Load the first document of a file (NULL root for an empty file).
 * Errors name `path` with line and column. */
int yamldoc_load_file(const char *path, struct ynode **root, struct err *e);
/* Same from memory; `name` is used in messages. */
int yamldoc_load_string(const char *text, size_t len, const char *name,
                        struct ynode **root, struct err *e);
void yamldoc_free(struct ynode **root);

/* Map look-up (NULL if absent or not a map). */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* Check that every key of `map` is in the NULL-terminated `allowed`; on
 * an unknown key, the error names it, its place and the nearest allowed
 * key ("did you mean ..."). */
int ynode_check_keys(const struct ynode *map, const char *const *allowed,
                     const char *file, struct err *e);
/* Typed reads with errors at the node's place.  `what` names the value. */
int ynode_string(const struct ynode *n, const char *file, const char *what,
                 const char **out, struct err *e);
int ynode_int(const struct ynode *n, const char *file, const char *what,
              long min, long max, long *out, struct err *e);
int ynode_bool(const struct ynode *n, const char *file, const char *what,
               bool *out, struct err *e);
/* Name of a node's type for messages: "a mapping", "a list", "text". */
const char *ynode_type_name(const struct ynode *n);
/* Levenshtein distance, for "did you mean". */
int text_distance(const char *a, const char *b);

#endif
