/* Unit tests: the screen's paged queries (store_view) on a scratch
 * database.  Every order is walked in pages forward from the first row
 * and backward from the last, at page sizes that divide the rows exactly
 * and that leave a short last page, and must give the one order computed
 * here by hand: ties in the sort key (same name, names equal but for
 * case, same due date, same start) broken by id, no row lost or repeated
 * at a page boundary, `more` false exactly on the last page.  A row that
 * leaves the list still anchors the next page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/store.h"
#include "caseload/store_view.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "fixture.h"

#define N_PATIENTS 9

/* Patients 1..9 by id, in an order that is neither by name nor by need. */
static const char *const names[N_PATIENTS][2] = {
	{"Baker", "Ann"}, {"adams", "Zoe"}, {"Baker", "Ann"}, {"Baker", "ann"}, {"Chen", "Wei"},
	{"Baker", "Bob"}, {"Diaz", "Ana"}, {"Chen", "Li"}, {"Evans", "Eve"},
};
static long long id[N_PATIENTS + 1];     /* id[k]: the k-th patient above (from 1) */

static long long utc(const char *iso)
{
	long long t;
	assert_int_equal(tz_parse_utc(iso, &t), 0);
	return t;
}

static void task(struct store *s, int k, const char *due, const char *snoozed,
                 const char *status)
{
	struct task t = {.patient_id = id[k], .title = "Call", .kind = "call", .priority = "routine",
	                 .status = status, .due = due,
	                 .snoozed_until = snoozed};
	struct err e = {0};
	assert_int_equal(store_task_add(s, &t, &e), 0);
}

static void appt(struct store *s, int k, const char *uid, const char *start, const char *rrule)
{
	struct appointment a = {.patient_id = id[k], .uid = uid, .title = "Visit",
	                        .start = utc(start), .end = utc(start) + 1800,
	                        .rrule = rrule};
	struct err e = {0};
	assert_int_equal(store_appt_add(s, &a, &e), 0);
}

static int setup(void **state)
{
	if (fixture_store_setup(state) < 0)
		return -1;
	struct store *s = *state;
	struct err e = {0};
	for (int k = 1; k <= N_PATIENTS; k++) {
		struct patient p = {.family = names[k - 1][0], .given = names[k - 1][1],
		                    .risk = k % 3 == 0 ? "high" : "low"};
		if (store_patient_add(s, &p, &e) < 0)
			return -1;
		id[k] = p.id;
	}
	/* need: three on 11-20 (Baker 1, Chen 5, Diaz 7), Evans on 11-25 (its
	 * later task does not count), three on 12-01 (adams 2, Baker 3, and
	 * Chen 8 snoozed to it); none for 4 and 6 (6's task is completed) */
	task(s, 5, "2026-11-20", NULL, "requested");
	task(s, 7, "2026-11-20", NULL, "in-progress");
	task(s, 1, "2026-11-20", NULL, "requested");
	task(s, 9, "2026-12-20", NULL, "requested");
	task(s, 9, "2026-11-25", NULL, "requested");
	task(s, 3, "2026-12-01", NULL, "requested");
	task(s, 2, "2026-12-01", NULL, "on-hold");
	task(s, 8, "2026-11-18", "2026-12-01", "requested");
	task(s, 6, "2026-11-01", NULL, "completed");
	task(s, 4, NULL, NULL, "requested");
	task(s, 6, NULL, NULL, "requested");
	/* next single appointment from now (2026-11-24 12:00Z): Diaz and
	 * Baker 3 at the same time (by appointment id: Diaz's was booked
	 * first), Evans's past one and Chen 5's series do not count; adams's
	 * first is the one booked last */
	appt(s, 7, "a1@test", "2026-11-26T15:00:00Z", NULL);
	appt(s, 3, "a2@test", "2026-11-26T15:00:00Z", NULL);
	appt(s, 1, "a3@test", "2026-11-25T15:00:00Z", NULL);
	appt(s, 1, "a4@test", "2026-12-25T15:00:00Z", NULL);
	appt(s, 9, "a5@test", "2026-11-20T15:00:00Z", NULL);
	appt(s, 5, "a6@test", "2026-11-25T09:00:00Z", "FREQ=WEEKLY;COUNT=3");
	appt(s, 2, "a7@test", "2026-12-02T15:00:00Z", NULL);
	appt(s, 2, "a8@test", "2026-12-01T15:00:00Z", NULL);
	return 0;
}

