/* handout: the patient's page, gathered from the chart and written as
 * HTML in the patient's language.  The words are a table compiled in
 * (one column per language: adding one is adding a column and a line to
 * langs[]); dates and the names of days and months come from ICU's
 * patterns for the language, so no calendar vocabulary is kept here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ustring.h>

#include "caseload/chart.h"
#include "caseload/handout.h"
#include "caseload/html.h"
#include "caseload/safefile.h"
#include "caseload/store.h"
#include "caseload/store_team.h"
#include "caseload/text.h"
#include "caseload/tz.h"

enum msg {
	M_TITLE, M_MADE, M_APPTS, M_NO_APPTS, M_WITH, M_RIDE_NEEDED, M_RIDE_ARRANGED,
	M_RIDE_CONFIRMED, M_MEDS, M_NO_MEDS, M_REFILL, M_CALL, M_COORDINATOR, M_STEPS,
	M_NO_STEPS, M_NO_CALLS, M_BY, M_OF, M_ALL_DAY, M_FOOT, M_N
};

enum lang { LANG_EN, LANG_ES, LANG_N };

static const struct {
	const char *code;          /* the page's lang attribute */
	const char *locale;        /* ICU's */
	const char *name;          /* for people, in English */
	const char *names;         /* what a preferred language may say: space-separated */
} langs[LANG_N] = {
	[LANG_EN] = {"en", "en_US", "English", "en eng english"},
	[LANG_ES] = {"es", "es", "Spanish", "es spa spanish español espanol castellano"},
};

static const char *const words[LANG_N][M_N] = {
	[LANG_EN] = {
		[M_TITLE] = "Your care plan",
		[M_MADE] = "Made by your care team on",
		[M_APPTS] = "Your appointments",
		[M_NO_APPTS] = "No appointments in the next two months.",
		[M_WITH] = "with",
		[M_RIDE_NEEDED] = "Ride: we are arranging it",
		[M_RIDE_ARRANGED] = "Ride: arranged",
		[M_RIDE_CONFIRMED] = "Ride: confirmed",
		[M_MEDS] = "Your medicines",
		[M_NO_MEDS] = "No medicines on record.",
		[M_REFILL] = "next refill",
		[M_CALL] = "Who to call",
		[M_COORDINATOR] = "Your care coordinator",
		[M_STEPS] = "Your next steps",
		[M_NO_STEPS] = "Your care team will talk with you about your next steps.",
		[M_BY] = "by",
		[M_NO_CALLS] = "Ask your care team for the numbers to call.",
		[M_OF] = "of",
		[M_ALL_DAY] = "all day",
		[M_FOOT] = "Questions? Call your care coordinator. Emergencies: call 911.",
	},
	[LANG_ES] = {
		[M_TITLE] = "Su plan de atención",
		[M_MADE] = "Preparado por su equipo de atención el",
		[M_APPTS] = "Sus citas",
		[M_NO_APPTS] = "No tiene citas en los próximos dos meses.",
		[M_WITH] = "con",
		[M_RIDE_NEEDED] = "Transporte: lo estamos organizando",
		[M_RIDE_ARRANGED] = "Transporte: organizado",
		[M_RIDE_CONFIRMED] = "Transporte: confirmado",
		[M_MEDS] = "Sus medicamentos",
		[M_NO_MEDS] = "No hay medicamentos registrados.",
		[M_REFILL] = "próximo surtido",
		[M_CALL] = "A quién llamar",
		[M_COORDINATOR] = "Su coordinador de atención",
		[M_STEPS] = "Sus próximos pasos",
		[M_NO_STEPS] = "Su equipo de atención hablará con usted sobre sus próximos pasos.",
		[M_BY] = "para el",
		[M_NO_CALLS] = "Pida a su equipo de atención los números a los que llamar.",
		[M_OF] = "de",
		[M_ALL_DAY] = "todo el día",
		[M_FOOT] = "¿Preguntas? Llame a su coordinador. Emergencias: llame al 911.",
	},
};

/* One sheet whatever the record holds: each section lists items while
 * they fit its share of the page, counted in printed lines of LINE_COLS
 * columns (16 points across A4's or Letter's width, less than a line
 * holds: words wrap), and at most HANDOUT_MAX_* of them; a text from the
 * database longer than its CUT_ (columns) is cut there, ending in "…",
 * so that no one item takes a section's whole share. */
