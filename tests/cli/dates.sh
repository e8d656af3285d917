#!/usr/bin/env bash
# Friendly dates at their limits: an offset or date outside 1900-9999 is
# refused naming the text, and nothing is stored (fuzzing found '-32167mo'
# reading past the month table and '+100000y' stored as today).  Today is
# Tue 2026-11-24.
. "$(dirname "$0")/../lib.sh"

pid=$(must patient add --name "Smith, Margaret")
for due in -32167mo -83407mo -3000y +100000y -100000w +99999999999999999999d +2932897d \
           -2147483648mo 1899-12-31 0001-01-01 +7974y; do
	run task add --patient "$pid" --title "Far" --due "$due"
	rc_is 2 "--due $due is refused"
	is "$err" "caseload: task add: --due: '$due' is out of range: dates run from 1900-01-01 to 9999-12-31" \
	   "the message names $due"
done
run task list --all --format tsv
is "$(rows "$out")" 0 "none of them was stored"

run task add --patient "$pid" --title "Last" --due +7973y
rc_is 0 "the calendar's last year is in it"
run task add --patient "$pid" --title "First" --due -126Y
rc_is 0 "and its first, with the unit in capitals"
run task add --patient "$pid" --title "Month end" --due 2027-01-31
run task list --all --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f4,5 | sort | tr '\t\n' ': ')" \
   "1900-11-24:First 2027-01-31:Month end 9999-11-24:Last " "stored as given"

run task add --patient "$pid" --title "Bad" --due +3x
rc_is 2 "+3x is no date"
like "$err" "'\+3x' is not a date" "and says so"

run --today 1899-12-31 task list
rc_is 2 "a pinned today outside the calendar is refused"
like "$err" "'1899-12-31'" "naming it"

done_testing
