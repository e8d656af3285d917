#!/usr/bin/env bash
# `caseload keys`: the screen's key table from its action table; config
# rebinding and its errors; the man page carries the same table; without
# a terminal, no command still prints the summary.
. "$(dirname "$0")/../lib.sh"

run keys
rc_is 0 'keys lists the bindings'
like "$out" 'j, Down +down +select the next row' 'a movement key'
like "$out" 'x +done +complete the selected task' 'a change key'
like "$out" 'R +review +the daily review' 'the review hook key'
n_actions=$(printf '%s\n' "$out" | grep -cE '^  ')
run keys --man
man_table=$out
like "$man_table" '^\.SS move' 'man markup'
ok 'the man page has the generated key table' grep -qF -- "$(printf '%s' "$man_table" | head -12)" "$top/man/caseload.1"
missing=""
while IFS= read -r line; do
	grep -qxF -- "$line" "$top/man/caseload.1" || missing="$missing|$line"
done <<<"$man_table"
is "$missing" "" 'every line of the key table is in man/caseload.1 (regenerate: caseload keys --man)'
is "$(printf '%s\n' "$man_table" | grep -c '^\.TP')" "$n_actions" 'one man entry per action'

mkdir -p "$XDG_CONFIG_HOME/caseload"
cfg="$XDG_CONFIG_HOME/caseload/config.yaml"
printf 'keys:\n  down: [j, n]\n  none: x\n' >"$cfg"
run keys
rc_is 0 'a config that rebinds keys'
like "$out" 'j, Down, n +down' 'n moves down now'
like "$out" '^ +done ' 'x no longer completes a task'

printf 'idle_lock_minutes: 5\nkeys:\n  sideways: w\n' >"$cfg"
run keys
rc_is 2 'an unknown action in keys: is refused'
like "$err" "config.yaml:3:13: keys: 'sideways' is not an action" 'naming the file, line and column'

printf 'keys:\n  up: Ctrl+K\n' >"$cfg"
run keys
rc_is 2 'a bad key name is refused'
like "$err" "config.yaml:2:7: keys: 'Ctrl\+K' is not a key name" 'naming the place'

printf 'keys:\n  none: q\n' >"$cfg"
run keys
rc_is 2 'quit must keep a key'
like "$err" "no key is left for 'quit'" 'says which action'
rm -f "$cfg"

# Every key on an empty caseload: nothing to select, nothing crashes.
printf '%s\n' j k G g PgDn PgUp Enter Tab j G Enter x s Esc e Tab t j Enter 1 f f f f f o o o \
	/ 'type zz' Enter Esc a Esc c Esc n Esc E I Esc T R Esc : 'type nonsense' Enter L Space '?' Esc q \
	>"$T/empty.txt"
rc=0
CASELOAD_KEYS_REPLAY="$T/empty.txt" CASELOAD_DB="$T/empty.db" LINES=30 COLUMNS=100 "$CASELOAD" \
	</dev/null >/dev/null 2>"$T/replay.txt" || rc=$?
rc_is 0 'every key on an empty caseload'
unlike "$(cat "$T/replay.txt")" 'Sanitizer|runtime error' 'without a sanitizer report'

must demo >/dev/null
run
rc_is 0 'no command without a terminal'
like "$out" 'Agenda for 2026-11-24' 'prints the summary, not the screen'

printf 'j\nj\n/\ntype Nú\nEnter\nq\n' >"$T/keys.txt"
rc=0
CASELOAD_KEYS_REPLAY="$T/keys.txt" LINES=30 COLUMNS=100 "$CASELOAD" </dev/null >/dev/null 2>"$T/replay.txt" || rc=$?
rc_is 0 'a key script replays'
like "$(cat "$T/replay.txt")" 'key \(open\) +[0-9.]+ ms' 'timing the opening'
like "$(cat "$T/replay.txt")" 'keys 8 +mean [0-9.]+ ms +max [0-9.]+ ms' 'and each key'
unlike "$(cat "$T/replay.txt")" 'Sanitizer|runtime error' 'cleanly'
# `idle`: a pause until the title's counts are made, not a key
printf 'idle\nj\nidle\nidle\nq\n' >"$T/idle.txt"
rc=0
CASELOAD_KEYS_REPLAY="$T/idle.txt" LINES=30 COLUMNS=100 "$CASELOAD" </dev/null >/dev/null 2>"$T/replay.txt" || rc=$?
rc_is 0 'a key script with pauses replays'
like "$(cat "$T/replay.txt")" 'keys 3 +mean' 'the pauses are not keys'
unlike "$(cat "$T/replay.txt")" 'key idle' 'nor timed'
# Every key at every size (tabs, too small, the smallest full layout).
printf '%s\n' j k G g PgDn PgUp Enter Esc Tab j G Enter Esc x s Enter e Esc Tab t j Enter Esc \
	1 f f f f f o j o G o / 'type zz' Enter Esc a Esc c Esc n Esc E Esc I Esc T Esc \
	: 'type nonsense' Enter L Space '?' Esc 2 e Esc j e Esc G PgUp PgUp g q >"$T/all.txt"
for size in 40x120 24x80 20x60 8x30 6x20 1x1; do
	rc=0
	CASELOAD_KEYS_REPLAY="$T/all.txt" LINES=${size%x*} COLUMNS=${size#*x} "$CASELOAD" \
		</dev/null >/dev/null 2>"$T/replay.txt" || rc=$?
	rc_is 0 "every key at ${size#*x}x${size%x*}"
	unlike "$(cat "$T/replay.txt")" 'Sanitizer|runtime error' "no sanitizer report at ${size#*x}x${size%x*}"
done
rc=0
CASELOAD_KEYS_REPLAY="$T/nope.txt" "$CASELOAD" </dev/null >/dev/null 2>"$T/replay.txt" || rc=$?
rc_is 1 'a missing key script is an error'
like "$(cat "$T/replay.txt")" 'cannot read the key script .*nope.txt' 'naming it'
done_testing
