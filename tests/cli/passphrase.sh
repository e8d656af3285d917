#!/usr/bin/env bash
# caseload passphrase set/status/clear: the screen lock's passphrase, kept
# as an Argon2id hash in $XDG_CONFIG_HOME/caseload/passphrase (0600, in a
# 0700 folder), never in the database or any output.  From a pipe `set`
# reads one line; on a terminal it asks twice with echo off (tmux).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

file="$XDG_CONFIG_HOME/caseload/passphrase"
secret='Blue heron at dawn'

run passphrase status
rc_is 0 'status without a passphrase'
like "$out" 'no passphrase is set: .*only a curtain.*caseload passphrase set' 'says the lock is a curtain and how to set one'

run passphrase set <<<"$secret"
rc_is 0 'set from a pipe'
like "$out" "passphrase set: .*\($file\)" 'naming the file'
is "$(stat -c %a "$file")" 600 'the file is 0600'
is "$(stat -c %a "$XDG_CONFIG_HOME/caseload")" 700 'its folder is made 0700'
like "$(cat "$file")" '^\$argon2id\$v=19\$m=65536,t=2,p=1\$[^$]+\$[^$]+$' 'it holds an Argon2id hash (INTERACTIVE limits)'
unlike "$(cat "$file")$out$err" 'heron' 'the passphrase is in no file and no output'
is "$(find "$XDG_CONFIG_HOME/caseload" -name '.passphrase-*' | wc -l)" 0 'no temporary file is left'
first=$(cat "$file")

run passphrase status
rc_is 0 'status with a passphrase'
like "$out" 'a passphrase is set: the screen.s lock asks for it' 'says so'

run passphrase set <<<"$secret"
rc_is 0 'set again'
ok 'a new salt: the hash differs' test "$(cat "$file")" != "$first"
second=$(cat "$file")

# wrong input: refused, and the hash that was there stays
run passphrase set <<<'short'
rc_is 2 'a short passphrase is a usage error'
like "$err" 'too short: 5 characters, at least 8' 'saying how short'
run passphrase set <<<$'with\ta tab'
rc_is 2 'a control character is refused'
like "$err" 'control character \(at byte 5\)' 'saying where'
run passphrase set </dev/null
rc_is 2 'nothing on standard input is refused'
like "$err" 'no passphrase on standard input' 'saying so'
run passphrase set <<<"$(printf 'x%.0s' $(seq 1 1100))"
rc_is 2 'a passphrase longer than 1024 bytes is refused'
like "$err" 'too long: at most 1024 bytes' 'saying the limit'
is "$(cat "$file")" "$second" 'the hash is unchanged by every refusal'
run passphrase set extra <<<"$secret"
rc_is 2 'an extra argument is a usage error'
run passphrase frob
rc_is 2 'an unknown action is a usage error'
like "$err" "unknown action 'frob'; use one of: set, status, clear" 'listing the actions'

# a file others may change is not trusted; a hash is needed
chmod 0666 "$file"
run passphrase status
rc_is 1 'a file others can change is an error'
like "$err" "cannot use $file: other users can change it" 'naming the file and why'
chmod 0600 "$file"
printf 'letmein\n' >"$file"
run passphrase status
rc_is 1 'a file without a hash is an error'
like "$err" 'does not hold a passphrase hash' 'saying so'

# a symbolic link is refused, and what it points to is untouched
rm -f "$file"
printf 'keep me\n' >"$T/target"
ln -s "$T/target" "$file"
run passphrase set <<<"$secret"
rc_is 1 'set onto a symbolic link is refused'
like "$err" "$file is a symbolic link: refused" 'naming it'
is "$(cat "$T/target")" 'keep me' 'the target is untouched'
ok 'the link is still a link' test -L "$file"
run passphrase status
rc_is 1 'status reports the link'
run passphrase clear
rc_is 0 'clear removes the link'
ok 'only the link' test -f "$T/target"

# clear
run passphrase set <<<"$secret"
run passphrase clear
rc_is 0 'clear'
like "$out" 'passphrase removed: .*only a curtain' 'says the lock is a curtain now'
ok 'the file is gone' test ! -e "$file"
run passphrase clear
rc_is 0 'clear again is not an error'
like "$out" 'no passphrase was set' 'and says there was none'

# On a terminal: asked twice, nothing echoed; two different entries change
# nothing.
SOCK="caseload-test-$$-pass"
trap 'tui_stop; rm -rf "$T"' EXIT
term() {
	rm -f "$tui_rc"
	tmux_ -f /dev/null new-session -d -x 100 -y 20 \
		"env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' LC_ALL=C.UTF-8 \
		 ASAN_OPTIONS='$ASAN_OPTIONS' UBSAN_OPTIONS='$UBSAN_OPTIONS' \
		 '$CASELOAD' passphrase set 2>&1; echo \$? >'$tui_rc'; \
		 stty -a | tr ' ;' '\n\n' | grep -x -- '-*echo' | sed 's/^/terminal: /'; \
		 echo 'shell prompt again'; sleep 30"
}
term
wait_for 'New passphrase for the screen.s lock:' 'on a terminal it asks'
type_text "$secret"
keys Enter
wait_for 'The same again:' 'then asks again'
unlike "$(screen)" 'heron' 'what is typed is not shown'
type_text "$secret"
keys Enter
wait_for 'shell prompt again' 'it ends'
is "$(cat "$tui_rc")" 0 'set on a terminal'
like "$(screen)" 'passphrase set: ' 'and says so'
unlike "$(screen)" 'heron' 'the passphrase never shows'
tui_stop
set_hash=$(cat "$file")
SOCK="caseload-test-$$-pass2"
term
wait_for 'New passphrase for the screen.s lock:' 'asked again'
type_text 'one passphrase'
keys Enter
wait_for 'The same again:' 'asked twice'
type_text 'another passphrase'
keys Enter
wait_for 'shell prompt again' 'it ends'
is "$(cat "$tui_rc")" 2 'two different entries are a usage error'
like "$(screen)" 'the two passphrases differ: nothing was changed' 'saying so'
is "$(cat "$file")" "$set_hash" 'and change nothing'
tui_stop
SOCK="caseload-test-$$-pass3"
term
wait_for 'New passphrase for the screen.s lock:' 'asked once more'
type_text 'half typed'
keys C-c
wait_for 'shell prompt again' 'Ctrl-C ends it'
is "$(cat "$tui_rc")" 2 'interrupted is an error'
like "$(screen)" 'interrupted: nothing was changed' 'saying so'
is "$(cat "$file")" "$set_hash" 'nothing changed'
like "$(screen)" 'terminal: echo' 'the terminal echoes again after the interruption'
tui_stop
done_testing
