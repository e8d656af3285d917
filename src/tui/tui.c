/* tui: the workstation's loop.  One thread: wait for a key with a timeout
 * (wtimeout), map it to an action, let the popup or the focused pane
 * handle it, else handle it here; then reload and repaint only the
 * flagged panes and doupdate() once.  The timeout runs the timers: the
 * idle lock and watching PRAGMA data_version for other processes'
 * changes; on a server the database's live watch wakes the wait itself
 * (tui_input.c), and the tick reloads what it names.  Signal handlers
 * only set a flag.
 *
 * Around it: tui_input.c (keys, replay, resize), tui_colors.c,
 * tui_prompt.c, tui_crash.c and tui_lock.c. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "caseload/audit.h"
#include "caseload/date.h"
#include "caseload/review.h"
#include "caseload/store.h"
#include "caseload/store_adt.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "tui_internal.h"

/* ---- messages, flags ---- */

void tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = error;
	t->status_dirty = true;
}

void tui_error(struct tui *t, const struct err *e)
{
	char text[sizeof e->msg + sizeof e->file + 32];
	tui_message(t, true, "%s", err_text(e, text, sizeof text));
}

/* Whose patients the title counts: the review's rule (team.h), for the
 * one who runs the screen; on failure everyone's. */
static void load_scope(struct tui *t)
{
	struct err e = {0};
	team_scope_free(&t->scope);
	if (team_review_scope(t->store, t->ctx->user, false, &t->scope, &e) < 0)
		team_scope_free(&t->scope);
}

/* The ADT messages that wait for a coordinator to find their patient: a
 * count of their own index's rows, read again at every change (a match
 * or drop here, an import by another process). */
static void load_adt(struct tui *t)
{
	long long n;
	if (store_adt_waiting(t->store, &n, &(struct err){0}) == 0 && n != t->n_adt) {
		t->n_adt = n;
		t->title_dirty = true;
	}
}

void tui_changed(struct tui *t, const struct change *c)
{
	tui_undo_note(t);   /* this screen's change, for `u` */
	load_adt(t);
	t->changes++;
	if (!c || !c->kinds)
		return;
	for (int i = 0; i < SLOT_N; i++) {
		struct pane *p = t->panes[i];
		if (!(c->kinds & p->ops->shows))
			continue;
		/* the timeline shows one patient: another's change is not its */
		if (i == SLOT_TIMELINE && c->patient_id && !c->many && c->patient_id != t->patient.id)
			continue;
		p->reload = true;
	}
	for (int i = 0; i < t->n_stack; i++)   /* a popup that shows such data */
		if (c->kinds & t->stack[i]->ops->shows)
			t->stack[i]->reload = true;
	if (c->kinds & CHANGE_PATIENT)   /* a patient may have another coordinator */
		load_scope(t);
	t->title_dirty = true;
	/* one patient's change: judge that patient again, now (a fraction
	 * of a millisecond); else every patient again, in slices */
	struct err e = {0};
	bool was = t->counts_dirty;
	if (c->kinds == CHANGE_ALL || c->many || !c->patient_id ||
	    review_cache_update(t->store, t->ctx->cfg, &t->review, c->patient_id, &e) < 0)
		t->counts_dirty = true;
	if (t->counts_dirty)
		t->counts_external = t->in_external && (!was || t->counts_external);
	if (t->review.done && !t->counts_dirty) {
		t->n_review = team_scope_need(&t->scope, &t->review);
		t->n_patients = t->review.active;
	}
}

static bool external_busy(const struct tui *t);

/* The whole count, or none while it is made again: its marks would be
 * out of date.  While other processes' changes keep coming (an import),
 * the last whole count serves, as it does in the title, until they stop
 * and it is made again (the patients on screen are not judged one by one
 * at each of their batches). */
const struct review_cache *tui_review(const struct tui *t)
{
	if (!t->review.done || t->counting)
		return NULL;
	if (!t->counts_dirty)
		return &t->review;
	return t->counts_external && external_busy(t) ? &t->review : NULL;
}

