#!/usr/bin/env bash
# Unassigned appointments from the screen: an import whose attendees
# match nobody says how many went unmatched and offers the list (U);
# there A gives the selected appointment to a patient found by search:
# a weekly series with its moved occurrence in one step, then a lone
# event; each row given leaves an audit row.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }

ada=$(must patient add --name "Okafor, Ada" --dob 1961-04-09)
must patient add --name "Okafor, Ben" --dob 1990-01-01 >/dev/null
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
LOCATION:Renal unit
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

tui_start
wait_for 'Timeline: ' 'the screen is up'
keys I
wait_for 'Import a calendar' 'I asks for the file'
type_text "$T/unknown.ics"
keys Enter
wait_for 'unknown.ics: 3 events: 3 added \(3 unassigned\)' 'the summary counts them'
wait_for '3 appointments matched no patient: U lists them to assign' 'the popup says where they went'
keys U
wait_for 'Unassigned appointments — 3 — A gives one to a patient' 'U in the popup opens the list'
wait_for 'Mon 30 Nov 10:00 +series +Dialysis @ Renal unit +import:unknown.ics' \
	'when (local), a series, what, where and the source'
wait_for 'Tue 1 Dec 09:00 +Lab visit' 'the lone event'
wait_for 'Tue 8 Dec 10:00 +moved +Dialysis \(moved\)' 'the moved occurrence'

# the series (first row), to Ada, found by search
keys A
wait_for 'assign to' 'A asks for the patient'
type_text 'okafor'
keys Enter
wait_for 'Okafor, Ada · DOB 1961-04-09' 'the matches, each with a date of birth'
wait_for 'Okafor, Ben · DOB 1990-01-01' 'both namesakes'
keys Enter
wait_for 'All 2 appointments of this series \(one calendar UID\)\? n: only this one' \
	'a series with a moved occurrence: asked whether all'
keys y
wait_for '2 appointments assigned to Okafor, Ada' 'the whole series went to her'
wait_for 'Unassigned appointments — 1' 'the list loads again'
is "$(q "SELECT count(*) FROM appointment WHERE patient_id = $ada")" 2 'both rows are hers'
is "$(q "SELECT count(*) FROM audit WHERE tbl = 'appointment' AND action = 'update'")" 2 \
	'an audit row for each'

# a search that finds nobody changes nothing
keys A
wait_for 'assign to'
type_text 'zzz'
keys Enter
wait_for "no patient matches 'zzz'" 'no match: said, nothing done'
is "$(q "SELECT count(*) FROM appointment WHERE patient_id IS NULL")" 1 'the lab visit still waits'

keys A
wait_for 'assign to'
type_text 'ben'
keys Enter
wait_for 'Okafor, Ben' 'one match'
keys Enter
wait_for '1 appointment assigned to Okafor, Ben' 'a lone event, no question'
wait_for 'Unassigned appointments — 0' 'nothing is left'
keys Escape
wait_gone 'Unassigned appointments' 'Esc closes the list'

# the agenda shows the series as Ada's on its days
keys D
wait_for 'Agenda — Tue 24 Nov 2026' 'the agenda'
keys g
wait_for 'go to'
type_text '2026-12-08'
keys Enter
wait_for 'Okafor, Ada .*Dialysis \(moved\)' "the moved occurrence is on Ada's agenda"
keys q
wait_gone 'Agenda —'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

run appt list --unassigned --format tsv
is "$(rows "$out")" 0 'the command line agrees'

done_testing
