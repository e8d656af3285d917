#!/usr/bin/env bash
# caseload db copy between the engines: a SQLite caseload into a new
# PostgreSQL database and from there into a new SQLite file.  Every listing,
# the review and export --all are the same in all three, the audit chain
# verifies in each copy, the server's identity columns go on past the
# copied ids, and a PostgreSQL target that is not empty is refused (left
# as it was).  Needs CASELOAD_TEST_PG (scripts/pgtest.sh): skipped without.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
pg_scratch copy
pg="$CASELOAD_TEST_PG dbname=$db"

# a source with something of every feature: the demo, a care plan from a
# template, a review mark, the team and its tasks' owners, a staged import;
# 300 patients: more rows than the 200 a streamed listing holds before it
# starts printing (stream.sh)
src="$T/src.db"
must --db "$src" demo --patients 300 >/dev/null
must --db "$src" template apply "$(ls "$top/data/templates" | head -n1 | sed 's/\.yaml$//')" \
	--patient 1 >/dev/null
must --db "$src" review mark 2 >/dev/null
must --db "$src" team add alice --name "Alice Adams" >/dev/null
must --db "$src" team add bob --name "Bob Brown" --role supervisor >/dev/null
t=$(must --db "$src" task add --patient 3 --title "Call the pharmacy" --due 2026-11-30)
must --db "$src" --user alice task take "$t" >/dev/null
must --db "$src" patient assign 3 bob >/dev/null
must --db "$src" import "$top/tests/data/ical/interop-series.ics" --patient 1 >/dev/null
must --db "$src" review >/dev/null   # its kept rows made for today

run db copy "$src" "$pg"
rc_is 0 "db copy from a SQLite file into an empty PostgreSQL database"
like "$out" "[0-9]+ tables, [0-9]+ rows copied from .*src.db, each table's count checked; audit chain of [0-9]+ rows verified" \
	"it says what it copied and checked"
unlike "$out" "created" "the server's database is not said to be created"
is "$(on_db "SELECT count(*) FROM patient")" 300 "the server has the 300 patients"
is "$(on_db "SELECT owner FROM task WHERE id = $t")" alice "and the task's owner"
# the planner knows the rows at once (autovacuum would only later): the
# statistics of every table that holds rows were taken after the copy
is "$(on_db "SELECT count(*) FROM pg_stat_user_tables WHERE n_live_tup > 0
             AND last_analyze IS NULL")" 0 "every table with rows is analyzed after the copy"
is "$(on_db "SELECT reltuples::bigint FROM pg_class WHERE relname = 'patient'")" 300 \
	"the planner counts the 300 patients"

back="$T/back.db"
run db copy "$pg" "$back"
rc_is 0 "db copy from PostgreSQL into a new SQLite file"
like "$out" "back.db: created" "it made the file"

# a flag (boolean on PostgreSQL) comes back as SQLite has it
flags="SELECT count(*), sum(needs_review) FROM entry WHERE needs_review = 1"
ok "the source has entries to review" test "$(sqlite3 "$src" "SELECT count(*) FROM entry WHERE needs_review = 1")" -gt 0
is "$(sqlite3 "$back" "$flags")" "$(sqlite3 "$src" "$flags")" "the entries to review as they were, back in SQLite"

# the review kept comes as current as it was (the same data): no row stale
# in either copy, each as the source has it, and their first review makes
# none again
kept_sql="SELECT patient_id, stale, made_day, until_day FROM review_state ORDER BY patient_id"
period_sql="SELECT patient_id, from_day, to_day, sev_rank, best_due, n_items, name, items
            FROM review_period ORDER BY patient_id, from_day"
kept=$(sqlite3 "$src" "$kept_sql")
periods=$(sqlite3 "$src" "$period_sql")
ok "the source has periods" test -n "$periods"
is "$(on_db "SELECT count(*) FROM review_state WHERE stale = 1")" 0 "no kept row stale on PostgreSQL"
is "$(on_db "$kept_sql")" "$kept" "the kept rows there as in the source"
is "$(sqlite3 "$back" "$kept_sql")" "$kept" "and back in SQLite"
is "$(on_db "$period_sql")" "$periods" "their periods there as in the source"
is "$(sqlite3 "$back" "$period_sql")" "$periods" "and back in SQLite"