enum { LINE_COLS = 54 };
enum { LINES_APPTS = 9, LINES_MEDS = 8, LINES_CALLS = 5, LINES_STEPS = 6 };
enum { CUT_APPT = 90, CUT_MED = 40, CUT_DOSE = 30, CUT_NAME = 30, CUT_ROLE = 20, CUT_STEP = 90,
       CUT_PHONE = 24, CUT_TITLE = 48 };

/* The page's own rules, after html.h's base style. */
static const char page_css[] =
	".made{font-size:13pt}\n"
	".of{font-weight:normal}\n"
	".tel{white-space:nowrap}\n"
	".none{font-style:italic;list-style:none}\n"
	".foot{margin-top:.8em;font-size:13pt}\n";

static int lang_index(const char *code)
{
	for (int i = 0; i < LANG_N; i++)
		if (!strcmp(langs[i].code, code))
			return i;
	return -1;
}

const char *handout_lang(const char *preferred)
{
	if (!preferred)
		return langs[LANG_EN].code;
	while (*preferred == ' ')
		preferred++;
	if (!*preferred)
		return langs[LANG_EN].code;
	/* the primary subtag or the first word: "es-MX", "Spanish (Mexico)" */
	size_t n = strcspn(preferred, "-_ (,;/");
	for (int i = 0; i < LANG_N; i++) {
		const char *w = langs[i].names;
		while (*w) {
			size_t k = strcspn(w, " ");
			if (k == n && !strncasecmp(w, preferred, n))
				return langs[i].code;
			w += k + (w[k] == ' ');
		}
	}
	return NULL;
}

/* ---- dates for people, by ICU ---- */

struct dates {
	UDateFormat *day, *date, *day_time;   /* NULL: ICU could not: ISO text instead */
};
/* put_date's minutes when there is no time of day: the date with its
 * weekday ("Monday, December 7, 2026"), or without (a refill's). */
enum { WITH_WEEKDAY = -1, PLAIN_DATE = -2 };

static UDateFormat *open_format(const char *locale, const char *skeleton)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar skel[32], pat[128], utc[8];
	u_uastrcpy(skel, skeleton);
	u_uastrcpy(utc, "UTC");
	UDateTimePatternGenerator *g = udatpg_open(locale, &st);
	int32_t len = U_SUCCESS(st) ? udatpg_getBestPattern(g, skel, -1, pat, 128, &st) : 0;
	udatpg_close(g);
	if (U_FAILURE(st) || len <= 0 || len >= 128)
		return NULL;
	/* the civil date and time are worked out by tz.h (the zones every
	 * other screen uses) and handed to ICU as that time in UTC */
	UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, utc, -1, pat, len, &st);
	if (U_FAILURE(st)) {
		udat_close(f);
		return NULL;
	}
	return f;
}

static void dates_open(struct dates *d, enum lang l)
{
	d->day = open_format(langs[l].locale, "EEEEdMMMMy");
	d->date = open_format(langs[l].locale, "dMMMMy");
	d->day_time = open_format(langs[l].locale, "EEEEdMMMMyjmm");
}

static void dates_close(struct dates *d)
{
	if (d->day)
		udat_close(d->day);
	if (d->date)
		udat_close(d->date);
	if (d->day_time)
		udat_close(d->day_time);
}

/* Day and minutes after midnight (or WITH_WEEKDAY, PLAIN_DATE) as the
 * language writes it, escaped into b. */
static void put_date(struct buf *b, const struct dates *d, int day, int minutes)
{
	UDateFormat *f = minutes == WITH_WEEKDAY ? d->day : minutes < 0 ? d->date : d->day_time;
	UChar u[160];
	char s[480];
	UErrorCode st = U_ZERO_ERROR;
	if (f) {
		UDate when = ((double)date_utc_midnight(day) + (minutes < 0 ? 0 : minutes) * 60.0) * 1000.0;
		udat_format(f, when, u, 160, NULL, &st);
		if (U_SUCCESS(st))
			u_strToUTF8(s, (int32_t)sizeof s, NULL, u, -1, &st);
	}
	if (!f || U_FAILURE(st)) {
		char iso[DATE_STRLEN];
		if (minutes < 0)
			snprintf(s, sizeof s, "%s", date_format(day, iso));
		else
			snprintf(s, sizeof s, "%s %02d:%02d", date_format(day, iso), minutes / 60,
			         minutes % 60);
	}
	html_text(b, s);
}

/* ---- the page ---- */

struct page {
	struct buf *b;
	const char *const *w;      /* the language's words */
	struct dates dates;
	const struct handout_req *rq;
	struct handout_result *res;
};

