/* undo: the use cases that take a change back (see undo.h). */
#include "caseload/undo.h"
#include "caseload/store.h"

static int apply(struct store *s, struct undo_group *g, struct change *ch, struct err *e)
{
	long long rows = 0;
	if (store_undo_apply(s, g->id, &rows, e) < 0)
		return e->code;
	g->rows = rows;
	/* what the rows were is not known here: every pane reloads */
	change_note(ch, CHANGE_ALL, g->patient_id);
	if (ch && (g->run_id || !g->patient_id))
		ch->many = true;
	if (ch)
		ch->id = g->id;
	return 0;
}

int undo_change(struct store *s, long long id, struct undo_group *done, struct change *ch,
                struct err *e)
{
	if (store_undo_get(s, id, done, e) < 0)
		return e->code;
	return apply(s, done, ch, e);
}

int undo_last(struct store *s, struct undo_group *done, struct change *ch, struct err *e)
{
	if (store_undo_latest(s, store_user(s), done, e) < 0)
		return e->code;
	return apply(s, done, ch, e);
}

int undo_import(struct store *s, long long run_id, struct undo_group *done, struct change *ch,
                struct err *e)
{
	if (store_undo_of_run(s, run_id, done, e) < 0)
		return e->code;
	return apply(s, done, ch, e);
}

long long undo_last_made(struct store *s)
{
	return store_undo_last(s);
}
