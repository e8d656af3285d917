#!/usr/bin/env bash
# E on the screen is the same export as the command line: the same
# defaults give the same file; it asks before replacing a file, never
# writes through a symbolic link, leaves a private file, and when the
# write fails keeps the old file and leaves no temporary file.  I shows the
# import summary in the command line's words.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
must patient add --name "Chen, Wei" >/dev/null
must appt add --patient 1 --start "2026-12-01 09:00" --title "Cardiology follow-up" \
	--location "Heart Center" --notes "Fast 12 hours before." --tz America/New_York >/dev/null
must appt add --patient 1 --start "2026-11-02 09:00" --title "Last month" >/dev/null
must appt add --patient 1 --start "2031-06-01 09:00" --title "Far ahead" >/dev/null
mkdir "$T/out"

# DTSTAMP is the moment of writing: the rest must be the same
stamped() { grep -v '^DTSTAMP:' "$1"; }

# Open E and put PATH in the File field (the last one), keeping the rest.
export_to() {
	keys E
	wait_for 'Export the appointments of Chen, Wei' "${2:-E opens the export form}"
	keys Tab Tab Tab Tab
	for i in $(seq 1 40); do keys BSpace; done
	type_text "$1"
	keys Enter
}

# The same pane, started with a file-size limit (the signal ignored) so
# that a large write fails half way, even for root.
tui_start_limited() {
	tui_start sh -c "'trap \"\" XFSZ; ulimit -f 64; exec \"\$0\"'"
}

tui_start
wait_for 'Chen, Wei' 'the screen opens'
keys E
wait_for 'Export the appointments of Chen, Wei' 'E opens the export form'
like "$(screen)" 'Detail .*minimal' 'its detail is the export default: minimal'
like "$(screen)" 'Reminders .*1d,2h' 'its reminders are the export default: 1d,2h'
like "$(screen)" 'To +x' 'its To is empty'
like "$(screen)" 'the last day; empty: no end' 'which is no end, the export default'
keys Escape
wait_gone 'Export the appointments' 'Esc leaves the form'

# the same file as the command line's, with the same defaults
export_to "$T/out/screen.ics" 'E again'
wait_for "wrote 2 appointments to $T/out/screen.ics" 'the screen writes the file'
run export --patient 1 -o "$T/out/cli.ics"
rc_is 0 'the command line writes the same export'
is "$(stamped "$T/out/screen.ics")" "$(stamped "$T/out/cli.ics")" \
	'screen and command line give the same file for the same patient and day'
is "$(stat -c %a "$T/out/screen.ics")" 600 'the screen writes a private file'

# an existing file: asked first; no keeps it, yes replaces it (0600)
printf 'old\n' >"$T/out/old.ics"
chmod 644 "$T/out/old.ics"
export_to "$T/out/old.ics" 'E for an existing file'
wait_for 'old.ics exists. Replace it\? \(y/n\)' 'the screen asks before replacing a file'
keys n
wait_for 'not exported: .*old.ics is as it was' 'no: not exported'
is "$(cat "$T/out/old.ics")" old 'the file is untouched'
export_to "$T/out/old.ics" 'E for it again'
wait_for 'old.ics exists. Replace it\? \(y/n\)' 'asked again'
keys y
wait_for "wrote 2 appointments to $T/out/old.ics" 'yes: replaced'
is "$(stat -c %a "$T/out/old.ics")" 600 'the result is 0600 although the old file was 0644'
is "$(stamped "$T/out/old.ics")" "$(stamped "$T/out/cli.ics")" 'and is the export'

# a symbolic link is refused, its target untouched
printf 'precious\n' >"$T/victim.txt"
ln -s "$T/victim.txt" "$T/out/link.ics"
export_to "$T/out/link.ics" 'E onto a symbolic link'
wait_for 'link.ics is a symbolic link' 'is refused with a message'
is "$(cat "$T/victim.txt")" precious "the link's target is untouched"
ok 'the link is still a link' test -L "$T/out/link.ics"
is "$(ls -A "$T/out" | sort | tr '\n' ' ')" 'cli.ics link.ics old.ics screen.ics ' 'no temporary file is left'
keys q
wait_exit
tui_stop

# a write that fails half way keeps the old file
must appt add --patient 1 --start "2026-12-03 09:00" --title "Long notes" \
	--notes "$(head -c 100000 /dev/zero | tr '\0' x)" >/dev/null
before=$(cat "$T/out/old.ics")
tui_start_limited
wait_for 'Chen, Wei' 'the screen opens with a file-size limit'
keys E
wait_for 'Export the appointments of Chen, Wei' 'E'
keys Tab Tab
for i in $(seq 1 10); do keys BSpace; done
type_text full
keys Tab Tab
for i in $(seq 1 40); do keys BSpace; done
type_text "$T/out/old.ics"
keys Enter
wait_for 'old.ics exists. Replace it\? \(y/n\)' 'asked'
keys y
wait_for 'cannot write .*old.ics: File too large' 'a failed write is reported'
is "$(cat "$T/out/old.ics")" "$before" 'the old file is intact'
is "$(ls -A "$T/out" | sort | tr '\n' ' ')" 'cli.ics link.ics old.ics screen.ics ' 'no temporary file is left'
keys q
wait_exit
tui_stop

# I: the summary in the command line's words
cat >"$T/home/c.ics" <<'ICS'
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Clinic//EN
BEGIN:VEVENT
UID:c-1@example.org
DTSTAMP:20261120T120000Z
DTSTART:20261126T150000Z
DTEND:20261126T153000Z
SUMMARY:Dermatology
END:VEVENT
BEGIN:VEVENT
UID:c-2@example.org
SUMMARY:No start
END:VEVENT
END:VCALENDAR
ICS
cli=$(cd "$HOME" && "$CASELOAD" import --dry-run c.ics)
like "$cli" '^c.ics: 2 events: 1 added' 'the command line summary (dry run)'
tui_start
wait_for 'Chen, Wei' 'the screen again'
keys I
wait_for 'Import a calendar' 'I asks for the file'
type_text '~/c.ics'
keys Enter
wait_for 'c.ics: 2 events: 1 added' 'the summary shows'
scr=$(screen)
for line in "$(printf '%s\n' "$cli" | sed -n 1p)" "$(printf '%s\n' "$cli" | sed -n 2p | sed 's/^ *//')"; do
	like "$scr" "$(printf '%s' "${line#*c.ics}" | sed 's/[][().*^$|?+{}\\]/\\&/g')" "the screen says it as the command line does: ${line:0:40}"
done
keys Escape
wait_gone 'Import' 'Esc closes the summary'

# I: refusals name the file and line, never the file's text
printf 'Chen Wei:x:1000:1000:MRN 4471:/home/chen:/bin/sh\n' >"$T/home/passwd"
keys I
wait_for 'Import a calendar' 'I again'
type_text '~/passwd'
keys Enter
wait_for '~/passwd:1: expected BEGIN:VCALENDAR' 'a file that is not a calendar is refused by name and line'
unlike "$(screen)" 'MRN 4471|/bin/sh' "without the file's text"
keys I
wait_for 'Import a calendar' 'I once more'
type_text '~/nope.ics'
keys Enter
wait_for 'cannot open ~/nope.ics: No such file' 'a missing file is named as typed'
keys q
wait_exit
tui_stop
done_testing
