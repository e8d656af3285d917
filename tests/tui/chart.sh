#!/usr/bin/env bash
# The patient's chart (Enter on a patient): everything `patient show`
# prints, in sections, scrollable to its end; adding to it from its own
# keys (a care-team member, a condition, a medication, a discharge that
# the review then follows up), and the patient form with every field the
# command line has.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
q=$(must patient add --name "Quiet, Quinn" --dob 1951-05-06 --mrn Q-77 --risk low)
must consent add --patient "$q" --program pcm --method verbal --date 2026-11-01 >/dev/null
must program enroll --patient "$q" --program pcm --start 2026-11-01 >/dev/null
must time log --patient "$q" --minutes 7 --date 2026-11-10 >/dev/null
must note add --patient "$q" --kind call --outcome reached --at "2026-11-23 10:00" >/dev/null
# a demo patient with a care team and medications
demo=$(must patient list --search MRN0001002 --format tsv | sed -n 2p | cut -f1)
run patient show "$demo"
team=$(printf '%s\n' "$out" | sed -n '/^Care team/,/^[A-Z]/p' | grep -c '(' || true)

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys /
type_text MRN0001002
keys Enter
wait_for 'Timeline: ' 'the search finds the demo patient'
keys Enter
wait_for 'Chart: .*MRN0001002' 'Enter opens the chart, named with both identifiers'
wait_for "Care team \\($team\\)" 'the chart has the care team, as patient show counts it'
wait_for 'Medications \([1-9]' 'and the medications'
run audit --patient "$demo" --format tsv
like "$out" 'chart' 'opening the chart is recorded as a read of the patient'
wait_for 'refill due [A-Z][a-z][a-z] [0-9]+ [A-Z][a-z][a-z]' 'with their refill dates, as the screen shows dates'
like "$(screen)" 'Born +19' 'the date of birth'
like "$(screen)" 'Language +[A-Z]' 'the preferred language'
like "$(screen)" 'e edit.*t team-member.*C condition.*m medication' 'the hint line has the chart'"'"'s keys'
keys G
wait_for 'Upcoming appointments' 'G scrolls to the end: the upcoming appointments'
wait_for 'Care management time' 'the minutes this month'
keys g
wait_for 'Born +19' 'g goes back to the top'
keys '?'
wait_for 'Keys \(the chart' '? shows the keys'
# page down until the chart's group shows (its place moves as keys are added)
changed() { [ "$(screen)" != "$1" ]; }
for _ in 1 2 3 4 5 6; do
	before=$(screen)
	grep -q 'team-member' <<<"$before" && break
	keys Space
	poll_until changed "$before" || break
done
wait_for 'team-member' 'help lists the chart'"'"'s keys'
keys Escape
wait_gone 'Keys \(the chart' 'Esc closes the help, back to the chart'
wait_for 'Chart: ' 'the chart is still open'
keys Escape
wait_gone 'Chart: ' 'Esc closes the chart'
keys Escape

# a quiet patient: nothing to review until a discharge
keys /
type_text Quiet
keys Enter
wait_for 'Timeline: Quiet, Quinn' 'the quiet patient is found'
unlike "$(left)" '! Quiet, Quinn' 'nothing to review yet'
keys Enter
wait_for 'Chart: Quiet, Quinn' 'their chart opens'
wait_for '7 of 20 minutes this month \(Sun 1 Nov to Mon 30 Nov\)' 'minutes this month against the target'
like "$(screen)" 'Care team \(0\)' 'no care team yet'

keys C
wait_for 'Condition of Quiet, Quinn' 'C opens the condition form, naming the patient'
type_text 'Asthma'
keys Enter
wait_for 'condition added: Asthma' 'the condition is added'
wait_for '^│ +Asthma|  Asthma' 'and shows in the chart at once'

keys m
wait_for 'Medication of Quiet, Quinn' 'm opens the medication form'
type_text 'Albuterol'
keys Tab
type_text '2 puffs'
keys Tab
type_text '2026-12-20'
keys Enter
wait_for 'Albuterol 2 puffs, refill due Sun 20 Dec' 'the medication with its refill date shows in the chart'

