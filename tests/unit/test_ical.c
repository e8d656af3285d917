/* Unit tests: iCalendar alarms, Windows zone names, import of zones on
 * both sides of DST, folding of exported UTF-8 text, a cut file, the
 * export use case's defaults and file safety, what an import changed and
 * its summary text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "caseload/date.h"
#include "caseload/ical.h"
#include "caseload/store.h"
#include "caseload/store_stage.h"
#include "caseload/tz.h"
#include "../../src/services/ical_internal.h"

static char dir[] = "/tmp/caseload-test-ical.XXXXXX";

static struct store *fresh_store(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	struct store *s = NULL;
	struct err e = {0};
	assert_int_equal(store_open(&s, path, NULL, &e), 0);
	return s;
}

/* fmemopen takes void * even to read: the text is read, never written */
static FILE *read_text(const char *text)
{
	return fmemopen((void *)(uintptr_t)text, strlen(text), "r");
}

static int import_text(struct store *s, const char *text, struct ical_summary *sum,
                       struct err *e)
{
	FILE *f = read_text(text);
	assert_non_null(f);
	struct ical_import_opts o = {.zone = "America/New_York", .now = 1};
	int rc = ical_import_stream(s, f, "test.ics", &o, sum, NULL, e);
	fclose(f);
	return rc;
}

