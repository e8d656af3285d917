/* Unit tests: iCalendar alarms, Windows zone names, import of zones on
 * both sides of DST, folding of exported UTF-8 text, and a cut file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/ical.h"
#include "caseload/store.h"
#include "caseload/tz.h"

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

static int import_text(struct store *s, const char *text, struct ical_summary *sum,
                       struct err *e)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
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

static void test_windows_zones(void **state)
{
	(void)state;
	const char *win, *iana;
	size_t i = 0;
	for (; (iana = ical_windows_zone_at(i, &win)); i++) {
		if (!tz_known(iana))
			fail_msg("Windows zone '%s' maps to '%s', which libical does not know", win, iana);
		assert_string_equal(ical_windows_zone(win), iana);
	}
	assert_true(i > 100);
	assert_string_equal(ical_windows_zone("Eastern Standard Time"), "America/New_York");
	assert_string_equal(ical_windows_zone("w. europe standard time"), "Europe/Berlin");
	assert_string_equal(ical_windows_zone("(UTC-05:00) Eastern Time (US & Canada)"),
	                    "America/New_York");
	assert_string_equal(ical_windows_zone("(GMT+10.00) Canberra, Melbourne, Sydney"),
	                    "Australia/Sydney");
	assert_null(ical_windows_zone("Mars Standard Time"));
	assert_null(ical_windows_zone(NULL));
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

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	tz_shutdown();
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alarms),
		cmocka_unit_test(test_windows_zones),
		cmocka_unit_test(test_dst_round_trip),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_cut_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
