#!/usr/bin/env bash
# E exports the selected patient's appointments to a file that Python's
# icalendar reads; I imports a file and shows the summary; a monochrome
# terminal (TERM=vt100) with NO_COLOR still shows everything.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
run patient list --search Núñez --format tsv
pid=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 { print $1 }')
must appt add --patient "$pid" --start "tomorrow 09:00" --title "Cardiology follow-up" --location "Heart Center" >/dev/null
cat >"$T/clinic.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Clinic//EN
BEGIN:VEVENT
UID:clinic-1@example.org
DTSTAMP:20261120T120000Z
DTSTART:20261126T150000Z
DTEND:20261126T153000Z
SUMMARY:Imported dermatology visit
END:VEVENT
END:VCALENDAR
ICS

TUI_TERM=vt100 tui_start NO_COLOR=1
wait_for 'Caseload by need' 'the screen opens on a vt100 with NO_COLOR'
unlike "$(tmux_ capture-pane -e -p)" $'\e\\[([0-9;]*;)?(3|4)[0-7](;[0-9;]*)?m' 'no colours, only attributes'
like "$(tmux_ capture-pane -e -p)" $'\e\\[([0-9;]*;)?7(;[0-9;]*)?m' 'reverse video marks the title and selection'
keys /
type_text 'Núñez'
keys Enter
wait_for 'Timeline: Núñez, José' 'the patient is selected'
wait_for 'Cardiology follow-up @ Heart Center' 'the appointment is in the timeline'

keys E
wait_for 'Export the appointments of Núñez, José · DOB 1978-08-08' 'E asks the range, detail and path'
like "$(screen)" 'Detail .*minimal' 'minimal detail by default (safe to share)'
keys Tab Tab
for i in $(seq 1 10); do keys BSpace; done
type_text full
keys Tab Tab
for i in $(seq 1 40); do keys BSpace; done
type_text "$T/out.ics"
keys Enter
wait_for "wrote [0-9]+ appointments to $T/out.ics" 'and shows where it wrote'
ok 'the export is a file' test -s "$T/out.ics"
got=$(/usr/bin/python3 - "$T/out.ics" <<'PY'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    print(ev.get('SUMMARY'), '|', ev.get('LOCATION'))
PY
)
like "$got" 'Cardiology follow-up \| Heart Center' 'python3-icalendar reads the export'
is "$(stat -c %a "$T/out.ics")" 600 'the export is private (0600)'

keys I
wait_for 'Import a calendar' 'I asks for the file'
type_text "$T/clinic.ics"
keys Tab
for i in 1 2 3; do keys BSpace; done
type_text yes
keys Enter
wait_for 'clinic.ics: 1 event: 1 added' 'the import summary shows, as the command line words it'
keys Escape
wait_for 'Imported dermatology visit' 'the imported appointment is in the timeline'

# T applies a care-plan template: its tasks join the patient's queue.
keys 3
keys p
wait_for 'Tasks: Núñez, José' 'the queue of this patient'
keys T
wait_for 'Apply a care plan to Núñez, José' 'T asks which template'
like "$(screen)" 'heart-failure' 'listing the templates'
type_text 'no-such-plan'
keys Enter
wait_for "no template named 'no-such-plan'" 'an unknown template is refused with a message'
like "$(screen)" 'Apply a care plan to' 'the form stays open'
type_text 'heart-failure'
keys Enter
wait_for 'Apply this care plan\?' 'the plan is previewed'
keys Enter
wait_for "care plan 'heart-failure' applied" 'the plan is applied'
run plan list --patient "$pid" --format tsv
like "$out" 'heart-failure' 'caseload plan list has it'
run task list --patient "$pid" --format tsv
n_tasks=$(rows "$out")
ok 'the plan made tasks' test "$n_tasks" -gt 3

keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop
done_testing
