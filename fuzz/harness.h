/* harness: what the fuzz harnesses share.  Each fuzz_NAME.c defines
 * LLVMFuzzerTestOneInput for one reader of outside data; libFuzzer calls
 * it with generated inputs (make fuzz), replay.c with saved ones (make
 * check).  See fuzz/README.md. */
#ifndef CASELOAD_FUZZ_HARNESS_H
#define CASELOAD_FUZZ_HARNESS_H
#include <stddef.h>
#include <stdint.h>

/* The entry point libFuzzer and replay.c call: 0, whatever the input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (it ends at its first NUL, as text from argv or
 * a form would); caller frees. */
char *fuzz_cstr(const uint8_t *data, size_t size);
/* A path named `name` in a private temporary directory, made on the
 * first call and removed (with what is in it) at exit. */
const char *fuzz_path(const char *name);
/* A broken promise: print it and abort, which both drivers report as a
 * crash with the input that caused it. */
void fuzz_fail(const char *what, const char *detail) __attribute__((noreturn));

#endif
