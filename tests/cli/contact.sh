#!/usr/bin/env bash
# contact edit and show: every field of contact add, checked as add checks
# it, and the public label, the neutral name a minimal export gives a
# clinic (issue 10); bad input changes nothing.
. "$(dirname "$0")/../lib.sh"

must init >/dev/null
cid=$(must contact add --name "Dr. Hannah Berg" --kind specialist --org "Lakeview Cardiology" \
	--phone 555-0141)
audits() { sqlite3 "$CASELOAD_DB" "SELECT count(*) FROM audit WHERE tbl = 'contact' AND row_id = $cid"; }
is "$(audits)" 1 "the add is audited"

run contact edit "$cid" --public-label "Lakeview Clinic" --address "200 Lake Shore Dr"
rc_is 0 "contact edit sets a public label and an address"
is "$out" "$cid" "and prints the id"
is "$(audits)" 2 "the edit is audited"
run contact show "$cid"
like "$out" "Public label +Lakeview Clinic" "contact show gives the public label"
like "$out" "Organization +Lakeview Cardiology" "the other fields are kept"
like "$out" "Phone +555-0141" "the phone too"
like "$out" "Address +200 Lake Shore Dr" "and the address set with it"
run contact list --format tsv
like "$out" $'Lakeview Cardiology\tLakeview Clinic\t555-0141' "contact list has the public label"
run contact list
like "$out" "Public label" "the table heads the column"

# a minimal export gives the label and the address as the place, never
# the appointment's location, the provider's name or organization
must patient add --name "Chen, Wei" >/dev/null
must appt add --patient 1 --start "2026-12-10 10:00" --title "Cardiology follow-up" \
	--location "Lakeview Cardiology, 2nd floor" --provider "$cid" >/dev/null
must appt add --patient 1 --start "2026-12-11 10:00" --title "Lab draw" --location "Riverside Lab" >/dev/null
locations() { printf '%s\n' "$1" | grep '^LOCATION' | tr -d '\r' || true; }
run export --patient 1
is "$(locations "$out")" 'LOCATION:Lakeview Clinic\, 200 Lake Shore Dr' \
	"minimal: the public label and address as LOCATION, none for the appointment without a provider"
unlike "$out" "Cardiology|Berg|Riverside" "no specialty, provider or location text"
printf '%s\n' "$out" >"$T/minimal.ics"
run import "$T/minimal.ics"
like "$out" ": 2 events: 0 added .* 2 unchanged" "the minimal export imported back changes nothing"
is "$(sqlite3 "$CASELOAD_DB" "SELECT location FROM appointment WHERE provider_id = $cid")" \
	"Lakeview Cardiology, 2nd floor" "the appointment keeps its own location"
run export --patient 1 --detail full
like "$(locations "$out")" 'LOCATION:Lakeview Cardiology\\, 2nd floor' "full keeps the appointment's own location"
unlike "$out" "Lakeview Clinic" "and does not use the label"

# refused: a contact that is not there, an id that is not one, an empty
# name, an unknown kind, no id; nothing changes
before=$(sqlite3 "$CASELOAD_DB" "SELECT * FROM contact")
run contact edit 99 --public-label "Somewhere"
rc_is 1 "an unknown contact is refused"
like "$err" "no contact with id 99" "by its id"
run contact edit x --phone 1
rc_is 2 "an id that is not a number is a usage error"
like "$err" "'x' is not a contact id" "said so"
run contact edit "$cid" --name ""
rc_is 2 "an empty name is refused"
like "$err" "needs a name" "said so"
run contact edit "$cid" --kind wizard
rc_is 2 "an unknown kind is refused"
like "$err" "kind 'wizard' is not one of" "with the kinds"
run contact edit --public-label "Somewhere"
rc_is 2 "no id is a usage error"
like "$err" "which contact\?" "asking which"
run contact show 99
rc_is 1 "contact show of an unknown contact fails"
is "$(sqlite3 "$CASELOAD_DB" "SELECT * FROM contact")" "$before" "nothing changed"
is "$(audits)" 2 "nor was anything audited"

# "" clears a field; the name and kind are kept
run contact edit "$cid" --public-label ""
rc_is 0 "an empty public label clears it"
is "$(sqlite3 "$CASELOAD_DB" "SELECT public_label IS NULL FROM contact WHERE id = $cid")" 1 \
	"stored as none"
run contact show "$cid"
unlike "$out" "Public label" "contact show no longer gives one"
like "$out" "Contact +Dr. Hannah Berg" "the name is kept"
run export --patient 1
is "$(locations "$out")" 'LOCATION:200 Lake Shore Dr' "with no label, a minimal export gives the address alone"
must contact edit "$cid" --address "" >/dev/null
run export --patient 1
is "$(locations "$out")" "" "with neither, no LOCATION"

# contact add takes a public label too
cid2=$(must contact add --name "Dr. Kwame Mensah" --kind specialist --public-label "Metro Clinic")
is "$(sqlite3 "$CASELOAD_DB" "SELECT public_label FROM contact WHERE id = $cid2")" "Metro Clinic" \
	"contact add --public-label"

# a database from before public labels (migration 6) gets the column, none
# set, and every later migration
old="$T/old.db"
v=$(CASELOAD_DB="$T/new.db" "$CASELOAD" init | grep -o 'schema [0-9]*' | cut -d' ' -f2)
CASELOAD_DB="$old" must init --schema 5 >/dev/null
sqlite3 "$old" "INSERT INTO contact (name, kind, created, updated) VALUES ('Corner Pharmacy', 'pharmacy', 0, 0)"
CASELOAD_DB="$old" run contact list --format tsv
rc_is 0 "an older database is migrated"
like "$out" $'Corner Pharmacy\tpharmacy' "its contacts are kept"
is "$(sqlite3 "$old" 'SELECT count(*) FROM contact WHERE public_label IS NULL')" 1 "with no public label"
is "$(sqlite3 "$old" 'PRAGMA user_version')" "$v" "at the latest schema"

done_testing
