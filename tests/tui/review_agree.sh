#!/usr/bin/env bash
# One definition of "needs review", four places that show it, on the demo
# caseload: the title bar's count, the caseload's `!` marks, its "needs
# review" filter (f) and `caseload review`: the same patients, also after
# one patient is skipped (still needs review) and one reviewed (does not).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

must demo >/dev/null
# a skipped patient and a reviewed one, taken from the day's list
run review --format tsv
ids=$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | awk '!seen[$1]++')
skip_id=$(printf '%s\n' "$ids" | sed -n 1p)
done_id=$(printf '%s\n' "$ids" | sed -n 2p)
must review mark "$skip_id" --skip >/dev/null
must review mark "$done_id" >/dev/null

# caseload review: the patients listed and not marked reviewed
run review --format tsv
cli_names=$(printf '%s\n' "$out" | tail -n +2 | awk -F'\t' '$9 != "reviewed" && !seen[$1]++ {print $2}' | sort)
n=$(printf '%s\n' "$cli_names" | grep -c .)
[ "$n" -gt 20 ] && _result 1 "the demo has many patients to review ($n)" || _result 0 "the demo has patients to review" "$n"
run review
like "$out" "today 1 reviewed, 1 skipped, $n still need review\\.$" "caseload review counts $n, the skipped one among them"

# the caseload's rows: "! Family, Gi…" cut at the pane's width; compare
# names by their first 10 characters
cut_names() { /usr/bin/python3 -c 'import sys
for l in sys.stdin: print(l.rstrip("\n").strip().rstrip("…")[:10])'; }
tui_start
tmux_ resize-window -x 160 -y 90
wait_for 'Caseload by name|Caseload by need' 'the workstation opens'
wait_for "— $n need review" "the title bar counts $n"
keys o
wait_for 'Caseload by name' 'ordered by name (a stable order to read)'
wait_gone 'Caseload by need'
rows() { screen | sed -n '4,88p' | /usr/bin/python3 -c 'import sys
for l in sys.stdin: print(l[1:20])' | grep -E '^[! ] [^ ]' ; }
all=$(rows)
is "$(printf '%s\n' "$all" | grep -c .)" 60 "all 60 patients are on the screen"
marks=$(printf '%s\n' "$all" | grep '^!' | cut -c3- | cut_names | sort)
is "$marks" "$(printf '%s\n' "$cli_names" | cut_names | sort)" "the ! marks are the patients caseload review lists as needing review"
keys f f
wait_for 'Caseload by name — needs review' 'f f: the needs-review filter'
filtered=$(rows)
is "$(printf '%s\n' "$filtered" | cut -c3- | cut_names | sort)" "$marks" "the filter shows exactly the marked patients"
is "$(printf '%s\n' "$filtered" | grep -vc '^!' || true)" 0 "every one of them with its !"
like "$(screen | sed -n 1p)" "— $n need review" "and the title count agrees"
# another process marks a third patient reviewed, then takes it back: the
# title count (made a slice at a time) follows each change
other_id=$(printf '%s\n' "$ids" | sed -n 3p)
must review mark "$other_id" >/dev/null
wait_for "— $((n - 1)) need review" "a patient reviewed elsewhere leaves $((n - 1))"
must review mark "$other_id" --clear >/dev/null
wait_for "— $n need review" "and unmarked, $n again"
# the same during a burst of another process's writes (an import's
# batches, a write every fraction of a second): the count waits for them
# to stop, then is made again with what they changed, and the marks agree
must review mark "$other_id" >/dev/null
for i in 1 2 3 4 5 6 7 8; do
	must patient add --name "Burst, Pat$i" >/dev/null
	sleep 0.2
done
run review --format tsv
after=$(printf '%s
' "$out" | tail -n +2 | awk -F'	' '$9 != "reviewed" && !seen[$1]++ {print $2}' | sort)
m=$(printf '%s
' "$after" | grep -c .)
wait_for "— $m need review" "after the burst the title counts $m, as caseload review does"
keys g
wait_for 'Burst, Pat' 'the new patients are listed'
all=$(rows)
marks=$(printf '%s
' "$all" | grep '^!' | cut -c3- | cut_names | sort)
is "$marks" "$(printf '%s
' "$after" | cut_names | sort)" "and the ! marks are the patients it lists"
keys q
wait_exit
tui_stop
done_testing