void tui_select_patient(struct tui *t, const struct patient_ref *r)
{
	struct patient_ref none = {0};
	if (!r)
		r = &none;
	if (r->id == t->patient.id && !strcmp(r->name, t->patient.name) &&
	    !strcmp(r->dob, t->patient.dob) && !strcmp(r->mrn, t->patient.mrn))
		return;       /* the same patient, shown the same way */
	/* another patient's chart (the timeline) opens: one audit row, not
	 * one per redraw; a read that cannot be recorded is not shown */
	struct err e = {0};
	if (r->id && r->id != t->patient.id &&
	    audit_read(t->store, "read", "screen", r->id, -1, &e) < 0) {
		tui_error(t, &e);
		return;
	}
	t->patient = *r;
	t->panes[SLOT_TIMELINE]->reload = true;
	if (tasks_pane_one_patient(t->panes[SLOT_TASKS]))
		t->panes[SLOT_TASKS]->reload = true;
}

void tui_push(struct tui *t, struct pane *p)
{
	if (t->n_stack == (int)(sizeof t->stack / sizeof t->stack[0])) {
		pane_free(&p);
		return;
	}
	t->stack[t->n_stack++] = p;
	t->full_redraw = true;
}

void tui_pop(struct tui *t)
{
	if (t->n_stack > 0)
		pane_free(&t->stack[--t->n_stack]);
	t->full_redraw = true;
}

void tui_local(const struct tui *t, long long utc, int *day, int *minutes)
{
	struct err e;
	if (tz_utc_to_local(t->ctx->zone, utc, day, minutes, &e) < 0) {
		*day = date_of_utc(utc);
		*minutes = (int)((utc - date_utc_midnight(*day)) / 60);
	}
}

/* ---- drawing ---- */

static void draw_title(struct tui *t)
{
	WINDOW *w = t->title_win;
	if (!w)
		return;
	int y, m, d;
	char line[512], tabs[128] = "";
	date_to_ymd(t->ctx->today, &y, &m, &d);
	if (t->lay.mode == LAYOUT_TABS) {
		static const char *const names[] = {"Caseload", "Timeline", "Tasks"};
		for (int i = 0; i < SLOT_N; i++)
			snprintf(tabs + strlen(tabs), sizeof tabs - strlen(tabs), "%s%d %s%s ",
			         i == (int)t->focus ? "[" : " ", i + 1, names[i], i == (int)t->focus ? "]" : " ");
	}
	const char *who = t->ctx->cfg && t->ctx->cfg->coordinator ? t->ctx->cfg->coordinator : t->ctx->user;
	/* on a narrow terminal the tabs come first, so that they show */
	char counts[160] = "", hint[64] = "", rk[16], hk[16];
	const char *r = keymap_key_for(&t->km, SCOPE_GENERIC, ACT_REVIEW, rk),
	           *h = keymap_key_for(&t->km, SCOPE_GENERIC, ACT_HELP, hk);
	snprintf(hint, sizeof hint, "%s%s%s%s%s%s%s", r ? "[" : "", r ? r : "", r ? "] review" : "",
	         r && h ? "  " : "", h ? "[" : "", h ? h : "", h ? "] help" : "");
	if (t->n_patients >= 0)
		snprintf(counts, sizeof counts, " — %lld patient%s", t->n_patients,
		         t->n_patients == 1 ? "" : "s");
	if (t->n_patients >= 0 && t->n_review >= 0)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts),
		         " — %lld %sneed%s review", t->n_review, t->scope.mine ? "of yours " : "",
		         t->n_review == 1 ? "s" : "");
	if (t->n_adt > 0) {
		char nk[16];
		const char *k = keymap_key_for(&t->km, SCOPE_GENERIC, ACT_ADT, nk);
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts),
		         " — %lld ADT to match%s%s%s", t->n_adt, k ? " [" : "", k ? k : "", k ? "]" : "");
	}
	char timer[96];
	tui_timer_title(t, timer, sizeof timer);
	snprintf(line, sizeof line, "%s caseload — %s %d %s %d — %s%s%s",
	         tabs, date_weekday_abbr(date_weekday(t->ctx->today)), d, date_month_abbr(m), y,
	         who ? who : "", timer, counts);
	/* the zone times are shown in, whole or not at all: it gives way
	 * before the date, the coordinator, the counts and the keys */
	char zone[96];
	snprintf(zone, sizeof zone, " — %s", t->ctx->zone ? t->ctx->zone : "UTC");
	if (text_width(line) + text_width(zone) + 3 + text_width(tabs[0] ? "" : hint) <= t->cols)
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s", zone);
	snprintf(line + strlen(line), sizeof line - strlen(line), "   %s", tabs[0] ? "" : hint);
	tui_put(w, 0, 0, line, t->cols, tui_attr(t, EL_TITLE));
	wnoutrefresh(w);
	t->title_dirty = false;
}

