#!/usr/bin/env bash
# The screen's forms take the command line's friendly dates with the same
# range: an offset that leaves the years 1900-2200 is refused in the form,
# naming it, and nothing is stored (issue 11 §1).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
w=$(must patient add --name "Wong, Wei")
must task add --patient "$w" --title "Existing" --due today >/dev/null

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys 3
wait_for 'Existing' 'the task queue'
keys +
wait_for 'New task for Wong, Wei' '+ opens the new task form'
type_text "Far"
keys Tab
keys BSpace BSpace BSpace BSpace BSpace
type_text "+100000y"
keys Enter
wait_for "'\+100000y' leaves the years 1900-2200" 'the form names the offset and the range'
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tmux_ send-keys -l -- "-32167mo"   # a leading - is not a flag
keys Enter
wait_for "'-32167mo' leaves the years 1900-2200" 'and the fuzzer'"'"'s reproducer'
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "2200-12-31"
keys Enter
wait_for 'task added: Far' 'the last day of the range is taken'
run task list --format tsv
like "$out" $'\t2200-12-31\tFar\t' 'and stored as given'
is "$(rows "$out")" 2 'nothing else was stored'
keys q
wait_exit

done_testing
