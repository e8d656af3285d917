# shellcheck shell=bash
# bench/lib.sh: what the parts of scripts/bench.sh share.  Sourced.
#
#   measure NAME [-o OUT] CMD...   run CMD under bench/cpu; sets M_CPU (s),
#                                  M_FIRST (CPU ms at the first output byte),
#                                  M_FIRST_WALL (wall ms to it), M_WALL (s),
#                                  M_PEAK (MB), M_RC
#   row OP SIZE CASELOAD REFERENCE RATIO PEAK TARGET RESULT
#                                  one line of the final table
#   demo_db N                      the cached `demo --patients N` database
#   ics_file N                     the cached bench/ical_gen.py file of N events
#   probe_writes PID WAITS PAUSE CMD...   another process's writes during PID
#   verdict COND                   PASS if the awk condition holds, else FAIL
#
# Every time is CPU time (user + system) of the process measured, so the
# machine's load does not count; waits (another writer) are wall time.

: "${BENCH_DIR:?}" "${CASELOAD:?}"
CPU="$BENCH_DIR/cpu"
RESULTS="$BENCH_DIR/results.tsv"
export CASELOAD_TODAY=2026-11-24 CASELOAD_TZ=America/New_York LC_ALL=C.UTF-8
# no user's config, data or login name in the figures
export XDG_CONFIG_HOME="$BENCH_DIR/home/config" XDG_DATA_HOME="$BENCH_DIR/home/data"
export HOME="$BENCH_DIR/home" USER=bench LOGNAME=bench
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
SEED=7

measure() {
	local name=$1 rep
	shift
	rep="$BENCH_DIR/$name.rep"
	M_RC=0
	if [ "$1" = -o ]; then
		"$CPU" -o "$2" "$rep" "${@:3}" || M_RC=$?
	else
		"$CPU" "$rep" "$@" || M_RC=$?
	fi
	read -r _ M_CPU _ M_FIRST _ M_FIRST_WALL _ M_WALL _ M_PEAK _ _ <"$rep"
	M_PEAK=$((M_PEAK / 1024))
	echo "  $name: cpu $M_CPU s, first output at $M_FIRST ms cpu, wall $M_WALL s, peak $M_PEAK MB, rc $M_RC" >&2
}

# probe_writes PID WAITS PAUSE CMD...: while process PID runs (from half
# a second on), CMD (a write) again and again, PAUSE seconds apart; each
# one's wait (ms, wall
# time) and status into the file WAITS; sets PROBES, WORST (ms), FAILED
probe_writes() {
	local pid=$1 waits=$2 pause=$3 t0 t1 rc
	shift 3
	: >"$waits"
	sleep 0.5
	while kill -0 "$pid" 2>/dev/null; do
		t0=${EPOCHREALTIME/./}
		rc=0
		"$@" >/dev/null 2>&1 || rc=$?
		t1=${EPOCHREALTIME/./}
		kill -0 "$pid" 2>/dev/null || break   # it ended meanwhile
		echo "$(((t1 - t0) / 1000)) $rc" >>"$waits"
		sleep "$pause"
	done
	wait "$pid" || true
	# shellcheck disable=SC2034 # the caller's
	PROBES=$(wc -l <"$waits")
	WORST=$(sort -n "$waits" | tail -1 | cut -d' ' -f1)
	WORST=${WORST:-0}
	# shellcheck disable=SC2034 # the caller's
	FAILED=$(awk '$2 != 0' "$waits" | wc -l)
}

row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

# a number of seconds as "1.23 s" or "45.6 ms"
secs() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
size() {   # 100000 -> 100k, 1000000 -> 1M
	awk -v n="$1" 'BEGIN { if (n >= 1000000 && n % 1000000 == 0) printf "%dM", n / 1000000;
	                       else if (n >= 1000 && n % 1000 == 0) printf "%dk", n / 1000; else print n }'
}

SCHEMA=$("$CASELOAD" --version | sed -n 's/.*(schema \([0-9]*\)).*/\1/p')
demo_name() { echo "$BENCH_DIR/demo-p$1-seed$SEED-today$CASELOAD_TODAY-schema$SCHEMA.db"; }

# The database of `demo --patients N`, made once and kept in $BENCH_DIR
# (the key: the binary's schema version and the generator's parameters).
# The screen and the listings add audit rows (reads are recorded): that
# does not change what they list.
demo_db() {
	local db
	db=$(demo_name "$1")
	if [ ! -s "$db" ]; then
		rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
		"$CASELOAD" --db "$db.tmp" demo --patients "$1" --seed "$SEED" >/dev/null
		mv "$db.tmp" "$db"
	fi
	echo "$db"
}

ics_file() {
	local gen f
	gen=$(sed -n 's/^GENERATOR = "\(.*\)"/\1/p' "$BENCH_TOP/bench/ical_gen.py")
	f="$BENCH_DIR/ical-$gen-$1.ics"
	if [ ! -s "$f" ]; then
		/usr/bin/python3 "$BENCH_TOP/bench/ical_gen.py" "$1" "$f.tmp" && mv "$f.tmp" "$f"
	fi
	echo "$f"
}

fresh_db() { rm -f "$1" "$1-wal" "$1-shm"; "$CASELOAD" --db "$1" init >/dev/null; }