/* The items of a section as they are added, and what they take. */
struct listing {
	struct buf items;          /* HTML */
	size_t shown, total;
	int lines;                 /* printed lines the shown ones take */
	int budget;                /* the section's share of the page */
	size_t max;                /* HANDOUT_MAX_* */
	bool full;                 /* an item did not fit: the later ones neither */
};

/* The printed lines one item's HTML takes: its text (tags left out, a
 * character reference one column) over LINE_COLS, rounded up. */
static int item_lines(const char *html)
{
	struct buf text = {0};
	buf_add(&text, "");
	for (const char *p = html; *p;) {
		if (*p == '<' || *p == '&') {
			if (*p == '&')
				buf_addc(&text, 'x');
			const char *end = strchr(p, *p == '<' ? '>' : ';');
			p = end ? end + 1 : p + strlen(p);
		} else
			buf_addc(&text, *p++);
	}
	int w = text_width(text.s);
	buf_free(&text);
	return w / LINE_COLS + 1;
}

/* Count an item and list it when it still fits (one is rendered in full
 * first; it is taken over or reset). */
static void listing_add(struct listing *l, struct buf *one)
{
	l->total++;
	int need = item_lines(one->s);
	if (!l->full && l->shown < l->max && l->lines + need <= l->budget) {
		buf_add(&l->items, one->s);
		l->shown++;
		l->lines += need;
	} else
		l->full = true;
	buf_reset(one);
}

/* A section: its heading ("Your medicines (5 of 12)" when the page lists
 * only some), then the items listed, or `none` alone; releases l. */
static void section(struct page *pg, enum msg title, struct listing *l, enum msg none)
{
	buf_addf(pg->b, "<h2>%s", pg->w[title]);
	if (l->shown < l->total)
		buf_addf(pg->b, " <span class=\"of\">(%zu %s %zu)</span>", l->shown, pg->w[M_OF],
		         l->total);
	buf_add(pg->b, "</h2>\n<ul>\n");
	if (l->items.len)
		buf_add(pg->b, l->items.s);
	else
		buf_addf(pg->b, "<li class=\"none\">%s</li>\n", pg->w[none]);
	buf_add(pg->b, "</ul>\n");
	buf_free(&l->items);
}

static const struct contact *team_member(const struct chart *c, long long id)
{
	for (size_t i = 0; id && i < c->team.len; i++)
		if (c->team.items[i].id == id)
			return &c->team.items[i];
	return NULL;
}

static const char *ride_words(const struct page *pg, const char *transport)
{
	switch (code_find(&TRANSPORT, transport)) {
	case TRANSPORT_NEEDED: return pg->w[M_RIDE_NEEDED];
	case TRANSPORT_ARRANGED: return pg->w[M_RIDE_ARRANGED];
	case TRANSPORT_CONFIRMED: return pg->w[M_RIDE_CONFIRMED];
	default: return NULL;
	}
}

static void appointment(struct page *pg, struct buf *b, const struct chart *c,
                        const struct occurrence *o)
{
	const struct appointment *a = o->appt;
	buf_add(b, "<li class=\"appt\"><b>");
	if (a->all_day) {
		put_date(b, &pg->dates, date_of_utc(o->start), WITH_WEEKDAY);
		buf_addf(b, " (%s)", pg->w[M_ALL_DAY]);
	} else {
		/* the appointment's own zone, else the coordinator's */
		const char *zone = a->tzid && tz_known(a->tzid) ? a->tzid : pg->rq->zone;
		int day, minutes;
		struct err ignore = {0};
		if (tz_utc_to_local(zone, o->start, &day, &minutes, &ignore) < 0)
			day = date_of_utc(o->start), minutes = (int)((o->start - date_utc_midnight(day)) / 60);
		put_date(b, &pg->dates, day, minutes);
	}
	buf_add(b, "</b>: ");
	/* what, with whom, where: cut as one so that the page keeps its size */
	struct buf what = {0};
	buf_add(&what, a->title ? a->title : "");
	const struct contact *who = team_member(c, a->provider_id);
	if (who)
		buf_addf(&what, " %s %s", pg->w[M_WITH], who->name);
	if (a->location && *a->location)
		buf_addf(&what, " — %s", a->location);
	html_text_cut(b, what.s, CUT_APPT);
	buf_free(&what);
	const char *ride = ride_words(pg, a->transport);
	if (ride)
		buf_addf(b, ". %s", ride);
	buf_add(b, "</li>\n");
}

