/* tui: the workstation's loop.  One thread: wait for a key with a timeout
 * (wtimeout), map it to an action, let the popup or the focused pane
 * handle it, else handle it here; then reload and repaint only the
 * flagged panes and doupdate() once.  The timeout runs the timers: the
 * idle lock and watching PRAGMA data_version for other processes'
 * changes.  Signal handlers only set a flag. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "caseload/date.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "pane.h"

#define TICK_MS 500            /* how often the timers look */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* A crash (SIGSEGV, SIGABRT ...) must not leave the terminal raw and on
 * the alternate screen.  The handler does only what is safe in a signal
 * handler: write the terminal's reset strings, prepared beforehand, and
 * put back the saved terminal modes; then it hands the signal on to the
 * handler that was there before (a sanitizer's, say) or to the default. */
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
#define N_CRASH (int)(sizeof crash_signals / sizeof crash_signals[0])
static struct sigaction crash_old[N_CRASH];
static struct termios crash_tty;
static int crash_fd = -1;
static char crash_reset[256];
static size_t crash_reset_len;

static void on_crash(int sig, siginfo_t *info, void *uc)
{
	if (crash_fd >= 0) {
		ssize_t ignored = write(crash_fd, crash_reset, crash_reset_len);
		(void)ignored;
		tcsetattr(crash_fd, TCSANOW, &crash_tty);
	}
	for (int i = 0; i < N_CRASH; i++) {
		if (crash_signals[i] != sig)
			continue;
		sigaction(sig, &crash_old[i], NULL);
		if ((crash_old[i].sa_flags & SA_SIGINFO) && crash_old[i].sa_sigaction)
			crash_old[i].sa_sigaction(sig, info, uc);
		else if (crash_old[i].sa_handler != SIG_IGN && crash_old[i].sa_handler != SIG_DFL)
			crash_old[i].sa_handler(sig);
		else
			raise(sig);
	}
}

/* Called once the terminal is set up: fd is the terminal written to. */
static void crash_guard_on(int fd, const struct termios *before)
{
	static const char *const caps[] = {"sgr0", "cnorm", "rmkx", "rmcup"};
	crash_reset_len = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *v = tigetstr((char *)caps[i]);
		size_t n = v && v != (char *)-1 ? strlen(v) : 0;
		if (n && crash_reset_len + n < sizeof crash_reset) {
			memcpy(crash_reset + crash_reset_len, v, n);
			crash_reset_len += n;
		}
	}
	crash_tty = *before;
	crash_fd = fd;
	struct sigaction sa = {0};
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < N_CRASH; i++)
		sigaction(crash_signals[i], &sa, &crash_old[i]);
}

