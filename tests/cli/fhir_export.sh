#!/usr/bin/env bash
# export fhir: a patient's Bundle and the caseload's Bulk Data NDJSON, read
# by validators from other projects (tests/interop/check-fhir.mjs: FHIR.js,
# @medplum/core with the R4 definitions, fhirpath invariants).  Hand-made
# patients hold every status of every record (set in the database file
# where no command makes it); the demo caseload is exported whole.  Ids
# are the same on every export and after db copy; minimum necessary
# leaves the notes out; bad requests write nothing.
. "$(dirname "$0")/../lib.sh"
interop="$top/tests/interop"
missing=""
command -v node >/dev/null 2>&1 || missing="node"
command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
[ -f "$interop/node_modules/fhirpath/package.json" ] || missing="$missing fhirpath (tests/interop)"
if [ -n "$missing" ]; then
	if [ "${CI:-}" = true ]; then   # nothing may skip in CI
		_result 0 "the FHIR validators are installed (make deps-test)" "missing:$missing"
		done_testing
	fi
	skip_all "missing$missing: make deps-test installs them"
fi
# One checker for the whole script (its start, loading the R4
# definitions, is most of a check's time): fhir_check FILES (one word)
# sets $msgs to what it found, and fails when it found anything.
coproc FHIR { node "$interop/check-fhir.mjs" --serve 2>&1; }
fhir_check() {
	local line
	msgs=""
	echo "$1" >&"${FHIR[1]}"
	while IFS= read -r line <&"${FHIR[0]}"; do
		case $line in
		"== ok") return 0 ;;
		"== "*) return 1 ;;
		esac
		msgs+="$line"$'\n'
	done
	msgs+="the checker stopped"
	return 2
}
check() {   # check DESC FILE|DIR: the validators find nothing
	if fhir_check "$2"; then _result 1 "$1"; else _result 0 "$1" "$msgs"; fi
}
sql() { sqlite3 "$CASELOAD_DB" "$@"; }

# ---- hand-made: every status of every record ----
p1=$(must patient add --name "Chen, Wei" --dob 1950-03-04 --mrn M-100 --phone 555-0100)
p2=$(must patient add --name "Okafor, Ada")
for kind in primary-care specialist pharmacy family social-worker transport community hospital other; do
	c=$(must contact add --name "Contact $kind" --kind "$kind" --phone 555-0199)
	must team add --patient "$p1" --contact "$c" --role "$kind role" >/dev/null
done
for st in active resolved inactive; do
	c=$(must condition add --patient "$p1" --name "Condition $st")
	sql "UPDATE condition SET status = '$st' WHERE id = $c"
done
for st in active stopped; do
	m=$(must med add --patient "$p1" --name "Med $st" --dose "1 tab")
	sql "UPDATE medication SET status = '$st' WHERE id = $m"
done
must template apply heart-failure --patient "$p1" >/dev/null
plan=$(sql "SELECT id FROM care_plan WHERE patient_id = $p1")
for st in active draft on-hold revoked completed entered-in-error unknown; do
	sql "INSERT INTO care_plan(patient_id, title, status, start, created, updated)
	     VALUES ($p1, 'Plan $st', '$st', '2026-11-01', 1, 1)"
done
for st in active proposed planned accepted on-hold completed cancelled entered-in-error rejected; do
	sql "INSERT INTO goal(plan_id, patient_id, description, target, due, status, created)
	     VALUES ($plan, $p1, 'Goal $st', 'target words SECRET-GOAL', '2027-01-01', '$st', 1)"
done
for st in requested in-progress on-hold completed cancelled failed; do
	t=$(must task add --patient "$p1" --title "Task $st" --due 2026-12-01)
	must task edit "$t" --note "SECRET-TASK $st" >/dev/null
	sql "UPDATE task SET status = '$st' WHERE id = $t"
done
must task add --patient "$p1" --title "Task with no due date" >/dev/null
for st in booked proposed pending arrived fulfilled cancelled noshow entered-in-error checked-in waitlist; do
	must appt add --patient "$p1" --start "2026-12-02 10:00" --duration 30m --title "Visit $st" \
		--notes "SECRET-APPT $st" >/dev/null
	sql "UPDATE appointment SET status = '$st' WHERE id = (SELECT max(id) FROM appointment)"
