#!/usr/bin/env bash
# The caseload's minutes column (issue 16): this calendar month's minutes
# toward a patient's timed program against its threshold ("CCM 12/20"),
# "+" when another timed program is open too, nothing for a patient in
# none; the column is the first to go when the pane is narrow; a logged
# minute shows without a restart, on a row kept from before too; a pane
# too narrow for the minutes and the next appointment reads them when it
# grows.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
c=$(must patient add --name "Minutes, Mia" --mrn M-1)
must consent add --patient "$c" --program ccm --method verbal --date 2026-10-01 >/dev/null
must program enroll --patient "$c" --program ccm --start 2026-10-01 >/dev/null
must time log --patient "$c" --minutes 12 --date 2026-11-03 >/dev/null
must time log --patient "$c" --minutes 30 --date 2026-10-30 >/dev/null
b=$(must patient add --name "Both, Ben" --mrn M-2)
for prog in ccm pcm; do
	must consent add --patient "$b" --program "$prog" --method written --date 2026-10-01 >/dev/null
	must program enroll --patient "$b" --program "$prog" --start 2026-10-01 >/dev/null
done
must time log --patient "$b" --program pcm --minutes 31 --date 2026-11-05 >/dev/null
must patient add --name "None, Noa" --mrn M-3 >/dev/null
# an episode not timed (APCM) alone shows nothing
a=$(must patient add --name "Advanced, Ada" --mrn M-4)
must consent add --patient "$a" --program apcm --method verbal --date 2026-10-01 >/dev/null
must program enroll --patient "$a" --program apcm --start 2026-10-01 >/dev/null

tui_start_at 200 30
wait_for 'Caseload by need' 'the screen opens'
wait_for 'Minutes +Next appt' 'a wide caseload has the minutes column'
wait_for 'Minutes, Mia .* CCM 12/20 ' "November's 12 minutes against CCM's 20 (October's do not count)"
wait_for 'Both, Ben .* CCM 0/20\+ ' 'CCM first, + for the PCM episode beside it'
like "$(screen | grep 'None, Noa')" 'None, Noa' 'the patient in no program is listed'
unlike "$(screen | grep 'None, Noa')" '[0-9]+/[0-9]+' 'with no minutes cell'
unlike "$(screen | grep 'Advanced, Ada')" '[0-9]+/[0-9]+' 'APCM has no threshold: no cell'

# minutes logged elsewhere show on the next look
must time log --patient "$c" --minutes 8 --date 2026-11-20 >/dev/null
keys C-l
wait_for 'Minutes, Mia .* CCM 20/20 ' 'the minutes logged since show'

# a row that comes back (a search, then the caseload again) shows the
# counts kept since the last change, and a change makes them read again
search_mia() {   # search_mia MINUTES: the row found by a search, then Esc
	keys /
	type_text 'Mia'
	poll_of=left wait_gone 'Both, Ben' 'a search narrows the list'
	wait_for "Minutes, Mia .* CCM $1/20 " "the searched row has its counts ($1 minutes)"
	keys Escape
	wait_for 'Both, Ben .* CCM 0/20\+ ' 'the caseload again, its rows with their counts'
}
search_mia 20
must time log --patient "$c" --minutes 5 --date 2026-11-21 >/dev/null
keys C-l
wait_for 'Minutes, Mia .* CCM 25/20 ' 'a change since shows on the next look'
search_mia 25

# 80 columns: the column goes first, the rest stays
tui_resize 80 24
wait_gone 'CCM 25/20' 'at 80x24 the minutes column is dropped'
wait_for 'Minutes, Mia' 'the patient still shows'

# what a narrow pane leaves out is not read (the figures of its columns
# only), and is read when the columns come: rows read at 80 columns after
# a change, then wider; a search's rows kept from 80 columns, then wider
must time log --patient "$c" --minutes 5 --date 2026-11-22 >/dev/null
must appt add --patient "$c" --start "2026-12-02 10:00" --duration 30m --title "Visit" >/dev/null
must task add --patient "$c" --title "Call back" --due today >/dev/null
keys C-l
poll_of=left wait_for 'Minutes, Mia .* 0  1' 'at 80 columns the counts read after the change'
sleep 1     # what the change starts when idle (the review's count) is done
tui_resize 200 30
wait_for 'Minutes, Mia .* CCM 30/20 +Wed 2 Dec' 'wider: the minutes and the next appointment read then'
tui_resize 80 24
wait_gone 'CCM 30/20' 'narrow again'
must time log --patient "$c" --minutes 5 --date 2026-11-23 >/dev/null
must task add --patient "$c" --title "Call again" --due today >/dev/null
keys C-l
poll_of=left wait_for 'Minutes, Mia .* 0  2' 'the change read at 80 columns'
keys /
type_text 'Mia'
poll_of=left wait_gone 'Both, Ben' 'a search at 80 columns'
keys Escape
wait_for 'Both, Ben' 'the caseload again'
sleep 1
tui_resize 200 30
wait_for 'Minutes, Mia .* CCM 35/20 +Wed 2 Dec' 'wider: a row kept without them reads them'
wait_for 'Both, Ben .* CCM 0/20\+ ' 'and the other rows'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop
done_testing
