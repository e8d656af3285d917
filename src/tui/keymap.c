/* keymap: the action table's names and help, key names, the default
 * bindings and the config file's overrides.  No curses here: keys are
 * code points or the TK_ values of tui.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caseload/text.h"
#include "caseload/tui.h"

static const struct {
	const char *name, *group, *help;
} actions[ACT_COUNT] = {
	[ACT_NONE] = {"none", "", ""},
#define TUI_ACTION_INFO(id, n, g, h) [ACT_##id] = {n, g, h},
	TUI_ACTIONS(TUI_ACTION_INFO)
#undef TUI_ACTION_INFO
};

const char *action_name(enum action a)
{
	return a > ACT_NONE && a < ACT_COUNT ? actions[a].name : "none";
}

const char *action_group(enum action a)
{
	return a > ACT_NONE && a < ACT_COUNT ? actions[a].group : "";
}

const char *action_help(enum action a)
{
	return a > ACT_NONE && a < ACT_COUNT ? actions[a].help : "";
}

enum action action_by_name(const char *name)
{
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		if (name && !strcmp(actions[a].name, name))
			return (enum action)a;
	return ACT_NONE;
}

static const struct {
	const char *name;
	int key;
} special[] = {
	{"Up", TK_UP}, {"Down", TK_DOWN}, {"Left", TK_LEFT}, {"Right", TK_RIGHT},
	{"Home", TK_HOME}, {"End", TK_END}, {"PgUp", TK_PGUP}, {"PgDn", TK_PGDN},
	{"Enter", TK_ENTER}, {"Esc", TK_ESC}, {"Tab", TK_TAB}, {"S-Tab", TK_BTAB},
	{"Backspace", TK_BACKSPACE}, {"Delete", TK_DELETE}, {"Space", ' '},
};

int tui_key_parse(const char *name)
{
	if (!name || !*name)
		return -1;
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (!strcasecmp(special[i].name, name))
			return special[i].key;
	if ((name[0] == 'F' || name[0] == 'f') && name[1]) {
		int n = 0;
		const char *p = name + 1;
		while (*p >= '0' && *p <= '9' && n <= 12)    /* more digits: no such key */
			n = n * 10 + (*p++ - '0');
		if (!*p && n >= 1 && n <= 12)
			return TK_F1 + n - 1;
	}
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2] && !name[3]) {
		char c = name[2];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z' && c != 'i' && c != 'm' && c != 'h')
			return TK_CTRL(c);
		return -1;
	}
	/* one printable character (UTF-8) */
	const unsigned char *s = (const unsigned char *)name;
	int cp, len;
	if (s[0] < 0x80)
		cp = s[0], len = 1;
	else if ((s[0] & 0xe0) == 0xc0)
		cp = s[0] & 0x1f, len = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		cp = s[0] & 0x0f, len = 3;
	else if ((s[0] & 0xf8) == 0xf0)
		cp = s[0] & 0x07, len = 4;
	else
		return -1;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (s[len] || cp < 0x21 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return -1;
	return cp;
}

const char *tui_key_name(int key, char *out)
{
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (special[i].key == key) {
			snprintf(out, 16, "%s", special[i].name);
			return out;
		}
	if (key >= TK_F1 && key <= TK_F12)
		snprintf(out, 16, "F%d", key - TK_F1 + 1);
	else if (key >= 1 && key <= 26)
		snprintf(out, 16, "C-%c", 'a' + key - 1);
	else if (key > 0x20 && key < 0x80)
		snprintf(out, 16, "%c", key);
	else if (key >= 0xa0 && key < 0x110000) {
		char *p = out;
		if (key < 0x800) {
			*p++ = (char)(0xc0 | key >> 6);
		} else if (key < 0x10000) {
			*p++ = (char)(0xe0 | key >> 12);
			*p++ = (char)(0x80 | (key >> 6 & 0x3f));
		} else {
			*p++ = (char)(0xf0 | key >> 18);
			*p++ = (char)(0x80 | (key >> 12 & 0x3f));
			*p++ = (char)(0x80 | (key >> 6 & 0x3f));
		}
		*p++ = (char)(0x80 | (key & 0x3f));
		*p = '\0';
	} else
		snprintf(out, 16, "?");
	return out;
}

