#!/usr/bin/env bash
# Working as a team: the people (team add, list, out, workload), who owns
# which task and patient (task assign, task take, patient assign) with
# their audit rows, two processes claiming the same 1,000 tasks at once,
# a save that lost the race, and whose patients the review shows.
# Today is Tue 2026-11-24.
. "$(dirname "$0")/../lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }

# ---- a database from before teams: its coordinators become members ----
old="$T/old.db"
CASELOAD_DB="$old" must init --schema 8 >/dev/null
sqlite3 "$old" "INSERT INTO patient(family, given, coordinator, created, updated)
  VALUES ('Old', 'One', 'dana', 0, 0), ('Old', 'Two', 'dana', 0, 0), ('Old', 'Three', NULL, 0, 0)"
CASELOAD_DB="$old" run team list --format tsv
rc_is 0 "an old database opens (migrated)"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1-3)" "$(printf 'dana\tdana\tcoordinator')" \
	"the coordinator the patients named is a member, named by the login"
is "$(sqlite3 "$old" "SELECT count(*) FROM patient WHERE version = 1")" 3 "every old row has version 1"

# ---- people ----
must team add alice --name "Alice Adams" >/dev/null
must team add bob --name "Bob Brown" --role supervisor >/dev/null
must team add carol --name "Carol Chu" --role nurse >/dev/null
run team add dave --name "Dave" --role janitor
rc_is 2 "an unknown role is a usage error"
like "$err" "role 'janitor' is not one of coordinator, nurse, social-worker or supervisor" "it lists the roles"
run team add erin
rc_is 2 "a member needs a name"
run team add alice --name "Alice A. Adams"
rc_is 0 "team add of a member already there renames them"
run team list --format tsv
is "$(printf '%s\n' "$out" | cut -f1-3 | tr '\t\n' ',;')" \
	"login,name,role;alice,Alice A. Adams,coordinator;bob,Bob Brown,supervisor;carol,Carol Chu,nurse;" \
	"team list: by login, with names and roles"
is "$(q "SELECT count(*) FROM team_member WHERE login = 'dave'")" 0 "a refused add adds no one"
# the care team's add is unchanged
p0=$(must patient add --name "Care, Team")
c0=$(must contact add --name "Dr. Who" --kind primary-care)
run team add --patient "$p0" --contact "$c0" --role "primary care"
rc_is 0 "team add --patient --contact still puts a contact on a care team"

# ---- coverage ----
run team out alice --from 2026-11-24 --to 2026-11-26
rc_is 0 "team out"
run team out alice --from 2026-11-26 --to 2026-11-24
rc_is 2 "the last day out before the first is refused"
run team out zed --from today --to tomorrow
rc_is 1 "team out of someone not on the team"
like "$err" "zed is not on the team" "says who"
run team list --format tsv
like "$out" $'alice\tAlice A. Adams\tcoordinator\t2026-11-24\t2026-11-26\tyes' "alice is out today"

# ---- owners ----
pa=$(must patient add --name "Able, Ann")
pb=$(must patient add --name "Baker, Ben")
must patient assign "$pa" alice >/dev/null
must patient assign "$pb" carol >/dev/null
run patient assign "$pa" zed
rc_is 1 "a patient is assigned only to a member"
like "$err" "zed is not on the team" "the message names the login"
is "$(q "SELECT coordinator FROM patient WHERE id = $pa")" alice "patient assign"
# a patient added by someone on the team is theirs, unless another is named
pn=$(must --user bob patient add --name "New, Nina")
is "$(q "SELECT coordinator FROM patient WHERE id = $pn")" bob "a member's new patient is theirs"
pn2=$(must --user bob patient add --name "New, Noor" --coordinator carol)
is "$(q "SELECT coordinator FROM patient WHERE id = $pn2")" carol "unless another coordinator is given"
pn3=$(must --user zed patient add --name "New, Ned")
is "$(q "SELECT coalesce(coordinator, '-') FROM patient WHERE id = $pn3")" - \
	"someone not on the team leaves it to be assigned"
for p in "$pn" "$pn2" "$pn3"; do   # out of the counts below
	must patient edit "$p" --status inactive >/dev/null
done

t1=$(must task add --patient "$pa" --title "Call after discharge" --due yesterday)
t2=$(must task add --patient "$pa" --title "Refill" --due today)
t3=$(must task add --patient "$pb" --title "Transport" --due tomorrow)
run --user carol task take "$t1" "$t2"
rc_is 0 "task take of two tasks no one owns"
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "$t1 $t2 " "both ids printed"
run --user bob task take "$t1"
rc_is 1 "a task someone has is not taken"
like "$err" "task $t1 is taken already: carol has it" "the refusal says who has it"
is "$(q "SELECT owner FROM task WHERE id = $t1")" carol "and the owner stays"
run --user zed task take "$t3"
rc_is 1 "someone not on the team takes nothing"
like "$err" "zed is not on the team" "and is told"
run task assign "$t1" bob
rc_is 0 "task assign"
is "$(q "SELECT owner FROM task WHERE id = $t1")" bob "assigned"
run task assign "$t1" --none
is "$(q "SELECT owner IS NULL FROM task WHERE id = $t1")" 1 "task assign --none"
run task assign "$t1"
rc_is 2 "task assign without a login or --none"
run task assign 999 bob
rc_is 1 "task assign of an unknown task"
like "$err" "no task with id 999" "names it"
must task done "$t2" >/dev/null
run --user bob task take "$t2"
rc_is 1 "a closed task is not taken"
like "$err" "task $t2 is closed" "says so"

