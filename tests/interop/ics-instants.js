#!/usr/bin/env node
// ics-instants.js FILE FROM TO: the occurrences of every VEVENT of an
// iCalendar file as ical.js (Mozilla's reader, the one Thunderbird uses)
// sees them, one line per occurrence starting in [FROM, TO) (dates,
// YYYY-MM-DD, taken in UTC), sorted:
//
//   UID <tab> RECURRENCE-ID <tab> START <tab> END
//
// RECURRENCE-ID is "-" for an event that does not recur; times are UTC
// (2026-12-01T14:00:00Z), all-day dates are YYYY-MM-DD.  ics_instants.py
// prints the same lines through python-icalendar, and tests/cli/
// ical_interop.sh compares the two with caseload's own agenda.
//
// ical.js reads leniently: a TZID without its VTIMEZONE becomes a
// floating time, a value it cannot decode a default, an override whose
// RECURRENCE-ID matches no occurrence is dropped.  Each of those, and a
// parse error, is reported on standard error ("FILE: ...") and the exit
// status is 1; a usage error exits 2.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const [file, fromArg, toArg] = process.argv.slice(2);
const dateArg = /^\d{4}-\d{2}-\d{2}$/;
if (!file || !dateArg.test(fromArg ?? '') || !dateArg.test(toArg ?? '')) {
  process.stderr.write('usage: ics-instants.js FILE FROM TO (dates YYYY-MM-DD)\n');
  process.exit(2);
}
const windowFrom = Date.parse(fromArg + 'T00:00:00Z') / 1000;
const windowTo = Date.parse(toArg + 'T00:00:00Z') / 1000;

const problems = [];
const problem = (what) => problems.push(what);

// A time as printed: a date, or the UTC instant.
function show(t) {
  if (t.isDate) {
    return t.toString();
  }
  return new Date(t.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z');
}

// The instant a time sorts by (a date at UTC midnight).
function instant(t) {
  if (t.isDate) {
    return Date.UTC(t.year, t.month - 1, t.day) / 1000;
  }
  return t.toUnixTime();
}

// Every date or date-time value of a component: each must have the zone
// its TZID names, from a VTIMEZONE of this file; none may float.
const timeProps = ['dtstart', 'dtend', 'recurrence-id', 'exdate', 'rdate', 'due'];
function checkTimes(comp, where, tzids) {
  for (const name of timeProps) {
    for (const prop of comp.getAllProperties(name)) {
      const tzid = prop.getParameter('tzid');
      if (tzid !== undefined && !tzids.has(tzid)) {
        problem(`${where}: ${name.toUpperCase()} has TZID=${tzid}, which no VTIMEZONE defines`);
        continue;
      }
      for (const v of prop.getValues()) {
        const t = v instanceof ICAL.Period ? v.start : v;
        if (!(t instanceof ICAL.Time)) {
          problem(`${where}: ${name.toUpperCase()} is not a date or a date-time`);
        } else if (!t.isDate && tzid !== undefined && t.zone?.tzid !== tzid) {
          problem(`${where}: ${name.toUpperCase()} TZID=${tzid} was not read as that zone`);
        } else if (!t.isDate && tzid === undefined && t.zone !== ICAL.Timezone.utcTimezone) {
          problem(`${where}: ${name.toUpperCase()} is a floating time (no zone, no Z)`);
        }
      }
    }
  }
}

// The properties ical.js does not know and that are not X- extensions.
function checkNames(comp, where) {
  const known = ICAL.design.icalendar.property;
  for (const prop of comp.getAllProperties()) {
    if (!(prop.name in known) && !prop.name.startsWith('x-')) {
      problem(`${where}: unknown property ${prop.name.toUpperCase()}`);
    }
  }
  for (const sub of comp.getAllSubcomponents()) {
    checkNames(sub, `${where} ${sub.name.toUpperCase()}`);
  }
}

function checkZones(cal) {
  const tzids = new Set();
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    const tzid = vtz.getFirstPropertyValue('tzid');
    const where = `VTIMEZONE ${tzid}`;
    if (!tzid) {
      problem('a VTIMEZONE has no TZID');
      continue;
    }
    if (tzids.has(tzid)) {
      problem(`${where} is defined twice`);
    }
    tzids.add(tzid);
    const parts = vtz.getAllSubcomponents().filter((c) => c.name === 'standard' || c.name === 'daylight');
    if (parts.length === 0) {
      problem(`${where} has neither STANDARD nor DAYLIGHT`);
    }
    for (const part of parts) {
      for (const need of ['dtstart', 'tzoffsetfrom', 'tzoffsetto']) {
        if (!part.hasProperty(need)) {
          problem(`${where}: a ${part.name.toUpperCase()} has no ${need.toUpperCase()}`);
        }
      }
    }
  }
  return tzids;
}

