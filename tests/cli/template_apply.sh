#!/usr/bin/env bash
# template apply, plan list|show|close: each shipped template gives its
# tasks and due dates (business days across weekends and Thanksgiving
# 2026-11-26, month ends); re-apply is refused; apply is all or nothing.
. "$(dirname "$0")/../lib.sh"

# Counts of rows, straight from the database.
count() {
	python3 - "$CASELOAD_DB" "$@" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join(str(db.execute(q).fetchone()[0]) for q in sys.argv[2:]))
PY
}
all_counts() {
	count "SELECT count(*) FROM care_plan" "SELECT count(*) FROM goal" "SELECT count(*) FROM task" \
	      "SELECT count(*) FROM entry" "SELECT count(*) FROM audit" \
	      "SELECT group_concat(coalesce(cadence_days, 0)) FROM patient"
}
# The due dates and titles of a patient's tasks, "DUE<TAB>TITLE" lines.
tasks_of() {
	"$CASELOAD" task list --patient "$1" --all --format tsv | tail -n +2 | cut -f4,5
}
has_task() {   # has_task PATIENT DUE TITLE
	local got
	got=$(tasks_of "$1")
	if printf '%s\n' "$got" | grep -qxF "$2	$3"; then _result 1 "patient $1: '$3' due $2"
	else _result 0 "patient $1: '$3' due $2" "$(printf '%s\n' "$got" | grep -F "$3")"; fi
}
n_tasks() {    # n_tasks PATIENT TITLE
	tasks_of "$1" | cut -f2 | grep -cxF "$2"
}

