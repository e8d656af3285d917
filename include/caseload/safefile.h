/* safefile: the one way caseload writes a file that holds patient data
 * (exports, the agenda as a calendar, backups).  The data goes to a new
 * temporary file beside the target (mode 0600, created with O_EXCL and
 * O_NOFOLLOW), is flushed and synced, and only then renamed over the
 * target; the folder is synced after the rename.  A target that is a
 * symbolic link or not a regular file is refused; an existing file is
 * replaced only with SAFEFILE_REPLACE.  When anything fails the temporary
 * file is removed and the target is as it was.  Messages name the path,
 * never what was being written.
 *
 *     struct safefile sf;
 *     if (safefile_open(&sf, path, flags, e) < 0)
 *             return e->code;
 *     ... write to sf.f (or have a library write to sf.tmp) ...
 *     if (something failed) { safefile_abort(&sf); return ...; }
 *     return safefile_commit(&sf, e);
 */
#ifndef CASELOAD_SAFEFILE_H
#define CASELOAD_SAFEFILE_H
#include <stdbool.h>
#include <stdio.h>
#include "caseload/err.h"

enum {
	SAFEFILE_REPLACE = 1u << 0,   /* an existing regular file may be replaced */
};

struct safefile {
	char *path;                   /* the target, as given */
	char *tmp;                    /* the temporary file beside it */
	char *dir;                    /* the folder both are in */
	FILE *f;                      /* open on tmp for writing */
	bool existed;                 /* the target was there when opened */
	bool replace;                 /* SAFEFILE_REPLACE was given */
};

/* Check the target and create the temporary file.  ERR_CONFLICT when the
 * target exists and flags lack SAFEFILE_REPLACE (the caller may ask and
 * call again), ERR_USAGE for a symbolic link or a non-regular file,
 * ERR_FAIL when the temporary file cannot be made.  On failure nothing is
 * left to release. */
int safefile_open(struct safefile *sf, const char *path, unsigned flags, struct err *e);
/* Flush and sync sf->f, rename the temporary file over the target and
 * sync the folder.  A write error on sf->f (a full disk, a file size
 * limit) is reported here, naming the path.  Releases sf either way;
 * on failure the temporary file is gone and the target is untouched. */
int safefile_commit(struct safefile *sf, struct err *e);
/* Give up: remove the temporary file and release sf.  Safe to call on a
 * released safefile. */
void safefile_abort(struct safefile *sf);

#endif