/* The default bindings: a readable table, action by action. */
static const struct {
	enum action act;
	const char *keys;          /* space-separated key names */
} defaults[] = {
	{ACT_UP, "k Up"}, {ACT_DOWN, "j Down"},
	{ACT_PAGE_UP, "PgUp C-b"}, {ACT_PAGE_DOWN, "PgDn C-f Space"},
	{ACT_TOP, "g Home"}, {ACT_BOTTOM, "G End"},
	{ACT_NEXT_PANE, "Tab Right"}, {ACT_PREV_PANE, "S-Tab Left"},
	{ACT_PANE_CASELOAD, "1"}, {ACT_PANE_TIMELINE, "2"}, {ACT_PANE_TASKS, "3"},
	{ACT_OPEN, "Enter"}, {ACT_BACK, "Esc"},
	{ACT_SEARCH, "/"}, {ACT_FILTER, "f"}, {ACT_ORDER, "o"}, {ACT_TOGGLE_TASKS, "t p"},
	{ACT_TASK_VIEW, "w"}, {ACT_TAKE, "t"}, {ACT_ASSIGN, "a"}, {ACT_MARK, "Space"},
	{ACT_ADD, "a +"}, {ACT_EDIT, "e"}, {ACT_NOTE, "n"}, {ACT_DONE, "x"}, {ACT_SNOOZE, "s"},
	{ACT_CONTACT, "c"}, {ACT_TEMPLATE, "T"}, {ACT_EXPORT, "E"}, {ACT_IMPORT, "I"},
	{ACT_HANDOUT, "H"},
	{ACT_UNDO, "u"}, {ACT_CANCEL, "d"}, {ACT_TIMER, "M"},
	{ACT_REVIEW, "R"}, {ACT_WORKLOAD, "W"}, {ACT_BILLING, "B"}, {ACT_HELP, "? F1"}, {ACT_COMMAND, ":"}, {ACT_LOCK, "L"},
	{ACT_REDRAW, "C-l"}, {ACT_QUIT, "q"},
	{ACT_RIDE_OK, "r"}, {ACT_ACKNOWLEDGE, "A"}, {ACT_REVIEWED, "v"}, {ACT_SKIP, ">"},
	{ACT_PREVIOUS, "<"}, {ACT_REVIEW_LIST, "l"},
	{ACT_UNREVIEW, "V"},
	{ACT_TEAM_MEMBER, "t"}, {ACT_CONDITION, "C"}, {ACT_MEDICATION, "m"}, {ACT_ADMISSION, "h"},
	{ACT_DISCHARGE, "d"}, {ACT_RESULT, "r"},
	{ACT_AGENDA, "D"}, {ACT_CALLS, "O"}, {ACT_UNASSIGNED, "U"}, {ACT_ADT, "N"},
	{ACT_PREV_DAY, "[ h Left"}, {ACT_NEXT_DAY, "] l Right"}, {ACT_DAY_WEEK, "w"},
	{ACT_TODAY, "t"}, {ACT_GOTO_DATE, "g"}, {ACT_ASSIGN_PATIENT, "A"},
};

/* Default bindings of an action in a scope other than its own. */
static const struct {
	enum action act;
	enum key_scope scope;
	const char *keys;
} scoped_defaults[] = {
	{ACT_RIDE_OK, SCOPE_AGENDA, "r"},     /* the agenda's row: its ride is confirmed */
};

static const char *const scope_names[SCOPE_N] = {"generic", "caseload", "timeline", "tasks",
                                                  "review", "chart", "agenda"};

const char *key_scope_name(enum key_scope s)
{
	return s >= 0 && s < SCOPE_N ? scope_names[s] : "";
}

/* An action's own scope: the review's actions are the review card's;
 * the team's actions on the queue (t take, a assign, Space mark, w view)
 * are the task queue's, where t and a stand for them instead of
 * toggle-tasks and add (p and + there); the chart's are the chart's. */
static enum key_scope home_scope(enum action a)
{
	if (a == ACT_TASK_VIEW || a == ACT_TAKE || a == ACT_ASSIGN || a == ACT_MARK)
		return SCOPE_TASKS;
	if (!strcmp(action_group(a), "chart"))
		return SCOPE_CHART;
	if (!strcmp(action_group(a), "agenda"))
		return SCOPE_AGENDA;
	return !strcmp(action_group(a), "review") ? SCOPE_REVIEW : SCOPE_GENERIC;
}

