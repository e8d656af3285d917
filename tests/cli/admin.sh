#!/usr/bin/env bash
# The database as a whole and the global options: init, demo, check,
# backup, audit, --db/--today/--user/--version/--help, refusals.
. "$(dirname "$0")/../lib.sh"

# the default path, made private
unset CASELOAD_DB
run init
rc_is 0 "init at the default path"
like "$out" "$XDG_DATA_HOME/caseload/caseload.db: schema [0-9]+" "init names the file and schema"
is "$(stat -c %a "$XDG_DATA_HOME/caseload")" 700 "the data directory is 0700"
is "$(stat -c %a "$XDG_DATA_HOME/caseload/caseload.db")" 600 "the database is 0600"
export CASELOAD_DB="$T/test.db"

# new database files are private whatever the umask, and so are the WAL
# and shared-memory files SQLite makes beside them
(umask 000 && "$CASELOAD" --db "$T/open/demo.db" demo --patients 2 >/dev/null 2>&1)
is "$(stat -c %a "$T/open" "$T/open/demo.db" | tr '\n' ' ')" "700 600 " \
	"demo under umask 000: a 0700 folder, a 0600 database"
is "$(umask 000 && sqlite3 "$T/open/demo.db" "SELECT count(*) FROM patient;" \
	".shell stat -c %a $T/open/demo.db-wal $T/open/demo.db-shm" | sort | tr '\n' ' ')" "2 600 600 " \
	"its -wal and -shm files are 0600 too"
rm -r "$T/open"

run --version
like "$out" '^caseload [0-9.]+ \(schema [0-9]+\)$' "--version"
run --help
like "$out" 'patient add' "--help lists commands"
run frobnicate
rc_is 2 "unknown command"
like "$err" "unknown command 'frobnicate'" "message names it"
run patient
rc_is 2 "a group without an action"
like "$err" "use one of: add, list, show, edit" "message lists the actions"
run --today 2026-02-30 patient list
rc_is 2 "a bad --today is refused"
CASELOAD_TODAY=soon run patient list
rc_is 2 "a bad CASELOAD_TODAY is refused"
run --nope
rc_is 2 "unknown global option"

# demo: deterministic, relative to today, refuses a database with patients
run --db "$T/a.db" demo --patients 30 --seed 5
rc_is 0 "demo"
like "$out" '30 patients' "demo says what it made"
# (it fills the file through a rollback journal: WAL mode again after it)
is "$(sqlite3 "$T/a.db" "PRAGMA journal_mode")" wal "the demo's database is in WAL mode after it"
ok "and no rollback journal is left" test ! -e "$T/a.db-journal"
run --db "$T/b.db" demo --patients 30 --seed 5
run --db "$T/a.db" patient list --format tsv
a=$out
run --db "$T/b.db" patient list --format tsv
is "$out" "$a" "the same seed gives the same caseload"
like "$a" 'Núñez, José' "demo names: accents"
like "$a" 'Ødegaard, Zoë' "demo names: Ø and ë"
like "$a" '王, 伟' "demo names: CJK"
like "$a" 'Nguyễn, Thị Hoa' "demo names: Vietnamese"
run --db "$T/c.db" demo --patients 30 --seed 6
run --db "$T/c.db" patient list --format tsv
ok "another seed gives another caseload" [ "$out" != "$a" ]
run --db "$T/a.db" demo
rc_is 1 "demo refuses a database with patients"
like "$err" "already has 30 patients" "message says why"
run --db "$T/a.db" agenda --days 14 --format tsv
ok "the demo has appointments in the next two weeks" [ "$(rows "$out")" -gt 5 ]
run --db "$T/a.db" --today 2027-03-01 task list --format tsv
a_later=$out
run --db "$T/d.db" --today 2027-03-01 demo --patients 30 --seed 5
run --db "$T/d.db" --today 2027-03-01 task list --format tsv
like "$out" '2027-0[23]-' "a demo made on another day is relative to that day"
run --db "$T/a.db" demo --patients 0
rc_is 2 "--patients must be positive"

