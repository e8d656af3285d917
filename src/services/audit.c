/* audit: reads recorded, and `caseload check` (see audit.h). */
#include <stdio.h>
#include <string.h>

#include "caseload/audit.h"
#include "caseload/store_review.h"

int audit_ready(struct store *s, struct err *e)
{
	const char *p = store_problem(s);
	return p ? err_set(e, ERR_FAIL, "%s", p) : 0;
}

int audit_read(struct store *s, const char *action, const char *source, long long patient_id,
               long long count, struct err *e)
{
	char detail[128];
	if (count >= 0)
		snprintf(detail, sizeof detail, "%s: %lld row%s", source, count, count == 1 ? "" : "s");
	else
		snprintf(detail, sizeof detail, "%s", source);
	return store_audit_read(s, action, patient_id, detail, e);
}

int check_run(struct store *s, struct check_report *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (store_check(s, &r->integrity, e) < 0 || store_patient_count(s, &r->patients, e) < 0)
		return e->code;
	if (store_version(s) < store_schema_version())
		return 0;
	if (store_schema_diff(s, &r->schema, e) < 0)
		return e->code;
	int rc = store_audit_verify(s, &r->chain, e);
	if (rc < 0)
		return rc;
	r->chain_checked = true;
	if (store_repair(s, &r->repaired, e) < 0)
		return e->code;
	r->still = store_problem(s);
	if (!r->still && store_review_state_fill(s, &r->no_review_row, e) < 0)
		return e->code;
	if (r->no_review_row)
		strlist_add(&r->repaired, "a kept review row for each of them, made at the next review");
	return 0;
}

size_t check_problems(const struct check_report *r)
{
	return r->integrity.len + r->schema.len + (r->chain.kind ? 1 : 0) +
	       (r->still ? 1 : 0) + (r->no_review_row ? 1 : 0);
}

void check_report_free(struct check_report *r)
{
	strlist_free(&r->integrity);
	strlist_free(&r->schema);
	strlist_free(&r->repaired);
	memset(r, 0, sizeof *r);
}
