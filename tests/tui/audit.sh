#!/usr/bin/env bash
# Reads on the screen are recorded (issue 11): the caseload opening, each
# patient whose timeline is shown (once, not per redraw), the review's
# cards and E's export; and the screen does not open on a database whose
# protections are missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must patient add --name "Abbott, Ann" >/dev/null
must patient add --name "Baker, Bob" >/dev/null
must task add --patient 1 --title "Call back" --due today >/dev/null
must task add --patient 2 --title "Refill" --due today >/dev/null
q() { sqlite3 "$CASELOAD_DB" "$1"; }
reads() { q "SELECT count(*) FROM audit WHERE action = '$1' AND detail = '$2' AND coalesce(row_id, 0) = $3"; }
reads_are() {   # reads_are ACTION DETAIL PATIENT N: wait until there are N such rows
	poll_until test "$(reads "$1" "$2" "$3")" = "$4" || true
	is "$(reads "$1" "$2" "$3")" "$4" "$5"
}

tui_start
wait_for 'Caseload by need' 'the screen opens'
wait_for 'Timeline: Abbott, Ann' 'the first patient is shown'
reads_are list screen 0 1 'opening the screen is one listing'
reads_are read screen 1 1 "the first patient's chart shown: one read"
keys C-l
keys C-l
wait_for 'Timeline: Abbott, Ann' 'redrawn'
keys j
wait_for 'Timeline: Baker, Bob' 'j shows the second patient'
reads_are read screen 2 1 'one read of the second patient'
keys k
wait_for 'Timeline: Abbott, Ann' 'k goes back'
reads_are read screen 1 2 'going back is another read of the first'
keys C-l
wait_for 'Timeline: Abbott, Ann' 'redrawn again'
is "$(reads read screen 1)" 2 'redraws write no rows'

keys R
wait_for 'Daily review — ' 'R opens the review'
reads_are review 'screen review' "$(q "SELECT row_id FROM audit WHERE detail = 'screen review' ORDER BY id LIMIT 1")" 1 \
	'the card shown is one review row'
is "$(q "SELECT count(*) FROM audit WHERE detail = 'screen review'")" 1 'one row for one card'
# another process's change (a read is one now) reloads the panes under the
# card: the card is drawn again over them, not hidden until a key
must patient add --name "Carter, Cy" >/dev/null
wait_for '3 patients' 'the screen sees the other process'
like "$(screen)" 'Daily review — ' 'the card stays on top of the reloaded panes'
keys Escape
wait_gone 'Daily review — ' 'Esc leaves the review'

keys E
wait_for 'Export the appointments of Abbott, Ann' 'E opens the export form'
keys Tab Tab Tab Tab
for i in $(seq 1 40); do keys BSpace; done
type_text "$T/a.ics"
keys Enter
wait_for "wrote 0 appointments to $T/a.ics" 'E writes the file'
reads_are export 'export: 0 rows' 1 1 "E's export is recorded with the patient"
keys q
wait_exit
rc_is 0 'the screen ends cleanly'
tui_stop

run audit --patient 1 --format tsv
like "$out" $'\tread\tpatient\t1\tscreen' 'audit --patient shows the screen reads'

# protections missing: the screen does not open
q "DROP TRIGGER audit_no_delete;"
run screen
rc_is 1 'the screen refuses a database whose protections are missing'
like "$err" "missing trigger audit_no_delete.*caseload check" 'saying why and what to do'

done_testing
