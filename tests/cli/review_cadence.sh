#!/usr/bin/env bash
# review: cadence (no successful contact within the patient's check-in
# cadence: high 7 days, medium 14, low 30, or the patient's own).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

h=$(must patient add --name "High, Hal" --risk high)
must note add --patient "$h" --outcome reached --at "2026-11-17 09:00" >/dev/null
m=$(must patient add --name "Medium, Mo" --risk medium)
must note add --patient "$m" --outcome reached --at "2026-11-11 09:00" >/dev/null
l=$(must patient add --name "Low, Lu" --risk low)
must note add --patient "$l" --kind visit --outcome reached --at "2026-10-26 09:00" >/dev/null
n=$(must patient add --name "Never, Ned" --risk low)
is "$(items)" "$(printf '%s\n' \
	"1	cadence	high	2026-11-24	last reached 2026-11-17, 7 days ago (check in every 7 days)" \
	"4	cadence	medium	2026-11-24	no successful contact on record (check in every 30 days)")" \
	"high risk 7 days ago is due today; never reached is due; 13 and 29 days for medium and low are not"
is "$(reasons --date 2026-11-25)" "$(printf '%s\n' "1	cadence" "2	cadence" "3	cadence" "4	cadence")" \
	"a day later the medium (14) and low (30) patients are due too"
is "$(reasons --date 2026-11-23)" "$(printf '4\tcadence')" "the day before, only the one never reached"

# unsuccessful attempts and notes are not contact; a reached message is
must note add --patient "$h" --outcome voicemail >/dev/null
must note add --patient "$h" --text "Chart review" >/dev/null
like "$(reasons)" "^1	cadence" "a voicemail or a note does not reset the cadence"
must note add --patient "$h" --kind message --outcome reached >/dev/null
unlike "$(reasons)" "^1	" "a reached message does"

# the patient's own cadence, then the config file's defaults
must patient edit "$m" --cadence 10 >/dev/null
like "$(items)" $'^2\tcadence\tmedium\t2026-11-21\tlast reached 2026-11-11, 13 days ago \\(check in every 10 days\\)' \
	"a patient's own cadence wins (due 3 days ago)"
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'review:\n  cadence_low: 20\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
like "$(reasons)" "^3	cadence" "cadence_low: 20 makes the low-risk patient due"
done_testing