struct pane *tui_focused(struct tui *t)
{
	return t->n_stack ? t->stack[t->n_stack - 1] : t->panes[t->focus];
}

static void draw_status(struct tui *t)
{
	WINDOW *w = t->status_win;
	if (!w)
		return;
	if (t->msg[0])
		tui_put(w, 0, 0, t->msg, t->cols, tui_attr(t, t->msg_error ? EL_ERROR : EL_STATUS));
	else
	{
		struct buf b = {0};
		const struct pane *p = tui_focused(t);
		keymap_hints(&t->km, p->ops->scope, p->ops->hints, t->cols, &b);
		tui_put(w, 0, 0, b.s ? b.s : "", t->cols, tui_attr(t, EL_STATUS));
		buf_free(&b);
	}
	wnoutrefresh(w);
	t->status_dirty = false;
}

/* The title bar's figures.  "Need review" is the review service's count
 * (review.h: flagged and not marked reviewed today, skipped included), the
 * same set as the `!` marks, the "needs review" filter and the review;
 * the patients are those it judged.  It runs every patient's rules, too
 * long to make a key wait for at a large caseload: it is counted in slices
 * of at most COUNT_SLICE_MS while no key waits (see the loop), and the
 * title keeps the last whole count until the new one is complete.  Each
 * step is bounded (COUNT_STEP patients), and a slice takes one more only
 * when, as long as the last one, it ends within the slice: a key typed
 * during a slice waits for it (at 100,000 patients a step is about 1.4
 * ms of CPU). */
#define COUNT_SLICE_MS 4
#define KEY_PAUSE_MS 100        /* no slice sooner than this after a key */
#define COUNT_STEP 16           /* patients judged between two looks at the clock */

static void load_counts(struct tui *t)
{
	t->review.keeps_set = true;
	load_scope(t);
	tui_review_detach(t);
	review_cache_start(&t->review, t->ctx->today);
	t->counting = true;
	t->counts_dirty = t->counts_external = false;
}

static void count_done(struct tui *t)
{
	if (t->counting && t->review.done) {
		t->n_review = team_scope_need(&t->scope, &t->review);
		t->n_patients = t->review.active;
		t->counting = false;
		t->title_dirty = true;
	}
}

static void count_slice(struct tui *t)
{
	struct err e = {0};
	double now = tui_now_ms(), until = now + COUNT_SLICE_MS, step = 0;
	while (t->counting && !t->review.done && now + step <= until) {
		if (review_cache_step(t->store, t->ctx->cfg, &t->review, COUNT_STEP, &e) < 0) {
			tui_error(t, &e);
			t->counting = false;
		}
		double then = now;
		now = tui_now_ms();
		step = now - then;
	}
	count_done(t);
}

const struct review_cache *tui_review_whole(struct tui *t, struct err *e)
{
	if (t->counts_dirty || (!t->counting && !t->review.done))
		load_counts(t);
	while (t->counting && !t->review.done)
		if (review_cache_step(t->store, t->ctx->cfg, &t->review, 256, e) < 0) {
			t->counting = false;
			return NULL;
		}
	count_done(t);
	t->title_dirty = true;
	return &t->review;
}

int tui_popup_width(const struct tui *t)
{
	return t->cols - 4 < 100 ? t->cols - 4 : 100;
}

static void place_popup(struct tui *t, struct pane *p)
{
	if (p->fullscreen) {       /* between the title and the status line */
		pane_place(p, (struct rect){1, 0, t->rows - 2, t->cols});
		return;
	}
	int w = tui_popup_width(t);
	int h = (int)p->n + 2 + (p->ops->header ? 1 : 0);
	if (h > t->rows - 2)
		h = t->rows - 2;
	if (h < 3)
		h = 3;
	pane_place(p, (struct rect){(t->rows - h) / 2, (t->cols - w) / 2, h, w});
}

