#!/usr/bin/env bash
# The manual and the README keep up with the program: the man pages render
# without warnings, and every command the program knows is documented.
. "$(dirname "$0")/../lib.sh"

for page in "$top"/man/*.[1-8]; do
	warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	is "$warnings" "" "$(basename "$page") renders without warnings"
done

run --help
commands=$(printf '%s\n' "$out" | sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\?\)  .*/\1/p')
ok "--help lists commands" [ -n "$commands" ]
manual=$(MANWIDTH=200 man -l "$top/man/caseload.1" 2>/dev/null)
while IFS= read -r c; do
	like "$manual" "(^|[^a-z-])$c([^a-z-]|$)" "caseload.1 documents '$c'"
	ok "README mentions '${c%% *}'" grep -q -- "${c%% *}" "$top/README.md"
done <<<"$commands"

# make install honours DESTDIR and PREFIX, and uninstall removes it all
dest="$T/root"
make -s -C "$top" BUILD="${BUILD#$top/}" DESTDIR="$dest" PREFIX=/opt/cl install >/dev/null 2>&1
ok "install puts the binary under DESTDIR/PREFIX" test -x "$dest/opt/cl/bin/caseload"
ok "install puts the man page" test -f "$dest/opt/cl/share/man/man1/caseload.1"
make -s -C "$top" BUILD="${BUILD#$top/}" DESTDIR="$dest" PREFIX=/opt/cl uninstall >/dev/null 2>&1
is "$(find "$dest" -type f | wc -l)" 0 "uninstall removes every file it installed"

done_testing
