/* patient: add and edit, refusing duplicates unless told otherwise. */
#include <stdlib.h>
#include <string.h>

#include "caseload/fold.h"
#include "caseload/patient.h"
#include "caseload/program.h"
#include "caseload/store_program.h"
#include "caseload/store.h"
#include "caseload/team.h"
#include "caseload/text.h"
#include "caseload/text.h"
#include "caseload/util.h"

/* "patient 15 (Jackson, James, born 1950-03-02, MRN M-15)": enough for a
 * person to tell which record it is, with control characters removed. */
static char *describe(const struct patient *p)
{
	char *name = patient_display_name(p->family, p->given);
	char *clean = text_sanitize(name);
	char *mrn = p->mrn ? text_sanitize(p->mrn) : NULL;
	char *r = xasprintf("patient %lld (%s, %s%s, %s%s)", p->id, clean, p->dob ? "born " : "",
	                    p->dob ? p->dob : "date of birth unknown", mrn ? "MRN " : "no MRN",
	                    mrn ? mrn : "");
	free(name);
	free(clean);
	free(mrn);
	return r;
}

/* Refuse (ERR_CONFLICT) when p would duplicate another patient than
 * `self`: by MRN when check_mrn, by folded name and date of birth when
 * check_name and not allowed. */
static int check_duplicate(struct store *s, const struct patient_req *rq, long long self,
                           bool check_mrn, bool check_name, struct err *e)
{
	const struct patient *p = rq->p;
	struct patient other = {0};
	int rc = 0;
	if (check_mrn && store_patient_by_mrn(s, p->mrn, self, &other, e) < 0)
		return e->code;
	if (other.id) {
		char *who = describe(&other);
		rc = err_set(e, ERR_CONFLICT, "another patient has that MRN: %s", who);
		free(who);
		if (rq->dup)
			*rq->dup = (struct patient_dup){other.id, true};
		patient_clear(&other);
		return rc;
	}
	if (!check_name || rq->allow_duplicate)
		return 0;
	if (store_patient_by_name_dob(s, p->family, p->given, p->dob, self, &other, e) < 0)
		return e->code;
	if (other.id) {
		char *who = describe(&other);
		rc = err_set(e, ERR_CONFLICT, "a patient with this name and date of birth exists: %s",
		             who);
		free(who);
		if (rq->dup)
			*rq->dup = (struct patient_dup){other.id, false};
		patient_clear(&other);
	}
	return rc;
}

/* What a person typed: valid UTF-8 without control characters. */
static int check_text(const struct patient *p, struct err *e)
{
	const struct text_field f[] = {
		{"name", p->family, false}, {"name", p->given, false}, {"MRN", p->mrn, false},
		{"phone", p->phone, false}, {"email", p->email, false},
		{"address", p->address, false}, {"language", p->language, false},
		{"coordinator", p->coordinator, false},
	};
	return text_check_fields(f, sizeof f / sizeof f[0], e);
}

/* The patient record's CCM consent day is a consent row (issue 16): a
 * new day (was NULL) records a consent (how it was given unrecorded), a
 * changed one moves the day of the consent not withdrawn. */
static int ccm_consent(struct store *s, const struct patient *p, const char *was, struct err *e)
{
	const char *now = p->ccm_consent && *p->ccm_consent ? p->ccm_consent : NULL;
	if (str_eq(was, now))
		return 0;
	if (!now)
		return err_set(e, ERR_USAGE, "patient %lld: a CCM consent is not erased: withdraw it "
		               "(consent withdraw ID, see consent list --patient %lld)", p->id, p->id);
	if (!was) {
		struct consent c = {.patient_id = p->id, .program = "ccm", .method = "unrecorded",
		                    .given = now};
		return program_consent_add(s, &c, NULL, e);
	}
	struct consent_list l = {0};
	int rc = store_consent_list(s, p->id, &l, e);
	struct consent *open = NULL;
	for (size_t i = 0; rc == 0 && i < l.len; i++)
		if (!strcmp(l.items[i].program, "ccm") && !l.items[i].withdrawn &&
		    (!open || strcmp(l.items[i].given, open->given) >= 0))
			open = &l.items[i];
	if (rc == 0 && open) {
		str_set(&open->given, now);
		rc = store_consent_update(s, open, e);
	}
	consent_list_free(&l);
	return rc;
}

int patient_add(struct store *s, const struct patient_req *rq, struct change *ch,
                struct err *e)
{
	if (rq->dup)
		*rq->dup = (struct patient_dup){0};
	if (check_text(rq->p, e) < 0)
		return e->code;
	if (store_begin(s, e) < 0)
		return e->code;
	if (check_duplicate(s, rq, 0, true, true, e) < 0 ||
	    team_default_coordinator(s, rq->p, rq->by, e) < 0 || store_patient_add(s, rq->p, e) < 0 ||
	    ccm_consent(s, rq->p, NULL, e) < 0) {
		store_rollback(s);
		return e->code;
	}
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	return change_record(ch, CHANGE_PATIENT, rq->p->id, rq->p->id);
}

int patient_edit(struct store *s, const struct patient_req *rq, struct change *ch,
                 struct err *e)
{
	const struct patient *p = rq->p;
	struct patient old = {0};
	if (rq->dup)
		*rq->dup = (struct patient_dup){0};
	if (check_text(p, e) < 0)
		return e->code;
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_patient_get(s, p->id, &old, e) < 0)
		goto fail;
	char *was = fold_name_key(old.family, old.given), *now = fold_name_key(p->family, p->given);
	bool name_changed = strcmp(was, now) != 0 || !str_eq(old.dob, p->dob);
	free(was);
	free(now);
	if (check_duplicate(s, rq, p->id, !str_eq(old.mrn, p->mrn), name_changed, e) < 0 ||
	    store_patient_update(s, p, e) < 0 || ccm_consent(s, p, old.ccm_consent, e) < 0)
		goto fail;
	patient_clear(&old);
	if (store_commit(s, e) < 0)   /* a failed commit has rolled back */
		return e->code;
	rq->p->version++;   /* the caller's copy is the row as it is now */
	return change_record(ch, CHANGE_PATIENT, p->id, p->id);
fail:
	patient_clear(&old);
	store_rollback(s);
	return e->code;
}
