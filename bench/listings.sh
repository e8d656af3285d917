# shellcheck shell=bash
# bench/listings.sh: the listings on a large caseload: when the first line
# comes out (CPU time of the process when its first byte reaches the pipe),
# the whole run and the peak memory; `review` against `patient list` on the
# same database.  The review is kept in the store (review_state): its
# first run of a day makes it for the whole caseload (measured as "review,
# first of the day", after a run for another day), the next ones read it.
# Sourced by scripts/bench.sh.
#   bench_listings PATIENTS
bench_listings() {
	local n=$1 db name list_cpu
	db=$(demo_db "$n")
	while IFS='|' read -r name args; do
		if [ "$name" = "review, first of the day" ]; then
			# the kept review made for another day: this one makes it
			# again for the whole caseload, as the day's first does
			"$CASELOAD" --db "$db" review --date 2000-01-01 >/dev/null
		fi
		# shellcheck disable=SC2086 # the arguments are words
		measure "list-${name// /-}" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$db" $args
		[ "$name" != "patient list" ] || list_cpu=$M_CPU
		if [ "$M_RC" != 0 ]; then
			row "$name" "$(size "$n") pts" "failed (rc $M_RC)" "-" "-" "$M_PEAK" "first line <= 50 ms, < 32 MB" FAIL
			continue
		fi
		if [ "$name" = "review, first of the day" ]; then
			row "$name" "$(size "$n") pts" "first line $(awk -v m="$M_FIRST" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$M_CPU")" \
				"patient list $(secs "$list_cpu")" "$(ratio "$M_CPU" "$list_cpu")" "$M_PEAK" "- (the rules for everyone, kept)" "-"
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
review, first of the day|review
review|review
task list|task list
appt list|appt list
agenda|agenda
agenda 30 days|agenda --days 30
audit|audit
export --all|export --all
LIST
}
