/* adt: HL7 v2 ADT messages into caseload (issue 15): an admission (A01)
 * or a discharge (A03) on the timeline of the patient the message names
 * by MRN (PID-3) and date of birth (PID-7), the same use cases as a
 * coordinator's (a discharge starts the transitional-care clocks the
 * review watches); a registration or update (A04, A08) writes the
 * patient's phone and address when it carries them.  A message whose
 * patient is not found waits (adt_message, state unmatched) until a
 * coordinator names the patient or drops it.  Each message is one
 * transaction, and is applied once however often it is sent (by its
 * control id, MSH-10). */
#ifndef CASELOAD_ADT_H
#define CASELOAD_ADT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "caseload/change.h"
#include "caseload/err.h"

struct store;

struct adt_opts {
	const char *zone;          /* the zone of timestamps without an offset */
	long long now;             /* when received (UTC) */
	bool dry_run;              /* read, check and match everything, keep nothing */
	/* Each message's acknowledgement, when set: segments ended by CR,
	 * in an MLLP frame when the input was framed. */
	void (*ack)(void *ctx, const char *text, size_t len);
	/* Each refused message: "message 3 (MSG00042): PID-7: '1950131' is
	 * not a date". */
	void (*refused)(void *ctx, const char *why);
	void *ctx;
};

struct adt_summary {
	long long messages, applied, unmatched, duplicates, refused;
};

/* Import every message of f.  Returns 0 when the stream was read to its
 * end (refused messages are counted, and reported through o->refused),
 * negative when it could not be read. */
int adt_import_stream(struct store *s, FILE *f, const struct adt_opts *o,
                      struct adt_summary *sum, struct change *ch, struct err *e);
/* "5 messages: 2 applied, 1 unmatched, 1 duplicate, 1 refused" into out. */
void adt_summary_format(const struct adt_summary *sum, bool dry_run, char *out, size_t size);

/* Apply unmatched message id to patient_id (a coordinator's choice: the
 * date of birth is not compared); its text is then forgotten.  Sets
 * *entry_id to the timeline entry made (0: none). */
int adt_match(struct store *s, long long id, long long patient_id, const char *zone,
              long long *entry_id, struct change *ch, struct err *e);
/* Drop unmatched message id: its text, MRN and date of birth are
 * forgotten; its control id stays (a resend is a duplicate). */
int adt_drop(struct store *s, long long id, struct change *ch, struct err *e);

/* What a waiting message says of its patient and place, for a
 * coordinator choosing whom it is about: the name of PID-5 ("Doe, Jane")
 * and the facility of PV1-3, each NULL when the message has none (or its
 * text is gone).  Caller frees both. */
struct adt_message;
void adt_message_about(const struct adt_message *m, char **name, char **facility);
/* An event in words: "discharge" for A03 (the events handled); another
 * type as it is. */
const char *adt_event_words(const char *type);
/* Where a discharged patient went, from PV1-36 (HL7 table 0112, the
 * UB-04 codes): a DISCHARGE_DISPOSITION code; "other" for a code not
 * mapped; NULL for none. */
const char *adt_disposition(const char *code);

#endif
