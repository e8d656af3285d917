#!/bin/sh
# compdb.sh FILE...: a compile_commands.json on stdout, one entry per file,
# compiled from the current directory with the command in $COMPDB_CMD (the
# Makefile's, word for word, shell quoting included).
set -eu
cmd=$COMPDB_CMD
dir=$(pwd)
# JSON strings: backslashes and double quotes escaped
esc() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
sep=''
echo '['
for f in "$@"; do
	printf '%s  {"directory": "%s", "file": "%s", "command": "%s -c %s"}\n' \
		"$sep" "$(esc "$dir")" "$(esc "$f")" "$(esc "$cmd")" "$(esc "$f")"
	sep=','
done
echo ']'
