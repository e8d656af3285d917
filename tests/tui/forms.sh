#!/usr/bin/env bash
# Forms that help (issue 14 §4): a prefilled value is replaced by typing
# and kept by the arrows; a field with a fixed set of values cycles with
# Space and Left/Right and completes by prefix; the readline keys work in
# a field and in the search prompt; a wrong template name keeps the form,
# the typing and the cursor on that field; the template's plan is
# previewed before it is applied; an edit that lost the race is refused
# with who changed it, keeping the form and what was typed (issue 13);
# an appointment on a weekend or overlapping another is saved with a
# warning.  Today is Tuesday 2026-11-24.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }
run init
p=$(must patient add --name "Able, Ann")
a=$(must appt add --patient "$p" --start "2026-11-25 10:00" --duration 30m --title "Checkup" \
	--location "Room 1")
must task add --patient "$p" --title "Existing" --due today >/dev/null

# The row on which the cursor is, and the row that shows TEXT.
cursor_row() { tmux_ display -p '#{cursor_y}'; }
row_of() { screen | grep -n -- "$1" | head -1 | cut -d: -f1 | awk '{print $1 - 1}'; }

tui_start
wait_for 'Timeline: Able, Ann' 'the screen opens on the patient'

# ---- the task form ----
keys 3
wait_for 'Existing' 'the task queue'
keys +
wait_for 'New task for Able, Ann' '+ opens the task form'
type_text 'Call the pharmacy'
keys C-w
type_text 'clinic'
wait_for 'Call the clinic' 'Ctrl-W took back the last word'
keys Tab
wait_for 'Due \*? +today' 'the due date is prefilled'
type_text 'fri'
wait_for 'Due +fri ' 'typing replaced the prefilled value'
unlike "$(screen)" 'todayfri' 'not added to it'
keys Tab
wait_for 'Space ←/→ next value' 'a field with a fixed set says how to cycle'
keys Space
wait_for 'Priority \* +urgent' 'Space cycles routine to urgent'
keys Right
wait_for 'Priority \* +asap' 'Right goes on'
keys Left Left
wait_for 'Priority \* +routine' 'Left goes back'
keys Space
wait_for 'Priority \* +urgent' 'and Space again'
keys Tab
type_text 'refe'
wait_for 'Kind \* +referral' 'typing completes by prefix'
keys BSpace
type_text 'i'
wait_for 'Kind \* +refill' 'Backspace takes back a letter, typing completes again'
keys Enter
wait_for 'task added: Call the clinic' 'saved'
is "$(q "SELECT due || '|' || priority || '|' || kind FROM task WHERE title = 'Call the clinic'")" \
	"2026-11-27|urgent|refill" 'stored as chosen: fri is the 27th'

# arrows keep the value; Ctrl-E, Ctrl-U, Ctrl-A and Ctrl-K edit it
keys +
wait_for 'New task for Able, Ann' 'the task form again'
type_text 'Second'
keys Tab
wait_for 'Due \*? +today' 'prefilled'
keys Left
type_text '+'
wait_for 'Due +toda\+y' 'after an arrow, typing goes in at the cursor'
keys C-e C-u
type_text '+3d'
wait_for 'Due +\+3d ' 'Ctrl-U cleared to the start'
keys C-a C-k
type_text 'next fri'
wait_for 'Due +next fri ' 'Ctrl-A then Ctrl-K cleared the line'
keys Enter
wait_for 'task added: Second' 'saved'
is "$(q "SELECT due FROM task WHERE title = 'Second'")" "2026-12-04" 'next fri is the 4th'

# ---- the search prompt ----
keys 1 /
type_text 'zz yy'
keys C-w
wait_for '/zz ' 'Ctrl-W in the search prompt'
keys C-u
type_text 'able'
wait_for 'Caseload by need — /able' 'Ctrl-U cleared it'
keys Enter Escape
wait_gone '/able' 'the search is over'

