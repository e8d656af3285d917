#!/usr/bin/env bash
# The bottom-line prompts type what is typed: a space is a space.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
tui_start
wait_for 'Caseload by need' 'the screen'
keys /
type_text 'Sánchez, M'
wait_for 'Caseload by need — /Sánchez, M' 'a space in the search is a space'
unlike "$(screen)" 'Space' 'not the word "Space"'
wait_for 'Sánchez, Margaret' 'Family, Gi finds Margaret'
wait_for 'Sánchez, Mei' 'and Mei'
keys Enter
wait_for '2 patients match' 'two matches are counted in the plural'
keys Escape
wait_gone '/Sánchez' 'Esc clears the search'
keys /
type_text 'odegaard'
keys Enter
wait_for '1 patient matches' 'one match in the singular'
keys Escape
keys /
type_text 'zzzz'
keys Enter
wait_for "no patient matches 'zzzz'" 'none says so, with what was typed'
keys Escape
keys :
type_text 'review list'
keys Enter
wait_for "'review' takes no argument \\('list'\\)" 'the : prompt keeps the space too'
# a yes-or-no question takes one key and goes as soon as it is answered
keys 3 +
wait_for 'New task for' '+ in the task queue opens the task form'
type_text 'Test'
keys Escape
wait_for 'discard what you typed\? \(y/n\)' 'Esc on a typed form asks'
keys n
wait_gone 'discard what you typed' 'n answers at once, and the question is gone'
wait_for 'New task for' 'the form is still open'
keys Escape
wait_for 'discard what you typed\? \(y/n\)' 'asked again'
keys x
like "$(screen)" 'discard what you typed' 'another key does not answer it'
keys y
wait_gone 'New task for' 'y discards the form'
run task list --format tsv
unlike "$out" $'\tTest' 'nothing was added'
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