run init
for p in "High, Risk --risk high" "Medium, Risk --risk medium" "Low, Risk --risk low" \
         "Heart, Failure --risk medium" "Copd, Patient --risk medium" \
         "Diabetes, Patient --risk medium" "New, Diagnosis --risk high"; do
	name=${p%% --*}
	risk=${p##*--risk }
	must patient add --name "$name" --risk "$risk" >/dev/null
done

# transitional care, high risk, the Tuesday before Thanksgiving
tcm="Interactive contact with the patient or caregiver after discharge"
visit="Arrange transitional care face-to-face visit with primary care provider"
medrec="Medication reconciliation (discharge list against what is at home)"
run template apply transitional-care --patient 1 --start 2026-11-24
rc_is 0 "apply transitional-care succeeds"
is "$out" 1 "apply prints the new plan id"
has_task 1 2026-11-27 "$tcm"                 # Wed, (Thanksgiving), Fri
has_task 1 2026-11-25 "Obtain and review the discharge summary"
has_task 1 2026-11-30 "Confirm new prescriptions were filled and picked up"
has_task 1 2026-12-01 "$visit"               # high: 7 days
has_task 1 2026-12-01 "$medrec"              # by the visit
has_task 1 2026-12-23 "End of the transitional care period - summary call and handoff"
is "$(tasks_of 1 | wc -l)" 13 "transitional care: 13 tasks"
run task list --patient 1 --format json
like "$out" '"title": "Interactive contact with the patient or caregiver after discharge", "kind": "call", "priority": "urgent"' "kind and priority from the template"
like "$out" '"plan_id": 1' "tasks carry the plan id"

# medium risk, from the Wednesday before Thanksgiving: 14 days, 2bd lands on Monday
run template apply transitional-care --patient 2 --start 2026-11-25
rc_is 0 "apply to a medium-risk patient"
has_task 2 2026-11-30 "$tcm"                 # (Thu holiday) Fri, (weekend) Mon
has_task 2 2026-11-27 "Obtain and review the discharge summary"
has_task 2 2026-12-09 "$visit"               # others: 14 days
has_task 2 2026-12-09 "$medrec"
run patient show 2
like "$out" 'Risk +medium, check in every 7 days' "the template's check-in cadence is set"

# monthly chronic care management from a month's last day
run template apply chronic-care-management --patient 3 --start 2027-01-31
rc_is 0 "apply chronic-care-management"
is "$(tasks_of 3 | wc -l)" 33 "CCM: 33 tasks"
is "$(n_tasks 3 "Monthly check-in call")" 12 "12 monthly check-in calls"
is "$(n_tasks 3 "Reach 20 minutes of care management this calendar month")" 12 "12 monthly 20-minute tasks"
has_task 3 2027-01-31 "Confirm CCM consent is documented (verbal or written)"
has_task 3 2027-02-07 "Monthly check-in call"
has_task 3 2028-01-07 "Monthly check-in call"
has_task 3 2027-03-02 "Medication review with the pharmacist or primary care provider"
has_task 3 2027-04-30 "Review the care plan: Monthly chronic care management"   # clamped
has_task 3 2027-07-31 "Review the care plan: Monthly chronic care management"   # back to the 31st
has_task 3 2028-01-31 "Review the care plan: Monthly chronic care management"
run task list --patient 3 --format tsv
like "$out" $'Monthly check-in call\tcall\troutine\trequested' "repeating tasks are ordinary open tasks"
run patient show 3
like "$out" 'Risk +low, check in every 30 days' "a cadence equal to the default stays"

run template apply heart-failure --patient 4 --start 2026-11-24
rc_is 0 "apply heart-failure"
is "$(n_tasks 4 "Weekly weight and symptom check-in call")" 8 "8 weekly calls"
has_task 4 2026-12-01 "Weekly weight and symptom check-in call"
has_task 4 2027-01-19 "Weekly weight and symptom check-in call"
has_task 4 2026-11-30 "Make sure there is a working bathroom scale at home (order one if not)"
has_task 4 2026-12-24 "Arrange heart-failure follow-up with cardiology"
has_task 4 2026-12-01 "Teach and give: Heart-failure zones (green, yellow, red) handout"
has_task 4 2026-12-24 "Connect with cardiac rehabilitation program"

run template apply copd --patient 5 --start 2026-11-24
rc_is 0 "apply copd"
is "$(n_tasks 5 "Check-in call on breathing, rescue inhaler use and flare-up signs")" 6 "every 2w until +3mo: 6 calls"
has_task 5 2027-02-16 "Check-in call on breathing, rescue inhaler use and flare-up signs"
has_task 5 2027-01-24 "Arrange intake assessment with pulmonary rehabilitation"
has_task 5 2027-01-24 "Arrange transport to the visit with pulmonary rehabilitation"
run task list --patient 5 --format json
like "$out" '"title": "Arrange transport to the visit with pulmonary rehabilitation", "kind": "transport"' "transport: needed adds a transport task"

run template apply type-2-diabetes --patient 6 --start 2026-11-30
rc_is 0 "apply type-2-diabetes"
has_task 6 2027-02-28 "A1c lab"       # Nov 30 + 3 months: February's last day
has_task 6 2027-05-30 "A1c lab"
has_task 6 2027-11-30 "A1c lab"
is "$(n_tasks 6 "A1c lab")" 4 "4 A1c labs"

run template apply new-diagnosis --patient 7 --start 2026-12-31
rc_is 0 "apply new-diagnosis"
has_task 7 2027-01-05 "Introductory call - questions, worries, who is helping at home"   # New Year's Day, weekend
has_task 7 2027-01-28 "Arrange first visit for the new diagnosis with specialist"

# listings
run plan list --format tsv
is "$(rows "$out")" 7 "seven plans listed"
is "$(printf '%s\n' "$out" | head -1 | cut -f1-3)" "$(printf 'id\tpatient_id\ttemplate')" "TSV header"
like "$out" $'1\t1\ttransitional-care\tTransitional care after a hospital discharge\tactive\t2026-11-24\t\\+2w\t13\t13' "plan row with task counts"
run plan list --patient 3 --format json
like "$out" '"template": "chronic-care-management"' "plans of one patient"
is "$(printf '%s\n' "$out" | grep -c '"id"')" 1 "only that patient's"
run plan show 1
rc_is 0 "plan show succeeds"
like "$out" 'Template +transitional-care' "show names the template"
like "$out" 'Education: Warning signs after discharge' "detail lists education"
like "$out" 'Goals +2026-12-24  No readmission' "goals with due dates"
like "$out" "2026-11-27  requested #[0-9]+ $tcm" "tasks with due dates"
run plan show --patient 3
like "$out" 'Monthly chronic care management' "show --patient shows the active plans"
run plan show 99
rc_is 1 "unknown plan fails"
like "$err" "no care plan with id 99" "and says so"
run plan show
rc_is 2 "plan show needs an id"

# the timeline and the audit trail
is "$(count "SELECT count(*) FROM entry WHERE kind = 'plan-event' AND ref_table = 'care_plan'")" 7 "a plan-event on the timeline per plan"
like "$(count "SELECT text FROM entry WHERE patient_id = 1")" "Care plan started: Transitional care after a hospital discharge" "the event says what started"
is "$(count "SELECT count(*) FROM audit WHERE tbl = 'task' AND action = 'insert'")" "$(count "SELECT count(*) FROM task")" "an audit row per task"
is "$(count "SELECT count(*) FROM audit WHERE tbl = 'care_plan'")" 7 "an audit row per plan"
is "$(count "SELECT count(*) FROM audit WHERE tbl = 'goal'")" "$(count "SELECT count(*) FROM goal")" "an audit row per goal"

# re-apply is refused, --again allows it
before=$(all_counts)
run template apply transitional-care --patient 1
rc_is 1 "re-applying an active plan's template is refused"
like "$err" "patient 1 already has an active 'transitional-care' plan \(plan 1, started 2026-11-24\).*--again" "the message says which plan and how"
is "$(all_counts)" "$before" "a refused apply changes nothing"
run template apply transitional-care --patient 1 --again
rc_is 0 "--again applies a second one"
is "$out" 8 "as plan 8"
run template apply heart-failure --patient 1
rc_is 0 "another template for the same patient is fine"
run patient show 1
like "$out" 'Risk +high, check in every 7 days' "a shorter cadence is kept"

# close
open_before=$(count "SELECT count(*) FROM task WHERE plan_id = 8 AND status = 'requested'")
run task done "$(count "SELECT min(id) FROM task WHERE plan_id = 8")"
run plan close 8
rc_is 0 "plan close succeeds"
is "$out" 8 "prints the plan id"
is "$(count "SELECT status FROM care_plan WHERE id = 8")" completed "the plan is completed"
is "$(count "SELECT count(*) FROM task WHERE plan_id = 8 AND status = 'cancelled'")" "$((open_before - 1))" "its open tasks are cancelled"
is "$(count "SELECT count(*) FROM task WHERE plan_id = 8 AND status = 'completed'")" 1 "a done task stays done"
like "$(count "SELECT text FROM entry WHERE ref_id = 8 ORDER BY id DESC LIMIT 1")" "Care plan completed" "closing is on the timeline"
run plan close 8
rc_is 1 "closing a closed plan fails"
like "$err" "care plan 8 is already completed" "and says so"
# a close that lost the race to someone else's is refused, saying who and what
v=$(must plan show 1 | awk '$1 == "Version" { print $2 }')
like "$v" '^[0-9]+$' "plan show gives the plan's version"
run --user bob plan close 1 --status revoked
rc_is 0 "close as revoked"
run plan close 1 --if-version "$v"
rc_is 1 "a close with the version read before bob's is refused"
like "$err" "care_plan 1 was changed by bob \(override by .*\) at .* UTC since it was read \(update: revoked\): nothing was saved" \
	"naming who changed it and what"
is "$(count "SELECT status FROM care_plan WHERE id = 1")" revoked "bob's close stands"
run plan close 1 --if-version x
rc_is 2 "a version that is not a number is a usage error"
run template apply transitional-care --patient 1
rc_is 0 "with no active plan left, apply works without --again"
run plan close 2 --status finished
rc_is 2 "a bad --status is a usage error"

# bad input
run template apply transitional-care
rc_is 2 "apply needs --patient"
like "$err" "missing --patient" "and says so"
run template apply transitional-care --patient 99
rc_is 1 "an unknown patient fails"
like "$err" "no patient with id 99" "and says so"
run template apply nosuch --patient 1
rc_is 1 "an unknown template fails"
run template apply copd --patient 1 --start someday
rc_is 2 "a bad --start is a usage error"

# all or nothing: a failure midway (injected with a trigger on the last
# task) leaves no plan, goal, task, timeline entry, audit row or cadence
udir="$XDG_CONFIG_HOME/caseload/templates"
mkdir -p "$udir"
cat >"$udir/atomic.yaml" <<'YAML'
name: atomic-test
title: Fails on its last task
version: 1
checkin_cadence: 3
goals:
  - description: A goal
    due: +1w
tasks:
  - title: First task
    due: +0d
  - title: Second task
    due: +1d
    every: 1d
    count: 3
  - title: Boom
    due: +2w
YAML
python3 - "$CASELOAD_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TRIGGER boom BEFORE INSERT ON task WHEN NEW.title = 'Boom' "
           "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
db.commit()
PY
# (a trigger added outside caseload: the database is refused before any
# write, naming it; test_plan's test_all_or_nothing fails a write midway)
before=$(all_counts)
run template apply atomic-test --patient 2
ok "apply fails (exit $rc)" test "$rc" != 0
like "$err" "extra trigger boom.*caseload check" "naming what is wrong"
is "$(all_counts)" "$before" "nothing changed: plans, goals, tasks, entries, audit, cadence"
sqlite3 "$CASELOAD_DB" "DROP TRIGGER boom"
# a broken template does not apply either
printf 'name: atomic-test\ntitle: x\nversion: 1\ntasks:\n  - title: y\n    due: +2q\n' >"$udir/atomic.yaml"
run template apply atomic-test --patient 2
rc_is 1 "a broken template is refused"
like "$err" "atomic.yaml:6:10: due: '\+2q' is not an offset" "naming its place"
is "$(all_counts)" "$before" "and changes nothing"

# text from a template never reaches the terminal raw
printf 'name: esc\ntitle: "Plan \\e[31mred\\e[0m"\nversion: 1\ntasks:\n  - title: "Call \\e]0;x\\a now"\n    due: +0d\n' >"$udir/atomic.yaml"
id=$(must template apply esc --patient 2)
run plan show "$id"
unlike "$out" $'\e' "plan show has no escape character"
like "$out" 'Title +Plan red' "the text stays, the escapes go"
run template show esc
unlike "$out" $'\e' "template show has no escape character"

done_testing
