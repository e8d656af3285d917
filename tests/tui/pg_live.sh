#!/usr/bin/env bash
# Live screens on PostgreSQL: two screens open on one server database each
# hold a listening session (LISTEN caseload); a patient added from the
# command line and a task added in one screen appear in the other without
# a key pressed there (tests/unit/test_watch.c: what a session's own
# commits send is left out).  Needs CASELOAD_TEST_PG (scripts/pgtest.sh):
# skipped without.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_live_$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
on_db() { psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
sock_a="" sock_b=""
cleanup() {
	for s in "$sock_a" "$sock_b"; do
		[ -z "$s" ] || tmux -L "$s" kill-server 2>/dev/null || true
	done
	admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
admin "CREATE DATABASE $db"
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
must init >/dev/null
must patient add --name "Alpha, Ann" --dob 1950-01-02 --risk high >/dev/null

triggers=$(on_db "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%\_live'")
like "$triggers" '^1[0-9]$' "the tables the screen shows notify ($triggers triggers)"

# Two screens, each in its own tmux server (tui-lib drives $SOCK).
tui_err="$T/a.err" tui_rc="$T/a.rc"
tui_start
sock_a=$SOCK
wait_for 'Alpha, Ann' 'screen A shows the caseload'
tui_err="$T/b.err" tui_rc="$T/b.rc"
tui_start
sock_b=$SOCK
trap cleanup EXIT
wait_for 'Alpha, Ann' 'screen B shows the caseload'

listeners() {
	on_db "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
	       AND query = 'LISTEN caseload'"
}
two_listen() { [ "$(listeners)" -ge 2 ]; }
ok "each screen holds a listening session" poll_until two_listen

# A patient added from the command line shows on both, no key pressed.
must patient add --name "Bravo, Bea" --dob 1960-03-04 --risk high >/dev/null
SOCK=$sock_a wait_for 'Bravo, Bea' 'a patient added by the command line appears on screen A'
SOCK=$sock_b wait_for 'Bravo, Bea' 'and on screen B'

# A task added with screen A's form appears in screen B's team queue.
SOCK=$sock_b wait_for 'Tasks: Team \(all patients\)' "screen B's queue shows the team's tasks"
SOCK=$sock_a
keys 3 p
wait_for 'Tasks: Alpha, Ann|Tasks: Bravo, Bea' "screen A's queue shows the selected patient"
keys +
wait_for 'New task for' 'the task form opens on screen A'
type_text 'Bring the scale to the visit'
keys Enter
wait_for 'task added: Bring the scale to the visit' 'screen A saves the task'
SOCK=$sock_b wait_for 'Bring the scale' 'the task appears on screen B'

for s in "$sock_a" "$sock_b"; do
	SOCK=$s
	keys q
done
tui_err="$T/a.err" tui_rc="$T/a.rc" wait_exit
rc_is 0 "screen A ends cleanly"
tui_err="$T/b.err" tui_rc="$T/b.rc" wait_exit
rc_is 0 "screen B ends cleanly"

done_testing
