#!/usr/bin/env bash
# The agenda of the whole caseload (D): a day of two patients' visits
# with their second identifiers, rides and marks for what needs
# attention (a ride not confirmed, a visit not confirmed with the patient,
# two of one patient's visits at once); a weekly series on the right
# days; the week with a header per day; moving by day, to today and to a
# date typed as people say it; r confirms the row's ride, Enter shows the
# row's patient.  Today is Tue 2026-11-24, the zone America/New_York.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

chen=$(must patient add --name "Chen, Wei" --dob 1950-03-02)
ada=$(must patient add --name "Okafor, Ada" --mrn MRN0007)
must appt add --patient "$chen" --start "2026-11-24 09:30" --duration 45m --title "Cardiology" \
	--location "Lakeview" --transport needed >/dev/null
must appt add --patient "$ada" --start "2026-11-24 14:00" --duration 1h --title "Eye clinic" \
	--transport confirmed >/dev/null
must appt add --patient "$ada" --start "2026-11-24 14:30" --duration 30m --title "Bloods" >/dev/null
must appt add --patient "$chen" --start "2026-11-25 10:00" --duration 1h --title "Dialysis" \
	--rrule "FREQ=WEEKLY;COUNT=3" >/dev/null
# Ada was reached after her visits were booked: they are confirmed
must note add --patient "$ada" --kind call --outcome reached --text "confirmed both" >/dev/null

tui_start
wait_for 'Timeline: ' 'the screen is up'
keys D
wait_for 'Agenda — Tue 24 Nov 2026 \(today\) — 3 appointments, 1 ride to confirm' \
	'D opens today with its counts'
wait_for '09:30-10:15 +Chen, Wei · DOB 1950-03-02 +needed +Cardiology @ Lakeview +ride\? unconfirmed' \
	'Chen: date of birth, ride, place, marks: ride and not confirmed'
wait_for '! 14:00-15:00 +Okafor, Ada · MRN0007 +confirmed +Eye clinic +overlap' \
	'Ada: the MRN when no birth date, ride confirmed, overlapping her other visit'
wait_for '14:30-15:00 +Okafor, Ada · MRN0007 +Bloods +overlap' 'both overlapping rows are marked'
screen | grep -q 'Dialysis' && _result 0 'the series does not start today' || _result 1 'the series does not start today'

keys ']'
wait_for 'Agenda — Wed 25 Nov 2026 — 1 appointment' '] moves to the next day'
wait_for '10:00-11:00 +Chen, Wei .*Dialysis +unconfirmed' 'the series starts on its first Wednesday'
keys h
wait_for 'Agenda — Tue 24 Nov 2026 \(today\)' 'h moves back a day'

keys w
wait_for 'Agenda — week of Mon 23 Nov 2026 — 4 appointments' 'w shows the week from Monday'
wait_for '> Tuesday 24 Nov 2026 — today' 'a header per day, the day moved to marked'
wait_for ' Wednesday 25 Nov 2026' 'Wednesday has its header'
wait_for ' Sunday 29 Nov 2026' 'to Sunday'
s=$(screen)
like "$(printf '%s\n' "$s" | grep -A1 'Monday 23 Nov')" 'no appointments' 'an empty day says so'
like "$(printf '%s\n' "$s" | grep -A1 'Wednesday 25 Nov')" 'Dialysis' 'the series under its day'

keys g
wait_for 'go to' 'g asks for a date'
type_text '+8d'
keys Enter
wait_for 'Agenda — week of Mon 30 Nov 2026 — 1 appointment' 'a friendly date goes to its week'
wait_for '> Wednesday 2 Dec 2026' 'the day typed is marked'
like "$(screen | grep -A1 'Wednesday 2 Dec')" 'Dialysis' 'the series again a week later'
unlike "$(screen | grep 'Dialysis')" 'unconfirmed' \
	"a week ahead it is not yet a call to make (the review's confirm_days, 2)"
keys w
wait_for 'Agenda — Wed 2 Dec 2026 — 1 appointment' 'w back to that one day'
keys g
wait_for 'go to'
type_text 'someday'
keys Enter
wait_for "someday" 'a date that is not one is refused, naming it'
wait_for 'Agenda — Wed 2 Dec 2026' 'and the agenda stays where it was'
keys t
wait_for 'Agenda — Tue 24 Nov 2026 \(today\)' 't goes back to today'

# r on Chen's row: the ride is confirmed, the mark goes
wait_for '│> ?.*Chen, Wei|Chen, Wei' 'Chen first'
keys r
wait_for 'transport confirmed: Cardiology' 'r confirms the ride of the row'
wait_for '09:30-10:15 +Chen, Wei · DOB 1950-03-02 +confirmed +Cardiology @ Lakeview +unconfirmed' \
	'the ride mark is gone, the call one stays'
run appt list --format tsv
like "$out" $'\tCardiology\tLakeview\tconfirmed\t' 'stored'

# at 80x24 the row keeps the patient, the ride and the marks
tui_resize 80 24
wait_for '^x! 09:30-10:15 Chen, Wei · DOB 1950-03-02 +confirmed .* unconfirmed x$' \
	'resized to 80 columns: the agenda is laid out again, the marks kept'
tui_resize 120 40
wait_for 'Agenda — Tue 24 Nov 2026 \(today\)' 'and back'

keys Enter
wait_gone 'Agenda —' 'Enter closes the agenda'
wait_for 'Timeline: Chen, Wei' "and shows the row's patient"
wait_for 'D goes back to the agenda' 'saying how to go back'
keys D
wait_for 'Agenda — Tue 24 Nov 2026' 'D opens it again on the same day'
keys Escape
wait_gone 'Agenda —' 'Esc closes it'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

# A busy day is read as it is scrolled: the first page, then the rest
# (End reads to the end); every visit once.
{
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Busy//EN\r\n'
	for i in $(seq 1 320); do
		printf 'BEGIN:VEVENT\r\nUID:busy-%d@test\r\nDTSTAMP:20261120T120000Z\r\n' "$i"
		printf 'DTSTART:20261215T%02d%02d00Z\r\nDURATION:PT1M\r\nSUMMARY:Visit %03d\r\nEND:VEVENT\r\n' \
			$((12 + (i - 1) / 60)) $(((i - 1) % 60)) "$i"
	done
	printf 'END:VCALENDAR\r\n'
} >"$T/busy.ics"
must import --patient "$ada" "$T/busy.ics" >/dev/null
tui_start
wait_for 'Timeline: ' 'the screen is up again'
keys D
wait_for 'Agenda — Tue 24 Nov 2026 \(today\)' 'a new session opens on today'
must appt add --patient "$chen" --start "2026-11-24 16:00" --title "Podiatry" >/dev/null
wait_for '16:00-16:30 +Chen, Wei .*Podiatry' "another process's visit shows in the open agenda, no key pressed"
keys g
wait_for 'go to'
type_text '2026-12-15'
keys Enter
wait_for 'Agenda — Tue 15 Dec 2026 — 300\+ appointments' 'a busy day: the first page, and more to come'
keys G
wait_for 'Agenda — Tue 15 Dec 2026 — 320 appointments' 'End reads the rest'
wait_for '12:19-12:20 +Okafor, Ada .*Visit 320' 'the last visit is there'
keys w
wait_for 'Agenda — week of Mon 14 Dec 2026 — 100\+ appointments' 'the week shows a busy day in part'
keys G
wait_for 'more on this day: w shows the whole day' 'and says so under it'
keys q
wait_gone 'Agenda —'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

done_testing
