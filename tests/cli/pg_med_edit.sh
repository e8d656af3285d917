#!/usr/bin/env bash
# The cases of med_edit.sh (med_edit.inc) on PostgreSQL.  Needs
# CASELOAD_TEST_PG (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
pg_scratch medit
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
. "$(dirname "$0")/med_edit.inc"
done_testing
