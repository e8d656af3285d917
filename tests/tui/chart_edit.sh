#!/usr/bin/env bash
# Editing from the chart (issue 14): e offers the patient, each
# medication, condition and care-team member in a pick list and opens the
# one chosen in its form, prefilled; a refused save (a bad date, a lost
# race with another edit) keeps the form and what was typed; the edit
# shows in the chart and in `patient show`, and u undoes it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

p=$(must patient add --name "Quiet, Quinn" --dob 1951-05-06 --mrn Q-77 --risk low)
m=$(must med add --patient "$p" --name Albuterol --dose "2 puffs" --refill-due 2026-12-20)
c=$(must condition add --patient "$p" --name Asthma --onset 2001-04-01)
cid=$(must contact add --name "Dr. Ada Park" --kind primary-care --phone 555-0100)
must team add --patient "$p" --contact "$cid" --role "primary care" >/dev/null

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys /
type_text Quiet
keys Enter
wait_for 'Timeline: Quiet, Quinn' 'the patient is found'
keys Enter
wait_for 'Chart: Quiet, Quinn' 'the chart opens'
wait_for 'Albuterol 2 puffs, refill due Sun 20 Dec' 'with the medication'

# ---- a medication's refill date ----
keys e
wait_for 'Medication: Albuterol' 'e lists the medication'
like "$(screen)" 'Condition: Asthma' 'the condition'
like "$(screen)" 'Care team: Dr. Ada Park' 'and the care-team member'
keys Down Enter
wait_for 'Medication of Quiet, Quinn' 'the medication form opens, naming the patient'
like "$(screen)" 'Albuterol' 'prefilled with the name'
like "$(screen)" '2026-12-20' 'and the refill date'
keys Tab Tab
type_text 'someday'
keys Enter
wait_for 'not a date' 'a bad refill date is refused beside the field'
like "$(screen)" 'Medication of Quiet, Quinn' 'the form stays open'
keys C-u
type_text '2027-01-15'
keys Enter
wait_for 'medication saved: Albuterol' 'the edit is saved'
wait_for 'Albuterol 2 puffs, refill due Fri 15 Jan' 'the chart shows the new refill date'
run patient show "$p"
like "$out" 'Albuterol 2 puffs, refill due 2027-01-15' 'patient show has it too'

# ---- a save that lost the race keeps the form ----
keys e
wait_for 'Medication: Albuterol' 'the pick list again'
keys Down Enter
wait_for 'Medication of Quiet, Quinn' 'the medication form again'
must med edit "$m" --dose "4 puffs" >/dev/null   # someone else, meanwhile
keys Tab
keys C-u
type_text '3 puffs'
keys Enter
wait_for "changed by .* since it was read" 'the save is refused, naming who changed it'
like "$(screen)" 'Medication of Quiet, Quinn' 'the form stays open'
like "$(screen)" '3 puffs' 'with what was typed'
run med list --patient "$p" --format tsv
like "$out" $'Albuterol\t4 puffs' 'their change is kept'
keys Enter
wait_for 'medication saved: Albuterol' 'Enter again saves over it, knowingly'
run med list --patient "$p" --format tsv
like "$out" $'Albuterol\t3 puffs\t2027-01-15' 'the dose typed is saved'

# ---- a condition's name and status ----
keys e
wait_for 'Condition: Asthma' 'the pick list again'
keys Down Down Enter
wait_for 'Condition of Quiet, Quinn' 'the condition form opens'
like "$(screen)" '2001-04-01' 'prefilled with the onset'
keys C-u
type_text 'Moderate persistent asthma'
keys Enter
wait_for 'condition saved: Moderate persistent asthma' 'the condition is saved'
wait_for '  Moderate persistent asthma' 'the chart shows the new name'
run patient show "$p"
like "$out" 'Moderate persistent asthma' 'patient show has it too'

# ---- a care-team member's role and phone ----
keys e
wait_for 'Care team: Dr. Ada Park' 'the pick list again'
keys Down Down Down Enter
wait_for 'Care team of Quiet, Quinn' 'the care-team form opens'
like "$(screen)" 'primary care' 'prefilled with the role'
keys Tab
keys C-u
type_text 'cardiology'
keys Tab
keys C-u
type_text '555-0199'
keys Enter
wait_for 'care team: Dr. Ada Park \(cardiology\) saved' 'the member is saved'
wait_for 'Dr. Ada Park \(cardiology\) +555-0199' 'the chart shows the new role and phone'
run patient show "$p"
like "$out" 'Dr. Ada Park \(cardiology\) +555-0199' 'patient show has them too'

# ---- u undoes the last edit (the care team's), then the condition's ----
keys Escape
wait_gone 'Chart: ' 'Esc closes the chart'
keys u
wait_for "edited care team member" 'u undoes the care-team edit and says so'
run patient show "$p"
like "$out" 'Dr. Ada Park \(primary care\) +555-0100' 'role and phone are back'
keys u
wait_for "edited condition $c" 'u again undoes the condition edit'
run condition list --patient "$p" --format tsv
like "$out" $'\tAsthma\t2001-04-01\tactive' 'the name is back'
tui_stop
done_testing