static void put(struct keymap *km, enum key_scope scope, int key, enum action a)
{
	for (int i = 0; i < km->n; i++)
		if (km->map[i].key == key && km->map[i].scope == scope) {
			km->map[i].act = a;
			return;
		}
	if (km->n < KEYMAP_MAX) {
		km->map[km->n].key = key;
		km->map[km->n].scope = scope;
		km->map[km->n++].act = a;
	}
}

void keymap_defaults(struct keymap *km)
{
	km->n = 0;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		char names[64], *save = NULL;
		snprintf(names, sizeof names, "%s", defaults[i].keys);
		for (char *k = strtok_r(names, " ", &save); k; k = strtok_r(NULL, " ", &save))
			put(km, home_scope(defaults[i].act), tui_key_parse(k), defaults[i].act);
	}
	for (size_t i = 0; i < sizeof scoped_defaults / sizeof scoped_defaults[0]; i++)
		put(km, scoped_defaults[i].scope, tui_key_parse(scoped_defaults[i].keys),
		    scoped_defaults[i].act);
}

int keymap_bind(struct keymap *km, const char *action, const char *key, struct err *e)
{
	const char *dot = action ? strchr(action, '.') : NULL, *name = dot ? dot + 1 : action;
	int scope = -1;
	for (int s = 0; dot && s < SCOPE_N; s++)
		if (strlen(scope_names[s]) == (size_t)(dot - action) &&
		    !strncmp(action, scope_names[s], (size_t)(dot - action)))
			scope = s;
	if (dot && scope < 0) {
		char *word = xasprintf("%.*s", (int)(dot - action), action);
		err_set(e, ERR_USAGE, "%s is not a key scope (generic, caseload, timeline, tasks, review, chart, agenda)",
		        TEXT_ARG(word));
		free(word);
		return ERR_USAGE;
	}
	enum action a = action_by_name(name);
	if (a == ACT_NONE && !(name && !strcmp(name, "none")))
		return err_set(e, ERR_USAGE, "%s is not an action (see the help screen, '?')",
		               TEXT_ARG(name ? name : ""));
	int k = tui_key_parse(key);
	if (k < 0)
		return err_set(e, ERR_USAGE, "%s is not a key name (a character, C-x, F1..F12, "
		               "Up, Down, PgUp, PgDn, Home, End, Enter, Esc, Tab, S-Tab, Space)",
		               TEXT_ARG(key ? key : ""));
	if (km->n >= KEYMAP_MAX)
		return err_set(e, ERR_USAGE, "too many key bindings (at most %d)", KEYMAP_MAX);
	if (a == ACT_NONE && scope < 0) {      /* unbind the key everywhere */
		for (int i = 0; i < km->n; i++)
			if (km->map[i].key == k)
				km->map[i].act = ACT_NONE;
		return 0;
	}
	put(km, scope >= 0 ? (enum key_scope)scope : home_scope(a), k, a);
	return 0;
}

int keymap_apply_config(struct keymap *km, const struct config *cfg, struct strlist *warnings,
                        struct err *e)
{
	char before[ACT_COUNT];
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		char keys[64];
		before[a] = *keymap_keys_of(km, (enum action)a, keys, sizeof keys) != '\0';
	}
	for (int i = 0; i < cfg->n_bindings; i++) {
		const struct binding *b = &cfg->bindings[i];
		if (keymap_bind(km, b->action, b->key, e) < 0) {
			char msg[sizeof e->msg];
			memcpy(msg, e->msg, sizeof msg);
			return err_set_at(e, ERR_USAGE, cfg->path ? cfg->path : "config", b->line, b->col,
			                  "keys: %s", msg);
		}
	}
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		char keys[64];
		if ((a == ACT_QUIT || a == ACT_HELP) && !*keymap_keys_of(km, (enum action)a, keys, sizeof keys))
			return err_set_at(e, ERR_USAGE, cfg->path ? cfg->path : "config", 0, 0,
			                  "keys: no key is left for '%s'", action_name((enum action)a));
	}
	/* a rebinding that takes an action's last key: say so (':' still
	 * runs it by name) */
	for (int a = ACT_NONE + 1; warnings && a < ACT_COUNT; a++) {
		char keys[64];
		if (!before[a] || *keymap_keys_of(km, (enum action)a, keys, sizeof keys))
			continue;
		char *w = xasprintf("%s: keys: '%s' has no key left (':%s' still runs it)",
		                    cfg->path ? cfg->path : "config", action_name((enum action)a),
		                    action_name((enum action)a));
		strlist_add(warnings, w);
		free(w);
	}
	return 0;
}

