#!/usr/bin/env bash
# import roster (issue 15 §3): a member list in CSV or TSV, matched by MRN;
# patient list --format csv writes the same format back (export then
# import changes nothing); every problem named by line and column and
# nothing written; one transaction that undo takes back whole; a
# million-row file refused cleanly in bounded memory.
. "$(dirname "$0")/../lib.sh"

must init >/dev/null
# what the database holds, for "nothing was written"
state() {
	sqlite3 "$CASELOAD_DB" "SELECT id, family, given, dob, mrn, phone, email, address, language,
	  risk, cadence_days, coordinator, status, interpreter, version FROM patient ORDER BY id;
	  SELECT count(*) FROM audit;"
}
npatients() { sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM patient"; }

# ---- a first roster: common headings, BOM, CRLF, quotes ----
printf '\xef\xbb\xbfMRN,Last Name,First Name,Date of Birth,Phone,Risk,Notes\r\n' >"$T/plan.csv"
printf 'M-100,Núñez,José,1978-08-08,555-0100,high,"first line\r\nsecond, line"\r\n' >>"$T/plan.csv"
printf 'M-200,"O""Brien",Ann,1950-02-03,,low,\r\n' >>"$T/plan.csv"
printf 'M-300,"Smith",Wei,1966-01-25,555-0300,,x\r\n' >>"$T/plan.csv"

run import roster "$T/plan.csv"
rc_is 2 "an unknown column is refused"
like "$err" "plan.csv: line 1, column 7: 'Notes' is not a patient field: map it \(--map 'Notes=FIELD'\) or ignore it \(--map 'Notes=-'\)" \
	"naming the column and how to map or ignore it"
is "$(npatients)" 0 "nothing written"

run import roster "$T/plan.csv" --map "Notes=-"
rc_is 0 "mapped to -, the column is ignored"
like "$out" "plan.csv: 3 rows: 3 added, 0 updated, 0 unchanged" "three patients added"
like "$out" "change [0-9]+: 'caseload undo [0-9]+' takes the roster back" "the change group is named"
is "$(sqlite3 "$CASELOAD_DB" "SELECT family || '|' || given || '|' || dob || '|' || phone || '|' || risk FROM patient WHERE mrn = 'M-100'")" \
	"Núñez|José|1978-08-08|555-0100|high" "values as written (the BOM is not part of the first heading)"
is "$(sqlite3 "$CASELOAD_DB" "SELECT family FROM patient WHERE mrn = 'M-200'")" "O\"Brien" "a doubled quote is one"
is "$(sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM audit WHERE action = 'insert' AND tbl = 'patient'")" 3 \
	"each patient audited as patient add audits it"

# ---- export, then import: a no-op ----
must patient list --format csv >"$T/export.csv"
is "$(head -1 "$T/export.csv")" "$(printf 'id,name,dob,mrn,risk,phone,language,email,cadence_days,status\r')" \
	"the CSV's header: the TSV's column names, CRLF line ends"
like "$(cat "$T/export.csv")" '"Núñez, José"' "a field with a comma is quoted"
# an independent reader: Python's csv module reads what the TSV says
/usr/bin/python3 - "$T/export.csv" >"$T/py.tsv" <<'EOF'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for row in csv.reader(f):
        print('\t'.join(row))
EOF
must patient list --format tsv >"$T/list.tsv"
is "$(cat "$T/py.tsv")" "$(cat "$T/list.tsv")" "Python's csv reads the same cells as the TSV listing"
before=$(state)
run import roster "$T/export.csv"
rc_is 0 "our own export imports"
like "$out" "3 rows: 0 added, 0 updated, 3 unchanged" "and changes nothing"
is "$(state)" "$before" "not a row, not an audit row"
must import roster "$T/list.tsv" >/dev/null
like "$out" "3 rows: 0 added, 0 updated, 3 unchanged" "the TSV listing too (by its .tsv name)"
cp "$T/list.tsv" "$T/list.txt"
run import roster "$T/list.txt"
like "$out" "3 rows: 0 added, 0 updated, 3 unchanged" "a TSV file is known by its first line"
is "$(state)" "$before" "still nothing written"

