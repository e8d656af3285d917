/* fhir_export: FHIR R4 out (see fhir_export.h).  Each resource is built as
 * one line of JSON in a buffer (text_json_into escapes every string, as the
 * command line's --format json does) and handed to the sink: an entry of
 * the Bundle, or a line of its type's NDJSON file.  Codes go through
 * fhir_code (model.c): a code with no FHIR counterpart stops the export
 * naming the record, it is never passed through. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caseload/billing.h"
#include "caseload/date.h"
#include "caseload/fhir_export.h"
#include "caseload/model.h"
#include "caseload/program.h"
#include "caseload/safefile.h"
#include "caseload/store.h"
#include "caseload/store_fhir.h"
#include "caseload/store_plan.h"
#include "caseload/text.h"
#include "caseload/tz.h"
#include "caseload/util.h"

#define PAGE 256                   /* patients read a page at a time (NDJSON) */
#define UUID_LEN 37
#define NDJSON_CACHE_KB 2048       /* the page cache of the walk (store_cache_kb) */

static const char *const type_names[] = {
#define FHIR_TYPE_NAME_(t) #t,
	FHIR_TYPES(FHIR_TYPE_NAME_)
};

const char *fhir_type_name(enum fhir_type t)
{
	return t < FHIR_TYPE_N ? type_names[t] : "?";
}

/* ---- ids ----
 * A name-based UUID (RFC 9562 version 8, SHA-256) of the namespace and
 * the parts that name a row; each part is fed with its length first so
 * that no two lists of parts feed the same bytes. */
static void feed(crypto_hash_sha256_state *h, const char *v)
{
	char len[24];
	int k = snprintf(len, sizeof len, "%zu:", strlen(v));
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(h, (const unsigned char *)v, strlen(v));
}

static void name_uuid(const char *ns, const char *a, const char *b, const char *c,
                      char out[UUID_LEN])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	feed(&h, ns);
	feed(&h, a);
	feed(&h, b);
	feed(&h, c);
	crypto_hash_sha256_final(&h, d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x80);   /* version 8 */
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);   /* the RFC's variant */
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += snprintf(p, 3, "%02x", d[i]);
	}
}

/* ---- JSON ---- */
#define JW_DEPTH 16
struct jw {
	struct buf *b;
	int depth;
	bool first[JW_DEPTH];
};

static void jw_sep(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		buf_addc(w->b, ',');
	w->first[w->depth] = false;
	if (key) {
		text_json_into(w->b, key);
		buf_addc(w->b, ':');
	}
}

static void jw_open(struct jw *w, const char *key, char c)
{
	jw_sep(w, key);
	buf_addc(w->b, c);
	if (w->depth + 1 < JW_DEPTH)
		w->first[++w->depth] = true;
}

static void jw_close(struct jw *w, char c)
{
	buf_addc(w->b, c);
	if (w->depth > 0)
		w->depth--;
}

/* A string member; nothing for NULL or "" (FHIR has no empty strings). */
static void jw_str(struct jw *w, const char *key, const char *v)
{
	if (!v || !*v)
		return;
	jw_sep(w, key);
	text_json_into(w->b, v);
}

static void jw_lit(struct jw *w, const char *key, const char *literal)
{
	jw_sep(w, key);
	buf_add(w->b, literal);
}

static void jw_instant(struct jw *w, const char *key, long long utc)
{
	char t[32];
	jw_str(w, key, tz_format_utc(utc, t));
}

/* {"text": v} as a member (or an item of an array when key is NULL) */
static void jw_concept_text(struct jw *w, const char *key, const char *v)
{
	if (!v || !*v)
		return;
	jw_open(w, key, '{');
	jw_str(w, "text", v);
	jw_close(w, '}');
}

static void jw_coding(struct jw *w, const char *key, const char *system, const char *code,
                      const char *display)
{
	jw_open(w, key, '{');
	jw_open(w, "coding", '[');
	jw_open(w, NULL, '{');
	jw_str(w, "system", system);
	jw_str(w, "code", code);
	jw_str(w, "display", display);
	jw_close(w, '}');
	jw_close(w, ']');
	jw_close(w, '}');
}

/* ---- the sink ---- */
struct sink {
	bool ndjson;
	FILE *bundle;              /* the Bundle's file */
	FILE *files[FHIR_TYPE_N];  /* NDJSON: opened at a type's first resource */
	char *dir;                 /* NDJSON: the folder being filled */
	struct fhir_export_result *res;
	struct err *e;
	int failed;
	bool any;                  /* an entry is in the Bundle already */
};

