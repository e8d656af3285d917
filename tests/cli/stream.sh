#!/usr/bin/env bash
# Streamed listings: patient list, task list, appt list, agenda, audit and
# export --all print their rows as they read them.  On a demo caseload of
# 300 patients (more rows than the 200 a listing holds before it starts
# printing) each gives, in TSV and JSON, exactly what the whole-list
# printer gave: tests/data/stream.sha256 holds the sums of the output of
# the binary before streaming (commit 7b021e5), made with
#   CASELOAD_STREAM_SUMS=1 BUILD=<that build> bash tests/cli/stream.sh
# (the appointments' random UIDs are replaced by "UID" first); the task
# listings' sums were made again when tasks gained their owner and version
# keys (the table its Owner column), after checking that without those
# the output was the same as before; the review's later one again when
# the review gained consent-missing and ccm-eligible (issue 16: those
# items added, the rest as before).  The aligned
# table is the same as before for a list of up to 200 rows; a longer one
# has the same rows, its widths taken from the first 200.  The release
# build lists 20,000 patients in little memory.
. "$(dirname "$0")/../lib.sh"
SUMS="$top/tests/data/stream.sha256"
RELEASE="$BUILD/caseload"

run demo --patients 300 --seed 7
rc_is 0 "a demo caseload of 300 patients"
cp "$CASELOAD_DB" "$T/demo.db"

# listing NAME ARGS...: the output of ARGS on a fresh copy of the demo
# database ($SRC; a listing records its read: the audit grows), UIDs
# replaced, into $T/NAME; its sum is checked against (or with
# CASELOAD_STREAM_SUMS, printed for) tests/data/stream.sha256.
SRC="$T/demo.db"
listing() {
	local name=$1
	shift
	cp "$SRC" "$T/copy.db"
	run --db "$T/copy.db" "$@"
	printf '%s\n' "$out" | sed -E 's/[0-9a-f]{32}@caseload/UID/g; /^(DTSTAMP|LAST-MODIFIED|CREATED)[:;]/d' \
		>"$T/$name"
	local sum
	sum=$(sha256sum <"$T/$name" | cut -d' ' -f1)
	if [ -n "${CASELOAD_STREAM_SUMS:-}" ]; then
		echo "$sum  $name" >&3
		return
	fi
	rc_is 0 "$name: lists"
	[ "$name" = tasks-all.table ] ||   # its widths are new: checked below
		is "$sum  $name" "$(grep "  $name\$" "$SUMS" || true)" "$name: $(wc -l <"$T/$name") lines as before"
}

for f in tsv json; do
	listing "patients-all.$f" patient list --all --format "$f"
	listing "patients-high.$f" patient list --risk high --format "$f"
	listing "tasks.$f" task list --format "$f"
	listing "tasks-all.$f" task list --all --format "$f"
	listing "appts.$f" appt list --format "$f"
	listing "appts-range.$f" appt list --from 2026-11-01 --to 2026-12-31 --format "$f"
	listing "agenda-30.$f" agenda --days 30 --format "$f"
	listing "agenda.$f" agenda --format "$f"
done
# short lists: the table as before, widths and all
listing "patients-high.table" patient list --risk high
listing "agenda.table" agenda
listing "tasks-patient.table" task list --patient 7 --all
listing "appts-patient.table" appt list --patient 7
listing "export-all.ics" export --all --detail full --from 2026-01-01

# A larger caseload with series: 2,000 demo patients and 1,500 generated
# events (a third of them series in a dozen zones, with EXDATEs and moved
# occurrences), some of them cancelled or a patient's.  The agenda (single
# events merged with the series' cursors), the calendar (its zones in the
# order of their first use, a cancelled override an EXDATE) and the review
# give what the binary before streaming gave (commit 6a5d70d).
run --db "$T/series.db" demo --patients 2000 --seed 7
rc_is 0 "a demo caseload of 2,000 patients"
# (the UIDs of the generator's shape v2, which the sums were made on)
/usr/bin/python3 "$top/bench/ical_gen.py" 1500 "$T/gen.ics" sequential
run --db "$T/series.db" import "$T/gen.ics"
rc_is 0 "1,500 generated events imported"
cp "$T/series.db" "$T/series-review.db"   # the review's, before the changes below
run --db "$T/series.db" appt list --from 2026-01-01 --format tsv
# every fifth moved occurrence cancelled, every ninth series and event
# given to patient 5
for id in $(printf '%s\n' "$out" | awk -F'\t' '$6 == "Visit (moved)" && NR % 5 == 0 {print $1}'); do
	run --db "$T/series.db" appt cancel "$id"