static struct caseload_query query(enum view_order o)
{
	return (struct caseload_query){.order = o, .today = "2026-11-24",
	                               .now = utc("2026-11-24T12:00:00Z")};
}

static const char *ids(const long long *v, size_t n)
{
	static char out[512];
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len < sizeof out - 24; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%lld", i ? " " : "", v[i]);
	return out;
}

/* The k-th patients' ids, from a 0-terminated list of k. */
static const char *want_ids(const int *k)
{
	long long v[N_PATIENTS];
	size_t n = 0;
	for (; k[n]; n++)
		v[n] = id[k[n]];
	return ids(v, n);
}

/* Walk the caseload in pages of `limit`, forward from the first row and
 * backward from the last; both give the same ids in display order. */
static void walk_caseload(struct store *s, const struct caseload_query *q, int limit,
                          const int *want)
{
	struct err e = {0};
	char fwd[512], back[512];
	long long got[N_PATIENTS * 2];
	size_t n = 0, expect = 0;
	while (want[expect])
		expect++;
	size_t pages = 0, full = (expect + (size_t)limit - 1) / (size_t)limit;

	struct caseload_list prev = {0};
	bool more = true;
	while (more) {
		struct caseload_list page = {0};
		const struct caseload_row *anchor = prev.len ? &prev.items[prev.len - 1] : NULL;
		assert_int_equal(store_view_caseload(s, q, anchor, false, limit, &page, &more, &e), 0);
		assert_true(page.len <= (size_t)limit);
		if (more)
			assert_int_equal(page.len, limit);
		for (size_t i = 0; i < page.len && n < N_PATIENTS * 2; i++)
			got[n++] = page.items[i].id;
		caseload_list_free(&prev);
		prev = page;
		if (++pages > full + 1)
			fail_msg("forward by %d: more than %zu pages", limit, full);
	}
	caseload_list_free(&prev);
	assert_int_equal(pages, full ? full : 1);
	snprintf(fwd, sizeof fwd, "%s", ids(got, n));

	/* backward: pages come last first, each in display order */
	n = 0;
	pages = 0;
	more = true;
	while (more) {
		struct caseload_list page = {0};
		const struct caseload_row *anchor = prev.len ? &prev.items[0] : NULL;
		assert_int_equal(store_view_caseload(s, q, anchor, true, limit, &page, &more, &e), 0);
		assert_true(page.len <= (size_t)limit);
		if (more)
			assert_int_equal(page.len, limit);
		memmove(got + page.len, got, n * sizeof *got);
		for (size_t i = 0; i < page.len; i++)
			got[i] = page.items[i].id;
		n += page.len;
		caseload_list_free(&prev);
		prev = page;
		if (++pages > full + 1)
			fail_msg("backward by %d: more than %zu pages", limit, full);
	}
	caseload_list_free(&prev);
	snprintf(back, sizeof back, "%s", ids(got, n));

	const char *w = want_ids(want);
	if (strcmp(fwd, w) || strcmp(back, w))
		fail_msg("%s by %d:\n forward  %s\n backward %s\n want     %s",
		         view_order_name(q->order), limit, fwd, back, w);
}

static void test_by_name(void **state)
{
	struct store *s = *state;
	struct caseload_query q = query(VIEW_BY_NAME);
	/* case does not count (adams first, Ann = ann), then id */
	static const int want[] = {2, 1, 3, 4, 6, 8, 5, 7, 9, 0};
	for (int limit = 1; limit <= 10; limit++)
		walk_caseload(s, &q, limit, want);
	/* a risk filter pages the same way */
	q.risk = "high";
	static const int high[] = {3, 6, 9, 0};
	walk_caseload(s, &q, 1, high);
	walk_caseload(s, &q, 2, high);
	/* a search for "Baker, a": the two Anns and ann, by id */
	q.risk = NULL;
	q.search = "Baker, a";
	static const int bakers[] = {1, 3, 4, 0};
	walk_caseload(s, &q, 2, bakers);
	walk_caseload(s, &q, 3, bakers);
}

