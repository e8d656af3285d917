#!/usr/bin/python3
"""Write a large synthetic iCalendar file for bench/ical.sh: N events in
four zones (with their VTIMEZONEs), a weekly series with an EXDATE in
every tenth, a moved occurrence now and then, attendees, two VALARMs
each, and long UTF-8 descriptions folded at 75 octets.  Deterministic.
With --mixed: a dozen zones and a third of the events recurring, weekly
and monthly rules with COUNT or UNTIL and BYDAY or BYMONTHDAY, an EXDATE
each and a moved occurrence in every tenth series (issue 12).

usage: ical_gen.py [--mixed] N FILE"""
import datetime
import sys

HOUR = datetime.timedelta(hours=1)
WEEK = datetime.timedelta(days=7)

ZONES = {
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "2", "11"),
    "America/Chicago": ("-0600", "-0500", "CST", "CDT", "2", "11"),
    "Europe/London": ("+0000", "+0100", "GMT", "BST", "-1", "-1"),
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "-1", "-1"),
}
NAMES = list(ZONES)
MORE = {   # --mixed: eight more; None: no daylight time
    "America/Denver": ("-0700", "-0600", "MST", "MDT", "2", "11"),
    "America/Los_Angeles": ("-0800", "-0700", "PST", "PDT", "2", "11"),
    "America/Anchorage": ("-0900", "-0800", "AKST", "AKDT", "2", "11"),
    "America/Phoenix": ("-0700", None, "MST", None, None, None),
    "Pacific/Honolulu": ("-1000", None, "HST", None, None, None),
    "Europe/Paris": ("+0100", "+0200", "CET", "CEST", "-1", "-1"),
    "Europe/Madrid": ("+0100", "+0200", "CET", "CEST", "-1", "-1"),
    "Asia/Tokyo": ("+0900", None, "JST", None, None, None),
}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def fold(line):
    """Fold at 75 octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
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
    std, dst, sn, dn, sm, dm = ZONES[name]
    if dst is None:
        return ["BEGIN:VTIMEZONE", "TZID:" + name, "BEGIN:STANDARD",
                "TZOFFSETFROM:" + std, "TZOFFSETTO:" + std, "TZNAME:" + sn,
                "DTSTART:19700101T000000", "END:STANDARD", "END:VTIMEZONE"]
    eu = sm == "-1"
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


def rule(i, t0):
    """--mixed: the recurrence of event i (a third recur), and its EXDATE."""
    day = DAYS[t0.weekday()]
    until = (t0 + datetime.timedelta(days=60 + (i * 7) % 300)).strftime("%Y%m%dT235959Z")
    count = 6 + i % 21
    kind = (i // 3) % 6
    if kind == 0:
        r = "FREQ=WEEKLY;COUNT=%d;BYDAY=%s,%s" % (count, day, DAYS[(t0.weekday() + 2) % 7])
    elif kind == 1:
        r = "FREQ=WEEKLY;UNTIL=%s;BYDAY=%s" % (until, day)
    elif kind == 2:
        r = "FREQ=MONTHLY;COUNT=%d;BYDAY=%d%s" % (count, (t0.day - 1) // 7 + 1, day)
    elif kind == 3:
        r = "FREQ=MONTHLY;UNTIL=%s;BYDAY=%s" % (until, day)
    elif kind == 4:
        r = "FREQ=WEEKLY;INTERVAL=2;COUNT=%d;BYDAY=%s" % (count, day)
    else:
        r = "FREQ=MONTHLY;UNTIL=%s;BYMONTHDAY=%d" % (until, t0.day)
    return r, t0 + (WEEK if kind in (0, 1, 4) else 4 * WEEK)


def main():
    mixed = sys.argv[1] == "--mixed"
    if mixed:
        ZONES.update(MORE)
        NAMES[:] = list(ZONES)
        del sys.argv[1]
    n, path = int(sys.argv[1]), sys.argv[2]
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
            uid = "bench-%07d@clinic.example.org" % i
            ev = ["BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261101T120000Z",
                  "DTSTART;TZID=%s:%s" % (zone, t0.strftime(fmt)),
                  "DTEND;TZID=%s:%s" % (zone, (t0 + HOUR).strftime(fmt)),
                  "SUMMARY:Visit %d — cardiología, revisión" % i,
                  "LOCATION:Clinic building %d\\, room %d" % (i % 50, i % 300),
                  "DESCRIPTION:Bring the medication list. Llegue 15 minutos antes; "
                  "ayuno de 8 horas. 予約の確認をお願いします。 Ref %d." % i,
                  "ATTENDEE;CN=Patient %d:mailto:p%d@example.org" % (i % 5000, i % 5000),
                  "SEQUENCE:%d" % (i % 3), "STATUS:CONFIRMED"]
            series = i % 3 == 0 if mixed else i % 10 == 0
            if series:
                r, ex = rule(i, t0) if mixed else ("FREQ=WEEKLY;COUNT=10", t0 + WEEK)
                ev += ["RRULE:" + r, "EXDATE;TZID=%s:%s" % (zone, ex.strftime(fmt))]
            for trig in ("-P1D", "-PT2H"):
                ev += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder",
                       "TRIGGER:" + trig, "END:VALARM"]
            ev.append("END:VEVENT")
            f.write(b"".join(fold(l) for l in ev))
            i += 1
            if series and i % (30 if mixed else 100) == 1 and i < n:   # move an occurrence
                orig = t0 if mixed else t0 + 2 * WEEK
                ov = ["BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20261101T120000Z",
                      "RECURRENCE-ID;TZID=%s:%s" % (zone, orig.strftime(fmt)),
                      "DTSTART;TZID=%s:%s" % (zone, (orig + HOUR).strftime(fmt)),
                      "DTEND;TZID=%s:%s" % (zone, (orig + 2 * HOUR).strftime(fmt)),
                      "SUMMARY:Visit (moved)", "SEQUENCE:1", "END:VEVENT"]
                f.write(b"".join(fold(l) for l in ov))
                i += 1
        f.write(fold("END:VCALENDAR"))


main()
