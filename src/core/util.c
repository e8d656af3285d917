/* util: allocation that aborts on exhaustion; string buffers and lists. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/util.h"

static void oom(void)
{
	fputs("caseload: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

void str_free(const char *s)
{
	free((void *)(uintptr_t)s);   /* owned: const only to its readers */
}

void str_set(const char **field, const char *v)
{
	str_free(*field);
	*field = xstrdup(v);
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need < *cap)
		return;
	size_t n = *cap ? *cap * 2 : 16;
	while (n <= need)
		n *= 2;
	*p = xrealloc(*p, n * elem);
	*cap = n;
}

static void buf_room(struct buf *b, size_t more)
{
	void *p = b->s;
	xgrow(&p, &b->cap, b->len + more + 1, 1);
	b->s = p;
}

void buf_addn(struct buf *b, const char *s, size_t n)
{
	buf_room(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_add(struct buf *b, const char *s)
{
	buf_addn(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
	buf_addn(b, &c, 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	/* into the room there is (one formatting most times), else again
	 * once there is room for all of it */
	va_list ap2;
	va_copy(ap2, ap);
	buf_room(b, 64);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->s + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->s[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		buf_room(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *buf_steal(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void strlist_add(struct strlist *l, const char *s)
{
	void *p = l->items;
	xgrow(&p, &l->cap, l->len + 1, sizeof *l->items);
	l->items = p;
	l->items[l->len++] = xstrdup(s);
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->len = l->cap = 0;
}

bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}
