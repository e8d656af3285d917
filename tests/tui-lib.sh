# tests/tui-lib.sh: drive the screen in a private tmux server.  Source it
# after tests/lib.sh.
#
#   tui_start [ENV=VALUE...]  start caseload (120x40) on $CASELOAD_DB
#   keys K...                 tmux send-keys
#   screen                    the pane's text now
#   wait_for ERE [DESC]       poll the screen until it matches
#   wait_gone ERE [DESC]      poll until it no longer matches
#   wait_exit                 wait for the program to end; sets $rc
#   poll_until CMD...         poll until CMD succeeds; 1 at the deadline
#   tui_pause, tui_resume     hold the program still, let it run on
#   tui_stop                  kill the server (also on exit)
#
# The waits poll every tenth of a second up to a deadline of
# CASELOAD_TEST_WAIT seconds (default 30; times CASELOAD_TEST_SCALE): a
# wait costs what the program takes, the deadline only bounds a failure.
# poll_of=left wait_for ... polls the caseload pane's columns only.
SOCK=""
n_start=0
tui_rc="$T/tui.rc"
tui_err="$T/tui.err"
: "${CASELOAD_TEST_WAIT:=30}"

tmux_() { tmux -L "$SOCK" "$@" 3>&-; }

tui_start() {
	# a fresh server each time: a killed one may not be gone yet
	n_start=$((n_start + 1))
	SOCK="caseload-test-$$-$RANDOM-$n_start"
	rm -f "$tui_rc"
	tmux_ -f /dev/null new-session -d -x 120 -y 40 \
		"env HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
		 CASELOAD_DB='$CASELOAD_DB' CASELOAD_TODAY='$CASELOAD_TODAY' CASELOAD_TZ='$CASELOAD_TZ' \
		 LC_ALL=C.UTF-8 TERM=${TUI_TERM:-xterm-256color} ASAN_OPTIONS='$ASAN_OPTIONS' \
		 UBSAN_OPTIONS='$UBSAN_OPTIONS' $* '$CASELOAD' 2>'$tui_err'; echo \$? >'$tui_rc'; \
		 echo 'shell prompt again'; sleep 30"
	trap 'tui_stop; rm -rf "$T"' EXIT
}

# Hold the screen still (SIGSTOP to the pane's session) while another
# process changes the database, so that what it shows is stale on purpose
# when the next keys arrive; tui_resume lets it run on (queued keys first).
tui_pause() { pkill -STOP -s "$(tmux_ display -p '#{pane_pid}')"; }
tui_resume() { pkill -CONT -s "$(tmux_ display -p '#{pane_pid}')"; }
tui_stop() { [ -z "$SOCK" ] || tmux_ kill-server 2>/dev/null || true; }
keys() { tmux_ send-keys "$@"; }
type_text() { tmux_ send-keys -l "$1"; }
# The caseload pane's columns only.
left() { screen | cut -c1-46; }
screen() { tmux_ capture-pane -p; }

# Poll until CMD succeeds or the deadline passes; 0 if it did.
poll_until() {   # poll_until CMD...
	local end=$((${EPOCHREALTIME/./} + $(deadline "$CASELOAD_TEST_WAIT") * 1000000))
	while ! "$@"; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.1
	done
	return 0
}

_shows() { "${poll_of:-screen}" | grep -qE -- "$1"; }
_hides() { ! _shows "$1"; }

wait_for() {
	if poll_until _shows "$1"; then _result 1 "${2:-screen shows $1}"
	else _result 0 "${2:-screen shows $1}" "$("${poll_of:-screen}")"; fi
}

wait_gone() {
	if poll_until _hides "$1"; then _result 1 "${2:-screen no longer shows $1}"
	else _result 0 "${2:-screen no longer shows $1}" "$("${poll_of:-screen}")"; fi
}

# Wait for the program to end; sets $rc and checks its stderr.
wait_exit() {
	poll_until test -s "$tui_rc" || true
	rc=$(cat "$tui_rc" 2>/dev/null || echo none)
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tui_err" 2>/dev/null; then
		_result 0 "no sanitizer report from the screen" "$(cat "$tui_err")"
	else
		_result 1 "no sanitizer report from the screen"
	fi
}

# Resize the terminal (the window of the tmux session) to COLS x ROWS.
tui_resize() { tmux_ resize-window -x "$1" -y "$2"; }
# Start at COLS x ROWS rather than 120x40: tui_start_at COLS ROWS [ENV=VALUE...]
tui_start_at() {
	local cols=$1 rows=$2
	shift 2
	tui_start "$@"
	tui_resize "$cols" "$rows"
}