static void crash_guard_off(void)
{
	if (crash_fd < 0)
		return;
	for (int i = 0; i < N_CRASH; i++)
		sigaction(crash_signals[i], &crash_old[i], NULL);
	crash_fd = -1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- attributes ---- */

static int attrs[EL_COUNT];
static const char *const elem_names[EL_COUNT] = {
	"normal", "title", "status", "selected", "border", "focus", "overdue", "today",
	"high", "header", "error"};

int tui_attr(const struct tui *t, enum tui_elem el)
{
	(void)t;
	return el >= 0 && el < EL_COUNT ? attrs[el] : 0;
}

static int color_code(const char *name)
{
	static const char *const names[] = {"black", "red", "green", "yellow", "blue",
	                                    "magenta", "cyan", "white"};
	if (!strcasecmp(name, "default"))
		return -1;
	for (int i = 0; i < 8; i++)
		if (!strcasecmp(name, names[i]))
			return i;
	return -2;
}

int tui_colors_setup(struct tui *t, bool check_only, struct err *e)
{
	static const int mono[EL_COUNT] = {
		[EL_TITLE] = A_REVERSE, [EL_SELECTED] = A_REVERSE, [EL_FOCUS] = A_BOLD,
		[EL_OVERDUE] = A_BOLD, [EL_TODAY] = A_BOLD | A_UNDERLINE, [EL_HIGH] = A_BOLD,
		[EL_HEADER] = A_UNDERLINE, [EL_ERROR] = A_BOLD | A_REVERSE};
	static const short defaults[EL_COUNT][2] = {
		[EL_NORMAL] = {-1, -1}, [EL_TITLE] = {COLOR_WHITE, COLOR_BLUE},
		[EL_STATUS] = {-1, -1}, [EL_SELECTED] = {COLOR_BLACK, COLOR_CYAN},
		[EL_BORDER] = {-1, -1}, [EL_FOCUS] = {COLOR_CYAN, -1},
		[EL_OVERDUE] = {COLOR_RED, -1}, [EL_TODAY] = {COLOR_YELLOW, -1},
		[EL_HIGH] = {COLOR_RED, -1}, [EL_HEADER] = {COLOR_GREEN, -1},
		[EL_ERROR] = {COLOR_WHITE, COLOR_RED}};
	short pairs[EL_COUNT][2];
	memcpy(pairs, defaults, sizeof pairs);
	/* Check the config's colours even where they will not be used. */
	const struct config *cfg = t->ctx->cfg;
	for (int i = 0; cfg && i < cfg->n_colors; i++) {
		const struct color_setting *c = &cfg->colors[i];
		int el = -1;
		for (int k = 0; k < EL_COUNT; k++)
			if (c->element && !strcmp(c->element, elem_names[k]))
				el = k;
		if (el < 0)
			return err_set_at(e, ERR_USAGE, cfg->path ? cfg->path : "config", c->line, c->col,
			                  "colors: '%s' is not a screen element (normal, title, status, "
			                  "selected, border, focus, overdue, today, high, header, error)",
			                  c->element ? c->element : "");
		char v[64];
		snprintf(v, sizeof v, "%s", c->value ? c->value : "");
		char *slash = strchr(v, '/');
		if (slash)
			*slash++ = '\0';
		int fg = color_code(v), bg = slash ? color_code(slash) : pairs[el][1];
		if (fg < -1 || bg < -1)
			return err_set_at(e, ERR_USAGE, cfg->path ? cfg->path : "config", c->line, c->col,
			                  "colors: '%s' is not \"fg\" or \"fg/bg\" with black, red, green, "
			                  "yellow, blue, magenta, cyan, white or default", c->value ? c->value : "");
		pairs[el][0] = (short)fg;
		pairs[el][1] = (short)bg;
	}
	if (check_only)
		return 0;
	const char *no_color = getenv("NO_COLOR");
	t->colors = has_colors() && !(no_color && *no_color);
	for (int k = 0; k < EL_COUNT; k++)
		attrs[k] = mono[k];
	if (!t->colors)
		return 0;
	start_color();
	if (use_default_colors() == ERR)      /* no "default": white on black */
		for (int k = 0; k < EL_COUNT; k++) {
			pairs[k][0] = pairs[k][0] < 0 ? COLOR_WHITE : pairs[k][0];
			pairs[k][1] = pairs[k][1] < 0 ? COLOR_BLACK : pairs[k][1];
		}
	for (int k = 1; k < EL_COUNT; k++) {
		init_pair((short)k, pairs[k][0], pairs[k][1]);
		attrs[k] = (int)COLOR_PAIR(k) | (k == EL_SELECTED || k == EL_TITLE ? 0 : mono[k] & ~A_REVERSE);
	}
	return 0;
}

/* ---- messages, flags ---- */

void tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
	t->status_dirty = true;
}

void tui_error(struct tui *t, const struct err *e)
{
	char text[sizeof e->msg + sizeof e->file + 32];
	tui_message(t, true, "%s", err_text(e, text, sizeof text));
}

void tui_changed(struct tui *t)
{
	for (int i = 0; i < 3; i++)
		t->panes[i]->reload = true;
	t->title_dirty = t->counts_dirty = true;
}

