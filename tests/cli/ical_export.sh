#!/usr/bin/env bash
# export and agenda --ics: read back by Python's icalendar and by calcurse
# with the same events and instants; folding, detail levels, alarms; the
# round trip through import; DST on both sides; a weekly series with an
# EXDATE and a moved occurrence expanded by the agenda.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3

# Our own view: "UID START END TITLE" per appointment, sorted.
ours() {
	"$CASELOAD" appt list --format tsv | awk -F'\t' 'NR > 1 { print $10 "\t" $4 "\t" $5 "\t" $6 }' | sort
}
# Python's view of a file, the same way (unfolding by octets first).
theirs() {
	"$PY" - "$1" <<'EOF'
import sys, datetime, icalendar
data = open(sys.argv[1], "rb").read()
data = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
cal = icalendar.Calendar.from_ical(data)
def iso(v):
    if isinstance(v, datetime.datetime):
        return v.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v.strftime("%Y-%m-%d")
rows = []
for ev in cal.walk("VEVENT"):
    rows.append("%s\t%s\t%s\t%s" % (ev["UID"], iso(ev.decoded("DTSTART")),
                                    iso(ev.decoded("DTEND")), ev["SUMMARY"]))
print("\n".join(sorted(rows)))
EOF
}

run init
must patient add --name "Núñez, José" --email jose@example.org >/dev/null
must patient add --name "Chen, Wei" >/dev/null
must contact add --name "Dr. Ana Lee" --kind specialist --phone 555-0142 >/dev/null
long="Cardiology follow-up — revisión cardiológica ✓ 予約の確認 $(printf 'é%.0s' {1..40})"
must appt add --patient 1 --start "2026-12-01 09:00" --duration 45m --title "$long" \
	--location "St. Mary's, 3rd floor" --provider 1 --transport arranged --tz America/New_York \
	--notes $'Fast 12 hours before.\nBring the medication list; and "ID"' >/dev/null
must appt add --patient 1 --start "2026-10-30 09:00" --title "Before DST ends" --tz America/New_York >/dev/null
must appt add --patient 1 --start "2026-11-02 09:00" --title "After DST ends" --tz America/New_York >/dev/null
must appt add --patient 1 --start "2027-03-16 09:00" --title "After DST starts" --tz America/New_York >/dev/null
must appt add --patient 1 --start 2026-12-24 --title "All day" >/dev/null
must appt add --patient 2 --start "2026-12-02 11:00" --title "Someone else's" >/dev/null

run export --patient 1 --from 2026-10-01 --detail full
rc_is 0 "export --patient succeeds"
"$CASELOAD" export --patient 1 --from 2026-10-01 --detail full >"$T/p1.ics"
like "$out" '^BEGIN:VCALENDAR' "a calendar on standard output"
for prop in 'VERSION:2.0' 'PRODID:-//caseload//' 'CALSCALE:GREGORIAN' 'METHOD:PUBLISH' \
	'BEGIN:VTIMEZONE' 'TZID:America/New_York' 'DTSTART;TZID=America/New_York:20261201T090000' \
	'DTSTART;VALUE=DATE:20261224' 'DTEND;VALUE=DATE:20261225' 'SEQUENCE:0' 'STATUS:CONFIRMED' \
	'TRIGGER:-P1D' 'TRIGGER:-PT2H' 'LOCATION:St. Mary.s\\, 3rd floor' 'Provider: Dr. Ana Lee'; do
	like "$out" "$prop" "export has $prop"
done
is "$(grep -c '^BEGIN:VTIMEZONE' "$T/p1.ics")" 1 "one VTIMEZONE per zone used"
is "$(grep -c '^BEGIN:VEVENT' "$T/p1.ics")" 5 "only that patient's appointments"
unlike "$out" "Someone else" "no other patient's"

# RFC 5545 lines: CRLF, at most 75 octets, folds between characters
check=$("$PY" - "$T/p1.ics" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
lines = data.split(b"\r\n")
bad = []
if lines[-1] != b"": bad.append("no final CRLF")
if b"\n" in data.replace(b"\r\n", b""): bad.append("bare LF")
if b"\r" in data.replace(b"\r\n", b""): bad.append("bare CR")
for i, l in enumerate(lines[:-1]):
    if len(l) > 75: bad.append("line %d is %d octets" % (i + 1, len(l)))
    if l.startswith(b" ") and len(l) > 1 and (l[1] & 0xC0) == 0x80:
        bad.append("line %d splits a character" % (i + 1))
    if l == b" ": bad.append("line %d is an empty fold" % (i + 1))
    try: l.decode("utf-8")
    except UnicodeDecodeError: bad.append("line %d is not UTF-8 on its own" % (i + 1))
print("; ".join(bad) or "ok")
EOF
)
is "$check" ok "CRLF, lines of at most 75 octets, folded between UTF-8 characters"
is "$(grep -c '^ ' "$T/p1.ics" | awk '$1 > 0 { print "folded" }')" folded "long lines are folded"

