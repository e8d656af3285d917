/* tui: the full-screen workstation (`caseload` with no command, on a
 * terminal).  This header is the curses-free part: the one table of
 * actions (from which the action enum, the names the config file binds
 * keys to, the `?` help and the man page's key table all come), the
 * keymap, the pure layout computation, and the entry point.
 *
 * The pane framework itself (struct pane, struct pane_ops, the loop's
 * flags) uses curses types and lives in src/tui/pane.h; read that header
 * to add a screen (the daily review mode is one: src/tui/review_screen.c). */
#ifndef CASELOAD_TUI_H
#define CASELOAD_TUI_H
#include <stdbool.h>
#include <stdio.h>
#include "caseload/config.h"
#include "caseload/err.h"
#include "caseload/util.h"

struct store;

/* ACTION(ID, "name", "group", "help"): every action of the screen. */
#define TUI_ACTIONS(ACTION) \
	ACTION(UP, "up", "move", "select the previous row") \
	ACTION(DOWN, "down", "move", "select the next row") \
	ACTION(PAGE_UP, "page-up", "move", "one page up") \
	ACTION(PAGE_DOWN, "page-down", "move", "one page down") \
	ACTION(TOP, "top", "move", "the first row") \
	ACTION(BOTTOM, "bottom", "move", "the last row") \
	ACTION(NEXT_PANE, "next-pane", "move", "focus the next pane") \
	ACTION(PREV_PANE, "prev-pane", "move", "focus the previous pane") \
	ACTION(PANE_CASELOAD, "caseload", "move", "focus the caseload") \
	ACTION(PANE_TIMELINE, "timeline", "move", "focus the timeline") \
	ACTION(PANE_TASKS, "tasks", "move", "focus the task queue") \
	ACTION(OPEN, "open", "move", "show the selected row in full: a patient's chart, a timeline entry") \
	ACTION(BACK, "back", "move", "close a popup, clear the search") \
	ACTION(SEARCH, "search", "caseload", "find patients by name or MRN as you type") \
	ACTION(FILTER, "filter", "caseload", "cycle the filter: all, high risk, needs review, overdue, mine") \
	ACTION(ORDER, "order", "caseload", "cycle the order: need, name, next appointment") \
	ACTION(TOGGLE_TASKS, "toggle-tasks", "tasks", "task queue: all patients or the selected one") \
	ACTION(TASK_VIEW, "task-view", "tasks", "task queue: the next view: mine, unassigned, team, on hold, done today") \
	ACTION(TAKE, "take", "tasks", "task queue: take the selected task (a claim: refused if someone has it)") \
	ACTION(ASSIGN, "assign", "tasks", "task queue: give the marked tasks, or the selected one, to a person") \
	ACTION(MARK, "mark", "tasks", "task queue: mark or unmark the selected task, for assign") \
	ACTION(ADD, "add", "change", "add in the focused pane (patient, appointment, task)") \
	ACTION(EDIT, "edit", "change", "edit the selected patient, task or appointment (a whole series); in the chart, pick what to edit") \
	ACTION(NOTE, "note", "change", "add a note to the selected patient's timeline") \
	ACTION(DONE, "done", "change", "complete the selected task") \
	ACTION(SNOOZE, "snooze", "change", "snooze the selected task (+1d, +1w, a date)") \
	ACTION(CONTACT, "contact", "change", "log a contact attempt and its outcome") \
	ACTION(TEMPLATE, "template", "change", "apply a care-plan template to the patient") \
	ACTION(EXPORT, "export", "change", "export the patient's appointments to .ics") \
	ACTION(HANDOUT, "handout", "change", "write the patient's handout: one large-print page of visits, medicines, whom to call") \
	ACTION(IMPORT, "import", "change", "import an .ics file") \
	ACTION(UNDO, "undo", "change", "undo the last change made in this screen (again: the one before)") \
	ACTION(CANCEL, "cancel", "change", "cancel the selected appointment or task, with a reason (nothing is deleted)") \
	ACTION(TIMER, "timer", "change", "start the care management timer on the selected patient (the title shows it); again: stop it and log the minutes") \
	ACTION(TEAM_MEMBER, "team-member", "chart", "chart: add a care-team member (name, role, phone)") \
	ACTION(CONDITION, "condition", "chart", "chart: add a condition") \
	ACTION(MEDICATION, "medication", "chart", "chart: add a medication (dose, refill date)") \
	ACTION(ADMISSION, "admission", "chart", "chart: record a hospital admission") \
	ACTION(DISCHARGE, "discharge", "chart", "chart: record a discharge (facility, date, disposition): starts the transitional-care follow-up") \
	ACTION(RESULT, "result", "chart", "chart: record a result to acknowledge") \
	ACTION(REVIEW, "review", "screen", "the daily review") \
	ACTION(WORKLOAD, "workload", "screen", "the team's workload: per person patients, open, overdue and due-today tasks, days out") \
	ACTION(BILLING, "billing", "screen", "the month's end: this month's codes per patient and program, supported or why not") \
	ACTION(AGENDA, "agenda", "screen", "the agenda of the whole caseload: a day or a week, series expanded") \
	ACTION(CALLS, "calls", "screen", "the day's call list: discharges owed a call, overdue check-ins, no-shows, confirmations, refills; c logs an attempt") \
	ACTION(UNASSIGNED, "unassigned", "screen", "the appointments imported with no patient, to assign") \
	ACTION(ADT, "adt", "screen", "hospital messages (HL7 ADT) waiting for their patient: A matches one to a patient found by search, d drops it") \
	ACTION(HELP, "help", "screen", "this list of keys") \
	ACTION(COMMAND, "command", "screen", "run an action by name") \
	ACTION(LOCK, "lock", "screen", "lock the screen") \
	ACTION(REDRAW, "redraw", "screen", "redraw the screen") \
	ACTION(QUIT, "quit", "screen", "leave caseload") \
	ACTION(RIDE_OK, "confirm-transport", "review", "review, agenda: the selected appointment's transport is confirmed") \
	ACTION(ACKNOWLEDGE, "acknowledge", "review", "review: acknowledge the selected result, discharge or message") \
	ACTION(REVIEWED, "reviewed", "review", "review: mark the patient reviewed and go to the next") \
	ACTION(SKIP, "skip", "review", "review: mark the patient skipped (still needing review) and go to the next") \
	ACTION(PREVIOUS, "previous", "review", "review: go back to the previous patient") \
	ACTION(UNREVIEW, "unmark", "review", "review: undo the patient's mark for today (reviewed or skipped)") \
	ACTION(REVIEW_LIST, "review-list", "review", "review: the whole list, patient by patient") \
	ACTION(PREV_DAY, "previous-day", "agenda", "agenda: the day before") \
	ACTION(NEXT_DAY, "next-day", "agenda", "agenda: the day after") \
	ACTION(DAY_WEEK, "day-week", "agenda", "agenda: one day or its whole week (a header per day)") \
	ACTION(TODAY, "today", "agenda", "agenda: back to today") \
	ACTION(GOTO_DATE, "goto", "agenda", "agenda: go to a date (tomorrow, mon, +3d, 2026-12-07)") \
	ACTION(ASSIGN_PATIENT, "assign-patient", "agenda", "unassigned: give the selected appointment (or its whole series) to a patient found by search")