run task list --format tsv
like "$(printf '%s\n' "$out" | head -1)" $'\towner\tversion$' "task list has owner and version keys"
run task list
like "$out" "Owner" "and the table an Owner column"

# the audit: who took, who assigned, to whom
run audit --table task --row "$t1" --format tsv
like "$out" $'carol \(override by [^)]*\)\ttake\ttask\t'"$t1"$'\tcarol' "the take is audited with who took it"
like "$out" $'\tassign\ttask\t'"$t1"$'\tbob' "the assignment to bob"
like "$out" $'\tassign\ttask\t'"$t1"$'\t\\(none\\)' "and to no one"
run audit --table patient --row "$pa" --format tsv
like "$out" $'\tassign\tpatient\t'"$pa"$'\talice' "patient assign is audited"

# ---- workload ----
t4=$(must task add --patient "$pb" --title "Old one" --due 2026-11-01)
must task assign "$t4" carol >/dev/null
run team workload --format tsv
is "$(printf '%s\n' "$out" | cut -f1,4- | tr '\t\n' ',;')" \
	"login,out,patients,open,overdue,due_today;alice,out,1,0,0,0;bob,,0,0,0,0;carol,,1,1,1,0;,,1,2,1,0;" \
	"workload: out today, patients, open, overdue, due today; then the patients no one coordinates and the tasks no one owns"
run team workload
like "$out" "\(no one\)" "the table names the unowned row"

# ---- a lost race ----
v=$(q "SELECT version FROM task WHERE id = $t3")
run --user alice task edit "$t3" --title "Transport booked" --if-version "$v"
rc_is 0 "the first save wins"
run --user bob task edit "$t3" --due +5d --if-version "$v"
rc_is 1 "the second save, from the same version, is refused"
like "$err" "task $t3 was changed by alice \(override by [^)]*\) at 20[0-9-]+ [0-9:]+ UTC since it was read \(update: requested; title\): nothing was saved" \
	"the message names who changed it, when and what"
is "$(q "SELECT title || '|' || due || '|' || version FROM task WHERE id = $t3")" \
	"Transport booked|2026-11-25|$((v + 1))" "nothing of the second save was written"
run task edit "$t3" --due +5d
rc_is 0 "read again, the edit goes through"
run task assign "$t3" bob --if-version "$v"
rc_is 1 "an assignment from a stale version is refused too"
pv=$(q "SELECT version FROM patient WHERE id = $pb")
must --user alice patient edit "$pb" --phone 555-0100 --if-version "$pv" >/dev/null
run --user bob patient edit "$pb" --phone 555-0199 --if-version "$pv"
rc_is 1 "a patient edit that lost the race is refused"
like "$err" "patient $pb was changed by alice .* \(update: phone\)" "naming who and which field"
is "$(q "SELECT phone FROM patient WHERE id = $pb")" 555-0100 "the first phone stays"
run patient show "$pb"
like "$out" "Version +$((pv + 1))" "patient show gives the version"

# ---- the review: each coordinator's own patients ----
run --user alice review --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | sort -u | tr '\n' ' ')" "$pa " \
	"a coordinator's review: their patients"
run --user alice review
like "$out" "The patients of alice only; --team for everyone's" "the table says so"
run --user alice review --team --format tsv
like "$(printf '%s\n' "$out" | cut -f1 | sort -u | tr '\n' ' ')" "(^| )$pa .*$pb " "--team: everyone's"
run --user bob review --format tsv
like "$(printf '%s\n' "$out" | cut -f1 | sort -u | tr '\n' ' ')" "(^| )$pa .*$pb " "a supervisor's: the team's"

# ---- two processes claim the same 1,000 tasks ----
n=1000
q "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
   INSERT INTO task(patient_id, title, created, updated) SELECT $pb, 'claim ' || i, 0, 0 FROM k"
first=$(q "SELECT min(id) FROM task WHERE title LIKE 'claim %'")
ids=$(seq "$first" $((first + n - 1)))
# shellcheck disable=SC2086
{ "$CASELOAD" --user alice task take $ids >"$T/a.out" 2>"$T/a.err" 3>&- || true; } &
# shellcheck disable=SC2086
{ "$CASELOAD" --user carol task take $ids >"$T/c.out" 2>"$T/c.err" 3>&- || true; } &
wait
unlike "$(cat "$T/a.err" "$T/c.err")" "AddressSanitizer|runtime error|busy" "no sanitizer report, no busy failure"
is "$(cat "$T/a.out" "$T/c.out" | sort -n | uniq | wc -l)" "$n" "every task claimed"
is "$(cat "$T/a.out" "$T/c.out" | wc -l)" "$n" "each claim reported to exactly one of them"
is "$(q "SELECT count(*) FROM task WHERE title LIKE 'claim %' AND owner IS NULL")" 0 "no task left unowned"
is "$(q "SELECT group_concat(id) FROM task WHERE title LIKE 'claim %' AND owner = 'alice'" | tr ',' '\n' | sort -n)" \
	"$(sort -n "$T/a.out")" "alice owns exactly what she was told she took"
is "$(grep -c 'is taken already: carol has it' "$T/a.err" || true)" "$(wc -l <"$T/c.out")" \
	"each of carol's was refused to alice naming carol"
is "$(q "SELECT count(*) FROM audit WHERE action = 'take' AND tbl = 'task' AND row_id >= $first")" "$n" \
	"one take in the audit per task"

done_testing