# Python's icalendar reads the same events at the same instants
is "$(theirs "$T/p1.ics")" "$(ours | grep -v "Someone else")" "python icalendar reads the same events and instants"
is "$("$PY" -c '
import sys, icalendar
d = open(sys.argv[1], "rb").read().replace(b"\r\n ", b"")
for ev in icalendar.Calendar.from_ical(d).walk("VEVENT"):
    if str(ev["SUMMARY"]).startswith("Cardiology"):
        print(ev["SUMMARY"]); print(ev["DESCRIPTION"])' "$T/p1.ics")" \
	"$long"$'\nFast 12 hours before.\nBring the medication list; and "ID"\n\nProvider: Dr. Ana Lee\nPhone: 555-0142\nTransport: arranged' \
	"text survives escaping and folding; full detail adds provider, phone, transport"
is "$("$PY" -c '
import sys, icalendar
d = open(sys.argv[1], "rb").read().replace(b"\r\n ", b"")
for ev in icalendar.Calendar.from_ical(d).walk("VEVENT"):
    if str(ev["SUMMARY"]).startswith("After DST starts") or str(ev["SUMMARY"]).startswith("Before"):
        print(ev.decoded("DTSTART").strftime("%H:%M %Z"))' "$T/p1.ics" | sort)" $'09:00 EDT\n09:00 EDT' \
	"09:00 New York reads as 09:00 local on the daylight side"
is "$("$PY" -c '
import sys, icalendar
d = open(sys.argv[1], "rb").read().replace(b"\r\n ", b"")
for ev in icalendar.Calendar.from_ical(d).walk("VEVENT"):
    if str(ev["SUMMARY"]).startswith("After DST ends"):
        print(ev.decoded("DTSTART").strftime("%H:%M %Z"))' "$T/p1.ics")" "09:00 EST" \
	"and on the standard side"

# calcurse reads the same instants (it takes local times in its TZ)
mkdir -p "$T/calcurse"
TZ=America/New_York calcurse -D "$T/calcurse" -i "$T/p1.ics" >"$T/cc.log" 2>&1
like "$(cat "$T/cc.log")" "4 apps / 1 event / 0 todos / 0 skipped" "calcurse imports every event"
cc=$(TZ=America/New_York calcurse -D "$T/calcurse" -G --format-apt '%(start:%s) %(end:%s)\n' \
	--format-event 'E %m\n' | while read -r s e; do
		if [ "$s" = E ]; then echo "$e"; else echo "$(date -u -d "@$s" +%FT%TZ) $(date -u -d "@$e" +%FT%TZ)"; fi
	done | sort)
want=$(ours | grep -v "Someone else" | awk -F'\t' 'length($2) == 10 { print $4; next } { print $2 " " $3 }' | sort)
is "$cc" "$want" "calcurse sees the same instants"

# round trip: into the same database nothing changes; into a fresh one
# the same appointments, matched to the same patients by name
before=$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM audit')
run import "$T/p1.ics"
like "$out" "5 events: 0 added \(0 unassigned\), 0 updated, 5 unchanged" "our export re-imported changes nothing"
is "$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM audit')" "$before" "not one write"
mine=$(ours | grep -v "Someone else")
fresh() { CASELOAD_DB="$T/fresh.db" "$CASELOAD" "$@"; }
fresh init >/dev/null
fresh patient add --name "Somebody, Else" >/dev/null
fresh patient add --name "Núñez, José" >/dev/null
out=$(fresh import "$T/p1.ics")
like "$out" "5 events: 5 added \(0 unassigned\)" "into a fresh database: all added, all matched"
is "$(CASELOAD_DB="$T/fresh.db" ours)" "$mine" "same UIDs, instants and titles"
is "$(fresh appt list --format tsv | awk -F'\t' 'NR > 1 { print $2 }' | sort -u)" 2 \
	"X-CASELOAD-PATIENT's name found the patient under its new id"
is "$(fresh appt list --format tsv | cut -f9,11-13 | sort)" "$("$CASELOAD" appt list --patient 1 --format tsv | cut -f9,11-13 | sort)" \
	"same zones, all-day flags, rules and statuses"
is "$(fresh appt list --format tsv | awk -F'\t' '$6 ~ /^Cardiology/ { print $8 }')" arranged "transport survives"
is "$(sqlite3 "$T/fresh.db" "SELECT notes FROM appointment WHERE title LIKE 'Cardiology%'")" \
	$'Fast 12 hours before.\nBring the medication list; and "ID"' "notes come back without the provider lines"

