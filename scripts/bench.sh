#!/usr/bin/env bash
# make bench: run every bench/*.sh in turn.  Each prints its own figures;
# none of them is a test (they assert nothing about time).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${BUILD:=build}"
export BUILD CASELOAD="$top/$BUILD/caseload"
export BENCH_DIR="$top/$BUILD/bench"
mkdir -p "$BENCH_DIR"
status=0
for b in bench/*.sh; do
	[ -f "$b" ] || continue
	echo "== $b"
	bash "$b" || { echo "bench $b failed"; status=1; }
done
exit $status
