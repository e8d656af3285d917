#!/usr/bin/env bash
# review: task-overdue and task-due; snoozed, closed and future tasks stay out.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

p=$(pat "Chen, Wei" --risk high)
is "$(items)" "" "a patient reached yesterday with no tasks needs nothing"
run review
is "$out" "Nothing needs attention on 2026-11-24." "the table says so"

late=$(must task add --patient "$p" --title "Call pharmacy" --due 2026-11-20)
today=$(must task add --patient "$p" --title "Send referral" --due today)
must task add --patient "$p" --title "Next week" --due 2026-11-30 >/dev/null
urgent=$(must task add --patient "$p" --title "Prior auth" --due yesterday --priority urgent)
is "$(items)" "$(printf '%s\n' \
	"1	task-overdue	urgent	2026-11-23	Prior auth: due 2026-11-23, 1 day overdue" \
	"1	task-overdue	high	2026-11-20	Call pharmacy: due 2026-11-20, 4 days overdue" \
	"1	task-due	medium	2026-11-24	Send referral: due today")" \
	"overdue (urgent first, then most overdue) and due today; next week's task is not listed"

# the due day itself: a task due on the 24th is due (not overdue) that day
is "$(items --date 2026-11-20 | cut -f2-5)" "$(printf 'task-due\tmedium\t2026-11-20\tCall pharmacy: due today')" \
	"on its due day a task is task-due"
is "$(reasons --date 2026-11-19)" "" "the day before, nothing"

# snoozed: out until the snooze ends, back on that day
must task snooze "$late" --until 2026-11-26 >/dev/null
unlike "$(items)" "Call pharmacy" "a snoozed overdue task is left out"
like "$(items --date 2026-11-26)" $'task-overdue\thigh\t2026-11-20\tCall pharmacy: due 2026-11-20, 6 days overdue' \
	"on the day the snooze ends it is back"

# closed tasks clear at once
must task done "$today" >/dev/null
must task done "$urgent" >/dev/null
is "$(items)" "" "completed tasks leave the review"

# an inactive patient is not reviewed
q=$(pat "Lee, Ana")
must task add --patient "$q" --title "Old task" --due 2026-11-01 >/dev/null
like "$(reasons)" "^$q	task-overdue" "an active patient's overdue task shows"
must patient edit "$q" --status inactive >/dev/null
is "$(reasons)" "" "an inactive patient's tasks do not"
done_testing
