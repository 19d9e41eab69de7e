#!/usr/bin/env bash
# run.sh - install what is missing, build a Release ganscope under build/,
# then run it with the given arguments:  scripts/run.sh train --preset ring8
# Works from any directory; the command runs in the caller's directory so that
# relative paths among the arguments mean what the caller meant.
set -euo pipefail

# shellcheck source=scripts/setup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/setup.sh"

gs_ensure_packages
gs_build build -DCMAKE_BUILD_TYPE=Release
exec "$GS_ROOT/build/ganscope" "$@"