void tui_select_patient(struct tui *t, long long id, const char *name)
{
	if (id == t->patient_id && !strcmp(t->patient_name, name ? name : ""))
		return;
	t->patient_id = id;
	snprintf(t->patient_name, sizeof t->patient_name, "%s", name ? name : "");
	t->panes[1]->reload = true;
	t->panes[2]->reload = true;
}

void tui_push(struct tui *t, struct pane *p)
{
	if (t->n_stack == (int)(sizeof t->stack / sizeof t->stack[0])) {
		pane_free(&p);
		return;
	}
	t->stack[t->n_stack++] = p;
	t->full_redraw = true;
}

void tui_pop(struct tui *t)
{
	if (t->n_stack > 0)
		pane_free(&t->stack[--t->n_stack]);
	t->full_redraw = true;
}

void tui_local(const struct tui *t, long long utc, int *day, int *minutes)
{
	struct err e;
	if (tz_utc_to_local(t->ctx->zone, utc, day, minutes, &e) < 0) {
		*day = (int)(utc / 86400);
		*minutes = (int)(utc % 86400 / 60);
	}
}

/* ---- keys: the keyboard, or a replayed script ---- */

struct replay {
	FILE *f;
	int pending[256];      /* characters of a "type" line still to come */
	int n_pending, next_pending;
	double key_start;      /* when the last key was handed out */
	char last[32];
	double *ms;            /* per-key timings */
	char (*names)[32];
	size_t n, cap, cap_names;
};
static struct replay replay;

static void replay_record(void)
{
	if (replay.key_start <= 0)
		return;
	double ms = now_ms() - replay.key_start;
	if (replay.n == replay.cap) {
		replay.cap = replay.cap ? replay.cap * 2 : 64;
		replay.ms = xrealloc(replay.ms, replay.cap * sizeof *replay.ms);
		replay.names = xrealloc(replay.names, replay.cap * sizeof *replay.names);
	}
	replay.ms[replay.n] = ms;
	memcpy(replay.names[replay.n], replay.last, sizeof replay.last);
	replay.n++;
	replay.key_start = 0;
}

/* The next key of the script: a line holds a key name, or `type TEXT`;
 * '#' starts a comment.  At the end, quit. */
static int replay_key(struct tui *t)
{
	replay_record();
	int key = -1;
	while (key < 0) {
		if (replay.next_pending < replay.n_pending) {
			key = replay.pending[replay.next_pending++];
			break;
		}
		char line[512];
		if (!fgets(line, sizeof line, replay.f)) {
			t->quit = true;
			return -1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (!strncmp(line, "type ", 5)) {
			mbstate_t ms = {0};
			const char *p = line + 5;
			replay.n_pending = replay.next_pending = 0;
			while (*p && replay.n_pending < 256) {
				wchar_t wc;
				size_t len = mbrtowc(&wc, p, strlen(p), &ms);
				if (len == (size_t)-1 || len == (size_t)-2 || len == 0)
					break;
				replay.pending[replay.n_pending++] = (int)wc;
				p += len;
			}
			continue;
		}
		key = tui_key_parse(line);
	}
	tui_key_name(key, replay.last);
	replay.key_start = now_ms();
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
	wtimeout(stdscr, timeout_ms);
	double start = now_ms();
	int rc = wget_wch(stdscr, wc);
	if (rc != ERR) {
		fast_errors = 0;
		return rc;
	}
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	bool hangup = poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL));
	if (timeout_ms >= 20 && now_ms() - start < timeout_ms / 2)
		fast_errors++;
	else
		fast_errors = 0;
	if (got_signal || hangup || fast_errors >= 20)
		t->quit = true;
	return ERR;
}

static void lock_wait(struct tui *t);

int tui_getkey(struct tui *t, int timeout_ms)
{
	if (got_signal) {          /* SIGTERM, SIGHUP: every loop ends */
		t->quit = true;
		return -1;
	}
	if (replay.f)
		return replay_key(t);
	wint_t wc;
	int rc = read_key(t, timeout_ms, &wc);
	if (rc == ERR) {
		/* A timeout: the idle lock works in every loop (forms too). */
		if (!t->quit && t->idle_ms > 0 && now_ms() - t->last_input >= t->idle_ms)
			lock_wait(t);
		return -1;
	}
	t->last_input = now_ms();
	return map_key(rc, wc);
}

