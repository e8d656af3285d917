/* pane: the screen's framework, for everything that draws (curses inside).
 *
 * A screen is a few panes; each is a `struct pane` (geometry, rows loaded,
 * selection, scroll, two flags) with a small `struct pane_ops` table.  The
 * loop in tui.c reads a key, maps it to an action with the keymap (the
 * pane's scope first, then the generic one), offers it to the popup on top
 * (if any), then to the focused pane, then handles it globally.  Handlers
 * change data and set flags, never draw:
 *
 *   reload   the pane queries the store again (ops->load) before drawing
 *   repaint  the pane draws itself (rows through ops->draw_row)
 *
 * After a change, tui_changed() flags only the panes whose ops->shows has
 * one of its kinds.  Before waiting for the next key the loop reloads and
 * repaints only the flagged panes (wnoutrefresh each) and calls doupdate()
 * once.  A resize is handled in tui_getkey() alone; modal loops get
 * TK_RESIZE to re-place themselves.
 *
 * Patients: an action about a patient takes the one of the selected row
 * (ops->patient), never a shared selection, and names them with a second
 * identifier (struct patient_ref, tui_patient_label()).
 *
 * Rows: a pane shows rows [0, n) it has loaded; ops->page fetches more
 * before or after them (keyset pages from the store), so the framework
 * moves the selection over any number of rows while only a few pages are
 * in memory.
 *
 * Adding a screen (the daily review is the model): write its ops, create
 * it with pane_new(), and show it over the workstation with
 * tui_push(t, pane); Esc (ACT_BACK) or tui_pop(t) closes it.  The `R` key
 * calls tui_review_open() in review_screen.c. */
#ifndef CASELOAD_TUI_PANE_H
#define CASELOAD_TUI_PANE_H
#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

#include "caseload/change.h"
#include "caseload/err.h"
#include "caseload/review.h"
#include "caseload/store_view.h"
#include "caseload/team.h"
#include "caseload/tui.h"

struct pane;
struct patient;
struct task;
struct tui;

/* A patient as the screen names one: never by name alone (two patients
 * may share a name), so with the date of birth and the MRN. */
struct patient_ref {
	long long id;          /* 0: none */
	char name[128];        /* "Family, Given" */
	char dob[16];          /* YYYY-MM-DD, or "" when not recorded */
	char mrn[48];          /* or "" */
};

struct pane_ops {
	/* The actions the key-hint line offers while focused (ACT_NONE
	 * ends the list), shown with their keys in the pane's scope. */
	const enum action *hints;
	enum key_scope scope;  /* its keys: its own, then the generic ones */
	/* Query the store again, keeping the selection on the same record
	 * where it still exists.  NULL: nothing to load. */
	int (*load)(struct pane *p, struct err *e);
	/* Fetch rows before (backward) or after the loaded ones; with `jump`,
	 * replace the rows by the first (or, backward, the last) page.
	 * Returns the rows added or a negative error.  NULL: all loaded. */
	int (*page)(struct pane *p, bool backward, bool jump, struct err *e);
	/* The column header, one line under the top border, above the rows
	 * (drawn like a row: line y, `width` columns from x).  NULL: none. */
	void (*header)(struct pane *p, int y, int x, int width);
	/* Draw row i at line y of p->win, `width` columns from column x. */
	void (*draw_row)(struct pane *p, size_t i, int y, int x, int width, bool selected);
	/* An action: 1 handled, 0 not mine, negative: failed with t->err set. */
	int (*action)(struct pane *p, enum action a);
	/* The selection moved to another row, or the pane got the focus. */
	void (*selected)(struct pane *p);
	/* The patient of the selected row (a task's, an appointment's, the
	 * one the pane shows): 1 with *out set, 0 when the row has none.
	 * Actions about a patient take theirs from here.  NULL: never one. */
	int (*patient)(struct pane *p, struct patient_ref *out);
	/* Release data. */
	void (*free)(struct pane *p);
	/* The kinds of change (enum change_kind bits) that make it load again. */
	unsigned shows;
};

