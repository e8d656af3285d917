#!/usr/bin/env bash
# The kept review's periods (issue 12): a review of a day makes each row
# for the days ahead too (review_period: one row for each stretch of days
# over which the patient's items stay the same), so that the reviews of the
# next days read them and make none again; once listed, a review makes
# again the rows whose days end the next day.  On a demo caseload, after
# one review of a day, the review of each of the next days (in every
# format) is byte for byte the one made from scratch for that day: on a
# copy of the database whose kept rows are all stale (the kept path, every
# row made for that day alone) and by the rules themselves; after a write,
# the stale patient's row is made again and the days after still agree.
. "$(dirname "$0")/../lib.sh"

must demo --patients 500 --seed 11 >/dev/null
start=$(date -d "$CASELOAD_TODAY" +%s)
day_of() { date -u -d "@$((start + $1 * 86400 + 43200))" +%F; }
db=$CASELOAD_DB
kept() { sqlite3 "$db" "SELECT patient_id, made_day, until_day FROM review_state ORDER BY 1"; }
periods() { sqlite3 "$db" "SELECT * FROM review_period ORDER BY patient_id, from_day" | sha256sum; }

# agree N...: into bad, each day N (as day_of) whose review (TSV, or
# $fmt) is not the one made from scratch (on a stale copy, and by the
# rules)
agree() {
	local i day kept_out
	bad=
	for i in "$@"; do
		day=$(day_of "$i")
		run review --date "$day" --format "${fmt:-tsv}"
		kept_out=$out
		fresh "$day" --format "${fmt:-tsv}"
		[ "$out" = "$kept_out" ] || bad="$bad $day"
		run review --date "$day" --format "${fmt:-tsv}" --severity low,medium,high,urgent
		[ "$out" = "$kept_out" ] || bad="$bad $day(rules)"
	done
}

# fresh DAY ARGS: the review of DAY on a copy whose rows are all stale
fresh() {
	rm -f "$T/fresh.db"
	sqlite3 "$db" ".backup '$T/fresh.db'"
	sqlite3 "$T/fresh.db" "UPDATE review_state SET stale = 1"
	run --db "$T/fresh.db" review --date "$@"
}

must review --date "$(day_of 0)" >/dev/null
made=$(kept)
before=$(periods)
n=$(sqlite3 "$db" "SELECT count(*) FROM review_period")
p=$(sqlite3 "$db" "SELECT count(*) FROM review_state")
ok "periods ahead of the day ($n for $p patients)" test "$n" -gt "$p"
ok "every row stands for 3 days or more" \
	test "$(sqlite3 "$db" "SELECT count(*) FROM review_state WHERE until_day - made_day < 3")" = 0

bad=
for i in 0 1 2 3; do
	if [ "$i" = 2 ]; then
		is "$(kept)" "$made" "days 0 and 1: no row was made again"
		is "$(periods)" "$before" "nor a period"
	fi
	day=$(day_of "$i")
	for f in table tsv json; do
		run review --date "$day" --format "$f"
		rc_is 0 "review --date $day --format $f"
		kept_out=$out
		fresh "$day" --format "$f"
		[ "$out" = "$kept_out" ] || bad="$bad $day/$f"
		run review --date "$day" --format "$f" --severity low,medium,high,urgent
		[ "$out" = "$kept_out" ] || bad="$bad $day/$f(rules)"
	done
done
is "$bad" "" "days 0 to 3 read from the periods: each as made from scratch for the day"
d4=$(( ($(date -u -d "$(day_of 4)" +%s)) / 86400 ))
is "$(sqlite3 "$db" "SELECT count(*) FROM review_state WHERE until_day <= $d4")" 0 \
	"once listed, the review of day 3 made again the rows that ended on day 4"

