#!/usr/bin/env bash
# import adt: HL7 v2 ADT messages (A01, A03, A04, A08) applied to the
# patient matched by MRN and date of birth; a discharge starts the TCM
# clocks; a control id applied once; unmatched messages wait for adt
# match; --ack; a bad message refused alone; broken files; and the values
# read agree with an independent parser (@medplum/core's Hl7Message).
. "$(dirname "$0")/../lib.sh"

# msg FILE SEGMENT...: append a message, segments ended by CR
msg() {
	local f=$1
	shift
	printf '%s\r' "$@" >>"$f"
}
msh() {   # msh EVENT CONTROL_ID
	printf 'MSH|^~\\&|HIS|MERCY|CASELOAD|CLINIC|20261123083000||ADT^%s^ADT_%s|%s|P|2.5.1' \
		"$1" "$1" "$2"
}
pv1() {   # pv1 DISPOSITION ADMIT DISCHARGE: PV1-3, PV1-36, PV1-44, PV1-45
	local f=(PV1 1 I "4W^401^B^MERCY HOSPITAL")
	for ((i = 4; i <= 45; i++)); do f[i]=""; done
	f[36]=$1
	f[44]=$2
	f[45]=$3
	local IFS='|'
	printf '%s' "${f[*]}"
}
pid() {   # pid MRN DOB [ADDRESS] [PHONE]: PID-3, PID-7, PID-11, PID-13
	printf 'PID|1||99^^^OTHER^PI~%s^^^MERCY^MR||Doe^Jane||%s|F|||%s||%s' "$1" "$2" "${3:-}" \
		"${4:-}"
}
sql() { sqlite3 "$CASELOAD_DB" "$1"; }

jane=$(must patient add --name "Doe, Jane" --dob 1950-01-31 --mrn 1005)
other=$(must patient add --name "Roe, Rick" --dob 1948-05-05 --mrn 2002)

# ---- admit and discharge, matched ----
f=$T/feed.hl7
msg "$f" "$(msh A01 M1)" "EVN|A01|20261120090000" "$(pid 1005 19500131)" \
	"$(pv1 '' 20261120090000 '')"
msg "$f" "$(msh A03 M2)" "EVN|A03|20261123083000" "$(pid 1005 19500131)" \
	"ZPV|custom^segment" "$(pv1 01 20261120090000 20261123080000-0500)"
run import adt "$f"
rc_is 0 "two messages import"
is "$out" "2 messages: 2 applied, 0 unmatched, 0 duplicates, 0 refused" "the summary counts them"
is "$(sql "SELECT kind, facility, at, text FROM entry WHERE patient_id = $jane ORDER BY id")" \
	"$(printf '%s\n' \
	"admission|MERCY HOSPITAL|$(date -u -d '2026-11-20 14:00' +%s)|HL7 ADT A01, message M1" \
	"discharge|MERCY HOSPITAL|$(date -u -d '2026-11-23 13:00' +%s)|disposition: home; HL7 ADT A03, message M2, PV1-36 01")" \
	"admission and discharge on Jane's timeline: zone-less time in the configured zone, an offset honoured, PV1-36 01 is home"
run review --format tsv --date 2026-11-24
like "$out" $'\ttcm-contact\t[a-z]+\t2026-11-25\tdischarged 2026-11-23 from MERCY HOSPITAL' \
	"the review then shows the TCM contact for the discharge"
is "$(sql "SELECT control_id, type, state, patient_id, CASE WHEN raw IS NULL THEN 1 ELSE 0 END FROM adt_message ORDER BY id")" \
	"$(printf 'M1|A01|matched|%s|1\nM2|A03|matched|%s|1' "$jane" "$jane")" \
	"both kept as matched, without their text"

# ---- the same messages again: applied once ----
run import adt "$f"
rc_is 0 "a resent file imports"
is "$out" "2 messages: 0 applied, 0 unmatched, 2 duplicates, 0 refused" "both are duplicates"
is "$(sql "SELECT count(*) FROM entry WHERE patient_id = $jane")" 2 "nothing applied twice"

