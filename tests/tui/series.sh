#!/usr/bin/env bash
# Editing a recurring series from the screen changes every occurrence,
# as 'caseload appt edit' does.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

pid=$(must patient add --name "Zed, Series")
must appt add --patient "$pid" --start "tomorrow 08:00" --duration 1h --title "Physical therapy" \
	--location "Gym A" --rrule "FREQ=WEEKLY;COUNT=4" >/dev/null

tui_start
wait_for 'Timeline: Zed, Series' 'the only patient is selected'
keys 2
# the first line after today's marker is a day, then its first appointment
keys j j e
wait_for 'Edit the whole series \(every occurrence\)' 'e on an occurrence edits its series'
keys Tab Tab Tab Tab
for i in $(seq 1 10); do keys BSpace; done
type_text 'Gym B'
keys Enter
wait_for 'saved \(every occurrence\): Physical therapy' 'the series is saved'
run agenda --days 28 --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f7 | sort | uniq -c | tr -s ' ')" " 4 Gym B" \
	'all four occurrences moved to the new location'
run appt list --format tsv
is "$(rows "$out")" 1 'still one series row'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

done_testing
