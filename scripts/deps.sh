#!/bin/sh
# Install what caseload needs from Debian's packages, or say how.
#   scripts/deps.sh          build and run: compiler, libraries, tzdata
#   scripts/deps.sh --test   also the test tools: cmocka, tmux,
#                            python3-icalendar, calcurse, clang-tidy, clang
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
[ -e /usr/share/zoneinfo/America/New_York ] || need tzdata
if [ "${1:-}" = --test ]; then
	pc cmocka libcmocka-dev
	command -v tmux >/dev/null 2>&1 || need tmux
	command -v calcurse >/dev/null 2>&1 || need calcurse
	command -v sqlite3 >/dev/null 2>&1 || need sqlite3
	command -v clang-tidy >/dev/null 2>&1 || need clang-tidy
	command -v clang >/dev/null 2>&1 || need clang
	/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need python3-icalendar
	locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || need locales
fi
# one package may be named by several checks
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
[ -z "${missing% }" ] && exit 0

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
