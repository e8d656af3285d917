/* Unit tests: time zones, the YAML loader and the config file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caseload/config.h"
#include "caseload/tz.h"
#include "caseload/util.h"
#include "caseload/yamldoc.h"

static int teardown(void **state)
{
	(void)state;
	tz_shutdown();
	return 0;
}

static void test_zones(void **state)
{
	(void)state;
	struct err e;
	long long t;
	char buf[21];
	int d = date_from_ymd(2026, 10, 30), m;
	assert_int_equal(tz_local_to_utc("America/New_York", d, 9 * 60, &t, &e), 0);
	assert_string_equal(tz_format_utc(t, buf), "2026-10-30T13:00:00Z");   /* EDT */
	d = date_from_ymd(2026, 11, 2);
	assert_int_equal(tz_local_to_utc("America/New_York", d, 9 * 60, &t, &e), 0);
	assert_string_equal(tz_format_utc(t, buf), "2026-11-02T14:00:00Z");   /* EST */
	assert_int_equal(tz_utc_to_local("Asia/Tokyo", t, &d, &m, &e), 0);
	assert_int_equal(d, date_from_ymd(2026, 11, 2));
	assert_int_equal(m, 23 * 60);
	assert_int_equal(tz_local_to_utc("Mars/Olympus", d, 0, &t, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "unknown time zone 'Mars/Olympus'"));
	assert_false(tz_known("Mars/Olympus"));
	assert_true(tz_known("UTC"));
	assert_int_equal(tz_offset("America/New_York", t), -5 * 3600);
	assert_int_equal(tz_parse_utc("2026-11-02T14:00:00Z", &t), 0);
	assert_int_equal(tz_parse_utc("2026-11-02 14:00:00", &t), -1);
	/* the process's TZ plays no part */
	setenv("TZ", "Pacific/Kiritimati", 1);
	assert_int_equal(tz_local_to_utc("America/New_York", date_from_ymd(2026, 7, 1), 0, &t, &e), 0);
	assert_string_equal(tz_format_utc(t, buf), "2026-07-01T04:00:00Z");
}

static char *write_file(const char *text)
{
	char *p = strdup("/tmp/caseload-config-XXXXXX");
	int fd = mkstemp(p);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return p;
}

static void load_fails(const char *text, int line, int col, const char *needle)
{
	char *p = write_file(text);
	struct config c;
	struct err e = {0};
	assert_int_not_equal(config_load(&c, p, &e), 0);
	if (!strstr(e.msg, needle))
		fail_msg("message '%s' lacks '%s'", e.msg, needle);
	assert_string_equal(e.file, p);
	assert_int_equal(e.line, line);
	if (col)
		assert_int_equal(e.col, col);
	config_free(&c);
	unlink(p);
	free(p);
}

static void test_config_good(void **state)
{
	(void)state;
	char *p = write_file("coordinator: Dana Reyes\n"
	                     "timezone: America/Chicago\n"
	                     "idle_lock_minutes: 10\n"
	                     "import_max_component_kb: 64\n"
	                     "holidays: [us-federal, 2026-12-24]\n"
	                     "review:\n  transport_days: 4\n  cadence_high: 5\n"
	                     "keys:\n  quit: Q\n  add: [a, A]\n"
	                     "colors:\n  title: white/blue\n");
	struct config c;
	struct err e = {0};
	assert_int_equal(config_load(&c, p, &e), 0);
	assert_string_equal(c.coordinator, "Dana Reyes");
	assert_string_equal(config_zone(&c), "America/Chicago");
	assert_int_equal(c.idle_lock_minutes, 10);
	assert_int_equal(c.import_max_component_kb, 64);
	assert_true(c.holidays.us_federal);
	assert_int_equal(c.holidays.n_extra, 1);
	assert_true(date_is_holiday(&c.holidays, date_from_ymd(2026, 12, 24)));
	assert_int_equal(c.review.transport_days, 4);
	assert_int_equal(c.review.cadence_high, 5);
	assert_int_equal(c.review.refill_days, 5);   /* default kept */
	assert_int_equal(c.n_bindings, 3);
	assert_string_equal(c.bindings[2].action, "add");
	assert_string_equal(c.bindings[2].key, "A");
	assert_int_equal(c.n_colors, 1);
	config_free(&c);
	unlink(p);
	free(p);
	/* a missing default file means the defaults */
	setenv("XDG_CONFIG_HOME", "/nonexistent-caseload-test", 1);
	assert_int_equal(config_load(&c, NULL, &e), 0);
	assert_int_equal(c.idle_lock_minutes, 5);
	assert_int_equal(c.import_max_component_kb, 1024);
	assert_true(c.holidays.us_federal);
	config_free(&c);
}

static const struct config_setting *setting(const struct config_settings *l, const char *key)
{
	for (size_t i = 0; i < l->len; i++)
		if (!strcmp(l->items[i].key, key))
			return &l->items[i];
	fail_msg("no setting '%s'", key);
	return NULL;
}

