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
keys Escape
wait_gone '/Sánchez' 'Esc clears the search'
keys :
type_text 'review list'
keys Enter
wait_for "'review list' is not an action" 'the : prompt keeps the space too'
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
