#!/usr/bin/env bash
# e2e_tui.sh - the ncurses mode end to end, as a person over SSH would use it:
# run `ganscope --tui` in a detached tmux pane, type an activation swap, a slope
# change, Tab and space, read the screen, shrink the terminal below the minimum
# and back, quit, then check the run log has the events and the terminal was
# restored. Usage: bash e2e_tui.sh path/to/ganscope. Exit 77 = skipped (no tmux).
set -u

bin=${1:?usage: e2e_tui.sh path/to/ganscope}
command -v tmux >/dev/null 2>&1 || { echo "e2e_tui: tmux not installed: skipped"; exit 77; }

tmp=$(mktemp -d)
sock="gs-e2e-tui-$$"
sess=gs
T() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
    T kill-server >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
    echo "e2e_tui: FAIL: $*" >&2
    echo "--- last screen ---" >&2
    T capture-pane -p -t "$sess" >&2 2>/dev/null
    echo "--- log ---" >&2
    cat "$tmp/log.jsonl" >&2 2>/dev/null
    exit 1
}

screen() { T capture-pane -p -t "$sess"; }

# Waits up to $2 seconds for the screen to show $1 (a grep -E pattern).
wait_screen() {
    local i
    for ((i = 0; i < $2 * 5; i++)); do
        screen 2>/dev/null | grep -Eq -- "$1" && return 0
        sleep 0.2
    done
    return 1
}

# The shell stays after ganscope exits, so the restored screen can be read.
T new-session -d -s "$sess" -x 100 -y 30 \
    "'$bin' --tui --preset tiny --log '$tmp/log.jsonl'; echo \$? > '$tmp/exited'; echo EXITED; sleep 60" ||
    fail "tmux could not start a session"
# tmux keeps the window at the size we asked for, whatever its clients are
T set-option -t "$sess" window-size manual >/dev/null 2>&1

wait_screen 'step [0-9]+' 20 || fail "the terminal mode did not come up"
sleep 1
[ "$(T display -p -t "$sess" '#{alternate_on}')" = 1 ] || fail "not on the alternate screen while running"

# activation swap (9 = sigmoid on the selection, G all), slope up, select D, pause
for k in 9 ']' Tab Space; do
    T send-keys -t "$sess" "$k"
    sleep 0.3
done
if ! wait_screen 'PAUSED' 10; then
    grep -q '"event": "paused"' "$tmp/log.jsonl" 2>/dev/null &&
        fail "the engine paused (see the log) but no snapshot showing it was published"
    fail "space did not pause"
fi
wait_screen 'G1 sigmoid' 10 || fail "the new activation is not on screen"
screen | grep -q '\[D all\]' || fail "Tab did not select D"
screen | grep -q 'Histograms' || fail "no histogram panel"
screen | grep -q 'Loss' || fail "no loss panel"

# below the minimum size: a message instead of garbage, and no crash
T resize-window -t "$sess" -x 40 -y 10
wait_screen 'too small' 10 || fail "no 'terminal too small' message at 40x10"
[ -e "$tmp/exited" ] && fail "ganscope exited after the resize to 40x10"
T resize-window -t "$sess" -x 100 -y 30
wait_screen 'Histograms' 10 || fail "the panels did not come back at 100x30"
screen | grep -q 'too small' && fail "the too-small message stayed after growing back"
T has-session -t "$sess" 2>/dev/null || fail "the tmux session died"
[ -e "$tmp/exited" ] && fail "ganscope exited after the resize back"

# the help overlay opens and closes
T send-keys -t "$sess" h
wait_screen 'Keys ' 10 || fail "h did not open the help"
T send-keys -t "$sess" h
sleep 0.5

T send-keys -t "$sess" q
for ((i = 0; i < 100; i++)); do
    [ -s "$tmp/exited" ] && break
    sleep 0.2
done
[ -s "$tmp/exited" ] || fail "q did not quit within 20 s"
rc=$(cat "$tmp/exited")
[ "$rc" = 0 ] || fail "ganscope exited with status $rc"

# the terminal is restored: normal screen, the shell's output, no panels
wait_screen 'EXITED' 10 || fail "the screen after exit does not show the shell"
[ "$(T display -p -t "$sess" '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
screen | grep -q 'Histograms' && fail "the panels are still on screen after exit"

# every command became an event in the run log
log=$tmp/log.jsonl
[ -s "$log" ] || fail "empty run log"
grep -q '"event"' "$log" || fail "no event records in the log"
grep '"event"' "$log" | grep -q 'sigmoid' || fail "no activation event in the log"
grep '"event"' "$log" | grep -q 'slope' || fail "no slope event in the log"
grep '"event"' "$log" | grep -q 'paused' || fail "no pause event in the log"
grep -q '"summary"' "$log" || fail "no summary record: the engine did not stop cleanly"

echo "e2e_tui: ok"
exit 0
