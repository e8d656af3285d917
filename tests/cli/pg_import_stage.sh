#!/usr/bin/env bash
# The staged import (import_run, import_stage) on PostgreSQL, as
# import_stage.sh tests it on a file: an import killed while staging
# leaves the database as before (check drops what it staged), one killed
# once its file was read is finished by check, one killed in the middle of
# its merge by the next import, each giving the rows of an import run to
# the end; a file cut short stages nothing; during a long import another
# writer goes through and a second import is refused.  The database
# before an import is kept as a template database and made again from it
# (what cp does for a file).  Needs CASELOAD_TEST_PG: skipped without it.
. "$(dirname "$0")/../lib.sh"
# every run, the reference included, merges by cells (stage_order.c):
# 64 events cut the ranges instead of 4096
export CASELOAD_IMPORT_SAMPLE=64

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_stage_$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
	admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	admin "DROP DATABASE IF EXISTS ${db}_before WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
admin "CREATE DATABASE $db"
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
before="$CASELOAD_TEST_PG dbname=${db}_before"

/usr/bin/python3 "$top/bench/ical_gen.py" 2000 "$T/2k.ics"
ok "a 2000-event file was generated" test -s "$T/2k.ics"
run init
must patient add --name "Chen, Wei" >/dev/null
must appt add --patient 1 --start "2026-12-01 09:00" --title "Before the import" >/dev/null
admin "CREATE DATABASE ${db}_before TEMPLATE $db"

q() { psql "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"; }
state() {   # the appointments as stored and what the audit says of them
	q "$1" "SELECT id, patient_id, uid, recurrence_id, title, location, notes, start_utc,
	        end_utc, tzid, all_day, rrule, rdate, exdate, last_end_utc, status, transport,
	        sequence, dtstamp, last_modified, source FROM appointment ORDER BY id"
	q "$1" "SELECT action, tbl, row_id FROM audit WHERE tbl = 'appointment' ORDER BY id"
}
fresh() {
	admin "DROP DATABASE $db WITH (FORCE)"
	admin "CREATE DATABASE $db TEMPLATE ${db}_before"
}

# the reference: the import run to the end
run import "$T/2k.ics"
rc_is 0 "the import runs to the end"
like "$out" "2000 events: 2000 added" "and adds every event"
summary=$out
state "$CASELOAD_DB" >"$T/clean.state"
is "$(q "$CASELOAD_DB" "SELECT count(*) FROM import_stage")" 0 "nothing is left in the stage"
is "$(q "$CASELOAD_DB" "SELECT state FROM import_run")" merged "its run is recorded as merged"
state "$before" >"$T/before.state"

# killed while staging: the database as before; check drops what it staged
fresh
audit_before=$(q "$CASELOAD_DB" 'SELECT count(*) FROM audit')
run_killed() { CASELOAD_IMPORT_STOP=$1 "$CASELOAD" import "$T/2k.ics" >"$T/killed.out" 2>&1 || echo $?; }
is "$(run_killed staging)" 137 "killed while staging (SIGKILL)"
ok "it had staged rows" test "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_stage')" -gt 0
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM appointment')" 1 "no staged event is an appointment"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM audit')" "$audit_before" "staging writes no audit row"
run check
rc_is 0 "check passes after a kill while staging"
like "$out" "import: dropped 1 import" "and says it dropped the killed import"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_stage')" 0 "its staged rows are gone"
state "$CASELOAD_DB" >"$T/after.state"
ok "the database is as before the import" cmp "$T/before.state" "$T/after.state"

# killed once the file was read (ready): check finishes it
fresh
is "$(run_killed ready)" 137 "killed right after the file was read whole"
is "$(q "$CASELOAD_DB" "SELECT state FROM import_run")" ready "the run is ready"
run check
rc_is 0 "check passes and finishes the import"
like "$out" "import: finished 1 import" "and says so"
state "$CASELOAD_DB" >"$T/after.state"
ok "the rows are those of the import run to the end" cmp "$T/clean.state" "$T/after.state"

# killed during the merge: the next import finishes it first
fresh
is "$(run_killed merge)" 137 "killed after the first merge batch"
n=$(q "$CASELOAD_DB" 'SELECT count(*) FROM appointment')
ok "part of the file is merged ($n rows)" test "$n" -gt 1 -a "$n" -lt 2001
run import "$T/2k.ics"
rc_is 0 "the next import runs"
like "$out" "2000 events: 0 added .* 2000 unchanged" "after finishing the killed one: all unchanged"
state "$CASELOAD_DB" >"$T/after.state"
ok "the rows are those of the import run to the end" cmp "$T/clean.state" "$T/after.state"
run check
like "$out" "audit chain of [0-9]+ rows verified" "the audit chain verifies"

# a file refused half way leaves nothing staged
fresh
head -c "$(($(stat -c %s "$T/2k.ics") / 2))" "$T/2k.ics" >"$T/cut.ics"
run import "$T/cut.ics"
rc_is 1 "a file cut in the middle is refused"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_stage') $(q "$CASELOAD_DB" 'SELECT count(*) FROM import_run')" \
	"0 0" "nothing is left in the stage, nor a run"
state "$CASELOAD_DB" >"$T/after.state"
ok "the database is as before" cmp "$T/before.state" "$T/after.state"
run import --dry-run "$T/2k.ics"
is "$out" "${summary}"$'\n'"dry run: nothing was changed" "a dry run gives the same summary"

# during a long import: another writer goes through, a second import is refused
/usr/bin/python3 "$top/bench/ical_gen.py" 10000 "$T/10k.ics"
fresh
"$CASELOAD" import "$T/10k.ics" >"$T/long.out" 2>&1 &
pid=$!
end=$((SECONDS + $(deadline 60)))
while [ "$SECONDS" -lt "$end" ] && kill -0 "$pid" 2>/dev/null; do
	[ "$(q "$CASELOAD_DB" "SELECT count(*) FROM import_run WHERE state <> 'merged'" 2>/dev/null)" = 1 ] && break
	sleep 0.05
done
running=0
kill -0 "$pid" 2>/dev/null || running=$?
run patient add --name "Writer, During"
rc_is 0 "a patient is added while the import runs"
run import "$T/2k.ics"
second=$rc second_err=$err
still=0
kill -0 "$pid" 2>/dev/null || still=$?
status=0
wait "$pid" || status=$?
is "$running" 0 "the import was running when the writer wrote"
if [ "$still" = 0 ]; then
	is "$second" 1 "a second import is refused while the first runs"
	like "$second_err" "another import \(run [0-9]+\) is in progress" "saying why"
else
	skip "a second import is refused while the first runs" "the first ended first"
	skip "saying why" "the first ended first"
fi
is "$status" 0 "the long import succeeds"
like "$(cat "$T/long.out")" "10000 events: 10000 added" "and adds every event"
is "$(q "$CASELOAD_DB" "SELECT count(*) FROM patient WHERE family = 'Writer'")" 1 "the writer's patient is there"
is "$(q "$CASELOAD_DB" "SELECT count(*) FROM appointment WHERE source = 'import:2k.ics'")" 0 \
	"the refused import stored nothing"
run check
rc_is 0 "check passes after both"

done_testing
