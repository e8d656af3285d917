#!/usr/bin/env bash
# APCM's monthly checklist (issue 16) from the command line: apcm check
# lists the 13 elements (met, how, or missing) in table, TSV and JSON;
# --done records the patient's elements for the month (refusing the
# practice's, consent, unknown ones and a second time, changing nothing);
# the config's apcm.attest (a wrong id named by file:line); undo; audit.
. "$(dirname "$0")/../lib.sh"

run init
p=$(must patient add --name "Apcm, Ada")
tsv() { run apcm check --patient "$p" --month 2026-11 --format tsv; }
met() { tsv; printf '%s\n' "$out" | awk -F'\t' -v e="$1" '$1 == e { print $3 "\t" $4 }'; }

run apcm check --patient "$p" --month 2026-11
rc_is 0 "apcm check lists the month"
like "$out" "Element +Scope +Met +How +Detail" "with its headings"
like "$out" "consent +patient +no +missing +no APCM consent on file" "consent: missing, and why"
like "$out" "access +practice +no +missing +not attested" "a practice element not attested"
like "$out" "0 of 13 elements met in 2026-11" "and a count"
run apcm check --patient "$p" --month 2026-11 --format json
ok "JSON parses, 13 elements with titles" python3 -c '
import json,sys; r=json.loads(sys.argv[1]); assert len(r) == 13 and all(x["title"] for x in r), r' "$out"

# recorded for the month
run apcm check --patient "$p" --month 2026-11 --done care-management transitions
rc_is 0 "--done records two elements"
is "$(met transitions)" "yes	recorded" "transitions recorded"
is "$(met care-management)" "yes	recorded" "care-management recorded"
run apcm check --patient "$p" --month 2026-12 --format tsv
like "$out" $'transitions\tpatient\tno\tmissing' "another month starts over"

# refusals change nothing
tsv; before=$out
run apcm check --patient "$p" --month 2026-11 --done access
rc_is 2 "a practice element is not recorded per patient"
like "$err" "access is the practice's: attest it in the config file" "saying where it goes"
run apcm check --patient "$p" --month 2026-11 --done consent
rc_is 2 "nor consent"
like "$err" "consent add --program apcm" "which is a consent row"
run apcm check --patient "$p" --month 2026-11 --done coordination,acess
rc_is 2 "an unknown element"
like "$err" "'acess' is not an APCM element" "named"
run apcm check --patient "$p" --month 2026-11 --done coordination transitions
rc_is 1 "one recorded already"
like "$err" "transitions is recorded for patient $p in 2026-11 already" "named"
run apcm check --patient "$p" --month 2026-13 --done coordination
rc_is 2 "a bad month"
like "$err" "month '2026-13' is not YYYY-MM" "named"
run apcm check --patient 999 --month 2026-11 --done coordination
rc_is 1 "an unknown patient"
run apcm check --patient "$p" --month 2026-11 transitions
rc_is 2 "elements without --done"
tsv
is "$out" "$before" "nothing changed"

# the practice's elements, attested in the config file
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'apcm:\n  attest: [access, communication]\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
is "$(met access)" "yes	attested" "an attested element"
is "$(met performance)" "no	missing" "one not attested"
run config --format tsv
like "$out" $'apcm.attest\taccess, communication\tfile' "config shows the attestations"
printf 'apcm:\n  attest: [access, care-plan]\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run apcm check --patient "$p" --month 2026-11
rc_is 1 "a patient's element attested is refused"
like "$err" "config.yaml:2:[0-9]+: apcm.attest: care-plan is the patient's" "naming file:line"
printf 'apcm:\n  atest: [access]\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run apcm check --patient "$p" --month 2026-11
rc_is 1 "an unknown key under apcm"
like "$err" "config.yaml:2:.*atest" "named by file:line"
rm "$XDG_CONFIG_HOME/caseload/config.yaml"

# audited and undone
run audit --table apcm_check --format tsv
like "$out" $'insert\tapcm_check\t[0-9]+\ttransitions' "the record is audited"
run audit --patient "$p" --format tsv
like "$out" "apcm check" "and the read"
like "$out" $'insert\tapcm_check\t' "and the record, in the patient's trail"
run undo
rc_is 0 "undo"
is "$(met transitions)" "no	missing" "undone"
is "$(met care-management)" "no	missing" "both"
done_testing
