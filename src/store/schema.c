/* schema: the numbered migrations.  Migration N brings a database from
 * user_version N-1 to N; each runs in its own transaction.  Never edit a
 * migration that has shipped: add the next one. */
#include <stdlib.h>

#include "caseload/rules.h"
#include "caseload/store_fhir.h"
#include "store_internal.h"

/* The audit's guard against UPDATE: migration 1 creates it, and the
 * sealing of the audit (below) drops and re-creates it with this text. */
#define AUDIT_NO_UPDATE \
"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n" \
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n"
const char store_audit_no_update[] = AUDIT_NO_UPDATE;
/* and against DELETE (a copy into a new database takes it off for a
 * moment, store_copy.c) */
#define AUDIT_NO_DELETE \
"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n" \
"  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n"
const char store_audit_no_delete[] = AUDIT_NO_DELETE;

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
AUDIT_NO_DELETE;

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

/* A search with many matches (issue 12) walks the caseload's order and
 * looks each patient's own rows up: the patient's index holds the kind
 * and token too, so the look-up is one seek in it. */
static const char m9[] =
"DROP INDEX patient_search_patient;\n"
"CREATE INDEX patient_search_patient ON patient_search(patient_id, kind, token);\n";

/* An import staged outside the write lock (issue 12): the file is read
 * into import_stage in short transactions, marked ready in one, and
 * merged into the appointments in short batches (services/ical_import.c
 * says how).  Staged rows are nobody's appointments: no listing reads
 * them and they write no audit rows.  kind: an event to upsert, a cancel
 * by UID alone, a skip or a note with its text, the end of a calendar;
 * waiting: an override kept for the end of its calendar (its series was
 * not stored yet).  An import_run stays as the record of the run.  The
 * stage has no index but its ids: one run's rows are read and deleted in
 * id order (an index would cost every row a second write). */
static const char m10[] =
"CREATE TABLE import_run(\n"
"  id INTEGER PRIMARY KEY,\n"
"  state TEXT NOT NULL CHECK (state IN ('staging','ready','merged')),\n"
"  source TEXT NOT NULL, patient_id INTEGER, booked_at INTEGER NOT NULL,\n"
"  host TEXT NOT NULL, pid INTEGER NOT NULL, beat INTEGER NOT NULL,\n"
"  created INTEGER NOT NULL, updated INTEGER NOT NULL);\n"
"CREATE INDEX import_run_open ON import_run(state) WHERE state <> 'merged';\n"
"CREATE TABLE import_stage(\n"
"  id INTEGER PRIMARY KEY,\n"
"  run_id INTEGER NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('event','cancel','skip','note','end')),\n"
"  line INTEGER NOT NULL, waiting INTEGER NOT NULL DEFAULT 0,\n"
"  uid TEXT, recurrence_id TEXT, rid_day INTEGER, rid_is_date INTEGER,\n"
"  title TEXT, location TEXT, notes TEXT, start_utc INTEGER, end_utc INTEGER,\n"
"  tzid TEXT, all_day INTEGER, rrule TEXT, rdate TEXT, exdate TEXT, series_end INTEGER,\n"
"  status TEXT, sequence INTEGER, dtstamp INTEGER, last_modified INTEGER,\n"
"  minimal INTEGER, transport TEXT, x_patient INTEGER, x_patient_cn TEXT,\n"
"  emails TEXT, cns TEXT, text TEXT);\n";

/* Migration 10 for PostgreSQL: identity ids, instants as bigint. */
static const char m10_pg[] =
"CREATE TABLE import_run(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  state TEXT NOT NULL CHECK (state IN ('staging','ready','merged')),\n"
"  source TEXT NOT NULL, patient_id bigint, booked_at bigint NOT NULL,\n"
"  host TEXT NOT NULL, pid bigint NOT NULL, beat bigint NOT NULL,\n"
"  created bigint NOT NULL, updated bigint NOT NULL);\n"
"CREATE INDEX import_run_open ON import_run(state) WHERE state <> 'merged';\n"
"CREATE TABLE import_stage(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  run_id bigint NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('event','cancel','skip','note','end')),\n"
"  line bigint NOT NULL, waiting bigint NOT NULL DEFAULT 0,\n"
"  uid TEXT, recurrence_id TEXT, rid_day bigint, rid_is_date bigint,\n"
"  title TEXT, location TEXT, notes TEXT, start_utc bigint, end_utc bigint,\n"
"  tzid TEXT, all_day bigint, rrule TEXT, rdate TEXT, exdate TEXT, series_end bigint,\n"
"  status TEXT, sequence bigint, dtstamp bigint, last_modified bigint,\n"
"  minimal bigint, transport TEXT, x_patient bigint, x_patient_cn TEXT,\n"
"  emails TEXT, cns TEXT, text TEXT);\n";

/* Working as a team (issue 13): the people of the team (team_member: a
 * login, which is what the audit records as who, a display name, a role,
 * and one period out of office for coverage); every patient's primary
 * coordinator is a member's login (the logins patients name already
 * become members, named by their login until `team add` names them);
 * every task an owner (a member's login) or none, the open ones indexed
 * by owner for "mine" and the workload; and a version on every mutable
 * row, raised by each update, which an update must match (no silent
 * overwrite when two people edit one record). */
#define M11_TABLE(ID, INSTANT) \
"CREATE TABLE team_member(\n" \
"  id " ID ",\n" \
"  login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,\n" \
"  role TEXT NOT NULL DEFAULT 'coordinator'\n" \
"    CHECK (role IN ('coordinator','nurse','social-worker','supervisor')),\n" \
"  out_from TEXT, out_to TEXT,\n" \
"  version INTEGER NOT NULL DEFAULT 1,\n" \
"  created " INSTANT ", updated " INSTANT ");\n"
#define M11_REST \
"INSERT INTO team_member(login, name, role, created, updated)\n" \
"  SELECT DISTINCT coordinator, coordinator, 'coordinator', 0, 0 FROM patient\n" \
"  WHERE coordinator IS NOT NULL AND coordinator <> '';\n" \
"ALTER TABLE task ADD COLUMN owner TEXT REFERENCES team_member(login);\n" \
"CREATE INDEX task_owner ON task(owner, due, id) WHERE status IN " SQL_OPEN_TASK ";\n" \
"ALTER TABLE task ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE patient ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE contact ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE care_team ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE condition ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE medication ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE appointment ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE entry ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE time_log ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE care_plan ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n" \
"ALTER TABLE goal ADD COLUMN version INTEGER NOT NULL DEFAULT 1;\n"

