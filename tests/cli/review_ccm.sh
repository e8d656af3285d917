#!/usr/bin/env bash
# review: ccm-minutes (a patient in chronic care management with fewer
# minutes toward the CCM episode this calendar month than the rules file's
# threshold, 7 or fewer days left after the day under review).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

c=$(pat "Consent, Cara" --ccm-consent 2026-01-15)
must program enroll --patient "$c" --program ccm --start 2026-01-15 >/dev/null
must time log --patient "$c" --minutes 12 --date 2026-11-02 >/dev/null
must time log --patient "$c" --minutes 7 --date 2026-11-20 >/dev/null
must time log --patient "$c" --minutes 30 --date 2026-10-30 >/dev/null
pat "No consent, Nia" >/dev/null
is "$(items)" "$(printf '1\tccm-minutes\tlow\t2026-11-30\t19 of 20 care management minutes logged in 2026-11, 6 days left')" \
	"19 minutes in November with 6 days left (October's do not count; no consent, no item)"
is "$(reasons --date 2026-11-23)" "$(printf '1\tccm-minutes')" "7 days left: still"
is "$(reasons --date 2026-11-22)" "" "8 days left: not yet"
like "$(items --date 2026-11-30)" "19 of 20 .* 0 days left" "on the month's last day"
is "$(reasons --date 2026-12-01 | grep ccm || true)" "" "a new month starts over, far from its end"
must time log --patient "$c" --minutes 1 --date 2026-11-24 >/dev/null
is "$(items)" "" "20 minutes is enough"

# month ends of different lengths: February 2027 has 28 days (and no
# rules file covers 2027: the threshold is the config's, 20 by default)
f=$(must patient add --name "Feb, Flo" --ccm-consent 2026-06-01)
must program enroll --patient "$f" --program ccm --start 2026-06-01 >/dev/null
is "$(reasons --date 2027-02-20 | grep ccm || true)" "" "2027-02-20: 8 days left, not yet"
is "$(items --date 2027-02-21 | grep ccm | cut -f1,4,5)" \
	"$(printf '%s\n' "1	2027-02-28	0 of 20 care management minutes logged in 2027-02, 7 days left" \
	                 "$f	2027-02-28	0 of 20 care management minutes logged in 2027-02, 7 days left")" \
	"2027-02-21: 7 days left in February"
# consenting but not enrolled: the ccm-eligible item's concern, not this one
n=$(pat "Not enrolled, Nell" --ccm-consent 2026-06-01)
unlike "$(reasons)" "^$n	ccm-minutes" "consent without enrollment: no ccm-minutes item"
# enrolled after the month is not counted
g=$(pat "Late, Lia" --ccm-consent 2026-12-05)
must program enroll --patient "$g" --program ccm --start 2026-12-05 >/dev/null
unlike "$(reasons)" "^$g	ccm-minutes" "enrolled next month: not this month's concern"
# only the minutes toward the CCM episode count: principal care
# management's do not
b=$(pat "Both, Bea" --ccm-consent 2026-01-10)
must program enroll --patient "$b" --program ccm --start 2026-01-10 >/dev/null
must consent add --patient "$b" --program pcm --method verbal --date 2026-01-10 >/dev/null
must program enroll --patient "$b" --program pcm --start 2026-01-10 >/dev/null
must time log --patient "$b" --program pcm --minutes 45 --date 2026-11-03 >/dev/null
must time log --patient "$b" --program ccm --minutes 15 --date 2026-11-04 >/dev/null
is "$(items | grep "^$b	" | cut -f5)" "15 of 20 care management minutes logged in 2026-11, 6 days left" \
	"PCM's 45 minutes do not count toward CCM's 20"
# an episode ended this month: no longer in the program
must program end "$(must program list --patient "$b" --program ccm --format tsv | tail -n +2 | cut -f1)" \
	--date 2026-11-20 >/dev/null
unlike "$(reasons)" "^$b	" "CCM ended: no item"
# the threshold is the rules file's for 2026; the config's only where none
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'review:\n  ccm_minutes: 40\n  ccm_days_left: 9\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
is "$(items --date 2026-11-22 | grep '^1	' || true)" "" "2026: the rules file's 20 minutes, met"
is "$(items --date 2027-02-19 | grep "^$f	ccm-minutes" | cut -f5)" \
	"0 of 40 care management minutes logged in 2027-02, 9 days left" \
	"no rules file for 2027: thresholds from the config file"
done_testing
