#!/usr/bin/env bash
# B: the month's end over the workstation, the rows of `caseload billing`
# for this month: each code supported or why not; it follows a change
# made while it is open (minutes logged from the command line reach it on
# its next load: Esc and B again).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
a=$(must patient add --name "Billing, Bea")
sqlite3 "$CASELOAD_DB" "INSERT INTO consent(patient_id, program, method, given, captured_by, created, updated)
	VALUES ($a, 'ccm', 'verbal', '2026-10-01', 'test', 0, 0);
	INSERT INTO episode(patient_id, program, status, started, created, updated)
	VALUES ($a, 'ccm', 'active', '2026-10-01', 0, 0)"
must time log --patient "$a" --minutes 18 --date 2026-11-03 >/dev/null

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys B
wait_for 'Billing, November 2026' 'B opens this month'"'"'s billing'
wait_for 'Billing, Bea +CCM +99490 +18 of 20 minutes' 'a code short of its minutes says by how much'
like "$(screen)" 'CCM +99487 +complexity not recorded on the episode' 'each code of the program, with its reason'
keys Escape
wait_gone 'Billing, November' 'Esc closes it'
must time log --patient "$a" --minutes 2 --date 2026-11-04 >/dev/null
keys B
wait_for 'Billing, Bea +CCM +99490 +supported' 'twenty minutes: 99490 is supported'
keys B
wait_gone 'Billing, November' 'B again closes it'
keys q
wait_exit
done_testing
