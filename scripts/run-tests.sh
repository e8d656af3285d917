#!/usr/bin/env bash
# Run every test: cmocka unit tests (TAP) and the command-level and screen
# scripts under tests/cli and tests/tui.  Prints each failure's log and
# ends with one line: "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${BUILD:=build}"
export BUILD
logs="$BUILD/test-logs"
rm -rf "$logs"
mkdir -p "$logs"
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"

passed=0
failed=0
failures=()

one() {   # one NAME COMMAND...
	local name=$1 log="$logs/${1//\//_}.log"
	shift
	"$@" >"$log" 2>&1
	local status=$?
	local p f
	p=$(grep -cE '^ok ' "$log")
	f=$(grep -cE '^not ok ' "$log")
	if [ "$status" != 0 ] && [ "$f" = 0 ]; then
		f=1   # it died (or its plan failed) without saying which test
		echo "not ok - $name exited with status $status" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-40s %4d passed %4d failed\n' "$name" "$p" "$f"
	[ "$f" = 0 ] || failures+=("$log")
}

for t in "$BUILD"/san/tests/test_*; do
	[ -x "$t" ] || continue
	one "unit/$(basename "$t")" "$t"
done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	one "${t#tests/}" bash "$t"
done

for log in "${failures[@]+"${failures[@]}"}"; do
	echo
	echo "==== $log"
	grep -vE '^ok ' "$log" | head -60
done
echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
