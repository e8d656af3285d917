#!/usr/bin/env bash
# export --all: the VTIMEZONEs before the first event.  Everyone's zones
# are found by walking the range's single events in start order, up to
# 2,000 of them (HEAD_WALK_ROWS): below that the file names exactly the
# zones its events use, in the order of their first use; past it a zone
# the walk did not meet is named after the others.  Either way every TZID
# in the file has its VTIMEZONE (python-icalendar checks the file).
# libical writes a calendar's components last added first, so the file
# holds that order reversed (as it did before the walk).
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3

# N single events an hour apart in New York from 2026-03-02, one in
# Chicago among them (the 101st hour), one in Tokyo after them all, and
# one in Paris in 2025 (before every range below); then the two below.
# None has a patient.
gen() {
	"$PY" - "$1" "$2" <<'PYEOF'
import sys, datetime
n, path = int(sys.argv[1]), sys.argv[2]
t0 = datetime.datetime(2026, 3, 2, 0, 0)
fmt = "%Y%m%dT%H%M%S"
out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//caseload tests//EN"]
def ev(uid, zone, t):
    out.extend(["BEGIN:VEVENT", "UID:%s@zones.example.org" % uid, "DTSTAMP:20261101T120000Z",
                "DTSTART;TZID=%s:%s" % (zone, t.strftime(fmt)),
                "DTEND;TZID=%s:%s" % (zone, (t + datetime.timedelta(minutes=30)).strftime(fmt)),
                "SUMMARY:Visit %s" % uid, "END:VEVENT"])
for i in range(n):
    ev("ny-%d" % i, "Asia/Tokyo" if i == n - 1 else
       "America/Chicago" if i == 100 else "America/New_York",
       t0 + datetime.timedelta(hours=i))
ev("paris", "Europe/Paris", datetime.datetime(2025, 5, 5, 9, 0))
# after them all: a weekly series in Sydney (its zone comes with the
# series, walk or not) and a cancelled event in Berlin (written only with
# --include-cancelled)
late = t0 + datetime.timedelta(hours=n + 24)
out.extend(["BEGIN:VEVENT", "UID:series@zones.example.org", "DTSTAMP:20261101T120000Z",
            "DTSTART;TZID=Australia/Sydney:" + late.strftime(fmt),
            "DTEND;TZID=Australia/Sydney:" + (late + datetime.timedelta(hours=1)).strftime(fmt),
            "RRULE:FREQ=WEEKLY;COUNT=4", "SUMMARY:Series", "END:VEVENT"])
ev("berlin", "Europe/Berlin", late + datetime.timedelta(days=1))
out[-2:-1] = ["STATUS:CANCELLED", "SUMMARY:Visit berlin"]
out.append("END:VCALENDAR")
open(path, "w", newline="").write("\r\n".join(out) + "\r\n")
PYEOF
}
# "ZONE ZONE ..." of the VTIMEZONEs in file order, then "|" and the TZIDs
# the events name (sorted), as python-icalendar reads them.
zones_of() {
	"$PY" - "$1" <<'PYEOF'
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
defined = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
used = set()
for ev in cal.walk("VEVENT"):
    for k in ("DTSTART", "DTEND"):
        tz = ev[k].params.get("TZID")
        if tz:
            used.add(str(tz))
print(" ".join(defined), "|", " ".join(sorted(used)))
PYEOF
}

for n in 300 2600; do
	db="$T/z$n.db"
	gen "$n" "$T/z$n.ics"
	CASELOAD_DB="$db" run import "$T/z$n.ics"
	rc_is 0 "$n events imported"
	like "$out" "$((n + 3)) events: $((n + 2)) added" "all of them, one cancelled"
	CASELOAD_DB="$db" run export --all --from 2026-01-01 -o "$T/z$n-all.ics"
	rc_is 0 "export --all of $n events"
	CASELOAD_DB="$db" run export --all --from 2026-03-01 --to 2026-03-04 -o "$T/z$n-days.ics"
	rc_is 0 "export --all of their first days"
	CASELOAD_DB="$db" run export --all --from 2026-01-01 --include-cancelled -o "$T/z$n-cancelled.ics"
	rc_is 0 "export --all --include-cancelled"
done

# the walk reaches the range's end: the zones used, in first-use order
is "$(zones_of "$T/z300-all.ics")" \
	"Australia/Sydney Asia/Tokyo America/Chicago America/New_York | America/Chicago America/New_York Asia/Tokyo Australia/Sydney" \
	"300 events: the zones used, in the order of their first use (reversed), not Paris nor the cancelled Berlin"
is "$(zones_of "$T/z300-cancelled.ics")" \
	"Europe/Berlin Australia/Sydney Asia/Tokyo America/Chicago America/New_York | America/Chicago America/New_York Asia/Tokyo Australia/Sydney Europe/Berlin" \
	"300 events, --include-cancelled: Berlin too"
is "$(zones_of "$T/z300-days.ics")" "America/New_York | America/New_York" \
	"300 events, three days: only New York"
is "$(zones_of "$T/z2600-days.ics")" "America/New_York | America/New_York" \
	"2,600 events, three days (72 of them): only New York"
# past 2,000 events the walk stops: Tokyo (the last event) comes after the
# zones met, and Paris, used only before the range, is named too
is "$(zones_of "$T/z2600-all.ics")" \
	"Europe/Paris Europe/Berlin Asia/Tokyo Australia/Sydney America/Chicago America/New_York | America/Chicago America/New_York Asia/Tokyo Australia/Sydney" \
	"2,600 events: the zones met and the series' in first-use order, then the others by name (reversed)"
is "$(zones_of "$T/z2600-cancelled.ics" | sed 's/.*| //')" \
	"America/Chicago America/New_York Asia/Tokyo Australia/Sydney Europe/Berlin" \
	"2,600 events, --include-cancelled: Berlin's event is written"
like "$(zones_of "$T/z2600-cancelled.ics")" "Europe/Berlin.* \\| " "and its zone"
n_ev=$(grep -c '^BEGIN:VEVENT' "$T/z2600-all.ics")
is "$n_ev" 2601 "every event of the range is written (the series once)"

# the same export of one patient walks only their events
CASELOAD_DB="$T/z2600.db" must patient add --name "Zone, Test" >/dev/null
CASELOAD_DB="$T/z2600.db" run appt list --unassigned --from 2026-01-01 --format tsv
id=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 {print $1}')
CASELOAD_DB="$T/z2600.db" must appt assign "$id" --patient 1 >/dev/null
CASELOAD_DB="$T/z2600.db" run export --patient 1 --from 2026-01-01 -o "$T/z2600-one.ics"
rc_is 0 "export of one patient"
is "$(zones_of "$T/z2600-one.ics")" "America/New_York | America/New_York" \
	"one patient's export names their one zone"

done_testing