enum action {
	ACT_NONE = 0,
#define TUI_ACTION_ENUM(id, name, group, help) ACT_##id,
	TUI_ACTIONS(TUI_ACTION_ENUM)
#undef TUI_ACTION_ENUM
	ACT_COUNT
};

const char *action_name(enum action a);
const char *action_group(enum action a);
const char *action_help(enum action a);
/* By name; ACT_NONE when unknown. */
enum action action_by_name(const char *name);

/* Keys: a character is its Unicode code point; special keys follow. */
enum {
	KEY_T_BASE = 0x110000,
	TK_UP = KEY_T_BASE, TK_DOWN, TK_LEFT, TK_RIGHT, TK_HOME, TK_END,
	TK_PGUP, TK_PGDN, TK_ENTER, TK_ESC, TK_TAB, TK_BTAB, TK_BACKSPACE,
	TK_DELETE, TK_RESIZE,
	TK_F1, TK_F12 = TK_F1 + 11,
	TK_LAST
};
#define TK_CTRL(c) ((c) & 0x1f)
/* "j", "Up", "PgDn", "Enter", "Esc", "Tab", "S-Tab", "C-l", "Space", "F1"
 * ...; -1 when not a key name. */
int tui_key_parse(const char *name);
/* The name of a key (as tui_key_parse reads it) into out (>= 16 bytes). */
const char *tui_key_name(int key, char *out);