static const char m11[] = M11_TABLE("INTEGER PRIMARY KEY", "INTEGER NOT NULL") M11_REST;
static const char m11_pg[] =
	M11_TABLE("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "bigint NOT NULL") M11_REST;

/* A calendar streamed as it is read (issue 12): its VTIMEZONEs come
 * first, so the zones of the single events are found a zone at a time on
 * appointment_zone instead of by reading every appointment before the
 * first, and the overrides among them on appointment_override. */
static const char m12[] =
"CREATE INDEX appointment_zone ON appointment(tzid, start_utc) WHERE rrule IS NULL AND rdate IS NULL;\n"
"CREATE INDEX appointment_override ON appointment(start_utc) WHERE recurrence_id != '';\n";

/* Live screens on PostgreSQL (issue 13): every statement that changes a
 * table the screen shows tells the listeners its table's name at the
 * commit (pg_notify on channel 'caseload'; the server folds the same
 * name sent twice in one transaction into one, so an import of 100,000
 * rows is one notification per table).  Statement-level: one call per
 * statement, not per row.  SQLite has no step here: a screen on a file
 * watches PRAGMA data_version. */
#define M13_LIVE(T) "CREATE TRIGGER " T "_live AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE " \
	"ON " T " FOR EACH STATEMENT EXECUTE FUNCTION caseload_notify();\n"
static const char m13_pg[] =
"CREATE FUNCTION caseload_notify() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN PERFORM pg_notify('caseload', TG_TABLE_NAME); RETURN NULL; END $$;\n"
M13_LIVE("patient") M13_LIVE("contact") M13_LIVE("care_team") M13_LIVE("condition")
M13_LIVE("medication") M13_LIVE("appointment") M13_LIVE("task") M13_LIVE("entry")
M13_LIVE("time_log") M13_LIVE("care_plan") M13_LIVE("goal") M13_LIVE("review_mark")
M13_LIVE("team_member");

/* Undo (issue 14): every change a person makes is a change group
 * (undo_group: when, who, what in a few words naming records by id, the
 * patient concerned, the import run it was, when and by whom it was
 * undone), and each row it touched one undo_row: the table, the row, the
 * first operation on it in the group (an insert, or an update with the
 * row's columns as they were before, "name=len:value;" each, NULL as
 * "name~;"), and the row's version after the group's last change to it
 * (an undo that finds another version refuses, unless every later change
 * of the row was undone: then the version the last undo gave it, kept in
 * undone_version).  An appointment keeps the
 * reason it was cancelled (FHIR appointment-cancellation-reason). */
#define M14(ID, INT) \
"CREATE TABLE undo_group(\n" \
"  id " ID ",\n" \
"  at " INT " NOT NULL, who TEXT NOT NULL, what TEXT NOT NULL,\n" \
"  patient_id " INT ", run_id " INT ",\n" \
"  undone_at " INT ", undone_by TEXT);\n" \
"CREATE INDEX undo_group_who ON undo_group(who, id);\n" \
"CREATE INDEX undo_group_run ON undo_group(run_id) WHERE run_id IS NOT NULL;\n" \
"CREATE TABLE undo_row(\n" \
"  id " ID ",\n" \
"  group_id " INT " NOT NULL REFERENCES undo_group(id),\n" \
"  tbl TEXT NOT NULL, row_id " INT " NOT NULL,\n" \
"  op TEXT NOT NULL CHECK (op IN ('insert','update')),\n" \
"  version " INT " NOT NULL, image TEXT, undone_version " INT ");\n" \
"CREATE INDEX undo_row_group ON undo_row(group_id, id);\n" \
"CREATE INDEX undo_row_row ON undo_row(tbl, row_id, group_id);\n" \
"ALTER TABLE appointment ADD COLUMN cancel_reason TEXT;\n"
static const char m14[] = M14("INTEGER PRIMARY KEY", "INTEGER");
static const char m14_pg[] = M14("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "bigint");
/* The chart (issue 14): whether the patient needs an interpreter, beside
 * the preferred language.  0 or 1 on both engines. */
static const char m15[] = "ALTER TABLE patient ADD COLUMN interpreter INTEGER NOT NULL DEFAULT 0;\n";

/* Programs and consent (issue 16): a patient's enrollment in a
 * care-management program is an episode of care (FHIR EpisodeOfCare:
 * status planned, active, onhold, finished or cancelled; first and last
 * day as ISO dates), which needs the patient's consent to that program
 * (how it was given, the day, who captured it, the day it was withdrawn).
 * A transitional-care episode keeps the discharge it follows, the
 * face-to-face visit's day, the medication reconciliation's day and the
 * complexity of the medical decision making.  Minutes are logged to an
 * episode, by a role (clinical staff, the billing practitioner, a
 * navigator or community health worker).  The CCM consent day the
 * patient record held becomes a consent row (its method unrecorded). */
#define M16_PROGRAM "CHECK (program IN ('ccm','pcm','apcm','tcm','pin','chi'))"
#define M16(ID, INT) \
"CREATE TABLE consent(\n" \
"  id " ID ",\n" \
"  patient_id " INT " NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n" \
"  program TEXT NOT NULL " M16_PROGRAM ",\n" \
"  method TEXT NOT NULL CHECK (method IN ('verbal','written','unrecorded')),\n" \
"  given TEXT NOT NULL, captured_by TEXT NOT NULL, withdrawn TEXT, note TEXT,\n" \
"  version " INT " NOT NULL DEFAULT 1,\n" \
"  created " INT " NOT NULL, updated " INT " NOT NULL);\n" \
"CREATE INDEX consent_patient ON consent(patient_id, program, given);\n" \
"CREATE TABLE episode(\n" \
"  id " ID ",\n" \
"  patient_id " INT " NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n" \
"  program TEXT NOT NULL " M16_PROGRAM ",\n" \
"  status TEXT NOT NULL DEFAULT 'active'\n" \
"    CHECK (status IN ('planned','active','onhold','finished','cancelled')),\n" \
"  started TEXT NOT NULL, ended TEXT,\n" \
"  consent_id " INT " REFERENCES consent(id),\n" \
"  practitioner TEXT,\n" \
"  discharge_id " INT " REFERENCES entry(id),\n" \
"  face_to_face TEXT, med_rec TEXT,\n" \
"  complexity TEXT CHECK (complexity IS NULL OR complexity IN ('moderate','high')),\n" \
"  version " INT " NOT NULL DEFAULT 1,\n" \
"  created " INT " NOT NULL, updated " INT " NOT NULL);\n" \
"CREATE INDEX episode_patient ON episode(patient_id, program, started);\n" \
"CREATE INDEX episode_open ON episode(program, patient_id) WHERE status IN ('planned','active','onhold');\n" \
"CREATE INDEX episode_discharge ON episode(discharge_id) WHERE discharge_id IS NOT NULL;\n" \
"ALTER TABLE time_log ADD COLUMN episode_id " INT " REFERENCES episode(id);\n" \
"ALTER TABLE time_log ADD COLUMN role TEXT NOT NULL DEFAULT 'staff'\n" \
"  CHECK (role IN ('staff','practitioner','navigator'));\n" \
"CREATE INDEX time_log_episode ON time_log(episode_id, day) WHERE episode_id IS NOT NULL;\n" \
"INSERT INTO consent(patient_id, program, method, given, captured_by, created, updated)\n" \
"  SELECT id, 'ccm', 'unrecorded', ccm_consent, 'migration', 0, 0 FROM patient\n" \
"  WHERE ccm_consent IS NOT NULL AND ccm_consent <> '';\n"
static const char m16[] = M16("INTEGER PRIMARY KEY", "INTEGER");
static const char m16_pg[] = M16("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "bigint")
	M13_LIVE("consent") M13_LIVE("episode");
/* The patient's CCM consent day lives in consent rows since 16: nothing
 * reads or writes the column any more (issue 16). */
static const char m21[] = "ALTER TABLE patient DROP COLUMN ccm_consent;\n";

/* Issue 12.  The unassigned appointments (an import's, all of them) are
 * read in start order on appointment_patient (patient_id IS NULL,
 * start_utc): the partial index that held the same keys again cost every
 * imported event one more B-tree insert.  The task pane's "on hold" view
 * pages through its tasks in (due, id) order on their own index, where
 * it read and sorted every task. */
static const char m17[] =
"DROP INDEX appointment_unassigned;\n"
"CREATE INDEX task_on_hold ON task(due, id) WHERE status = 'on-hold';\n";
/* HL7 v2 ADT messages received (issue 15): one row per message control
 * id (MSH-10), so that the same message sent twice is applied once; its
 * type (A01, A03, A04, A08), the MRN and date of birth it names, and
 * what became of it: matched (applied to the patient with that MRN and
 * date of birth), unmatched (waiting for a coordinator to name the
 * patient: the message's text is kept for that, and only then), done
 * (applied to the patient named), dropped.  entry_id: the timeline
 * entry it made. */
#define M18(ID, INT) \
"CREATE TABLE adt_message(\n" \
"  id " ID ",\n" \
"  control_id TEXT NOT NULL UNIQUE,\n" \
"  received " INT " NOT NULL, type TEXT NOT NULL, mrn TEXT, dob TEXT,\n" \
"  state TEXT NOT NULL CHECK (state IN ('matched','unmatched','done','dropped')),\n" \
"  patient_id " INT " REFERENCES patient(id) ON DELETE CASCADE,\n" \
"  entry_id " INT ", raw TEXT,\n" \
"  version " INT " NOT NULL DEFAULT 1, updated " INT " NOT NULL);\n" \
"CREATE INDEX adt_message_waiting ON adt_message(received) WHERE state = 'unmatched';\n" \
"CREATE INDEX adt_message_patient ON adt_message(patient_id) WHERE patient_id IS NOT NULL;\n"
static const char m18[] = M18("INTEGER PRIMARY KEY", "INTEGER");
static const char m18_pg[] = M18("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "bigint");
/* Migration 17: the caseload's FHIR namespace, a random 128-bit value in
 * meta.  Every FHIR id the export gives a row is a name-based UUID made
 * from it, the row's table, id and creation instant (fhir_export.c): the
 * same on every export, kept by `db copy` (which copies meta and ids) on
 * either engine, and different between two caseloads.  No column and no
 * write at each insert: the rows already hold what names them. */
static int fhir_namespace(struct store *s, struct err *e)
{
	char *ns = random_uid();   /* 16 bytes of getrandom, as hex */
	int rc = store_meta_set(s, STORE_META_FHIR_NS, ns, e);
	free(ns);
	return rc;
}
/* The call list (issue 16): a patient who asked not to be called, and
 * when one is best called (morning, afternoon, evening; NULL: any time).
 * The same text on both engines. */
static const char m20[] =
"ALTER TABLE patient ADD COLUMN do_not_contact INTEGER NOT NULL DEFAULT 0\n"
"  CHECK (do_not_contact IN (0, 1));\n"
"ALTER TABLE patient ADD COLUMN best_time TEXT\n"
"  CHECK (best_time IS NULL OR best_time IN ('morning', 'afternoon', 'evening'));\n";

/* APCM (issue 16): whether the patient is a Qualified Medicare
 * Beneficiary (G0558 needs it), and the month's checklist of APCM's
 * service elements that caseload cannot see in its own data: one row
 * per patient, month ("YYYY-MM") and element (the rules file's id),
 * with who recorded it done. */
#define M_APCM(ID, INT) \
"ALTER TABLE patient ADD COLUMN qmb " INT " NOT NULL DEFAULT 0 CHECK (qmb IN (0, 1));\n" \
"CREATE TABLE apcm_check(\n" \
"  id " ID ",\n" \
"  patient_id " INT " NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n" \
"  month TEXT NOT NULL, element TEXT NOT NULL, done_by TEXT NOT NULL,\n" \
"  created " INT " NOT NULL, version " INT " NOT NULL DEFAULT 1,\n" \
"  UNIQUE (patient_id, month, element));\n"
static const char m_apcm[] = M_APCM("INTEGER PRIMARY KEY", "INTEGER");
static const char m_apcm_pg[] = M_APCM("bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                                       "bigint");
/* tcm_ended (issue 16): a TCM episode's end is known when it opens
 * (billing.c tcm_open: its period's last day) and nothing writes
 * "finished" later; the rows opened before get theirs here, the
 * TCM_PERIOD_DAYS of a period from the day they started (the 2026 rules
 * file's period too: the store reads no rules file).  In C, a page at a
 * time: no engine date functions. */
static int tcm_ended(struct store *s, struct err *e)
{
	static const char page[] =
		"SELECT id, started FROM episode WHERE program = 'tcm' AND ended IS NULL AND id > ?1 "
		"ORDER BY id LIMIT 500";
	static const char set[] = "UPDATE episode SET ended = ?1 WHERE id = ?2";
	long long last = 0;
	for (;;) {
		/* read before writing: no statement reads the table while the
		 * same connection changes it */
		long long id[500];
		int day[500], n = 0, rows = 0, rc, d;
		struct dbst *st = st_prep(s, page, e);
		if (!st)
			return e->code;
		bind_int(st, 1, last);
		while ((rc = st_step(s, st, e)) == ST_ROW) {
			rows++;
			id[n] = last = col_int(st, 0);
			const char *started = col_str(st, 1);
			if (started && date_parse_iso(started, &d) == 0)
				day[n++] = d + TCM_PERIOD_DAYS - 1;
		}
		st_reset(st);
		if (rc < 0)
			return rc;
		bool more = rows == 500;
		for (int i = 0; i < n; i++) {
			char end[DATE_STRLEN];
			if (!(st = st_prep(s, set, e)))
				return e->code;
			bind_text(st, 1, date_format(day[i], end));
			bind_int(st, 2, id[i]);
			if (st_exec(s, st, e) < 0)
				return e->code;
		}
		if (!more)
			return 0;
	}
}
/* Issue 12: a search's first page in the caseload's order without
 * sorting its matches.  search_first holds the first one to three
 * characters of each word of a patient's name with the patient's order
 * columns (store_internal.h, "patient search"): a typed word's start is
 * one index range in the need or the name order.  The rows come from the
 * name's search rows; search_index writes them from now on, and the
 * trigger keeps their order columns when the patient's change (need_due
 * follows the tasks by the triggers of migration 3). */
#define M22_TABLE(INT, WITHOUT) \
"CREATE TABLE search_first(\n" \
"  token TEXT NOT NULL,\n" \
"  patient_id " INT " NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n" \
"  need_due TEXT, family TEXT, given TEXT,\n" \
"  PRIMARY KEY (patient_id, token))" WITHOUT ";\n" \
"CREATE INDEX search_first_need ON search_first(token, need_due, family COLLATE NOCASE,\n" \
"  given COLLATE NOCASE, patient_id);\n" \
"CREATE INDEX search_first_name ON search_first(token, family COLLATE NOCASE,\n" \
"  given COLLATE NOCASE, patient_id);\n" \
"INSERT INTO search_first(token, patient_id, need_due, family, given)\n" \
"  SELECT DISTINCT substr(s.token, 1, k.n), s.patient_id, p.need_due, p.family, p.given\n" \
"  FROM patient_search s JOIN patient p ON p.id = s.patient_id\n" \
"  CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) AS k\n" \
"  WHERE s.kind = 'n';\n"
#define M22_SET "UPDATE search_first SET need_due = NEW.need_due, family = NEW.family, " \
	"given = NEW.given WHERE patient_id = NEW.id;"
static const char m_search_first[] =
M22_TABLE("INTEGER", " WITHOUT ROWID")
"CREATE TRIGGER search_first_order AFTER UPDATE OF need_due, family, given ON patient\n"
"  WHEN OLD.need_due IS NOT NEW.need_due OR OLD.family IS NOT NEW.family\n"
"    OR OLD.given IS NOT NEW.given\n"
"BEGIN " M22_SET " END;\n";
static const char m_search_first_pg[] =
M22_TABLE("bigint", "")
"CREATE FUNCTION search_first_order() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN " M22_SET " RETURN NULL; END $$;\n"
"CREATE TRIGGER search_first_order AFTER UPDATE OF need_due, family, given ON patient\n"
"  FOR EACH ROW WHEN (OLD.need_due IS DISTINCT FROM NEW.need_due\n"
"    OR OLD.family IS DISTINCT FROM NEW.family OR OLD.given IS DISTINCT FROM NEW.given)\n"
"  EXECUTE FUNCTION search_first_order();\n";
/* The daily review kept (issue 12): each patient's items as the rules
 * made them for one day (meta 'review_state' names the day and the
 * settings they were made with), so that `caseload review` reads them in
 * its order through an index instead of running every rule for the whole
 * caseload.  A write to anything a rule reads marks its patient's row
 * stale (triggers, so that every writer counts: use cases, imports, undo,
 * another process); the review makes the stale rows again first.
 * sev_rank: 3 - the most pressing item's severity, best_due its due day;
 * items: one line per item (review.c); w_*: the widest cells of the
 * patient's items in the aligned table, 0 without items. */
#define M_REVIEW_STATE(INT) \
"CREATE TABLE review_state(\n" \
"  patient_id " INT " PRIMARY KEY,\n" \
"  stale " INT " NOT NULL DEFAULT 1,\n" \
"  sev_rank " INT " NOT NULL DEFAULT 0, best_due " INT " NOT NULL DEFAULT 0,\n" \
"  n_items " INT " NOT NULL DEFAULT 0,\n" \
"  w_who " INT " NOT NULL DEFAULT 0, w_severity " INT " NOT NULL DEFAULT 0,\n" \
"  w_reason " INT " NOT NULL DEFAULT 0, w_ref " INT " NOT NULL DEFAULT 0,\n" \
"  name TEXT, items TEXT);\n" \
"CREATE INDEX review_state_stale ON review_state(patient_id) WHERE stale = 1;\n" \
"CREATE INDEX review_state_order ON review_state(sev_rank, best_due, patient_id, n_items)" \
" WHERE n_items > 0;\n" \
"CREATE INDEX review_state_w_who ON review_state(w_who);\n" \
"CREATE INDEX review_state_w_severity ON review_state(w_severity);\n" \
"CREATE INDEX review_state_w_reason ON review_state(w_reason);\n" \
"CREATE INDEX review_state_w_ref ON review_state(w_ref);\n" \
"INSERT INTO review_state(patient_id) SELECT id FROM patient;\n"
/* (a row of no patient, as an import's unassigned appointments, costs
 * no statement) */
#define REVIEW_WHEN_INSERT "NEW.patient_id IS NOT NULL"
#define REVIEW_WHEN_UPDATE "OLD.patient_id IS NOT NULL OR NEW.patient_id IS NOT NULL"
#define REVIEW_WHEN_DELETE "OLD.patient_id IS NOT NULL"
#define REVIEW_STALE_SQL(T) \
"CREATE TRIGGER " T "_review_insert AFTER INSERT ON " T " WHEN " REVIEW_WHEN_INSERT " BEGIN\n" \
"  UPDATE review_state SET stale = 1 WHERE patient_id = NEW.patient_id; END;\n" \
"CREATE TRIGGER " T "_review_update AFTER UPDATE ON " T " WHEN " REVIEW_WHEN_UPDATE " BEGIN\n" \
"  UPDATE review_state SET stale = 1 WHERE patient_id IN (OLD.patient_id, NEW.patient_id); END;\n" \
"CREATE TRIGGER " T "_review_delete AFTER DELETE ON " T " WHEN " REVIEW_WHEN_DELETE " BEGIN\n" \
"  UPDATE review_state SET stale = 1 WHERE patient_id = OLD.patient_id; END;\n"
#define REVIEW_STALE_TABLES(X) X("task") X("medication") X("appointment") X("entry") \
	X("episode") X("consent") X("condition") X("time_log")
static const char m_review_state[] =
M_REVIEW_STATE("INTEGER")
REVIEW_STALE_TABLES(REVIEW_STALE_SQL)
"CREATE TRIGGER patient_review_insert AFTER INSERT ON patient BEGIN\n"
"  INSERT INTO review_state(patient_id) VALUES (NEW.id)\n"
"    ON CONFLICT (patient_id) DO UPDATE SET stale = 1; END;\n"
"CREATE TRIGGER patient_review_update AFTER UPDATE ON patient BEGIN\n"
"  UPDATE review_state SET stale = 1 WHERE patient_id IN (OLD.id, NEW.id); END;\n"
"CREATE TRIGGER patient_review_delete AFTER DELETE ON patient BEGIN\n"
"  UPDATE review_state SET stale = 1 WHERE patient_id = OLD.id; END;\n";
/* (the same triggers' names as SQLite's, one function each) */
#define REVIEW_STALE_PG_ON(T, F, WI, WU, WD) \
"CREATE TRIGGER " T "_review_insert AFTER INSERT ON " T " FOR EACH ROW" WI \
"  EXECUTE FUNCTION " F ";\n" \
"CREATE TRIGGER " T "_review_update AFTER UPDATE ON " T " FOR EACH ROW" WU \
"  EXECUTE FUNCTION " F ";\n" \
"CREATE TRIGGER " T "_review_delete AFTER DELETE ON " T " FOR EACH ROW" WD \
"  EXECUTE FUNCTION " F ";\n"
#define REVIEW_STALE_PG(T) REVIEW_STALE_PG_ON(T, "review_stale()", \
	" WHEN (" REVIEW_WHEN_INSERT ")", " WHEN (" REVIEW_WHEN_UPDATE ")", \
	" WHEN (" REVIEW_WHEN_DELETE ")")
static const char m_review_state_pg[] =
M_REVIEW_STATE("bigint")
"CREATE FUNCTION review_stale() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP <> 'INSERT' THEN\n"
"    UPDATE review_state SET stale = 1 WHERE patient_id = OLD.patient_id;\n"
"  END IF;\n"
"  IF TG_OP <> 'DELETE' THEN\n"
"    UPDATE review_state SET stale = 1 WHERE patient_id = NEW.patient_id;\n"
"  END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
REVIEW_STALE_TABLES(REVIEW_STALE_PG)
"CREATE FUNCTION review_stale_patient() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP = 'INSERT' THEN\n"
"    INSERT INTO review_state(patient_id) VALUES (NEW.id)\n"
"      ON CONFLICT (patient_id) DO UPDATE SET stale = 1;\n"
"  ELSE\n"
"    UPDATE review_state SET stale = 1 WHERE patient_id = OLD.id;\n"
"    IF TG_OP = 'UPDATE' THEN\n"
"      UPDATE review_state SET stale = 1 WHERE patient_id = NEW.id;\n"
"    END IF;\n"
"  END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
REVIEW_STALE_PG_ON("patient", "review_stale_patient()", "", "", "");

/* A patient's goals by the patient (their audit trail reads each of the
 * patient's tables by patient_id). */
static const char m_goal_patient[] = "CREATE INDEX goal_patient ON goal(patient_id);\n";

/* A search of two words of a name (issue 12), "Chen, W": the pair rows
 * of search_first (store_internal.h) for every patient's name words that
 * start with different characters, the first's start and the second's
 * first character ("che w"), so that it reads the patients with both
 * rather than every Chen.  search_index writes them from now on; the
 * trigger of m_search_first keeps their order columns.  (A row there
 * already, written by this program before the migration ran: kept.) */
static const char m_search_pair[] =
"INSERT INTO search_first(token, patient_id, need_due, family, given)\n"
"  SELECT DISTINCT substr(a.token, 1, 3) || ' ' || substr(b.token, 1, 1), a.patient_id,\n"
"    p.need_due, p.family, p.given\n"
"  FROM patient_search a JOIN patient_search b ON b.patient_id = a.patient_id\n"
"  JOIN patient p ON p.id = a.patient_id\n"
"  WHERE a.kind = 'n' AND b.kind = 'n' AND substr(b.token, 1, 1) <> substr(a.token, 1, 1)\n"
"  ON CONFLICT DO NOTHING;\n";

/* The caseload's counts for the rows shown (issue 12): a patient's open
 * tasks' due days from the index alone (its rows lie all over the table
 * of a large caseload: one page read each), and whether it has a series
 * from the few series rows rather than from each of its appointments. */
static const char m_caseload_stats[] =
"CREATE INDEX task_patient_open ON task(patient_id, due, snoozed_until, status)\n"
"  WHERE status IN " SQL_OPEN_TASK ";\n"
"CREATE INDEX appointment_patient_series ON appointment(patient_id, last_end_utc)\n"
"  WHERE rrule IS NOT NULL OR rdate IS NOT NULL;\n";

/* A caseload page from the indexes alone (issue 12): on a large caseload
 * the rows of a page, and each row's next appointment, this month's
 * minutes and their episodes, lie each on its own page of the tables, so
 * a page of rows not shown before read some 250 pages of the file, where
 * a small caseload has them all in memory.  The order's walk (need, name,
 * next appointment: start, id) carries the columns a row shows and its
 * filters test; a patient's next visit, its episodes' status and their
 * minutes come from their index.  (SQLite 3.40 reads a column the
 * statement tests from the table even where the partial index's WHERE
 * decides it: rrule and rdate are in the indexes, and with them a
 * patient's series come from theirs, not from every appointment of the
 * patient, once ANALYZE has counted them.) */
static const char m_caseload_pages[] =
"DROP INDEX patient_need;\n"
"CREATE INDEX patient_need ON patient(need_due, family COLLATE NOCASE, given COLLATE NOCASE, id,\n"
"  status, risk, mrn, dob);\n"
"DROP INDEX patient_name;\n"
"CREATE INDEX patient_name ON patient(family COLLATE NOCASE, given COLLATE NOCASE, id,\n"
"  status, risk, mrn, dob, need_due);\n"
"CREATE INDEX appointment_patient_next ON appointment(patient_id, start_utc, status, title,\n"
"  rrule, rdate) WHERE patient_id IS NOT NULL AND rrule IS NULL AND rdate IS NULL;\n"
"CREATE INDEX appointment_next ON appointment(start_utc, id, patient_id, status, rrule, rdate)\n"
"  WHERE patient_id IS NOT NULL AND rrule IS NULL AND rdate IS NULL;\n"
"DROP INDEX appointment_patient_series;\n"
"CREATE INDEX appointment_patient_series ON appointment(patient_id, last_end_utc, rrule, rdate)\n"
"  WHERE rrule IS NOT NULL OR rdate IS NOT NULL;\n"
"DROP INDEX episode_patient;\n"
"CREATE INDEX episode_patient ON episode(patient_id, program, started, status);\n"
"DROP INDEX time_log_episode;\n"
"CREATE INDEX time_log_episode ON time_log(episode_id, day, minutes) WHERE episode_id IS NOT NULL;\n";

/* The kept review's rows stand over several days (issue 12): each says
 * the day it was made on and the first day its items may differ on
 * (review.c); a review of a day outside [made_day, until_day) makes it
 * again.  The rows there before: until_day 0, made again at once. */
#define M_REVIEW_DAYS(INT) \
"ALTER TABLE review_state ADD COLUMN made_day " INT " NOT NULL DEFAULT 0;\n" \
"ALTER TABLE review_state ADD COLUMN until_day " INT " NOT NULL DEFAULT 0;\n" \
"CREATE INDEX review_state_until ON review_state(until_day);\n" \
"CREATE INDEX review_state_made ON review_state(made_day);\n"
static const char m_review_days[] = M_REVIEW_DAYS("INTEGER");
static const char m_review_days_pg[] = M_REVIEW_DAYS("bigint");

/* 31: a flag (entry.needs_review, boolean on PostgreSQL) as 1 or 0 where
 * PostgreSQL's text of it, 't' or 'f', was written before drv_pg.c read
 * it as 1 or 0: in the undo images of entries (both engines; an undo put
 * 't' back), and on SQLite in entry itself (a `db copy` from PostgreSQL
 * wrote it there), where a bare test of 't' is false, so those results,
 * admissions and discharges had left the review's "unreviewed" items (the
 * entry's update marks its patient's kept review stale). */
#define M_FLAG_IMAGES \
"UPDATE undo_row SET image = replace(image, 'needs_review=1:t;', 'needs_review=1:1;')\n" \
"  WHERE tbl = 'entry' AND image LIKE '%needs_review=1:t;%';\n" \
"UPDATE undo_row SET image = replace(image, 'needs_review=1:f;', 'needs_review=1:0;')\n" \
"  WHERE tbl = 'entry' AND image LIKE '%needs_review=1:f;%';\n"
static const char m_flags[] =
"UPDATE entry SET needs_review = 1 WHERE needs_review = 't';\n"
"UPDATE entry SET needs_review = 0 WHERE needs_review = 'f';\n" M_FLAG_IMAGES;
static const char m_flags_pg[] = M_FLAG_IMAGES;
#undef M_FLAG_IMAGES

/* 32: the CHECKs of the rows an import writes one at a time (issue 12),
 * appointment.transport and import_stage.kind, as chains of "=" and OR
 * rather than IN lists: SQLite 3.40 tests an IN list of more than two
 * constants by building a temporary B-tree of them at every run of the
 * statement, some 4% of an import's CPU; a chain is tested in place.  It
 * is the same constraint, which every stored row meets, so on SQLite the
 * tables' text is changed where it is kept, as SQLite documents for a
 * change that leaves the stored content as it is (lang_altertable.html,
 * "making other kinds of table schema changes": the schema's version is
 * raised so that every connection reads the new text), instead of
 * copying a table of a million appointments and rebuilding its ten
 * indexes.  PostgreSQL tests an IN list at no such cost: no step there
 * (what its schema allows is the same). */
#define M_TRANSPORT_IN "transport IN (''none'',''needed'',''arranged'',''confirmed'')"
#define M_TRANSPORT_OR "transport = ''none'' OR transport = ''needed'' OR " \
	"transport = ''arranged'' OR transport = ''confirmed''"
#define M_KIND_IN "kind IN (''event'',''cancel'',''skip'',''note'',''end'')"
#define M_KIND_OR "kind = ''event'' OR kind = ''cancel'' OR kind = ''skip'' OR " \
	"kind = ''note'' OR kind = ''end''"
static const char m_check_chains[] =
"PRAGMA writable_schema = ON;\n"
"UPDATE sqlite_schema SET sql = replace(sql, '" M_TRANSPORT_IN "', '" M_TRANSPORT_OR "')\n"
"  WHERE type = 'table' AND name = 'appointment';\n"
"UPDATE sqlite_schema SET sql = replace(sql, '" M_KIND_IN "', '" M_KIND_OR "')\n"
"  WHERE type = 'table' AND name = 'import_stage';\n";
/* The end of such a change on SQLite: the schema's version raised by one
 * and sqlite_schema read-only again. */
static int schema_edited(struct store *s, struct err *e)
{
	if (s->drv == &drv_pg)
		return 0;
	struct dbst *st = st_prep(s, "PRAGMA schema_version", e);
	if (!st)
		return e->code;
	int rc = st_step(s, st, e);
	long long version = rc == ST_ROW ? col_int(st, 0) : 0;
	st_reset(st);
	if (rc == ST_DONE)
		rc = err_set(e, ERR_FAIL, "the schema's version could not be read");
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA schema_version = %lld; PRAGMA writable_schema = OFF",
	         version + 1);
	if (rc >= 0 && (rc = s->drv->exec(s, sql, e)) == 0)
		return 0;
	struct err ignore = {0};   /* (the migration is rolled back) */
	s->drv->exec(s, "PRAGMA writable_schema = OFF", &ignore);
	return rc;
}
#undef M_TRANSPORT_IN
#undef M_TRANSPORT_OR
#undef M_KIND_IN
#undef M_KIND_OR

/* 33: a patient's series (the caseload's "has a series", a patient's
 * series in a range) on appointment_patient_series of the patients'
 * series only (issue 12).  Every statement that reads it names its
 * patients (=, IN, BETWEEN: none is NULL), so an unassigned series,
 * which an import of a calendar no patient is matched in adds by the
 * hundred thousand, had a row there no one read: with its rule's text,
 * the widest of the import's index rows, one random page written for
 * each (a 1,000,000-event import spent a tenth of its time on it).  The
 * same text on both engines. */
static const char m_patient_series[] =
"DROP INDEX appointment_patient_series;\n"
"CREATE INDEX appointment_patient_series ON appointment(patient_id, last_end_utc, rrule, rdate)\n"
"  WHERE patient_id IS NOT NULL AND (rrule IS NOT NULL OR rdate IS NOT NULL);\n";
/* The kept review's periods (issue 12): a patient's items made once for
 * each stretch of days [from_day, to_day) over which they stay the same,
 * from one reading of what the rules read (review.c), so that the next
 * day's review reads the rows in force on it instead of making half the
 * caseload's again (their items change daily: a task turns overdue, an
 * appointment comes into its days).  review_state keeps, for each
 * patient, whether it is stale and the days [made_day, until_day) its
 * periods cover; its item columns go, with their indexes.  The order's walk reads the periods of each sev_rank and skips
 * those not in force on the day (review_period_order carries the days);
 * the counts and widest cells of the day come from review_period_day
 * alone, the periods begun by the day (a row's made on the day: its
 * first only; by patient after the day, so that rows made in patient
 * order write its pages in order).
 * Every row stale: its periods are made on the next review. */
#define M_REVIEW_PERIOD(INT) \
"CREATE TABLE review_period(\n" \
"  patient_id " INT " NOT NULL, from_day " INT " NOT NULL, to_day " INT " NOT NULL,\n" \
"  sev_rank " INT " NOT NULL DEFAULT 0, best_due " INT " NOT NULL DEFAULT 0,\n" \
"  n_items " INT " NOT NULL DEFAULT 0,\n" \
"  w_who " INT " NOT NULL DEFAULT 0, w_severity " INT " NOT NULL DEFAULT 0,\n" \
"  w_reason " INT " NOT NULL DEFAULT 0, w_ref " INT " NOT NULL DEFAULT 0,\n" \
"  name TEXT, items TEXT, PRIMARY KEY (patient_id, from_day));\n" \
"CREATE INDEX review_period_order ON review_period(sev_rank, best_due, patient_id, from_day,\n" \
"  to_day) WHERE n_items > 0;\n" \
"CREATE INDEX review_period_day ON review_period(from_day, patient_id, to_day, n_items, w_who,\n" \
"  w_severity, w_reason, w_ref) WHERE n_items > 0;\n" \
"DROP INDEX review_state_order;\n" \
"DROP INDEX review_state_w_who;\n" \
"DROP INDEX review_state_w_severity;\n" \
"DROP INDEX review_state_w_reason;\n" \
"DROP INDEX review_state_w_ref;\n" \
"ALTER TABLE review_state DROP COLUMN sev_rank;\n" \
"ALTER TABLE review_state DROP COLUMN best_due;\n" \
"ALTER TABLE review_state DROP COLUMN n_items;\n" \
"ALTER TABLE review_state DROP COLUMN w_who;\n" \
"ALTER TABLE review_state DROP COLUMN w_severity;\n" \
"ALTER TABLE review_state DROP COLUMN w_reason;\n" \
"ALTER TABLE review_state DROP COLUMN w_ref;\n" \
"ALTER TABLE review_state DROP COLUMN name;\n" \
"ALTER TABLE review_state DROP COLUMN items;\n" \
"UPDATE review_state SET stale = 1;\n"
static const char m_review_period[] = M_REVIEW_PERIOD("INTEGER");
static const char m_review_period_pg[] = M_REVIEW_PERIOD("bigint");

/* 35: fewer random index pages for an import's unassigned events (issue
 * 12).  An event's start is random against the file's order, so each
 * index keyed by it takes a random page per row: at 1,000,000 events
 * the four such indexes held 13,000 pages, more than the import's cache,
 * and every batch wrote nearly all of them again.
 * - appointment_zone keys a single event by its zone alone, which an
 *   insert appends to (one place per zone).  It lists the zones in use;
 *   an export finds each one's first use by walking its days' single
 *   events (ical_file.c's everyone_zones).  Both engines.
 * - SQLite: appointment_start goes.  The patients' single events are in
 *   start order on appointment_next (the same rows), the unassigned on
 *   appointment_patient (its patient_id IS NULL part); a statement over
 *   everyone reads both and merges them (store_appt.c's everyone_sqlite).
 *   PostgreSQL keeps it: its planner sorts such a merge whole, and its
 *   import has no page cache of ours to outgrow. */
#define M_ZONE_KEY \
"DROP INDEX appointment_zone;\n" \
"CREATE INDEX appointment_zone ON appointment(tzid) WHERE rrule IS NULL AND rdate IS NULL;\n"
static const char m_unassigned_keys[] = "DROP INDEX appointment_start;\n" M_ZONE_KEY;
static const char m_unassigned_keys_pg[] = M_ZONE_KEY;
#undef M_ZONE_KEY

/* 36: `task list --all` in its order without a sort of every task, on
 * both engines: task_open_due holds the open ones only, so the closed
 * were sorted with them, whole, before the first line (issue 12). */
static const char m_task_due[] = "CREATE INDEX task_due ON task(due, id);\n";

/* 37: a typed word longer than its start ("thomp" on the rows of "tho"),
 * and a pair's second word ("we" on the rows of "che w"), tested on the
 * search row itself (issue 12): each was a look-up of the patient's own
 * search rows, a page of the file each at 100,000 patients, for every
 * row the search came to (at "thomp", every Thomas first).  words holds
 * the patient's name words that start with the row's start, or on a pair
 * row with either part (which start with different characters), each
 * after a space, sorted bytewise as search_index writes them
 * (store_internal.h).  The order's indexes end with it: read there.
 * PostgreSQL gets SQLite's instr(text, text) as a shim, strpos under
 * another name (its planner sees through it: a LIKE '% thomp%' it
 * guessed a hundredth of the rows, and sorted them all for a page). */
#define M37(SHIM, WORDS) \
SHIM \
"ALTER TABLE search_first ADD COLUMN words TEXT;\n" \
"UPDATE search_first SET words = " WORDS ";\n" \
"DROP INDEX search_first_need;\n" \
"DROP INDEX search_first_name;\n" \
"CREATE INDEX search_first_need ON search_first(token, need_due, family COLLATE NOCASE,\n" \
"  given COLLATE NOCASE, patient_id, words);\n" \
"CREATE INDEX search_first_name ON search_first(token, family COLLATE NOCASE,\n" \
"  given COLLATE NOCASE, patient_id, words);\n"
/* The row's token before its space and after it (all of it, both, on a
 * row without one). */
#define M37_PART1 "substr(search_first.token, 1, instr(search_first.token || ' ', ' ') - 1)"
#define M37_PART2 "substr(search_first.token, instr(search_first.token, ' ') + 1)"
#define M37_STARTS \
"s.patient_id = search_first.patient_id AND s.kind = 'n'\n" \
"    AND (substr(s.token, 1, length(" M37_PART1 ")) = " M37_PART1 "\n" \
"      OR substr(s.token, 1, length(" M37_PART2 ")) = " M37_PART2 ")"
static const char m_search_words[] = M37("",
	"(SELECT group_concat(w, '') FROM (SELECT ' ' || s.token AS w FROM patient_search s\n"
	"    WHERE " M37_STARTS " ORDER BY s.token) AS t)");
static const char m_search_words_pg[] = M37(
	"CREATE FUNCTION instr(a text, b text) RETURNS integer LANGUAGE sql IMMUTABLE\n"
	"  AS 'SELECT strpos(a, b)';\n",
	"(SELECT string_agg(' ' || s.token, '' ORDER BY s.token COLLATE \"C\") FROM patient_search s\n"
	"    WHERE " M37_STARTS ")");
#undef M37
#undef M37_PART1
#undef M37_PART2
#undef M37_STARTS

/* .pg: the migration's text for PostgreSQL where it differs from .sql
 * (see store_pg_baseline for 1 to 8); .sql "": no step on SQLite. */
const struct migration store_migrations[] = {
	{.sql = m1}, {.sql = m2}, {.sql = m3}, {.sql = m4}, {.sql = m5, .after = search_fill},
	{.sql = m6}, {.sql = m7, .after = audit_seal}, {.sql = m8}, {.sql = m9},
	{.sql = m10, .pg = m10_pg}, {.sql = m11, .pg = m11_pg},
	{.sql = m12}, {.sql = "", .pg = m13_pg}, {.sql = m14, .pg = m14_pg}, {.sql = m15},
	{.sql = m16, .pg = m16_pg}, {.sql = m17}, {.sql = m18, .pg = m18_pg},
	{.sql = "", .after = fhir_namespace},
	{.sql = m20},
	{.sql = m21},
	{.sql = m_apcm, .pg = m_apcm_pg},
	{.sql = m_search_first, .pg = m_search_first_pg},
	{.sql = m_review_state, .pg = m_review_state_pg},
	{.sql = "", .after = tcm_ended},   /* 25: TCM episodes' last day */
	{.sql = m_goal_patient},           /* 26 */
	{.sql = m_search_pair},            /* 27 */
	{.sql = m_caseload_stats},         /* 28 */
	{.sql = m_caseload_pages},         /* 29 */
	{.sql = m_review_days, .pg = m_review_days_pg},   /* 30 */
	{.sql = m_flags, .pg = m_flags_pg},               /* 31 */
	{.sql = m_check_chains, .after = schema_edited, .pg = ""},   /* 32 */
	{.sql = m_patient_series},                        /* 33 */
	{.sql = m_review_period, .pg = m_review_period_pg},   /* 34 */
	{.sql = m_unassigned_keys, .pg = m_unassigned_keys_pg},   /* 35 */
	{.sql = m_task_due},                                       /* 36 */
	{.sql = m_search_words, .pg = m_search_words_pg},          /* 37 */
	/* a new migration goes here, at the end, with its line appended to
	 * tests/data/migrations.sha256 (test_store) */
};
const int store_n_migrations = sizeof store_migrations / sizeof store_migrations[0];

/* ---- PostgreSQL ----
 * The schema of migrations 1 to STORE_PG_BASELINE in PostgreSQL's words,
 * table for table and index for index what SQLite has (the schema-parity
 * test compares them): ids are identity columns (RETURNING id gives them
 * as INTEGER PRIMARY KEY does on SQLite); instants bigint, dates ISO text;
 * a flag the queries test bare (entry.needs_review) boolean, which takes
 * the 0 and 1 caseload sends.  Three shims keep one SQL text for both: a
 * case-insensitive collation named nocase (SQLite's COLLATE NOCASE; ICU
 * orders letters as a person would, where SQLite orders by code point)
 * max(a, b) of two texts (SQLite's scalar max, greatest() here) and a
 * unary + on text (SQLite's way to keep a column's index out of a plan);
 * migration 37 adds a fourth, instr(text, text).
 * Triggers are PL/pgSQL; the audit refuses UPDATE, DELETE and TRUNCATE
 * whoever asks (the owner may drop the trigger: the check at every open
 * sees that). */
#define PG_NO_UPDATE "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit " \
	"FOR EACH ROW EXECUTE FUNCTION audit_refuse()"
#define PG_NO_DELETE "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit " \
	"FOR EACH ROW EXECUTE FUNCTION audit_refuse()"
#define PG_NO_TRUNCATE "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit " \
	"FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()"
/* (a disabled trigger is missing too: put back over it) */
#define PG_AGAIN(name) "DROP TRIGGER IF EXISTS " name " ON audit; "
const struct pg_guard store_pg_guards[] = {
	{"audit_no_update", PG_AGAIN("audit_no_update") PG_NO_UPDATE},
	{"audit_no_delete", PG_AGAIN("audit_no_delete") PG_NO_DELETE},
	{"audit_no_truncate", PG_AGAIN("audit_no_truncate") PG_NO_TRUNCATE},
	{NULL, NULL},
};
const char store_pg_baseline[] =
"CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);\n"
"CREATE FUNCTION max(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE\n"
"  AS 'SELECT greatest(a, b)';\n"
"CREATE FUNCTION unary_plus(a text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT a';\n"
"CREATE OPERATOR + (RIGHTARG = text, FUNCTION = unary_plus);\n"
"CREATE TABLE meta(key text PRIMARY KEY, value text);\n"
"CREATE TABLE patient(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  family text NOT NULL, given text NOT NULL DEFAULT '',\n"
"  dob text, mrn text UNIQUE, phone text, email text, address text, language text,\n"
"  risk text NOT NULL DEFAULT 'medium' CHECK (risk IN ('low','medium','high')),\n"
"  cadence_days bigint CHECK (cadence_days IS NULL OR cadence_days > 0),\n"
"  ccm_consent text, coordinator text,\n"
"  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),\n"
"  created bigint NOT NULL, updated bigint NOT NULL,\n"
"  need_due text NOT NULL DEFAULT '9999-12-31', name_key text);\n"
"CREATE INDEX patient_name ON patient(family COLLATE nocase, given COLLATE nocase, id);\n"
"CREATE INDEX patient_email ON patient(email COLLATE nocase) WHERE email IS NOT NULL;\n"
"CREATE INDEX patient_need ON patient(need_due, family COLLATE nocase, given COLLATE nocase, id);\n"
"CREATE INDEX patient_given ON patient(given COLLATE nocase);\n"
"CREATE INDEX patient_name_key ON patient(name_key, dob);\n"
"CREATE INDEX patient_coordinator ON patient(coordinator, need_due, family COLLATE nocase,\n"
"  given COLLATE nocase, id) WHERE coordinator IS NOT NULL;\n"
"CREATE TABLE contact(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  name text NOT NULL, kind text NOT NULL DEFAULT 'other',\n"
"  organization text, phone text, email text, address text, notes text,\n"
"  created bigint NOT NULL, updated bigint NOT NULL, public_label text);\n"
"CREATE INDEX contact_name ON contact(name COLLATE nocase);\n"
"CREATE TABLE care_team(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  contact_id bigint NOT NULL REFERENCES contact(id) ON DELETE CASCADE,\n"
"  role text NOT NULL, created bigint NOT NULL,\n"
"  UNIQUE (patient_id, contact_id, role));\n"
"CREATE INDEX care_team_contact ON care_team(contact_id);\n"
"CREATE TABLE condition(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  name text NOT NULL, code text, onset text,\n"
"  status text NOT NULL DEFAULT 'active', created bigint NOT NULL);\n"
"CREATE INDEX condition_patient ON condition(patient_id);\n"
"CREATE TABLE medication(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  name text NOT NULL, dose text,\n"
"  prescriber_id bigint REFERENCES contact(id) ON DELETE SET NULL,\n"
"  pharmacy_id bigint REFERENCES contact(id) ON DELETE SET NULL,\n"
"  refill_due text, status text NOT NULL DEFAULT 'active',\n"
"  created bigint NOT NULL, updated bigint NOT NULL);\n"
"CREATE INDEX medication_patient ON medication(patient_id);\n"
"CREATE INDEX medication_refill ON medication(refill_due) WHERE status = 'active';\n"
"CREATE TABLE appointment(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint REFERENCES patient(id) ON DELETE CASCADE,\n"
"  uid text NOT NULL, recurrence_id text NOT NULL DEFAULT '',\n"
"  title text NOT NULL DEFAULT '', location text, notes text,\n"
"  provider_id bigint REFERENCES contact(id) ON DELETE SET NULL,\n"
"  start_utc bigint NOT NULL, end_utc bigint NOT NULL CHECK (end_utc >= start_utc),\n"
"  tzid text, all_day bigint NOT NULL DEFAULT 0,\n"
"  rrule text, rdate text, exdate text,\n"
"  last_end_utc bigint,\n"
"  status text NOT NULL DEFAULT 'booked',\n"
"  transport text NOT NULL DEFAULT 'none'\n"
"    CHECK (transport IN ('none','needed','arranged','confirmed')),\n"
"  sequence bigint NOT NULL DEFAULT 0, dtstamp bigint, last_modified bigint,\n"
"  source text, booked_at bigint,\n"
"  created bigint NOT NULL, updated bigint NOT NULL,\n"
"  UNIQUE (uid, recurrence_id));\n"
"CREATE INDEX appointment_start ON appointment(start_utc) WHERE rrule IS NULL AND rdate IS NULL;\n"
"CREATE INDEX appointment_series ON appointment(start_utc) WHERE rrule IS NOT NULL OR rdate IS NOT NULL;\n"
"CREATE INDEX appointment_patient ON appointment(patient_id, start_utc);\n"
"CREATE INDEX appointment_unassigned ON appointment(start_utc) WHERE patient_id IS NULL;\n"
"CREATE TABLE task(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  title text NOT NULL,\n"
"  kind text NOT NULL DEFAULT 'other', priority text NOT NULL DEFAULT 'routine',\n"
"  status text NOT NULL DEFAULT 'requested',\n"
"  due text, snoozed_until text, plan_id bigint, recurrence text, note text,\n"
"  completed_at bigint, created bigint NOT NULL, updated bigint NOT NULL);\n"
"CREATE INDEX task_open_due ON task(due, id) WHERE status IN " SQL_OPEN_TASK ";\n"
"CREATE INDEX task_patient ON task(patient_id, due);\n"
"CREATE INDEX task_plan ON task(plan_id) WHERE plan_id IS NOT NULL;\n"
"CREATE INDEX task_completed ON task(completed_at) WHERE completed_at IS NOT NULL;\n"
"CREATE TABLE entry(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  at bigint NOT NULL, kind text NOT NULL, outcome text, minutes bigint,\n"
"  facility text, text text, ref_table text, ref_id bigint,\n"
"  needs_review boolean NOT NULL DEFAULT false, reviewed_at bigint,\n"
"  author text, created bigint NOT NULL);\n"
"CREATE INDEX entry_patient_at ON entry(patient_id, at);\n"
"CREATE INDEX entry_kind_at ON entry(kind, at);\n"
"CREATE INDEX entry_unreviewed ON entry(patient_id) WHERE needs_review AND reviewed_at IS NULL;\n"
"CREATE INDEX entry_reached ON entry(patient_id, at)\n"
"  WHERE outcome = 'reached' AND kind IN " SQL_CONTACT_KINDS ";\n"
"CREATE TABLE time_log(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  day text NOT NULL, minutes bigint NOT NULL CHECK (minutes > 0),\n"
"  activity text, author text, created bigint NOT NULL);\n"
"CREATE INDEX time_log_patient_day ON time_log(patient_id, day);\n"
"CREATE TABLE audit(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at bigint NOT NULL, who text NOT NULL,\n"
"  action text NOT NULL, tbl text NOT NULL, row_id bigint, detail text, hash text);\n"
"CREATE INDEX audit_row ON audit(tbl, row_id);\n"
"CREATE INDEX audit_tbl ON audit(tbl, id);\n"
"CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$;\n"
PG_NO_UPDATE ";\n" PG_NO_DELETE ";\n" PG_NO_TRUNCATE ";\n"
"CREATE TABLE care_plan(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  template text, title text NOT NULL, status text NOT NULL DEFAULT 'active',\n"
"  start text NOT NULL, review_every text, detail text,\n"
"  created bigint NOT NULL, updated bigint NOT NULL);\n"
"CREATE INDEX care_plan_patient ON care_plan(patient_id, status);\n"
"CREATE TABLE goal(\n"
"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
"  plan_id bigint NOT NULL REFERENCES care_plan(id) ON DELETE CASCADE,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  description text NOT NULL, target text, due text,\n"
"  status text NOT NULL DEFAULT 'active', created bigint NOT NULL);\n"
"CREATE INDEX goal_plan ON goal(plan_id);\n"
"CREATE TABLE review_mark(\n"
"  day text NOT NULL,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  state text NOT NULL DEFAULT 'reviewed', at bigint NOT NULL, who text,\n"
"  PRIMARY KEY (day, patient_id));\n"
"CREATE TABLE patient_search(\n"
"  kind text NOT NULL CHECK (kind IN ('n','m','p')),\n"
"  token text NOT NULL,\n"
"  patient_id bigint NOT NULL REFERENCES patient(id) ON DELETE CASCADE,\n"
"  PRIMARY KEY (kind, token, patient_id));\n"
"CREATE INDEX patient_search_patient ON patient_search(patient_id);\n"
"CREATE VIEW patient_need_calc AS SELECT p.id AS patient_id, coalesce((\n"
"  SELECT min(max(t.due, coalesce(t.snoozed_until, t.due))) FROM task t\n"
"  WHERE t.patient_id = p.id AND t.due IS NOT NULL\n"
"    AND t.status IN " SQL_OPEN_TASK "), '9999-12-31') AS need_due\n"
"  FROM patient p;\n"
"CREATE FUNCTION task_need() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP <> 'DELETE' THEN\n"
"    UPDATE patient SET need_due = (SELECT c.need_due FROM patient_need_calc c\n"
"      WHERE c.patient_id = NEW.patient_id) WHERE id = NEW.patient_id;\n"
"  END IF;\n"
"  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.patient_id <> NEW.patient_id) THEN\n"
"    UPDATE patient SET need_due = (SELECT c.need_due FROM patient_need_calc c\n"
"      WHERE c.patient_id = OLD.patient_id) WHERE id = OLD.patient_id;\n"
"  END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER task_need_insert AFTER INSERT ON task\n"
"  FOR EACH ROW EXECUTE FUNCTION task_need();\n"
"CREATE TRIGGER task_need_update AFTER UPDATE OF patient_id, due, snoozed_until, status ON task\n"
"  FOR EACH ROW EXECUTE FUNCTION task_need();\n"
"CREATE TRIGGER task_need_delete AFTER DELETE ON task\n"
"  FOR EACH ROW EXECUTE FUNCTION task_need();\n";
