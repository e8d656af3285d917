#!/usr/bin/env bash
# The tamper-evident audit (issue 11): the hash chain, `audit verify`,
# `check` against the schema this caseload makes, the refusal to write
# until check has run, reads recorded, and who.
. "$(dirname "$0")/../lib.sh"

newest=$("$CASELOAD" --version | sed 's/.*schema \([0-9]*\).*/\1/')
fresh() {   # fresh NAME: a small demo database at $T/NAME.db
	CASELOAD_DB="$T/$1.db" "$CASELOAD" demo --patients 4 >/dev/null
}
q() { sqlite3 "$CASELOAD_DB" "$1"; }

# ---- an intact chain ----
fresh a
export CASELOAD_DB="$T/a.db"
run audit verify
rc_is 0 "a new database's chain verifies"
like "$out" "^audit chain ok: [0-9]+ rows$" "and says how long it is"
is "$(q "SELECT count(*) FROM audit WHERE hash IS NULL")" 0 "every row has a hash"
is "$(q "SELECT count(*) FROM audit WHERE action = 'seal'")" 1 "the sealing is one row"
run check
rc_is 0 "check: all is well"
like "$out" "integrity ok, audit chain of [0-9]+ rows verified" "check names the chain"
unlike "$out" "problem" "and no problem"

# ---- who ----
login=$(id -un)
run patient show 1
is "$(q "SELECT who FROM audit ORDER BY id DESC LIMIT 1")" "$login" "no coordinator configured: the login name"
USER=mallory run patient show 1
is "$(q "SELECT who FROM audit ORDER BY id DESC LIMIT 1")" "$login" "\$USER does not change who"
mkdir -p "$XDG_CONFIG_HOME/caseload"
echo 'coordinator: Dana Reyes' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run patient show 1
is "$(q "SELECT who FROM audit ORDER BY id DESC LIMIT 1")" "Dana Reyes" "the config's coordinator"
run --user "Sam Ito" patient show 2
is "$(q "SELECT who FROM audit ORDER BY id DESC LIMIT 1")" "Sam Ito (override by Dana Reyes)" \
	"--user is recorded as an override by the configured identity"
run --user "Dana Reyes" patient show 2
is "$(q "SELECT who FROM audit ORDER BY id DESC LIMIT 1")" "Dana Reyes" "--user naming oneself is no override"
rm "$XDG_CONFIG_HOME/caseload/config.yaml"
run --user sam patient show 2
is "$(q "SELECT who FROM audit ORDER BY id DESC LIMIT 1")" "sam (override by $login)" \
	"without a coordinator the override names the login"

# ---- reads are recorded; never the content ----
last() { q "SELECT action || '|' || tbl || '|' || coalesce(row_id, '') || '|' || coalesce(detail, '') FROM audit ORDER BY id DESC LIMIT 1"; }
run patient show 3
is "$(last)" "read|patient|3|patient show" "patient show: a read of patient 3"
run patient list
is "$(last)" "list|patient||patient list: 4 rows" "patient list: how many"
run task list --patient 2
like "$(last)" "^list\|patient\|2\|task list: [0-9]+ rows$" "task list --patient: whose, how many"
run agenda --days 30
like "$(last)" "^list\|patient\|\|agenda: [0-9]+ rows$" "agenda"
run agenda --ics --patient 1
like "$(last)" "^export\|patient\|1\|agenda --ics: [0-9]+ rows$" "agenda --ics is an export"
run export --patient 1 -o "$T/p1.ics"
like "$(last)" "^export\|patient\|1\|export: [0-9]+ rows$" "export"
run export --all
like "$(last)" "^export\|patient\|\|export: [0-9]+ rows$" "export --all: how many"
run review --patient 1
like "$(last)" "^review\|patient\|1\|review: [0-9]+ rows$" "review --patient"
run review
like "$(last)" "^review\|patient\|\|review: [0-9]+ rows$" "review"
run appt list --patient 1
like "$(last)" "^list\|patient\|1\|appt list: [0-9]+ rows$" "appt list"
run med list
like "$(last)" "^list\|patient\|\|med list: [0-9]+ rows$" "med list"
run contact list --patient 1
like "$(last)" "^list\|patient\|1\|contact list: [0-9]+ rows$" "a patient's care team"
n=$(q "SELECT count(*) FROM audit")
run contact list
is "$(q "SELECT count(*) FROM audit")" "$n" "the contact directory is not patient data: no row"
plan=$("$CASELOAD" template apply chronic-care-management --patient 4)
run plan show "$plan"
is "$(last)" "read|patient|4|plan show" "plan show: a read of its patient"
run plan list --patient 4
like "$(last)" "^list\|patient\|4\|plan list: 1 row$" "plan list"
run backup "$T/copy.db"
like "$(last)" "^backup\|database\|" "backup"
name=$(q "SELECT family FROM patient WHERE id = 3")
is "$(q "SELECT count(*) FROM audit WHERE instr(coalesce(detail, ''), '$name') > 0")" 0 \
	"no patient's name in the audit"

