#!/usr/bin/env bash
# review: the listing grouped by patient in each format, the day's review
# marks, acknowledging, bad input, and the demo showing every reason.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

a=$(pat "Chen, Wei" --risk high)
b=$(pat "Núñez, José")
must task add --patient "$a" --title "Call back" --due today >/dev/null
must task add --patient "$b" --title "Prior auth" --due 2026-11-20 >/dev/null
must task add --patient "$a" --title "Old" --due 2026-11-22 >/dev/null
d=$(must discharge --patient "$b" --date 2026-11-10 --facility "Bad place")
# an escape sequence in the facility, as an import may bring one (the
# command line refuses control characters: tests/cli/safe_text.sh; the
# character in the SQL text itself: char() is SQLite's alone)
esc=$'\e'
sqlite3 "$CASELOAD_DB" "UPDATE entry SET facility = 'Bad${esc}[31m place' WHERE id = $d"

# table: each patient once, at the head of their items, most pressing first
run review
is "$out" "$(printf '%s\n' \
	"Patient          Severity  Reason        Due         Record   Detail" \
	"Núñez, José (2)  high      task-overdue  2026-11-20  task 2   Prior auth: due 2026-11-20, 4 days overdue" \
	"                 high      tcm-visit     2026-11-24  entry 3  discharged 2026-11-10 from Bad place: no follow-up appointment within 14 days (by 2026-11-24)" \
	"                 medium    unreviewed    2026-11-10  entry 3  discharge 2026-11-10 12:00 not yet acknowledged: Bad place" \
	"Chen, Wei (1)    high      task-overdue  2026-11-22  task 3   Old: due 2026-11-22, 2 days overdue" \
	"                 medium    task-due      2026-11-24  task 1   Call back: due today" \
	"" \
	"5 items for 2 patients; today 0 reviewed, 0 skipped, 2 still need review.")" \
	"the table groups by patient, in order of their most pressing item"
unlike "$out" $'\e' "no escape character from the data reaches the terminal"

run review --format tsv
is "$(printf '%s\n' "$out" | head -1)" "$(printf 'patient_id\tpatient\treason\tseverity\tdue\tdetail\tref_table\tref_id\treviewed')" \
	"TSV header"
is "$(printf '%s\n' "$out" | sed -n 2p)" "$(printf '2\tNúñez, José\ttask-overdue\thigh\t2026-11-20\tPrior auth: due 2026-11-20, 4 days overdue\ttask\t2\t')" \
	"TSV row: every item carries its patient"
is "$(rows "$out")" 5 "five items"
run review --format json
like "$out" '^\[' "JSON is an array"
like "$out" '"patient_id": 1, "patient": "Chen, Wei", "reason": "task-due", "severity": "medium", "due": "2026-11-24", "detail": "Call back: due today", "ref_table": "task", "ref_id": 1' \
	"JSON keys as documented"
printf '%s' "$out" >"$T/review.json"
ok "JSON parses" /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==5 and all(set(["patient_id","patient","reason","severity","due","detail"])<=set(x) for x in d)' "$T/review.json"
run review --patient "$a" --format tsv
is "$(rows "$out")" 2 "--patient: one patient's items"

# the day's review marks
run review mark "$a"
rc_is 0 "review mark"
is "$out" "$a" "prints the patient id"
run review --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | grep -c $'\treviewed$')" 2 "both of the patient's items say reviewed"
run review
like "$out" "^Chen, Wei \\(1\\) reviewed " "the table marks the patient"
like "$out" "today 1 reviewed, 0 skipped, 1 still need review" "and counts exactly"
run review --date tomorrow
like "$out" "today 0 reviewed, 0 skipped, 2 still need review" "a mark is for one day"
run review mark "$b" --skip
run review --format tsv
is "$(printf '%s\n' "$out" | grep -c $'\tskipped$')" 3 "--skip marks skipped"
run review mark "$a" --clear
run review
like "$out" "today 0 reviewed, 1 skipped, 2 still need review" "--clear removes the mark; a skipped patient still needs review"
run audit --format tsv
like "$out" $'reviewed\treview_mark' "marks leave audit rows"

# acknowledging
run review ack "$d"
rc_is 0 "review ack"
unlike "$(reasons)" "unreviewed" "the discharge is acknowledged"
note=$(must note add --patient "$a" --text "Plain note")
run review ack "$note"
rc_is 2 "a plain note needs no acknowledging"
like "$err" "timeline entry $note needs no acknowledging" "saying so"
run audit --format tsv
like "$out" $'acknowledge\tentry' "acknowledging leaves an audit row"

# bad input
run review --date 2026-13-01
rc_is 2 "a bad date is a usage error"
like "$err" "^caseload: review: --date" "naming the option"
run review --format xml
rc_is 2 "a bad format is a usage error"
run review mark
rc_is 2 "review mark needs a patient"
run review mark 99
rc_is 1 "an unknown patient fails"
like "$err" "no patient with id 99" "naming it"
run review --patient 99
rc_is 1 "review --patient of an unknown patient fails"
run review extra
rc_is 2 "a stray argument is a usage error"

# the demo caseload gives every rule something to show
export CASELOAD_DB="$T/demo.db"
must demo >/dev/null
run review --format tsv
for r in task-overdue task-due transport appt-confirm refill tcm-contact tcm-visit cadence \
	ccm-minutes noshow unreviewed consent-missing ccm-eligible; do
	like "$(printf '%s\n' "$out" | cut -f3 | sort -u)" "^$r\$" "the demo shows $r"
done
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f3 | grep -cvxE 'task-overdue|task-due|transport|appt-confirm|refill|tcm-contact|tcm-visit|cadence|ccm-minutes|noshow|unreviewed|consent-missing|ccm-eligible' || true)" 0 \
	"and no other reason code"
done_testing
