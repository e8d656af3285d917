#!/usr/bin/env bash
# review: noshow (a missed appointment in the last 7 days with no follow-up
# task since).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

p=$(pat "Missed, Max")
must appt add --patient "$p" --start "2026-11-21 10:00" --title "Lab draw" --status noshow >/dev/null
must appt add --patient "$p" --start "2026-11-16 10:00" --title "Old miss" --status noshow >/dev/null
must appt add --patient "$p" --start "2026-11-22 10:00" --title "Kept" --status fulfilled >/dev/null
is "$(items)" "$(printf '1\tnoshow\tmedium\t2026-11-21\tmissed Lab draw 2026-11-21 10:00, no follow-up task since')" \
	"a miss 3 days ago shows; one 8 days ago and a kept visit do not"
is "$(items --date 2026-11-23 | cut -f4 | sort)" "$(printf '2026-11-16\n2026-11-21')" "a day earlier, the 16th is within 7 days"
must task add --patient "$p" --title "Diet handout" --kind education >/dev/null
like "$(reasons)" "noshow" "a task of another kind is not a follow-up"
must task add --patient "$p" --title "Reschedule lab" --kind followup --due tomorrow >/dev/null
is "$(reasons)" "" "a follow-up task clears it"
done_testing
