/* Unit tests: the screen's logic without a terminal: the action table and
 * keymap (defaults, names, config overrides and their errors), the
 * layout at 200x60, 80x24, tabs and too small, and cutting cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/text.h"
#include "caseload/tui.h"

static void test_actions(void **state)
{
	(void)state;
	assert_int_equal(action_by_name("quit"), ACT_QUIT);
	assert_int_equal(action_by_name("toggle-tasks"), ACT_TOGGLE_TASKS);
	assert_int_equal(action_by_name("nonsense"), ACT_NONE);
	assert_int_equal(action_by_name(NULL), ACT_NONE);
	assert_string_equal(action_name(ACT_SEARCH), "search");
	assert_string_equal(action_group(ACT_DONE), "change");
	/* every action has a unique name and some help */
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		assert_true(strlen(action_help((enum action)a)) > 5);
		assert_int_equal(action_by_name(action_name((enum action)a)), a);
	}
}

static void test_key_names(void **state)
{
	(void)state;
	char buf[16];
	assert_int_equal(tui_key_parse("j"), 'j');
	assert_int_equal(tui_key_parse("Up"), TK_UP);
	assert_int_equal(tui_key_parse("pgdn"), TK_PGDN);
	assert_int_equal(tui_key_parse("C-l"), TK_CTRL('l'));
	assert_int_equal(tui_key_parse("F12"), TK_F12);
	assert_int_equal(tui_key_parse("Space"), ' ');
	assert_int_equal(tui_key_parse("ñ"), 0xf1);
	assert_int_equal(tui_key_parse("F13"), -1);
	assert_int_equal(tui_key_parse("F012"), TK_F12);
	assert_int_equal(tui_key_parse("F77777777777"), -1);    /* found by fuzz_config */
	assert_int_equal(tui_key_parse("jj"), -1);
	assert_int_equal(tui_key_parse(""), -1);
	assert_int_equal(tui_key_parse("C-m"), -1);     /* that is Enter */
	assert_int_equal(tui_key_parse("\x1b"), -1);
	const char *names[] = {"j", "Up", "S-Tab", "C-b", "F1", "Esc", "Enter", "ñ", "王", "Space"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_string_equal(tui_key_name(tui_key_parse(names[i]), buf), names[i]);
}

static void test_keymap_defaults(void **state)
{
	(void)state;
	struct keymap km;
	char keys[64];
	keymap_defaults(&km);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'j'), ACT_DOWN);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, TK_DOWN), ACT_DOWN);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'q'), ACT_QUIT);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, '/'), ACT_SEARCH);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, TK_TAB), ACT_NEXT_PANE);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'R'), ACT_REVIEW);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'z'), ACT_NONE);
	assert_string_equal(keymap_keys_of(&km, ACT_DOWN, keys, sizeof keys), "j, Down");
	/* every action has a default key */
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		assert_true(*keymap_keys_of(&km, (enum action)a, keys, sizeof keys));
}

