#!/usr/bin/env bash
# The screen's speed: replay the same key script (CASELOAD_KEYS_REPLAY) on
# a 60-patient and a 20000-patient caseload and print the time from each
# key to its redraw (the screen goes to /dev/null at 120x40).  "(open)" is
# from the start of the screen to its first key.
set -eu
export CASELOAD_TODAY=2026-11-24 CASELOAD_TZ=America/New_York LC_ALL=C.UTF-8
export LINES=40 COLUMNS=120 TERM=xterm-256color
small="$BENCH_DIR/tui60.db" big="$BENCH_DIR/demo20000.db"
rm -f "$small" "$small-wal" "$small-shm"
"$CASELOAD" --db "$small" demo --patients 60 --seed 7 >/dev/null
[ -s "$big" ] || "$CASELOAD" --db "$big" demo --patients 20000 --seed 7 >/dev/null
keys="$BENCH_DIR/tui-keys.txt"
cat >"$keys" <<'KEYS'
# move in the caseload, page, jump to both ends
j
j
k
PgDn
PgDn
PgUp
G
g
# the other panes and back
Tab
j
j
Tab
j
t
t
1
# orders and filters
o
o
o
f
f
f
f
f
# search as you type, then clear it
/
type Ch
Enter
Esc
q
KEYS
for db in "$small" "$big"; do
	n=$("$CASELOAD" --db "$db" patient list --format tsv | tail -n +2 | wc -l)
	for run in 1 2 3; do
		CASELOAD_KEYS_REPLAY="$keys" "$CASELOAD" --db "$db" </dev/null 2>"$BENCH_DIR/tui-$run.txt" >/dev/null
	done
	# the best of three runs per key (the machine is shared)
	paste "$BENCH_DIR"/tui-[123].txt | awk -v n="$n" '
		/^key / { t = $3; if ($7 < t) t = $7; if ($11 < t) t = $11;
		          name[NR] = $2; ms[NR] = t; if (t > max) { max = t; at = $2 }
		          if ($2 == "(open)") open = t; else { sum += t; keys++ } }
		END { printf "screen, %d patients: open %.1f ms, per key mean %.2f ms, max %.1f ms (%s), %d keys\n",
		             n, open, sum / keys, max, at, keys }'
done
