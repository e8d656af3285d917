/* Unit tests: the daily review's codes, its order and grouping, progress
 * marks and the actions' refusals, on a scratch database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/care.h"
#include "caseload/config.h"
#include "caseload/demo.h"
#include "caseload/model.h"
#include "caseload/patient.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_view.h"
#include "caseload/tz.h"
#include "fixture.h"

static void test_codes(void **state)
{
	(void)state;
	static const char *const codes[] = {"task-overdue", "task-due", "transport", "appt-confirm",
	                                    "refill", "tcm-contact", "tcm-visit", "cadence",
	                                    "ccm-minutes", "noshow", "unreviewed",
	                                    "consent-missing", "ccm-eligible"};
	assert_int_equal(REASON_N, 13);
	for (int i = 0; i < REASON_N; i++) {
		assert_string_equal(review_reason_code((enum review_reason)i), codes[i]);
		assert_int_equal(review_reason_find(codes[i]), i);
		assert_true(strlen(review_reason_help((enum review_reason)i)) > 10);
	}
	assert_int_equal(review_reason_find("task_overdue"), -1);
	assert_int_equal(review_reason_find(NULL), -1);
	assert_string_equal(review_severity_name(SEV_URGENT), "urgent");
	assert_string_equal(review_severity_name(SEV_LOW), "low");
}

static void push(struct review_list *l, long long pid, const char *detail)
{
	struct review_item *it = LIST_PUSH(l);
	it->patient_id = pid;
	it->patient = xstrdup("x");
	it->detail = xstrdup(detail);
}

static void test_group(void **state)
{
	(void)state;
	struct review_list l = {0};
	push(&l, 5, "a");
	push(&l, 7, "b");
	push(&l, 5, "c");
	push(&l, 9, "d");
	push(&l, 7, "e");
	push(&l, 5, "f");
	review_group(&l);
	const char *want = "acfbed";
	assert_int_equal(l.len, 6);
	for (size_t i = 0; i < l.len; i++)
		assert_int_equal(l.items[i].detail[0], want[i]);
	review_list_free(&l);
	assert_null(l.items);
	review_group(&l);          /* empty: nothing to do */
	assert_int_equal(l.len, 0);
	/* moved in place: one long cycle with places that stay, then two
	 * short cycles */
	static const struct {
		long long pids[8];
		const char *want;
	} cases[] = {{{3, 1, 3, 2, 1, 2, 4, 3}, "achbedfg"}, {{1, 2, 1, 2, 3, 4, 3, 4}, "acbdegfh"}};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (int i = 0; i < 8; i++)
			push(&l, cases[k].pids[i], (char[]){(char)('a' + i), '\0'});
		review_group(&l);
		assert_int_equal(l.len, 8);
		for (size_t i = 0; i < l.len; i++)
			assert_int_equal(l.items[i].detail[0], cases[k].want[i]);
		review_list_free(&l);
	}
}

static long long patient(struct store *s, const char *family, const char *risk)
{
	struct patient p = {.family = family, .given = "", .risk = risk};
	struct err e = {0};
	assert_int_equal(store_patient_add(s, &p, &e), 0);
	/* reached yesterday: the cadence rule stays quiet */
	struct entry en = {.patient_id = p.id, .kind = "call", .outcome = "reached",
	                   .at = (long long)(date_from_ymd(2026, 11, 23)) * 86400 + 15 * 3600};
	assert_int_equal(store_entry_add(s, &en, &e), 0);
	return p.id;
}

static long long task(struct store *s, long long pid, const char *title, const char *due,
                      const char *priority)
{
	struct task t = {.patient_id = pid, .title = title, .due = due,
	                 .priority = priority};
	struct err e = {0};
	assert_int_equal(store_task_add(s, &t, &e), 0);
	return t.id;
}

