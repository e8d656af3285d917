#!/usr/bin/env bash
# The timeline's days are the coordinator's (America/New_York here): an
# all-day appointment sits under its own date, after the evening before,
# though it is kept as midnight UTC (19:00 the day before in New York).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

pid=$(must patient add --name "Day, Local")
must appt add --patient "$pid" --start "2026-11-26 20:00" --duration 30m --title "Evening call" >/dev/null
must appt add --patient "$pid" --start 2026-11-27 --title "Home health start" >/dev/null

tui_start
wait_for 'Home health start' 'the all-day appointment is on the timeline'
# the line after each day's header is that day's first item
after() { screen | grep -A1 -E "$1" | tail -n 1; }
like "$(after 'Fri 27 Nov')" 'all day Home health start' \
	'the all-day appointment is under its own date'
like "$(after 'Thu 26 Nov')" '20:00 Evening call' \
	'the evening before keeps its own header'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

done_testing