done
for id in $(printf '%s\n' "$out" | awk -F'\t' '$3 == "(unassigned)" && NR % 9 == 0 {print $1}'); do
	run --db "$T/series.db" appt assign "$id" --patient 5
done
SRC="$T/series.db"
for f in tsv json; do
	listing "series-agenda-year.$f" agenda --date 2026-01-01 --days 366 --format "$f"
	listing "series-agenda-month.$f" agenda --date 2027-03-01 --days 31 --format "$f"
	listing "series-agenda-patient.$f" agenda --patient 5 --date 2026-06-01 --days 366 --format "$f"
done
SRC="$T/series-review.db"
for f in tsv json; do
	# every reason but appt-confirm: the demo books at the clock's time of
	# day (a pinned day keeps it), and a contact that day may follow it
	listing "series-review.$f" review --format "$f" --reason \
		task-overdue,task-due,transport,refill,tcm-contact,tcm-visit,cadence,ccm-minutes,noshow,unreviewed
	listing "series-review-later.$f" review --date 2027-03-15 --format "$f"
done
SRC="$T/series.db"
listing "series-export.ics" export --all --from 2026-01-01
listing "series-export-cancelled.ics" export --all --from 2027-01-01 --include-cancelled
listing "series-export-patient.ics" export --patient 5 --from 2026-01-01
listing "series-agenda.ics" agenda --date 2027-03-01 --days 14 --ics
SRC="$T/demo.db"
if [ -n "${CASELOAD_STREAM_SUMS:-}" ]; then
	exit 0
fi

# a long table: the rows of the TSV in the same order, the widths of the
# first 200 rows (a later wider name is cut with an ellipsis)
listing "tasks-all.table" task list --all
is "$(awk 'NR > 1 {print $1}' "$T/tasks-all.table")" "$(awk -F'\t' 'NR > 1 {print $1}' "$T/tasks-all.tsv")" \
	"a long table lists the rows of the TSV in its order"
bad=$(python3 - "$T/tasks-all.table" <<'PYEOF'
import sys, unicodedata
def cells(line):   # the character at each display column
    out = []
    for ch in line:
        if unicodedata.combining(ch):
            continue
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        out += [ch] * w
    return out
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = lines[0]
cols = [head.index(h) for h in ("Patient", "Due", "Task", "Kind")]
for n, line in enumerate(lines[1:], 2):
    c = cells(line)
    if any(c[k - 2:k] != [" ", " "] for k in cols):
        print(n, line)
        break
PYEOF
)
is "$bad" "" "every row of the long table keeps the columns of the first 200"
like "$(cat "$T/tasks-all.table")" "…  20" "a name wider than the first 200 rows' ends in an ellipsis"
ok "JSON of a long list is whole" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/appts.json"

# the audit listing: the same rows in TSV and JSON, streamed past 200 rows
run audit --limit 5000 --format tsv
tsv=$out
run audit --limit 5000 --format json
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print("\t".join("" if r[k] is None else str(r[k]) for k in r))')" "$(printf '%s\n' "$tsv" | tail -n +2)" \
	"audit: JSON and TSV give the same rows"
like "$(printf '%s\n' "$tsv" | wc -l)" "^5001$" "audit: 5000 rows"

# the read is recorded once, with the count of a streamed listing
run patient list --all --format tsv
run audit --limit 1 --format tsv
like "$out" "patient list: 300 rows" "a streamed listing's read is recorded with its count"

# ---- memory: the release build, 20,000 patients ----
if [ -x "$RELEASE" ]; then
	"$RELEASE" --db "$T/big.db" demo --patients 20000 --seed 7 >/dev/null 2>&1
	for cmd in "patient list" "patient list --all --format json" "task list --all" \
	           "appt list --format tsv" "audit --limit 1000000 --format tsv" \
	           "export --all --from 2000-01-01"; do
		# shellcheck disable=SC2086 # the command's words
		/usr/bin/time -o "$T/peak.kb" -f %M "$RELEASE" --db "$T/big.db" $cmd >"$T/big.out" 2>&1 ||
			true
		kb=$(tail -1 "$T/peak.kb")
		lines=$(wc -l <"$T/big.out")
		ok "$cmd: $lines lines in $kb KB, under 32 MB" test "$kb" -lt 32768 -a "$lines" -gt 20000
	done
else
	skip "peak memory of the release build" "$RELEASE is not built"
fi

done_testing
