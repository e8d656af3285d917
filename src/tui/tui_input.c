/* tui_input: keys from the keyboard (wget_wch, mapped to the code points
 * and TK_ values of tui.h) or from a replayed key script, with the time
 * each took; the one place a resize is handled. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "caseload/store.h"
#include "tui_internal.h"

volatile sig_atomic_t tui_got_signal;

void tui_on_signal(int sig)
{
	tui_got_signal = sig;
}

double tui_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- a replayed key script ---- */

int tui_replay_open(struct tui *t, struct err *e)
{
	struct tui_replay *r = &t->replay;
	memset(r, 0, sizeof *r);
	r->key_start = tui_now_ms();       /* the first figure is opening */
	snprintf(r->last, sizeof r->last, "(open)");
	if (t->ctx->replay && !(r->f = fopen(t->ctx->replay, "r")))
		return err_set(e, ERR_FAIL, "cannot read the key script %s: %s", t->ctx->replay,
		               strerror(errno));
	return 0;
}

static void replay_record(struct tui *t)
{
	struct tui_replay *r = &t->replay;
	if (r->key_start <= 0)
		return;
	double ms = tui_now_ms() - r->key_start;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->ms = xrealloc(r->ms, r->cap * sizeof *r->ms);
		r->names = xrealloc(r->names, r->cap * sizeof *r->names);
	}
	r->ms[r->n] = ms;
	memcpy(r->names[r->n], r->last, sizeof r->last);
	r->n++;
	r->key_start = 0;
}

/* The next key of the script: a line holds a key name, `type TEXT` or
 * `idle`; '#' starts a comment.  At the end, quit. */
static int replay_key(struct tui *t)
{
	struct tui_replay *r = &t->replay;
	replay_record(t);
	int key = -1;
	while (key < 0) {
		/* `idle`: no key until the title's count is complete, as when
		 * the coordinator pauses (not timed) */
		if (r->idle && (t->counting || t->counts_dirty))
			return -1;
		r->idle = false;
		if (r->next_pending < r->n_pending) {
			key = r->pending[r->next_pending++];
			break;
		}
		char line[512];
		if (!fgets(line, sizeof line, r->f)) {
			t->quit = true;
			return -1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strcmp(line, "idle")) {
			r->idle = true;
			continue;
		}
		if (!strncmp(line, "type ", 5)) {
			mbstate_t ms = {0};
			const char *p = line + 5;
			r->n_pending = r->next_pending = 0;
			while (*p && r->n_pending < 256) {
				wchar_t wc;
				size_t len = mbrtowc(&wc, p, strlen(p), &ms);
				if (len == (size_t)-1 || len == (size_t)-2 || len == 0)
					break;
				r->pending[r->n_pending++] = (int)wc;
				p += len;
			}
			continue;
		}
		key = tui_key_parse(line);
	}
	tui_key_name(key, r->last);
	r->key_start = tui_now_ms();
	return key;
}

static int map_key(int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES) {
		switch (wc) {
		case KEY_UP: return TK_UP;
		case KEY_DOWN: return TK_DOWN;
		case KEY_LEFT: return TK_LEFT;
		case KEY_RIGHT: return TK_RIGHT;
		case KEY_HOME: return TK_HOME;
		case KEY_END: return TK_END;
		case KEY_PPAGE: return TK_PGUP;
		case KEY_NPAGE: return TK_PGDN;
		case KEY_ENTER: return TK_ENTER;
		case KEY_BTAB: return TK_BTAB;
		case KEY_BACKSPACE: return TK_BACKSPACE;
		case KEY_DC: return TK_DELETE;
		case KEY_RESIZE: return TK_RESIZE;
		default:
			if (wc >= KEY_F(1) && wc <= KEY_F(12))
				return TK_F1 + (int)(wc - KEY_F(1));
			return -1;
		}
	}
	switch (wc) {
	case '\n': case '\r': return TK_ENTER;
	case 27: return TK_ESC;
	case '\t': return TK_TAB;
	case 127: case 8: return TK_BACKSPACE;
	default: return (int)wc;
	}
}

/* One key from the terminal within timeout_ms: OK or KEY_CODE_YES, or
 * ERR on a timeout.  When the terminal is gone (its window closed, or
 * input at end of file) reading fails at once, forever: then, or on a
 * signal, t->quit is set, so that no loop spins. */
static int read_key(struct tui *t, int timeout_ms, wint_t *wc)
{
	static int fast_errors;
	double start = tui_now_ms();
	int wait = timeout_ms;
	/* On a server, the database's live watch sits in the same poll as
	 * the keyboard: a commit by anyone ends the wait at once (a key
	 * curses holds already comes first). */
	int fd = timeout_ms ? store_watch_fd(t->store) : -1;
	if (fd >= 0) {
		wtimeout(stdscr, 0);
		int rc = wget_wch(stdscr, wc);
		if (rc != ERR) {
			fast_errors = 0;
			return rc;
		}
		struct pollfd pfd[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
		                        {.fd = fd, .events = POLLIN}};
		int n = poll(pfd, 2, timeout_ms);
		if (n > 0 && pfd[1].revents) {
			t->live_kinds |= store_watch_drain(t->store);
			if (!pfd[0].revents)
				return ERR;   /* not the terminal's failure: no fast error */
		}
		wait = 0;             /* a key is there, or the time is up */
	}
	wtimeout(stdscr, wait);
	int rc = wget_wch(stdscr, wc);
	if (rc != ERR) {
		fast_errors = 0;
		return rc;
	}
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	bool hangup = poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
	if (timeout_ms >= 20 && tui_now_ms() - start < timeout_ms / 2.0)
		fast_errors++;
	else
		fast_errors = 0;
	if (tui_got_signal || hangup || fast_errors >= 20)
		t->quit = true;
	return ERR;
}

int tui_getkey(struct tui *t, int timeout_ms)
{
	if (tui_got_signal) {      /* SIGTERM, SIGHUP: every loop ends */
		t->quit = true;
		return -1;
	}
	int key;
	if (t->replay.f) {
		key = replay_key(t);
	} else {
		wint_t wc;
		int rc = read_key(t, timeout_ms, &wc);
		if (rc == ERR) {
			/* A timeout: the idle lock works in every loop (forms too). */
			if (!t->quit && !t->locked && t->idle_ms > 0 &&
			    tui_now_ms() - t->last_input >= t->idle_ms)
				tui_lock(t);
			return -1;
		}
		t->last_input = tui_now_ms();
		key = map_key(rc, wc);
	}
	/* The one place a resize is handled: lay out again, then hand the
	 * key on so that a modal loop (form, prompt, popup) re-places itself. */
	if (key == TK_RESIZE)
		tui_layout(t);
	return key;
}

void tui_replay_close(struct tui *t)
{
	struct tui_replay *r = &t->replay;
	const struct tui_ctx *ctx = t->ctx;
	if (!r->f)
		return;
	replay_record(t);
	fclose(r->f);
	r->f = NULL;
	FILE *f = ctx->report ? ctx->report : stderr;
	double total = 0, max = 0;
	for (size_t i = 0; i < r->n; i++) {
		fprintf(f, "key %-10s %8.3f ms\n", r->names[i], r->ms[i]);
		total += r->ms[i];
		if (r->ms[i] > max)
			max = r->ms[i];
	}
	if (r->n)
		fprintf(f, "keys %zu  mean %.3f ms  max %.3f ms\n", r->n, total / (double)r->n, max);
	free(r->ms);
	free(r->names);
}
