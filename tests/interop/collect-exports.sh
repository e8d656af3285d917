#!/usr/bin/env bash
# Stands in for caseload in the tests when CASELOAD_TEST_EXPORTS=DIR is set
# (tests/lib.sh): runs the real program ($CASELOAD_REAL) and, for `export`
# and `agenda --ics` that succeed, keeps a copy of the calendar written (to
# standard output or to -o FILE) in DIR as TEST.XXXXXX.ics, for
# tests/interop/check-exports.sh.  Any other command is the program itself
# (exec), so its process id, terminal and signals are unchanged.
real=${CASELOAD_REAL:?CASELOAD_REAL is not set}
want=0
case ${1:-} in
export) want=1 ;;
agenda) for a; do [ "$a" = --ics ] && want=1; done ;;
esac
[ "$want" = 1 ] || exec "$real" "$@"

file="" prev=""
for a; do
	case $prev in -o | --output) file=$a ;; esac
	case $a in --output=*) file=${a#--output=} ;; esac
	prev=$a
done
tmp=$(mktemp "${TMPDIR:-/tmp}/caseload-export.XXXXXX")
"$real" "$@" >"$tmp"
rc=$?
cat "$tmp"
[ -n "$file" ] && [ "$file" != - ] || file=$tmp
if [ "$rc" = 0 ] && [ -f "$file" ] && head -c 15 "$file" | grep -q '^BEGIN:VCALENDAR'; then
	mkdir -p "$CASELOAD_TEST_EXPORTS" &&
		cp "$file" "$(mktemp --suffix=.ics "$CASELOAD_TEST_EXPORTS/${CASELOAD_TEST_NAME:-test}.XXXXXX")"
fi
rm -f "$tmp"
exit "$rc"