struct pane {
	const struct pane_ops *ops;
	struct tui *t;
	char title[200];       /* shown on the top border */
	WINDOW *win;
	struct rect r;
	size_t n;              /* rows loaded */
	size_t sel, top;       /* selected row, first row shown */
	bool more_before, more_after;   /* set by load/page */
	bool reload, repaint;
	bool popup;            /* drawn centred over the others */
	bool fullscreen;       /* a popup over all the panes (the agenda) */
	void *data;            /* the pane's own state */
};

/* The workstation's panes, by slot. */
enum pane_slot { SLOT_CASELOAD, SLOT_TIMELINE, SLOT_TASKS, SLOT_N };

/* Attributes by element (colours when the terminal has them, else
 * bold/reverse/underline). */
enum tui_elem { EL_NORMAL, EL_TITLE, EL_STATUS, EL_SELECTED, EL_BORDER, EL_FOCUS,
                EL_OVERDUE, EL_TODAY, EL_HIGH, EL_HEADER, EL_ERROR, EL_COUNT };

/* A key script being replayed (CASELOAD_KEYS_REPLAY), and the time each
 * key took (tui_input.c). */
struct tui_replay {
	FILE *f;
	int pending[256];      /* characters of a "type" line still to come */
	int n_pending, next_pending;
	double key_start;      /* when the last key was handed out */
	bool idle;             /* an `idle` line: wait for the counts */
	char last[32];
	double *ms;            /* per-key timings */
	char (*names)[32];
	size_t n, cap;
};

/* The workstation. */
struct tui {
	/* What the front end gave, through `live`: the same but for its clock,
	 * moved on by tui_clock at each key and tick (a contact logged hours
	 * into a session carries its own time; past midnight, a new day). */
	const struct tui_ctx *ctx;
	struct tui_ctx live;
	long long clock_from;   /* time() when the screen started */
	struct store *store;
	struct keymap km;
	struct layout lay;
	int rows, cols;
	struct pane *panes[SLOT_N];
	enum pane_slot focus;
	struct pane *stack[4]; /* popups, top last */
	int n_stack;
	WINDOW *title_win, *status_win;
	char msg[512];
	bool msg_error, title_dirty, status_dirty, quit, locked, full_redraw;
	bool counts_dirty;      /* count patients again (data changed) */
	unsigned long changes;  /* tui_changed's calls: what a pane kept from
	                           the database since is stale when it moves */
	bool counting;          /* the day's verdicts are being judged */
	struct review_cache review;   /* the day's verdicts (tui_review) */
	struct review_scope scope;    /* whose patients the title counts */
	double last_input;      /* monotonic ms of the last key */
	int idle_ms;            /* lock after this long without a key */
	int lock_fails;         /* wrong passphrases in a row (tui_lock.c) */
	long long data_version;
	double external_at;     /* monotonic ms of the last reload for another
	                           process's change (tui.c: coalesced) */
	double external_seen;   /* monotonic ms another process's change was
	                           last seen (the count waits until they stop) */
	bool in_external;       /* tui_changed is told of another's change */
	bool counts_external;   /* every change since the last count another's */
	unsigned live_kinds;    /* what others committed (store_watch_drain) */
	long long n_patients, n_review;   /* -1: not counted yet */
	long long n_adt;        /* ADT messages waiting for a patient (N) */
	char today_s[16];
	bool colors;
	int attrs[EL_COUNT];    /* by element (tui_colors.c) */
	struct tui_replay replay;
	/* The patient the timeline shows: the caseload's selection, or the
	 * selected task's when the queue of all patients has the focus. */
	struct patient_ref patient;
	/* The care management timer (tui_timer.c): patient_id 0 when not running. */
	struct {
		long long patient_id;
		struct patient_ref who;
		double start_ms;       /* monotonic */
		double locked_ms;      /* when the lock came while it ran; 0: not locked */
		int shown;             /* the minutes the title shows */
	} timer;
	struct err err;
};

int tui_attr(const struct tui *t, enum tui_elem el);
/* Colours from the config file; a bad element or colour names the place.
 * check_only: only check (before the screen starts). */
int tui_colors_setup(struct tui *t, bool check_only, struct err *e);

