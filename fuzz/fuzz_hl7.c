/* fuzz_hl7: HL7 v2 ADT messages, the whole path a feed takes: the
 * reader (hl7_next over the input as a stream) and adt_import_stream as
 * a dry run into a scratch database holding one patient (MRN 1005, born
 * 1950-01-31), so that matching has someone to find, with the
 * acknowledgements built.  Checks: every message counted once in the
 * summary; a refusal has a message; each message's values come out
 * without control characters other than line breaks and tabs; an ACK
 * begins with MSH (or VT MSH) and its segments end with CR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/adt.h"
#include "caseload/hl7.h"
#include "caseload/store.h"
#include "harness.h"

static struct store *store;

static void close_store(void)
{
	store_close(&store);
}

static void open_store(void)
{
	struct err e = {0};
	struct store_opts o = {.user = "fuzz"};
	struct patient p = {.family = "Doe", .given = "Jane", .dob = "1950-01-31", .mrn = "1005",
	                    .risk = "high"};
	if (store_open(&store, fuzz_path("hl7.db"), &o, &e) < 0 ||
	    store_patient_add(store, &p, &e) < 0)
		fuzz_fail("cannot set up the scratch store", e.msg);
	atexit(close_store);
}

static int check_leaf(void *ctx, const char *seg, int seq, int field, int rep, int comp,
                      int sub, const char *value)
{
	(void)ctx, (void)seq, (void)rep, (void)comp, (void)sub;
	if (strlen(seg) != 3 || field < 1 || !*value)
		fuzz_fail("a value without its place, or empty", value);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if ((*p < ' ' && *p != '\n' && *p != '\t') || *p == 0x7f)
			fuzz_fail("a control character in a value", value);
	return 0;
}

static void check_ack(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	const char *p = len && text[0] == 0x0b ? text + 1 : text;
	if (strncmp(p, "MSH", 3) != 0 || len < 2 || !memchr(text, '\r', len))
		fuzz_fail("an acknowledgement that is not a message", text);
	if (strlen(text) != len)
		fuzz_fail("a NUL byte in an acknowledgement", text);
}

static long long refusals;

static void count_refused(void *ctx, const char *why)
{
	(void)ctx;
	if (!*why)
		fuzz_fail("a refusal without a message", NULL);
	refusals++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!store)
		open_store();
	char *text = xmalloc(size + 1);   /* fmemopen wants it writable */
	memcpy(text, data, size);
	text[size] = '\0';

	FILE *in = fmemopen(text, size ? size : 1, "r");
	if (!in)
		fuzz_fail("fmemopen", NULL);
	struct hl7_reader r;
	struct hl7_msg m = {0};
	struct err e = {0};
	int rc;
	long read = 0;
	hl7_reader_init(&r, in);
	while ((rc = hl7_next(&r, &m, &e)) != 0 && rc != ERR_FAIL) {
		read++;
		if (rc < 0 && !*e.msg)
			fuzz_fail("a refused message without a message", NULL);
		if (rc > 0)
			hl7_each(&m, check_leaf, NULL);
		err_clear(&e);
	}
	hl7_msg_free(&m);
	hl7_reader_free(&r);
	fclose(in);

	in = fmemopen(text, size ? size : 1, "r");
	if (!in)
		fuzz_fail("fmemopen", NULL);
	refusals = 0;
	struct adt_opts o = {.zone = "America/New_York", .now = 1795000000, .dry_run = true,
	                     .ack = check_ack, .refused = count_refused};
	struct adt_summary sum;
	rc = adt_import_stream(store, in, &o, &sum, NULL, &e);
	fclose(in);
	if (rc == 0 && (sum.messages != read ||
	                sum.messages != sum.applied + sum.unmatched + sum.duplicates + sum.refused ||
	                sum.refused != refusals))
		fuzz_fail("a message counted other than once", NULL);
	free(text);
	return 0;
}
