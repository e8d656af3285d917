/* tui_internal: what the files of the loop share among themselves (not
 * the panes: they use pane.h).  tui.c runs the loop; tui_input.c reads
 * keys (and replays scripts); tui_colors.c, tui_prompt.c, tui_crash.c and
 * tui_lock.c each do one thing. */
#ifndef CASELOAD_TUI_INTERNAL_H
#define CASELOAD_TUI_INTERNAL_H
#include <signal.h>
#include <termios.h>

#include "pane.h"

#define TICK_MS 500            /* how often the timers look */

/* tui_input.c */
extern volatile sig_atomic_t tui_got_signal;   /* SIGTERM, SIGINT, SIGHUP */
void tui_on_signal(int sig);
double tui_now_ms(void);
/* The key script of ctx->replay: 0, or an error in e. */
int tui_replay_open(struct tui *t, struct err *e);
/* Close it, and write the per-key timings to ctx->report. */
void tui_replay_close(struct tui *t);

/* tui.c */
/* Lay everything out for the terminal's size now (and flag a full redraw). */
void tui_layout(struct tui *t);

/* tui_lock.c: the lock screen until a key is pressed. */
void tui_lock(struct tui *t);

/* tui_crash.c: give the terminal back on a crash.  fd is the terminal
 * written to, before its modes before the screen started. */
void tui_crash_guard_on(int fd, const struct termios *before);
void tui_crash_guard_off(void);

#endif
