#!/usr/bin/python3
"""order_gen.py OUT: a calendar for tests/cli/import_order.sh.

Events with random-looking UIDs and starts over three years, in several
zones, and among them what an import must take in file order: events
that come again later in the file (a newer SEQUENCE with another start,
an older one), series with overrides after and before them, events that
cannot be used (notes, more of them than the summary keeps), and a second
calendar with METHOD:CANCEL naming events of the first.  Synthetic data.
"""
import hashlib
import random
import sys

rng = random.Random(12)
zones = ["America/New_York", "America/Chicago", "Europe/Berlin", "Asia/Tokyo", "UTC"]


def uid(i):
    return hashlib.sha1(str(i).encode()).hexdigest()[:20] + "@order.example.org"


def when(day, minute):
    y, d = 2025 + day // 360, day % 360
    return "%04d%02d%02dT%02d%02d00" % (y, 1 + d // 30, 1 + d % 30, 8 + minute // 60, minute % 60)


def event(out, i, seq=0, day=None, extra=()):
    day = rng.randrange(1000) if day is None else day
    zone = zones[i % len(zones)]
    start = when(day, rng.randrange(0, 480, 15))
    end = when(day, 479)
    out += ["BEGIN:VEVENT", "UID:" + uid(i), "DTSTAMP:20261101T000000Z", "SEQUENCE:%d" % seq]
    if zone == "UTC":
        out += ["DTSTART:%sZ" % start, "DTEND:%sZ" % end]
    else:
        out += ["DTSTART;TZID=%s:%s" % (zone, start), "DTEND;TZID=%s:%s" % (zone, end)]
    out += ["SUMMARY:Visit %d v%d" % (i, seq)] + list(extra) + ["END:VEVENT"]


def main():
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//caseload tests//order//EN"]
    later = []                      # rows to put somewhere after their first
    for i in range(900):
        kind = rng.random()
        if i % 150 == 7:            # a series; its overrides come later
            day = rng.randrange(900)
            event(out, i, day=day, extra=["RRULE:FREQ=WEEKLY;COUNT=8"])
            for k in (1, 3):
                rid = when(day + 7 * k, 0)
                later.append((i, ["RECURRENCE-ID;TZID=%s:%s" % (zones[i % len(zones)], rid)]))
        elif kind < 0.25:           # no start: skipped, with a note
            out += ["BEGIN:VEVENT", "UID:" + uid(i), "SUMMARY:No start %d" % i, "END:VEVENT"]
        else:
            event(out, i)
            if kind < 0.32:
                later.append((i, None))
        # the rows that come again, each some way after its first
        keep = []
        for item in later:
            if rng.random() < 0.2:
                j, extra = item
                if extra is None:
                    event(out, j, seq=rng.choice([0, 1, 2]))
                else:
                    event(out, j, seq=1, extra=extra)
            else:
                keep.append(item)
        later = keep
    for j, extra in later:
        event(out, j, seq=1, extra=extra or [])
    # overrides before their series
    for i in (2000, 2001):
        day = 100 + i % 7
        event(out, i, seq=0, day=day + 7,
              extra=["RECURRENCE-ID;TZID=America/New_York:" + when(day + 7, 0)])
        event(out, i, day=day, extra=["RRULE:FREQ=WEEKLY;COUNT=4"])
    out += ["END:VCALENDAR", "BEGIN:VCALENDAR", "VERSION:2.0",
            "PRODID:-//caseload tests//order//EN", "METHOD:CANCEL"]
    for i in range(10, 200, 19):
        out += ["BEGIN:VEVENT", "UID:" + uid(i), "DTSTAMP:20261102T000000Z", "SEQUENCE:5",
                "STATUS:CANCELLED", "END:VEVENT"]
    out.append("END:VCALENDAR")
    with open(sys.argv[1], "w", newline="") as f:
        f.write("\r\n".join(out) + "\r\n")


main()