static void appointments(struct page *pg, const struct chart *c)
{
	long long until = pg->rq->now + HANDOUT_AHEAD_DAYS * (long long)DAY_SECONDS;
	struct listing l = {.budget = LINES_APPTS, .max = HANDOUT_MAX_APPTS};
	struct buf one = {0};
	for (size_t i = 0; i < c->upcoming.len; i++) {
		const struct occurrence *o = &c->upcoming.items[i];
		if (o->start < pg->rq->now || o->start >= until || appt_status_gone(o->appt->status))
			continue;
		appointment(pg, &one, c, o);
		listing_add(&l, &one);
	}
	buf_free(&one);
	pg->res->appointments = l.shown;
	section(pg, M_APPTS, &l, M_NO_APPTS);
}

static void medication(struct page *pg, struct buf *b, const struct medication *m)
{
	buf_add(b, "<li><b>");
	html_text_cut(b, m->name, CUT_MED);
	buf_add(b, "</b>");
	if (m->dose && *m->dose) {
		buf_addc(b, ' ');
		html_text_cut(b, m->dose, CUT_DOSE);
	}
	int due;
	if (m->refill_due && date_parse_iso(m->refill_due, &due) == 0) {
		buf_addf(b, " — %s: ", pg->w[M_REFILL]);
		put_date(b, &pg->dates, due, PLAIN_DATE);
	}
	buf_add(b, "</li>\n");
}

static void medications(struct page *pg, const struct chart *c)
{
	struct listing l = {.budget = LINES_MEDS, .max = HANDOUT_MAX_MEDS};
	struct buf one = {0};
	for (size_t i = 0; i < c->meds.len; i++) {
		const struct medication *m = &c->meds.items[i];
		if (code_find(&MED_STATUS, m->status) != MED_ACTIVE)
			continue;
		medication(pg, &one, m);
		listing_add(&l, &one);
	}
	buf_free(&one);
	pg->res->medications = l.shown;
	section(pg, M_MEDS, &l, M_NO_MEDS);
}

/* who and what (may be NULL) are HTML already: escaped text from the
 * database, or the page's own words */
static void phone_line(struct buf *b, const char *who, const char *what, const char *phone)
{
	buf_addf(b, "<li><b>%s</b>", who);
	if (what && *what)
		buf_addf(b, " (%s)", what);
	if (phone && *phone) {
		/* a phone's link dials the digits (and + * #) of the number */
		struct buf tel = {0};
		for (const char *p = phone; *p; p++)
			if ((*p >= '0' && *p <= '9') || *p == '+' || *p == '*' || *p == '#')
				buf_addc(&tel, *p);
		buf_add(b, ": <span class=\"tel\">");
		if (tel.len)
			buf_addf(b, "<a href=\"tel:%s\">", tel.s);
		html_text_cut(b, phone, CUT_PHONE);
		buf_add(b, tel.len ? "</a></span>" : "</span>");
		buf_free(&tel);
	}
	buf_add(b, "</li>\n");
}

/* The coordinator (the team member's name, the practice's phone from the
 * config), then the care team members who have a phone. */
static void calls(struct page *pg, struct store *s, const struct chart *c)
{
	/* the coordinator, and HANDOUT_MAX_CALLS members after */
	struct listing l = {.budget = LINES_CALLS, .max = HANDOUT_MAX_CALLS + 1};
	struct buf one = {0}, name = {0}, role = {0};
	const char *phone = pg->rq->cfg ? pg->rq->cfg->phone : NULL;
	struct member m = {0};
	struct err quiet = {0};
	bool named = c->p.coordinator && store_member_get(s, c->p.coordinator, &m, &quiet) == 0 &&
	             m.name && *m.name;
	if (named || (phone && *phone)) {
		html_text_cut(&name, named ? m.name : NULL, CUT_NAME);
		phone_line(&one, named ? name.s : pg->w[M_COORDINATOR],
		           named ? pg->w[M_COORDINATOR] : NULL, phone);
		listing_add(&l, &one);
	}
	member_clear(&m);
	for (size_t i = 0; i < c->team.len; i++) {
		const struct contact *t = &c->team.items[i];
		if (!t->phone || !*t->phone)
			continue;
		buf_reset(&name);
		buf_reset(&role);
		html_text_cut(&name, t->name, CUT_NAME);
		html_text_cut(&role, t->role, CUT_ROLE);
		phone_line(&one, name.s ? name.s : "", role.len ? role.s : NULL, t->phone);
		listing_add(&l, &one);
	}
	buf_free(&one);
	buf_free(&name);
	buf_free(&role);
	pg->res->calls = l.shown;
	section(pg, M_CALL, &l, M_NO_CALLS);
}

