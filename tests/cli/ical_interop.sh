#!/usr/bin/env bash
# Every kind of export caseload writes is read by two independent readers,
# ical.js (npm, installed by `make deps-test` into tests/interop) and
# python-icalendar with recurring_ical_events (Debian), with no error and
# no warning (every TZID defined by its VTIMEZONE and read as that zone, no
# floating time, no override that matches no occurrence), and both see the
# same occurrences, at the same instants, as caseload's own agenda.
#
# The exports: every detail level, reminders, ranges, cancelled ones left
# out and included, series with EXDATE, RDATE, moved and cancelled
# occurrences, zones with and without daylight time (north and south,
# half-hour offsets, Etc/UTC and UTC), all-day appointments, text long
# enough to fold; agenda --ics; the demo caseload whole and per patient;
# and files of ../shared/ical-corpus imported and exported again.
. "$(dirname "$0")/../lib.sh"
interop="$top/tests/interop"
PY=/usr/bin/python3
missing=""
command -v node >/dev/null 2>&1 || missing="node"
[ -f "$interop/node_modules/ical.js/package.json" ] || missing="$missing ical.js (tests/interop)"
"$PY" -c 'import icalendar, recurring_ical_events' 2>/dev/null || missing="$missing recurring_ical_events"
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then   # nothing may skip in CI
		_result 0 "the interop readers are installed (make deps-test)" "missing:$missing"
		done_testing
	fi
	skip_all "missing$missing: make deps-test installs them"
fi

# The window every view is taken over: occurrences starting in [from, to).
from=2024-01-01 to=2030-01-01

# caseload's own view of a file: the agenda's occurrences in the window
# (366 days at a time, from the day before: the agenda's days are the
# coordinator's) of the UIDs the file holds, "UID START END" sorted; the
# cancelled ones only for a file written with --include-cancelled.
ours() {   # ours FILE [--patient ID] [--cancelled]
	local file=$1 cancelled=0 d
	local -a args=()
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--cancelled) cancelled=1 ;;
		*) args+=("$1") ;;
		esac
		shift
	done
	perl -0pe 's/\r\n[ \t]//g' "$file" | tr -d '\r' | sed -n 's/^UID://p' | sort -u >"$T/uids"
	d=$(date -u -d "$from - 1 day" +%F)
	while [[ "$d" < "$to" ]]; do
		"$CASELOAD" agenda --date "$d" --days 366 --format tsv ${args[@]+"${args[@]}"} | tail -n +2
		d=$(date -u -d "$d + 366 days" +%F)
	done | awk -F'\t' -v from="$from" -v to="$to" -v c="$cancelled" -v uids="$T/uids" '
		BEGIN { while ((getline u < uids) > 0) want[u] = 1 }
		($10 in want) && $4 >= from && $4 < to && (c || ($9 != "cancelled" && $9 != "entered-in-error")) {
			print $10 "\t" $4 "\t" $5 }' | LC_ALL=C sort -u
}

# interop DESC FILE [AGENDA-ARGS]: both readers read FILE without a word
# on standard error and see the same occurrences as each other and as
# caseload (four results).
interop() {
	local desc=$1 file=$2 js=0 py=0 n
	shift 2
	node "$interop/ics-instants.js" "$file" "$from" "$to" >"$T/js" 2>"$T/js.err" || js=$?
	"$PY" "$interop/ics_instants.py" "$file" "$from" "$to" >"$T/py" 2>"$T/py.err" || py=$?
	if [ "$js" = 0 ] && [ ! -s "$T/js.err" ]; then _result 1 "$desc: ical.js reads it, no warning"
	else _result 0 "$desc: ical.js reads it, no warning" "exit $js: $(cat "$T/js.err")"; fi
	if [ "$py" = 0 ] && [ ! -s "$T/py.err" ]; then _result 1 "$desc: python-icalendar reads it, no warning"
	else _result 0 "$desc: python-icalendar reads it, no warning" "exit $py: $(cat "$T/py.err")"; fi
	n=$(grep -c . "$T/js" || true)
	LC_ALL=C sort "$T/js" >"$T/js.sorted"
	LC_ALL=C sort "$T/py" >"$T/py.sorted"
	if [ "$n" = 0 ]; then
		_result 0 "$desc: the readers see occurrences" "none in $from..$to: the comparison would prove nothing"
	else
		same "$T/js.sorted" "$T/py.sorted" "$desc: ical.js and python-icalendar see the same $n occurrences"
	fi
	cut -f1,3,4 "$T/js" | LC_ALL=C sort -u >"$T/js.instants"
	ours "$file" "$@" >"$T/ours"
	same "$T/js.instants" "$T/ours" "$desc: at the instants caseload's agenda shows"
}

