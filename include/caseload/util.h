/* util: memory helpers that abort on exhaustion, and a growable string
 * buffer.  Out of memory is the one error that is not returned. */
#ifndef CASELOAD_UTIL_H
#define CASELOAD_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);          /* NULL stays NULL */
/* The model's structs hold their strings as const char *: the store's
 * lists own them (freed here), a caller filling a struct for a write
 * lends its own.  str_set frees the old string and keeps a copy of v. */
void str_free(const char *s);
void str_set(const char **field, const char *v);
/* Two optional strings are the same text (NULL is the empty one). */
bool str_eq(const char *a, const char *b);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grow an array *p of *cap elements so that index `need` fits. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);

/* A string buffer: s is always NUL-terminated once anything is added.
 * Start from `struct buf b = {0};`, release with buf_free. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_add(struct buf *b, const char *s);
void buf_addn(struct buf *b, const char *s, size_t n);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);         /* empty, keep memory */
char *buf_steal(struct buf *b);        /* hand over the string ("" if empty) */
void buf_free(struct buf *b);

/* A list of owned strings. */
struct strlist {
	char **items;
	size_t len, cap;
};
void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