# ---- a wrong template name ----
keys T
wait_for 'Apply a care plan to Able, Ann' 'T opens the template form'
wait_for 'Space the list' 'the template field says Space lists them'
keys Space
wait_for 'type-2-diabetes' 'Space opens the list of templates'
keys Escape
wait_gone 'type-2-diabetes' 'Esc closes the list (the hint names the first few only)'
wait_for 'Apply a care plan to' 'the form is still there'
type_text 'diabetis'
keys Tab
keys Enter
wait_for "no template named 'diabetis'" 'a wrong name is refused beside the field'
like "$(screen)" 'Apply a care plan to' 'the form stays open'
like "$(screen)" 'diabetis' 'with what was typed'
is "$(cursor_row)" "$(row_of 'Template \*')" 'the cursor is on the template field'
type_text 'ty'
wait_for 'Template \* +type-2-diabetes' 'typing replaces it, completing the name'

# ---- the preview ----
keys Enter
wait_for 'Apply this care plan\?' 'Enter shows the preview first'
wait_for 'Goals \(3\):' 'the goals'
wait_for '2026-12-24 Thu +Checks glucose' 'with their due dates'
wait_for 'Tasks \(23; bd: due in business days' 'the dated tasks, business days explained'
is "$(q "SELECT count(*) FROM care_plan")" 0 'nothing applied yet'
keys Escape
wait_gone 'Apply this care plan' 'Esc goes back'
wait_for 'Apply a care plan to' 'to the form'
keys Enter
wait_for 'Apply this care plan\?' 'the preview again'
keys Enter
wait_for "care plan 'type-2-diabetes' applied" 'Enter applies it'
is "$(q "SELECT count(*) FROM task WHERE plan_id IS NOT NULL")" 23 'the 23 tasks the preview listed'

# ---- a lost race ----
keys 2
wait_for 'Checkup' 'the appointment on the timeline'
poll_of=screen
keys G e                   # the last row: the plan's event is today, the visit tomorrow
wait_for 'Edit appointment' 'e opens the appointment form'
keys Tab Tab Tab Tab
wait_for 'Location +Room 1' 'the location is prefilled'
type_text 'Room 5'
must --user bob appt edit "$a" --title "Checkup (moved by bob)" >/dev/null
keys Enter
wait_for "appointment $a was changed by bob" 'the save is refused naming who changed it'
like "$(screen)" 'Edit appointment' 'the form stays open'
like "$(screen)" 'Room 5' 'with what was typed'
is "$(q "SELECT title || '|' || location FROM appointment WHERE id = $a")" \
	"Checkup (moved by bob)|Room 1" "nothing was written over bob's change"
keys Enter
wait_for 'saved: Checkup' 'saving again, knowing, saves'
is "$(q "SELECT location FROM appointment WHERE id = $a")" "Room 5" 'the typed location is saved'

# ---- warnings ----
keys a
wait_for 'New appointment for' 'a opens a new appointment'
type_text 'Saturday visit'
keys Tab
type_text '2026-11-28'
keys Enter
wait_for 'appointment added: Saturday visit — warning: 2026-11-28 is a Saturday' \
	'a weekend is accepted with a warning'
keys a
wait_for 'New appointment for' 'another'
type_text 'Double booked'
keys Tab
type_text '2026-11-25'
keys Tab
type_text '10:15'
keys Enter
wait_for "warning: overlaps appointment $a \(10:00-10:30\)" 'an overlap is accepted with a warning'
is "$(q "SELECT count(*) FROM appointment")" 3 'both were saved'

# the patient form loses a race the same way
keys 1 e
wait_for 'Edit patient' 'e in the caseload edits the patient'
keys Tab Tab Tab
type_text '555-0100'
must --user bob patient edit "$p" --phone 555-0199 >/dev/null
keys Enter
wait_for "patient $p was changed by bob" 'the save is refused naming who changed it'
like "$(screen)" 'Edit patient' 'the form stays open'
like "$(screen)" '555-0100' 'with what was typed'
is "$(q "SELECT phone FROM patient WHERE id = $p")" "555-0199" "bob's phone stays"
keys Enter
wait_for 'saved Able, Ann' 'Enter again saves'
is "$(q "SELECT phone FROM patient WHERE id = $p")" "555-0100" 'the typed phone is saved'

keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
