# shellcheck shell=bash
# bench/demo.sh: `demo --patients` at two sizes; the larger should cost its
# share, no more (issue 12: linear).  Each size is the least of two runs
# (a single run of 40 s moved by 6% from one bench to the next).  Sourced
# by scripts/bench.sh.
#   bench_demo SMALL BIG
bench_demo() {
	local small=$1 big=$2 n db cpu cpu_small peak_small per
	for n in "$small" "$big"; do
		cpu=
		for _ in 1 2; do
			# the first run makes the cached database when there is none
			db=$(demo_name "$n")
			[ ! -s "$db" ] || db="$BENCH_DIR/demo-timed.db"
			rm -f "$db" "$db-wal" "$db-shm"
			measure "demo-$n" "$CASELOAD" --db "$db" demo --patients "$n" --seed "$SEED"
			[ "$db" != "$BENCH_DIR/demo-timed.db" ] || rm -f "$db" "$db-wal" "$db-shm"
			cpu=$(awk -v a="$M_CPU" -v b="${cpu:-$M_CPU}" 'BEGIN { print (a < b ? a : b) }')
		done
		M_CPU=$cpu
		if [ "$n" = "$small" ]; then cpu_small=$M_CPU peak_small=$M_PEAK; fi
	done
	per=$(awk -v a="$M_CPU" -v b="$cpu_small" -v n="$big" -v m="$small" 'BEGIN { printf "%.2f", (a / n) / (b / m) }')
	row "demo --patients" "$(size "$big")" "$(secs "$M_CPU")" \
		"$(size "$small"): $(secs "$cpu_small") x $((big / small))" "$per" "$M_PEAK" \
		"per patient <= 1.10x" "$(verdict "$per <= 1.10")"
	: "$peak_small"
}