keys t
wait_for 'Care team of Quiet, Quinn' 't opens the care-team form'
type_text 'Dr Ada Park'
keys Tab
type_text 'cardiologist'
keys Tab
type_text '555-0111'
keys Enter
wait_for 'Dr Ada Park \(cardiologist\)  555-0111' 'the member shows with role and phone'
run patient show "$q"
like "$out" 'Dr Ada Park \(cardiologist\)  555-0111' 'patient show has the same member'
like "$out" 'Albuterol 2 puffs, refill due 2026-12-20' 'and the medication'
like "$out" 'Asthma' 'and the condition'

keys d
wait_for 'Discharge of Quiet, Quinn' 'd opens the discharge form'
type_text 'General'
keys Tab
for i in 1 2 3 4 5; do keys BSpace; done
type_text '2026-11-23'
keys Tab Tab Tab
for i in 1 2 3 4; do keys BSpace; done
type_text 'moon'
keys Enter
wait_for 'one of home, home-health' 'a wrong disposition is named under its field'
for i in 1 2 3 4; do keys BSpace; done
type_text 'snf'
keys Enter
wait_for 'discharge recorded' 'the discharge is recorded'
keys h
wait_for 'Admission of Quiet, Quinn' 'h opens the admission form'
type_text 'Mercy'
keys Enter
wait_for 'admission recorded' 'the admission is recorded'
keys r
wait_for 'Result for Quiet, Quinn' 'r opens the result form'
type_text 'A1c 7.9%'
keys Enter
wait_for 'result recorded, to acknowledge' 'the result is recorded'
run review --format tsv
like "$out" "$q"$'\t''Quiet, Quinn'$'\t''unreviewed' 'the admission and the result wait to be acknowledged'
keys Escape
wait_gone 'Chart: ' 'Esc closes the chart'
wait_for '! Quiet, Quinn' 'the caseload marks the patient for review'
run review --format tsv
like "$out" "tcm-contact" 'the review asks for the transitional-care call'
run patient show "$q"
like "$out" 'Status +active' 'still active'

# the patient form has every field of patient edit
keys Enter
wait_for 'Chart: Quiet, Quinn' 'the chart again'
keys e
wait_for 'The patient \(demographics\)' 'e in the chart offers what to edit, the patient first'
keys Enter
wait_for 'Edit patient' 'Enter on it edits the patient'
wait_for 'Check in every' 'the form has the cadence'
like "$(screen)" 'CCM consent' 'the CCM consent date'
like "$(screen)" 'Coordinator' 'the coordinator'
like "$(screen)" 'Interpreter' 'the interpreter need'
like "$(screen)" 'Status' 'and the status'
keys Tab Tab Tab Tab Tab
type_text 'quinn@example.org'
keys Tab
type_text '1 Main St'
keys Tab
type_text 'Portuguese'
keys Tab
keys BSpace BSpace
type_text 'yes'
keys Tab Tab Tab Tab   # past do-not-call, best time and QMB
type_text '10'
keys Tab
type_text '2026-11-02'
keys Tab
type_text 'alice'
keys Tab
for i in 1 2 3 4 5 6; do keys BSpace; done
type_text 'inactive'
keys Enter
wait_for 'saved Quiet, Quinn' 'the edit is saved'
wait_for 'Language +Portuguese, interpreter needed' 'the chart shows the new language and the interpreter need'
wait_for 'Status +inactive' 'and the status'
run patient show "$q"
like "$out" 'Email +quinn@example.org' 'email saved'
like "$out" 'Address +1 Main St' 'address saved'
like "$out" 'Language +Portuguese' 'language saved'
like "$out" 'Interpreter +needed' 'interpreter need saved'
like "$out" 'Risk +low, check in every 10 days' 'cadence saved'
like "$out" 'Consents +CCM unrecorded 2026-11-02, captured by' 'CCM consent saved: a consent row'
like "$out" 'Coordinator +alice' 'coordinator saved'
like "$out" 'Status +inactive' 'status saved'
keys Escape
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