static void test_keymap_bind(void **state)
{
	(void)state;
	struct keymap km;
	struct err e = {0};
	keymap_defaults(&km);
	assert_int_equal(keymap_bind(&km, "down", "n", &e), 0);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'n'), ACT_DOWN);    /* replaces "note" */
	assert_int_equal(keymap_bind(&km, "none", "x", &e), 0);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'x'), ACT_NONE);
	assert_int_equal(keymap_bind(&km, "flyaway", "z", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'flyaway' is not an action"));
	assert_int_equal(keymap_bind(&km, "down", "Ctrl+Q", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'Ctrl+Q' is not a key name"));
}

/* The hint line keeps `? help` and `q quit` at any width that holds
 * them, last, with their keys as bound; the others fill what is left. */
static void test_keymap_hints(void **state)
{
	(void)state;
	struct keymap km;
	struct err e = {0};
	const enum action acts[] = {ACT_DONE, ACT_SNOOZE, ACT_EDIT, ACT_ADD, ACT_CONTACT, ACT_NOTE,
	                            ACT_TOGGLE_TASKS, ACT_TASK_VIEW, ACT_TAKE, ACT_MARK, ACT_ASSIGN,
	                            ACT_OPEN, ACT_NEXT_PANE, ACT_QUIT, ACT_NONE};
	keymap_defaults(&km);
	struct buf b = {0};
	keymap_hints(&km, SCOPE_TASKS, acts, 80, &b);
	assert_true(text_width(b.s) <= 80);
	assert_string_equal(b.s + strlen(b.s) - strlen("? help  q quit"), "? help  q quit");
	assert_non_null(strstr(b.s, "x done  s snooze"));
	assert_null(strstr(b.s, "q quit  ? help"));     /* quit only once, last */
	buf_reset(&b);
	keymap_hints(&km, SCOPE_TASKS, acts, 14, &b);
	assert_string_equal(b.s, "? help  q quit");
	buf_reset(&b);
	assert_int_equal(keymap_bind(&km, "quit", "Q", &e), 0);
	assert_int_equal(keymap_bind(&km, "none", "q", &e), 0);
	assert_int_equal(keymap_bind(&km, "done", "D", &e), 0);
	assert_int_equal(keymap_bind(&km, "none", "x", &e), 0);
	keymap_hints(&km, SCOPE_TASKS, acts, 80, &b);
	assert_non_null(strstr(b.s, "D done"));
	assert_string_equal(b.s + strlen(b.s) - strlen("? help  Q quit"), "? help  Q quit");
	buf_free(&b);
}

static void test_keymap_config(void **state)
{
	(void)state;
	struct keymap km;
	struct err e = {0};
	/* (char[]){...}: the config owns its strings, so they are not const */
	struct binding b[] = {{(char[]){"up"}, (char[]){"K"}, 3, 5},
	                      {(char[]){"sideways"}, (char[]){"w"}, 4, 5}};
	struct config cfg = {.path = (char[]){"/home/x/config.yaml"}, .bindings = b, .n_bindings = 1};
	keymap_defaults(&km);
	assert_int_equal(keymap_apply_config(&km, &cfg, NULL, &e), 0);
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'K'), ACT_UP);
	cfg.n_bindings = 2;
	assert_int_equal(keymap_apply_config(&km, &cfg, NULL, &e), ERR_USAGE);
	assert_string_equal(e.file, "/home/x/config.yaml");
	assert_int_equal(e.line, 4);
	assert_int_equal(e.col, 5);
	assert_non_null(strstr(e.msg, "keys: 'sideways' is not an action"));
	/* quit must keep a key */
	struct binding q[] = {{(char[]){"none"}, (char[]){"q"}, 2, 3}};
	struct config cq = {.path = (char[]){"c.yaml"}, .bindings = q, .n_bindings = 1};
	keymap_defaults(&km);
	assert_int_equal(keymap_apply_config(&km, &cq, NULL, &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "no key is left for 'quit'"));
}

/* Per-pane keymaps: a scope's own keys first, then the generic ones; the
 * review's keys only in the review; hints name the key that works there;
 * a rebinding that leaves an action keyless is reported. */
static void test_keymap_scopes(void **state)
{
	(void)state;
	struct keymap km;
	struct err e = {0};
	char key[16], keys[64];
	keymap_defaults(&km);
	assert_int_equal(keymap_lookup(&km, SCOPE_REVIEW, 'v'), ACT_REVIEWED);
	assert_int_equal(keymap_lookup(&km, SCOPE_CASELOAD, 'v'), ACT_NONE);
	assert_int_equal(keymap_lookup(&km, SCOPE_REVIEW, 'j'), ACT_DOWN);      /* falls back */
	assert_int_equal(keymap_lookup(&km, SCOPE_TASKS, 'r'), ACT_NONE);
	assert_string_equal(keymap_key_for(&km, SCOPE_TASKS, ACT_DONE, key), "x");
	assert_null(keymap_key_for(&km, SCOPE_TASKS, ACT_REVIEWED, key));
	/* the agenda's keys: its own, the review's r, the generic ones */
	assert_int_equal(keymap_lookup(&km, SCOPE_GENERIC, 'D'), ACT_AGENDA);
	assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'g'), ACT_GOTO_DATE);
	assert_int_equal(keymap_lookup(&km, SCOPE_CASELOAD, 'g'), ACT_TOP);
	assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'r'), ACT_RIDE_OK);
	assert_int_equal(keymap_lookup(&km, SCOPE_AGENDA, 'e'), ACT_EDIT);
	assert_string_equal(keymap_keys_of(&km, ACT_RIDE_OK, keys, sizeof keys), "r, r (agenda)");
	/* done on Z in the task queue only */
	assert_int_equal(keymap_bind(&km, "tasks.done", "Z", &e), 0);
	assert_int_equal(keymap_lookup(&km, SCOPE_TASKS, 'Z'), ACT_DONE);
	assert_int_equal(keymap_lookup(&km, SCOPE_CASELOAD, 'Z'), ACT_NONE);
	assert_string_equal(keymap_keys_of(&km, ACT_DONE, keys, sizeof keys), "x, Z (tasks)");
	/* a scope's binding hides the generic one of the same key */
	assert_int_equal(keymap_bind(&km, "tasks.note", "x", &e), 0);
	assert_int_equal(keymap_lookup(&km, SCOPE_TASKS, 'x'), ACT_NOTE);
	assert_string_equal(keymap_key_for(&km, SCOPE_TASKS, ACT_DONE, key), "Z");
	assert_string_equal(keymap_key_for(&km, SCOPE_CASELOAD, ACT_DONE, key), "x");
	assert_int_equal(keymap_bind(&km, "tasks.none", "x", &e), 0);
	assert_int_equal(keymap_lookup(&km, SCOPE_TASKS, 'x'), ACT_NONE);
	assert_int_equal(keymap_bind(&km, "sideways.done", "Z", &e), ERR_USAGE);
	assert_non_null(strstr(e.msg, "'sideways' is not a key scope"));
	/* the README's example takes n from note: a warning says so */
	struct binding b[] = {{(char[]){"down"}, (char[]){"j"}, 2, 3},
	                      {(char[]){"down"}, (char[]){"n"}, 2, 3}};
	struct config cfg = {.path = (char[]){"c.yaml"}, .bindings = b, .n_bindings = 2};
	struct strlist w = {0};
	keymap_defaults(&km);
	assert_int_equal(keymap_apply_config(&km, &cfg, &w, &e), 0);
	assert_int_equal(w.len, 1);
	assert_non_null(strstr(w.items[0], "'note' has no key left"));
	strlist_free(&w);
}