/* ---- drawing ---- */

static void draw_title(struct tui *t)
{
	WINDOW *w = t->title_win;
	if (!w)
		return;
	int y, m, d;
	char line[512], tabs[128] = "";
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	                                 "Aug", "Sep", "Oct", "Nov", "Dec"};
	date_to_ymd(t->ctx->today, &y, &m, &d);
	if (t->lay.mode == LAYOUT_TABS) {
		static const char *const names[] = {"Caseload", "Timeline", "Tasks"};
		for (int i = 0; i < 3; i++)
			snprintf(tabs + strlen(tabs), sizeof tabs - strlen(tabs), "%s%d %s%s ",
			         i == t->focus ? "[" : " ", i + 1, names[i], i == t->focus ? "]" : " ");
	}
	const char *who = t->ctx->cfg && t->ctx->cfg->coordinator ? t->ctx->cfg->coordinator : t->ctx->user;
	/* on a narrow terminal the tabs come first, so that they show */
	char counts[64] = "";
	if (t->n_patients >= 0)
		snprintf(counts, sizeof counts, " — %lld patients — %lld need review", t->n_patients,
		         t->n_review);
	snprintf(line, sizeof line, "%s caseload — %s %d %s %d — %s%s   %s",
	         tabs, wd[date_weekday(t->ctx->today)], d, mo[m - 1], y, who ? who : "", counts,
	         tabs[0] ? "" : "[R] review  [?] help");
	tui_put(w, 0, 0, line, t->cols, tui_attr(t, EL_TITLE));
	wnoutrefresh(w);
	t->title_dirty = false;
}

static struct pane *focused(struct tui *t)
{
	return t->n_stack ? t->stack[t->n_stack - 1] : t->panes[t->focus];
}

static void draw_status(struct tui *t)
{
	WINDOW *w = t->status_win;
	if (!w)
		return;
	if (t->msg[0])
		tui_put(w, 0, 0, t->msg, t->cols, tui_attr(t, t->msg_error ? EL_ERROR : EL_STATUS));
	else
		tui_put(w, 0, 0, focused(t)->ops->hints, t->cols, tui_attr(t, EL_STATUS));
	wnoutrefresh(w);
	t->status_dirty = false;
}

/* The title bar's figures.  "Need review" is the review service's count
 * (review.h: flagged and not marked reviewed today, skipped included), the
 * same set as the `!` marks, the "needs review" filter and the review;
 * it is computed when the screen is idle. */
static void load_counts(struct tui *t)
{
	struct err e = {0};
	const char *mine = NULL;
	if (store_view_counts(t->store, mine, &t->n_patients, &e) < 0 ||
	    review_need_count(t->store, t->ctx->today, t->ctx->cfg, &t->n_review, &e) < 0)
		tui_error(t, &e);
}

static void place_popup(struct tui *t, struct pane *p)
{
	int w = t->cols - 4 < 100 ? t->cols - 4 : 100;
	int h = (int)p->n + 2;
	if (h > t->rows - 2)
		h = t->rows - 2;
	if (h < 3)
		h = 3;
	pane_place(p, (struct rect){(t->rows - h) / 2, (t->cols - w) / 2, h, w});
}

static void layout(struct tui *t)
{
	getmaxyx(stdscr, t->rows, t->cols);
	layout_compute(t->rows, t->cols, &t->lay);
	if (t->title_win)
		delwin(t->title_win);
	if (t->status_win)
		delwin(t->status_win);
	t->title_win = t->status_win = NULL;
	if (t->lay.mode != LAYOUT_TOO_SMALL) {
		t->title_win = newwin(1, t->cols, 0, 0);
		t->status_win = newwin(1, t->cols, t->rows - 1, 0);
		pane_place(t->panes[0], t->lay.caseload);
		pane_place(t->panes[1], t->lay.timeline);
		pane_place(t->panes[2], t->lay.tasks);
		for (int i = 0; i < t->n_stack; i++)
			place_popup(t, t->stack[i]);
	}
	t->full_redraw = true;
}

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