# ---- unmatched: the wrong date of birth, an unknown MRN ----
u=$T/unmatched.hl7
msg "$u" "$(msh A03 U1)" "$(pid 1005 19500130)" "$(pv1 62 '' 20261122100000)"
msg "$u" "$(msh A01 U2)" "$(pid 7777 19500131)" "$(pv1 '' 20261122100000 '')"
run import adt "$u"
is "$out" "2 messages: 0 applied, 2 unmatched, 0 duplicates, 0 refused" \
	"a wrong date of birth and an unknown MRN wait"
is "$(sql "SELECT count(*) FROM entry WHERE patient_id = $jane")" 2 "the wrong date of birth applied nothing"
run adt list --unmatched --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f3-8)" "$(printf '%s\n' \
	$'A03\tU1\tunmatched\t\t1005\t1950-01-30' $'A01\tU2\tunmatched\t\t7777\t1950-01-31')" \
	"adt list --unmatched lists them, oldest first"
u1=$(printf '%s\n' "$out" | awk -F'\t' '$4 == "U1" {print $1}')
u2=$(printf '%s\n' "$out" | awk -F'\t' '$4 == "U2" {print $1}')
e=$(must adt match "$u1" --patient "$jane")
is "$(sql "SELECT kind, text FROM entry WHERE id = $e")" \
	"discharge|disposition: rehab; HL7 ADT A03, message U1, PV1-36 62" "adt match applies it to the patient named"
is "$(sql "SELECT state, patient_id, entry_id, CASE WHEN raw IS NULL THEN 1 ELSE 0 END FROM adt_message WHERE id = $u1")" \
	"done|$jane|$e|1" "it is done, its text forgotten"
run adt match "$u1" --patient "$jane"
rc_is 1 "matching it again is refused"
like "$err" "ADT message $u1 is done, not waiting for a patient" "... saying why"
must adt drop "$u2" >/dev/null
is "$(sql "SELECT state, mrn, dob, raw FROM adt_message WHERE id = $u2")" "dropped|||" \
	"adt drop forgets its text, MRN and date of birth"
run adt list --unmatched --format tsv
is "$(printf '%s\n' "$out" | tail -n +2)" "" "nothing waits now"
run adt match 999 --patient "$jane"
rc_is 1 "an unknown message is refused"
like "$err" "no ADT message with id 999" "... by its id"

# ---- A08: phone and address only ----
a=$T/a08.hl7
msg "$a" "$(msh A08 D1)" "$(pid 2002 19480505 '12 Elm St^Apt 2^Dayton^OH^45402' '(555)200-2002')"
msg "$a" "$(msh A08 D2)" "$(pid 2002 19480505 '""' '')"
must import adt "$a" >/dev/null
is "$(sql "SELECT phone, address, family, dob FROM patient WHERE id = $other")" \
	"(555)200-2002|12 Elm St, Apt 2, Dayton, OH 45402|Roe|1948-05-05" \
	"A08 writes phone and address, nothing else; HL7's null erases nothing"

# ---- acknowledgements ----
k=$T/ack.hl7
msg "$k" "$(msh A03 K1)" "$(pid 1005 19500131)" "$(pv1 01 '' 20261123120000)"
msg "$k" "$(msh A02 K2)" "$(pid 1005 19500131)"
msg "$k" "$(msh A03 K3)" "$(pid 1005 1950131)" "$(pv1 01 '' 20261123120000)"
run import adt --ack "$k"
rc_is 1 "a refused message makes the exit status 1"
acks=$(printf '%s' "$out" | tr '\r' '\n')
is "$(printf '%s\n' "$acks" | grep -c '^MSH|^~\\&|CASELOAD|CLINIC|HIS|MERCY|[0-9]\{14\}+0000||ACK^A0[23]^ACK|ACK-K[123]|P|2.5.1$')" 3 \
	"one ACK per message, sender and receiver swapped"
is "$(printf '%s\n' "$acks" | grep '^MSA')" "$(printf '%s\n' 'MSA|AA|K1' \
	"MSA|AR|K2|MSH-9: event 'A02' is not one caseload takes (A01, A03, A04, A08)" \
	"MSA|AE|K3|PID-7: '1950131' is not a date")" "AA, AR for an event not taken, AE for a bad field"
