/* schema: the numbered migrations.  Migration N brings a database from
 * user_version N-1 to N; each runs in its own transaction.  Never edit a
 * migration that has shipped: add the next one. */
#include "store_internal.h"

/* The audit's guard against UPDATE: migration 1 creates it, and the
 * sealing of the audit (below) drops and re-creates it with this text. */
#define AUDIT_NO_UPDATE \
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n" \
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n"
const char store_audit_no_update[] = AUDIT_NO_UPDATE;

static const char m1[] =
"CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;\n"
"CREATE TABLE patient(\n"
"  id INTEGER PRIMARY KEY,\n"
"  family TEXT NOT NULL, given TEXT NOT NULL DEFAULT '',\n"
"  dob TEXT, mrn TEXT UNIQUE, phone TEXT, email TEXT, address TEXT, language TEXT,\n"
"  risk TEXT NOT NULL DEFAULT 'medium' CHECK (risk IN ('low','medium','high')),\n"
"  cadence_days INTEGER CHECK (cadence_days IS NULL OR cadence_days > 0),\n"
"  ccm_consent TEXT, coordinator TEXT,\n"
"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),\n"
"  created INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"CREATE INDEX patient_name ON patient(family COLLATE NOCASE, given COLLATE NOCASE, id);\n"
"CREATE INDEX patient_email ON patient(email COLLATE NOCASE) WHERE email IS NOT NULL;\n"
"CREATE TABLE contact(\n"
"  id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'other',\n"
"  organization TEXT, phone TEXT, email TEXT, address TEXT, notes TEXT,\n"
"  created INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"CREATE INDEX contact_name ON contact(name COLLATE NOCASE);\n"
"CREATE TABLE care_team(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,\n"
"  role TEXT NOT NULL, created INTEGER NOT NULL,\n"
"  UNIQUE (patient_id, contact_id, role));\n"
"CREATE INDEX care_team_contact ON care_team(contact_id);\n"
"CREATE TABLE condition(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  name TEXT NOT NULL, code TEXT, onset TEXT,\n"
"  status TEXT NOT NULL DEFAULT 'active', created INTEGER NOT NULL);\n"
"CREATE INDEX condition_patient ON condition(patient_id);\n"
"CREATE TABLE medication(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  name TEXT NOT NULL, dose TEXT,\n"
"  prescriber_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,\n"
"  pharmacy_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,\n"
"  refill_due TEXT, status TEXT NOT NULL DEFAULT 'active',\n"
"  created INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"CREATE INDEX medication_patient ON medication(patient_id);\n"
"CREATE INDEX medication_refill ON medication(refill_due) WHERE status = 'active';\n"
"CREATE TABLE appointment(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER REFERENCES patient(id) ON DELETE CASCADE,\n"
"  uid TEXT NOT NULL, recurrence_id TEXT NOT NULL DEFAULT '',\n"
"  title TEXT NOT NULL DEFAULT '', location TEXT, notes TEXT,\n"
"  provider_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,\n"
"  start_utc INTEGER NOT NULL, end_utc INTEGER NOT NULL CHECK (end_utc >= start_utc),\n"
"  tzid TEXT, all_day INTEGER NOT NULL DEFAULT 0,\n"
"  rrule TEXT, rdate TEXT, exdate TEXT,\n"
"  last_end_utc INTEGER,\n"
"  status TEXT NOT NULL DEFAULT 'booked',\n"
"  transport TEXT NOT NULL DEFAULT 'none'\n"
"    CHECK (transport IN ('none','needed','arranged','confirmed')),\n"
"  sequence INTEGER NOT NULL DEFAULT 0, dtstamp INTEGER, last_modified INTEGER,\n"
"  source TEXT, booked_at INTEGER,\n"
"  created INTEGER NOT NULL, updated INTEGER NOT NULL,\n"
"  UNIQUE (uid, recurrence_id));\n"
"CREATE INDEX appointment_start ON appointment(start_utc) WHERE rrule IS NULL AND rdate IS NULL;\n"
"CREATE INDEX appointment_series ON appointment(start_utc) WHERE rrule IS NOT NULL OR rdate IS NOT NULL;\n"
"CREATE INDEX appointment_patient ON appointment(patient_id, start_utc);\n"
"CREATE INDEX appointment_unassigned ON appointment(start_utc) WHERE patient_id IS NULL;\n"
"CREATE TABLE task(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  title TEXT NOT NULL,\n"
"  kind TEXT NOT NULL DEFAULT 'other', priority TEXT NOT NULL DEFAULT 'routine',\n"
"  status TEXT NOT NULL DEFAULT 'requested',\n"
"  due TEXT, snoozed_until TEXT, plan_id INTEGER, recurrence TEXT, note TEXT,\n"
"  completed_at INTEGER, created INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"CREATE INDEX task_open_due ON task(due, id) WHERE status IN " SQL_OPEN_TASK ";\n"
"CREATE INDEX task_patient ON task(patient_id, due);\n"
"CREATE TABLE entry(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  at INTEGER NOT NULL, kind TEXT NOT NULL, outcome TEXT, minutes INTEGER,\n"
"  facility TEXT, text TEXT, ref_table TEXT, ref_id INTEGER,\n"
"  needs_review INTEGER NOT NULL DEFAULT 0, reviewed_at INTEGER,\n"
"  author TEXT, created INTEGER NOT NULL);\n"
"CREATE INDEX entry_patient_at ON entry(patient_id, at);\n"
"CREATE INDEX entry_kind_at ON entry(kind, at);\n"
"CREATE INDEX entry_unreviewed ON entry(patient_id) WHERE needs_review AND reviewed_at IS NULL;\n"
"CREATE TABLE time_log(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  day TEXT NOT NULL, minutes INTEGER NOT NULL CHECK (minutes > 0),\n"
"  activity TEXT, author TEXT, created INTEGER NOT NULL);\n"
"CREATE INDEX time_log_patient_day ON time_log(patient_id, day);\n"
"CREATE TABLE audit(\n"
"  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL,\n"
"  action TEXT NOT NULL, tbl TEXT NOT NULL, row_id INTEGER, detail TEXT);\n"
"CREATE INDEX audit_row ON audit(tbl, row_id);\n"
AUDIT_NO_UPDATE
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n";

