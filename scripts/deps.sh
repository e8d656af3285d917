#!/bin/sh
# Install what caseload needs from Debian's packages, or say how.
#   scripts/deps.sh          build and run: compiler, libraries (libpq, the
#                            PostgreSQL client, among them), tzdata
#   scripts/deps.sh --test   also the test tools: cmocka, tmux, postgresql
#                            (the server make check starts, scripts/pgtest.sh),
#                            python3-icalendar, python3-recurring-ical-events,
#                            calcurse, clang-tidy, clang, nodejs and npm,
#                            chromium and poppler-utils (the handout printed
#                            headless to PDF, its pages counted); then
#                            the npm packages of tests/interop (ical.js, fhir, fhirpath, @medplum/core), which
#                            only the tests use
set -u
missing=""
need() { missing="$missing $1"; }

command -v cc >/dev/null 2>&1 || need gcc
command -v make >/dev/null 2>&1 || need make
command -v pkg-config >/dev/null 2>&1 || need pkg-config
pc() { pkg-config --exists "$1" 2>/dev/null || need "$2"; }
pc ncursesw libncurses-dev
pc formw libncurses-dev
pc panelw libncurses-dev
pc sqlite3 libsqlite3-dev
pc libical libical-dev
pc yaml-0.1 libyaml-dev
pc icu-uc libicu-dev
pc icu-i18n libicu-dev
pc libsodium libsodium-dev
pc libpq libpq-dev
[ -e /usr/include/csv.h ] || need libcsv-dev   # no .pc file
[ -e /usr/share/zoneinfo/America/New_York ] || need tzdata
if [ "${1:-}" = --test ]; then
	pc cmocka libcmocka-dev
	command -v tmux >/dev/null 2>&1 || need tmux
	command -v pkill >/dev/null 2>&1 || need procps
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 ||
		need postgresql
	command -v psql >/dev/null 2>&1 || need postgresql-client
	command -v calcurse >/dev/null 2>&1 || need calcurse
	command -v sqlite3 >/dev/null 2>&1 || need sqlite3
	command -v clang-tidy >/dev/null 2>&1 || need clang-tidy
	command -v clang >/dev/null 2>&1 || need clang
	/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need python3-icalendar
	/usr/bin/python3 -c 'import recurring_ical_events' >/dev/null 2>&1 || need python3-recurring-ical-events
	command -v node >/dev/null 2>&1 || need nodejs
	command -v npm >/dev/null 2>&1 || need npm
	command -v chromium >/dev/null 2>&1 || need chromium
	command -v pdfinfo >/dev/null 2>&1 || need poppler-utils
	locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || need locales
fi
# The readers from other projects the interop tests hold caseload's files
# to (tests/interop/package-lock.json pins them): installed again when the
# lock file is newer than what is installed.
npm_test_packages() {
	dir=$(cd "$(dirname "$0")/.." && pwd)/tests/interop
	[ -f "$dir/node_modules/.package-lock.json" ] &&
		[ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ] && return 0
	echo "deps: npm ci in tests/interop"
	log=$(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error 2>&1) || {
		printf '%s\n' "$log" >&2
		echo "caseload: npm ci in $dir failed (the interop tests need ical.js, fhir, fhirpath and @medplum from the npm registry)" >&2
		exit 1
	}
}

# one package may be named by several checks
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
if [ -z "${missing% }" ]; then
	[ "${1:-}" = --test ] && npm_test_packages
	exit 0
fi

if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo"
else
	echo "caseload: missing packages:$missing" >&2
	echo "run as root:  apt-get update && apt-get install -y $missing" >&2
	exit 1
fi
echo "deps: installing $missing"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ echo "caseload: apt-get install$missing failed" >&2; exit 1; }
[ "${1:-}" = --test ] && npm_test_packages
exit 0
