/* pane: the generic part of every pane: placement, the border and title,
 * drawing the visible rows, moving the selection with paging, text out,
 * attributes, and the text popup (help, details). */
#include <stdlib.h>
#include <string.h>

#include "caseload/text.h"
#include "pane.h"

struct pane *pane_new(struct tui *t, const struct pane_ops *ops, void *data)
{
	struct pane *p = xcalloc(1, sizeof *p);
	p->t = t;
	p->ops = ops;
	p->data = data;
	p->reload = p->repaint = true;
	return p;
}

void pane_free(struct pane **pp)
{
	struct pane *p = *pp;
	if (!p)
		return;
	if (p->ops->free)
		p->ops->free(p);
	if (p->win)
		delwin(p->win);
	free(p);
	*pp = NULL;
}

static int page(struct pane *p, bool backward, bool jump);

void pane_place(struct pane *p, struct rect r)
{
	if (p->win && (r.h != p->r.h || r.w != p->r.w || r.y != p->r.y || r.x != p->r.x)) {
		delwin(p->win);
		p->win = NULL;
	}
	p->r = r;
	if (!p->win && r.h > 0 && r.w > 0)
		p->win = newwin(r.h, r.w, r.y, r.x);
	p->repaint = true;
	pane_select(p, p->sel);
	/* taller than the rows read (a list reads the rows it shows): the
	 * rows after them, where there are more */
	if (p->n && p->more_after && p->top + (size_t)pane_height(p) > p->n)
		page(p, false, false);
}

int pane_height(const struct pane *p)
{
	int inside = p->r.h - 2 - (p->ops->header ? 1 : 0);
	return inside > 0 ? inside : 0;
}

void pane_select(struct pane *p, size_t i)
{
	if (p->n == 0) {
		p->sel = p->top = 0;
		return;
	}
	if (i >= p->n)
		i = p->n - 1;
	p->sel = i;
	size_t h = (size_t)(pane_height(p) > 0 ? pane_height(p) : 1);
	if (p->sel < p->top)
		p->top = p->sel;
	else if (p->sel >= p->top + h)
		p->top = p->sel - h + 1;
	if (p->top + h > p->n)
		p->top = p->n > h ? p->n - h : 0;
	p->repaint = true;
}