WINDOW *tui_window_centred(struct tui *t, WINDOW *old, int h, int w)
{
	if (old)
		delwin(old);
	h = h < t->rows ? h : t->rows;
	w = w < t->cols ? w : t->cols;
	h = h > 1 ? h : 1;
	w = w > 1 ? w : 1;
	WINDOW *win = newwin(h, w, (t->rows - h) / 2, (t->cols - w) / 2);
	if (win)
		keypad(win, TRUE);
	return win;
}

void tui_layout(struct tui *t)
{
	getmaxyx(stdscr, t->rows, t->cols);
	layout_compute(t->rows, t->cols, &t->lay);
	if (t->title_win)
		delwin(t->title_win);
	if (t->status_win)
		delwin(t->status_win);
	t->title_win = t->status_win = NULL;
	if (t->lay.mode != LAYOUT_TOO_SMALL) {
		t->title_win = newwin(1, t->cols, 0, 0);
		t->status_win = newwin(1, t->cols, t->rows - 1, 0);
		pane_place(t->panes[SLOT_CASELOAD], t->lay.caseload);
		pane_place(t->panes[SLOT_TIMELINE], t->lay.timeline);
		pane_place(t->panes[SLOT_TASKS], t->lay.tasks);
		/* the timeline's title fits the patient's identifiers to its
		 * width: it is made again for the new one */
		t->panes[SLOT_TIMELINE]->reload = true;
		/* a popup that loads (the review card) sizes itself to the
		 * screen: it loads again, then is placed */
		for (int i = 0; i < t->n_stack; i++) {
			t->stack[i]->reload = t->stack[i]->ops->load != NULL;
			place_popup(t, t->stack[i]);
		}
	}
	t->full_redraw = true;
}

