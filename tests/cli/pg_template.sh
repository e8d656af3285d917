#!/usr/bin/env bash
# Care plan templates on PostgreSQL: each shipped template applied on the
# server gives exactly the plan, goals, tasks and due dates it gives in a
# SQLite file (the same commands on both, output compared), re-apply and
# a broken template are refused there changing nothing (all or nothing in
# the server's transaction), and plan close works.  Needs CASELOAD_TEST_PG
# (scripts/pgtest.sh): skipped without it.
. "$(dirname "$0")/../lib.sh"

if [ -z "${CASELOAD_TEST_PG:-}" ]; then
	skip_all "CASELOAD_TEST_PG is not set (no test server)"
fi
pg_scratch tmpl
pg="$CASELOAD_TEST_PG dbname=$db"
file="$T/file.db"
both() {   # both ARGS...: on the file and on the server; the same output and status
	local a ra
	run --db "$file" "$@"
	a=$out ra=$rc
	run --db "$pg" "$@"
	is "$rc $out" "$ra $a" "$* the same on PostgreSQL"
}

for db_ in "$file" "$pg"; do
	must --db "$db_" init >/dev/null
done
templates=$(ls "$top/data/templates" | sed 's/\.yaml$//')
p=0
for t in $templates; do
	p=$((p + 1))
	both patient add --name "Plan, Patient$p" --risk high
	both template apply "$t" --patient "$p" --start 2026-11-24
	both plan show --patient "$p"
	both task list --patient "$p" --all --format tsv
done
both plan list --format tsv
ok "every shipped template made a plan" test "$(on_db "SELECT count(*) FROM care_plan")" -eq "$p"
ok "with goals" test "$(on_db "SELECT count(*) FROM goal")" -gt 0
both timeline --patient 1 --format tsv

counts() { on_db "SELECT (SELECT count(*) FROM care_plan) || ' ' || (SELECT count(*) FROM goal) || ' ' ||
	(SELECT count(*) FROM task) || ' ' || (SELECT count(*) FROM entry) || ' ' || (SELECT count(*) FROM audit)"; }
before=$(counts)
t1=$(head -n1 <<<"$templates")
run --db "$pg" template apply "$t1" --patient 1
rc_is 1 "re-apply is refused on PostgreSQL"
like "$err" "--again" "saying how to apply it again"
is "$(counts)" "$before" "and changes nothing"
udir="$XDG_CONFIG_HOME/caseload/templates"
mkdir -p "$udir"
printf 'name: broken\ntitle: x\nversion: 1\ntasks:\n  - title: y\n    due: +2q\n' >"$udir/broken.yaml"
run --db "$pg" template apply broken --patient 2
rc_is 1 "a broken template is refused"
like "$err" "broken.yaml:6:10: due: '\+2q' is not an offset" "naming its place"
is "$(counts)" "$before" "and changes nothing"
rm "$udir/broken.yaml"
# the last task of a plan fails on the server (a trigger refuses it): the
# plan, its goals and its other tasks are rolled back with it
on_db "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS
       \$\$BEGIN IF NEW.title = 'Boom' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END\$\$;
       CREATE TRIGGER boom BEFORE INSERT ON task FOR EACH ROW EXECUTE FUNCTION boom()" >/dev/null
printf 'name: atomic\ntitle: Atomic\nversion: 1\ngoals:\n  - description: A goal\n    due: +1w\ntasks:\n  - title: First\n    due: +0d\n  - title: Boom\n    due: +2w\n' \
	>"$udir/atomic.yaml"
run --db "$pg" template apply atomic --patient 2
ok "a plan whose write fails midway is refused (exit $rc)" test "$rc" != 0
like "$err" "injected failure" "with the server's reason"
is "$(counts)" "$before" "nothing of it stays: plans, goals, tasks, entries, audit"
on_db "DROP TRIGGER boom ON task; DROP FUNCTION boom()" >/dev/null
run --db "$pg" template apply atomic --patient 2
rc_is 0 "without the trigger it applies"
id=$out
v=$(must --db "$pg" plan show "$id" | awk '$1 == "Version" { print $2 }')
run --db "$pg" plan close "$id" --status completed
rc_is 0 "plan close"
is "$(on_db "SELECT status FROM care_plan WHERE id = $id")" completed "the plan is closed"
# the version read before that close is stale now: refused, naming the
# server's role that closed it and what it did
role=$(on_db "SELECT session_user")
run --db "$pg" plan close "$id" --status revoked --if-version "$v"
rc_is 1 "a close with a stale version is refused"
like "$err" "care_plan $id was changed by $role at .* UTC since it was read \(update: completed\): nothing was saved" \
	"naming who changed it and what"
is "$(on_db "SELECT status || ' ' || version FROM care_plan WHERE id = $id")" "completed $((v + 1))" \
	"the plan stays as the first close left it"
# a discharge acknowledged twice: the second is refused, naming who was first
d=$(must --db "$pg" discharge --patient 2 --date 2026-11-20 --facility "County General")
run --db "$pg" review ack "$d"
rc_is 0 "review ack"
run --db "$pg" review ack "$d"
rc_is 1 "acknowledging again is refused"
like "$err" "entry $d was changed by $role at .* \(acknowledge\)" "naming who acknowledged it"
is "$(on_db "SELECT version FROM entry WHERE id = $d")" 2 "the entry's version went up once"
run --db "$pg" check
like "$out" "audit chain of [0-9]+ rows verified" "the audit chain is whole"
done_testing