# ---- updates, --map, --dry-run ----
cat >"$T/update.csv" <<'EOF'
Member ID,Phone,Preferred Language,Plan,name
M-100,555-0199,Spanish,gold,
M-200,,English,silver,
M-300,555-0300,,,
M-400,555-0400,,bronze,"Chen, Li"
EOF
run import roster "$T/update.csv" --map "member id=mrn,Plan=-" --dry-run
rc_is 0 "a dry run"
like "$out" "line 2: would update patient [0-9]+: phone, language" "it lists each update with its fields"
like "$out" "line 5: would add a patient" "and each addition"
like "$out" "4 rows: 1 added, 2 updated \(phone 1, language 2\), 1 unchanged" "and counts them"
like "$out" "dry run: nothing was changed" "and says it wrote nothing"
is "$(state)" "$before" "a dry run writes nothing"

run import roster "$T/update.csv" --map "member id=mrn,Plan=-"
rc_is 0 "the same for real"
like "$out" "4 rows: 1 added, 2 updated \(phone 1, language 2\), 1 unchanged" "as the dry run said"
is "$(sqlite3 "$CASELOAD_DB" "SELECT phone || '|' || language FROM patient WHERE mrn = 'M-100'")" \
	"555-0199|Spanish" "the values that differ are written"
is "$(sqlite3 "$CASELOAD_DB" "SELECT phone IS NULL FROM patient WHERE mrn = 'M-200'")" 1 \
	"an empty cell changes nothing (M-200 had no phone, keeps none)"
is "$(sqlite3 "$CASELOAD_DB" "SELECT risk FROM patient WHERE mrn = 'M-100'")" "high" \
	"a field without a column is left as it was"
is "$(sqlite3 "$CASELOAD_DB" "SELECT family || '|' || given FROM patient WHERE mrn = 'M-400'")" "Chen|Li" \
	"a whole name is split as patient add splits it"

# ---- undo takes the roster back whole ----
run undo
rc_is 0 "undo"
like "$out" "imported roster: 1 added, 2 updated" "names the roster's change group"
is "$(state | head -n -1 | sed 's/|[0-9]*$//')" "$(printf '%s\n' "$before" | head -n -1 | sed 's/|[0-9]*$//')" \
	"every patient as before the roster (undo raises versions)"
is "$(npatients)" 3 "the added patient gone"

# ---- problems: named by line and column, nothing written ----
before=$(state)
cat >"$T/bad.csv" <<'EOF'
mrn,name,DOB,risk,cadence
M-500,"Doe, Jane",13/45/1950,low,30
M-501,"Roe, Rick",1950-01-01,severe,30
M-502,", Ed",1950-01-01,low,30
M-500,"Doe, Jane",1950-01-01,low,30
,"Poe, Ed",,,
M-503,"Moe, Al",1950-01-01
EOF
run import roster "$T/bad.csv"
rc_is 2 "a roster with problems is refused"
like "$err" "bad.csv: line 2, column DOB: '13/45/1950' is not a date \(YYYY-MM-DD\)" "a bad date: line and column"
like "$err" "bad.csv: line 3, column risk: 'severe' is not one of low, medium or high" "a bad code"
like "$err" "bad.csv: line 4, column name: ', Ed' has no family name" "a name that is not Family, Given"
like "$err" "line 5: MRN 'M-500' is also on line 2" "a duplicate MRN names both lines"
like "$err" "line 6, column mrn: empty" "a row without its MRN"
like "$err" "line 7: 3 fields where the header has 5" "a short row"
like "$err" "6 problems \(each shown\): nothing imported" "each problem shown, then the verdict"
is "$(state)" "$before" "nothing written"

printf 'mrn,name\nM-600,"Bad\xff, Byte"\n' >"$T/utf8.csv"
run import roster "$T/utf8.csv"
rc_is 2 "invalid UTF-8 refused"
like "$err" "line 2, column name: byte 4 is not valid UTF-8" "naming line and column"
printf 'mrn,name\nM-600,"open\n' >"$T/open.csv"
run import roster "$T/open.csv"
like "$err" "open.csv: line 3: the file ends inside a quoted field" "an unclosed quote"
: >"$T/empty.csv"
run import roster "$T/empty.csv"
like "$err" "empty.csv: empty: no header row" "an empty file"
run import roster "$T/none.csv"
rc_is 2 "a missing file"
like "$err" "none.csv: No such file or directory" "named"
run import roster -
rc_is 2 "standard input is refused"
like "$err" "reads its file twice .*: give a file, not standard input" "saying why"
is "$(state)" "$before" "none of them wrote anything"