void tui_put(WINDOW *w, int y, int x, const char *s, int width, int attr)
{
	if (width <= 0)
		return;
	char *clean = text_sanitize(s ? s : "");
	struct buf b = {0};
	text_fit(&b, clean, width, true);
	attr_t a = (attr_t)attr;   /* the bits of an A_ mask, carried in an int */
	wattr_set(w, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	mvwaddstr(w, y, x, b.s ? b.s : "");
	wattr_set(w, A_NORMAL, 0, NULL);
	buf_free(&b);
	free(clean);
}

void pane_draw(struct pane *p, bool focused)
{
	struct tui *t = p->t;
	if (!p->win)
		return;
	werase(p->win);
	int border = tui_attr(t, focused ? EL_FOCUS : EL_BORDER);
	wattron(p->win, border);
	box(p->win, 0, 0);
	wattroff(p->win, border);
	char title[sizeof p->title + 2];
	snprintf(title, sizeof title, " %s ", p->title);
	tui_put(p->win, 0, 2, title, text_width(title) < p->r.w - 4 ? text_width(title) : p->r.w - 4,
	        border | (int)A_BOLD);
	int h = pane_height(p), w = p->r.w - 2, first = 1;
	if (p->ops->header && p->r.h > 2)
		p->ops->header(p, first++, 1, w);
	for (int y = 0; y < h && p->top + (size_t)y < p->n; y++) {
		size_t i = p->top + (size_t)y;
		p->ops->draw_row(p, i, y + first, 1, w, focused && i == p->sel);
	}
	if (p->n && (p->more_before || p->top > 0))
		mvwaddstr(p->win, 0, p->r.w - 3, "^");
	if (p->n && (p->more_after || p->top + (size_t)h < p->n))
		mvwaddstr(p->win, p->r.h - 1, p->r.w - 3, "v");
	wnoutrefresh(p->win);
	p->repaint = false;
}

int pane_take_page(struct pane *p, struct rows_ref rows, struct rows_ref got, bool backward,
                   bool jump, bool more)
{
	size_t n = *got.len;
	if (jump) {
		free(*rows.items);
		*rows.items = *got.items;
		*rows.len = n;
		*rows.cap = *got.cap;
		p->more_before = backward && more;
		p->more_after = !backward && more;
		p->sel = p->top = 0;
	} else {
		if (n) {
			xgrow(rows.items, rows.cap, *rows.len + n, rows.elem);
			char *base = *rows.items;
			if (backward)
				memmove(base + n * rows.elem, base, *rows.len * rows.elem);
			memcpy(base + (backward ? 0 : *rows.len * rows.elem), *got.items, n * rows.elem);
			*rows.len += n;
		}
		if (backward)
			p->more_before = more;
		else
			p->more_after = more;
		free(*got.items);
	}
	*got.items = NULL;
	*got.len = *got.cap = 0;
	p->n = *rows.len;
	return (int)n;
}

/* Fetch a page in a direction; adjust indexes when rows came before. */
static int page(struct pane *p, bool backward, bool jump)
{
	if (!p->ops->page)
		return 0;
	size_t before = p->n;
	int n = p->ops->page(p, backward, jump, &p->t->err);
	if (n < 0) {
		tui_error(p->t, &p->t->err);
		return 0;
	}
	if (!jump && backward && p->n > before) {
		p->sel += p->n - before;
		p->top += p->n - before;
	}
	return n;
}

int pane_move(struct pane *p, enum action a)
{
	size_t h = (size_t)(pane_height(p) > 1 ? pane_height(p) : 1);
	size_t old = p->sel;
	switch (a) {
	case ACT_UP:
		if (p->sel == 0 && p->more_before)
			page(p, true, false);
		if (p->sel > 0)
			pane_select(p, p->sel - 1);
		break;
	case ACT_DOWN:
		if (p->sel + 1 >= p->n && p->more_after)
			page(p, false, false);
		pane_select(p, p->sel + 1);
		break;
	case ACT_PAGE_UP:
		if (p->sel < h && p->more_before)
			page(p, true, false);
		pane_select(p, p->sel > h ? p->sel - h : 0);
		if (p->top > h)
			p->top = p->sel;
		break;
	case ACT_PAGE_DOWN:
		if (p->sel + h >= p->n && p->more_after)
			page(p, false, false);
		pane_select(p, p->sel + h);
		break;
	case ACT_TOP:
		if (p->more_before)
			page(p, false, true);
		p->top = 0;
		pane_select(p, 0);
		break;
	case ACT_BOTTOM:
		if (p->more_after)
			page(p, true, true);
		pane_select(p, p->n ? p->n - 1 : 0);
		break;
	default:
		return 0;
	}
	if ((p->sel != old || a == ACT_TOP || a == ACT_BOTTOM) && p->ops->selected)
		p->ops->selected(p);
	p->repaint = true;
	return 1;
}

/* ---- the text popup ---- */

struct text_view {
	struct strlist lines;
	bool undo;                 /* u undoes the change it reports (an import) */
	enum action offer;         /* ACT_NONE, or the key that calls then */
	int (*then)(struct tui *t);
};

static void text_draw_row(struct pane *p, size_t i, int y, int x, int width, bool selected)
{
	struct text_view *v = p->data;
	(void)selected;
	tui_put(p->win, y, x, v->lines.items[i], width, tui_attr(p->t, EL_NORMAL));
}

static int text_action(struct pane *p, enum action a)
{
	size_t h = (size_t)pane_height(p);
	struct text_view *v = p->data;
	if (v->then && a == v->offer) {
		struct tui *t = p->t;
		int (*then)(struct tui *) = v->then;
		tui_pop(t);        /* frees p */
		return then(t) < 0 ? -1 : 1;
	}
	switch (a) {
	case ACT_BACK:
	case ACT_OPEN:
	case ACT_QUIT:
	case ACT_HELP:
		tui_pop(p->t);
		return 1;
	case ACT_UNDO: {
		if (!v->undo)
			return 1;
		struct tui *t = p->t;
		tui_pop(t);
		return tui_undo(t) < 0 ? -1 : 1;
	}
	case ACT_DOWN:
	case ACT_PAGE_DOWN:
		/* scroll rather than select: the selection is not shown */
		if (p->top + h < p->n)
			p->top += a == ACT_DOWN ? 1 : (p->top + 2 * h < p->n ? h : p->n - h - p->top);
		p->repaint = true;
		return 1;
	case ACT_UP:
	case ACT_PAGE_UP:
		p->top = p->top > (a == ACT_UP ? 1 : h) ? p->top - (a == ACT_UP ? 1 : h) : 0;
		p->repaint = true;
		return 1;
	default:
		return 1;   /* a popup is modal */
	}
}

static void text_free(struct pane *p)
{
	struct text_view *v = p->data;
	strlist_free(&v->lines);
	free(v);
}

static const enum action text_hints[] = {ACT_DOWN, ACT_UP, ACT_BACK, ACT_NONE};

static const struct pane_ops text_ops = {
	.hints = text_hints,
	.draw_row = text_draw_row,
	.action = text_action,
	.free = text_free,
};

void tui_show_fields(struct tui *t, const char *title, const struct label_value *f, size_t n)
{
	struct strlist l = {0};
	for (size_t i = 0; i < n; i++) {
		char *line = xasprintf("%-14s %s", f[i].label, f[i].v ? f[i].v : "");
		strlist_add(&l, line);
		free(line);
	}
	tui_show_text(t, title, &l);
}

void tui_show_text(struct tui *t, const char *title, struct strlist *lines)
{
	tui_show_text_offer(t, title, lines, ACT_NONE, NULL);
}

void tui_show_text_offer(struct tui *t, const char *title, struct strlist *lines,
                         enum action offer, int (*then)(struct tui *t))
{
	struct text_view *v = xcalloc(1, sizeof *v);
	v->offer = offer;
	v->then = then;
	v->lines = *lines;
	*lines = (struct strlist){0};
	struct pane *p = pane_new(t, &text_ops, v);
	p->popup = true;
	p->n = v->lines.len;
	snprintf(p->title, sizeof p->title, "%s", title);
	tui_push(t, p);
}

void tui_popup_undoes(struct tui *t)
{
	struct text_view *v = t->stack[t->n_stack - 1]->data;
	v->undo = true;
}
