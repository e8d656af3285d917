/* store_patient: patients, their contacts, care teams and conditions. */
#include <stdlib.h>
#include <string.h>

#include "caseload/fold.h"
#include "store_internal.h"

/* Codes are checked here so that both front ends give the same message. */
static int check_code(const struct codeset *set, const char *v, struct err *e)
{
	if (v && code_find(set, v) < 0)
		return err_set(e, ERR_USAGE, "%s '%s' is not one of %s", set->name, v, code_list(set));
	return 0;
}

static int check_patient(const struct patient *p, struct err *e)
{
	if (!p->family || !*p->family)
		return err_set(e, ERR_USAGE, "a patient needs a family name");
	if (check_code(&RISK, p->risk, e) < 0 || check_code(&PATIENT_STATUS, p->status, e) < 0 ||
	    check_code(&BEST_TIME, p->best_time, e) < 0)
		return e->code;
	if (p->cadence_days < 0)
		return err_set(e, ERR_USAGE, "check-in cadence must be a positive number of days");
	return 0;
}

/* The CCM consent day is the consent rows' (issue 16): the latest not
 * withdrawn.  The queries name the patient p. */
#define PATIENT_COLS "p.id, p.family, p.given, p.dob, p.mrn, p.phone, p.email, p.address, " \
                     "p.language, p.risk, p.cadence_days, (SELECT max(c.given) FROM consent c " \
                     "WHERE c.patient_id = p.id AND c.program = 'ccm' AND c.withdrawn IS NULL), " \
                     "p.coordinator, p.status, p.version, p.interpreter, p.do_not_contact, p.best_time, p.qmb"

static void read_patient(struct dbst *st, struct patient *p)
{
	p->id = col_int(st, 0);
	p->family = col_text(st, 1);
	p->given = col_text(st, 2);
	p->dob = col_text(st, 3);
	p->mrn = col_text(st, 4);
	p->phone = col_text(st, 5);
	p->email = col_text(st, 6);
	p->address = col_text(st, 7);
	p->language = col_text(st, 8);
	p->risk = col_text(st, 9);
	p->cadence_days = (int)col_int(st, 10);
	p->ccm_consent = col_text(st, 11);
	p->coordinator = col_text(st, 12);
	p->status = col_text(st, 13);
	p->version = col_int(st, 14);
	p->interpreter = col_int(st, 15) != 0;
	p->do_not_contact = col_int(st, 16) != 0;
	p->best_time = col_text(st, 17);
	p->qmb = col_int(st, 18) != 0;
}

static void bind_patient(struct dbst *st, const struct patient *p)
{
	bind_text(st, 1, p->family);
	bind_text(st, 2, p->given ? p->given : "");
	bind_text(st, 3, p->dob);
	bind_text(st, 4, p->mrn && *p->mrn ? p->mrn : NULL);
	bind_text(st, 5, p->phone);
	bind_text(st, 6, p->email);
	bind_text(st, 7, p->address);
	bind_text(st, 8, p->language);
	bind_text(st, 9, p->risk ? p->risk : "medium");
	bind_id(st, 10, p->cadence_days);
	bind_text(st, 11, p->coordinator);
	bind_text(st, 12, p->status ? p->status : "active");
	bind_int(st, 13, store_now());
}

