#!/bin/sh
# A throwaway PostgreSQL cluster for the tests (make check starts one).
#   scripts/pgtest.sh start DIR   initdb in DIR/data, start it listening on a
#                                 Unix socket in DIR/sock only (no TCP port)
#   scripts/pgtest.sh env DIR     print CASELOAD_TEST_PG='host=... user=...
#                                 dbname=postgres' (the maintenance database,
#                                 as the superuser; each test makes its own)
#   scripts/pgtest.sh stop DIR    stop it at once and remove DIR (nothing
#                                 there: nothing to do)
# initdb refuses to run as root: as root the cluster belongs to the
# `postgres` system user, otherwise to the current user.  It is a test
# server: trust authentication on the socket, fsync off.  The newest
# PostgreSQL in /usr/lib/postgresql is used (else the one on PATH).
set -eu
usage() { echo "usage: scripts/pgtest.sh start|stop|env DIR" >&2; exit 2; }
[ $# = 2 ] || usage
cmd=$1
case $2 in /*) dir=$2 ;; *) dir=$(pwd)/$2 ;; esac

bindir() {
	b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n1)
	if [ -n "$b" ] && [ -x "$b/initdb" ]; then
		echo "$b"
	elif command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
	else
		return 1
	fi
}

# as the cluster's owner
if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as_owner() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as_owner() { "$@"; }
fi

# the postmaster's pid from its pid file, if that process is alive (a
# zombie, dead but not yet reaped, is not)
live_pid() {
	[ -f "$dir/data/postmaster.pid" ] || return 1
	pid=$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	case $(ps -o stat= -p "$pid" 2>/dev/null) in Z*|'') return 1 ;; esac
	echo "$pid"
}

start() {
	bin=$(bindir) || { echo "pgtest: PostgreSQL is not installed (no initdb; make deps-test installs it)" >&2; exit 1; }
	if [ "$owner" = postgres ] && ! id postgres >/dev/null 2>&1; then
		echo "pgtest: running as root and there is no 'postgres' user to own the cluster" >&2
		exit 1
	fi
	if live_pid >/dev/null; then
		echo "pgtest: a server is running in $dir already" >&2
		exit 1
	fi
	mkdir -p "$dir/sock"
	# the owner writes the socket; the tests (root or not) reach it
	chmod 0755 "$dir"
	chmod 1777 "$dir/sock"
	if ! as_owner test -w "$dir/sock"; then
		echo "pgtest: $owner cannot reach $dir (a folder above it is private): use a folder under /tmp" >&2
		exit 1
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		rm -rf "$dir/data"
		mkdir -m 0700 "$dir/data"
		[ "$owner" = postgres ] && chown postgres: "$dir/data"
		if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
			--locale=C --no-sync >"$dir/initdb.log" 2>&1; then
			echo "pgtest: initdb failed in $dir/data (its output: $dir/initdb.log)" >&2
			exit 1
		fi
	fi
	: >"$dir/server.log"
	[ "$owner" = postgres ] && chown postgres: "$dir/server.log"
	# a postmaster killed with -9 leaves its pid file and its socket's lock
	# file behind, naming a process that is gone or a zombie (which
	# PostgreSQL takes for a live server): they are stale, and the server
	# recovers from its WAL
	if [ -f "$dir/data/postmaster.pid" ]; then
		echo "pgtest: $dir: the server there was not stopped (a stale postmaster.pid); recovering" >&2
		rm -f "$dir/data/postmaster.pid" "$dir"/sock/.s.PGSQL.*
	fi
	if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-k $dir/sock -c listen_addresses= -c fsync=off" \
		start >"$dir/pg_ctl.log" 2>&1; then
		echo "pgtest: the server in $dir did not start; its log says:" >&2
		tail -n 5 "$dir/server.log" >&2
		exit 1
	fi
}

stop() {
	[ -d "$dir" ] || return 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		bin=$(bindir 2>/dev/null) || bin=""
		if [ -z "$bin" ] || ! as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 \
			stop >/dev/null 2>&1; then
			if pid=$(live_pid); then
				kill -9 "$pid" 2>/dev/null || true
			fi
		fi
	fi
	rm -rf "$dir"
}

case $cmd in
start) start ;;
stop) stop ;;
env) echo "CASELOAD_TEST_PG='host=$dir/sock user=postgres dbname=postgres'" ;;
*) usage ;;
esac
