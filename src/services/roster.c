/* roster: a member list into the caseload, read twice (roster.h): the
 * first reading maps the header, checks every value and the MRNs'
 * uniqueness, and writes nothing; the second writes every row through
 * patient_add or patient_edit inside one bulk transaction. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "caseload/csv.h"
#include "caseload/date.h"
#include "caseload/model.h"
#include "caseload/patient.h"
#include "caseload/roster.h"
#include "caseload/store.h"
#include "caseload/store_team.h"
#include "caseload/store_undo.h"
#include "caseload/text.h"
#include "caseload/util.h"

enum { RF_IGNORE = RF_N, RF_BLANK, RF_UNKNOWN };

static const char *const field_names[RF_N] = {
	[RF_NAME] = "name", [RF_FAMILY] = "family", [RF_GIVEN] = "given", [RF_DOB] = "dob",
	[RF_MRN] = "mrn", [RF_PHONE] = "phone", [RF_EMAIL] = "email", [RF_ADDRESS] = "address",
	[RF_LANGUAGE] = "language", [RF_INTERPRETER] = "interpreter", [RF_QMB] = "qmb", [RF_RISK] = "risk",
	[RF_CADENCE] = "cadence", [RF_STATUS] = "status", [RF_COORDINATOR] = "coordinator",
};

const char *roster_field_name(enum roster_field f)
{
	return f < RF_N ? field_names[f] : "?";
}

/* Headings a column maps by, as normalized (ASCII letters, lower case,
 * and digits; nothing else): the names `patient list --format csv`
 * writes (its "id" is the database's own: ignored, rows match by MRN)
 * and common ones of health plans' spreadsheets. */
static const struct alias {
	const char *key;
	int field;
} aliases[] = {
	{"name", RF_NAME}, {"patientname", RF_NAME}, {"fullname", RF_NAME},
	{"membername", RF_NAME}, {"family", RF_FAMILY}, {"familyname", RF_FAMILY},
	{"lastname", RF_FAMILY}, {"surname", RF_FAMILY}, {"given", RF_GIVEN},
	{"givenname", RF_GIVEN}, {"firstname", RF_GIVEN}, {"dob", RF_DOB},
	{"dateofbirth", RF_DOB}, {"birthdate", RF_DOB}, {"mrn", RF_MRN},
	{"medicalrecordnumber", RF_MRN}, {"phone", RF_PHONE}, {"phonenumber", RF_PHONE},
	{"telephone", RF_PHONE}, {"email", RF_EMAIL}, {"emailaddress", RF_EMAIL},
	{"address", RF_ADDRESS}, {"language", RF_LANGUAGE}, {"preferredlanguage", RF_LANGUAGE},
	{"interpreter", RF_INTERPRETER}, {"qmb", RF_QMB},
	{"qualifiedmedicarebeneficiary", RF_QMB}, {"risk", RF_RISK}, {"risklevel", RF_RISK},
	{"cadence", RF_CADENCE}, {"cadencedays", RF_CADENCE}, {"status", RF_STATUS},
	{"coordinator", RF_COORDINATOR}, {"carecoordinator", RF_COORDINATOR}, {"id", RF_IGNORE},
};

static char *normalize(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			*o++ = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			*o++ = c;
	}
	*o = '\0';
	return out;
}

/* ---- the MRNs seen in the first reading, and their lines ---- */

/* An open-addressing set over one arena of the MRNs' bytes: about the
 * MRN's length plus 16 bytes a row. */
