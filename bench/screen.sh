# shellcheck shell=bash
# bench/screen.sh: the screen, key by key.  The key script
# bench/keys/caseload.keys is replayed in a private tmux server (120x40)
# against `demo --patients N`; each key costs the CPU time the caseload
# process spends from just before the key is sent until the screen has
# settled: its CPU time (/proc/PID/task/*/schedstat, nanoseconds) has
# started growing, then it waits for the next key and neither its CPU time
# nor the pane changes (see scr_settle).  The least of
# BENCH_REPLAYS replays per key.  Sourced by scripts/bench.sh.
#
#   bench_screen BASE N...     per-key table; rows: every key within 2x its
#                              BASE time (floor SCREEN_FLOOR_MS), none over
#                              16 ms, the idle count's delay, keys
#                              during an import (SCR_IMPORT_ICS, of
#                              SCR_IMPORT_EVENTS events)
SCREEN_FLOOR_MS=1     # keys under this on the base caseload count as this
SCREEN_MAX_MS=16
SCREEN_IMPORT_WALL_MS=500   # a key's wall time during an import: a chart it opens
                            # records the read, after the import's batch (<= 0.25 s)

scr_tmux() { tmux -L "$SCR_SOCK" "$@"; }

# SCR_NS: the CPU time of every thread of $SCR_PID, and of the processes
# in SCR_EXTRA (on PostgreSQL the screen's server sessions, bench/pg.sh),
# in nanoseconds (no fork: the polls must not wait for the machine)
SCR_EXTRA=""
scr_cpu() {
	local f ns p
	SCR_NS=0
	for f in /proc/"$SCR_PID"/task/*/schedstat; do
		read -r ns _ <"$f" 2>/dev/null || continue
		SCR_NS=$((SCR_NS + ns))
	done
	for p in $SCR_EXTRA; do
		read -r ns _ <"/proc/$p/schedstat" 2>/dev/null || continue
		SCR_NS=$((SCR_NS + ns))
	done
}
# sleep without a fork
scr_sleep() { read -r -t "$1" -u "$SCR_SLEEP_FD" _ || true; }
exec {SCR_SLEEP_FD}<> <(:)

scr_start() {   # scr_start DB
	SCR_SOCK="caseload-bench-$$"
	scr_tmux kill-server 2>/dev/null || true
	scr_tmux -f /dev/null new-session -d -s bench -x 120 -y 40 \
		"exec env TERM=xterm-256color '$CASELOAD' --db '$1' 2>>'$BENCH_DIR/screen.err'"
	SCR_PID=$(scr_tmux display-message -p -t bench '#{pane_pid}')
}

# The screen ended, and waited for: its exit closes the database (the
# last connection's checkpoint writes the WAL into the file), which must be
# over before the file is copied or removed.  Left running, the next step
# once copied a file torn by that checkpoint (audit rows past the recorded
# head: the copy refused every write), and `cp` over the binary failed.
scr_stop() {
	local i
	scr_tmux kill-server 2>/dev/null || true
	[ -n "${SCR_PID:-}" ] || return 0
	for ((i = 0; i < 1000; i++)); do
		kill -0 "$SCR_PID" 2>/dev/null || break
		scr_sleep 0.01
	done
}

# Wait until the screen has settled after a key; echo the CPU ns then.
# Settled: the process waits for the next key (blocked in poll(2) with a
# timeout of 50 ms or more, from /proc/PID/syscall: not the 25 ms wait for
# the rest of an escape sequence) and neither its CPU time nor the pane
# changed since the last look (10 ms before).  So a key's figure stops
# where the screen waits for the next one, and leaves out what it does
# when idle (the "need review" count 50 ms later, measured on its own).
# Where /proc/PID/syscall says nothing useful, or with QUIET_MS given (the
# opening, which includes its first count): asleep (state S) and nothing
# changed for QUIET_MS (300 ms if the pane never changed).
#   scr_settle BEFORE_CPU BEFORE_PANE [QUIET_MS]
scr_settle() {
	local c0=$1 s0=$2 quiet=${3:-} c s lc="" ls="" since end st need nr tmo
	end=$((${EPOCHREALTIME/./} + 600000000))
	# the key has been taken: the process has run
	while scr_cpu; [ "$SCR_NS" -le "$c0" ]; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || break
		scr_sleep 0.002
	done
	since=${EPOCHREALTIME/./}
	while :; do
		scr_sleep 0.01
		scr_cpu
		c=$SCR_NS
		st=R nr="" tmo=0
		read -r _ _ st _ <"/proc/$SCR_PID/stat" 2>/dev/null || true
		read -r nr _ _ tmo _ <"/proc/$SCR_PID/syscall" 2>/dev/null || true
		s=$(scr_tmux capture-pane -p -t bench)
		if [ -z "$quiet" ] && [ "$nr" = 7 ] && [ "$st" = S ] && [ $((tmo)) -ge 50 ] &&
			[ "$c" = "$lc" ] && [ "$s" = "$ls" ]; then
			break
		fi
		if [ "$c" != "$lc" ] || [ "$s" != "$ls" ] || [ "$st" != S ]; then
			lc=$c ls=$s since=${EPOCHREALTIME/./}
			continue
		fi
		need=${quiet:-40}
		[ "$s" != "$s0" ] || need=300
		[ $(((${EPOCHREALTIME/./} - since) / 1000)) -lt "$need" ] || break
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || break
	done
	echo "$lc"
}

# Before a key: wait until the screen has done what it does when idle (a
# change makes it count "need review" once it has been idle 50 ms): it
# waits for a key with its usual timeout (more than 50 ms), or it has been
# asleep with the same CPU time for 300 ms.
scr_quiesce() {
	local c lc="" since st nr tmo end
	end=$((${EPOCHREALTIME/./} + 600000000))
	since=${EPOCHREALTIME/./}
	while [ "${EPOCHREALTIME/./}" -lt "$end" ]; do
		scr_sleep 0.01
		scr_cpu
		c=$SCR_NS
		st=R nr="" tmo=0
		read -r _ _ st _ <"/proc/$SCR_PID/stat" 2>/dev/null || true
		read -r nr _ _ tmo _ <"/proc/$SCR_PID/syscall" 2>/dev/null || true
		if [ "$c" != "$lc" ] || [ "$st" != S ]; then
			lc=$c since=${EPOCHREALTIME/./}
			continue
		fi
		[ "$nr" != 7 ] || [ $((tmo)) -le 50 ] || return 0
		[ $(((${EPOCHREALTIME/./} - since) / 1000)) -lt 300 ] || return 0
	done
}

# One replay of the key script on DB; writes "LABEL<TAB>MS" lines to OUT.
scr_replay() {   # scr_replay DB OUT
	local db=$1 out=$2 line key c0 s0 c1 i ch t0
	: >"$out"
	t0=${EPOCHREALTIME/./}
	scr_start "$db"
	# the opening: until it has drawn, counted and been quiet for 300 ms
	# (the timers look every 500 ms)
	c1=$(scr_settle 0 "" 300)
	SCR_EXTRA=""
	# on a server (SCR_BACKENDS=1, DB a conninfo): its sessions' CPU is the
	# screen's too, from the first key on
	if [ -n "${SCR_BACKENDS:-}" ]; then
		SCR_EXTRA=$(psql "$db" -qAtX -c "SELECT pid FROM pg_stat_activity
		  WHERE datname = current_database() AND application_name = 'caseload'" | tr '\n' ' ')
		echo "  screen's server sessions: $SCR_EXTRA" >&2
	fi
	printf '(open)\t%s\n' "$(awk -v n="$c1" 'BEGIN { printf "%.2f", n / 1e6 }')" >>"$out"
	local label note
	while IFS= read -r line; do
		note=""
		[ "${line#*#}" = "$line" ] || note=${line#*#}
		note=${note#"${note%%[![:space:]]*}"}
		line=${line%%#*}
		line=${line%"${line##*[![:space:]]}"}
		[ -n "$line" ] || continue
		label=$line${note:+ ($note)}
		if [ "${line#type }" != "$line" ]; then
			key=${line#type }
			for ((i = 0; i < ${#key}; i++)); do
				ch=${key:i:1}
				scr_quiesce
				scr_cpu
				c0=$SCR_NS
				s0=$(scr_tmux capture-pane -p -t bench)
				scr_tmux send-keys -t bench -l "$ch"
				c1=$(scr_settle "$c0" "$s0")
				printf 'type %s\t%s\n' "$( [ "$ch" = " " ] && echo '(space)' || echo "$ch")" \
					"$(awk -v n="$((c1 - c0))" 'BEGIN { printf "%.2f", n / 1e6 }')" >>"$out"
			done
			continue
		fi
		scr_quiesce
		scr_cpu
		c0=$SCR_NS
		s0=$(scr_tmux capture-pane -p -t bench)
		scr_tmux send-keys -t bench "$line"
		c1=$(scr_settle "$c0" "$s0")
		printf '%s\t%s\n' "$label" "$(awk -v n="$((c1 - c0))" 'BEGIN { printf "%.2f", n / 1e6 }')" >>"$out"
	done <"$BENCH_TOP/bench/keys/caseload.keys"
	SCR_PEAK=$(awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$SCR_PID/status" 2>/dev/null || echo -)
	scr_stop
	echo "  replay on $db: $(( (${EPOCHREALTIME/./} - t0) / 1000000 )) s wall" >&2
}

# The idle "need review" count: the screen computes it once it has been
# idle 50 ms after opening (and after each change), in slices between
# keys.  A key typed just as it starts must not wait for it: wait for the
# end of the first paint (the CPU time stops for 25 ms), send `j` as soon
# as the process runs again (within 1.5 s), and count the CPU time (and
# the wall time) until the pane shows the key's effect.  What the screen
# goes on computing after it served the key is not the key's delay.
scr_idle_probe() {   # scr_idle_probe DB -> "CPU_MS WALL_MS"
	local db=$1 last since end w0 c0 c1
	scr_start "$db"
	end=$((${EPOCHREALTIME/./} + 600000000))
	scr_cpu
	last=$SCR_NS since=${EPOCHREALTIME/./}
	while [ "$last" = 0 ] || [ $(((${EPOCHREALTIME/./} - since) / 1000)) -lt 25 ]; do
		scr_cpu
		[ "$SCR_NS" = "$last" ] || { last=$SCR_NS since=${EPOCHREALTIME/./}; }
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || break
		scr_sleep 0.001
	done
	since=${EPOCHREALTIME/./}
	while scr_cpu; [ "$SCR_NS" = "$last" ] && [ $(((${EPOCHREALTIME/./} - since) / 1000)) -lt 1500 ]; do
		scr_sleep 0.001
	done
	c0=$SCR_NS
	local s0 w1=""
	s0=$(scr_tmux capture-pane -p -t bench)
	w0=${EPOCHREALTIME/./}
	scr_tmux send-keys -t bench j
	while [ "${EPOCHREALTIME/./}" -lt "$end" ]; do
		if [ "$(scr_tmux capture-pane -p -t bench)" != "$s0" ]; then
			w1=${EPOCHREALTIME/./}
			break
		fi
	done
	scr_cpu
	c1=$SCR_NS
	echo "$(awk -v n="$((c1 - c0))" 'BEGIN { printf "%.2f", n / 1e6 }') $(((${w1:-$end} - w0) / 1000))"
	scr_stop
}

# The screen while another process imports SCR_IMPORT_ICS into its
# caseload (a nightly feed into a copy of DB): a key every half second
# (j and k in turn: the selected patient changes) for as long as the
# import runs, each counted from just before it is sent until the pane
# shows it, in CPU time of the screen (as the keys above) and in wall
# time (a screen that waited for the import's lock would show it there).
# Writes "KEYS WORST_CPU_MS WORST_WALL_MS IMPORT_RC" to OUT.
scr_import_probe() {   # scr_import_probe DB OUT
	local db="$BENCH_DIR/screen-import.db" out=$2 ipid key=j n=0 cpu=0 wall=0 c0 s0 w0 w1 ms rc=0
	rm -f "$db" "$db-wal" "$db-shm"
	cp "$1" "$db"
	scr_start "$db"
	scr_settle 0 "" 300 >/dev/null
	"$CASELOAD" --db "$db" import "$SCR_IMPORT_ICS" >/dev/null 2>"$BENCH_DIR/screen-import.err" &
	ipid=$!
	while kill -0 "$ipid" 2>/dev/null; do
		scr_sleep 0.5
		scr_cpu
		c0=$SCR_NS
		s0=$(scr_tmux capture-pane -p -t bench)
		w0=${EPOCHREALTIME/./}
		scr_tmux send-keys -t bench "$key"
		while [ "$(scr_tmux capture-pane -p -t bench)" = "$s0" ] &&
			[ $((${EPOCHREALTIME/./} - w0)) -lt 10000000 ]; do
			scr_sleep 0.002
		done
		w1=${EPOCHREALTIME/./}
		scr_cpu
		ms=$(awk -v n="$((SCR_NS - c0))" 'BEGIN { printf "%.2f", n / 1e6 }')
		cpu=$(awk -v a="$cpu" -v b="$ms" 'BEGIN { print (b > a ? b : a) }')
		[ $(((w1 - w0) / 1000)) -le "$wall" ] || wall=$(((w1 - w0) / 1000))
		n=$((n + 1))
		echo "    key $n ($key): $ms ms cpu, $(((w1 - w0) / 1000)) ms wall" >&2
		if [ "$key" = j ]; then key=k; else key=j; fi
	done
	wait "$ipid" || rc=$?
	scr_stop
	rm -f "$db" "$db-wal" "$db-shm"
	echo "  screen during the import of $SCR_IMPORT_ICS: $n keys, worst $cpu ms cpu, $wall ms wall, import rc $rc" >&2
	echo "$n $cpu $wall $rc" >"$out"
}

bench_screen() {   # bench_screen BASE N...
	local sizes=("$@") n db r k f files=() col
	local table="$BENCH_DIR/screen-keys.tsv"
	for n in "${sizes[@]}"; do
		db=$(demo_db "$n")
		files=()
		for ((r = 1; r <= ${BENCH_REPLAYS:-1}; r++)); do
			scr_replay "$db" "$BENCH_DIR/screen-$n-$r.tsv"
			files+=("$BENCH_DIR/screen-$n-$r.tsv")
		done
		# the least of the replays, key by key (same script: same lines)
		paste "${files[@]}" | awk -F'\t' '{ m = $2; for (i = 4; i <= NF; i += 2) if ($i < m) m = $i; print $1 "\t" m }' \
			>"$BENCH_DIR/screen-$n.tsv"
		echo "$SCR_PEAK" >"$BENCH_DIR/screen-$n.peak"
		scr_idle_probe "$db" >"$BENCH_DIR/screen-$n.idle"
	done
	# the largest caseload, during an import of the larger .ics file
	scr_import_probe "$db" "$BENCH_DIR/screen-import.txt"
	# the per-key table: label, then one column per size
	cut -f1 "$BENCH_DIR/screen-${sizes[0]}.tsv" >"$table"
	for n in "${sizes[@]}"; do
		cut -f2 "$BENCH_DIR/screen-$n.tsv" | paste "$table" - >"$table.tmp" && mv "$table.tmp" "$table"
	done
	echo
	echo "Screen, CPU ms per key (least of ${BENCH_REPLAYS:-1} replay(s) of bench/keys/caseload.keys; 120x40)"
	{
		printf 'key'
		for n in "${sizes[@]}"; do printf '\t%s pts' "$(size "$n")"; done
		printf '\n'
		cat "$table"
		printf 'idle count: key waits'
		for n in "${sizes[@]}"; do printf '\t%s' "$(cut -d' ' -f1 "$BENCH_DIR/screen-$n.idle")"; done
		printf '\n'
	} | awk -F'\t' -v floor="$SCREEN_FLOOR_MS" -v max="$SCREEN_MAX_MS" '
		NR == 1 { printf "  %-28s", $1; for (i = 2; i <= NF; i++) { printf " %10s", $i; h[i] = $i }
		          print "   misses (* at size)"; next }
		{ printf "  %-28s", $1; bad = ""
		  base = $2 < floor ? floor : $2
		  for (i = 2; i <= NF; i++) {
			printf " %10.2f", $i
			if ($1 == "(open)") continue
			if (i > 2 && $i > 2 * base && $1 !~ /^idle/) bad = bad " " h[i] ": >2x"
			if ($i > max && i > 2) bad = bad " " h[i] ": >16 ms"
		  }
		  print (bad == "" || $1 == "(open)") ? "" : "  *" bad }'
	echo "  (a key misses at a size when it takes more than 2x its ${sizes[0]}-patient time, that time counted as"
	echo "   at least ${SCREEN_FLOOR_MS} ms, or more than ${SCREEN_MAX_MS} ms; (open) is not checked: it includes the first count)"
	# rows of the final table, one size after the base at a time
	for ((col = 2; col <= ${#sizes[@]}; col++)); do
		n=${sizes[col - 1]}
		local worst
		# key, time, base, ratio against max(base, floor)
		worst=$(cut -f1,2,"$((col + 1))" "$table" | awk -F'\t' -v floor="$SCREEN_FLOOR_MS" '
			$1 != "(open)" { b = $2 < floor ? floor : $2; r = $3 / b; if (r > wr) { wr = r; wk = $1; wt = $3; wb = $2 } }
			END { printf "%s\t%.2f\t%.2f\t%.2f", wk, wt, wb, wr }')
		IFS=$'\t' read -r k f r _ <<<"$worst"
		local wr
		wr=$(cut -f4 <<<"$worst")
		row "screen: worst key vs base" "$(size "$n") pts" "$k: $f ms" "$(size "${sizes[0]}") pts: $r ms" "$wr" \
			"$(cat "$BENCH_DIR/screen-$n.peak")" "<= 2x (base floor ${SCREEN_FLOOR_MS} ms)" \
			"$(verdict "$f <= 2 * ($r < $SCREEN_FLOOR_MS ? $SCREEN_FLOOR_MS : $r)")"
		worst=$(cut -f1,"$((col + 1))" "$table" | awk -F'\t' '$1 != "(open)" && $2 > m { m = $2; k = $1 } END { printf "%s\t%.2f", k, m }')
		IFS=$'\t' read -r k f <<<"$worst"
		row "screen: slowest key" "$(size "$n") pts" "$k: $f ms" "-" "-" "-" "<= ${SCREEN_MAX_MS} ms" \
			"$(verdict "$f <= $SCREEN_MAX_MS")"
		read -r f r <"$BENCH_DIR/screen-$n.idle"
		row "screen: key during idle count" "$(size "$n") pts" "$f ms (wall $r ms)" "-" "-" "-" \
			"<= ${SCREEN_MAX_MS} ms" "$(verdict "$f <= $SCREEN_MAX_MS")"
	done
	local keys wall rc
	read -r keys f wall rc <"$BENCH_DIR/screen-import.txt"
	row "screen: keys during import" "$(size "$n") pts" "worst $f ms (wall $wall ms), $keys keys" \
		"import of $(size "$SCR_IMPORT_EVENTS") ev" "-" "-" "<= ${SCREEN_MAX_MS} ms, wall <= ${SCREEN_IMPORT_WALL_MS} ms" \
		"$(verdict "$keys > 0 && $rc == 0 && $f <= $SCREEN_MAX_MS && $wall <= $SCREEN_IMPORT_WALL_MS")"
}