static void test_by_need(void **state)
{
	struct store *s = *state;
	struct caseload_query q = query(VIEW_BY_NEED);
	static const int want[] = {1, 5, 7, 9, 2, 3, 8, 4, 6, 0};
	for (int limit = 1; limit <= 10; limit++)
		walk_caseload(s, &q, limit, want);
	/* overdue only: open tasks due before today */
	q.overdue_only = true;
	static const int overdue[] = {1, 5, 7, 0};
	walk_caseload(s, &q, 2, overdue);
	walk_caseload(s, &q, 3, overdue);

	/* the rows carry their keys */
	struct caseload_list l = {0};
	struct err e = {0};
	bool more = false;
	q.overdue_only = false;
	assert_int_equal(store_view_caseload(s, &q, NULL, true, 1, &l, &more, &e), 0);
	assert_true(more);
	assert_int_equal(l.len, 1);
	assert_int_equal(l.items[0].id, id[6]);
	assert_string_equal(l.items[0].need_due, "9999-12-31");
	assert_string_equal(l.items[0].family, "Baker");
	caseload_list_free(&l);
}

static void test_by_next_appointment(void **state)
{
	struct store *s = *state;
	struct caseload_query q = query(VIEW_BY_NEXT_APPT);
	/* Baker 1 (11-25), Diaz then Baker 3 (11-26, same start: appointment
	 * id), adams (12-01); no single appointment ahead: not listed */
	static const int want[] = {1, 7, 3, 2, 0};
	for (int limit = 1; limit <= 5; limit++)
		walk_caseload(s, &q, limit, want);
	struct caseload_list l = {0};
	struct err e = {0};
	assert_int_equal(store_view_caseload(s, &q, NULL, false, 1, &l, NULL, &e), 0);
	assert_int_equal(l.items[0].appt_key, utc("2026-11-25T15:00:00Z"));
	caseload_list_free(&l);
}

/* Each row's figures, read for the page at once: open tasks overdue and
 * due today (by their effective date: a snooze moves one later; a
 * patient whose earliest is after today has none), the first single
 * appointment from now and whether a series may still come. */
static void test_stats(void **state)
{
	struct store *s = *state;
	task(s, 4, "2026-11-24", NULL, "requested");
	task(s, 1, "2026-11-24", "2026-11-24", "requested");
	task(s, 1, "2026-11-10", NULL, "on-hold");
	struct caseload_query q = query(VIEW_BY_NAME);
	struct caseload_list l = {0};
	struct err e = {0};
	assert_int_equal(store_view_caseload(s, &q, NULL, false, 20, &l, NULL, &e), 0);
	assert_int_equal(l.len, N_PATIENTS);
	assert_int_equal(store_view_caseload_stats(s, &q, &l, 0, l.len, &e), 0);
	static const struct {
		int overdue, due_today;
		const char *next;
		bool series;
	} want[N_PATIENTS + 1] = {
		[1] = {2, 1, "2026-11-25T15:00:00Z", false}, [2] = {0, 0, "2026-12-01T15:00:00Z", false},
		[3] = {0, 0, "2026-11-26T15:00:00Z", false}, [4] = {0, 1, NULL, false},
		[5] = {1, 0, NULL, true},                    [6] = {0, 0, NULL, false},
		[7] = {1, 0, "2026-11-26T15:00:00Z", false}, [8] = {0, 0, NULL, false},
		[9] = {0, 0, NULL, false},
	};
	for (size_t i = 0; i < l.len; i++) {
		int k = 1;
		while (id[k] != l.items[i].id)
			k++;
		const struct caseload_row *r = &l.items[i];
		assert_int_equal(r->overdue, want[k].overdue);
		assert_int_equal(r->due_today, want[k].due_today);
		assert_int_equal(r->next_appt, want[k].next ? utc(want[k].next) : 0);
		assert_true(!r->next_title == !want[k].next);
		assert_int_equal(r->has_series, want[k].series);
	}
	caseload_list_free(&l);
}

/* A row that leaves the list (the patient made inactive) still anchors
 * the next page: keyset pages continue from its key, not its position. */
