#!/usr/bin/env bash
# The undo cases of undo.sh (undo.inc) on PostgreSQL.  Needs
# CASELOAD_TEST_PG (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
db="caseload_undo_$$"
team="caseload_uteam_$$"
dana="caseload_udana_$$"
admin() { psql "$CASELOAD_TEST_PG" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
cleanup() {
	admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS $dana" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS $team" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
admin "CREATE DATABASE $db"
export CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db"
# dana is a coordinator's role of the README's role model
after_init() {
	admin "CREATE ROLE $team; CREATE ROLE $dana LOGIN IN ROLE $team" >/dev/null
	psql "$CASELOAD_TEST_PG dbname=$db" -qAtX -v ON_ERROR_STOP=1 -c "
		GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $team;
		REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM $team;
		GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $team" >/dev/null
}
dana() { CASELOAD_DB="$CASELOAD_TEST_PG dbname=$db user=$dana" run "$@"; }
. "$(dirname "$0")/undo.inc"
done_testing
