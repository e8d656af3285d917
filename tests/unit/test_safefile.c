/* Unit tests: safefile, the one way a file with patient data is written:
 * a new file is 0600; an existing one is replaced only when asked; a
 * symbolic link or a folder is refused; an abort or a failed write leaves
 * the old file and no temporary file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/safefile.h"
#include "caseload/util.h"

static char dir[] = "/tmp/caseload-safefile-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char text[256] = "";
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return xstrdup(text);
}

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* How many .caseload-* temporary files are in the folder. */
static int temporaries(void)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *de; (de = readdir(d));)
		n += !strncmp(de->d_name, ".caseload-", 10);
	closedir(d);
	return n;
}

static int write_text(const char *path, unsigned flags, const char *text, struct err *e)
{
	struct safefile sf;
	if (safefile_open(&sf, path, flags, e) < 0)
		return e->code;
	fputs(text, sf.f);
	return safefile_commit(&sf, e);
}

static void test_new_file(void **state)
{
	(void)state;
	struct err e = {0};
	char *p = in_dir("new.ics");
	assert_int_equal(write_text(p, 0, "fresh\n", &e), 0);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	char *got = slurp(p);
	assert_string_equal(got, "fresh\n");
	free(got);
	assert_int_equal(temporaries(), 0);
	free(p);
}

static void test_replace_only_when_asked(void **state)
{
	(void)state;
	struct err e = {0};
	char *p = in_dir("old.ics");
	put(p, "old\n", 0644);
	assert_int_equal(write_text(p, 0, "new\n", &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "old.ics exists"));
	char *got = slurp(p);
	assert_string_equal(got, "old\n");
	free(got);
	assert_int_equal(write_text(p, SAFEFILE_REPLACE, "new\n", &e), 0);
	got = slurp(p);
	assert_string_equal(got, "new\n");
	free(got);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);   /* not the old file's 0644 */
	assert_int_equal(temporaries(), 0);
	free(p);
}

static void test_refuses_links_and_folders(void **state)
{
	(void)state;
	struct err e = {0};
	char *victim = in_dir("victim.txt"), *link = in_dir("link.ics"), *sub = in_dir("sub");
	put(victim, "precious\n", 0644);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(write_text(link, SAFEFILE_REPLACE, "x\n", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "link.ics is a symbolic link"));
	char *got = slurp(victim);
	assert_string_equal(got, "precious\n");
	free(got);
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* a dangling link too: nothing is created where it points */
	unlink(victim);
	assert_int_equal(write_text(link, SAFEFILE_REPLACE, "x\n", &e), ERR_USAGE);
	assert_int_equal(access(victim, F_OK), -1);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(write_text(sub, SAFEFILE_REPLACE, "x\n", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "is not a regular file"));
	assert_int_equal(temporaries(), 0);
	unlink(link);
	rmdir(sub);
	free(victim);
	free(link);
	free(sub);
}

static void test_abort_keeps_the_old_file(void **state)
{
	(void)state;
	struct err e = {0};
	char *p = in_dir("kept.ics");
	put(p, "old\n", 0600);
	struct safefile sf;
	assert_int_equal(safefile_open(&sf, p, SAFEFILE_REPLACE, &e), 0);
	fputs("half", sf.f);
	safefile_abort(&sf);
	safefile_abort(&sf);   /* twice is harmless */
	char *got = slurp(p);
	assert_string_equal(got, "old\n");
	free(got);
	assert_int_equal(temporaries(), 0);
	free(p);
}

/* A file size limit makes the write fail half way, as a full disk does,
 * for root too. */
static void test_failed_write(void **state)
{
	(void)state;
	struct err e = {0};
	char *p = in_dir("big.ics");
	put(p, "old\n", 0600);
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 4096;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	struct safefile sf;
	assert_int_equal(safefile_open(&sf, p, SAFEFILE_REPLACE, &e), 0);
	for (int i = 0; i < 2000; i++)
		fputs("0123456789", sf.f);
	int rc = safefile_commit(&sf, &e);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, prev);
	assert_int_equal(rc, ERR_FAIL);
	assert_non_null(strstr(e.msg, "big.ics: File too large; the file there is as it was"));
	char *got = slurp(p);
	assert_string_equal(got, "old\n");
	free(got);
	assert_int_equal(temporaries(), 0);
	free(p);
}

static void test_missing_folder(void **state)
{
	(void)state;
	struct err e = {0};
	char *p = in_dir("nowhere/x.ics");
	assert_int_equal(write_text(p, 0, "x\n", &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "nowhere/x.ics"));
	assert_non_null(strstr(e.msg, "No such file or directory"));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file),
		cmocka_unit_test(test_replace_only_when_asked),
		cmocka_unit_test(test_refuses_links_and_folders),
		cmocka_unit_test(test_abort_keeps_the_old_file),
		cmocka_unit_test(test_failed_write),
		cmocka_unit_test(test_missing_folder),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
