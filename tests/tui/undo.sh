#!/usr/bin/env bash
# u undoes the screen's own changes, newest first, and says what it undid:
# a task done, a snooze, a task cancelled with d (and a note), an
# appointment cancelled with d (a FHIR reason from the list), a template
# applied, an import (from its popup, as a whole).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
p=$(must patient add --name "Wong, Wei" --dob 1944-04-04)
t1=$(must task add --patient "$p" --title "Order a walker" --due today)
# tomorrow: after the task events of today (stamped at the clock's time),
# so that G finds it last whatever the hour the test runs
a1=$(must appt add --patient "$p" --start "tomorrow 15:00" --title "Cardiology" --duration 30m)
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
task_status() {
	run task list --all --format tsv
	printf '%s\n' "$out" | awk -F'\t' -v id="$1" '$1 == id {print $8 "|" $9}'
}
appt_status() {
	run appt list --patient "$p" --format tsv
	printf '%s\n' "$out" | awk -F'\t' -v id="$1" '$1 == id {print $9}'
}

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys u
wait_for 'undo: nothing changed in this screen yet' 'u with no change of this screen says so'

# x, then u
keys 3
wait_for 'Order a walker' 'the task is in the queue'
keys g x
wait_for 'done: Order a walker' 'x completes the task'
is "$(task_status "$t1")" "completed|" 'it is completed'
keys u
wait_for "undone: completed task $t1" 'u says what it undid'
is "$(task_status "$t1")" "requested|" 'the task is open again'
wait_for 'Order a walker' 'and back in the queue'

# s, then u
keys g s
wait_for 'until \(\+1d, fri, date\)' 's asks until when'
keys Enter
wait_for 'snoozed until' 'snoozed'
keys u
wait_for "undone: snoozed task $t1" 'the snooze is undone'
is "$(task_status "$t1")" "requested|" 'no snooze left'

# d on a task: a note saying why
wait_for 'Order a walker' 'the task is back'
keys g d
wait_for 'cancel the task \(Wong, Wei' 'd asks why, naming the patient'
type_text 'patient has one already'
keys Enter
wait_for 'cancelled: Order a walker' 'the task is cancelled'
is "$(task_status "$t1")" "cancelled|" 'cancelled, not deleted'
wait_for 'task-event — Task cancelled: Order a walker — patient has one' \
	'the timeline says so, with the reason'
is "$(sqlite3 "$CASELOAD_DB" "SELECT note FROM task WHERE id = $t1")" 'patient has one already' \
	'the note says why'

# d on an appointment in the timeline: a reason from the FHIR list
keys 2
wait_for 'Cardiology' 'the appointment is on the timeline'
keys G   # its one appointment: the last row
keys d
wait_for 'Cancel the appointment: why' 'd on an appointment asks for a reason'
like "$(screen)" 'pat-lt +Patient: Lack of Transportation' 'the reasons are the FHIR codes with their displays'
keys j j j j j
keys Enter
wait_for 'cancelled: Patient: Lack of Transportation' 'the reason shows as its display'
is "$(appt_status "$a1")" cancelled 'the appointment is cancelled'
wait_for '15:00 Cardiology.*\[cancelled\]' 'it stays on the timeline, marked cancelled'

# u goes back through them: the appointment, then the task's cancel
keys u
wait_for "undone: cancelled appointment $a1 \(u again" 'u undoes the appointment cancel and offers the one before'
is "$(appt_status "$a1")" booked 'booked again'
keys u
wait_for "undone: cancelled task $t1" 'u again undoes the task cancel'
is "$(task_status "$t1")" "requested|" 'the task is open again'
wait_gone 'Task cancelled: Order a walker' 'and its timeline entry is gone with it'

# a template applied, undone whole
keys 1
keys T
wait_for 'Apply a care plan to Wong, Wei' 'T asks which template'
type_text 'heart-failure'
keys Enter
wait_for 'Apply this care plan\?' 'the preview first'
keys Enter
wait_for "care plan 'heart-failure' applied" 'the plan is applied'
run plan list --patient "$p" --format tsv
is "$(rows "$out")" 1 'one plan'
keys u
wait_for "undone: applied template heart-failure to patient $p" 'u undoes the template'
run plan list --patient "$p" --format tsv
is "$(rows "$out")" 0 'the plan is gone'
run task list --all --format tsv
is "$(rows "$out")" 1 'and its tasks: only the first task is left'

# an import, undone as a whole from its popup
keys I
wait_for 'Import a calendar' 'I asks for the file'
type_text "$T/clinic.ics"
keys Tab
for i in 1 2 3; do keys BSpace; done
type_text yes
keys Enter
wait_for 'clinic.ics: 1 event: 1 added' 'the import summary shows'
wait_for 'u undoes this import as a whole \(caseload import --undo [0-9]+\)' 'and offers to undo it'
run appt list --patient "$p" --format tsv
is "$(rows "$out")" 2 'two appointments after the import'
keys u
wait_for 'undone: imported run [0-9]+' 'u in the popup undoes the import'
run appt list --patient "$p" --format tsv
is "$(rows "$out")" 1 'the imported appointment is gone'
run audit --table undo_group --format tsv
is "$(rows "$out")" 6 'six undos, each an audit row'

keys q
wait_exit
rc_is 0 'quits cleanly'
tui_stop
done_testing
