#!/usr/bin/env bash
# The idle lock: after some time without a key, even in the middle of a
# form, no patient data shows; a key brings the form back with what was
# typed.  CASELOAD_IDLE_LOCK_SECONDS sets the time in seconds, overriding
# the config's idle_lock_minutes (here a minute, which would not come in
# time).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'idle_lock_minutes: 1\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
tui_start CASELOAD_IDLE_LOCK_SECONDS="$(deadline 4)"
wait_for 'Caseload by need' 'the screen opens'
keys 3 +
wait_for 'New task for' 'a form is open'
type_text 'Half-typed task'
wait_for 'Half-typed task' 'something is typed'
name=$(screen | grep -oE 'New task for [^—]*' | sed 's/New task for //; s/ *$//')
wait_for 'caseload is locked' 'being idle locks the screen, even in a form'
unlike "$(screen)" "${name:-no name}|Half-typed|OVERDUE" 'no patient data while locked'
keys Space
wait_for 'Half-typed task' 'a key brings the form back with what was typed'
wait_for 'Caseload by need' 'and the panes behind it'
keys Escape
wait_for 'discard what you typed' 'Esc asks before losing it'
keys y
wait_gone 'New task for' 'the form is gone'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

# A value that is not a number of seconds is refused, naming the variable.
tui_start CASELOAD_IDLE_LOCK_SECONDS=soon
wait_exit
is "$rc" 2 'a bad CASELOAD_IDLE_LOCK_SECONDS is a usage error (exit 2)'
like "$(cat "$tui_err")" "CASELOAD_IDLE_LOCK_SECONDS: 'soon' is not a number of seconds" 'naming it'
tui_stop
tui_start CASELOAD_IDLE_LOCK_SECONDS=0
wait_exit
is "$rc" 2 'CASELOAD_IDLE_LOCK_SECONDS=0 cannot turn the lock off'
like "$(cat "$tui_err")" "CASELOAD_IDLE_LOCK_SECONDS: '0' is not a number of seconds \(1 to" 'it says the range'
tui_stop

# idle_lock_minutes: 0 no longer turns the lock off: every command refuses
# the config file, naming its line and column.
printf 'timezone: UTC\nidle_lock_minutes: 0\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run patient list
rc_is 1 'a config with idle_lock_minutes: 0 is refused'
like "$err" 'config.yaml:2:20: idle_lock_minutes must be from 1 to [0-9]+, not 0 \(the screen always locks' \
	'naming the file, line and column'
tui_start
wait_exit
is "$rc" 1 'the screen does not open with it'
like "$(cat "$tui_err")" 'config.yaml:2:20: idle_lock_minutes must be from 1' 'and says why'
tui_stop
done_testing