void tui_refresh(struct tui *t)
{
	if (t->lay.mode == LAYOUT_TOO_SMALL) {
		werase(stdscr);
		char msg[64];
		snprintf(msg, sizeof msg, "terminal too small (%dx%d, need %dx%d)", t->cols, t->rows,
		         LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
		tui_put(stdscr, 0, 0, msg, t->cols, A_BOLD);
		wnoutrefresh(stdscr);
		doupdate();
		t->full_redraw = true;   /* the next good size redraws all */
		return;
	}
	if (t->full_redraw) {
		wnoutrefresh(stdscr);
		t->title_dirty = t->status_dirty = true;
	}
	/* Counting is the one whole-table query: it waits for an idle
	 * moment (see the loop), so keys never wait for it. */
	/* Loads first (a caseload load may select another patient, which
	 * flags the other panes), then draws. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < SLOT_N; i++) {
			struct pane *p = t->panes[i];
			if (p->reload && p->ops->load) {
				if (p->ops->load(p, &t->err) < 0)
					tui_error(t, &t->err);
				p->reload = false;
				p->repaint = true;
				pane_select(p, p->sel);
			}
		}
	bool under = false;   /* a pane under the popups was drawn over them */
	for (int i = 0; i < SLOT_N; i++) {
		struct pane *p = t->panes[i];
		bool shown = t->lay.mode == LAYOUT_FULL || i == (int)t->focus;
		if (shown && (p->repaint || t->full_redraw)) {
			pane_draw(p, i == (int)t->focus && !t->n_stack);
			under = true;
		}
	}
	for (int i = 0; i < t->n_stack; i++) {
		struct pane *p = t->stack[i];
		if (p->reload && p->ops->load) {
			if (p->ops->load(p, &t->err) < 0)
				tui_error(t, &t->err);
			p->reload = false;
		}
		if (!p->win || t->full_redraw)
			place_popup(t, p);
		if (p->repaint || t->full_redraw || under)
			pane_draw(p, i == t->n_stack - 1);
	}
	if (t->title_dirty)
		draw_title(t);
	if (t->status_dirty)
		draw_status(t);
	t->full_redraw = false;
	doupdate();
}

/* ---- global actions ---- */

static void show_help(struct tui *t)
{
	struct strlist lines = {0};
	keymap_help(&t->km, &lines);
	tui_show_text(t, "Keys (change them under keys: in config.yaml)", &lines);
}

static void command_line(struct tui *t);

/* A pane that gets the focus may steer the timeline (the caseload, the
 * queue of all patients). */
static void focus_changed(struct tui *t)
{
	struct pane *p = t->panes[t->focus];
	if (p->ops->selected)
		p->ops->selected(p);
	t->full_redraw = true;
}

/* The patient of the row the key was pressed on; false (with a message)
 * when that row has none. */
static bool action_patient(struct tui *t, enum action a, struct patient_ref *who)
{
	struct pane *p = tui_focused(t);
	if (p->ops->patient && p->ops->patient(p, who) == 1)
		return true;
	tui_message(t, true, "%s: no patient here — select a row of a patient first", action_name(a));
	return false;
}

static const struct patient_ref *action_patient_quiet(struct tui *t, struct patient_ref *who)
{
	struct pane *p = tui_focused(t);
	return p->ops->patient && p->ops->patient(p, who) == 1 ? who : NULL;
}

static int global_action(struct tui *t, enum action a)
{
	struct patient_ref who;
	switch (a) {
	case ACT_QUIT:
		t->quit = true;
		return 1;
	case ACT_HELP:
		show_help(t);
		return 1;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		t->focus = (enum pane_slot)((t->focus + (a == ACT_NEXT_PANE ? 1 : SLOT_N - 1)) % SLOT_N);
		focus_changed(t);
		return 1;
	case ACT_PANE_CASELOAD:
	case ACT_PANE_TIMELINE:
	case ACT_PANE_TASKS:
		t->focus = (enum pane_slot)(SLOT_CASELOAD + (a - ACT_PANE_CASELOAD));
		focus_changed(t);
		return 1;
	case ACT_LOCK:
		tui_lock(t);
		return 1;
	case ACT_TIMER:
		return tui_timer_toggle(t, action_patient_quiet(t, &who)) < 0 ? -1 : 1;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		t->full_redraw = true;
		tui_changed(t, &(struct change){.kinds = CHANGE_ALL});
		return 1;
	case ACT_BACK:
		t->msg[0] = '\0';
		t->status_dirty = true;
		return 1;
	case ACT_COMMAND:
		command_line(t);
		return 1;
	case ACT_REVIEW:
		return tui_review_open(t) < 0 ? -1 : 1;
	case ACT_WORKLOAD:
		return tui_workload_open(t) < 0 ? -1 : 1;
	case ACT_BILLING:
		return tui_billing_open(t) < 0 ? -1 : 1;
	case ACT_AGENDA:
		return tui_agenda_open(t) < 0 ? -1 : 1;
	case ACT_CALLS:
		return tui_calls_open(t) < 0 ? -1 : 1;
	case ACT_UNASSIGNED:
		return tui_unassigned_open(t) < 0 ? -1 : 1;
	case ACT_ADT:
		return tui_adt_open(t) < 0 ? -1 : 1;
	case ACT_TOGGLE_TASKS:      /* about the queue, from any pane */
		return t->panes[SLOT_TASKS]->ops->action(t->panes[SLOT_TASKS], a);
	case ACT_IMPORT:
		return tui_import(t, action_patient_quiet(t, &who)) < 0 ? -1 : 1;
	case ACT_UNDO:
		return tui_undo(t) < 0 ? -1 : 1;
	case ACT_CANCEL:
		tui_message(t, false, "cancel: select an appointment in the timeline or a task in the "
		                      "queue");
		return 1;
	case ACT_ADD:
	case ACT_NOTE:
	case ACT_CONTACT:
	case ACT_EXPORT:
	case ACT_HANDOUT:
	case ACT_TEMPLATE:
		break;
	default:
		return 0;
	}
	/* about the patient of the selected row */
	if (!action_patient(t, a, &who))
		return 1;
	int rc = a == ACT_ADD       ? tui_add_task(t, &who, NULL)
	         : a == ACT_NOTE    ? tui_add_note(t, &who)
	         : a == ACT_CONTACT ? tui_log_contact(t, &who)
	         : a == ACT_EXPORT  ? tui_export(t, &who)
	         : a == ACT_HANDOUT ? tui_handout(t, &who)
	                            : tui_template(t, &who);
	return rc < 0 ? -1 : 1;
}

static void dispatch(struct tui *t, enum action a)
{
	if (a == ACT_NONE)
		return;
	if (t->msg[0] && a != ACT_BACK) {
		t->msg[0] = '\0';
		t->status_dirty = true;
	}
	struct pane *p = tui_focused(t);
	int rc = p->ops->action ? p->ops->action(p, a) : 0;
	if (rc == 0 && !p->popup)
		rc = pane_move(p, a);
	if (rc == 0 && !t->n_stack)
		rc = global_action(t, a);
	if (rc == 0)
		tui_message(t, false, "%s: not here (press ? for the keys)", action_name(a));
	if (rc < 0)
		tui_error(t, &t->err);
	t->status_dirty = true;
}

/* `:` runs an action by name (`:q` is quit), or a command with an
 * argument: `:goto DATE` (a friendly date) moves the timeline to that
 * day (`:goto` alone is the agenda's go-to-date action), `:patient ID`
 * shows that patient in the timeline. */
static const char *const commands[] = {"patient", "q"};   /* "goto" is an action too */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void command_goto(struct tui *t, const char *arg)
{
	int day;
	struct err e = {0};
	if (date_parse(arg, t->ctx->today, tui_holidays(t), &day, &e) < 0) {
		tui_message(t, true, ":goto: %s", e.msg);
		return;
	}
	if (!t->patient.id) {
		tui_message(t, true, ":goto: no patient in the timeline — select one first");
		return;
	}
	t->focus = SLOT_TIMELINE;
	focus_changed(t);
	tui_refresh(t);            /* the timeline loaded for its patient */
	char iso[DATE_STRLEN];
	if (timeline_goto(t->panes[SLOT_TIMELINE], day) < 0)
		tui_message(t, false, ":goto: nothing on or after %s in the timeline", date_format(day, iso));
}

static void command_patient(struct tui *t, const char *arg)
{
	char *end = NULL;
	long long id = strtoll(arg, &end, 10);
	struct patient_ref r;
	if (!*arg || *end || id <= 0) {
		tui_message(t, true, ":patient needs a patient id (a positive number), not %s",
		            TEXT_ARG(arg));
		return;
	}
	if (tui_patient_ref(t, id, &r) < 0) {
		tui_error(t, &t->err);
		return;
	}
	tui_select_patient(t, &r);
	t->focus = SLOT_TIMELINE;
	focus_changed(t);
}

static void command_line(struct tui *t)
{
	const char *names[ACT_COUNT + sizeof commands / sizeof commands[0]];
	size_t n = 0;
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
		if (a != ACT_COMMAND)
			names[n++] = action_name((enum action)a);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		names[n++] = commands[i];
	qsort(names, n, sizeof names[0], by_name);
	char *line = NULL;
	if (!tui_prompt_complete(t, ":", names, n, &line))
		return;
	char *name = line + strspn(line, " "), *arg = name + strcspn(name, " ");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " ");
	for (size_t len = strlen(arg); len && arg[len - 1] == ' ';)
		arg[--len] = '\0';
	enum action a = !strcmp(name, "q") ? ACT_QUIT : action_by_name(name);
	if (!strcmp(name, "goto") && *arg)
		command_goto(t, arg);
	else if (!strcmp(name, "patient"))
		command_patient(t, arg);
	else if (!*name)
		;                      /* nothing typed: nothing to do */
	else if (a == ACT_NONE || a == ACT_COMMAND)
		tui_message(t, true, "%s is not an action or a command (Tab lists them, ? the keys)",
		            TEXT_ARG(name));
	else if (*arg)
		tui_message(t, true, "%s takes no argument (%s): only goto and patient take one",
		            TEXT_ARG(name), TEXT_ARG(arg));
	else
		dispatch(t, a);
	free(line);
}

