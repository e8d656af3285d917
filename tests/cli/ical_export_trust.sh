#!/usr/bin/env bash
# export: files a patient or a family caregiver can trust (issue 10).  The
# appointments come from a small handwritten file, imported for one patient.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
data="$top/tests/data/ical"

run init
must patient add --name "Doe, Jane" >/dev/null
must import --patient 1 "$data/export-cases.ics" >/dev/null
like "$out" ": 4 events: 2 added .* 2 cancelled" "the cases are in"
# a machine with no zone configured books in Etc/UTC (ux finding 6)
must appt add --patient 1 --start "2026-12-10 15:00" --title "Pulmonology check" \
	--location "Lakeview Pulmonology" --tz Etc/UTC >/dev/null

# Every TZID the file uses has its VTIMEZONE, Etc/UTC included; Python's
# icalendar reads it with the same instants.
undefined() {   # the TZIDs used and not defined in a file, one a line
	"$PY" - "$1" <<'PYEOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
defined = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
used = set()
for ev in cal.walk("VEVENT"):
    for name, value in ev.property_items():
        tzid = getattr(value, "params", {}).get("TZID") if hasattr(value, "params") else None
        if tzid:
            used.add(str(tzid))
print("\n".join(sorted(used - defined)))
PYEOF
}
must export --patient 1 --detail full --include-cancelled --output "$T/full.ics" >/dev/null
like "$(cat "$T/full.ics")" "DTSTART;TZID=Etc/UTC:20261210T150000" "the Etc/UTC appointment keeps its zone"
is "$(undefined "$T/full.ics")" "" "every TZID used has its VTIMEZONE"
is "$(grep -c '^TZID:Etc/UTC' "$T/full.ics")" 1 "Etc/UTC is defined once"
instant=$("$PY" -c '
import sys, icalendar, datetime
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
for ev in cal.walk("VEVENT"):
    if str(ev["SUMMARY"]) == "Pulmonology check":
        print(ev.decoded("DTSTART").astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$T/full.ics")
is "$instant" "2026-12-10T15:00:00Z" "Python reads the Etc/UTC time as the same instant"
must import "$T/full.ics" >/dev/null
like "$out" ": 5 events: 0 added .* 5 unchanged" "the export imported back changes nothing"

# Cancelled appointments are left out of an export: a calendar that never
# had them would show them as visits (calcurse ignores STATUS), and
# whether it had them is not recorded.  A cancelled occurrence of a series
# becomes an EXDATE of the series.  --include-cancelled writes them.
must export --patient 1 --output "$T/first.ics" >/dev/null
like "$out" "^3 appointments written" "the cancelled visit and occurrence are not counted"
unlike "$(cat "$T/first.ics")" "cancelled@test|STATUS:CANCELLED" "no cancelled appointment in a first export"
like "$(cat "$T/first.ics")" "EXDATE;TZID=America/New_York:20261215T090000" "the cancelled occurrence is an EXDATE of its series"
is "$(grep -c '^UID:ny-zone@test' "$T/first.ics")" 1 "the series is written once, without its cancelled override"
grep -c '^UID:' "$T/full.ics" >"$T/n"
is "$(cat "$T/n")" 5 "--include-cancelled writes every appointment"
like "$(cat "$T/full.ics")" "STATUS:CANCELLED" "... with STATUS:CANCELLED"

# Minimal detail is minimal: no location (it names the specialty: "Lakeview
# Cardiology"), no title, no patient.  Every minimal export of the demo is
# searched for every word (4 letters or more) of the conditions, patient
# names, appointment titles and locations, and contact names.
leaks() {   # DB FILE...: the files naming any of those words, and the words
	"$PY" - "$@" <<'PYEOF'
import sys, re, sqlite3
db, files = sys.argv[1], sys.argv[2:]
con = sqlite3.connect(db)
words = set()
def add(text):
    for w in re.findall(r"[^\W\d_]{4,}", text or ""):
        words.add(w.lower())
for (t,) in con.execute("SELECT name FROM condition"): add(t)
for f, g in con.execute("SELECT family, given FROM patient"): add(f); add(g)
for t, l in con.execute("SELECT title, location FROM appointment"): add(t); add(l)
for n, o in con.execute("SELECT name, organization FROM contact"): add(n); add(o)
words.discard("appointment")
bad = 0
for path in files:
    text = open(path, encoding="utf-8").read().lower()
    found = sorted(w for w in words if re.search(r"\b" + re.escape(w) + r"\b", text))
    if found:
        bad += 1
        print("%s: %s" % (path.rsplit("/", 1)[-1], " ".join(found)))
print("%d words checked in %d files" % (len(words), len(files)), file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}
export CASELOAD_DB="$T/demo.db"
must demo --patients 20 >/dev/null
for id in $(sqlite3 "$CASELOAD_DB" 'SELECT id FROM patient ORDER BY id'); do
	must export --patient "$id" --from 2026-01-01 -o "$T/demo-$id.ics" >/dev/null
done
n=$(cat "$T"/demo-*.ics | grep -c '^BEGIN:VEVENT' || true)
ok "the demo's exports hold its appointments ($n)" test "$n" -ge 20
is "$(leaks "$CASELOAD_DB" "$T"/demo-*.ics 2>/dev/null)" "" "no minimal export of the demo names a condition, a specialty, a place or a person"
is "$(cat "$T"/demo-*.ics | grep -c '^LOCATION' || true)" 0 "no location in a minimal export"

done_testing
