#!/usr/bin/env bash
# caseload db copy SRC DST: a whole caseload into a new or empty database.
# The copy lists, reviews and exports exactly what the source does, its
# audit chain verifies, and a copy that fails or is killed leaves nothing.
. "$(dirname "$0")/../lib.sh"

src="$T/src.db"
must --db "$src" demo --patients 40 >/dev/null
must --db "$src" template apply "$(ls "$top/data/templates" | head -n1 | sed 's/\.yaml$//')" \
	--patient 1 >/dev/null
must --db "$src" review mark 2 >/dev/null

run db copy "$src" "$T/copy.db"
rc_is 0 "db copy into a new file"
like "$out" "copy.db: created, [0-9]+ tables, [0-9]+ rows copied from .*src.db, each table's count checked; audit chain of [0-9]+ rows verified" \
	"it says what it made and what it checked"
like "$out" "patient +40" "a line per table with its rows"
for t in care_plan goal review_mark patient_search; do
	n=$(sqlite3 "$src" "SELECT count(*) FROM $t")
	ok "the source has $t rows" test "$n" -gt 0
	is "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM $t")" "$n" "every $t row copied"
done
is "$(stat -c %a "$T/copy.db")" 600 "the copy is 0600"
is "$(ls -A "$T" | grep -c '^\.caseload-' || true)" 0 "no temporary file left beside it"

# every listing the same (before anything is read from either, and
# with the ids as they were)
dst="$T/copy.db"
same() {   # same DESC ARGS...: the output of ARGS on $src and $dst
	local desc=$1 a b
	shift
	run --db "$src" "$@"
	a=$out
	run --db "$dst" "$@"
	b=$out
	is "$b" "$a" "$desc the same in the copy"
}
same "patient list --all" patient list --all --format tsv
same "contact list" contact list --format tsv
same "med list" med list --format tsv
same "appt list" appt list --format tsv
same "task list --all" task list --all --format tsv
same "plan list" plan list --format tsv
same "patient show 1" patient show 1
same "agenda for a week" agenda --days 7 --format tsv
same "the review" review --format tsv
run --db "$src" export --all -o "$T/src.ics"
run --db "$T/copy.db" export --all -o "$T/copy.ics"
# DTSTAMP is the export's own instant: the two runs may straddle a second
grep -v '^DTSTAMP:' "$T/src.ics" >"$T/src.cmp"
grep -v '^DTSTAMP:' "$T/copy.ics" >"$T/copy.cmp"
ok "export --all writes the same calendar" cmp "$T/src.cmp" "$T/copy.cmp"

run --db "$T/copy.db" audit verify
rc_is 0 "the copy's audit chain verifies"
run --db "$T/copy.db" check
rc_is 0 "caseload check passes on the copy"
run --db "$T/copy.db" audit --table database --format tsv
like "$out" $'\tcopy\tdatabase\t' "the copy is in the copy's audit"
run --db "$src" audit --limit 200 --format tsv
like "$out" $'\texport\tpatient\t\tdb copy' "the read is in the source's audit"
must --db "$T/copy.db" patient add --name "New, Person" >/dev/null
is "$(sqlite3 "$T/copy.db" "SELECT max(id) FROM patient")" 41 "a patient added to the copy gets the next id"