# a write: its patient's row made again from that day, the others kept
pid=$(sqlite3 "$db" "SELECT min(id) FROM patient WHERE status = 'active'")
others=$(kept | grep -v "^$pid|")
must task add --patient "$pid" --title "Periods check" --due "$(day_of 4)" >/dev/null
run review --date "$(day_of 3)" --format tsv
unlike "$out" "Periods check" "a task due in a day is not in the review yet"
is "$(kept | grep -v "^$pid|")" "$others" "the others' rows as they were after the write"
d3=$(( ($(date -u -d "$(day_of 3)" +%s)) / 86400 ))
is "$(sqlite3 "$db" "SELECT made_day FROM review_state WHERE patient_id = $pid")" "$d3" \
	"the patient's made again"
agree 3 4 5 6
is "$bad" "" "days 3 to 6 after the write: as made from scratch"
run review --date "$(day_of 4)" --format tsv
like "$out" "Periods check: due today" "the task comes on its day"

# later days (some rows past their days: made again), the same again
agree 8 9 12
is "$bad" "" "days 8, 9 and 12: as made from scratch"

# day after day: a row made again once listed on its last day stands for
# the day and a whole cycle (10 days) after it, each block of 256
# patients on its own day of the cycle (these 500: two blocks, two days);
# the table (its counts and widths from the periods begun in the last 3
# days: none stands for more) as made from scratch each day
fmt=table agree 13 14 15 16 17 18 19 20 21 22
is "$bad" "" "days 13 to 22 (table): as made from scratch"
d13=$(( ($(date -u -d "$(day_of 13)" +%s)) / 86400 ))
is "$(sqlite3 "$db" "SELECT DISTINCT until_day - made_day FROM review_state
	WHERE made_day >= $d13 AND stale = 0")" 11 "a row made again on its last day: 11 days"
is "$(sqlite3 "$db" "SELECT made_day FROM review_state WHERE made_day >= $d13
	GROUP BY made_day HAVING count(DISTINCT patient_id / 256) > 1")" "" \
	"the blocks made again on days of their own"
is "$(sqlite3 "$db" "SELECT count(DISTINCT made_day) FROM review_state")" 2 \
	"two blocks, two days"
is "$(sqlite3 "$db" "SELECT count(*) FROM review_period WHERE to_day - from_day > 3")" 0 \
	"no period stands for more than 3 days"

# a month's turn with CCM's last days a whole month long: a row made in
# November for days into December holds December's item from its first
# day (the next month's facts begin a period there)
cfg=$T/ccm.yaml
printf 'review:\n  ccm_days_left: 31\n' >"$cfg"
mdb=$T/month.db
must --db "$mdb" --config "$cfg" --today 2026-11-28 demo --patients 300 --seed 5 >/dev/null
must --db "$mdb" --config "$cfg" review --date 2026-11-28 >/dev/null
bad=
for day in 2026-11-29 2026-11-30 2026-12-01 2026-12-02 2026-12-03; do
	run --db "$mdb" --config "$cfg" review --date "$day" --format tsv
	kept_out=$out
	[ "$day" != 2026-12-01 ] || like "$kept_out" "ccm-minutes.*2026-12" "December's CCM items on its first"
	run --db "$mdb" --config "$cfg" review --date "$day" --format tsv --severity low,medium,high,urgent
	[ "$out" = "$kept_out" ] || bad="$bad $day"
done
is "$bad" "" "ccm_days_left 31 across a month's end: each day as the rules make it"

# a patient of an id below 1 (written by another program) is made again
# too once its days run out
ndb=$T/neg.db
must --db "$ndb" demo --patients 40 --seed 3 >/dev/null
sqlite3 "$ndb" "INSERT INTO patient(id, family, given, created, updated, risk)
	VALUES (-7, 'Negative', 'Ida', 0, 0, 'high')"
bad=
for i in 0 1 5 12 13; do
	day=$(day_of "$i")
	run --db "$ndb" review --date "$day" --format tsv
	kept_out=$out
	run --db "$ndb" review --date "$day" --format tsv --severity low,medium,high,urgent
	[ "$out" = "$kept_out" ] || bad="$bad $day"
done
like "$kept_out" "Negative, Ida" "the patient is in the review"
is "$bad" "" "a patient of id -7: each day as the rules make it"
done_testing
