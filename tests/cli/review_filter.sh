#!/usr/bin/env bash
# review: narrowing to severities and reasons (--severity, --reason, comma
# lists), their errors, and what a skip means (a skipped patient still
# needs review; only "reviewed" takes a patient off the list).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

a=$(pat "Chen, Wei" --risk high)
b=$(pat "Núñez, José")
must task add --patient "$a" --title "Stat call" --due 2026-11-20 --priority urgent >/dev/null
must task add --patient "$a" --title "Call back" --due today >/dev/null
must task add --patient "$b" --title "Prior auth" --due 2026-11-21 >/dev/null
must discharge --patient "$b" --date 2026-11-23 --facility "General" >/dev/null

is "$(reasons | sort | tr '\t\n' '  ')" "1 task-due 1 task-overdue 2 task-overdue 2 tcm-contact 2 tcm-visit 2 unreviewed " \
	"unfiltered: every item"
is "$(items --severity urgent | cut -f1,2,3 | tr '\n' ' ')" "$(printf '1\ttask-overdue\turgent') " \
	"--severity urgent: the urgent item alone"
is "$(items --severity high,urgent | cut -f3 | sort -u | tr '\n' ' ')" "high urgent " \
	"--severity high,urgent: a comma list"
is "$(items --reason tcm-contact,tcm-visit | cut -f1,2 | tr '\n' ' ')" "$(printf '2\ttcm-contact 2\ttcm-visit') " \
	"--reason: a comma list of reasons"
is "$(items --severity medium --reason task-due | cut -f1,2)" "$(printf '1\ttask-due')" \
	"both: items matching both"
run review --severity low
rc_is 0 "a filter matching nothing succeeds"
is "$out" "Nothing needs attention on 2026-11-24." "and says so"
run review --severity urgent
like "$out" "^1 item for 1 patient; today 0 reviewed, 0 skipped, 1 still need review\.$" \
	"the summary counts the filtered list"

# bad input names the option and the choices, and lists nothing
run review --severity urgent,critical
rc_is 2 "an unknown severity is a usage error"
like "$err" "^caseload: review: --severity: 'critical' is not a severity \(one of urgent, high, medium, low\)" \
	"naming the option, the word and the choices"
is "$out" "" "nothing listed"
run review --reason tcm
rc_is 2 "an unknown reason is a usage error"
like "$err" "--reason: 'tcm' is not a review reason \(one of task-overdue, .*tcm-contact" \
	"naming the reasons"
run review --reason $'bad\e[31m'
unlike "$err" $'\e' "no escape character reaches the terminal"

# skipping is not reviewing
run review mark "$b" --skip
run review
like "$out" "today 0 reviewed, 1 skipped, 2 still need review" "a skipped patient still needs review"
like "$out" "Núñez, José \\($b\\) skipped" "and is shown as skipped"
run review mark "$b"
run review
like "$out" "today 1 reviewed, 0 skipped, 1 still need review" "reviewed takes the patient off"
run review mark "$b" --clear
run review
like "$out" "today 0 reviewed, 0 skipped, 2 still need review" "--clear undoes the mark"
# a patient reviewed with nothing left still counts as reviewed today
c=$(pat "Okafor, Ada")
run review mark "$c"
run review
like "$out" "today 1 reviewed, 0 skipped, 2 still need review" "a reviewed patient without items counts"
run audit --format tsv
like "$out" $'skipped\treview_mark' "a skip leaves an audit row"
like "$out" $'unmark\treview_mark' "so does undoing"
done_testing
