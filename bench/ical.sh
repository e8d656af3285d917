#!/usr/bin/env bash
# iCalendar import and export of 100,000 events, beside libical alone on
# the same file in the same run.  The file (zones, weekly series with
# EXDATEs, moved occurrences, attendees, two VALARMs per event, folded
# UTF-8 text) is made by bench/ical_gen.py.  Each figure is the best of
# three runs; peak memory is the process's maximum resident set.
# Targets (issue 3): import <= 1.25 x libical's parse, peak < 64 MB;
# export no slower than libical's parse-and-serialise.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
N=${ICAL_BENCH_EVENTS:-100000}
file="$BENCH_DIR/ical-$N.ics"
db="$BENCH_DIR/ical.db"
runs=3

[ -s "$file" ] || /usr/bin/python3 "$top/bench/ical_gen.py" "$N" "$file"
cc -O2 -o "$BENCH_DIR/ical_parse" "$top/bench/ical_parse.c" $(pkg-config --cflags --libs libical)
cc -O2 -o "$BENCH_DIR/peak" "$top/bench/peak.c"
export CASELOAD_TODAY=2026-11-24 CASELOAD_TZ=America/New_York

best() {   # best "S MB" pair (least seconds) of the lines on stdin
	sort -n | head -1
}
secs() { sed -n 's/.* \([0-9.]*\) s \([0-9]*\) MB.*/\1 \2/p'; }

parse=$(for _ in $(seq $runs); do "$BENCH_DIR/ical_parse" parse "$file" | secs; done | best)
serial=$(for _ in $(seq $runs); do "$BENCH_DIR/ical_parse" serialise "$file" | secs; done | best)
import=$(for _ in $(seq $runs); do
	rm -f "$db" "$db-wal" "$db-shm"
	"$CASELOAD" --db "$db" init >/dev/null
	"$BENCH_DIR/peak" "$CASELOAD" --db "$db" import "$file" 2>&1 >"$BENCH_DIR/import.out" | sed 's/^/x /' | secs
done | best)
summary=$(head -1 "$BENCH_DIR/import.out")
export=$(for _ in $(seq $runs); do
	"$BENCH_DIR/peak" "$CASELOAD" --db "$db" export --all --from 2000-01-01 -o "$BENCH_DIR/export.ics" \
		2>&1 >/dev/null | sed 's/^/x /' | secs
done | best)
exported=$(grep -c '^BEGIN:VEVENT' "$BENCH_DIR/export.ics")

read -r ps pm <<<"$parse"
read -r ss sm <<<"$serial"
read -r is im <<<"$import"
read -r es em <<<"$export"
awk -v n="$N" -v mb="$(du -m "$file" | cut -f1)" -v ps="$ps" -v pm="$pm" -v ss="$ss" -v sm="$sm" \
    -v is="$is" -v im="$im" -v es="$es" -v em="$em" -v x="$exported" -v sum="$summary" 'BEGIN {
	printf "file: %d events, %d MB\n", n, mb
	printf "libical parse (one tree):     %6.2f s  %6.0f events/s  peak %4d MB\n", ps, n / ps, pm
	printf "caseload import:              %6.2f s  %6.0f events/s  peak %4d MB  (%.2f x libical; target <= 1.25 x, < 64 MB)\n", is, n / is, im, is / ps
	printf "  %s\n", sum
	printf "libical parse + serialise:    %6.2f s                     peak %4d MB\n", ss, sm
	printf "caseload export --all:        %6.2f s  %6.0f events/s  peak %4d MB  (%.2f x libical; target <= 1 x)\n", es, x / es, em, es / ss
}'
