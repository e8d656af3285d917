#!/usr/bin/env bash
# import roster on PostgreSQL: the one bulk transaction, its rollback on a
# refusal at write time and in a dry run, export then import a no-op, undo
# of the whole roster.  Needs CASELOAD_TEST_PG (scripts/pgtest.sh):
# skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
pg_scratch roster
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
sql() { psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
state() {
	sql "SELECT id, family, given, dob, mrn, phone, language, risk, status FROM patient ORDER BY id"
	sql "SELECT count(*) FROM audit"
}

must init >/dev/null
cat >"$T/plan.csv" <<'EOF'
MRN,Last Name,First Name,Date of Birth,Phone
M-100,Núñez,José,1978-08-08,555-0100
M-200,"O""Brien",Ann,1950-02-03,
EOF
run import roster "$T/plan.csv"
rc_is 0 "a roster imports on PostgreSQL"
like "$out" "2 rows: 2 added, 0 updated, 0 unchanged" "two patients added"

must patient list --format csv >"$T/export.csv"
before=$(state)
run import roster "$T/export.csv"
like "$out" "2 rows: 0 added, 0 updated, 2 unchanged" "export then import changes nothing"
is "$(state)" "$before" "not a row, not an audit row"

printf 'mrn,phone,name\nM-100,555-0199,\nM-300,,"New, Pat"\n' >"$T/upd.csv"
run import roster "$T/upd.csv" --dry-run
like "$out" "1 added, 1 updated \(phone 1\)" "a dry run counts"
is "$(state)" "$before" "and its transaction is rolled back"

# a refusal only the write finds, at the last of 500 rows
awk 'BEGIN { print "mrn,name,dob"; for (i = 1; i <= 500; i++)
	if (i == 500) print "R-500,\"Núñez, José\",1978-08-08";
	else printf "R-%03d,\"Family%d, Given%d\",1950-01-01\n", i, i, i }' >"$T/k.csv"
run import roster "$T/k.csv"
rc_is 1 "a namesake at the last row is refused"
like "$err" "line 501: a patient with this name and date of birth exists" "named by its line"
is "$(state)" "$before" "the 499 rows before it rolled back"

must import roster "$T/upd.csv" >/dev/null
is "$(sql "SELECT phone FROM patient WHERE mrn = 'M-100'")" "555-0199" "an update written"
run undo
like "$out" "imported roster: 1 added, 1 updated" "undo names the roster"
is "$(sql "SELECT phone FROM patient WHERE mrn = 'M-100'") $(sql "SELECT count(*) FROM patient")" \
	"555-0100 2" "and takes it back whole"
run import roster "$T/upd.csv" --map "name=-"
rc_is 2 "a new MRN without a name"
like "$err" "upd.csv: line 3: a patient needs a family name" "is refused when written, by its line"

done_testing
