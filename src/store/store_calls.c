/* store_calls: the call attempts behind the call list. */
#include <stdlib.h>
#include <string.h>

#include "caseload/store_calls.h"
#include "store_internal.h"

void call_attempts_free(struct call_attempts *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].outcome);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static int last_call(struct store *s, long long patient_id, long long to,
                     struct call_attempt *last, struct err *e)
{
	static const char sql[] =
		"SELECT at, outcome FROM entry WHERE patient_id = ?1 AND kind = 'call' AND at <= ?2 "
		"ORDER BY at DESC, id DESC LIMIT 1";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_int(st, 2, to);
	int rc = st_step(s, st, e);
	*last = (struct call_attempt){0};
	if (rc == ST_ROW) {
		last->at = col_int(st, 0);
		last->outcome = col_text(st, 1);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_calls_attempts(struct store *s, long long patient_id, long long from, long long to,
                         struct call_attempts *out, struct call_attempt *last, struct err *e)
{
	static const char sql[] =
		"SELECT at, outcome FROM entry WHERE patient_id = ?1 AND kind = 'call' "
		"AND at >= ?2 AND at <= ?3 ORDER BY at, id";
	if (last && last_call(s, patient_id, to, last, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	bind_int(st, 2, from);
	bind_int(st, 3, to);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct call_attempt *a = LIST_PUSH(out);
		a->at = col_int(st, 0);
		a->outcome = col_text(st, 1);
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}
