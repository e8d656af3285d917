#!/bin/sh
# Pictures of the patient's handout for a note or a review: a demo
# caseload's patient (the first whose language is Spanish, and one in
# English) written with `caseload handout`, then shown by headless
# Chromium as a phone shows it (412 px wide) and as printed (PDF, then
# the first page as PNG with pdftoppm when poppler-utils is there).
#   scripts/handout-png.sh [OUTDIR]      (default build/handout; needs make)
# Writes OUTDIR/handout-{es,en}.html, -phone.png, .pdf and -page.png.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/handout}
bin=${CASELOAD_BIN:-$top/build/caseload}
[ -x "$bin" ] || { echo "handout-png: $bin is not built (make)" >&2; exit 1; }
command -v chromium >/dev/null 2>&1 ||
	{ echo "handout-png: chromium is not installed (scripts/deps.sh --test)" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CASELOAD_DB="$tmp/demo.db" CASELOAD_TODAY=${CASELOAD_TODAY:-2026-11-24} \
	CASELOAD_TZ=${CASELOAD_TZ:-America/New_York} XDG_CONFIG_HOME="$tmp/config" HOME="$tmp"
mkdir -p "$tmp/config/caseload"
printf 'phone: "+1 555-0199"\n' >"$tmp/config/caseload/config.yaml"
"$bin" demo --patients 40 >/dev/null
list=$("$bin" patient list --format tsv)
es=$(printf '%s\n' "$list" | awk -F'\t' 'NR > 1 && $7 == "Spanish" { print $1; exit }')
en=$(printf '%s\n' "$list" | awk -F'\t' 'NR > 1 && $7 == "English" { print $1; exit }')
# each with a care plan, so the next steps show
for id in $es $en; do
	"$bin" template apply type-2-diabetes --patient "$id" >/dev/null
done
chrome() { chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chromium" "$@" >/dev/null 2>&1; }
for l in es en; do
	eval id=\$$l
	[ -n "$id" ] || { echo "handout-png: the demo has no patient in $l" >&2; continue; }
	"$bin" handout --patient "$id" -o "$out/handout-$l.html" --force
	chrome --hide-scrollbars --window-size=412,1600 --screenshot="$out/handout-$l-phone.png" \
		"file://$out/handout-$l.html"
	chrome --no-pdf-header-footer --print-to-pdf="$out/handout-$l.pdf" "file://$out/handout-$l.html"
	if command -v pdftoppm >/dev/null 2>&1; then
		pdftoppm -png -r 60 -singlefile "$out/handout-$l.pdf" "$out/handout-$l-page"
		echo "$out/handout-$l-phone.png, $out/handout-$l-page.png ($(pdfinfo "$out/handout-$l.pdf" | sed -n 's/^Pages: *//p') page)"
	else
		echo "$out/handout-$l-phone.png, $out/handout-$l.pdf"
	fi
done