/* Panes. */
struct pane *pane_new(struct tui *t, const struct pane_ops *ops, void *data);
void pane_free(struct pane **p);
void pane_place(struct pane *p, struct rect r);
void pane_draw(struct pane *p, bool focused);
/* Movement actions (up, down, pages, top, bottom): 1 when handled. */
int pane_move(struct pane *p, enum action a);
/* Rows that fit inside the border (and under the column header). */
int pane_height(const struct pane *p);
/* Set the selection (clamped) and scroll it into view. */
void pane_select(struct pane *p, size_t i);

/* A pane's rows as a model-style list ({items, len, cap}) of elem bytes. */
struct rows_ref {
	void **items;
	size_t *len, *cap;
	size_t elem;
};
#define ROWS_REF(l) ((struct rows_ref){(void **)&(l)->items, &(l)->len, &(l)->cap, sizeof *(l)->items})
/* Take a fetched page into the rows (its array is taken over and freed):
 * after them, before them (backward), or in their place (jump: the old
 * rows must have been freed).  Sets p->n and the more flags; returns the
 * rows added. */
int pane_take_page(struct pane *p, struct rows_ref rows, struct rows_ref got, bool backward,
                   bool jump, bool more);

/* Text out: sanitized, cut to width with an ellipsis, padded. */
void tui_put(WINDOW *w, int y, int x, const char *s, int width, int attr);