/* Each setting says whether the file set it. */
static void test_config_sources(void **state)
{
	(void)state;
	char *p = write_file("timezone: Asia/Tokyo\n"
	                     "review:\n  confirm_days: 2\n"
	                     "keys:\n  add: [a, A]\n  quit: Q\n");
	struct config c;
	struct config_settings l = {0};
	struct err e = {0};
	assert_int_equal(config_load(&c, p, &e), 0);
	config_settings(&c, "dana", &l);
	const struct config_setting *z = setting(&l, "timezone");
	assert_string_equal(z->value, "Asia/Tokyo");
	assert_int_equal(z->source, CFG_FILE);
	assert_string_equal(z->origin, p);
	assert_true(config_zone_chosen(&c));
	/* set to its default value, still from the file */
	assert_int_equal(setting(&l, "review.confirm_days")->source, CFG_FILE);
	assert_int_equal(setting(&l, "review.refill_days")->source, CFG_DEFAULT);
	assert_null(setting(&l, "review.refill_days")->origin);
	assert_string_equal(setting(&l, "coordinator")->value, "dana");
	assert_int_equal(setting(&l, "coordinator")->source, CFG_DEFAULT);
	assert_string_equal(setting(&l, "keys.add")->value, "a, A");
	assert_string_equal(setting(&l, "keys.quit")->value, "Q");
	assert_string_equal(setting(&l, "colors")->value, "built-in");
	assert_string_equal(config_source_name(CFG_ENV), "environment");
	config_settings_free(&l);
	config_free(&c);
	unlink(p);
	free(p);
	/* no zone in the file: the default zone's own source */
	config_defaults(&c);
	const char *origin;
	enum config_source src = config_zone_source(&c, &origin);
	assert_int_not_equal(src, CFG_FILE);
	assert_int_equal(src == CFG_DEFAULT, origin == NULL);
	assert_string_equal(config_zone(&c), tz_default());
	config_free(&c);
}

static void test_config_bad(void **state)
{
	(void)state;
	load_fails("timezone: America/New_York\nidle_lock_minute: 3\n", 2, 1,
	           "unknown key 'idle_lock_minute' (did you mean 'idle_lock_minutes'?)");
	load_fails("idle_lock_minutes: soon\n", 1, 20, "must be a whole number");
	/* the lock cannot be turned off, nor put off past the built-in maximum */
	char text[64], want[128];
	snprintf(want, sizeof want, "idle_lock_minutes must be from 1 to %d, not 0 (the screen "
	         "always locks", IDLE_LOCK_MAX_MINUTES);
	load_fails("timezone: UTC\nidle_lock_minutes: 0\n", 2, 20, want);
	load_fails("idle_lock_minutes: -5\n", 1, 20, "not -5 (the screen always locks");
	snprintf(text, sizeof text, "idle_lock_minutes: %d\n", IDLE_LOCK_MAX_MINUTES + 1);
	snprintf(want, sizeof want, "not %d (the most this caseload was built", IDLE_LOCK_MAX_MINUTES + 1);
	load_fails(text, 1, 20, want);
	load_fails("idle_lock_minutes: 99999999999999999999\n", 1, 20, "must be a whole number");
	load_fails("timezone: Nowhere/Special\n", 1, 11, "unknown time zone");
	load_fails("holidays: [2026-13-01]\n", 1, 12, "is not a date");
	/* a holiday is a date people type: years 1900-2200 */
	load_fails("holidays: [us-federal, 2201-01-01]\n", 1, 24,
	           "holiday '2201-01-01' is not a date of the years 1900-2200");
	load_fails("holidays: [1899-12-31]\n", 1, 12, "years 1900-2200");
	load_fails("import_max_component_kb: 4097\n", 1, 26, "from 16 to 4096");
	load_fails("review:\n  transport_dayz: 3\n", 2, 3, "did you mean 'transport_days'");
	load_fails("coordinator: [a, b]\n", 1, 14, "must be text");
	load_fails("coordinator: \"unterminated\n", 2, 0, "");
	load_fails("a: &x 1\nb: *x\n", 1, 4, "anchors");
	load_fails("timezone: UTC\ntimezone: UTC\n", 2, 1, "appears twice");
	load_fails("- just\n- a list\n", 1, 1, "must be a mapping");
}

static void test_yaml_limits(void **state)
{
	(void)state;
	struct buf b = {0};
	for (int i = 0; i < YAMLDOC_MAX_DEPTH + 5; i++)
		buf_add(&b, "[");
	struct ynode *root = NULL;
	struct err e = {0};
	assert_int_not_equal(yamldoc_load_string(b.s, b.len, "deep.yaml", &root, &e), 0);
	assert_null(root);
	assert_non_null(strstr(e.msg, "nested more than"));
	buf_free(&b);
	/* many values: refused, not exhausting memory */
	buf_add(&b, "[");
	for (int i = 0; i < YAMLDOC_MAX_NODES + 10; i++)
		buf_add(&b, "1,");
	buf_add(&b, "1]");
	assert_int_not_equal(yamldoc_load_string(b.s, b.len, "wide.yaml", &root, &e), 0);
	assert_non_null(strstr(e.msg, "more than"));
	buf_free(&b);
	assert_int_equal(yamldoc_load_string("", 0, "empty.yaml", &root, &e), 0);
	assert_null(root);
	assert_int_equal(text_distance("kitten", "sitting"), 3);
}

/* A database location: a server's (URI or conninfo) or a file, one test
 * for --db, CASELOAD_DB, database: and db copy. */
static void test_db_is_server(void **state)
{
	(void)state;
	assert_true(config_db_is_server("postgresql://alice@db.example.org/caseload"));
	assert_true(config_db_is_server("postgres://db/caseload"));
	assert_true(config_db_is_server("host=/tmp/sock dbname=caseload"));
	assert_true(config_db_is_server("dbname = caseload"));
	assert_false(config_db_is_server("/data/caseload.db"));
	assert_false(config_db_is_server("/data/a=b.db"));        /* '=' in a path */
	assert_false(config_db_is_server("caseload.db"));
	assert_false(config_db_is_server("=caseload"));
	assert_false(config_db_is_server("Host=x"));               /* keywords are lower case */
	assert_false(config_db_is_server(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_config_good),
		cmocka_unit_test(test_config_sources),
		cmocka_unit_test(test_config_bad),
		cmocka_unit_test(test_yaml_limits),
		cmocka_unit_test(test_db_is_server),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
