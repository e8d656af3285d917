#!/usr/bin/env bash
# The fuzz harnesses' saved inputs as regression tests (issue 11 §10):
# each harness (fuzz/fuzz_NAME.c), built with the project's compiler and
# the sanitizers around fuzz/replay.c, runs every file of its seed corpus
# (fuzz/corpus/NAME) and of its past crashes (fuzz/crashes/NAME), with no
# fuzzing.  A sanitizer report, an abort or a broken promise of the
# reader (the harness checks a few) fails the harness's test.
. "$(dirname "$0")/../lib.sh"
cd "$top"

inputs=()    # every harness's folders
for src in fuzz/fuzz_*.c; do
	name=${src#fuzz/fuzz_}
	name=${name%.c}
	bin="$BUILD/san/fuzz/replay_$name"
	if [ ! -x "$bin" ]; then
		_result 0 "$name: $bin is built (make check builds it)"
		continue
	fi
	dirs=("fuzz/corpus/$name")
	[ -d "fuzz/crashes/$name" ] && dirs+=("fuzz/crashes/$name")
	inputs+=("${dirs[@]}")
	want=$(find "${dirs[@]}" -type f ! -name '.*' | wc -l)
	ok "$name: has seeds in fuzz/corpus/$name" test "$want" -gt 0
	r=0
	got=$("$bin" "${dirs[@]}" 2>"$T/replay.err" 3>&-) || r=$?
	if [ "$r" = 0 ] && ! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|^fuzz: ' "$T/replay.err"; then
		_result 1 "$name: ${dirs[*]} replay with no finding"
	else
		# the input that failed is the last one named
		_result 0 "$name: ${dirs[*]} replay with no finding (exit $r)" \
			"$(grep '^replay: ' "$T/replay.err" | tail -1; grep -v '^replay: ' "$T/replay.err" | head -40)"
	fi
	is "$got" "replayed $want inputs" "$name: every saved input ran"
done

run_replay() { "$BUILD/san/fuzz/replay_date" "$@" >/dev/null 2>&1 3>&-; }
r=0
run_replay fuzz/corpus/date "$T/missing" || r=$?
is "$r" 2 'an input that cannot be read fails the replay (a misspelt folder never passes)'

# What is committed stays small: an input under 20 KB, all under 1 MB.
big=$(find "${inputs[@]}" -type f -size +20k)
is "$big" "" 'no seed or crash input is larger than 20 KB'
total=$(find "${inputs[@]}" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
ok "the corpora and crashes hold at most 1 MB ($total bytes)" test "$total" -le 1048576

done_testing
