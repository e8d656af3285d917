#!/usr/bin/env bash
# Friendly dates at their limits: a date people type runs from 1900-01-01
# to 2200-12-31.  An offset that leaves those years, or a date outside
# them, is refused naming the option and the text, and nothing is stored
# (fuzzing found '-32167mo' reading past the month table, the release
# build storing '-974-10-31' for -3000y, and '+100000y' stored as today).
# Today is Tue 2026-11-24.
. "$(dirname "$0")/../lib.sh"

pid=$(must patient add --name "Smith, Margaret")
for due in -32167mo -83407mo -3000y +100000y -100000w +99999999999999999999d +63590d \
           -2147483648mo +2147483648d +175y -127y +9085w +2090mo +44000bd; do
	run task add --patient "$pid" --title "Far" --due "$due"
	rc_is 2 "--due $due is refused"
	is "$err" "caseload: task add: --due: '$due' leaves the years 1900-2200" \
	   "the message names $due"
done
for due in 1899-12-31 0001-01-01 2201-01-01 9999-12-31; do
	run task add --patient "$pid" --title "Far" --due "$due"
	rc_is 2 "--due $due is refused"
	is "$err" "caseload: task add: --due: '$due' is outside the years 1900-2200" \
	   "the message names $due"
done
run task list --all --format tsv
is "$(rows "$out")" 0 "none of them was stored"

# every path that takes a friendly date gets the same error
run appt add --patient "$pid" --title "Far" --start "+175y 09:00"
rc_is 2 "appt add --start +175y is refused"
like "$err" "'\+175y' leaves the years 1900-2200" "naming the offset"
run task snooze 1 --until +100000y
rc_is 2 "task snooze --until +100000y is refused"
like "$err" "leaves the years 1900-2200" "with the range"
run discharge --patient "$pid" --date -3000y
rc_is 2 "discharge --date -3000y is refused"
run template apply type-2-diabetes --patient "$pid" --start 2201-01-01
rc_is 2 "template apply --start 2201-01-01 is refused"
like "$err" "'2201-01-01' is outside the years 1900-2200" "naming the date"
cfg="$T/config.yaml"
printf 'holidays: [us-federal, 2300-01-01]\n' > "$cfg"
run --config "$cfg" task list
rc_is 1 "a holiday in 2300 is refused in the config"
like "$err" "config.yaml:1:24: holiday '2300-01-01' is not a date of the years 1900-2200" \
     "naming the file, the place and the date"

run task add --patient "$pid" --title "Last" --due +63589d
rc_is 0 "the calendar's last day is in it"
run task add --patient "$pid" --title "First" --due -126Y
rc_is 0 "and its first year, with the unit in capitals"
run task add --patient "$pid" --title "Month end" --due 2027-01-31
run task list --all --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f4,5 | sort | tr '\t\n' ': ')" \
   "1900-11-24:First 2027-01-31:Month end 2200-12-31:Last " "stored as given"

run task add --patient "$pid" --title "Bad" --due +3x
rc_is 2 "+3x is no date"
like "$err" "'\+3x' is not a date" "and says so"

# a long argument is shown cut to 40 characters, never in full
long=$(printf '+%0120dd' 9 | tr 0 9)
run task add --patient "$pid" --title "Long" --due "$long"
rc_is 2 "a 122-character --due is refused"
is "$err" "caseload: task add: --due: '+99999999999999999999999999999999999999…' leaves the years 1900-2200" \
   "showing its first 39 characters and an ellipsis"

run --today 1899-12-31 task list
rc_is 2 "a pinned today outside the calendar is refused"
like "$err" "'1899-12-31'" "naming it"
run --today 2201-01-01 task list
rc_is 2 "and one after it"

done_testing