is "$(printf '%s\n' "$acks" | grep '^ERR')" "$(printf '%s\n' \
	"ERR||MSH^1^9|201^Unsupported event code^HL70357|E||||MSH-9: event 'A02' is not one caseload takes (A01, A03, A04, A08)" \
	"ERR||PID^1^7|102^Data type error^HL70357|E||||PID-7: '1950131' is not a date")" \
	"ERR names the segment and field, with the HL7 error code"
like "$err" "message 3 \(K3\): PID-7: '1950131' is not a date" "stderr names the message and the field"
like "$err" "3 messages: 1 applied, 0 unmatched, 0 duplicates, 2 refused" \
	"with --ack the summary goes to stderr"
run import adt --ack "$k"
like "$(printf '%s' "$out" | tr '\r' '\n' | grep '^MSA|AA')" '^MSA\|AA\|K1\|duplicate' \
	"a duplicate is acknowledged AA, saying so"
# MLLP in, MLLP out
{ printf '\x0b'; msh A08 F1; printf '\r'; pid 4040 19500131; printf '\r\x1c\r'; } >"$T/mllp.hl7"
run import adt --ack "$T/mllp.hl7"
is "$(printf '%s' "$out" | head -c4)" $'\x0bMSH' "a framed input gets framed ACKs (VT first)"
is "$(printf '%s' "$out" | tail -c2 | od -An -tx1 | tr -d ' ')" 1c0d "... and FS CR last"
{ printf '\x0b'; msh A08 F2; printf '\r'; pid 4040 19500131; printf '\r\x1c\r'; } >"$T/mllp2.hl7"
run import adt --dry-run - <"$T/mllp2.hl7"
like "$out" "^1 message: 0 would apply, 1 unmatched" "standard input reads too"
is "$(sql "SELECT count(*) FROM adt_message WHERE control_id = 'F2'")" 0 "--dry-run keeps nothing"

# ---- a bad message among good ones: all or nothing per message ----
b=$T/mixed.hl7
msg "$b" "$(msh A01 B1)" "$(pid 2002 19480505)" "$(pv1 '' 20261121090000 '')"
msg "$b" "$(msh A03 B2)" "$(pid 2002 19480505)" "$(pv1 01 '' 2026112)"
msg "$b" "$(msh A03 B3)" "$(pid 2002 19480505)" "$(pv1 '' '' 20261122090000)"
run import adt "$b"
rc_is 1 "a bad message makes the exit status 1"
like "$err" "message 2 \(B2\): PV1-45: '2026112' is not a date and time" "the bad one named with its field"
like "$err" "1 of 3 messages refused" "... and counted"
is "$(sql "SELECT control_id FROM adt_message WHERE control_id LIKE 'B%' ORDER BY control_id")" \
	"$(printf 'B1\nB3')" \
	"the others imported, nothing of the bad one"
is "$(sql "SELECT count(*) FROM entry WHERE patient_id = $other")" 2 "two entries for the two good ones"

