#!/usr/bin/env bash
# The zone times are shown in, in the title bar (it gives way, whole, on a
# narrow terminal); the notice on the status line when the zone is the
# system's and the database has not said so yet; the word when the demo
# was made in another zone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
title() { screen | head -1; }
last_line() { screen | tail -1; }

tui_start
poll_of=title wait_for '— [0-9]+ need review — America/New_York ' 'the zone (CASELOAD_TZ) in the title bar, after the counts'
tui_resize 80 24
poll_of=title wait_for '^ caseload — Tue 24 Nov 2026 — .* — 60 patients — [0-9]+ need review' 'at 80 columns the counts stay'
poll_of=title wait_gone 'America' 'and the zone gives way, whole'
tui_resize 120 40
poll_of=title wait_for 'need review — America/New_York' 'it comes back when there is room'
unlike "$(last_line)" 'time zone' 'no notice when CASELOAD_TZ names the zone'
keys q
wait_exit
rc_is 0 'quits cleanly'

# no zone configured: the system's (TZ), said once on the status line (on
# a database without a demo: a demo's zone has its own word)
empty="CASELOAD_DB=$T/empty.db"
tui_start "$empty" CASELOAD_TZ= TZ=Pacific/Auckland
poll_of=title wait_for 'need review — Pacific/Auckland' "the system's zone in the title bar"
poll_of=last_line wait_for "no time zone configured: times are in Pacific/Auckland \(the system's, from TZ\)" \
	'the notice on the status line'
keys q
wait_exit
rc_is 0 'quits cleanly'
is "$(cat "$tui_err")" "" 'nothing on stderr under the screen'

tui_start "$empty" CASELOAD_TZ= TZ=Pacific/Auckland
poll_of=title wait_for 'need review — Pacific/Auckland' 'the second start'
poll_of=last_line wait_for 'q quit' 'the status line has its key hints'
unlike "$(last_line)" 'time zone' 'and no notice: it was given once'
keys q
wait_exit
rc_is 0 'quits cleanly'

# the demo was made in America/New_York (lib.sh's CASELOAD_TZ)
tui_start CASELOAD_TZ=Asia/Tokyo
poll_of=last_line wait_for "the demo's [0-9]+ visits moved to keep their clinic hours in Asia/Tokyo" \
	'a demo made in another zone keeps its clinic hours: said on the status line'
keys q
wait_exit
rc_is 0 'quits cleanly'
done_testing
