/* tui_prompt: one line of input at the bottom of the screen (search as
 * you type, `:` with Tab completing names, snooze), and yes-or-no
 * questions; the line editor that the prompt and the form's fields share. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "caseload/text.h"
#include "tui_internal.h"

/* ---- the line editor ---- */

void line_edit_set(struct line_edit *l, const char *text)
{
	mbstate_t ms = {0};
	const char *p = text ? text : "";
	l->len = l->cur = 0;
	l->selected = false;
	while (*p && l->len < LINE_EDIT_MAX) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, strlen(p), &ms);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
			break;
		l->s[l->len++] = wc;
		p += n;
	}
	l->s[l->len] = 0;
	l->cur = l->len;
}

char *line_edit_text(const struct line_edit *l, int n)
{
	if (n < 0 || n > l->len)
		n = l->len;
	struct buf b = {0};
	buf_add(&b, "");
	mbstate_t ms = {0};
	for (int i = 0; i < n; i++) {
		char mb[MB_LEN_MAX + 1];
		size_t k = wcrtomb(mb, l->s[i], &ms);
		if (k == (size_t)-1)
			continue;
		mb[k] = '\0';
		buf_add(&b, mb);
	}
	return buf_steal(&b);
}

/* Delete the characters [from, to). */
static void cut(struct line_edit *l, int from, int to)
{
	memmove(l->s + from, l->s + to, (size_t)(l->len - to + 1) * sizeof l->s[0]);
	l->len -= to - from;
	l->cur = from;
}

static int move_to(struct line_edit *l, int cur)
{
	l->selected = false;
	l->cur = cur < 0 ? 0 : cur > l->len ? l->len : cur;
	return LINE_MOVED;
}

int line_edit_key(struct line_edit *l, int key)
{
	bool printable = key >= 0x20 && key < KEY_T_BASE && key != 0x7f;
	if (l->selected && (printable || key == TK_BACKSPACE || key == TK_DELETE)) {
		cut(l, 0, l->len);
		l->selected = false;
		if (!printable)
			return LINE_CHANGED;
	}
	int wstart = l->cur;
	switch (key) {
	case TK_LEFT: return move_to(l, l->cur - 1);
	case TK_RIGHT: return move_to(l, l->cur + 1);
	case TK_HOME: case TK_CTRL('a'): return move_to(l, 0);
	case TK_END: case TK_CTRL('e'): return move_to(l, l->len);
	case TK_BACKSPACE:
		if (l->cur == 0)
			return LINE_MOVED;
		cut(l, l->cur - 1, l->cur);
		return LINE_CHANGED;
	case TK_DELETE:
		if (l->cur < l->len)
			cut(l, l->cur, l->cur + 1);
		return LINE_CHANGED;
	case TK_CTRL('u'):
		l->selected = false;
		cut(l, 0, l->cur);
		return LINE_CHANGED;
	case TK_CTRL('k'):
		l->selected = false;
		l->len = l->cur;
		l->s[l->len] = 0;
		return LINE_CHANGED;
	case TK_CTRL('w'):   /* the blanks before the cursor, then the word */
		l->selected = false;
		while (wstart > 0 && iswspace((wint_t)l->s[wstart - 1]))
			wstart--;
		while (wstart > 0 && !iswspace((wint_t)l->s[wstart - 1]))
			wstart--;
		cut(l, wstart, l->cur);
		return LINE_CHANGED;
	default:
		break;
	}
	if (!printable)
		return LINE_NOT_MINE;
	if (l->len < LINE_EDIT_MAX) {
		memmove(l->s + l->cur + 1, l->s + l->cur, (size_t)(l->len - l->cur + 1) * sizeof l->s[0]);
		l->s[l->cur++] = (wchar_t)key;
		l->len++;
	}
	return LINE_CHANGED;
}

/* ---- the prompt ---- */

/* Tab completion of the first word (tui_prompt_complete): the names,
 * and while Tab is pressed again and again, the matches it cycles
 * through and the word typed. */
struct completion {
	const char *const *names;
	size_t n;
	char *typed;           /* the word before the first Tab; NULL: not cycling */
	size_t next;           /* the index of the next match to offer */
};

/* Tab: the next name that starts with the typed word (the word typed
 * again after the last one), in place of the text's first word. */
