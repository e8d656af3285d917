#!/usr/bin/env bash
# A new list (a search, another order or filter) reads the rows the pane
# shows; a taller window then reads the rows after them, so that the pane
# is never left half empty while the caseload has more.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo --patients 200 >/dev/null
rows_shown() { left | grep -cE '[0-9]{4}-[0-9]{2}-[0-9]{2}'; }
more_than() { [ "$(rows_shown)" -gt "$1" ]; }

tui_start_at 100 24
wait_for 'Caseload by need' 'the screen at 100x24'
keys o
wait_for 'Caseload by name' 'the caseload in another order'
short=$(rows_shown)
ok "a 24-line window shows some rows ($short)" test "$short" -gt 5
tui_resize 100 60
ok "at 60 lines the pane fills with more rows than the $short it had" \
	poll_until more_than $((short + 20))
keys j
ok "and keeps them after a move" more_than $((short + 20))
tui_resize 100 24
keys G
tui_resize 100 60
ok "from the end too: the rows before it fill the pane" poll_until more_than $((short + 20))
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
