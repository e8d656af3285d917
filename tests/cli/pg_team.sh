#!/usr/bin/env bash
# Working as a team on PostgreSQL, each person a role of the server (the
# audit's who is the role it authenticated; --user is refused there): team
# add and list, task take and assign with their audit rows, a save that
# lost the race refused naming who changed what, the review of each
# coordinator's own patients, and two processes, as two roles, claiming
# the same 1,000 tasks at once: each claimed exactly once.  Needs
# CASELOAD_TEST_PG (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_team_$$"
# roles belong to the whole server: names of this run's own
team="caseload_staff_$$" alice="alice$$" bob="bob$$" carol="carol$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
q() { psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
	admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	for r in "$alice" "$bob" "$carol" "$team"; do
		admin "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true
	done
	rm -rf "$T"
}
trap cleanup EXIT
admin "CREATE DATABASE $db"
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
must init >/dev/null
# the README's role model: a group with the rights, a login role each
admin "CREATE ROLE $team; CREATE ROLE $alice LOGIN IN ROLE $team;
       CREATE ROLE $bob LOGIN IN ROLE $team; CREATE ROLE $carol LOGIN IN ROLE $team" >/dev/null
q "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $team;
   REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM $team;
   GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $team" >/dev/null
as() {   # as ROLE ARGS...: run the program as that role
	local r=$1
	shift
	CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db user=$r" run "$@"
}
owner=$(admin "SELECT current_user")

# ---- people ----
must team add "$alice" --name "Alice Adams" >/dev/null
must team add "$bob" --name "Bob Brown" --role supervisor >/dev/null
must team add "$carol" --name "Carol Chu" --role nurse >/dev/null
run team add "$alice" --name "Alice A. Adams"
rc_is 0 "team add of a member already there renames them"
run team list --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1-3 | tr '\t\n' ',;')" \
	"$alice,Alice A. Adams,coordinator;$bob,Bob Brown,supervisor;$carol,Carol Chu,nurse;" \
	"team list on the server"
run team add dave --name "Dave" --role janitor
rc_is 2 "an unknown role is a usage error"
is "$(q "SELECT count(*) FROM team_member WHERE login = 'dave'")" 0 "and adds no one"
run --user "$alice" task list
rc_is 2 "--user is refused: the who is the role"

# ---- owners ----
pa=$(must patient add --name "Able, Ann")
pb=$(must patient add --name "Baker, Ben")
must patient assign "$pa" "$alice" >/dev/null
must patient assign "$pb" "$carol" >/dev/null
run patient assign "$pa" zed
rc_is 1 "a patient is assigned only to a member"
like "$err" "zed is not on the team" "the message names the login"
is "$(q "SELECT coordinator FROM patient WHERE id = $pa")" "$alice" "patient assign"
t1=$(must task add --patient "$pa" --title "Call after discharge" --due yesterday)
t2=$(must task add --patient "$pa" --title "Refill" --due today)
t3=$(must task add --patient "$pb" --title "Transport" --due tomorrow)
as "$carol" task take "$t1" "$t2"
rc_is 0 "task take as the nurse's role"
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "$t1 $t2 " "both ids printed"
as "$bob" task take "$t1"
rc_is 1 "a task someone has is not taken"
like "$err" "task $t1 is taken already: $carol has it" "the refusal says who has it"
is "$(q "SELECT owner FROM task WHERE id = $t1")" "$carol" "and the owner stays"
run task take "$t3"
rc_is 1 "a role not on the team takes nothing"
like "$err" "$owner is not on the team" "and is told"
as "$bob" task assign "$t1" "$bob"
rc_is 0 "task assign"
is "$(q "SELECT owner FROM task WHERE id = $t1")" "$bob" "assigned"
run task assign "$t1" --none
is "$(q "SELECT owner IS NULL FROM task WHERE id = $t1")" t "task assign --none"
must task done "$t2" >/dev/null
as "$bob" task take "$t2"
rc_is 1 "a closed task is not taken"
like "$err" "task $t2 is closed" "says so"
run audit --table task --row "$t1" --format tsv
like "$out" $'\t'"$carol"$'\ttake\ttask\t'"$t1"$'\t'"$carol" "the take is audited with the role that took it"
like "$out" $'\t'"$bob"$'\tassign\ttask\t'"$t1"$'\t'"$bob" "the assignment, by bob's role"
like "$out" $'\tassign\ttask\t'"$t1"$'\t\\(none\\)' "and to no one"