int store_patient_add(struct store *s, struct patient *p, struct err *e)
{
	static const char sql[] =
		"INSERT INTO patient(family, given, dob, mrn, phone, email, address, language, "
		"risk, cadence_days, coordinator, status, created, updated, name_key, "
		"interpreter, do_not_contact, best_time, qmb) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?13,?14,?15,?16,?17,?18) "
		"RETURNING id";
	if (check_patient(p, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	char *key = fold_name_key(p->family, p->given);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_patient(st, p);
	bind_text(st, 14, key);
	bind_int(st, 15, p->interpreter);
	bind_int(st, 16, p->do_not_contact);
	bind_text(st, 17, p->best_time);
	bind_int(st, 18, p->qmb);
	if (st_insert(s, st, "patient", NULL, &p->id, e) < 0 || search_index(s, p->id, p, e) < 0)
		goto fail;
	p->version = 1;            /* a new row's: the caller may update it */
	free(key);
	return store_commit(s, e);
fail:
	free(key);
	store_rollback(s);
	return e->code;
}

/* The names of the fields an update changes, for its audit row. */
static char *patient_diff(const struct patient *was, const struct patient *now)
{
	struct buf b = {0};
	diff_field(&b, "name", was->family, now->family);
	diff_field(&b, "given name", was->given, now->given);
	diff_field(&b, "date of birth", was->dob, now->dob);
	diff_field(&b, "MRN", was->mrn, now->mrn);
	diff_field(&b, "phone", was->phone, now->phone);
	diff_field(&b, "email", was->email, now->email);
	diff_field(&b, "address", was->address, now->address);
	diff_field(&b, "language", was->language, now->language);
	diff_int(&b, "interpreter", was->interpreter, now->interpreter);
	diff_int(&b, "do not contact", was->do_not_contact, now->do_not_contact);
	diff_field(&b, "best time", was->best_time, now->best_time);
	diff_int(&b, "QMB", was->qmb, now->qmb);
	diff_field(&b, "risk", was->risk, now->risk ? now->risk : "medium");
	diff_int(&b, "cadence", was->cadence_days, now->cadence_days);
	diff_field(&b, "coordinator", was->coordinator, now->coordinator);
	diff_field(&b, "status", was->status, now->status ? now->status : "active");
	return buf_steal(&b);
}

int store_patient_update(struct store *s, const struct patient *p, struct err *e)
{
	static const char sql[] =
		"UPDATE patient SET family=?1, given=?2, dob=?3, mrn=?4, phone=?5, email=?6, "
		"address=?7, language=?8, risk=?9, cadence_days=?10, "
		"coordinator=?11, status=?12, updated=?13, name_key=?15, interpreter=?17, "
		"do_not_contact=?18, best_time=?19, qmb=?20, "
		"version = version + 1 "
		"WHERE id=?14 AND version=?16 RETURNING id";
	struct patient was = {0};
	char *what = NULL;
	if (check_patient(p, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	char *key = fold_name_key(p->family, p->given);
	if (store_patient_get(s, p->id, &was, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_patient(st, p);
	bind_int(st, 14, p->id);
	bind_text(st, 15, key);
	bind_int(st, 16, p->version);
	bind_int(st, 17, p->interpreter);
	bind_int(st, 18, p->do_not_contact);
	bind_text(st, 19, p->best_time);
	bind_int(st, 20, p->qmb);
	int rc = st_update_of(s, st, "patient", p->id, e);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		store_stale(s, "patient", p->id, e);
		goto fail;
	}
	what = patient_diff(&was, p);
	if (search_index(s, p->id, p, e) < 0 ||
	    store_audit(s, "update", "patient", p->id, *what ? what : NULL, e) < 0)
		goto fail;
	free(key);
	free(what);
	patient_clear(&was);
	return store_commit(s, e);
fail:
	free(key);
	free(what);
	patient_clear(&was);
	store_rollback(s);
	return e->code;
}

int store_patient_get(struct store *s, long long id, struct patient *out, struct err *e)
{
	static const char sql[] = "SELECT " PATIENT_COLS " FROM patient p WHERE id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_patient(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no patient with id %lld", id);
}

/* The list: every patient, or those matching 1 to SEARCH_MAX_WORDS words
 * (patient_search, see store_internal.h), of one risk; active ones unless
 * inactive ones are asked for too. */
int store_patient_each(struct store *s, const struct patient_query *q, store_patient_fn *fn,
                       void *ctx, struct err *e)
{
	struct search sq;
	search_parse(q ? q->search : NULL, &sq);
	if (q && q->search && !sq.n && q->search[strspn(q->search, " ,\t")]) {
		/* only punctuation: nothing can match it */
		search_free(&sq);
		return 0;
	}
	struct sqlq b = {0};
	q_sql(&b, "SELECT " PATIENT_COLS " FROM patient p");
	if (sq.n) {
		q_where(&b, "p.id IN (");
		search_ids(&b, &sq);
		q_sql(&b, ")");
	}
	if (q && q->risk) {
		q_where(&b, "risk = ");
		q_text(&b, q->risk);
	}
	if (!q || !q->include_inactive)
		q_where(&b, "status = 'active'");
	q_sql(&b, " ORDER BY family COLLATE NOCASE, given COLLATE NOCASE, id LIMIT ");
	q_int(&b, q && q->limit > 0 ? q->limit : SQL_NO_LIMIT);
	struct dbst *st = sq_prep(s, &b, e);
	search_free(&sq);
	if (!st)
		return e->code;
	st_stream(st);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW) {
		struct patient p = {0};
		read_patient(st, &p);
		rc = fn(ctx, &p);
		patient_clear(&p);
		if (rc < 0)
			break;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

static int push_patient(void *list, struct patient *p)
{
	*LIST_PUSH((struct patient_list *)list) = *p;
	*p = (struct patient){0};
	return 0;
}

int store_patient_list(struct store *s, const struct patient_query *q,
                       struct patient_list *out, struct err *e)
{
	return store_patient_each(s, q, push_patient, out, e);
}

/* The first patient a statement finds (its ORDER BY says which); out->id
 * = 0 when none. */
static int first_patient(struct store *s, struct dbst *st, struct patient *out, struct err *e)
{
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_patient(st, out);
	else
		out->id = 0;
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_patient_by_mrn(struct store *s, const char *mrn, long long except,
                         struct patient *out, struct err *e)
{
	static const char sql[] =
		"SELECT " PATIENT_COLS " FROM patient p WHERE mrn = ?1 AND id <> ?2 ORDER BY id LIMIT 1";
	out->id = 0;
	if (!mrn || !*mrn)
		return 0;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, mrn);
	bind_int(st, 2, except);
	return first_patient(s, st, out, e);
}

int store_patient_by_name_dob(struct store *s, const char *family, const char *given,
                              const char *dob, long long except, struct patient *out,
                              struct err *e)
{
	static const char sql[] =
		"SELECT " PATIENT_COLS " FROM patient p WHERE name_key = ?1 AND dob = ?2 AND id <> ?3 "
		"ORDER BY id LIMIT 1";
	out->id = 0;
	if (!dob || !*dob)
		return 0;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	char *key = fold_name_key(family, given);
	bind_text(st, 1, key);
	bind_text(st, 2, dob);
	bind_int(st, 3, except);
	free(key);
	return first_patient(s, st, out, e);
}

int store_patient_exists(struct store *s, long long id, struct err *e)
{
	return store_exists(s, "patient", id, e);
}

int store_patient_count(struct store *s, long long *n, struct err *e)
{
	static const char sql[] = "SELECT count(*) FROM patient WHERE status = 'active'";
	struct dbst *st = st_prep(s, sql, e);
	return st ? st_number(s, st, n, e) : e->code;
}

static int one_id(struct store *s, struct dbst *st, long long *id, struct err *e)
{
	*id = 0;
	int rc = st_step(s, st, e);
	if (rc == ST_ROW) {
		*id = col_int(st, 0);
		/* two matches are no match: the caller must not guess */
		if (st_step(s, st, e) == ST_ROW)
			*id = 0;
	}
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_patient_by_email(struct store *s, const char *email, long long *id, struct err *e)
{
	static const char sql[] =
		"SELECT id FROM patient WHERE email = ? COLLATE NOCASE AND status = 'active' LIMIT 2";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_text(st, 1, email);
	return one_id(s, st, id, e);
}

int store_patient_by_name(struct store *s, const char *family, const char *given,
                          long long *id, struct err *e)
{
	/* the folded name, as search and the duplicate check compare it */
	static const char sql[] =
		"SELECT id FROM patient WHERE name_key = ?1 AND status = 'active' LIMIT 2";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	char *key = fold_name_key(family, given ? given : "");
	bind_text(st, 1, key);
	free(key);
	return one_id(s, st, id, e);
}

/* ---- contacts ---- */

static int check_contact(const struct contact *c, struct err *e)
{
	if (!c->name || !*c->name)
		return err_set(e, ERR_USAGE, "a contact needs a name");
	return check_code(&CONTACT_KIND, c->kind, e);
}

/* ?1..?8 the fields in the order of CONTACT_COLS (after the id), ?9 the
 * time; an empty public label is none. */
static void bind_contact(struct dbst *st, const struct contact *c)
{
	bind_text(st, 1, c->name);
	bind_text(st, 2, c->kind ? c->kind : "other");
	bind_text(st, 3, c->organization);
	bind_text(st, 4, c->phone);
	bind_text(st, 5, c->email);
	bind_text(st, 6, c->address);
	bind_text(st, 7, c->notes);
	bind_text(st, 8, c->public_label && *c->public_label ? c->public_label : NULL);
	bind_int(st, 9, store_now());
}

int store_contact_add(struct store *s, struct contact *c, struct err *e)
{
	static const char sql[] =
		"INSERT INTO contact(name, kind, organization, phone, email, address, notes, "
		"public_label, created, updated) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9) RETURNING id";
	if (check_contact(c, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_contact(st, c);
	if (st_insert(s, st, "contact", NULL, &c->id, e) < 0)
		goto fail;
	c->version = 1;            /* a new row's: the caller may update it */
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_contact_update(struct store *s, const struct contact *c, struct err *e)
{
	static const char sql[] =
		"UPDATE contact SET name=?1, kind=?2, organization=?3, phone=?4, email=?5, "
		"address=?6, notes=?7, public_label=?8, updated=?9, version = version + 1 "
		"WHERE id=?10 AND version=?11 RETURNING id";
	if (check_contact(c, e) < 0 || store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "contact", c->id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_contact(st, c);
	bind_int(st, 10, c->id);
	bind_int(st, 11, c->version);
	int rc = st_update_of(s, st, "contact", c->id, e);
	if (rc == 0)   /* someone else's update came first */
		rc = store_stale(s, "contact", c->id, e);
	if (rc < 0 || store_audit(s, "update", "contact", c->id, NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

#define CONTACT_COLS "c.id, c.name, c.kind, c.organization, c.phone, c.email, c.address, " \
                     "c.notes, c.public_label, c.version"

static void read_contact(struct dbst *st, struct contact *c)
{
	c->id = col_int(st, 0);
	c->name = col_text(st, 1);
	c->kind = col_text(st, 2);
	c->organization = col_text(st, 3);
	c->phone = col_text(st, 4);
	c->email = col_text(st, 5);
	c->address = col_text(st, 6);
	c->notes = col_text(st, 7);
	c->public_label = col_text(st, 8);
	c->version = col_int(st, 9);
	c->role = col_text(st, 10);
	c->team_id = col_int(st, 11);
	c->team_version = col_int(st, 12);
}

int store_contact_get(struct store *s, long long id, struct contact *out, struct err *e)
{
	static const char sql[] = "SELECT " CONTACT_COLS ", NULL, NULL, NULL FROM contact c WHERE c.id = ?";
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_contact(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	return rc == ST_ROW ? 0 : err_set(e, ERR_NOTFOUND, "no contact with id %lld", id);
}

int store_contact_list(struct store *s, long long patient_id, struct contact_list *out,
                       struct err *e)
{
	static const char all[] =
		"SELECT " CONTACT_COLS ", NULL, NULL, NULL FROM contact c ORDER BY c.name COLLATE NOCASE, c.id";
	static const char team[] =
		"SELECT " CONTACT_COLS ", t.role, t.id, t.version FROM care_team t JOIN contact c ON c.id = t.contact_id "
		"WHERE t.patient_id = ? ORDER BY t.role, c.name COLLATE NOCASE, c.id";
	if (patient_id && store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, patient_id ? team : all, e);
	if (!st)
		return e->code;
	if (patient_id)
		bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_contact(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_team_add(struct store *s, long long patient_id, long long contact_id,
                   const char *role, long long *id, struct err *e)
{
	static const char sql[] =
		"INSERT INTO care_team(patient_id, contact_id, role, created) VALUES (?,?,?,?) RETURNING id";
	if (!role || !*role)
		return err_set(e, ERR_USAGE, "a care team member needs a role");
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", patient_id, e) < 0 ||
	    store_exists(s, "contact", contact_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, patient_id);
	bind_int(st, 2, contact_id);
	bind_text(st, 3, role);
	bind_int(st, 4, store_now());
	if (st_insert(s, st, "care_team", NULL, id, e) < 0) {
		if (e->code == ERR_CONFLICT)
			err_set(e, ERR_CONFLICT, "contact %lld is already on patient %lld's team as %s",
			        contact_id, patient_id, role);
		goto fail;
	}
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_team_update(struct store *s, long long team_id, const char *role, long long version,
                      long long *patient_id, struct err *e)
{
	static const char who[] = "SELECT patient_id FROM care_team WHERE id = ?1";
	static const char sql[] =
		"UPDATE care_team SET role=?1, version = version + 1 WHERE id=?2 AND version=?3 "
		"RETURNING id";
	if (!role || !*role)
		return err_set(e, ERR_USAGE, "a care-team member needs a role (nurse, pharmacy, ...)");
	if (store_begin(s, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, who, e);
	if (!st)
		goto fail;
	bind_int(st, 1, team_id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		*patient_id = col_int(st, 0);
	st_reset(st);
	if (rc < 0)
		goto fail;
	if (rc != ST_ROW) {
		err_set(e, ERR_NOTFOUND, "no care-team member with id %lld", team_id);
		goto fail;
	}
	if (!(st = st_prep(s, sql, e)))
		goto fail;
	bind_text(st, 1, role);
	bind_int(st, 2, team_id);
	bind_int(st, 3, version);
	rc = st_update_of(s, st, "care_team", team_id, e);
	if (rc == 0)   /* someone else's update came first */
		rc = store_stale(s, "care_team", team_id, e);
	if (rc < 0 || store_audit(s, "update", "care_team", team_id, NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

int store_condition_add(struct store *s, long long patient_id, const char *name,
                        const char *onset, long long *id, struct err *e)
{
	static const char sql[] =
		"INSERT INTO condition(patient_id, name, onset, created) VALUES (?,?,?,?) RETURNING id";
	if (!name || !*name)
		return err_set(e, ERR_USAGE, "a condition needs a name");
	if (store_begin(s, e) < 0)
		return e->code;
	if (store_exists(s, "patient", patient_id, e) < 0)
		goto fail;
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_int(st, 1, patient_id);
	bind_text(st, 2, name);
	bind_text(st, 3, onset);
	bind_int(st, 4, store_now());
	if (st_insert(s, st, "condition", NULL, id, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}


#define CONDITION_COLS "id, patient_id, name, onset, status, version"

static void read_condition(struct dbst *st, struct condition *c)
{
	c->id = col_int(st, 0);
	c->patient_id = col_int(st, 1);
	c->name = col_text(st, 2);
	c->onset = col_text(st, 3);
	c->status = col_text(st, 4);
	c->version = col_int(st, 5);
}

int store_condition_list(struct store *s, long long patient_id, bool active_only,
                         struct condition_list *out, struct err *e)
{
	static const char every[] =
		"SELECT " CONDITION_COLS " FROM condition WHERE patient_id = ?1 ORDER BY id";
	static const char active[] =
		"SELECT " CONDITION_COLS " FROM condition WHERE patient_id = ?1 "
		"AND status = " SQL_CONDITION_ACTIVE " ORDER BY id";
	if (store_exists(s, "patient", patient_id, e) < 0)
		return e->code;
	struct dbst *st = st_prep(s, active_only ? active : every, e);
	if (!st)
		return e->code;
	bind_int(st, 1, patient_id);
	int rc;
	while ((rc = st_step(s, st, e)) == ST_ROW)
		read_condition(st, LIST_PUSH(out));
	st_reset(st);
	return rc < 0 ? rc : 0;
}

int store_condition_get(struct store *s, long long id, struct condition *out, struct err *e)
{
	static const char sql[] = "SELECT " CONDITION_COLS " FROM condition WHERE id = ?1";
	memset(out, 0, sizeof *out);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		return e->code;
	bind_int(st, 1, id);
	int rc = st_step(s, st, e);
	if (rc == ST_ROW)
		read_condition(st, out);
	st_reset(st);
	if (rc < 0)
		return rc;
	if (rc != ST_ROW)
		return err_set(e, ERR_NOTFOUND, "no condition with id %lld", id);
	return 0;
}

int store_condition_update(struct store *s, const struct condition *c, struct err *e)
{
	static const char sql[] =
		"UPDATE condition SET name=?1, onset=?2, status=?3, version = version + 1 "
		"WHERE id=?4 AND version=?5 RETURNING id";
	if (!c->name || !*c->name)
		return err_set(e, ERR_USAGE, "a condition needs a name");
	if (!c->status || code_find(&CONDITION_STATUS, c->status) < 0)
		return err_set(e, ERR_USAGE, "condition status '%s' is not one of %s",
		               c->status ? c->status : "", code_list(&CONDITION_STATUS));
	if (store_begin(s, e) < 0)
		return e->code;
	struct condition was;
	if (store_condition_get(s, c->id, &was, e) < 0)
		goto fail;
	condition_clear(&was);
	struct dbst *st = st_prep(s, sql, e);
	if (!st)
		goto fail;
	bind_text(st, 1, c->name);
	bind_text(st, 2, c->onset);
	bind_text(st, 3, c->status);
	bind_int(st, 4, c->id);
	bind_int(st, 5, c->version);
	int rc = st_update_of(s, st, "condition", c->id, e);
	if (rc == 0)   /* someone else's update came first */
		rc = store_stale(s, "condition", c->id, e);
	if (rc < 0 || store_audit(s, "update", "condition", c->id, NULL, e) < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}
