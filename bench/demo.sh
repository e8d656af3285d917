# shellcheck shell=bash
# bench/demo.sh: `demo --patients` at two sizes; the larger should cost its
# share, no more (issue 12: linear).  Sourced by scripts/bench.sh.
#   bench_demo SMALL BIG
bench_demo() {
	local small=$1 big=$2 n db cpu_small peak_small per
	for n in "$small" "$big"; do
		# the timed run makes the cached database when there is none
		db=$(demo_name "$n")
		[ ! -s "$db" ] || db="$BENCH_DIR/demo-timed.db"
		rm -f "$db" "$db-wal" "$db-shm"
		measure "demo-$n" "$CASELOAD" --db "$db" demo --patients "$n" --seed "$SEED"
		[ "$db" != "$BENCH_DIR/demo-timed.db" ] || rm -f "$db" "$db-wal" "$db-shm"
		if [ "$n" = "$small" ]; then cpu_small=$M_CPU peak_small=$M_PEAK; fi
	done
	per=$(awk -v a="$M_CPU" -v b="$cpu_small" -v n="$big" -v m="$small" 'BEGIN { printf "%.2f", (a / n) / (b / m) }')
	row "demo --patients" "$(size "$big")" "$(secs "$M_CPU")" \
		"$(size "$small"): $(secs "$cpu_small") x $((big / small))" "$per" "$M_PEAK" \
		"per patient <= 1.10x" "$(verdict "$per <= 1.10")"
	: "$peak_small"
}
