#!/usr/bin/env bash
# patient show: the whole chart, gathered by the same service as the
# screen's: care plans with goals, this month's contact attempts and care
# management minutes against the target; a discharge's disposition.
. "$(dirname "$0")/../lib.sh"

run init
p=$(must patient add --name "Okafor, Ada" --dob 1948-02-03 --risk high)
must template apply transitional-care --patient "$p" --start 2026-11-20 >/dev/null
# minutes count toward a program the patient is enrolled in with consent
must consent add --patient "$p" --program ccm --method verbal --date 2026-10-01 >/dev/null
must program enroll --patient "$p" --program ccm --start 2026-10-01 >/dev/null
must note add --patient "$p" --kind call --outcome no-answer --at "2026-11-03 10:00" >/dev/null
must note add --patient "$p" --kind call --outcome reached --at "2026-11-23 10:00" --minutes 12 >/dev/null
# last month's attempt and minutes are not this month's
must note add --patient "$p" --kind call --outcome reached --at "2026-10-30 10:00" --minutes 30 >/dev/null
must time log --patient "$p" --minutes 5 --date 2026-11-02 >/dev/null

run patient show "$p"
rc_is 0 'patient show succeeds'
like "$out" 'Care plans +#[0-9]+ ' 'the active care plan is listed'
like "$out" '  goal: ' 'with its goals'
like "$out" 'Contacts +2 this month' 'two contact attempts this calendar month, not the one of October'
like "$out" 'CCM minutes +17 of 20 this month \(2026-11-01 to 2026-11-30\)' 'minutes this month against the configured target'

like "$out" 'Consents +CCM verbal 2026-10-01, captured by [^ ]+ \(consent [0-9]+\)' 'the consents'
like "$out" 'Programs +CCM active from 2026-10-01: 17 of 20 minutes this month \(episode [0-9]+\)' \
	'the programs, with the month'"'"'s minutes against the threshold'

mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'review:\n  ccm_minutes: 40\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run patient show "$p"
like "$out" 'CCM minutes +17 of 40 this month' 'the target is the config'"'"'s'

unlike "$out" 'Interpreter' 'no interpreter line when none is needed'
run patient edit "$p" --language Igbo --interpreter yes
rc_is 0 'patient edit takes --interpreter'
run patient show "$p"
like "$out" 'Language +Igbo' 'the language'
like "$out" 'Interpreter +needed' 'and the interpreter need'
run patient edit "$p" --interpreter maybe
rc_is 2 '--interpreter is yes or no'
like "$err" 'interpreter' 'the message names it'
run audit --patient "$p" --format tsv
like "$out" 'interpreter' 'the audit names the changed field'

run patient show "$p"
unlike "$out" 'Best time|do not contact' 'no best time to call nor do-not-contact unless recorded'
run patient edit "$p" --do-not-contact yes --best-time evening
rc_is 0 'patient edit takes --do-not-contact and --best-time'
run patient show "$p"
like "$out" 'Best time +evening' 'the best time to call'
like "$out" 'Contact +do not contact' 'and the do-not-contact flag'
run patient edit "$p" --best-time noon
rc_is 2 '--best-time is a known time of day'
like "$err" 'best-time .noon. is not one of morning, afternoon or evening' 'the message names the value and the choices'
run patient edit "$p" --do-not-contact no --best-time ''
run patient show "$p"
unlike "$out" 'do not contact|Best time' 'both clear again'
unlike "$out" 'Medicare' 'no QMB line unless recorded'
run patient edit "$p" --qmb yes
rc_is 0 'patient edit takes --qmb'
run patient show "$p"
like "$out" 'Medicare +Qualified Medicare Beneficiary' 'patient show says so'
run audit --patient "$p" --format tsv
like "$out" 'QMB' 'the audit names the changed field'
run patient edit "$p" --qmb perhaps
rc_is 2 '--qmb is yes or no'
like "$err" "qmb 'perhaps' is not one of yes or no" 'the message names the value'
run patient edit "$p" --qmb no
run patient show "$p"
unlike "$out" 'Medicare' 'and clears'

run discharge --patient "$p" --date 2026-11-22 --facility General --disposition snf --text "walker"
rc_is 0 'a discharge with a disposition'
run discharge --patient "$p" --date 2026-11-22 --disposition moon
rc_is 2 'an unknown disposition is a usage error'
like "$err" "disposition" 'the message names the option'
run audit --format tsv
like "$out" 'patient show' 'the read is audited as patient show'
done_testing
