/* store_adt: the HL7 v2 ADT messages received (adt_message), by their
 * control id (MSH-10).  Lists own their strings. */
#ifndef CASELOAD_STORE_ADT_H
#define CASELOAD_STORE_ADT_H
#include <stdbool.h>
#include "caseload/err.h"
#include "caseload/model.h"

struct store;

struct adt_message {
	long long id;
	const char *control_id;          /* MSH-10 */
	long long received;        /* UTC instant */
	const char *type;                /* the event: A01, A03, A04, A08 */
	const char *mrn, *dob;           /* as the message names the patient */
	const char *state;               /* matched, unmatched, done, dropped */
	long long patient_id;      /* 0: none */
	long long entry_id;        /* the timeline entry it made; 0: none */
	const char *raw;                 /* the message (segments ended by CR): only
	                              while unmatched */
	long long version;
};
LIST_OF(adt_message, adt_message_list);
void adt_message_clear(struct adt_message *m);
void adt_message_list_free(struct adt_message_list *l);

/* Add a message's row (audited; m->id set); ERR_CONFLICT when its
 * control id is there already. */
int store_adt_add(struct store *s, struct adt_message *m, struct err *e);
/* The message with this control id: 0, or ERR_NOTFOUND quietly (e
 * untouched). */
int store_adt_find(struct store *s, const char *control_id, struct adt_message *out,
                   struct err *e);
/* The message with this id (ERR_NOTFOUND "no ADT message with id N"). */
int store_adt_get(struct store *s, long long id, struct adt_message *out, struct err *e);
/* An unmatched message settled: state done (patient_id, entry_id set) or
 * dropped; its text is forgotten (and, dropped, the MRN and date of
 * birth too).  ERR_CONFLICT when it is no longer unmatched. */
int store_adt_settle(struct store *s, long long id, const char *state, long long patient_id,
                     long long entry_id, struct err *e);
/* How many messages wait for a patient (unmatched). */
int store_adt_waiting(struct store *s, long long *n, struct err *e);
/* Every message, newest first, or only the unmatched ones (oldest first:
 * the order to work them). */
int store_adt_list(struct store *s, bool unmatched_only, struct adt_message_list *out,
                   struct err *e);

#endif