static void test_build_order(void **state)
{
	struct store *s = *state;
	struct config cfg;
	struct err e = {0};
	config_defaults(&cfg);
	cfg.timezone = xstrdup("America/New_York");
	int today = date_from_ymd(2026, 11, 24);
	long long a = patient(s, "Alpha", "low"), b = patient(s, "Beta", "high");
	task(s, a, "a due today", "2026-11-24", NULL);
	long long late = task(s, b, "b three days late", "2026-11-21", NULL);
	task(s, a, "a one day late", "2026-11-23", NULL);
	task(s, b, "b urgent", "2026-11-24", "stat");
	task(s, a, "a tomorrow", "2026-11-25", NULL);
	struct review_list l = {0};
	assert_int_equal(review_build(s, today, &cfg, &l, &e), 0);
	/* severity first, then the longest overdue */
	assert_int_equal(l.len, 4);
	assert_string_equal(l.items[0].detail, "b three days late: due 2026-11-21, 3 days overdue");
	assert_int_equal(l.items[0].severity, SEV_HIGH);
	assert_int_equal(l.items[0].reason, REASON_TASK_OVERDUE);
	assert_string_equal(l.items[0].ref_table, "task");
	assert_int_equal(l.items[0].ref_id, late);
	assert_string_equal(l.items[1].detail, "a one day late: due 2026-11-23, 1 day overdue");
	assert_string_equal(l.items[2].detail, "b urgent: due today");
	assert_int_equal(l.items[2].severity, SEV_HIGH);
	assert_string_equal(l.items[3].detail, "a due today: due today");
	assert_int_equal(l.items[3].severity, SEV_MEDIUM);
	review_group(&l);
	assert_int_equal(l.items[0].patient_id, b);
	assert_int_equal(l.items[1].patient_id, b);
	assert_int_equal(l.items[2].patient_id, a);
	review_list_free(&l);

	assert_int_equal(review_build_patient(s, a, today, &cfg, &l, &e), 0);
	assert_int_equal(l.len, 2);
	review_list_free(&l);
	assert_int_equal(review_build_patient(s, 999, today, &cfg, &l, &e), ERR_NOTFOUND);
	assert_non_null(strstr(e.msg, "999"));

	/* closing and snoozing through the actions */
	assert_int_equal(care_task_done(s, late, 1, NULL, &e), 0);
	assert_int_equal(care_task_done(s, late, 1, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "already completed"));
	assert_int_equal(care_task_snooze(s, late + 2, today, today, NULL, &e), ERR_USAGE);
	assert_int_equal(care_task_snooze(s, late + 2, today, today + 1, NULL, &e), 0);
	assert_int_equal(review_build(s, today, &cfg, &l, &e), 0);
	assert_int_equal(l.len, 2);
	review_list_free(&l);
	config_free(&cfg);
}

static void test_marks_and_refusals(void **state)
{
	struct store *s = *state;
	struct err e = {0};
	int today = date_from_ymd(2026, 11, 24);
	long long p = patient(s, "Gamma", "medium");
	enum review_state st;
	assert_int_equal(review_mark_get(s, today, p, &st, &e), 0);
	assert_int_equal(st, REVIEW_NONE);
	assert_int_equal(review_mark(s, today, p, REVIEW_SKIPPED, NULL, &e), 0);
	assert_int_equal(review_mark(s, today, p, REVIEW_DONE, NULL, &e), 0);
	assert_int_equal(review_mark_get(s, today, p, &st, &e), 0);
	assert_int_equal(st, REVIEW_DONE);
	assert_int_equal(review_mark_get(s, today + 1, p, &st, &e), 0);
	assert_int_equal(st, REVIEW_NONE);
	assert_int_equal(review_mark(s, today, p, REVIEW_NONE, NULL, &e), 0);
	assert_int_equal(review_mark_get(s, today, p, &st, &e), 0);
	assert_int_equal(st, REVIEW_NONE);
	assert_int_equal(review_mark(s, today, 12345, REVIEW_DONE, NULL, &e), ERR_NOTFOUND);

	struct entry note = {.patient_id = p, .kind = "note", .text = "x", .at = 1};
	assert_int_equal(store_entry_add(s, &note, &e), 0);
	assert_int_equal(care_acknowledge(s, note.id, 2, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "needs no acknowledging"));
	struct entry res = {.patient_id = p, .kind = "result", .text = "x", .at = 1,
	                    .needs_review = true};
	assert_int_equal(store_entry_add(s, &res, &e), 0);
	assert_int_equal(care_acknowledge(s, res.id, 2, NULL, &e), 0);
	assert_int_equal(care_acknowledge(s, res.id, 3, NULL, &e), ERR_CONFLICT);
	assert_int_equal(care_acknowledge(s, 99999, 3, NULL, &e), ERR_NOTFOUND);

	struct appointment a = {.patient_id = p, .uid = "u1@test", .title = "Visit",
	                        .start = 1800000000, .end = 1800001800, .transport = "none"};
	assert_int_equal(store_appt_add(s, &a, &e), 0);
	assert_int_equal(care_confirm_transport(s, a.id, 5, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "needs no transport"));
}

