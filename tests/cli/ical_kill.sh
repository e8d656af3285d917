#!/usr/bin/env bash
# A process killed (SIGKILL) in the middle of a large import leaves the
# database as it was before: while it reads the file it only stages rows
# that nothing lists, and `check` drops them (import_stage.sh kills it at
# each phase, after the file was read too).  The kill needs a
# file long enough to catch the import in the middle (20,000 events); what
# runs to the end uses 2,000.
. "$(dirname "$0")/../lib.sh"

/usr/bin/python3 "$top/bench/ical_gen.py" 20000 "$T/big.ics"
ok "a 20000-event file was generated" test -s "$T/big.ics"
/usr/bin/python3 "$top/bench/ical_gen.py" 2000 "$T/2k.ics"
ok "a 2000-event file was generated" test -s "$T/2k.ics"
run init
must patient add --name "Chen, Wei" >/dev/null
must appt add --patient 1 --start "2026-12-01 09:00" --title "Before the import" >/dev/null
audit_before=$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM audit')

"$CASELOAD" import "$T/big.ics" >"$T/import.out" 2>&1 &
pid=$!
# wait until it has read 40% of the file (the position of its file
# descriptor in /proc): the commit comes only after the last line
size=$(stat -c %s "$T/big.ics")
pos=0
end=$((SECONDS + $(deadline 60)))
while [ "$SECONDS" -lt "$end" ]; do
	kill -0 "$pid" 2>/dev/null || break
	for fd in /proc/"$pid"/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$T/big.ics" ] || continue
		pos=$(awk '/^pos:/ { print $2 }' /proc/"$pid"/fdinfo/"${fd##*/}" 2>/dev/null || echo 0)
	done
	[ "${pos:-0}" -gt $((size * 4 / 10)) ] && break
	sleep 0.02
done
still=0
kill -0 "$pid" 2>/dev/null || still=$?
kill -9 "$pid" 2>/dev/null || true
status=0
wait "$pid" 2>/dev/null || status=$?
is "$still" 0 "the import was still running when killed"
is "$status" 137 "it died of SIGKILL"
ok "it had read 40% of the file, far from the end (read $pos of $size bytes)" \
	test "${pos:-0}" -gt $((size * 4 / 10)) -a "${pos:-0}" -lt $((size * 9 / 10))
is "$(cat "$T/import.out")" "" "it printed no summary: it had not committed"

run check
rc_is 0 "the database passes its integrity check after the kill"
like "$out" "import: dropped 1 import" "check drops what the killed import staged"
is "$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM appointment')" 1 "no appointment of the killed import is there"
is "$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM audit')" "$audit_before" "no audit row either"
run appt list --format tsv
like "$out" "Before the import" "what was there before is intact"

head -c "$(($(stat -c %s "$T/2k.ics") / 2))" "$T/2k.ics" >"$T/cut.ics"
run import "$T/cut.ics"
rc_is 1 "a file cut in the middle is refused"
is "$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM appointment')" 1 "and leaves the database unchanged"

# run to the end on a terminal (script(1) gives it one): a file over 512 KiB
# shows its progress from the first event, however fast the machine
if command -v script >/dev/null; then
	tty_out=$(script -qec "'$CASELOAD' import '$T/2k.ics'" /dev/null | tr '\r' '\n')
	like "$tty_out" "importing: [0-9]+ events, [0-9]+%" "on a terminal a long import shows its progress"
	like "$tty_out" "2000 events: 2000 added" "an import run to the end stores everything"
	unlike "$tty_out" "Sanitizer|runtime error" "no sanitizer report"
else
	skip "on a terminal a long import shows its progress" "no script(1)"
	run import "$T/2k.ics"
	like "$out" "2000 events: 2000 added" "an import run to the end stores everything"
fi
run import "$T/2k.ics"
unlike "$err" "importing:" "no progress when standard error is not a terminal"

done_testing