# ---- broken files ----
broken() {   # broken NAME WANT_ERR
	run import adt "$T/$1"
	rc_is 1 "$1: refused"
	like "$err" "$2" "$1: the message says where"
}
printf 'MSH|^~\\&|HIS|MERCY|CASELOAD|CLINIC|2026||ADT^A03|T1|P|2.5\rPID|1||1005^^^M^MR||Doe||1950' >"$T/truncated.hl7"
broken truncated.hl7 "message 1 \(T1\): PID-7: '1950' is not a date"
printf 'MSH|^~|HIS|MERCY\rPID|1\r' >"$T/separators.hl7"
broken separators.hl7 "message 1: MSH-2: the encoding characters '\^~' are not four distinct separators"
msg "$T/utf8.hl7" "$(msh A08 X1)" $'PID|1||1005^^^M^MR||Do\xe9^Jane||19500131'
broken utf8.hl7 "message 1 \(X1\): PID-5: byte 3 is not valid UTF-8"
msg "$T/escape.hl7" "$(msh A08 X2)" 'PID|1||1005^^^M^MR||Doe\Cxxyy\||19500131'
broken escape.hl7 "message 1 \(X2\): PID-5: escape sequence '.Cxxyy.' is not one caseload reads"
msg "$T/garbage.hl7" "hello world" "$(msh A08 X3)" "$(pid 1005 19500131)"
broken garbage.hl7 "message 1: segment 1: a message begins with MSH, not 'hel'"
like "$out" "2 messages: 1 applied" "garbage.hl7: the message after the garbage imports"
{ msh A08 X4; printf '\rPID|1||1005^^^M^MR||'; head -c 100000 /dev/zero | tr '\0' x; printf '\r'; } >"$T/huge.hl7"
broken huge.hl7 "message 1 \(X4\): segment 2 \(PID\): longer than 64 KiB"
is "$(sql "SELECT count(*) FROM adt_message WHERE control_id LIKE 'X%' OR control_id = 'T1'")" 1 \
	"nothing of a refused message was written (only X3, the good one)"

# 10,000 messages, read one at a time (on the SQLite file only: the reader
# is the same on either engine, and PostgreSQL's savepoint a message makes
# this part minutes long in pg_suite.sh)
if [ -f "$CASELOAD_DB" ]; then
	python3 - "$T/many.hl7" <<'EOF'
import sys
with open(sys.argv[1], 'w', newline='') as f:
    for i in range(10000):
        f.write('\x0bMSH|^~\\&|HIS|MERCY|CASELOAD|CLINIC|2026||ADT^A08|N%05d|P|2.5\r'
                'PID|1||%d^^^M^MR||Doe^Jane||19500131\r\x1c\r' % (i, 5000 + i))
EOF
	run import adt --dry-run "$T/many.hl7"
	rc_is 0 "10,000 messages import (dry run)"
	is "$out" "10000 messages: 0 would apply, 10000 unmatched, 0 duplicates, 0 refused (dry run: nothing kept)" \
		"every one counted"
	is "$(sql "SELECT count(*) FROM adt_message WHERE control_id LIKE 'N%'")" 0 "a dry run keeps nothing"
else
	skip "10,000 messages" "on the SQLite file only"
fi

# ---- the values read agree with @medplum/core's Hl7Message ----
interop="$top/tests/interop"
if command -v node >/dev/null 2>&1 && [ -f "$interop/node_modules/@medplum/core/package.json" ]; then
	x=$T/interop.hl7
	msg "$x" "$(msh A03 I1)" "EVN|A03|20261123083000" \
		'PID|1||99^^^OTHER^PI~1005^^^MERCY^MR||D\F\oe^J\X4A6F73C3A9\~Smith\S\x^Ann\T\b\R\c\E\||19500131|F|||1 Main\.br\St&x^^Springfield^IL^62701' \
		"$(pv1 01 20261120090000 20261123080000-0500)" "NTE|1||a&b&&c^^d~~e"
	msg "$x" 'MSH#*@!$#A#B#C#D#2026##ADT*A08#I2#P#2.5' 'PID#1##7*$$$H$X*$$MR##Lee!F!*A@B!S!C!T!!R!!E!' \
		'ZZZ#uni!H!code!N! ü 王#$$'
	node "$interop/check-hl7.mjs" "$x" >"$T/medplum.tsv"
	run import adt --dry-run --format tsv "$x"
	rc_is 0 "the interop messages read"
	printf '%s\n' "$out" >"$T/caseload.tsv"
	is "$(diff "$T/medplum.tsv" "$T/caseload.tsv")" "" \
		"every value (escapes, repetitions, subcomponents, custom separators) as @medplum/core reads it"
	ok "... and there are values to compare" test "$(wc -l <"$T/caseload.tsv")" -gt 40
elif [ "${CI:-}" = true ]; then
	_result 0 "@medplum/core is installed (make deps-test)"
else
	skip "the values agree with @medplum/core" "node or tests/interop/node_modules missing"
fi

done_testing