/* One definition of "needs review": on the demo caseload, the queue, the
 * count, the batch verdict (the `!` marks) and the caseload's filter give
 * the same patients, before and after marks; a skip keeps a patient. */
static size_t filter_ids(struct store *s, int today, const struct config *cfg, long long *ids,
                         size_t cap)
{
	struct err e = {0};
	char d[DATE_STRLEN];
	struct caseload_query q = {.order = VIEW_BY_NAME, .review_only = true,
	                           .today = date_format(today, d)};
	struct caseload_list l = {0};
	bool more = false;
	assert_int_equal(review_need_select(s, today, cfg, &e), 0);
	assert_int_equal(store_view_caseload(s, &q, NULL, false, (int)cap, &l, &more, &e), 0);
	assert_false(more);
	size_t n = l.len;
	for (size_t i = 0; i < n; i++)
		ids[i] = l.items[i].id;
	caseload_list_free(&l);
	return n;
}

/* The "needs review" filter on the set a screen's verdicts keep
 * (keeps_set), walked 7 rows a page by name; `few` reads the set whole. */
static size_t kept_ids(struct store *s, int today, bool few, long long *ids, size_t cap)
{
	struct err e = {0};
	char d[DATE_STRLEN];
	struct caseload_query q = {.order = VIEW_BY_NAME, .review_only = true, .review_few = few,
	                           .today = date_format(today, d)};
	struct caseload_list l = {0};
	bool more = true;
	while (more) {
		size_t had = l.len;
		assert_int_equal(store_view_caseload(s, &q, had ? &l.items[had - 1] : NULL, false, 7,
		                                     &l, &more, &e), 0);
		if (l.len == had)
			break;
	}
	assert_true(l.len <= cap);
	size_t n = l.len;
	for (size_t i = 0; i < n; i++)
		ids[i] = l.items[i].id;
	caseload_list_free(&l);
	return n;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* A review cache gives the queue's count, verdicts and order. */
static void cache_agrees(struct store *s, const struct review_cache *rc,
                         const struct review_queue *q, long long count)
{
	struct err e = {0};
	struct review_queue kq = {0};
	assert_int_equal(rc->need, count);
	assert_int_equal(review_cache_queue(s, rc, &kq, &e), 0);
	assert_int_equal(kq.len, q->len);
	assert_int_equal(kq.n_items, q->n_items);
	for (size_t i = 0; i < q->len; i++) {
		assert_int_equal(kq.items[i].id, q->items[i].id);
		assert_int_equal(kq.items[i].n_items, q->items[i].n_items);
		assert_int_equal(kq.items[i].state, q->items[i].state);
		if (q->items[i].n_items)
			assert_int_equal(kq.items[i].worst, q->items[i].worst);
		assert_int_equal(review_cache_needs(rc, q->items[i].id),
		                 review_patient_needs(&q->items[i]));
	}
	review_queue_free(&kq);
	/* read in place (the card): the same queue, each patient found */
	struct review_cache_view v;
	size_t at, n[3], by_state[3] = {0};
	assert_int_equal(review_cache_view_open(s, rc, &v, &e), 0);
	assert_int_equal(review_cache_view_len(&v), q->len);
	for (size_t i = 0; i < q->len; i++) {
		struct review_patient p = review_cache_view_at(&v, i, NULL);
		assert_int_equal(p.id, q->items[i].id);
		assert_int_equal(p.n_items, q->items[i].n_items);
		assert_int_equal(p.state, q->items[i].state);
		assert_true(review_cache_view_find(&v, p.id, &at));
		assert_int_equal(at, i);
		by_state[p.state]++;
	}
	assert_int_equal(review_cache_view_at(&v, q->len, NULL).id, 0);
	assert_int_equal(review_cache_view_counts(s, &v, n, &e), 0);
	assert_memory_equal(n, by_state, sizeof n);
	review_cache_view_free(&v);
}

/* The spilled review against the whole list: the same queue, and the
 * same items in the same order (review_queue's, grouped). */
struct spilled {
	struct review_list l;
	enum review_state st[1024];
};

static int take_spilled(void *arg, const struct review_item *it, enum review_state st)
{
	struct spilled *sp = arg;
	assert_true(sp->l.len < 1024);
	sp->st[sp->l.len] = st;
	struct review_item *c = LIST_PUSH(&sp->l);
	*c = *it;
	c->patient = xstrdup(it->patient);
	c->detail = xstrdup(it->detail);
	return 0;
}

static void count_seen(void *arg, const struct review_item *it, enum review_state st)
{
	(void)it;
	(void)st;
	(*(size_t *)arg)++;
}

static bool even_only(const void *arg, long long id)
{
	(void)arg;
	return id % 2 == 0;
}

static void spill_agrees(struct store *s, int today, const struct config *cfg,
                         const struct review_filter *f, bool even)
{
	struct err e = {0};
	struct review_queue q = {0}, sq = {0};
	struct review_list l = {0};
	struct spilled got = {0};
	size_t seen = 0;
	assert_int_equal(review_queue(s, today, cfg, f, &q, &l, &e), 0);
	if (even) {          /* what a scope of even ids leaves */
		size_t k = 0;
		for (size_t i = 0; i < l.len; i++) {
			if (l.items[i].patient_id % 2 == 0) {
				l.items[k++] = l.items[i];
			} else {
				free(l.items[i].patient);
				free(l.items[i].detail);
			}
		}
		l.len = k;
		k = 0;
		for (size_t i = 0; i < q.len; i++)
			if (q.items[i].id % 2 == 0)
				q.items[k++] = q.items[i];
		q.len = k;
		q.n_items = l.len;
	}
	struct review_stream how = {.filter = f, .in_scope = even ? even_only : NULL,
	                            .seen = count_seen, .item = take_spilled, .arg = &got};
	/* seen before any item: count_seen and take_spilled share no arg */
	how.arg = &seen;
	how.item = NULL;
	assert_int_equal(review_spill(s, today, cfg, &how, &sq, &e), 0);
	how.arg = &got;
	how.item = take_spilled;
	assert_int_equal(review_spill_each(s, &how, &e), 0);
	assert_int_equal(seen, l.len);
	assert_true(l.len > 0);
	assert_int_equal(sq.len, q.len);
	assert_int_equal(sq.n_items, q.n_items);
	for (size_t i = 0; i < q.len; i++) {
		assert_int_equal(sq.items[i].id, q.items[i].id);
		assert_int_equal(sq.items[i].n_items, q.items[i].n_items);
		assert_int_equal(sq.items[i].worst, q.items[i].worst);
		assert_int_equal(sq.items[i].state, q.items[i].state);
	}
	assert_int_equal(got.l.len, l.len);
	for (size_t i = 0; i < l.len; i++) {
		const struct review_item *a = &l.items[i], *b = &got.l.items[i];
		assert_int_equal(a->patient_id, b->patient_id);
		assert_int_equal(a->reason, b->reason);
		assert_int_equal(a->severity, b->severity);
		assert_int_equal(a->due, b->due);
		assert_int_equal(a->ref_id, b->ref_id);
		assert_int_equal(a->ref_at, b->ref_at);
		assert_string_equal(a->ref_table, b->ref_table);
		assert_string_equal(a->patient, b->patient);
		assert_string_equal(a->detail, b->detail);
		enum review_state st = REVIEW_NONE;
		for (size_t k = 0; k < q.len; k++)
			if (q.items[k].id == a->patient_id)
				st = q.items[k].state;
		assert_int_equal(got.st[i], st);
	}
	review_list_free(&got.l);
	review_list_free(&l);
	review_queue_free(&q);
	review_queue_free(&sq);
}

/* kept: the verdicts a screen kept current since the start (may be NULL) */
static void agree(struct store *s, int today, const struct config *cfg,
                  const struct review_cache *kept, size_t *need_out)
{
	struct err e = {0};
	struct review_queue q = {0};
	long long count = -1, from_queue[512], from_filter[512], from_marks[512];
	size_t nq = 0, nm = 0;
	assert_int_equal(review_queue(s, today, cfg, NULL, &q, NULL, &e), 0);
	assert_int_equal(review_need_count(s, today, cfg, &count, &e), 0);
	/* the screen's verdicts, a few patients a step, come to the same */
	struct review_cache rc = {0};
	int steps = 0;
	review_cache_start(&rc, today);
	while (!rc.done && steps++ < 1000)
		assert_int_equal(review_cache_step(s, cfg, &rc, 3, &e), 0);
	assert_true(rc.done);
	assert_true(steps > 2);
	cache_agrees(s, &rc, &q, count);
	review_cache_free(&rc);
	if (kept)
		cache_agrees(s, kept, &q, count);
	/* every active patient through the batch verdict */
	long long all[512];
	bool need[512];
	struct caseload_list l = {0};
	char d[DATE_STRLEN];
	struct caseload_query cq = {.order = VIEW_BY_NAME, .today = date_format(today, d)};
	assert_int_equal(store_view_caseload(s, &cq, NULL, false, 500, &l, NULL, &e), 0);
	for (size_t i = 0; i < l.len; i++)
		all[i] = l.items[i].id;
	assert_int_equal(review_needs(s, today, cfg, all, l.len, need, &e), 0);
	for (size_t i = 0; i < l.len; i++)
		if (need[i])
			from_marks[nm++] = all[i];
	/* the set the screen's verdicts keep, paged in the caseload's order
	 * (from_marks is in it: by name), read whole or looked up */
	if (kept && kept->keeps_set)
		for (int few = 0; few < 2; few++) {
			long long from_kept[512];
			size_t nk = kept_ids(s, today, few, from_kept, 512);
			assert_int_equal(nk, nm);
			assert_memory_equal(from_kept, from_marks, nm * sizeof *from_marks);
		}
	for (size_t i = 0; i < q.len; i++)
		if (review_patient_needs(&q.items[i]))
			from_queue[nq++] = q.items[i].id;
	size_t nf = filter_ids(s, today, cfg, from_filter, 500);
	assert_true(nq > 5);
	assert_int_equal((long long)nq, count);
	assert_int_equal(nm, nq);
	assert_int_equal(nf, nq);
	qsort(from_queue, nq, sizeof *from_queue, cmp_ll);
	qsort(from_marks, nm, sizeof *from_marks, cmp_ll);
	qsort(from_filter, nf, sizeof *from_filter, cmp_ll);
	assert_memory_equal(from_queue, from_marks, nq * sizeof *from_queue);
	assert_memory_equal(from_queue, from_filter, nq * sizeof *from_queue);
	spill_agrees(s, today, cfg, NULL, false);
	spill_agrees(s, today, cfg, NULL, true);
	caseload_list_free(&l);
	review_queue_free(&q);
	*need_out = nq;
}

/* A demo caseload of 60 patients on 3 Dec 2026 in the file `name`. */
static struct store *demo_store(const char *name, unsigned long long seed, struct demo_opts *o)
{
	struct store *s = NULL;
	struct err e = {0};
	struct store_opts so = {.user = "tester"};
	assert_int_equal(store_open(&s, fixture_path(name), &so, &e), 0);
	int today = date_from_ymd(2026, 12, 3);
	*o = (struct demo_opts){.patients = 60, .seed = seed, .today = today,
	                        .now = (long long)today * 86400 + 9 * 3600, .zone = "UTC"};
	struct demo_counts n;
	assert_int_equal(demo_fill(s, o, &n, &e), 0);
	return s;
}

static void demo_drop(struct store **s, const char *name)
{
	store_close(s);
	const char *const ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char file[200];
		snprintf(file, sizeof file, "%s%s", fixture_path(name), ext[i]);
		unlink(file);
	}
}

