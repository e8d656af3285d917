#!/usr/bin/env bash
# Programs and consent (issue 16) from the command line: consent add,
# withdraw and list; program enroll, end and list (table, TSV, JSON);
# minutes only toward a program the patient is enrolled in and consented
# to; every refusal names what and where and changes nothing; undo.
. "$(dirname "$0")/../lib.sh"

run init
p=$(must patient add --name "Ngata, Aroha" --risk high)
q=$(must patient add --name "Other, Olu")

# enrollment needs a consent in force on its first day
run program enroll --patient "$p" --program ccm
rc_is 2 "enroll without consent refused"
like "$err" "no consent to CCM on file for patient $p" "the reason, naming the program and the patient"
run program list --patient "$p" --format tsv
is "$(rows "$out")" 0 "nothing was enrolled"

run consent add --patient "$p" --program ccm --date 2026-11-02
rc_is 2 "consent add needs --method"
like "$err" "missing --method" "naming the option"
run consent add --patient "$p" --program ccm --method shouted --date 2026-11-02
rc_is 2 "an unknown method"
like "$err" "--method 'shouted' is not one of verbal, written" "names it and the choices"
run consent add --patient "$p" --program xyz --method verbal
rc_is 2 "an unknown program"
like "$err" "program" "names the program"
run consent add --patient 999 --program ccm --method verbal
rc_is 1 "an unknown patient"
like "$err" "no patient with id 999" "names the patient"
c=$(must consent add --patient "$p" --program ccm --method verbal --date 2026-11-02 --note "by phone")
run consent add --patient "$p" --program ccm --method written --date 2026-11-10
rc_is 1 "a second consent in force to the same program"
like "$err" "consent $c to CCM in force on 2026-11-10 already" "says which"

run program enroll --patient "$p" --program ccm --start 2026-11-01
rc_is 2 "consent given after the first day: refused"
ep=$(must program enroll --patient "$p" --program ccm --start 2026-11-03)
run program enroll --patient "$p" --program ccm
rc_is 1 "one open episode per program"
like "$err" "patient $p is enrolled in CCM already \\(episode $ep, from 2026-11-03\\)" "naming the episode"
run program enroll --patient "$p" --program tcm
rc_is 2 "TCM is not enrolled by hand"
like "$err" "a discharge opens transitional care" "says why"

# minutes
run time log --patient "$q" --minutes 10
rc_is 1 "minutes for a patient in no program: refused"
like "$err" "patient $q is not enrolled in a program with consent" "names the patient"
run time log --patient "$p" --minutes 10 --program pcm
rc_is 2 "minutes toward a program the patient is not in: refused"
like "$err" "patient $p is not enrolled in PCM with consent on 2026-11-24" "names the program and the day"
run time log --patient "$p" --minutes 12 --date 2026-11-05
rc_is 0 "minutes toward the one program"
run time log --patient "$p" --minutes 8 --program ccm --role practitioner
rc_is 0 "--program and --role"
run time log --patient "$p" --minutes 8 --role dancer
rc_is 2 "an unknown role"
like "$err" "role 'dancer' is not one of staff, practitioner or navigator" "names the choices"
run time log --patient "$p" --minutes 5 --date 2026-11-01
rc_is 1 "before the enrollment began: refused"

run program list
rc_is 0 "everyone's open episodes"
like "$out" "CCM +active +2026-11-03 +$c +20 +20" "the table: program, status, start, consent, minutes against the threshold"
run program list --format json
is "$out" "$(printf '[\n {"id": %s, "patient_id": %s, "program": "ccm", "status": "active", "started": "2026-11-03", "ended": "", "consent_id": %s, "minutes": 20, "threshold": 20, "version": 1}\n]' "$ep" "$p" "$c")" "JSON"
run program list --program pcm --format tsv
is "$(rows "$out")" 0 "narrowed to a program"
run program list --program nope
rc_is 2 "an unknown program to list"
run consent list --patient "$p" --format tsv
is "$(printf '%s\n' "$out" | cut -f3-5,7 | tail -1)" "$(printf 'ccm\tverbal\t2026-11-02\t')" "the consent in TSV"

