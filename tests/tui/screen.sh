#!/usr/bin/env bash
# The workstation screen driven in tmux like a person: the panes, moving,
# searching, adding a task with the form, logging a call, hostile titles,
# resizing, quitting.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
run patient list --search Núñez --format tsv
pid=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 { print $1 }')
# titles with escape sequences, as an imported calendar may bring them (the
# command line refuses control characters: tests/cli/safe_text.sh)
a1=$(must appt add --patient "$pid" --start "tomorrow 09:00" --title "XRED")
a2=$(must appt add --patient "$pid" --start "tomorrow 11:00" --title "Visit checkup")
# (the characters in the SQL text itself: char() is SQLite's alone)
esc=$'\e' bel=$'\a'
sqlite3 "$CASELOAD_DB" "UPDATE appointment SET title = 'X${esc}[31mRED' WHERE id = $a1;
  UPDATE appointment SET title = 'Visit${esc}]2;PWNED${bel} checkup'
  WHERE id = $a2"

last_line() { screen | tail -1; }

tui_start
wait_for 'Caseload by need' 'the caseload pane and its title'
wait_for 'Timeline: ' 'the timeline pane'
wait_for 'Tasks: Team \(all patients\)' 'the task queue'
# the title's counts come after the first paint: wait for them
wait_for 'caseload — Tue 24 Nov 2026 — .* — 60 patients — [0-9]+ need review' 'the title bar'
run review --format tsv
wanted=$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | sort -u | grep -c .)
wait_for "— $wanted need review" "the title counts the patients 'caseload review' lists ($wanted)"
wait_for 'today Tue 24 Nov ' 'the timeline marks today'
like "$(tmux_ capture-pane -e -p)" $'\e\\[([0-9;]*;)?(3|4)[0-7](;[0-9;]*)?m' 'a colour terminal gets colours'
poll_of=last_line wait_for '/ search .*q quit' 'key hints for the focused pane'

first=$(screen | grep -oE 'Timeline: [^─]*' | head -1)
keys j
wait_gone "$first" 'moving the selection changes the timeline'
keys k
wait_for "$first" 'and back'

keys '?'
wait_for 'toggle-tasks' 'help lists the actions'
keys Escape
wait_gone 'toggle-tasks' 'Esc closes help'

keys /
type_text 'Núñ'
wait_for 'Caseload by need — /Núñ' 'search shows in the title'
poll_of=left wait_gone 'Anderson|Brown' 'search narrows the list as you type'
wait_for 'Núñez, José' 'the match is listed'
keys Enter
wait_for 'Timeline: Núñez, José' 'the match is selected'
wait_for 'XRED' 'an appointment title with an escape sequence is shown without it'
wait_for 'Visit checkup' 'and one with a title-setting sequence'
unlike "$(tmux_ display -p '#{pane_title}')" 'PWNED' 'the sequence did not reach the terminal'

# Add a task through the form, in the queue of this patient.
keys 3 p
wait_for 'Tasks: Núñez, José' 'p in the queue shows the selected patient'
keys +
wait_for 'New task for Núñez, José' 'the task form opens'
type_text 'Call pharmacy about refill'
keys Tab BSpace BSpace BSpace BSpace BSpace
type_text 'someday soon'
keys Enter
wait_for 'Due .* someday soon' 'the form keeps what was typed'
wait_for 'Title .* Call pharmacy about refill' 'nothing typed is lost on an error'
unlike "$(screen)" 'task added' 'a bad date is not saved'
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do keys BSpace; done
type_text '+2d'
keys Enter
wait_for 'task added: Call pharmacy about refill' 'the form saves'
wait_for 'Call pharmacy about refill' 'the task shows in the queue'
run task list --patient "$pid" --format tsv
like "$out" 'Call pharmacy about refill' 'and in caseload task list'

# Log a call: it shows in the timeline.
keys 1 c
wait_for 'Contact with Núñez, José' 'the contact form opens'
keys Tab Tab
type_text 15
keys Tab
type_text 'Discussed refill plan'
keys Enter
wait_for 'call: reached \(15 min\) — Discussed refill plan' 'a logged call shows in the timeline'
run task list --patient "$pid" --format tsv

# Another process's change shows without a restart.
must task add --patient "$pid" --title 'Written by another process' --due today >/dev/null
wait_for 'Written by another process' 'a change from another process shows'
# A burst of them (an import's batches): the screen reloads at most once a
# second while they come, and the last one still shows.
for i in 1 2 3 4; do
	must task add --patient "$pid" --title "Burst $i of another process" --due today >/dev/null
done
wait_for 'Burst 4 of another process' 'the last of a burst of changes shows'

# Resize: tabs, too small, and back.
tmux_ resize-window -x 60 -y 20
wait_for '\[1 Caseload\]' 'at 60x20 the panes become tabs'
keys 2
wait_for '\[2 Timeline\]' 'a tab per pane'
tmux_ resize-window -x 20 -y 6
wait_for 'terminal too' 'at 20x6: terminal too small'
tmux_ resize-window -x 120 -y 40
wait_for 'Caseload by need' 'back at 120x40 the three panes return'
wait_for 'Tasks: Núñez' 'with the task queue'

keys L
wait_for 'caseload is locked' 'L locks the screen'
unlike "$(screen)" 'Núñez' 'no patient data while locked'
keys Space
wait_for 'Caseload by need' 'a key unlocks'

keys q
wait_exit
is "$rc" 0 'q exits 0'
wait_for 'shell prompt again' 'the terminal is back to the shell'
unlike "$(screen)" 'Caseload by' 'the screen is restored'
tui_stop
done_testing
