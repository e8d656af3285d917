#!/usr/bin/env bash
# Why caseload does not retry serialization failures on PostgreSQL: no
# write of caseload can meet one.  Every write transaction is READ
# COMMITTED (the server raises 40001 only at REPEATABLE READ or above) and
# takes one advisory lock first, so writers run one at a time and never
# wait for each other's row locks (no 40P01 deadlock); reads run at
# REPEATABLE READ and write nothing there but this session's temporary
# table.  Here four writers and two readers run at once on the same
# rows: the audit chain's head (every change and every recorded read
# updates it), one patient assigned over and over, marks and notes on the
# same patients, while others list and review; every command succeeds,
# none is told the database is busy (caseload's message for 40001,
# 40P01 and 55P03), the server counts no deadlock, and every row written
# is there with the audit chain whole.  Needs CASELOAD_TEST_PG
# (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
pg_scratch writers
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
must init >/dev/null
me=$(on_db "SELECT session_user")
must team add "$me" --name "Writer, Test" >/dev/null
for i in 1 2 3 4; do
	must patient add --name "Shared, Patient$i" >/dev/null
done
deadlocks() { on_db "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"; }
dl0=$(deadlocks)
rounds=12

writer() {   # writer K: each round a note, a mark, an assignment, a task
	local k=$1 i p
	for ((i = 1; i <= rounds; i++)); do
		p=$((i % 4 + 1))
		"$CASELOAD" note add --patient "$p" --text "w$k round $i" >/dev/null || return 1
		"$CASELOAD" review mark "$p" >/dev/null || return 1
		"$CASELOAD" patient assign 1 "$me" >/dev/null || return 1
		"$CASELOAD" task add --patient "$p" --title "w$k task $i" --due today >/dev/null || return 1
	done
}
reader() {   # reader K: listings and the review, each read recorded in the audit
	local i
	for ((i = 1; i <= rounds / 2; i++)); do
		"$CASELOAD" review --team >/dev/null || return 1
		"$CASELOAD" task list >/dev/null || return 1
		"$CASELOAD" patient show 1 >/dev/null || return 1
	done
}

pids=()
for k in 1 2 3 4; do
	writer "$k" 2>"$T/w$k.err" &
	pids+=($!)
done
for k in 1 2; do
	reader "$k" 2>"$T/r$k.err" &
	pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
	wait "$p" || failed=$((failed + 1))
done
is "$failed" 0 "four writers and two readers at once: every command succeeds"
is "$(cat "$T"/w*.err "$T"/r*.err)" "" "none is refused as busy, or says anything on stderr"
is "$(deadlocks)" "$dl0" "the server counts no deadlock"
is "$(on_db "SELECT count(*) FROM entry WHERE text LIKE 'w_ round %'")" $((4 * rounds)) \
	"every note is there"
is "$(on_db "SELECT count(*) FROM task WHERE title LIKE 'w_ task %'")" $((4 * rounds)) \
	"every task is there"
is "$(on_db "SELECT version FROM patient WHERE id = 1")" $((4 * rounds + 1)) \
	"the patient assigned by all four went through every version, one at a time"
run audit verify
rc_is 0 "the audit chain is whole"
like "$out" "audit chain ok" "and says so"

done_testing