static void test_one_definition(void **state)
{
	(void)state;
	struct err e = {0};
	struct demo_opts o;
	struct store *s = demo_store("demo.db", 1, &o);
	struct config cfg;
	config_defaults(&cfg);
	int today = o.today;
	size_t before, after;
	struct review_cache kept = {.keeps_set = true};
	review_cache_start(&kept, today);
	while (!kept.done)
		assert_int_equal(review_cache_step(s, &cfg, &kept, 16, &e), 0);
	assert_true(kept.keeps_set);
	assert_int_equal(kept.active, 60);
	agree(s, today, &cfg, &kept, &before);

	struct review_queue q = {0};
	assert_int_equal(review_queue(s, today, &cfg, NULL, &q, NULL, &e), 0);
	struct change ch = {0};
	assert_int_equal(review_mark(s, today, q.items[0].id, REVIEW_SKIPPED, &ch, &e), 0);
	assert_true(change_has(&ch, CHANGE_REVIEW));
	assert_int_equal(ch.patient_id, q.items[0].id);
	assert_int_equal(review_cache_update(s, &cfg, &kept, ch.patient_id, &e), 0);
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before);       /* skipped still needs review */
	assert_int_equal(review_mark(s, today, q.items[1].id, REVIEW_DONE, NULL, &e), 0);
	assert_int_equal(review_cache_update(s, &cfg, &kept, q.items[1].id, &e), 0);
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before - 1);   /* reviewed does not */
	/* unmarked, the patient goes back to its place in the queue (inside
	 * its run of severity and due date, by id), then marked again */
	for (size_t k = 2; k < 6 && k < q.len; k++) {
		assert_int_equal(review_mark(s, today, q.items[k].id, REVIEW_DONE, NULL, &e), 0);
		assert_int_equal(review_cache_update(s, &cfg, &kept, q.items[k].id, &e), 0);
	}
	for (size_t k = 2; k < 6 && k < q.len; k++) {
		assert_int_equal(review_mark(s, today, q.items[k].id, REVIEW_NONE, NULL, &e), 0);
		assert_int_equal(review_cache_update(s, &cfg, &kept, q.items[k].id, &e), 0);
	}
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before - 1);
	assert_int_equal(review_mark(s, today, q.items[1].id, REVIEW_NONE, NULL, &e), 0);
	assert_int_equal(review_cache_update(s, &cfg, &kept, q.items[1].id, &e), 0);
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before);
	assert_int_equal(review_mark(s, today, q.items[1].id, REVIEW_DONE, NULL, &e), 0);
	assert_int_equal(review_cache_update(s, &cfg, &kept, q.items[1].id, &e), 0);
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before - 1);

	/* a patient whose only item goes away: the kept verdict follows */
	struct review_list items = {0};
	assert_int_equal(review_build(s, today, &cfg, &items, &e), 0);
	long long done_task = 0, done_pid = 0;
	for (size_t i = 0; i < items.len && !done_task; i++) {
		const struct review_item *it = &items.items[i];
		size_t mine = 0;
		for (size_t k = 0; k < items.len; k++)
			mine += items.items[k].patient_id == it->patient_id;
		if (mine == 1 && !strcmp(it->ref_table, "task"))
			done_task = it->ref_id, done_pid = it->patient_id;
	}
	review_list_free(&items);
	assert_true(done_task > 0);
	assert_true(review_cache_needs(&kept, done_pid));
	struct change tc = {0};
	assert_int_equal(care_task_done(s, done_task, o.now, &tc, &e), 0);
	assert_int_equal(tc.patient_id, done_pid);
	assert_int_equal(review_cache_update(s, &cfg, &kept, tc.patient_id, &e), 0);
	assert_false(review_cache_needs(&kept, done_pid));
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before - 2);

	/* a patient who needs review made inactive: out of the kept count
	 * of patients, of the count that need review and of their set */
	struct review_queue q2 = {0};
	assert_int_equal(review_queue(s, today, &cfg, NULL, &q2, NULL, &e), 0);
	long long gone = 0;
	for (size_t i = 0; i < q2.len && !gone; i++)
		if (review_patient_needs(&q2.items[i]))
			gone = q2.items[i].id;
	review_queue_free(&q2);
	assert_true(gone > 0);
	struct patient pt = {0};
	assert_int_equal(store_patient_get(s, gone, &pt, &e), 0);
	str_set(&pt.status, "inactive");
	struct change pc = {0};
	assert_int_equal(patient_edit(s, &(struct patient_req){.p = &pt}, &pc, &e), 0);
	patient_clear(&pt);
	assert_int_equal(review_cache_update(s, &cfg, &kept, gone, &e), 0);
	assert_int_equal(kept.active, 59);
	assert_false(review_cache_needs(&kept, gone));
	agree(s, today, &cfg, &kept, &after);
	assert_int_equal(after, before - 3);
	review_cache_free(&kept);

	/* the filter narrows the queue, the counts stay exact */
	struct review_filter f;
	struct review_queue u = {0};
	assert_int_equal(review_filter_parse(&f, "urgent", NULL, &e), 0);
	assert_int_equal(review_queue(s, today, &cfg, &f, &u, NULL, &e), 0);
	assert_true(u.len < q.len);
	for (size_t i = 0; i < u.len; i++) {
		assert_int_equal(u.items[i].worst, SEV_URGENT);
		assert_true(u.items[i].n_items > 0);
	}
	spill_agrees(s, today, &cfg, &f, false);
	assert_int_equal(review_filter_parse(&f, "urgent,bad", NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'bad' is not a severity"));
	review_queue_free(&u);
	review_queue_free(&q);
	config_free(&cfg);
	demo_drop(&s, "demo.db");
}

/* The card's queue read in place keeps the order it opened with, as the
 * card walks it: marks do not move a patient, nor does the loss of its
 * items one the card showed (held); its numbers and counts follow. */
static void test_view_order(void **state)
{
	(void)state;
	struct err e = {0};
	struct demo_opts o;
	struct store *s = demo_store("view.db", 3, &o);
	struct config cfg;
	config_defaults(&cfg);
	int today = o.today;
	struct review_cache rc = {0};
	review_cache_start(&rc, today);
	while (!rc.done)
		assert_int_equal(review_cache_step(s, &cfg, &rc, 16, &e), 0);
	/* marked before the opening: the first part */
	struct review_queue q = {0};
	assert_int_equal(review_cache_queue(s, &rc, &q, &e), 0);
	assert_true(q.len > 12);
	assert_int_equal(review_mark(s, today, q.items[3].id, REVIEW_DONE, NULL, &e), 0);
	assert_int_equal(review_cache_update(s, &cfg, &rc, q.items[3].id, &e), 0);
	review_queue_free(&q);
	assert_int_equal(review_cache_queue(s, &rc, &q, &e), 0);
	struct review_cache_view v;
	assert_int_equal(review_cache_view_open(s, &rc, &v, &e), 0);
	assert_int_equal(v.n_first, 1);
	/* a patient whose only item is a task, held (shown) */
	struct review_list items = {0};
	assert_int_equal(review_build(s, today, &cfg, &items, &e), 0);
	long long task = 0, pid = 0;
	for (size_t i = 0; i < items.len && !task; i++) {
		size_t mine = 0;
		for (size_t k = 0; k < items.len; k++)
			mine += items.items[k].patient_id == items.items[i].patient_id;
		if (mine == 1 && !strcmp(items.items[i].ref_table, "task") &&
		    items.items[i].patient_id != q.items[0].id)
			task = items.items[i].ref_id, pid = items.items[i].patient_id;
	}
	review_list_free(&items);
	assert_true(task > 0);
	size_t at, held_at;
	struct review_key k;
	assert_true(review_cache_view_find(&v, pid, &held_at));
	assert_int_equal(review_cache_view_at(&v, held_at, &k).id, pid);
	review_cache_view_hold(&v, &k);
	/* walk: hold each, skip every other one */
	for (size_t i = 1; i < 9; i++) {
		struct review_patient p = review_cache_view_at(&v, i, &k);
		review_cache_view_hold(&v, &k);
		if (i % 2 && p.state == REVIEW_NONE) {
			assert_int_equal(review_mark(s, today, p.id, REVIEW_SKIPPED, NULL, &e), 0);
			assert_int_equal(review_cache_update(s, &cfg, &rc, p.id, &e), 0);
		}
	}
	struct change ch = {0};
	assert_int_equal(care_task_done(s, task, o.now, &ch, &e), 0);
	assert_int_equal(review_cache_update(s, &cfg, &rc, pid, &e), 0);
	assert_false(review_cache_needs(&rc, pid));
	/* the order it opened with; marks and items as they are now */
	size_t n[3], by_state[3] = {0};
	assert_int_equal(review_cache_view_len(&v), q.len);
	for (size_t i = 0; i < q.len; i++) {
		struct review_patient p = review_cache_view_at(&v, i, &k);
		assert_int_equal(p.id, q.items[i].id);
		assert_int_equal(p.state, i % 2 && i < 9 && i > 0 && q.items[i].state == REVIEW_NONE
		                          ? REVIEW_SKIPPED : q.items[i].state);
		assert_true(review_cache_view_find(&v, p.id, &at));
		assert_int_equal(at, i);
		if (i >= v.n_first) {
			assert_int_equal(review_cache_view_place(&v, &k, false), i);
			assert_int_equal(review_cache_view_place(&v, &k, true), i + 1);
		}
		by_state[p.state]++;
	}
	assert_int_equal(review_cache_view_at(&v, held_at, NULL).n_items, 0);
	assert_int_equal(review_cache_view_counts(s, &v, n, &e), 0);
	assert_memory_equal(n, by_state, sizeof n);
	assert_int_equal(n[REVIEW_SKIPPED], 4);
	review_cache_view_free(&v);
	review_queue_free(&q);
	review_cache_free(&rc);
	config_free(&cfg);
	demo_drop(&s, "view.db");
}

/* The card's texts from the configuration, and the task an item suggests. */
static void test_texts(void **state)
{
	(void)state;
	struct config cfg;
	config_defaults(&cfg);
	cfg.review.tcm_contact_bdays = 3;
	cfg.review.refill_days = 9;
	int today = date_from_ymd(2026, 11, 24);
	char why[256];
	struct review_item it = {.patient_id = 7, .reason = REASON_TCM_CONTACT, .severity = SEV_HIGH,
	                         .due = today + 1, .detail = (char[]){"discharged 2026-11-20 from X: ..."}};
	assert_string_equal(review_item_why(&it, today, &cfg, why, sizeof why),
	                    "a reached call or visit is due within 3 business days of discharge");
	it.reason = REASON_REFILL;
	it.detail = (char[]){"Metformin 500 mg: refill due 2026-11-27, no refill task open"};
	it.due = today + 3;
	assert_non_null(strstr(review_item_why(&it, today, &cfg, why, sizeof why), "within 9 days"));
	it.due = today - 2;
	assert_non_null(strstr(review_item_why(&it, today, &cfg, why, sizeof why), "overdue"));

	struct task k;
	review_item_task(&it, today, &k);
	assert_string_equal(k.title, "Request refill: Metformin 500 mg");
	assert_string_equal(k.kind, "refill");
	assert_string_equal(k.due, "2026-11-24");      /* overdue: due now */
	assert_int_equal(k.patient_id, 7);
	task_clear(&k);
	it.reason = REASON_TRANSPORT;
	it.detail = (char[]){"Cardiology 2026-11-27 10:30: transport needed, not confirmed"};
	it.due = today + 3;
	review_item_task(&it, today, &k);
	assert_string_equal(k.title, "Confirm transport: Cardiology 2026-11-27 10:30");
	assert_string_equal(k.due, "2026-11-26");      /* the day before */
	task_clear(&k);

	struct review_filter f;
	struct err e = {0};
	assert_int_equal(review_filter_parse_any(&f, "urgent, high tcm-contact", &e), 0);
	assert_int_equal(f.severities, (1u << SEV_URGENT) | (1u << SEV_HIGH));
	assert_int_equal(f.reasons, 1u << REASON_TCM_CONTACT);
	it.reason = REASON_TCM_CONTACT;
	it.severity = SEV_MEDIUM;
	assert_false(review_filter_match(&f, &it));
	it.severity = SEV_HIGH;
	assert_true(review_filter_match(&f, &it));
	assert_int_equal(review_filter_parse_any(&f, "tcm", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'tcm' is not a review reason"));
	assert_int_equal(review_filter_parse_any(&f, "", &e), 0);
	assert_true(review_filter_match(&f, &it));
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_build_order),
		cmocka_unit_test(test_marks_and_refusals),
		cmocka_unit_test(test_one_definition),
		cmocka_unit_test(test_view_order),
		cmocka_unit_test(test_texts),
	};
	return cmocka_run_group_tests(tests, fixture_store_setup, fixture_store_teardown);
}