static int by_due(const void *a, const void *b)
{
	const struct goal *x = a, *y = b;
	if (!x->due || !y->due)   /* a goal with no due date after the dated ones */
		return (x->due == NULL) - (y->due == NULL);
	return strcmp(x->due, y->due);
}

/* The open goals of the active plans, the nearest due first. */
static void steps(struct page *pg, const struct chart *c)
{
	struct goal *open = NULL;   /* copies that borrow the chart's strings */
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < c->plans.len; i++)
		for (size_t j = 0; j < c->plans.items[i].goals.len; j++) {
			const struct goal *g = &c->plans.items[i].goals.items[j];
			if (!goal_status_open(g->status) || !g->description || !*g->description)
				continue;
			xgrow((void **)&open, &cap, n, sizeof *open);
			open[n++] = *g;
		}
	if (n)
		qsort(open, n, sizeof *open, by_due);
	struct listing l = {.budget = LINES_STEPS, .max = HANDOUT_MAX_STEPS};
	struct buf one = {0};
	for (size_t i = 0; i < n; i++) {
		buf_add(&one, "<li>");
		html_text_cut(&one, open[i].description, CUT_STEP);
		int due;
		if (open[i].due && date_parse_iso(open[i].due, &due) == 0) {
			buf_addf(&one, " — %s ", pg->w[M_BY]);
			put_date(&one, &pg->dates, due, PLAIN_DATE);
		}
		buf_add(&one, "</li>\n");
		listing_add(&l, &one);
	}
	buf_free(&one);
	free(open);
	pg->res->steps = l.shown;
	section(pg, M_STEPS, &l, M_NO_STEPS);
}

/* The language of the page: rq->lang (checked), else the patient's
 * preferred one when shipped, else English (res->fallback when the
 * patient's names another). */
static enum lang pick_lang(const struct handout_req *rq, const struct patient *p,
                           struct handout_result *res)
{
	const char *code = rq->lang ? rq->lang : handout_lang(p->language);
	int l = code ? lang_index(code) : -1;
	res->fallback = !code;
	if (l < 0)
		l = LANG_EN;
	res->lang = langs[l].code;
	res->language = langs[l].name;
	return (enum lang)l;
}

int handout_render(struct store *s, const struct handout_req *rq, struct buf *out,
                   struct handout_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (rq->lang && lang_index(rq->lang) < 0)
		return err_set(e, ERR_USAGE, "no handout in %s: en or es", TEXT_ARG(rq->lang));
	struct chart c;
	struct chart_when w = {.today = rq->today, .now = rq->now, .zone = rq->zone,
	                       .source = "handout"};
	if (chart_read(s, rq->patient_id, &w, rq->cfg, &c, e) < 0) {
		chart_free(&c);
		return e->code;
	}
	enum lang l = pick_lang(rq, &c.p, res);
	struct page pg = {.b = out, .w = words[l], .rq = rq, .res = res};
	dates_open(&pg.dates, l);
	char *name = xasprintf("%s%s%s", c.p.given ? c.p.given : "", c.p.given ? " " : "",
	                       c.p.family ? c.p.family : "");
	char *title = xasprintf("%s: %s", pg.w[M_TITLE], name);
	html_head(out, langs[l].code, title, page_css);
	buf_add(out, "<h1>");
	html_text_cut(out, title, CUT_TITLE);
	buf_addf(out, "</h1>\n<p class=\"made\">%s ", pg.w[M_MADE]);
	put_date(out, &pg.dates, rq->today, PLAIN_DATE);
	buf_add(out, ".</p>\n");
	appointments(&pg, &c);
	medications(&pg, &c);
	calls(&pg, s, &c);
	steps(&pg, &c);
	buf_addf(out, "<p class=\"foot\">%s</p>\n", pg.w[M_FOOT]);
	html_tail(out);
	free(title);
	free(name);
	dates_close(&pg.dates);
	chart_free(&c);
	return 0;
}

int handout_write(struct store *s, const struct handout_req *rq, const char *path, bool replace,
                  struct handout_result *res, struct err *e)
{
	struct buf page = {0};
	struct safefile sf;
	int rc = handout_render(s, rq, &page, res, e);
	if (rc == 0 && (rc = safefile_open(&sf, path, replace ? SAFEFILE_REPLACE : 0, e)) == 0) {
		fwrite(page.s, 1, page.len, sf.f);
		rc = safefile_commit(&sf, e);
	}
	buf_free(&page);
	return rc;
}