done
a=$(must appt add --patient "$p1" --start "2026-12-03 09:00" --duration 1h --title "To cancel")
must appt cancel "$a" --reason pat-lt >/dev/null
for o in reached no-answer voicemail left-message; do
	must note add --patient "$p1" --kind call --outcome "$o" --text "SECRET-CALL $o" >/dev/null
done
must note add --patient "$p1" --kind visit --text "SECRET-VISIT" >/dev/null
must note add --patient "$p1" --kind message --text "SECRET-MESSAGE" >/dev/null
must note add --patient "$p1" --text "SECRET-NOTE" >/dev/null
must discharge --patient "$p1" --date 2026-11-20 --facility "St. Mary's" >/dev/null
must discharge --patient "$p1" --date 2026-09-01 --facility "St. Mary's" >/dev/null
for st in planned active onhold finished cancelled; do
	sql "INSERT INTO episode(patient_id, program, status, started, created, updated)
	     VALUES ($p1, 'ccm', '$st', '2026-10-01', 1, 1)"
done
sql "INSERT INTO consent(patient_id, program, method, given, captured_by, withdrawn, note, created, updated)
     VALUES ($p1, 'ccm', 'verbal', '2026-10-01', 'nurse', NULL, 'SECRET-CONSENT', 1, 1),
            ($p1, 'pcm', 'written', '2026-01-01', 'nurse', '2026-06-01', NULL, 2, 2)"

run export fhir --patient "$p1" -o "$T/b1.json"
rc_is 0 "export fhir --patient writes a Bundle"
like "$out" "resources of 1 patient written to" "and says how many"
is "$(stat -c %a "$T/b1.json")" 600 "the Bundle is mode 0600"
check "the hand-made Bundle passes FHIR.js, Medplum and the invariants" "$T/b1.json"
types=$(grep -o '"resource":{"resourceType":"[A-Za-z]*"' "$T/b1.json" | cut -d'"' -f6 | sort | uniq -c |
	awk '{printf "%s=%s ", $2, $1}')
is "$types" "Appointment=11 CarePlan=8 CareTeam=1 Communication=7 Condition=3 Consent=2 EpisodeOfCare=7 Goal=$(($(sql "SELECT count(*) FROM goal"))) MedicationStatement=2 Organization=5 Patient=1 Practitioner=3 RelatedPerson=1 Task=$(($(sql "SELECT count(*) FROM task WHERE patient_id = $p1"))) " \
	"every record is there (5 episodes and a TCM episode for each of the 2 discharges)"
for st in requested in-progress on-hold completed cancelled failed; do
	like "$(grep -o "\"status\":\"$st\"[^}]*\"description\":\"Task $st\"" "$T/b1.json")" . "Task.status $st"
done
like "$(grep -c '"clinicalStatus":{"coding":\[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"' "$T/b1.json")" '^1$' \
	"Condition.clinicalStatus is a CodeableConcept with its system"
like "$(cat "$T/b1.json")" '"status":"not-done","statusReason":\{"text":"No answer"\}' "a call not answered is not-done, saying why"
like "$(cat "$T/b1.json")" '"status":"active","type":\[\{"text":"Transitional care management"\}\].*"period":\{"start":"2026-11-20","end":"2026-12-19"\}' \
	"a recent discharge opens an active 30-day TCM episode"
like "$(cat "$T/b1.json")" '"status":"finished","type":\[\{"text":"Transitional care management"\}\].*"period":\{"start":"2026-09-01"' \
	"an old one's is finished"
# a TCM episode's period and status are its stored days and the status
# they read as today; a discharge without an episode row (recorded
# before discharges opened one) gets the days tcm_open would give it
tcm_periods() {
	python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
for e in b["entry"]:
    r = e["resource"]
    if r["resourceType"] == "EpisodeOfCare" and r["type"][0]["text"].startswith("Transitional"):
        print(r["status"], r["period"]["start"], r["period"].get("end", ""))' "$1" | sort
}
is "$(tcm_periods "$T/b1.json")" "active 2026-11-20 2026-12-19
finished 2026-09-01 2026-09-30" "the TCM episodes as opened: 30 days from the discharge's day"
sql "UPDATE episode SET ended = '2026-11-23' WHERE program = 'tcm' AND started = '2026-11-20'"
sql "DELETE FROM episode WHERE program = 'tcm' AND started = '2026-09-01'"
run export fhir --patient "$p1" -o "$T/days.json"
is "$(tcm_periods "$T/days.json")" "finished 2026-09-01 2026-09-30
finished 2026-11-20 2026-11-23" "the stored end day, past: finished; no row: the discharge's 30 days"
like "$(cat "$T/b1.json")" '"cancelationReason":\{"coding":\[\{"system":"http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason","code":"pat-lt"' \
	"a cancelled appointment says why, with the code's system"
