#!/usr/bin/env bash
# review: refill due within 5 days (and overdue ones) unless a refill task
# for it is open (one naming the medication, or naming none); the window
# comes from the config file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

p=$(pat "Refill, Rita")
must med add --patient "$p" --name Metformin --dose "500 mg" --refill-due 2026-11-29 >/dev/null
must med add --patient "$p" --name Lisinopril --refill-due 2026-11-30 >/dev/null
must med add --patient "$p" --name Furosemide --refill-due 2026-11-20 >/dev/null
must med add --patient "$p" --name "No date" >/dev/null
is "$(items)" "$(printf '%s\n' \
	"1	refill	high	2026-11-20	Furosemide: refill was due 2026-11-20, no refill task open" \
	"1	refill	medium	2026-11-29	Metformin 500 mg: refill due 2026-11-29, no refill task open")" \
	"due in 5 days and overdue show; 6 days ahead and undated do not"

# an open refill task that names no medication covers the patient's
# refills; a closed one does not
t=$(must task add --patient "$p" --title "Request refills" --kind refill --due 2026-12-01)
is "$(items)" "" "an open refill task clears them"
must task done "$t" >/dev/null
is "$(reasons | sort -u)" "$(printf '1\trefill')" "a completed refill task does not"
must task add --patient "$p" --title "Call about diet" --kind call --due 2026-12-01 >/dev/null
is "$(reasons | sort -u)" "$(printf '1\trefill')" "a task of another kind does not either"

# a refill task that names a medication covers that one only (any case)
f=$(must task add --patient "$p" --title "Request refill: furosemide" --kind refill --due 2026-12-01)
is "$(items | cut -f5)" "Metformin 500 mg: refill due 2026-11-29, no refill task open" \
	"the Furosemide task clears Furosemide, and Metformin still shows"
must task done "$f" >/dev/null

# thresholds from the config file
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'review:\n  refill_days: 6\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
is "$(items | cut -f4)" "$(printf '2026-11-20\n2026-11-29\n2026-11-30')" "refill_days: 6 takes in the 30th"
printf 'review:\n  refill_dayz: 6\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run review
rc_is 1 "a misspelled threshold is an error"
like "$err" "config.yaml:2:3" "naming the line and column"
done_testing
