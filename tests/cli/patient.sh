#!/usr/bin/env bash
# patient add|list|show|edit from the command line, bad input included.
. "$(dirname "$0")/../lib.sh"

run init
rc_is 0 "init creates the database"
is "$(stat -c %a "$CASELOAD_DB")" 600 "database file is mode 0600"

id=$(must patient add --name "Núñez, José" --dob 1950-03-04 --mrn M100 --phone 555-0100 --risk high --language Spanish)
is "$id" 1 "patient add prints the new id alone"
run patient add --name "Ødegaard, Zoë"
is "$out" 2 "second patient gets id 2"

run patient list --format tsv
is "$(printf '%s\n' "$out" | head -1 | cut -f1-2)" "$(printf 'id\tname')" "TSV header starts with id, name"
is "$(rows "$out")" 2 "two patients listed"
like "$out" $'1\tNúñez, José\t1950-03-04\tM100\thigh' "TSV row carries the fields"

run patient list --format json
like "$out" '"id": 1, "name": "Núñez, José"' "JSON has id and name"

run patient list --search núñez
like "$out" 'Núñez' "search finds by part of the name"
unlike "$out" 'Ødegaard' "search leaves others out"
run patient list --search M100
like "$out" 'Núñez' "search finds by MRN"

run patient edit 1 --phone 555-0199 --risk medium
rc_is 0 "patient edit succeeds"
run patient show 1
like "$out" 'Phone +555-0199' "edit changed the phone"
like "$out" 'Risk +medium, check in every 14 days' "edit changed the risk"

# bad input: clear message, exit status, nothing changed
run patient add --name "Bad, Risk" --risk extreme
rc_is 2 "bad risk is a usage error"
like "$err" "^caseload: patient add: risk 'extreme' is not one of low, medium or high" "message names the bad value"
run patient add --risk high
rc_is 2 "missing --name is a usage error"
like "$err" "missing --name" "message names the missing option"
run patient add --name "Dup, MRN" --mrn M100
rc_is 1 "duplicate MRN is refused"
like "$err" "MRN" "message says why"
run patient add --name "Future, Born" --dob 2030-01-01
rc_is 2 "a date of birth in the future is refused"
run patient add --name "Early, Born" --dob 1899-12-31
rc_is 2 "a date of birth before 1900 is refused"
like "$err" "1899-12-31" "the message names the date"
like "$err" "from 1900 on" "and says which dates are accepted"
run patient list
unlike "$out" "Early" "nothing was added"
run patient show 99
rc_is 1 "unknown patient id fails"
like "$err" "no patient with id 99" "message names the missing record"
run patient show abc
rc_is 2 "a non-number id is a usage error"
run patient edit 99 --phone 1
rc_is 1 "editing an unknown patient fails"
run patient list --format xml
rc_is 2 "unknown format is a usage error"
run patient add --name "X, Y" --bogus 1
rc_is 2 "unknown option is a usage error"
like "$err" "unknown option '--bogus'" "message names the option"
run patient list --format tsv
is "$(rows "$out")" 2 "failed commands added nothing"

done_testing
