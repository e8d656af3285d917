/* cli_passphrase: `caseload passphrase set|clear|status`, the screen
 * lock's passphrase (passphrase.h).  `set` asks twice on the terminal
 * with echo off; when standard input is not a terminal it reads one line
 * (scripts, tests).  What is typed is wiped once hashed or compared. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "caseload/cli.h"
#include "caseload/passphrase.h"

/* A line: PASSPHRASE_MAX bytes, then one more to tell "too long". */
enum { LINE_CAP = PASSPHRASE_MAX + 2 };

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* One line of fd into buf (LINE_CAP), without its newline (nor a CR
 * before it): its length; LINE_CAP - 1 when it was longer than that; -1
 * at the end of input before a character, on a signal or an error. */
static long read_line(int fd, char *buf)
{
	size_t n = 0;
	bool any = false;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR && !got_signal)
			continue;
		if (r < 0 || got_signal)
			return -1;
		if (r == 0 && !any)
			return -1;
		if (r == 0 || c == '\n')
			break;
		any = true;
		if (n < LINE_CAP - 1)
			buf[n++] = c;
		c = 0;
	}
	if (n > 0 && n < LINE_CAP - 1 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (long)n;
}

/* Ask on the terminal (standard input) with echo off; the terminal's
 * modes come back even when a signal ends the wait. */
static long ask_tty(const char *prompt, char *buf)
{
	struct termios before, quiet;
	if (tcgetattr(STDIN_FILENO, &before) < 0)
		return -1;
	quiet = before;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	quiet.c_lflag |= ECHONL;
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
	struct sigaction sa = {0}, old[sizeof sigs / sizeof sigs[0]];
	sa.sa_handler = on_signal;      /* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &old[i]);
	fputs(prompt, stderr);
	fflush(stderr);
	long n = -1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0) {
		n = read_line(STDIN_FILENO, buf);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &before);
	}
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (got_signal)
		fputc('\n', stderr);
	return n;
}

int cmd_passphrase_set(struct app *app, int argc, char **argv)
{
	if (cli_opts(app, argc, argv, NULL, NULL, 0, NULL) < 0)
		return ERR_USAGE;
	char *a = xmalloc(LINE_CAP), *b = xmalloc(LINE_CAP);
	long na, nb = 0;
	int rc = 0;
	if (isatty(STDIN_FILENO)) {
		na = ask_tty("New passphrase for the screen's lock: ", a);
		if (na >= 0)
			nb = ask_tty("The same again: ", b);
		if (na < 0 || nb < 0)
			rc = app_usage(app, "%s: nothing was changed", got_signal ? "interrupted"
			                                                     : "nothing was typed");
		else if (na != nb || memcmp(a, b, (size_t)na) != 0)
			rc = app_usage(app, "the two passphrases differ: nothing was changed");
	} else if ((na = read_line(STDIN_FILENO, a)) < 0) {
		rc = app_usage(app, "no passphrase on standard input (one line): nothing was changed");
	}
	char *path = passphrase_path();
	if (rc == 0 && passphrase_set(path, a, (size_t)na, &app->err) < 0)
		rc = app->err.code;
	passphrase_wipe(a, LINE_CAP);
	passphrase_wipe(b, LINE_CAP);
	free(a);
	free(b);
	if (rc == 0)
		fprintf(app->out, "passphrase set: the screen's lock asks for it (%s)\n", path);
	free(path);
	return rc;
}

int cmd_passphrase_clear(struct app *app, int argc, char **argv)
{
	if (cli_opts(app, argc, argv, NULL, NULL, 0, NULL) < 0)
		return ERR_USAGE;
	char *path = passphrase_path();
	int rc = passphrase_clear(path, &app->err);
	free(path);
	if (rc < 0)
		return rc;
	fprintf(app->out, "%s: the screen's lock is only a curtain now (any key opens it)\n",
	        rc ? "passphrase removed" : "no passphrase was set");
	return 0;
}

int cmd_passphrase_status(struct app *app, int argc, char **argv)
{
	if (cli_opts(app, argc, argv, NULL, NULL, 0, NULL) < 0)
		return ERR_USAGE;
	char *path = passphrase_path();
	int rc = passphrase_is_set(path, &app->err);
	if (rc == 1)
		fprintf(app->out, "a passphrase is set: the screen's lock asks for it (%s)\n", path);
	else if (rc == 0)
		fprintf(app->out, "no passphrase is set: the screen's lock is only a curtain (any key "
		                  "opens it); 'caseload passphrase set' sets one\n");
	free(path);
	return rc < 0 ? rc : 0;
}