static void test_anchor_gone(void **state)
{
	struct store *s = *state;
	struct caseload_query q = query(VIEW_BY_NAME);
	struct caseload_list first = {0}, next = {0};
	struct err e = {0};
	bool more = false;
	assert_int_equal(store_view_caseload(s, &q, NULL, false, 3, &first, &more, &e), 0);
	assert_int_equal(first.items[2].id, id[3]);
	struct patient p = {0};
	assert_int_equal(store_patient_get(s, id[3], &p, &e), 0);
	str_free(p.status);
	p.status = xstrdup("inactive");
	assert_int_equal(store_patient_update(s, &p, &e), 0);
	patient_clear(&p);
	assert_int_equal(store_view_caseload(s, &q, &first.items[2], false, 3, &next, &more, &e), 0);
	long long got[3] = {next.items[0].id, next.items[1].id, next.items[2].id};
	assert_string_equal(ids(got, 3), want_ids((const int[]){4, 6, 8, 0}));
	caseload_list_free(&next);
	assert_int_equal(store_view_caseload(s, &q, &first.items[2], true, 3, &next, &more, &e), 0);
	assert_int_equal(next.len, 2);
	assert_false(more);
	assert_int_equal(next.items[0].id, id[2]);
	assert_int_equal(next.items[1].id, id[1]);
	caseload_list_free(&next);
	caseload_list_free(&first);
	long long n = 0;
	assert_int_equal(store_view_counts(s, NULL, &n, &e), 0);
	assert_int_equal(n, N_PATIENTS - 1);
}

/* The task queue: open tasks by due date then id, undated last; the
 * walk crosses from dated to undated (and back) at every page size. */
static void walk_tasks(struct store *s, long long patient_id, int limit, const char *want)
{
	struct err e = {0};
	char fwd[1024] = "", back[1024] = "";
	struct task_row_list prev = {0};
	bool more = true;
	while (more) {
		struct task_row_list page = {0};
		const struct task_row *anchor = prev.len ? &prev.items[prev.len - 1] : NULL;
		assert_int_equal(store_view_tasks(s, patient_id, anchor, false, limit, &page, &more, &e), 0);
		assert_true(page.len <= (size_t)limit);
		if (more)
			assert_int_equal(page.len, limit);
		for (size_t i = 0; i < page.len; i++)
			snprintf(fwd + strlen(fwd), sizeof fwd - strlen(fwd), "%s%s", *fwd ? " " : "",
			         page.items[i].due ? page.items[i].due + 5 : "-");
		task_row_list_free(&prev);
		prev = page;
	}
	task_row_list_free(&prev);
	more = true;
	while (more) {
		struct task_row_list page = {0};
		const struct task_row *anchor = prev.len ? &prev.items[0] : NULL;
		assert_int_equal(store_view_tasks(s, patient_id, anchor, true, limit, &page, &more, &e), 0);
		if (more)
			assert_int_equal(page.len, limit);
		char part[1024] = "";
		for (size_t i = 0; i < page.len; i++)
			snprintf(part + strlen(part), sizeof part - strlen(part), "%s%s", i ? " " : "",
			         page.items[i].due ? page.items[i].due + 5 : "-");
		if (*back && *part)
			strcat(part, " ");
		memmove(back + strlen(part), back, strlen(back) + 1);
		memcpy(back, part, strlen(part));
		task_row_list_free(&prev);
		prev = page;
	}
	task_row_list_free(&prev);
	if (strcmp(fwd, want) || strcmp(back, want))
		fail_msg("tasks of %lld by %d:\n forward  %s\n backward %s\n want     %s", patient_id,
		         limit, fwd, back, want);
}

/* A search's pages come from its rows in the order (search_first): they
 * follow the patient's need (a task added) and name (an edit). */
static void test_search_follows(void **state)
{
	struct store *s = *state;
	struct caseload_query q = query(VIEW_BY_NEED);
	q.search = "bak";
	static const int bakers[] = {1, 3, 4, 6, 0};
	walk_caseload(s, &q, 2, bakers);
	task(s, 6, "2026-11-01", NULL, "requested");
	static const int bob_first[] = {6, 1, 3, 4, 0};
	walk_caseload(s, &q, 1, bob_first);
	walk_caseload(s, &q, 3, bob_first);
	q.search = "baker, bo";
	static const int bob[] = {6, 0};
	walk_caseload(s, &q, 1, bob);

	struct patient p = {0};
	struct err e = {0};
	assert_int_equal(store_patient_get(s, id[2], &p, &e), 0);
	str_set(&p.family, "Bakewell");
	assert_int_equal(store_patient_update(s, &p, &e), 0);
	patient_clear(&p);
	q = query(VIEW_BY_NAME);
	q.search = "bak";
	static const int by_name[] = {1, 3, 4, 6, 2, 0};
	walk_caseload(s, &q, 2, by_name);
	q.search = "bakew";       /* longer than a word's start */
	static const int zoe[] = {2, 0};
	walk_caseload(s, &q, 1, zoe);
	q.search = "ada";
	static const int none[] = {0};
	walk_caseload(s, &q, 1, none);
}

