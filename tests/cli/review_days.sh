#!/usr/bin/env bash
# The kept review over many days (issue 12): a row stands for the days on
# which its patient's items keep their reasons, severities and order (the
# day counts of the details are written as read), and is made again only
# after them.  On a demo caseload, the review of each of 40 days in a row
# (a month's end and a chronic care window included) is, item for item,
# what the rules give from scratch for that day; so is the table (its
# widths and counts) every fifth day, and a day a week after.
. "$(dirname "$0")/../lib.sh"

must demo --patients 400 --seed 3 >/dev/null
start=$(date -d "$CASELOAD_TODAY" +%s)
# scratch DAY [ARGS]: what the rules give (--severity naming every
# severity runs them, not the kept rows)
scratch() { run review --date "$1" --severity low,medium,high,urgent "${@:2}"; }
bad=
for i in $(seq 0 39); do
	day=$(date -u -d "@$((start + i * 86400 + 43200))" +%F)
	scratch "$day" --format tsv
	want=$out
	run review --date "$day" --format tsv
	if [ "$rc" != 0 ] || [ "$out" != "$want" ]; then
		bad="$bad $day"
		is "$out" "$want" "the kept review of $day is what the rules give"
	fi
	if [ $((i % 5)) = 0 ]; then
		scratch "$day"
		want=$out
		run review --date "$day"
		is "$out" "$want" "the table of $day, widths and counts included"
	fi
done
is "$bad" "" "40 days in a row: each the rules' review of the day"
day=$(date -u -d "@$((start + 46 * 86400 + 43200))" +%F)
scratch "$day" --format tsv
want=$out
run review --date "$day" --format tsv
is "$out" "$want" "a week later ($day)"
done_testing
