#!/usr/bin/env bash
# An import merges its rows cell by cell (a range of UIDs crossed with a
# range of start times: services/stage_order.c) rather than in file
# order (issue 12), and must give what the file order gives: the same
# appointments, the same summary and the same notes, in file order, the
# first ones kept when there are more than the summary holds; the same
# when the import is killed once its file was read and `caseload check`
# finishes it.  The test-only CASELOAD_IMPORT_SAMPLE sets how many events
# cut the ranges: 0 keeps the file order (the reference), 32 gives this
# file's thousand events their cells.
. "$(dirname "$0")/../lib.sh"

/usr/bin/python3 "$top/tests/data/ical/order_gen.py" "$T/order.ics"
ok "the calendar was generated" test -s "$T/order.ics"
run init
rc_is 0 "a new database"
cp "$CASELOAD_DB" "$T/empty.db"

q() { sqlite3 "$CASELOAD_DB" "$1"; }
# the appointments as stored, by UID (their ids follow the merge's order)
# and what the audit says of them
appts() {
	q "SELECT patient_id, uid, recurrence_id, title, location, notes, start_utc, end_utc, tzid,
	          all_day, rrule, rdate, exdate, last_end_utc, status, transport, sequence,
	          dtstamp, last_modified, source FROM appointment ORDER BY uid, recurrence_id"
}
state() {
	appts
	q "SELECT a.uid, a.recurrence_id, u.action, count(*) FROM audit u
	   JOIN appointment a ON u.tbl = 'appointment' AND u.row_id = a.id
	   GROUP BY a.uid, a.recurrence_id, u.action ORDER BY 1, 2, 3"
}
fresh() { rm -f "$CASELOAD_DB" "$CASELOAD_DB-wal" "$CASELOAD_DB-shm"; cp "$T/empty.db" "$CASELOAD_DB"; }
order() { q "SELECT uid FROM appointment ORDER BY id" | md5sum; }

# the reference: file order
CASELOAD_IMPORT_SAMPLE=0 run import "$T/order.ics"
rc_is 0 "the import in file order"
like "$out" "events: [0-9]+ added .* [0-9]+ updated, .* [0-9]+ cancelled, [0-9]+ skipped" \
	"adds, updates, cancels and skips"
like "$out" "same SEQUENCE and time stamp" "some events come again with other content"
like "$out" "no DTSTART" "some cannot be used"
like "$out" "\.\.\. and [0-9]+ more" "there are more notes than the summary keeps"
reference=$out
state >"$T/reference.state"
file_order=$(order)
cp "$CASELOAD_DB" "$T/reference.db"

# by cells
fresh
CASELOAD_IMPORT_SAMPLE=32 run import "$T/order.ics"
rc_is 0 "the import by cells"
is "$out" "$reference" "the same summary and notes, in file order"
state >"$T/cells.state"
ok "the same appointments and audit" cmp "$T/reference.state" "$T/cells.state"
ok "the rows were merged in another order than the file's" test "$(order)" != "$file_order"
is "$(q "SELECT count(*) FROM import_stage")" 0 "nothing is left in the stage"

# lines of the notes go up: file order
lines=$(printf '%s\n' "$out" | sed -n 's/^  line \([0-9]*\):.*/\1/p')
ok "the notes' lines go up" test "$lines" = "$(printf '%s\n' "$lines" | sort -n)"

# killed once the file was read: check finishes it by cells
fresh
killed() {
	CASELOAD_IMPORT_SAMPLE=32 CASELOAD_IMPORT_STOP=$1 "$CASELOAD" import "$T/order.ics" \
		>"$T/killed.out" 2>&1 || echo $?
}
is "$(killed ready)" 137 "killed once the file was read"
cells=$(q "SELECT count(DISTINCT (id - (SELECT min(id) FROM import_stage)) >> 38)
           FROM import_stage")
ok "the staged rows are in many cells ($cells)" test "$cells" -gt 20
run check
rc_is 0 "check finishes the import"
state >"$T/finished.state"
ok "with the same appointments and audit" cmp "$T/reference.state" "$T/finished.state"

# killed after a first batch: the next import finishes it, then its own
fresh
is "$(killed merge)" 137 "killed after the first merge batch"
ok "a part was merged" test "$(q "SELECT count(*) FROM appointment")" -gt 0
CASELOAD_IMPORT_SAMPLE=32 run import "$T/order.ics"
rc_is 0 "the next import finishes the first, then runs"
like "$out" " 0 added" "and finds every event there"
appts >"$T/resumed.appts"
ok "with the same appointments" cmp <(CASELOAD_DB="$T/reference.db" appts) "$T/resumed.appts"

done_testing
