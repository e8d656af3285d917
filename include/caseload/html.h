/* html: the basics of a page caseload writes for people to read or print
 * (the patient's handout, a call sheet): text escaped for HTML with
 * control characters removed, and a self-contained HTML5 head (inline
 * CSS for large print, a phone's width and paper: no scripts, nothing
 * fetched from the network) and tail.  Pages are built in a struct buf. */
#ifndef CASELOAD_HTML_H
#define CASELOAD_HTML_H
#include "caseload/util.h"

/* Append s to b as HTML text, safe in an element or a quoted attribute:
 * & < > " ' become character references; control characters, escape
 * sequences and bidirectional overrides are removed, tabs and newlines
 * become one space, invalid UTF-8 becomes U+FFFD (text_sanitize_into).
 * NULL appends nothing. */
void html_text(struct buf *b, const char *s);
/* html_text of s cut to at most `width` columns (text_fit: a cut ends in
 * "…"): the page keeps its length whatever the database holds. */
void html_text_cut(struct buf *b, const char *s, int width);
/* A new escaped copy (caller frees). */
char *html_escape(const char *s);
/* "<!DOCTYPE html>" up to the open <body>: lang (a BCP 47 tag, "en",
 * "es"), the title (escaped), the viewport for phones, and the style:
 * the base large-print style (16pt body, black on white, one column, at
 * most a phone's width on a screen, @page margins for A4 and Letter,
 * print colours), then `css` (the page's own rules, trusted text; may be
 * NULL). */
void html_head(struct buf *b, const char *lang, const char *title, const char *css);
/* Close the body and the document. */
void html_tail(struct buf *b);

#endif
