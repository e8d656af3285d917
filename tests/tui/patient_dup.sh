#!/usr/bin/env bash
# A patient is never added or edited into a duplicate without being asked:
# the same name (accents and case aside) and date of birth as another
# patient asks "Save anyway?" naming the other record; no saves nothing,
# yes saves the namesake.  The same MRN is refused outright.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
must patient add --name "Núñez, José" --dob 1978-08-08 --mrn MRN-1005 >/dev/null
must patient add --name "Other, Person" --dob 1990-01-01 >/dev/null
count() { run patient list --format tsv; rows "$out"; }

# the new-patient form: Name, Date of birth, MRN, Phone, Risk
add_patient() {   # add_patient NAME DOB MRN
	keys 1 a
	wait_for 'New patient' 'a in the caseload opens the patient form'
	type_text "$1"
	keys Tab
	type_text "$2"
	keys Tab
	type_text "$3"
	keys Enter
}

tui_start
wait_for 'Núñez, José' 'the screen opens'
add_patient 'Nunez, Jose' 1978-08-08 ''
wait_for 'Save anyway\? a patient with this name and date of birth exists: patient 1' \
	'a namesake born the same day asks, naming the other patient'
keys n
wait_for 'not saved: no patient added' 'no saves nothing'
is "$(count)" 2 'still two patients'

add_patient 'Nunez, Jose' 1978-08-08 ''
wait_for 'Save anyway\?' 'asked again'
keys y
wait_for 'patient added: Nunez, Jose' 'yes adds the namesake'
is "$(count)" 3 'three patients now'

add_patient 'Someone, Else' 2001-02-03 MRN-1005
wait_for 'another patient has that MRN: patient 1' 'the same MRN is refused, naming the patient'
unlike "$(screen)" 'Save anyway' 'without offering to save anyway'
is "$(count)" 3 'nothing added'
like "$(screen)" 'New patient.*' 'the form stays open'
like "$(screen)" 'Someone, Else' 'with what was typed'
keys Escape
wait_for 'discard what you typed'
keys y
wait_gone 'New patient' 'Esc and y close it'

# a birth date in the future is refused in the form, keeping what was typed
add_patient 'Future, Kid' 2099-01-01 ''
wait_for 'YYYY-MM-DD, from 1900 to today' 'a future date of birth is refused beside the field'
wait_for 'Future, Kid' 'the typed name is kept'
keys Escape
wait_for 'discard what you typed'
keys y
wait_gone 'New patient' 'discarded'
is "$(count)" 3 'nothing added'

# editing Other, Person into José's name and birth date asks too
keys /
type_text 'other'
keys Enter
wait_for 'Other, Person' 'the search finds the patient to edit'
keys e
wait_for 'Edit patient' 'e opens the edit form'
for i in $(seq 1 20); do keys BSpace; done
type_text 'Núñez, José'
keys Tab
for i in $(seq 1 12); do keys BSpace; done
type_text 1978-08-08
keys Enter
wait_for 'Save anyway\? a patient with this name and date of birth exists' 'an edit into a duplicate asks'
keys n
wait_for 'not saved: the patient is as it was' 'no leaves the patient as it was'
run patient show 2
like "$out" 'Other, Person' 'patient 2 keeps its name'

keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