function checkEvent(ev, where) {
  for (const need of ['uid', 'dtstamp', 'dtstart']) {
    if (!ev.hasProperty(need)) {
      problem(`${where}: no ${need.toUpperCase()}`);
    }
  }
  if (ev.hasProperty('dtend') && ev.hasProperty('duration')) {
    problem(`${where}: both DTEND and DURATION`);
  }
  const start = ev.getFirstPropertyValue('dtstart');
  const end = ev.getFirstPropertyValue('dtend');
  if (start && end) {
    if (start.isDate !== end.isDate) {
      problem(`${where}: DTSTART and DTEND are not the same value type`);
    } else if (end.compare(start) < 0) {
      problem(`${where}: DTEND is before DTSTART`);
    }
  }
  if (start) {   // RFC 5545 3.8.5.1, 3.8.4.4: the value type of DTSTART
    for (const name of ['exdate', 'rdate', 'recurrence-id']) {
      for (const prop of ev.getAllProperties(name)) {
        for (const v of prop.getValues()) {
          if (v instanceof ICAL.Time && v.isDate !== start.isDate) {
            problem(`${where}: ${name.toUpperCase()} is not of DTSTART's value type`);
          }
        }
      }
    }
  }
  for (const prop of ev.getAllProperties('rrule')) {
    const r = prop.getFirstValue();
    if (!(r instanceof ICAL.Recur) || !r.freq) {
      problem(`${where}: an RRULE ical.js cannot read`);
    }
  }
}

// The occurrences of one event (a master with its overrides, or a lone
// override) starting in the window.  Expansion runs from DTSTART until
// the occurrences pass the end of the window by more than any override
// moves one.
function occurrences(event, where, lines) {
  const uid = event.uid;
  if (!event.isRecurring()) {
    const rid = event.isRecurrenceException() ? show(event.recurrenceId) : '-';
    const s = event.startDate;
    if (instant(s) >= windowFrom && instant(s) < windowTo) {
      lines.push([uid, rid, show(s), show(event.endDate)].join('\t'));
    }
    return;
  }
  const used = new Set();
  let slack = 0;
  for (const [key, ex] of Object.entries(event.exceptions)) {
    slack = Math.max(slack, Math.abs(instant(ex.startDate) - instant(ex.recurrenceId)));
    if (ex.recurrenceId.isDate !== event.startDate.isDate) {
      problem(`${where}: RECURRENCE-ID ${show(ex.recurrenceId)} is not of the series' DTSTART value type`);
      used.add(key);
    }
  }
  const it = event.iterator();
  let next;
  let n = 0;
  while ((next = it.next())) {
    if (instant(next) >= windowTo + slack) {
      break;
    }
    if (++n > 100000) {
      problem(`${where}: more than 100000 occurrences before the end of the window`);
      break;
    }
    const d = event.getOccurrenceDetails(next);
    if (d.item !== event) {
      used.add(d.item.recurrenceId.toString());
    }
    const s = d.startDate;
    if (instant(s) >= windowFrom && instant(s) < windowTo) {
      lines.push([uid, show(d.recurrenceId), show(s), show(d.endDate)].join('\t'));
    }
  }
  for (const [key, ex] of Object.entries(event.exceptions)) {
    const rid = instant(ex.recurrenceId);
    if (!used.has(key) && (it.complete || rid < windowTo)) {
      problem(`${where}: the override RECURRENCE-ID ${show(ex.recurrenceId)} is no occurrence of the series`);
    }
  }
}

function read(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  if (cal.name !== 'vcalendar') {
    problem(`the file is a ${cal.name.toUpperCase()}, not a VCALENDAR`);
    return [];
  }
  for (const need of ['prodid', 'version']) {
    if (!cal.hasProperty(need)) {
      problem(`VCALENDAR: no ${need.toUpperCase()}`);
    }
  }
  if (cal.getFirstPropertyValue('version') !== '2.0') {
    problem('VCALENDAR: VERSION is not 2.0');
  }
  checkNames(cal, 'VCALENDAR');
  const tzids = checkZones(cal);

  // events by UID: the master (no RECURRENCE-ID) and its overrides
  const byUid = new Map();
  cal.getAllSubcomponents('vevent').forEach((ev, i) => {
    const uid = ev.getFirstPropertyValue('uid') ?? '';
    const where = `VEVENT ${i + 1} (UID ${uid})`;
    checkEvent(ev, where);
    checkTimes(ev, where, tzids);
    if (!byUid.has(uid)) {
      byUid.set(uid, { master: null, overrides: [] });
    }
    const g = byUid.get(uid);
    if (!ev.hasProperty('recurrence-id')) {
      if (g.master) {
        problem(`${where}: a second event with the same UID and no RECURRENCE-ID`);
      }
      g.master = ev;
    } else {
      const rid = ev.getFirstProperty('recurrence-id').getFirstValue().toString();
      if (g.overrides.some((o) => o.getFirstProperty('recurrence-id').getFirstValue().toString() === rid)) {
        problem(`${where}: a second override of the same occurrence`);
      }
      g.overrides.push(ev);
    }
  });
  const lines = [];
  for (const [uid, g] of byUid) {
    const where = `UID ${uid}`;
    if (!g.master) {   // overrides sent without their series
      g.overrides.forEach((o) => occurrences(new ICAL.Event(o), where, lines));
      continue;
    }
    const event = new ICAL.Event(g.master, { strictExceptions: true, exceptions: g.overrides });
    if (!event.isRecurring() && g.overrides.length) {
      problem(`${where}: overrides of an event that does not recur`);
    }
    occurrences(event, where, lines);
  }
  return lines;
}

let lines = [];
try {
  lines = read(readFileSync(file, 'utf8'));
} catch (e) {
  problem(`ical.js cannot read it: ${e.message}`);
}
if (problems.length) {
  for (const p of problems) {
    process.stderr.write(`${file}: ${p}\n`);
  }
  process.exit(1);
}
lines.sort();
if (lines.length) {
  process.stdout.write(lines.join('\n') + '\n');
}
