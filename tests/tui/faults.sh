#!/usr/bin/env bash
# Faults in the screen: the database stops taking writes mid-session
# (another program holds the write lock; for root, the file is made
# immutable with chattr +i, since root writes through chmod 0400) and the
# disk fills during an import (a file size limit; caseload ignores
# SIGXFSZ).  Each time the status line says what happened, nothing is
# half-written, and the screen keeps running: the same key works once the
# fault is gone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

run init
p=$(must patient add --name "Wong, Wei")
for title in "Order a walker" "Call the pharmacy" "Book a ride" "Send the forms"; do
	must task add --patient "$p" --title "$title" --kind other --due today >/dev/null
done
/usr/bin/python3 "$top/bench/ical_gen.py" 2000 "$T/big.ics"

# What a failed write could have touched: the open tasks, the audit, the appointments.
state() {
	sqlite3 "$CASELOAD_DB" "SELECT (SELECT count(*) FROM task WHERE status = 'completed') || ' ' ||
		(SELECT count(*) FROM audit WHERE action NOT IN ('read', 'list', 'review', 'export')) || ' ' ||
		(SELECT count(*) FROM appointment)"   # what was changed, not what was looked at
}
# Another program may take the write lock now (none holds it).
lock_free() { sqlite3 "$CASELOAD_DB" "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1; }
lock_held() { ! lock_free; }

tui_start
wait_for 'Caseload by need' 'the screen opens'
keys 3
wait_for 'Order a walker' 'the task queue'

# ---- another program holds the write lock ----
before=$(state)
mkfifo "$T/lock.in"
sqlite3 "$CASELOAD_DB" <"$T/lock.in" >/dev/null 2>&1 &
holder=$!
exec 4>"$T/lock.in"
echo "BEGIN IMMEDIATE;" >&4
ok 'another program holds the write lock' poll_until lock_held
keys x
wait_for 'the database is busy \(another caseload is writing\); nothing was changed, try again' \
	'x while the lock is held: the status line says so'
is "$(state)" "$before" 'nothing was written'
echo "COMMIT;" >&4
exec 4>&-
wait "$holder"
keys x
wait_for 'done: ' 'the lock released, the same key completes the task: the screen kept running'
is "$(state | cut -d' ' -f1)" 1 'one task is done'

# ---- the database made read-only under the screen (root: chattr +i) ----
db=$CASELOAD_DB
if [ "$(id -u)" = 0 ] && [ -e "$db-wal" ] && chattr +i "$db" 2>/dev/null; then
	chattr -i "$db"
	trap 'chattr -i "$db" "$db-wal" 2>/dev/null || true; tui_stop; rm -rf "$T"' EXIT
	before=$(state)
	chattr +i "$db" "$db-wal"
	keys x
	wait_for 'test.db: cannot write the database \((disk I/O error|Operation not permitted|File too large)' \
		'x on a read-only database: the status line says so'
	chattr -i "$db" "$db-wal"
	is "$(state)" "$before" 'nothing was written'
	keys x
	wait_for 'done: ' 'writable again, the same key completes the task'
	is "$(state | cut -d' ' -f1)" 2 'two tasks are done'
else
	skip 'the database made immutable under the screen' 'needs root and chattr'
fi
keys q
wait_exit
rc_is 0 'the screen quits cleanly'

# ---- the disk fills during an import on the screen ----
before=$(state)
# 768 blocks of ulimit: room for the database as it is (some 250 KB, and
# growing a little with each migration) and a small write with its WAL
# frames, not for 2,000 events
tui_start sh -c "'ulimit -f 768; exec \"\$0\"'"
wait_for 'Caseload by need' 'the screen opens with a file size limit'
keys I
wait_for 'Import a calendar' 'I asks for the file'
type_text "$T/big.ics"
keys Enter
wait_for 'test.db: cannot write the database \((disk I/O error|Operation not permitted|File too large)' \
	'an import that cannot write: the status line says so'
is "$(state)" "$before" 'nothing of the import was stored'
run check
like "$out" 'integrity ok' 'the database is intact'
keys 3
wait_for 'Call the pharmacy|Book a ride|Send the forms' 'the screen still answers keys'
# The import is staged in short transactions: the batches it committed
# before the disk filled hold their room until they are dropped, so under
# this limit a write may be refused too, clearly, with nothing stuck.
keys x
wait_for 'done: |cannot write the database' 'a small write is done or refused clearly'
keys q
wait_exit
rc_is 0 'the screen quits cleanly'
# with room again, the next screen writes, and check drops the staged rows
tui_start
wait_for 'Caseload by need' 'the screen opens again with room'
keys 3
wait_for 'Call the pharmacy|Book a ride|Send the forms' 'its tasks are there'
keys x
wait_for 'done: ' 'and a small write works'
keys q
wait_exit
rc_is 0 'that screen quits cleanly'
run check
like "$out" 'integrity ok' 'the database is intact after the write'

done_testing
