#!/usr/bin/env bash
# Key hints come from the keymap as it is: a rebinding shows on the status
# line and in the title; per-pane keymaps fall back to the generic one; a
# rebinding that leaves an action keyless is reported.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
mkdir -p "$XDG_CONFIG_HOME/caseload"
cfg="$XDG_CONFIG_HOME/caseload/config.yaml"

tui_start
wait_for 'Caseload by need' 'the screen with the default keys'
wait_for '\[R\] review  \[\?\] help' 'the title names the review and help keys'
keys 3
wait_for '^x done  s snooze' 'the queue hints x done'
keys q
wait_exit

printf 'keys:\n  none: [x, R]\n  done: D\n  review: W\n  tasks.contact: C\n' >"$cfg"
tui_start
wait_for 'Caseload by need' 'the screen with done on D'
wait_for '\[W\] review  \[\?\] help' 'the title follows the rebinding of review'
keys 3
wait_for '^D done  s snooze' 'the status line says D done'
unlike "$(screen | tail -1)" 'x done' 'and not x'
like "$(screen | tail -1)" 'C contact' 'a key bound in the queue only shows there'
keys 1
wait_for '^/ search' 'the caseload hints'
unlike "$(screen | tail -1)" 'C contact' 'but not in the caseload'
like "$(screen | tail -1)" 'c contact' 'where c still logs a contact'
keys W
wait_for 'Daily review' 'W opens the review'
like "$(screen | tail -1)" 'v reviewed' 'the review card hints its own keys'
keys Escape
keys q
wait_exit

printf 'keys:\n  down: [j, n]\n' >"$cfg"
run keys
like "$err" "keys: 'note' has no key left" 'caseload keys warns that note lost its key'
tui_start
wait_for "'note' has no key left" 'the screen says so when it starts'
keys q
wait_exit
done_testing
