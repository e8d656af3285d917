#!/usr/bin/env bash
# Issue 9: every action acts on the patient of the row it was pressed on,
# and a patient is never shown by name alone (the demo has two "Jackson,
# James"; at 80 columns "Sánchez, Margaret" and "Sánchez, Mei" look alike).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
run patient list --search 'Jackson, James' --format tsv
jj=$(printf '%s\n' "$out" | awk -F'\t' '$3 == "1973-12-05" { print $1 }')
ok 'the demo has the younger Jackson, James' test -n "$jj"
# the oldest overdue task: first in the queue of all patients
must task add --patient "$jj" --title 'Queue first call' --due 2026-01-05 --kind call >/dev/null

tui_start_at 80 24
wait_for 'Caseload by need' 'the screen at 80x24'
keys o
wait_for 'Caseload by name' 'the caseload by name: Adams, Olga first'
first=$(screen | grep -oE 'Timeline: [^·]*' | head -1)
unlike "$first" 'Jackson' 'the caseload selects someone else first'

# The task queue of all patients: the timeline follows the selected task.
keys 3
wait_for 'Timeline: Jackson, Jam.* · DOB 1973-12-05' 'the timeline follows the selected task'
like "$(screen)" 'Queue fir.* Jackson, J.* 1973-12-05' 'the task row shows its patient with the date of birth'
for k in c + n E; do
	case $k in
	c) want='Contact with Jackson, James · DOB 1973-12-05' ;;
	+) want='New task for Jackson, James · DOB 1973-12-05' ;;
	n) want='Note about Jackson, James · DOB 1973-12-05' ;;
	E) want='Export the appointments of Jackson, James · DOB 1973-12-05' ;;
	esac
	keys "$k"
	wait_for "$want" "$k from the queue acts on the task's patient"
	keys Escape
	wait_gone "$want" "Esc closes the $k form"
done
keys Enter
wait_for 'Task for Jackson, James · DOB 1973-12-05' "the task's details name its patient"
keys Escape
wait_gone 'Task for Jackson' 'Esc closes them'
keys c
wait_for 'Contact with Jackson, James' 'the contact form again'
keys Tab Tab Tab
type_text 'Logged from the queue'
keys Enter
wait_for 'logged call: reached' 'the contact is saved'
wait_for 'Logged from the que' "and shows in the task's patient's timeline"
keys 1
wait_gone 'Timeline: Jackson' 'back in the caseload, the timeline follows its selection'
unlike "$(screen)" 'Logged from the que' 'the caseload patient did not get the contact'

# Two visible rows are never indistinguishable at 80 columns.
keys /
type_text 'Jackson, James'
wait_for 'Jackson, Jam.* 1966-08-13' 'one Jackson, James with his date of birth'
wait_for 'Jackson, Jam.* 1973-12-05' 'the other with his'
keys Enter Escape
keys /
type_text 'Sánchez, M'
wait_for 'Sánchez, M.* 1953-09-23' 'Sánchez, Margaret with her date of birth'
wait_for 'Sánchez, M.* 1966-02-07' 'Sánchez, Mei with hers'
keys Enter Escape
wait_gone '/Sánchez' 'the search is cleared'

# The patient's details name them with both identifiers.
keys Enter
wait_for 'DOB [0-9-]+ · MRN[0-9]+' 'the details popup names the patient with DOB and MRN'
keys Escape

keys 3 p
wait_for 'Tasks: .* · DOB [0-9-]+' "the queue of one patient names them with the date of birth"
# at 80 columns the snooze prompt names the patient and leaves room to type
keys s
wait_for 'snooze \(.*DOB [0-9-]+\) until' 'the snooze prompt names the patient with the date of birth'
keys BSpace BSpace BSpace
type_text 2026-12-01
wait_for 'until \(\+1d, fri, date\): 2026-12-01' 'the whole typed date shows'
keys Escape
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
