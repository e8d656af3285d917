/* tui_form: add/edit forms with the ncurses form library.  Labelled
 * fields, Tab/Down and S-Tab/Up between them; entering a field selects
 * its value (typing replaces it, a movement keeps it); the readline keys
 * of struct line_edit in every field; fields with a fixed set of values
 * cycle and complete.  Enter checks every field and shows the message
 * under the wrong one (keeping what was typed), then, with a save
 * function, saves: a refusal keeps the form open too, the cursor on the
 * field it names.  Esc cancels after asking when something changed.
 * The library draws; the text and the cursor are the line editor's. */
#include <form.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caseload/model.h"
#include "caseload/text.h"
#include "pane.h"

#define LABEL_W 15
#define NOTE_LINES 3           /* for a save's message */
#define MSG_SIZE sizeof(struct err){0}.msg

struct form_state {
	struct tui *t;
	FORM *form;
	FIELD **fl;
	struct form_field *ff;
	int n, cur;
	int step;                  /* rows from a field to the next: 2 (its note under it) or 1 */
	struct line_edit *ed;
	char (*msgs)[MSG_SIZE];
	char note[MSG_SIZE];       /* a save's message about no one field */
	bool changed;
};

/* The text without its outer blanks; the caller frees. */
static char *trimmed(const struct line_edit *l)
{
	char *s = line_edit_text(l, -1);
	size_t len = strlen(s), start = 0;
	while (len && s[len - 1] == ' ')
		len--;
	while (start < len && s[start] == ' ')
		start++;
	memmove(s, s + start, len - start);
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

/* Field i as the line editor has it: its text, the selection shown in
 * reverse, the cursor (when it is the current one). */
static void sync(struct form_state *fs, int i)
{
	char *text = line_edit_text(&fs->ed[i], -1);
	char *clean = text_sanitize(text);
	set_field_buffer(fs->fl[i], 0, clean);
	free(clean);
	free(text);
	set_field_back(fs->fl[i], fs->ed[i].selected ? A_REVERSE : A_UNDERLINE);
	if (i != fs->cur)
		return;
	form_driver(fs->form, REQ_BEG_FIELD);
	for (int k = 0; k < fs->ed[i].cur; k++)
		form_driver(fs->form, REQ_NEXT_CHAR);
}

/* Enter field i: its value selected, the cursor at its end. */
static void enter_field(struct form_state *fs, int i)
{
	int was = fs->cur;
	fs->cur = i;
	if (was >= 0 && was != i) {
		fs->ed[was].selected = false;
		sync(fs, was);
	}
	set_current_field(fs->form, fs->fl[i]);
	fs->ed[i].cur = fs->ed[i].len;
	fs->ed[i].selected = fs->ed[i].len > 0;
	sync(fs, i);
}

/* ---- fields with a fixed set of values ---- */

static void choose(struct line_edit *l, const char *code)
{
	line_edit_set(l, code);
	l->selected = true;        /* typing replaces it, as on entering */
}

/* Space, Left, Right cycle; a character completes by prefix; Backspace
 * takes back a letter.  Whether the key was the choice's. */
static bool choice_key(struct form_state *fs, int key)
{
	const struct form_field *f = &fs->ff[fs->cur];
	const struct codeset *set = f->choices;
	struct line_edit *l = &fs->ed[fs->cur];
	char *text = line_edit_text(l, -1);
	int at = code_find(set, text);
	free(text);
	if (key == ' ' && f->pick) {
		size_t chosen = at < 0 ? 0 : (size_t)at;
		if (tui_pick(fs->t, f->label, set->codes, (size_t)set->n, &chosen))
			choose(l, set->codes[chosen]);
		tui_refresh(fs->t);    /* the panes the list covered */
		return true;
	}
	if (key == ' ' || key == TK_RIGHT || key == TK_LEFT) {
		int step = key == TK_LEFT ? set->n - 1 : 1;
		choose(l, set->codes[at < 0 ? (key == TK_LEFT ? set->n - 1 : 0) : (at + step) % set->n]);
		return true;
	}
	if (key == TK_BACKSPACE && !l->selected) {
		l->len = l->cur;       /* the completion goes with the letter */
		l->s[l->len] = 0;
		return false;          /* and the line editor takes the letter */
	}
	if (key <= 0x20 || key >= KEY_T_BASE || key == 0x7f)
		return false;
	char *typed = line_edit_text(l, l->selected ? 0 : l->cur);
	struct buf prefix = {0};
	wchar_t wk[2] = {(wchar_t)key, 0};
	char mb[16];
	size_t k = wcstombs(mb, wk, sizeof mb);
	buf_addf(&prefix, "%s%s", typed, k == (size_t)-1 ? "" : mb);
	free(typed);
	int match = -1;
	for (int i = 0; i < set->n && match < 0; i++)
		if (!strncasecmp(set->codes[i], prefix.s, prefix.len))
			match = i;
	/* a code that starts so shows whole, the cursor after what was
	 * typed; none: what was typed, as typed */
	struct line_edit typed_part;
	line_edit_set(&typed_part, prefix.s);
	line_edit_set(l, match >= 0 ? set->codes[match] : prefix.s);
	l->cur = typed_part.len;
	buf_free(&prefix);
	return true;
}

/* ---- checking and saving ---- */

/* Check every field; the index of the first wrong one, or -1. */
static int validate(struct form_state *fs)
{
	int bad = -1;
	fs->note[0] = '\0';
	for (int i = 0; i < fs->n; i++) {
		char *v = trimmed(&fs->ed[i]);
		const struct form_field *f = &fs->ff[i];
		struct err e = {0};
		fs->msgs[i][0] = '\0';
		if (f->required && !*v)
			snprintf(fs->msgs[i], MSG_SIZE, "needed");
		else if (f->check && (*v || f->required) && f->check(fs->t, v, &e) < 0)
			memcpy(fs->msgs[i], e.msg, MSG_SIZE);
		if (fs->msgs[i][0] && bad < 0)
			bad = i;
		free(v);
	}
	return bad;
}

/* The field a use case's error names, or -1. */
static int named_field(const struct form_state *fs, const char *name)
{
	for (int i = 0; *name && i < fs->n; i++)
		if (!strcasecmp(fs->ff[i].name ? fs->ff[i].name : fs->ff[i].label, name))
			return i;
	return -1;
}

/* Save through the caller's function: 1 saved, else the form stays (the
 * error beside its field, or under the fields). */
static int save(struct form_state *fs, form_save_fn fn, void *arg)
{
	struct tui *t = fs->t;
	const char **given = xcalloc((size_t)fs->n, sizeof *given);
	for (int i = 0; i < fs->n; i++) {
		given[i] = fs->ff[i].value;
		fs->ff[i].value = trimmed(&fs->ed[i]);
	}
	err_clear(&t->err);
	int rc = fn ? fn(t, fs->ff, fs->n, arg) : 0;
	if (rc != 0)
		for (int i = 0; i < fs->n; i++) {
			str_free(fs->ff[i].value);
			fs->ff[i].value = given[i];
		}
	free(given);
	if (rc == 0)
		return 1;
	tui_refresh(t);            /* the panes a question or a list covered */
	if (rc > 0)
		return 0;
	int bad = named_field(fs, t->err.field);
	if (bad >= 0) {
		snprintf(fs->msgs[bad], MSG_SIZE, "%s", t->err.msg);
		enter_field(fs, bad);
	} else {
		snprintf(fs->note, MSG_SIZE, "%s", t->err.msg);
		tui_error(t, &t->err);     /* whole on the status line too */
		tui_refresh(t);
	}
	return 0;
}

/* The note under the fields over NOTE_LINES lines, broken at spaces
 * (the last one cut with an ellipsis when it is longer still). */
static void draw_note(struct form_state *fs, WINDOW *win, int y, int width)
{
	int attr = fs->note[0] ? tui_attr(fs->t, EL_ERROR) : 0;
	char *rest = xstrdup(fs->note);
	const char *s = rest;
	for (int line = 0; line < NOTE_LINES; line++) {
		size_t len = strlen(s), cut = len;
		if (line < NOTE_LINES - 1 && text_width(s) > width) {
			char *head = xstrdup(s);
			for (cut = len; cut > 0; cut--) {
				if (s[cut] != ' ')
					continue;
				head[cut] = '\0';
				if (text_width(head) <= width)
					break;
			}
			free(head);
			if (cut == 0)
				cut = len;
		}
		char *part = xstrdup(s);
		part[cut] = '\0';
		tui_put(win, y + line, 2, part, width, attr);
		free(part);
		s += cut + (cut < len);
	}
	free(rest);
}

/* ---- drawing ---- */

/* The frame, labels and messages (all of it: a lock screen may have
 * covered it). */
static void draw_frame(struct form_state *fs, WINDOW *win, const char *head)
{
	/* the keys, with the current field's own when it has a set */
	const struct form_field *cur = &fs->ff[fs->cur];
	const char *keys = !cur->choices ? " Enter save  Tab next field  Esc cancel "
	                   : cur->pick ? " Enter save  Tab next field  Space the list  Esc cancel "
	                               : " Enter save  Tab next field  Space ←/→ next value  Esc cancel ";
	int h = getmaxy(win), w = getmaxx(win), field_w = w - LABEL_W - 4;
	touchwin(win);
	box(win, 0, 0);
	tui_put(win, 0, 2, head, text_width(head) < w - 4 ? text_width(head) : w - 4, A_BOLD);
	tui_put(win, h - 1, 2, keys, text_width(keys) < w - 4 ? text_width(keys) : w - 4, 0);
	for (int i = 0; i < fs->n; i++) {
		const struct form_field *f = &fs->ff[i];
		char label[64];
		snprintf(label, sizeof label, "%s%s", f->label, f->required ? " *" : "");
		tui_put(win, 2 + fs->step * i, 1, label, LABEL_W, A_BOLD);
		if (fs->step == 2 || i == fs->cur) {
			/* compact: the current field's note, on the line after them all */
			const char *note = fs->msgs[i][0] ? fs->msgs[i] : f->hint ? f->hint : "";
			int y = fs->step == 2 ? 3 + 2 * i : 2 + fs->n;
			if (fs->step == 1)     /* the last field's note goes, the border stays */
				mvwhline(win, y, 1, ' ', w - 2);
			tui_put(win, y, LABEL_W + 2, note, field_w,
			        fs->msgs[i][0] ? tui_attr(fs->t, EL_ERROR) : (int)A_DIM);
		}
	}
	int body = fs->step == 2 ? 2 * fs->n : fs->n + 1;
	if (h >= body + 3 + NOTE_LINES)
		draw_note(fs, win, h - 1 - NOTE_LINES, w - 4);
	else if (h >= body + 4)            /* a short window: one line of it */
		tui_put(win, h - 2, 2, fs->note, w - 4, fs->note[0] ? tui_attr(fs->t, EL_ERROR) : 0);
}

/* The form's size on the screen now, and whether it fits: each field
 * with its note under it, or, when that is too tall for the terminal
 * (a patient's thirteen fields at 24 rows), one field a line with the
 * current field's note under them all. */
static bool fit(const struct tui *t, int n, int *w, int *h, int *field_w, int *step)
{
	/* a blank line, the fields (and notes), a blank line, the lines of a
	 * save's message, the border */
	*w = t->cols - 2 < 78 ? t->cols - 2 : 78;
	*step = 2 * n + 4 + NOTE_LINES <= t->rows ? 2 : 1;
	*h = *step == 2 ? 2 * n + 4 + NOTE_LINES : n + 5 + NOTE_LINES;
	if (*h > t->rows)
		*h = t->rows;
	*field_w = *w - LABEL_W - 4;
	return *field_w >= 8 && *h >= *step * n + 2 + (*step == 1);
}

/* The form library's fields and form for the layout: the text is the
 * line editors', the cursor on the current field. */
static void make_form(struct form_state *fs, WINDOW *win, WINDOW *sub, int field_w)
{
	for (int i = 0; i < fs->n; i++) {
		fs->fl[i] = new_field(1, field_w, fs->step * i, 0, 0, 0);
		set_field_back(fs->fl[i], A_UNDERLINE);
		field_opts_off(fs->fl[i], O_AUTOSKIP | O_STATIC);
		set_max_field(fs->fl[i], LINE_EDIT_MAX);
		set_field_buffer(fs->fl[i], 0, "");
	}
	fs->form = new_form(fs->fl);
	set_form_opts(fs->form, 0);    /* Backspace and Enter never leave a field */
	set_form_win(fs->form, win);
	set_form_sub(fs->form, sub);
	post_form(fs->form);
	if (fs->cur >= 0)
		set_current_field(fs->form, fs->fl[fs->cur]);
	for (int i = fs->n - 1; i >= 0; i--)
		if (i != fs->cur)
			sync(fs, i);
	if (fs->cur >= 0)
		sync(fs, fs->cur);
}

static void free_form_fields(struct form_state *fs)
{
	unpost_form(fs->form);
	free_form(fs->form);
	for (int i = 0; i < fs->n; i++)
		free_field(fs->fl[i]);
}

/* A resize: the panes behind at the new size, then the form made again
 * for it (window, fields); what was typed, the selection and the cursor
 * are the line editors' and stay.  Too small for the form: it is kept,
 * not drawn (*hidden), until a resize gives it room. */
static void relayout(struct form_state *fs, WINDOW **win, WINDOW **sub, bool *hidden)
{
	int w, h, field_w;
	tui_refresh(fs->t);
	if (!fit(fs->t, fs->n, &w, &h, &field_w, &fs->step)) {
		*hidden = true;
		return;
	}
	free_form_fields(fs);
	delwin(*sub);
	*win = tui_window_centred(fs->t, *win, h, w);
	*sub = derwin(*win, fs->step * fs->n, field_w, 2, LABEL_W + 2);
	make_form(fs, *win, *sub, field_w);
	*hidden = false;
}

/* One key in the current field. */
static void field_key(struct form_state *fs, int key)
{
	const struct codeset *set = fs->ff[fs->cur].choices;
	if (set && set->n > 0 && choice_key(fs, key)) {
		fs->changed = true;
		sync(fs, fs->cur);
		return;
	}
	int r = line_edit_key(&fs->ed[fs->cur], key);
	if (r == LINE_NOT_MINE)
		return;
	fs->changed |= r == LINE_CHANGED;
	sync(fs, fs->cur);
}

int tui_form_save(struct tui *t, const char *title, const struct patient_ref *who,
                  struct form_field *ff, int n, form_save_fn save_fn, void *arg)
{
	int w, h, field_w;
	struct form_state fs = {.t = t, .ff = ff, .n = n, .cur = -1};
	if (!fit(t, n, &w, &h, &field_w, &fs.step)) {
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
	WINDOW *sub = derwin(win, fs.step * n, field_w, 2, LABEL_W + 2);
	fs.fl = xcalloc((size_t)n + 1, sizeof(FIELD *));
	fs.msgs = xcalloc((size_t)n, sizeof *fs.msgs);
	fs.ed = xcalloc((size_t)n, sizeof *fs.ed);
	for (int i = 0; i < n; i++) {
		char *clean = text_sanitize(ff[i].value ? ff[i].value : "");
		line_edit_set(&fs.ed[i], clean);
		free(clean);
	}
	make_form(&fs, win, sub, field_w);
	enter_field(&fs, 0);
	curs_set(1);
	int result = -1;
	bool hidden = false;
	while (result < 0) {
		if (!hidden) {
			draw_frame(&fs, win, head.s);
			pos_form_cursor(fs.form);
			wnoutrefresh(win);
			doupdate();
		}
		int key = tui_getkey(t, 500);
		if (t->quit)
			break;
		if (key < 0)
			continue;
		if (key == TK_RESIZE) {
			relayout(&fs, &win, &sub, &hidden);
			continue;
		}
		if (hidden && key != TK_ESC)
			continue;          /* nothing to type into until it fits */
		if (key == TK_ENTER) {
			int bad = validate(&fs);
			if (bad >= 0)
				enter_field(&fs, bad);
			else if (save(&fs, save_fn, arg))
				result = 1;
		} else if (key == TK_ESC) {
			if (!fs.changed || tui_confirm(t, "discard what you typed?"))
				result = 0;
			touchwin(win);
		} else if (key == TK_TAB || key == TK_DOWN) {
			enter_field(&fs, (fs.cur + 1) % n);
		} else if (key == TK_BTAB || key == TK_UP) {
			enter_field(&fs, (fs.cur + n - 1) % n);
		} else {
			field_key(&fs, key);
		}
	}
	curs_set(0);
	free_form_fields(&fs);
	free(fs.fl);
	free(fs.msgs);
	free(fs.ed);
	delwin(sub);
	delwin(win);
	buf_free(&head);
	t->full_redraw = true;
	return result == 1;
}

int tui_form(struct tui *t, const char *title, const struct patient_ref *who,
             struct form_field *fields, int n)
{
	return tui_form_save(t, title, who, fields, n, NULL, NULL);
}
