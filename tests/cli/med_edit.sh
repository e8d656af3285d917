#!/usr/bin/env bash
# Editing a medication (med edit) and a condition (condition add, list,
# edit): bad values refused, a lost race with --if-version, undo.
# pg_med_edit.sh runs the same cases on PostgreSQL.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/med_edit.inc"
done_testing
