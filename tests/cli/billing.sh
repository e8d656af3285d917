#!/usr/bin/env bash
# billing: the month's end from hand-made patients (table, TSV, JSON);
# rules check; tcm list and tcm set on the episode a discharge opens; the
# review's tcm items following the episode.  Enrollment and consent rows
# go in with SQL, as do minutes logged without consent (which time log
# refuses).
. "$(dirname "$0")/../lib.sh"

sql() { sqlite3 "$CASELOAD_DB" "$@"; }
enroll() {   # enroll PATIENT PROGRAM [CONSENT_DAY [WITHDRAWN]]: prints the episode id
	local w=${4:+"'$4'"}
	[ -n "${3:-}" ] && sql "INSERT INTO consent(patient_id, program, method, given, captured_by, withdrawn, created, updated)
		VALUES ($1, '$2', 'verbal', '$3', 'test', ${w:-NULL}, 0, 0)"
	sql "INSERT INTO episode(patient_id, program, status, started, created, updated)
		VALUES ($1, '$2', 'active', '2026-10-01', 0, 0) RETURNING id"
}
row() {      # row PATIENT CODE: "units<TAB>why" from the TSV
	run billing --month 2026-11 --format tsv
	printf '%s\n' "$out" | awk -F'\t' -v p="$1" -v c="$2" '$1 == p && $4 == c { print $5 "\t" $6 }'
}

# rules check: the shipped file, and a broken one named by file:line
run rules check
rc_is 0 "rules check passes the shipped rules"
like "$out" "data/rules/2026.yaml: ok \(2026-01-01 to 2026-12-31: 19 codes, 4 exclusions\)" "naming the file"
sed 's/minutes: 20}/minuts: 20}/' "$top/data/rules/2026.yaml" >"$T/bad.yaml"
run rules check "$T/bad.yaml"
rc_is 1 "a misspelt key is refused"
like "$err" "bad.yaml:46:[0-9]+: .*'minuts'.*did you mean 'minutes'" "naming file:line and the key"
cp "$top/data/rules/2026.yaml" "$T/again.yaml"
run rules check "$top/data/rules/2026.yaml" "$T/again.yaml"
rc_is 1 "two files for the same dates are refused"
like "$err" "effective from 2026-01-01 overlaps" "saying they overlap"

# CCM at 19 minutes, then 20, 40, 60
a=$(must patient add --name "Ccm, Ann")
enroll "$a" ccm 2026-10-01 >/dev/null
must time log --patient "$a" --minutes 19 --date 2026-11-05 >/dev/null
is "$(row "$a" 99490)" "0	19 of 20 minutes" "19 minutes: 99490 not supported, and why"
must time log --patient "$a" --minutes 1 --date 2026-11-06 >/dev/null
is "$(row "$a" 99490)" "1	" "20 minutes: 99490"
is "$(row "$a" 99439)" "0	20 of 40 minutes" "but not 99439"
must time log --patient "$a" --minutes 40 --date 2026-11-30 >/dev/null
must time log --patient "$a" --minutes 30 --date 2026-12-01 >/dev/null
is "$(row "$a" 99439)" "2	" "60 minutes in November (December's apart): 99439 x2"

# no consent; consent withdrawn mid-month; APCM bundling CCM
b=$(must patient add --name "Nocon, Ben")
eb=$(enroll "$b" ccm)
# time log refuses minutes without consent: these are from before that
sql "INSERT INTO time_log(patient_id, day, minutes, author, created, episode_id)
	VALUES ($b, '2026-11-10', 25, 'test', 0, $eb)"
is "$(row "$b" 99490)" "0	no consent on file" "no consent: why not"
c=$(must patient add --name "Withdrew, Cy")
enroll "$c" ccm 2026-09-01 2026-11-12 >/dev/null
must time log --patient "$c" --minutes 22 --date 2026-11-03 >/dev/null
is "$(row "$c" 99490)" "1	" "consent withdrawn mid-month still covers the month"
run billing --month 2026-12 --patient "$c" --format tsv
like "$out" $'\t99490\t0\tconsent withdrawn on 2026-11-12\t' "but not the next"
d=$(must patient add --name "Apcm, Dee")
enroll "$d" ccm 2026-10-01 >/dev/null
enroll "$d" apcm 2026-10-01 >/dev/null
must condition add --patient "$d" --name "Heart failure" >/dev/null
must condition add --patient "$d" --name "Type 2 diabetes" >/dev/null
must time log --patient "$d" --minutes 30 --date 2026-11-10 --program ccm >/dev/null
# APCM's checklist: the practice's elements attested, the patient's seen
# (consent above, a visit, a coordinator, a care plan's goal) or recorded
mkdir -p "$XDG_CONFIG_HOME/caseload"
cat >"$XDG_CONFIG_HOME/caseload/config.yaml" <<'YAML'
apcm:
  attest: [access, alternative-care, communication, population-data, risk-stratification]
