/* tui_crash: a crash (SIGSEGV, SIGABRT ...) must not leave the terminal
 * raw and on the alternate screen.  The handler does only what is safe in
 * a signal handler: write the terminal's reset strings, prepared
 * beforehand, and put back the saved terminal modes; then it hands the
 * signal on to the handler that was there before (a sanitizer's, say) or
 * to the default.  Its state is file-static: a signal handler has no
 * other way to reach it. */
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tui_internal.h"

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

void tui_crash_guard_on(int fd, const struct termios *before)
{
	static char caps[][8] = {"sgr0", "cnorm", "rmkx", "rmcup"};  /* tigetstr takes char * */
	crash_reset_len = 0;
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *v = tigetstr(caps[i]);
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

void tui_crash_guard_off(void)
{
	if (crash_fd < 0)
		return;
	for (int i = 0; i < N_CRASH; i++)
		sigaction(crash_signals[i], &crash_old[i], NULL);
	crash_fd = -1;
}
