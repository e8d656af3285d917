#!/usr/bin/env bash
# export's defaults and safety, and what an import says when it refuses a
# file: the defaults are the ones for a caregiver's phone (from today on,
# minimal detail, reminders 1d and 2h); -o never writes through a symbolic
# link, replaces a file only with --force, leaves a private file whatever
# the old one's mode, and when the
# write fails keeps the old file and leaves no temporary file behind; an
# import error names the file and line but never echoes the file's text.
. "$(dirname "$0")/../lib.sh"

run init
must patient add --name "Chen, Wei" >/dev/null
must appt add --patient 1 --start "2026-12-01 09:00" --title "Cardiology follow-up" \
	--location "Heart Center" --notes "Fast 12 hours before." >/dev/null
must appt add --patient 1 --start "2026-11-02 09:00" --title "Last month" >/dev/null
must appt add --patient 1 --start "2031-06-01 09:00" --title "Far ahead" >/dev/null

# ---- the defaults ----
run export --patient 1
rc_is 0 "export with no options"
is "$(printf '%s\n' "$out" | grep -c '^BEGIN:VEVENT')" 2 "from today on, with no end (not last month; five years ahead included)"
is "$(printf '%s\n' "$out" | grep -c '^SUMMARY:Appointment')" 2 "minimal detail by default: a generic title"
unlike "$out" "Cardiology|Fast 12|X-CASELOAD-PATIENT|Chen" "no title, notes or patient by default"
like "$out" "X-CASELOAD-DETAIL:minimal" "marked minimal"
is "$(printf '%s\n' "$out" | grep -c '^TRIGGER:-P1D')" 2 "a reminder a day before"
is "$(printf '%s\n' "$out" | grep -c '^TRIGGER:-PT2H')" 2 "and two hours before"
run export --patient 1 --detail full
like "$out" "SUMMARY:Cardiology follow-up" "--detail full gives the title"
run export --patient 1 --from 2026-12-02 --to 2026-12-01
rc_is 2 "a range that ends before it begins is a usage error"
like "$err" "the last day is before the first" "saying so"

# ---- over a symbolic link ----
printf 'precious\n' >"$T/victim.txt"
ln -s "$T/victim.txt" "$T/link.ics"
run export --patient 1 -o "$T/link.ics"
rc_is 2 "-o onto a symbolic link is refused"
run export --patient 1 -o "$T/link.ics" --force
rc_is 2 "also with --force"
like "$err" "link.ics is a symbolic link" "naming it"
is "$(cat "$T/victim.txt")" precious "the link's target is untouched"
ok "the link is still a link" test -L "$T/link.ics"

# ---- over a file anyone can read ----
mkdir "$T/out"
printf 'old\n' >"$T/out/cal.ics"
chmod 644 "$T/out/cal.ics"
run export --patient 1 -o "$T/out/cal.ics"
rc_is 1 "-o does not replace an existing file by itself"
like "$err" "cal.ics exists: give --force to replace it" "naming the file and the option"
is "$(cat "$T/out/cal.ics")" old "the file is untouched"
run export --patient 1 -o "$T/out/cal.ics" --force
rc_is 0 "-o with --force replaces an existing file"
like "$out" "^2 appointments written to $T/out/cal.ics" "says how many and where"
is "$(stat -c %a "$T/out/cal.ics")" 600 "the result is private (0600) although the old file was 0644"
like "$(head -1 "$T/out/cal.ics")" "^BEGIN:VCALENDAR" "and is the calendar"
is "$(ls -A "$T/out")" cal.ics "no temporary file is left"

# ---- where the write fails ----
# A file-size limit makes the write fail half way even for root (as CI
# runs); the signal it raises is ignored so that write() reports EFBIG.
must appt add --patient 1 --start "2026-12-03 09:00" --title "Long notes" \
	--notes "$(head -c 100000 /dev/zero | tr '\0' x)" >/dev/null
before=$(cat "$T/out/cal.ics")
out=$(trap '' XFSZ; ulimit -f 64; "$CASELOAD" export --patient 1 --detail full -o "$T/out/cal.ics" --force 2>"$T/stderr" && echo "rc=0" || echo "rc=$?")
is "${out##*rc=}" 1 "an export that cannot be written fails"
like "$(cat "$T/stderr")" "cannot write $T/out/cal.ics: File too large; the file there is as it was" "naming the file and why"
is "$(cat "$T/out/cal.ics")" "$before" "the old file is intact"
is "$(ls -A "$T/out")" cal.ics "and no temporary file is left"
run export --patient 1 -o "$T/no-such-folder/cal.ics"
rc_is 1 "a folder that does not exist"
like "$err" "cannot write $T/no-such-folder/cal.ics: .*No such file or directory" "is named"
mkdir "$T/out/dir.ics"
run export --patient 1 -o "$T/out/dir.ics"
rc_is 2 "a folder at the path is refused"
like "$err" "dir.ics is not a regular file" "saying so"

# ---- an import error does not echo the file ----
printf 'Chen Wei:x:1000:1000:MRN 4471 diabetes:/home/chen:/bin/sh\n' >"$T/passwd"
run import "$T/passwd"
rc_is 1 "a file that is not a calendar is refused"
like "$err" "^caseload: import: $T/passwd:1: expected BEGIN:VCALENDAR" "naming the file, the line and what was expected"
unlike "$err" "Chen|MRN|diabetes|/bin/sh" "without the file's text"
printf 'BEGIN:VCALENDAR\r\nBEGIN:\r\nEND:VCALENDAR\r\n' >"$T/noname.ics"
run import "$T/noname.ics"
like "$err" "noname.ics:2: a BEGIN or END line without a component name" "a BEGIN without a name, by line"
printf 'BEGIN:Chen,Wei MRN 4471\r\n' >"$T/odd.ics"
run import "$T/odd.ics"
like "$err" "odd.ics:1: BEGIN:.* is not an iCalendar object" "an unknown component is refused"
unlike "$err" "Chen|4471" "without echoing a name that is not a component's"
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM appointment")" 4 "refused files changed nothing"

done_testing
