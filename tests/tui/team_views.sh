#!/usr/bin/env bash
# The task queue as a team's worklist: the views (w: mine, unassigned with
# the tasks of someone out today shown covered, team, on hold, done
# today), t takes the selected task (refused, naming who, when someone was
# first), Space marks and a assigns the marked tasks together to a person
# picked from the team, an edit that lost the race keeps what was typed,
# and the daily review is the user's own patients.  The user is alice
# (the config's coordinator).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

q() { sqlite3 "$CASELOAD_DB" "$1"; }
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'coordinator: alice\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"

run init
must team add alice --name "Alice Adams" >/dev/null
must team add bob --name "Bob Brown" --role supervisor >/dev/null
must team add carol --name "Carol Chu" --role nurse >/dev/null
must team out carol --from yesterday --to tomorrow >/dev/null
p1=$(must patient add --name "Able, Ann")
p2=$(must patient add --name "Baker, Ben")
t1=$(must task add --patient "$p1" --title "Alpha call" --due today)
t2=$(must task add --patient "$p2" --title "Bravo refill" --due +1d)
t3=$(must task add --patient "$p1" --title "Charlie ride" --due +2d)
t4=$(must task add --patient "$p2" --title "Delta covered" --due +3d)
t5=$(must task add --patient "$p1" --title "Echo forms" --due +4d)
t6=$(must task add --patient "$p2" --title "Foxtrot held" --due +5d)
t7=$(must task add --patient "$p1" --title "Golf finished" --due +6d)
must task assign "$t4" carol >/dev/null
must patient assign "$p1" alice >/dev/null
must patient assign "$p2" bob >/dev/null
q "UPDATE task SET status = 'on-hold' WHERE id = $t6"
must task done "$t7" >/dev/null

tui_start
wait_for 'Caseload by need' 'the workstation opens'
# the title counts the user's own patients, as `caseload review` does
needing() { must review "$@" --format tsv | tail -n +2 | cut -f1 | sort -u | grep -c . || true; }
is "$(needing)" 1 "one of alice's patients needs review"
is "$(needing --team)" 2 'two of the team'
wait_for '— 1 of yours needs review' "the title counts alice's, not the team's"
must patient assign "$p2" alice >/dev/null   # another process
wait_for '— 2 of yours need review' 'a patient given to alice elsewhere counts at once'
must patient assign "$p2" bob >/dev/null
wait_for '— 1 of yours needs review' 'and given back, no longer'
keys 3
wait_for 'Tasks: Team \(all patients\)' 'the queue opens on the team view, named in its title'
wait_for 'covered:carol' 'carol is out today: her task shows covered'
keys w
wait_for 'Tasks: On hold' 'w: on hold'
wait_for 'Foxtrot held' 'the task on hold'
unlike "$(screen)" 'Alpha call' 'and only it'
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
like "$(screen)" 'Alpha call' 'with the tasks no one owns'

# t takes the selected task
keys g
keys t
wait_for 'taken: Alpha call' 't takes the selected task'
is "$(q "SELECT owner FROM task WHERE id = $t1")" alice "it is alice's"
wait_gone 'today +Alpha call' 'and leaves the unassigned view'
# someone else was first: refused, naming them
tui_pause
must --user bob task take "$t2" >/dev/null
keys g t   # one write: both keys wait for the screen, before any tick
tui_resume
wait_for "task $t2 is taken already: bob has it" 'a task someone took meanwhile is refused, naming who'
is "$(q "SELECT owner FROM task WHERE id = $t2")" bob "and stays theirs"
wait_gone 'Wed 25 Nov +Bravo refill' 'the view shows it gone'

# Space marks, a assigns the marked ones together
keys g
wait_for ' Charlie ride' 'the first row'
keys Space
keys Space
wait_for '2 marked' 'two marked, counted in the title'
wait_for '\*Charlie ride' 'marked rows show a star'
keys a
wait_for 'Assign 2 tasks to' 'a opens the team picker'
wait_for 'carol  Carol Chu \(nurse\), out today' 'the picker says who is out'
keys j
keys Enter
wait_for '2 tasks assigned to bob' 'both assigned at once'
is "$(q "SELECT group_concat(owner) FROM task WHERE id IN ($t3, $t4)")" "bob,bob" "both are bob's"
run audit --table task --row "$t4" --format tsv
like "$out" $'\tassign\ttask\t'"$t4"$'\tbob' 'the assignment is audited'
keys w
wait_for 'Tasks: Team' 'back to the team view'
wait_for 'Charlie ride .*@bob' 'owners show in the team view'

# an edit that lost the race keeps what was typed
keys w w w
wait_for 'Tasks: Mine' 'mine again'
wait_for 'today +Alpha call' 'the task alice took'
keys g e
wait_for 'Edit task' 'the edit form'
keys C-e                   # the title is selected: Ctrl-E keeps it, typing adds
type_text ' NOW'
must --user bob task edit "$t1" --priority urgent >/dev/null
keys Enter
wait_for "task $t1 was changed by bob" 'the save is refused naming who changed it'
wait_for 'update: requested; priority' 'and what'
wait_for 'Esc keeps theirs' 'the form stays open, saying what Enter and Esc do now'
like "$(screen)" 'Alpha call NOW' 'with what was typed'
is "$(q "SELECT title || '|' || priority FROM task WHERE id = $t1")" "Alpha call|urgent" \
	"nothing was written over bob's change"
keys Enter
wait_for 'saved: Alpha call NOW' 'saving again, knowing, saves'
is "$(q "SELECT title FROM task WHERE id = $t1")" "Alpha call NOW" "the typed title is saved"

# W: the team's workload, the rows of `team workload`
wl() {   # the counts of LOGIN's row (or "" for no one's) as a pattern
	must team workload --format tsv |
		awk -F'\t' -v l="$1" 'NR > 1 && $1 == l { printf "%s +%s +%s +%s", $5, $6, $7, $8 }'
}
keys W
wait_for 'Workload, Tue 24 Nov' 'W opens the workload'
wait_for "Alice Adams \(alice\) +coordinator +$(wl alice)" "alice's patients and tasks, as team workload counts them"
wait_for "Bob Brown \(bob\) +supervisor +$(wl bob)" "bob's"
wait_for "Carol Chu \(carol\) +nurse +out to 11-25 +$(wl carol)" 'carol is out until tomorrow'
wait_for "\(no one\) +$(wl '')" 'and the open tasks no one owns'
before=$(wl '')
must --user bob task take "$t5" >/dev/null   # another process
unlike "$(wl '')" "^$before\$" 'the take changed the counts'
wait_for "\(no one\) +$(wl '')" "a task taken elsewhere shows at once"
wait_for "Bob Brown \(bob\) +supervisor +$(wl bob)" "as bob's"
keys Escape
wait_gone 'Workload, ' 'Esc closes it'

# the daily review: alice's own patients (the team has three people)
keys R
wait_for 'Daily review' 'R opens the review'
wait_for 'Able, Ann' "on alice's patient"
keys '>'
wait_for 'Reviewed +0 of 1 patients' "and only hers: bob's patient is his"
keys Escape
wait_gone 'Daily review' 'Esc closes it'

keys q
wait_exit
is "$rc" 0 'quits cleanly'
is "$(cat "$tui_err")" "" 'nothing on stderr'

done_testing
