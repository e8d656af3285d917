#!/usr/bin/env bash
# The kept review (review_state) is made again in short write transactions
# (issue 12: another process's write waits one batch, not the whole
# caseload).  A review killed in the middle (the test-only
# CASELOAD_REVIEW_STOP=N: SIGKILL in batch N + 1, its rows made but not
# committed) leaves the rows made in its committed batches and the others
# stale; the next review makes the rest and lists exactly what the rules
# give from scratch.
. "$(dirname "$0")/../lib.sh"

must demo --patients 2000 --seed 11 >/dev/null
# what the rules give (--severity naming every severity runs them)
scratch() { run review --format tsv --severity low,medium,high,urgent "$@"; }

scratch
want=$out
CASELOAD_REVIEW_STOP=1 "$CASELOAD" review --format tsv >"$T/killed.out" 2>&1 || rc=$?
is "${rc:-0}" 137 "a review killed in its second batch dies of SIGKILL"
run review --format tsv
rc_is 0 "the next review"
is "$out" "$want" "makes the rest: what the rules give"

# another day: every row made again, killed at once in the first batch
scratch --date 2026-11-27
want=$out
rc=
CASELOAD_REVIEW_STOP=0 "$CASELOAD" review --format tsv --date 2026-11-27 >"$T/killed.out" 2>&1 ||
	rc=$?
is "${rc:-0}" 137 "a review of another day killed in its first batch"
run review --format tsv --date 2026-11-27
is "$out" "$want" "then made whole: what the rules give for that day"
scratch
want=$out
run review --format tsv
is "$out" "$want" "and back to the pinned day"
done_testing
