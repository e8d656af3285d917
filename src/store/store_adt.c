/* store_adt: the ADT messages received (see store_adt.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseload/store_adt.h"
#include "store_internal.h"

#define ADT_COLS "id, control_id, received, type, mrn, dob, state, patient_id, entry_id, raw, " \
	"version"

void adt_message_clear(struct adt_message *m)
{
	str_free(m->control_id);
	str_free(m->type);
	str_free(m->mrn);
	str_free(m->dob);
	str_free(m->state);
	str_free(m->raw);
	*m = (struct adt_message){0};
}

void adt_message_list_free(struct adt_message_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		adt_message_clear(&l->items[i]);
	free(l->items);
	*l = (struct adt_message_list){0};
}

static void read_message(struct dbst *st, struct adt_message *m)
{
	m->id = col_int(st, 0);
	m->control_id = col_text(st, 1);
	m->received = col_int(st, 2);
	m->type = col_text(st, 3);
	m->mrn = col_text(st, 4);
	m->dob = col_text(st, 5);
	m->state = col_text(st, 6);
	m->patient_id = col_int(st, 7);
	m->entry_id = col_int(st, 8);
	m->raw = col_text(st, 9);
	m->version = col_int(st, 10);
}

/* One row of st (bound) into out: 0, or ERR_NOTFOUND. */
static int one(struct store *s, struct dbst *st, struct adt_message *out, struct err *e)
{
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_message(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : ERR_NOTFOUND;
}

int store_adt_find(struct store *s, const char *control_id, struct adt_message *out,
                   struct err *e)
{
	static const char sql[] = "SELECT " ADT_COLS " FROM adt_message WHERE control_id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, control_id);
	return one(s, st, out, e);
}

int store_adt_get(struct store *s, long long id, struct adt_message *out, struct err *e)
{
	static const char sql[] = "SELECT " ADT_COLS " FROM adt_message WHERE id = ?1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = one(s, st, out, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_NOTFOUND, "no ADT message with id %lld", id);
	return rc;
}

int store_adt_add(struct store *s, struct adt_message *m, struct err *e)
{
	static const char sql[] =
		"INSERT INTO adt_message(control_id, received, type, mrn, dob, state, patient_id, "
		"entry_id, raw, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?2)";
	struct adt_message old = {0};
	int rc = store_adt_find(s, m->control_id, &old, e);
	adt_message_clear(&old);
	if (rc == 0)
		return err_set(e, ERR_CONFLICT, "ADT message %s was received already",
		               m->control_id);
	if (rc != ERR_NOTFOUND)
		return rc;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, m->control_id);
	bind_int(st, 2, m->received);
	bind_text(st, 3, m->type);
	bind_text(st, 4, m->mrn);
	bind_text(st, 5, m->dob);
	bind_text(st, 6, m->state);
	bind_id(st, 7, m->patient_id);
	bind_id(st, 8, m->entry_id);
	bind_text(st, 9, m->raw);
	char detail[64];
	snprintf(detail, sizeof detail, "ADT %s %s", m->type, m->state);
	if (st_insert(s, st, "adt_message", detail, &m->id, e) < 0)
		return e->code;
	m->version = 1;
	return 0;
}

int store_adt_settle(struct store *s, long long id, const char *state, long long patient_id,
                     long long entry_id, struct err *e)
{
	static const char done[] =
		"UPDATE adt_message SET state = 'done', patient_id = ?1, entry_id = ?2, raw = NULL, "
		"updated = ?3, version = version + 1 WHERE id = ?4 AND state = 'unmatched' "
		"RETURNING id";
	static const char dropped[] =
		"UPDATE adt_message SET state = 'dropped', raw = NULL, mrn = NULL, dob = NULL, "
		"updated = ?1, version = version + 1 WHERE id = ?2 AND state = 'unmatched' "
		"RETURNING id";
	bool is_done = !strcmp(state, "done");
	struct dbst *st = st_prep(s, is_done ? done : dropped, e);
	if (!st)
		return e->code;
	int k = 1;
	if (is_done) {
		bind_int(st, k++, patient_id);
		bind_id(st, k++, entry_id);
	}
	bind_int(st, k++, store_now());
	bind_int(st, k, id);
	int rc = st_update_of(s, st, "adt_message", id, e);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		struct adt_message m = {0};
		if (store_adt_get(s, id, &m, e) == 0)
			err_set(e, ERR_CONFLICT, "ADT message %lld is %s, not waiting for a patient", id,
			        m.state);
		adt_message_clear(&m);
		return e->code;
	}
	return store_audit(s, state, "adt_message", id, NULL, e);
}

int store_adt_waiting(struct store *s, long long *n, struct err *e)
{
	/* (the waiting ones' own index: it grows with them, not the caseload) */
	static const char sql[] = "SELECT count(*) FROM adt_message WHERE state = 'unmatched'";
	struct dbst *st = st_prep(s, sql, e);
	return st ? st_number(s, st, n, e) : e->code;
}

int store_adt_list(struct store *s, bool unmatched_only, struct adt_message_list *out,
                   struct err *e)
{
	static const char all[] = "SELECT " ADT_COLS " FROM adt_message ORDER BY id DESC";
	static const char waiting[] = "SELECT " ADT_COLS " FROM adt_message "
	                              "WHERE state = 'unmatched' ORDER BY received, id";
	struct dbst *st = st_prep(s, unmatched_only ? waiting : all, e);
	if (!st)
		return e->code;
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		xgrow((void **)&out->items, &out->cap, out->len, sizeof *out->items);
		struct adt_message *m = &out->items[out->len++];
		*m = (struct adt_message){0};
		read_message(st, m);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