same() {   # same GOT WANT DESC: two files alike, else their differences
	if cmp -s "$1" "$2"; then _result 1 "$3"; else
		_result 0 "$3" "$(diff -u --label "${1##*/}" --label "${2##*/}" "$1" "$2" | sed -n '4,40p')"; fi
}

# ---- the readers themselves find what they are meant to find ----
bad() {   # bad NAME: a small file with one fault, from the lines given
	printf '%s\r\n' 'BEGIN:VCALENDAR' 'VERSION:2.0' 'PRODID:-//caseload tests//bad//EN' \
		'BEGIN:VEVENT' 'UID:bad@test' 'DTSTAMP:20261001T000000Z' "${@:2}" 'END:VEVENT' \
		'END:VCALENDAR' >"$T/$1.ics"
}
bad undefined 'DTSTART;TZID=Europe/Nowhere:20261201T090000' 'DTEND;TZID=Europe/Nowhere:20261201T093000'
bad floating 'DTSTART:20261201T090000' 'DTEND:20261201T093000'
bad stray 'DTSTART:20261207T140000Z' 'DTEND:20261207T143000Z' 'RRULE:FREQ=WEEKLY;COUNT=2' \
	'END:VEVENT' 'BEGIN:VEVENT' 'UID:bad@test' 'DTSTAMP:20261001T000000Z' \
	'RECURRENCE-ID:20261208T140000Z' 'DTSTART:20261209T140000Z' 'DTEND:20261209T143000Z'
for f in undefined floating stray; do
	node "$interop/ics-instants.js" "$T/$f.ics" "$from" "$to" >/dev/null 2>"$T/err" || true
	like "$(cat "$T/err")" "bad@test" "ical.js reader: the $f file is reported"
done
for f in undefined floating; do
	"$PY" "$interop/ics_instants.py" "$T/$f.ics" "$from" "$to" >/dev/null 2>"$T/err" || true
	like "$(cat "$T/err")" "bad@test" "python reader: the $f file is reported"
done

# ---- a caseload made for the purpose ----
run init
must patient add --name "Núñez, José" --email jose@example.org >/dev/null
must patient add --name "Chen, Wei" >/dev/null
must contact add --name "Dr. Ana Lee" --kind specialist --phone 555-0142 >/dev/null
must import --patient 1 "$top/tests/data/ical/interop-series.ics" >/dev/null
long="Cardiology follow-up — revisión cardiológica ✓ 予約の確認 $(printf 'é%.0s' {1..40})"
must appt add --patient 1 --start "2026-12-01 09:00" --duration 45m --title "$long" \
	--location "St. Mary's, 3rd floor; entrance B" --provider 1 --transport arranged \
	--notes $'Fast 12 hours before.\nBring the medication list; and "ID", please' >/dev/null
must appt add --patient 1 --start "2026-10-30 09:00" --title "Before DST ends" >/dev/null
must appt add --patient 1 --start "2026-11-02 09:00" --title "After DST ends" >/dev/null
must appt add --patient 1 --start "2027-03-15 09:00" --title "After DST starts" >/dev/null
must appt add --patient 1 --start 2026-12-24 --title "All day" >/dev/null
must appt add --patient 1 --start "2026-12-10 15:00" --title "Pulmonology" --tz Etc/UTC >/dev/null
must appt add --patient 1 --start "2026-12-11 15:00" --title "UTC" --tz UTC >/dev/null
must appt add --patient 1 --start "2026-12-14 10:00" --title "Newfoundland" --tz America/St_Johns >/dev/null
must appt add --patient 1 --start "2027-01-05 10:00" --title "Sydney summer" --tz Australia/Sydney >/dev/null
must appt add --patient 1 --start "2026-12-15 11:00" --title "Proposed" --status proposed >/dev/null
id=$(must appt add --patient 1 --start "2026-12-16 11:00" --title "Cancelled")
must appt cancel "$id" >/dev/null
must appt add --patient 1 --start "2026-12-07 08:00" --title "Fortnightly" \
	--rrule "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=9" >/dev/null
must appt add --patient 2 --start "2026-12-02 11:00" --title "Someone else's" --tz Europe/Berlin >/dev/null

ics="$T/ics"
mkdir -p "$ics"
"$CASELOAD" export --patient 1 --from "$from" --detail full >"$ics/full.ics"
interop "export --detail full" "$ics/full.ics" --patient 1
"$CASELOAD" export --patient 1 --from "$from" --detail minimal --alarm none >"$ics/minimal.ics"
interop "export --detail minimal --alarm none" "$ics/minimal.ics" --patient 1
"$CASELOAD" export --patient 1 >"$ics/default.ics"
interop "export with the defaults (from today)" "$ics/default.ics" --patient 1
"$CASELOAD" export --patient 1 --from 2026-12-01 --to 2026-12-31 --alarm 1w,30m >"$ics/range.ics"
interop "export --from --to --alarm 1w,30m" "$ics/range.ics" --patient 1
"$CASELOAD" export --patient 1 --from "$from" --detail full --include-cancelled >"$ics/cancelled.ics"
interop "export --include-cancelled" "$ics/cancelled.ics" --patient 1 --cancelled
must export --all --from "$from" --detail full --include-cancelled -o "$ics/all.ics" >/dev/null
interop "export --all" "$ics/all.ics" --cancelled
"$CASELOAD" agenda --ics --date 2026-11-01 --days 60 >"$ics/agenda.ics"
interop "agenda --ics" "$ics/agenda.ics"
"$CASELOAD" agenda --ics --patient 1 --date 2027-03-01 --days 366 >"$ics/agenda-year.ics"
interop "agenda --ics over a year" "$ics/agenda-year.ics" --patient 1

# A series moved after one of its occurrences was moved and another
# cancelled: their RECURRENCE-IDs name times the series no longer has.
# The agenda still shows both; RFC 5545 leaves such an override undefined
# (ical.js drops it, python-icalendar shows it), so the export makes each
# RECURRENCE-ID an RDATE of the series, which the override then replaces.
series=$("$CASELOAD" appt list --format tsv |
	awk -F'\t' '$10 == "weekly-ny@interop" && $13 != "" { print $1 }')
must appt edit "$series" --start "2026-10-27 10:00" >/dev/null
"$CASELOAD" export --patient 1 --from "$from" --detail full --include-cancelled >"$ics/moved.ics"
is "$(grep '^RDATE;TZID=America/New_York' "$ics/moved.ics" | tr -d '\r' | sort | tr '\n' ' ')" \
	"RDATE;TZID=America/New_York:20261116T090000 RDATE;TZID=America/New_York:20261130T090000 " \
	"the moved series: each override's RECURRENCE-ID is an RDATE of it"
interop "a moved series, --include-cancelled" "$ics/moved.ics" --patient 1 --cancelled
"$CASELOAD" export --patient 1 --from "$from" >"$ics/moved-default.ics"
interop "a moved series, cancelled left out" "$ics/moved-default.ics" --patient 1

# ---- the demo caseload, whole and per patient ----
export CASELOAD_DB="$T/demo.db"
must demo --patients 12 >/dev/null
must export --all --from "$from" --detail full --include-cancelled -o "$ics/demo-all.ics" >/dev/null
interop "the demo, export --all" "$ics/demo-all.ics" --cancelled
"$CASELOAD" agenda --ics --date 2026-06-01 --days 366 >"$ics/demo-agenda.ics"
interop "the demo, agenda --ics over a year" "$ics/demo-agenda.ics"
for id in 1 5 9; do
	"$CASELOAD" export --patient "$id" >"$ics/demo-$id.ics"
	interop "the demo, patient $id's default export" "$ics/demo-$id.ics" --patient "$id"
done

# ---- files of other projects, imported and exported again ----
# khal's file has an override that matches no occurrence of its series
# (an RDATE in the export).  Not calcurse's rfc5545.ical: python-icalendar
# 4 cannot parse its BYDAY=20MO.
corpus="$top/../shared/ical-corpus"
if [ -d "$corpus" ]; then
	while read -r path window; do
		from=${window%..*} to=${window#*..}
		export CASELOAD_DB="$T/corpus-${path//\//_}.db"
		must init >/dev/null
		must import "$corpus/$path" >/dev/null
		must export --all --from "$from" --detail full --include-cancelled --force -o "$ics/corpus.ics" >/dev/null
		interop "$path imported and exported" "$ics/corpus.ics" --cancelled
	done <<-'EOF'
	ical.js/samples/recur_instances.ics 2012-01-01..2016-01-01
	ical.js/samples/daily_recur.ics 2012-01-01..2014-01-01
	ical.js/samples/rdate_exdate.ics 2024-01-01..2026-01-01
	ical.js/samples/google_birthday.ics 2012-01-01..2020-01-01
	allenporter-ical/examples/apple_ical.ics 2023-01-01..2026-01-01
	allenporter-ical/compat/office_360_nz_tz.ics 2025-01-01..2027-01-01
	kcalendarcore/test_recurrenceid.ics 2005-01-01..2007-01-01
	khal/event_rrule_recuid_cancelled.ics 2014-01-01..2016-01-01
	khal/cal_lots_of_timezones.ics 2014-01-01..2016-01-01
	EOF
else
	skip "the corpus round trips" "no corpus at $corpus"
fi

done_testing