/* ---- setup and the loop ---- */

/* The state before the screen starts: keys and colours as configured
 * (NULL and e set when the configuration is wrong). */
static struct tui *tui_new(const struct tui_ctx *ctx, struct err *e)
{
	struct tui *t = xcalloc(1, sizeof *t);
	t->live = *ctx;
	t->ctx = &t->live;
	t->clock_from = (long long)time(NULL);
	t->store = ctx->store;
	/* a key must not wait while the WAL is copied back after a commit of
	 * its own (which would also copy an import's thousands of pages) */
	store_checkpoint_when_idle(t->store);
	t->n_patients = t->n_review = -1;      /* not counted yet */
	load_adt(t);
	date_format(ctx->today, t->today_s);
	keymap_defaults(&t->km);
	struct strlist warnings = {0};
	if ((ctx->cfg && keymap_apply_config(&t->km, ctx->cfg, &warnings, e) < 0) ||
	    tui_colors_setup(t, true, e) < 0) {
		strlist_free(&warnings);
		free(t);
		return NULL;
	}
	if (warnings.len)          /* shown on the status line at the start */
		tui_message(t, true, "%s%s", warnings.items[0],
		            warnings.len > 1 ? " (and more: caseload keys)" : "");
	else if (ctx->notice)      /* the zone notice, given once */
		tui_message(t, false, "%s", ctx->notice);
	strlist_free(&warnings);
	return t;
}

