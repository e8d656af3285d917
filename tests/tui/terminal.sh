#!/usr/bin/env bash
# The terminal is restored on SIGTERM and on a fatal error; a bad colour in
# the config is refused naming its place; details, completing, snoozing,
# filters and orders from the keyboard; 80x24 is the full layout.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

third_line() { left | sed -n 4p; }   # the first row, under the column header

must demo >/dev/null

# A bad colour: a clear message, exit 1, nothing left on the screen.
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'colors:\n  title: purple/blue\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
tui_start
wait_exit
is "$rc" 2 'a bad colour is a usage error (exit 2)'
like "$(cat "$tui_err")" "config.yaml:2:10: colors: 'purple/blue' is not" 'naming the file, line and column'
wait_for 'shell prompt again' 'the terminal is back'
unlike "$(screen)" 'Caseload by' 'no screen left behind'
tui_stop
printf 'colors:\n  title: black/yellow\nkeys:\n  down: [j, n]\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"

run patient list --search Anderson --format tsv
aid=$(printf '%s\n' "$out" | awk -F'\t' '$2 ~ /Anderson, Thomas/ { print $1; exit }')
must appt add --patient "$aid" --start "tomorrow 08:00" --title "Dialysis" --rrule "FREQ=WEEKLY;COUNT=8" >/dev/null

tui_start
wait_for 'Caseload by need' 'the screen opens with colours and keys from the config'
tui_resize 160 40     # wide enough for the next-appointment cell
wait_for 'Anderson, Thomas .* 25 Nov' 'a recurring series gives the next appointment'
tui_resize 120 40
wait_for 'Dialysis ↻' 'the series is in the timeline'
like "$(screen | grep -c 'Dialysis ↻')" '^[2-9]' 'its occurrences are expanded in the timeline'
first=$(screen | grep -oE 'Timeline: [^─]*' | head -1)
keys n
wait_gone "$first" 'a key bound in the config moves down'

# Details of a timeline entry.
keys 2
wait_for 'Enter open  a add  e edit  d cancel  u undo  c contact' 'the timeline has its own key hints'
# the first line after today's marker is a day, then its first appointment
keys j j e
wait_for 'Edit appointment' 'e edits the selected appointment'
keys Tab Tab Tab Tab Tab
for i in $(seq 1 10); do keys BSpace; done
type_text confirmed
keys Enter
wait_for 'saved: ' 'the edit is saved'
wait_for '\(transport: confirmed\)' 'and shows in the timeline'
keys g
wait_for 'Tue 13 Oct ' 'g goes to the first line'
keys j Enter
wait_for 'When: ' 'Enter shows the full entry'
keys Escape
wait_gone 'When: ' 'Esc closes it'

# The queue: complete and snooze.
keys 3
wait_for 'x done  s snooze' 'the queue has its own key hints'
task=$(screen | grep -oE 'OVERDUE  [A-Z][a-z]+( [a-z]+)*' | head -1 | sed 's/^OVERDUE  //')
keys x
wait_for "done: $task" 'x completes the selected task'
run task list --all --format tsv
like "$out" "completed" 'the store has it completed'
keys s
wait_for 'snooze \(.*\) until' 's asks until when'
keys Enter
wait_for 'snoozed until 2026-11-25' 'the default is a day'

# Filters and orders.
keys 1 f
wait_for 'Caseload by need — high risk' 'f filters to high risk'
unlike "$(left | grep -E '^│. ' | grep -vE 'high|^│ +│' || true)" '(low|med) ' 'only high-risk patients are listed'
keys f f f f
wait_for 'filter: all' 'and cycles back to all'
keys o
wait_for 'Caseload by name' 'o orders by name'
poll_of=third_line wait_for 'Adams' 'alphabetical'
keys o
wait_for 'Caseload by next appointment' 'then by next appointment'
keys o
wait_for 'Caseload by need' 'and back to need'
keys ':'
type_text 'help'
keys Enter
wait_for 'toggle-tasks' ': runs an action by name'
keys Escape

# Add a patient from the caseload pane, then edit them.
keys 1 a
wait_for 'New patient' 'a in the caseload adds a patient'
type_text 'Zed, Zelda'
keys Tab Tab Tab
type_text 555-0199
keys Tab
for i in 1 2 3 4 5 6; do keys BSpace; done
type_text high
keys Enter
wait_for 'patient added: Zed, Zelda' 'the patient is added'
run patient list --search Zed --format tsv
like "$out" 'Zed, Zelda.*high|high.*Zed' 'with the risk typed'
keys /
type_text 'Zed'
keys Enter
wait_for 'Timeline: Zed, Zelda' 'and can be found'
keys e
wait_for 'Edit patient' 'e edits the patient'
keys Tab Tab Tab
for i in $(seq 1 12); do keys BSpace; done
type_text 555-0100
keys Enter
wait_for 'saved Zed, Zelda' 'the edit is saved'
run patient list --search Zed --format tsv
like "$out" '555-0100' 'in the store'
keys Escape

tmux_ resize-window -x 80 -y 24
wait_for 'Caseload by need' '80x24 keeps three panes'
wait_for 'Tasks: Team \(all patients\)' 'the queue too'

# SIGTERM: the screen goes and the terminal comes back.
shell=$(tmux_ display -p '#{pane_pid}')
pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
ok 'the program runs' test -n "$pid"
kill -TERM "$pid"
wait_exit
is "$rc" 0 'SIGTERM ends it cleanly'
wait_for 'shell prompt again' 'the terminal is back after SIGTERM'
unlike "$(screen)" 'Caseload by' 'the screen is restored'
tui_stop

# A crash (here a SIGSEGV sent from outside) still gives the terminal back:
# the alternate screen is left and the cursor shown before the signal goes
# on to the sanitizer's handler, whose report is expected here.
saved_err=$tui_err
tui_err="$T/crash.err"
tui_start
wait_for 'Caseload by need' 'the screen opens for the crash test'
is "$(tmux_ display -p '#{alternate_on}')" 1 'the screen uses the alternate screen'
shell=$(tmux_ display -p '#{pane_pid}')
pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
kill -SEGV "$pid"
poll_until test -s "$tui_rc" || true
rc=$(cat "$tui_rc" 2>/dev/null || echo none)
like "$rc" '^[1-9][0-9]*$' 'a crash is not a clean exit'
like "$(cat "$tui_err")" 'SEGV' 'the signal still reached the handler that was there before'
wait_for 'shell prompt again' 'the shell gets its terminal back after a crash'
is "$(tmux_ display -p '#{alternate_on}')" 0 'the alternate screen was left'
is "$(tmux_ display -p '#{cursor_flag}')" 1 'the cursor is shown again'
tui_stop
tui_err=$saved_err

# The window closes under an open form: the program ends, it does not spin.
tui_start
wait_for 'Caseload by need' 'the screen opens again'
keys 3 +
wait_for 'New task for' 'a form is open'
shell=$(tmux_ display -p '#{pane_pid}')
pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
tui_stop
gone() { ! kill -0 "$1" 2>/dev/null; }
if poll_until gone "$pid"; then
	_result 1 'the program ends when its terminal goes away'
else
	_result 0 'the program ends when its terminal goes away'
	kill -KILL "$pid"
fi
done_testing
