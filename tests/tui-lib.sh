# tests/tui-lib.sh: drive the screen in a private tmux server.  Source it
# after tests/lib.sh.
#
#   tui_start [ENV=VALUE...]  start caseload (120x40) on $CASELOAD_DB
#   keys K...                 tmux send-keys
#   screen                    the pane's text now
#   wait_for ERE [DESC]       poll the screen until it matches (10 s)
#   wait_gone ERE [DESC]      poll until it no longer matches
#   tui_stop                  kill the server (also on exit)
SOCK=""
n_start=0
tui_rc="$T/tui.rc"
tui_err="$T/tui.err"

tmux_() { tmux -L "$SOCK" "$@"; }

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

tui_stop() { [ -z "$SOCK" ] || tmux_ kill-server 2>/dev/null || true; }
keys() { tmux_ send-keys "$@"; }
type_text() { tmux_ send-keys -l "$1"; }
# The caseload pane's columns only.
left() { screen | cut -c1-46; }
screen() { tmux_ capture-pane -p; }

_poll() {   # _poll want(1 match / 0 no match) ERE
	local i
	for i in $(seq 1 100); do
		if screen | grep -qE -- "$2"; then [ "$1" = 1 ] && return 0
		else [ "$1" = 0 ] && return 0; fi
		sleep 0.1
	done
	return 1
}

wait_for() {
	if _poll 1 "$1"; then _result 1 "${2:-screen shows $1}"
	else _result 0 "${2:-screen shows $1}" "$(screen)"; fi
}

wait_gone() {
	if _poll 0 "$1"; then _result 1 "${2:-screen no longer shows $1}"
	else _result 0 "${2:-screen no longer shows $1}" "$(screen)"; fi
}

# Wait for the program to end; sets $rc and checks its stderr.
wait_exit() {
	local i
	for i in $(seq 1 100); do
		[ -s "$tui_rc" ] && break
		sleep 0.1
	done
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
