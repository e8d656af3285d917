/* Unit tests: the lock's passphrase (hash, file, check). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/passphrase.h"
#include "caseload/util.h"

static char dir[] = "/tmp/caseload-pass-XXXXXX";

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
	return rc;
}

static void test_set_check(void **state)
{
	(void)state;
	char *path = xasprintf("%s/sub/passphrase", dir);   /* the folder is made */
	struct err e = {0};
	const char *pass = "correct horse battery";
	assert_int_equal(passphrase_is_set(path, &e), 0);
	assert_int_equal(passphrase_check(path, pass, strlen(pass), &e), ERR_NOTFOUND);
	assert_int_equal(passphrase_set(path, pass, strlen(pass), &e), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(passphrase_is_set(path, &e), 1);
	assert_int_equal(passphrase_check(path, pass, strlen(pass), &e), 1);
	assert_int_equal(passphrase_check(path, "correct horse batterY", strlen(pass), &e), 0);
	assert_int_equal(passphrase_check(path, pass, strlen(pass) - 1, &e), 0);
	assert_int_equal(passphrase_check(path, "", 0, &e), 0);
	/* the file holds the hash alone */
	FILE *f = fopen(path, "r");
	char line[256] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_int_equal(strncmp(line, "$argon2id$", 10), 0);
	assert_null(strstr(line, "horse"));
	/* refused, and the old hash still there */
	assert_int_equal(passphrase_set(path, "short", 5, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "too short: 5 characters, at least 8"));
	assert_int_equal(passphrase_set(path, "tab\there-ok", 11, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "control character (at byte 4)"));
	assert_int_equal(passphrase_set(path, "ñandú ñu", strlen("ñandú ñu"), &e), 0);  /* 8 characters */
	assert_int_equal(passphrase_check(path, "ñandú ñu", strlen("ñandú ñu"), &e), 1);
	assert_int_equal(passphrase_set(path, "ñandúñu", strlen("ñandúñu"), &e), ERR_USAGE);
	char *big = xmalloc(PASSPHRASE_MAX + 1);
	memset(big, 'x', PASSPHRASE_MAX + 1);
	assert_int_equal(passphrase_set(path, big, PASSPHRASE_MAX + 1, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "too long"));
	assert_int_equal(passphrase_set(path, big, PASSPHRASE_MAX, &e), 0);
	assert_int_equal(passphrase_check(path, big, PASSPHRASE_MAX, &e), 1);
	free(big);
	/* a file others may change is not trusted */
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(passphrase_is_set(path, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "other users can change it"));
	assert_int_equal(passphrase_check(path, pass, strlen(pass), &e), ERR_FAIL);
	/* clear */
	assert_int_equal(passphrase_clear(path, &e), 1);
	assert_int_equal(passphrase_clear(path, &e), 0);
	assert_int_equal(passphrase_is_set(path, &e), 0);
	free(path);
}

static void test_refused(void **state)
{
	(void)state;
	struct err e = {0};
	char *path = xasprintf("%s/passphrase", dir);
	char *target = xasprintf("%s/elsewhere", dir);
	FILE *f = fopen(target, "w");
	fputs("keep me\n", f);
	fclose(f);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(passphrase_set(path, "a long passphrase", 17, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "is a symbolic link: refused"));
	assert_int_equal(passphrase_is_set(path, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "symbolic link"));
	f = fopen(target, "r");
	char line[64] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_string_equal(line, "keep me\n");
	assert_int_equal(unlink(path), 0);
	/* not a hash */
	f = fopen(path, "w");
	fputs("letmein\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(passphrase_is_set(path, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "does not hold a passphrase hash"));
	assert_int_equal(passphrase_check(path, "letmein", 7, &e), ERR_FAIL);
	unlink(path);
	/* a folder in its place */
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(passphrase_set(path, "a long passphrase", 17, &e), ERR_FAIL);
	assert_non_null(strstr(e.msg, "not a file"));
	rmdir(path);
	/* wipe */
	char secret[16] = "very secret";
	passphrase_wipe(secret, sizeof secret);
	for (size_t i = 0; i < sizeof secret; i++)
		assert_int_equal(secret[i], 0);
	free(path);
	free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_check),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
