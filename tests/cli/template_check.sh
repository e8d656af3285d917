#!/usr/bin/env bash
# template list|show|check: the shipped templates, user overrides, and a
# suite of broken templates each refused with its message, line and column.
. "$(dirname "$0")/../lib.sh"
bad="$top/tests/data/templates-bad"
shipped=(chronic-care-management copd heart-failure new-diagnosis transitional-care type-2-diabetes)

# every shipped template passes check (the whole search path, then each file)
run template check
rc_is 0 "template check of the search path passes"
for n in "${shipped[@]}"; do
	like "$out" "data/templates/$n.yaml: ok \($n: " "shipped $n passes check"
done
run template check "$top"/data/templates/*.yaml
rc_is 0 "template check FILE... of every shipped file passes"
is "$(printf '%s\n' "$out" | grep -c ': ok (')" "${#shipped[@]}" "each shipped file reported ok"

run template list --format tsv
rc_is 0 "template list succeeds"
is "$(printf '%s\n' "$out" | head -1 | cut -f1-3)" "$(printf 'name\tsource\toverrides')" "TSV header starts with name"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -f1 | tr '\n' ' ')" "${shipped[*]} " "every shipped template listed, by name"
like "$out" $'transitional-care\tshipped\t\t1\tTransitional care after a hospital discharge' "row says shipped"
run template list --format json
like "$out" '"name": "copd", "source": "shipped"' "JSON rows"
run template list --format yaml
rc_is 2 "unknown format is a usage error"

run template show transitional-care
rc_is 0 "template show succeeds"
like "$out" 'Template +transitional-care \(shipped, version 1\)' "show names it and its source"
like "$out" 'Tasks +\+2bd  Interactive contact with the patient or caregiver after discharge \(call, urgent\)' "show lists tasks with offsets"
like "$out" 'high \+7d, medium \+14d, low \+14d  Arrange transitional care face-to-face visit' "show gives offsets by risk"
run template show transitonal-care
rc_is 1 "an unknown name fails"
like "$err" "no template named 'transitonal-care' \(did you mean 'transitional-care'\?\)" "near miss suggested"

# a user template overrides the shipped one of its name
udir="$XDG_CONFIG_HOME/caseload/templates"
mkdir -p "$udir"
sed 's/^title: .*/title: Our own COPD plan/' "$top/data/templates/copd.yaml" >"$udir/copd.yaml"
cp "$bad/dup/a.yaml" "$udir/mine.yaml"
run template list --format tsv
like "$out" $'copd\tuser\tshipped\t1\tOur own COPD plan' "user copd overrides the shipped one"
like "$out" $'same-name\tuser\t\t1\tFirst file' "a user-only template is listed"
is "$(printf '%s\n' "$out" | grep -c '^copd')" 1 "copd listed once"
run template list
like "$out" 'copd +user +shipped' "table says user and what it overrides"
run template show copd
like "$out" 'user, overrides shipped' "show says it overrides"

# a broken user file: listed as a problem, and apply/show refuse to choose
printf 'name: broken\ntitle: [\n' >"$udir/broken.yaml"
run template list --format tsv
rc_is 1 "list with a broken file exits 1"
like "$out" $'copd\tuser' "the good ones are still listed"
like "$err" "templates/broken.yaml:3:1: " "the broken file is named with its place"
run template show heart-failure
rc_is 1 "show refuses while a template file is broken"
like "$err" "a template file is broken, and it might be 'heart-failure'" "and says why"
run template check
rc_is 1 "check of the search path fails on the broken file"
like "$err" "broken.yaml:3:1" "check names it"
rm "$udir/broken.yaml"

# two files with one name in the same directory
cp "$bad/dup/b.yaml" "$udir/mine2.yaml"
run template list --format tsv
rc_is 1 "a name used twice in one directory is an error"
like "$err" "mine2.yaml:1:7: template name 'same-name' is also used by .*mine.yaml" "naming both files"
rm "$udir/mine2.yaml" "$udir/mine.yaml" "$udir/copd.yaml"

# CASELOAD_DATADIR chooses the shipped directory
mkdir -p "$T/share/templates"
cp "$top/data/templates/copd.yaml" "$T/share/templates/"
out=$(CASELOAD_DATADIR="$T/share" "$CASELOAD" template list --format tsv | tail -n +2 | cut -f1)
is "$out" "copd" "CASELOAD_DATADIR replaces the shipped directory"

# the build tree is found from the binary: BUILD/caseload or BUILD/san/caseload
# beside src/cli/main.c; a binary elsewhere does not pick up a stray data/
mkdir -p "$T/tree/b/san" "$T/tree/src/cli" "$T/tree/data/templates" "$T/elsewhere/bin" "$T/elsewhere/data/templates"
cp "$CASELOAD_BIN" "$T/tree/b/san/caseload"
cp "$CASELOAD_BIN" "$T/tree/b/caseload"
cp "$CASELOAD_BIN" "$T/elsewhere/bin/caseload"
: >"$T/tree/src/cli/main.c"
cp "$top/data/templates/heart-failure.yaml" "$T/tree/data/templates/"
cp "$top/data/templates/copd.yaml" "$T/elsewhere/data/templates/"
is "$("$T/tree/b/san/caseload" template list --format tsv | tail -n +2 | cut -f1)" heart-failure "BUILD/san/caseload finds its tree's data"
is "$("$T/tree/b/caseload" template list --format tsv | tail -n +2 | cut -f1)" heart-failure "BUILD/caseload finds its tree's data"
if [ ! -d /usr/local/share/caseload/templates ]; then
	is "$("$T/elsewhere/bin/caseload" template list --format tsv | tail -n +2 | cut -f1)" "" "outside a source tree only the installed directory is read"
fi

# broken templates: each has its expected message on its first line
for f in "$bad"/*.yaml; do
	name=$(basename "$f")
	want=$(sed -n '1s/^# expect: //p' "$f")
	run template check "$f"
	rc_is 1 "$name: check exits 1"
	case "$err" in
	*"$f:$want"*) _result 1 "$name: $want" ;;
	*) _result 0 "$name: $want" "got: $err" ;;
	esac
done

run template check "$bad/dup/a.yaml" "$bad/dup/b.yaml"
rc_is 1 "duplicate names across files: exit 1"
like "$err" "dup/b.yaml:1:7: template name 'same-name' is also used by .*dup/a.yaml" "duplicate named at the second file's name"
like "$out" "dup/a.yaml: ok" "the first one is fine"

run template check "$top/data/templates/copd.yaml" "$bad/syntax.yaml"
rc_is 1 "one bad file among good ones: exit 1"
like "$out" "copd.yaml: ok" "the good one still reported ok"

# huge files: over the size limit, and under it with too many values
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/huge.yaml", "w") as f:
    f.write("name: huge\ntitle: Huge\nversion: 1\ndescription: " + "x" * (5 << 20) + "\n")
with open(t + "/many.yaml", "w") as f:
    f.write("name: many\ntitle: Many\nversion: 1\ngoals:\n")
    for i in range(120000):
        f.write("  - x\n")
PY
run template check "$T/huge.yaml"
rc_is 1 "a file over 4 MiB is refused"
like "$err" "huge.yaml: file is larger than 4 MiB" "with a message naming the file"
run template check "$T/many.yaml"
rc_is 1 "a file with too many values is refused"
like "$err" "many.yaml:100000:5: more than 100000 values" "at the value over the limit (root, 3 values, the list, 99995 items)"

run template check "$T/nothing.yaml"
rc_is 1 "a missing file fails"
like "$err" "nothing.yaml: cannot open" "and says so"

done_testing