# withdrawing ends the episode that day
run consent withdraw "$c" --date 2026-11-01
rc_is 2 "withdrawn before it was given: refused"
run consent withdraw "$c" --date 2026-11-20 --if-version 7
rc_is 1 "a stale version: refused"
like "$err" "consent $c was changed" "names the record"
run consent withdraw "$c" --date 2026-11-20
rc_is 0 "consent withdrawn"
like "$err" "ended 1 enrollment on 2026-11-20" "says the enrollment ended"
run program list --patient "$p" --format tsv
is "$(printf '%s\n' "$out" | tail -1 | cut -f4,6)" "$(printf 'finished\t2026-11-20')" "the episode finished that day"
run time log --patient "$p" --minutes 5
rc_is 1 "no minutes after the withdrawal"

# undo puts the consent and the episode back
run undo
rc_is 0 "undo the withdrawal"
run program list --patient "$p" --format tsv
is "$(printf '%s\n' "$out" | tail -1 | cut -f4,6)" "$(printf 'active\t')" "the episode is open again"

# end, and the review of a program without consent
run program end "$ep" --status paused
rc_is 2 "an end status is finished or cancelled"
run program end "$ep" --date 2026-11-01
rc_is 2 "not before it began"
run program end "$ep" --status cancelled --date 2026-11-21
rc_is 0 "episode cancelled"
run program end "$ep"
rc_is 2 "not twice"
like "$err" "program episode $ep is cancelled already" "says so"

# the patient record's CCM consent day is a consent row
r=$(must patient add --name "Row, Rua" --ccm-consent 2026-10-01)
run consent list --patient "$r" --format tsv
is "$(printf '%s\n' "$out" | tail -1 | cut -f3-5)" "$(printf 'ccm\tunrecorded\t2026-10-01')" "patient add --ccm-consent makes a consent row"
must patient edit "$r" --ccm-consent 2026-10-05 >/dev/null
run consent list --patient "$r" --format tsv
is "$(rows "$out")" 1 "edit moves its day, no second row"
like "$out" "2026-10-05" "to the new day"
run patient edit "$r" --ccm-consent ""
rc_is 2 "an empty day does not erase a consent"
like "$err" "--ccm-consent" "names the option"

# review: eligible for CCM (two active conditions), and a consent missing
must condition add --patient "$q" --name "Diabetes" >/dev/null
must condition add --patient "$q" --name "Heart failure" >/dev/null
run review --patient "$q" --format tsv
like "$out" "ccm-eligible	low	.*2 active conditions, not in chronic care management" "ccm-eligible"
run audit --table episode --format tsv
like "$out" "insert	episode" "enrollments are audited"
unlike "$out" "Ngata" "with no patient data"
# and in the patient's own trail: consents and episodes are theirs
run audit --patient "$p" --format tsv
like "$out" $'insert\tepisode\t' "audit --patient: the enrollment"
like "$out" $'insert\tconsent\t' "and the consent"
# two programs at once: the minutes' program must be named, in the words
# of both the command (--program) and the screen's contact form (Program)
r=$(must patient add --name "Two, Programs")
for pr in ccm pin; do
	must consent add --patient "$r" --program "$pr" --method verbal --date 2026-11-02 >/dev/null
	must program enroll --patient "$r" --program "$pr" --start 2026-11-03 >/dev/null
done
run time log --patient "$r" --minutes 5
rc_is 2 "two programs, none named: refused"
like "$err" "patient $r is enrolled in more than one program on 2026-11-24: name the program .*Program, --program" \
	"says how to name it, on the screen and here"
must time log --patient "$r" --minutes 5 --program pin >/dev/null
done_testing