/* The names found by q.search in the name order, a page of `limit` at a
 * time, "Family Given" each followed by ";". */
static void found(struct store *s, const char *search, int limit, char *out, size_t size)
{
	struct caseload_query q = query(VIEW_BY_NAME);
	struct caseload_list l = {0};
	struct err e = {0};
	bool more = true;
	q.search = search;
	*out = '\0';
	while (more) {
		size_t from = l.len;
		assert_int_equal(store_view_caseload(s, &q, from ? &l.items[from - 1] : NULL, false,
		                                     limit, &l, &more, &e), 0);
		assert_true(l.len > from || !more);
	}
	for (size_t i = 0; i < l.len; i++) {
		size_t at = strlen(out);
		snprintf(out + at, size - at, "%s %s;", l.items[i].family, l.items[i].given);
	}
	caseload_list_free(&l);
}

/* A typed word longer than its start, and a pair's second word, are
 * tested on the search row's words: each patient once, whichever of its
 * words with that start matches (two of them, "Thompson, Thomas"), and
 * a pair's words of each part kept apart. */
static void test_search_words(void **state)
{
	struct store *s = *state;
	static const char *const more[][2] = {
		{"Thompson", "Thomas"}, {"Thomas", "Ann"}, {"Chen", "William"}, {"Cheng", "Wen"},
		{"Wu", "Chen"}, {"Wei", "Chen Ann"}, {"Thom", "Will"}};
	struct err e = {0};
	for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
		struct patient p = {.family = more[i][0], .given = more[i][1]};
		assert_int_equal(store_patient_add(s, &p, &e), 0);
	}
	static const struct {
		const char *search, *want;
	} cases[] = {
		{"thomp", "Thompson Thomas;"},
		{"thoma", "Thomas Ann;Thompson Thomas;"},
		{"thom", "Thom Will;Thomas Ann;Thompson Thomas;"},
		{"thomas thomp", "Thompson Thomas;"},
		{"thompson, thomas", "Thompson Thomas;"},
		{"thomx", ""},
		{"chen, w", "Chen Wei;Chen William;Cheng Wen;Wei Chen Ann;Wu Chen;"},
		{"chen, we", "Chen Wei;Cheng Wen;Wei Chen Ann;"},
		{"chen, wi", "Chen William;"},
		{"cheng w", "Cheng Wen;"},
		{"chen wu", "Wu Chen;"},
		{"wei chen", "Chen Wei;Wei Chen Ann;"},
		{"wei, chen a", "Wei Chen Ann;"},
		{"thom, wil", "Thom Will;"},
		{"will, thomp", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		for (int limit = 1; limit <= 3; limit++) {
			char got[512];
			found(s, cases[i].search, limit, got, sizeof got);
			if (strcmp(got, cases[i].want) != 0)
				fail_msg("search '%s' by %d: got '%s', want '%s'", cases[i].search, limit, got,
				         cases[i].want);
		}
}

/* The search rows of Thompson, Thomas Lee in words.db: these and no
 * others. */
static void search_rows_are(long long pid, const char *when)
{
	static const char *const rows[][2] = {
		{"t", " thomas thomaslee thompson"}, {"th", " thomas thomaslee thompson"},
		{"tho", " thomas thomaslee thompson"}, {"l", " lee"}, {"le", " lee"}, {"lee", " lee"},
		{"tho l", " lee thomas thomaslee thompson"}, {"lee t", " lee thomas thomaslee thompson"}};
	long long v = -1;
	char *sql = xasprintf("SELECT count(*) FROM search_first WHERE patient_id = %lld", pid);
	assert_int_equal(fixture_sql("words.db", sql, &v), 0);
	free(sql);
	if (v != (long long)(sizeof rows / sizeof *rows))
		fail_msg("%s: %lld search rows, not %zu", when, v, sizeof rows / sizeof *rows);
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		sql = xasprintf("SELECT count(*) FROM search_first WHERE patient_id = %lld AND "
		                "token = '%s' AND words = '%s'", pid, rows[i][0], rows[i][1]);
		assert_int_equal(fixture_sql("words.db", sql, &v), 0);
		free(sql);
		if (v != 1)
			fail_msg("%s: the row '%s' has not the words '%s'", when, rows[i][0], rows[i][1]);
	}
}

