/* tui_prompt: one line of input at the bottom of the screen (search as
 * you type, `:`, snooze), and yes-or-no questions. */
#include <stdlib.h>

#include "caseload/text.h"
#include "tui_internal.h"

int tui_prompt(struct tui *t, const char *label, const char *initial,
               void (*on_change)(struct tui *t, const char *text, void *arg), void *arg,
               char **out)
{
	struct buf text = {0};
	buf_add(&text, initial ? initial : "");
	int rc = -1;
	curs_set(1);
	while (rc < 0 && !t->quit) {
		if (t->status_win) {
			struct buf line = {0};
			buf_addf(&line, "%s%s", label, text.s);
			tui_put(t->status_win, 0, 0, line.s, t->cols, tui_attr(t, EL_STATUS));
			int x = text_width(line.s);
			wmove(t->status_win, 0, x < t->cols ? x : t->cols - 1);
			wnoutrefresh(t->status_win);
			doupdate();
			buf_free(&line);
		}
		int key = tui_getkey(t, TICK_MS);
		switch (key) {
		case -1:
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
	return rc == 1;
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
