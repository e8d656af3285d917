/* html: escaping and the page frame for the pages caseload writes. */
#include <stdlib.h>

#include "caseload/html.h"
#include "caseload/text.h"

void html_text(struct buf *b, const char *s)
{
	if (!s)
		return;
	struct buf clean = {0};
	text_sanitize_into(&clean, s, false);
	buf_add(b, "");
	for (const char *p = clean.s; p && *p; p++)
		switch (*p) {
		case '&': buf_add(b, "&amp;"); break;
		case '<': buf_add(b, "&lt;"); break;
		case '>': buf_add(b, "&gt;"); break;
		case '"': buf_add(b, "&quot;"); break;
		case '\'': buf_add(b, "&#39;"); break;
		default: buf_addc(b, *p);
		}
	buf_free(&clean);
}

void html_text_cut(struct buf *b, const char *s, int width)
{
	if (!s)
		return;
	struct buf clean = {0}, cut = {0};
	text_sanitize_into(&clean, s, false);
	text_fit(&cut, clean.s, width, false);
	html_text(b, cut.s);
	buf_free(&cut);
	buf_free(&clean);
}

char *html_escape(const char *s)
{
	struct buf b = {0};
	buf_add(&b, "");
	html_text(&b, s);
	return buf_steal(&b);
}

/* Large print that a phone shows in one column and a printer puts on
 * paper: the size and margins fit both A4 (210 mm wide) and Letter
 * (279 mm tall), whichever the printer has. */
static const char base_css[] =
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0 auto;padding:1rem;max-width:40rem;font-family:Verdana,\"DejaVu Sans\","
	"Arial,sans-serif;font-size:16pt;line-height:1.3;color:#000;background:#fff}\n"
	"h1{font-size:22pt;margin:0 0 .3em}\n"
	"h2{font-size:17pt;margin:.7em 0 .2em;border-bottom:2px solid #000}\n"
	"ul{margin:0;padding-left:1.1em}\n"
	"li{margin:.15em 0}\n"
	"p{margin:.2em 0}\n"
	"@page{margin:8mm 10mm}\n"
	"@media print{body{max-width:none;padding:0;line-height:1.2}h1{font-size:18pt}"
	"h2{font-size:16pt;margin:.3em 0 .1em;break-after:avoid}li{margin:0;break-inside:avoid}}\n";

void html_head(struct buf *b, const char *lang, const char *title, const char *css)
{
	buf_add(b, "<!DOCTYPE html>\n<html lang=\"");
	html_text(b, lang && *lang ? lang : "en");
	buf_add(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	           "<title>");
	html_text(b, title);
	buf_add(b, "</title>\n<style>\n");
	buf_add(b, base_css);
	if (css)
		buf_add(b, css);
	buf_add(b, "</style>\n</head>\n<body>\n");
}

void html_tail(struct buf *b)
{
	buf_add(b, "</body>\n</html>\n");
}
