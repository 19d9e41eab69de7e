#!/usr/bin/env bash
# study.sh - rerun the activation study shipped under docs/study/: builds a
# Release ganscope, then runs each sweep of the study into its folder. Every
# sweep resumes (finished runs are kept), so an interrupted study continues
# where it stopped; with every run finished it only rewrites the reports.
#
#   scripts/study.sh              all sweeps (about 135 minutes on 2 cores)
#   scripts/study.sh slope gslope only the named sweeps
#   scripts/study.sh --list       the sweep names and their commands
#
# docs/study/report.md summarises the findings; it is written by hand from
# the sweeps' own report.md files, so rerun this before editing it.
set -euo pipefail

# shellcheck source=scripts/setup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/setup.sh"

# name | arguments of `ganscope sweep` (the folder is docs/study/NAME)
STUDY=(
  "activations|--preset ring8 --preset grid25 --vary generator.activation=relu,leaky_relu,elu,selu,tanh --vary discriminator.activation=leaky_relu,elu --seeds 3"
  "slope|--preset ring8 --preset grid25 --vary discriminator.slope=0,0.1,0.2,0.3,0.5 --seeds 3"
  "gact-dslope|--preset ring8 --preset grid25 --vary generator.activation=relu,leaky_relu,elu,selu,tanh --vary discriminator.slope=0,0.1,0.2,0.3 --seeds 3"
  "gslope|--preset ring8 --preset grid25 --vary generator.activation=leaky_relu --vary generator.slope=0.01,0.1,0.2,0.3,0.5 --seeds 3"
  "fashion|--preset fashion --vary generator.activation=relu,leaky_relu,elu,tanh --seeds 3 --steps 4000"
  "fashion-d|--preset fashion --vary discriminator.activation=leaky_relu,relu,elu,silu --seeds 3 --steps 4000"
  "fashion-long|--preset fashion --vary generator.activation=leaky_relu,elu --seeds 3"
  "grid25-best|--preset grid25-best --seeds 10"
  "long-slope|--preset grid25-best --vary discriminator.slope=0,0.1,0.2 --seeds 3"
)

if [[ "${1:-}" == "--list" ]]; then
  for s in "${STUDY[@]}"; do
    printf '%-12s ganscope sweep %s --jobs %s --out docs/study/%s\n' "${s%%|*}" "${s#*|}" "$(nproc)" "${s%%|*}"
  done
  exit 0
fi

# Unknown names are bad input: one line, exit code 2, nothing run.
for a in "$@"; do
  known=0
  for s in "${STUDY[@]}"; do [[ "$a" == "${s%%|*}" ]] && known=1; done
  if ((!known)); then
    printf 'study.sh: no sweep named %s (scripts/study.sh --list shows them)\n' "$a" >&2
    exit 2
  fi
done

gs_ensure_packages
gs_build build -DCMAKE_BUILD_TYPE=Release
cd "$GS_ROOT"

for s in "${STUDY[@]}"; do
  name="${s%%|*}"
  if (($# > 0)); then
    want=0
    for a in "$@"; do [[ "$a" == "$name" ]] && want=1; done
    ((want)) || continue
  fi
  # shellcheck disable=SC2086 # the arguments are split on purpose
  build/ganscope sweep ${s#*|} --jobs "$(nproc)" --out "docs/study/$name"
done
