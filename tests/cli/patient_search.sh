#!/usr/bin/env bash
# patient list --search: the patient on the phone is found by any word of
# the name whatever its accents, case or script, by any part of the MRN or
# the phone number; several words must all match; a schema-4 database gets
# its search keys from the migration.
. "$(dirname "$0")/../lib.sh"

must patient add --name "Núñez, José" --mrn MRN-0001005 --phone 555-200-5000 >/dev/null
must patient add --name "Ødegaard, Zoë" --mrn MRN-0002007 --phone "(555) 301-7777" >/dev/null
must patient add --name "Nguyễn, Thị Hoa" --mrn MRN-0003001 >/dev/null
must patient add --name "王, 伟" --mrn MRN-0004001 >/dev/null
must patient add --name "Chen, Su" --phone 555-0100 >/dev/null
must patient add --name "Chen, Wei" --phone 555-0101 >/dev/null
must patient add --name "O'Brien, Mary Ann" >/dev/null
must patient add --name "Иванов, Пётр" >/dev/null
must patient add --name "Smith, Zoe" --status inactive >/dev/null
must patient add --name "Əliyev, Aysel" >/dev/null

# found: the ids, in name order, that a search lists
found() {
	run patient list --search "$1" --format tsv
	printf '%s\n' "$out" | tail -n +2 | cut -f1 | tr '\n' ' ' | sed 's/ $//'
}

is "$(found nunez)" 1 "nunez finds Núñez"
is "$(found NÚÑEZ)" 1 "NÚÑEZ finds Núñez"
is "$(found zoe)" 2 "zoe finds Ødegaard, Zoë (and not the inactive Smith, Zoe)"
is "$(found ode)" 2 "ode finds Ødegaard"
is "$(found ø)" "7 2" "ø finds Ødegaard (and O'Brien: ø folds to o)"
is "$(found Ø)" "7 2" "Ø finds Ødegaard"
is "$(found ødeg)" 2 "ødeg finds Ødegaard alone"
is "$(found nguyen)" 3 "nguyen finds Nguyễn"
is "$(found "hoa nguyen")" 3 "given and family in either order"
is "$(found wang)" 4 "wang finds 王伟"
is "$(found "wang wei")" 4 "wang wei finds 王伟"
is "$(found 王)" 4 "王 finds 王伟"
is "$(found ivanov)" 8 "ivanov finds Иванов"
is "$(found petr)" 8 "petr finds Пётр"
is "$(found obrien)" 7 "obrien finds O'Brien"
is "$(found "o'brien")" 7 "o'brien finds O'Brien"
is "$(found maryann)" 7 "maryann finds Mary Ann"
is "$(found ƏLİ)" 10 "ƏLİ finds Əliyev (a letter with no ASCII form stays, lower-cased)"

is "$(found "chen su")" 5 "chen su: both words must match"
is "$(found "Chen, Su")" 5 "Chen, Su"
is "$(found "su chen")" 5 "su chen"
is "$(found "Chen, W")" 6 "Chen, W finds Chen, Wei"
is "$(found chen)" "5 6" "chen finds both Chens"
is "$(found "chen zz")" "" "a word that matches nothing leaves nothing"

is "$(found 5552005)" 1 "phone digits 5552005"
is "$(found 555-2005)" 1 "phone 555-2005"
is "$(found "(555) 200")" 1 "phone (555) 200"
is "$(found "555 200 5000")" 1 "phone spaced 555 200 5000"
is "$(found 3017777)" 2 "phone digits inside (555) 301-7777"
is "$(found 7777)" 2 "phone's last four digits"
is "$(found 1005)" 1 "a partial MRN 1005"
is "$(found MRN-0001005)" 1 "the whole MRN"
is "$(found mrn0002)" 2 "an MRN's start without its dash"
is "$(found 0003)" 3 "an MRN part 0003"
is "$(found "chen 0100")" 5 "a name word and a phone part together"
is "$(found 555-01)" "5 6" "555-01 finds both 555-010x phones"

run patient list --search zz
rc_is 0 "no match is not an error"
is "$out" "no patient matches 'zz'" "no match says so in a table"
run patient list --search zz --format tsv
is "$(rows "$out")" 0 "no match in TSV: the header alone"
run patient list --search zoe --all --format tsv
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | tr '\n' ' ')" "9 2 " "--all finds the inactive Zoe too"

# Kept current: a name, phone or MRN change is found at once, the old one not.
must patient edit 5 --name "Chen-Lopez, Su" --phone 555-9999 --mrn Q-42 >/dev/null
is "$(found lopez)" 5 "an edited name is found"
is "$(found 9999)" 5 "an edited phone is found"
is "$(found q42)" 5 "an edited MRN is found"
is "$(found 5550100)" "" "the old phone is not"

# A database of schema 4 (before the search keys) is migrated: its
# patients are found by folded name and MRN parts at once.
old="$T/old.db"
CASELOAD_DB="$old" must init --schema 4 >/dev/null
sqlite3 "$old" "INSERT INTO patient(family, given, mrn, phone, created, updated)
	VALUES ('Ålund', 'Søren', 'AB-778899', '555-4321', 0, 0);"
is "$(sqlite3 "$old" 'PRAGMA user_version')" 4 "the database is at schema 4"
CASELOAD_DB="$old" run patient list --search "soren alund" --format tsv
like "$out" $'1\tÅlund, Søren' "after the migration soren alund finds Ålund, Søren"
CASELOAD_DB="$old" run patient list --search 7889 --format tsv
like "$out" 'Ålund' "and a part of the MRN finds him"
CASELOAD_DB="$old" run patient list --search 4321 --format tsv
like "$out" 'Ålund' "and a part of the phone"
newest=$("$CASELOAD" --version | sed 's/.*schema \([0-9]*\).*/\1/')
is "$(sqlite3 "$old" 'PRAGMA user_version')" "$newest" "the database is at this caseload's schema"
is "$(sqlite3 "$old" "SELECT name_key FROM patient")" "alund,soren" "the migration wrote the name key"

done_testing
