#!/usr/bin/env bash
# make bench / make bench-quick: the targets of issue 12, measured in one run
# and printed as one table (README, "Benchmarks").  Every time is CPU time
# (user + system) of the process measured, so the machine's load does not
# count; each ratio compares two figures of the same run.
#
#   BENCH_QUICK=1   smaller sizes, for development (make bench-quick)
#   BENCH_REPLAYS   screen replays per size, the least per key (default 3; quick 1)
#   BENCH_ONLY      a subset of: demo import listings screen pg (default all;
#                   quick: all but pg, which adds some 40 s: BENCH_ONLY=pg)
#   BENCH_SCREEN    the screen's sizes, the base first (default 60 20000
#                   100000; quick 60 5000 20000), e.g. "60 100000"
#
# pg: the same work on PostgreSQL beside SQLite (bench/pg.sh), on a
# throwaway server (scripts/pgtest.sh) started here in a folder under /tmp
# and stopped at the end, on failure too; skipped, saying so, where
# PostgreSQL is not installed.
#
# Databases and .ics files are kept in $BUILD/bench between runs (named by
# the schema version and the generator's parameters); delete them to start
# again.  The log of each measurement goes to stderr.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${BUILD:=build}"
case "$BUILD" in /*) ;; *) BUILD="$top/$BUILD" ;; esac
export BENCH_TOP="$top" CASELOAD="$BUILD/caseload" BENCH_DIR="$BUILD/bench"
mkdir -p "$BENCH_DIR"
for tool in cpu ical_parse; do
	[ -x "$BENCH_DIR/$tool" ] || { echo "bench: $BENCH_DIR/$tool is missing (make bench builds it)" >&2; exit 2; }
done
command -v tmux >/dev/null || { echo "bench: the screen's replay needs tmux (make deps-test installs it)" >&2; exit 2; }
[ -x /usr/bin/python3 ] || { echo "bench: bench/ical_gen.py needs /usr/bin/python3" >&2; exit 2; }
. bench/lib.sh
. bench/demo.sh
. bench/import.sh
. bench/listings.sh
. bench/screen.sh
. bench/pg.sh

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	mode=quick screen=(60 5000 20000) list=20000 demo=(5000 20000) ics=(100000 10000)
	pg=(10000 60 500)
	: "${BENCH_REPLAYS:=1}"
else
	mode=full screen=(60 20000 100000) list=100000 demo=(20000 100000) ics=(100000 1000000)
	pg=(100000 20000 2000)
	# a key of 1 or 2 ms varied by as much again from one replay to the
	# next on this machine: the least of 3 is the key's own time
	: "${BENCH_REPLAYS:=3}"
fi
export BENCH_REPLAYS
[ -z "${BENCH_SCREEN:-}" ] || read -r -a screen <<<"$BENCH_SCREEN"
all="demo import listings screen pg"
[ "$mode" = full ] || all="demo import listings screen"
only=" ${BENCH_ONLY:-$all} "
: >"$RESULTS"
start=$(date +%s)
echo "bench ($mode): $("$CASELOAD" --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# the demo first: in a fresh $BENCH_DIR it makes the cached databases
[[ "$only" != *" demo "* ]] || bench_demo "${demo[@]}"
[[ "$only" != *" import "* ]] || bench_import "${ics[@]}"
[[ "$only" != *" listings "* ]] || bench_listings "$list"
if [[ "$only" == *" screen "* ]]; then
	# the larger .ics file, imported while the largest caseload is on screen
	SCR_IMPORT_EVENTS=$((ics[0] > ics[1] ? ics[0] : ics[1]))
	SCR_IMPORT_ICS=$(ics_file "$SCR_IMPORT_EVENTS")
	bench_screen "${screen[@]}"
fi
if [[ "$only" == *" pg "* ]]; then
	pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/caseload-bench-pg.XXXXXX")
	trap 'scripts/pgtest.sh stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
	if why=$(scripts/pgtest.sh start "$pg_dir" 2>&1); then
		# (without its dbname: each part names its own database)
		eval "PG_CONN=$(scripts/pgtest.sh env "$pg_dir" | sed 's/^CASELOAD_TEST_PG=//; s/ dbname=postgres//')"
		PG_POSTMASTER=$(head -n1 "$pg_dir/data/postmaster.pid")
		bench_pg "${pg[@]}"
	else
		echo "bench: PostgreSQL skipped: ${why#pgtest: }" >&2
	fi
	scripts/pgtest.sh stop "$pg_dir" >/dev/null 2>&1 || true
	trap - EXIT
fi

echo
echo "Targets of issue 12 (CPU time; ratio = caseload / reference, same run; peak = max resident MB);"
echo "pg: rows of issue 13, PostgreSQL beside SQLite (CPU of caseload + the server's processes)"
{
	printf 'operation\tsize\tcaseload\treference\tratio\tpeak MB\ttarget\tresult\n'
	cat "$RESULTS"
} | awk -F'\t' '
	{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
	END { for (r = 1; r <= n; r++) { line = ""
	        for (i = 1; i <= 8; i++) line = line sprintf(i < 8 ? "%-" w[i] "s  " : "%s", cell[r, i])
	        print line } }'
pass=$(awk -F'\t' '$8 == "PASS"' "$RESULTS" | wc -l)
fail=$(awk -F'\t' '$8 == "FAIL"' "$RESULTS" | wc -l)
echo "$pass of $((pass + fail)) targets hold ($mode run, $(($(date +%s) - start)) s wall)"