/* The lock screen: no patient data shows until a key is pressed; then
 * everything is drawn again (the caller's own window on its next turn). */
static void lock_wait(struct tui *t)
{
	t->locked = true;
	while (!t->quit) {
		draw_lock(t);
		if (replay.f) {        /* the script's next key unlocks */
			replay_key(t);
			break;
		}
		wint_t wc;
		int rc = read_key(t, TICK_MS, &wc);
		if (rc == ERR)
			continue;
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			getmaxyx(stdscr, t->rows, t->cols);
			continue;
		}
		break;
	}
	t->locked = false;
	t->last_input = now_ms();
	layout(t);
	clearok(curscr, TRUE);
	tui_refresh(t);
}

void tui_refresh(struct tui *t)
{
	if (t->lay.mode == LAYOUT_TOO_SMALL) {
		werase(stdscr);
		char msg[64];
		snprintf(msg, sizeof msg, "terminal too small (%dx%d, need %dx%d)", t->cols, t->rows,
		         LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
		tui_put(stdscr, 0, 0, msg, t->cols, A_BOLD);
		wnoutrefresh(stdscr);
		doupdate();
		t->full_redraw = true;   /* the next good size redraws all */
		return;
	}
	if (t->full_redraw) {
		wnoutrefresh(stdscr);
		t->title_dirty = t->status_dirty = true;
	}
	/* Counting is the one whole-table query: it waits for an idle
	 * moment (see the loop), so keys never wait for it. */
	/* Loads first (a caseload load may select another patient, which
	 * flags the other panes), then draws. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 3; i++) {
			struct pane *p = t->panes[i];
			if (p->reload && p->ops->load) {
				if (p->ops->load(p, &t->err) < 0)
					tui_error(t, &t->err);
				p->reload = false;
				p->repaint = true;
				pane_select(p, p->sel);
			}
		}
	for (int i = 0; i < 3; i++) {
		struct pane *p = t->panes[i];
		bool shown = t->lay.mode == LAYOUT_FULL || i == t->focus;
		if (shown && (p->repaint || t->full_redraw))
			pane_draw(p, i == t->focus && !t->n_stack);
	}
	for (int i = 0; i < t->n_stack; i++) {
		struct pane *p = t->stack[i];
		if (p->reload && p->ops->load) {
			if (p->ops->load(p, &t->err) < 0)
				tui_error(t, &t->err);
			p->reload = false;
		}
		if (!p->win || t->full_redraw)
			place_popup(t, p);
		if (p->repaint || t->full_redraw)
			pane_draw(p, i == t->n_stack - 1);
	}
	if (t->title_dirty)
		draw_title(t);
	if (t->status_dirty)
		draw_status(t);
	t->full_redraw = false;
	doupdate();
}

/* ---- the prompt line ---- */

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
		if (got_signal)
			t->quit = true;
		switch (key) {
		case -1:
			break;
		case TK_ENTER:
			rc = 1;
			break;
		case TK_ESC:
			rc = 0;
			break;
		case TK_RESIZE:
			layout(t);
			tui_refresh(t);
			break;
		case TK_BACKSPACE:
			while (text.len > 0 && ((unsigned char)text.s[text.len - 1] & 0xc0) == 0x80)
				text.len--;
			if (text.len > 0)
				text.s[--text.len] = '\0';
			else
				break;
			text.s[text.len] = '\0';
			if (on_change)
				on_change(t, text.s, arg), tui_refresh(t);
			break;
		default:
			if (key >= 0x20 && key < KEY_T_BASE && key != 0x7f) {
				char name[16];
				buf_add(&text, tui_key_name(key, name));
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

bool tui_confirm(struct tui *t, const char *question)
{
	char *ans = NULL;
	struct buf q = {0};
	buf_addf(&q, "%s (y/n) ", question);
	int ok = tui_prompt(t, q.s, "", NULL, NULL, &ans);
	buf_free(&q);
	bool yes = ok && ans && (ans[0] == 'y' || ans[0] == 'Y');
	free(ans);
	return yes;
}

/* ---- global actions ---- */

static void show_help(struct tui *t)
{
	struct strlist lines = {0};
	keymap_help(&t->km, &lines);
	tui_show_text(t, "Keys (change them under keys: in config.yaml)", &lines);
}

static void command_line(struct tui *t);

static int global_action(struct tui *t, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		t->quit = true;
		return 1;
	case ACT_HELP:
		show_help(t);
		return 1;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		t->focus = (t->focus + (a == ACT_NEXT_PANE ? 1 : 2)) % 3;
		t->full_redraw = true;
		return 1;
	case ACT_PANE_CASELOAD:
	case ACT_PANE_TIMELINE:
	case ACT_PANE_TASKS:
		t->focus = a - ACT_PANE_CASELOAD;
		t->full_redraw = true;
		return 1;
	case ACT_LOCK:
		lock_wait(t);
		return 1;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		t->full_redraw = true;
		tui_changed(t);
		return 1;
	case ACT_BACK:
		t->msg[0] = '\0';
		t->status_dirty = true;
		return 1;
	case ACT_COMMAND:
		command_line(t);
		return 1;
	case ACT_REVIEW:
		return tui_review_open(t) < 0 ? -1 : 1;
	case ACT_TOGGLE_TASKS:      /* about the queue, from any pane */
		return t->panes[2]->ops->action(t->panes[2], a);
	case ACT_ADD:
		return tui_add_task(t) < 0 ? -1 : 1;
	case ACT_NOTE:
		return tui_add_note(t) < 0 ? -1 : 1;
	case ACT_CONTACT:
		return tui_log_contact(t) < 0 ? -1 : 1;
	case ACT_EXPORT:
		return tui_export(t) < 0 ? -1 : 1;
	case ACT_IMPORT:
		return tui_import(t) < 0 ? -1 : 1;
	case ACT_TEMPLATE:
		return tui_template(t) < 0 ? -1 : 1;
	default:
		return 0;
	}
}

static void dispatch(struct tui *t, enum action a)
{
	if (a == ACT_NONE)
		return;
	if (t->msg[0] && a != ACT_BACK) {
		t->msg[0] = '\0';
		t->status_dirty = true;
	}
	struct pane *p = focused(t);
	int rc = p->ops->action ? p->ops->action(p, a) : 0;
	if (rc == 0 && !p->popup)
		rc = pane_move(p, a);
	if (rc == 0 && !t->n_stack)
		rc = global_action(t, a);
	if (rc == 0)
		tui_message(t, false, "%s: not here (press ? for the keys)", action_name(a));
	if (rc < 0)
		tui_error(t, &t->err);
	t->status_dirty = true;
}

static void command_line(struct tui *t)
{
	char *name = NULL;
	if (!tui_prompt(t, ":", "", NULL, NULL, &name))
		return;
	enum action a = action_by_name(name);
	if (a == ACT_NONE || a == ACT_COMMAND)
		tui_message(t, true, "'%s' is not an action (press ? for the list)", name);
	else
		dispatch(t, a);
	free(name);
}

/* ---- setup and the loop ---- */

static void report_replay(const struct tui_ctx *ctx)
{
	FILE *f = ctx->report ? ctx->report : stderr;
	double total = 0, max = 0;
	for (size_t i = 0; i < replay.n; i++) {
		fprintf(f, "key %-10s %8.3f ms\n", replay.names[i], replay.ms[i]);
		total += replay.ms[i];
		if (replay.ms[i] > max)
			max = replay.ms[i];
	}
	if (replay.n)
		fprintf(f, "keys %zu  mean %.3f ms  max %.3f ms\n", replay.n, total / (double)replay.n, max);
	free(replay.ms);
	free(replay.names);
}

int tui_run(const struct tui_ctx *ctx, struct err *e)
{
	struct tui *t = xcalloc(1, sizeof *t);
	t->ctx = ctx;
	t->store = ctx->store;
	t->n_patients = -1;      /* not counted yet */
	date_format(ctx->today, t->today_s);
	keymap_defaults(&t->km);
	if ((ctx->cfg && keymap_apply_config(&t->km, ctx->cfg, e) < 0) ||
	    tui_colors_setup(t, true, e) < 0) {
		free(t);
		return e->code;
	}
	SCREEN *scr = NULL;
	FILE *devnull = NULL;
	struct termios tty_before;
	bool tty_saved = tcgetattr(STDOUT_FILENO, &tty_before) == 0;
	memset(&replay, 0, sizeof replay);
	replay.key_start = now_ms();       /* the first figure is opening */
	snprintf(replay.last, sizeof replay.last, "(open)");
	if (ctx->replay) {
		if (!(replay.f = fopen(ctx->replay, "r"))) {
			free(t);
			return err_set(e, ERR_FAIL, "cannot read the key script %s: %s", ctx->replay,
			               strerror(errno));
		}
	}
	/* newterm rather than initscr: an unknown TERM is an error to report,
	 * not an exit inside curses. */
	const char *term = getenv("TERM");
	if (ctx->replay && !isatty(STDOUT_FILENO)) {
		devnull = fopen("/dev/null", "w");
		scr = newterm(term && *term ? term : "xterm-256color", devnull, stdin);
	} else {
		scr = newterm(NULL, stdout, stdin);
	}
	if (scr)
		set_term(scr);
	if (!scr || !stdscr) {
		if (replay.f)
			fclose(replay.f);
		if (devnull)
			fclose(devnull);
		free(t);
		return err_set(e, ERR_FAIL, "cannot start the screen on this terminal (TERM=%s)",
		               term ? term : "");
	}
	if (!devnull && tty_saved)
		crash_guard_on(STDOUT_FILENO, &tty_before);
	struct sigaction sa = {0}, old_term, old_int, old_hup;
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGHUP, &sa, &old_hup);
	got_signal = 0;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	int rc = tui_colors_setup(t, false, e);
	if (rc == 0) {
		t->panes[0] = caseload_pane_new(t);
		t->panes[1] = timeline_pane_new(t);
		t->panes[2] = tasks_pane_new(t);
		t->data_version = store_data_version(t->store);
		t->title_dirty = t->counts_dirty = true;
		layout(t);
		t->last_input = now_ms();
		t->idle_ms = ctx->cfg ? ctx->cfg->idle_lock_minutes * 60000 : 5 * 60000;
		while (!t->quit) {
			tui_refresh(t);
			int key = tui_getkey(t, t->counts_dirty ? 50 : TICK_MS);
			if (got_signal)
				break;
			if (key < 0) {
				/* the timers */
				if (t->counts_dirty) {
					load_counts(t);
					t->counts_dirty = false;
					t->title_dirty = true;
				}
				long long v = store_data_version(t->store);
				if (v != t->data_version) {
					t->data_version = v;
					tui_changed(t);
				}
				continue;
			}
			if (key == TK_RESIZE) {
				layout(t);
				continue;
			}
			if (t->lay.mode == LAYOUT_TOO_SMALL && keymap_lookup(&t->km, key) != ACT_QUIT)
				continue;
			dispatch(t, keymap_lookup(&t->km, key));
		}
		if (replay.f)
			replay_record();
	}
	while (t->n_stack)
		tui_pop(t);
	for (int i = 0; i < 3; i++)
		pane_free(&t->panes[i]);
	if (t->title_win)
		delwin(t->title_win);
	if (t->status_win)
		delwin(t->status_win);
	endwin();
	crash_guard_off();
	if (scr)
		delscreen(scr);
	if (devnull)
		fclose(devnull);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (replay.f) {
		fclose(replay.f);
		report_replay(ctx);
	}
	free(t);
	return rc;
}