static FILE *type_file(struct sink *k, enum fhir_type t)
{
	if (k->files[t])
		return k->files[t];
	char *path = xasprintf("%s/%s.ndjson", k->dir, fhir_type_name(t));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && !(k->files[t] = fdopen(fd, "w")))
		close(fd);
	if (!k->files[t])
		k->failed = err_set(k->e, ERR_FAIL, "%s: %s", path, strerror(errno));
	free(path);
	return k->files[t];
}

static void emit(struct sink *k, enum fhir_type t, const char *uuid, const struct buf *res)
{
	if (k->failed)
		return;
	k->res->count[t]++;
	if (k->ndjson) {
		FILE *f = type_file(k, t);
		if (f) {
			fputs(res->s, f);
			fputc('\n', f);
		}
		return;
	}
	fprintf(k->bundle, "%s{\"fullUrl\":\"urn:uuid:%s\",\"resource\":%s}", k->any ? ",\n" : "",
	        uuid, res->s);
	k->any = true;
}

/* ---- one patient ---- */
struct px {
	struct store *s;
	const struct fhir_export_req *rq;
	struct sink *k;
	struct err *e;
	bool full;
	const char *ns;
	struct fhir_stamps stamps;
	struct patient p;
	char puid[UUID_LEN];
	struct contact_list team;
	struct buf b;
	struct jw w;
};

/* The id of row `id` of table t (its creation instant read with the
 * patient's stamps). */
static void row_uuid(const struct px *x, enum fhir_table t, const char *tbl, long long id,
                     char out[UUID_LEN])
{
	char sid[24], screated[24];
	snprintf(sid, sizeof sid, "%lld", id);
	snprintf(screated, sizeof screated, "%lld", fhir_stamp_of(&x->stamps, t, id));
	name_uuid(x->ns, tbl, sid, screated, out);
}

static void contact_uuid(const char *ns, long long id, long long created, char out[UUID_LEN])
{
	char sid[24], screated[24];
	snprintf(sid, sizeof sid, "%lld", id);
	snprintf(screated, sizeof screated, "%lld", created);
	name_uuid(ns, "contact", sid, screated, out);
}

/* A family member or caregiver is a RelatedPerson of this patient: one
 * per patient and contact. */
static void related_uuid(const struct px *x, long long contact_id, char out[UUID_LEN])
{
	char cu[UUID_LEN];
	contact_uuid(x->ns, contact_id, fhir_stamp_of(&x->stamps, FHIR_T_CONTACT, contact_id), cu);
	name_uuid(x->ns, "related", cu, x->puid, out);
}

static void begin(struct px *x, enum fhir_type t, const char *uuid)
{
	buf_reset(&x->b);
	x->w = (struct jw){.b = &x->b};
	x->w.first[0] = true;
	jw_open(&x->w, NULL, '{');
	jw_str(&x->w, "resourceType", fhir_type_name(t));
	jw_str(&x->w, "id", uuid);
}

static void end(struct px *x, enum fhir_type t, const char *uuid)
{
	jw_close(&x->w, '}');
	emit(x->k, t, uuid, &x->b);
}

static void ref(struct px *x, const char *key, enum fhir_type t, const char *uuid)
{
	jw_open(&x->w, key, '{');
	if (x->k->ndjson) {
		char r[80];
		snprintf(r, sizeof r, "%s/%s", fhir_type_name(t), uuid);
		jw_str(&x->w, "reference", r);
	} else {
		char r[UUID_LEN + 9];
		snprintf(r, sizeof r, "urn:uuid:%s", uuid);
		jw_str(&x->w, "reference", r);
	}
	jw_close(&x->w, '}');
}

static void subject(struct px *x, const char *key)
{
	ref(x, key, FHIR_Patient, x->puid);
}

/* The FHIR code of one of ours, or an error naming the record. */
static const char *code(struct px *x, const char *element, const char *tbl, long long id,
                        const char *ours)
{
	const char *c = fhir_code(element, ours ? ours : "");
	if (!c && !x->k->failed)
		x->k->failed = err_set(x->e, ERR_FAIL, "%s %lld: %s has no FHIR %s code",
		                       tbl, id, TEXT_ARG(ours ? ours : ""), element);
	return c;
}

