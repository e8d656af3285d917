#!/usr/bin/env bash
# The care management timer (`M`, issue 16): it starts on the selected
# patient and shows in the title bar by the patient's caseload id (not the
# name, not the MRN); logging a contact with that patient (`c`) stops it
# and carries its minutes into the form; `M` again stops it and offers the
# minutes to log; across the lock it never runs on unasked.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
p=$(must patient add --name "Timer, Tia" --mrn T-55)
must consent add --patient "$p" --program ccm --method verbal --date 2026-11-01 >/dev/null
must program enroll --patient "$p" --program ccm --start 2026-11-01 >/dev/null
minutes() { must program list --patient "$p" --format tsv | tail -1 | cut -f8; }

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

# M again stops it and offers the minutes
keys M
wait_for "timer: patient $p" 'started again'
keys M
wait_for 'Log minutes for' 'M again offers to log the minutes'
keys Enter
wait_for "logged 1 minute for patient $p" 'logged'
wait_gone "timer: patient $p" 'and the timer stopped'
is "$(minutes)" 2 'toward the program'

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
is "$(minutes)" 2 'no minutes were added'

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
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop
done_testing
