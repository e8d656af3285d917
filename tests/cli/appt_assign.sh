#!/usr/bin/env bash
# appt assign --series: an imported series with nobody's name on it, and
# its moved occurrence (one UID), given to a patient in one step, with an
# audit row for each row; a refusal (no such patient, a row of another
# patient) changes nothing.
. "$(dirname "$0")/../lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }

run init
pid=$(must patient add --name "Okafor, Ada")
other=$(must patient add --name "Lindqvist, Sven")
cat >"$T/unknown.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Clinic//Test//EN
BEGIN:VEVENT
UID:dialysis-series@clinic
DTSTAMP:20261120T120000Z
DTSTART:20261130T150000Z
DTEND:20261130T160000Z
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Dialysis
ATTENDEE;CN=Somebody Unknown:mailto:nobody@example.org
END:VEVENT
BEGIN:VEVENT
UID:dialysis-series@clinic
RECURRENCE-ID:20261207T150000Z
DTSTAMP:20261120T120000Z
DTSTART:20261208T150000Z
DTEND:20261208T160000Z
SUMMARY:Dialysis (moved)
ATTENDEE;CN=Somebody Unknown:mailto:nobody@example.org
END:VEVENT
BEGIN:VEVENT
UID:lab-visit@clinic
DTSTAMP:20261120T120000Z
DTSTART:20261201T140000Z
DTEND:20261201T143000Z
SUMMARY:Lab visit
END:VEVENT
END:VCALENDAR
EOF
run import "$T/unknown.ics"
rc_is 0 "the file imports"
like "$out" "3 unassigned" "nobody matched"
run appt list --unassigned --format tsv
is "$(rows "$out")" 3 "three rows wait unassigned"
series=$(q "SELECT id FROM appointment WHERE uid = 'dialysis-series@clinic' AND recurrence_id = ''")
moved=$(q "SELECT id FROM appointment WHERE uid = 'dialysis-series@clinic' AND recurrence_id != ''")
lab=$(q "SELECT id FROM appointment WHERE uid = 'lab-visit@clinic'")
audit_before=$(q "SELECT count(*) FROM audit")

run appt assign "$moved" --patient 999 --series
rc_is 1 "a patient that does not exist is refused"
like "$err" "999" "the message names the patient id"
is "$(q "SELECT count(*) FROM appointment WHERE patient_id IS NULL")" 3 "nothing was assigned"
is "$(q "SELECT count(*) FROM audit")" "$audit_before" "and nothing audited"

run appt assign "$moved" --patient "$pid" --series
rc_is 0 "the whole series, from its moved occurrence"
is "$out" "$moved" "prints the id"
is "$(q "SELECT count(*) FROM appointment WHERE uid = 'dialysis-series@clinic' AND patient_id = $pid")" 2 \
	"the series and its override are the patient's"
is "$(q "SELECT patient_id IS NULL FROM appointment WHERE id = $lab")" 1 "another UID is left alone"
is "$(q "SELECT count(*) FROM audit WHERE tbl = 'appointment' AND action = 'update' AND row_id IN ($series, $moved)")" 2 \
	"one audit row for each row given"

run appt assign "$series" --patient "$other" --series
rc_is 1 "rows of another patient are refused"
like "$err" "belongs to patient $pid" "the message says whose"
is "$(q "SELECT count(*) FROM appointment WHERE patient_id = $other")" 0 "none moved"

run appt assign "$lab" --patient "$other"
rc_is 0 "without --series: only that one"
run appt list --unassigned --format tsv
is "$(rows "$out")" 0 "nothing is left unassigned"
run agenda --date 2026-12-08 --format tsv
like "$out" "Okafor, Ada.*Dialysis \(moved\)" "the agenda shows the moved occurrence as the patient's"

done_testing
