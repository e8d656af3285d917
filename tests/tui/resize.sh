#!/usr/bin/env bash
# One resize path: a form, the prompt and the review card follow the new
# size, and closing them leaves the panes laid out for it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
# The line with the panes' top borders: its last character is a corner at
# the terminal's last column when the panes fill the width.
top_border() { screen | sed -n 2p; }

tui_start_at 100 30
wait_for 'Caseload by need' 'the screen at 100x30'
# the timeline's title fits the identifiers to the new width
tui_resize 160 30
wait_for 'Timeline: Anderson, Thomas · DOB 1951-08-01 · MRN' 'wide: the name, the date of birth and the MRN'
tui_resize 80 24
poll_of=top_border wait_for 'Timeline: [^·]*· DOB 1951-08-01 ' 'at 80 columns the name gives way, the date of birth stays whole'
tui_resize 100 30
keys c
wait_for 'Contact with' 'a form is open'
tui_resize 140 40
wait_for 'Contact with' 'the form stays open through a resize'
keys Escape
wait_gone 'Contact with' 'Esc closes the form'
poll_of=top_border wait_for '^.{139}[k┐]$' 'the panes are laid out for 140 columns after the form closes'

keys /
type_text 'Sá'
tui_resize 110 30
wait_for 'search: Sá' 'the prompt survives a resize'
keys Escape
poll_of=top_border wait_for '^.{109}[k┐]$' 'and the panes follow it'

keys R
wait_for 'Daily review' 'the review card opens'
# at 110 columns the card is 100 wide, from column 6 (1-based)
like "$(screen | grep -m1 'Daily review')" '^.{5}[l┌][q─] Daily review' 'centred at 110 columns'
tui_resize 160 45
wait_for '^.{30}[l┌][q─] Daily review' 'growing the window re-centres the card'
card_rows=$(screen | grep -cE '^.{30}[x│]')
ok "the card grows with the window ($card_rows rows)" test "$card_rows" -ge 36
keys Escape
wait_gone '[l┌][q─] Daily review' 'Esc closes the card'
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
