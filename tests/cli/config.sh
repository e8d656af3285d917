#!/usr/bin/env bash
# `caseload config`: every setting in effect and where it came from (the
# file, a variable, an option, the system, the default); the notice given
# once when no zone is configured; the zone the demo was made in.
. "$(dirname "$0")/../lib.sh"

# setting SOURCE ORIGIN VALUE from a TSV listing, one line per setting
field() {   # field SETTING: "value<TAB>source<TAB>origin"
	printf '%s\n' "$out" | awk -F'\t' -v k="$1" '$1 == k { print $2 "\t" $3 "\t" $4 }'
}
tab=$'\t'

# defaults and variables (lib.sh sets CASELOAD_DB, CASELOAD_TODAY, CASELOAD_TZ)
run config --format tsv
rc_is 0 "config runs without a config file"
is "$(printf '%s\n' "$out" | head -1)" "setting${tab}value${tab}source${tab}origin" "the TSV header"
is "$(field database)" "$CASELOAD_DB${tab}environment${tab}CASELOAD_DB" "the database from CASELOAD_DB"
is "$(field today)" "2026-11-24${tab}environment${tab}CASELOAD_TODAY" "today from CASELOAD_TODAY"
is "$(field timezone)" "America/New_York${tab}environment${tab}CASELOAD_TZ" "the zone from CASELOAD_TZ"
is "$(field idle_lock_minutes)" "5${tab}default${tab}" "idle_lock_minutes: the default"
is "$(field review.confirm_days)" "2${tab}default${tab}" "review.confirm_days: the default"
is "$(field holidays)" "us-federal${tab}default${tab}" "holidays: the default"
is "$(field config)" "$XDG_CONFIG_HOME/caseload/config.yaml${tab}default${tab}not found" \
	"the config file that would be read, and that there is none"
for k in coordinator timezone idle_lock_minutes holidays review.transport_days review.confirm_days \
	review.refill_days review.tcm_contact_bdays review.tcm_visit_days_high \
	review.tcm_visit_days_other review.cadence_high review.cadence_medium review.cadence_low \
	review.ccm_minutes review.ccm_days_left review.noshow_days keys colors apcm.attest; do
	ok "config lists $k" test -n "$(field "$k")"
done
unlike "$err" 'time zone' "no notice when CASELOAD_TZ names the zone"

# options
run --db "$T/other.db" --today 2026-03-02 --user dana config --format tsv
is "$(field database)" "$T/other.db${tab}option${tab}--db" "the database from --db (over CASELOAD_DB)"
is "$(field today)" "2026-03-02${tab}option${tab}--today" "today from --today"
is "$(field user)" "dana${tab}option${tab}--user (recorded as an override)" "the user from --user, an override"
is "$(field coordinator)" "dana${tab}default${tab}" "the coordinator is the user by default"
ok "config opens no database" test ! -e "$T/other.db"
CASELOAD_TODAY= run config --format tsv
like "$(field today)" "^[0-9]{4}-[0-9]{2}-[0-9]{2}${tab}system${tab}the clock$" "today from the clock"

# the file
mkdir -p "$XDG_CONFIG_HOME/caseload"
cfg="$XDG_CONFIG_HOME/caseload/config.yaml"
cat >"$cfg" <<'YAML'
coordinator: Dana Reyes
timezone: America/Chicago
idle_lock_minutes: 1
holidays: [us-federal, 2026-12-24]
review:
  confirm_days: 4
keys:
  done: [x, d]
colors:
  title: yellow/blue
YAML
run config --format tsv
is "$(field config)" "$cfg${tab}default${tab}" "the default file, found"
is "$(field coordinator)" "Dana Reyes${tab}file${tab}$cfg" "coordinator from the file"
is "$(field timezone)" "America/Chicago${tab}file${tab}$cfg" "the file's zone wins over CASELOAD_TZ"
is "$(field idle_lock_minutes)" "1${tab}file${tab}$cfg" "idle_lock_minutes from the file"
is "$(field holidays)" "us-federal, 2026-12-24${tab}file${tab}$cfg" "holidays from the file"
is "$(field review.confirm_days)" "4${tab}file${tab}$cfg" "a review threshold from the file"
is "$(field review.refill_days)" "5${tab}default${tab}" "the others stay defaults"
is "$(field keys.done)" "x, d${tab}file${tab}$cfg" "a rebinding, its keys in order"
is "$(field colors.title)" "yellow/blue${tab}file${tab}$cfg" "a colour"
is "$(field keys)" "" "no 'built-in' line when the file binds keys"
printf 'idle_lock_minutes: 9\n' >"$T/alt.yaml"
run --config "$T/alt.yaml" config --format tsv
is "$(field config)" "$T/alt.yaml${tab}option${tab}--config" "the file from --config"
is "$(field idle_lock_minutes)" "9${tab}file${tab}$T/alt.yaml" "its value, naming that file"
is "$(field timezone)" "America/New_York${tab}environment${tab}CASELOAD_TZ" "back to CASELOAD_TZ without the file's zone"

# the table and JSON
run config
like "$(printf '%s\n' "$out" | head -1)" '^Setting +Value +Source +Origin$' "a table for people by default"
like "$out" "timezone +America/Chicago +file +$cfg" "the table's zone line"
run config --format json
printf '%s' "$out" >"$T/config.json"
is "$(/usr/bin/python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
z = [r for r in rows if r["setting"] == "timezone"][0]
print(z["value"], z["source"], z["origin"])' "$T/config.json")" "America/Chicago file $cfg" "JSON: the same, for programs"
run config --format yaml
rc_is 2 "an unknown format is refused"
rm "$cfg"