/* The idle lock's delay: the configuration's minutes, or
 * CASELOAD_IDLE_LOCK_SECONDS (tests lock in seconds); never off. */
static int idle_setting(struct tui *t, struct err *e)
{
	const struct config *cfg = t->ctx->cfg;
	t->idle_ms = cfg ? cfg->idle_lock_minutes * 60000 : 5 * 60000;
	const char *idle = getenv("CASELOAD_IDLE_LOCK_SECONDS");
	if (!idle || !*idle)
		return 0;
	char *end;
	long sec = strtol(idle, &end, 10);
	if (*end || sec < 1 || sec > IDLE_LOCK_MAX_MINUTES * 60L)
		return err_set(e, ERR_USAGE, "CASELOAD_IDLE_LOCK_SECONDS: %s is not a number "
		               "of seconds (1 to %d)", TEXT_ARG(idle), IDLE_LOCK_MAX_MINUTES * 60);
	t->idle_ms = (int)sec * 1000;
	return 0;
}

/* Another process's changes show at once, then at most once in this
 * long while they keep coming: an import commits a batch every fraction
 * of a second, and each reload of everything would also start the count
 * of the caseload again (so it would never end during the import). */
#define EXTERNAL_RELOAD_MS 1000
/* ... and the count of the caseload starts again only once they have
 * stopped for this long: begun after each of an import's batches, it
 * would never end, and would take the time of every key it is under way
 * for (at 100,000 patients during a 1,000,000-event import, keys took up
 * to 65 ms of CPU); the title keeps the last whole count meanwhile. */
#define EXTERNAL_QUIET_MS 2000

static bool external_busy(const struct tui *t)
{
	return t->external_seen > 0 && tui_now_ms() - t->external_seen < EXTERNAL_QUIET_MS;
}

/* Another process's (or session's) change, told as theirs. */
static void external_changed(struct tui *t, unsigned kinds)
{
	t->in_external = true;
	tui_changed(t, &(struct change){.kinds = kinds});
	t->in_external = false;
}

/* The clock: now moves on with the machine's (from the front end's
 * instant: a pinned day keeps its day and moves its time of day); past
 * midnight in the coordinator's zone everything is read again for the
 * new day (the review's day, "today" in the lists, what is overdue). */
static void tui_clock(struct tui *t)
{
	long long real = (long long)time(NULL);
	t->live.now = t->ctx->today_pinned ? t->live.now + (real - t->clock_from) : real;
	t->clock_from = real;
	if (t->ctx->today_pinned)
		return;
	int day = tz_local_date(t->ctx->zone, t->live.now);
	if (day == t->live.today)
		return;
	char shown[DATE_SHOW_STRLEN];
	t->live.today = day;
	date_format(day, t->today_s);
	tui_changed(t, &(struct change){.kinds = CHANGE_ALL});   /* the counts and title too */
	tui_message(t, false, "a new day: %s", date_show(day, day, shown));
}

/* No key within the tick: the clock, the counts, and what another
 * process changed. */
static void on_tick(struct tui *t)
{
	tui_clock(t);
	tui_timer_tick(t);
	if (t->counts_dirty && external_busy(t)) {
		t->counting = false;   /* a count begun before them is stale */
	} else if (t->counts_dirty) {
		load_counts(t);
		t->title_dirty = true;
	}
	if (t->counting)
		count_slice(t);
	if (t->live_kinds) {       /* another session, on a server */
		t->external_seen = tui_now_ms();
		external_changed(t, t->live_kinds);
		t->live_kinds = 0;
	}
	if (!external_busy(t)) {   /* (while they write, they copy it) */
		struct err e = {0};
		if (store_checkpoint_idle(t->store, &e) < 0)
			tui_error(t, &e);
	}
	if (store_watch_fd(t->store) >= 0)
		return;                /* the watch tells: no need to ask */
	long long v = store_data_version(t->store);
	if (v != t->data_version) {
		double now = tui_now_ms();
		t->external_seen = now;
		if (now - t->external_at < EXTERNAL_RELOAD_MS)
			return;        /* a later tick shows it (keys come first) */
		t->external_at = now;
		t->data_version = v;   /* another process */
		external_changed(t, CHANGE_ALL);
	}
}

