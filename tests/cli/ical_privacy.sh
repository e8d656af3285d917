#!/usr/bin/env bash
# Minimal detail is minimal (issue 10): every patient's export of the demo
# with the export's defaults (minimal detail, which the screen's E uses
# too: tests/tui/export.sh) names no condition, specialty, person or
# record text.  The words come from the demo's own database, so the test
# follows the demo when it changes:
#   - each condition's name and its words;
#   - each specialty word: a word that both a specialist's organization
#     and the title of one of its appointments use ("Cardiology");
#   - each patient's family and given name;
#   - each contact name and organization that is not a public label, and
#     each appointment title, location and note, whole, and their words
#     (4 letters or more) that no public label or address also uses.
# The files are unfolded and unescaped first, so that a word cut by a fold
# or written "\," is still found.  The place a minimal export gives must be
# a provider's public label and address, as the database has them.
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3

export CASELOAD_DB="$T/demo.db"
must demo --patients 60 >/dev/null
ids=$(sqlite3 "$CASELOAD_DB" 'SELECT id FROM patient ORDER BY id')
ok "the demo has patients" test -n "$ids"
for id in $ids; do
	must export --patient "$id" --from 2020-01-01 --include-cancelled -o "$T/p-$id.ics" >/dev/null
done
must export --all --from 2020-01-01 --include-cancelled -o "$T/all.ics" >/dev/null
n=$(cat "$T"/*.ics | grep -c '^BEGIN:VEVENT' || true)
ok "the exports hold the demo's appointments ($n)" test "$n" -ge 120

# check DB FILE...: one line per finding, "FILE: kind: text"; on standard
# error how many were checked
check() {
	"$PY" - "$@" <<'PYEOF'
import re, sqlite3, sys
db, files = sys.argv[1], sys.argv[2:]
con = sqlite3.connect(db)
rows = lambda sql: [r for r in con.execute(sql)]
words = lambda text, least: {w.lower() for w in re.findall(r"[^\W\d_]+", text or "") if len(w) >= least}

shown = {}   # the places a minimal export may give: label, address, both
allowed_words = set()
for label, addr in rows("SELECT public_label, address FROM contact"):
    for part in (label, addr):
        allowed_words |= words(part, 1)
    place = ", ".join(p for p in (label, addr) if p)
    if place:
        shown[place] = bool(label)

always = {}  # word -> why it may never appear
for (name,) in rows("SELECT DISTINCT name FROM condition"):
    for w in words(name, 4):
        always[w] = "condition"
for family, given in rows("SELECT family, given FROM patient"):
    for w in words(family, 1) | words(given, 1):
        always[w] = "patient name"
specialty = set()
for org, title in rows("SELECT DISTINCT c.organization, a.title FROM appointment a "
                       "JOIN contact c ON c.id = a.provider_id WHERE c.kind = 'specialist'"):
    specialty |= words(org, 4) & words(title, 4)
for w in specialty:
    always[w] = "specialty"

whole = {}   # text -> why, found as a whole
for (name,) in rows("SELECT DISTINCT name FROM condition"):
    whole[name] = "condition"
unless = {}  # words not shown as part of a label or an address
for name, org, label in rows("SELECT name, organization, public_label FROM contact"):
    for t in (name, org):
        if t and t != label:
            whole[t] = "contact"
            for w in words(t, 4):
                unless[w] = "contact"
for title, loc, notes in rows("SELECT title, location, notes FROM appointment"):
    for t in (title, loc, notes):
        if t and t != "Appointment":
            whole[t] = "appointment text"
            for w in words(t, 4):
                unless[w] = "appointment text"
banned = dict(always)
for w, why in unless.items():
    if w not in allowed_words and w != "appointment":
        banned.setdefault(w, why)

def unfold(raw):
    text = re.sub(r"\r?\n[ \t]", "", raw)
    return re.sub(r"\\([,;\\nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)

labelled = 0
for path in files:
    name = path.rsplit("/", 1)[-1]
    text = unfold(open(path, encoding="utf-8").read())
    low = text.lower()
    for t, why in whole.items():
        if t.lower() in low:
            print("%s: %s: %s" % (name, why, t))
    for w, why in banned.items():
        if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", low):
            print("%s: %s word: %s" % (name, why, w))
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == "LOCATION":
            if value not in shown:
                print("%s: a place that is no label or address: %s" % (name, value))
            labelled += shown.get(value, False)
        elif key == "SUMMARY" and value != "Appointment":
            print("%s: a title: %s" % (name, value))
        elif key.split(";")[0] in ("X-CASELOAD-PATIENT", "ATTENDEE", "ORGANIZER", "CONTACT"):
            print("%s: a person: %s" % (name, key))
        elif key == "X-CASELOAD-DETAIL" and value != "minimal":
            print("%s: not minimal: %s" % (name, value))
print("%d specialty words (%s), %d words, %d texts, %d places, %d labelled LOCATIONs"
      % (len(specialty), " ".join(sorted(specialty)), len(banned), len(whole), len(shown), labelled),
      file=sys.stderr)
PYEOF
}
check "$CASELOAD_DB" "$T"/*.ics 2>"$T/stats" >"$T/found" || true
is "$(head -20 "$T/found")" "" "no minimal export of the demo names a condition, specialty, person or record text"
stats=$(cat "$T/stats")
like "$stats" "^[1-9][0-9]* specialty words" "the demo has specialty words to look for ($stats)"
like "$stats" " [1-9][0-9]* labelled LOCATIONs" "and the exports give public labels as places"
is "$(grep -h '^X-CASELOAD-DETAIL' "$T"/*.ics | tr -d '\r' | sort -u)" "X-CASELOAD-DETAIL:minimal" \
	"every export is minimal by default"

# the search finds what it looks for: the same exports in full detail fail it
for id in $(printf '%s\n' "$ids" | head -10); do
	must export --patient "$id" --from 2020-01-01 --detail full -o "$T/full-$id.ics" >/dev/null
done
check "$CASELOAD_DB" "$T"/full-*.ics 2>/dev/null >"$T/full-found" || true
for kind in "specialty word" "patient name word" "contact" "appointment text"; do
	like "$(cat "$T/full-found")" ": $kind" "the same exports in full detail are caught: $kind"
done
# no export names a condition: a minimal one given one, escaped and folded
# inside a word, is caught
cond=$(sqlite3 "$CASELOAD_DB" "SELECT name FROM condition WHERE name LIKE '%,%' LIMIT 1")
cond=${cond:-$(sqlite3 "$CASELOAD_DB" "SELECT name FROM condition LIMIT 1")}
first=$(printf '%s\n' "$ids" | head -1)
escaped=${cond//,/\\,}
HEAD="DESCRIPTION:${escaped:0:10}" REST="${escaped:10}" awk \
	'{ print } /^BEGIN:VEVENT/ { printf "%s\r\n %s\r\n", ENVIRON["HEAD"], ENVIRON["REST"] }' \
	"$T/p-$first.ics" >"$T/told.ics"
check "$CASELOAD_DB" "$T/told.ics" 2>/dev/null >"$T/told-found" || true
like "$(cat "$T/told-found")" "told.ics: condition: $cond" "a condition folded and escaped is caught (\"$cond\")"

done_testing
