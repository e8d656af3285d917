/* tui_prompt: one line of input at the bottom of the screen (search as
 * you type, `:` with Tab completing names, snooze), and yes-or-no
 * questions. */
#include <stdlib.h>
#include <string.h>

#include "caseload/text.h"
#include "tui_internal.h"

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
static void complete(struct completion *c, struct buf *text)
{
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
	struct buf text = {0};
	buf_add(&text, initial ? initial : "");
	int rc = -1;
	curs_set(1);
	while (rc < 0 && !t->quit) {
		if (t->status_win) {
			struct buf line = {0};
			buf_addf(&line, "%s%s", label, text.s);
			int x = text_width(line.s);
			add_matches(c, &line);
			tui_put(t->status_win, 0, 0, line.s, t->cols, tui_attr(t, EL_STATUS));
			wmove(t->status_win, 0, x < t->cols ? x : t->cols - 1);
			wnoutrefresh(t->status_win);
			doupdate();
			buf_free(&line);
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
				complete(c, &text);
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
		case TK_BACKSPACE:     /* a whole character: its continuation bytes, then its lead */
			if (text.len == 0)
				break;
			while (text.len > 0 && ((unsigned char)text.s[text.len - 1] & 0xc0) == 0x80)
				text.len--;
			if (text.len > 0)
				text.len--;
			text.s[text.len] = '\0';
			if (on_change)
				on_change(t, text.s, arg), tui_refresh(t);
			break;
		default:
			if (key >= 0x20 && key < KEY_T_BASE && key != 0x7f) {
				char name[16];
				/* a character's name is itself, but for the space */
				buf_add(&text, key == ' ' ? " " : tui_key_name(key, name));
				if (on_change)
					on_change(t, text.s, arg), tui_refresh(t);
			}
		}
	}
	curs_set(0);
	t->status_dirty = true;
	if (rc == 1)
		*out = buf_steal(&text);
	buf_free(&text);
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
