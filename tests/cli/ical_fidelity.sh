#!/usr/bin/env bash
# import fidelity: classes of real-world input that used to go wrong, each
# with a small handwritten file under tests/data/ical (issue 10).
. "$(dirname "$0")/../lib.sh"
data="$top/tests/data/ical"

run init

# An override whose RECURRENCE-ID is a DATE while its series starts at a
# time (and a DATE-TIME one for an all-day series) replaces the series'
# occurrence on that day: the visit is not shown twice.  The timed
# override comes before its series in the file.
must import "$data/rid-date-type.ics" >/dev/null
like "$out" ": 4 events: 4 added .* 0 skipped" "override with a date RECURRENCE-ID: all four events kept"
agenda=$(must agenda --date 2026-12-07 --days 14 --format tsv | cut -f4,6)
unlike "$agenda" $'2026-12-14T15:00:00Z\tPhysio' "the timed occurrence the override moves is gone"
like "$agenda" $'2026-12-15T19:00:00Z\tPhysio \\(moved\\)' "the moved occurrence is there"
unlike "$agenda" $'2026-12-15\tHome visit day' "the all-day occurrence the override moves is gone"
like "$agenda" $'2026-12-16T14:00:00Z\tHome visit day \\(moved\\)' "the moved all-day occurrence is there"
is "$(printf '%s\n' "$agenda" | grep -c .)" 5 "header and four occurrences in those two weeks"
is "$(sqlite3 "$CASELOAD_DB" "SELECT recurrence_id FROM appointment WHERE uid = 'timed-series@test' AND recurrence_id != ''")" \
	"2026-12-14T15:00:00Z" "the override's key is the series' occurrence on that day"
must import "$data/rid-date-type.ics" >/dev/null
like "$out" ": 4 events: 0 added .* 4 unchanged" "importing it again changes nothing"

# A rule libical cannot read (an escaped separator, an unknown part, an
# EXDATE cut short) is dropped by libical; the event would keep one
# occurrence, or gain one, without a word.  It is skipped, with its line.
must import "$data/bad-rule.ics" >/dev/null
like "$out" ": 4 events: 1 added .* 3 skipped" "unreadable recurrence: three events skipped, counted"
like "$out" "line 4: skipped \\(UID escaped-rule@test\\): its RRULE cannot be read" "an escaped separator: skipped with its line"
like "$out" "line 12: skipped \\(UID unknown-part@test\\): its RRULE cannot be read" "an unknown part: skipped with its line"
like "$out" "line 20: skipped \\(UID bad-exdate@test\\): its EXDATE cannot be read" "an EXDATE cut short: skipped with its line"
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM appointment WHERE uid IN ('escaped-rule@test', 'unknown-part@test', 'bad-exdate@test')")" 0 \
	"none of them is stored with a rule missing"

# iTIP answers (RFC 5546 REPLY, REFRESH, COUNTER) name an event without
# its start: they are reported as what they are, not as a broken event.
must import "$data/itip-answers.ics" >/dev/null
like "$out" ": 4 events: 0 added .* 4 skipped" "iTIP answers: skipped and counted"
like "$out" "line 5: skipped \\(UID invite-REPLY@test\\): an iTIP REPLY \\(an answer to an invitation\\), not an event to store" "a REPLY is reported as one"
like "$out" "line 17: skipped \\(UID invite-REFRESH@test\\): an iTIP REFRESH" "a REFRESH is reported as one"
like "$out" "line 29: skipped \\(UID invite-COUNTER@test\\): an iTIP COUNTER" "a COUNTER is reported as one"
like "$out" "line 40: skipped \\(UID nostart@test\\): no DTSTART" "an event of a calendar with no METHOD still lacks its DTSTART"

# Outlook's zone names: a Windows zone id through ICU (CLDR's table), a
# display name through the city it lists, a display name the file defines
# through its VTIMEZONE; an unknown zone is still skipped with the reason.
must import "$data/outlook-zones.ics" >/dev/null
like "$out" ": 4 events: 3 added .* 1 skipped" "Outlook zones: three kept, one skipped"
like "$out" "line 33: skipped \\(UID unknown-zone@test\\): unknown time zone 'Mars Standard Time'" "an unknown zone is skipped with its name"
zones=$(must appt list --format tsv | cut -f4,10,11)
like "$zones" $'2026-12-07T08:00:00Z\twindows-id@test\tEurope/Berlin' "W. Europe Standard Time is Europe/Berlin"
like "$zones" $'2026-12-07T06:00:00Z\tdisplay-city@test\tEurope/Istanbul' "(UTC+03:00) Istanbul is Europe/Istanbul"
like "$zones" $'2026-12-06T23:30:00Z\tdisplay-vtimezone@test\t' "a display name with its VTIMEZONE is read through it"

done_testing
