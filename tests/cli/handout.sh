#!/usr/bin/env bash
# The patient's handout (issue 15 §4): what the page holds and what it
# never holds (minimum necessary: no note, no risk, no task of the team's,
# no other patient), the patient's language (Spanish shipped, English for
# the rest, said on stderr), hostile text escaped, and a file written all
# or nothing.  Then headless Chromium prints it: one page, on Letter and
# on A4, for a patient with more than the page lists.
. "$(dirname "$0")/../lib.sh"

# ---- a patient with a bit of everything ----
pid=$(must patient add --name "Rivera, Ana" --dob 1950-02-03 --risk high --language English)
other=$(must patient add --name "Otherpatient, Zed" --risk low)
cardio=$(must contact add --name "Dr Ada Park" --kind specialist --phone "+1 555-0100" \
	--notes "CONTACT-NOTE-SECRET")
must team add --patient "$pid" --contact "$cardio" --role cardiologist >/dev/null
nophone=$(must contact add --name "Quiet Neighbour" --kind family)
must team add --patient "$pid" --contact "$nophone" --role neighbour >/dev/null
must appt add --patient "$pid" --start "2026-12-07 10:00" --title "Heart check" \
	--location "Lakeview Clinic, 12 Main St" --provider "$cardio" --transport confirmed \
	--notes "APPT-NOTE-SECRET" >/dev/null
must appt add --patient "$pid" --start "2026-12-08 18:30" --tz Europe/Madrid \
	--title "Visit abroad" --transport arranged >/dev/null
must appt add --patient "$pid" --start "2027-03-01 09:00" --title "Too far ahead" >/dev/null
gone=$(must appt add --patient "$pid" --start "2026-12-09 09:00" --title "Called off")
must appt cancel "$gone" >/dev/null
must appt add --patient "$other" --start "2026-12-07 11:00" --title "Someone else's visit" >/dev/null
must med add --patient "$pid" --name Metformin --dose "500 mg twice daily" --refill-due 2026-12-04 >/dev/null
old=$(must med add --patient "$pid" --name Warfarin --dose "5 mg")
must med edit "$old" --status stopped >/dev/null
must med add --patient "$other" --name Otherdrug >/dev/null
must note add --patient "$pid" --text "NOTE-TEXT-SECRET" >/dev/null
must task add --patient "$pid" --title "TEAM-TASK-SECRET" --due 2026-11-30 >/dev/null
must template apply type-2-diabetes --patient "$pid" >/dev/null
must team add dana --name "Dana Reyes" >/dev/null
must patient assign "$pid" dana >/dev/null
mkdir -p "$XDG_CONFIG_HOME/caseload"
printf 'phone: "+1 555-0199"\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"

run handout --patient "$pid" -o "$T/ana.html"
rc_is 0 "handout writes the page"
like "$out" "^handout in en written to $T/ana.html \(2 appointments, 1 medicine\)$" "it says where, in which language and what it lists"
is "$err" "" "nothing on stderr for a language that has its translation"
is "$(stat -c %a "$T/ana.html")" 600 "the page is the patient's data: mode 0600"
page=$(cat "$T/ana.html")
like "$page" '^<!DOCTYPE html>' "an HTML5 document"
like "$page" '<html lang="en">' "the lang attribute says English"
like "$page" '<meta name="viewport" content="width=device-width' "a phone shows it at its width"
like "$page" '@page\{margin:' "print CSS sets the paper's margins"
like "$page" 'font-size:16pt' "large print: 16 points"
unlike "$page" '<script|<img|<link|https?://|src=' "self-contained: no script, image, link or address on the network"
like "$page" 'Ana Rivera' "the patient's name"
like "$page" 'Monday, December 7, 2026 at 10:00' "the appointment's day, date and time written for a person"
like "$page" '</b>: Heart check with Dr Ada Park — Lakeview Clinic, 12 Main St\. Ride: confirmed' "what, with whom, where, and the ride"
like "$page" 'Tuesday, December 8, 2026 at 6:30' "an appointment made in another zone at its own local time"
like "$page" 'Ride: arranged' "an arranged ride says so"
unlike "$page" 'Too far ahead' "nothing more than 60 days ahead"
unlike "$page" 'Called off' "no cancelled appointment"
like "$page" 'Metformin</b> 500 mg twice daily — next refill: December 4, 2026' "an active medicine with its dose and next refill"
unlike "$page" 'Warfarin' "no stopped medicine"
like "$page" 'Dana Reyes</b> \(Your care coordinator\): <span class="tel"><a href="tel:\+15550199">\+1 555-0199</a>' "the coordinator by name, with the practice's phone from the config"
like "$page" 'Dr Ada Park</b> \(cardiologist\): <span class="tel"><a href="tel:\+15550100">' "a care-team member with a phone"
unlike "$page" 'Quiet Neighbour' "a care-team member with no phone is not a number to call"
like "$page" 'A1c at the target' "the care plan's goals as next steps"
unlike "$page" 'SECRET' "no note, task, appointment note or contact note"
unlike "$page" '[Rr]isk|[Hh]igh' "no risk level"
unlike "$page" 'Otherpatient|Someone else|Otherdrug' "nothing of another patient"
run audit --patient "$pid" --format tsv
like "$out" 'handout' "the read is in the audit"