/* Keys until quit or a signal. */
static void main_loop(struct tui *t)
{
	bool keyed = false;
	while (!t->quit) {
		tui_refresh(t);
		/* a count under way goes on as soon as no key waits, and not
		 * in the moment after a key, when the next one often comes
		 * (typing a search) */
		int wait = t->counting ? (keyed ? KEY_PAUSE_MS : 0) : t->counts_dirty ? 50 : TICK_MS;
		int key = tui_getkey(t, wait);
		keyed = key >= 0;
		if (tui_got_signal)
			break;
		if (key < 0) {
			on_tick(t);
			continue;
		}
		if (key == TK_RESIZE)      /* laid out again by tui_getkey */
			continue;
		tui_clock(t);
		enum action a = keymap_lookup(&t->km, tui_focused(t)->ops->scope, key);
		if (t->lay.mode == LAYOUT_TOO_SMALL && a != ACT_QUIT)
			continue;
		dispatch(t, a);
	}
}

int tui_run(const struct tui_ctx *ctx, struct err *e)
{
	struct tui *t = tui_new(ctx, e);
	if (!t)
		return e->code;
	SCREEN *scr = NULL;
	FILE *devnull = NULL;
	struct termios tty_before;
	bool tty_saved = tcgetattr(STDOUT_FILENO, &tty_before) == 0;
	if (tui_replay_open(t, e) < 0) {
		free(t);
		return e->code;
	}
	/* newterm rather than initscr: an unknown TERM is an error to report,
	 * not an exit inside curses. */
	const char *term = getenv("TERM");
	if (ctx->replay && !isatty(STDOUT_FILENO)) {
		devnull = fopen("/dev/null", "w");
		scr = newterm(term && *term ? term : "xterm-256color", devnull, stdin);
	} else {
		scr = newterm(NULL, stdout, stdin);
	}
	if (scr)
		set_term(scr);
	if (!scr || !stdscr) {
		tui_replay_close(t);
		if (devnull)
			fclose(devnull);
		free(t);
		return err_set(e, ERR_FAIL, "cannot start the screen on this terminal (TERM=%s)",
		               term ? term : "");
	}
	if (!devnull && tty_saved)
		tui_crash_guard_on(STDOUT_FILENO, &tty_before);
	struct sigaction sa = {0}, old_term, old_int, old_hup;
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGHUP, &sa, &old_hup);
	tui_got_signal = 0;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* ncurses (6.4) writes out after every move of the cursor until the
	 * screen has once come back from endwin: one round trip here, before
	 * anything is drawn, makes a repaint one write to the terminal, not
	 * one a run of changed cells (some 70 a key on a page of the caseload) */
	endwin();
	refresh();
	int rc = tui_colors_setup(t, false, e);
	if (rc == 0) {
		t->panes[SLOT_CASELOAD] = caseload_pane_new(t);
		t->panes[SLOT_TIMELINE] = timeline_pane_new(t);
		t->panes[SLOT_TASKS] = tasks_pane_new(t);
		/* listening before the first load: nothing committed after it
		 * is missed */
		(void)store_watch_fd(t->store);
		t->data_version = store_data_version(t->store);
		t->title_dirty = t->counts_dirty = true;
		tui_layout(t);
		t->last_input = tui_now_ms();
		if ((rc = idle_setting(t, e)) == 0)
			main_loop(t);
	}
	while (t->n_stack)
		tui_pop(t);
	review_cache_free(&t->review);
	team_scope_free(&t->scope);
	for (int i = 0; i < SLOT_N; i++)
		pane_free(&t->panes[i]);
	if (t->title_win)
		delwin(t->title_win);
	if (t->status_win)
		delwin(t->status_win);
	endwin();
	tui_crash_guard_off();
	if (scr)
		delscreen(scr);
	if (devnull)
		fclose(devnull);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	tui_replay_close(t);
	tui_undo_forget();
	free(t);
	return rc;
}
