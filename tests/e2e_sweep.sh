#!/usr/bin/env bash
# e2e_sweep.sh - `ganscope sweep` as a user runs it: a tiny grid (2
# configurations x 2 seeds x 100 steps, 2 jobs) writes results.csv with one row
# per run, report.md and PNG plots; after one run's log is deleted, a rerun redoes
# only that run (the other logs keep their mtimes); --emit-jobs prints one command
# per run; a bad --vary is one line on stderr and exit code 2. Also `eval` on a
# tiny checkpoint and on bad input, and that every sweep of scripts/study.sh parses.
#   bash tests/e2e_sweep.sh path/to/ganscope
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
export OPENBLAS_NUM_THREADS=1
export XDG_CACHE_HOME="$tmp/cache"

args=(--preset tiny --vary generator.activation=relu,elu --seeds 2 --steps 100 --jobs 2
  --out "$tmp/sw")

# 1. the sweep and its files
"$bin" sweep "${args[@]}" 2>"$tmp/err1" || bad "sweep exited $?: $(cat "$tmp/err1")"
rows=$(($(wc -l <"$tmp/sw/results.csv") - 1))
[ "$rows" = 4 ] && ok "results.csv has 4 rows" || bad "results.csv has $rows rows"
head -1 "$tmp/sw/results.csv" | grep -q '^run,preset,generator.activation,seed,steps,.*modes,hq,kl' &&
  ok "results.csv header" || bad "results.csv header: $(head -1 "$tmp/sw/results.csv")"
[ "$(grep -c ',tiny,\(relu\|elu\),[12],100,' "$tmp/sw/results.csv")" = 4 ] &&
  ok "a row per configuration and seed" || bad "rows: $(cat "$tmp/sw/results.csv")"
grep -q '^| 1 | \(relu\|elu\) | 2/2 | [0-9.]* ± [0-9.]* |' "$tmp/sw/report.md" &&
  ok "report.md has a table with mean ± se" || bad "report.md: $(cat "$tmp/sw/report.md")"
