#!/usr/bin/env bash
# patient add|edit refuse a second patient with the same name (folded:
# accents and case aside) and date of birth, or the same MRN, naming the
# existing record; --allow-duplicate insists on a namesake.
. "$(dirname "$0")/../lib.sh"

id=$(must patient add --name "Núñez, José" --dob 1978-08-08 --mrn MRN-0001005 --phone 555-200-5000)
is "$id" 1 "the first José Núñez"
audit_before=$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM audit")

run patient add --name "Núñez, José" --dob 1978-08-08
rc_is 1 "same name and date of birth: refused, exit 1"
like "$err" "a patient with this name and date of birth exists: patient 1 \(Núñez, José, born 1978-08-08, MRN MRN-0001005\)" \
	"the refusal names the existing record by id, name, date of birth and MRN"
like "$err" "add it anyway with --allow-duplicate" "and says how to insist"
is "$out" "" "nothing on stdout"

run patient add --name "NUNEZ, Jose" --dob 1978-08-08
rc_is 1 "the same name without accents and in capitals is the same name"
like "$err" "patient 1 \(Núñez, José" "it names the accented record"
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM patient")" 1 "refusals added nobody"
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM audit")" "$audit_before" "and wrote no audit row"

run patient add --name "Núñez, José" --dob 1980-01-01
rc_is 0 "a namesake born on another day is added"
is "$out" 2 "as patient 2"
run patient add --name "Núñez, José"
rc_is 0 "a namesake with no date of birth is added (nothing to compare)"
is "$out" 3 "as patient 3"

run patient add --name "Núñez, José" --dob 1978-08-08 --allow-duplicate
rc_is 0 "--allow-duplicate adds the namesake anyway"
is "$out" 4 "as patient 4"

run patient add --name "Other, Person" --mrn MRN-0001005
rc_is 1 "another patient's MRN: refused"
like "$err" "another patient has that MRN: patient 1 \(Núñez, José, born 1978-08-08, MRN MRN-0001005\)" \
	"the MRN refusal names the record"
unlike "$err" "allow-duplicate" "and does not offer to insist"
run patient add --name "Other, Person" --mrn MRN-0001005 --allow-duplicate
rc_is 1 "--allow-duplicate does not share an MRN"

# Editing into a duplicate is refused the same way; the edit changes nothing.
must patient add --name "Chen, Su" --dob 1960-05-05 --phone 555-0100 >/dev/null
run patient edit 5 --name "Núñez, José" --dob 1978-08-08
rc_is 1 "editing a patient into another's name and date of birth: refused"
like "$err" "patient 1 \(Núñez, José" "naming the existing record"
like "$err" "save it anyway with --allow-duplicate" "and how to insist"
run patient list --search "chen su" --format tsv
is "$(rows "$out")" 1 "the refused edit changed nothing"
run patient edit 5 --mrn MRN-0001005
rc_is 1 "editing to another's MRN: refused"
like "$err" "another patient has that MRN: patient 1" "naming its holder"
run patient edit 5 --name "Núñez, José" --dob 1978-08-08 --allow-duplicate
rc_is 0 "--allow-duplicate saves the edit"

# A kept namesake can still be edited: only a change of name, date of
# birth or MRN is checked, and a patient is no duplicate of itself.
run patient edit 4 --phone 555-0199
rc_is 0 "a kept duplicate can be edited"
run patient edit 1 --mrn MRN-0001005 --dob 1978-08-08
rc_is 0 "saving a patient's own MRN and date of birth again is fine"

# An inactive patient counts too.
must patient add --name "Ødegaard, Zoë" --dob 1990-02-02 --status inactive >/dev/null
run patient add --name "Odegaard, Zoe" --dob 1990-02-02
rc_is 1 "an inactive patient with the same name and date of birth refuses it too"
like "$err" "Ødegaard, Zoë, born 1990-02-02, no MRN" "a record without MRN says so"

done_testing
