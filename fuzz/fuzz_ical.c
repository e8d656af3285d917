/* fuzz_ical: the iCalendar import, the whole path a file takes
 * (ical_import_stream: the reader, libical, zones, matching, the store)
 * as a dry run into a scratch database that holds one patient, so that
 * ATTENDEE matching has someone to find.  Checks the summary's promise:
 * every VEVENT counted once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/ical.h"
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
	struct patient p = {.family = "Doe", .given = "Jane", .email = "jane.doe@example.org",
	                    .mrn = "MRN-1", .risk = "high"};
	if (store_open(&store, fuzz_path("ical.db"), &o, &e) < 0 ||
	    store_patient_add(store, &p, &e) < 0)
		fuzz_fail("cannot set up the scratch store", e.msg);
	atexit(close_store);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!store)
		open_store();
	char *text = fuzz_cstr(data, size);     /* a copy: fmemopen wants it writable */
	FILE *in = fmemopen(text, size, "r");
	if (!in)
		fuzz_fail("fmemopen", NULL);
	struct ical_import_opts o = {.dry_run = true, .zone = "America/New_York",
	                             .now = 1795000000};
	struct ical_summary sum = {0};
	struct err e = {0};
	int rc = ical_import_stream(store, in, "fuzz.ics", &o, &sum, NULL, &e);
	fclose(in);
	if (rc == 0) {
		if (sum.events != sum.added + sum.updated + sum.unchanged + sum.cancelled + sum.skipped)
			fuzz_fail("an event counted other than once", NULL);
		struct buf out = {0};
		ical_summary_format(&sum, "fuzz.ics", true, &out);
		buf_free(&out);
	} else if (!*e.msg) {
		fuzz_fail("a refusal without a message", NULL);
	}
	ical_summary_free(&sum);
	free(text);
	return 0;
}
