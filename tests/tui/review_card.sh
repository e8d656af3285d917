#!/usr/bin/env bash
# The review card as a morning needs it: the header's date of birth and
# MRN, each why with the configured numbers, Coming up only ahead, the
# selection after an action staying in place, `a` prefilled from the
# item, narrowing by severity and reason, the list aligned by display
# width with Enter going to a patient, and the post-discharge call task
# completed with the reached call that meets it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../cli/review.inc"

o=$(pat "Ødegaard, Zoë" --dob 1950-03-02 --mrn A123)
w=$(must patient add --name "王, 伟")     # never reached: the discharge contact is due
s=$(pat "Smith, Ann")
t0=$(must task add --patient "$o" --title "Stat call" --due 2026-11-17 --priority urgent)
t1=$(must task add --patient "$o" --title "First" --due 2026-11-18)
t2=$(must task add --patient "$o" --title "Second" --due 2026-11-19)
t3=$(must task add --patient "$o" --title "Third" --due 2026-11-20)
must task add --patient "$o" --title "Prepare the visit" --due 2026-12-01 >/dev/null
must med add --patient "$o" --name Furosemide --refill-due 2026-11-20 >/dev/null
must med add --patient "$o" --name Metformin --dose "500 mg" --refill-due 2026-11-27 >/dev/null
must discharge --patient "$w" --date 2026-11-20 --facility "General" >/dev/null
tw=$(must task add --patient "$w" --title "Call after discharge" --kind call --due today)
must task add --patient "$s" --title "Call back" --due today >/dev/null

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys R
wait_for 'Daily review — Ødegaard, Zoë' 'the review opens on the most pressing patient'
wait_for 'Ødegaard, Zoë  ·  DOB 1950-03-02 \(76\)  ·  MRN A123  ·' 'the header has the date of birth, the age and the MRN'
like "$(screen)" 'why: a refill is overdue and no refill task is open' 'an overdue refill says overdue'
like "$(screen)" 'why: a refill comes due within 5 days and no refill task is open' 'a refill due soon states the configured days'
like "$(screen)" 'task Tue 1 Dec +Prepare the visit' 'Coming up has the task ahead'
unlike "$(screen | sed -n '/Coming up/,$p')" 'Stat call|First|Second|Third' 'and none of the overdue ones'

# the selection stays in place after an action: on the next item
keys j j
keys x
wait_gone 'Second: due' 'x completes the selected (second) task'
keys x
wait_gone 'Third: due' 'x again completes the next one, not the first'
run task list --patient "$o" --format tsv
like "$out" "^$t1"$'\t' "the first task is still open"
unlike "$out" "^($t2|$t3)"$'\t' "the second and third are done"

# a on the refill item (now selected): the form is prefilled from it
keys a
wait_for 'New task for Ødegaard, Zoë' 'a opens the task form'
wait_for 'Request refill: Furosemide' 'its title from the item'
like "$(screen)" 'Kind.*refill' 'its kind from the item'
like "$(screen)" 'Due.*2026-11-24' 'due today, the refill being overdue'
keys Enter
wait_for 'task added: Request refill: Furosemide' 'the task is added'
wait_gone 'refill +Fri 20 Nov' 'the refill item goes with it'
like "$(screen)" 'Metformin 500 mg: refill due' 'the refill of the other medication stays on the card'

# narrowing: urgent only, then one reason
keys f
wait_for 'narrow to' 'f asks what to narrow to'
type_text urgent
keys Enter
wait_for 'Daily review — Ødegaard, Zoë — urgent' 'the title says urgent'
wait_for '1 patient in the review' 'one patient has an urgent item'
unlike "$(screen)" 'First: due' 'the card shows urgent items only'
like "$(screen)" 'urgent +task-overdue' 'the urgent one'
keys f
wait_for 'narrow to' 'f again'
keys BSpace BSpace BSpace BSpace BSpace BSpace
type_text tcm-contact
keys Enter
wait_for 'Daily review — 王, 伟 — tcm-contact' 'by reason: the discharged patient'
keys f
wait_for 'narrow to'
for i in $(seq 1 11); do keys BSpace; done
keys Enter
wait_for '3 patients in the review' 'empty: everything again'

# the list: names padded by display width, count and severity apart
keys l
wait_for "The day's review: 3 patients" 'l lists the day'
list=$(screen | grep -E '(Ødegaard|王|Smith).* items? ')
is "$(printf '%s\n' "$list" | grep -c .)" 3 "a row each"
cols=$(printf '%s\n' "$list" | /usr/bin/python3 -c '
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for l in sys.stdin:
    i = l.index(" item")
    print(width(l[:i]))' | sort -u | wc -l)
is "$cols" 1 "the counts line up whatever the name's script"
like "$list" 'Ødegaard, Zoë +1950-03-02 +[0-9]+ items +urgent' 'the date of birth, then count and severity apart'
keys j j
keys Enter
wait_for 'Daily review — Smith, Ann' 'Enter goes to the patient'

# the post-discharge call task: x without a reached contact asks
keys l
wait_for "The day's review"
keys k
keys Enter
wait_for 'Daily review — 王, 伟' 'the discharged patient'
keys j j j
keys x
wait_for 'Was the patient reached' 'x on the discharge call task asks whether the contact was made'
keys n
wait_for 'task left open' 'no: the task stays open'
keys c
wait_for 'Contact with 王, 伟' 'c opens the contact form'
wait_for 'Complete task' 'offering to complete the discharge call task'
keys Enter
wait_for 'logged call: reached; the post-discharge call task is done' 'one step logs the call and completes the task'
wait_gone 'tcm-contact' 'the discharge contact is met'
keys Escape
keys q
wait_exit
tui_stop
run task list --patient "$w" --format tsv
unlike "$out" "^$tw"$'\t' "the discharge call task is closed"
run review --patient "$w" --format tsv
unlike "$out" 'tcm-contact' "caseload review agrees"
done_testing
