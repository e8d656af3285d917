#!/usr/bin/env bash
# The screen's clock moves on: a contact logged a while after the screen
# opened carries the moment it was logged, not the moment the screen
# started (the day is not pinned here: the machine's own clock).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

export CASELOAD_TODAY=
run init
pid=$(must patient add --name "Moreno, Luz")
started=$(date +%s)
tui_start
wait_for 'Moreno, Luz' 'the screen opens on the real day'
# the wall clock, not the program, is what we wait for
clock_past() { [ "$(date +%s)" -ge "$1" ]; }
poll_until clock_past $((started + 3)) || true
ok 'three seconds have passed' test "$(date +%s)" -ge $((started + 3))
keys c
wait_for 'Contact with Moreno, Luz' 'the contact form'
keys Tab Tab Tab
type_text 'Later in the session'
keys Enter
wait_for 'logged call: reached' 'the contact is saved'
at=$(sqlite3 "$CASELOAD_DB" "SELECT at FROM entry WHERE patient_id = $pid AND kind = 'call'")
ok "the contact's time is when it was logged ($at), not the screen's start ($started)" \
	test "${at:-0}" -ge $((started + 3))
ok 'and not later than now' test "${at:-0}" -le "$(date +%s)"
keys q
wait_exit
tui_stop
done_testing