YAML
must note add --patient "$d" --kind visit --outcome reached --at "2026-11-02 10:00" >/dev/null
must team add dana --name "Dana Reyes" >/dev/null
must patient assign "$d" dana >/dev/null
must template apply chronic-care-management --patient "$d" --start 2026-10-01 >/dev/null
must apcm check --patient "$d" --month 2026-11 --done care-management coordination >/dev/null
is "$(row "$d" G0557)" "0	2 of 13 elements missing: transitions, performance" "APCM with 11 of 13 elements: not supported, naming the missing"
is "$(row "$d" 99490)" "1	" "and CCM stands"
must apcm check --patient "$d" --month 2026-11 --done transitions >/dev/null
is "$(row "$d" G0557)" "0	1 of 13 elements missing: performance" "12 of 13: still not"
cat >"$XDG_CONFIG_HOME/caseload/config.yaml" <<'YAML'
apcm:
  attest: [access, alternative-care, communication, population-data, risk-stratification,
           performance]
YAML
is "$(row "$d" G0557)" "1	" "13 of 13 and two chronic conditions: G0557"
is "$(row "$d" 99490)" "0	excluded by APCM G0557 this month" "which excludes CCM"
is "$(row "$d" G0558)" "0	not a Qualified Medicare Beneficiary" "G0558 needs QMB"
must patient edit "$d" --qmb yes >/dev/null
is "$(row "$d" G0558)" "1	" "a Qualified Medicare Beneficiary: G0558"
is "$(row "$d" G0557)" "0	excluded by APCM G0558 this month" "and not G0557 too"
is "$(row "$d" 99490)" "0	excluded by APCM G0558 this month" "CCM excluded by it"

# minutes before the consent's day: refused by time log, left out by billing
g=$(must patient add --name "Late, Gil")
enroll "$g" ccm 2026-11-10 >/dev/null
run time log --patient "$g" --minutes 6 --date 2026-11-09
rc_is 1 "minutes the day before the consent are refused"
like "$err" "consent to CCM was given on 2026-11-10: minutes on 2026-11-09, before it, do not count" \
	"naming the consent's day"
must time log --patient "$g" --minutes 15 --date 2026-11-10 >/dev/null
sql "INSERT INTO time_log(patient_id, day, minutes, author, created)
	VALUES ($g, '2026-11-09', 6, 'test', 0)"
is "$(row "$g" 99490)" "0	15 of 20 minutes (6 before the consent of 2026-11-10 do not count)" \
	"the day before does not count, the day itself does"
must time log --patient "$g" --minutes 5 --date 2026-11-10 >/dev/null
is "$(row "$g" 99490)" "1	" "20 minutes from the consent's day on: 99490"

# the table and JSON
run billing --month 2026-11 --patient "$a"
rc_is 0 "billing prints a table"
like "$out" "Patient +Name +Program +Code +Units +Why not" "with its headings"
like "$out" "Ccm, Ann +CCM +99487 +0 +complexity not recorded on the episode" "one line per code"
run billing --month 2026-11 --patient "$a" --format json
ok "JSON parses" python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r[0]["patient"] == "Ccm, Ann" and r[0]["staff_minutes"] == 60, r' "$out"
run billing --month 2026-13
rc_is 2 "a bad month is a usage error"
like "$err" "month '2026-13' is not YYYY-MM" "naming it"
run billing --month 2025-11
rc_is 1 "a month no rules file covers"
like "$err" "no billing rules in effect on 2025-11-01" "says so"

# TCM: a discharge opens the episode; Wednesday before Thanksgiving
e=$(must patient add --name "Tcm, Eve" --risk high)
must discharge --patient "$e" --date 2026-11-25 --facility "County General" >/dev/null
run tcm list --patient "$e" --format tsv
ep=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 { print $1 }')
like "$out" $'\tactive\t2026-11-25\t2026-11-30\tnot made\t0\t' "an active episode, contact due Monday over Thanksgiving"
is "$(row "$e" 99496)" "0	no interactive contact by 2026-11-30 (2 business days; 0 attempts)" "billing waits for the contact"
must note add --patient "$e" --kind call --outcome no-answer --at "2026-11-27 10:00" >/dev/null
must note add --patient "$e" --kind message --outcome reached --at "2026-11-27 11:00" >/dev/null
run review --date 2026-11-27 --patient "$e" --format tsv
like "$out" "tcm-contact" "one unanswered call and a message: still owed"
must note add --patient "$e" --kind call --outcome no-answer --at "2026-11-30 10:00" >/dev/null
run review --date 2026-11-30 --patient "$e" --format tsv
unlike "$out" "tcm-contact" "a second attempt within two business days counts as made"
is "$(row "$e" 99496)" "0	complexity not recorded on the episode" "then the complexity"

