/* tui_pick: a small popup list to choose one line from (the person a task
 * goes to): j/k or the arrows move, Enter chooses, Esc cancels. */
#include <stdlib.h>

#include "caseload/model.h"
#include "caseload/store.h"
#include "caseload/text.h"
#include "tui_internal.h"

#define PICK_MAX 50            /* patients a search offers */

/* The list's size on the screen now (60 columns, wider for long lines:
 * a plan's preview); the rows it shows. */
static size_t size(const struct tui *t, const char *const *items, size_t n, int *w, int *h)
{
	int want = 60;
	for (size_t i = 0; i < n; i++)
		if (text_width(items[i]) + 2 > want)
			want = text_width(items[i]) + 2;
	*w = t->cols - 2 < want ? t->cols - 2 : want;
	*h = (int)n + 2 < t->rows - 2 ? (int)n + 2 : t->rows - 2;
	return *h > 3 ? (size_t)*h - 2 : 1;
}

int tui_pick(struct tui *t, const char *title, const char *const *items, size_t n, size_t *chosen)
{
	int w, h;
	size_t rows = size(t, items, n, &w, &h);
	if (n == 0 || w < 16 || h < 3) {
		tui_message(t, true, "the window is too small to choose from");
		return 0;
	}
	WINDOW *win = tui_window_centred(t, NULL, h, w);
	size_t sel = *chosen < n ? *chosen : 0, top = 0;
	int result = -1;
	while (result < 0 && !t->quit) {
		if (sel < top)
			top = sel;
		if (sel >= top + rows)
			top = sel - rows + 1;
		werase(win);
		box(win, 0, 0);
		struct buf head = {0};
		buf_addf(&head, " %s ", title);
		tui_put(win, 0, 2, head.s, w - 4, A_BOLD);
		buf_free(&head);
		for (size_t i = top; i < n && i < top + rows; i++)
			tui_put(win, (int)(i - top) + 1, 1, items[i], w - 2,
			        i == sel ? tui_attr(t, EL_SELECTED) : 0);
		wnoutrefresh(win);
		doupdate();
		int key = tui_getkey(t, TICK_MS);
		if (key == 'j' || key == TK_DOWN)
			sel = sel + 1 < n ? sel + 1 : sel;
		else if (key == 'k' || key == TK_UP)
			sel = sel ? sel - 1 : 0;
		else if (key == TK_ENTER)
			result = 1;
		else if (key == TK_ESC)
			result = 0;
		else if (key == TK_RESIZE) {     /* the panes, then the list, at the new size */
			tui_refresh(t);
			rows = size(t, items, n, &w, &h);
			win = tui_window_centred(t, win, h, w);
		}
	}
	delwin(win);
	t->full_redraw = true;
	if (result == 1)
		*chosen = sel;
	return result == 1;
}

int tui_choose_patient(struct tui *t, const char *verb, struct patient_ref *out)
{
	char *text = NULL, *label = xasprintf("%s (name, MRN or phone): ", verb);
	bool typed = tui_prompt(t, label, "", NULL, NULL, &text);
	free(label);
	if (!typed)
		return 0;
	if (!*text) {
		free(text);
		tui_message(t, true, "%s: type part of a name, an MRN or a phone number", verb);
		return 0;
	}
	struct patient_query q = {.search = text, .limit = PICK_MAX};
	struct patient_list l = {0};
	if (store_patient_list(t->store, &q, &l, &t->err) < 0) {
		free(text);
		return -1;
	}
	if (!l.len) {
		tui_message(t, true, "no patient matches '%s'", text);
		free(text);
		return 0;
	}
	free(text);
	char **items = xcalloc(l.len, sizeof *items);
	struct patient_ref *refs = xcalloc(l.len, sizeof *refs);
	for (size_t i = 0; i < l.len; i++) {
		char *name = patient_display_name(l.items[i].family, l.items[i].given);
		struct buf b = {0};
		patient_ref_set(&refs[i], l.items[i].id, name, l.items[i].dob, l.items[i].mrn);
		tui_patient_label(&refs[i], 56, &b);
		items[i] = buf_steal(&b);
		buf_free(&b);
		free(name);
	}
	size_t chosen = 0;
	char *title = xasprintf("%c%s", verb[0] >= 'a' && verb[0] <= 'z' ? verb[0] - 'a' + 'A' : verb[0],
	                        verb + 1);
	int picked = tui_pick(t, title, (const char *const *)items, l.len, &chosen);
	free(title);
	if (picked)
		*out = refs[chosen];
	for (size_t i = 0; i < l.len; i++)
		free(items[i]);
	free(items);
	free(refs);
	patient_list_free(&l);
	return picked;
}