static void complete(struct completion *c, struct line_edit *line)
{
	struct buf b = {0};
	char *now = line_edit_text(line, -1);
	buf_add(&b, now);
	free(now);
	struct buf *text = &b;
	if (!c->typed) {
		size_t len = strcspn(text->s, " ");
		c->typed = xasprintf("%.*s", (int)len, text->s);
		c->next = 0;
	}
	const char *rest = text->s + strcspn(text->s, " ");
	char *tail = xstrdup(rest);
	size_t len = strlen(c->typed);
	const char *pick = c->typed;
	for (size_t k = 0; k <= c->n; k++) {
		size_t i = (c->next + k) % (c->n + 1);
		if (i == c->n) {       /* past the last match: the word typed */
			c->next = 0;
			break;
		}
		if (!strncmp(c->names[i], c->typed, len)) {
			pick = c->names[i];
			c->next = i + 1;
			break;
		}
	}
	buf_reset(text);
	buf_addf(text, "%s%s", pick, tail);
	free(tail);
	line_edit_set(line, text->s);
	buf_free(&b);
}

/* The names the typed word matches, after the text, while cycling. */
static void add_matches(const struct completion *c, struct buf *line)
{
	if (!c || !c->typed)
		return;
	size_t len = strlen(c->typed), shown = 0;
	buf_add(line, "   (");
	for (size_t i = 0; i < c->n; i++)
		if (!strncmp(c->names[i], c->typed, len))
			buf_addf(line, "%s%s", shown++ ? " " : "", c->names[i]);
	buf_add(line, shown ? ")" : "no match)");
}

static int prompt_run(struct tui *t, const char *label, const char *initial,
                      void (*on_change)(struct tui *t, const char *text, void *arg), void *arg,
                      struct completion *c, char **out)
{
	struct line_edit *line = xcalloc(1, sizeof *line);
	line_edit_set(line, initial);
	int rc = -1;
	curs_set(1);
	while (rc < 0 && !t->quit) {
		if (t->status_win) {
			char *text = line_edit_text(line, -1), *before = line_edit_text(line, line->cur);
			struct buf shown = {0};
			buf_addf(&shown, "%s%s", label, text);
			add_matches(c, &shown);
			tui_put(t->status_win, 0, 0, shown.s, t->cols, tui_attr(t, EL_STATUS));
			int x = text_width(label) + text_width(before);
			wmove(t->status_win, 0, x < t->cols ? x : t->cols - 1);
			wnoutrefresh(t->status_win);
			doupdate();
			buf_free(&shown);
			free(text);
			free(before);
		}
		int key = tui_getkey(t, TICK_MS);
		if (c && key != TK_TAB && key != TK_RESIZE && key != -1) {
			free(c->typed);        /* any other key ends the cycle */
			c->typed = NULL;
		}
		switch (key) {
		case -1:
			break;
		case TK_TAB:
			if (c)
				complete(c, line);
			break;
		case TK_ENTER:
			rc = 1;
			break;
		case TK_ESC:
			rc = 0;
			break;
		case TK_RESIZE:        /* laid out again by tui_getkey */
			tui_refresh(t);
			break;
		default:
			if (line_edit_key(line, key) == LINE_CHANGED && on_change) {
				char *text = line_edit_text(line, -1);
				on_change(t, text, arg);
				tui_refresh(t);
				free(text);
			}
		}
	}
	curs_set(0);
	t->status_dirty = true;
	if (rc == 1)
		*out = line_edit_text(line, -1);
	free(line);
	if (c)
		free(c->typed);
	return rc == 1;
}

int tui_prompt(struct tui *t, const char *label, const char *initial,
               void (*on_change)(struct tui *t, const char *text, void *arg), void *arg,
               char **out)
{
	return prompt_run(t, label, initial, on_change, arg, NULL, out);
}

int tui_prompt_complete(struct tui *t, const char *label, const char *const *names, size_t n,
                        char **out)
{
	struct completion c = {.names = names, .n = n};
	return prompt_run(t, label, "", NULL, NULL, &c, out);
}

/* One key answers: y yes; n or Esc no; anything else waits.  Enter is
 * not needed, and the question is erased the moment it is answered, so
 * that no later key can seem to answer it. */
bool tui_confirm(struct tui *t, const char *question)
{
	struct buf q = {0};
	buf_addf(&q, "%s (y/n) ", question);
	int answer = -1;
	while (answer < 0 && !t->quit) {
		if (t->status_win) {
			tui_put(t->status_win, 0, 0, q.s, t->cols, tui_attr(t, EL_STATUS));
			wnoutrefresh(t->status_win);
			doupdate();
		}
		int key = tui_getkey(t, TICK_MS);
		if (key == 'y' || key == 'Y')
			answer = 1;
		else if (key == 'n' || key == 'N' || key == TK_ESC)
			answer = 0;
		else if (key == TK_RESIZE)     /* laid out again by tui_getkey */
			tui_refresh(t);
	}
	buf_free(&q);
	if (t->status_win) {
		werase(t->status_win);
		wnoutrefresh(t->status_win);
		doupdate();
	}
	t->status_dirty = true;
	return answer == 1;
}