# ---- the patient's language ----
must patient edit "$pid" --language "Spanish" >/dev/null
run handout --patient "$pid" -o "$T/ana-es.html"
rc_is 0 "a Spanish speaker's handout"
page=$(cat "$T/ana-es.html")
like "$page" '<html lang="es">' "in Spanish, says the lang attribute"
like "$page" 'Sus citas' "the headings in Spanish"
like "$page" 'lunes, 7 de diciembre de 2026, 10:00' "day, date and time in Spanish"
like "$page" 'próximo surtido: 4 de diciembre de 2026' "the refill date in Spanish"
unlike "$page" 'Your appointments|Monday' "no English left"
for l in es-MX español spa; do
	must patient edit "$pid" --language "$l" >/dev/null
	run handout --patient "$pid" -o "$T/l.html" --force
	like "$out" "handout in es" "language '$l' is Spanish"
done
run handout --patient "$pid" --lang en -o "$T/l.html" --force
like "$out" "handout in en" "--lang en gives English whatever the patient's language"
must patient edit "$pid" --language "Klingon" >/dev/null
run handout --patient "$pid" -o "$T/kl.html"
rc_is 0 "a language with no translation still gets a handout"
like "$(cat "$T/kl.html")" '<html lang="en">' "in English"
like "$err" "patient $pid's preferred language has no handout translation \(en, es\): written in English" "and stderr says so"
unlike "$(cat "$T/kl.html")" 'Klingon|translation' "the page does not"
run handout --patient "$pid" --lang fr -o "$T/fr.html"
rc_is 2 "--lang names a language there is no handout in"
like "$err" "en or es" "the message says which there are"
ok "and nothing is written" test ! -e "$T/fr.html"

# ---- hostile text ----
evil=$(must patient add --name 'Tag<script>alert(1)</script>, Amp&"Q'"'" --language es)
must med add --patient "$evil" --name "Pills <b>" --dose '1 & "2"' >/dev/null
sqlite3 "$CASELOAD_DB" "UPDATE medication SET name = 'Esc' || char(27) || '[31mRED' || char(7) || char(155) || 'x' WHERE patient_id = $evil"
sqlite3 "$CASELOAD_DB" "UPDATE patient SET given = 'Bad' || char(1) || char(8238) || 'Bidi' WHERE id = $evil"
run handout --patient "$evil" -o "$T/evil.html"
rc_is 0 "a handout of hostile text"
page=$(cat "$T/evil.html")
unlike "$page" '<script|<b>1|alert\(1\)</' "markup from the database is not markup on the page"
like "$page" 'Tag&lt;script&gt;alert\(1\)&lt;/script&gt;' "< and > are escaped"
like "$page" '1 &amp; &quot;2&quot;' "& and \" are escaped"
like "$page" 'EscRED' "the medicine's text stays, its controls gone"
tr -d '\n' <"$T/evil.html" >"$T/evil.flat"
ok "no control character reaches the page" sh -c "! LC_ALL=C grep -q '[[:cntrl:]]' '$T/evil.flat'"
ok "no C1 control or bidirectional override either" sh -c "! grep -qP '\\x{9b}|\\x{202e}' \"\$1\"" sh "$T/evil.html"

# ---- refusals: nothing written ----
run handout --patient 9999 -o "$T/nobody.html"
rc_is 1 "an unknown patient is refused"
like "$err" "9999" "naming the id"
ok "and nothing is written" test ! -e "$T/nobody.html"
run handout --patient "$pid" -o "$T/no-such-dir/x.html"
rc_is 1 "a file in a folder that is not there is refused"
ok "nothing is written" test ! -e "$T/no-such-dir"
mkdir "$T/adir"
run handout --patient "$pid" -o "$T/adir"
rc_is 2 "a folder is not a file to write"
ok "the folder stays empty" test -z "$(ls -A "$T/adir")"
before=$(md5sum <"$T/ana.html")
run handout --patient "$pid" -o "$T/ana.html"
rc_is 1 "an existing file is not replaced without --force"
like "$err" "give --force" "and the message says how"
is "$(md5sum <"$T/ana.html")" "$before" "the file is as it was"
is "$(ls -A "$T" | grep -c ana)" 2 "no temporary file is left beside it (ana.html, ana-es.html)"
run handout -o "$T/x.html"
rc_is 2 "--patient is needed"
run handout --patient "$pid"
rc_is 2 "-o FILE is needed"

