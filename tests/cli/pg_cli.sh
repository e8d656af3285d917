#!/usr/bin/env bash
# The command line on PostgreSQL (--db as a conninfo): init, patients, an
# import, the review, the audit and check; the audit's who is the role the
# server authenticated; the role model of the README (a coordinator's role
# may add audit rows, not change them; the triggers refuse even the owner);
# a connection string's password is never shown.  Needs CASELOAD_TEST_PG
# (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_cli_$$"
team="caseload_team_$$"
dana="caseload_dana_$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
on_db() { psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
	admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS $dana" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS $team" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
admin "CREATE DATABASE $db"
owner=$(admin "SELECT current_user")
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"

run init
rc_is 0 "init creates the schema on PostgreSQL"
like "$out" "^postgresql://$owner@.*/$db: schema [0-9]+$" "init names the server and database"
run init
rc_is 0 "init again: nothing to do"

id=$(must patient add --name "Núñez, José" --dob 1950-03-04 --mrn M100 --phone 555-0100 --risk high)
is "$id" 1 "patient add gives the identity column's id"
must patient add --name "Ødegaard, Zoë" >/dev/null
run patient add --name "Other, Al" --mrn M100
rc_is 1 "a second patient with that MRN is refused"
like "$err" "another patient has that MRN" "the duplicate MRN is named"
run patient list --format tsv
is "$(rows "$out")" 2 "two patients listed"
run patient list --search nunez
like "$out" "Núñez" "the search folds accents on PostgreSQL too"
unlike "$out" "Ødegaard" "and leaves the others out"
run task add --patient 1 --title "Call about refill" --due 2026-11-20
rc_is 0 "task add"

run import "$top/tests/data/ical/interop-series.ics" --patient 1
rc_is 0 "an import from the corpus"
like "$out" "7 added" "its events are added"
run appt list --from 2020-01-01 --to 2030-01-01 --format tsv
is "$(rows "$out")" 8 "the imported appointments are listed (with the cancelled one, as on SQLite)"

# a listing whose callback reads: the export looks up each provider while
# the appointments are still coming (drv_pg reads the rest ahead)
cid=$(must contact add --name "Dr. Lee" --kind specialist)
for d in 2026-12-01 2026-12-02 2026-12-03; do
	must appt add --patient 1 --start "$d 09:00" --title "Visit $d" --provider "$cid" >/dev/null
done
run export --all --from 2026-12-01 --to 2026-12-31 --detail full
rc_is 0 "an export with a provider lookup per appointment"
like "$out" "SUMMARY:Visit 2026-12-03" "the last of them is exported"
is "$(grep -c 'Provider: Dr. Lee' <<<"$out")" 3 "each with its provider"

run review
rc_is 0 "the daily review runs on PostgreSQL"
like "$out" "task-overdue" "it finds the overdue task"

run audit --limit 500 --format tsv
like "$out" $'\t'"$owner"$'\tinsert\tpatient' "the audit's who is the role the server authenticated"
run check
rc_is 0 "check"
like "$out" "audit chain of [0-9]+ rows verified" "check verifies the audit chain"

run --user someone patient list
rc_is 2 "--user is refused on PostgreSQL"
like "$err" "role the server authenticated" "and says why"
run backup "$T/copy.db"
rc_is 2 "backup is refused on PostgreSQL"
like "$err" "pg_dump" "and says what to use"

# the role model: a coordinator's role adds rows, the audit's only by insert
admin "CREATE ROLE $team; CREATE ROLE $dana LOGIN IN ROLE $team" >/dev/null
on_db "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $team;
       REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM $team;
       GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $team" >/dev/null
as_dana="$CASELOAD_TEST_PG dbname=$db user=$dana"
CASELOAD_DB="$as_dana" run patient add --name "Reyes, Ana"
rc_is 0 "a coordinator's role writes"
CASELOAD_DB="$as_dana" run audit --limit 1 --format tsv
like "$out" $'\t'"$dana"$'\tinsert\tpatient' "the audit names the coordinator's role"
code=0
psql "$as_dana" -qAtX -v ON_ERROR_STOP=1 -c "UPDATE audit SET who = 'x'" >/dev/null 2>&1 || code=$?
is "$code" 1 "the coordinator's role cannot update the audit"
code=0
on_db "DELETE FROM audit" >/dev/null 2>&1 || code=$?
is "$code" 1 "the owner cannot delete audit rows (the trigger refuses)"
is "$(on_db "SELECT count(*) FROM audit WHERE who = 'x'")" 0 "no audit row was changed"

# two writers at once: they queue (the advisory lock), the chain stays whole
before=$(on_db "SELECT count(*) FROM patient")
writer() {
	local i
	for i in $(seq 1 15); do
		"$CASELOAD" patient add --name "Writer$1, N$i" >/dev/null 2>>"$T/writers.err" || echo "failed $1 $i" >>"$T/writers.err"
	done
}
writer A &
pa=$!
writer B &
pb=$!
wait "$pa" "$pb"
is "$(cat "$T/writers.err" 2>/dev/null || true)" "" "two writers at once: no write failed"
is "$(on_db "SELECT count(*) FROM patient")" "$((before + 30))" "every patient of both was added"
run check
like "$out" "audit chain of [0-9]+ rows verified" "the audit chain is whole after them"

# a guard switched off: writes are refused until check puts it back
on_db "ALTER TABLE audit DISABLE TRIGGER audit_no_update" >/dev/null
run patient add --name "Blocked, Bo"
rc_is 1 "a write with a guard off is refused"
like "$err" "protections are not intact" "and says why"
run check
like "$out$err" "audit_no_update" "check names the guard and puts it back"
run patient add --name "Allowed, Al"
rc_is 0 "writes again after check"

# the config's database: names the server (when neither --db nor CASELOAD_DB does)
printf 'database: "%s"\n' "$CASELOAD_DB" >"$T/pg.yaml"
CASELOAD_DB= run --config "$T/pg.yaml" patient list --search nunez --format tsv
rc_is 0 "the config's database: opens the server's database"
like "$out" "Núñez" "and reads its patients"
CASELOAD_DB= run --config "$T/pg.yaml" config --format tsv
like "$(grep '^database' <<<"$out")" $'\tfile\t'"$T/pg.yaml\$" "config says the database came from that file"

# a password in the connection string never shows
run --db "host=/nonexistent/sock dbname=nothere user=nobody password=hunter2" patient list
rc_is 1 "an unreachable server"
like "$err" "cannot connect to postgresql://nobody@/nonexistent/sock" "the message names the server"
unlike "$err" "hunter2" "never the password"

done_testing
