#!/usr/bin/env bash
# contact, team, med, note, discharge and time log from the command line.
. "$(dirname "$0")/../lib.sh"

pid=$(must patient add --name "Chen, Wei" --risk high)
# minutes count toward a program: consent and enrollment first
must consent add --patient "$pid" --program ccm --method written --date 2026-11-01 >/dev/null
must program enroll --patient "$pid" --program ccm --start 2026-11-01 >/dev/null
cid=$(must contact add --name "Dr. Alicia Moreno" --kind primary-care --org "Riverside" --phone 555-0101)
is "$cid" 1 "contact add prints the id"
run contact add --name "Nobody" --kind wizard
rc_is 2 "unknown contact kind is a usage error"
like "$err" "kind 'wizard' is not one of primary-care, specialist" "message lists the kinds"

tid=$(must team add --patient "$pid" --contact "$cid" --role "primary care")
like "$tid" '^[0-9]+$' "team add prints the link id"
run team add --patient "$pid" --contact "$cid" --role "primary care"
rc_is 1 "the same link twice is refused"
like "$err" "already on patient $pid's team" "message says why"
run team add --patient "$pid" --contact 77 --role x
rc_is 1 "unknown contact is refused"
like "$err" "no contact with id 77" "message names the missing contact"
run contact list --patient "$pid" --format tsv
is "$(rows "$out")" 1 "the care team has one member"
like "$out" $'Dr. Alicia Moreno\tprimary-care\tprimary care' "with kind and role"
run contact list --format json
like "$out" '"name": "Dr. Alicia Moreno"' "contact list JSON"

mid=$(must med add --patient "$pid" --name Metformin --dose "500 mg" --refill-due +5d --pharmacy "$cid")
run med list --patient "$pid" --format tsv
like "$out" $'Metformin\t500 mg\t2026-11-29\tactive' "refill date from a friendly offset"
run med add --patient "$pid" --name Lisinopril --refill-due "next month"
rc_is 2 "a bad refill date is a usage error"
like "$err" "--refill-due: 'next month' is not a date" "message names option and value"
run med add --patient 99 --name X
rc_is 1 "medication for an unknown patient is refused"

# contact attempts and notes on the timeline
nid=$(must note add --patient "$pid" --outcome reached --minutes 12 --text "Daughter will drive" --at "2026-11-23 10:15")
like "$nid" '^[0-9]+$' "note add prints the id"
run note add --patient "$pid" --outcome "maybe"
rc_is 2 "unknown outcome is a usage error"
like "$err" "outcome 'maybe' is not one of reached, no-answer, voicemail or left-message" "message lists the outcomes"
run note add --patient "$pid" --kind note --outcome reached
rc_is 2 "an outcome on a plain note is refused"
run note add --patient "$pid"
rc_is 2 "an empty note is refused"
run note add --patient "$pid" --text x --at "2026-11-23 25:00"
rc_is 2 "a bad time is a usage error"
run note add --patient "$pid" --text "Left a message" --kind call --outcome left-message
rc_is 0 "a call with an outcome and no minutes"

run discharge --patient "$pid" --date yesterday --facility "St. Mary's"
rc_is 0 "discharge recorded"
run discharge --patient "$pid"
rc_is 2 "discharge needs --date"
like "$err" "missing --date" "message names the option"

run time log --patient "$pid" --minutes 15 --activity "care plan review"
rc_is 0 "time log"
run time log --patient "$pid" --minutes 0
rc_is 2 "zero minutes refused"
run time log --patient "$pid" --minutes 10 --date 2026-11-01
rc_is 0 "time log on a given date"

# the audit trail saw each change, made by the user given (on a server,
# tests/cli/pg_suite.sh, by the role that connected: --user is refused)
case $CASELOAD_DB in
*dbname=*) as=() who=$(sqlite3 "$CASELOAD_DB" "SELECT session_user") ;;
*) as=(--user dana) who='dana \(override by [^)]+\)' ;;
esac
run "${as[@]}" note add --patient "$pid" --text "audited"
rc_is 0 "a note as someone"
run audit --format tsv --table entry
like "$out" $'\t'"$who"$'\tinsert\tentry\t' "audit rows name who changed what"
unlike "$out" 'audited' "audit rows hold no patient text"
run audit --format tsv --table time_log
is "$(rows "$out")" 3 "time log: two by hand and one from the call's minutes"

done_testing