# audit --patient: who did what to or with the patient, newest first
run --user "Sam Ito" patient show 3
run audit --patient 3 --format tsv
rc_is 0 "audit --patient"
first=$(printf '%s\n' "$out" | sed -n 2p)
like "$first" $'\tSam Ito \\(override by [^)]+\\)\tread\tpatient\t3\tpatient show$' "the newest first: the override's read"
like "$out" $'\tinsert\tpatient\t3\t' "the patient's creation"
like "$out" $'\tinsert\t(task|appointment|entry)\t' "writes to the patient's records"
unlike "$out" $'\tpatient\t1\t' "not another patient's rows"
run audit --patient 3 --format json
like "$out" '"action": "read", "table": "patient", "row_id": 3' "as JSON"
run audit --patient 3 --table task
rc_is 2 "--patient with --table is refused"

# ---- tampering through sqlite3 ----
# a dropped trigger: writes are refused until check
fresh t1
export CASELOAD_DB="$T/t1.db"
q "DROP TRIGGER audit_no_update;"
run task add --patient 1 --title "x"
rc_is 1 "a write is refused while a trigger is missing"
like "$err" "missing trigger audit_no_update.*run 'caseload check'" "the message names it and says what to do"
run patient show 1
rc_is 1 "so is a read (it could not be recorded)"
run backup "$T/t1-copy.db"
rc_is 1 "and a backup"
ok "which writes no file" test ! -e "$T/t1-copy.db"
is "$(q "SELECT count(*) FROM task WHERE title = 'x'")" 0 "nothing was written"
run check
rc_is 1 "check reports the problem"
like "$out" "problem: schema: missing trigger audit_no_update" "check names the trigger"
like "$out" "repaired: re-created trigger audit_no_update" "and puts it back"
is "$(q "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_no_update'")" 1 "the trigger is back"
like "$(q "SELECT action || ' ' || detail FROM audit ORDER BY id DESC LIMIT 1")" \
	"^repair re-created trigger audit_no_update" "the repair is in the audit"
run task add --patient 1 --title "x"
rc_is 0 "after check, writes work again"
run check
rc_is 0 "and a second check finds nothing"

# an edited row
fresh t2
export CASELOAD_DB="$T/t2.db"
q "DROP TRIGGER audit_no_update; UPDATE audit SET who = 'mallory' WHERE id = 10;"
run audit verify
rc_is 1 "verify fails on an edited row"
like "$out" "broken at row 10 \(edited\)" "verify names row 10 as edited"
run check
like "$out" "problem: audit: row 10 was edited" "check names it too"
run check
rc_is 1 "the edit stays reported after the trigger is back"
run task add --patient 1 --title "y"
rc_is 0 "but writes go on (the protections are back)"
run audit verify
like "$out" "broken at row 10" "and verify still names row 10"

# an edited row whose hash was rewritten too
fresh t2b
export CASELOAD_DB="$T/t2b.db"
q "DROP TRIGGER audit_no_update; UPDATE audit SET who = 'mallory', hash = lower(hex(randomblob(32))) WHERE id = 9;"
run audit verify
like "$out" "broken at row 9 \(hash mismatch\)" "a rewritten hash is a mismatch"

