#!/usr/bin/env bash
# The call list on the screen (O): the day's outreach in order, a
# do-not-contact patient dim at the end without a phone; c logs an attempt
# on the selected row, and a no-answer takes the row off until later.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
o=$(must patient add --name "Overdue, Olga" --risk high --phone 555-0102 --best-time evening)
must note add --patient "$o" --outcome reached --at "2026-11-10 09:00" >/dev/null
d=$(must patient add --name "Discharged, Dan" --phone 555-0101 --language Spanish --interpreter yes)
must note add --patient "$d" --outcome reached --at "2026-11-22 09:00" >/dev/null
must discharge --patient "$d" --date 2026-11-23 --facility "General" >/dev/null
q=$(must patient add --name "Quiet, Quincy" --risk high --phone 555-0106 --do-not-contact yes)
must note add --patient "$q" --outcome reached --at "2026-11-01 09:00" >/dev/null

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys O
wait_for 'Calls, .*: 3 to call' 'O opens the call list, counted in its title'
s=$(screen)
like "$s" 'Discharged, Dan +discharge +555-0101 +Spanish, interpreter' 'a discharge owed a call, with phone, language and interpreter'
like "$s" 'Overdue, Olga +check-in +555-0102' 'an overdue check-in'
like "$s" 'Quiet, Quincy +check-in +do not contact' 'the do-not-contact patient without a phone'
unlike "$s" '555-0106' 'whose number is not shown'
dan=$(grep -n 'Discharged, Dan' <<<"$s" | cut -d: -f1)
olga=$(grep -n 'Overdue, Olga' <<<"$s" | cut -d: -f1)
quincy=$(grep -n 'Quiet, Quincy' <<<"$s" | cut -d: -f1)
ok 'in order: the discharge, the check-in, do-not-contact last' [ "$dan" -lt "$olga" ] && [ "$olga" -lt "$quincy" ]

# the first row is selected: c logs an attempt for Dan
keys c
wait_for 'Contact with Discharged, Dan' 'c opens the contact form for the row'"'"'s patient'
keys Tab
for _ in 1 2 3 4 5 6 7; do keys BSpace; done
type_text 'no-answer'
keys Enter
wait_for 'logged call: no-answer' 'the attempt is logged'
wait_for 'Calls, .*: 2 to call, 1 later' 'the title counts the patient to call again later'
wait_gone 'Discharged, Dan' 'the row leaves the list until later'
run calls --format tsv
unlike "$out" 'Discharged, Dan' 'the command line agrees: not listed now'
run audit --format tsv
like "$out" $'list\tpatient\t\tscreen calls' 'the screen'"'"'s list is audited as a read'

# do not contact: c is refused
keys j
keys j
keys c
wait_for 'Quiet, Quincy asked not to be contacted' 'c on a do-not-contact row is refused'
unlike "$(screen)" 'Contact with Quiet' 'and no form opens'

keys Escape
wait_gone 'Calls, ' 'Esc closes the list'

# the chart says it too
keys /
type_text Quiet
keys Enter
wait_for 'Timeline: ' 'the search finds the do-not-contact patient'
keys Enter
wait_for 'Phone +555-0106, do not contact' 'the chart keeps the number and says not to use it'
keys Escape
wait_gone 'Chart: ' 'Esc closes the chart'
keys Escape
wait_gone '/Quiet' 'Esc clears the search'
keys /
type_text Overdue
keys Enter
wait_for 'Timeline: ' 'and another patient'
keys Enter
wait_for 'Best time +evening' 'the chart shows the best time to call'
keys Escape
wait_gone 'Chart: ' 'Esc closes the chart'
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
