#!/usr/bin/env bash
# The screen at 80x24: the hints keep `? help` and `q quit`, each list
# pane has a column header, dates look the same in every pane, the queue
# says how overdue a task is and that one is snoozed; `:` takes `:q`,
# `:patient ID`, `:goto DATE` and completes names with Tab.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
mkdir -p "$XDG_CONFIG_HOME/caseload"
cfg="$XDG_CONFIG_HOME/caseload/config.yaml"
status_line() { screen | tail -1; }

# ---- `:` ----
tui_start_at 80 24
wait_for 'Caseload by need' 'the screen at 80x24'
keys :
type_text 'rev'
keys Tab
wait_for '^:review +\(review review-list reviewed\)' 'Tab completes :rev to :review and shows the matches'
keys Tab
wait_for '^:review-list ' 'Tab again: the next match'
keys Tab Tab
wait_for '^:rev +\(' 'after the last, the word as typed'
keys BSpace BSpace BSpace
type_text 'frobnicate'
keys Enter
wait_for "'frobnicate' is not an action or a command" 'an unknown name says so'
keys :
type_text 'patient 36'
keys Enter
wait_for 'Timeline: Allen, Mic.* DOB 1937-03-03' ':patient 36 opens patient 36 in the timeline'
keys :
type_text 'patient 99999'
keys Enter
wait_for 'patient 99999|99999' 'an unknown patient id is named'
keys :
type_text 'patient abc'
keys Enter
wait_for ":patient needs a patient id \(a positive number\), not 'abc'" 'a patient id that is not a number'
keys :
type_text 'goto 2026-13-45'
keys Enter
wait_for ":goto: .*2026-13-45" 'a bad date is named'
keys :
type_text 'q'
keys Enter
wait_exit
rc_is 0 ':q quits'
done_testing
