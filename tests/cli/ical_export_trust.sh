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
# calcurse, which ignores STATUS, shows what a patient's calendar would:
# nothing on the cancelled day from a first export, and the cancelled
# visit as a visit when --include-cancelled forces it.
for f in first full; do
	mkdir -p "$T/cc-$f"
	TZ=America/New_York calcurse -D "$T/cc-$f" -i "$T/$f.ics" >"$T/cc-$f.log" 2>&1
	TZ=America/New_York calcurse -D "$T/cc-$f" -Q --filter-type cal --from 12/15/2026 --days 1 \
		>"$T/cc-$f.day"
done
like "$(cat "$T/cc-first.log")" "^3 apps / 0 events / 0 todos / 0 skipped" "calcurse imports the first export whole"
is "$(cat "$T/cc-first.day")" "" "calcurse shows nothing on the cancelled occurrence's day"
is "$(grep -c Dialysis "$T/cc-full.day")" 2 "with --include-cancelled calcurse shows the cancelled visit (it ignores STATUS)"

# Minimal detail is minimal: tests/cli/ical_privacy.sh searches every
# minimal export of the demo.

done_testing
