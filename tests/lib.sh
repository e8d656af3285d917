# tests/lib.sh: a small TAP library for command-level and screen tests.
# Source it from a test script; it gives each script a private temporary
# home, a pinned "today" and zone, and the sanitizer build of caseload.
#
#   run ARGS...        run caseload; sets $out, $err, $rc (never aborts)
#   is GOT WANT DESC   equality
#   like GOT ERE DESC  extended regular expression match
#   unlike GOT ERE DESC
#   rc_is N DESC       exit status of the last run
#   ok DESC CMD...     CMD succeeds
#   done_testing       prints the plan; exit status says if all passed
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$top/$BUILD" ;; esac
CASELOAD="$BUILD/san/caseload"
[ -x "$CASELOAD" ] || { echo "Bail out! $CASELOAD is not built (make check builds it)"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/caseload-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share" XDG_CONFIG_HOME="$T/home/.config"
mkdir -p "$HOME"
export CASELOAD_TODAY="${CASELOAD_TODAY:-2026-11-24}" CASELOAD_TZ="${CASELOAD_TZ:-America/New_York}"
export CASELOAD_DB="$T/test.db"
export LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati   # the machine's zone must not matter
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"
unset CASELOAD_CONFIG
n_test=0
n_fail=0

_result() {   # _result PASSED DESC [DIAG]
	n_test=$((n_test + 1))
	if [ "$1" = 1 ]; then
		echo "ok $n_test - $2"
	else
		n_fail=$((n_fail + 1))
		echo "not ok $n_test - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
	fi
	return 0
}

run() {
	out=$("$CASELOAD" "$@" 2>"$T/stderr"; echo "rc=$?")
	rc=${out##*rc=}
	out=${out%rc=*}
	out=${out%$'\n'}
	err=$(cat "$T/stderr")
	if printf '%s' "$err" | grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:'; then
		_result 0 "no sanitizer report from: caseload $*" "$err"
	fi
	return 0
}

is() {
	if [ "$1" = "$2" ]; then _result 1 "$3"; else
		_result 0 "$3" "$(printf 'got:  %s\nwant: %s' "$1" "$2")"; fi
}

like() {
	if printf '%s' "$1" | grep -qE -- "$2"; then _result 1 "$3"; else
		_result 0 "$3" "$(printf 'got:  %s\nwant match: %s' "$1" "$2")"; fi
}

unlike() {
	if printf '%s' "$1" | grep -qE -- "$2"; then
		_result 0 "$3" "$(printf 'got:  %s\nwant no match: %s' "$1" "$2")"
	else _result 1 "$3"; fi
}

rc_is() {
	if [ "$rc" = "$1" ]; then _result 1 "$2"; else
		_result 0 "$2" "$(printf 'exit status %s, want %s\nstderr: %s' "$rc" "$1" "$err")"; fi
}

ok() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then _result 1 "$desc"; else _result 0 "$desc" "failed: $*"; fi
}

# Run and require success; gives the output (an id, usually) on stdout.
must() {
	run "$@"
	if [ "$rc" != 0 ]; then
		_result 0 "caseload $* succeeds" "$err"
	fi
	printf '%s' "$out"
}

# The number of lines of a TSV listing, header excluded.
rows() {
	printf '%s\n' "$1" | tail -n +2 | grep -c .
}

done_testing() {
	echo "1..$n_test"
	[ "$n_fail" = 0 ]
}
