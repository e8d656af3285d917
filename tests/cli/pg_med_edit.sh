#!/usr/bin/env bash
# The cases of med_edit.sh (med_edit.inc) on PostgreSQL.  Needs
# CASELOAD_TEST_PG (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_medit_$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
	admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
admin "CREATE DATABASE $db"
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
. "$(dirname "$0")/med_edit.inc"
done_testing
