/* Unit tests: the plans of the statements a key press or a listing runs
 * (issue 12).  A demo caseload of 2,000 patients, a few coordinators and
 * ANALYZE give the planner real choices; every store call the screen
 * makes on a key, and every listing with each of its filters, runs with
 * SQLite's statement trace on, and each statement it ran is explained:
 * no SCAN of a table that grows with the caseload, unless the call lists
 * that table whole (then its plan may walk it, in the listing's order).
 * A failure names the call and prints the statement and its plan.
 *
 * Then the results: every combination of the caseload's filters, in each
 * order, walked a page at a time forward and backward, must give what a
 * plain reference query written here gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/config.h"
#include "caseload/date.h"
#include "caseload/demo.h"
#include "caseload/recur.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_adt.h"
#include "caseload/store_plan.h"
#include "caseload/store_program.h"
#include "caseload/program.h"
#include "caseload/store_review.h"
#include "caseload/store_view.h"
#include "caseload/util.h"
#include "../../src/store/store_internal.h"
#include "fixture.h"

#define N_PATIENTS 2000
#define TODAY "2026-11-24"

static struct store *S;
static long long NOW;
static struct strlist ran;        /* statement texts since the last reset */

/* Tables whose rows grow with the caseload, and the names the store's
 * statements give them (a plan names a table by its alias). */
static const char *const growing[][2] = {
	{"patient", "patient"}, {"p", "patient"}, {"appointment", "appointment"},
	{"a", "appointment"}, {"b", "appointment"}, {"task", "task"}, {"t", "task"},
	{"entry", "entry"}, {"audit", "audit"}, {"time_log", "time_log"},
	{"medication", "medication"}, {"care_plan", "care_plan"}, {"goal", "goal"},
	{"care_team", "care_team"}, {"patient_search", "patient_search"},
	{"review_mark", "review_mark"}, {"contact", "contact"}, {"c", "contact"},
	{"search_first", "search_first"}, {"f", "search_first"}, {"g", "search_first"},
	{"episode", "episode"}, {"ep", "episode"}, {"adt_message", "adt_message"},
	{"consent", "consent"}, {"apcm_check", "apcm_check"},
};

/* How a call may walk a growing table. */
enum walk {
	STRICT,    /* never: its filter is rare (one coordinator's, a search) */
	PAGE,      /* in its ORDER BY's index, stopping at the page's LIMIT: a
	              page of the whole caseload, or of a filter that matches
	              much of it (high risk, overdue, needs review) */
};

static int on_trace(unsigned what, void *ctx, void *p, void *x)
{
	(void)ctx;
	(void)x;
	if (what != SQLITE_TRACE_STMT)
		return 0;
	const char *sql = sqlite3_sql(p);
	for (size_t i = 0; sql && i < ran.len; i++)
		if (strcmp(ran.items[i], sql) == 0)
			return 0;
	if (sql && strncmp(sql, "EXPLAIN", 7) != 0)
		strlist_add(&ran, sql);
	return 0;
}