like "$(cat "$T/b1.json")" '"statusReason":\{"text":"No due date set"\},"intent":"plan","priority":"routine","description":"Task with no due date"' \
	"a task with no due date says so"
unlike "$(cat "$T/b1.json")" 'SECRET' "minimum necessary: no note, payload, comment or goal text"

run export fhir --patient "$p1" -o "$T/b1.json"
rc_is 1 "an existing file is not replaced without --force"
run export fhir --patient "$p1" -o "$T/b1.json" --force
rc_is 0 "--force replaces it"
run export fhir --patient "$p1" --detail full
rc_is 0 "--detail full to standard output"
printf '%s\n' "$out" >"$T/full.json"
check "the full Bundle passes too" "$T/full.json"
for s in SECRET-TASK SECRET-APPT SECRET-CALL SECRET-VISIT SECRET-MESSAGE SECRET-NOTE SECRET-GOAL; do
	like "$out" "$s" "--detail full has $s"
done
ids() { grep -o '"fullUrl":"[^"]*"' "$1"; }
is "$(ids "$T/full.json")" "$(ids "$T/b1.json")" "the same ids at either detail"
run export fhir --patient "$p1"
printf '%s\n' "$out" >"$T/again.json"
is "$(grep -v '"resourceType":"Bundle"' "$T/again.json")" "$(grep -v '"resourceType":"Bundle"' "$T/b1.json")" \
	"two exports are byte-identical but for the Bundle's timestamp"
run db copy "$CASELOAD_DB" "$T/copy.db"
rc_is 0 "db copy"
run --db "$T/copy.db" export fhir --patient "$p1"
printf '%s\n' "$out" >"$T/copy.json"
is "$(grep -v '"resourceType":"Bundle"' "$T/copy.json")" "$(grep -v '"resourceType":"Bundle"' "$T/b1.json")" \
	"the copy exports the same resources with the same ids"
# on PostgreSQL (when a test server is there): the same rows copied into
# it export to the same Bundle
if [ -n "${CASELOAD_TEST_PG:-}" ]; then
	pgdb="caseload_fhir_$$"
	admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
	trap 'admin "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
	admin "CREATE DATABASE $pgdb"
	run db copy "$CASELOAD_DB" "$CASELOAD_TEST_PG dbname=$pgdb"
	rc_is 0 "db copy into PostgreSQL"
	run --db "$CASELOAD_TEST_PG dbname=$pgdb" export fhir --patient "$p1"
	printf '%s\n' "$out" >"$T/pg.json"
	is "$(grep -v '"resourceType":"Bundle"' "$T/pg.json")" "$(grep -v '"resourceType":"Bundle"' "$T/b1.json")" \
		"PostgreSQL exports the same resources with the same ids"
	run --db "$CASELOAD_TEST_PG dbname=$pgdb" export fhir --all --ndjson "$T/pgnd"
	rc_is 0 "export fhir --all --ndjson on PostgreSQL"
	check "its files pass" "$T/pgnd"
else
	skip "the same Bundle from PostgreSQL" "CASELOAD_TEST_PG is not set (no test server)"
fi

run export fhir --patient "$p2"
printf '%s\n' "$out" >"$T/b2.json"
check "a patient with nothing but a name" "$T/b2.json"

# ---- bad requests write nothing ----
run export fhir --patient 999 -o "$T/none.json"
rc_is 1 "an unknown patient"
like "$err" "no patient with id 999" "is named"
ok "and nothing is written" test ! -e "$T/none.json"
run export fhir --patient "$p1" --detail some -o "$T/none.json"
rc_is 2 "a bad --detail"
like "$err" "detail 'some' is not minimum or full" "is named"
ok "and nothing is written" test ! -e "$T/none.json"
# a code with no FHIR counterpart (task.status has no CHECK) is never
# passed through: the export stops naming the record, and writes nothing
bogus=$(sql "SELECT min(id) FROM task WHERE patient_id = $p1")
sql "UPDATE task SET status = 'bogus' WHERE id = $bogus"
run export fhir --patient "$p1"
rc_is 1 "an unmapped code stops the export"
like "$err" "task $bogus: 'bogus' has no FHIR Task.status code" "naming the record and the element"
is "$out" "" "and nothing is printed"
run export fhir --patient "$p1" -o "$T/none.json"
ok "nor written" test ! -e "$T/none.json"
run export fhir --all --ndjson "$T/none"
rc_is 1 "nor as NDJSON"
ok "where no folder is made" test ! -e "$T/none"
sql "UPDATE task SET status = 'requested' WHERE id = $bogus"
run export fhir --all
rc_is 2 "--all without --ndjson"
run export fhir --patient "$p1" --ndjson "$T/nd"
rc_is 2 "--ndjson with one patient"
mkdir -p "$T/ro"
chmod 500 "$T/ro"
if [ "$(id -u)" = 0 ]; then
	skip "an unwritable folder" "root writes anywhere"
