/* tui_lock: the lock screen (`L`, or idle_lock_minutes without a key): no
 * patient data shows until a key is pressed; then everything is drawn
 * again (a modal loop's own window on its next turn). */
#include "caseload/text.h"
#include "tui_internal.h"

static void draw_lock(struct tui *t)
{
	werase(stdscr);
	const char *msg = "caseload is locked — press any key to continue";
	int w = text_width(msg);
	if (w > t->cols)
		w = t->cols;
	tui_put(stdscr, t->rows / 2, (t->cols - w) / 2, msg, w, A_BOLD);
	wnoutrefresh(stdscr);
	doupdate();
}

void tui_lock(struct tui *t)
{
	t->locked = true;
	while (!t->quit) {
		draw_lock(t);
		int key = tui_getkey(t, TICK_MS);   /* a replayed script's next key unlocks */
		if (key == -1 && !t->replay.f)
			continue;
		if (key == TK_RESIZE)                /* laid out again: centre the line */
			continue;
		break;
	}
	t->locked = false;
	t->last_input = tui_now_ms();
	t->full_redraw = true;
	clearok(curscr, TRUE);
	tui_refresh(t);
}
