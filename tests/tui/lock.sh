#!/usr/bin/env bash
# The idle lock (config idle_lock_minutes: 1): after a minute without a
# key, even in the middle of a form, no patient data shows; a key brings
# the form back with what was typed.  Takes a little over a minute.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'idle_lock_minutes: 1\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
tui_start
wait_for 'Caseload by need' 'the screen opens'
keys 3 a
wait_for 'New task for' 'a form is open'
type_text 'Half-typed task'
wait_for 'Half-typed task' 'something is typed'
name=$(screen | grep -oE 'New task for [^—]*' | sed 's/New task for //; s/ *$//')
for i in $(seq 1 90); do
	screen | grep -q 'caseload is locked' && break
	sleep 1
done
wait_for 'caseload is locked' 'a minute idle locks the screen, even in a form'
unlike "$(screen)" "${name:-no name}|Half-typed|OVERDUE" 'no patient data while locked'
keys Space
wait_for 'Half-typed task' 'a key brings the form back with what was typed'
wait_for 'Caseload by need' 'and the panes behind it'
keys Escape
wait_for 'discard what you typed' 'Esc asks before losing it'
type_text y
keys Enter
wait_gone 'New task for' 'the form is gone'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop
done_testing
