#!/usr/bin/env bash
# No core dumps: the screen runs with a core file size of 0 even when the
# shell allows them, and a crash (SIGABRT, SIGSEGV sent from outside) gives
# the terminal back and leaves no core file.  The sanitizer build turns
# dumps off by itself: here it is told not to (disable_coredump=0), so
# that what is checked is caseload's own doing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
ulimit -c unlimited 2>/dev/null || ulimit -c "$(ulimit -Hc)"
allowed=$(ulimit -c)
ASAN_OPTIONS="$ASAN_OPTIONS:disable_coredump=0"
mkdir -p "$T/cwd"
cd "$T/cwd"
screen_pid() {
	local shell
	shell=$(tmux_ display -p '#{pane_pid}')
	ps -o pid= --ppid "$shell" | tr -d ' ' | head -1
}

for sig in ABRT SEGV; do
	tui_err="$T/crash-$sig.err"
	tui_start
	wait_for 'Caseload by need' "the screen opens (SIG$sig)"
	pid=$(screen_pid)
	ok 'the program runs' test -n "$pid"
	if [ "$allowed" = 0 ]; then
		skip 'the shell allowed core files' 'the hard limit is 0 here'
	else
		ok "the shell allowed core files ($allowed)" test "$allowed" != 0
	fi
	like "$(grep 'Max core file size' "/proc/$pid/limits")" 'Max core file size +0 +0 ' \
		'the screen runs with a core file size of 0 (soft and hard)'
	is "$(tmux_ display -p '#{alternate_on}')" 1 'the screen uses the alternate screen'
	kill "-$sig" "$pid"
	poll_until test -s "$tui_rc" || true
	rc=$(cat "$tui_rc" 2>/dev/null || echo none)
	like "$rc" '^[1-9][0-9]*$' "SIG$sig is not a clean exit"
	wait_for 'shell prompt again' "the shell gets its terminal back after SIG$sig"
	is "$(tmux_ display -p '#{alternate_on}')" 0 'the alternate screen was left'
	is "$(tmux_ display -p '#{cursor_flag}')" 1 'the cursor is shown again'
	is "$(find "$T" -name 'core*' -type f | wc -l)" 0 "no core file after SIG$sig"
	tui_stop
done
like "$(cat "$T/crash-SEGV.err")" 'SEGV' 'SIGSEGV still reached the handler that was there before'

done_testing
