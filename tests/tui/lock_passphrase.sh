#!/usr/bin/env bash
# The lock with a passphrase (caseload passphrase set): the idle lock and
# L ask for it; nothing of the screen behind shows, an open form or
# prompt with a patient's name in it included; a wrong one is refused and
# the lock waits longer after each; the right one brings back the form
# with what was typed.  Without a passphrase the lock says it is only a
# curtain; a passphrase file that cannot be used keeps it locked.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

secret='Blue heron at dawn'
must demo >/dev/null
must passphrase set <<<"$secret" >/dev/null
run patient list --search Anderson --format tsv
patient=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 { print $2 }')
ok 'a patient to type' test -n "$patient"
hidden() {   # nothing of the screen behind the lock
	unlike "$(screen)" "${name:-no name}|${patient}|Half-typed|OVERDUE|Caseload by|Timeline|New task" "$1"
}

# The idle lock inside a form, with a patient's name typed in it.
tui_start CASELOAD_IDLE_LOCK_SECONDS="$(deadline 4)"
wait_for 'Caseload by need' 'the screen opens'
keys 3 +
wait_for 'New task for' 'a form is open'
name=$(screen | grep -oE 'New task for [^·—]*' | sed 's/New task for //; s/ *$//')
type_text "Half-typed task for $patient"
wait_for "Half-typed task for $patient" 'a patient name is typed in it'
wait_for 'caseload is locked' 'being idle locks the screen'
wait_for 'passphrase:' 'and it asks for the passphrase'
hidden 'nothing of the form or the panes shows'
type_text 'wrong guess'
wait_for 'passphrase: •••••••••••' 'what is typed shows as dots'
unlike "$(screen)" 'wrong guess' 'and not as itself'
keys Enter
wait_for 'wrong passphrase \(1 try in a row\) — wait [0-9]+ s' 'a wrong passphrase is refused, and the lock waits'
hidden 'the screen stays hidden'
wait_for 'wrong passphrase: try again' 'the wait ends'
type_text 'another wrong one'
keys Enter
wait_for 'wrong passphrase \(2 tries in a row\) — wait [0-9]+ s' 'a second wrong try waits again, counted'
hidden 'still hidden'
wait_for 'wrong passphrase: try again' 'that wait ends too'
keys C-c C-z 'C-\'
type_text "$secret"
keys Enter
wait_for "Half-typed task for $patient" 'the right passphrase brings back the form with what was typed (Ctrl-C and Ctrl-Z did nothing)'
wait_for 'Caseload by need' 'and the panes behind it'
keys Escape
wait_for 'discard what you typed' 'Esc asks'
keys y
wait_gone 'New task for' 'the form is gone'

# The idle lock over the search prompt.
keys 1 /
type_text "${patient%%,*}"
wait_for "Caseload by need — /${patient%%,*}" 'a search is typed'
wait_for 'caseload is locked' 'being idle locks the screen over the prompt'
hidden 'nothing of the prompt shows'
type_text "$secret"
keys Enter
wait_gone 'caseload is locked' 'the passphrase opens it'
wait_for "Caseload by need — /${patient%%,*}" 'the prompt is back with what was typed'
keys Escape
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

# L, with the config's idle time (minutes): a wrong try, then the right one.
tui_start
wait_for 'Caseload by need' 'the screen opens again'
keys L
wait_for 'passphrase:' 'L locks and asks for the passphrase'
hidden 'nothing shows'
tui_resize 90 30
wait_for '^ {20,}caseload is locked' 'a resize centres the lock again'
hidden 'and shows nothing else'
tui_resize 120 40
wait_for '^ {40,}caseload is locked' 'and back'
hidden 'still nothing'
type_text 'not it at all'
keys Enter
wait_for 'wrong passphrase \(1 try in a row\)' 'the count starts again in a new session'
wait_for 'try again' 'after the wait'
type_text "$secret"
keys Enter
wait_for 'Caseload by need' 'the right passphrase opens it'
keys L
wait_for 'passphrase:' 'L locks again'
type_text "$secret"
keys Enter
wait_for 'Caseload by need' 'opened at once: a success resets the count'

# Cleared from another terminal: the lock is only a curtain, and says so.
must passphrase clear >/dev/null
keys L
wait_for 'caseload is locked — press any key to continue' 'without a passphrase L still locks'
wait_for 'only a curtain' 'saying it is only a curtain'
wait_for 'caseload passphrase set' 'and how to set a passphrase'
hidden 'nothing shows behind the curtain'
keys x
wait_for 'Caseload by need' 'any key opens the curtain'

# A passphrase file that cannot be used: locked until it is fixed.
printf 'letmein\n' >"$XDG_CONFIG_HOME/caseload/passphrase"
chmod 600 "$XDG_CONFIG_HOME/caseload/passphrase"
keys L
wait_for 'does not hold a passphrase hash' 'a damaged passphrase file is named'
wait_for 'then press Enter' 'and the lock says what to do'
hidden 'nothing shows'
tui_resize 80 24
wait_for "caseload passphrase clear'\\)" 'at 80 columns the whole message shows, over several lines'
like "$(screen)" 'cannot use /' 'from its start'
hidden 'nothing else shows'
tui_resize 120 40
keys x Space
must passphrase clear >/dev/null
keys Enter
wait_for 'only a curtain' 'no key opened it; fixed from another terminal it becomes a curtain'
keys Space
wait_for 'Caseload by need' 'which opens'

# SIGTERM while locked ends the program cleanly (from another terminal:
# the keyboard cannot).
must passphrase set <<<"$secret" >/dev/null
keys L
wait_for 'passphrase:' 'locked once more'
shell=$(tmux_ display -p '#{pane_pid}')
pid=$(ps -o pid= --ppid "$shell" | tr -d ' ' | head -1)
kill -TERM "$pid"
wait_exit
is "$rc" 0 'SIGTERM while locked ends it cleanly'
wait_for 'shell prompt again' 'and gives the terminal back'
ok 'the passphrase is in no output' test "$(grep -c 'heron' "$tui_err" || true)" = 0
tui_stop
done_testing
