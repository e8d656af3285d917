#!/usr/bin/env bash
# Clean text in and out (issue 11 §7): typed text must be valid UTF-8
# without control characters; JSON is valid UTF-8 with every control
# escaped, whatever the database holds; an .ics export drops the control
# characters and escape sequences an imported file brought; a refused
# file's text never reaches an error message.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3

# Is stdin JSON a strict parser takes?  Bytes are decoded as UTF-8 with no
# error handler: sys.stdin in the C locale would let bad bytes through as
# surrogates, so read sys.stdin.buffer.
strict_json() {
	"$PY" -c 'import json, sys; json.loads(sys.stdin.buffer.read().decode("utf-8", "strict")); print("valid")'
}
# The checker itself: it refuses invalid UTF-8 and raw controls.
is "$(printf '[{"a": "x\xffy"}]' | strict_json 2>/dev/null || echo refused)" refused \
   "the strict parser refuses invalid UTF-8"
is "$(printf '[{"a": "x\x1by"}]' | strict_json 2>/dev/null || echo refused)" refused \
   "and a raw ESC"
is "$(printf '[{"a": "x\\u009by"}]' | strict_json)" valid "and takes an escaped C1"

must patient add --name "Doe, Jane" >/dev/null

# ---- typed text ----
run patient add --name $'Bad\xff\xfeUtf, In\xc3valid'
rc_is 2 "a name with invalid UTF-8 is refused"
is "$err" "caseload: patient add: --name: byte 4 is not valid UTF-8" "naming the option and the byte"
run patient add --name $'Red\e[31m, Ann'
rc_is 2 "a name with an escape sequence is refused"
is "$err" "caseload: patient add: --name: character 4 is a control character (U+001B)" \
   "naming the character"
run patient add --name $'Csi\xc2\x9b2J, Bo'
rc_is 2 "a C1 control (U+009B) is refused"
like "$err" "U\+009B" "naming it"
run patient add --name $'Two\nLines, Al'
rc_is 2 "a newline in a name is refused"
like "$err" "one line of text" "saying why"
run patient list --format tsv
is "$(rows "$out")" 1 "none of them was stored"
run task add --patient 1 --title $'Call\tback'
rc_is 2 "a tab in a title is refused"
run note add --patient 1 --text $'Called.\n\tLeft a message.'
rc_is 0 "a note may hold lines and tabs"
run task add --patient 1 --title "Refill" --note $'Ask about:\n\tthe pill box'
rc_is 0 "so may a task's --note"
run note add --patient 1 --text $'Called \e]0;x\a.'
rc_is 2 "but no escape"
like "$err" "^caseload: note add: --text: character 8 is a control character \(U\+001B\)$" \
     "naming --text"
run appt add --patient 1 --start "2026-12-01 09:00" --title T --location $'Room\x7f'
rc_is 2 "DEL in a location is refused"
run --user $'eve\e[2J' patient list
rc_is 2 "a --user with a control character is refused"
like "$err" "^caseload: --user: character 4" "naming --user"
run patient edit 1 --phone $'555\xc3'
rc_is 2 "an edit is checked the same way"
like "$err" "--phone: byte 4 is not valid UTF-8" "naming --phone"

# ---- imported text: JSON and .ics export ----
ics="$T/dirty.ics"
{
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//dirty//EN\r\n'
	printf 'BEGIN:VEVENT\r\nUID:dirty-1@test\r\nDTSTAMP:20261101T000000Z\r\n'
	printf 'DTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n'
	printf 'SUMMARY:Visit \e[31mRED\e[0m \e]0;TITLE\a \xc2\x9b2J \x9b \xff\xfe end\r\n'
	printf 'LOCATION:Room \xff\xfe 5 \xc2\x85 \e[41m\r\n'
	printf 'DESCRIPTION:Line one\\nLine \x07two \xc2\x9d8;;http://x\x07 \x01\x02\x1f\r\n'
	printf 'END:VEVENT\r\nEND:VCALENDAR\r\n'
} >"$ics"
must import --patient 1 "$ics" >/dev/null
like "$out" "1 added" "the dirty event is imported as it is"

run appt list --format json
rc_is 0 "appt list --format json"
is "$(printf '%s\n' "$out" | strict_json)" valid "the JSON is valid for a strict parser"
like "$out" '\\u001b\[31mRED' "ESC is escaped"
like "$out" '\\u009b2J' "a C1 control is escaped"
like "$out" $'\xef\xbf\xbd\xef\xbf\xbd end' "invalid bytes became U+FFFD"
is "$(printf '%s' "$out" | LC_ALL=C grep -c $'[\x01-\x09\x0b-\x1f\x7f]' || true)" 0 \
   "no raw control byte"
is "$(printf '%s' "$out" | LC_ALL=C grep -c $'\xc2[\x80-\x9f]' || true)" 0 "no raw C1 control"
# a name stored before names were checked is escaped too
"$PY" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("update patient set given = CAST(? AS TEXT) where id = 1", (b"J\xff\xc2\x9b\x1b".decode("latin-1"),)); c.commit()' "$CASELOAD_DB"
run patient list --format json
is "$(printf '%s\n' "$out" | strict_json)" valid "patient list JSON with an old bad name is valid"

out_ics="$T/out.ics"
must export --patient 1 --detail full --output "$out_ics" >/dev/null
# every byte below 0x20 is part of a CRLF line end
is "$(LC_ALL=C tr -d '\r\n' <"$out_ics" | LC_ALL=C grep -c $'[\x01-\x1f\x7f]' || true)" 0 \
   "the .ics holds no control byte but line ends"
is "$(LC_ALL=C grep -c $'[^\r]$' "$out_ics" || true)" 0 "every line ends in CRLF"
is "$(LC_ALL=C grep -c $'\xc2[\x80-\x9f]' "$out_ics" || true)" 0 "and no C1 control"
ok "the .ics is valid UTF-8" "$PY" -c 'open(__import__("sys").argv[1], "rb").read().decode("utf-8")' "$out_ics"
read_back=$("$PY" - "$out_ics" <<'PYEOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for ev in cal.walk("VEVENT"):
    for key in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        print("%s=%s" % (key, ev[key]))
PYEOF
)
is "$read_back" "SUMMARY=Visit RED   � �� end
LOCATION=Room �� 5  
DESCRIPTION=Line one
Line two  " "python icalendar reads the cleaned SUMMARY, LOCATION and DESCRIPTION"

# a skipped event is named by its UID, cut at 40 characters
uid=$(printf 'u%.0s' {1..300})
printf 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:%s\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' \
	"$uid" >"$T/longuid.ics"
run import --dry-run "$T/longuid.ics"
like "$out" "line 2: skipped \(UID u{39}…\): " "a 300-character UID is shown cut to 39 and an ellipsis"

# ---- a refused file is never quoted ----
printf 'Doe, Jane: 555-0100 diagnosis\nBEGIN:VCALENDAR\n' >"$T/notes.txt"
run import "$T/notes.txt"
rc_is 1 "a file that is not a calendar is refused"
is "$err" "caseload: import: $T/notes.txt:1: expected BEGIN:VCALENDAR: this is not an iCalendar file" \
   "naming the file and the line, not its text"
printf 'BEGIN:VCALENDAR\nBEGIN:Secret\e[2J\nEND:VCALENDAR\n' >"$T/comp.ics"
run import "$T/comp.ics"
rc_is 1 "an unknown component is refused"
unlike "$err" "Secret" "without its name when it is not a name"

done_testing
