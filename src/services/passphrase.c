/* passphrase: the lock's passphrase as an Argon2id hash in a file of the
 * user's own.  The file holds one line, crypto_pwhash_str's text
 * ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash"): the parameters travel
 * with the hash, so a hash made with other limits still verifies. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/config.h"
#include "caseload/passphrase.h"
#include "caseload/safefile.h"
#include "caseload/util.h"

#define HASH_PREFIX "$argon2id$"

char *passphrase_path(void)
{
	char *dir = config_dir();
	char *path = xasprintf("%s/passphrase", dir);
	free(dir);
	return path;
}

void passphrase_wipe(void *p, size_t n)
{
	if (p && n)
		sodium_memzero(p, n);
}

static int crypto_ready(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_FAIL, "the cryptography library (libsodium) cannot start");
	return 0;
}

/* Long enough, short enough, and nothing the lock's keyboard cannot type. */
static int check_text(const char *pass, size_t len, struct err *e)
{
	size_t chars = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pass[i];
		if (c < 0x20 || c == 0x7f)
			return err_set(e, ERR_USAGE, "the passphrase has a control character (at byte %zu): "
			               "the lock could not take it", i + 1);
		chars += (c & 0xc0) != 0x80;
	}
	if (chars < PASSPHRASE_MIN)
		return err_set(e, ERR_USAGE, "the passphrase is too short: %zu characters, at least %d",
		               chars, PASSPHRASE_MIN);
	if (len > PASSPHRASE_MAX)
		return err_set(e, ERR_USAGE, "the passphrase is too long: at most %d bytes",
		               PASSPHRASE_MAX);
	return 0;
}

/* The hash in path into out: 1, 0 when there is no file, or ERR_FAIL
 * when what is there cannot be trusted or read. */
static int read_hash(const char *path, char out[crypto_pwhash_STRBYTES], struct err *e)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 && errno == ELOOP)
		return err_set(e, ERR_FAIL, "%s is a symbolic link: the passphrase must be a file of its "
		               "own (remove the link, then 'caseload passphrase set')", path);
	if (fd < 0)
		return err_set(e, ERR_FAIL, "cannot read %s: %s", path, strerror(errno));
	struct stat st;
	const char *bad = NULL;
	if (fstat(fd, &st) < 0)
		bad = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		bad = "it is not a file";
	else if (st.st_uid != geteuid())
		bad = "it belongs to another user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		bad = "other users can change it";
	size_t n = 0;
	while (!bad && n < crypto_pwhash_STRBYTES) {
		ssize_t r = read(fd, out + n, crypto_pwhash_STRBYTES - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			bad = strerror(errno);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!bad && n > 0 && out[n - 1] == '\n')
		n--;
	if (!bad && (n == 0 || n >= crypto_pwhash_STRBYTES || memchr(out, '\0', n) ||
	             memchr(out, '\n', n) || strncmp(out, HASH_PREFIX, strlen(HASH_PREFIX)) != 0))
		bad = "it does not hold a passphrase hash";
	if (bad) {
		passphrase_wipe(out, crypto_pwhash_STRBYTES);
		return err_set(e, ERR_FAIL, "cannot use %s: %s (set the passphrase again with "
		               "'caseload passphrase set', or remove it with 'caseload passphrase clear')",
		               path, bad);
	}
	out[n] = '\0';
	return 1;
}

/* The folder of path, made (0700) when missing, with its parent. */
static int make_folder(const char *path, struct err *e)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	char *up = strrchr(dir, '/');
	if (up && up != dir) {
		*up = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			goto fail;
		*up = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		goto fail;
	free(dir);
	return 0;
fail:;
	int rc = err_set(e, ERR_FAIL, "cannot create the folder %s: %s", dir, strerror(errno));
	free(dir);
	return rc;
}

/* hash + "\n" into a temporary file beside path (0600), synced, renamed
 * over path.  On failure path is as it was. */
static int write_hash(const char *path, const char *hash, struct err *e)
{
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return err_set(e, ERR_FAIL, "%s is %s: refused (remove it, then set the passphrase "
		               "again)", path, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a file");
	if (make_folder(path, e) < 0)
		return e->code;
	struct safefile sf;
	if (safefile_open(&sf, path, SAFEFILE_REPLACE, e) < 0)
		return e->code;
	fprintf(sf.f, "%s\n", hash);
	return safefile_commit(&sf, e);
}

int passphrase_set(const char *path, const char *pass, size_t len, struct err *e)
{
	if (check_text(pass, len, e) < 0 || crypto_ready(e) < 0)
		return e->code;
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(hash, pass, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(e, ERR_FAIL, "cannot hash the passphrase (out of memory: it needs %d MiB)",
		               (int)(crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20));
	int rc = write_hash(path, hash, e);
	passphrase_wipe(hash, sizeof hash);
	return rc;
}

int passphrase_is_set(const char *path, struct err *e)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = read_hash(path, hash, e);
	passphrase_wipe(hash, sizeof hash);
	return rc;
}

int passphrase_check(const char *path, const char *pass, size_t len, struct err *e)
{
	if (crypto_ready(e) < 0)
		return e->code;
	char hash[crypto_pwhash_STRBYTES];
	int rc = read_hash(path, hash, e);
	if (rc == 0)
		rc = err_set(e, ERR_NOTFOUND, "no passphrase is set");
	else if (rc == 1)
		rc = crypto_pwhash_str_verify(hash, pass, len) == 0;
	passphrase_wipe(hash, sizeof hash);
	return rc;
}

int passphrase_clear(const char *path, struct err *e)
{
	if (unlink(path) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	return err_set(e, ERR_FAIL, "cannot remove %s: %s", path, strerror(errno));
}
