#!/usr/bin/env bash
# N: the hospital's messages that `import adt` could not match wait on the
# screen, oldest first, with the name and place the message gives; A
# matches one to a patient found by search (after a yes that shows both
# sides), d drops one (after a yes), Esc writes nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

msg() { local f=$1; shift; printf '%s\r' "$@" >>"$f"; }
msh() { printf 'MSH|^~\\&|HIS|MERCY|CASELOAD|CLINIC|20261123083000||ADT^%s^ADT_%s|%s|P|2.5.1' "$1" "$1" "$2"; }
pv1() {   # pv1 DISCHARGE_TIME: PV1-3 and PV1-45
	local f=(PV1 1 I "4W^401^B^MERCY HOSPITAL")
	for ((i = 4; i <= 45; i++)); do f[i]=""; done
	f[45]=$1
	local IFS='|'
	printf '%s' "${f[*]}"
}

run init
ana=$(must patient add --name "Vega, Ana" --dob 1950-01-31 --mrn 4001)
f=$T/feed.hl7
# the hospital's MRN and the name it spells differ from ours: unmatched
msg "$f" "$(msh A03 D1)" "EVN|A03|20261123083000" \
	"PID|1||H-778^^^MERCY^MR||VEGA^ANA^M||19500131|F" "$(pv1 20261123080000)"
msg "$f" "$(msh A01 D2)" "EVN|A01|20261122090000" \
	"PID|1||H-999^^^MERCY^MR||Stranger^Sam||19400101|M" "$(pv1 '')"
run import adt "$f"
is "$out" "2 messages: 0 applied, 2 unmatched, 0 duplicates, 0 refused" 'both wait for their patient'

tui_start
wait_for 'Vega, Ana' 'the screen opens'
like "$(screen | head -1)" '2 ADT to match \[N\]' 'the title says two messages wait, and the key to them'
keys N
wait_for 'Hospital messages waiting for their patient: 2' 'N lists the waiting messages, counted'
s=$(screen)
like "$s" 'discharge +VEGA, ANA +MERCY HOSPITAL +H-778 +1950-01-31' 'the discharge with the name, place, MRN and birth date it gives'
like "$s" 'admission +Stranger, Sam' 'and the admission'

# A: to Ana, found by search; n first applies nothing
keys A
wait_for 'match to \(name, MRN or phone\):' 'A asks whom it is about'
type_text 'Vega'
keys Enter
wait_for 'Vega, Ana' 'the search offers Ana'
keys Enter
wait_for 'Apply the discharge VEGA, ANA \(MRN H-778, born 1950-01-31\) to Vega, Ana' 'it shows both sides before applying'
keys n
wait_for 'nothing applied' 'n applies nothing'
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM entry WHERE patient_id = $ana")" 0 'no entry on her timeline'
keys A
wait_for 'match to' 'A again'
type_text 'Vega'
keys Enter Enter
wait_for 'Apply the discharge' 'asked again'
keys y
wait_for 'applied to Vega, Ana' 'y applies it'
wait_for 'Hospital messages waiting for their patient: 1' 'one message waits now'
like "$(screen | head -1)" '1 ADT to match' 'and the title counts one'
is "$(sqlite3 "$CASELOAD_DB" "SELECT kind, facility FROM entry WHERE patient_id = $ana")" \
	'discharge|MERCY HOSPITAL' "the discharge is on Ana's timeline"
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM episode WHERE patient_id = $ana AND program = 'tcm'")" 1 \
	'and opened her transitional care'

# d: drop the stranger's
keys d
wait_for 'Drop message [0-9]+ \(admission\)\?' 'd asks before dropping'
keys y
wait_for 'dropped' 'y drops it'
wait_for 'Hospital messages waiting for their patient: 0' 'nothing waits'
unlike "$(screen | head -1)" 'ADT to match' 'the title no longer speaks of them'
run adt list --unmatched --format tsv
is "$(printf '%s\n' "$out" | tail -n +2)" '' 'the command line agrees: nothing unmatched'
run audit --format tsv
like "$out" $'list\tpatient\t\tscreen adt' "the screen's list is audited as a read"

keys Escape
wait_gone 'Hospital messages' 'Esc closes the list'
# a nightly feed imported by another process while the screen is open
: >"$f"
msg "$f" "$(msh A01 D3)" "EVN|A01|20261123100000" \
	"PID|1||H-555^^^MERCY^MR||Nobody^Ned||19300101|M" "$(pv1 '')"
run import adt "$f"
is "$out" "1 message: 0 applied, 1 unmatched, 0 duplicates, 0 refused" 'another process imports one more'
wait_for '1 ADT to match' "the title counts it without a key"
keys q
wait_exit
tui_stop
done_testing
