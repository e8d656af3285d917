#!/usr/bin/env bash
# Scripts of the suite run again on PostgreSQL: the review's, the task
# queue's, the dates', the appointments', the contacts', the imports' and
# exports' commands, and the screen's (in tmux).  Each runs unchanged,
# from a copy of tests/ whose lib.sh points CASELOAD_DB at a new database
# on the server CASELOAD_TEST_PG names instead of a file (one database per
# script, dropped after it); a script's own queries (sqlite3 "$CASELOAD_DB"
# SQL) go to that database through psql.  A script passes when all its
# tests pass and the server's database has audit rows (it was the one
# written).  Not in the list: scripts that copy or inspect the SQLite file
# itself (its mode, cp of it: import_stage.sh, stream.sh), use SQLite's own
# SQL or Python's sqlite3 (template_apply.sh), act as another --user
# (team.sh: pg_team.sh is its PostgreSQL form) or expect SQLite's NOCASE
# order of accented names (patient_search.sh: ICU sorts them as a person
# would).
# `pg_suite.sh --list` prints the list: scripts/run-tests.sh runs each
# entry as a program of its own (pg/cli/x), side by side with the others.
scripts=(cli/billing cli/review_tasks cli/review_appts cli/review_cadence cli/review_ccm cli/review_tcm
         cli/review_noshow cli/review_refill cli/review_filter cli/review_golden cli/review_cli
         cli/calls cli/task cli/dates cli/appt cli/contact cli/ical_import cli/ical_export cli/records
         cli/program cli/review_kept cli/review_days cli/review_batches
         tui/review tui/review_skip tui/review_agree tui/review_card tui/review_place tui/patient_row
         tui/discharge_task tui/series tui/timeline_days tui/hints tui/prompt tui/screen
         tui/export tui/ical cli/adt_import tui/calls)
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${scripts[@]}"
	exit 0
fi
. "$(dirname "$0")/../lib.sh"
# (PG_SUITE_SCRIPTS="cli/x tui/y" runs those instead, to try one)
# shellcheck disable=SC2206
[ -z "${PG_SUITE_SCRIPTS:-}" ] || scripts=($PG_SUITE_SCRIPTS)
if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	for s in "${scripts[@]}"; do
		skip "$s.sh on PostgreSQL" "CASELOAD_TEST_PG is not set (no test server)"
	done
	done_testing
fi
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
current=""
cleanup() {
	[ -z "$current" ] || admin "DROP DATABASE IF EXISTS $current WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT

tree="$T/tree"
mkdir -p "$tree/tests/cli" "$tree/tests/tui"
cp "$top"/tests/cli/*.sh "$top"/tests/cli/*.inc "$tree/tests/cli/"
cp "$top"/tests/tui/*.sh "$tree/tests/tui/"
cp "$top/tests/tui-lib.sh" "$tree/tests/"
ln -s "$top/tests/data" "$tree/tests/data"
ln -s "$top/tests/interop" "$tree/tests/interop"
ln -s "$top/data" "$tree/data"
ln -s "$top/bench" "$tree/bench"
# shellcheck disable=SC2016 # the line as lib.sh has it, $T unexpanded
file_line='export CASELOAD_DB="$T/test.db"'
# shellcheck disable=SC2016
pg_line='export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$PG_SUITE_DB"'
awk -v from="$file_line" -v to="$pg_line" '$0 == from { print to; n++; next } { print }
	END { exit n == 1 ? 0 : 1 }' "$top/tests/lib.sh" >"$tree/tests/lib.sh"
ok "lib.sh has the line that names the database" test -s "$tree/tests/lib.sh"
# a script's own look at the database (sqlite3 "$CASELOAD_DB" "SELECT ...")
# asks the server's: the same query through psql, a boolean printed as
# SQLite prints it (1, 0); a file is still sqlite3's
mkdir -p "$tree/bin"
cat >"$tree/bin/sqlite3" <<EOF
#!/bin/bash
set -o pipefail
if [ "\$1" = "\$CASELOAD_DB" ]; then
	psql "\$1" -qAtX -v ON_ERROR_STOP=1 -c "\${*:2}" | sed 's/^t\$/1/; s/^f\$/0/'
	exit
fi
exec $(command -v sqlite3) "\$@"
EOF
chmod +x "$tree/bin/sqlite3"

for s in "${scripts[@]}"; do
	current="caseload_suite_$$_${s//\//_}"
	admin "CREATE DATABASE $current"
	code=0
	PATH="$tree/bin:$PATH" PG_SUITE_DB=$current CASELOAD_TEST_EXPORTS='' BUILD="$BUILD" \
		bash "$tree/tests/$s.sh" >"$T/${s//\//_}.tap" 2>&1 || code=$?
	tap="$T/${s//\//_}.tap"
	passed=$(grep -c '^ok ' "$tap" || true)
	failed=$(grep -c '^not ok' "$tap" || true)
	if [ "$code" != 0 ] || [ "$failed" != 0 ]; then
		grep -A4 '^not ok' "$tap" | head -30 | sed 's/^/#   /' >&3
	fi
	# and it was the server's database the program wrote (not a file)
	rows=$(psql "$CASELOAD_TEST_PG dbname=$current" -qAtX -c "SELECT count(*) FROM audit" 2>/dev/null ||
		echo 0)
	ok "$s.sh on PostgreSQL: $passed passed, $failed failed, $rows audit rows on the server" \
		test "$code" = 0 -a "$failed" = 0 -a "$passed" -gt 0 -a "$rows" -gt 0
	admin "DROP DATABASE IF EXISTS $current WITH (FORCE)"
	current=""
done

done_testing
