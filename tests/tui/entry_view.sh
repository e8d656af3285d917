#!/usr/bin/env bash
# Enter on a timeline entry shows it whole: a long note wrapped and
# scrollable to its last line, its full date and time, and only the
# fields of its kind (a note has no outcome, minutes or facility; a
# discharge has its facility and whether it is acknowledged).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

p=$(must patient add --name "Reyes, Marisol" --dob 1949-09-09)
long="FIRST-WORDS"
for i in $(seq 1 400); do long="$long word$i of the note,"; done
long="$long THE-LAST-WORDS"
must note add --patient "$p" --text "$long" --at "2026-11-23 09:05" >/dev/null
must discharge --patient "$p" --date "2026-11-20 15:30" --facility "Mercy General" >/dev/null

tui_start
wait_for 'Timeline: Reyes, Marisol' 'the timeline shows the patient'
keys 2
wait_for '09:05 note — FIRST-WORDS' 'the note is on the timeline, cut to its row'
keys k
keys Enter
wait_for 'Timeline of Reyes, Marisol' 'Enter opens the entry'
wait_for 'When: Mon 23 Nov 09:05' 'with its full date and time'
like "$(screen)" 'FIRST-WORDS word1 of the note' 'the text from its start'
unlike "$(screen)" 'Outcome:|Minutes:|Facility:' 'no field a note does not have'
unlike "$(screen)" 'THE-LAST-WORDS' 'the end is further down'
keys G
wait_for 'word400 of the note, THE-LAST-WORDS' 'G scrolls to the last line of the note'
keys g
wait_for 'When: Mon 23 Nov 09:05' 'g back to the top'
keys Space
wait_gone 'When: Mon 23 Nov' 'Space pages down'
keys Escape
wait_gone 'Timeline of Reyes' 'Esc closes it'

# the discharge: its facility and whether it is acknowledged
keys k k
keys Enter
wait_for 'When: Fri 20 Nov 15:30' 'the discharge with its full date'
like "$(screen)" 'Facility: Mercy General' 'its facility'
like "$(screen)" 'Acknowledged: not yet' 'and that it awaits acknowledging'
unlike "$(screen)" 'Outcome:|Minutes:' 'no contact fields'
keys Escape
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
