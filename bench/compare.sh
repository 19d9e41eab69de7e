#!/usr/bin/env bash
# compare.sh - ganscope against the PyTorch reference (bench/torch_gan.py) on
# the same GAN, 1 and 2 threads, each run REPS times, best kept:
#   bench/compare.sh [--steps N] [--reps R]        (defaults: 300, 3)
# Builds the Release binary first (same path as scripts/run.sh). Runs are
# interleaved (every configuration once per round) so that a burst of load on
# the machine hurts all of them alike rather than one.
set -euo pipefail

# shellcheck source=scripts/setup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../scripts/setup.sh"

steps=300
reps=3
while (($# > 0)); do
  case "$1" in
    --steps) steps="${2:?--steps needs a value}"; shift 2 ;;
    --reps) reps="${2:?--reps needs a value}"; shift 2 ;;
    -h | --help) sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) gs_die "compare.sh: unknown argument '$1' (try --help)" ;;
  esac
done
[[ "$steps" =~ ^[1-9][0-9]*$ && "$reps" =~ ^[1-9][0-9]*$ ]] ||
  gs_die "compare.sh: --steps and --reps take positive integers"

py=/usr/bin/python3
"$py" -c 'import torch' 2>/dev/null ||
  gs_die "compare.sh: $py cannot import torch (apt-get install python3-torch)"

gs_ensure_packages
gs_build build -DCMAKE_BUILD_TYPE=Release >/dev/null
ganscope="$GS_ROOT/build/ganscope"

work="$(mktemp -d "${TMPDIR:-/tmp}/ganscope-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

read -r load _ </proc/loadavg
if "$py" -c "import sys; sys.exit(not float('$load') > 0.5)"; then
  printf 'note: load average %s before starting; figures will be noisy\n' "$load" >&2
fi

# run_one IMPL THREADS: one run, its steps/s appended to $results.
run_one() {
  local impl="$1" threads="$2" out rc=0
  local cmd
  case "$impl" in
    ganscope) cmd=("$ganscope" bench --steps "$steps" --threads "$threads") ;;
    pytorch) cmd=("$py" "$GS_ROOT/bench/torch_gan.py" --steps "$steps" --threads "$threads") ;;
  esac
  out="$("${cmd[@]}" 2>"$work/stderr")" || rc=$?
  if ((rc != 0)); then
    cat "$work/stderr" >&2
    gs_die "compare.sh: '${cmd[*]}' failed with status $rc"
  fi
  # The last line of stdout that is a JSON object with steps_per_s.
  local sps
  sps="$(printf '%s\n' "$out" | "$py" -c '
import json, sys
for line in reversed(sys.stdin.read().splitlines()):
    try:
        obj = json.loads(line)
    except ValueError:
        continue
    if isinstance(obj, dict) and "steps_per_s" in obj:
        print(float(obj["steps_per_s"]))
        sys.exit(0)
sys.exit(1)')" || gs_die "compare.sh: no steps_per_s in the output of '${cmd[*]}': $out"
  printf '%s %s %s\n' "$impl" "$threads" "$sps" >>"$results"
  printf '  %-8s threads=%s  %8.2f steps/s\n' "$impl" "$threads" "$sps" >&2
}

printf 'ganscope vs pytorch: %s steps, batch 64, best of %s\n' "$steps" "$reps"
for ((r = 1; r <= reps; r++)); do
  printf 'round %d/%d\n' "$r" "$reps" >&2
  for threads in 1 2; do
    run_one ganscope "$threads"
    run_one pytorch "$threads"
  done
done

"$py" - "$results" <<'EOF'
import sys
best = {}
for line in open(sys.argv[1]):
    impl, threads, sps = line.split()
    key = (impl, int(threads))
    best[key] = max(best.get(key, 0.0), float(sps))
print(f"{'threads':>7}  {'ganscope':>10}  {'pytorch':>10}  {'ratio':>6}")
for t in sorted({t for _, t in best}):
    g, p = best[("ganscope", t)], best[("pytorch", t)]
    print(f"{t:>7}  {g:>10.2f}  {p:>10.2f}  {g / p:>5.2f}x")
g = max(v for (i, _), v in best.items() if i == "ganscope")
p = max(v for (i, _), v in best.items() if i == "pytorch")
print(f"{'best':>7}  {g:>10.2f}  {p:>10.2f}  {g / p:>5.2f}x   (steps/s; ratio = ganscope / pytorch)")
EOF