static int find(const struct keymap *km, enum key_scope scope, int key)
{
	for (int i = 0; i < km->n; i++)
		if (km->map[i].key == key && km->map[i].scope == scope)
			return i;
	return -1;
}

enum action keymap_lookup(const struct keymap *km, enum key_scope scope, int key)
{
	int i = find(km, scope, key);
	if (i < 0 && scope != SCOPE_GENERIC)
		i = find(km, SCOPE_GENERIC, key);
	return i < 0 ? ACT_NONE : km->map[i].act;
}

const char *keymap_key_for(const struct keymap *km, enum key_scope scope, enum action a,
                           char *out)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < km->n; i++)
			if (km->map[i].act == a &&
			    km->map[i].scope == (pass == 0 ? scope : SCOPE_GENERIC) &&
			    keymap_lookup(km, scope, km->map[i].key) == a)
				return tui_key_name(km->map[i].key, out);
	return NULL;
}

const char *keymap_keys_of(const struct keymap *km, enum action a, char *out, size_t n)
{
	struct buf b = {0};
	for (int i = 0; i < km->n; i++)
		if (km->map[i].act == a) {
			char name[16];
			buf_addf(&b, "%s%s", b.len ? ", " : "", tui_key_name(km->map[i].key, name));
			if (km->map[i].scope != home_scope(a))
				buf_addf(&b, " (%s)", scope_names[km->map[i].scope]);
		}
	snprintf(out, n, "%s", b.s ? b.s : "");
	buf_free(&b);
	return out;
}

void keymap_hints(const struct keymap *km, enum key_scope scope, const enum action *acts,
                  int width, struct buf *out)
{
	static const enum action last[] = {ACT_HELP, ACT_QUIT};
	char key[16], tail[64] = "";
	for (size_t i = 0; i < sizeof last / sizeof last[0]; i++)
		if (keymap_key_for(km, scope, last[i], key))
			snprintf(tail + strlen(tail), sizeof tail - strlen(tail), "%s%s %s",
			         tail[0] ? "  " : "", key, action_name(last[i]));
	int used = text_width(tail);
	for (const enum action *a = acts; a && *a != ACT_NONE; a++) {
		if (*a == ACT_HELP || *a == ACT_QUIT || !keymap_key_for(km, scope, *a, key))
			continue;
		char item[64];
		snprintf(item, sizeof item, "%s %s  ", key, action_name(*a));
		if (used + text_width(item) > width)
			break;
		buf_add(out, item);
		used += text_width(item);
	}
	buf_add(out, tail);
}

void keymap_help(const struct keymap *km, struct strlist *lines)
{
	const char *group = "";
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		char keys[64];
		struct buf line = {0};
		if (strcmp(group, actions[a].group) != 0) {
			group = actions[a].group;
			if (lines->len)
				strlist_add(lines, "");
			buf_addf(&line, "%s", group);
			strlist_add(lines, line.s);
			buf_reset(&line);
		}
		keymap_keys_of(km, (enum action)a, keys, sizeof keys);
		buf_add(&line, "  ");
		text_fit(&line, keys, 16, true);
		buf_addf(&line, " %-13s %s", actions[a].name, actions[a].help);
		strlist_add(lines, line.s);
		buf_free(&line);
	}
}

static void man_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_add(out, "\\e");
		else if (*s == '-')
			buf_add(out, "\\-");
		else if ((*s == '.' || *s == '\'') && (out->len == 0 || out->s[out->len - 1] == '\n')) {
			buf_add(out, "\\&");
			buf_addc(out, *s);
		}
		else
			buf_addc(out, *s);
	}
}

void keymap_man(const struct keymap *km, struct buf *out)
{
	const char *group = "";
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		char keys[64];
		if (strcmp(group, actions[a].group) != 0) {
			group = actions[a].group;
			buf_add(out, ".SS ");
			man_escape(out, group);
			buf_add(out, "\n");
		}
		buf_add(out, ".TP\n.B ");
		man_escape(out, keymap_keys_of(km, (enum action)a, keys, sizeof keys));
		buf_add(out, "\n");
		man_escape(out, actions[a].help);
		buf_add(out, " (");
		man_escape(out, actions[a].name);
		buf_add(out, ")\n");
	}
}
