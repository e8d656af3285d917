#!/usr/bin/env bash
# The post-discharge call task behaves the same in the workstation as in
# the review card: x on it while no reached call is logged asks whether
# the patient was reached; c offers to complete it with a reached call.
# A task that is not that one completes at once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
w=$(must patient add --name "Wong, Wei" --dob 1944-04-04)
must discharge --patient "$w" --date 2026-11-20 --facility "General" >/dev/null
tw=$(must task add --patient "$w" --title "Call after discharge" --kind call --due today)
ta=$(must task add --patient "$w" --title "Order a walker" --kind other --due today)

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys 3
wait_for 'Call after disch' 'the task queue shows the discharge call task'
keys g
# select the discharge call task (the queue is ordered by due date, then id)
keys g
keys x
wait_for 'Was the patient reached' 'x on the discharge call task asks whether the contact was made'
keys n
wait_for 'task left open: log each attempt with c' 'no: the task stays open'
run task list --patient "$w" --format tsv
like "$out" "^$tw"$'\t' 'it is still open'
keys c
wait_for 'Contact with Wong, Wei' 'c opens the contact form for the row'"'"'s patient'
wait_for 'Complete task' 'offering to complete the discharge call task'
keys Enter
wait_for 'logged call: reached; the post-discharge call task is done' 'one step logs the call and completes the task'
run task list --patient "$w" --format tsv
unlike "$out" "^$tw"$'\t' 'the discharge call task is closed'
run review --format tsv
unlike "$out" 'tcm-contact' 'the review no longer asks for the call'

# any other task completes at once
wait_for 'Order a walker' 'the other task is there'
keys g
keys x
wait_for 'done: Order a walker' 'x completes another task without asking'
unlike "$(screen)" 'Was the patient reached' 'and asks nothing'
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
