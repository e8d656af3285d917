/* tui_colors: each screen element's attributes: colours when the
 * terminal has them (and NO_COLOR is not set), else bold, reverse and
 * underline; the config file's `colors:` change them. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui_internal.h"

static const char *const elem_names[EL_COUNT] = {
	"normal", "title", "status", "selected", "border", "focus", "overdue", "today",
	"high", "header", "error"};

int tui_attr(const struct tui *t, enum tui_elem el)
{
	return el >= 0 && el < EL_COUNT ? t->attrs[el] : 0;
}

static int color_code(const char *name)
{
	static const char *const names[] = {"black", "red", "green", "yellow", "blue",
	                                    "magenta", "cyan", "white"};
	if (!strcasecmp(name, "default"))
		return -1;
	for (int i = 0; i < 8; i++)
		if (!strcasecmp(name, names[i]))
			return i;
	return -2;
}

int tui_colors_setup(struct tui *t, bool check_only, struct err *e)
{
	static const int mono[EL_COUNT] = {
		[EL_TITLE] = A_REVERSE, [EL_SELECTED] = A_REVERSE, [EL_FOCUS] = A_BOLD,
		[EL_OVERDUE] = A_BOLD, [EL_TODAY] = A_BOLD | A_UNDERLINE, [EL_HIGH] = A_BOLD,
		[EL_HEADER] = A_UNDERLINE, [EL_ERROR] = A_BOLD | A_REVERSE};
	static const short defaults[EL_COUNT][2] = {
		[EL_NORMAL] = {-1, -1}, [EL_TITLE] = {COLOR_WHITE, COLOR_BLUE},
		[EL_STATUS] = {-1, -1}, [EL_SELECTED] = {COLOR_BLACK, COLOR_CYAN},
		[EL_BORDER] = {-1, -1}, [EL_FOCUS] = {COLOR_CYAN, -1},
		[EL_OVERDUE] = {COLOR_RED, -1}, [EL_TODAY] = {COLOR_YELLOW, -1},
		[EL_HIGH] = {COLOR_RED, -1}, [EL_HEADER] = {COLOR_GREEN, -1},
		[EL_ERROR] = {COLOR_WHITE, COLOR_RED}};
	short pairs[EL_COUNT][2];
	memcpy(pairs, defaults, sizeof pairs);
	/* Check the config's colours even where they will not be used. */
	const struct config *cfg = t->ctx->cfg;
	for (int i = 0; cfg && i < cfg->n_colors; i++) {
		const struct color_setting *c = &cfg->colors[i];
		int el = -1;
		for (int k = 0; k < EL_COUNT; k++)
			if (c->element && !strcmp(c->element, elem_names[k]))
				el = k;
		if (el < 0)
			return err_set_at(e, ERR_USAGE, cfg->path ? cfg->path : "config", c->line, c->col,
			                  "colors: '%s' is not a screen element (normal, title, status, "
			                  "selected, border, focus, overdue, today, high, header, error)",
			                  c->element ? c->element : "");
		char v[64];
		snprintf(v, sizeof v, "%s", c->value ? c->value : "");
		char *slash = strchr(v, '/');
		if (slash)
			*slash++ = '\0';
		int fg = color_code(v), bg = slash ? color_code(slash) : pairs[el][1];
		if (fg < -1 || bg < -1)
			return err_set_at(e, ERR_USAGE, cfg->path ? cfg->path : "config", c->line, c->col,
			                  "colors: '%s' is not \"fg\" or \"fg/bg\" with black, red, green, "
			                  "yellow, blue, magenta, cyan, white or default", c->value ? c->value : "");
		pairs[el][0] = (short)fg;
		pairs[el][1] = (short)bg;
	}
	if (check_only)
		return 0;
	const char *no_color = getenv("NO_COLOR");
	t->colors = has_colors() && !(no_color && *no_color);
	for (int k = 0; k < EL_COUNT; k++)
		t->attrs[k] = mono[k];
	if (!t->colors)
		return 0;
	start_color();
	if (use_default_colors() == ERR)      /* no "default": white on black */
		for (int k = 0; k < EL_COUNT; k++) {
			pairs[k][0] = pairs[k][0] < 0 ? COLOR_WHITE : pairs[k][0];
			pairs[k][1] = pairs[k][1] < 0 ? COLOR_BLACK : pairs[k][1];
		}
	for (int k = 1; k < EL_COUNT; k++) {
		init_pair((short)k, pairs[k][0], pairs[k][1]);
		t->attrs[k] = (int)COLOR_PAIR(k) |
		              (k == EL_SELECTED || k == EL_TITLE ? 0 : mono[k] & ~(int)A_REVERSE);
	}
	return 0;
}