struct mrn_set {
	uint32_t *slot;            /* entry index + 1; 0: empty */
	size_t cap;                /* slots: a power of two, at most half used */
	struct buf arena;          /* the MRNs, each NUL-ended */
	size_t *off;               /* entry: where its MRN starts in arena */
	int *line;                 /* entry: its line */
	size_t n, ecap, lcap;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void mrn_set_free(struct mrn_set *m)
{
	free(m->slot);
	free(m->off);
	free(m->line);
	buf_free(&m->arena);
	*m = (struct mrn_set){0};
}

static uint32_t *mrn_slot(struct mrn_set *m, const char *mrn)
{
	size_t i = (size_t)hash(mrn) & (m->cap - 1);
	while (m->slot[i] && strcmp(m->arena.s + m->off[m->slot[i] - 1], mrn) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slot[i];
}

/* The line mrn was first seen on, or 0 after noting it on `line`. */
static int mrn_seen(struct mrn_set *m, const char *mrn, int line)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		free(m->slot);
		m->slot = xcalloc(cap, sizeof *m->slot);
		m->cap = cap;
		for (size_t k = 0; k < m->n; k++)
			*mrn_slot(m, m->arena.s + m->off[k]) = (uint32_t)(k + 1);
	}
	uint32_t *s = mrn_slot(m, mrn);
	if (*s)
		return m->line[*s - 1];
	void *p = m->off;
	xgrow(&p, &m->ecap, m->n + 1, sizeof *m->off);
	m->off = p;
	p = m->line;
	xgrow(&p, &m->lcap, m->n + 1, sizeof *m->line);
	m->line = p;
	m->off[m->n] = m->arena.len;
	m->line[m->n] = line;
	buf_addn(&m->arena, mrn, strlen(mrn) + 1);
	*s = (uint32_t)++m->n;
	return 0;
}

/* ---- the header ---- */

struct map_entry {
	char *key;                 /* normalized heading */
	char *shown;               /* as given, for messages */
	int field;                 /* an RF_ field or RF_IGNORE */
	bool used;
};

struct roster {
	const struct roster_opts *o;
	const char *name;          /* the file's, for messages */
	struct map_entry *map;
	size_t nmap;
	bool have_header;
	size_t ncols;
	int col_field[CSV_FIELDS_MAX];
	char *heading[CSV_FIELDS_MAX];   /* cleaned, for messages */
	int field_col[RF_N];
	int problems;
	struct mrn_set seen;
	/* the second reading */
	struct store *s;
	bool writing;
	struct roster_summary *sum;
	struct change ch;
	struct buf fields;
};

