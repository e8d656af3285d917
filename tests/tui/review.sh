#!/usr/bin/env bash
# The daily review on the screen (R), driven in tmux like a person: the
# card, logging a reached call, acknowledging a discharge, confirming
# transport, marking reviewed, leaving and resuming, closing a task, the
# summary; then the items are gone from `caseload review`.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

chen=$(must patient add --name "Chen, Wei" --risk high --phone 555-0100 --language Mandarin)
must discharge --patient "$chen" --date 2026-11-20 --facility "St. Mary's" >/dev/null
must appt add --patient "$chen" --start "2026-11-26 10:30" --title "Cardiology" --transport needed >/dev/null
smith=$(must patient add --name "Smith, Margaret")
must note add --patient "$smith" --outcome reached --at "yesterday 09:00" >/dev/null
must task add --patient "$smith" --title "Send referral" --due today >/dev/null
run review --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1,3 | tr '\t\n' ' ')" \
	"1 tcm-contact 1 cadence 1 unreviewed 1 transport 1 appt-confirm 2 task-due " \
	"before: Chen's discharge, cadence, ride and visit, Smith's task"

tui_start
wait_for 'Caseload by need' 'the workstation opens'
keys R
wait_for 'Daily review — Chen, Wei' 'R opens the review on the most pressing patient'
wait_for 'Chen, Wei  ·  DOB not recorded  ·  high risk  ·  555-0100  ·  Mandarin' 'the card shows name, date of birth, risk, phone and language'
wait_for 'Patient 1 of 2  ·  Reviewed 0 of 2' 'and the progress'
like "$(screen)" 'high +tcm-contact +Tue 24 Nov +discharged 2026-11-20 from St. Mary' 'each reason with its detail'
like "$(screen)" 'why: a reached call or visit is due within 2 business days of discharge' 'and why, with the configured numbers'
like "$(screen)" 'Coming up' 'what is coming up'
like "$(screen)" 'Thu 26 Nov +10:30  Cardiology, transport needed' 'the appointment ahead'

# log a reached call: tcm-contact, cadence and appt-confirm go at once
keys c
wait_for 'Contact with Chen, Wei' 'c opens the contact form for this patient'
keys Tab Tab
type_text 12
keys Enter
wait_for 'logged call: reached' 'the call is logged'
wait_gone 'tcm-contact' 'a reached call clears tcm-contact'
unlike "$(screen)" 'cadence|appt-confirm' 'and cadence and appt-confirm'
like "$(screen)" 'unreviewed' 'the discharge still needs acknowledging'

# the selection is on the first item (the discharge entry); A acknowledges it
keys A
wait_gone 'medium +unreviewed' 'A acknowledges the discharge'
keys r
wait_for 'transport confirmed' 'r confirms the ride'
wait_for 'Nothing needs attention now' 'the card is clear'

# reviewed: next patient; leaving and coming back resumes there
keys v
wait_for 'Daily review — Smith, Margaret' 'v marks reviewed and goes to the next patient'
wait_for 'Reviewed 1 of 2' 'progress counts it'
keys Escape
wait_for 'review paused: reviewed 1 of 2' 'Esc leaves the review'
wait_gone 'Daily review' 'the card is closed'
keys R
wait_for 'Daily review — Smith, Margaret' 'R resumes at the patient not yet reviewed'
keys '<'
wait_for 'Daily review — Chen, Wei' '< goes back'
wait_for 'this one is reviewed' 'to the reviewed patient'
keys '>'
wait_for 'Daily review — Smith, Margaret' '> goes on to the patient not yet reviewed'
keys l
wait_for 'Chen, Wei .* reviewed' 'l lists the day, with marks'
keys Escape
keys x
wait_for 'task done' 'x completes the selected task'
keys v
wait_for 'The review of Tue 24 Nov is done' 'after the last patient, a summary'
like "$(screen)" 'Reviewed +2 of 2 patients' 'reviewed'
like "$(screen)" 'Contacts made 1 today' 'contacts made'
like "$(screen)" 'Tasks closed +1 today' 'tasks closed'
like "$(screen)" 'Still open +0 items for 0 patients' 'still open'
keys Escape
wait_for 'review done: reviewed 2 of 2' 'closing it'
keys q
wait_exit
is "$rc" 0 'q exits 0'
tui_stop

run review
is "$out" "Nothing needs attention on 2026-11-24." "the items are gone from caseload review"
run appt list --format tsv
like "$out" $'Cardiology\t[^\t]*\tconfirmed' "the ride is confirmed in the store"
run audit --format tsv
like "$out" $'acknowledge\tentry' "the acknowledgement has an audit row"
like "$out" $'reviewed\treview_mark' "so do the review marks"
like "$out" $'insert\tentry' "so does the call"
done_testing
