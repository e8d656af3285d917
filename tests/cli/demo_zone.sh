#!/usr/bin/env bash
# The demo lays its visits out in clinic hours (8:00 to 17:00) local to the
# coordinator's zone, whatever the zone and the machine's, and notes the
# zone it used.  The local hours are checked by Python's zoneinfo, not by
# caseload's own zone code.
. "$(dirname "$0")/../lib.sh"

for zone in Pacific/Auckland America/Los_Angeles; do
	db="$T/${zone//\//_}.db"
	CASELOAD_TZ=$zone run --db "$db" demo --patients 40
	rc_is 0 "a demo in $zone"
	like "$out" "; visits in clinic hours in $zone\$" "it says which zone its clinic hours are in"
	CASELOAD_TZ=$zone run --db "$db" appt list --from 2026-01-01 --to 2027-12-31 --format tsv
	printf '%s\n' "$out" >"$T/appts.tsv"
	n=$(rows "$out")
	ok "it has appointments ($n)" test "$n" -gt 60
	bad=$(/usr/bin/python3 - "$T/appts.tsv" "$zone" <<'PY'
import csv, sys
from datetime import datetime
from zoneinfo import ZoneInfo
zone = ZoneInfo(sys.argv[2])
for row in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    for col in ("start", "end"):
        t = datetime.strptime(row[col], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=ZoneInfo("UTC"))
        local = t.astimezone(zone)
        minutes = local.hour * 60 + local.minute
        if not 8 * 60 <= minutes <= 17 * 60 + 30 or (col == "start" and local.hour >= 17):
            print(row["id"], col, local.isoformat())
    if row["tzid"] != sys.argv[2]:
        print(row["id"], "tzid", row["tzid"])
PY
)
	is "$bad" "" "every visit starts between 8:00 and 17:00 in $zone (and says it is in $zone)"
	CASELOAD_TZ=$zone run --db "$db" check
	like "$out" "^the demo was made in $zone\$" "the database notes the zone the demo used"
done

# The same seed in two zones: the same local clock times.
CASELOAD_TZ=Pacific/Auckland run --db "$T/Pacific_Auckland.db" appt list --from 2026-01-01 --to 2027-12-31
a=$(printf '%s\n' "$out" | grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' | head -40)
CASELOAD_TZ=America/Los_Angeles run --db "$T/America_Los_Angeles.db" appt list --from 2026-01-01 --to 2027-12-31
b=$(printf '%s\n' "$out" | grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' | head -40)
ok "listings have times" test -n "$a"
is "$a" "$b" "the same seed gives the same local times in either zone"

# A demo made before a zone was configured (here in UTC, a server's zone)
# keeps its clinic hours once one is: the first command that opens it moves
# the demo's visits to the same local times in the new zone and says so
# once; what the coordinator added keeps its instant.
db="$T/utc.db"
CASELOAD_TZ=Etc/UTC must --db "$db" demo --patients 20 >/dev/null
CASELOAD_TZ=Etc/UTC must --db "$db" appt add --patient 1 --title "Own visit" \
	--start "2026-12-01 15:00" --duration 30m >/dev/null
own=$(sqlite3 "$db" "SELECT start_utc FROM appointment WHERE title = 'Own visit'")
n=$(sqlite3 "$db" "SELECT count(*) FROM appointment WHERE source = 'demo'")
CASELOAD_TZ=America/Los_Angeles run --db "$db" appt list --from 2026-01-01 --to 2027-12-31 --format tsv
rc_is 0 "the demo opens in another zone"
is "$err" "caseload: the demo's $n visits moved to keep their clinic hours in America/Los_Angeles" \
	"the move is said, with how many"
printf '%s\n' "$out" | grep -v 'Own visit' >"$T/moved.tsv"
bad=$(/usr/bin/python3 - "$T/moved.tsv" America/Los_Angeles <<'PY'
import csv, sys
from datetime import datetime
from zoneinfo import ZoneInfo
zone = ZoneInfo(sys.argv[2])
for row in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    t = datetime.strptime(row["start"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=ZoneInfo("UTC"))
    if not 8 <= t.astimezone(zone).hour < 17 or row["tzid"] != sys.argv[2]:
        print(row["id"], t.astimezone(zone).isoformat(), row["tzid"])
PY
)
is "$bad" "" "every demo visit is back in clinic hours, in America/Los_Angeles"
is "$(sqlite3 "$db" "SELECT start_utc FROM appointment WHERE title = 'Own visit'")" "$own" \
	"the coordinator's own appointment keeps its instant"
CASELOAD_TZ=America/Los_Angeles run --db "$db" check
like "$out" "^the demo was made in America/Los_Angeles\$" "the database notes the new zone"
CASELOAD_TZ=America/Los_Angeles run --db "$db" patient list
is "$err" "" "said once: nothing moves the second time"

done_testing
