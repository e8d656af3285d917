#!/usr/bin/env bash
# calls: the day's call list.  Today is Tuesday 2026-11-24 (New York);
# Thursday 2026-11-26 is Thanksgiving.  Five kinds in order (a discharge
# owed a call, a check-in overdue, a no-show, an appointment to confirm, a
# refill), do-not-contact last without a phone; a no-answer re-queues two
# hours later or, after 15:00, to the next business day; a reached call
# takes the patient off for the day.
. "$(dirname "$0")/../lib.sh"

# reached yesterday morning: the cadence rule stays quiet
pat() {
	local name=$1 id
	shift
	id=$(must patient add --name "$name" "$@")
	must note add --patient "$id" --outcome reached --at "2026-11-23 09:00" >/dev/null
	printf '%s' "$id"
}
# "kind<TAB>patient_id" of each row of the list at a moment
order() {
	run calls --format tsv "$@"
	[ "$rc" = 0 ] || _result 0 "calls $* succeeds" "$err"
	printf '%s\n' "$out" | tail -n +2 | cut -f1,2
}
row() {   # row ID ARGS...: the TSV row of patient ID
	local id=$1
	shift
	run calls --format tsv "$@"
	printf '%s\n' "$out" | awk -F'\t' -v id="$id" '$2 == id'
}

# listed in the reverse of the order expected
dnc=$(must patient add --name "Quiet, Quincy" --risk high --phone 555-0106 --do-not-contact yes)
must note add --patient "$dnc" --outcome reached --at "2026-11-01 09:00" >/dev/null
fill=$(pat "Refill, Rita" --phone 555-0105)
must med add --patient "$fill" --name Metformin --refill-due 2026-11-26 >/dev/null
conf=$(pat "Confirm, Carl" --phone 555-0104)
must appt add --patient "$conf" --start "2026-11-25 10:00" --title "Cardiology" >/dev/null
miss=$(pat "Missed, Mia" --phone 555-0103)
must appt add --patient "$miss" --start "2026-11-23 14:00" --title "Lab draw" --status noshow >/dev/null
over=$(must patient add --name "Overdue, Olga" --risk high --phone 555-0102 --best-time afternoon)
must note add --patient "$over" --outcome reached --at "2026-11-10 09:00" >/dev/null
dis=$(pat "Discharged, Dan" --phone 555-0101 --language Spanish --interpreter yes --best-time morning)
must discharge --patient "$dis" --date 2026-11-23 --facility "St. Mary's" >/dev/null
must med add --patient "$dis" --name Lasix --refill-due 2026-11-27 >/dev/null
quiet=$(pat "Fine, Fay")

is "$(order --at '2026-11-24 09:00')" "$(printf '%s\n' "discharge	$dis" "cadence	$over" \
	"noshow	$miss" "confirm	$conf" "refill	$fill" "cadence	$dnc")" \
	"the five kinds in order, do-not-contact last; a patient with nothing to call is not listed"

r=$(row "$dis" --at '2026-11-24 09:00')
is "$(cut -f3-10 <<<"$r")" "$(printf 'Discharged, Dan\t555-0101\tSpanish\tyes\tmorning\tno\t0\t0')" \
	"a row: name, phone, language, interpreter, best time, do-not-contact, attempts today and in all"
like "$(cut -f13 <<<"$r")" "^discharge call: discharged 2026-11-23 from St. Mary's: no reached call or visit yet, due by 2026-11-25; refill due: Lasix: refill due 2026-11-27" \
	"the reason in words, every kind of the patient's (one row a patient)"
r=$(row "$dnc" --at '2026-11-24 09:00')
is "$(cut -f4,8 <<<"$r")" "$(printf '\tyes')" "do not contact: listed without a phone"

run calls --at '2026-11-24 09:00'
like "$out" 'Quiet, Quincy +do not contact' "the table says do not contact instead of the phone"
like "$out" 'Spanish, interpreter +morning \(now\)' "the interpreter need, and the best time marked when it is now"
like "$out" 'Overdue, Olga +555-0102 +afternoon +check-in' "a best time that is not now is not marked"

# --- re-queue ---
must note add --patient "$over" --outcome no-answer --at "2026-11-24 09:30" >/dev/null
unlike "$(order --at '2026-11-24 11:00')" "	$over\$" "a no-answer at 09:30: not listed at 11:00"
run calls --at '2026-11-24 11:00'
like "$out" '1 to call again later \(the first from 2026-11-24 11:30\)' "the table says who comes back when"
like "$(order --at '2026-11-24 11:30')" "cadence	$over" "listed again two hours later"
r=$(row "$over" --at '2026-11-24 11:30')
is "$(cut -f9-12 <<<"$r")" "$(printf '1\t1\tno-answer\t09:30 no-answer')" "with the attempt and its outcome"
must note add --patient "$over" --outcome voicemail --at "2026-11-24 15:30" >/dev/null
unlike "$(order --at '2026-11-24 17:59')" "	$over\$" "a voicemail at 15:30: not again today (17:30 is past the day's end)"
like "$(order --at '2026-11-25 08:00')" "cadence	$over" "the next business day it is back"
r=$(row "$over" --at '2026-11-25 08:00')
is "$(cut -f9,10 <<<"$r")" "$(printf '0\t0')" "counted from the day's start for a check-in"

