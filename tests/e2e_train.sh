#!/usr/bin/env bash
# e2e_train.sh - the command line as a user runs it: a scheduled run whose JSON
# lines show both swaps at their steps, determinism of two scheduled runs,
# checkpoint -> sample (CSV) -> a reader written from the safetensors spec, and
# bad input (one line on stderr, exit code 2, nothing half-written).
#   bash tests/e2e_train.sh path/to/ganscope
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
export OPENBLAS_NUM_THREADS=1

# 1. schedule: both events at their steps, training goes on to the end
"$bin" train --preset ring8 --steps 1000 --quiet \
  --at 300:discriminator.activation=sigmoid --at 600:discriminator.activation=leaky_relu \
  >"$tmp/a.jsonl" || bad "scheduled train exited $?"
grep -q '"step": 300, .*"event": "D all layers: leaky_relu -> sigmoid"' "$tmp/a.jsonl" &&
  ok "swap to sigmoid at step 300" || bad "no sigmoid event at 300"
grep -q '"step": 600, .*"event": "D all layers: sigmoid -> leaky_relu"' "$tmp/a.jsonl" &&
  ok "swap back at step 600" || bad "no leaky_relu event at 600"
tail -1 "$tmp/a.jsonl" | grep -q '"type": "summary", "step": 1000,.*"modes": ' &&
  ok "summary is the last line" || bad "last line is not the summary at step 1000"

# 2. determinism: same seed and schedule, identical losses (times differ)
"$bin" train --preset ring8 --steps 1000 --quiet \
  --at 300:discriminator.activation=sigmoid --at 600:discriminator.activation=leaky_relu \
  >"$tmp/b.jsonl"
strip() { sed -E 's/"(time_s|steps_per_s)": [^,}]*//g' "$1"; }
if [ "$(strip "$tmp/a.jsonl")" = "$(strip "$tmp/b.jsonl")" ]; then ok "two runs identical"; else bad "runs differ"; fi

# 3. checkpoint, samples, and the checkpoint read by an independent reader
"$bin" train --preset tiny --quiet --save "$tmp/t.safetensors" --log "$tmp/t.csv" >/dev/null ||
  bad "train --save failed"
head -1 "$tmp/t.csv" | grep -q '^type,step,' && ok "--log .csv has a CSV header" || bad "csv log"
"$bin" sample --load "$tmp/t.safetensors" --n 100 --out "$tmp/s.csv" 2>/dev/null &&
  [ "$(wc -l <"$tmp/s.csv")" = 101 ] && ok "sample wrote 100 points" || bad "sample"
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  /usr/bin/python3 "$(dirname "$0")/check_safetensors.py" "$tmp/t.safetensors" >/dev/null &&
    ok "checkpoint readable by a spec reader" || bad "check_safetensors.py rejected the file"
fi

# 4. bad input: one line, exit 2, nothing written
expect2() {
  local what=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok "$what: $(cat "$tmp/err")"; else
    bad "$what: exit $rc, stderr: $(cat "$tmp/err")"
  fi
}
expect2 "missing preset file" "$bin" train --preset "$tmp/nope.ini"
expect2 "unknown activation" "$bin" train --preset tiny --set generator.activation=relu7
expect2 "negative batch" "$bin" train --preset tiny --set train.batch=-4
expect2 "NaN learning rate" "$bin" train --preset tiny --set discriminator.lr=nan
expect2 "bad --at" "$bin" train --preset tiny --at 10:train.batch=3
expect2 "slope out of range" "$bin" train --preset tiny --at 10:generator.slope=2
head -c 100 "$tmp/t.safetensors" >"$tmp/cut.safetensors"
expect2 "truncated checkpoint" "$bin" sample --load "$tmp/cut.safetensors" --n 5 --out "$tmp/x.csv"
[ ! -e "$tmp/x.csv" ] && ok "no output file after a failed sample" || bad "half-written output"
printf 'not an idx file at all' | gzip >"$tmp/train-images-idx3-ubyte.gz"
expect2 "wrong IDX magic" "$bin" train --preset fashion --set data.path="$tmp" --steps 1
expect2 "mnist without a path" "$bin" train --preset mnist --steps 1
expect2 "unknown command" "$bin" frobnicate

if [ $fails -eq 0 ]; then echo "e2e_train: all checks passed"; exit 0; fi
echo "e2e_train: $fails check(s) failed"
exit 1