/* Care plans and goals from templates; the daily review's progress. */
static const char m2[] =
"CREATE TABLE care_plan(\n"
"  id INTEGER PRIMARY KEY,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  template TEXT, title TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active',\n"
"  start TEXT NOT NULL, review_every TEXT, detail TEXT,\n"
"  created INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"CREATE INDEX care_plan_patient ON care_plan(patient_id, status);\n"
"CREATE TABLE goal(\n"
"  id INTEGER PRIMARY KEY,\n"
"  plan_id INTEGER NOT NULL REFERENCES care_plan(id) ON DELETE CASCADE,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  description TEXT NOT NULL, target TEXT, due TEXT,\n"
"  status TEXT NOT NULL DEFAULT 'active', created INTEGER NOT NULL);\n"
"CREATE INDEX goal_plan ON goal(plan_id);\n"
"CREATE INDEX task_plan ON task(plan_id) WHERE plan_id IS NOT NULL;\n"
"CREATE TABLE review_mark(\n"
"  day TEXT NOT NULL,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  state TEXT NOT NULL DEFAULT 'reviewed', at INTEGER NOT NULL, who TEXT,\n"
"  PRIMARY KEY (day, patient_id)) WITHOUT ROWID;\n";

/* The workstation's caseload ordered by need (issue 4): each patient keeps
 * need_due, the earliest effective due date (a snooze moves it later) of
 * their open tasks ('9999-12-31' when none), maintained by triggers, so
 * that "by need, then name" is one indexed ORDER BY with keyset paging;
 * and the given name indexed for search-as-you-type by prefix. */
static const char m3[] =
"ALTER TABLE patient ADD COLUMN need_due TEXT NOT NULL DEFAULT '9999-12-31';\n"
"CREATE INDEX patient_need ON patient(need_due, family COLLATE NOCASE, given COLLATE NOCASE, id);\n"
"CREATE INDEX patient_given ON patient(given COLLATE NOCASE);\n"
"CREATE VIEW patient_need_calc AS SELECT p.id AS patient_id, coalesce((\n"
"  SELECT min(max(t.due, coalesce(t.snoozed_until, t.due))) FROM task t\n"
"  WHERE t.patient_id = p.id AND t.due IS NOT NULL\n"
"    AND t.status IN " SQL_OPEN_TASK "), '9999-12-31') AS need_due\n"
"  FROM patient p;\n"
"UPDATE patient SET need_due = (SELECT need_due FROM patient_need_calc WHERE patient_id = patient.id);\n"
"CREATE TRIGGER task_need_insert AFTER INSERT ON task BEGIN\n"
"  UPDATE patient SET need_due = (SELECT need_due FROM patient_need_calc WHERE patient_id = NEW.patient_id)\n"
"  WHERE id = NEW.patient_id; END;\n"
"CREATE TRIGGER task_need_update AFTER UPDATE OF patient_id, due, snoozed_until, status ON task BEGIN\n"
"  UPDATE patient SET need_due = (SELECT need_due FROM patient_need_calc WHERE patient_id = patient.id)\n"
"  WHERE id IN (OLD.patient_id, NEW.patient_id); END;\n"
"CREATE TRIGGER task_need_delete AFTER DELETE ON task BEGIN\n"
"  UPDATE patient SET need_due = (SELECT need_due FROM patient_need_calc WHERE patient_id = OLD.patient_id)\n"
"  WHERE id = OLD.patient_id; END;\n";

