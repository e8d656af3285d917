#!/usr/bin/env bash
# How long the daily review's list takes on a `demo --patients 20000`
# database: review_build for the whole caseload (best and median of 10)
# and per patient (the review card), from a small program linked against
# the library.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$top/$BUILD" ;; esac
: "${BENCH_DIR:=$BUILD/bench}"
: "${CASELOAD:=$BUILD/caseload}"
mkdir -p "$BENCH_DIR"
export CASELOAD_TODAY=2026-11-24 CASELOAD_TZ=America/New_York
db="$BENCH_DIR/review20000.db"
if [ ! -s "$db" ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	"$CASELOAD" --db "$db" demo --patients 20000 --seed 7 >/dev/null
fi
pkgs="ncursesw formw panelw sqlite3 libical yaml-0.1 icu-uc icu-i18n"   # the Makefile's PKGS
${CC:-cc} -std=c11 -O2 -D_DEFAULT_SOURCE -I"$top/include" $(pkg-config --cflags $pkgs) \
	-o "$BENCH_DIR/review_bench" "$top/bench/review_bench.c" "$BUILD/libcaseload.a" \
	$(pkg-config --libs $pkgs) -lm
"$BENCH_DIR/review_bench" "$db" 2026-11-24 10