static void telecom(struct jw *w, const char *phone, const char *email)
{
	if ((!phone || !*phone) && (!email || !*email))
		return;
	jw_open(w, "telecom", '[');
	if (phone && *phone) {
		jw_open(w, NULL, '{');
		jw_str(w, "system", "phone");
		jw_str(w, "value", phone);
		jw_close(w, '}');
	}
	if (email && *email) {
		jw_open(w, NULL, '{');
		jw_str(w, "system", "email");
		jw_str(w, "value", email);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void address(struct jw *w, const char *text)
{
	if (!text || !*text)
		return;
	jw_open(w, "address", '[');
	jw_open(w, NULL, '{');
	jw_str(w, "text", text);
	jw_close(w, '}');
	jw_close(w, ']');
}

static void put_patient(struct px *x)
{
	const struct patient *p = &x->p;
	struct jw *w = &x->w;
	begin(x, FHIR_Patient, x->puid);
	if (p->mrn && *p->mrn) {
		jw_open(w, "identifier", '[');
		jw_open(w, NULL, '{');
		jw_coding(w, "type", "http://terminology.hl7.org/CodeSystem/v2-0203", "MR",
		          "Medical record number");
		jw_str(w, "value", p->mrn);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	bool active = p->status && code_find(&PATIENT_STATUS, p->status) == 0;
	jw_lit(w, "active", active ? "true" : "false");
	jw_open(w, "name", '[');
	jw_open(w, NULL, '{');
	jw_str(w, "family", p->family);
	if (p->given && *p->given) {
		jw_open(w, "given", '[');
		jw_str(w, NULL, p->given);
		jw_close(w, ']');
	}
	jw_close(w, '}');
	jw_close(w, ']');
	telecom(w, p->phone, p->email);
	jw_str(w, "birthDate", p->dob);
	address(w, p->address);
	if (p->language && *p->language) {
		jw_open(w, "communication", '[');
		jw_open(w, NULL, '{');
		jw_concept_text(w, "language", p->language);
		jw_lit(w, "preferred", "true");
		jw_close(w, '}');
		jw_close(w, ']');
	}
	end(x, FHIR_Patient, x->puid);
}

/* A professional or a service, as the resource its kind maps to (in a
 * Bundle with the patient's team; in NDJSON once, by the contact pass). */
static void put_contact(struct px *x, const struct contact *c, enum fhir_type t,
                        const char *uuid)
{
	struct jw *w = &x->w;
	begin(x, t, uuid);
	if (t == FHIR_Organization) {
		jw_str(w, "name", c->organization && *c->organization ? c->organization : c->name);
	} else {
		if (t == FHIR_RelatedPerson)
			subject(x, "patient");
		jw_open(w, "name", '[');
		jw_open(w, NULL, '{');
		jw_str(w, "text", c->name);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	telecom(w, c->phone, c->email);
	address(w, c->address);
	end(x, t, uuid);
}

static enum fhir_type member_type(struct px *x, const struct contact *c)
{
	const char *t = code(x, "CareTeam.member", "contact", c->id, c->kind);
	if (t && !strcmp(t, "RelatedPerson"))
		return FHIR_RelatedPerson;
	if (t && !strcmp(t, "Practitioner"))
		return FHIR_Practitioner;
	return FHIR_Organization;
}

static void member_uuid(const struct px *x, const struct contact *c, enum fhir_type t,
                        char out[UUID_LEN])
{
	if (t == FHIR_RelatedPerson)
		related_uuid(x, c->id, out);
	else
		contact_uuid(x->ns, c->id, fhir_stamp_of(&x->stamps, FHIR_T_CONTACT, c->id), out);
}

static int put_team(struct px *x)
{
	if (store_contact_list(x->s, x->p.id, &x->team, x->e) < 0)
		return x->e->code;
	if (!x->team.len)
		return 0;
	/* each member once (a contact may hold two roles) */
	for (size_t i = 0; i < x->team.len; i++) {
		const struct contact *c = &x->team.items[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = x->team.items[j].id == c->id;
		enum fhir_type t = member_type(x, c);
		if (seen || (x->k->ndjson && t != FHIR_RelatedPerson))
			continue;
		char u[UUID_LEN];
		member_uuid(x, c, t, u);
		put_contact(x, c, t, u);
	}
	char tu[UUID_LEN];
	name_uuid(x->ns, "care_team", x->puid, "", tu);
	struct jw *w = &x->w;
	begin(x, FHIR_CareTeam, tu);
	jw_str(w, "status", "active");
	subject(x, "subject");
	jw_open(w, "participant", '[');
	for (size_t i = 0; i < x->team.len; i++) {
		const struct contact *c = &x->team.items[i];
		enum fhir_type t = member_type(x, c);
		char u[UUID_LEN];
		member_uuid(x, c, t, u);
		jw_open(w, NULL, '{');
		if (c->role && *c->role) {
			jw_open(w, "role", '[');
			jw_concept_text(w, NULL, c->role);
			jw_close(w, ']');
		}
		ref(x, "member", t, u);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	end(x, FHIR_CareTeam, tu);
	return 0;
}

static int put_conditions(struct px *x)
{
	struct condition_list l = {0};
	if (store_condition_list(x->s, x->p.id, false, &l, x->e) < 0)
		return x->e->code;
	struct jw *w = &x->w;
	for (size_t i = 0; i < l.len; i++) {
		const struct condition *c = &l.items[i];
		char u[UUID_LEN];
		row_uuid(x, FHIR_T_CONDITION, "condition", c->id, u);
		begin(x, FHIR_Condition, u);
		jw_coding(w, "clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical",
		          code(x, "Condition.clinicalStatus", "condition", c->id, c->status), NULL);
		jw_concept_text(w, "code", c->name);
		subject(x, "subject");
		jw_str(w, "onsetDateTime", c->onset);
		end(x, FHIR_Condition, u);
	}
	condition_list_free(&l);
	return 0;
}

static int put_meds(struct px *x)
{
	struct medication_list l = {0};
	if (store_med_list(x->s, x->p.id, &l, x->e) < 0)
		return x->e->code;
	struct jw *w = &x->w;
	for (size_t i = 0; i < l.len; i++) {
		const struct medication *m = &l.items[i];
		char u[UUID_LEN];
		row_uuid(x, FHIR_T_MEDICATION, "medication", m->id, u);
		begin(x, FHIR_MedicationStatement, u);
		jw_str(w, "status", code(x, "MedicationStatement.status", "medication", m->id,
		                         m->status));
		jw_concept_text(w, "medicationCodeableConcept", m->name);
		subject(x, "subject");
		if (m->dose && *m->dose) {
			jw_open(w, "dosage", '[');
			jw_open(w, NULL, '{');
			jw_str(w, "text", m->dose);
			jw_close(w, '}');
			jw_close(w, ']');
		}
		end(x, FHIR_MedicationStatement, u);
	}
	medication_list_free(&l);
	return 0;
}

static void put_goal(struct px *x, const struct goal *g, const char *u)
{
	struct jw *w = &x->w;
	begin(x, FHIR_Goal, u);
	jw_str(w, "lifecycleStatus", code(x, "Goal.lifecycleStatus", "goal", g->id, g->status));
	jw_concept_text(w, "description", g->description);
	subject(x, "subject");
	if (g->due && *g->due) {
		jw_open(w, "target", '[');
		jw_open(w, NULL, '{');
		jw_str(w, "dueDate", g->due);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	if (x->full && g->target && *g->target) {
		jw_open(w, "note", '[');
		jw_open(w, NULL, '{');
		jw_str(w, "text", g->target);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	end(x, FHIR_Goal, u);
}

static int put_plans(struct px *x)
{
	struct plan_list l = {0};
	if (store_plan_list(x->s, x->p.id, false, &l, x->e) < 0)
		return x->e->code;
	struct jw *w = &x->w;
	int rc = 0;
	for (size_t i = 0; i < l.len && rc == 0; i++) {
		const struct care_plan *p = &l.items[i];
		struct goal_list g = {0};
		if ((rc = store_goal_list(x->s, p->id, &g, x->e)) < 0)
			break;
		char u[UUID_LEN], gu[UUID_LEN];
		row_uuid(x, FHIR_T_PLAN, "care_plan", p->id, u);
		begin(x, FHIR_CarePlan, u);
		jw_str(w, "status", code(x, "CarePlan.status", "care plan", p->id, p->status));
		jw_str(w, "intent", "plan");
		jw_str(w, "title", p->title);
		subject(x, "subject");
		if (p->start && *p->start) {
			jw_open(w, "period", '{');
			jw_str(w, "start", p->start);
			jw_close(w, '}');
		}
		if (g.len) {
			jw_open(w, "goal", '[');
			for (size_t j = 0; j < g.len; j++) {
				row_uuid(x, FHIR_T_GOAL, "goal", g.items[j].id, gu);
				ref(x, NULL, FHIR_Goal, gu);
			}
			jw_close(w, ']');
		}
		end(x, FHIR_CarePlan, u);
		for (size_t j = 0; j < g.len; j++) {
			row_uuid(x, FHIR_T_GOAL, "goal", g.items[j].id, gu);
			put_goal(x, &g.items[j], gu);
		}
		goal_list_free(&g);
	}
	plan_list_free(&l);
	return rc < 0 ? x->e->code : 0;
}

static void put_task(struct px *x, const struct task *t)
{
	struct jw *w = &x->w;
	char u[UUID_LEN];
	row_uuid(x, FHIR_T_TASK, "task", t->id, u);
	begin(x, FHIR_Task, u);
	if (t->plan_id && fhir_stamp_of(&x->stamps, FHIR_T_PLAN, t->plan_id) >= 0) {
		char pu[UUID_LEN];
		row_uuid(x, FHIR_T_PLAN, "care_plan", t->plan_id, pu);
		jw_open(w, "basedOn", '[');
		ref(x, NULL, FHIR_CarePlan, pu);
		jw_close(w, ']');
	}
	jw_str(w, "status", code(x, "Task.status", "task", t->id, t->status));
	if (!t->due || !*t->due)
		jw_concept_text(w, "statusReason", "No due date set");
	jw_str(w, "intent", "plan");
	jw_str(w, "priority", code(x, "Task.priority", "task", t->id, t->priority));
	jw_str(w, "description", t->title);
	subject(x, "for");
	long long created = fhir_stamp_of(&x->stamps, FHIR_T_TASK, t->id);
	if (created >= 0)
		jw_instant(w, "authoredOn", created);
	if (task_status_closed(t->status) && t->completed_at) {
		jw_open(w, "executionPeriod", '{');
		jw_instant(w, "end", t->completed_at);
		jw_close(w, '}');
	}
	if (t->owner && *t->owner) {
		jw_open(w, "owner", '{');
		jw_str(w, "display", t->owner);
		jw_close(w, '}');
	}
	if (x->full && t->note && *t->note) {
		jw_open(w, "note", '[');
		jw_open(w, NULL, '{');
		jw_str(w, "text", t->note);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	if (t->due && *t->due) {
		jw_open(w, "restriction", '{');
		jw_open(w, "period", '{');
		jw_str(w, "end", t->due);
		jw_close(w, '}');
		jw_close(w, '}');
	}
	end(x, FHIR_Task, u);
}

static int put_tasks(struct px *x)
{
	struct task_list l = {0};
	struct task_query q = {.patient_id = x->p.id, .all_statuses = true};
	if (store_task_list(x->s, &q, &l, x->e) < 0)
		return x->e->code;
	for (size_t i = 0; i < l.len; i++)
		put_task(x, &l.items[i]);
	task_list_free(&l);
	return 0;
}

static void put_appt(struct px *x, const struct appointment *a)
{
	struct jw *w = &x->w;
	char u[UUID_LEN];
	name_uuid(x->ns, "appointment", a->uid, a->recurrence_id ? a->recurrence_id : "", u);
	begin(x, FHIR_Appointment, u);
	jw_str(w, "status", code(x, "Appointment.status", "appointment", a->id, a->status));
	if (a->cancel_reason && *a->cancel_reason && appt_status_gone(a->status))
		jw_coding(w, "cancelationReason",
		          "http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason",
		          a->cancel_reason, appt_cancel_reason_display(a->cancel_reason));
	jw_str(w, "description", a->title);
	jw_instant(w, "start", a->start);
	jw_instant(w, "end", a->end);
	if (a->booked_at)
		jw_instant(w, "created", a->booked_at);
	if (x->full)
		jw_str(w, "comment", a->notes);
	jw_open(w, "participant", '[');
	jw_open(w, NULL, '{');
	subject(x, "actor");
	jw_str(w, "status", "accepted");
	jw_close(w, '}');
	for (size_t i = 0; i < x->team.len; i++) {
		const struct contact *c = &x->team.items[i];
		if (c->id != a->provider_id)
			continue;
		enum fhir_type t = member_type(x, c);
		char mu[UUID_LEN];
		member_uuid(x, c, t, mu);
		jw_open(w, NULL, '{');
		ref(x, "actor", t, mu);
		jw_str(w, "status", "accepted");
		jw_close(w, '}');
		break;
	}
	if (a->location && *a->location) {
		jw_open(w, NULL, '{');
		jw_open(w, "actor", '{');
		jw_str(w, "display", a->location);
		jw_close(w, '}');
		jw_str(w, "status", "accepted");
		jw_close(w, '}');
	}
	jw_close(w, ']');
	end(x, FHIR_Appointment, u);
}

static int put_appts(struct px *x)
{
	struct appointment_list l = {0};
	struct appt_query q = {.patient_id = x->p.id};
	if (store_appt_list(x->s, &q, &l, x->e) < 0)
		return x->e->code;
	for (size_t i = 0; i < l.len; i++)
		put_appt(x, &l.items[i]);
	appointment_list_free(&l);
	return 0;
}

/* Contact attempts and notes are Communications; the rest of the timeline
 * (results, admissions, discharges, changes) is not. */
static bool is_communication(const char *kind)
{
	return kind && fhir_code("Communication.medium", kind) != NULL;
}

static void put_entry(struct px *x, const struct entry *en)
{
	struct jw *w = &x->w;
	char u[UUID_LEN];
	row_uuid(x, FHIR_T_ENTRY, "entry", en->id, u);
	begin(x, FHIR_Communication, u);
	const char *status = code(x, "Communication.status", "entry", en->id, en->outcome);
	jw_str(w, "status", status);
	if (en->outcome)   /* why it was not done, for those that were not */
		jw_concept_text(w, "statusReason", fhir_code("Communication.statusReason", en->outcome));
	const char *medium = fhir_code("Communication.medium", en->kind);
	if (medium && *medium) {
		jw_open(w, "medium", '[');
		jw_coding(w, NULL, "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
		          medium, NULL);
		jw_close(w, ']');
	}
	subject(x, "subject");
	jw_instant(w, "sent", en->at);
	if (x->full && en->text && *en->text) {
		jw_open(w, "payload", '[');
		jw_open(w, NULL, '{');
		jw_str(w, "contentString", en->text);
		jw_close(w, '}');
		jw_close(w, ']');
	}
	end(x, FHIR_Communication, u);
}

static void put_episode(struct px *x, const char *u, const char *program, const char *status,
                        const char *start, const char *end_day, const char *manager)
{
	struct jw *w = &x->w;
	begin(x, FHIR_EpisodeOfCare, u);
	jw_str(w, "status", status);
	jw_open(w, "type", '[');
	jw_concept_text(w, NULL, program);
	jw_close(w, ']');
	subject(x, "patient");
	jw_open(w, "period", '{');
	jw_str(w, "start", start);
	jw_str(w, "end", end_day);
	jw_close(w, '}');
	if (manager && *manager) {
		jw_open(w, "careManager", '{');
		jw_str(w, "display", manager);
		jw_close(w, '}');
	}
	end(x, FHIR_EpisodeOfCare, u);
}

/* Communications, then episodes: the program enrollments and the TCM
 * episodes discharges opened, with their stored days and the status they
 * read as today, and a TCM episode for each discharge that has none (one
 * recorded before discharges opened their episode), its days from the
 * discharge's as tcm_open gives them. */
static int put_timeline(struct px *x)
{
	struct entry_list l = {0};
	struct episode_list ep = {0};
	char today[DATE_STRLEN];
	date_format(x->rq->today, today);
	if (store_entry_list(x->s, x->p.id, 0, 0, 0, &l, x->e) < 0 ||
	    program_list(x->s, x->p.id, NULL, today, today, x->rq->today, &ep, x->e) < 0) {
		entry_list_free(&l);
		episode_list_free(&ep);
		return x->e->code;
	}
	for (size_t i = 0; i < l.len; i++)
		if (is_communication(l.items[i].kind))
			put_entry(x, &l.items[i]);
	for (size_t i = 0; i < ep.len; i++) {
		const struct episode *y = &ep.items[i];
		char u[UUID_LEN];
		row_uuid(x, FHIR_T_EPISODE, "episode", y->id, u);
		put_episode(x, u, code(x, "EpisodeOfCare.type", "episode", y->id, y->program),
		            code(x, "EpisodeOfCare.status", "episode", y->id, y->status),
		            y->started, y->ended, y->practitioner);
	}
	const char *tcm = fhir_code("EpisodeOfCare.type", "tcm");
	for (size_t i = 0; i < l.len; i++) {
		const struct entry *en = &l.items[i];
		if (!en->kind || code_find(&ENTRY_KIND, en->kind) != code_find(&ENTRY_KIND, "discharge"))
			continue;
		bool has = false;
		for (size_t j = 0; j < ep.len && !has; j++)
			has = ep.items[j].discharge_id == en->id;
		if (has)
			continue;
		int day = tz_local_date(x->rq->zone, en->at);
		char start[DATE_STRLEN], stop[DATE_STRLEN], u[UUID_LEN], eu[UUID_LEN];
		struct episode old = {.program = "tcm", .status = "active",
		                      .started = date_format(day, start),
		                      .ended = date_format(tcm_last_day(day), stop)};
		row_uuid(x, FHIR_T_ENTRY, "entry", en->id, eu);
		name_uuid(x->ns, "tcm", eu, "", u);
		put_episode(x, u, tcm, fhir_code("EpisodeOfCare.status",
		            episode_status_on(&old, x->rq->today)), old.started, old.ended, NULL);
	}
	episode_list_free(&ep);
	entry_list_free(&l);
	return 0;
}

static int put_consents(struct px *x)
{
	struct consent_list l = {0};
	if (program_consents(x->s, x->p.id, &l, x->e) < 0) {
		consent_list_free(&l);
		return x->e->code;
	}
	struct jw *w = &x->w;
	for (size_t i = 0; i < l.len; i++) {
		const struct consent *c = &l.items[i];
		char u[UUID_LEN];
		row_uuid(x, FHIR_T_CONSENT, "consent", c->id, u);
		bool withdrawn = c->withdrawn && *c->withdrawn;
		begin(x, FHIR_Consent, u);
		jw_str(w, "status", withdrawn ? "inactive" : "active");
		jw_coding(w, "scope", "http://terminology.hl7.org/CodeSystem/consentscope",
		          "treatment", "Treatment");
		jw_open(w, "category", '[');
		jw_coding(w, NULL, "http://loinc.org", "59284-0", "Patient Consent");
		jw_close(w, ']');
		subject(x, "patient");
		jw_str(w, "dateTime", c->given);
		jw_open(w, "policyRule", '{');
		jw_str(w, "text", code(x, "EpisodeOfCare.type", "consent", c->id, c->program));
		jw_close(w, '}');
		jw_open(w, "provision", '{');
		jw_str(w, "type", "permit");
		jw_open(w, "period", '{');
		jw_str(w, "start", c->given);
		jw_str(w, "end", c->withdrawn);
		jw_close(w, '}');
		jw_close(w, '}');
		end(x, FHIR_Consent, u);
	}
	consent_list_free(&l);
	return 0;
}

/* Every resource of one patient, into the sink. */
static int put_patient_all(struct store *s, const struct fhir_export_req *rq, const char *ns,
                           long long id, struct sink *k, struct err *e)
{
	struct px x = {.s = s, .rq = rq, .k = k, .e = e, .ns = ns};
	x.full = rq->detail && !strcmp(rq->detail, "full");
	int rc = store_patient_get(s, id, &x.p, e);
	if (rc == 0)
		rc = store_fhir_stamps(s, id, &x.stamps, e);
	if (rc == 0) {
		char sid[24], created[24];
		snprintf(sid, sizeof sid, "%lld", id);
		snprintf(created, sizeof created, "%lld", fhir_stamp_of(&x.stamps, FHIR_T_PATIENT, id));
		name_uuid(ns, "patient", sid, created, x.puid);
		put_patient(&x);
	}
	int (*const parts[])(struct px *) = {put_team, put_conditions, put_meds, put_plans,
	                                     put_tasks, put_appts, put_timeline, put_consents};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && rc == 0 && !k->failed; i++)
		rc = parts[i](&x);
	k->res->patients++;
	contact_list_free(&x.team);
	fhir_stamps_free(&x.stamps);
	patient_clear(&x.p);
	buf_free(&x.b);
	if (rc == 0 && k->failed)
		rc = k->failed;
	return rc < 0 ? rc : 0;
}

static int check_detail(const struct fhir_export_req *rq, struct err *e)
{
	if (rq->detail && strcmp(rq->detail, "minimum") != 0 && strcmp(rq->detail, "full") != 0)
		return err_set(e, ERR_USAGE, "detail %s is not minimum or full", TEXT_ARG(rq->detail));
	return 0;
}

static int namespace(struct store *s, char **ns, struct err *e)
{
	if (store_meta_get(s, STORE_META_FHIR_NS, ns, e) < 0)
		return e->code;
	if (!*ns || !**ns) {
		free(*ns);
		*ns = NULL;
		return err_set(e, ERR_FAIL, "the database has no FHIR namespace (meta row %s): "
		               "the ids it names would change; restore the row from a backup",
		               STORE_META_FHIR_NS);
	}
	return 0;
}

int fhir_export_bundle(struct store *s, const struct fhir_export_req *rq, FILE *out,
                       struct fhir_export_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (check_detail(rq, e) < 0)
		return e->code;
	if (store_patient_exists(s, rq->patient_id, e) < 0)
		return e->code;
	char *ns = NULL;
	if (namespace(s, &ns, e) < 0)
		return e->code;
	/* to a file through safefile; to `out` only once it is whole (a
	 * failure half-way prints nothing) */
	struct safefile sf = {0};
	char *mem = NULL;
	size_t mem_len = 0;
	FILE *f = rq->path ? NULL : open_memstream(&mem, &mem_len);
	if (rq->path ? safefile_open(&sf, rq->path, rq->replace ? SAFEFILE_REPLACE : 0, e) < 0
	             : !f && err_set(e, ERR_FAIL, "no memory for the Bundle") < 0) {
		free(ns);
		return e->code;
	}
	struct sink k = {.bundle = rq->path ? sf.f : f, .res = res, .e = e};
	char now[32];
	tz_format_utc(rq->now, now);
	fprintf(k.bundle, "{\"resourceType\":\"Bundle\",\"meta\":{\"lastUpdated\":\"%s\"},"
	        "\"type\":\"collection\",\"timestamp\":\"%s\",\"entry\":[\n", now, now);
	int rc = store_begin_read(s, e) < 0 ? e->code : 0;
	if (rc == 0) {
		rc = put_patient_all(s, rq, ns, rq->patient_id, &k, e);
		store_rollback(s);
	}
	fputs("\n]}\n", k.bundle);
	free(ns);
	if (!rq->path) {
		fclose(f);
		if (rc == 0 && (fwrite(mem, 1, mem_len, out) != mem_len || fflush(out) != 0))
			rc = err_set(e, ERR_FAIL, "writing the Bundle: %s", strerror(errno));
		free(mem);
		return rc;
	}
	if (rc < 0) {
		safefile_abort(&sf);
		return rc;
	}
	return safefile_commit(&sf, e);
}

/* ---- NDJSON ---- */

/* The professionals and services, each once (RelatedPersons are written
 * with their patient). */
static int put_contacts(struct store *s, const struct fhir_export_req *rq, const char *ns,
                        struct sink *k, struct err *e)
{
	struct fhir_stamp page[PAGE];
	struct px x = {.s = s, .rq = rq, .k = k, .e = e, .ns = ns};
	long long after = 0;
	int n = 0, rc = 0;
	do {
		if (store_begin_read(s, e) < 0)
			break;
		rc = store_fhir_contact_page(s, after, PAGE, page, &n, e);
		for (int i = 0; i < n && rc == 0 && !k->failed; i++) {
			struct contact c = {0};
			if ((rc = store_contact_get(s, page[i].id, &c, e)) < 0)
				break;
			enum fhir_type t = member_type(&x, &c);
			if (t != FHIR_RelatedPerson) {
				char u[UUID_LEN];
				contact_uuid(ns, c.id, page[i].created, u);
				put_contact(&x, &c, t, u);
			}
			contact_clear(&c);
		}
		store_rollback(s);
		if (n)
			after = page[n - 1].id;
	} while (rc == 0 && !k->failed && n == PAGE);
	buf_free(&x.b);
	if (e->code && rc == 0)
		rc = e->code;
	return rc < 0 ? rc : k->failed;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int close_files(struct sink *k, bool ok)
{
	int rc = 0;
	for (int t = 0; t < FHIR_TYPE_N; t++) {
		if (!k->files[t])
			continue;
		if (ok && (fflush(k->files[t]) || ferror(k->files[t]) || fsync(fileno(k->files[t]))))
			rc = -1;
		if (fclose(k->files[t]))
			rc = -1;
		k->files[t] = NULL;
	}
	return rc;
}

static void remove_dir(struct sink *k)
{
	for (int t = 0; t < FHIR_TYPE_N; t++) {
		char *path = xasprintf("%s/%s.ndjson", k->dir, fhir_type_name(t));
		unlink(path);
		free(path);
	}
	rmdir(k->dir);
}

static int walk_patients(struct store *s, const struct fhir_export_req *rq, const char *ns,
                         struct sink *k, struct err *e)
{
	long long ids[PAGE], after = 0;
	int n = 0, rc = 0;
	do {
		if (store_begin_read(s, e) < 0)
			return e->code;
		rc = store_fhir_patient_page(s, after, PAGE, ids, &n, e);
		for (int i = 0; i < n && rc == 0; i++)
			rc = put_patient_all(s, rq, ns, ids[i], k, e);
		store_rollback(s);
		if (n)
			after = ids[n - 1];
	} while (rc == 0 && n == PAGE);
	return rc;
}

int fhir_export_ndjson(struct store *s, const struct fhir_export_req *rq,
                       struct fhir_export_result *res, struct err *e)
{
	memset(res, 0, sizeof *res);
	if (check_detail(rq, e) < 0)
		return e->code;
	struct stat st;
	if (lstat(rq->dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return err_set(e, ERR_USAGE, "%s: not a folder", rq->dir);
	char *ns = NULL;
	if (namespace(s, &ns, e) < 0)
		return e->code;
	struct sink k = {.ndjson = true, .res = res, .e = e};
	k.dir = xasprintf("%s.tmpXXXXXX", rq->dir);
	if (!mkdtemp(k.dir)) {
		int err = errno;
		free(k.dir);
		free(ns);
		return err_set(e, ERR_FAIL, "%s: cannot make a folder beside it: %s", rq->dir,
		               strerror(err));
	}
	/* one pass over the caseload: a small page cache keeps the memory flat
	 * (the default's 16 MB fill as the walk goes on) */
	int rc = store_cache_kb(s, NDJSON_CACHE_KB, e);
	if (rc == 0)
		rc = put_contacts(s, rq, ns, &k, e);
	if (rc == 0)
		rc = walk_patients(s, rq, ns, &k, e);
	store_cache_kb(s, STORE_CACHE_DEFAULT_KB, &(struct err){0});
	free(ns);
	if (close_files(&k, rc == 0) < 0 && rc == 0)
		rc = err_set(e, ERR_FAIL, "%s: writing the files: %s", rq->dir, strerror(errno));
	if (rc == 0 && rename(k.dir, rq->dir) < 0)
		rc = err_set(e, ERR_FAIL, "%s: %s", rq->dir, errno == ENOTEMPTY || errno == EEXIST ?
		             "the folder is not empty" : strerror(errno));
	if (rc < 0) {
		remove_dir(&k);
		free(k.dir);
		return rc;
	}
	char *parent = xstrdup(rq->dir);
	char *slash = strrchr(parent, '/');
	sync_dir(slash ? (slash == parent ? "/" : (*slash = '\0', parent)) : ".");
	free(parent);
	free(k.dir);
	return 0;
}
