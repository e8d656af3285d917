/* tui_form: add/edit forms with the ncurses form library.  Labelled
 * fields, Tab/Down and S-Tab/Up between them, Enter validates every field
 * and shows the message under the wrong one (keeping what was typed), Esc
 * cancels after asking when something changed. */
#include <form.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/text.h"
#include "pane.h"

#define LABEL_W 15

static char *trimmed(FIELD *f)
{
	const char *b = field_buffer(f, 0);
	size_t len = strlen(b);
	while (len && b[len - 1] == ' ')
		len--;
	size_t start = 0;
	while (start < len && b[start] == ' ')
		start++;
	char *s = xmalloc(len - start + 1);
	memcpy(s, b + start, len - start);
	s[len - start] = '\0';
	return s;
}

void form_fields_free(struct form_field *fields, int n)
{
	for (int i = 0; i < n; i++) {
		str_free(fields[i].value);
		fields[i].value = NULL;
	}
}

static int request(int key)
{
	switch (key) {
	case TK_TAB: case TK_DOWN: return REQ_NEXT_FIELD;
	case TK_BTAB: case TK_UP: return REQ_PREV_FIELD;
	case TK_LEFT: return REQ_PREV_CHAR;
	case TK_RIGHT: return REQ_NEXT_CHAR;
	case TK_HOME: return REQ_BEG_FIELD;
	case TK_END: return REQ_END_FIELD;
	case TK_BACKSPACE: return REQ_DEL_PREV;
	case TK_DELETE: return REQ_DEL_CHAR;
	default: return -1;
	}
}

/* Validate every field; the index of the first wrong one, or -1. */
static int validate(struct tui *t, FORM *form, FIELD **fl, struct form_field *ff, int n,
                    char msgs[][sizeof(struct err){0}.msg])
{
	int bad = -1;
	form_driver(form, REQ_VALIDATION);
	for (int i = 0; i < n; i++) {
		char *v = trimmed(fl[i]);
		struct err e = {0};
		msgs[i][0] = '\0';
		if (ff[i].required && !*v)
			snprintf(msgs[i], sizeof msgs[i], "needed");
		else if (ff[i].check && (*v || ff[i].required) && ff[i].check(t, v, &e) < 0)
			memcpy(msgs[i], e.msg, sizeof e.msg);
		if (msgs[i][0] && bad < 0)
			bad = i;
		free(v);
	}
	return bad;
}

/* The frame, labels and messages (all of it: a lock screen may have
 * covered it). */
static void draw_frame(struct tui *t, WINDOW *win, const char *head,
                       const struct form_field *ff, int n,
                       char msgs[][sizeof(struct err){0}.msg])
{
	const char *keys = " Enter save  Tab next field  Esc cancel ";
	int h = getmaxy(win), w = getmaxx(win), field_w = w - LABEL_W - 4;
	touchwin(win);
	box(win, 0, 0);
	tui_put(win, 0, 2, head, text_width(head) < w - 4 ? text_width(head) : w - 4, A_BOLD);
	tui_put(win, h - 1, 2, keys, text_width(keys) < w - 4 ? text_width(keys) : w - 4, 0);
	for (int i = 0; i < n; i++) {
		char label[64];
		snprintf(label, sizeof label, "%s%s", ff[i].label, ff[i].required ? " *" : "");
		tui_put(win, 2 + 2 * i, 1, label, LABEL_W, A_BOLD);
		const char *note = msgs[i][0] ? msgs[i] : ff[i].hint ? ff[i].hint : "";
		tui_put(win, 3 + 2 * i, LABEL_W + 2, note, field_w,
		        msgs[i][0] ? tui_attr(t, EL_ERROR) : (int)A_DIM);
	}
}

/* The form's size on the screen now: whether it fits. */
static bool fit(const struct tui *t, int n, int *w, int *h, int *field_w)
{
	*w = t->cols - 2 < 78 ? t->cols - 2 : 78;
	*h = 2 * n + 4 < t->rows ? 2 * n + 4 : t->rows;
	*field_w = *w - LABEL_W - 4;
	return *field_w >= 8 && *h >= 2 * n + 2;
}

static FIELD *make_field(int i, int field_w, const char *value)
{
	FIELD *f = new_field(1, field_w, 2 * i, 0, 0, 0);
	set_field_back(f, A_UNDERLINE);
	field_opts_off(f, O_AUTOSKIP | O_STATIC);
	set_max_field(f, 500);
	char *clean = text_sanitize(value ? value : "");
	set_field_buffer(f, 0, clean);
	free(clean);
	return f;
}

/* A resize: the panes behind at the new size, then the form made again
 * for it (window, fields), each field keeping what was typed and the
 * cursor on the same field.  Too small for the form: it is kept as it is,
 * not drawn (*hidden), until a resize gives it room. */
