#!/usr/bin/env bash
# tui/team_views.sh on PostgreSQL, each person a login role of the server:
# the task queue's views (team, on hold, done today, mine, unassigned with
# the covered tasks of someone out), t takes the selected task and is
# refused, naming who, when another role took it first, marked tasks
# assigned together from the team picker, an edit that lost the race to
# another role keeps what was typed, and the daily review is the role's
# own patients.  The screen runs as alice's role.  Needs CASELOAD_TEST_PG
# (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_views_$$"
team="caseload_vstaff_$$" alice="alice$$" bob="bob$$" carol="carol$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
q() { psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
	tui_stop
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
admin "CREATE ROLE $team; CREATE ROLE $alice LOGIN IN ROLE $team;
       CREATE ROLE $bob LOGIN IN ROLE $team; CREATE ROLE $carol LOGIN IN ROLE $team" >/dev/null
q "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $team;
   REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM $team;
   GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $team" >/dev/null
as_bob() { CASELOAD_DB="$CASELOAD_DB user=$bob" must "$@"; }

must team add "$alice" --name "Alice Adams" >/dev/null
must team add "$bob" --name "Bob Brown" --role supervisor >/dev/null
must team add "$carol" --name "Carol Chu" --role nurse >/dev/null
must team out "$carol" --from yesterday --to tomorrow >/dev/null
p1=$(must patient add --name "Able, Ann")
p2=$(must patient add --name "Baker, Ben")
t1=$(must task add --patient "$p1" --title "Alpha call" --due today)
t2=$(must task add --patient "$p2" --title "Bravo refill" --due +1d)
t3=$(must task add --patient "$p1" --title "Charlie ride" --due +2d)
t4=$(must task add --patient "$p2" --title "Delta covered" --due +3d)
t5=$(must task add --patient "$p1" --title "Echo forms" --due +4d)
t6=$(must task add --patient "$p2" --title "Foxtrot held" --due +5d)
t7=$(must task add --patient "$p1" --title "Golf finished" --due +6d)
must task assign "$t4" "$carol" >/dev/null
must patient assign "$p1" "$alice" >/dev/null
must patient assign "$p2" "$bob" >/dev/null
q "UPDATE task SET status = 'on-hold' WHERE id = $t6"
must task done "$t7" >/dev/null
ok "the tasks are there" test -n "$t5"

CASELOAD_DB="$CASELOAD_DB user=$alice" tui_start
trap cleanup EXIT
wait_for 'Caseload by need' 'the workstation opens as alice'
# the title counts alice's own patients, and follows another role's
# assignment without a key (the server's notice)
wait_for '— 1 of yours needs review' "the title counts alice's patients, not the team's"
as_bob patient assign "$p2" "$alice" >/dev/null
wait_for '— 2 of yours need review' "a patient bob's role gives alice counts at once"
as_bob patient assign "$p2" "$bob" >/dev/null
wait_for '— 1 of yours needs review' 'and given back, no longer'
keys 3
wait_for 'Tasks: Team \(all patients\)' 'the queue opens on the team view'
wait_for 'covered:carol' 'carol is out today: her task shows covered (the login cut to the column)'
keys w
wait_for 'Tasks: On hold' 'w: on hold'
wait_for 'Foxtrot held' 'the task on hold'
keys w
wait_for 'Tasks: Done today' 'w: done today'
wait_for 'Golf finished' 'the task completed today'
keys w
wait_for 'Tasks: Mine' 'w: mine'
wait_gone 'Golf finished' 'the view changed'
unlike "$(screen)" 'Alpha call|Bravo refill' 'alice owns nothing yet'
keys w
wait_for 'Tasks: Unassigned' 'w: unassigned'
wait_for 'Delta covered' 'a task of someone out today is up for taking'

# t takes the selected task, as alice's role
keys g
keys t
wait_for 'taken: Alpha call' 't takes the selected task'
is "$(q "SELECT owner FROM task WHERE id = $t1")" "$alice" "it is alice's"
# bob's role takes another: the server's notice takes it off alice's
# unassigned view at once (live), so there is no stale row to press t on
# here (tests/tui/team_views.sh has the refusal of a stale take; pg_team.sh
# the claims racing on the server)
wait_for 'Wed 25 Nov +Bravo refill' 'another task is up for taking'
as_bob task take "$t2" >/dev/null
wait_gone 'Wed 25 Nov +Bravo refill' "a task bob's role took leaves alice's view without a key"
is "$(q "SELECT owner FROM task WHERE id = $t2")" "$bob" "and it is bob's"

# Space marks, a assigns the marked ones together
keys g
wait_for ' Charlie ride' 'the first row'
keys Space
keys Space
wait_for '2 marked' 'two marked'
keys a
wait_for 'Assign 2 tasks to' 'a opens the team picker'
wait_for "$carol +Carol Chu \\(nurse\\), out today" 'the picker says who is out'
keys j
keys Enter
wait_for "2 tasks assigned to $bob" 'both assigned at once'
is "$(q "SELECT string_agg(owner, ',' ORDER BY id) FROM task WHERE id IN ($t3, $t4)")" "$bob,$bob" "both are bob's"
run audit --table task --row "$t4" --format tsv
like "$out" $'\t'"$alice"$'\tassign\ttask\t'"$t4"$'\t'"$bob" "the assignment is audited as alice's role"

# an edit that lost the race to bob's role keeps what was typed
keys w w w w
wait_for 'Tasks: Mine' 'mine again'
wait_for 'today +Alpha call' 'the task alice took'
keys g e
wait_for 'Edit task' 'the edit form'
keys C-e                   # the title is selected: Ctrl-E keeps it, typing adds
type_text ' NOW'
as_bob task edit "$t1" --priority urgent >/dev/null
keys Enter
wait_for "task $t1 was changed by $bob" 'the save is refused naming the role that changed it'
wait_for 'Esc keeps theirs' 'the form stays open, saying what Enter and Esc do now'
like "$(screen)" 'Alpha call NOW' 'with what was typed'
is "$(q "SELECT title || '|' || priority FROM task WHERE id = $t1")" "Alpha call|urgent" \
	"nothing was written over bob's change"
keys Enter
wait_for 'saved: Alpha call NOW' 'saving again, knowing, saves'
is "$(q "SELECT title FROM task WHERE id = $t1")" "Alpha call NOW" "the typed title is saved"

# W: the team's workload, the rows of `team workload`, live
wl() {   # the counts of LOGIN's row (or "" for no one's) as a pattern
	must team workload --format tsv |
		awk -F'\t' -v l="$1" 'NR > 1 && $1 == l { printf "%s +%s +%s +%s", $5, $6, $7, $8 }'
}
keys W
wait_for 'Workload, ' 'W opens the workload'
wait_for "Alice Adams \\($alice\\) +coordinator +$(wl "$alice")" "alice's counts, as team workload gives them"
wait_for "Carol Chu \\($carol\\) +nurse +out to [0-9-]+ +$(wl "$carol")" 'carol is out'
wait_for "\\(no one\\) +$(wl '')" 'the open tasks no one owns'
before=$(wl '')
as_bob task take "$t5" >/dev/null
unlike "$(wl '')" "^$before\$" "bob's take changed the counts"
wait_for "\\(no one\\) +$(wl '')" "the take shows without a key"
wait_for "Bob Brown \\($bob\\) +supervisor +$(wl "$bob")" "as bob's"
keys Escape
wait_gone 'Workload, ' 'Esc closes it'

# the daily review: alice's own patients
keys R
wait_for 'Daily review' 'R opens the review'
wait_for 'Able, Ann' "on alice's patient"
keys '>'
wait_for 'Reviewed +0 of 1 patients' "and only hers"
keys Escape
wait_gone 'Daily review' 'Esc closes it'

keys q
wait_exit
is "$rc" 0 'quits cleanly'
is "$(cat "$tui_err")" "" 'nothing on stderr'
done_testing
