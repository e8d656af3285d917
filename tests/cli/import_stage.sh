#!/usr/bin/env bash
# An import stages its file and merges it in short transactions (issue 12):
# another process's write goes through during a long import; a second
# import is refused while one runs; an import killed before its file was
# read whole leaves the database as before, and one killed after is
# finished by `caseload check` or the next import, giving the same rows as
# an import run to the end.  The kills are made at named phases by the
# test-only CASELOAD_IMPORT_STOP (services/ical_import.c).
. "$(dirname "$0")/../lib.sh"
# every run, the reference included, merges by cells (stage_order.c):
# 64 events cut the ranges instead of 4096
export CASELOAD_IMPORT_SAMPLE=64

/usr/bin/python3 "$top/bench/ical_gen.py" 2000 "$T/2k.ics"
ok "a 2000-event file was generated" test -s "$T/2k.ics"
run init
must patient add --name "Chen, Wei" >/dev/null
must appt add --patient 1 --start "2026-12-01 09:00" --title "Before the import" >/dev/null
cp "$CASELOAD_DB" "$T/before.db"

q() { sqlite3 "$1" "$2"; }
# the appointments as stored (ids, patients, times, text, rules, status;
# not the moments rows were written) and what the audit says of them
state() {
	q "$1" "SELECT id, patient_id, uid, recurrence_id, title, location, notes, start_utc,
	        end_utc, tzid, all_day, rrule, rdate, exdate, last_end_utc, status, transport,
	        sequence, dtstamp, last_modified, source FROM appointment ORDER BY id"
	q "$1" "SELECT action, tbl, row_id FROM audit WHERE tbl = 'appointment' ORDER BY id"
}
fresh() { rm -f "$CASELOAD_DB" "$CASELOAD_DB-wal" "$CASELOAD_DB-shm"; cp "$T/before.db" "$CASELOAD_DB"; }

# the reference: the import run to the end
run import "$T/2k.ics"
rc_is 0 "the import runs to the end"
like "$out" "2000 events: 2000 added" "and adds every event"
summary=$out
state "$CASELOAD_DB" >"$T/clean.state"
is "$(q "$CASELOAD_DB" "SELECT count(*) FROM import_stage")" 0 "nothing is left in the stage"
is "$(q "$CASELOAD_DB" "SELECT state FROM import_run")" merged "its run is recorded as merged"
state "$T/before.db" >"$T/before.state"

# killed while staging: the database as before; check drops what it staged
fresh
audit_before=$(q "$CASELOAD_DB" 'SELECT count(*) FROM audit')
run_killed() { CASELOAD_IMPORT_STOP=$1 "$CASELOAD" import "$T/2k.ics" >"$T/killed.out" 2>&1 || echo $?; }
is "$(run_killed staging)" 137 "killed while staging (SIGKILL)"
ok "it had staged rows" test "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_stage')" -gt 0
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM appointment')" 1 "no staged event is an appointment"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM audit')" "$audit_before" "staging writes no audit row"
run appt list --format tsv
is "$(rows "$out")" 1 "a listing shows only what was there"
run check
rc_is 0 "check passes after a kill while staging"
like "$out" "import: dropped 1 import" "and says it dropped the killed import"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_stage')" 0 "its staged rows are gone"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_run')" 0 "and its run"
state "$CASELOAD_DB" >"$T/after.state"
ok "the database is as before the import" cmp "$T/before.state" "$T/after.state"

# killed once the file was read (ready): check finishes it
fresh
is "$(run_killed ready)" 137 "killed right after the file was read whole"
is "$(q "$CASELOAD_DB" "SELECT state FROM import_run")" ready "the run is ready"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM appointment')" 1 "nothing is merged yet"
run check
rc_is 0 "check passes and finishes the import"
like "$out" "import: finished 1 import" "and says so"
like "$out" "audit chain of [0-9]+ rows verified" "the audit chain verifies"
state "$CASELOAD_DB" >"$T/after.state"
ok "the rows are those of the import run to the end" cmp "$T/clean.state" "$T/after.state"
run check
like "$out" "audit chain of [0-9]+ rows verified" "the chain verifies with the finished import's rows"

