#!/usr/bin/env bash
# The screen's patient form (issue 16): do-not-contact, best time to call
# and the Qualified Medicare Beneficiary flag, each set in the form and
# seen in `patient show`; a best time the use case refuses keeps the form
# open with its message and changes nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
p=$(must patient add --name "Form, Fay")

tui_start
wait_for 'Timeline: Form, Fay' 'the screen opens on the patient'
keys 1 e
wait_for 'Edit patient' 'e edits the patient'
like "$(screen)" 'Do not call' 'the form has do-not-contact'
like "$(screen)" 'Best time' 'the best time to call'
like "$(screen)" 'QMB' 'and QMB'

# to Best time (the 11th field): a value the use case refuses
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
type_text 'noon'
keys Enter
wait_for "'noon' is not one of morning" 'a bad best time is named'
like "$(screen)" 'Edit patient' 'the form stays open'
run patient show "$p"
unlike "$out" 'Best time' 'nothing was saved'

# fix it, and set do-not-contact and QMB
keys BSpace BSpace BSpace BSpace
type_text 'evening'
keys BTab
type_text 'yes'
keys Tab Tab
type_text 'yes'
keys Enter
wait_for 'saved Form, Fay' 'the form saves'
run patient show "$p"
like "$out" 'Best time +evening' 'the best time is saved'
like "$out" 'Contact +do not contact' 'do-not-contact is saved'
like "$out" 'Medicare +Qualified Medicare Beneficiary' 'QMB is saved'
keys Enter
wait_for 'Medicare +Qualified Medicare Beneficiary' 'the chart shows QMB'
keys Escape
wait_gone 'Medicare' 'the chart closes'

# and clears again
keys e
wait_for 'Edit patient' 'the form again'
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab
type_text 'no'
keys Tab
keys C-u
keys Tab
type_text 'no'
keys Enter
wait_for 'saved Form, Fay' 'saved again'
run patient show "$p"
unlike "$out" 'Best time|do not contact|Medicare' 'all three cleared'

keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
