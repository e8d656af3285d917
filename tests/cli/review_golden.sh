#!/usr/bin/env bash
# `caseload review` on a generated caseload gives, item for item, what it
# gave before the review was made incremental and streamed: the files in
# tests/data/review were written by the whole-list version (main before
# issue 12) from `demo --seed 5 --patients 300` on the pinned day.
. "$(dirname "$0")/../lib.sh"
D="$top/tests/data/review"

must demo --seed 5 --patients 300 >/dev/null
run review --format tsv
is "$out" "$(cat "$D/demo300.tsv")" "every item of the day, in order (tsv)"
run review --reason cadence,refill --format tsv
is "$out" "$(cat "$D/demo300-cadence-refill.tsv")" "narrowed to two reasons"
must review mark 40 --skip >/dev/null
must review mark 200 >/dev/null
run review
is "$out" "$(cat "$D/demo300-marked.txt")" "the table with one patient skipped and one reviewed"
run review --severity urgent,high --format json
is "$out" "$(cat "$D/demo300-high.json")" "the urgent and high items as JSON"
done_testing