# ---- workload ----
must team out "$alice" --from 2026-11-24 --to 2026-11-26 >/dev/null
t4=$(must task add --patient "$pb" --title "Old one" --due 2026-11-01)
must task assign "$t4" "$carol" >/dev/null
run team workload --format tsv
is "$(printf '%s\n' "$out" | cut -f1,4- | tail -n +2 | tr '\t\n' ',;')" \
	"$alice,out,1,0,0,0;$bob,,0,0,0,0;$carol,,1,1,1,0;,,0,2,1,0;" \
	"workload on the server: out, patients, open, overdue, due today; the patients and tasks no one has"

# ---- a lost race ----
v=$(q "SELECT version FROM task WHERE id = $t3")
as "$alice" task edit "$t3" --title "Transport booked" --if-version "$v"
rc_is 0 "the first save wins"
as "$bob" task edit "$t3" --due +5d --if-version "$v"
rc_is 1 "the second save, from the same version, is refused"
like "$err" "task $t3 was changed by $alice at 20[0-9-]+ [0-9:]+ UTC since it was read \(update: requested; title\): nothing was saved" \
	"the message names who changed it, when and what"
is "$(q "SELECT title || '|' || due || '|' || version FROM task WHERE id = $t3")" \
	"Transport booked|2026-11-25|$((v + 1))" "nothing of the second save was written"
as "$bob" task edit "$t3" --due +5d
rc_is 0 "read again, the edit goes through"
pv=$(q "SELECT version FROM patient WHERE id = $pb")
as "$alice" patient edit "$pb" --phone 555-0100 --if-version "$pv"
rc_is 0 "a patient edit"
as "$bob" patient edit "$pb" --phone 555-0199 --if-version "$pv"
rc_is 1 "a patient edit that lost the race is refused"
like "$err" "patient $pb was changed by $alice .* \(update: phone\)" "naming who and which field"
is "$(q "SELECT phone FROM patient WHERE id = $pb")" 555-0100 "the first phone stays"

# ---- the review: each coordinator's own patients ----
as "$alice" review --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | sort -u | tr '\n' ' ')" "$pa " \
	"a coordinator's review: their patients"
as "$alice" review --team --format tsv
like "$(printf '%s\n' "$out" | cut -f1 | sort -u | tr '\n' ' ')" "(^| )$pa .*$pb " "--team: everyone's"
as "$bob" review --format tsv
like "$(printf '%s\n' "$out" | cut -f1 | sort -u | tr '\n' ' ')" "(^| )$pa .*$pb " "a supervisor's: the team's"

# ---- two roles claim the same 1,000 tasks at once ----
n=1000
q "INSERT INTO task(patient_id, title, created, updated)
   SELECT $pb, 'claim ' || i, 0, 0 FROM generate_series(1, $n) AS i" >/dev/null
first=$(q "SELECT min(id) FROM task WHERE title LIKE 'claim %'")
ids=$(seq "$first" $((first + n - 1)))
# shellcheck disable=SC2086
{ CASELOAD_DB="$CASELOAD_DB user=$alice" "$CASELOAD" task take $ids >"$T/a.out" 2>"$T/a.err" 3>&- || true; } &
# shellcheck disable=SC2086
{ CASELOAD_DB="$CASELOAD_DB user=$carol" "$CASELOAD" task take $ids >"$T/c.out" 2>"$T/c.err" 3>&- || true; } &
wait
unlike "$(cat "$T/a.err" "$T/c.err")" "AddressSanitizer|runtime error|serializ|deadlock" \
	"no sanitizer report, no serialization failure"
is "$(cat "$T/a.out" "$T/c.out" | sort -n | uniq | wc -l)" "$n" "every task claimed"
is "$(cat "$T/a.out" "$T/c.out" | wc -l)" "$n" "each claim reported to exactly one of them"
is "$(q "SELECT count(*) FROM task WHERE title LIKE 'claim %' AND owner IS NULL")" 0 "no task left unowned"
is "$(q "SELECT id FROM task WHERE title LIKE 'claim %' AND owner = '$alice' ORDER BY id")" \
	"$(sort -n "$T/a.out")" "alice owns exactly what she was told she took"
is "$(grep -c "is taken already: $carol has it" "$T/a.err" || true)" "$(wc -l <"$T/c.out")" \
	"each of carol's was refused to alice naming carol"
is "$(q "SELECT count(*) FROM audit WHERE action = 'take' AND tbl = 'task' AND row_id >= $first")" "$n" \
	"one take in the audit per task"
run check
like "$out" "audit chain of [0-9]+ rows verified" "the audit chain is whole after them"

done_testing