# the database: --db, then CASELOAD_DB, then the config's database:, then the default
printf 'database: %s\n' "$T/from-config.db" >"$T/db.yaml"
run --config "$T/db.yaml" config --format tsv
is "$(field database)" "$CASELOAD_DB${tab}environment${tab}CASELOAD_DB" "CASELOAD_DB over the config's database:"
CASELOAD_DB= run --config "$T/db.yaml" config --format tsv
is "$(field database)" "$T/from-config.db${tab}file${tab}$T/db.yaml" "the config's database:, naming the file"
CASELOAD_DB= run --config "$T/db.yaml" --db "$T/opt.db" config --format tsv
is "$(field database)" "$T/opt.db${tab}option${tab}--db" "--db over the config's database:"
CASELOAD_DB= run --config "$T/db.yaml" patient add --name "Config, Carla"
rc_is 0 "a command uses the config's database"
is "$(sqlite3 "$T/from-config.db" "SELECT family FROM patient")" Config "the patient is in that file"
CASELOAD_DB= run --config "$T/db.yaml" patient list --format tsv
like "$out" "Config, Carla" "and reads it back from there"
printf 'database: ~/cases.db\n' >"$T/home.yaml"
CASELOAD_DB= HOME="$T/home" run --config "$T/home.yaml" config --format tsv
is "$(field database)" "$T/home/cases.db${tab}file${tab}$T/home.yaml" "a path starting with ~/ is in the home directory"
printf 'database: "host=/run/pg dbname=team"\n' >"$T/pg.yaml"
CASELOAD_DB= run --config "$T/pg.yaml" config --format tsv
is "$(field database)" "host=/run/pg dbname=team${tab}file${tab}$T/pg.yaml" "a PostgreSQL connection string as written"
printf 'database: cases.db\n' >"$T/rel.yaml"
CASELOAD_DB= run --config "$T/rel.yaml" patient list
rc_is 1 "a relative path is refused"
like "$err" "rel.yaml:1:11: database: 'cases.db' is not an absolute path" "naming the file, line and column"
ok "and nothing is made" test ! -e cases.db
printf 'database: [a, b]\n' >"$T/bad.yaml"
CASELOAD_DB= run --config "$T/bad.yaml" config
rc_is 1 "a database: that is not text is refused"
CASELOAD_DB= run config --format tsv
like "$(field database)" "caseload.db${tab}default${tab}$" "without any: the default"

# the system's zone: TZ, when CASELOAD_TZ is not set
CASELOAD_TZ= TZ=Pacific/Auckland run config --format tsv
is "$(field timezone)" "Pacific/Auckland${tab}system${tab}TZ" "the system's zone from TZ"
CASELOAD_TZ= TZ=:Asia/Tokyo run config --format tsv
is "$(field timezone)" "Asia/Tokyo${tab}system${tab}TZ" "TZ=:Zone too"
CASELOAD_TZ= TZ=Nowhere/Atlantis run config --format tsv
like "$(field timezone)" "${tab}(system${tab}/etc/(localtime|timezone)|default${tab})$" \
	"an unknown TZ: /etc/localtime (or UTC, the default)"

# the notice, once per database and zone, on stderr only
CASELOAD_TZ= TZ=Pacific/Auckland run patient list --format json
is "$out" "[]" "JSON output stays JSON"
unlike "$err" 'time zone' "no notice for --format json (it waits for a person)"
CASELOAD_TZ= TZ=Pacific/Auckland run patient list
rc_is 0 "a listing runs"
like "$err" "^caseload: no time zone configured: times are in Pacific/Auckland \(the system's, from TZ\); to choose one, put 'timezone: Area/City' in ~/.config/caseload/config.yaml$" \
	"the first run says which zone and how to choose one"
unlike "$out" 'time zone' "the notice is not on stdout"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "one line"
CASELOAD_TZ= TZ=Pacific/Auckland run patient list
is "$err" "" "the second run says nothing"
CASELOAD_TZ= TZ=Pacific/Auckland run --db "$T/fresh.db" init
like "$err" 'times are in Pacific/Auckland' "another database: said once there too"
CASELOAD_TZ= TZ=America/Denver run patient list
like "$err" 'times are in America/Denver' "the system's zone changed: said again"
CASELOAD_TZ= TZ=America/Denver run patient list
is "$err" "" "and then not"

# the demo's zone
CASELOAD_TZ=Pacific/Auckland run --db "$T/demo.db" demo --patients 3
rc_is 0 "a demo"
is "$err" "" "no notice when CASELOAD_TZ names the zone"
CASELOAD_TZ=Pacific/Auckland run --db "$T/demo.db" check
like "$out" '^the demo was made in Pacific/Auckland$' "check names the demo's zone"
run --db "$T/demo.db" check
rc_is 0 "check passes in another zone"
like "$out" 'the demo was made in Pacific/Auckland, but times now show in America/New_York: the next command that opens it moves its visits' \
	"and says when the zone in use is another (check itself moves nothing)"
run --db "$T/fresh.db" check
unlike "$out" 'demo' "no demo line without a demo"

done_testing
