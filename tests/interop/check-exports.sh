#!/usr/bin/env bash
# check-exports.sh DIR: every calendar in DIR (collected by running the
# tests with CASELOAD_TEST_EXPORTS=DIR) read by ical.js and by
# python-icalendar over 2000-2036: each reader without a warning, and both
# seeing the same occurrences.  Prints a line per file that fails, with
# why, and a count; exits 1 if any failed.  (tests/cli/ical_interop.sh
# checks its own exports against caseload's agenda as well.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: check-exports.sh DIR}
from=2000-01-01 to=2036-01-01
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for f in "$dir"/*.ics; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	why=""
	node "$here/ics-instants.js" "$f" "$from" "$to" >"$tmp/js" 2>"$tmp/js.err" ||
		why="ical.js: $(head -3 "$tmp/js.err" | tr '\n' ' ')"
	/usr/bin/python3 "$here/ics_instants.py" "$f" "$from" "$to" >"$tmp/py" 2>"$tmp/py.err" ||
		why="$why python-icalendar: $(head -3 "$tmp/py.err" | tr '\n' ' ')"
	if [ -z "$why" ] && ! cmp -s <(LC_ALL=C sort "$tmp/js") <(LC_ALL=C sort "$tmp/py"); then
		why="the readers differ: $(diff <(LC_ALL=C sort "$tmp/js") <(LC_ALL=C sort "$tmp/py") | grep '^[<>]' | head -4 | tr '\n' ' ')"
	fi
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		echo "${f##*/}: $why"
	fi
done
echo "$n calendars read, $bad with a finding"
[ "$bad" = 0 ] && [ "$n" -gt 0 ]
