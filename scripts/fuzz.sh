#!/usr/bin/env bash
# fuzz.sh NAME...: run each fuzz harness ($BUILD/fuzz/fuzz_NAME, which
# `make fuzz` builds) for FUZZ_SECONDS, one after the other on one core.
# Seeds come from fuzz/corpus/NAME; what the fuzzer adds goes to
# $BUILD/fuzz/corpus/NAME (kept between runs, never in the repository);
# with FUZZ_MERGE=1 the fewest entries that reach code the seeds do not
# are then merged into fuzz/corpus/NAME.  A crash, leak, timeout or slow
# input is written to fuzz/crashes/NAME/ (commit it once fixed: make check
# replays it).  libFuzzer's output is in $BUILD/fuzz/NAME.log.  Exits 1 if
# any harness found something.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${BUILD:=build}" "${FUZZ_SECONDS:=60}" "${FUZZ_MERGE:=0}"
# Inputs above 16 KB find little that smaller ones do not, and the
# corpus keeps its files small.
max_len=16384
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
found=()
for name in "$@"; do
	bin="$BUILD/fuzz/fuzz_$name"
	work="$BUILD/fuzz/corpus/$name"
	crashes="fuzz/crashes/$name"
	log="$BUILD/fuzz/$name.log"
	mkdir -p "$work" "$crashes"
	dict=()
	[ -f "fuzz/dict/$name.dict" ] && dict=("-dict=fuzz/dict/$name.dict")
	before=$(ls "$crashes")
	start=$SECONDS
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=2048 \
		-max_len=$max_len -artifact_prefix="$crashes/" -print_final_stats=1 \
		"${dict[@]+"${dict[@]}"}" "$work" "fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	printf '%-10s %8s runs in %ss, %s, corpus %s files\n' "$name" "${runs:-?}" \
		"$((SECONDS - start))" "${cov:-cov: ?}" "$(ls "$work" | wc -l)"
	new=$(comm -13 <(printf '%s\n' "$before") <(ls "$crashes"))
	if [ "$rc" != 0 ] || [ -n "$new" ]; then
		found+=("$name")
		grep -m1 -A12 '^==[0-9]*==ERROR\|runtime error\|^fuzz: \|ERROR: libFuzzer' "$log" | sed 's/^/    /'
		printf '%s\n' "$new" | sed "/^$/d; s|^|    new: $crashes/|"
	fi
	# the fewest inputs that reach the edges the seeds do not (hit counts
	# left out: with them a merge keeps five times as many)
	if [ "$FUZZ_MERGE" = 1 ]; then
		"$bin" -set_cover_merge=1 -use_counters=0 -max_len=$max_len \
			"fuzz/corpus/$name" "$work" >>"$log" 2>&1 ||
			echo "    merge failed: see $log"
	fi
	rmdir "$crashes" 2>/dev/null || true     # nothing found, nothing to keep
done
if [ ${#found[@]} -gt 0 ]; then
	echo "found something in: ${found[*]} (fuzz/crashes/, logs in $BUILD/fuzz/)"
	exit 1
fi
