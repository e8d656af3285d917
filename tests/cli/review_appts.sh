#!/usr/bin/env bash
# review: transport (3 days ahead, series expanded) and appt-confirm (2 days
# ahead, no contact since booking); confirming and calling clear them.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

p=$(pat "Tran, Tess")
ride=$(must appt add --patient "$p" --start "2026-11-27 10:30" --title "Cardiology" --transport needed)
must appt add --patient "$p" --start "2026-11-28 09:00" --title "Too far" --transport needed >/dev/null
lab=$(must appt add --patient "$p" --start "2026-11-25 08:00" --title "Lab draw" --transport confirmed)
must appt add --patient "$p" --start "2026-11-26 14:00" --title "Cancelled" --transport arranged \
	--status cancelled >/dev/null
must appt add --patient "$p" --start "2026-11-26 15:00" --title "Maybe" --status pending >/dev/null
is "$(items)" "$(printf '%s\n' \
	"1	appt-confirm	medium	2026-11-25	Lab draw 2026-11-25 08:00: no contact with the patient since it was booked" \
	"1	transport	medium	2026-11-27	Cardiology 2026-11-27 10:30: transport needed, not confirmed")" \
	"transport on the third day ahead, confirmation for tomorrow; not the fourth day, cancelled or pending"
is "$(reasons --date 2026-11-23)" "$(printf '1\tappt-confirm')" "the day before, the ride is 4 days ahead: only the lab, 2 days ahead"

# confirming the ride clears it; a ride that is not needed cannot be confirmed
run review transport "$ride"
rc_is 0 "review transport confirms"
is "$out" "$ride" "it prints the appointment id"
unlike "$(items)" "transport" "the transport item is gone"
run appt list --format tsv
like "$out" $'Cardiology\t[^\t]*\tconfirmed' "the appointment's transport is confirmed"
none=$(must appt add --patient "$p" --start "2026-12-10 10:00" --title "No ride")
run review transport "$none"
rc_is 2 "confirming transport for an appointment that needs none is refused"
like "$err" "appointment $none needs no transport" "and says so"
run review transport 999
rc_is 1 "an unknown appointment fails"
like "$err" "no appointment with id 999" "naming it"

# an unanswered call does not count as contact; a reached one does
must note add --patient "$p" --outcome no-answer >/dev/null
like "$(reasons)" "appt-confirm" "a call with no answer leaves appt-confirm"
must note add --patient "$p" --outcome reached --minutes 5 >/dev/null
is "$(items)" "" "a reached call after booking clears appt-confirm"

# a weekly series: today's occurrence needs a ride
q=$(pat "Series, Sam" --risk high)
must appt add --patient "$q" --start "2026-11-10 10:00" --title "Dialysis" --transport needed \
	--rrule "FREQ=WEEKLY;COUNT=5" >/dev/null
is "$(items)" "$(printf '%s\n' \
	"2	transport	high	2026-11-24	Dialysis 2026-11-24 10:00: transport needed, not confirmed" \
	"2	appt-confirm	medium	2026-11-24	Dialysis 2026-11-24 10:00: no contact with the patient since it was booked")" \
	"a series' occurrence today: transport (high, it is today) and confirmation"
is "$(reasons --date 2026-11-18)" "" "between occurrences, nothing (11-24 is 6 days ahead)"
is "$(reasons --date 2026-12-09 | grep -v cadence || true)" "" "after the series' last occurrence, nothing about it"
done_testing
