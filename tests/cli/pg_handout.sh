#!/usr/bin/env bash
# The handout on PostgreSQL: the same records give the same page as on
# SQLite (the chart, the care team's phones, the goals' order), and the
# read is in the audit.  Needs CASELOAD_TEST_PG (scripts/pgtest.sh):
# skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
pg_scratch handout

fill() {   # the same records in the database of CASELOAD_DB
	must init >/dev/null
	pid=$(must patient add --name "Rivera, Ana" --language es-MX)
	c=$(must contact add --name "Dr Ada Park" --kind specialist --phone "+1 555-0100")
	must team add --patient "$pid" --contact "$c" --role cardiologist >/dev/null
	must appt add --patient "$pid" --start "2026-12-07 10:00" --title "Heart check" \
		--provider "$c" --location "Lakeview <Clinic> & Co" --transport confirmed >/dev/null
	must med add --patient "$pid" --name Metformin --dose "500 mg" --refill-due 2026-12-04 >/dev/null
	must note add --patient "$pid" --text "NOTE-TEXT-SECRET" >/dev/null
	must template apply type-2-diabetes --patient "$pid" >/dev/null
	must handout --patient "$pid" -o "$1" >/dev/null
}
export CASELOAD_DB="$T/lite.db"
fill "$T/lite.html"
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
fill "$T/pg.html"
ok "PostgreSQL writes the handout" test -s "$T/pg.html"
is "$(cat "$T/pg.html")" "$(cat "$T/lite.html")" "the same page as SQLite's for the same records"
page=$(cat "$T/pg.html")
like "$page" 'lunes, 7 de diciembre de 2026, 10:00' "in Spanish, with the appointment"
like "$page" 'Lakeview &lt;Clinic&gt; &amp; Co' "escaped"
unlike "$page" 'SECRET' "no note"
run audit --patient "$pid" --format tsv
like "$out" 'handout' "the read is in the audit"

done_testing