else
	run export fhir --all --ndjson "$T/ro/out"
	rc_is 1 "an unwritable folder"
	like "$err" "ro/out: cannot make a folder beside it" "is named"
fi
run export fhir --all --ndjson "$T/b1.json/out"
rc_is 1 "a folder inside a file"
like "$err" "b1.json/out: cannot make a folder beside it: Not a directory" "is named"
mkdir -p "$T/full" && echo x >"$T/full/keep"
run export fhir --all --ndjson "$T/full"
rc_is 1 "a folder that is not empty"
like "$err" "the folder is not empty" "is refused"
is "$(ls "$T/full")" keep "and keeps what it had"
is "$(ls "$T" | grep -c 'tmp' || true)" 0 "no temporary folder is left"

# ---- the demo caseload, as Bulk Data ----
export CASELOAD_DB="$T/demo.db"
must demo --patients 40 >/dev/null
run export fhir --all --ndjson "$T/nd"
rc_is 0 "export fhir --all --ndjson"
check "every NDJSON file passes" "$T/nd"
is "$(stat -c %a "$T/nd/Patient.ndjson")" 600 "the files are mode 0600"
run patient list --all --format tsv
is "$(wc -l <"$T/nd/Patient.ndjson")" "$(rows "$out")" "one Patient line per patient of the caseload"
for f in "$T"/nd/*.ndjson; do
	bad=$(grep -vc '^{"resourceType":"'"$(basename "$f" .ndjson)"'","id":"[0-9a-f-]\{36\}",' "$f" || true)
	is "$bad" 0 "$(basename "$f"): one resource of its type a line"
done
run export fhir --all --ndjson "$T/nd2"
is "$(cat "$T"/nd2/*.ndjson | sha256sum)" "$(cat "$T"/nd/*.ndjson | sha256sum)" "two NDJSON exports are identical"
for pid in 1 2 3; do
	must export fhir --patient "$pid" -o "$T/demo$pid.json" >/dev/null
done
check "demo patients' Bundles pass" "$T/demo1.json $T/demo2.json $T/demo3.json"

# ---- the checker can fail ----
sed -e 's/"status":"requested"/"status":"done"/' -e 's/"intent":"plan",//' "$T/b1.json" >"$T/bad1.json"
fhir_check "$T/bad1.json" && r=0 || r=$?
is "$r" 1 "a Task with a code not in its value set fails the checker"
like "$msgs" 'Task.status Code "done" not found' "FHIR.js names the code"
like "$msgs" 'Task.intent Missing required property' "Medplum names the missing element"
/usr/bin/python3 - "$T/b1.json" "$T/bad2.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
for e in b['entry']:
    r = e['resource']
    if r['resourceType'] == 'Appointment':
        r['end'] = r['start']
    if r['resourceType'] == 'Task':
        r.pop('restriction', None); r.pop('statusReason', None)
    if r['resourceType'] == 'CareTeam':
        r['subject'] = {'reference': 'urn:uuid:00000000-0000-8000-8000-000000000000'}
json.dump(b, open(sys.argv[2], 'w'))
PY
fhir_check "$T/bad2.json" && r=0 || r=$?
is "$r" 1 "broken invariants fail the checker"
like "$msgs" 'an Appointment starts before it ends' "an appointment ending as it starts"
like "$msgs" 'a Task without a due date says why' "a task with no due date nor reason"
like "$msgs" 'resolves to no entry' "a reference to nothing"
head -c 300 "$T/nd/Task.ndjson" >"$T/nd/Task.ndjson.part" && mv "$T/nd/Task.ndjson.part" "$T/nd/Task.ndjson"
fhir_check "$T/nd" && r=0 || r=$?
is "$r" 1 "a truncated NDJSON file fails the checker"
done_testing
