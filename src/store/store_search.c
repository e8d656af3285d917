/* store_search: the rows that let a patient be found by any word of the
 * name, any part of the MRN or of the phone number, and what typed text
 * is matched against them.  See store_internal.h for the design. */
#include <stdlib.h>
#include <string.h>

#include "caseload/fold.h"
#include "store_internal.h"

static bool has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

static void add_unique(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->len; i++)
		if (!strcmp(l->items[i], s))
			return;
	strlist_add(l, s);
}

/* Each word of a name part, and all of them run together when there are
 * several ("Mary Ann" gives mary, ann, maryann). */
static void name_tokens(const char *part, struct strlist *out)
{
	struct strlist w = {0};
	struct buf all = {0};
	fold_words(part, &w);
	for (size_t i = 0; i < w.len; i++) {
		add_unique(out, w.items[i]);
		buf_add(&all, w.items[i]);
	}
	if (w.len > 1)
		add_unique(out, all.s);
	buf_free(&all);
	strlist_free(&w);
}

/* s, and every suffix of it at least SEARCH_PART long that starts on a
 * character: a prefix of one of those is the start of s, or any part of
 * it from SEARCH_PART characters on.  Shorter parts would match nearly
 * everyone and cost a fifth more rows. */
#define SEARCH_PART 3
static void suffixes(const char *s, struct strlist *out)
{
	if (*s)
		add_unique(out, s);
	size_t n = strlen(s);
	for (size_t i = 1; i + SEARCH_PART <= n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			add_unique(out, s + i);
}

/* The folded MRN's letters and digits ("MRN-0001005" gives mrn0001005). */
static char *mrn_key(const char *mrn)
{
	struct strlist w = {0};
	struct buf b = {0};
	fold_words(mrn, &w);
	for (size_t i = 0; i < w.len; i++)
		buf_add(&b, w.items[i]);
	strlist_free(&w);
	return buf_steal(&b);
}

static char *digits(const char *s)
{
	struct buf b = {0};
	char *f = fold(s);     /* other scripts' digits too, where ICU maps them */
	for (const char *p = f; *p; p++)
		if (*p >= '0' && *p <= '9')
			buf_addc(&b, *p);
	free(f);
	return buf_steal(&b);
}

static int insert_tokens(struct store *s, long long id, const char *kind,
                         const struct strlist *l, struct err *e)
{
	static const char sql[] =
		"INSERT INTO patient_search(kind, token, patient_id) VALUES (?1, ?2, ?3)";
	for (size_t i = 0; i < l->len; i++) {
		struct dbst *st = st_prep(s, sql, e);
		if (!st)
			return e->code;
		bind_text(st, 1, kind);
		bind_text(st, 2, l->items[i]);
		bind_int(st, 3, id);
		if (st_exec(s, st, e) < 0)
			return e->code;
	}
	return 0;
}

/* The first SEARCH_FIRST characters (code points) of a token, and each
 * shorter start: what migration m_search_first (23) takes with substr(token, 1, k). */
static size_t next_char(const char *t, size_t at)
{
	size_t end = at + 4;     /* UTF-8: 4 bytes a code point at most */
	for (at++; at < end && ((unsigned char)t[at] & 0xC0) == 0x80; at++)
		;
	return at;
}

static void firsts(const struct strlist *tokens, struct strlist *out)
{
	for (size_t i = 0; i < tokens->len; i++) {
		const char *t = tokens->items[i];
		size_t at = 0;
		for (int k = 0; k < SEARCH_FIRST && t[at]; k++) {
			char f[4 * SEARCH_FIRST + 1];
			at = next_char(t, at);
			memcpy(f, t, at);
			f[at] = '\0';
			add_unique(out, f);
		}
	}
}

/* The bytes of the first SEARCH_FIRST characters of t (and how many
 * characters that is). */
static size_t first_len(const char *t, int *chars)
{
	size_t at = 0;
	int k = 0;
	for (; k < SEARCH_FIRST && t[at]; k++)
		at = next_char(t, at);
	if (chars)
		*chars = k;
	return at;
}

/* The first code point of a token (its bytes). */
static size_t first_char(const char *t)
{
	return *t ? next_char(t, 0) : 0;
}

/* Whether two tokens start with the same character. */
static bool same_first(const char *a, const char *b)
{
	size_t na = first_char(a), nb = first_char(b);
	return na == nb && !memcmp(a, b, na);
}

/* The pair row's token of a and b: "che w" of chen and wei. */
static void pair_key(char key[SEARCH_PAIR_KEY], const char *a, const char *b)
{
	size_t at = first_len(a, NULL), nb = first_char(b);
	memcpy(key, a, at);
	key[at] = ' ';
	memcpy(key + at + 1, b, nb);
	key[at + 1 + nb] = '\0';
}

/* The pair rows: for two words of the name that start with different
 * characters, the first's start (SEARCH_FIRST characters or the whole
 * word), a space, and the second's first character ("che w" of Chen, Wei;
 * and "wei c").  A search with a word of SEARCH_FIRST characters or more
 * and another that starts otherwise reads one of these ranges
 * (search_pair_key): only the patients with both.  Words with the same
 * first character need none: two typed words that start alike may match
 * one word of the name, and such a search reads the first's rows. */
static void pairs(const struct strlist *tokens, struct strlist *out)
{
	for (size_t i = 0; i < tokens->len; i++)
		for (size_t j = 0; j < tokens->len; j++) {
			const char *a = tokens->items[i], *b = tokens->items[j];
			if (!*a || !*b || same_first(a, b))
				continue;
			char key[SEARCH_PAIR_KEY];
			pair_key(key, a, b);
			add_unique(out, key);
		}
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A search_first row's words (store_internal.h): the names (sorted
 * bytewise) that start with its start, or on a pair row ("che w") with
 * either part, each after a space. */
static char *first_words(const struct strlist *sorted, const char *key)
{
	struct buf b = {0};
	const char *space = strchr(key, ' ');
	size_t n = space ? (size_t)(space - key) : strlen(key);
	for (size_t i = 0; i < sorted->len; i++) {
		const char *w = sorted->items[i];
		if (!strncmp(w, key, n) || (space && !strncmp(w, space + 1, strlen(space + 1))))
			buf_addf(&b, " %s", w);
	}
	return buf_steal(&b);
}

/* The patient's search_first rows: the starts of its name's words and
 * their pairs, each with its words and the patient's order columns as
 * they are now (a trigger keeps them when they change). */
static int index_firsts(struct store *s, long long id, const struct strlist *names,
                        struct err *e)
{
	static const char del[] = "DELETE FROM search_first WHERE patient_id = ?";
	static const char ins[] =
		"INSERT INTO search_first(token, patient_id, need_due, family, given, words) "
		"SELECT ?1, id, need_due, family, given, ?3 FROM patient WHERE id = ?2";
	struct dbst *st = st_prep(s, del, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	if (st_exec(s, st, e) < 0)
		return e->code;
	struct strlist f = {0};
	firsts(names, &f);
	pairs(names, &f);
	char **sorted = xcalloc(names->len + 1, sizeof *sorted);
	memcpy(sorted, names->items, names->len * sizeof *sorted);
	qsort(sorted, names->len, sizeof *sorted, by_bytes);
	const struct strlist by_name = {.items = sorted, .len = names->len};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < f.len; i++) {
		if (!(st = st_prep(s, ins, e))) {
			rc = e->code;
			break;
		}
		char *words = first_words(&by_name, f.items[i]);
		bind_text(st, 1, f.items[i]);
		bind_int(st, 2, id);
		bind_text(st, 3, words);
		if (st_exec(s, st, e) < 0)
			rc = e->code;
		free(words);
	}
	free(sorted);
	strlist_free(&f);
	return rc;
}

/* The patient_search rows (and with `firsts`, the search_first rows:
 * migration 5's fill comes before that table). */
static int index_patient(struct store *s, long long id, const struct patient *p, bool with_firsts,
                         struct err *e)
{
	static const char del[] = "DELETE FROM patient_search WHERE patient_id = ?";
	struct dbst *st = st_prep(s, del, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	if (st_exec(s, st, e) < 0)
		return e->code;
	struct strlist n = {0}, m = {0}, ph = {0};
	name_tokens(p->family, &n);
	name_tokens(p->given, &n);
	char *mk = mrn_key(p->mrn), *pk = digits(p->phone);
	suffixes(mk, &m);
	suffixes(pk, &ph);
	int rc = 0;
	if (insert_tokens(s, id, "n", &n, e) < 0 || insert_tokens(s, id, "m", &m, e) < 0 ||
	    insert_tokens(s, id, "p", &ph, e) < 0 ||
	    (with_firsts && index_firsts(s, id, &n, e) < 0))
		rc = e->code;
	free(mk);
	free(pk);
	strlist_free(&n);
	strlist_free(&m);
	strlist_free(&ph);
	return rc;
}

int search_index(struct store *s, long long id, const struct patient *p, struct err *e)
{
	return index_patient(s, id, p, true, e);
}

int search_fill(struct store *s, struct err *e)
{
	static const char page[] =
		"SELECT id, family, given, mrn, phone FROM patient WHERE id > ?1 ORDER BY id LIMIT 500";
	static const char key[] = "UPDATE patient SET name_key = ?1 WHERE id = ?2";
	long long last = 0;
	for (;;) {
		/* a page at a time, read before writing: no statement reads
		 * the table while the same connection changes it */
		struct patient_list l = {0};
		struct dbst *st = st_prep(s, page, e);
		if (!st)
			return e->code;
		bind_int(st, 1, last);
		int rc;
		while ((rc = st_step(s, st, e)) == ST_ROW) {
			struct patient *p = LIST_PUSH(&l);
			p->id = col_int(st, 0);
			p->family = col_text(st, 1);
			p->given = col_text(st, 2);
			p->mrn = col_text(st, 3);
			p->phone = col_text(st, 4);
		}
		st_reset(st);
		for (size_t i = 0; rc >= 0 && i < l.len; i++) {
			struct patient *p = &l.items[i];
			char *k = fold_name_key(p->family, p->given);
			if (!(st = st_prep(s, key, e))) {
				rc = e->code;
			} else {
				bind_text(st, 1, k);
				bind_int(st, 2, p->id);
				if (st_exec(s, st, e) < 0 || index_patient(s, p->id, p, false, e) < 0)
					rc = e->code;
			}
			free(k);
			last = p->id;
		}
		size_t n = l.len;
		patient_list_free(&l);
		if (rc < 0)
			return rc;
		if (n < 500)
			return 0;
	}
}

/* ---- what was typed ---- */

void search_free(struct search *q)
{
	for (int i = 0; i < q->n; i++) {
		free(q->w[i].token);
		free(q->w[i].hi);
	}
	q->n = 0;
}

static void add_word(struct search *q, const char *k1, const char *k2, const char *token)
{
	if (q->n == SEARCH_MAX_WORDS || !token || !*token)
		return;
	q->w[q->n].kind[0] = k1;
	q->w[q->n].kind[1] = k2;
	q->w[q->n].token = xstrdup(token);
	/* The range's end: the token followed by U+10FFFF, the last code
	 * point, sorts (bytewise) after every token that starts with it and
	 * is still valid UTF-8 (a 0xff byte would not be). */
	q->w[q->n].hi = xasprintf("%s\xf4\x8f\xbf\xbf", token);
	q->n++;
}

int search_parse(const char *text, struct search *q)
{
	memset(q, 0, sizeof *q);
	if (!text)
		return 0;
	/* Chunks between spaces and commas, each folded to its words. */
	struct strlist chunks = {0};
	struct buf c = {0};
	bool letters = false, numbers = false;
	for (const char *p = text;; p++) {
		if (*p && *p != ' ' && *p != ',' && *p != '\t') {
			buf_addc(&c, *p);
			continue;
		}
		if (c.len) {
			char *k = mrn_key(c.s);
			if (*k) {
				strlist_add(&chunks, c.s);
				if (has_digit(k))
					numbers = true;
				if (strspn(k, "0123456789") < strlen(k))
					letters = true;
			}
			free(k);
			buf_reset(&c);
		}
		if (!*p)
			break;
	}
	buf_free(&c);
	if (numbers && !letters) {
		/* a phone number or an MRN's digits, however they were spaced */
		struct buf all = {0};
		for (size_t i = 0; i < chunks.len; i++) {
			char *d = digits(chunks.items[i]);
			buf_add(&all, d);
			free(d);
		}
		add_word(q, "m", "p", all.s);
		buf_free(&all);
	}
	for (size_t i = 0; letters && i < chunks.len; i++) {
		char *k = mrn_key(chunks.items[i]);
		if (has_digit(k)) {
			add_word(q, "m", "p", k);    /* a part of an MRN: "mrn0001005", "1005" */
		} else {
			struct strlist w = {0};
			fold_words(chunks.items[i], &w);
			for (size_t j = 0; j < w.len; j++)
				add_word(q, "n", "n", w.items[j]);
			strlist_free(&w);
		}
		free(k);
	}
	strlist_free(&chunks);
	return q->n;
}

void search_ids(struct sqlq *b, const struct search *q)
{
	for (int i = 0; i < q->n; i++) {
		q_sql(b, i ? " INTERSECT SELECT patient_id FROM patient_search WHERE kind IN ("
		           : "SELECT patient_id FROM patient_search WHERE kind IN (");
		q_text(b, q->w[i].kind[0]);
		q_sql(b, ", ");
		q_text(b, q->w[i].kind[1]);
		q_sql(b, ") AND token >= ");
		q_text(b, q->w[i].token);
		q_sql(b, " AND token < ");
		q_text(b, q->w[i].hi);
	}
}

void search_each(struct sqlq *b, const struct search *q, const char *id)
{
	for (int i = 0; i < q->n; i++) {
		q_where(b, "EXISTS (SELECT 1 FROM patient_search s WHERE s.patient_id = ");
		q_sql(b, id);
		q_sql(b, " AND s.kind IN (");
		q_text(b, q->w[i].kind[0]);
		q_sql(b, ", ");
		q_text(b, q->w[i].kind[1]);
		q_sql(b, ") AND s.token >= ");
		q_text(b, q->w[i].token);
		q_sql(b, " AND s.token < ");
		q_text(b, q->w[i].hi);
		q_sql(b, ")");
	}
}

int search_many(struct store *s, const struct search *q, long long many, bool *out,
                struct err *e)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM patient_search WHERE kind IN (?1, ?2) "
		"AND token >= ?3 AND token < ?4 LIMIT ?5) AS w";
	*out = q->n > 0;
	for (int i = 0; *out && i < q->n; i++) {
		struct dbst *st = st_prep(s, sql, e);
		if (!st)
			return e->code;
		bind_text(st, 1, q->w[i].kind[0]);
		bind_text(st, 2, q->w[i].kind[1]);
		bind_text(st, 3, q->w[i].token);
		bind_text(st, 4, q->w[i].hi);
		bind_int(st, 5, many);
		int rc = st_step(s, st, e);
		*out = rc == ST_ROW && col_int(st, 0) >= many;
		st_reset(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

bool search_first_longer(const char *token)
{
	return token[first_len(token, NULL)] != '\0';
}

/* The word whose start is longest (the fewest rows, as a rule), the first
 * of those. */
int search_first_word(const struct search *q, char start[4 * SEARCH_FIRST + 1], bool *whole)
{
	int best = -1, best_chars = 0;
	for (int i = 0; i < q->n; i++) {
		int chars;
		if (strcmp(q->w[i].kind[0], "n") != 0)
			continue;
		first_len(q->w[i].token, &chars);
		if (chars > best_chars) {
			best = i;
			best_chars = chars;
		}
	}
	if (best >= 0) {
		const char *t = q->w[best].token;
		size_t at = first_len(t, NULL);
		memcpy(start, t, at);
		start[at] = '\0';
		*whole = !t[at];
	}
	return best;
}

int search_pair_key(const struct search *q, int driver, char key[SEARCH_PAIR_KEY], bool *whole)
{
	int chars;
	const char *a = q->w[driver].token;
	first_len(a, &chars);
	if (chars < SEARCH_FIRST)
		return -1;
	for (int i = 0; i < q->n; i++) {
		const char *b = q->w[i].token;
		if (i == driver || strcmp(q->w[i].kind[0], "n") != 0 || same_first(a, b))
			continue;
		pair_key(key, a, b);
		*whole = !b[first_char(b)];
		return i;
	}
	return -1;
}