/* The screen's services to panes. */
void tui_message(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_error(struct tui *t, const struct err *e);
/* Data changed: the panes that show any of its kinds load again (the
 * timeline only when the change is its patient's, or many patients'; a
 * popup's by its ops->shows), and the title bar counts again.  Another process's change is CHANGE_ALL. */
void tui_changed(struct tui *t, const struct change *c);
/* The day's review verdicts when every patient is judged and they are
 * current (the `!` marks, the "needs review" set, the review card's
 * queue), else NULL: then ask the review service. */
const struct review_cache *tui_review(const struct tui *t);
/* The same, judging whatever is left now if need be (the "needs review"
 * filter pages through their set, review_cache.keeps_set; the review
 * card reads their queue in place); NULL and e set on an error. */
const struct review_cache *tui_review_whole(struct tui *t, struct err *e);
/* The patient to follow (the timeline, the queue of one patient); NULL
 * for none. */
void tui_select_patient(struct tui *t, const struct patient_ref *r);
/* The pane that gets the keys: the popup on top, else the focused one. */
struct pane *tui_focused(struct tui *t);
/* Fill *out from the store: 0, or -1 with t->err set. */
int tui_patient_ref(struct tui *t, long long id, struct patient_ref *out);
/* Fill *out from what a row has (any may be NULL). */
void patient_ref_set(struct patient_ref *out, long long id, const char *name, const char *dob,
                     const char *mrn);
/* "Name · DOB 1966-08-13 · MRN0001014" in at most `width` columns (< 0:
 * any): the name is shortened first, then the MRN left out; the date of
 * birth always shows. */
void tui_patient_label(const struct patient_ref *r, int width, struct buf *out);
/* The second identifier alone, for a row: the date of birth, else the
 * MRN, else "#id". */
const char *patient_ref_ident(const struct patient_ref *r, char out[48]);
void tui_push(struct tui *t, struct pane *p);
void tui_pop(struct tui *t);
/* Show lines of text in a popup (help, details). */
void tui_show_text(struct tui *t, const char *title, struct strlist *lines);
/* The same, where the key of `offer` closes it and calls then(t) (the
 * import's summary offers the unassigned list): then's negative return
 * is an error in t->err. */
void tui_show_text_offer(struct tui *t, const char *title, struct strlist *lines,
                         enum action offer, int (*then)(struct tui *t));
/* The text popup on top reports a change that u undoes (an import). */
void tui_popup_undoes(struct tui *t);
/* Show "label   value" lines in a popup (a record's details). */
struct label_value {
	const char *label, *v;
};
void tui_show_fields(struct tui *t, const char *title, const struct label_value *f, size_t n);
/* The width of a popup (tui_push) on this terminal, its border included. */
int tui_popup_width(const struct tui *t);
/* Show text whole in a popup, wrapped to its width and scrollable to the
 * end (j/k, PgUp/PgDn, g/G); lines are separated by \n, and a line
 * "Label: value" keeps its value clear of the label when it wraps
 * (tui_chart.c). */
void tui_show_doc(struct tui *t, const char *title, const char *text);
/* The patient's chart over the workstation (tui_chart.c): everything
 * `caseload patient show` prints, in sections, scrollable, with the keys
 * that add to it (care team, condition, medication, admission, discharge,
 * result) and edit the patient.  0, or -1 with t->err set. */
int tui_chart_open(struct tui *t, const struct patient_ref *who);
/* An instant in the zone as every pane shows a date: "Thu 3 Dec 14:05"
 * (with_time) or "Thu 3 Dec", with the year when it is not this one. */
void tui_format_when(const struct tui *t, long long utc, bool with_time, char out[48]);
/* One line being edited (a form's field, a prompt), with the readline
 * keys: Left/Right, Home/End and Ctrl-A/Ctrl-E move; Backspace, Delete;
 * Ctrl-U deletes to the start, Ctrl-K to the end, Ctrl-W the word before
 * the cursor.  A selected line (a form's prefilled value as the field is
 * entered) goes at the first character typed, Backspace or Delete; a
 * movement keeps it and ends the selection (tui_prompt.c). */
#define LINE_EDIT_MAX 500      /* characters */
struct line_edit {
	wchar_t s[LINE_EDIT_MAX + 1];
	int len, cur;          /* characters; the cursor is before s[cur] */
	bool selected;
};
enum { LINE_NOT_MINE, LINE_MOVED, LINE_CHANGED };
void line_edit_set(struct line_edit *l, const char *text);
/* The first n characters (n < 0: all) as UTF-8; the caller frees. */
char *line_edit_text(const struct line_edit *l, int n);
/* Apply a key: LINE_CHANGED, LINE_MOVED, or LINE_NOT_MINE. */
int line_edit_key(struct line_edit *l, int key);

/* Read one line at the bottom, with the readline keys of line_edit;
 * on_change sees each edit (search as you type).  Returns 1 with *out
 * (caller frees) on Enter, 0 on Esc. */
int tui_prompt(struct tui *t, const char *label, const char *initial,
               void (*on_change)(struct tui *t, const char *text, void *arg), void *arg,
               char **out);
/* The same with Tab completing the first word from names[0..n): each
 * Tab offers the next name it starts, then the word as typed, and the
 * line shows the names it matches (the `:` command line). */
int tui_prompt_complete(struct tui *t, const char *label, const char *const *names, size_t n,
                        char **out);
/* Choose one of items[0..n) in a popup list (tui_pick.c): 1 with
 * *chosen (also where the selection starts), 0 on Esc. */
/* The care management timer (tui_timer.c).  `M`: start on who, or stop
 * and offer the minutes to log.  tui_timer_stop: stop it if it runs on
 * patient_id (0: any), giving its minutes (0: it was not). */
int tui_timer_toggle(struct tui *t, const struct patient_ref *who);
bool tui_timer_running(const struct tui *t);
int tui_timer_stop(struct tui *t, long long patient_id);
/* The minutes so far of the timer on patient_id, running on (0: it is
 * not running on them): the contact form's, before the contact is
 * logged. */
int tui_timer_minutes(const struct tui *t, long long patient_id);
/* " — timer: patient 12, 3 min" for the title, or "". */
void tui_timer_title(const struct tui *t, char *out, size_t n);
/* The loop's tick (the title follows the minutes), and the lock's
 * start and end (on unlock: keep the minutes the lock took, or stop at
 * the lock and offer what ran before it). */
void tui_timer_tick(struct tui *t);
void tui_timer_locked(struct tui *t);
void tui_timer_unlocked(struct tui *t);
int tui_pick(struct tui *t, const char *title, const char *const *items, size_t n,
             size_t *chosen);
/* A patient by what is typed after "VERB (name, MRN or phone): " (the
 * caseload's search), chosen from a list naming each with a second
 * identifier (tui_pick.c).  1 chosen (*out), 0 not, -1 on error (t->err). */
int tui_choose_patient(struct tui *t, const char *verb, struct patient_ref *out);
/* Ask yes or no; true for yes. */
bool tui_confirm(struct tui *t, const char *question);
/* Read a key (from the keyboard or the replayed script); TK_ values for
 * special keys; -1 on timeout. */
int tui_getkey(struct tui *t, int timeout_ms);
/* Redraw everything that is flagged, then doupdate(). */
void tui_refresh(struct tui *t);

/* A modal loop's window (a form, a pick list), h x w centred on the
 * screen (cut to it), keypad on; `old` (may be NULL) is deleted.  How a
 * modal loop follows a resize: on TK_RESIZE, tui_refresh(t) draws the
 * panes behind at the new size (tui_getkey laid them out), then the loop
 * makes its window again with this, at the size it wants now. */
WINDOW *tui_window_centred(struct tui *t, WINDOW *old, int h, int w);

struct codeset;
/* Forms (tui_form.c).  Entering a field selects its value: the first
 * character typed replaces it, a movement keeps it.  Every field has the
 * line editor's readline keys (struct line_edit). */
struct form_field {
	const char *label;
	const char *value;     /* initial value; on return the typed text (owned) */
	const char *hint;      /* shown beside the field ("today, fri, +3d") */
	/* Check a value; a negative return keeps the form open with e->msg
	 * beside the field.  NULL: anything (empty included). */
	int (*check)(struct tui *t, const char *value, struct err *e);
	/* The request field a use case's error names (err.field) when it is
	 * about this one; NULL: the label, case aside. */
	const char *name;
	/* A fixed set of values: Space, Left and Right cycle through them,
	 * typing completes by prefix (the rest of the value after the
	 * cursor; Backspace takes back a letter).  With pick, Space opens
	 * them in a pick list instead. */
	const struct codeset *choices;
	bool pick;
	bool required;
};
/* Run a form; 1 submitted (fields[i].value replaced by owned copies the
 * caller frees with form_fields_free), 0 cancelled.  A form that writes
 * to a patient names them (who) in its title, never by name alone. */
int tui_form(struct tui *t, const char *title, const struct patient_ref *who,
             struct form_field *fields, int n);
/* Save what a form holds: called on Enter once every field passes its
 * check, with fields[i].value the typed text (the form's, for the call
 * only).  0: saved, and the form closes.  Negative with t->err set: the
 * form stays open with everything typed and the message beside the
 * field t->err.field names (else under the fields), the cursor on it: a
 * use case's refusal, a save that lost the race.  Positive: it stays
 * open and nothing is said (the coordinator went back from a question). */
typedef int (*form_save_fn)(struct tui *t, struct form_field *fields, int n, void *arg);
/* tui_form that saves before it closes: 1 saved (values as tui_form's),
 * 0 cancelled. */
int tui_form_save(struct tui *t, const char *title, const struct patient_ref *who,
                  struct form_field *fields, int n, form_save_fn save, void *arg);
void form_fields_free(struct form_field *fields, int n);
/* In a form_save_fn, after a save that lost the race (ERR_CONFLICT from
 * the version check, t->err saying who changed what): *version becomes
 * the row's version now, so that Enter again saves what is typed over
 * their change, knowingly, and the message says so.  ERR_CONFLICT. */
int tui_lost_race(struct tui *t, long long version_now, long long *version);
/* Field checks shared by the forms (tui_actions.c). */
/* The configuration's holidays (business days), or NULL. */
const struct holidays *tui_holidays(const struct tui *t);
int tui_check_date(struct tui *t, const char *v, struct err *e);       /* friendly date */
int tui_check_dob(struct tui *t, const char *v, struct err *e);        /* a birth date or empty */
int tui_check_priority(struct tui *t, const char *v, struct err *e);
int tui_check_kind(struct tui *t, const char *v, struct err *e);       /* task kind */
int tui_check_risk(struct tui *t, const char *v, struct err *e);
int tui_check_time(struct tui *t, const char *v, struct err *e);       /* HH:MM */
/* Minutes of a contact: empty or 1 to 1440; tui_minutes is the value of a
 * checked field (0 when empty). */
int tui_check_minutes(struct tui *t, const char *v, struct err *e);
int tui_minutes(const char *v);

/* The panes (pane_*.c). */
struct pane *caseload_pane_new(struct tui *t);
struct pane *timeline_pane_new(struct tui *t);
struct pane *tasks_pane_new(struct tui *t);
/* Select the timeline's first line on or after `day` (a local date),
 * scrolled into view: 0, or -1 when nothing is that late. */
int timeline_goto(struct pane *p, int day);
/* Whether the task queue shows one patient's tasks (t->patient's). */
bool tasks_pane_one_patient(struct pane *p);

/* After a use case: on success the message, and the panes that show
 * what it changed load again; returns rc. */
int tui_done(struct tui *t, int rc, const char *what, const struct change *ch);
/* Actions about a patient (tui_actions.c): each takes the patient of the
 * row the key was pressed on (ops->patient), never a shared selection. */
/* The task form for a patient, prefilled from `prefill` (title, due,
 * priority, kind) or, when NULL, with the defaults (due today, routine, a call). */
int tui_add_task(struct tui *t, const struct patient_ref *who, const struct task *prefill);
int tui_add_appointment(struct tui *t, const struct patient_ref *who);
int tui_edit_appointment(struct tui *t, const struct patient_ref *who, long long id);
int tui_add_patient(struct tui *t);
/* The patient form (every field `patient edit` has) over patient id. */
int tui_edit_patient(struct tui *t, long long id);
/* Add (or, with edit, save p->id) a patient through the use case; a
 * namesake with the same date of birth asks before saving.  1 saved, 0
 * not (the coordinator said no), negative on error (t->err). */
int tui_save_patient(struct tui *t, struct patient *p, bool edit, struct change *ch);
int tui_log_contact(struct tui *t, const struct patient_ref *who);
/* Complete a task; the patient's post-discharge call task, while no
 * reached contact is logged since the discharge, asks whether the patient
 * was reached first (yes logs the call too).  title (may be NULL) is
 * for the message.  0 done, 1 left open, negative on error (t->err). */
/* Ask until when and snooze a task (the prompt names the patient).  0
 * snoozed, 1 not asked through (Esc), negative on error (t->err). */
int tui_snooze_task(struct tui *t, long long task_id, const struct patient_ref *who,
                    const char *title);
int tui_complete_task(struct tui *t, long long task_id, long long patient_id, const char *title);
int tui_add_note(struct tui *t, const struct patient_ref *who);
int tui_export(struct tui *t, const struct patient_ref *who);
/* The patient's handout, to a file asked for (H). */
int tui_handout(struct tui *t, const struct patient_ref *who);
/* who: the patient "for patient: yes" imports to, or NULL. */
int tui_import(struct tui *t, const struct patient_ref *who);
int tui_template(struct tui *t, const struct patient_ref *who);
/* tui_undo.c: note the change group this screen's last change made (from
 * tui_changed), undo the newest not undone (`u`), forget them (at the
 * end); cancel a task (asks why) or an appointment (a reason picked from
 * the FHIR list): 0 done, 1 not asked through, negative on error. */
void tui_undo_note(struct tui *t);
int tui_undo(struct tui *t);
void tui_undo_forget(void);
int tui_cancel_task(struct tui *t, long long task_id, const struct patient_ref *who,
                    const char *title);
int tui_cancel_appointment(struct tui *t, long long appt_id);
/* The daily review screen: review_screen.c (owned by the review work). */
int tui_review_open(struct tui *t);
/* Before the day's verdicts are judged again from the start: an open card
 * that reads their queue in place takes a copy of it as it is. */
void tui_review_detach(struct tui *t);
/* The day's call list (tui_calls.c). */
int tui_calls_open(struct tui *t);
/* The team's workload (tui_workload.c). */
int tui_workload_open(struct tui *t);
/* The month's end (tui_billing.c). */
int tui_billing_open(struct tui *t);
/* The agenda of the whole caseload (`D`) and the unassigned appointments
 * (`U`): tui_agenda.c. */
int tui_agenda_open(struct tui *t);
int tui_unassigned_open(struct tui *t);
/* The hospital's messages waiting for their patient (`N`): tui_adt.c. */
int tui_adt_open(struct tui *t);

/* Local time of a UTC instant as "Tue 24 Nov 10:30" pieces. */
void tui_local(const struct tui *t, long long utc, int *day, int *minutes);

#endif