# killed during the merge: the next import finishes it first
fresh
is "$(run_killed merge)" 137 "killed after the first merge batch"
n=$(q "$CASELOAD_DB" 'SELECT count(*) FROM appointment')
ok "part of the file is merged ($n rows)" test "$n" -gt 1 -a "$n" -lt 2001
# a test's batch is 500 rows, read from the stage 200 at a time
is "$n" 501 "the first batch merged 500 rows, read in three parts"
run import "$T/2k.ics"
rc_is 0 "the next import runs"
like "$out" "2000 events: 0 added .* 2000 unchanged" "after finishing the killed one: all unchanged"
state "$CASELOAD_DB" >"$T/after.state"
ok "the rows are those of the import run to the end" cmp "$T/clean.state" "$T/after.state"
run check
rc_is 0 "check passes (the audit chain is intact)"

# a file refused half way leaves nothing staged
fresh
head -c "$(($(stat -c %s "$T/2k.ics") / 2))" "$T/2k.ics" >"$T/cut.ics"
run import "$T/cut.ics"
rc_is 1 "a file cut in the middle is refused"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_stage')" 0 "nothing is left in the stage"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_run')" 0 "nor a run"
state "$CASELOAD_DB" >"$T/after.state"
ok "the database is as before" cmp "$T/before.state" "$T/after.state"
run import --dry-run "$T/2k.ics"
is "$out" "${summary}"$'\n'"dry run: nothing was changed" "a dry run gives the same summary"
state "$CASELOAD_DB" >"$T/after.state"
ok "and changes nothing" cmp "$T/before.state" "$T/after.state"
is "$(q "$CASELOAD_DB" 'SELECT count(*) FROM import_run')" 0 "not even a run"

# during a long import: another writer goes through, a second import waits its turn
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

# a patient another process adds between two merging batches is the one
# the file's later events name (the import keeps who their attendees
# matched only while no one else writes)
/usr/bin/python3 - "$T/late.ics" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n")
    for i in range(1200):
        f.write("BEGIN:VEVENT\r\nUID:late-%d@test\r\nDTSTAMP:20261101T120000Z\r\n"
                "DTSTART:20261201T%02d0000Z\r\nDTEND:20261201T%02d3000Z\r\nSUMMARY:Visit\r\n"
                "ATTENDEE;CN=Late Comer:mailto:late@example.org\r\nEND:VEVENT\r\n"
                % (i, i % 24, i % 24))
    f.write("END:VCALENDAR\r\n")
PY
fresh
CASELOAD_IMPORT_STOP=pause-merge "$CASELOAD" import "$T/late.ics" >"$T/late.out" 2>&1 &
pid=$!
state_of() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null; }
end=$((SECONDS + $(deadline 60)))
until [ "$(state_of "$pid")" = T ] || [ "$SECONDS" -ge "$end" ]; do sleep 0.05; done
is "$(state_of "$pid")" T "the import pauses after its first merging batch"
before=$(q "$CASELOAD_DB" "SELECT count(*) FROM appointment WHERE uid LIKE 'late-%'")
ok "it merged some of the events, not all" test "$before" -gt 0 -a "$before" -lt 1200
must patient add --name "Comer, Late" --email late@example.org >/dev/null
kill -CONT "$pid"
status=0
wait "$pid" || status=$?
is "$status" 0 "the import goes on to the end"
is "$(q "$CASELOAD_DB" "SELECT count(*) FROM appointment WHERE uid LIKE 'late-%' AND patient_id IS NULL")" \
	"$before" "the events merged before the patient was added are unassigned"
is "$(q "$CASELOAD_DB" "SELECT count(*) FROM appointment a JOIN patient p ON p.id = a.patient_id
	WHERE a.uid LIKE 'late-%' AND p.family = 'Comer'")" $((1200 - before)) \
	"every later one is the new patient's"

done_testing
