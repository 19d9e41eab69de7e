#!/usr/bin/env bash
# setup.sh - the one place that lists ganscope's Debian packages, plus the
# helpers that run.sh, test.sh and bench/compare.sh share: install what is
# missing, then configure and build a tree quietly.
#
# Sourced:   . scripts/setup.sh; gs_ensure_packages [--test]; gs_build DIR [cmake args]
# Executed:  scripts/setup.sh [--test]     (only installs packages)

# What building and running ganscope needs.
GS_PACKAGES=(
  build-essential cmake pkg-config
  libopenblas-dev libinih-dev zlib1g-dev libpng-dev
  libsdl2-dev libsdl2-ttf-dev libncurses-dev libcmocka-dev
  dataset-fashion-mnist fonts-dejavu-core
)
# What only the test suite needs (virtual display, input, image diffs, terminal).
GS_TEST_PACKAGES=(xvfb xdotool imagemagick tmux python3-numpy)

GS_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"

gs_die() {
  printf 'ganscope setup: %s\n' "$*" >&2
  exit 1
}

# Prints the packages from the arguments that dpkg does not report installed.
gs_missing_packages() {
  local p
  for p in "$@"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
      printf '%s\n' "$p"
    fi
  done
}

# gs_ensure_packages [--test]: apt-get update + install only when something is
# missing, so that a ready machine never touches the network.
gs_ensure_packages() {
  local want=("${GS_PACKAGES[@]}")
  [[ "${1:-}" == "--test" ]] && want+=("${GS_TEST_PACKAGES[@]}")
  command -v dpkg-query >/dev/null 2>&1 || gs_die "dpkg-query not found: this script expects Debian or a derivative"

  local missing=()
  mapfile -t missing < <(gs_missing_packages "${want[@]}")
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || gs_die "not root and no sudo; install as root: ${missing[*]}"
    sudo=(sudo)
  fi
  printf 'ganscope setup: installing %s\n' "${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq update ||
    gs_die "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq \
    -o Dpkg::Use-Pty=0 --no-install-recommends install "${missing[@]}" >/dev/null ||
    gs_die "apt-get install failed: ${missing[*]}"
}

# gs_build DIR [cmake args...]: configure DIR (relative to the repo root) and
# build it incrementally. The configure step is silent unless it fails or warns;
# the build prints its own progress.
gs_build() {
  local dir="$1"
  shift
  local log rc=0
  log="$(mktemp "${TMPDIR:-/tmp}/ganscope-cmake.XXXXXX")"
  cmake -S "$GS_ROOT" -B "$GS_ROOT/$dir" --log-level=WARNING "$@" >"$log" 2>&1 || rc=$?
  if ((rc != 0)); then
    cat "$log" >&2
    rm -f "$log"
    gs_die "cmake configure of $dir failed"
  fi
  # Keep warnings visible; drop the "-- Configuring done" kind of chatter.
  local rest
  rest="$(grep -v -e '^-- ' "$log" || true)"
  [[ -n "${rest//[[:space:]]/}" ]] && printf '%s\n' "$rest" >&2
  rm -f "$log"
  cmake --build "$GS_ROOT/$dir" -j"$(nproc)" || gs_die "build of $dir failed"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  gs_ensure_packages "$@"
fi
