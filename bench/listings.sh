# shellcheck shell=bash
# bench/listings.sh: the listings on a large caseload: when the first line
# comes out (CPU time of the process when its first byte reaches the pipe),
# the whole run and the peak memory; `review` against `patient list` on the
# same database.  Sourced by scripts/bench.sh.
#   bench_listings PATIENTS
bench_listings() {
	local n=$1 db name list_cpu
	db=$(demo_db "$n")
	while IFS='|' read -r name args; do
		# shellcheck disable=SC2086 # the arguments are words
		measure "list-${name// /-}" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$db" $args
		[ "$name" != "patient list" ] || list_cpu=$M_CPU
		if [ "$M_RC" != 0 ]; then
			row "$name" "$(size "$n") pts" "failed (rc $M_RC)" "-" "-" "$M_PEAK" "first line <= 50 ms, < 32 MB" FAIL
			continue
		fi
		row "$name" "$(size "$n") pts" "first line $(awk -v m="$M_FIRST" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$M_CPU")" \
			"-" "-" "$M_PEAK" "first line <= 50 ms, < 32 MB" "$(verdict "$M_FIRST >= 0 && $M_FIRST <= 50 && $M_PEAK < 32")"
		if [ "$name" = review ]; then
			local r
			r=$(ratio "$M_CPU" "$list_cpu")
			row "review vs patient list" "$(size "$n") pts" "$(secs "$M_CPU")" "patient list $(secs "$list_cpu")" \
				"$r" "-" "<= 4x" "$(verdict "$r <= 4")"
		fi
	done <<'LIST'
patient list|patient list
review|review
task list|task list
appt list|appt list
agenda|agenda
agenda 30 days|agenda --days 30
audit|audit
export --all|export --all
LIST
}