# ---- the practice's phone: a setting like the others ----
run config --format tsv
like "$out" $'^phone\t\\+1 555-0199\tfile\t' "caseload config shows the phone and where it came from"
cp "$XDG_CONFIG_HOME/caseload/config.yaml" "$T/config.good"
printf 'phone: "555\\e[31m"\n' >"$XDG_CONFIG_HOME/caseload/config.yaml"
run handout --patient "$pid" -o "$T/badphone.html"
rc_is 1 "a phone with a control character is refused"
like "$err" 'config.yaml:1:8: phone: character 4 is a control character' "naming the file, line and column"
ok "and nothing is written" test ! -e "$T/badphone.html"
cp "$T/config.good" "$XDG_CONFIG_HOME/caseload/config.yaml"

# ---- printed: one page, whatever the patient has ----
big=$(must patient add --name "Many, Things" --language Spanish)
for d in 01 02 03 04 05 06 07 08 09 10 11 12; do
	must appt add --patient "$big" --start "2026-12-$d 09:15" \
		--title "Appointment with a long title, number $d, at the specialist's" \
		--location "Building $d, 1234 Long Street Name Avenue, Suite 500, Springfield" \
		--transport arranged >/dev/null
	must med add --patient "$big" --name "Medicine number $d with a long name" \
		--dose "$d mg twice a day with food" --refill-due "2026-12-$d" >/dev/null
	c=$(must contact add --name "Doctor Number $d Longname-Hyphenated" --kind specialist \
		--phone "+1 555-01$d")
	must team add --patient "$big" --contact "$c" --role "specialist number $d" >/dev/null
done
for t in type-2-diabetes heart-failure copd; do
	must template apply "$t" --patient "$big" >/dev/null
done
must handout --patient "$big" -o "$T/big.html" >/dev/null
page=$(cat "$T/big.html")
n=$(grep -c 'class="appt"' "$T/big.html" || true)
ok "some appointments listed, at most 5 ($n)" test "$n" -ge 2 -a "$n" -le 5
like "$page" "Sus citas <span class=\"of\">\\($n de 12\\)" "the heading says how many of how many, in Spanish"
n=$(grep -c -- '— próximo surtido' "$T/big.html" || true)
ok "some medicines listed, at most 6 ($n)" test "$n" -ge 2 -a "$n" -le 6
like "$page" "Sus medicamentos <span class=\"of\">\\($n de 12\\)" "of how many medicines"
like "$page" 'A quién llamar <span class="of">\([1-5] de 13\)' "of how many numbers (the coordinator's and 12)"
like "$page" 'Sus próximos pasos <span class="of">\([1-4] de [0-9]+\)' "at most 4 next steps"
like "$page" 'Building 01, 1234 Long St…' "long text is cut, and says so"
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	skip "the page prints on one page" "chromium and pdfinfo are not installed (scripts/deps.sh --test)"
else
	# A4 as a printer set to it would give: the same page with its size set
	sed 's/@page{margin:/@page{size:A4;margin:/' "$T/big.html" >"$T/big-a4.html"
	ok "the A4 copy sets the size" grep -q 'size:A4' "$T/big-a4.html"
	must handout --patient "$big" --lang en -o "$T/big-en.html" >/dev/null
	sed 's/@page{margin:/@page{size:A4;margin:/' "$T/big-en.html" >"$T/big-en-a4.html"
	for f in big big-a4 big-en big-en-a4 ana-es evil; do
		timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
			--user-data-dir="$T/chromium" --print-to-pdf="$T/$f.pdf" "file://$T/$f.html" \
			>/dev/null 2>&1 || true
		info=$(pdfinfo "$T/$f.pdf" 2>&1 || true)
		like "$info" 'Pages: +1$' "$f.html prints on one page"
	done
	like "$(pdfinfo "$T/big.pdf")" 'letter' "the first on Letter"
	like "$(pdfinfo "$T/big-a4.pdf")" 'A4' "the second on A4"
	text=$(pdftotext "$T/big.pdf" - 2>/dev/null || true)
	like "$text" 'Sus próximos pasos' "the last section is on the page"
fi

done_testing
