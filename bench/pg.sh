# shellcheck shell=bash
# shellcheck disable=SC2153 # M_* are set by measure (bench/lib.sh)
# bench/pg.sh: the same work on PostgreSQL beside SQLite (issue 13): an
# import of N events, the review of a caseload of P patients (copied from
# the cached SQLite demo with `db copy`), the screen's key replay on that
# caseload, and task claims by 8 concurrent clients.  The server is a
# throwaway one (scripts/pgtest.sh: Unix socket, fsync off) that
# scripts/bench.sh starts and stops.  Sourced by scripts/bench.sh.
#
# On PostgreSQL the work is split between caseload and the server's
# processes, so its CPU time is both: the client's (bench/cpu) and the
# server's, the postmaster's own and its children's, the ended ones
# included (cutime, cstime in /proc/PID/stat), over the same interval.  The
# server does nothing else meanwhile.  Wall times are given too: they
# include the machine's load.
#
#   bench_pg EVENTS PATIENTS CLAIMS    needs PG_CONN (a conninfo of the
#                                      server's maintenance database) and
#                                      PG_POSTMASTER (its pid)

PG_CLIENTS=8

pg_admin() { psql "$PG_CONN" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# The server's CPU time so far, in seconds, once the sessions of the
# clients that ended have ended too (an ended one counts in the
# postmaster's cutime only once it has been reaped).
pg_server_cpu() {
	local p ticks=0 f tck i
	tck=$(getconf CLK_TCK)
	for ((i = 0; i < 100; i++)); do
		[ "$(psql "$PG_CONN" -qAtX -c "SELECT count(*) FROM pg_stat_activity
		     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")" != 0 ] || break
		sleep 0.05
	done
	# the postmaster: its own and its ended children's (fields 14-17)
	read -r -a f <"/proc/$PG_POSTMASTER/stat"
	ticks=$((f[13] + f[14] + f[15] + f[16]))
	# the children still running (backends, the writer, ...)
	for p in $(pgrep -P "$PG_POSTMASTER"); do
		read -r -a f <"/proc/$p/stat" 2>/dev/null || continue
		ticks=$((ticks + f[13] + f[14]))
	done
	awk -v t="$ticks" -v h="$tck" 'BEGIN { printf "%.2f", t / h }'
}

# A new empty caseload database on the server; echo its conninfo.
pg_fresh_db() {   # pg_fresh_db NAME
	pg_admin "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
	pg_admin "CREATE DATABASE $1" >/dev/null
	echo "$PG_CONN dbname=$1"
}

# measure, with the server's CPU: sets M_* and M_SERVER, M_TOTAL (s)
pg_measure() {   # pg_measure NAME [-o OUT] CMD...
	local s0 s1
	s0=$(pg_server_cpu)
	measure "$@"
	s1=$(pg_server_cpu)
	M_SERVER=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')
	M_TOTAL=$(awk -v a="$M_CPU" -v b="$M_SERVER" 'BEGIN { printf "%.2f", a + b }')
	echo "  $1 (server): cpu $M_SERVER s, client + server $M_TOTAL s" >&2
}

# a row: the same operation on both engines; with MAX, the ratio's target
pg_row() {   # pg_row OP SIZE PG_TOTAL PG_CLIENT PG_SERVER PG_WALL SQ_CPU SQ_WALL PEAK [MAX]
	local target="-" v="info" r
	r=$(ratio "$3" "$7")
	if [ -n "${10:-}" ]; then
		target="within ${10}x SQLite"
		v=$(verdict "$r != \"-\" && $r <= ${10}")
	fi
	row "pg: $1" "$2" "$(secs "$3") ($(secs "$4") + server $(secs "$5")), wall $(secs "$6")" \
		"SQLite $(secs "$7"), wall $(secs "$8")" "$r" "$9" "$target" "$v"
}

# N open tasks on one patient, by SQL (the claim's raw material).
claim_tasks() {   # claim_tasks DB-or-CONNINFO N ENGINE
	local db=$1 n=$2 login=bench
	"$CASELOAD" --db "$db" init >/dev/null
	"$CASELOAD" --db "$db" patient add --name "Claim, Bench" >/dev/null
	# who takes: a member of the team (on the server the role connected;
	# `task take` there names the system's user for now: both)
	if [ "$3" = pg ]; then
		login=$(psql "$db" -qAtX -c "SELECT session_user")
		[ "$(id -un)" = "$login" ] ||
			"$CASELOAD" --db "$db" team add "$(id -un)" --name "Bench, System" >/dev/null
	fi
	"$CASELOAD" --db "$db" team add "$login" --name "Bench, Claims" >/dev/null
	if [ "$3" = pg ]; then
		psql "$db" -qAtX -v ON_ERROR_STOP=1 -c "INSERT INTO task(patient_id, title, created, updated)
		  SELECT 1, 'claim ' || i, 0, 0 FROM generate_series(1, $n) i" >/dev/null
	else
		/usr/bin/python3 - "$db" "$n" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executemany("INSERT INTO task(patient_id, title, created, updated) VALUES (1, ?, 0, 0)",
               [(f"claim {i}",) for i in range(1, int(sys.argv[2]) + 1)])
db.commit()
PY
	fi
}

# PG_CLIENTS processes each `task take` every task at once: each task goes
# to exactly one of them (the rest are refused).  Sets C_WALL (s), C_CPU
# (the clients' CPU, s), C_TAKEN (tasks taken) and C_SERVER (s) on PostgreSQL.
claim_run() {   # claim_run DB-or-CONNINFO N ENGINE
	local db=$1 n=$2 i pids=() t0 t1 s0="" ids who=(--user bench)
	[ "$3" != pg ] || who=()   # the server's role
	ids=$(seq 1 "$n" | tr '\n' ' ')
	[ "$3" != pg ] || s0=$(pg_server_cpu)
	t0=${EPOCHREALTIME/./}
	for ((i = 1; i <= PG_CLIENTS; i++)); do
		# shellcheck disable=SC2086 # the ids are words
		"$CPU" -o "$BENCH_DIR/claim-$i.out" "$BENCH_DIR/claim-$i.rep" "$CASELOAD" --db "$db" "${who[@]}" task take $ids \
			2>"$BENCH_DIR/claim-$i.err" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i" || true; done
	t1=${EPOCHREALTIME/./}
	C_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
	C_CPU=$(cat "$BENCH_DIR"/claim-*.rep | awk '{ s += $2 } END { printf "%.2f", s }')
	C_TAKEN=$(cat "$BENCH_DIR"/claim-*.out | sort -u | grep -c . || true)
	C_SERVER=0
	[ "$3" != pg ] || C_SERVER=$(awk -v a="$s0" -v b="$(pg_server_cpu)" 'BEGIN { printf "%.2f", b - a }')
	echo "  claim $3: $C_TAKEN of $n taken by $PG_CLIENTS clients, wall $C_WALL s, clients' cpu $C_CPU s, server $C_SERVER s" >&2
	rm -f "$BENCH_DIR"/claim-*.rep "$BENCH_DIR"/claim-*.out "$BENCH_DIR"/claim-*.err
}

# The key replay's CPU: every key's figure summed, and the slowest key
# (label and ms) from a scr_replay output.
replay_sum() { awk -F'\t' '$1 != "(open)" { s += $2; if ($2 > m) { m = $2; k = $1 } } END { printf "%.2f\t%.2f\t%s", s, m, k }' "$1"; }

bench_pg() {
	local events=$1 patients=$2 claims=$3 f sq pg sq_cpu sq_wall sq_r pg_r sum yesterday
	echo "  PostgreSQL: $(psql "$PG_CONN" -qAtX -c 'SHOW server_version') (throwaway server, fsync off)" >&2

	# import: a new database each
	f=$(ics_file "$events")
	sq="$BENCH_DIR/pg-import.db"
	fresh_db "$sq"
	measure "sqlite-import-$events" "$CASELOAD" --db "$sq" import "$f"
	sq_cpu=$M_CPU sq_wall=$M_WALL
	pg=$(pg_fresh_db bench_import)
	"$CASELOAD" --db "$pg" init >/dev/null
	pg_measure "pg-import-$events" "$CASELOAD" --db "$pg" import "$f"
	pg_row "import .ics (new db)" "$(size "$events") ev" "$M_TOTAL" "$M_CPU" "$M_SERVER" "$M_WALL" \
		"$sq_cpu" "$sq_wall" "$M_PEAK"
	pg_admin "DROP DATABASE bench_import WITH (FORCE)" >/dev/null
	rm -f "$sq" "$sq-wal" "$sq-shm"

	# the review, on the demo caseload copied into the server: reviewed
	# today first, so that both engines read kept rows (the screen's replay
	# may have left rows stale; made again they are the next day's row)
	sq=$(demo_db "$patients")
	"$CASELOAD" --db "$sq" review >/dev/null
	pg=$(pg_fresh_db bench_demo)
	pg_measure "pg-copy-$patients" "$CASELOAD" db copy "$sq" "$pg"
	if [ "$M_RC" = 0 ]; then
		row "pg: db copy SQLite -> PostgreSQL" "$(size "$patients") pts" \
			"$(secs "$M_TOTAL") ($(secs "$M_CPU") + server $(secs "$M_SERVER")), wall $(secs "$M_WALL")" \
			"-" "-" "$M_PEAK" "-" "info"
	else
		# the same caseload made there (the generator is seeded)
		row "pg: db copy SQLite -> PostgreSQL" "$(size "$patients") pts" "failed (rc $M_RC): demo made there" \
			"-" "-" "$M_PEAK" "copies" FAIL
		pg=$(pg_fresh_db bench_demo)
		pg_measure "pg-demo-$patients" "$CASELOAD" --db "$pg" demo --patients "$patients" --seed "$SEED"
	fi
	measure "sqlite-review-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$sq" review
	sq_cpu=$M_CPU sq_wall=$M_WALL
	pg_measure "pg-review-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$pg" review
	# within 5x: the copy's ANALYZE gives the planner the rows (without it
	# 36.6 s, 49x: a plan quadratic in the medications); the copy brings
	# the kept review as current as it was, so this reads the kept rows
	pg_row "review" "$(size "$patients") pts" "$M_TOTAL" "$M_CPU" "$M_SERVER" "$M_WALL" \
		"$sq_cpu" "$sq_wall" "$M_PEAK" 5
	# the next day: the kept rows made for the day before and the days
	# after it, read (on both, as bench/listings.sh's row)
	yesterday=$(date -u -d "$CASELOAD_TODAY -1 day" +%F)
	"$CASELOAD" --db "$sq" review --date "$yesterday" >/dev/null
	measure "sqlite-review-next-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$sq" review
	sq_cpu=$M_CPU sq_wall=$M_WALL
	"$CASELOAD" --db "$pg" review --date "$yesterday" >/dev/null
	pg_measure "pg-review-next-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$pg" review
	pg_row "review, the next day" "$(size "$patients") pts" "$M_TOTAL" "$M_CPU" "$M_SERVER" \
		"$M_WALL" "$sq_cpu" "$sq_wall" "$M_PEAK"
	# every row made again (after a review of a day long ago, as after
	# other settings): the rows go many to a statement on the server
	"$CASELOAD" --db "$sq" review --date 2000-01-01 >/dev/null
	measure "sqlite-review-again-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$sq" review
	sq_cpu=$M_CPU sq_wall=$M_WALL
	"$CASELOAD" --db "$pg" review --date 2000-01-01 >/dev/null
	pg_measure "pg-review-again-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$pg" review
	pg_row "review, all made again" "$(size "$patients") pts" "$M_TOTAL" "$M_CPU" "$M_SERVER" \
		"$M_WALL" "$sq_cpu" "$sq_wall" "$M_PEAK"

	# the listings' first lines, in wall time (the server's work before
	# the first row is not the client's CPU): read through a cursor
	# planned for its first rows, not sorted whole first (drv_pg.c)
	local l sq_first
	for l in "patient list" "task list" "agenda --days 30"; do
		# shellcheck disable=SC2086 # the listing's words
		measure "sqlite-${l// /-}-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$sq" $l
		sq_first=$M_FIRST_WALL sq_wall=$M_WALL
		# shellcheck disable=SC2086
		measure "pg-${l// /-}-$patients" -o "$BENCH_DIR/list.out" "$CASELOAD" --db "$pg" $l
		row "pg: $l, first line (wall)" "$(size "$patients") pts" \
			"$(awk -v m="$M_FIRST_WALL" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$M_WALL")" \
			"SQLite $(awk -v m="$sq_first" 'BEGIN { printf "%.0f", m }') ms, all $(secs "$sq_wall")" \
			"$(ratio "$M_FIRST_WALL" "$sq_first")" "$M_PEAK" "-" "info"
	done

	# the screen's key replay on both (the server's backends counted with
	# the screen: SCR_EXTRA, see bench/screen.sh)
	scr_replay "$sq" "$BENCH_DIR/pg-screen-sqlite.tsv"
	sq_r=$(replay_sum "$BENCH_DIR/pg-screen-sqlite.tsv")
	SCR_BACKENDS=1 scr_replay "$pg" "$BENCH_DIR/pg-screen-pg.tsv"
	pg_r=$(replay_sum "$BENCH_DIR/pg-screen-pg.tsv")
	row "pg: screen replay, all keys" "$(size "$patients") pts" \
		"$(cut -f1 <<<"$pg_r") ms (client + server)" "SQLite $(cut -f1 <<<"$sq_r") ms" \
		"$(ratio "$(cut -f1 <<<"$pg_r")" "$(cut -f1 <<<"$sq_r")")" "-" "-" "info"
	row "pg: screen, slowest key" "$(size "$patients") pts" \
		"$(cut -f3 <<<"$pg_r"): $(cut -f2 <<<"$pg_r") ms" "SQLite $(cut -f3 <<<"$sq_r"): $(cut -f2 <<<"$sq_r") ms" \
		"-" "-" "-" "info"
	pg_admin "DROP DATABASE bench_demo WITH (FORCE)" >/dev/null

	# claims by 8 concurrent clients
	sq="$BENCH_DIR/pg-claim.db"
	rm -f "$sq" "$sq-wal" "$sq-shm"
	claim_tasks "$sq" "$claims" sqlite
	claim_run "$sq" "$claims" sqlite
	local sq_wall_c=$C_WALL sq_cpu_c=$C_CPU sq_taken=$C_TAKEN
	pg=$(pg_fresh_db bench_claim)
	claim_tasks "$pg" "$claims" pg
	claim_run "$pg" "$claims" pg
	sum=$(awk -v a="$C_CPU" -v b="$C_SERVER" 'BEGIN { printf "%.2f", a + b }')
	row "pg: claims, $PG_CLIENTS clients at once" "$(size "$claims") tasks" \
		"$(awk -v n="$claims" -v w="$C_WALL" 'BEGIN { printf "%.0f", n / w }')/s wall, cpu $(secs "$sum") ($(secs "$C_CPU") + server $(secs "$C_SERVER"))" \
		"SQLite $(awk -v n="$claims" -v w="$sq_wall_c" 'BEGIN { printf "%.0f", n / w }')/s wall, cpu $(secs "$sq_cpu_c")" \
		"$(ratio "$sum" "$sq_cpu_c")" "-" "each task taken once" \
		"$(verdict "$C_TAKEN == $claims && $sq_taken == $claims")"
	pg_admin "DROP DATABASE bench_claim WITH (FORCE)" >/dev/null
	rm -f "$sq" "$sq-wal" "$sq-shm"
}