# ---- one bad row in 1,000 ----
awk 'BEGIN { print "mrn,name,dob"; for (i = 1; i <= 1000; i++)
	printf "R-%04d,\"Family%d, Given%d\",%s\n", i, i, i, i == 999 ? "1950-02-30" : "1950-01-01" }' >"$T/k.csv"
run import roster "$T/k.csv"
rc_is 2 "one bad date in 1,000 rows"
like "$err" "line 1000, column dob: '1950-02-30' is not a date" "named"
is "$(state)" "$before" "and nothing of the 999 good rows written"
# a problem only the write finds (a namesake of a patient already there,
# born the same day, under another MRN): the 999 rows before it go too
awk 'BEGIN { print "mrn,name,dob"; for (i = 1; i <= 1000; i++)
	if (i == 1000) print "R-1000,\"Núñez, José\",1978-08-08";
	else printf "R-%04d,\"Family%d, Given%d\",1950-01-01\n", i, i, i }' >"$T/k2.csv"
run import roster "$T/k2.csv"
rc_is 1 "a namesake at row 1,000 is refused when written"
like "$err" "k2.csv: line 1001: a patient with this name and date of birth exists: patient 1" \
	"named by its line and the other record"
is "$(state)" "$before" "the 999 added before it rolled back: one transaction"

# ---- --coordinator ----
run import roster "$T/update.csv" --map "member id=mrn,Plan=-" --coordinator nobody
rc_is 2 "--coordinator must be on the team"
like "$err" "--coordinator 'nobody' is not on the team" "named"
must team add lee --name "Lee, Pat" >/dev/null
must import roster "$T/update.csv" --map "member id=mrn,Plan=-" --coordinator lee >/dev/null
is "$(sqlite3 "$CASELOAD_DB" "SELECT coordinator FROM patient WHERE mrn = 'M-400'")" lee \
	"a new patient is the coordinator's"
is "$(sqlite3 "$CASELOAD_DB" "SELECT coordinator IS NULL FROM patient WHERE mrn = 'M-100'")" 1 \
	"one already there keeps theirs"

# ---- the QMB flag (APCM's G0558) ----
printf 'MRN,Qualified Medicare Beneficiary\nM-100,yes\nM-200,no\n' >"$T/qmb.csv"
run import roster "$T/qmb.csv"
rc_is 0 "a QMB column imports"
like "$out" "2 rows: 0 added, 1 updated \(qmb 1\), 1 unchanged" "one patient changed, the field named"
is "$(sqlite3 "$CASELOAD_DB" "SELECT mrn || '=' || qmb FROM patient WHERE mrn IN ('M-100', 'M-200') ORDER BY mrn")" \
	"$(printf 'M-100=1\nM-200=0')" "M-100 is a QMB"
printf 'MRN,QMB\nM-200,maybe\n' >"$T/qmb-bad.csv"
run import roster "$T/qmb-bad.csv"
rc_is 2 "a QMB value not yes or no"
like "$err" "line 2, column QMB: 'maybe' is not yes or no" "named by line and column"

# ---- a million rows: refused cleanly, memory bounded ----
before=$(state)
awk 'BEGIN { print "mrn,name,dob,phone"; for (i = 1; i <= 1000000; i++)
	printf "B%07d,\"Family%d, Given%d\",1950-01-%02d,555-%04d\n", i, i, i, i % 28 + 1, i % 10000 }' >"$T/million.csv"
/usr/bin/time -v -o "$T/time.txt" "$CASELOAD" import roster "$T/million.csv" >"$T/m.out" 2>"$T/m.err" || true
like "$(cat "$T/m.err")" "million.csv: 1000000 rows: a roster is written in one transaction, of at most 100000 rows: split the file" \
	"a million rows are counted to the end and refused"
rss=$(awk '/Maximum resident set size/ { print $NF }' "$T/time.txt")
ok "peak RSS ${rss} KiB under ASan: below 128 MiB for a 57 MB file" test "$rss" -lt 131072
is "$(state)" "$before" "nothing written"
rm -f "$T/million.csv"

done_testing
