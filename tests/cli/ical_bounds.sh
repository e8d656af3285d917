#!/usr/bin/env bash
# Bounded input (issue 11 §8): an imported component larger than
# import_max_component_kb (default 1024) is skipped with a note naming its
# line, the events around it are imported, and the memory of an import
# stays under 64 MB whatever the file (one VEVENT of 300,000 properties
# took 177 MB).  Memory is measured on the release build (the sanitizer
# build's own overhead would say nothing about the program's).
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
RELEASE="$BUILD/caseload"
LIMIT_KB=$((64 * 1024))

# gen FILE KIND N LINE: a calendar with one big KIND (VEVENT or VTIMEZONE)
# holding N lines made from the %d pattern LINE, then a good event
gen() {
	"$PY" - "$@" <<'PYEOF'
import sys
path, kind, n, pattern = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(path, "w", newline="") as f:
    f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//bounds//EN\r\n")
    if kind == "VEVENT":
        f.write("BEGIN:VEVENT\r\nUID:big@test\r\nDTSTAMP:20261101T000000Z\r\n"
                "DTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\nSUMMARY:Big\r\n")
        f.write("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT1H\r\nEND:VALARM\r\n")
    else:
        f.write("BEGIN:VTIMEZONE\r\nTZID:Big/Zone\r\nBEGIN:STANDARD\r\n"
                "DTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n")
    chunk = []
    for i in range(n):
        chunk.append(pattern % i)
        if len(chunk) == 10000:
            f.write("\r\n".join(chunk) + "\r\n")
            chunk = []
    if chunk:
        f.write("\r\n".join(chunk) + "\r\n")
    f.write("END:VEVENT\r\n" if kind == "VEVENT" else "END:STANDARD\r\nEND:VTIMEZONE\r\n")
    f.write("BEGIN:VEVENT\r\nUID:good@test\r\nDTSTAMP:20261101T000000Z\r\n"
            "DTSTART:20261202T150000Z\r\nDTEND:20261202T160000Z\r\nSUMMARY:Good\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")
PYEOF
}

# peak FILE: the release build's peak memory (KB) importing FILE into a
# fresh database; the summary or error goes to $T/peak.out
peak() {
	rm -f "$T/peak.db"
	/usr/bin/time -o "$T/peak.kb" -f %M "$RELEASE" --db "$T/peak.db" import "$1" \
		>"$T/peak.out" 2>&1 || true
	cat "$T/peak.kb" | tail -1
}

must patient add --name "Doe, Jane" >/dev/null

# ---- one VEVENT with 300,000 properties ----
gen "$T/props.ics" VEVENT 300000 "ATTENDEE;CN=Person %06d;ROLE=REQ-PARTICIPANT:mailto:p@example.org"
run import --patient 1 "$T/props.ics"
rc_is 0 "a file with one huge event imports"
like "$out" ": 2 events: 1 added .* 1 skipped" "the good event is added, the huge one skipped"
like "$out" "line 4: skipped: an event larger than 1024 KB \(import_max_component_kb\)" \
     "the skip names the line the event begins on and the setting"
run appt list --format tsv
is "$(printf '%s\n' "$out" | cut -f6 | tail -n +2)" "Good" "only the good event is stored"
if [ -x "$RELEASE" ]; then
	kb=$(peak "$T/props.ics")
	like "$(cat "$T/peak.out")" "1 skipped" "the release build skips it too"
	ok "300,000 properties: peak memory ${kb} KB is under 64 MB" test "$kb" -lt "$LIMIT_KB"
	# many tiny lines cost libical more than their bytes: bounded as well
	gen "$T/tiny.ics" VEVENT 300000 "X-A:%d"
	kb=$(peak "$T/tiny.ics")
	like "$(cat "$T/peak.out")" "1 added .* 1 skipped" "300,000 tiny properties are skipped"
	ok "and take ${kb} KB, under 64 MB" test "$kb" -lt "$LIMIT_KB"
else
	skip "peak memory of the release build" "$RELEASE is not built"
fi

# ---- a time zone too large is ignored, the calendar goes on ----
gen "$T/zone.ics" VTIMEZONE 20000 "X-FILLER:%0100d"
run import --patient 1 --dry-run "$T/zone.ics"
rc_is 0 "a huge VTIMEZONE does not stop the import"
like "$out" "line 4: a VTIMEZONE larger than 1024 KB is ignored \(import_max_component_kb\)" \
     "it is named with its line"
like "$out" ": 1 event: .* 1 unchanged" "and the event after it is read (stored already)"

# ---- the setting ----
gen "$T/mid.ics" VEVENT 400 "DESCRIPTION;X-N=%d:$(printf 'x%.0s' {1..100})"
cfg="$T/config.yaml"
printf 'import_max_component_kb: 16\n' >"$cfg"
run --config "$cfg" import --patient 1 --dry-run "$T/mid.ics"
like "$out" "1 skipped" "a 40 KB event is skipped under a 16 KB limit"
like "$out" "larger than 16 KB" "saying the limit"
run import --patient 1 --dry-run "$T/mid.ics"
like "$out" "1 added .* 1 unchanged, 0 cancelled, 0 skipped" "and imported under the default"
printf 'import_max_component_kb: 0\n' >"$cfg"
run --config "$cfg" task list
rc_is 1 "a limit of 0 is refused"
like "$err" "config.yaml:1:26: import_max_component_kb must be from 16 to 4096, not 0" \
     "naming the place and the range"

# ---- one long line ----
"$PY" -c 'import sys; open(sys.argv[1], "w").write("Doe Jane 555 0100 " * 116509)' "$T/line.txt"
is "$(wc -c <"$T/line.txt")" 2097162 "a 2 MB file of a single line"
run import "$T/line.txt"
rc_is 1 "is refused"
is "$err" "caseload: import: $T/line.txt:1: expected BEGIN:VCALENDAR: this is not an iCalendar file" \
   "naming the file and the line, none of its text"
if [ -x "$RELEASE" ]; then
	kb=$(peak "$T/line.txt")
	ok "a 2 MB line: peak memory ${kb} KB is under 64 MB" test "$kb" -lt "$LIMIT_KB"
	"$PY" -c 'import sys; open(sys.argv[1], "w").write("BEGIN:VCALENDAR\r\nX-BIG:" + "y" * (40 << 20) + "\r\nEND:VCALENDAR\r\n")' "$T/long.ics"
	kb=$(peak "$T/long.ics")
	like "$(cat "$T/peak.out")" "long.ics:2: a content line longer than 8388608 bytes" \
	     "a 40 MB content line is refused at its line"
	ok "before it is read whole: ${kb} KB, under 64 MB" test "$kb" -lt "$LIMIT_KB"
	# folded lines make one content line: the bound holds across them
	"$PY" -c 'import sys; open(sys.argv[1], "w").write("BEGIN:VCALENDAR\r\nX-BIG:a\r\n" + (" " + "z" * 73 + "\r\n") * 400000 + "END:VCALENDAR\r\n")' "$T/fold.ics"
	kb=$(peak "$T/fold.ics")
	like "$(cat "$T/peak.out")" "fold.ics:2: a content line longer than 8388608 bytes" \
	     "30 MB of folded lines are one content line, refused"
	ok "${kb} KB, under 64 MB" test "$kb" -lt "$LIMIT_KB"
else
	skip "peak memory of the release build" "$RELEASE is not built"
fi
run appt list --format tsv
is "$(rows "$out")" 1 "nothing but the good event was ever stored"

done_testing