/* The daily review (issue 5): a patient's last successful contact is a
 * max() on this index instead of a walk through the whole timeline; the
 * review's summary counts the tasks closed in a day. */
static const char m4[] =
"CREATE INDEX entry_reached ON entry(patient_id, at)\n"
"  WHERE outcome = 'reached' AND kind IN " SQL_CONTACT_KINDS ";\n"
"CREATE INDEX task_completed ON task(completed_at) WHERE completed_at IS NOT NULL;\n";

/* Finding the patient on the phone (issue 9): search by folded words of
 * the name (accents, case and script do not matter), any part of the MRN
 * or of the phone's digits, through patient_search (see store_internal.h
 * for its rows); duplicates by the folded name and date of birth through
 * name_key.  search_fill computes both for existing patients in C, with
 * ICU; store_patient_add and _update keep them current. */
static const char m5[] =
"ALTER TABLE patient ADD COLUMN name_key TEXT;\n"
"CREATE INDEX patient_name_key ON patient(name_key, dob);\n"
"CREATE TABLE patient_search(\n"
"  kind TEXT NOT NULL CHECK (kind IN ('n','m','p')),\n"
"  token TEXT NOT NULL,\n"
"  patient_id INTEGER NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  PRIMARY KEY (kind, token, patient_id));\n"
"CREATE INDEX patient_search_patient ON patient_search(patient_id);\n";

/* What a calendar that leaves the coordinator's hands may say of a contact
 * (issue 10): a neutral name chosen by the coordinator ("Lakeview
 * Clinic"), for a clinic whose own name gives away the specialty and so
 * the condition.  NULL: none. */
static const char m6[] =
"ALTER TABLE contact ADD COLUMN public_label TEXT;\n";

/* A tamper-evident audit (issue 11): every row carries the SHA-256 of
 * the previous row's hash and its own fields (store_audit.c says how),
 * and meta's 'audit_head' names the last row caseload wrote.  audit_seal
 * hashes the rows written before this migration in id order, puts the
 * guard back and records the sealing as a row of its own ("seal"). */
static const char m7[] =
"DROP TRIGGER IF EXISTS audit_no_update;\n"
"ALTER TABLE audit ADD COLUMN hash TEXT;\n";

/* One statement per filter (issue 12): the caseload of one coordinator
 * ("mine") walks this index in the need order, and the title's count of
 * their patients looks them up, instead of walking every patient; `audit
 * --table T` walks one table's rows newest first. */
static const char m8[] =
"CREATE INDEX patient_coordinator ON patient(coordinator, need_due, family COLLATE NOCASE,\n"
"  given COLLATE NOCASE, id) WHERE coordinator IS NOT NULL;\n"
"CREATE INDEX audit_tbl ON audit(tbl, id);\n";

/* A calendar streamed as it is read (issue 12): its VTIMEZONEs come
 * first, so the zones of the single events are found a zone at a time on
 * appointment_zone instead of by reading every appointment before the
 * first, and the overrides among them on appointment_override. */
static const char m9[] =
"CREATE INDEX appointment_zone ON appointment(tzid, start_utc) WHERE rrule IS NULL AND rdate IS NULL;\n"
"CREATE INDEX appointment_override ON appointment(start_utc) WHERE recurrence_id != '';\n";

const struct migration store_migrations[] = {{m1, NULL}, {m2, NULL}, {m3, NULL}, {m4, NULL},
                                             {m5, search_fill}, {m6, NULL}, {m7, audit_seal},
                                             {m8, NULL}, {m9, NULL}};
const int store_n_migrations = sizeof store_migrations / sizeof store_migrations[0];
