#!/usr/bin/env bash
# The review kept in the store (issue 12): `caseload review` of the whole
# caseload reads each patient's items from review_state, made by the same
# rules and marked stale by the store's triggers when a patient's records
# change.  On a demo caseload of 2,000 patients:
# - its table, JSON and TSV are those of the binary before the review was
#   kept: tests/data/review_kept.sha256 holds their sums, made with
#     CASELOAD_REVIEW_SUMS=1 BUILD=<that build> bash tests/cli/review_kept.sh
#   (commit bc61510, which ran the rules for the whole caseload each time);
# - after each kind of change (marks, a task added and done, a note, a
#   patient edited, a discharge, another day, other thresholds; a team
#   member's own patients) it is what the rules
#   give at that moment: the same listing through the rules' own path
#   (--severity naming every severity runs the rules, as before).
. "$(dirname "$0")/../lib.sh"
SUMS="$top/tests/data/review_kept.sha256"

run demo --patients 2000 --seed 7
rc_is 0 "a demo caseload of 2000 patients"

for f in table json tsv; do
	run review --format "$f"
	sum=$(printf '%s\n' "$out" | sha256sum | cut -d' ' -f1)
	if [ -n "${CASELOAD_REVIEW_SUMS:-}" ]; then
		echo "$sum  review.$f" >&3
		continue
	fi
	rc_is 0 "review --format $f: lists"
	is "$sum  review.$f" "$(grep "  review.$f\$" "$SUMS" || true)" \
		"review --format $f: $(printf '%s\n' "$out" | wc -l) lines as before the review was kept"
done
[ -z "${CASELOAD_REVIEW_SUMS:-}" ] || exit 0

# same WHAT ARGS...: review ARGS gives, as a table (whose widths are kept
# too) and in TSV (FORMATS: the formats), what the rules give (as the
# user --user $AS when set)
AS=
FORMATS="table json tsv"
same() {
	local what=$1 f kept
	local -a who=()
	shift
	[ -z "$AS" ] || who=(--user "$AS")
	for f in $FORMATS; do
		run "${who[@]}" review --format "$f" "$@"
		kept=$out
		rc_is 0 "$what: review --format $f"
		run "${who[@]}" review --format "$f" --severity low,medium,high,urgent "$@"
		is "$kept" "$out" "$what: the kept review ($f) is what the rules give"
	done
}

same "read again"
FORMATS="table tsv"   # JSON is the TSV's items: checked once above
must review mark 50 >/dev/null
must review mark --skip 66 >/dev/null
must review mark 1999 >/dev/null
same "three patients marked"
run review
like "$out" "Pérez, Ana \(50\) reviewed" "a mark shows on its patient"
like "$out" "today 2 reviewed, 1 skipped" "and in the counts"

task=$(must task add --patient 7 --title "Kept review check" --due today)
same "a task added"
run review
like "$out" "Kept review check: due today" "the new task's item is there"
must task done "$task" >/dev/null
same "the task done"
# a kept line's text is read back a stretch at a time (kept_line): its
# backslashes (escaped in the row: a "\n" or "\t" in it is two characters,
# one at its end too) and an overdue task's day count as written
task=$(must task add --patient 8 --title 'Scan C:\new\temp \\ done\' --due 2026-11-20)
same "a task's title with backslashes"
run review
like "$out" 'Scan C:\\new\\temp \\\\ done\\: due 2026-11-20, [0-9]+ days overdue' \
	"its item as written, the day count too"
must task done "$task" >/dev/null
run review
unlike "$out" "Kept review check" "and gone once done"

must note add --patient 9 --kind call --outcome reached --text "Spoke with them" >/dev/null
same "a reached call logged"
must patient edit 11 --risk high >/dev/null
same "a patient's risk raised"
must review mark --clear 66 >/dev/null
same "a mark cleared"

same "another day" --date 2026-11-27
same "back to the day"

mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'review:\n  transport_days: 6\n  refill_days: 9\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
same "other thresholds"
run review
like "$out" "transport" "the wider transport window lists rides"

must discharge --patient 13 --date 2026-11-23 --facility "General" >/dev/null
same "a discharge recorded"
run review
like "$out" "discharged 2026-11-23 from General" "the discharge's items are there"

# a team of several: a coordinator's review is their own patients'
# (--user is for a file: on PostgreSQL the server's role is the user)
if [[ "$CASELOAD_DB" == postgres* || "$CASELOAD_DB" == *dbname=* ]]; then
	skip "a coordinator's own patients" "--user is not for a PostgreSQL database"
	done_testing
fi
must team add alice --name "Alice Adams" >/dev/null
must team add bob --name "Bob Brown" >/dev/null
for id in 3 7 13 50 66 120 121 122 500 1999; do
	must patient assign "$id" alice >/dev/null
done
AS=alice
same "alice's own patients"
run --user alice review
like "$out" "The patients of alice only" "alice's review says whose it is"
like "$out" "Pérez, Ana \(50\) reviewed" "with her patients' marks"
unlike "$out" "\(9\)" "and none of the others"
AS=bob
same "bob, who has no patients yet"
AS=
same "the whole team's" --team

done_testing