# a deleted row: a gap
fresh t3
export CASELOAD_DB="$T/t3.db"
q "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id BETWEEN 12 AND 14;"
run audit verify
rc_is 1 "verify fails on a gap"
like "$out" "broken at row 12 \(missing\): rows 12 to 14 are missing" "the gap is named"
run check
like "$out" "missing trigger audit_no_delete" "check names the dropped trigger"
like "$out" "problem: audit: rows 12 to 14 are missing" "and the gap"

# the last rows deleted
fresh t4
export CASELOAD_DB="$T/t4.db"
n=$(q "SELECT max(id) FROM audit")
q "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > $n - 2;
	CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
	  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
run audit verify
rc_is 1 "verify fails when the last rows are gone"
like "$out" "rows $((n - 1)) to $n are missing at the end" "the missing tail is named"
run patient list
rc_is 1 "and the database refuses to write (reads included)"
like "$err" "run 'caseload check'" "pointing to check"
run check
rc_is 1 "check reports it"
like "$out" "the chain's head was row $n" "and moves the head, saying where it was"
run patient list
rc_is 0 "after check, it works"
run audit verify
rc_is 0 "and the chain goes on from the last row"

# a forged row inserted at the end
fresh t5
export CASELOAD_DB="$T/t5.db"
q "INSERT INTO audit(at, who, action, tbl) VALUES (0, 'mallory', 'insert', 'patient');"
forged=$(q "SELECT max(id) FROM audit")
run audit verify
rc_is 1 "verify fails on a forged row"
like "$out" "broken at row $forged \(forged\): row $forged has no hash" "the forged row is named"
run task add --patient 1 --title "z"
rc_is 1 "writes are refused: a row past the chain's head"
run check
like "$out" "problem: audit: row $forged has no hash" "check names it"
run task add --patient 1 --title "z"
rc_is 0 "after check, writes work"
run audit verify
like "$out" "broken at row $forged" "the forged row stays on record"

# an extra index, a changed view, an extra table
fresh t6
export CASELOAD_DB="$T/t6.db"
q "CREATE INDEX x ON patient(phone); CREATE TABLE y(z);"
run check
like "$out" "problem: schema: extra index x" "an extra index is named"
like "$out" "problem: schema: extra table y" "an extra table is named"
like "$out" "repaired: dropped index x" "the index is dropped"
like "$out" "still refusing writes" "a table cannot be put back"
run task add --patient 1 --title "w"
rc_is 1 "so writes stay refused"
q "DROP TABLE y;"
run task add --patient 1 --title "w"
rc_is 0 "until the table is gone"
fresh t7
export CASELOAD_DB="$T/t7.db"
q "DROP INDEX patient_need; CREATE INDEX patient_need ON patient(need_due);"
run check
like "$out" "problem: schema: changed index patient_need" "a changed index is named"
like "$out" "repaired: re-made index patient_need" "and made again"
run check
rc_is 0 "then all is well"

# ---- an old database is sealed when it is migrated ----
# the newest schema before the chain (found, not assumed: migrations
# may come after the one that chains the audit)
before=0
for v in $(seq "$newest" -1 1); do
	CASELOAD_DB="$T/v$v.db" "$CASELOAD" init --schema "$v" >/dev/null
	if [ "$(sqlite3 "$T/v$v.db" "SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'hash'")" = 0 ]; then
		before=$v
		break
	fi
done
export CASELOAD_DB="$T/old.db"
run init --schema "$before"
rc_is 0 "a database of the schema before the chain"
is "$(q 'PRAGMA user_version')" "$before" "at that schema"
q "INSERT INTO patient(family, given, created, updated) VALUES ('Old', 'Row', 0, 0);
   INSERT INTO audit(at, who, action, tbl, row_id) VALUES (0, 'earlier', 'insert', 'patient', 1);"
rows=$(q "SELECT count(*) FROM audit")
run patient list
rc_is 0 "it opens (and migrates)"
is "$(q 'PRAGMA user_version')" "$newest" "migrated"
is "$(q "SELECT count(*) FROM audit WHERE id <= $rows AND hash IS NULL")" 0 "its rows are sealed"
is "$(q "SELECT detail FROM audit WHERE action = 'seal'")" "sealed $rows earlier rows" "the seal says how many"
run audit verify
rc_is 0 "the sealed chain verifies"
run check
rc_is 0 "and check finds nothing"

done_testing
