# shellcheck shell=bash
# bench/listings.sh: the listings on a large caseload: when the first line
# comes out (CPU time of the process when its first byte reaches the pipe),
# the whole run and the peak memory; `review` against `patient list` on the
# same database.  The review is kept in the store (review_state,
# review_period), each patient's items for its day and the few after it,
# a period for each stretch of days they stay the same: "review, the next
# day" is the first review of a day after one of the day before (which
# made its rows for the days ahead: it reads them), "review, all made again" one after a
# review of a day long ago (every row made again, as after other settings
# or on a new database), "review" the next run, which reads them, "review,
# day after day" the ordinary days after it (review_days); and how
# long another process's write waits while every row is made
# again (`review mark --clear 1`, a write that leaves the cached database
# as it was, every half second; wall time, as it is a wait).  The next
# day's review and those day after day are a coordinator's first of each
# day: they are held to the review's targets; the one with every row made
# again is info.
# Sourced by scripts/bench.sh.
#   bench_listings PATIENTS
review_probed() {   # review_probed DB: sets PROBES, WORST, FAILED
	local db=$1
	"$CASELOAD" --db "$db" review --date 2000-01-02 >/dev/null
	"$CASELOAD" --db "$db" review >/dev/null &
	probe_writes $! "$BENCH_DIR/review-waits.txt" 0.5 "$CASELOAD" --db "$db" review mark --clear 1
	echo "  review (probed): $PROBES writes, worst $WORST ms, $FAILED failed" >&2
}

# review_days DB N LIST_CPU: the review on the ordinary days after a day
# whose rows were all made again (the rows of "review" above, made for
# $CASELOAD_TODAY): the next day's run (not measured: "review, the next
# day" is its like), then days 2 to 8 one after another, each reading the
# rows made for it and making again, after printing, those whose days end
# the next day; the worst day's first line and whole run (not always the
# same day) held to the next day's targets.
review_days() {
	local db=$1 n=$2 list_cpu=$3 d first=0 cpu=0 peak=0 worst_day=- r
	"$CASELOAD" --db "$db" review --date "$(date -u -d "$CASELOAD_TODAY +1 day" +%F)" >/dev/null
	for d in 2 3 4 5 6 7 8; do
		measure "list-review-day-$d" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$db" review \
			--date "$(date -u -d "$CASELOAD_TODAY +$d day" +%F)"
		if [ "$M_RC" != 0 ]; then
			row "review, day after day" "$(size "$n") pts" "day $d failed (rc $M_RC)" "-" "-" "$M_PEAK" \
				"first line <= 50 ms, <= 4x, < 32 MB" FAIL
			return
		fi
		# (none at all: -1, kept)
		first=$(awk -v a="$first" -v b="$M_FIRST" 'BEGIN { print (a < 0 || b < 0 ? -1 : b > a ? b : a) }')
		if awk -v a="$cpu" -v b="$M_CPU" 'BEGIN { exit !(b > a) }'; then
			cpu=$M_CPU worst_day=$d
		fi
		[ "$M_PEAK" -le "$peak" ] || peak=$M_PEAK
	done
	r=$(ratio "$cpu" "$list_cpu")
	row "review, day after day" "$(size "$n") pts" \
		"worst of days 2-8: first line $(awk -v m="$first" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$cpu") (day $worst_day)" \
		"patient list $(secs "$list_cpu")" "$r" "$peak" "first line <= 50 ms, <= 4x, < 32 MB" \
		"$(verdict "$first >= 0 && $first <= 50 && $r <= 4 && $peak < 32")"
}

bench_listings() {
	local n=$1 db name list_cpu yesterday
	db=$(demo_db "$n")
	yesterday=$(date -u -d "$CASELOAD_TODAY -1 day" +%F)
	while IFS='|' read -r name args; do
		if [ "$name" = "review, the next day" ]; then
			# the kept review made for the day before
			"$CASELOAD" --db "$db" review --date "$yesterday" >/dev/null
		elif [ "$name" = "review, all made again" ]; then
			# made for a day long ago: every row is made again
			"$CASELOAD" --db "$db" review --date 2000-01-01 >/dev/null
		fi
		# shellcheck disable=SC2086 # the arguments are words
		measure "list-${name// /-}" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$db" $args
		[ "$name" != "patient list" ] || list_cpu=$M_CPU
		if [ "$M_RC" != 0 ]; then
			row "$name" "$(size "$n") pts" "failed (rc $M_RC)" "-" "-" "$M_PEAK" "first line <= 50 ms, < 32 MB" FAIL
			continue
		fi
		if [ "$name" = "review, the next day" ]; then
			# a coordinator's first review of each day: held to the
			# review's targets like the one that reads the rows
			local r
			r=$(ratio "$M_CPU" "$list_cpu")
			row "$name" "$(size "$n") pts" "first line $(awk -v m="$M_FIRST" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$M_CPU")" \
				"patient list $(secs "$list_cpu")" "$r" "$M_PEAK" "first line <= 50 ms, <= 4x, < 32 MB" \
				"$(verdict "$M_FIRST >= 0 && $M_FIRST <= 50 && $r <= 4 && $M_PEAK < 32")"
			continue
		fi
		if [ "$name" = "review, all made again" ]; then
			# (after other settings or on a new database only: info)
			row "$name" "$(size "$n") pts" "first line $(awk -v m="$M_FIRST" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$M_CPU")" \
				"patient list $(secs "$list_cpu")" "$(ratio "$M_CPU" "$list_cpu")" "$M_PEAK" "- (every row's rules run)" "-"
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
review, the next day|review
review, all made again|review
review|review
task list|task list
appt list|appt list
agenda|agenda
agenda 30 days|agenda --days 30
audit|audit
export --all|export --all
LIST
	review_days "$db" "$n" "$list_cpu"
	review_probed "$db"
	row "a write during review" "$(size "$n") pts" "worst wait $WORST ms (wall)" "$PROBES writes" "-" "-" \
		"<= 1000 ms, none failed" "$(verdict "$WORST <= 1000 && $FAILED == 0 && $PROBES > 0")"
}
