#!/usr/bin/env bash
# The review card reads the day's queue in place (no copy of it): it is
# the order of `caseload review`; a patient the card showed keeps its
# place and number when its items go or change; another process's change
# (every verdict judged again) leaves the card where it was, in the
# order it opened with; opened again, the marked patients come first.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../cli/review.inc"

a=$(pat "Adams, Olga" --risk high)
b=$(pat "Brown, James")
c=$(pat "Clark, Grace")
d=$(pat "Diaz, Rosa")
must task add --patient "$a" --title "Stat call" --due 2026-11-20 --priority urgent >/dev/null
must task add --patient "$b" --title "Prior auth" --due 2026-11-21 >/dev/null
must task add --patient "$c" --title "Call back" --due today >/dev/null
must task add --patient "$d" --title "Send forms" --due today >/dev/null
is "$(items | cut -f1 | uniq | tr '\n' ' ')" "$a $b $c $d " "caseload review: Adams, Brown, Clark, Diaz"

tui_start
wait_for '— 4 need review' 'four patients need review'
keys R
wait_for 'Daily review — Adams, Olga' 'the card opens on the listing'"'"'s first'
wait_for 'Patient 1 of 4' 'the first of four'
keys x
wait_for 'Nothing needs attention now' 'x: Adams has nothing left'
like "$(screen)" 'Patient 1 of 4' 'and keeps the place and the number'
keys '>'
wait_for 'Daily review — Brown, James' '> the listing'"'"'s second'
wait_for 'Patient 2 of 4' 'number 2'
keys '>'
wait_for 'Daily review — Clark, Grace' '> the third'
wait_for 'Patient 3 of 4' 'number 3'

# another process: Diaz most pressing now, Adams flagged again
must task add --patient "$d" --title "Stat fax" --due 2026-11-19 --priority urgent >/dev/null
must task add --patient "$a" --title "Recheck" --due today >/dev/null
wait_for '— 4 need review' 'the other process'"'"'s change is counted'
like "$(screen)" 'Daily review — Clark, Grace' 'the card stays on its patient'
like "$(screen)" 'Patient 3 of 4' 'at its number'
keys '>'
wait_for 'Daily review — Diaz, Rosa' '> the fourth, in the order it opened with'
wait_for 'Patient 4 of 4' 'number 4'
like "$(screen)" 'Stat fax' 'with the new item'
keys '<' '<' '<'
wait_for 'Daily review — Adams, Olga' '< back to the first'
wait_for 'Patient 1 of 4' 'number 1'
like "$(screen)" 'Recheck' 'with its new item'
like "$(screen)" 'Reviewed 0 of 4, 3 skipped' 'the skips counted'
keys Escape
wait_for 'review paused' 'Esc leaves'

# opened again: the marked first, in the order of the marks (Adams,
# Brown, Clark), then Diaz
keys R
wait_for 'Daily review — Diaz, Rosa' 'R resumes at the first not marked: Diaz'
wait_for 'Patient 4 of 4' 'after the three marked'
keys '<'
wait_for 'Daily review — Clark, Grace' '< the last marked: Clark'
wait_for 'Patient 3 of 4' 'third'
keys '<'
wait_for 'Daily review — Brown, James' '< then Brown'
keys Escape
wait_for 'review paused' 'Esc leaves'
keys q
wait_exit
tui_stop
done_testing