n_png=$(ls "$tmp/sw"/*.png 2>/dev/null | wc -l)
if [ "$n_png" -ge 1 ] && head -c 8 "$tmp/sw/tiny-final.png" | od -An -tx1 | grep -q '89 50 4e 47'; then
  ok "$n_png PNG plots"
else bad "no PNG plots"; fi
[ "$(ls "$tmp/sw/runs"/*.jsonl | wc -l)" = 4 ] && ! ls "$tmp/sw/runs"/*.part >/dev/null 2>&1 &&
  ok "4 finished logs, no temporary ones" || bad "runs/: $(ls "$tmp/sw/runs")"

# 2. resume: only the deleted run is redone
victim=$(ls "$tmp/sw/runs"/*.jsonl | head -1)
others=$(ls "$tmp/sw/runs"/*.jsonl | tail -n +2)
touch -d '2001-01-01 00:00:00' $others
stamp() { for f in $others; do stat -c '%n %Y' "$f"; done; }
before=$(stamp)
rm "$victim"
"$bin" sweep "${args[@]}" 2>"$tmp/err2" || bad "resumed sweep exited $?"
[ -f "$victim" ] && ok "deleted run redone" || bad "deleted run not redone"
[ "$(stamp)" = "$before" ] && ok "finished runs untouched" || bad "finished runs were rerun"
grep -q '1 to run, 3 finished before' "$tmp/err2" && ok "resume counted 3 finished" ||
  bad "resume: $(cat "$tmp/err2")"
[ "$(($(wc -l <"$tmp/sw/results.csv") - 1))" = 4 ] && ok "results.csv still 4 rows" ||
  bad "results.csv after resume"

# 3. --emit-jobs: one shell line per (unfinished) run, nothing run
"$bin" sweep --preset tiny --vary generator.activation=relu,elu --seeds 2 --steps 100 \
  --out "$tmp/emit" --emit-jobs >"$tmp/jobs" 2>"$tmp/err3"
[ "$(wc -l <"$tmp/jobs")" = 4 ] && ok "--emit-jobs prints 4 lines" || bad "--emit-jobs: $(cat "$tmp/jobs")"
grep -q " train --preset tiny --set generator.activation=elu --seed 2 --steps 100 " "$tmp/jobs" &&
  ok "job line has the run's options" || bad "job line: $(head -1 "$tmp/jobs")"
[ -z "$(ls "$tmp/emit/runs")" ] && ok "--emit-jobs ran nothing" || bad "--emit-jobs ran something"
# the printed lines run as they are, and the sweep then finds them finished
bash -c "$(head -1 "$tmp/jobs")" && [ "$(ls "$tmp/emit/runs"/*.jsonl | wc -l)" = 1 ] &&
  ok "an emitted line runs" || bad "emitted line failed"

# 4. bad input: one line, exit 2, nothing created
expect2() {
  local what=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok "$what: $(cat "$tmp/err")"; else
    bad "$what: exit $rc, stderr: $(cat "$tmp/err")"
  fi
}
expect2 "bad --vary value" "$bin" sweep --preset tiny --vary generator.activation=relu,relu7 --out "$tmp/bad"
expect2 "bad --vary key" "$bin" sweep --preset tiny --vary generator.color=red --out "$tmp/bad"
expect2 "--vary without values" "$bin" sweep --preset tiny --vary generator.activation= --out "$tmp/bad"
expect2 "sweep without --out" "$bin" sweep --preset tiny
[ ! -e "$tmp/bad" ] && ok "nothing created on bad input" || bad "$tmp/bad was created"

# 5. eval: a tiny checkpoint's modes, real data, bad input
"$bin" train --preset tiny --quiet --save "$tmp/t.safetensors" >/dev/null
"$bin" eval --load "$tmp/t.safetensors" --n 500 >"$tmp/eval.json" &&
  grep -q '^{"step": 200, "modes": [0-9]*, "n_modes": 8, "hq": .*, "kl": .*, "n": 500}$' "$tmp/eval.json" &&
  ok "eval of a ring8 checkpoint: $(cat "$tmp/eval.json")" || bad "eval: $(cat "$tmp/eval.json")"
"$bin" eval --real --preset grid25 | grep -q '"modes": 25, "n_modes": 25' &&
  ok "eval --real grid25 finds 25 modes" || bad "eval --real grid25"
expect2 "eval without --load" "$bin" eval
expect2 "eval of a missing file" "$bin" eval --load "$tmp/nope.safetensors"
head -c 100 "$tmp/t.safetensors" >"$tmp/trunc.safetensors"
expect2 "eval of a truncated checkpoint" "$bin" eval --load "$tmp/trunc.safetensors"
expect2 "eval --n 1" "$bin" eval --load "$tmp/t.safetensors" --n 1
"$bin" train --preset spiral --steps 5 --quiet --save "$tmp/s.safetensors" >/dev/null
expect2 "eval of data without modes" "$bin" eval --load "$tmp/s.safetensors"

# 6. every sweep of the shipped study (scripts/study.sh) still parses: its
# presets exist and its --vary keys and values are valid (nothing is run)
study="$(dirname "$0")/../scripts/study.sh"
n_sweeps=0
while read -r name cmd; do
  n_sweeps=$((n_sweeps + 1))
  cmd=${cmd#ganscope sweep }
  cmd=${cmd% --out *}
  # shellcheck disable=SC2086 # the listed arguments are split on purpose
  if "$bin" sweep $cmd --out "$tmp/study/$name" --emit-jobs >"$tmp/jobs" 2>"$tmp/err" &&
    [ "$(wc -l <"$tmp/jobs")" -ge 1 ]; then
    ok "study sweep $name: $(wc -l <"$tmp/jobs") runs"
  else bad "study sweep $name: $(cat "$tmp/err")"; fi
done < <(bash "$study" --list)
[ "$n_sweeps" -ge 5 ] && ok "study lists $n_sweeps sweeps" || bad "study --list gave $n_sweeps sweeps"
expect2 "study.sh with an unknown sweep" bash "$study" nosuch

[ $fails -eq 0 ] && echo "all passed" || echo "$fails failed"
exit $((fails > 0))
