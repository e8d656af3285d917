#!/usr/bin/env bash
# check-exports.sh DIR: every calendar in DIR (collected by running the
# tests with CASELOAD_TEST_EXPORTS=DIR, as `make check` does) read by
# ical.js and by python-icalendar over 2000-2036: each reader without a
# warning, and both seeing the same occurrences.  TAP: a test per file,
# with why when it fails.  Files are read side by side (TEST_JOBS, default
# the number of cores).  (tests/cli/ical_interop.sh checks its own exports
# against caseload's agenda as well.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: check-exports.sh DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one FILE: $tmp/NAME.why, empty when both readers agree without a warning
read_one() {
	local f=$1 out=$tmp/${1##*/} from=2000-01-01 to=2036-01-01 why=""
	node "$here/ics-instants.js" "$f" "$from" "$to" >"$out.js" 2>"$out.js.err" ||
		why="ical.js: $(head -3 "$out.js.err" | tr '\n' ' ')"
	/usr/bin/python3 "$here/ics_instants.py" "$f" "$from" "$to" >"$out.py" 2>"$out.py.err" ||
		why="$why python-icalendar: $(head -3 "$out.py.err" | tr '\n' ' ')"
	if [ -z "$why" ] && ! cmp -s <(LC_ALL=C sort "$out.js") <(LC_ALL=C sort "$out.py"); then
		why="the readers differ: $(diff <(LC_ALL=C sort "$out.js") <(LC_ALL=C sort "$out.py") |
			grep '^[<>]' | head -4 | tr '\n' ' ')"
	fi
	printf '%s' "$why" >"$out.why"
}
export -f read_one
export here tmp

if ! command -v node >/dev/null 2>&1 || [ ! -d "$here/node_modules/ical.js" ]; then
	echo "1..0 # SKIP ical.js is not installed (make deps-test)"
	exit 0
fi
files=("$dir"/*.ics)
[ -f "${files[0]}" ] || { echo "1..1"; echo "not ok 1 - no calendar was collected in $dir"; exit 1; }
printf '%s\0' "${files[@]}" |
	xargs -0 -n1 -P "${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}" bash -c 'read_one "$1"' _
echo "1..${#files[@]}"
i=0 bad=0
for f in "${files[@]}"; do
	i=$((i + 1))
	why=$(cat "$tmp/${f##*/}.why" 2>/dev/null || echo "was not read")
	if [ -z "$why" ]; then
		echo "ok $i - ${f##*/}: ical.js and python-icalendar agree, no warning"
	else
		bad=$((bad + 1))
		echo "not ok $i - ${f##*/}: $why"
	fi
done
[ "$bad" = 0 ]
