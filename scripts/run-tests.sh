#!/usr/bin/env bash
# Run every test: cmocka unit tests (TAP) and the command-level and screen
# scripts under tests/cli and tests/tui, several at a time (TEST_JOBS, by
# default one more than the cores, at least 2), each into its own log under
# $BUILD/test-logs.  Prints a line per test program in a fixed order, the
# log of each that failed, and ends with exactly one line:
# "N passed, N failed, N skipped".
#
# A program fails if a test fails, if it exits non-zero, if it bails out,
# or if its plan (1..N) is missing or does not match the tests it ran.
# Arguments run only the programs named (tests/cli/x.sh, test_store).
# "ok N # SKIP" is a skipped test, not a passed one; "1..0 # SKIP reason"
# is one skipped test, and with CI=true a failure (nothing may skip in CI).
# The whole suite (no arguments) keeps every calendar the tests export
# (CASELOAD_TEST_EXPORTS, tests/lib.sh) and ends with one more program,
# interop/every-export: each of them read by ical.js and python-icalendar.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${BUILD:=build}"
export BUILD
logs="$BUILD/test-logs"
times="$BUILD/test-times"      # seconds per program from the last run
rm -rf "$logs"
mkdir -p "$logs"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"
# one more than the cores: the screen and PostgreSQL tests spend much of
# their time waiting for a terminal or a server (their own CPU time is a
# fraction of their wall time: see each program's line)
jobs=${TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
[ "$jobs" -ge 2 ] 2>/dev/null || jobs=2

# The programs, in the order their lines are printed: unit/test_x (the
# binary $BUILD/san/tests/test_x), cli/x.sh and tui/x.sh (under tests/),
# and pg/cli/x, pg/tui/x: each entry of tests/cli/pg_suite.sh's list (x.sh
# run again on PostgreSQL) as a program of its own, so that the suite is
# spread over the jobs instead of running its scripts one after another
# (PG_SUITE_SCRIPTS set: pg_suite.sh runs those, as one program).
# Arguments (script paths, unit test names like test_store, pg/cli/x)
# choose some.
names=()
chosen() { [ $# = 1 ] || [[ " ${*:2} " == *" $1 "* ]]; }
for t in "$BUILD"/san/tests/test_*; do
	[ -x "$t" ] || continue
	chosen "${t##*/}" "$@" && names+=("unit/${t##*/}")
done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	if [ "$t" = tests/cli/pg_suite.sh ] && [ -z "${PG_SUITE_SCRIPTS:-}" ]; then
		while read -r s; do
			chosen "$t" "$@" || chosen "pg/$s" "$@" && names+=("pg/$s")
		done < <(bash "$t" --list)
	elif chosen "$t" "$@"; then
		names+=("${t#tests/}")
	fi
done
log_of() { echo "$logs/${1//\//_}.log"; }
every_export=""
if [ $# = 0 ]; then
	case $BUILD in /*) every_export=$BUILD/test-exports ;; *) every_export=$top/$BUILD/test-exports ;; esac
	rm -rf "$every_export"
	mkdir -p "$every_export"
	export CASELOAD_TEST_EXPORTS=$every_export
fi

# A throwaway PostgreSQL server (scripts/pgtest.sh) for the tests that use
# one: CASELOAD_TEST_PG, a libpq conninfo of its maintenance database as
# the superuser (each test makes and drops a database of its own).  It is
# stopped when the run ends, fails or is interrupted.  One already named
# in the environment is used as it is.  No server: one line says why, and
# those tests report themselves skipped (a failure with CI=true).
pg_dir=""
stop_pg() {
	[ -z "$pg_dir" ] || scripts/pgtest.sh stop "$pg_dir" >/dev/null 2>&1 || true
	pg_dir=""
}
trap stop_pg EXIT
if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	pg_dir=$(mktemp -d /tmp/caseload-pg.XXXXXX)   # short (a socket path has at most 107 bytes), and reachable by the postgres user
	if why=$(scripts/pgtest.sh start "$pg_dir" 2>&1); then
		eval "export $(scripts/pgtest.sh env "$pg_dir")"
	else
		why=$(printf '%s\n' "$why" | grep -m1 'pgtest:')
		echo "PostgreSQL: no test server (${why#pgtest: }): the PostgreSQL tests are skipped"
		stop_pg
	fi
fi

# Start the longest first (by the last run's times, else by those of a
# whole run kept in tests/test-times, as on a new checkout in CI; new ones
# before all), so that the last to finish is a short one.  (After a whole
# run, `cp build/test-times tests/test-times` keeps its times.)
order() {
	local n known=()
	for n in "$times" tests/test-times; do [ ! -s "$n" ] || known+=("$n"); done
	for n in "${names[@]}"; do
		printf '%s\t%s\n' "$(awk -F'\t' -v n="$n" '$1 == n && !found { s = $2; found = 1 }
			END { print found ? s : 1e9 }' "${known[@]}" /dev/null)" "$n"
	done | sort -t$'\t' -k1,1gr -s | cut -f2
}

run_one() {   # run_one NAME: the log, then NAME.rc with "status seconds"
	local log start status
	log=$(log_of "$1")
	start=${EPOCHREALTIME/./}
	case $1 in
	unit/*) "$BUILD/san/tests/${1#unit/}" ;;
	pg/*) PG_SUITE_SCRIPTS=${1#pg/} bash tests/cli/pg_suite.sh ;;
	*) bash "tests/$1" ;;
	esac >"$log" 2>&1 </dev/null
	status=$?
	times >"$log.cpu"   # the second line: the CPU time of the program and its children
	echo "$status $(((${EPOCHREALTIME/./} - start) / 1000))" >"$log.rc"
}
cpu_of() {   # cpu_of LOG: the CPU seconds (user + system) run_one recorded
	awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
		printf "%.1f", t }' "$1.cpu" 2>/dev/null
}

# The runner: at most $jobs at a time, in the background.
(
	while read -r n; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
		run_one "$n" &
	done < <(order)
	wait
) &
runner=$!
trap 'kill "$runner" 2>/dev/null' INT TERM   # (and EXIT stops the server)

passed=0 failed=0 skipped=0
failures=()
: >"$logs/times.new"
tally() {   # tally NAME: count the results of its log
	local n=$1 log status ms s p f plan why
	log=$(log_of "$n")
	read -r status ms <"$log.rc"
	printf '%s\t%s\n' "$n" "$((ms / 1000)).$((ms % 1000 / 100))" >>"$logs/times.new"
	# TAP: results, skips and the plan
	s=$(grep -ciE '^ok [0-9]*.*# skip' "$log")
	p=$(($(grep -cE '^ok ' "$log") - s))
	f=$(grep -cE '^not ok ' "$log")
	plan=$(grep -m1 -E '^1\.\.[0-9]+' "$log")
	why=""
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		why="exited with status $status"   # it died (or its plan failed) without saying which test
	elif grep -q '^Bail out!' "$log"; then
		why="bailed out"
	elif [ -z "$plan" ]; then
		why="printed no plan (1..N): it stopped before the end"
	elif [[ "$plan" =~ ^1\.\.0\ *#\ *[Ss][Kk][Ii][Pp] ]]; then
		if [ "${CI:-}" = true ]; then
			why="skipped as a whole, which is a failure in CI (${plan#*# })"
		else
			s=$((s + 1))
		fi
	elif [ "${plan%% *}" != "1..$((p + s + f))" ]; then
		why="planned ${plan%% *} but ran $((p + s + f))"
	fi
	if [ -n "$why" ]; then
		echo "not ok - $n $why" >>"$log"
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	printf '%-32s %4d passed %4d failed %4d skipped %6s s %6s s CPU\n' "$n" "$p" "$f" "$s" \
		"$((ms / 1000)).$((ms % 1000 / 100))" "$(cpu_of "$log")"
	[ "$f" = 0 ] || failures+=("$log")
}

for n in "${names[@]}"; do
	log=$(log_of "$n")
	while [ ! -s "$log.rc" ]; do
		if ! kill -0 "$runner" 2>/dev/null && [ ! -s "$log.rc" ]; then
			echo "not ok - $n never ran" >>"$log"
			echo "1 0" >"$log.rc"
		fi
		sleep 0.2
	done
	tally "$n"
done
wait "$runner" 2>/dev/null
if [ -n "$every_export" ]; then
	n=interop/every-export
	start=${EPOCHREALTIME/./}
	( bash tests/interop/check-exports.sh "$every_export" >"$(log_of "$n")" 2>&1 </dev/null
	  status=$?
	  times >"$(log_of "$n").cpu"
	  echo "$status $(((${EPOCHREALTIME/./} - start) / 1000))" >"$(log_of "$n").rc" )
	tally "$n"
fi
{ cat "$logs/times.new"; cat "$times" 2>/dev/null; } | awk -F'\t' '!seen[$1]++' >"$logs/times.all"
mv "$logs/times.all" "$times"

for log in "${failures[@]+"${failures[@]}"}"; do
	echo
	echo "==== $log"
	grep -vE '^ok ' "$log" | head -60
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