static void run_sql(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(S->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int group_setup(void **state)
{
	if (fixture_store_setup(state) != 0)
		return -1;
	S = *state;
	int today;
	assert_int_equal(date_parse_iso(TODAY, &today), 0);
	NOW = (long long)today * DAY_SECONDS + 15 * 3600;
	struct demo_opts o = {.patients = N_PATIENTS, .seed = 7, .today = today, .now = NOW,
	                      .zone = "UTC"};
	struct demo_counts n;
	struct err e = {0};
	if (demo_fill(S, &o, &n, &e) != 0)
		fail_msg("demo: %s", e.msg);
	/* twenty coordinators, and a few patients without one */
	run_sql("UPDATE patient SET coordinator = CASE WHEN id % 50 = 0 THEN NULL "
	        "ELSE 'coord' || (id % 20) END; UPDATE patient SET status = 'inactive' "
	        "WHERE id % 97 = 0; "
	        "INSERT INTO care_plan (id, patient_id, title, start, created, updated) "
	        "VALUES (1, 12, 'Plan', '2026-11-01', 0, 0); "
	        "UPDATE task SET plan_id = 1 WHERE patient_id = 12; ANALYZE");
	/* the daily review's set, as review_need_select would leave it */
	long long ids[300];
	for (int i = 0; i < 300; i++)
		ids[i] = 1 + i * 6;
	assert_int_equal(store_review_need_set(S, ids, 300, &e), 0);
	sqlite3_trace_v2(S->db, SQLITE_TRACE_STMT, on_trace, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	strlist_free(&ran);
	return fixture_store_teardown(state);
}

/* Whether table is one of the words of list (NULL: none). */
static bool listed(const char *list, const char *table)
{
	size_t n = strlen(table);
	for (const char *p = list; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, table, n) == 0 && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* The plan's lines that SCAN a growing table other than those of `whole`
 * (the tables the call lists whole: its own and the ones it joins), "table; " each (empty: none).  With
 * PAGE, an ordered walk that stops at the LIMIT is not one. */
static char *bad_scans(const char *sql, const char *whole, enum walk walk, struct buf *plan)
{
	char *x = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(S->db, x, -1, &st, NULL) != SQLITE_OK)
		fail_msg("cannot explain %s: %s", sql, sqlite3_errmsg(S->db));
	free(x);
	struct buf bad = {0}, scans = {0};
	bool sorts = false;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		buf_addf(plan, "    %s\n", d);
		if (strstr(d, "TEMP B-TREE FOR ORDER BY"))
			sorts = true;
		if (strncmp(d, "SCAN ", 5) != 0)
			continue;
		size_t len = strcspn(d + 5, " ");
		for (size_t i = 0; i < sizeof growing / sizeof *growing; i++)
			if (strlen(growing[i][0]) == len && strncmp(d + 5, growing[i][0], len) == 0 &&
			    !listed(whole, growing[i][1]))
				buf_addf(&scans, "%s; ", d);
	}
	sqlite3_finalize(st);
	bool page = walk == PAGE && !sorts && strstr(sql, " LIMIT ");
	if (scans.len && !page)
		buf_add(&bad, scans.s);
	buf_free(&scans);
	return buf_steal(&bad);
}

/* Check the statements run since the last call (see bad_scans). */
static int checked;
static void check(const char *call, const char *whole, enum walk walk)
{
	assert_true(ran.len > 0);
	int failures = 0;
	for (size_t i = 0; i < ran.len; i++) {
		struct buf plan = {0};
		char *bad = bad_scans(ran.items[i], whole, walk, &plan);
		if (getenv("PLANS"))
			print_message("%s\n  %s\n%s", call, ran.items[i], plan.s);
		if (*bad) {
			print_error("%s: %s\n  statement: %s\n  plan:\n%s", call, bad, ran.items[i], plan.s);
			failures++;
		}
		checked++;
		free(bad);
		buf_free(&plan);
	}
	strlist_free(&ran);
	if (failures)
		fail_msg("%s: %d statement(s) scan a table that grows with the caseload", call, failures);
}

static int stop_at_first(void *ctx, struct appointment *a)
{
	(void)ctx;
	(void)a;
	return 1;
}

/* (arg: a count of the items, or NULL) */
static int kept_item(void *arg, const struct review_item *it, enum review_state st)
{
	(void)it;
	(void)st;
	if (arg)
		++*(long *)arg;
	return 0;
}

/* ---- the screen: every key's queries ---- */

static const char *const searches[] = {NULL, "s", "smi", "chen w", "a b c", "a b c d", "1005",
                                       "555 2005"};

static void caseload_plans(void **state)
{
	(void)state;
	struct err e = {0};
	for (int order = 0; order < VIEW_N_ORDERS; order++)
		for (unsigned f = 0; f < 64; f++)
			for (size_t k = 0; k < sizeof searches / sizeof *searches; k++) {
				if (((f & 16) && !(f & 4)) || ((f & 32) && !searches[k]))
					continue;
				/* the review's set read whole (few) or looked up */
				struct caseload_query q = {.order = order, .search = searches[k],
				                           .risk = f & 1 ? "high" : NULL,
				                           .overdue_only = f & 2, .review_only = f & 4,
				                           .review_few = f & 16,
				                           .coordinator = f & 8 ? "coord3" : NULL,
				                           .today = TODAY, .now = NOW};
				/* a caseload of 1 makes any search's matches many: the
				 * walk of the order's index with a look-up each */
				q.size = f & 32 ? 1 : 0;
				struct caseload_list l = {0};
				bool more;
				/* the first page and the last one */
				assert_int_equal(store_view_caseload(S, &q, NULL, false, 5, &l, &more, &e), 0);
				struct caseload_list last = {0};
				assert_int_equal(store_view_caseload(S, &q, NULL, true, 5, &last, &more, &e), 0);
				char call[160];
				snprintf(call, sizeof call, "caseload by %s, filters %u, search \"%s\"",
				         view_order_name(order), f, searches[k] ? searches[k] : "");
				/* one coordinator's patients and a search are rare;
				 * many matches walk the order's index to the page */
				check(call, NULL, f & 8 || (searches[k] && !(f & 32)) ? STRICT : PAGE);
				/* the next page and the one before the last (PgDn,
				 * PgUp, a reload where the screen was): from the
				 * anchor in the index, never its walk from an end,
				 * and each row's figures */
				if (l.len) {
					assert_int_equal(store_view_caseload(S, &q, &l.items[l.len - 1], false,
					                                     5, &l, &more, &e), 0);
					assert_int_equal(store_view_caseload(S, &q, &last.items[0], true, 5, &l,
					                                     &more, &e), 0);
					assert_int_equal(store_view_caseload_stats(S, &q, &l, 0, l.len, &e), 0);
					char from[200];
					snprintf(from, sizeof from, "%s, from an anchor", call);
					check(from, NULL, STRICT);
				}
				caseload_list_free(&l);
				caseload_list_free(&last);
			}
	long long n;
	assert_int_equal(store_view_counts(S, "coord3", &n, &e), 0);
	check("count of one coordinator's patients", NULL, STRICT);
	assert_int_equal(store_adt_waiting(S, &n, &e), 0);
	/* the index of the waiting ones alone (partial): the rows N shows */
	check("the title's count of ADT messages waiting", "adt_message", STRICT);
	/* the title's count of every active patient counts them all */
	assert_int_equal(store_view_counts(S, NULL, &n, &e), 0);
	check("count of all patients", "patient", STRICT);
	/* the first step of the title's count sizes its table by the last id */
	assert_int_equal(store_review_last_patient(S, &n, &e), 0);
	assert_true(n >= N_PATIENTS);
	check("the last patient id", NULL, STRICT);
}

/* The plan's lines that read the rows of a growing table rather than an
 * index that holds what the statement needs ("SEARCH p USING INDEX x",
 * "SCAN p": one page of the table each row, on a large caseload each
 * read from the file), "line; " each; a row found by its id (a join
 * on the patient) is one. */
static char *row_reads(const char *sql, struct buf *plan)
{
	char *x = xasprintf("EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(S->db, x, -1, &st, NULL) != SQLITE_OK)
		fail_msg("cannot explain %s: %s", sql, sqlite3_errmsg(S->db));
	free(x);
	struct buf bad = {0};
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		buf_addf(plan, "    %s\n", d);
		size_t skip = !strncmp(d, "SCAN ", 5) || !strncmp(d, "SEARCH ", 7) ? strcspn(d, " ") + 1 : 0;
		if (!skip || strstr(d, "COVERING INDEX") || strstr(d, "INTEGER PRIMARY KEY"))
			continue;
		size_t len = strcspn(d + skip, " ");
		for (size_t i = 0; i < sizeof growing / sizeof *growing; i++)
			if (strlen(growing[i][0]) == len && !strncmp(d + skip, growing[i][0], len))
				buf_addf(&bad, "%s; ", d);
	}
	sqlite3_finalize(st);
	return buf_steal(&bad);
}

/* A caseload page not shown before, in each order with the filters the
 * order's index serves (all, high risk, overdue, needing review), and its
 * rows' figures (open tasks, next visit, series, this month's minutes):
 * from indexes that hold the columns they show and test, the table's
 * rows unread (migration 29; at 100,000 patients each row read is a page
 * of the file). */
static void caseload_page_plans(void **state)
{
	(void)state;
	struct err e = {0};
	for (int order = 0; order < VIEW_N_ORDERS; order++)
		for (unsigned f = 0; f < 8; f++) {
			struct caseload_query q = {.order = order, .risk = f & 1 ? "high" : NULL,
			                           .overdue_only = f & 2, .review_only = f & 4,
			                           .today = TODAY, .now = NOW, .size = N_PATIENTS};
			struct caseload_list l = {0};
			bool more;
			assert_int_equal(store_view_caseload(S, &q, NULL, false, 20, &l, &more, &e), 0);
			if (l.len) {
				assert_int_equal(store_view_caseload(S, &q, &l.items[l.len - 1], false, 20,
				                                     &l, &more, &e), 0);
				assert_int_equal(store_view_caseload_stats(S, &q, &l, 0, l.len, &e), 0);
				assert_int_equal(store_view_caseload_minutes(S, "2026-11-01", "2026-11-30", &l,
				                                             0, l.len, &e), 0);
			}
			assert_true(ran.len > 0);
			for (size_t i = 0; i < ran.len; i++) {
				/* (whether a row has a series: the demo has none, so
				 * ANALYZE leaves appointment_patient_series without
				 * figures and the planner on appointment_patient; the
				 * program never runs ANALYZE on SQLite) */
				if (strstr(ran.items[i], "rrule IS NOT NULL OR"))
					continue;
				struct buf plan = {0};
				char *bad = row_reads(ran.items[i], &plan);
				if (*bad)
					fail_msg("caseload by %s, filters %u: reads the table's rows: %s\n"
					         "  statement: %s\n  plan:\n%s", view_order_name(order), f, bad,
					         ran.items[i], plan.s);
				free(bad);
				buf_free(&plan);
			}
			strlist_free(&ran);
			caseload_list_free(&l);
		}
}

/* A search by a name's words, in the need and the name order: its pages
 * come from one index range of search_first already in the order, the
 * first one and one from an anchor; no statement sorts. */
static void search_page_plans(void **state)
{
	(void)state;
	static const char *const names[] = {"s",      "sm",      "smi",       "smith", "chen w",
	                                    "w chen", "ma 1005", "chen, wei", "su chen"};
	struct err e = {0};
	for (int order = VIEW_BY_NEED; order <= VIEW_BY_NAME; order++)
		for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
			struct caseload_query q = {.order = order, .search = names[k], .today = TODAY,
			                           .now = NOW, .size = N_PATIENTS};
			struct caseload_list l = {0};
			bool more;
			assert_int_equal(store_view_caseload(S, &q, NULL, false, 5, &l, &more, &e), 0);
			if (l.len)
				assert_int_equal(store_view_caseload(S, &q, &l.items[l.len - 1], false, 5,
				                                     &l, &more, &e), 0);
			for (size_t i = 0; i < ran.len; i++) {
				struct buf plan = {0};
				char *bad = bad_scans(ran.items[i], NULL, STRICT, &plan);
				if (*bad || strstr(plan.s, "TEMP B-TREE") || !strstr(plan.s, "search_first_"))
					fail_msg("search \"%s\" by %s: %s\n  statement: %s\n  plan:\n%s",
					         names[k], view_order_name(order), bad, ran.items[i], plan.s);
				free(bad);
				buf_free(&plan);
			}
			assert_true(ran.len > 0);
			strlist_free(&ran);
			caseload_list_free(&l);
		}
}

static void task_plans(void **state)
{
	(void)state;
	struct err e = {0};
	for (long long patient = 0; patient <= 7; patient += 7) {
		struct task_row_list l = {0};
		bool more;
		assert_int_equal(store_view_tasks(S, patient, NULL, false, 5, &l, &more, &e), 0);
		if (l.len)
			assert_int_equal(store_view_tasks(S, patient, &l.items[l.len - 1], false, 5, &l,
			                                  &more, &e), 0);
		assert_int_equal(store_view_tasks(S, patient, NULL, true, 5, &l, &more, &e), 0);
		if (l.len)
			assert_int_equal(store_view_tasks(S, patient, &l.items[0], true, 5, &l, &more,
			                                  &e), 0);
		task_row_list_free(&l);
		check(patient ? "a patient's task queue" : "the task queue", NULL,
		      patient ? STRICT : PAGE);
	}
}

/* Every view of the task pane: its first page and last (a person's, the
 * day's completed ones: STRICT; the others walk their index to the
 * page), then the pages next to them, from an anchor: STRICT. */
static void task_view_plans(void **state)
{
	(void)state;
	struct err e = {0};
	static const char *const names[] = {"mine", "unassigned", "team", "on hold", "done today"};
	for (int view = 0; view < TASKS_VIEW_N; view++) {
		struct task_view_query v = {.view = (enum task_view)view, .login = "coord3",
		                            .today = TODAY, .done_from = NOW - 15 * 3600,
		                            .done_to = NOW - 15 * 3600 + DAY_SECONDS};
		struct task_row_list l = {0}, last = {0};
		bool more;
		assert_int_equal(store_view_tasks_in(S, &v, NULL, false, 5, &l, &more, &e), 0);
		assert_int_equal(store_view_tasks_in(S, &v, NULL, true, 5, &last, &more, &e), 0);
		char call[96];
		snprintf(call, sizeof call, "task pane, %s", names[view]);
		bool rare = view == TASKS_MINE || view == TASKS_DONE_TODAY;
		check(call, NULL, rare ? STRICT : PAGE);
		if (l.len) {
			assert_int_equal(store_view_tasks_in(S, &v, &l.items[l.len - 1], false, 5, &l,
			                                     &more, &e), 0);
			assert_int_equal(store_view_tasks_in(S, &v, &last.items[0], true, 5, &l, &more,
			                                     &e), 0);
			char from[128];
			snprintf(from, sizeof from, "%s, from an anchor", call);
			check(from, NULL, STRICT);
		}
		task_row_list_free(&l);
		task_row_list_free(&last);
	}
}

/* The daily review on the screen: `R` opens the card on the verdicts the
 * screen keeps (the day's marks, then each patient's items), a change
 * judges its patient again, the rows' `!` marks; the idle count judges
 * the caseload a step at a time (the patients after the last one, by
 * id, to the step's LIMIT). */
static void review_plans(void **state)
{
	(void)state;
	struct err e = {0};
	struct config cfg;
	config_defaults(&cfg);
	int today;
	assert_int_equal(date_parse_iso(TODAY, &today), 0);
	struct review_cache rc = {0};
	review_cache_start(&rc, today);
	assert_int_equal(review_cache_step(S, &cfg, &rc, 16, &e), 0);
	assert_int_equal(review_cache_step(S, &cfg, &rc, 16, &e), 0);
	check("idle count, a step", NULL, STRICT);
	struct review_queue q = {0};
	assert_int_equal(review_cache_queue(S, &rc, &q, &e), 0);
	review_queue_free(&q);
	check("R: the queue from the kept verdicts", NULL, STRICT);
	struct review_list l = {0};
	for (long long id = 12; id <= 36; id += 12) {
		assert_int_equal(review_build_patient(S, id, today, &cfg, &l, &e), 0);
		review_list_free(&l);
	}
	check("R: a patient's card", NULL, STRICT);
	assert_int_equal(review_cache_update(S, &cfg, &rc, 24, &e), 0);
	check("a change: its patient judged again", NULL, STRICT);
	long long ids[] = {5, 6, 7, 8};
	bool need[4];
	assert_int_equal(review_needs(S, today, &cfg, ids, 4, need, &e), 0);
	check("the rows' marks", NULL, STRICT);
	/* the review kept: every row made (runs of a batch's patients, each
	 * rule's statement over a run's range of ids), then a day later
	 * those outside their days */
	struct review_kept k = {0};
	assert_int_equal(review_kept_open(S, today, &cfg, NULL, NULL, &k, &e), 0);
	review_kept_free(&k);
	assert_int_equal(review_kept_open(S, today + 30, &cfg, NULL, NULL, &k, &e), 0);
	review_kept_free(&k);
	check("the review kept: its rows made again", NULL, STRICT);
	/* the next day: its counts and its order read from the periods made
	 * the day before, on their indexes */
	long items = 0;
	assert_int_equal(review_kept_open(S, today + 31, &cfg, NULL, NULL, &k, &e), 0);
	assert_int_equal(review_kept_each(S, &k, kept_item, &items, &e), 0);
	review_kept_free(&k);
	check("the review kept: the next day, read from its periods", NULL, STRICT);
	/* (items read, and none made on that day: its rows stood for it) */
	assert_true(items > 0);
	char *made = xasprintf("SELECT count(*) FROM review_state WHERE made_day = %d", today + 31);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(S->db, made, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	free(made);
	review_cache_free(&rc);
	config_free(&cfg);
}

/* ---- the listings ---- */

/* A statement of single events only, in start order: one patient's
 * (ORDER BY a.start_utc, a.id) or everyone's, the patients' and the
 * unassigned merged (ORDER BY 9, 1 with no series part). */
static bool single_events(const char *sql)
{
	return strstr(sql, "ORDER BY a.start_utc, a.id") ||
	       (strstr(sql, "ORDER BY 9, 1") && !strstr(sql, "rrule IS NOT NULL"));
}

/* The rows the statements run since the last check read (the single
 * events only, or all) come in start order from their indexes (no sort:
 * the first row comes at once). */
static void unsorted(const char *call, bool singles)
{
	for (size_t i = 0; i < ran.len; i++)
		if (!singles || single_events(ran.items[i])) {
			struct buf plan = {0};
			char *bad = bad_scans(ran.items[i], NULL, STRICT, &plan);
			bool sorted = strstr(plan.s, "TEMP B-TREE FOR") != NULL;
			if (sorted)
				print_error("%s: the rows are sorted:\n%s", call, plan.s);
			free(bad);
			buf_free(&plan);
			if (sorted)
				fail();
		}
}

static void listing_plans(void **state)
{
	(void)state;
	struct err e = {0};
	for (unsigned f = 0; f < 8; f++)
		for (size_t k = 0; k < sizeof searches / sizeof *searches; k++) {
			struct patient_query q = {.search = searches[k], .risk = f & 1 ? "high" : NULL,
			                          .include_inactive = f & 2, .limit = f & 4 ? 10 : 0};
			struct patient_list l = {0};
			assert_int_equal(store_patient_list(S, &q, &l, &e), 0);
			patient_list_free(&l);
			char call[120];
			snprintf(call, sizeof call, "patient list, filters %u, search \"%s\"", f,
			         searches[k] ? searches[k] : "");
			/* without a search it lists the patients whole, by name */
			check(call, searches[k] ? NULL : "patient", STRICT);
		}

	for (unsigned f = 0; f < 16; f++) {
		struct appt_query q = {.patient_id = f & 1 ? 12 : 0, .unassigned = f & 8,
		                       .from = f & 2 ? NOW : 0, .to = f & 4 ? NOW + 7 * DAY_SECONDS : 0};
		struct appointment_list l = {0};
		assert_int_equal(store_appt_list(S, &q, &l, &e), 0);
		appointment_list_free(&l);
		char call[64];
		snprintf(call, sizeof call, "appt list, filters %u", f);
		unsorted(call, false);
		check(call, f & 15 ? NULL : "appointment", STRICT);
	}

	/* the agenda: single events read in start order from their index (no
	 * sort: the first row comes at once), series with their overrides */
	for (unsigned f = 0; f < 2; f++) {
		struct occurrence_list occ = {0};
		assert_int_equal(recur_range(S, f ? 12 : 0, NOW, NOW + 30 * DAY_SECONDS, &occ, &e), 0);
		occurrence_list_free(&occ);
		unsorted(f ? "agenda of a patient" : "agenda", true);
		check(f ? "agenda of a patient" : "agenda", NULL, STRICT);
	}

	/* export --all: what comes before the first event (the series, the
	 * overrides, the zones and the walk of the single events for their
	 * first uses) on indexes */
	for (unsigned f = 0; f < 2; f++) {
		struct appointment_list l = {0};
		struct strlist zones = {0};
		assert_int_equal(store_appt_series(S, f ? 12 : 0, NOW, NOW + 30 * DAY_SECONDS, &l, &e), 0);
		assert_int_equal(store_appt_overrides(S, f ? 12 : 0, NOW, NOW + 30 * DAY_SECONDS, &l, &e), 0);
		assert_int_equal(store_appt_zones(S, &zones, &e), 0);
		assert_true(zones.len > 0);
		assert_int_equal(store_appt_singles_each(S, f ? 12 : 0, NOW, NOW + 30 * DAY_SECONDS,
		                                         stop_at_first, NULL, &e), 0);
		appointment_list_free(&l);
		strlist_free(&zones);
		unsorted(f ? "export of a patient, its head" : "export --all, its head", true);
		check(f ? "export of a patient, its head" : "export --all, its head", NULL, STRICT);
	}

	/* the screen's agenda, for each row drawn: whether the patient was
	 * reached since the visit was booked; its unassigned list's A: the
	 * rows of one UID */
	{
		struct appointment_list l = {0};
		bool reached;
		assert_int_equal(store_review_reached_since(S, 12, NOW - 30 * DAY_SECONDS, &reached, &e), 0);
		assert_int_equal(store_appt_by_series(S, "no-such-uid@caseload", &l, &e), 0);
		assert_int_equal(l.len, 0);
		check("agenda row: reached since booked; rows of a UID", NULL, STRICT);
	}

	for (unsigned f = 0; f < 16; f++) {
		struct task_query q = {.patient_id = f & 1 ? 12 : 0, .plan_id = f & 8 ? 1 : 0,
		                       .all_statuses = f & 2, .due_to = f & 4 ? TODAY : NULL};
		struct task_list l = {0};
		assert_int_equal(store_task_list(S, &q, &l, &e), 0);
		task_list_free(&l);
		char call[64];
		snprintf(call, sizeof call, "task list, filters %u", f);
		/* in its index's order, closed tasks too (task_due): no sort
		 * (a care plan's few tasks may be) */
		if (!(f & 8))
			unsorted(call, false);
		/* every task, or every open one, with its patient: the whole table */
		check(call, f & 9 ? NULL : "task patient", STRICT);
	}

	for (unsigned f = 0; f < 4; f++) {
		struct entry_list l = {0};
		assert_int_equal(store_entry_list(S, 12, f & 1 ? NOW - 30 * DAY_SECONDS : 0,
		                                  f & 2 ? NOW : 0, 0, &l, &e), 0);
		entry_list_free(&l);
		check("timeline of a patient", NULL, STRICT);
	}

	for (unsigned f = 0; f < 4; f++) {
		struct plan_list l = {0};
		assert_int_equal(store_plan_list(S, f & 1 ? 12 : 0, f & 2, &l, &e), 0);
		plan_list_free(&l);
		check("care plan list", f & 1 ? NULL : "care_plan", STRICT);
	}

	for (unsigned f = 0; f < 4; f++) {
		struct audit_list l = {0};
		assert_int_equal(store_audit_list(S, f & 1 ? "patient" : NULL, f & 2 ? 12 : 0, 20,
		                                  &l, &e), 0);
		audit_list_free(&l);
		/* the newest rows first, by id: a walk of the table that stops at
		 * the limit; with a table or row, on audit_row */
		check("audit list", f ? NULL : "audit", STRICT);
	}

	struct audit_list al = {0};
	assert_int_equal(store_audit_patient(S, 12, 50, &al, &e), 0);
	audit_list_free(&al);
	/* each of the patient's tables by its patient index, the audit by
	 * audit_row; the rows then ordered (a patient's trail, not a page) */
	check("a patient's audit trail", NULL, STRICT);

	struct medication_list m = {0};
	assert_int_equal(store_med_list(S, 12, &m, &e), 0);
	medication_list_free(&m);
	check("a patient's medications", NULL, STRICT);
	assert_int_equal(checked > 0, 1);
}

/* ---- the results ---- */

/* The ids a reference query gives, one statement written plainly. */
static void reference(const struct caseload_query *q, struct buf *out)
{
	struct buf sql = {0};
	bool appt = q->order == VIEW_BY_NEXT_APPT;
	buf_add(&sql, appt ? "SELECT p.id FROM patient p JOIN appointment a ON a.id = (SELECT b.id "
	                     "FROM appointment b WHERE b.patient_id = p.id AND b.rrule IS NULL AND "
	                     "b.rdate IS NULL AND b.status NOT IN " SQL_GONE_APPT
	                     " AND b.start_utc >= ?1 ORDER BY b.start_utc, b.id LIMIT 1) "
	                   : "SELECT p.id FROM patient p ");
	buf_add(&sql, "WHERE p.status = 'active' ");
	if (q->risk)
		buf_add(&sql, "AND p.risk = 'high' ");
	if (q->overdue_only)
		buf_add(&sql, "AND p.need_due < '" TODAY "' ");
	if (q->coordinator)
		buf_add(&sql, "AND p.coordinator = 'coord3' ");
	if (q->review_only)
		buf_add(&sql, "AND p.id IN (SELECT patient_id FROM review_need) ");
	if (q->search)   /* one word of a name */
		buf_addf(&sql, "AND p.id IN (SELECT patient_id FROM patient_search WHERE kind = 'n' "
		         "AND substr(token, 1, %zu) = '%s') ", strlen(q->search), q->search);
	buf_add(&sql, q->order == VIEW_BY_NEED
	                  ? "ORDER BY p.need_due, p.family COLLATE NOCASE, p.given COLLATE NOCASE, p.id"
	              : q->order == VIEW_BY_NAME
	                  ? "ORDER BY p.family COLLATE NOCASE, p.given COLLATE NOCASE, p.id"
	                  : "ORDER BY a.start_utc, a.id");
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(S->db, sql.s, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql.s, sqlite3_errmsg(S->db));
	sqlite3_bind_int64(st, 1, NOW);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_addf(out, "%lld ", (long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	buf_free(&sql);
}

/* The ids of every page, walked forward (or backward from the end). */
static void walk(const struct caseload_query *q, bool backward, struct buf *out)
{
	struct err e = {0};
	struct caseload_list all = {0};
	bool more = true;
	while (more) {
		struct caseload_list page = {0};
		const struct caseload_row *anchor =
			!all.len ? NULL : backward ? &all.items[0] : &all.items[all.len - 1];
		assert_int_equal(store_view_caseload(S, q, anchor, backward, 37, &page, &more, &e), 0);
		if (!page.len) {
			caseload_list_free(&page);
			break;
		}
		/* keep the whole walk in all, in display order */
		struct caseload_list merged = {0};
		struct caseload_list *first = backward ? &page : &all, *second = backward ? &all : &page;
		for (size_t i = 0; i < first->len; i++)
			*LIST_PUSH(&merged) = first->items[i];
		for (size_t i = 0; i < second->len; i++)
			*LIST_PUSH(&merged) = second->items[i];
		free(all.items);
		free(page.items);
		all = merged;
	}
	for (size_t i = 0; i < all.len; i++)
		buf_addf(out, "%lld ", all.items[i].id);
	caseload_list_free(&all);
}

/* Whether the walks forward and backward both give want (freed), else
 * fail naming the order and `what`; 1 when want has rows. */
static int walks_give(const struct caseload_query *q, struct buf *want, const char *what)
{
	struct buf fwd = {0}, back = {0};
	walk(q, false, &fwd);
	walk(q, true, &back);
	if (strcmp(want->s ? want->s : "", fwd.s ? fwd.s : "") != 0 ||
	    strcmp(want->s ? want->s : "", back.s ? back.s : "") != 0)
		fail_msg("by %s, %s:\n want %s\n forward %s\n backward %s", view_order_name(q->order),
		         what, want->s, fwd.s, back.s);
	int rows = want->len > 0;
	buf_free(want);
	buf_free(&fwd);
	buf_free(&back);
	return rows;
}

/* The caseload's minutes column: one statement for a page of rows, on
 * episode's patient index and time_log's episode index, whatever the
 * page's size; the same minutes as the chart's episode list. */
static void caseload_minutes(void **state)
{
	(void)state;
	struct err e = {0};
	struct caseload_query q = {.today = TODAY, .now = NOW};
	struct caseload_list l = {0};
	bool more;
	assert_int_equal(store_view_caseload(S, &q, NULL, false, 120, &l, &more, &e), 0);
	assert_true(l.len > VIEW_MINUTES_IDS + 1);
	strlist_free(&ran);
	assert_int_equal(store_view_caseload_minutes(S, "2026-11-01", "2026-11-30", &l, 0, 7, &e), 0);
	check("caseload minutes, a short page", NULL, STRICT);
	assert_int_equal(store_view_caseload_minutes(S, "2026-11-01", "2026-11-30", &l, 0, l.len,
	                                             &e), 0);
	check("caseload minutes, pages of the most ids", NULL, STRICT);
	int timed = 0;
	for (size_t i = 0; i < l.len; i++) {
		struct episode_list eps = {0};
		assert_int_equal(store_episode_list(S, l.items[i].id, NULL, "2026-11-01", "2026-11-30",
		                                    &eps, &e), 0);
		int k = 0;
		for (size_t j = 0; j < eps.len; j++) {
			if (!episode_open(eps.items[j].status) || strcmp(eps.items[j].program, "tcm") == 0)
				continue;
			assert_true(k < l.items[i].n_timed);
			assert_string_equal(l.items[i].timed[k].program, eps.items[j].program);
			assert_int_equal(l.items[i].timed[k].minutes, eps.items[j].minutes);
			timed += eps.items[j].minutes > 0;
			k++;
		}
		assert_int_equal(k, l.items[i].n_timed);
		episode_list_free(&eps);
	}
	assert_true(timed > 0);
	caseload_list_free(&l);
}

/* The VM steps of the page's next-appointment statement (the one that
 * reads the appointments ahead), since its last run (the profile trace:
 * each run's own count). */
static long long most_steps;
static int on_profile(unsigned what, void *ctx, void *p, void *x)
{
	(void)ctx;
	(void)x;
	const char *sql = sqlite3_sql(p);
	if (what == SQLITE_TRACE_PROFILE && sql && strstr(sql, "start_utc >= ?1")) {
		long long n = sqlite3_stmt_status(p, SQLITE_STMTSTATUS_VM_STEP, 1);
		if (n > most_steps)
			most_steps = n;
	}
	return 0;
}

static long long next_steps(const struct caseload_query *q, struct caseload_list *l)
{
	struct err e = {0};
	most_steps = 0;
	sqlite3_trace_v2(S->db, SQLITE_TRACE_PROFILE, on_profile, NULL);
	assert_int_equal(store_view_caseload_next(S, q, l, 0, l->len, &e), 0);
	sqlite3_trace_v2(S->db, SQLITE_TRACE_STMT, on_trace, NULL);
	return most_steps;
}

/* A page's next appointments read each patient's first, not all it has
 * ahead: a patient with 400 more appointments ahead costs the page's
 * statements no more steps (a plan with no SCAN may still walk them all). */
static void caseload_next_first(void **state)
{
	(void)state;
	struct err e = {0};
	struct caseload_query q = {.today = TODAY, .now = NOW};
	struct caseload_list l = {0};
	bool more;
	assert_int_equal(store_view_caseload(S, &q, NULL, false, 20, &l, &more, &e), 0);
	assert_true(l.len > 1);
	next_steps(&q, &l);      /* (a cached statement's count since it was made, reset) */
	long long before = next_steps(&q, &l);
	char *sql = xasprintf(
		"WITH RECURSIVE k(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM k WHERE x < 400) "
		"INSERT INTO appointment(uid, patient_id, title, start_utc, end_utc, transport, "
		"created, updated) SELECT 'many-' || x, %lld, 'Visit', %lld + x * 3600, "
		"%lld + x * 3600 + 1800, 'none', 0, 0 FROM k", l.items[0].id, NOW + 86400, NOW + 86400);
	run_sql(sql);
	free(sql);
	long long after = next_steps(&q, &l);
	assert_true(before > 0);
	assert_true(l.items[0].next_appt > 0);
	run_sql("DELETE FROM appointment WHERE uid LIKE 'many-%'");
	if (after > before + 40)
		fail_msg("the next appointments took %lld VM steps, %lld before the patient's 400 "
		         "appointments ahead", after, before);
	caseload_list_free(&l);
}

static void caseload_results(void **state)
{
	(void)state;
	sqlite3_trace_v2(S->db, 0, NULL, NULL);
	int compared = 0;
	/* the search rows' order columns follow the patient's need_due (a
	 * trigger): move many tasks, so many patients change place */
	run_sql("UPDATE task SET due = '2026-10-0' || (id % 9 + 1) WHERE id % 7 = 0 AND due IS NOT NULL");
	for (int order = 0; order < VIEW_N_ORDERS; order++)
		for (unsigned f = 0; f < 256; f++) {
			if (((f & 32) && !(f & 4)) || ((f & 64) && !(f & 16)) || ((f & 128) && !(f & 16)))
				continue;
			/* a start of a word, and a word longer than its search rows */
			const char *word = f & 128 ? "mart" : "ma";
			struct caseload_query q = {.order = order, .search = f & 16 ? word : NULL,
			                           .risk = f & 1 ? "high" : NULL, .overdue_only = f & 2,
			                           .review_only = f & 4, .review_few = f & 32,
			                           .size = f & 64 ? 1 : 0,
			                           .coordinator = f & 8 ? "coord3" : NULL,
			                           .today = TODAY, .now = NOW};
			struct buf want = {0};
			reference(&q, &want);
			char what[64];
			snprintf(what, sizeof what, "filters %u", f);
			compared += walks_give(&q, &want, what);
		}
	assert_true(compared > 40);
	sqlite3_trace_v2(S->db, SQLITE_TRACE_STMT, on_trace, NULL);
}

/* A search's pages (search_first: a word's start, or two words' pair
 * row) list what `patient list --search` lists (patient_search's ranges
 * intersected), in the order the plain reference gives the caseload. */
static void search_reference(const struct caseload_query *q, struct buf *out)
{
	struct caseload_query plain = *q;
	struct buf all = {0};
	struct patient_list l = {0};
	struct err e = {0};
	plain.search = NULL;
	reference(&plain, &all);
	const struct patient_query pq = {.search = q->search};
	assert_int_equal(store_patient_list(S, &pq, &l, &e), 0);
	for (char *at = all.s; at && *at;) {
		char *end;
		long long id = strtoll(at, &end, 10);
		for (size_t i = 0; i < l.len; i++)
			if (l.items[i].id == id)
				buf_addf(out, "%lld ", id);
		at = end + (*end == ' ');
	}
	patient_list_free(&l);
	buf_free(&all);
}

static void search_results(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"Chen, W", "chen w", "w chen", "Chen, Wei", "su chen", "chen ch", "Núñez", "nunez j",
		"núñez, jo", "ode zo", "mar a", "smi j", "smith, j", "ann b", "jo smi", "mary ann",
		"o'brien m", "1005", "555 2005", "ma 1005", "che w x", "a b c", "zz chen",
		"thomp", "thoma", "thompson, tho", "tho thomp", "chen, we", "chen wi", "wei che",
		"thomas wx", "smi jen"};
	sqlite3_trace_v2(S->db, 0, NULL, NULL);
	int compared = 0;
	for (int order = 0; order < VIEW_N_ORDERS; order++)
		for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
			struct caseload_query q = {.order = order, .search = texts[k], .today = TODAY,
			                           .now = NOW, .size = N_PATIENTS};
			struct buf want = {0};
			search_reference(&q, &want);
			compared += walks_give(&q, &want, texts[k]);
		}
	assert_true(compared > 40);
	sqlite3_trace_v2(S->db, SQLITE_TRACE_STMT, on_trace, NULL);
}

/* The pair rows the migration makes for the patients there are the ones
 * search_index wrote for each. */
static void search_pair_rows(void **state)
{
	(void)state;
	long long n = 0, differ = -1;
	run_sql("CREATE TEMP TABLE pair_was AS SELECT token, patient_id, need_due, family, given, "
	        "words FROM search_first WHERE token LIKE '% %'; "
	        "DELETE FROM search_first WHERE token LIKE '% %'");
	int m = 0;
	while (m < store_n_migrations && !strstr(store_migrations[m].sql, "substr(a.token, 1, 3)"))
		m++;
	assert_true(m < store_n_migrations);
	run_sql(store_migrations[m].sql);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(S->db,
		"SELECT (SELECT count(*) FROM pair_was), (SELECT count(*) FROM (SELECT token, "
		"patient_id, need_due, family, given FROM search_first WHERE token LIKE '% %' EXCEPT "
		"SELECT token, patient_id, need_due, family, given FROM pair_was) AS a) + "
		"(SELECT count(*) FROM (SELECT token, patient_id, need_due, family, given FROM "
		"pair_was EXCEPT SELECT token, patient_id, need_due, family, given FROM search_first "
		"WHERE token LIKE '% %') AS b)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	differ = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	/* the rows as they were (their words: migration 37, after this one) */
	run_sql("DELETE FROM search_first WHERE token LIKE '% %'; "
	        "INSERT INTO search_first(token, patient_id, need_due, family, given, words) "
	        "SELECT * FROM pair_was; DROP TABLE pair_was");
	assert_true(n > N_PATIENTS);
	assert_int_equal(differ, 0);
}

/* The words migration 37 gives the rows there are the ones search_index
 * wrote for each (the patient's words with the row's start, or on a pair
 * row with either part: two at least). */
static void search_words_rows(void **state)
{
	(void)state;
	long long n = 0, differ = -1, odd = -1;
	int m = 0;
	while (m < store_n_migrations && !strstr(store_migrations[m].sql, "ADD COLUMN words"))
		m++;
	assert_true(m < store_n_migrations);
	const char *from = strstr(store_migrations[m].sql, "UPDATE search_first SET words");
	assert_non_null(from);
	const char *end = strstr(from, ";\n");
	assert_non_null(end);
	char *fill = xasprintf("%.*s", (int)(end - from + 1), from);
	run_sql("CREATE TEMP TABLE words_were AS SELECT token, patient_id, words FROM search_first; "
	        "UPDATE search_first SET words = NULL");
	run_sql(fill);
	free(fill);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(S->db,
		"SELECT (SELECT count(*) FROM words_were), (SELECT count(*) FROM (SELECT token, "
		"patient_id, words FROM search_first EXCEPT SELECT * FROM words_were) AS a) + "
		"(SELECT count(*) FROM (SELECT * FROM words_were EXCEPT SELECT token, patient_id, "
		"words FROM search_first) AS b), (SELECT count(*) FROM words_were WHERE words IS NULL "
		"OR words NOT LIKE ' %' OR (token LIKE '% %' AND words NOT LIKE '% % %'))",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	differ = sqlite3_column_int64(st, 1);
	odd = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	run_sql("DROP TABLE words_were");
	assert_true(n > 3 * N_PATIENTS);
	assert_int_equal(odd, 0);
	assert_int_equal(differ, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(caseload_plans),
		cmocka_unit_test(search_page_plans),
		cmocka_unit_test(caseload_page_plans),
		cmocka_unit_test(task_plans),
		cmocka_unit_test(task_view_plans),
		cmocka_unit_test(review_plans),
		cmocka_unit_test(listing_plans),
		cmocka_unit_test(caseload_next_first),
		cmocka_unit_test(caseload_results),
		cmocka_unit_test(caseload_minutes),
		cmocka_unit_test(search_results),
		cmocka_unit_test(search_pair_rows),
		cmocka_unit_test(search_words_rows),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