static void test_help_and_man(void **state)
{
	(void)state;
	struct keymap km;
	struct strlist lines = {0};
	struct buf man = {0};
	keymap_defaults(&km);
	keymap_help(&km, &lines);
	keymap_man(&km, &man);
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		bool found = false;
		for (size_t i = 0; i < lines.len; i++)
			found |= strstr(lines.items[i], action_help((enum action)a)) != NULL;
		assert_true(found);
	}
	assert_non_null(strstr(man.s, ".TP\n.B j, Down\nselect the next row (down)\n"));
	assert_non_null(strstr(man.s, ".B PgDn, C\\-f, Space\n"));
	strlist_free(&lines);
	buf_free(&man);
}

static void assert_inside(struct rect r, int rows, int cols)
{
	assert_true(r.h > 0 && r.w > 0);
	assert_true(r.y >= 0 && r.x >= 0 && r.y + r.h <= rows && r.x + r.w <= cols);
}

static void test_layout_full(void **state)
{
	(void)state;
	struct layout l;
	layout_compute(60, 200, &l);
	assert_int_equal(l.mode, LAYOUT_FULL);
	assert_inside(l.caseload, 60, 200);
	assert_inside(l.timeline, 60, 200);
	assert_inside(l.tasks, 60, 200);
	assert_int_equal(l.title.y, 0);
	assert_int_equal(l.status.y, 59);
	assert_int_equal(l.caseload.h, 58);
	/* right of the caseload, stacked, nothing overlaps, nothing is lost */
	assert_int_equal(l.timeline.x, l.caseload.w);
	assert_int_equal(l.tasks.x, l.caseload.w);
	assert_int_equal(l.timeline.w + l.caseload.w, 200);
	assert_int_equal(l.timeline.y + l.timeline.h, l.tasks.y);
	assert_int_equal(l.tasks.y + l.tasks.h, 59);

	layout_compute(24, 80, &l);
	assert_int_equal(l.mode, LAYOUT_FULL);
	assert_int_equal(l.caseload.w, 34);
	assert_int_equal(l.caseload.h, 22);
	assert_int_equal(l.timeline.w, 46);
	assert_int_equal(l.timeline.h + l.tasks.h, 22);
	assert_true(l.tasks.h >= 5);
}

static void test_layout_small(void **state)
{
	(void)state;
	struct layout l;
	layout_compute(20, 60, &l);
	assert_int_equal(l.mode, LAYOUT_TABS);
	assert_memory_equal(&l.caseload, &l.timeline, sizeof l.caseload);
	assert_int_equal(l.caseload.w, 60);
	assert_int_equal(l.caseload.h, 18);
	layout_compute(24, 79, &l);
	assert_int_equal(l.mode, LAYOUT_TABS);
	layout_compute(6, 20, &l);
	assert_int_equal(l.mode, LAYOUT_TOO_SMALL);
	layout_compute(LAYOUT_MIN_ROWS, LAYOUT_MIN_COLS, &l);
	assert_int_equal(l.mode, LAYOUT_TABS);
	layout_compute(0, 0, &l);
	assert_int_equal(l.mode, LAYOUT_TOO_SMALL);
	layout_compute(-1, 5, &l);
	assert_int_equal(l.mode, LAYOUT_TOO_SMALL);
}

static void cut(const char *s, int width, const char *want)
{
	struct buf b = {0};
	text_fit(&b, s, width, true);
	assert_string_equal(b.s ? b.s : "", want);
	assert_int_equal(text_width(b.s ? b.s : ""), width);
	buf_free(&b);
}

static void test_cells(void **state)
{
	(void)state;
	/* the caseload's name cell: cut with an ellipsis, padded, aligned */
	cut("Hernández, Margaret", 18, "Hernández, Margar…");
	cut("Núñez, José", 14, "Núñez, José   ");
	cut("王, 伟伟伟伟", 8, "王, 伟… ");   /* a wide char does not fit: pad */
	cut("Nguye\xcc\x82\xcc\x83n, Thi", 6, "Nguye\xcc\x82\xcc\x83…");
	cut("", 3, "   ");
}

int main(void)
{
	text_init_locale();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_keymap_defaults),
		cmocka_unit_test(test_keymap_bind),
		cmocka_unit_test(test_keymap_config),
		cmocka_unit_test(test_keymap_scopes),
		cmocka_unit_test(test_help_and_man),
		cmocka_unit_test(test_keymap_hints),
		cmocka_unit_test(test_layout_full),
		cmocka_unit_test(test_layout_small),
		cmocka_unit_test(test_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