static void test_alarms(void **state)
{
	(void)state;
	int *m = NULL, n = 0;
	struct err e = {0};
	assert_int_equal(ical_parse_alarms("1d,2h", &m, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0], 1440);
	assert_int_equal(m[1], 120);
	free(m);
	assert_int_equal(ical_parse_alarms("30m,1w", &m, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0], 30);
	assert_int_equal(m[1], 7 * 1440);
	free(m);
	assert_int_equal(ical_parse_alarms("none", &m, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_null(m);
	assert_int_equal(ical_parse_alarms("2x", &m, &n, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'2x'"));
	assert_int_equal(ical_parse_alarms("1d,,2h", &m, &n, &e), ERR_USAGE);
	assert_int_equal(ical_parse_alarms("5w", &m, &n, &e), ERR_USAGE);
	assert_int_equal(ical_parse_alarms("h", &m, &n, &e), ERR_USAGE);
	assert_null(m);
}

/* Windows zone ids through ICU's copy of CLDR's table; display names
 * through the cities they list, with the offset they say. */
static void test_windows_zones(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{"Eastern Standard Time", "America/New_York"},
		{"W. Europe Standard Time", "Europe/Berlin"},
		{"Pacific Standard Time", "America/Los_Angeles"},
		{"New Zealand Standard Time", "Pacific/Auckland"},
		{"GMT Standard Time", "Europe/London"},
		{"US Mountain Standard Time", "America/Phoenix"},
		{"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Amsterdam"},
		{"(GMT+10.00) Canberra, Melbourne, Sydney", "Australia/Sydney"},
		{"(GMT +01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Brussels"},
		{"(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", "Asia/Shanghai"},
		{"(UTC+03:00) Istanbul", "Europe/Istanbul"},
		{"(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"},
		{"(UTC-06:00) Central Time (US and Canada)", "America/Chicago"},
		{"Pacific Time (US & Canada), Tijuana", "America/Los_Angeles"},
	};
	char iana[64];
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (!ical_windows_zone(pairs[i][0], iana, sizeof iana))
			fail_msg("'%s' maps to no zone", pairs[i][0]);
		assert_string_equal(iana, pairs[i][1]);
		assert_true(tz_known(iana));
	}
	/* a city with another offset, a display name with no city, unknown ids */
	assert_false(ical_windows_zone("(UTC+05:00) Amsterdam", iana, sizeof iana));
	assert_false(ical_windows_zone("(UTC-05:00) Eastern Time (Mars)", iana, sizeof iana));
	assert_false(ical_windows_zone("Mars Standard Time", iana, sizeof iana));
	assert_false(ical_windows_zone("", iana, sizeof iana));
	assert_false(ical_windows_zone(NULL, iana, sizeof iana));
	assert_false(ical_windows_zone("Eastern Standard Time", iana, 4));
}

static const char dst_file[] =
	"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	"BEGIN:VEVENT\r\nUID:before@x\r\nDTSTART;TZID=America/New_York:20261030T090000\r\n"
	"DTEND;TZID=America/New_York:20261030T093000\r\nSUMMARY:Before\r\nEND:VEVENT\r\n"
	"BEGIN:VEVENT\r\nUID:after@x\r\nDTSTART;TZID=America/New_York:20261102T090000\r\n"
	"DTEND;TZID=America/New_York:20261102T093000\r\nSUMMARY:After\r\nEND:VEVENT\r\n"
	"END:VCALENDAR\r\n";

static void check_dst(struct store *s)
{
	struct appointment a = {0};
	struct err e = {0};
	assert_int_equal(store_appt_by_uid(s, "before@x", NULL, &a, &e), 0);
	char t[21];
	assert_string_equal(tz_format_utc(a.start, t), "2026-10-30T13:00:00Z");
	assert_string_equal(a.tzid, "America/New_York");
	appointment_clear(&a);
	assert_int_equal(store_appt_by_uid(s, "after@x", NULL, &a, &e), 0);
	assert_string_equal(tz_format_utc(a.start, t), "2026-11-02T14:00:00Z");
	assert_string_equal(tz_format_utc(a.end, t), "2026-11-02T14:30:00Z");
	appointment_clear(&a);
}

static void test_dst_round_trip(void **state)
{
	(void)state;
	struct store *s = fresh_store("dst.db");
	struct ical_summary sum = {0};
	struct err e = {0};
	assert_int_equal(import_text(s, dst_file, &sum, &e), 0);
	assert_int_equal(sum.events, 2);
	assert_int_equal(sum.added, 2);
	assert_int_equal(sum.unassigned, 2);
	ical_summary_free(&sum);
	check_dst(s);

	/* export, then import into another database: the same instants */
	struct appointment_list l = {0};
	struct appt_query q = {0};
	assert_int_equal(store_appt_list(s, &q, &l, &e), 0);
	assert_int_equal(l.len, 2);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct ical_export_opts o = {.detail = ICAL_DETAIL_FULL, .now = 1796000000};
	assert_int_equal(ical_export(s, l.items, l.len, &o, out, &e), 0);
	fclose(out);
	appointment_list_free(&l);
	assert_non_null(strstr(text, "DTSTART;TZID=America/New_York:20261030T090000\r\n"));
	assert_non_null(strstr(text, "DTSTART;TZID=America/New_York:20261102T090000\r\n"));
	struct store *s2 = fresh_store("dst2.db");
	assert_int_equal(import_text(s2, text, &sum, &e), 0);
	assert_int_equal(sum.added, 2);
	ical_summary_free(&sum);
	check_dst(s2);
	/* and into the first one again: nothing changes */
	assert_int_equal(import_text(s, text, &sum, &e), 0);
	assert_int_equal(sum.unchanged, 2);
	assert_int_equal(sum.added + sum.updated + sum.skipped, 0);
	ical_summary_free(&sum);
	free(text);
	store_close(&s2);
	store_close(&s);
}

/* Every physical line at most 75 octets, CRLF, folds between characters;
 * and unfolding gives back the SUMMARY. */
static void test_folding(void **state)
{
	(void)state;
	static const char *const pieces[] = {"a", "é", "✓", "😀"};
	for (int p = 0; p < 4; p++)
		for (int lead = 0; lead < 5; lead++) {
			struct buf title = {0};
			for (int i = 0; i < lead; i++)
				buf_addc(&title, 'x');
			for (int i = 0; i < 90; i++)
				buf_add(&title, pieces[p]);
			struct appointment a = {.uid = "fold@x", .title = title.s, .start = 1796000000,
			                        .end = 1796003600, .status = "booked"};
			char *text = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&text, &len);
			struct ical_export_opts o = {.detail = ICAL_DETAIL_FULL, .now = 1796000000};
			struct err e = {0};
			assert_int_equal(ical_export(NULL, &a, 1, &o, out, &e), 0);
			fclose(out);
			struct buf unfolded = {0};
			for (char *l = text; *l;) {
				char *crlf = strstr(l, "\r\n");
				assert_non_null(crlf);
				size_t n = (size_t)(crlf - l);
				assert_true(n <= 75);
				assert_null(memchr(l, '\n', n));
				assert_null(memchr(l, '\r', n));
				if (*l == ' ') {
					assert_true(n > 1);
					assert_int_not_equal((unsigned char)l[1] & 0xC0, 0x80);
					buf_addn(&unfolded, l + 1, n - 1);
				} else {
					buf_addc(&unfolded, '\n');
					buf_addn(&unfolded, l, n);
				}
				l = crlf + 2;
			}
			char *want = xasprintf("\nSUMMARY:%s\n", title.s);
			assert_non_null(strstr(unfolded.s, want));
			free(want);
			buf_free(&unfolded);
			buf_free(&title);
			free(text);
		}
}

static void test_cut_file(void **state)
{
	(void)state;
	struct store *s = fresh_store("cut.db");
	struct ical_summary sum = {0};
	struct err e = {0};
	char cut[sizeof dst_file];
	memcpy(cut, dst_file, sizeof dst_file);
	*strstr(cut, "SUMMARY:After") = '\0';
	assert_int_equal(import_text(s, cut, &sum, &e), ERR_FAIL);
	assert_string_equal(e.file, "test.ics");
	assert_int_equal(e.line, 9);   /* the BEGIN:VEVENT left open */
	assert_non_null(strstr(e.msg, "ends inside BEGIN:VEVENT"));
	ical_summary_free(&sum);
	struct appointment_list l = {0};
	struct appt_query q = {0};
	assert_int_equal(store_appt_list(s, &q, &l, &e), 0);
	assert_int_equal(l.len, 0);   /* the first, complete event is not kept either */
	appointment_list_free(&l);
	store_close(&s);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	assert_true(n >= 0);
	return text;
}

static int count(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void test_export_file(void **state)
{
	(void)state;
	struct store *s = fresh_store("export.db");
	struct ical_summary sum = {0};
	struct err e = {0};
	assert_int_equal(import_text(s, dst_file, &sum, &e), 0);
	ical_summary_free(&sum);
	char path[300], link_path[300];
	snprintf(path, sizeof path, "%s/out.ics", dir);
	snprintf(link_path, sizeof link_path, "%s/link.ics", dir);
	FILE *f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	chmod(path, 0644);
	struct ical_export_req rq = {.has_from = true, .from = date_from_ymd(2026, 10, 1),
	                             .path = path, .today = date_from_ymd(2026, 11, 24),
	                             .zone = "America/New_York", .now = 1796000000};
	struct ical_export_result res = {0};
	/* an existing file is not replaced unless asked */
	assert_int_equal(ical_export_file(s, &rq, NULL, &res, &e), ERR_CONFLICT);
	char *text = slurp(path);
	assert_string_equal(text, "old\n");
	free(text);
	/* replaced: private, the defaults (minimal, reminders 1d and 2h) */
	rq.replace = true;
	assert_int_equal(ical_export_file(s, &rq, NULL, &res, &e), 0);
	assert_int_equal(res.appointments, 2);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = slurp(path);
	assert_int_equal(count(text, "SUMMARY:Appointment\r\n"), 2);
	assert_int_equal(count(text, "TRIGGER:-P1D\r\n"), 2);
	assert_int_equal(count(text, "TRIGGER:-PT2H\r\n"), 2);
	free(text);
	/* from today on by default: both were before it */
	rq.has_from = false;
	assert_int_equal(ical_export_file(s, &rq, NULL, &res, &e), 0);
	assert_int_equal(res.appointments, 0);
	/* a symbolic link is refused, whatever replace says */
	assert_int_equal(symlink(path, link_path), 0);
	rq.path = link_path;
	assert_int_equal(ical_export_file(s, &rq, NULL, &res, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "symbolic link"));
	/* a bad detail or reminder is refused before anything is written */
	rq.path = path;
	rq.detail = "secret";
	assert_int_equal(ical_export_file(s, &rq, NULL, &res, &e), ERR_USAGE);
	rq.detail = NULL;
	rq.alarms = "3x";
	assert_int_equal(ical_export_file(s, &rq, NULL, &res, &e), ERR_USAGE);
	store_close(&s);
}

static void test_import_change_and_summary(void **state)
{
	(void)state;
	struct store *s = fresh_store("change.db");
	struct ical_summary sum = {0};
	struct change ch = {0};
	struct err e = {0};
	FILE *f = read_text(dst_file);
	struct ical_import_opts o = {.zone = "America/New_York", .now = 1, .dry_run = true};
	assert_int_equal(ical_import_stream(s, f, "dst.ics", &o, &sum, &ch, &e), 0);
	fclose(f);
	assert_int_equal(ch.kinds, 0);   /* a dry run changed nothing */
	struct buf text = {0};
	ical_summary_format(&sum, "dst.ics", true, &text);
	assert_string_equal(text.s, "dst.ics: 2 events: 2 added (2 unassigned), 0 updated, "
	                    "0 unchanged, 0 cancelled, 0 skipped\n"
	                    "dry run: nothing was changed\n");
	buf_free(&text);
	ical_summary_free(&sum);
	o.dry_run = false;
	f = read_text(dst_file);
	assert_int_equal(ical_import_stream(s, f, "dst.ics", &o, &sum, &ch, &e), 0);
	fclose(f);
	assert_int_equal(ch.kinds, CHANGE_APPT);
	ical_summary_free(&sum);
	/* the same file again: nothing to change */
	memset(&ch, 0, sizeof ch);
	f = read_text(dst_file);
	assert_int_equal(ical_import_stream(s, f, "dst.ics", &o, &sum, &ch, &e), 0);
	fclose(f);
	assert_int_equal(sum.unchanged, 2);
	assert_int_equal(ch.kinds, 0);
	ical_summary_free(&sum);
	store_close(&s);
}

/* One import at a time: a run whose process lives refuses a second
 * import; a dead one's staged rows are dropped (staging) or its rows
 * merged (ready) before the next import. */
static void test_import_runs(void **state)
{
	(void)state;
	struct store *s = fresh_store("runs.db");
	struct ical_summary sum = {0};
	struct change ch = {0};
	struct err e = {0};
	char host[256];
	assert_int_equal(gethostname(host, sizeof host), 0);
	host[sizeof host - 1] = '\0';
	/* pid 1 lives (and is not ours) */
	struct import_run live = {.source = "import:other.ics", .booked_at = 1, .host = host,
	                          .pid = 1, .beat = (long long)time(NULL), .created = 1};
	assert_int_equal(store_run_add(s, &live, &e), 0);
	FILE *f = read_text(dst_file);
	struct ical_import_opts o = {.zone = "America/New_York", .now = 1};
	assert_int_equal(ical_import_stream(s, f, "dst.ics", &o, &sum, &ch, &e), ERR_CONFLICT);
	fclose(f);
	assert_non_null(strstr(e.msg, "another import"));
	assert_int_equal(sum.events, 0);
	ical_summary_free(&sum);
	struct ical_recovery rec;
	assert_int_equal(ical_import_recover(s, &rec, NULL, &e), 0);
	assert_int_equal(rec.busy_run, live.id);
	assert_int_equal(rec.finished + rec.dropped, 0);

	/* a run of this process that is not running failed earlier: dead,
	 * so what it staged is dropped; the live one stays */
	struct import_run_list runs = {0};
	assert_int_equal(store_run_open_list(s, &runs, &e), 0);
	assert_int_equal(runs.len, 1);
	import_run_list_free(&runs);
	struct import_run mine = {.source = "import:mine.ics", .booked_at = 1, .host = host,
	                          .pid = (long long)getpid(), .beat = 1, .created = 1};
	assert_int_equal(store_run_add(s, &mine, &e), 0);
	struct stage_row r = {.kind = STAGE_NOTE, .line = 1, .text = "a note"};
	assert_int_equal(store_stage_add(s, mine.id, 1, &r, &e), 0);
	assert_int_equal(ical_import_recover(s, &rec, NULL, &e), 0);
	assert_int_equal(rec.dropped, 1);
	assert_int_equal(rec.busy_run, live.id);
	bool left = true;
	assert_int_equal(store_stage_drop(s, mine.id, 10, &left, &e), 0);
	assert_false(left);
	store_close(&s);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	tz_shutdown();
	return system(cmd) == 0 ? 0 : -1;
}

/* The merge's order (stage_order.c): ids say cell, then file order. */
static long long cell_of(long long id, long long base)
{
	return (id - base) >> ORDER_SEQ_BITS;
}

static void test_stage_order(void **state)
{
	(void)state;
	enum { SAMPLE = 64, LAST = (1 << ORDER_CELL_BITS) - 1 };
	long long base = stage_order_base(0);
	assert_true(base > 0);
	assert_true(stage_order_base(base + 5) > base + 5);
	assert_true(stage_order_base(base + 5) - base >= (long long)1 << ORDER_RUN_BITS);
	struct stage_order o;
	stage_order_init(&o, base, SAMPLE);
	char uid[32];
	/* the sample's events, and a note among them, are in the last cell */
	long long prev = 0;
	for (int i = 0; i < SAMPLE; i++) {
		snprintf(uid, sizeof uid, "u%04d", (i * 37) % SAMPLE);
		long long id = stage_order_id(&o, STAGE_EVENT, uid, 1000LL * ((i * 11) % SAMPLE));
		assert_int_equal(cell_of(id, base), LAST);
		assert_true(id > prev);
		prev = id;
		if (i == 3)
			assert_int_equal(cell_of(stage_order_id(&o, STAGE_NOTE, NULL, 0), base), LAST);
	}
	assert_true(o.bounded);
	/* a UID of the sample stays in the last cell; new ones spread out:
	 * by UID range, then by start range */
	assert_int_equal(cell_of(stage_order_id(&o, STAGE_EVENT, "u0005", 0), base), LAST);
	long long lo = stage_order_id(&o, STAGE_EVENT, "u0000a", 0);
	long long hi = stage_order_id(&o, STAGE_EVENT, "u0063a", 0);
	long long late = stage_order_id(&o, STAGE_EVENT, "u0000b", 1000LL * SAMPLE);
	assert_true(cell_of(lo, base) < cell_of(hi, base));
	assert_true(cell_of(lo, base) < cell_of(late, base));
	assert_true(cell_of(late, base) < cell_of(hi, base));
	/* every row of a UID goes to its first row's cell, in file order,
	 * whatever its start or kind */
	long long again = stage_order_id(&o, STAGE_EVENT, "u0063a", -5);
	long long cancel = stage_order_id(&o, STAGE_CANCEL, "u0063a", 0);
	assert_int_equal(cell_of(again, base), cell_of(hi, base));
	assert_int_equal(cell_of(cancel, base), cell_of(hi, base));
	assert_true(hi < again && again < cancel);
	/* the key is the file order */
	assert_true(stage_order_key(late) < stage_order_key(again));
	assert_true(stage_order_key(hi) < stage_order_key(late));
	assert_true(late < hi);
	/* a calendar's end, and all after it, in the last cell */
	long long end = stage_order_id(&o, STAGE_END, NULL, 0);
	assert_int_equal(cell_of(end, base), LAST);
	long long after = stage_order_id(&o, STAGE_EVENT, "u0000c", 0);
	assert_int_equal(cell_of(after, base), LAST);
	assert_true(after > end);
	stage_order_free(&o);

	/* a sample of 0: every row in file order */
	stage_order_init(&o, base, 0);
	prev = 0;
	for (int i = 0; i < 200; i++) {
		snprintf(uid, sizeof uid, "v%d", (i * 7919) % 200);
		long long id = stage_order_id(&o, STAGE_EVENT, uid, (i * 13) % 97);
		assert_true(id > prev);
		prev = id;
	}
	stage_order_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alarms),
		cmocka_unit_test(test_windows_zones),
		cmocka_unit_test(test_dst_round_trip),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_cut_file),
		cmocka_unit_test(test_export_file),
		cmocka_unit_test(test_import_change_and_summary),
		cmocka_unit_test(test_import_runs),
		cmocka_unit_test(test_stage_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
