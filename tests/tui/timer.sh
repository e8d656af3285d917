#!/usr/bin/env bash
# The care management timer (`M`, issue 16): it starts on the selected
# patient and shows in the title bar by the patient's caseload id (not the
# name, not the MRN); logging a contact with that patient (`c`) stops it
# and carries its minutes into the form (cancelling the form leaves it
# running); the form's program is the patient's one, or one of theirs, and
# a program they are not in is refused in the form; `M` again stops it and
# offers the minutes to log; across the lock it never runs on unasked.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
p=$(must patient add --name "Timer, Tia" --mrn T-55)
must consent add --patient "$p" --program ccm --method verbal --date 2026-11-01 >/dev/null
must program enroll --patient "$p" --program ccm --start 2026-11-01 >/dev/null
minutes() { must program list --patient "$p" --format tsv | tail -1 | cut -f8; }
# a patient in two programs (by name after Tia)
q=$(must patient add --name "Two, Tom" --mrn T-56)
for prog in ccm pcm; do
	must consent add --patient "$q" --program "$prog" --method verbal --date 2026-11-01 >/dev/null
	must program enroll --patient "$q" --program "$prog" --start 2026-11-01 >/dev/null
done
of_q() { must program list --patient "$q" --program "$1" --format tsv | tail -1 | cut -f8; }

tui_start
wait_for 'Caseload by need' 'the screen opens'
wait_for 'Timer, Tia' 'on the patient'
keys M
wait_for "timer: patient $p, 0 min" 'M starts the timer: the title shows it with the patient id'
unlike "$(screen | head -1)" 'Tia|T-55' 'neither the name nor the MRN in the title'

# a contact with that patient stops it and carries the minutes
keys c
wait_for 'Contact with' 'c opens the contact form'
wait_for 'from the timer' 'its minutes come from the timer'
like "$(screen | grep 'Minutes')" 'Minutes.* 1 ' 'one minute (at least one)'
keys Enter
wait_for 'logged call: reached' 'the contact is logged'
wait_gone "timer: patient $p" 'the timer stopped'
is "$(minutes)" 1 'its minute counts toward the program'

# cancelling the contact form: the timer runs on with its minutes
keys M
wait_for "timer: patient $p" 'started again for a contact'
keys c
wait_for 'Contact with' 'the form opens'
wait_for 'Program +ccm' 'the program is the one the patient is in'
keys Escape
wait_gone 'Contact with' 'cancelled'
wait_for 'the timer runs on' 'it says the timer runs on'
like "$(screen | head -1)" "timer: patient $p" 'the title still shows it'
is "$(minutes)" 1 'nothing logged'
keys c
wait_for 'from the timer' 'the next contact form has its minutes'
keys Enter
wait_for 'logged call: reached' 'logged this time'
wait_gone "timer: patient $p" 'and the timer stopped'
is "$(minutes)" 2 'its minute counts'

# M again stops it and offers the minutes
keys M
wait_for "timer: patient $p" 'started again'
keys M
wait_for 'Log minutes for' 'M again offers to log the minutes'
keys Enter
wait_for "logged 1 minute for patient $p" 'logged'
wait_gone "timer: patient $p" 'and the timer stopped'
is "$(minutes)" 3 'toward the program'

# the lock: stop at the lock
keys M
wait_for "timer: patient $p" 'started for the lock'
keys L
wait_for 'caseload is locked' 'L locks'
unlike "$(screen)" 'timer: patient' 'nothing of it shows while locked'
keys Space
wait_for 'The timer ran during the lock' 'on unlock it asks'
wait_for 'stop at the lock: 1 minute' 'stop at the lock'
like "$(screen)" 'keep 1 minute' 'or keep the minutes'
keys Enter
wait_for 'Log minutes for' 'stopped at the lock: the minutes before it are offered'
keys Escape
wait_gone 'Log minutes for' 'declined'
wait_for 'timer stopped: 1 minute not logged' 'nothing logged, and it says so'
unlike "$(screen | head -1)" 'timer: patient' 'the timer is off'
is "$(minutes)" 3 'no minutes were added'

# the lock: keep the minutes
keys M
wait_for "timer: patient $p" 'started once more'
keys L
wait_for 'caseload is locked' 'locked again'
keys Space
wait_for 'The timer ran during the lock' 'asked again'
keys Down Enter
wait_gone 'The timer ran during the lock' 'kept'
wait_for "timer: patient $p" 'the timer runs on'

# two programs: the form asks which; one the patient is not in is refused
keys j
wait_for 'Timeline: Two, Tom' 'on the patient in two programs'
keys c
wait_for 'Contact with Two, Tom' 'the form'
wait_for 'which the minutes count toward' 'the program field asks which'
keys Tab Tab
type_text 7
keys Tab Tab
type_text pin
keys Enter
wait_for 'not enrolled in PIN with consent' 'a program the patient is not in: refused in the form'
wait_for 'Contact with Two, Tom' 'the form stays open'
keys BSpace BSpace BSpace
type_text pcm
keys Enter
wait_gone 'Contact with' 'saved'
wait_for 'logged call: reached' 'logged'
is "$(of_q pcm)" 7 'the minutes went to PCM'
is "$(of_q ccm)" 0 'not to CCM'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop
done_testing
