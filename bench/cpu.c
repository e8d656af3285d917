/* cpu: run a command and report what it cost, for scripts/bench.sh.
 *   cpu [-o OUT] REPORT CMD ARGS...
 * The command's standard output goes through a pipe to OUT (default
 * /dev/null), so the first byte it writes is seen when a reader would see
 * it.  REPORT gets one line:
 *   cpu S first_cpu MS first_wall MS wall S peak KB rc N
 * cpu: user + system time of the command (getrusage of the child), so the
 * load of the machine does not count; first_cpu: the command's CPU time when
 * its first output byte arrived (from /proc/PID/schedstat, nanoseconds),
 * -1 if it wrote nothing; first_wall: the same in wall time; peak: its
 * maximum resident set. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The CPU time of every thread of PID, in ms (schedstat's first field). */
static double proc_cpu_ms(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	double sum = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char f[352];   /* path (64) + d_name (256) + "/schedstat" */
		snprintf(f, sizeof f, "%s/%s/schedstat", path, de->d_name);
		FILE *fp = fopen(f, "r");
		unsigned long long ns;
		if (fp && fscanf(fp, "%llu", &ns) == 1)
			sum += (double)ns / 1e6;
		if (fp)
			fclose(fp);
	}
	closedir(d);
	return sum;
}

int main(int argc, char **argv)
{
	const char *out = "/dev/null";
	int i = 1;
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		out = argv[2];
		i = 3;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: cpu [-o OUT] REPORT CMD ARGS...\n");
		return 2;
	}
	const char *report = argv[i++];
	int fd[2];
	int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (ofd < 0 || pipe(fd) < 0) {
		perror(out);
		return 2;
	}
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		close(ofd);
		execvp(argv[i], argv + i);
		perror(argv[i]);
		_exit(127);
	}
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	close(fd[1]);
	double first_cpu = -1, first_wall = -1;
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (first_wall < 0) {
			first_cpu = proc_cpu_ms(pid);
			first_wall = now_ms() - t0;
		}
		for (ssize_t w = 0; w < n;) {
			ssize_t k = write(ofd, buf + w, (size_t)(n - w));
			if (k < 0 && errno != EINTR)
				break;
			w += k > 0 ? k : 0;
		}
	}
	close(fd[0]);
	close(ofd);
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	double wall = (now_ms() - t0) / 1e3;
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	             (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	FILE *r = fopen(report, "w");
	if (!r) {
		perror(report);
		return 2;
	}
	fprintf(r, "cpu %.3f first_cpu %.1f first_wall %.1f wall %.2f peak %ld rc %d\n", cpu, first_cpu,
	        first_wall, wall, ru.ru_maxrss, rc);
	fclose(r);
	return rc;
}
