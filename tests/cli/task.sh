#!/usr/bin/env bash
# tasks: add, list, done, snooze.  Today is Tue 2026-11-24; Thanksgiving is
# Thu 2026-11-26.
. "$(dirname "$0")/../lib.sh"

pid=$(must patient add --name "Smith, Margaret")
t1=$(must task add --patient "$pid" --title "Call after discharge" --due +2bd --priority urgent --kind call)
t2=$(must task add --patient "$pid" --title "Confirm transport" --due yesterday --kind transport)
t3=$(must task add --patient "$pid" --title "Someday" )
run task list --format tsv
is "$(printf '%s\n' "$out" | head -1 | cut -f1-8)" "$(printf 'id\tpatient_id\tpatient\tdue\ttitle\tkind\tpriority\tstatus')" "TSV header"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1,4 | tr '\t\n' ': ')" "$t2:2026-11-23 $t1:2026-11-27 $t3: " "overdue first, +2bd skips Thanksgiving, undated last"
like "$out" $'Call after discharge\tcall\turgent\trequested' "kind and priority kept"
run task list --due today --format tsv
is "$(rows "$out")" 1 "--due today keeps what is due by today"
run task list --format json
like "$out" '"id": 2, "patient_id": 1, "patient": "Smith, Margaret", "due": "2026-11-23"' "JSON keys"

run task add --patient "$pid" --title "X" --priority whenever
rc_is 2 "unknown priority"
like "$err" "priority 'whenever' is not one of routine, urgent, asap or stat" "message lists them"
run task add --patient "$pid" --title "X" --due "the 5th"
rc_is 2 "bad due date"
run task add --patient "$pid"
rc_is 2 "missing title"

run task done "$t2"
rc_is 0 "task done"
run task done "$t2"
rc_is 2 "done twice is refused"
like "$err" "already completed" "message says so"
run task list --format tsv
is "$(rows "$out")" 2 "completed task left the open list"
run task list --all --format tsv
like "$out" $'Confirm transport\ttransport\troutine\tcompleted' "--all shows it completed"

run task snooze "$t1" --until +1w
rc_is 0 "snooze"
run task list --format tsv
like "$out" $'requested\t2026-12-01' "snoozed until a week from today"
run task snooze "$t1" --until yesterday
rc_is 2 "snoozing into the past is refused"
run task snooze "$t1"
rc_is 2 "snooze needs --until"
run task snooze 999 --until +1d
rc_is 1 "unknown task"
like "$err" "no task with id 999" "message names the task"

done_testing
