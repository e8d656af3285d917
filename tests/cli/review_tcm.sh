#!/usr/bin/env bash
# review: after a discharge, tcm-contact (a reached call or visit within 2
# business days: weekends and holidays skipped) and tcm-visit (a follow-up
# appointment within 7 days for high risk, 14 for others).  2026-11-20 is a
# Friday; Thursday 2026-11-26 is Thanksgiving, so 2 business days after
# Wednesday 11-25 is Monday 11-30.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/review.inc"

tcm() { items "$@" | grep -E $'\ttcm-' || true; }

a=$(must patient add --name "Fri, Dana")
must note add --patient "$a" --outcome reached --at "2026-11-19 09:00" >/dev/null
d=$(must discharge --patient "$a" --date 2026-11-20 --facility "St. Mary's")
is "$(items --date 2026-11-23)" "$(printf '%s\n' \
	"1	tcm-contact	high	2026-11-24	discharged 2026-11-20 from St. Mary's: no reached call or visit yet, due by 2026-11-24" \
	"1	tcm-visit	high	2026-12-04	discharged 2026-11-20 from St. Mary's: no follow-up appointment within 14 days (by 2026-12-04)" \
	"1	unreviewed	medium	2026-11-20	discharge 2026-11-20 12:00 not yet acknowledged: St. Mary's")" \
	"Monday after a Friday discharge: contact due Tuesday (the weekend skipped), visit, unreviewed"
like "$(tcm --date 2026-11-24)" $'tcm-contact\thigh\t2026-11-24\t.*due by 2026-11-24' "on the due day itself it is due, not overdue"
like "$(tcm --date 2026-11-25)" $'tcm-contact\turgent\t2026-11-24\t.*overdue since 2026-11-24' "the day after, overdue and urgent"
is "$(reasons --date 2026-11-19)" "" "nothing before the discharge"

# what does not count as the contact, and what does
must note add --patient "$a" --outcome no-answer --at "2026-11-23 10:00" >/dev/null
must note add --patient "$a" --kind message --outcome reached --at "2026-11-23 11:00" >/dev/null
like "$(tcm --date 2026-11-24)" "tcm-contact" "an unanswered call and a reached message leave tcm-contact"
must note add --patient "$a" --kind visit --outcome reached --at "2026-11-23 15:00" --minutes 30 >/dev/null
unlike "$(tcm --date 2026-11-24)" "tcm-contact" "a reached home visit clears it"
like "$(tcm --date 2026-11-24)" "tcm-visit" "but not the follow-up visit"
must appt add --patient "$a" --start "2026-12-03 10:00" --title "PCP follow-up" >/dev/null
is "$(tcm --date 2026-11-24)" "" "a follow-up booked within 14 days clears tcm-visit"

# acknowledging the discharge
run review ack "$d"
rc_is 0 "review ack acknowledges the discharge"
is "$(items --date 2026-11-24)" "" "and nothing is left"
run review ack "$d"
rc_is 1 "acknowledging twice is refused"
like "$err" "entry $d was changed by .* at 20[0-9-]+ [0-9:]+ UTC since it was read \(acknowledge\): nothing was saved" \
	"saying who acknowledged it, and when"

# high risk, discharged the day before Thanksgiving
b=$(must patient add --name "Wed, Bo" --risk high)
must note add --patient "$b" --outcome reached --at "2026-11-24 09:00" >/dev/null
must discharge --patient "$b" --date 2026-11-25 --facility "County General" >/dev/null
is "$(tcm --date 2026-11-25)" "$(printf '%s\n' \
	"2	tcm-contact	high	2026-11-30	discharged 2026-11-25 from County General: no reached call or visit yet, due by 2026-11-30" \
	"2	tcm-visit	high	2026-12-02	discharged 2026-11-25 from County General: no follow-up appointment within 7 days (by 2026-12-02)")" \
	"Thanksgiving is skipped: contact due Friday and Monday; high risk: visit within 7 days"
must note add --patient "$b" --outcome reached --at "2026-11-24 16:00" >/dev/null
like "$(tcm --date 2026-11-25)" "tcm-contact" "a call before the discharge does not count"
must appt add --patient "$b" --start "2026-12-03 10:00" --title "Too late" >/dev/null
cancelled=$(must appt add --patient "$b" --start "2026-11-30 10:00" --title "Cancelled" --status cancelled)
like "$(tcm --date 2026-11-25)" "tcm-visit" "a visit after 7 days or a cancelled one does not count"
must appt edit "$cancelled" --status booked >/dev/null
unlike "$(tcm --date 2026-11-25)" "tcm-visit" "a booked one within 7 days does"

# a series that brings the patient in within the window counts
c=$(must patient add --name "Series, Cy")
must note add --patient "$c" --outcome reached --at "2026-11-19 09:00" >/dev/null
must appt add --patient "$c" --start "2026-11-06 09:00" --title "Weekly clinic" --rrule "FREQ=WEEKLY" >/dev/null
must discharge --patient "$c" --date 2026-11-20 >/dev/null
is "$(tcm --date 2026-11-23 | cut -f1,2)" "$(printf '3\ttcm-contact')" \
	"a weekly series' occurrence within 14 days is the follow-up visit"

# the rules file (data/rules/2026.yaml) is the one source of the TCM
# windows: the config's holidays and review.tcm_* do not move them...
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'holidays: none\nreview:\n  tcm_contact_bdays: 1\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
like "$(tcm --date 2026-11-25 | grep '^2	tcm-contact')" $'\t2026-11-30\t' \
	"the rules file's business days skip Thanksgiving whatever the config says"
# ...unless no rules file covers the day: then the config's are the default
mkdir -p "$T/data/rules"
export CASELOAD_DATADIR="$T/data"
printf 'holidays: none\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
like "$(tcm --date 2026-11-25 | grep '^2	tcm-contact')" $'\t2026-11-27\t' "without rules, with no holidays, 2 business days from Wednesday is Friday"
printf 'holidays: none\nreview:\n  tcm_contact_bdays: 1\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
like "$(tcm --date 2026-11-25 | grep '^2	tcm-contact')" $'\t2026-11-26\t' "tcm_contact_bdays: 1 gives Thursday"
unset CASELOAD_DATADIR
done_testing