static void relayout(struct tui *t, FORM **form, FIELD **fl, int n, WINDOW **win, WINDOW **sub,
                     bool *hidden)
{
	int w, h, field_w;
	tui_refresh(t);
	if (!fit(t, n, &w, &h, &field_w)) {
		*hidden = true;
		return;
	}
	form_driver(*form, REQ_VALIDATION);    /* what was typed, into the buffers */
	int at = field_index(current_field(*form));
	/* where the cursor is in its field (FORM's members: ncurses keeps
	 * them public), so that typing goes on there, after a space too */
	int pos = (*form)->begincol + (*form)->curcol;
	unpost_form(*form);
	free_form(*form);
	for (int i = 0; i < n; i++) {
		char *typed = xstrdup(field_buffer(fl[i], 0));
		size_t len = strlen(typed);
		while (len && typed[len - 1] == ' ')
			typed[--len] = '\0';     /* the padding, not what was typed */
		free_field(fl[i]);
		fl[i] = make_field(i, field_w, typed);
		free(typed);
	}
	delwin(*sub);
	*win = tui_window_centred(t, *win, h, w);
	*sub = derwin(*win, 2 * n, field_w, 2, LABEL_W + 2);
	*form = new_form(fl);
	set_form_opts(*form, 0);
	set_form_win(*form, *win);
	set_form_sub(*form, *sub);
	post_form(*form);
	set_current_field(*form, fl[at >= 0 ? at : 0]);
	form_driver(*form, REQ_BEG_FIELD);
	for (int k = 0; k < pos; k++)
		form_driver(*form, REQ_NEXT_CHAR);
	*hidden = false;
}

int tui_form(struct tui *t, const char *title, const struct patient_ref *who,
             struct form_field *ff, int n)
{
	int w, h, field_w;
	if (!fit(t, n, &w, &h, &field_w)) {
		tui_message(t, true, "the window is too small for the %s form", title);
		return 0;
	}
	/* the title names the patient: the name gives way, the identifier not */
	struct buf head = {0};
	buf_addf(&head, " %s", title);
	if (who) {
		buf_add(&head, " ");
		tui_patient_label(who, w - 6 - text_width(head.s), &head);
	}
	buf_add(&head, " ");
	WINDOW *win = tui_window_centred(t, NULL, h, w);
	WINDOW *sub = derwin(win, 2 * n, field_w, 2, LABEL_W + 2);
	FIELD **fl = xcalloc((size_t)n + 1, sizeof(FIELD *));
	char (*msgs)[sizeof(struct err){0}.msg] = xcalloc((size_t)n, sizeof *msgs);
	for (int i = 0; i < n; i++)
		fl[i] = make_field(i, field_w, ff[i].value);
	FORM *form = new_form(fl);
	set_form_opts(form, 0);    /* Backspace and Enter never leave a field */
	set_form_win(form, win);
	set_form_sub(form, sub);
	post_form(form);
	form_driver(form, REQ_END_FIELD);
	curs_set(1);
	int result = -1;
	bool changed = false, hidden = false;
	while (result < 0) {
		if (!hidden) {
			draw_frame(t, win, head.s, ff, n, msgs);
			pos_form_cursor(form);
			wnoutrefresh(win);
			doupdate();
		}
		int key = tui_getkey(t, 500);
		if (t->quit)
			break;
		if (key < 0)
			continue;
		if (key == TK_RESIZE) {
			relayout(t, &form, fl, n, &win, &sub, &hidden);
			continue;
		}
		int req = request(key);
		if (key == TK_ENTER) {
			int bad = validate(t, form, fl, ff, n, msgs);
			if (bad < 0)
				result = 1;
			else
				set_current_field(form, fl[bad]);
		} else if (key == TK_ESC) {
			if (!changed || tui_confirm(t, "discard what you typed?"))
				result = 0;
			touchwin(win);
		} else if (req >= 0) {
			form_driver(form, req);
			if (req == REQ_NEXT_FIELD || req == REQ_PREV_FIELD)
				form_driver(form, REQ_END_FIELD);   /* type after what is there */
			changed |= req == REQ_DEL_PREV || req == REQ_DEL_CHAR;
		} else if (key >= 0x20 && key < KEY_T_BASE) {
			form_driver_w(form, OK, (wchar_t)key);
			changed = true;
		}
	}
	if (result == 1)
		for (int i = 0; i < n; i++)
			ff[i].value = trimmed(fl[i]);
	curs_set(0);
	unpost_form(form);
	free_form(form);
	for (int i = 0; i < n; i++)
		free_field(fl[i]);
	free(fl);
	free(msgs);
	delwin(sub);
	delwin(win);
	buf_free(&head);
	t->full_redraw = true;
	return result == 1;
}