# check
run --db "$T/a.db" check
rc_is 0 "check passes"
like "$out" 'schema [0-9]+ \(this caseload writes [0-9]+\), 30 active patients, integrity ok' "check reports"
run --db "$T/none.db" check
rc_is 1 "check does not create a database"
like "$err" "no such database" "message says so"
ok "and left no file behind" [ ! -e "$T/none.db" ]

# refusals: not a database, someone else's database, a newer one
printf 'hello, I am a text file\n%.0s' $(seq 200) > "$T/text.db"
cp "$T/text.db" "$T/text.orig"
run --db "$T/text.db" patient list
rc_is 1 "a text file is refused"
like "$err" "is not a caseload database" "message says what"
ok "the text file is untouched" cmp "$T/text.db" "$T/text.orig"
sqlite3 "$T/other.db" 'CREATE TABLE notes(x); INSERT INTO notes VALUES (1);'
run --db "$T/other.db" patient list
rc_is 1 "a foreign SQLite database is refused"
like "$err" "not a caseload database" "message says so"
cp "$T/a.db" "$T/newer.db"
sqlite3 "$T/newer.db" 'PRAGMA user_version = 99;'
run --db "$T/newer.db" patient list
rc_is 1 "a newer database is refused"
like "$err" "schema version 99, newer than this caseload" "message says so"

# backup
run --db "$T/a.db" backup "$T/copy.db"
rc_is 0 "backup"
is "$(stat -c %a "$T/copy.db")" 600 "the backup is 0600"
run --db "$T/copy.db" patient list --format tsv
is "$out" "$a" "the backup holds the same caseload"
run --db "$T/a.db" backup "$T/copy.db"
rc_is 1 "backup refuses to overwrite"
like "$err" "copy.db exists: give --force to replace it" "naming the file and the option"
printf 'old\n' >"$T/old.db"
chmod 644 "$T/old.db"
run --db "$T/a.db" backup "$T/old.db" --force
rc_is 0 "backup --force replaces a file"
is "$(stat -c %a "$T/old.db")" 600 "with a private file (the old one was 0644)"
run --db "$T/old.db" patient list --format tsv
is "$out" "$a" "holding the caseload"
printf 'precious\n' >"$T/victim.txt"
ln -s "$T/victim.txt" "$T/link.db"
run --db "$T/a.db" backup "$T/link.db" --force
rc_is 2 "backup onto a symbolic link is refused, also with --force"
like "$err" "link.db is a symbolic link" "naming it"
is "$(cat "$T/victim.txt")" precious "the link's target is untouched"
run --db "$T/a.db" backup "$T/a.db" --force
rc_is 2 "backup onto the database itself is refused"
like "$err" "a.db is the database itself" "saying so"
is "$(ls -A "$T" | grep -c '^\.caseload-' || true)" 0 "no temporary file is left"
rm "$T/link.db" "$T/victim.txt" "$T/old.db"
run --db "$T/a.db" backup
rc_is 2 "backup needs a file"

# audit
run --db "$T/a.db" --user dana patient add --name "Audit, Me"
run --db "$T/a.db" audit --limit 1 --format tsv
like "$out" $'\tdana \\(override by [^)]+\\)\tinsert\tpatient\t31\t' "the newest audit row (--user is an override)"
run --db "$T/a.db" audit --limit 1 --format json
like "$out" '"who": "dana \(override by [^)]+\)", "action": "insert", "table": "patient", "row_id": 31' "audit as JSON"
run --db "$T/a.db" audit --limit 1
like "$out" "$(id -un 2>/dev/null || echo .)|dana" "the table format works"

# two processes writing at once: both succeed, nothing lost
for i in $(seq 1 20); do "$CASELOAD" --db "$T/a.db" task add --patient 1 --title "A$i" >/dev/null 2>&1 & done
for i in $(seq 1 20); do "$CASELOAD" --db "$T/a.db" task add --patient 2 --title "B$i" >/dev/null 2>&1 & done
wait
run --db "$T/a.db" task list --format tsv
is "$(printf '%s\n' "$out" | grep -cE $'\t[AB][0-9]+\t')" 40 "40 concurrent adds, none lost"

done_testing
