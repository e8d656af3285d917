#!/usr/bin/env bash
# Undo (issue 14) on a file: every kind of change undone (task done,
# snooze, cancel, an appointment's cancel with a FHIR reason, an edit of
# the patient, a template applied, an import as a whole), twice refused,
# refused after someone else's change, the audit rows.  pg_undo.sh runs
# the same cases on PostgreSQL.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/undo.inc"
done_testing