# every listing the same in the three
same() {   # same DESC ARGS...: the output of ARGS on $src, on the server and on $back
	local desc=$1 a b c
	shift
	run --db "$src" "$@"
	a=$out
	run --db "$pg" "$@"
	b=$out
	run --db "$back" "$@"
	c=$out
	is "$b" "$a" "$desc the same on PostgreSQL"
	is "$c" "$a" "$desc the same back in SQLite"
}
# (names order by PostgreSQL's ICU collation there, as a person would:
# "Ødegaard" with the O's, where SQLite's NOCASE puts it after "Z")
run --db "$src" patient list --all --format tsv
a=$out
run --db "$pg" patient list --all --format tsv
is "$(sort <<<"$out")" "$(sort <<<"$a")" "patient list --all: the same rows on PostgreSQL"
at=$(grep -n 'Ødegaard' <<<"$out" | cut -d: -f1)
w=$(cut -f2 <<<"$out" | grep -n '^W' | head -n1 | cut -d: -f1)
ok "Ødegaard sorted with the O's there (line $at, before the first W at $w)" test "$at" -lt "$w"
run --db "$back" patient list --all --format tsv
is "$out" "$a" "patient list --all the same back in SQLite, in its order"
same "contact list" contact list --format tsv
same "med list" med list --format tsv
same "appt list" appt list --format tsv
ok "appt list has more rows than a listing holds before it streams ($(rows "$out"))" test "$(rows "$out")" -gt 200
same "task list --all" task list --all --format tsv
same "plan list" plan list --format tsv
same "patient show 1" patient show 1
same "patient show 3" patient show 3
same "team list" team list --format tsv
same "team workload" team workload --format tsv
same "agenda for a week" agenda --days 7 --format tsv
same "the review" review --format tsv
same "the review's JSON" review --format json
is "$(on_db "$kept_sql")" "$kept" "the review on PostgreSQL made no kept row again"
is "$(sqlite3 "$back" "$kept_sql")" "$kept" "nor back in SQLite"
later=$(date -u -d "$CASELOAD_TODAY 12:00 UTC +2 days" +%F)
same "the review two days later" review --date "$later" --format tsv
kept=$(sqlite3 "$src" "$kept_sql")
is "$(on_db "$kept_sql")" "$kept" "which made the same rows again on PostgreSQL"
is "$(sqlite3 "$back" "$kept_sql")" "$kept" "and back in SQLite"
for w in src pg back; do
	run --db "${!w}" export --all -o "$T/$w.ics"
	rc_is 0 "export --all from $w"
	# DTSTAMP is the instant of the export itself: the three runs may
	# straddle a second
	grep -v '^DTSTAMP:' "$T/$w.ics" >"$T/$w.cmp"
done
ok "export --all writes the same calendar on PostgreSQL" cmp "$T/src.cmp" "$T/pg.cmp"
ok "and back in SQLite" cmp "$T/src.cmp" "$T/back.cmp"

for w in pg back; do
	run --db "${!w}" audit verify
	rc_is 0 "the audit chain verifies in the copy on $w"
	run --db "${!w}" check
	rc_is 0 "caseload check passes on $w"
done
run --db "$back" audit --table database --format tsv
is "$(grep -c $'\tcopy\tdatabase\t' <<<"$out")" 2 "the two copies are in the last one's audit"

# the server's identity columns go on past the copied ids
id=$(must --db "$pg" patient add --name "New, Person")
is "$id" 301 "a patient added on the server gets the next id"
tid=$(must --db "$pg" task add --patient "$id" --title "First call")
is "$tid" "$(($(sqlite3 "$src" "SELECT max(id) FROM task") + 1))" "and a task the next task id"
run --db "$pg" audit verify
rc_is 0 "the chain verifies with rows written after the copy"

# a server database that is not empty is refused, and left as it was
audit=$(on_db "SELECT count(*) FROM audit")
run db copy "$src" "$pg password=sekrit-7"
rc_is 1 "a PostgreSQL target that is not empty is refused"
like "$err" "is not empty \(2 team_member rows, 301 patient rows, .*301 review_state rows, .*audit rows\)" "naming what it holds"
unlike "$err" "sekrit" "and not the connection string's password"
is "$(on_db "SELECT count(*) FROM audit")" "$audit" "and it is left as it was"
is "$(on_db "SELECT count(*) FROM patient")" 301 "with its patients"

# the summary names a server as the store does: never with its password
run db copy "$pg password=sekrit-7" "$T/again.db"
rc_is 0 "a copy from a connection string with a password"
like "$out" "again.db: created, .* copied from " "it says where from"
unlike "$out$err" "sekrit" "without the password"
# an undo in a copy back from PostgreSQL puts a flag back as SQLite has
# it (PostgreSQL's text of a boolean, "t", in an undo image would be put
# back as 't', which a bare test of the column in SQLite takes for false;
# images written so before are migration 31's, test_store)
e=$(on_db "SELECT id FROM entry WHERE needs_review AND reviewed_at IS NULL ORDER BY id LIMIT 1")
ok "the server has an entry to acknowledge" test -n "$e"
must --db "$pg" review ack "$e" >/dev/null
g=$(on_db "SELECT max(id) FROM undo_group")
like "$(on_db "SELECT image FROM undo_row WHERE group_id = $g AND tbl = 'entry'")" "needs_review=1:1;" \
	"the server's undo image holds the flag as 1"
run db copy "$pg" "$T/acked.db"
rc_is 0 "a copy back after an acknowledgement on PostgreSQL"
run --db "$T/acked.db" undo "$g"
rc_is 0 "the acknowledgement undone in the copy"
is "$(sqlite3 "$T/acked.db" "SELECT typeof(needs_review), needs_review, reviewed_at IS NULL
                             FROM entry WHERE id = $e")" "integer|1|1" \
	"the entry needs review again, its flag a number"
run --db "$T/acked.db" review ack "$e"
rc_is 0 "and can be acknowledged again"
done_testing
