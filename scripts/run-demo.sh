#!/bin/sh
# make run: open caseload on the demo caseload in ./demo.db (created on
# first run).
set -e
bin=$1
db=$2
if [ ! -e "$db" ]; then
	# its line names the file and the zone its visits were laid out in
	"$bin" --db "$db" demo
fi
exec "$bin" --db "$db"
