#!/bin/sh
# make run: open caseload on the demo caseload in ./demo.db (created on
# first run).
set -e
bin=$1
db=$2
if [ ! -e "$db" ]; then
	"$bin" --db "$db" demo >/dev/null
	echo "created the demo caseload in $db"
fi
exec "$bin" --db "$db"
