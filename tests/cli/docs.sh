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

# make install honours DESTDIR and PREFIX, and uninstall removes it all.
# The real install keeps the PREFIX the tree was built with: another PREFIX
# compiles its data directory in, and relinking $BUILD/caseload would pull
# the binary from under the tests running beside this one.  Another PREFIX
# is checked with make -n, which builds nothing.
dest="$T/root"
mk() { make -s -C "$top" BUILD="${BUILD#$top/}" DESTDIR="$dest" "$@"; }
prefix=$(make -s -C "$top" -p -n all 2>/dev/null | sed -n "s/^PREFIX *?*= *//p" | head -1)
[ -n "$prefix" ] || prefix=/usr/local
mk PREFIX="$prefix" install >/dev/null 2>&1
ok "install puts the binary under DESTDIR/PREFIX" test -x "$dest$prefix/bin/caseload"
ok "install puts the man page" test -f "$dest$prefix/share/man/man1/caseload.1"
ok "install puts the templates" test -f "$dest$prefix/share/caseload/templates/copd.yaml"
mk PREFIX="$prefix" uninstall >/dev/null 2>&1
is "$(find "$dest" -type f | wc -l)" 0 "uninstall removes every file it installed"
mk -n PREFIX=/opt/cl install >"$T/install.n" 2>&1
like "$(cat "$T/install.n")" "$dest/opt/cl/bin/caseload" "another PREFIX: install would put the binary under it"
like "$(cat "$T/install.n")" "CASELOAD_DATADIR='\"/opt/cl/share/caseload\"'" \
     "... and build the data directory into it"

done_testing
