#!/usr/bin/env bash
# import: mapping VEVENTs to appointments (zones, all-day, DURATION,
# patient matching), skipped events with their line, idempotent
# re-import, SEQUENCE updates, cancels, dry runs, refused files.
. "$(dirname "$0")/../lib.sh"

# the number of rows in the audit trail: "changes nothing" means none added
audit_rows() { sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM audit'; }
# one field of an appointment by UID, from the TSV listing
field() {   # field UID COLUMN
	"$CASELOAD" appt list --format tsv 2>/dev/null | awk -F'\t' -v uid="$1" -v col="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["uid"] == uid { print $c[col] }'
}

run init
must patient add --name "Chen, Wei" --email wei.chen@example.org >/dev/null
must patient add --name "Núñez, José" >/dev/null
must patient add --name "Okafor, Ada" >/dev/null

esc=$'\033'
cat >"$T/clinic.ics" <<EOF
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Clinic//Outlook-like//EN
BEGIN:VTIMEZONE
TZID:Eastern Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:e1@clinic
DTSTAMP:20261101T120000Z
DTSTART;TZID=Eastern Standard Time:20261201T090000
DTEND;TZID=Eastern Standard Time:20261201T094500
SUMMARY:Cardiology
ATTENDEE;CN="Someone Else":mailto:WEI.CHEN@example.org
END:VEVENT
BEGIN:VEVENT
UID:e2@clinic
DTSTAMP:20261101T120000Z
DTSTART:20261202T150000Z
DURATION:PT30M
SUMMARY:Lab work
ATTENDEE;CN=José Núñez:mailto:nobody@example.org
END:VEVENT
BEGIN:VEVENT
UID:e3@clinic
DTSTAMP:20261101T120000Z
DTSTART:20261203T100000
DTEND:20261203T110000
SUMMARY:Floating ${esc}[31mred${esc}[0m
END:VEVENT
BEGIN:VEVENT
UID:e4@clinic
DTSTAMP:20261101T120000Z
DTSTART;VALUE=DATE:20261207
DTEND;VALUE=DATE:20261210
SUMMARY:Rehab stay
END:VEVENT
BEGIN:VEVENT
UID:e5@clinic
DTSTART;TZID=Mars/Olympus:20261204T090000
SUMMARY:Unknown zone
END:VEVENT
BEGIN:VEVENT
UID:e6@clinic
SUMMARY:No start
END:VEVENT
BEGIN:VEVENT
UID:e7@clinic
DTSTART:20261205T100000Z
DTEND:20261205T090000Z
SUMMARY:Backwards
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Pacific Standard Time:20261206T090000
DURATION:PT1H
SUMMARY:No UID, Windows zone
END:VEVENT
END:VCALENDAR
EOF

run import "$T/clinic.ics"
rc_is 0 "a file with some unusable events imports"
is "$(printf '%s\n' "$out" | head -1)" \
	"$T/clinic.ics: 8 events: 5 added (3 unassigned), 0 updated, 0 unchanged, 0 cancelled, 3 skipped" \
	"summary counts each event once"
like "$out" "line 49: skipped \(UID e5@clinic\): unknown time zone 'Mars/Olympus'" "unknown zone skipped with its line, never taken as UTC"
like "$out" "line 54: skipped \(UID e6@clinic\): no DTSTART" "event without DTSTART skipped with its line"
like "$out" "line 58: skipped \(UID e7@clinic\): DTEND is before DTSTART" "end before start skipped"

is "$(field e1@clinic start)" 2026-12-01T14:00:00Z "Windows zone name via the file's VTIMEZONE: 09:00 EST is 14:00Z"
is "$(field e1@clinic tzid)" America/New_York "Windows zone stored as its IANA name"
is "$(field e1@clinic patient_id)" 1 "ATTENDEE mailto matches a patient's email (any case)"
is "$(field e2@clinic end)" 2026-12-02T15:30:00Z "DURATION gives the end"
is "$(field e2@clinic patient_id)" 2 "ATTENDEE CN matches a patient's full name"
is "$(field e3@clinic start)" 2026-12-03T15:00:00Z "a floating time is taken in the coordinator's zone"
is "$(field e3@clinic tzid)" America/New_York "floating time stored with the coordinator's zone"
is "$(field e4@clinic all_day)" 1 "DATE values make an all-day appointment"
is "$(field e4@clinic start)|$(field e4@clinic end)" "2026-12-07|2026-12-10" "multi-day all-day keeps its dates"
pst=$("$CASELOAD" appt list --unassigned --format tsv | grep 'No UID' | cut -f4,11)
is "$pst" $'2026-12-06T17:00:00Z\tAmerica/Los_Angeles' "Windows zone without VTIMEZONE maps to IANA"
uid_first=$("$CASELOAD" appt list --unassigned --format tsv | grep 'No UID' | cut -f10)
like "$uid_first" '@derived\.caseload$' "an event without UID gets a derived one"

stored=$(sqlite3 "$CASELOAD_DB" "SELECT title FROM appointment WHERE uid = 'e3@clinic'")
is "$stored" "Floating ${esc}[31mred${esc}[0m" "text from the file is stored as given"
run appt list --unassigned
unlike "$out" "$esc" "control characters never reach the terminal (table)"
like "$out" 'Floating red' "the rest of the text is shown (escape sequences removed whole)"
run appt list --unassigned --format tsv
unlike "$out" "$esc" "nor in TSV"

# a VTIMEZONE after the events that use it (RFC 5545 allows any order)
cat >"$T/forward.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:fw1@clinic
DTSTART;TZID=Clinic Time:20260715T090000
DURATION:PT1H
SUMMARY:Zone defined below
END:VEVENT
BEGIN:VTIMEZONE
TZID:Clinic Time
X-LIC-LOCATION:America/Chicago
BEGIN:DAYLIGHT
DTSTART:19700308T020000
TZOFFSETFROM:-0600
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:19701101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0600
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
END:VCALENDAR
EOF
run import "$T/forward.ics"
like "$out" "1 event: 1 added" "an event whose VTIMEZONE comes later is imported"
is "$(field fw1@clinic start)|$(field fw1@clinic tzid)" "2026-07-15T14:00:00Z|America/Chicago" \
	"with the later VTIMEZONE (09:00 CDT) and its X-LIC-LOCATION as the zone"

# idempotent
list_before=$("$CASELOAD" appt list --format tsv; "$CASELOAD" appt list --unassigned --format tsv)
before=$(audit_rows)   # (after the listings: each is a read, recorded)
run import "$T/clinic.ics"
is "$(printf '%s\n' "$out" | head -1)" \
	"$T/clinic.ics: 8 events: 0 added (0 unassigned), 0 updated, 5 unchanged, 0 cancelled, 3 skipped" \
	"re-import: everything unchanged"
is "$(audit_rows)" "$before" "re-import writes nothing"
is "$("$CASELOAD" appt list --format tsv; "$CASELOAD" appt list --unassigned --format tsv)" "$list_before" "re-import leaves the appointments as they were"

# assign an unassigned one; re-import keeps the assignment
id3=$("$CASELOAD" appt list --unassigned --format tsv | awk -F'\t' '$10 == "e3@clinic" { print $1 }')
run appt assign "$id3" --patient 3
rc_is 0 "appt assign gives an imported appointment a patient"
run import "$T/clinic.ics"
is "$(field e3@clinic patient_id)" 3 "re-import keeps a patient given by hand"

# a newer SEQUENCE updates, an older one is skipped, a cancel cancels
cat >"$T/update.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:e1@clinic
SEQUENCE:1
DTSTAMP:20261102T120000Z
DTSTART;TZID=America/New_York:20261201T100000
DTEND;TZID=America/New_York:20261201T104500
SUMMARY:Cardiology (moved to 10:00)
END:VEVENT
END:VCALENDAR
EOF
run import "$T/update.ics"
like "$out" "1 event: 0 added \(0 unassigned\), 1 updated" "higher SEQUENCE updates"
is "$(field e1@clinic start)" 2026-12-01T15:00:00Z "the update moved the time"
is "$(field e1@clinic title)" "Cardiology (moved to 10:00)" "and the title"
is "$(field e1@clinic patient_id)" 1 "the patient stays"
run import "$T/clinic.ics"
like "$out" "line 19: skipped \(UID e1@clinic\): older than the stored version \(SEQUENCE 0, stored 1\)" "an older version is skipped and reported"
is "$(field e1@clinic start)" 2026-12-01T15:00:00Z "the older version changed nothing"

cat >"$T/cancel.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
METHOD:CANCEL
BEGIN:VEVENT
UID:e2@clinic
SEQUENCE:1
DTSTAMP:20261103T120000Z
END:VEVENT
END:VCALENDAR
EOF
run import "$T/cancel.ics"
like "$out" "1 event: 0 added \(0 unassigned\), 0 updated, 0 unchanged, 1 cancelled" "METHOD:CANCEL cancels"
is "$(field e2@clinic status)" cancelled "the appointment is kept, marked cancelled"
is "$(field e2@clinic start)" 2026-12-02T15:00:00Z "a cancel by UID alone keeps the times"
sed 's/SEQUENCE:1/SEQUENCE:2\nSTATUS:CANCELLED/; s/10:00)/10:00)/' "$T/update.ics" >"$T/cancel2.ics"
run import "$T/cancel2.ics"
like "$out" "1 cancelled" "STATUS:CANCELLED cancels"
is "$(field e1@clinic status)" cancelled "status is cancelled"

# --patient, --dry-run
cat >"$T/new.ics" <<'EOF'
BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:n1@clinic
DTSTART:20261210T150000Z
SUMMARY:New one
ATTENDEE:mailto:wei.chen@example.org
END:VEVENT
END:VCALENDAR
EOF
before=$(audit_rows)
run import "$T/new.ics" --dry-run
rc_is 0 "dry run succeeds"
like "$out" "1 added" "dry run prints what it would do"
like "$out" "dry run: nothing was changed" "and says it changed nothing"
is "$(audit_rows)" "$before" "dry run writes nothing"
is "$(field n1@clinic uid)" "" "dry run added nothing"
run import --patient 3 "$T/new.ics"
is "$(field n1@clinic patient_id)" 3 "--patient wins over ATTENDEE matching"
run import --patient 99 "$T/new.ics"
rc_is 1 "--patient with an unknown id fails"
like "$err" "no patient with id 99" "and says so"
run import - <"$T/new.ics"
like "$out" "^\(standard input\): 1 event: 0 added \(0 unassigned\), 0 updated, 1 unchanged" "import - reads standard input"

# files that are refused leave the database as it was
before=$(audit_rows)
head -n 30 "$T/clinic.ics" >"$T/cut.ics"
run import "$T/cut.ics"
rc_is 1 "a file cut short is refused"
like "$err" "^caseload: import: $T/cut.ics:[0-9]+: the file ends inside BEGIN:VEVENT" "message names the file and line"
is "$(audit_rows)" "$before" "the database is unchanged"
printf 'hello\nworld\n' >"$T/text.ics"
run import "$T/text.ics"
rc_is 1 "a text file is refused"
like "$err" "text.ics:1: expected BEGIN:VCALENDAR" "with the line"
: >"$T/empty.ics"
run import "$T/empty.ics"
rc_is 1 "an empty file is refused"
like "$err" "no iCalendar data" "saying why"
run import "$T/missing.ics"
rc_is 1 "a missing file fails"
like "$err" "cannot open .*missing.ics" "naming it"
run import "$T"
rc_is 2 "a directory is refused"
run import
rc_is 2 "import needs a file"
is "$(audit_rows)" "$before" "refused files changed nothing"

# an ATTENDEE's name matches whatever its accents and case, as search does
cat >"$T/folded.ics" <<EOF
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Clinic//Plain//EN
BEGIN:VEVENT
UID:fold1@clinic
DTSTAMP:20261101T120000Z
DTSTART:20261210T150000Z
DURATION:PT30M
SUMMARY:Follow-up
ATTENDEE;CN=JOSE NUNEZ:mailto:nobody@example.org
END:VEVENT
BEGIN:VEVENT
UID:fold2@clinic
DTSTAMP:20261101T120000Z
DTSTART:20261211T150000Z
DURATION:PT30M
SUMMARY:Follow-up
ATTENDEE;CN="okafor, ada":mailto:nobody@example.org
END:VEVENT
END:VCALENDAR
EOF
run import "$T/folded.ics"
rc_is 0 "a calendar naming patients without their accents imports"
is "$(field fold1@clinic patient_id)" 2 "JOSE NUNEZ is Núñez, José"
is "$(field fold2@clinic patient_id)" 3 "okafor, ada is Okafor, Ada"
done_testing
