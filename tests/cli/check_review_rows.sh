#!/usr/bin/env bash
# `check` puts back a patient's kept review row (review_state) that a
# damaged database lost: without it the patient is missing from every
# review, the screen's "need review" count included.  The rows are made by
# a trigger for each patient added, so only damage removes them.
. "$(dirname "$0")/../lib.sh"

export CASELOAD_DB="$T/r.db"
q() { sqlite3 "$CASELOAD_DB" "$1"; }
must demo --patients 12 >/dev/null
before=$(must review)
like "$before" "\([0-9]+\)" "the review lists patients"
# three of the patients it lists lose their rows
gone=$(grep -o '([0-9]*)' <<<"$before" | tr -d '()' | sort -un | head -3 | paste -sd,)
like "$gone" "^[0-9]+,[0-9]+,[0-9]+$" "three patients picked: $gone"
q "DELETE FROM review_period WHERE patient_id IN ($gone); DELETE FROM review_state WHERE patient_id IN ($gone)"
damaged=$(must review)
for id in ${gone//,/ }; do
	unlike "$damaged" "\($id\)" "without its row, patient $id is missing from the review"
done

run check
rc_is 1 "check reports the problem"
like "$out" "problem: 3 patients had no kept review row \(missing from every review\)" "check names it"
like "$out" "repaired: a kept review row for each of them, made at the next review" "and puts them back"
is "$(q "SELECT count(*) FROM review_state WHERE patient_id IN ($gone) AND stale = 1")" 3 \
	"each of them has a stale row again"
is "$(q "SELECT count(*) FROM audit WHERE action = 'repair' AND tbl = 'review_state'
	AND detail = 'review rows put back for 3 patients'")" 1 "the repair is in the audit"
after=$(must review)
is "$after" "$before" "the review lists them again, as before"

run check
rc_is 0 "a second check finds nothing"
unlike "$out" "problem|repaired" "and repairs nothing"
done_testing
