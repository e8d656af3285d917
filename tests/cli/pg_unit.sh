#!/usr/bin/env bash
# The store's unit tests again, on PostgreSQL: the fixture opens each store
# as a new database on the server CASELOAD_TEST_PG names (scripts/pgtest.sh
# starts one and sets it) and drops it after; the tests are the same ones
# `make check` runs on SQLite (one copy of each).  Not here: test_store_copy
# (db copy between files; pg_db_copy.sh copies to the server and back) and
# test_query_plans (SQLite's EXPLAIN QUERY PLAN: the server plans by its
# statistics, see store_analyze); test_audit's tests of SQLite's file skip
# themselves.
. "$(dirname "$0")/../lib.sh"

progs=(test_store test_store_view test_patient test_review test_appt test_care test_bulk test_recur
       test_watch test_plan test_audit test_undo test_program test_apcm)
if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	for p in "${progs[@]}"; do
		skip "$p on PostgreSQL" "CASELOAD_TEST_PG is not set (no test server)"
	done
	done_testing
fi

for p in "${progs[@]}"; do
	bin="$BUILD/san/tests/$p"
	if [ ! -x "$bin" ]; then
		ok "$p is built" test -x "$bin"
		continue
	fi
	code=0
	CASELOAD_TEST_ENGINE=pg CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$T/$p.tap" 2>&1 || code=$?
	# cmocka writes a skipped test as "not ok N # SKIP"
	passed=$(grep '^ok [0-9]' "$T/$p.tap" | grep -vc '# SKIP' || true)
	failed=$(grep '^not ok' "$T/$p.tap" | grep -vc '# SKIP' || true)
	if [ "$code" != 0 ] || [ "$failed" != 0 ]; then
		sed 's/^/#   /' "$T/$p.tap" | tail -40 >&3
	fi
	ok "$p on PostgreSQL: $passed passed, $failed failed" \
		test "$code" = 0 -a "$failed" = 0 -a "$passed" -gt 0
done

# nothing left behind on the server
left=$(psql "$CASELOAD_TEST_PG" -Atc "SELECT count(*) FROM pg_database WHERE datname LIKE 'caseload_unit_%'")
is "$left" 0 "every test database was dropped"

done_testing