# over a holiday: Wednesday 16:00 -> Friday (Thanksgiving skipped)
must note add --patient "$miss" --outcome left-message --at "2026-11-25 16:00" >/dev/null
unlike "$(order --at '2026-11-26 10:00')" "	$miss\$" "a message left Wednesday 16:00: not on Thanksgiving"
like "$(order --at '2026-11-27 08:00')" "noshow	$miss" "back on Friday"
r=$(row "$miss" --at '2026-11-27 08:00')
is "$(cut -f9-12 <<<"$r")" "$(printf '0\t1\tleft-message\t+1 since 2026-11-23')" \
	"a no-show's attempts count from the missed visit"
# over a weekend: Friday 16:30 -> Monday
must note add --patient "$fill" --outcome no-answer --at "2026-11-27 16:30" >/dev/null
unlike "$(order --at '2026-11-28 10:00')" "	$fill\$" "a no-answer Friday 16:30: not on Saturday"
like "$(order --at '2026-11-30 08:00')" "refill	$fill" "back on Monday"

# a reached call takes the patient off for the day, whatever the reason
must note add --patient "$fill" --outcome reached --at "2026-11-24 10:00" --text "will pick up Friday" >/dev/null
unlike "$(order --at '2026-11-24 12:00')" "	$fill\$" "reached today: off today's list"
run calls --at '2026-11-24 12:00'
like "$out" '1 reached today' "the table counts the patients reached"
like "$(order --at '2026-11-25 09:00')" "refill	$fill" "the refill still due, back the next day"

# confirmations look ahead in business days: Friday confirms Monday
must appt add --patient "$quiet" --start "2026-11-30 10:00" --title "Podiatry" >/dev/null
like "$(order --at '2026-11-27 09:00')" "confirm	$quiet" "Friday's list confirms Monday's visit"
run review --date 2026-11-27 --format tsv
unlike "$out" "appt-confirm" "(the review's window stays two calendar days)"

# --mine: the patients whose primary coordinator the user is (on a
# server the user is the connection's role, not --user: pg_suite.sh)
case "$CASELOAD_DB" in
*=* | postgres*) skip "--mine lists only the user's patients" "--user is the role on a server" ;;
*)
	must patient edit "$over" --coordinator alice >/dev/null
	run --user alice calls --format tsv --at '2026-11-24 11:30' --mine
	is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1,2)" "cadence	$over" \
		"--mine lists only the user's patients"
	;;
esac

# formats and files
run calls --at '2026-11-24 09:00' --format json
like "$out" '^\[' "JSON"
like "$out" "\"patient_id\": $dis, \"patient\": \"Discharged, Dan\"" "JSON has the fields"
run calls --format xml
rc_is 2 "an unknown format is a usage error"
like "$err" "xml.*table, tsv, json or html" "naming the choices"
run calls --date 2026-11-24 --at '2026-11-24 09:00'
rc_is 2 "--date and --at together are refused"

# the paper sheet: escaped, no network
odd=$(pat "O'Brien & <Sons>, <i>Ann</i>" --phone '555 <0107>')
must note add --patient "$odd" --outcome reached --at "2026-11-01 09:00" >/dev/null
must med add --patient "$odd" --name 'Aspirin <script>' --refill-due 2026-11-25 >/dev/null
run calls --at '2026-11-24 09:00' --format html -o "$T/sheet.html"
rc_is 0 "the sheet is written to a file"
h=$(cat "$T/sheet.html")
like "$h" 'O&#39;Brien &amp; &lt;Sons&gt;, &lt;i&gt;Ann&lt;/i&gt;' "the name escaped"
like "$h" '555 &lt;0107&gt;' "the phone escaped"
like "$h" 'Aspirin &lt;script&gt;' "the reason escaped"
unlike "$h" '<i>|<Sons>|<script' "no markup from the data"
unlike "$h" 'https?:|src=|<link|@import' "nothing fetched from a network"
is "$(grep -cE '^<html lang="en">$|name="viewport"|^<h1>Call list 2026-11-24</h1>$' "$T/sheet.html")" 3 \
	"the page frame of the handout (html.c): language, a phone's viewport, the day"
like "$h" '<tr class="dnc"><td>[0-9]+</td><td>Quiet, Quincy.*<strong>do not contact</strong>' \
	"the do-not-contact row greyed, without the phone"
unlike "$h" '555-0106' "the do-not-contact phone is not on the sheet"
run calls --format html -o "$T/sheet.html"
rc_is 1 "an existing file is not replaced"
like "$err" 'give --force' "the message says how"
run calls --format html -o "$T/sheet.html" --force
rc_is 0 "--force replaces it"
run audit --format tsv
like "$out" $'export\tpatient\t\tcalls: 7 rows' "writing the sheet is audited as an export, with its count"
done_testing
