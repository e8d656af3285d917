/* tui_lock: the lock screen (`L`, or idle_lock_minutes without a key).
 * Nothing of the screen behind it shows, an open form or prompt
 * included: all of stdscr is erased and only the lock is drawn until it
 * opens; then everything is drawn again (a modal loop's own window on its
 * next turn).  The keyboard is raw, so Ctrl-C, Ctrl-Z and Ctrl-\ are keys
 * here like any other: they cannot end or suspend the program.
 *
 * With a passphrase set (passphrase.h) the lock opens only for it: what
 * is typed shows as one dot per character, and after each wrong try in a
 * row the lock waits before it takes the next (1 s, 2 s, 4 s ... up to
 * 30 s), saying so.  The file is read when Enter is pressed, so a
 * passphrase set or cleared from another terminal counts at once.
 * Without one the lock is a curtain that any key opens, and it says so. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "caseload/passphrase.h"
#include "caseload/text.h"
#include "tui_internal.h"

enum { WAIT_MAX_S = 30, DOTS_MAX = 32 };

enum lock_mode {
	LOCK_CURTAIN,      /* no passphrase: any key opens */
	LOCK_PASSPHRASE,   /* asks for it */
	LOCK_BROKEN,       /* the file is there but cannot be used: stays locked */
};

struct lock {
	enum lock_mode mode;
	char *path;
	char typed[PASSPHRASE_MAX + MB_LEN_MAX];
	size_t len;
	double wait_until;   /* monotonic ms; 0: not waiting */
	char note[sizeof(struct err){0}.msg];
	bool note_error;
};

static void centre(struct tui *t, int y, const char *s, int attr)
{
	int w = text_width(s);
	if (w > t->cols)
		w = t->cols;
	if (y >= 0 && y < t->rows)
		tui_put(stdscr, y, (t->cols - w) / 2, s, w, attr);
}

/* s centred over at most n lines, broken between words. */
static void centre_wrapped(struct tui *t, int y, const char *s, int attr, int n)
{
	int width = t->cols - 4 > 20 ? t->cols - 4 : t->cols;
	struct buf line = {0}, word = {0};
	const char *p = s;
	while (n > 0 && *p) {
		size_t len = strcspn(p, " ");
		if (len == 0) {
			p++;
			continue;
		}
		buf_reset(&word);
		buf_addn(&word, p, len);
		p += len + (p[len] == ' ');
		int w = text_width(line.s ? line.s : "") + 1 + text_width(word.s);
		if (line.len && w > width) {
			centre(t, y++, line.s, attr);
			n--;
			buf_reset(&line);
		}
		if (line.len)
			buf_addc(&line, ' ');
		buf_add(&line, word.s);
	}
	if (n > 0 && line.len)
		centre(t, y, line.s, attr);
	buf_free(&line);
	buf_free(&word);
}

