#!/usr/bin/env bash
# Skipping is not reviewing: on the screen, > keeps the patient's !, the
# title count and the needs-review filter; the summary counts exactly and
# offers the skipped ones again; < on it goes to the last patient; < and >
# reach reviewed and skipped patients; V undoes a mark; resuming.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../cli/review.inc"

a=$(pat "Adams, Olga" --risk high)
b=$(pat "Brown, James")
c=$(pat "Clark, Grace")
must task add --patient "$a" --title "Stat call" --due 2026-11-20 --priority urgent >/dev/null
must task add --patient "$b" --title "Prior auth" --due 2026-11-21 >/dev/null
must task add --patient "$c" --title "Call back" --due today >/dev/null

tui_start
wait_for '— 3 need review' 'three patients need review'
keys R
wait_for 'Daily review — Adams, Olga' 'the review opens on the most pressing patient'
keys '>'
wait_for 'Daily review — Brown, James' '> goes to the next patient'
wait_for 'Reviewed 0 of 3, 1 skipped' 'the skip is counted as a skip'
keys '>' '>'
wait_for 'the end of the queue, 3 patients still need review' 'after the last: the summary, nobody reviewed'
like "$(screen)" 'Reviewed +0 of 3 patients' 'reviewed: none'
like "$(screen)" 'Skipped +3 \(they still need review\)' 'skipped: 3'
like "$(screen)" 'Still open +3 items for 3 patients' 'still open: exact'
like "$(screen)" '> revisit skipped \(3\)' 'revisiting is offered'
keys '<'
wait_for 'Daily review — Clark, Grace' '< on the summary goes to the last patient'
wait_for 'Patient 3 of 3' 'the third'
keys Escape
wait_for 'review paused' 'Esc leaves'
wait_for '— 3 need review' 'skipped patients still count'
is "$(left | grep -c '^x! ')" 3 "and keep their !"
keys f f
wait_for 'Caseload by need — needs review' 'the needs-review filter'
is "$(left | grep -cE '^x! (Adams|Brown|Clark)')" 3 "shows the skipped patients"
keys f f f
wait_gone 'needs review$|— mine'
run review
like "$out" "today 0 reviewed, 3 skipped, 3 still need review" "caseload review agrees"

# coming back: nobody is unmarked, so the summary offers the skipped
keys R
wait_for 'revisit skipped \(3\)' 'R resumes at the summary, offering the skipped'
keys '>'
wait_for 'Daily review — Adams, Olga' '> revisits the first skipped patient'
wait_for 'this one was skipped' 'saying so'
keys v
wait_for 'Daily review — Brown, James' 'v: reviewed, on to the next skipped patient'
wait_for '— 2 need review' 'the title counts one fewer'
keys '<'
wait_for 'Daily review — Adams, Olga' '< reaches the reviewed patient'
wait_for 'this one is reviewed' 'marked reviewed'
keys V
wait_for 'mark removed' 'V removes the mark'
wait_for '— 3 need review' 'the patient needs review again'
wait_gone 'this one is reviewed' 'the card says so'
keys Escape
wait_for 'review paused' 'Esc leaves'
is "$(left | grep -c '^x! ')" 3 "all three marked with !"
keys q
wait_exit
tui_stop
run audit --format tsv
like "$out" $'unmark\treview_mark' "undoing leaves an audit row"
done_testing
