#!/usr/bin/env bash
# e2e_gui.sh - the visualizer as a person uses it: a real X server (Xvfb), real
# key presses (xdotool) into the window, a screenshot (ImageMagick import).
# The run log must record the commands the keys sent.
#   bash tests/e2e_gui.sh path/to/ganscope
# Exit 77 (skipped) when Xvfb, xdotool or import is missing. GS_KEEP_TMP=1 keeps
# the temporary folder (log, screenshot, stderr) for a look after a failure.
set -u
bin=${1:?usage: e2e_gui.sh path/to/ganscope}
[ -x "$bin" ] || { echo "e2e_gui: $bin is not an executable"; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for t in Xvfb xdotool import; do
  command -v "$t" >/dev/null 2>&1 || { echo "e2e_gui: $t missing, skipped"; exit 77; }
done

# Under -DGS_SANITIZE=ON: leaks inside X11, Mesa and D-Bus are not ours.
here=$(cd "$(dirname "$0")" && pwd)
export LSAN_OPTIONS="suppressions=$here/lsan.supp:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

tmp=$(mktemp -d /tmp/ganscope-e2e-gui.XXXXXX)
xpid=""
apid=""
cleanup() {
  [ -n "$apid" ] && kill "$apid" 2>/dev/null
  [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
  wait 2>/dev/null
  [ -n "${GS_KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "e2e_gui: FAIL: $*"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; exit 1; }

# a free display number
d=90
while [ -e "/tmp/.X$d-lock" ] || [ -e "/tmp/.X11-unix/X$d" ]; do d=$((d + 1)); done
Xvfb ":$d" -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xpid=$!
for _ in $(seq 50); do
  DISPLAY=":$d" xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.1
done
DISPLAY=":$d" xdotool getdisplaygeometry >/dev/null 2>&1 || fail "Xvfb did not start"

cd "$tmp" || exit 1
DISPLAY=":$d" "$bin" --gui --preset tiny --log "$tmp/log.jsonl" --seconds 20 >"$tmp/out" 2>"$tmp/err" &
apid=$!
win=$(DISPLAY=":$d" timeout 15 xdotool search --sync --onlyvisible --pid "$apid" 2>/dev/null | head -1)
[ -n "$win" ] || fail "no window appeared"
sleep 2
# 2: leaky_relu on G; ]: slope +0.05; Tab: select D; 9: sigmoid on D; space: pause
for k in 2 bracketright Tab 9 space; do
  DISPLAY=":$d" xdotool key --window "$win" "$k" || fail "xdotool key $k"
  sleep 0.4
done
sleep 1
DISPLAY=":$d" import -window root "$tmp/shot.png" || fail "import failed"

wait "$apid"
rc=$?
apid=""
[ "$rc" -eq 0 ] || fail "ganscope exited with $rc"

log="$tmp/log.jsonl"
[ -s "$log" ] || fail "no run log"
grep -q '"event"' "$log" || fail "no events in the log"
grep '"event"' "$log" | grep -q 'relu -> leaky_relu' || fail "key 2 (leaky_relu) not in the log"
grep '"event"' "$log" | grep -q 'slope = 0.25' || fail "key ] (slope) not in the log"
grep '"event"' "$log" | grep 'D all layers' | grep -q 'sigmoid' || fail "Tab then 9 (D sigmoid) not in the log"
grep '"event"' "$log" | grep -q 'paused' || fail "space (pause) not in the log"
[ -s "$tmp/shot.png" ] || fail "empty screenshot"
echo "e2e_gui: ok"