static void draw_lock(struct tui *t, const struct lock *l)
{
	werase(stdscr);
	int y = t->rows / 2 - 2;
	if (l->mode == LOCK_CURTAIN) {
		centre(t, y, "caseload is locked — press any key to continue", A_BOLD);
		centre(t, y + 2, "This lock is only a curtain: any key opens it.", 0);
		centre(t, y + 3, "To make it ask for a passphrase: caseload passphrase set", 0);
	} else {
		centre(t, y, "caseload is locked", A_BOLD);
		if (l->mode == LOCK_PASSPHRASE) {
			struct buf line = {0};
			buf_add(&line, "passphrase: ");
			size_t chars = 0;
			for (size_t i = 0; i < l->len; i++)
				chars += ((unsigned char)l->typed[i] & 0xc0) != 0x80;
			for (size_t i = 0; i < chars && i < DOTS_MAX; i++)
				buf_add(&line, "•");
			centre(t, y + 2, line.s, 0);
			buf_free(&line);
			centre(t, y + 5, "Enter open  Backspace erase  Esc start again", (int)A_DIM);
			if (l->note[0])
				centre(t, y + 3, l->note, l->note_error ? tui_attr(t, EL_ERROR) : 0);
		} else {
			centre_wrapped(t, y + 2, l->note, tui_attr(t, EL_ERROR), 3);
			centre(t, y + 6, "Fix it from another terminal, then press Enter.", (int)A_DIM);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* What the lock is now: a passphrase is set, none is, or the file cannot
 * be used (its message as the note). */
static void lock_mode(struct lock *l)
{
	struct err e = {0};
	int rc = passphrase_is_set(l->path, &e);
	l->mode = rc == 1 ? LOCK_PASSPHRASE : rc == 0 ? LOCK_CURTAIN : LOCK_BROKEN;
	l->note[0] = '\0';
	if (rc < 0) {
		memcpy(l->note, e.msg, sizeof l->note);
		l->note_error = true;
	}
}

static void forget_typed(struct lock *l)
{
	passphrase_wipe(l->typed, sizeof l->typed);
	l->len = 0;
}

/* Enter: check what was typed.  True when the lock opens. */
static bool try_open(struct tui *t, struct lock *l)
{
	if (l->len == 0)
		return false;
	snprintf(l->note, sizeof l->note, "checking…");
	l->note_error = false;
	draw_lock(t, l);
	struct err e = {0};
	int rc = passphrase_check(l->path, l->typed, l->len, &e);
	forget_typed(l);
	if (rc == 1) {
		t->lock_fails = 0;
		return true;
	}
	if (rc == ERR_NOTFOUND || rc < 0) {   /* cleared or broken meanwhile */
		lock_mode(l);
		return false;
	}
	t->lock_fails++;
	int wait_s = t->lock_fails > 5 ? WAIT_MAX_S : 1 << (t->lock_fails - 1);
	if (wait_s > WAIT_MAX_S)
		wait_s = WAIT_MAX_S;
	l->wait_until = tui_now_ms() + wait_s * 1000.0;
	return false;
}

/* The note while waiting after a wrong try, counting down. */
static void wait_note(struct tui *t, struct lock *l, double now)
{
	int left = (int)((l->wait_until - now + 999) / 1000);
	snprintf(l->note, sizeof l->note, "wrong passphrase (%d %s in a row) — wait %d s",
	         t->lock_fails, t->lock_fails == 1 ? "try" : "tries", left);
	l->note_error = true;
}

/* A typed character, as UTF-8, when it fits. */
static void add_char(struct lock *l, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t ms = {0};
	size_t n = wcrtomb(mb, (wchar_t)key, &ms);
	if (n != (size_t)-1 && l->len + n <= PASSPHRASE_MAX) {
		memcpy(l->typed + l->len, mb, n);
		l->len += n;
	}
	passphrase_wipe(mb, sizeof mb);
}

/* One key for the passphrase: true when the lock opens. */
static bool passphrase_key(struct tui *t, struct lock *l, int key)
{
	switch (key) {
	case TK_ENTER:
		return try_open(t, l);
	case TK_ESC:
	case 0x15:            /* Ctrl-U */
		forget_typed(l);
		break;
	case TK_BACKSPACE:    /* a whole character */
		while (l->len > 0 && ((unsigned char)l->typed[l->len - 1] & 0xc0) == 0x80)
			l->typed[--l->len] = '\0';
		if (l->len > 0)
			l->typed[--l->len] = '\0';
		break;
	default:
		if (key >= 0x20 && key < KEY_T_BASE && key != 0x7f)
			add_char(l, key);
	}
	if (!l->note_error)
		l->note[0] = '\0';   /* "checking…" and the like go with the next key */
	return false;
}

/* Until it opens (or the program is ended by a signal). */
static void lock_loop(struct tui *t, struct lock *l)
{
	while (!t->quit) {
		double now = tui_now_ms();
		bool waiting = l->wait_until > now;
		if (waiting)
			wait_note(t, l, now);
		else if (l->wait_until > 0) {
			l->wait_until = 0;
			snprintf(l->note, sizeof l->note, "wrong passphrase: try again");
			l->note_error = false;
		}
		draw_lock(t, l);
		if (waiting && t->replay.f) {   /* a script's keys are not for the wait */
			napms((int)(l->wait_until - now));
			continue;
		}
		int timeout = waiting && l->wait_until - now < TICK_MS ? (int)(l->wait_until - now) + 1
		                                                       : TICK_MS;
		int key = tui_getkey(t, timeout);
		if (key == -1 || key == TK_RESIZE || l->wait_until > tui_now_ms())
			continue;       /* keys typed during the wait are dropped */
		if (l->mode == LOCK_CURTAIN)
			return;
		if (l->mode == LOCK_BROKEN) {
			if (key == TK_ENTER)
				lock_mode(l);
			continue;
		}
		if (passphrase_key(t, l, key))
			return;
	}
}

void tui_lock(struct tui *t)
{
	t->locked = true;
	tui_timer_locked(t);
	int cursor = curs_set(0);
	struct lock *l = xcalloc(1, sizeof *l);
	l->path = passphrase_path();
	lock_mode(l);
	lock_loop(t, l);
	forget_typed(l);
	free(l->path);
	free(l);
	if (cursor != ERR)
		curs_set(cursor);
	t->locked = false;
	t->last_input = tui_now_ms();
	t->full_redraw = true;
	clearok(curscr, TRUE);
	if (!t->quit) {         /* ended by a signal: nothing is drawn again */
		tui_refresh(t);
		tui_timer_unlocked(t);
	}
}
