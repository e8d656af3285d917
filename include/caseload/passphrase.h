/* passphrase: the screen lock's passphrase.  It is kept per user, not in
 * the database: an Argon2id hash (libsodium's crypto_pwhash_str, at its
 * INTERACTIVE limits: 2 passes over 64 MiB, a tenth of a second or so) in
 * the file $XDG_CONFIG_HOME/caseload/passphrase, mode 0600.  The
 * passphrase itself is never stored or logged; whoever holds a copy wipes
 * it with passphrase_wipe. */
#ifndef CASELOAD_PASSPHRASE_H
#define CASELOAD_PASSPHRASE_H
#include <stddef.h>

#include "caseload/err.h"

/* Shorter is refused (NIST SP 800-63B's minimum); longer too. */
enum { PASSPHRASE_MIN = 8, PASSPHRASE_MAX = 1024 };

/* The file: config_dir()/passphrase (the caller frees it). */
char *passphrase_path(void);
/* Hash pass (len bytes: at least PASSPHRASE_MIN characters, at most
 * PASSPHRASE_MAX bytes, no control characters) and write the hash to
 * path: a temporary file 0600 beside it, synced, renamed over it (the
 * folder made 0700 when missing).  A symbolic link or anything but a file
 * at path is refused.  0, or an error that changed nothing. */
int passphrase_set(const char *path, const char *pass, size_t len, struct err *e);
/* 1 when a passphrase is set, 0 when none is; ERR_FAIL when the file is
 * there but cannot be used (a symbolic link, writable by others, not a
 * hash), saying which. */
int passphrase_is_set(const char *path, struct err *e);
/* 1 when pass matches the hash in path, 0 when it does not; ERR_NOTFOUND
 * when no passphrase is set, ERR_FAIL as passphrase_is_set. */
int passphrase_check(const char *path, const char *pass, size_t len, struct err *e);
/* Remove it: 1 removed, 0 there was none, or an error. */
int passphrase_clear(const char *path, struct err *e);
/* Overwrite n bytes with zeros in a way the compiler cannot drop. */
void passphrase_wipe(void *p, size_t n);

#endif