/* Where a binding applies: a pane looks up a key in its own scope, then
 * in the generic one (as tig's view keymaps fall back to "generic").  The
 * review's keys (r A v > < l) live in the review scope only, the chart's
 * (t C m h d r) in the chart scope only, the agenda's ([ ] h l w t g A,
 * and r) in the agenda scope (its unassigned list too). */
enum key_scope { SCOPE_GENERIC, SCOPE_CASELOAD, SCOPE_TIMELINE, SCOPE_TASKS, SCOPE_REVIEW,
                 SCOPE_CHART, SCOPE_AGENDA, SCOPE_N };
const char *key_scope_name(enum key_scope s);

#define KEYMAP_MAX 128
struct keymap {
	struct { int key; enum action act; enum key_scope scope; } map[KEYMAP_MAX];
	int n;
};
/* The default bindings. */
void keymap_defaults(struct keymap *km);
/* Bind a key to an action by name ("done"; "tasks.done" for one scope),
 * replacing the key's old binding in that scope.  An action without a
 * scope binds in its own (the review's in review, the others generic);
 * "none" unbinds the key (in every scope, or in the one named). */
int keymap_bind(struct keymap *km, const char *action, const char *key, struct err *e);
/* The config file's `keys:`; each bad entry names the file, line and
 * column.  warnings (may be NULL) gets a line for each action the config
 * left without a key. */
int keymap_apply_config(struct keymap *km, const struct config *cfg, struct strlist *warnings,
                        struct err *e);
/* The action of a key in a scope, else in the generic scope. */
enum action keymap_lookup(const struct keymap *km, enum key_scope scope, int key);
/* "j, Down" for an action ("" when unbound) into out; a key bound in a
 * scope other than the action's own says which ("D (tasks)"). */
const char *keymap_keys_of(const struct keymap *km, enum action a, char *out, size_t n);
/* The first key that does `a` in `scope` (its own binding or the generic
 * one it falls back to), named into out (>= 16 bytes); NULL when none. */
const char *keymap_key_for(const struct keymap *km, enum key_scope scope, enum action a,
                           char *out);
/* The key-hint line of a scope in at most `width` columns: "KEY action"
 * for each of acts (ending with ACT_NONE) that has a key there, in order,
 * as many as fit; "? help" and "q quit" (their keys as bound) are kept
 * room for and always come last, so that they show at any width that can
 * hold them. */
void keymap_hints(const struct keymap *km, enum key_scope scope, const enum action *acts,
                  int width, struct buf *out);
/* The help screen's lines, grouped, from the action table. */
void keymap_help(const struct keymap *km, struct strlist *lines);
/* The man page's key table (man(7) markup) from the same table. */
void keymap_man(const struct keymap *km, struct buf *out);

/* Layout: every region's rectangle for a terminal size, nothing else. */
struct rect { int y, x, h, w; };
enum layout_mode {
	LAYOUT_FULL,           /* three panes side by side */
	LAYOUT_TABS,           /* one pane at a time, tabs in the title bar */
	LAYOUT_TOO_SMALL       /* only a "terminal too small" line */
};
#define LAYOUT_FULL_MIN_COLS 80
#define LAYOUT_FULL_MIN_ROWS 24
#define LAYOUT_MIN_COLS 30
#define LAYOUT_MIN_ROWS 8
struct layout {
	enum layout_mode mode;
	struct rect title, status;
	struct rect caseload, timeline, tasks;   /* in TABS all three are the same */
};
void layout_compute(int rows, int cols, struct layout *out);

/* What the screen needs from its front end. */
struct tui_ctx {
	struct store *store;
	const struct config *cfg;
	const char *zone;          /* times are shown in this zone */
	const char *user;          /* the coordinator's login, for "mine" */
	int today;                 /* civil date */
	long long now;             /* UTC instant */
	bool today_pinned;         /* --today / CASELOAD_TODAY: the day stays
	                              while the time of day moves on */
	const char *replay;        /* a key script to replay instead of the
	                              keyboard (CASELOAD_KEYS_REPLAY), or NULL */
	FILE *report;              /* per-key timings of a replay go here */
	const char *notice;        /* a word for the status line at the start, or NULL */
};
/* Run the screen until quit.  0, or an error in e (the terminal is
 * restored before returning in every case). */
int tui_run(const struct tui_ctx *ctx, struct err *e);

#endif
