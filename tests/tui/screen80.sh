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

# patient 36 (Allen, Michael): a task 3 days overdue, one snoozed, and a
# task and an appointment on the same day
must task add --patient 36 --title 'Old refill' --due 2026-11-21 >/dev/null
snoozed=$(must task add --patient 36 --title 'Ask about scale' --due 2026-11-25)
must task snooze "$snoozed" --until 2026-12-02 >/dev/null
must task add --patient 36 --title 'Call about eye exam' --due 2026-12-07 >/dev/null
must appt add --patient 36 --start '2026-12-07 10:00' --title 'Eye exam' >/dev/null

# ---- headers, dates, overdue, snoozed at 80x24 ----
tui_start_at 80 24
wait_for 'Caseload by need' 'the screen at 80x24'
poll_of=left wait_for '^x  Patient +Born/MRN +Ov Td *x' 'the caseload has a column header'
wait_for 'x(When +Task +Patient +Born/MRN)' 'the task queue has a column header'
wait_for 'xDay, time  appointment, contact or note' 'the timeline has a column header'
wait_for '[0-9]+d over ' 'an overdue task says how overdue'
like "$(status_line)" '\? help  q quit$' 'the caseload hints end with ? help  q quit'
keys 3
wait_for '^x done  s snooze.*  \? help  q quit$' 'so do the longest ones, the task queue'
keys p
wait_for 'Tasks: .* · Te' 'the queue of one patient'
keys :
type_text 'patient 36'
keys Enter
wait_for 'Timeline: Allen, Mic.* DOB 1937-03-03' ':patient 36 opens patient 36 in the timeline'
wait_for 'Tasks: Allen, Mic' 'and their queue'
wait_for '3d over +Old refill' 'due 2026-11-21: 3d over'
wait_for 'snoozed +until Wed 2 Dec' 'a snoozed task says so, and until when'
wait_for 'Mon 7 Dec +Call about eye' 'a task due 2026-12-07 shows Mon 7 Dec'
keys :
type_text 'goto 2026-12-07'
keys Enter
wait_for 'xMon 7 Dec +x$' 'the timeline shows the day in the same format'
# the selection is on the day: the next line is its appointment
keys j Enter
wait_for 'When: Mon 7 Dec 10:00' ':goto 2026-12-07 selected the day; its details give the date and time'
keys Escape
wait_gone 'When: '
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

# ---- a resize with a form, a popup, a pick list, the review card open ----
must team add alice --name 'Alice Ames' >/dev/null
tui_start_at 100 30
wait_for 'Caseload by need' 'the screen at 100x30'
title() { screen | head -1; }
poll_of=title wait_for '\[R\] review  \[\?\] help$' "the title's keys show whole: the zone gives way to them"
keys 3 +
wait_for 'New task for' 'the task form is open'
type_text 'Resize '
tui_resize 60 20
# the form is made again for 60 columns: 58 wide from the second column
wait_for '^.[l┌][q─] New task for' 'shrunk: the form is laid out for 60 columns'
wait_for '^.[x│]Title \* +Resize +[x│]{2}$' 'with what was typed'
type_text 'check'
tui_resize 140 40
# 78 wide, centred at 140 columns: from the 32nd
wait_for '^.{31}[l┌][q─] New task for' 'grown: the form is centred for 140 columns'
wait_for 'Title \* +Resize check' 'nothing typed is lost'
type_text ' done'
keys Enter
wait_gone 'New task for' 'the form still saves'
run task list --format tsv
like "$out" $'\tResize check done\t' 'the task has everything typed around the resizes'
top_border() { screen | sed -n 2p; }
poll_of=top_border wait_for '^.{139}[k┐]$' 'the panes are laid out for 140 columns after the form'

keys ?
wait_for 'Keys \(change them' 'the help popup is open'
tui_resize 80 24
wait_for '^.{2}[l┌][q─] Keys \(change them' 'the popup follows a shrink (76 wide, centred)'
tui_resize 120 40
wait_for '^.{10}[l┌][q─] Keys \(change them' 'and a grow (100 wide, centred)'
keys Escape
wait_gone 'Keys \(change them'

keys a
wait_for 'Assign 1 task to' 'the pick list is open'
tui_resize 80 24
wait_for '^.{10}[l┌][q─] Assign 1 task to' 'the pick list follows a shrink (60 wide, centred)'
tui_resize 130 30
wait_for '^.{35}[l┌][q─] Assign 1 task to' 'and a grow'
wait_for 'alice +Alice Ames' 'its lines are drawn'
keys Escape
wait_gone 'Assign 1 task to'

keys R
wait_for 'Daily review' 'the review card is open'
tui_resize 80 24
wait_for '^.{2}[l┌][q─] Daily review' 'the card follows a shrink'
like "$(status_line)" 'v reviewed.*\? help  q quit$' 'its hints at 80 columns end with ? help  q quit'
keys Escape
wait_gone '[l┌][q─] Daily review'

# ---- a form taller than 24 rows: one field a line ----
keys 1 e
wait_for 'Edit patient' 'the patient form (thirteen fields) opens at 80x24'
like "$(screen)" 'Coordinator' 'its twelfth field shows'
like "$(screen)" 'Status \*' 'and its last'
like "$(screen)" 'Enter save  Tab next field' 'with its keys on the border'
like "$(screen)" 'Family, Given' "the current field's hint under the fields"
keys Escape
wait_gone 'Edit patient' 'Esc closes it (nothing typed)'
keys q
wait_exit
rc_is 0 'quits cleanly'

# ---- a rebound key's hint at 80 columns ----
printf 'keys:\n  none: [x, q]\n  done: D\n  quit: Q\n' >"$cfg"
tui_start_at 80 24
wait_for 'Caseload by need' 'the screen with done on D and quit on Q'
keys 3
wait_for '^D done  s snooze.*  \? help  Q quit$' 'at 80 columns the rebound keys show, with ? help and Q quit'
keys Q
wait_exit
rc_is 0 'Q quits'
done_testing
