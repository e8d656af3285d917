#!/usr/bin/env bash
# H on the screen writes the selected patient's handout, the same page as
# `caseload handout`: from the caseload and from the chart, to a file
# asked on the bottom line (prefilled with ~/handout-ID.html), saying
# where it wrote it and in which language; it asks before replacing a
# file, and Esc writes nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
pid=$(must patient add --name "Rivera, Ana" --language Spanish)
must appt add --patient "$pid" --start "2026-12-07 10:00" --title "Heart check" >/dev/null
must med add --patient "$pid" --name Metformin --refill-due 2026-12-04 >/dev/null

tui_start
wait_for 'Rivera, Ana' 'the screen opens'
keys H
wait_for "handout of Rivera, Ana.* to file: ~/handout-$pid\\.html" 'H asks for the file, prefilled with a path named by the id'
keys Escape
wait_gone 'to file:' 'Esc leaves the prompt'
ok 'and writes nothing' test ! -e "$HOME/handout-$pid.html"

keys H
wait_for 'to file: ~/handout' 'H again'
keys Enter
wait_for "handout in Spanish written to $HOME/handout-$pid\\.html" 'Enter writes it and says where, in which language'
is "$(stat -c %a "$HOME/handout-$pid.html")" 600 'a private file'
run handout --patient "$pid" -o "$T/cli.html"
is "$(cat "$HOME/handout-$pid.html")" "$(cat "$T/cli.html")" 'the same page as the command line writes'
like "$(cat "$HOME/handout-$pid.html")" 'Sus citas' 'in the patient'"'"'s language'

# an existing file: asked first; no keeps it, yes replaces it
printf 'old\n' >"$T/old.html"
keys H
wait_for 'to file:' 'H for an existing file'
keys C-u
type_text "$T/old.html"
keys Enter
wait_for 'old.html exists. Replace it\? \(y/n\)' 'the screen asks before replacing a file'
keys n
wait_for 'no handout written: .*old.html is as it was' 'no: nothing written'
is "$(cat "$T/old.html")" old 'the file is untouched'

# from the chart
keys Enter
wait_for 'Chart: Rivera, Ana' 'Enter opens the chart'
keys H
wait_for 'to file: ~/handout' 'H in the chart asks too'
keys C-u
type_text "$T/old.html"
keys Enter
wait_for 'old.html exists. Replace it\? \(y/n\)' 'asked again'
keys y
wait_for "handout in Spanish written to $T/old.html" 'yes: replaced'
like "$(cat "$T/old.html")" '<html lang="es">' 'with the handout'
wait_for 'Chart: Rivera, Ana' 'the chart stays open'
keys q
wait_exit
tui_stop

done_testing
