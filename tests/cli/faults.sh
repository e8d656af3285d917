#!/usr/bin/env bash
# Faults: a full disk during an import, a backup and an export, and a
# damaged page during a listing.  The disk fills two ways: a file size
# limit (ulimit -f, which needs no root: caseload ignores SIGXFSZ, so a
# write past the limit fails with EFBIG as on a full disk), always; and,
# for root, a small tmpfs.  Each time: a clear message, exit status 1, the
# old file byte for byte, no temporary file left, the database unchanged.
# A damaged database's listings fail; one of up to 200 rows prints
# nothing, a longer one stops with its JSON left open; and ASan's leak check (detect_leaks=1, from lib.sh) finds nothing.
. "$(dirname "$0")/../lib.sh"

# Run caseload with every file it writes limited to KIB KiB; sets out, rc
# and err as run does.  The shell does not ignore SIGXFSZ: caseload does.
limited() {   # limited KIB ARGS...
	local kib=$1
	shift
	out=$( (ulimit -f "$kib" && exec "$CASELOAD" "$@") 2>"$T/stderr" 3>&- && echo "rc=0" || echo "rc=$?")
	rc=${out##*rc=}
	out=${out%rc=*}
	err=$(cat "$T/stderr")
	unlike "$err" 'AddressSanitizer|LeakSanitizer|runtime error:' "no sanitizer report from: caseload $* (limited)"
}

counts() {   # the rows an import or a backup could touch
	sqlite3 "${1:-$CASELOAD_DB}" "SELECT (SELECT count(*) FROM patient) || ' ' ||
		(SELECT count(*) FROM appointment) || ' ' || (SELECT count(*) FROM audit)"
}
# Files in a folder (hidden ones too), one line.
files() { ls -A "$1" | sort | tr '\n' ' '; }

must demo --patients 80 >/dev/null
/usr/bin/python3 "$top/bench/ical_gen.py" 2000 "$T/big.ics"
mkdir "$T/out"

# ---- an import that fills the disk ----
before=$(counts)
limited 64 import "$T/big.ics"
rc_is 1 "an import that cannot write fails"
like "$err" "^caseload: import: $CASELOAD_DB: cannot write the database \(.*\); nothing was changed$" \
	"saying the write failed and nothing was changed"
is "$(counts)" "$before" "the database holds what it held (patients, appointments, audit)"
run check
rc_is 0 "check after the failed import"
like "$out" "integrity ok" "the database is intact"

# ---- a backup that fills the disk ----
must backup "$T/out/nightly.db" >/dev/null
old=$(sha256sum <"$T/out/nightly.db")
must patient add --name "Later, Added" >/dev/null
limited 64 backup "$T/out/nightly.db" --force
rc_is 1 "a backup that cannot be written fails"
like "$err" "backup to $T/out/nightly.db failed: File too large; the file there is as it was" \
	"naming the file, why, and that the old one is kept"
is "$(sha256sum <"$T/out/nightly.db")" "$old" "the old backup is byte for byte as it was"
is "$(files "$T/out")" "nightly.db " "no temporary file or journal is left"
limited 64 backup "$T/out/new.db"
rc_is 1 "a new backup that cannot be written fails"
like "$err" "backup to $T/out/new.db failed: File too large; no file was made" "saying no file was made"
is "$(files "$T/out")" "nightly.db " "and none was"
run --db "$T/out/nightly.db" check
like "$out" "integrity ok" "the old backup still opens"

# ---- an export that fills the disk ----
printf 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' >"$T/out/cal.ics"
old=$(sha256sum <"$T/out/cal.ics")
limited 48 export --all --detail full -o "$T/out/cal.ics" --force
rc_is 1 "an export that cannot be written fails"
like "$err" "^caseload: export: cannot write $T/out/cal.ics: File too large; the file there is as it was$" \
	"naming the file, why, and that the old one is kept"
is "$(sha256sum <"$T/out/cal.ics")" "$old" "the old calendar is byte for byte as it was"
limited 48 agenda --ics --days 60 -o "$T/out/cal.ics" --force
rc_is 1 "agenda --ics -o that cannot be written fails"
like "$err" "cannot write $T/out/cal.ics: File too large; the file there is as it was" "the same way"
is "$(sha256sum <"$T/out/cal.ics")" "$old" "the old calendar is still as it was"
is "$(files "$T/out")" "cal.ics nightly.db " "no temporary file is left"
run export --all --detail full -o "$T/out/cal.ics" --force
rc_is 0 "without the limit the same export is written"

# ---- the same on a small tmpfs that really fills (root only) ----
small="$T/small"
mkdir "$small"
if [ "$(id -u)" = 0 ] &&
	mount -t tmpfs -o size=$(($(stat -c %s "$CASELOAD_DB") / 1024 + 192))k tmpfs "$small" 2>/dev/null; then
	trap 'umount "$small" 2>/dev/null || true; rm -rf "$T"' EXIT
	cp "$CASELOAD_DB" "$small/small.db"
	before=$(counts "$small/small.db")
	run --db "$small/small.db" import "$T/big.ics"
	rc_is 1 "tmpfs: an import onto a full disk fails"
	like "$err" "small.db: the disk is full; nothing was changed" "tmpfs: saying so"
	is "$(counts "$small/small.db")" "$before" "tmpfs: the database holds what it held"
	run --db "$small/small.db" check
	like "$out" "integrity ok" "tmpfs: and is intact"
	rm -f "$small/small.db"*
	# a small old file, then the rest of the room taken but 16 KiB
	printf 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' >"$small/cal.ics"
	printf 'old backup\n' >"$small/nightly.db"
	head -c $((($(df -k --output=avail "$small" | tail -1) - 16) * 1024)) /dev/zero >"$small/filler" || true
	old=$(cat "$small/cal.ics" "$small/nightly.db" | sha256sum)
	run backup "$small/nightly.db" --force
	rc_is 1 "tmpfs: a backup onto a full disk fails"
	like "$err" "backup to $small/nightly.db failed: .*; the file there is as it was" "tmpfs: saying so"
	run export --all --detail full -o "$small/cal.ics" --force
	rc_is 1 "tmpfs: an export onto a full disk fails"
	like "$err" "cannot write $small/cal.ics: No space left on device; the file there is as it was" \
		"tmpfs: saying so"
	is "$(cat "$small/cal.ics" "$small/nightly.db" | sha256sum)" "$old" "tmpfs: the old files are as they were"
	is "$(files "$small")" "cal.ics filler nightly.db " "tmpfs: no temporary file is left"
	umount "$small"
else
	skip "a full tmpfs during an import, a backup and an export" "needs root and mount"
fi

# ---- a damaged page during a listing ----
like "$ASAN_OPTIONS" "detect_leaks=1" "the leak check is on"
run --db "$T/many.db" demo --patients 300
rc_is 0 "a database of 300 patients"
# a leaf page in the middle of the patient table, overwritten with 0xff
pg=$(sqlite3 "$T/many.db" "SELECT pageno FROM dbstat WHERE name = 'patient' AND pagetype = 'leaf'
	ORDER BY path LIMIT 1 OFFSET 5")
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$T/many.db" bs=4096 seek=$((pg - 1)) conv=notrunc status=none
for cmd in "patient list" "task list" "review" "agenda --days 30"; do
	# shellcheck disable=SC2086 # the command's words
	run --db "$T/many.db" $cmd
	rc_is 1 "$cmd on a damaged page fails (and frees what it read: no leak report)"
	like "$err" "many.db: the database file is damaged .*restore it from a backup" "$cmd: saying so"
	is "$out" "" "$cmd: prints no partial list"
done
# A listing streams after its first 200 rows: a damaged page past them
# leaves what was printed, but the message, the status and JSON's missing
# closing bracket say the list is not whole.
run --db "$T/long.db" demo --patients 300
pg=$(sqlite3 "$T/long.db" "SELECT pageno FROM dbstat WHERE name = 'audit' AND pagetype = 'leaf'
	ORDER BY path LIMIT 1 OFFSET 5")
head -c 4096 /dev/zero | tr '\0' '\377' | dd of="$T/long.db" bs=4096 seek=$((pg - 1)) conv=notrunc status=none
run --db "$T/long.db" audit --limit 100000 --format json
rc_is 1 "a streamed listing that meets a damaged page fails"
like "$err" "long.db: the database file is damaged .*restore it from a backup" "saying so"
like "$(printf '%s\n' "$out" | wc -l)" "^[0-9]{3,}$" "the rows read before it were printed"
printf '%s\n' "$out" >"$T/part.json"
ok "its JSON is left open: no parser takes it for the whole list" \
	sh -c '! python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$1"' sh "$T/part.json"

done_testing
