/* tui_undo: `u` takes back the screen's changes one by one, newest first
 * (the change groups this screen made, noted as each change is shown,
 * tui_undo_note), and `d` cancels what is selected with a reason: an
 * appointment (a FHIR cancellation reason picked from a list) or a task
 * (a note saying why).  Nothing is deleted: cancelled items leave the
 * queues and stay on the timeline. */
#include <stdlib.h>
#include <string.h>

#include "caseload/appt.h"
#include "caseload/care.h"
#include "caseload/undo.h"
#include "tui_internal.h"

/* The screen's own change groups, oldest first; last: the store's last
 * when last looked at (an undo makes none, so it is not noted again). */
static struct {
	long long *ids;
	size_t n, cap;
	long long last;
} session;

void tui_undo_note(struct tui *t)
{
	long long id = undo_last_made(t->store);
	if (!id || id == session.last)
		return;
	session.last = id;
	if (session.n == session.cap) {
		session.cap = session.cap ? 2 * session.cap : 16;
		session.ids = xrealloc(session.ids, session.cap * sizeof *session.ids);
	}
	session.ids[session.n++] = id;
}

void tui_undo_forget(void)
{
	free(session.ids);
	memset(&session, 0, sizeof session);
}

int tui_undo(struct tui *t)
{
	tui_undo_note(t);   /* a change not shown yet (a popup still open) */
	if (!session.n) {
		tui_message(t, false, "undo: nothing changed in this screen yet (caseload undo "
		                      "--list shows your earlier changes)");
		return 0;
	}
	long long id = session.ids[session.n - 1];
	struct undo_group g = {0};
	struct change ch = {0};
	int rc = undo_change(t->store, id, &g, &ch, &t->err);
	if (rc == 0 || rc == ERR_CONFLICT || rc == ERR_NOTFOUND)
		session.n--;        /* done, or never to be: the one before is next */
	if (rc == 0) {
		tui_message(t, false, "undone: %s%s", g.what,
		            session.n ? " (u again: the change before)" : "");
		tui_changed(t, &ch);
	}
	undo_group_clear(&g);
	return rc;
}

int tui_cancel_task(struct tui *t, long long task_id, const struct patient_ref *who,
                    const char *title)
{
	struct buf label = {0};
	char *why = NULL;
	buf_add(&label, "cancel the task (");
	tui_patient_label(who, t->cols / 3, &label);
	buf_add(&label, ") because: ");
	int asked = tui_prompt(t, label.s, "", NULL, NULL, &why);
	buf_free(&label);
	if (!asked)
		return 1;
	struct change ch = {0};
	int rc = care_task_cancel(t->store, task_id, why, t->ctx->now, &ch, &t->err);
	free(why);
	if (rc == 0) {
		tui_message(t, false, "cancelled: %s (u undoes it)", title ? title : "the task");
		tui_changed(t, &ch);
	}
	return rc;
}

int tui_cancel_appointment(struct tui *t, long long appt_id)
{
	const char **items = xcalloc((size_t)APPT_CANCEL_REASON.n, sizeof *items);
	char **lines = xcalloc((size_t)APPT_CANCEL_REASON.n, sizeof *lines);
	for (int i = 0; i < APPT_CANCEL_REASON.n; i++) {
		const char *code = APPT_CANCEL_REASON.codes[i];
		lines[i] = xasprintf("%-9s %s", code, appt_cancel_reason_display(code));
		items[i] = lines[i];
	}
	size_t chosen = 0;
	int rc = 0;
	if (tui_pick(t, "Cancel the appointment: why?", items, (size_t)APPT_CANCEL_REASON.n,
	             &chosen)) {
		const char *code = APPT_CANCEL_REASON.codes[chosen];
		struct change ch = {0};
		rc = appt_cancel_reason(t->store, appt_id, code, t->ctx->now, &ch, &t->err);
		if (rc == 0) {
			tui_message(t, false, "cancelled: %s (u undoes it)",
			            appt_cancel_reason_display(code));
			tui_changed(t, &ch);
		}
	}
	for (int i = 0; i < APPT_CANCEL_REASON.n; i++)
		free(lines[i]);
	free(lines);
	free(items);
	return rc;
}
