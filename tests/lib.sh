# tests/lib.sh: a small TAP library for command-level and screen tests.
# Source it from a test script; it gives each script a private temporary
# home, a pinned "today" and zone, and the sanitizer build of caseload.
#
#   run ARGS...        run caseload; sets $out, $err, $rc (never aborts)
#   must ARGS...       run, and fail a test unless it succeeds; prints $out
#   is GOT WANT DESC   equality
#   like GOT ERE DESC  extended regular expression match
#   unlike GOT ERE DESC
#   rc_is N DESC       exit status of the last run
#   ok DESC CMD...     CMD succeeds
#   skip DESC REASON   a test that cannot run here (counted as skipped)
#   skip_all REASON    the whole script cannot run here; exits
#   done_testing       prints the plan and exits: 0 only if all passed
#
# Nothing can fail unseen: results are numbered and counted in files under
# $T and written to file descriptor 3, the script's own standard output,
# so an assertion inside $(...) (x=$(must ...)) is neither captured nor
# lost; and any command of the script itself that fails, setup included,
# is a failed test naming its line.  Write `cmd || true` where a failure
# is expected and harmless.
#
# Waiting: deadlines are in seconds times CASELOAD_TEST_SCALE (default 1),
# for a slow or busy machine; `deadline S` gives S scaled.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$top/$BUILD" ;; esac
CASELOAD="$BUILD/san/caseload"
[ -x "$CASELOAD" ] || { echo "Bail out! $CASELOAD is not built (make check builds it)"; exit 1; }
CASELOAD_BIN=$CASELOAD   # the program itself, even when $CASELOAD is the collector below
# CASELOAD_TEST_EXPORTS=DIR keeps a copy of every calendar the tests write
# with export or agenda --ics in DIR (tests/interop/check-exports.sh reads
# them all with ical.js and python-icalendar).
if [ -n "${CASELOAD_TEST_EXPORTS:-}" ]; then
	CASELOAD_TEST_NAME=$(basename "$0" .sh)
	export CASELOAD_REAL="$CASELOAD" CASELOAD_TEST_NAME
	CASELOAD="$top/tests/interop/collect-exports.sh"
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/caseload-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share" XDG_CONFIG_HOME="$T/home/.config"
mkdir -p "$HOME"
export CASELOAD_TODAY="${CASELOAD_TODAY:-2026-11-24}" CASELOAD_TZ="${CASELOAD_TZ:-America/New_York}"
export CASELOAD_DB="$T/test.db"
export LC_ALL=C.UTF-8 TZ=Pacific/Kiritimati   # the machine's zone must not matter
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"
unset CASELOAD_CONFIG CASELOAD_IDLE_LOCK_SECONDS
: "${CASELOAD_TEST_SCALE:=1}"
exec 3>&1
echo 0 >"$T/n_test"
echo 0 >"$T/n_fail"

deadline() { echo $(($1 * CASELOAD_TEST_SCALE)); }

_count() {   # _count FILE VAR: add one to the number in FILE, into VAR
	local c
	read -r c <"$1"
	c=$((c + 1))
	echo "$c" >"$1"
	printf -v "$2" '%s' "$c"
}

_result() {   # _result PASSED DESC [DIAG]
	local n f
	_count "$T/n_test" n
	if [ "$1" = 1 ]; then
		echo "ok $n - $2" >&3
	else
		_count "$T/n_fail" f
		echo "not ok $n - $2" >&3
		if [ -n "${3:-}" ]; then printf '%s\n' "$3" | sed 's/^/#   /' >&3; fi
	fi
	return 0
}

# A command of the script failed (not inside if, while, && or ||).
_command_failed() {   # STATUS LINE COMMAND
	_result 0 "line $2 of $(basename "$0"): a command failed (status $1)" "$3"
}
set -E   # the trap holds inside functions and command substitutions too
trap '_command_failed $? "$LINENO" "$BASH_COMMAND"' ERR

run() {
	out=$("$CASELOAD" "$@" 2>"$T/stderr" 3>&- && echo "rc=0" || echo "rc=$?")
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
	if "$@" >/dev/null 2>&1 3>&-; then _result 1 "$desc"; else _result 0 "$desc" "failed: $*"; fi
}

skip() {   # skip DESC REASON
	local n
	_count "$T/n_test" n
	echo "ok $n - $1 # SKIP $2" >&3
}

skip_all() {   # skip_all REASON
	echo "1..0 # SKIP $1" >&3
	exit 0
}

# A database of its own on the test server (CASELOAD_TEST_PG), dropped at
# the exit with $T: sets $db; admin runs SQL on the server's maintenance
# database, on_db on this one.
#   pg_scratch NAME
pg_scratch() {
	db="caseload_$1_$$"
	admin "CREATE DATABASE $db"
	trap 'admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
}
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
on_db() { psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

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
	printf '%s\n' "$1" | tail -n +2 | grep -c . || true
}

done_testing() {
	local n f
	read -r n <"$T/n_test"
	read -r f <"$T/n_fail"
	echo "1..$n" >&3
	[ "$f" = 0 ] && exit 0
	exit 1
}
