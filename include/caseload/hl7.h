/* hl7: a reader of HL7 version 2 messages (the ADT feeds hospitals send).
 * A message is segments ended by CR (LF and CRLF are accepted too); its
 * MSH segment names the separators: the field separator (MSH-1) and the
 * encoding characters (MSH-2: component, repetition, escape,
 * subcomponent, and in version 2.7 a truncation character, ignored).
 * A file holds one message or many; MLLP framing (VT before a message,
 * FS CR after it) is tolerated, and batch envelopes (FHS, BHS, BTS, FTS
 * segments) are skipped.  Values come decoded: \F\ \S\ \T\ \R\ \E\ are the
 * separators and the escape character, \Xhh..\ bytes in hexadecimal,
 * \.br\ a line break, \H\ and \N\ (highlighting on and off) nothing; any
 * other escape sequence is refused, as is text that is not UTF-8 or holds
 * a control character.  Errors name the segment and field ("PID-7: ...").
 * Nothing here knows about patients or the store. */
#ifndef CASELOAD_HL7_H
#define CASELOAD_HL7_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "caseload/err.h"
#include "caseload/util.h"

#define HL7_MAX_SEGMENT ((size_t)64 * 1024)     /* bytes: a longer segment is refused */
#define HL7_MAX_MESSAGE ((size_t)1024 * 1024)   /* bytes: a longer message is refused */
#define HL7_MAX_SEGMENTS 1000           /* segments in one message */

/* HL7 table 0357, the error codes an acknowledgement gives. */
enum hl7_code {
	HL7_SEGMENT_ERROR = 100,            /* segment sequence error */
	HL7_REQUIRED_MISSING = 101,
	HL7_DATA_TYPE_ERROR = 102,
	HL7_TABLE_VALUE = 103,              /* a value not in its table */
	HL7_UNSUPPORTED_TYPE = 200,         /* unsupported message type */
	HL7_UNSUPPORTED_EVENT = 201,        /* unsupported event code */
	HL7_INTERNAL_ERROR = 207,           /* application internal error */
};

struct hl7_seg {
	char name[4];
	size_t off, len;                    /* its text in the message's raw */
};

struct hl7_msg {
	char *raw;                          /* the segments, each ended by CR */
	size_t len;
	char fs, cs, rs, ec, ss;            /* field, component, repetition, escape,
	                                       subcomponent separators */
	struct hl7_seg *segs;
	size_t nseg, cap;
	long ordinal;                       /* 1: the input's first message */
	bool mllp;                          /* it came in an MLLP frame */
	/* Where a refusal is (for the acknowledgement's ERR segment): the
	 * segment's name ("" when none), its field (0: the segment), and the
	 * HL7 error code. */
	char err_seg[4];
	int err_field;
	enum hl7_code err_code;
};

/* Parse one message (len bytes, segments ended by CR, LF or CRLF) into m
 * (empty: zeroed or freed; its ordinal and mllp are kept): 0, or
 * ERR_USAGE with e saying where ("PID-5: byte 3 is not valid UTF-8") and
 * m's err_ fields set; m is to be freed either way. */
int hl7_parse(const char *text, size_t len, struct hl7_msg *m, struct err *e);
void hl7_msg_free(struct hl7_msg *m);

/* The messages of a stream, one at a time (memory bounded by
 * HL7_MAX_MESSAGE whatever the stream's length). */
struct hl7_reader {
	FILE *f;
	long ordinal;                       /* messages begun */
	struct buf pending;                 /* the next message's MSH, read ahead */
	bool have_pending, eof, mllp;
};
void hl7_reader_init(struct hl7_reader *r, FILE *f);
void hl7_reader_free(struct hl7_reader *r);
/* The next message: 1 and m filled; 0 at the end of the stream; ERR_USAGE
 * when this message is refused (e says where, m->ordinal is set, and so
 * are its separators and segments when its MSH could be read): the
 * reader is then past it, and the next call reads the one after it.
 * ERR_FAIL when the stream cannot be read.  m is freed first. */
int hl7_next(struct hl7_reader *r, struct hl7_msg *m, struct err *e);

/* The nth (1-based) segment named `name`, or NULL. */
const struct hl7_seg *hl7_segment(const struct hl7_msg *m, const char *name, int nth);
/* The decoded value of field `field` of seg (1-based: MSH-1 is the field
 * separator, MSH-2 the encoding characters, neither split nor decoded),
 * its repetition rep, component comp, subcomponent sub (1-based; sub 0:
 * the whole component).  NULL when absent or empty; caller frees. */
char *hl7_value(const struct hl7_msg *m, const struct hl7_seg *seg, int field, int rep,
                int comp, int sub);
/* How many repetitions field `field` of seg has (0: absent or empty). */
int hl7_reps(const struct hl7_msg *m, const struct hl7_seg *seg, int field);
/* The raw (encoded) text of a field, for copying it into a reply; NULL
 * when absent.  Caller frees. */
char *hl7_raw_field(const struct hl7_msg *m, const struct hl7_seg *seg, int field);

/* Every non-empty value of the message in order, each with its place
 * (segment, the segment's ordinal among those with its name, field,
 * repetition, component, subcomponent: 1-based).  A negative return of
 * fn stops the walk and is returned. */
typedef int hl7_leaf_fn(void *ctx, const char *seg, int seq, int field, int rep, int comp,
                        int sub, const char *value);
int hl7_each(const struct hl7_msg *m, hl7_leaf_fn *fn, void *ctx);

/* Append s to b escaped for m's separators (\F\ for a field separator,
 * ...; a line break as \.br\). */
void hl7_escape_into(struct buf *b, const struct hl7_msg *m, const char *s);

#endif
