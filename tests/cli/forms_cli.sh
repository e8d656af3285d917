#!/usr/bin/env bash
# The command line's side of issue 14 §4: `template apply --dry-run`
# prints the plan the screen previews (goals and tasks with their due
# dates, business days marked, a weekend or holiday noted) and writes
# nothing; an appointment on a weekend, a holiday of the config's
# calendar, or over another of the patient's is booked with a warning on
# stderr (and edited the same way).  Today is Tuesday 2026-11-24.
. "$(dirname "$0")/../lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'holidays:\n  - us-federal\n  - 2026-12-01\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run init
p=$(must patient add --name "Able, Ann" --risk high)

cat >"$T/tiny.yaml" <<'YAML'
name: tiny
title: A tiny plan
version: 2
goals:
  - description: Knows the plan
    due:
      high: +4d
      medium: +1w
      low: +1w
  - description: Undated goal
tasks:
  - title: First call
    kind: call
    due: +2bd
  - title: Weekend check
    kind: followup
    due: +4d
  - title: Holiday refill
    kind: refill
    due: +7d
YAML

# ---- the dry run ----
run template apply "$T/tiny.yaml" --patient "$p" --dry-run
rc_is 0 'the dry run succeeds'
is "$(printf '%s\n' "$out" | head -1)" \
	"A tiny plan (tiny, version 2) for patient $p, risk high, from 2026-11-24 Tue" \
	'a head line: template, patient, risk, start'
like "$out" 'Goals \(2\):' 'the goals are counted'
like "$out" '  2026-11-28 Sat +Knows the plan' "the goal's due date by the patient's risk (high: +4d)"
like "$out" '  \(no date\) +Undated goal' 'an undated goal says so'
like "$out" 'Tasks \(3; bd: due in business days' 'the tasks are counted, bd explained'
# +2bd from Tuesday skips Thanksgiving (Thursday 26th): Friday 27th
like "$out" '  2026-11-27 Fri bd +call +First call' 'a business-day offset is marked bd, the holiday skipped'
like "$out" '  2026-11-28 Sat +followup +Weekend check — on a weekend' 'a weekend is noted'
like "$out" '  2026-12-01 Tue +refill +Holiday refill — on a holiday' "the config's holiday is noted"
is "$(q "SELECT count(*) FROM care_plan") $(q "SELECT count(*) FROM task")" "0 0" 'nothing is written'

run template apply "$T/tiny.yaml" --patient "$p" --dry-run --start 2026-11-30
like "$out" 'from 2026-11-30 Mon' '--start moves the preview'
like "$out" '  2026-12-03 Thu bd +call +First call' 'and its dates (+2bd skips the holiday of the 1st)'

run template apply nosuch --patient "$p" --dry-run
rc_is 1 'an unknown template fails'
like "$err" "no template named 'nosuch'" 'naming it'

# the dry run and the apply agree
run template apply "$T/tiny.yaml" --patient "$p"
rc_is 0 'applied'
is "$(q "SELECT group_concat(due || ' ' || title, '; ') FROM (SELECT due, title FROM task ORDER BY due, id)")" \
	"2026-11-27 First call; 2026-11-28 Weekend check; 2026-12-01 Holiday refill" \
	'the tasks are due as the preview said'

# ---- appointment warnings ----
run appt add --patient "$p" --start "2026-11-25 10:00" --duration 30m --title "Weekday"
rc_is 0 'a weekday appointment'
is "$err" "" 'without a warning'
a1=$out

run appt add --patient "$p" --start "2026-11-28 10:00" --title "Saturday"
rc_is 0 'a Saturday is booked'
like "$err" '^caseload: appt add: warning: 2026-11-28 is a Saturday$' 'with a warning on stderr'
like "$out" '^[0-9]+$' 'stdout keeps only the id'

run appt add --patient "$p" --start "2026-12-01 09:00" --title "Holiday"
rc_is 0 'a holiday is booked'
like "$err" 'warning: 2026-12-01 is a holiday in the calendar' "the config's holiday warns"

run appt add --patient "$p" --start "2026-11-25 10:15" --duration 30m --title "Overlap"
rc_is 0 'an overlap is booked'
like "$err" "warning: overlaps appointment $a1 \\(10:00-10:30\\) of patient $p" 'naming the other'
a4=$out
run appt add --patient "$p" --start "2026-11-25 10:30" --duration 30m --title "Back to back"
unlike "$err" "overlaps appointment $a1" 'back to back is no overlap'
a5=$out

# a series' occurrence overlaps too; a cancelled appointment does not
run appt add --patient "$p" --start "2026-11-23 14:00" --duration 1h --title "Weekly" \
	--rrule "FREQ=WEEKLY;COUNT=4"
s=$out
run appt add --patient "$p" --start "2026-12-07 14:30" --title "Over the series"
like "$err" "overlaps appointment $s \\(14:00-15:00\\)" "a series' occurrence counts"
must appt cancel "$a1" >/dev/null
run appt edit "$a4" --location "Room 2"
unlike "$err" "overlaps appointment $a1 " 'a cancelled appointment is no overlap'
like "$err" "overlaps appointment $a5 \\(10:30-11:00\\)" 'the live one next to it still is'
run appt edit "$a4" --start "2026-11-29 10:15"
like "$err" '^caseload: appt edit: warning: 2026-11-29 is a Sunday$' 'an edit warns too'

# another patient's appointment at the same time is no overlap
p2=$(must patient add --name "Baker, Ben")
run appt add --patient "$p2" --start "2026-11-25 10:00" --title "Other patient"
is "$err" "" "another patient's time is theirs"

done_testing