/* The words migration 37 gives the search rows there (made by the
 * migrations before it from the patient's search tokens) are the ones
 * search_index writes for the patient, on either engine. */
static void test_search_words_migrated(void **state)
{
	(void)state;
	struct store *s = NULL;
	struct err e = {0};
	/* before search_first (23), its pair rows (27) and their words (37) */
	struct store_opts o = {.user = "tester", .migrate_to = 22};
	assert_int_equal(store_open(&s, fixture_target("words.db"), &o, &e), 0);
	store_close(&s);
	long long pid = 0;
	assert_int_equal(fixture_sql("words.db", "INSERT INTO patient(family, given, created, "
	                             "updated) VALUES ('Thompson', 'Thomas Lee', 1, 1)", NULL), 0);
	assert_int_equal(fixture_sql("words.db", "SELECT max(id) FROM patient", &pid), 0);
	char *sql = xasprintf("INSERT INTO patient_search(kind, token, patient_id) VALUES "
	                      "('n', 'thompson', %lld), ('n', 'thomas', %lld), ('n', 'lee', %lld), "
	                      "('n', 'thomaslee', %lld)", pid, pid, pid, pid);
	assert_int_equal(fixture_sql("words.db", sql, NULL), 0);
	free(sql);
	if (store_open(&s, fixture_target("words.db"), &(struct store_opts){.user = "tester"},
	               &e) != 0)
		fail_msg("migrating from 22: %s", e.msg);
	store_close(&s);
	search_rows_are(pid, "migrated");
	/* the program writes them again (an edit of the name) */
	struct patient p = {0};
	assert_int_equal(store_open(&s, fixture_target("words.db"),
	                            &(struct store_opts){.user = "tester"}, &e), 0);
	assert_int_equal(store_patient_get(s, pid, &p, &e), 0);
	str_set(&p.given, "Thomas  Lee");
	assert_int_equal(store_patient_update(s, &p, &e), 0);
	patient_clear(&p);
	store_close(&s);
	search_rows_are(pid, "written again");
}

/* Typed text that adds no word (a comma, a space) is the same search:
 * the screen keeps its rows; any other change is not. */
static void test_search_same(void **state)
{
	(void)state;
	assert_true(view_search_same("Chen", "Chen,"));
	assert_true(view_search_same("Chen,", "Chen, "));
	assert_true(view_search_same("chen  w", "Chen, W"));
	assert_true(view_search_same(NULL, " "));
	assert_true(view_search_same("555-2005", "555 2005"));
	assert_false(view_search_same("Che", "Chen"));
	assert_false(view_search_same("Chen, ", "Chen, W"));
	assert_false(view_search_same(NULL, "s"));
	assert_false(view_search_same(NULL, "-"));            /* matches nothing */
	assert_true(view_search_same("-", "- ."));
}

static void test_tasks(void **state)
{
	struct store *s = *state;
	/* 11-18 (snoozed), three on 11-20, 11-25, 12-01 twice, 12-20, then
	 * the two undated; the completed one is not there */
	static const char all[] = "11-18 11-20 11-20 11-20 11-25 12-01 12-01 12-20 - -";
	for (int limit = 1; limit <= 11; limit++)
		walk_tasks(s, 0, limit, all);
	walk_tasks(s, id[9], 1, "11-25 12-20");
	walk_tasks(s, id[6], 1, "-");
	walk_tasks(s, id[6], 2, "-");

	/* ties on the due date go by id, and rows name their patient */
	struct task_row_list l = {0};
	struct err e = {0};
	bool more = false;
	assert_int_equal(store_view_tasks(s, 0, NULL, false, 4, &l, &more, &e), 0);
	assert_true(more);
	assert_true(l.items[1].id < l.items[2].id && l.items[2].id < l.items[3].id);
	assert_int_equal(l.items[1].patient_id, id[5]);
	assert_string_equal(l.items[1].patient_name, "Chen, Wei");
	assert_string_equal(l.items[0].snoozed_until, "2026-12-01");
	task_row_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_by_name, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_by_need, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_by_next_appointment, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_anchor_gone, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_tasks, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_search_follows, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_search_words, setup, fixture_store_teardown),
		cmocka_unit_test_setup_teardown(test_search_words_migrated, setup, fixture_store_teardown),
		cmocka_unit_test(test_search_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