run tcm set "$ep" --face-to-face 2026-11-20
rc_is 2 "a visit before the discharge is refused"
like "$err" "--face-to-face 2026-11-20 is before the discharge \(2026-11-25\)" "saying why"
run tcm set "$ep" --complexity severe
rc_is 2 "an unknown complexity is refused"
must tcm set "$ep" --complexity high --face-to-face 2026-12-04 --med-rec 2026-12-04 >/dev/null
is "$(row "$e" 99496)" "0	face-to-face visit on day 9, after the 7 days of high complexity" "day 9 is late for 99496"
is "$(row "$e" 99495)" "1	" "and fine for 99495"
run tcm set "$ep" --face-to-face 2026-12-02 --if-version 1
rc_is 1 "a stale version is refused"
like "$err" "episode $ep was changed by" "naming who changed it"
must tcm set "$ep" --face-to-face 2026-12-02 --med-rec 2026-12-01 >/dev/null
is "$(row "$e" 99496)" "1	" "a visit on day 7: 99496"
run undo
rc_is 0 "tcm set is undone"
is "$(row "$e" 99496)" "0	face-to-face visit on day 9, after the 7 days of high complexity" "back to day 9"
run audit --table episode --row "$ep" --format tsv
like "$out" "face_to_face, med_rec, complexity" "the audit names what was set"

# the review's tcm-visit follows the episode's complexity and visit
f=$(must patient add --name "Low, Fay" --risk low)
must note add --patient "$f" --outcome reached --at "2026-11-23 09:00" >/dev/null
must discharge --patient "$f" --date 2026-11-23 >/dev/null
run review --date 2026-11-24 --patient "$f" --format tsv
like "$out" "no follow-up appointment within 14 days" "low risk, no complexity: 14 days"
run tcm list --patient "$f" --format tsv
fe=$(printf '%s\n' "$out" | awk -F'\t' 'NR == 2 { print $1 }')
must tcm set "$fe" --complexity high >/dev/null
run review --date 2026-11-24 --patient "$f" --format tsv
like "$out" "no face-to-face visit within 7 days \(high complexity, by 2026-11-30\)" "high complexity: 7 days"
must tcm set "$fe" --face-to-face 2026-11-27 >/dev/null
run review --date 2026-11-24 --patient "$f" --format tsv
unlike "$out" "tcm-visit" "a face-to-face day on the episode clears tcm-visit"

# after its 30 days the episode finishes
run --today 2026-12-22 tcm list --patient "$f" --format tsv
like "$out" $'\tactive\t' "on its 30th day it is still active"
run --today 2026-12-23 tcm list --patient "$f" --format tsv
like "$out" $'\tfinished\t' "the day after, finished"
run --today 2026-12-23 tcm set "$fe" --med-rec 2026-11-27
rc_is 1 "a finished episode is not changed"

# its days are stored when it opens, in the coordinator's zone (23:30 on
# the 5th in New York is the 6th on this machine), and listing writes nothing
g=$(must patient add --name "Late, Gus" --risk high)
must discharge --patient "$g" --date "2026-11-05 23:30" >/dev/null
is "$(sql "SELECT started, ended, status FROM episode WHERE patient_id = $g")" "2026-11-05|2026-12-04|active" \
	"started on the discharge's local day, ended 29 days later"
counts="SELECT (SELECT count(*) FROM undo_group), (SELECT count(*) FROM audit WHERE action != 'list'),
	(SELECT sum(version) FROM episode), (SELECT count(*) FROM episode WHERE status = 'active')"
before=$(sql "$counts")
run --today 2026-12-05 tcm list --format tsv
like "$out" $'\t'"$g"$'\tLate, Gus\tfinished\t2026-11-05\t' "past its end it lists as finished"
run --today 2026-12-05 program list --patient "$g" --format tsv
like "$out" $'\ttcm\tfinished\t2026-11-05\t2026-12-04\t' "and so in program list"
is "$(sql "$counts")" "$before" "tcm list wrote nothing"

done_testing