# the review kept (review_state) comes as current as it was in the
# source (the same data): the copy's first review makes no row again, as
# the source's does not; a later day's makes the same rows again on both
# (made_day: the day a row was made)
must --db "$src" review >/dev/null
run db copy "$src" "$T/kept.db"
rc_is 0 "db copy of a source whose review is kept for today"
kept() { sqlite3 "$1" "SELECT patient_id, stale, made_day, until_day FROM review_state
                       ORDER BY patient_id; SELECT patient_id, from_day, to_day, n_items, name,
                       items FROM review_period ORDER BY patient_id, from_day"; }
is "$(sqlite3 "$T/kept.db" "SELECT count(*) FROM review_state WHERE stale = 1")" 0 \
	"no kept row is stale in the copy"
is "$(kept "$T/kept.db")" "$(kept "$src")" "the kept rows as they are in the source"
dst="$T/kept.db"
same "the review after the copy" review --format tsv
is "$(kept "$T/kept.db")" "$(kept "$src")" "which made no row again"
today=$(sqlite3 "$src" "SELECT max(made_day) FROM review_state")
later=$(date -u -d "$CASELOAD_TODAY 12:00 UTC +2 days" +%F)
same "the review two days later" review --date "$later" --format tsv
is "$(kept "$T/kept.db")" "$(kept "$src")" "which made the same rows again"
kept_on=$(sqlite3 "$src" "SELECT count(*) FROM review_state WHERE made_day = $today")
ok "and kept the others ($kept_on)" test "$kept_on" -gt 0

# refused: a non-empty target (nothing written to it), a bad source
audit=$(sqlite3 "$T/copy.db" "SELECT count(*) FROM audit")
run db copy "$src" "$T/copy.db"
rc_is 1 "a target that is not empty is refused"
like "$err" "copy.db is not empty \(41 patient rows, .*41 review_state rows, .*audit rows\)" "naming what it holds"
is "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM audit")" "$audit" "and it is left as it was"
run db copy "$T/none.db" "$T/x.db"
rc_is 1 "a missing source is refused"
like "$err" "none.db: no such database" "naming it"
ok "and no target is made" test ! -e "$T/x.db"
printf 'not a database\n' >"$T/bad.db"
run db copy "$T/bad.db" "$T/x.db"
rc_is 1 "a source that is not a caseload is refused"
like "$err" "bad.db is not a caseload database" "saying so"
ok "and no target is made" test ! -e "$T/x.db"
cp "$src" "$T/broken.db"
sqlite3 "$T/broken.db" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'x' WHERE id = 3"
run db copy "$T/broken.db" "$T/x.db"
rc_is 1 "a source whose audit chain is broken is refused"
like "$err" "audit chain is broken at row 3" "naming the row"
ok "and no target is made" test ! -e "$T/x.db"
run db copy "$src" "$src"
rc_is 2 "a database copied onto itself is refused"
run db copy "$src"
rc_is 2 "db copy without a target is a usage error"

# into an empty database made by init
must --db "$T/empty.db" init >/dev/null
run db copy "$src" "$T/empty.db"
rc_is 0 "db copy into an empty database made by init"
unlike "$out" "created" "which it does not say it created"
dst="$T/empty.db"
same "patient list --all (into an empty database)" patient list --all --format tsv
run --db "$T/empty.db" audit verify
rc_is 0 "and its audit chain verifies"

# killed in the middle: no target file (the copy is written beside it
# under another name and renamed in place only when whole)
big="$T/big.db"
must --db "$big" demo --patients 2000 >/dev/null
"$CASELOAD_BIN" db copy "$big" "$T/killed.db" >"$T/kill.out" 2>&1 &
pid=$!
# wait until its temporary file's WAL has 4 MB: the copy is well begun
# (it writes about 12) and far from its commit
end=$((SECONDS + $(deadline 60)))
size=0
while [ "$SECONDS" -lt "$end" ]; do
	kill -0 "$pid" 2>/dev/null || break
	size=$(stat -c %s "$T"/.caseload-*.tmp-wal 2>/dev/null | head -n1 || true)
	[ "${size:-0}" -gt 4000000 ] && break
	sleep 0.02
done
still=0
kill -0 "$pid" 2>/dev/null || still=$?
kill -9 "$pid" 2>/dev/null || true
status=0
wait "$pid" 2>/dev/null || status=$?
is "$still" 0 "the copy was still running when killed (its WAL had ${size:-0} bytes)"
is "$status" 137 "it died of SIGKILL"
ok "no target file after the kill" test ! -e "$T/killed.db"
is "$(cat "$T/kill.out")" "" "it printed no summary"
run --db "$big" check
rc_is 0 "the source passes its check after the kill"
done_testing
