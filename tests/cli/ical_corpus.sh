#!/usr/bin/env bash
# Every file of the shared iCalendar corpus (../shared/ical-corpus, real
# files from other projects) either imports or is refused with a reason
# naming the file, and none crashes or leaks (the sanitizer build).
#
# Counts are checked against the corpus's INDEX.tsv: for each file libical
# reads into a tree, the VEVENTs we report (added + updated + unchanged +
# cancelled + skipped) equal its `vevents` column; a file libical cannot
# read at all (libical_errors -1) must be refused, with nothing stored.
# The has_rrule and has_tzid columns are checked the one way they can be
# honestly: a file without them gives no stored rule and no foreign zone.
# Why each skipped event of an imported file is not kept is listed, per
# file and reason, in tests/data/ical-corpus-skips.tsv; the list found must
# be that list (a change to it says why in its commit).
. "$(dirname "$0")/../lib.sh"
corpus="$top/../shared/ical-corpus"
if [ ! -f "$corpus/INDEX.tsv" ]; then
	skip_all "no corpus at $corpus"
fi

# Fuzzer outputs that libical half-reads but that are not iCalendar at
# their first line or are cut short; we refuse them (with the line).
refused_ok=" libical/fuzzmerge1 libical/fuzzmerge3 "

# each file goes into a copy of one empty database (made once: a new
# database's schema costs more than most files' import)
export CASELOAD_DB="$T/empty.db"
must init >/dev/null
n_files=0 n_imported=0 n_refused=0 n_events=0
while IFS=$'\t' read -r path bytes producer vevents vtodos rrule tzid pyok lerrors; do
	[ "$path" = path ] && continue
	n_files=$((n_files + 1))
	export CASELOAD_DB="$T/corpus.db"
	rm -f "$CASELOAD_DB" "$CASELOAD_DB-wal" "$CASELOAD_DB-shm"
	cp "$T/empty.db" "$CASELOAD_DB"
	run import "$corpus/$path"
	case "$rc" in
	0)
		n_imported=$((n_imported + 1))
		got=""   # the count in the first line (the last ": N events: " of it)
		if [[ ${out%%$'\n'*} =~ ^.*:\ ([0-9]*)\ events?:\  ]]; then got=${BASH_REMATCH[1]}; fi
		n_events=$((n_events + ${got:-0}))
		# its report, for the skips counted once at the end (a process
		# or two less for each of the files)
		printf '\f%s\n%s\n' "$path" "$out" >>"$T/reports"
		if [ "$lerrors" = -1 ]; then
			_result 0 "$path: libical cannot read it, so it must be refused" "$out"
		else
			is "$got" "$vevents" "$path: imports, $vevents VEVENTs accounted for"
		fi
		# nothing is invented: no rule without an RRULE in the file, no
		# zone but the coordinator's (floating times) without a TZID
		rules="" zones=""
		if [ "$rrule" = no ] || [ "$tzid" = no ]; then   # (one sqlite3 for both)
			{ read -r rules; read -r zones; } < <(sqlite3 "$CASELOAD_DB" \
				"SELECT count(*) FROM appointment WHERE rrule IS NOT NULL;
				 SELECT count(*) FROM appointment WHERE tzid IS NOT NULL AND tzid != '$CASELOAD_TZ'")
		fi
		if [ "$rrule" = no ]; then
			is "$rules" 0 "$path: no RRULE in the file, none stored"
		fi
		if [ "$tzid" = no ]; then
			is "$zones" 0 "$path: no TZID in the file, no zone stored but the coordinator's"
		fi
		;;
	1)
		n_refused=$((n_refused + 1))
		like "$err" "^caseload: import: $corpus/$path(:[0-9]+)?: " "$path: refused with a reason naming the file"
		stored=$(sqlite3 "$CASELOAD_DB" 'SELECT count(*) FROM appointment' 2>/dev/null || echo 0)
		is "$stored" 0 "$path: refused, nothing stored"
		if [ "$lerrors" != -1 ] && [ "$vevents" != 0 ] && [ "${refused_ok#* $path }" = "$refused_ok" ]; then
			_result 0 "$path: libical reads $vevents events from it, we should not refuse it" "$err"
		fi
		;;
	*)
		_result 0 "$path: import exits 0 or 1 (got $rc)" "$err"
		;;
	esac
done <"$corpus/INDEX.tsv"
echo "# $n_files files: $n_imported imported ($n_events events), $n_refused refused"
ok "the whole corpus was tried" test "$n_files" -gt 250
# each skipped event's reason, counted per file: FILE <tab> REASON <tab> N
touch "$T/reports"
perl -ne 'if (s/^\f//) { chomp; $p = $_; next }
	$n{"$p\t$1"}++ if /^  line \d+: skipped(?: \(UID .*?\))?: (.*)$/;
	END { print "$_\t$n{$_}\n" for keys %n }' "$T/reports" >"$T/skips.tsv"
is "$(diff <(grep -v '^#' "$top/tests/data/ical-corpus-skips.tsv" | sort) <(sort "$T/skips.tsv"))" "" \
	"every skipped event of the corpus is skipped for its listed reason"

done_testing