# minimal detail: time and "Appointment"; no location, which often names
# the specialty (issue 10: it used to be kept)
run export --patient 1 --from 2026-10-01 --detail minimal
is "$(printf '%s\n' "$out" | grep -c '^SUMMARY:Appointment')" 5 "minimal: a generic title"
unlike "$out" "Cardiology|DESCRIPTION:Fast|Provider|X-CASELOAD-PATIENT|Núñez" "minimal: nothing else about the patient"
is "$(printf '%s\n' "$out" | grep -c '^LOCATION' || true)" 0 "minimal leaves the location out"
printf '%s\n' "$out" >"$T/min.ics"
run import "$T/min.ics"
like "$out" "5 unchanged" "a minimal export re-imported does not overwrite titles"

# alarms
run export --patient 1 --alarm 30m
is "$(printf '%s\n' "$out" | grep -c '^TRIGGER')" "$(printf '%s\n' "$out" | grep -c '^BEGIN:VEVENT')" "--alarm 30m: one reminder per event"
like "$out" "TRIGGER:-PT30M" "30 minutes before"
run export --patient 1 --alarm none
unlike "$out" "VALARM" "--alarm none: no reminders"
run export --patient 1 --alarm 3x
rc_is 2 "a bad alarm is a usage error"
like "$err" "alarm '3x'" "naming it"
run export --patient 1 --all
rc_is 2 "--patient and --all together are refused"
run export
rc_is 2 "export needs --patient or --all"
run export --patient 1 --detail secret
rc_is 2 "unknown detail level refused"

# default range: from today on; -o writes a private file
run export --patient 1
unlike "$out" "Before DST ends" "by default, nothing before today"
run export --all --detail full -o "$T/all.ics"
rc_is 0 "export --all -o FILE"
like "$out" "appointments written to" "says where it wrote"
is "$(stat -c %a "$T/all.ics")" 600 "the file is private (0600)"
like "$(cat "$T/all.ics")" "Someone else" "--all has every patient's appointments"

# a weekly series with an EXDATE and a moved occurrence, across DST
cat >"$T/weekly.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:w1@clinic
DTSTAMP:20261001T000000Z
DTSTART;TZID=America/New_York:20261026T090000
DTEND;TZID=America/New_York:20261026T093000
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=America/New_York:20261109T090000
SUMMARY:Physio
ATTENDEE;CN="Chen, Wei":mailto:x@example.org
END:VEVENT
BEGIN:VEVENT
UID:w1@clinic
DTSTAMP:20261001T000000Z
RECURRENCE-ID;TZID=America/New_York:20261116T090000
DTSTART;TZID=America/New_York:20261117T140000
DTEND;TZID=America/New_York:20261117T143000
SUMMARY:Physio (moved)
ATTENDEE;CN="Chen, Wei":mailto:x@example.org
END:VEVENT
END:VCALENDAR
EOF
run import "$T/weekly.ics"
like "$out" "2 events: 2 added \(0 unassigned\)" "series and override imported"
agenda() { "$CASELOAD" agenda --patient 2 --date 2026-10-26 --days 35 --format tsv | awk -F'\t' 'NR > 1 { print $4 " " $6 }'; }
want=$'2026-10-26T13:00:00Z Physio\n2026-11-02T14:00:00Z Physio\n2026-11-17T19:00:00Z Physio (moved)\n2026-11-23T14:00:00Z Physio'
is "$(agenda)" "$want" "agenda: 09:00 local each week across DST, EXDATE gone, one moved"
run agenda --patient 2 --date 2026-10-26 --days 35 --ics
rc_is 0 "agenda --ics"
printf '%s\n' "$out" >"$T/agenda.ics"
like "$out" "RRULE:FREQ=WEEKLY;COUNT=5" "agenda --ics keeps the rule"
like "$out" "EXDATE;TZID=America/New_York:20261109T090000" "and the EXDATE"
like "$out" "RECURRENCE-ID;TZID=America/New_York:20261116T090000" "and the moved occurrence"
unlike "$out" "Cardiology" "and nothing outside the range"
CASELOAD_DB="$T/fresh2.db" "$CASELOAD" patient add --name "Somebody, Else" >/dev/null
CASELOAD_DB="$T/fresh2.db" "$CASELOAD" patient add --name "Chen, Wei" >/dev/null
CASELOAD_DB="$T/fresh2.db" "$CASELOAD" import "$T/agenda.ics" >/dev/null
is "$(CASELOAD_DB="$T/fresh2.db" agenda)" "$want" "the exported series expands to the same dates elsewhere"
rrule=$("$PY" -c '
import sys, icalendar
d = open(sys.argv[1], "rb").read().replace(b"\r\n ", b"")
for ev in icalendar.Calendar.from_ical(d).walk("VEVENT"):
    if "RRULE" in ev:
        print(ev["RRULE"].to_ical().decode(), ev["EXDATE"].to_ical().decode())' "$T/agenda.ics")
is "$rrule" "FREQ=WEEKLY;COUNT=5 20261109T090000" "python reads the rule and the EXDATE"

done_testing
