#!/usr/bin/env bash
# How long `demo --patients 20000` takes (one transaction, prepared
# statements reused), and the database it makes.
set -eu
db="$BENCH_DIR/demo20000.db"
rm -f "$db" "$db-wal" "$db-shm"
export CASELOAD_TODAY=2026-11-24 CASELOAD_TZ=America/New_York
start=$(date +%s.%N)
"$CASELOAD" --db "$db" demo --patients 20000 --seed 7
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" -v mb="$(du -m "$db" | cut -f1)" 'BEGIN { printf "demo --patients 20000: %.2f s, %s MB\n", b - a, mb }'