static int at(struct roster *ro, struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int at(struct roster *ro, struct err *e, int code, const char *fmt, ...)
{
	char msg[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set_at(e, code, ro->name, 0, 0, "%s", msg);
}

/* A problem found in the first reading: reported, and the reading goes
 * on (until ROSTER_PROBLEMS_MAX); without a reporter the first stops it. */
static int problem(struct roster *ro, struct err *e)
{
	if (!ro->o->problem || ro->writing)
		return e->code;
	ro->o->problem(ro->o->ctx, e);
	if (++ro->problems >= ROSTER_PROBLEMS_MAX)
		return at(ro, e, ERR_USAGE, "%d problems: stopped reading", ro->problems);
	err_clear(e);
	return 0;
}

static int map_parse(struct roster *ro, const char *map, struct err *e)
{
	if (!map)
		return 0;
	char *copy = xstrdup(map), *save = NULL;
	int rc = 0;
	for (char *item = strtok_r(copy, ",", &save); item && rc == 0;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strrchr(item, '=');
		if (!eq) {
			rc = err_set(e, ERR_USAGE, "--map: %s is not HEADING=FIELD (or HEADING=-)",
			             TEXT_ARG(item));
			break;
		}
		*eq = '\0';
		char *field = eq + 1;
		while (*field == ' ')
			field++;
		for (size_t n = strlen(field); n && field[n - 1] == ' ';)
			field[--n] = '\0';
		int f = !strcmp(field, "-") ? RF_IGNORE : -1;
		for (int k = 0; k < RF_N && f < 0; k++)
			if (!strcmp(field, field_names[k]))
				f = k;
		if (f < 0) {
			struct buf all = {0};
			for (int k = 0; k < RF_N; k++)
				buf_addf(&all, "%s%s", k ? ", " : "", field_names[k]);
			rc = err_set(e, ERR_USAGE, "--map: %s is not a patient field (one of %s, or - "
			             "to ignore the column)", TEXT_ARG(field), all.s);
			buf_free(&all);
			break;
		}
		ro->map = xrealloc(ro->map, (ro->nmap + 1) * sizeof *ro->map);
		ro->map[ro->nmap++] = (struct map_entry){normalize(item), text_sanitize(item), f, false};
	}
	free(copy);
	return rc;
}

/* The field a heading maps to: --map's first, then the known names. */
static int heading_field(struct roster *ro, const char *heading)
{
	char *key = normalize(heading);
	int f = *key ? RF_UNKNOWN : RF_BLANK;
	for (size_t k = 0; k < ro->nmap && f == RF_UNKNOWN; k++)
		if (!strcmp(ro->map[k].key, key)) {
			ro->map[k].used = true;
			f = ro->map[k].field;
		}
	for (size_t k = 0; k < sizeof aliases / sizeof *aliases && f == RF_UNKNOWN; k++)
		if (!strcmp(aliases[k].key, key))
			f = aliases[k].field;
	free(key);
	return f;
}

static void header_clear(struct roster *ro)
{
	for (size_t c = 0; c < ro->ncols; c++)
		free(ro->heading[c]);
	ro->ncols = 0;
	ro->have_header = false;
	for (size_t k = 0; k < ro->nmap; k++)
		ro->map[k].used = false;
}

static int header(struct roster *ro, const struct csv_record *r, struct err *e)
{
	ro->have_header = true;
	ro->ncols = r->n;
	for (int f = 0; f < RF_N; f++)
		ro->field_col[f] = -1;
	for (size_t c = 0; c < r->n; c++) {
		const char *h = r->field[c];
		char where[48];
		snprintf(where, sizeof where, "line %d, column %zu", r->line, c + 1);
		ro->heading[c] = text_sanitize(h);
		if (text_check_input(h, false, where, e) < 0) {
			ro->col_field[c] = RF_IGNORE;
			at(ro, e, ERR_USAGE, "%s", e->msg);
			if (problem(ro, e) < 0)
				return e->code;
			continue;
		}
		int f = ro->col_field[c] = heading_field(ro, h);
		if (f == RF_UNKNOWN) {
			at(ro, e, ERR_USAGE, "line %d, column %zu: %s is not a patient field: map it "
			   "(--map '%s=FIELD') or ignore it (--map '%s=-')", r->line, c + 1,
			   TEXT_ARG(h), ro->heading[c], ro->heading[c]);
			if (problem(ro, e) < 0)
				return e->code;
		} else if (f < RF_N && ro->field_col[f] >= 0) {
			at(ro, e, ERR_USAGE, "line %d: columns %d and %zu are both the %s", r->line,
			   ro->field_col[f] + 1, c + 1, field_names[f]);
			if (problem(ro, e) < 0)
				return e->code;
		} else if (f < RF_N) {
			ro->field_col[f] = (int)c;
		}
	}
	for (size_t k = 0; k < ro->nmap; k++)
		if (!ro->map[k].used) {
			at(ro, e, ERR_USAGE, "--map names %s, which the header does not have",
			   TEXT_ARG(ro->map[k].shown));
			if (problem(ro, e) < 0)
				return e->code;
		}
	if (ro->field_col[RF_NAME] >= 0 &&
	    (ro->field_col[RF_FAMILY] >= 0 || ro->field_col[RF_GIVEN] >= 0)) {
		at(ro, e, ERR_USAGE, "line %d: a whole name column and family or given name "
		   "columns: keep one (--map 'HEADING=-' ignores a column)", r->line);
		if (problem(ro, e) < 0)
			return e->code;
	}
	if (ro->field_col[RF_MRN] < 0) {
		at(ro, e, ERR_USAGE, "line %d: no MRN column: rows are matched by MRN (map the "
		   "column that holds it: --map 'Member ID=mrn')", r->line);
		if (problem(ro, e) < 0)
			return e->code;
	}
	return 0;
}

/* ---- a row ---- */

struct row {
	const char *v[RF_N];       /* the values given (NULL: empty cell) */
	const char *family, *given;   /* the name, split (owned) */
	char dob[DATE_STRLEN];
	int cadence;
	bool interpreter, qmb;
};

static void row_clear(struct row *w)
{
	str_free(w->family);
	str_free(w->given);
	w->family = w->given = NULL;
}

static int bad(struct roster *ro, struct err *e, const char *where, const char *v,
               const char *why)
{
	return at(ro, e, ERR_USAGE, "%s: %s %s", where, TEXT_ARG(v), why);
}

/* Check value v of field f as patient add does, into w. */
static int value(struct roster *ro, int f, const char *v, const char *where, struct row *w,
                 struct err *e)
{
	int d;
	char *end;
	long n;
	switch (f) {
	case RF_NAME:
		if (patient_split_name(v, &w->family, &w->given) < 0)
			return bad(ro, e, where, v, "has no family name (\"Family, Given\")");
		return 0;
	case RF_DOB:
		if (date_parse_iso(v, &d) < 0)
			return bad(ro, e, where, v, "is not a date (YYYY-MM-DD)");
		if (!date_in_range(d) || d > ro->o->today) {
			char why[64];
			snprintf(why, sizeof why, "is not a past date from %d on", DATE_FIRST_YEAR);
			return bad(ro, e, where, v, why);
		}
		date_format(d, w->dob);
		return 0;
	case RF_RISK:
	case RF_STATUS: {
		const struct codeset *set = f == RF_RISK ? &RISK : &PATIENT_STATUS;
		if (code_find(set, v) < 0) {
			char why[160];
			snprintf(why, sizeof why, "is not one of %s", code_list(set));
			return bad(ro, e, where, v, why);
		}
		return 0;
	}
	case RF_INTERPRETER:
	case RF_QMB:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return bad(ro, e, where, v, "is not yes or no");
		*(f == RF_QMB ? &w->qmb : &w->interpreter) = !strcmp(v, "yes");
		return 0;
	case RF_CADENCE:
		errno = 0;
		n = strtol(v, &end, 10);
		if (*end || errno || n < 1 || n > 365)
			return bad(ro, e, where, v, "is not a number of days from 1 to 365");
		w->cadence = (int)n;
		return 0;
	default:
		return 0;
	}
}

/* The record's values into w, each checked; the problem names the line
 * and the column. */
static int row_read(struct roster *ro, const struct csv_record *r, struct row *w,
                    struct err *e)
{
	*w = (struct row){0};
	if (r->n != ro->ncols)
		return at(ro, e, ERR_USAGE, "line %d: %zu fields where the header has %zu", r->line,
		          r->n, ro->ncols);
	for (size_t c = 0; c < r->n; c++) {
		const char *v = r->field[c];
		int f = ro->col_field[c];
		if (!*v || f == RF_IGNORE)
			continue;
		char where[TEXT_ARG_SIZE + 32];
		snprintf(where, sizeof where, "line %d, column %s", r->line,
		         *ro->heading[c] ? ro->heading[c] : "(no heading)");
		if (f == RF_BLANK)
			return at(ro, e, ERR_USAGE, "line %d, column %zu: a value under no heading "
			          "(give the column one)", r->line, c + 1);
		if (f >= RF_N)
			continue;   /* an unknown column: reported with the header */
		if (text_check_input(v, false, where, e) < 0)
			return at(ro, e, ERR_USAGE, "%s", e->msg);
		if (value(ro, f, v, where, w, e) < 0)
			return e->code;
		w->v[f] = v;
	}
	if (ro->field_col[RF_MRN] >= 0 && !w->v[RF_MRN])
		return at(ro, e, ERR_USAGE, "line %d, column %s: empty: every row needs the MRN it "
		          "is matched by", r->line, ro->heading[ro->field_col[RF_MRN]]);
	return 0;
}

/* ---- the second reading: the writes ---- */

/* Set *field to v when it differs; whether it did. */
static bool differs(const char **field, const char *v)
{
	if (!v || str_eq(*field, v))
		return false;
	str_set(field, v);
	return true;
}

/* The row's values over p; the fields that changed (bits of RF_). */
static unsigned row_apply(const struct row *w, struct patient *p)
{
	unsigned bits = 0;
	const struct {
		int f;
		const char **field;
		const char *v;
	} text[] = {
		{RF_FAMILY, &p->family, w->v[RF_FAMILY]}, {RF_GIVEN, &p->given, w->v[RF_GIVEN]},
		{RF_DOB, &p->dob, w->v[RF_DOB] ? w->dob : NULL}, {RF_MRN, &p->mrn, w->v[RF_MRN]},
		{RF_PHONE, &p->phone, w->v[RF_PHONE]}, {RF_EMAIL, &p->email, w->v[RF_EMAIL]},
		{RF_ADDRESS, &p->address, w->v[RF_ADDRESS]},
		{RF_LANGUAGE, &p->language, w->v[RF_LANGUAGE]}, {RF_RISK, &p->risk, w->v[RF_RISK]},
		{RF_STATUS, &p->status, w->v[RF_STATUS]},
		{RF_COORDINATOR, &p->coordinator, w->v[RF_COORDINATOR]},
	};
	for (size_t k = 0; k < sizeof text / sizeof *text; k++)
		if (differs(text[k].field, text[k].v))
			bits |= 1u << text[k].f;
	if (w->v[RF_NAME] && (differs(&p->family, w->family) | differs(&p->given, w->given)))
		bits |= 1u << RF_NAME;
	if (w->v[RF_INTERPRETER] && p->interpreter != w->interpreter) {
		p->interpreter = w->interpreter;
		bits |= 1u << RF_INTERPRETER;
	}
	if (w->v[RF_QMB] && p->qmb != w->qmb) {
		p->qmb = w->qmb;
		bits |= 1u << RF_QMB;
	}
	if (w->v[RF_CADENCE] && p->cadence_days != w->cadence) {
		p->cadence_days = w->cadence;
		bits |= 1u << RF_CADENCE;
	}
	return bits;
}

/* A failed write, named by its line. */
static int row_failed(struct roster *ro, int line, struct err *e)
{
	char msg[sizeof e->msg];
	snprintf(msg, sizeof msg, "%s", e->msg);
	return at(ro, e, e->code ? e->code : ERR_FAIL, "line %d: %s", line, msg);
}

static int row_write(struct roster *ro, const struct row *w, int line, struct err *e)
{
	struct patient p = {0};
	struct roster_summary *sum = ro->sum;
	const struct roster_opts *o = ro->o;
	if (store_patient_by_mrn(ro->s, w->v[RF_MRN], 0, &p, e) < 0)
		return row_failed(ro, line, e);
	bool added = !p.id;
	unsigned bits = row_apply(w, &p);
	if (added && !p.coordinator && o->coordinator)
		str_set(&p.coordinator, o->coordinator);
	struct patient_req rq = {.p = &p, .by = o->by};
	int rc = 0;
	if (added)
		rc = patient_add(ro->s, &rq, &ro->ch, e);
	else if (bits)
		rc = patient_edit(ro->s, &rq, &ro->ch, e);
	if (rc < 0) {
		patient_clear(&p);
		return row_failed(ro, line, e);
	}
	buf_reset(&ro->fields);
	for (int f = 0; f < RF_N && !added; f++)
		if (bits & (1u << f)) {
			buf_addf(&ro->fields, "%s%s", ro->fields.len ? ", " : "", field_names[f]);
			sum->by_field[f]++;
		}
	if (added)
		sum->added++;
	else if (bits)
		sum->updated++;
	else
		sum->unchanged++;
	if ((added || bits) && o->changed)
		o->changed(o->ctx, line, p.id, added, ro->fields.s ? ro->fields.s : "");
	patient_clear(&p);
	return 0;
}

static int on_record(void *ctx, const struct csv_record *r, struct err *e)
{
	struct roster *ro = ctx;
	if (!ro->have_header)
		return header(ro, r, e);
	if (!ro->writing && ++ro->sum->rows > ROSTER_ROWS_MAX)
		return 0;   /* counted: refused once read */
	struct row w;
	int rc = row_read(ro, r, &w, e);
	if (rc < 0 && !ro->writing) {
		/* the row's MRN is still noted: a later row with it is named */
		int c = ro->field_col[RF_MRN];
		if (c >= 0 && r->n == ro->ncols && *r->field[c])
			(void)mrn_seen(&ro->seen, r->field[c], r->line);
	} else if (rc == 0 && !ro->writing) {
		int first = w.v[RF_MRN] ? mrn_seen(&ro->seen, w.v[RF_MRN], r->line) : 0;
		if (first)
			rc = at(ro, e, ERR_USAGE, "line %d: MRN %s is also on line %d", r->line,
			        TEXT_ARG(w.v[RF_MRN]), first);
	} else if (rc == 0) {
		rc = row_write(ro, &w, r->line, e);
	}
	row_clear(&w);
	return rc < 0 ? problem(ro, e) : 0;
}

static void roster_free(struct roster *ro)
{
	header_clear(ro);
	for (size_t k = 0; k < ro->nmap; k++) {
		free(ro->map[k].key);
		free(ro->map[k].shown);
	}
	free(ro->map);
	mrn_set_free(&ro->seen);
	buf_free(&ro->fields);
}

/* After the first reading: its verdict. */
static int checked(struct roster *ro, int rc, struct err *e)
{
	if (rc < 0 && !ro->problems)
		return rc;
	if (ro->problems)
		return at(ro, e, ERR_USAGE, "%d problem%s (%s): nothing imported", ro->problems,
		          ro->problems == 1 ? "" : "s",
		          rc < 0 ? "the first ones shown" : "each shown");
	if (!ro->have_header)
		return at(ro, e, ERR_USAGE, "empty: no header row");
	if (ro->sum->rows > ROSTER_ROWS_MAX)
		return at(ro, e, ERR_USAGE, "%lld rows: a roster is written in one transaction, "
		          "of at most %d rows: split the file", ro->sum->rows, ROSTER_ROWS_MAX);
	return 0;
}

int roster_check(const char *data, size_t len, const char *name, const struct roster_opts *o,
                 struct roster_summary *sum, struct err *e)
{
	struct roster ro = {.o = o, .name = name, .sum = sum};
	*sum = (struct roster_summary){0};
	int rc = map_parse(&ro, o->map, e);
	char sep = o->sep ? o->sep : csv_sniff(data, len);
	if (rc == 0) {
		struct csv_reader *r = csv_reader_new(sep, name, on_record, &ro);
		rc = csv_feed(r, data, len, e);
		if (rc == 0)
			rc = csv_finish(r, e);
		csv_reader_free(&r);
		rc = checked(&ro, rc, e);
	}
	roster_free(&ro);
	return rc;
}

static char separator(const struct roster_opts *o, const char *path, FILE *f)
{
	if (o->sep)
		return o->sep;
	size_t n = strlen(path);
	if ((n > 4 && !strcmp(path + n - 4, ".tsv")) || (n > 4 && !strcmp(path + n - 4, ".tab")))
		return '\t';
	char head[4096];
	size_t got = fread(head, 1, sizeof head, f);
	rewind(f);
	return csv_sniff(head, got);
}

/* The second reading, in one transaction: a dry run rolls it back. */
static int write_all(struct roster *ro, FILE *f, char sep, struct err *e)
{
	const struct roster_opts *o = ro->o;
	struct roster_summary *sum = ro->sum;
	header_clear(ro);
	ro->writing = true;
	if (store_begin_bulk(ro->s, e) < 0)
		return e->code;
	int rc = csv_read_stream(f, sep, ro->name, on_record, ro, e);
	if (rc < 0 || o->dry_run || !(sum->added + sum->updated)) {
		store_rollback(ro->s);
		return rc;
	}
	store_undo_what(ro->s, 0, "imported roster: %lld added, %lld updated", sum->added,
	                sum->updated);
	if (store_commit(ro->s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	sum->group = store_undo_last(ro->s);
	return 0;
}

int roster_import(struct store *s, const char *path, const struct roster_opts *o,
                  struct roster_summary *sum, struct change *ch, struct err *e)
{
	struct roster ro = {.o = o, .name = path, .sum = sum, .s = s};
	*sum = (struct roster_summary){0};
	if (map_parse(&ro, o->map, e) < 0)
		return e->code;
	FILE *f = fopen(path, "rb");
	struct stat before, after;
	if (!f || fstat(fileno(f), &before) < 0 || !S_ISREG(before.st_mode)) {
		int rc = err_set_at(e, ERR_USAGE, path, 0, 0, "%s",
		                    f ? "not a regular file (a roster is read twice)" : strerror(errno));
		if (f)
			fclose(f);
		roster_free(&ro);
		return rc;
	}
	char sep = separator(o, path, f);
	int rc = checked(&ro, csv_read_stream(f, sep, path, on_record, &ro, e), e);
	mrn_set_free(&ro.seen);   /* the second reading needs none of it */
	if (rc == 0 && o->coordinator) {
		struct member m = {0};
		if ((rc = store_member_get(s, o->coordinator, &m, e)) == ERR_NOTFOUND)
			rc = err_set(e, ERR_USAGE, "--coordinator %s is not on the team (caseload team "
			             "list)", TEXT_ARG(o->coordinator));
		member_clear(&m);
	}
	rewind(f);
	if (rc == 0 && (fstat(fileno(f), &after) < 0 || after.st_size != before.st_size ||
	                after.st_mtime != before.st_mtime))
		rc = at(&ro, e, ERR_FAIL, "changed while it was read: try again");
	if (rc == 0 && (rc = write_all(&ro, f, sep, e)) == 0 && !o->dry_run && ch) {
		change_note(ch, ro.ch.kinds, ro.ch.patient_id);
		ch->many = ch->many || ro.ch.many;
	}
	fclose(f);
	roster_free(&ro);
	return rc;
}
