#!/usr/bin/python3
"""ics_instants.py FILE FROM TO: the occurrences of every VEVENT of an
iCalendar file as python-icalendar sees them (expanded by
recurring_ical_events, both from Debian), one line per occurrence
starting in [FROM, TO) (dates, YYYY-MM-DD, taken in UTC), sorted:

  UID <tab> RECURRENCE-ID <tab> START <tab> END

the same lines as ics-instants.js prints through ical.js: RECURRENCE-ID
is "-" for an event that does not recur, times are UTC
(2026-12-01T14:00:00Z), all-day dates are YYYY-MM-DD.

python-icalendar reads leniently: a line it cannot parse goes into the
component's `errors`, a TZID it cannot resolve gives a floating time.
Each of those, and a file it refuses, is reported on standard error
("FILE: ...") and the exit status is 1; a usage error exits 2.
"""
import datetime
import re
import sys

import icalendar
import recurring_ical_events

UTC = datetime.timezone.utc
TIME_PROPS = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE", "DUE")


def usage():
    sys.stderr.write("usage: ics_instants.py FILE FROM TO (dates YYYY-MM-DD)\n")
    sys.exit(2)


def day(arg):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", arg):
        usage()
    return datetime.datetime.strptime(arg, "%Y-%m-%d").replace(tzinfo=UTC)


def show(v):
    """A time as printed: a date, or the UTC instant."""
    if isinstance(v, datetime.datetime):
        return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return v.isoformat()


def instant(v):
    """What a time sorts by (a date at UTC midnight)."""
    if isinstance(v, datetime.datetime):
        return v.astimezone(UTC)
    return datetime.datetime(v.year, v.month, v.day, tzinfo=UTC)


def values(prop):
    """The decoded values of a property (one, or a list of them)."""
    for p in prop if isinstance(prop, list) else [prop]:
        if hasattr(p, "dts"):     # EXDATE and RDATE: a list per line
            for v in p.dts:
                yield p, v.dt
        else:
            yield p, p.dt


def check_times(ev, where, tzids, problems):
    """Every time of an event has the zone its TZID names, defined by a
    VTIMEZONE of the file; none floats."""
    for name in TIME_PROPS:
        if name not in ev:
            continue
        for prop, v in values(ev[name]):
            tzid = prop.params.get("TZID")
            if tzid is not None and str(tzid) not in tzids:
                problems.append("%s: %s has TZID=%s, which no VTIMEZONE defines" % (where, name, tzid))
            elif isinstance(v, tuple):   # an RDATE period
                v = v[0]
            if not isinstance(v, datetime.datetime):
                continue
            if v.tzinfo is None:
                problems.append("%s: %s is a floating time (%s)" % (
                    where, name, "TZID=%s not resolved" % tzid if tzid else "no zone, no Z"))
            elif tzid is not None and getattr(v.tzinfo, "zone", str(tzid)) != str(tzid):
                problems.append("%s: %s TZID=%s was read as %s" % (where, name, tzid, v.tzinfo.zone))


def check_event(ev, where, problems):
    for need in ("UID", "DTSTAMP", "DTSTART"):
        if need not in ev:
            problems.append("%s: no %s" % (where, need))
    if "DTEND" in ev and "DURATION" in ev:
        problems.append("%s: both DTEND and DURATION" % where)
    if "DTSTART" in ev and "DTEND" in ev:
        s, e = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if isinstance(s, datetime.datetime) != isinstance(e, datetime.datetime):
            problems.append("%s: DTSTART and DTEND are not the same value type" % where)
        elif isinstance(s, datetime.datetime) and (s.tzinfo is None) != (e.tzinfo is None):
            pass   # reported as floating
        elif e < s:
            problems.append("%s: DTEND is before DTSTART" % where)


def check(cal, problems):
    if cal.name != "VCALENDAR":
        problems.append("the file is a %s, not a VCALENDAR" % cal.name)
        return set()
    for need in ("PRODID", "VERSION"):
        if need not in cal:
            problems.append("VCALENDAR: no %s" % need)
    if str(cal.get("VERSION", "")) != "2.0":
        problems.append("VCALENDAR: VERSION is not 2.0")
    for comp in cal.walk():
        for err in comp.errors:
            problems.append("%s: python-icalendar cannot read %s" % (comp.name, err))
    tzids = set()
    for vtz in cal.walk("VTIMEZONE"):
        tzid = str(vtz.get("TZID", ""))
        if not tzid:
            problems.append("a VTIMEZONE has no TZID")
        elif tzid in tzids:
            problems.append("VTIMEZONE %s is defined twice" % tzid)
        tzids.add(tzid)
        parts = [c for c in vtz.subcomponents if c.name in ("STANDARD", "DAYLIGHT")]
        if not parts:
            problems.append("VTIMEZONE %s has neither STANDARD nor DAYLIGHT" % tzid)
        for part in parts:
            for need in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                if need not in part:
                    problems.append("VTIMEZONE %s: a %s has no %s" % (tzid, part.name, need))
    masters = set()
    for i, ev in enumerate(cal.walk("VEVENT")):
        where = "VEVENT %d (UID %s)" % (i + 1, ev.get("UID", ""))
        check_event(ev, where, problems)
        check_times(ev, where, tzids, problems)
        if "RECURRENCE-ID" not in ev:
            uid = str(ev.get("UID", ""))
            if uid in masters:
                problems.append("%s: a second event with the same UID and no RECURRENCE-ID" % where)
            masters.add(uid)
    return tzids


def main():
    if len(sys.argv) != 4:
        usage()
    path, lo, hi = sys.argv[1], day(sys.argv[2]), day(sys.argv[3])
    problems = []
    lines = []
    try:
        with open(path, "rb") as f:
            cal = icalendar.Calendar.from_ical(f.read())
        check(cal, problems)
        if not problems:
            # recurring_ical_events compares in each event's own zone and
            # keeps what overlaps the span: ask for a wider one and keep
            # what starts in the window.
            margin = datetime.timedelta(days=2)
            recurring = {str(ev["UID"]) for ev in cal.walk("VEVENT")
                         if "RRULE" in ev or "RDATE" in ev or "RECURRENCE-ID" in ev}
            for occ in recurring_ical_events.of(cal).between(
                    (lo - margin).replace(tzinfo=None), (hi + margin).replace(tzinfo=None)):
                uid = str(occ["UID"])
                start = occ.decoded("DTSTART")
                end = occ.decoded("DTEND") if "DTEND" in occ else start
                if not lo <= instant(start) < hi:
                    continue
                if "RECURRENCE-ID" in occ:
                    rid = show(occ.decoded("RECURRENCE-ID"))
                elif uid in recurring:
                    rid = show(start)
                else:
                    rid = "-"
                lines.append("\t".join((uid, rid, show(start), show(end))))
    except Exception as e:   # any refusal of either library is a finding
        problems.append("python-icalendar cannot read it: %s: %s" % (type(e).__name__, e))
    if problems:
        for p in problems:
            sys.stderr.write("%s: %s\n" % (path, p))
        sys.exit(1)
    for line in sorted(lines):
        print(line)


main()
