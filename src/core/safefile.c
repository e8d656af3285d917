/* safefile: write a file with patient data through a temporary file
 * beside it, then rename.  See safefile.h for the promises. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caseload/safefile.h"
#include "caseload/util.h"

/* How many names are tried before giving up on a temporary file: each
 * try fails only when another file already has that exact name. */
#define TEMP_TRIES 100

/* The folder a path is in ("." for a bare name). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

static void release(struct safefile *sf)
{
	if (sf->f)
		fclose(sf->f);
	free(sf->path);
	free(sf->tmp);
	free(sf->dir);
	memset(sf, 0, sizeof *sf);
}

/* The end of every write error: what became of the target. */
static int write_error(struct safefile *sf, struct err *e, int errnum)
{
	err_set(e, ERR_FAIL, "cannot write %s: %s; %s", sf->path, strerror(errnum),
	        sf->existed ? "the file there is as it was" : "no file was made");
	safefile_abort(sf);
	return ERR_FAIL;
}

/* What may be at the path: nothing, or a regular file to replace. */
static int check_target(struct safefile *sf, unsigned flags, struct err *e)
{
	struct stat st;
	if (lstat(sf->path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_FAIL, "cannot write %s: %s", sf->path, strerror(errno));
	}
	sf->existed = true;
	if (S_ISLNK(st.st_mode))
		return err_set(e, ERR_USAGE, "%s is a symbolic link: caseload does not write through "
		               "one (name the file itself)", sf->path);
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_USAGE, "%s is not a regular file", sf->path);
	if (!(flags & SAFEFILE_REPLACE))
		return err_set(e, ERR_CONFLICT, "%s exists", sf->path);
	return 0;
}

/* A new file of our own beside the target: never an existing file, never
 * through a link, readable by the owner alone whatever the umask. */
static int make_temp(struct safefile *sf, struct err *e)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long seed = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
	for (int i = 0; i < TEMP_TRIES; i++) {
		free(sf->tmp);
		seed = seed * 1103515245UL + 12345UL;
		sf->tmp = xasprintf("%s/.caseload-%08lx.tmp", sf->dir, seed & 0xffffffffUL);
		int fd = open(sf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0) {
			int errnum = errno;
			free(sf->tmp);
			sf->tmp = NULL;   /* nothing of ours to remove */
			return err_set(e, ERR_FAIL, "cannot write %s: cannot create a file in %s: %s",
			               sf->path, sf->dir, strerror(errnum));
		}
		if (fchmod(fd, 0600) < 0 || !(sf->f = fdopen(fd, "w"))) {
			int errnum = errno;
			close(fd);
			return err_set(e, ERR_FAIL, "cannot write %s: %s", sf->path, strerror(errnum));
		}
		return 0;
	}
	free(sf->tmp);
	sf->tmp = NULL;
	return err_set(e, ERR_FAIL, "cannot write %s: no free temporary name in %s", sf->path,
	               sf->dir);
}

int safefile_open(struct safefile *sf, const char *path, unsigned flags, struct err *e)
{
	memset(sf, 0, sizeof *sf);
	sf->path = xstrdup(path);
	sf->dir = folder_of(path);
	sf->replace = (flags & SAFEFILE_REPLACE) != 0;
	if (check_target(sf, flags, e) < 0 || make_temp(sf, e) < 0) {
		safefile_abort(sf);
		return e->code;
	}
	errno = 0;   /* so that a failed write's errno is the one commit sees */
	return 0;
}

/* A rename is durable once its folder is synced; where a folder cannot be
 * opened or synced the file is still whole, so that is not an error. */
static void sync_folder(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Put the temporary file in the target's place.  Without replace, link()
 * fails rather than replace a file that appeared since the open; where a
 * file system has no hard links, rename does. */
static int install(struct safefile *sf)
{
	if (sf->replace)
		return rename(sf->tmp, sf->path);
	if (link(sf->tmp, sf->path) == 0) {
		unlink(sf->tmp);
		return 0;
	}
	if (errno == EPERM || errno == ENOTSUP || errno == EMLINK)
		return rename(sf->tmp, sf->path);
	return -1;
}

int safefile_commit(struct safefile *sf, struct err *e)
{
	int errnum = 0;
	if (fflush(sf->f) != 0 || ferror(sf->f))
		errnum = errno ? errno : EIO;
	else if (fsync(fileno(sf->f)) < 0)
		errnum = errno;
	if (fclose(sf->f) != 0 && !errnum)
		errnum = errno ? errno : EIO;
	sf->f = NULL;
	if (errnum)
		return write_error(sf, e, errnum);
	if (install(sf) < 0) {
		if (errno == EEXIST) {
			err_set(e, ERR_CONFLICT, "%s exists", sf->path);
			safefile_abort(sf);
			return ERR_CONFLICT;
		}
		return write_error(sf, e, errno);
	}
	sync_folder(sf->dir);
	release(sf);
	return 0;
}

void safefile_abort(struct safefile *sf)
{
	if (sf->f) {
		fclose(sf->f);
		sf->f = NULL;
	}
	if (sf->tmp)
		unlink(sf->tmp);
	release(sf);
}
