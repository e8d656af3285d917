#!/usr/bin/python3
"""Write a large synthetic iCalendar file for scripts/bench.sh: N events
(VEVENTs, overrides included) in a dozen zones (with their VTIMEZONEs).
Every third event is a series, in turn weekly on two days with COUNT,
fortnightly with UNTIL, monthly on the nth weekday with COUNT and monthly
on a day with UNTIL; the weekly ones have an EXDATE and every tenth series
a moved occurrence (an override).  Attendees, two VALARMs each, long UTF-8
descriptions folded at 75 octets.  UIDs look random, as the GUIDs of the
big calendar programs do (a file's order tells nothing of its UIDs'
order).  Deterministic: the same N gives the same file.  GENERATOR names
this shape (the bench's cache key).  With "sequential" the UIDs are
bench-NNNNNNN@clinic.example.org in file order, as in shape v2 (the
sums of tests/cli/stream.sh were made on those).

usage: ical_gen.py N FILE [sequential]"""
import datetime
import hashlib
import sys

HOUR = datetime.timedelta(hours=1)
WEEK = datetime.timedelta(days=7)

GENERATOR = "v3"
# name: (standard offset, daylight offset or None, names, rule: us or eu)
ZONES = {
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "us"),
    "America/Chicago": ("-0600", "-0500", "CST", "CDT", "us"),
    "America/Denver": ("-0700", "-0600", "MST", "MDT", "us"),
    "America/Phoenix": ("-0700", None, "MST", None, None),
    "America/Los_Angeles": ("-0800", "-0700", "PST", "PDT", "us"),
    "America/Anchorage": ("-0900", "-0800", "AKST", "AKDT", "us"),
    "Pacific/Honolulu": ("-1000", None, "HST", None, None),
    "Europe/London": ("+0000", "+0100", "GMT", "BST", "eu"),
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "eu"),
    "Europe/Athens": ("+0200", "+0300", "EET", "EEST", "eu"),
    "Asia/Kolkata": ("+0530", None, "IST", None, None),
    "Asia/Tokyo": ("+0900", None, "JST", None, None),
}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
NAMES = list(ZONES)


def fold(line):
    """Fold at 75 octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    out, cur, limit = [], b"", 75
    i = 0
    while i < len(data):
        j = i + 1
        while j < len(data) and (data[j] & 0xC0) == 0x80:
            j += 1
        if len(cur) + (j - i) > limit:
            out.append(cur)
            cur, limit = b" ", 75
        cur += data[i:j]
        i = j
    out.append(cur)
    return b"\r\n".join(out) + b"\r\n"


def vtimezone(name):
    std, dst, sn, dn, rule = ZONES[name]
    if dst is None:
        return ["BEGIN:VTIMEZONE", "TZID:" + name, "BEGIN:STANDARD",
                "TZOFFSETFROM:" + std, "TZOFFSETTO:" + std, "TZNAME:" + sn,
                "DTSTART:19700101T000000", "END:STANDARD", "END:VTIMEZONE"]
    eu = rule == "eu"
    return [
        "BEGIN:VTIMEZONE", "TZID:" + name,
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:" + std, "TZOFFSETTO:" + dst, "TZNAME:" + dn,
        "DTSTART:19700308T020000" if not eu else "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU" if not eu else "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:" + dst, "TZOFFSETTO:" + std, "TZNAME:" + sn,
        "DTSTART:19701101T020000" if not eu else "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU" if not eu else "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD", "END:VTIMEZONE",
    ]


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    sequential = sys.argv[3:] == ["sequential"]
    with open(path, "wb") as f:
        head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//caseload bench//EN",
                "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        for z in NAMES:
            head += vtimezone(z)
        f.write(b"".join(fold(l) for l in head))
        i = 0
        while i < n:
            zone = NAMES[i % len(NAMES)]
            t0 = datetime.datetime(2026 + (i // 336) % 3, 1 + (i // 28) % 12, 1 + i % 28,
                                   8 + i % 9, (i % 4) * 15)
            fmt = "%Y%m%dT%H%M%S"
            if sequential:
                uid = "bench-%07d@clinic.example.org" % i
            else:
                h = hashlib.sha1(b"%d" % i).hexdigest().upper()
                uid = "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
            ev = ["BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261101T120000Z",
                  "DTSTART;TZID=%s:%s" % (zone, t0.strftime(fmt)),
                  "DTEND;TZID=%s:%s" % (zone, (t0 + HOUR).strftime(fmt)),
                  "SUMMARY:Visit %d — cardiología, revisión" % i,
                  "LOCATION:Clinic building %d\\, room %d" % (i % 50, i % 300),
                  "DESCRIPTION:Bring the medication list. Llegue 15 minutos antes; "
                  "ayuno de 8 horas. 予約の確認をお願いします。 Ref %d." % i,
                  "ATTENDEE;CN=Patient %d:mailto:p%d@example.org" % (i % 5000, i % 5000),
                  "SEQUENCE:%d" % (i % 3), "STATUS:CONFIRMED"]
            series = i % 3 == 0
            kind = (i // 3) % 4
            if series:
                wd = t0.weekday()
                until = (t0 + 20 * WEEK).strftime(fmt) + "Z"
                if kind == 0:
                    ev.append("RRULE:FREQ=WEEKLY;BYDAY=%s,%s;COUNT=12" % (DAYS[wd], DAYS[(wd + 3) % 7]))
                elif kind == 1:
                    ev.append("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=%s;UNTIL=%s" % (DAYS[wd], until))
                elif kind == 2:
                    ev.append("RRULE:FREQ=MONTHLY;BYDAY=%d%s;COUNT=6" % ((t0.day - 1) // 7 + 1, DAYS[wd]))
                else:
                    ev.append("RRULE:FREQ=MONTHLY;BYMONTHDAY=%d;UNTIL=%s" % (t0.day, until))
                if kind < 2:
                    ev.append("EXDATE;TZID=%s:%s" % (zone, (t0 + (2 if kind else 1) * WEEK).strftime(fmt)))
            for trig in ("-P1D", "-PT2H"):
                ev += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder",
                       "TRIGGER:" + trig, "END:VALARM"]
            ev.append("END:VEVENT")
            f.write(b"".join(fold(l) for l in ev))
            i += 1
            if series and kind < 2 and i % 30 == 1 and i < n:   # move an occurrence
                orig = t0 + (4 if kind else 2) * WEEK
                ov = ["BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261101T120000Z",
                      "RECURRENCE-ID;TZID=%s:%s" % (zone, orig.strftime(fmt)),
                      "DTSTART;TZID=%s:%s" % (zone, (orig + HOUR).strftime(fmt)),
                      "DTEND;TZID=%s:%s" % (zone, (orig + 2 * HOUR).strftime(fmt)),
                      "SUMMARY:Visit (moved)", "SEQUENCE:1", "END:VEVENT"]
                f.write(b"".join(fold(l) for l in ov))
                i += 1
        f.write(fold("END:VCALENDAR"))


main()
