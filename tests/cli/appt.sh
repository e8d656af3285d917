#!/usr/bin/env bash
# appointments: add, list, edit, cancel, assign, and the agenda with
# recurring series expanded.  Today is pinned to Tue 2026-11-24, the
# coordinator's zone to America/New_York.
. "$(dirname "$0")/../lib.sh"

pid=$(must patient add --name "Núñez, José")
aid=$(must appt add --patient "$pid" --start "2026-11-27 09:30" --duration 45m --title "Cardiology" --location "Lakeview" --transport needed)
is "$aid" 1 "appt add prints the id"
run appt list --format tsv
is "$(printf '%s\n' "$out" | head -1 | cut -f1-10)" "$(printf 'id\tpatient_id\tpatient\tstart\tend\ttitle\tlocation\ttransport\tstatus\tuid')" "TSV header"
like "$out" $'\t2026-11-27T14:30:00Z\t2026-11-27T15:15:00Z\tCardiology\tLakeview\tneeded\tbooked\t[0-9a-f]{32}@caseload' "UTC instants, duration and a UID"
run appt list
like "$out" '2026-11-27 09:30' "the table shows local time"

run appt add --patient "$pid" --start "fri 14:00" --end 15:30 --title "Chicago clinic" --tz America/Chicago
run appt list --format json --from fri --to fri
like "$out" '"start": "2026-11-27T20:00:00Z", "end": "2026-11-27T21:30:00Z"' "a start in another zone and --end HH:MM"
like "$out" '"tzid": "America/Chicago"' "the zone is kept"
is "$(printf '%s' "$out" | grep -c '"id"')" 2 "--from/--to narrow to the day"

# DST: 09:00 New York on both sides of 2026-11-01
run appt add --patient "$pid" --start "2026-10-30 09:00" --title "Before DST" --tz America/New_York
run appt add --patient "$pid" --start "2026-11-02 09:00" --title "After DST" --tz America/New_York
run appt list --format tsv --from 2026-10-30 --to 2026-11-02
like "$out" $'2026-10-30T13:00:00Z' "EDT is UTC-4"
like "$out" $'2026-11-02T14:00:00Z' "EST is UTC-5"

# all-day
run appt add --patient "$pid" --start 2026-12-01 --title "Home health start"
run appt list --format tsv --from 2026-12-01 --to 2026-12-01
like "$out" $'\t2026-12-01\t2026-12-02\tHome health start' "all-day: dates, end exclusive"

# bad input
run appt add --patient "$pid" --start "2026-11-27 9am" --title X
rc_is 2 "a bad start is a usage error"
like "$err" "'9am' is not a time of day \(use HH:MM" "message says what is wanted"
run appt add --patient "$pid" --start "2026-11-27 09:00" --title X --tz Mars/Base
rc_is 2 "an unknown zone is refused, never taken as UTC"
like "$err" "unknown time zone 'Mars/Base'" "message names the zone"
run appt add --patient "$pid" --start "2026-11-27 09:00" --title X --duration 30m --end 10:00
rc_is 2 "duration and end together are refused"
run appt add --patient "$pid" --start "2026-11-27 09:00" --title X --end 08:00
rc_is 2 "an end before the start is refused"
run appt add --patient 42 --start "2026-11-27 09:00" --title X
rc_is 1 "unknown patient"
like "$err" "no patient with id 42" "message names the patient id"
run appt add --patient "$pid" --start "2026-11-27 09:00" --title X --transport maybe
rc_is 2 "unknown transport value"
run appt add --patient "$pid" --start "2026-11-27 09:00" --title X --rrule "FREQ=SOMETIMES"
rc_is 2 "a bad recurrence rule is refused"
before=$(must appt list --format tsv)

# edit and cancel
run appt edit "$aid" --transport confirmed --start "2026-11-27 10:00"
rc_is 0 "appt edit"
run appt list --format tsv --from 2026-11-27 --to 2026-11-27
like "$out" $'2026-11-27T15:00:00Z\t2026-11-27T15:45:00Z\tCardiology\tLakeview\tconfirmed' "edit moved it, kept the length, changed transport"
run appt cancel "$aid"
rc_is 0 "appt cancel"
run appt cancel "$aid"
rc_is 1 "cancelling twice is refused (a refused change, not a usage error)"
like "$err" "appointment $aid is already cancelled" "and says so"
run appt list --format tsv --from 2026-11-27 --to 2026-11-27
like "$out" $'Cardiology\tLakeview\tconfirmed\tcancelled' "cancelled is kept, not deleted"
run appt edit 999 --title X
rc_is 1 "editing an unknown appointment fails"
like "$err" "no appointment with id 999" "message names it"

# recurring: weekly PT, six times, with the agenda expanding it
run appt add --patient "$pid" --start "2026-11-23 08:00" --duration 1h --title "Physical therapy" --rrule "FREQ=WEEKLY;COUNT=6"
rc_is 0 "a recurring appointment"
run agenda --date 2026-11-30 --days 7 --format tsv
like "$out" $'2026-11-30T13:00:00Z\t2026-11-30T14:00:00Z\tPhysical therapy' "the series shows in a later week"
run agenda --date 2027-01-04 --days 7 --format tsv
is "$(rows "$out")" 0 "and not after its sixth time"
run agenda --date 2026-11-27 --format tsv
is "$(rows "$out")" 2 "Friday's agenda: the cancelled visit and the Chicago clinic"
run agenda --date 2026-11-27 --patient 99
rc_is 1 "agenda for an unknown patient fails"
run agenda --days 0
rc_is 2 "--days must be at least 1"

# made without --tz: in the coordinator's zone, so a series keeps 08:00 local across DST
run appt add --patient "$pid" --start "2026-10-26 08:00" --title "Dialysis" --rrule "FREQ=WEEKLY;COUNT=3"
run agenda --date 2026-10-26 --days 14 --format tsv
like "$out" $'2026-10-26T12:00:00Z\t[^\t]*\tDialysis' "08:00 EDT before the change"
like "$out" $'2026-11-02T13:00:00Z\t[^\t]*\tDialysis' "08:00 EST after it"
like "$out" $'Dialysis\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\tAmerica/New_York' "the zone is stored"

# SEQUENCE goes up only for what a calendar must take (time, place, status, rule)
seq() { sqlite3 "$CASELOAD_DB" "SELECT sequence FROM appointment WHERE id = $1"; }
s0=$(seq "$aid")
run appt edit "$aid" --notes "bring the pill box"
is "$(seq "$aid")" "$s0" "a new note leaves SEQUENCE alone"
run appt edit "$aid" --location "Lakeview, 2nd floor"
is "$(seq "$aid")" "$((s0 + 1))" "a new place raises SEQUENCE by one"

# assign
run appt assign 2 --patient "$pid"
rc_is 0 "assign to the patient it has already"
run appt assign 2
rc_is 2 "assign needs --patient"
other=$(must patient add --name "Other, Person")
run appt assign 2 --patient "$other"
rc_is 1 "assigning an appointment that has a patient is refused"
like "$err" "belongs to patient $pid already" "the message names the patient it has"
run appt assign 2 --patient "$other" --reassign
rc_is 0 "--reassign moves it"
run appt list --patient "$other" --format tsv
is "$(rows "$out")" 1 "now the other patient's"
run appt list --unassigned --format tsv
is "$(rows "$out")" 0 "nothing is unassigned"

done_testing
