#!/usr/bin/env bash
# test.sh - install what is missing (test extras included), build, run the
# suite with CTest. Exit status is CTest's.
#   scripts/test.sh              Release build in build/
#   scripts/test.sh --sanitize   ASan + UBSan Debug build in build-asan/
#   scripts/test.sh --tsan       TSan Debug build in build-tsan/, engine|tsan tests only
# Any further arguments go to ctest (e.g. -R mlp, -V).
set -euo pipefail

# shellcheck source=scripts/setup.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/setup.sh"

mode=release
if (($# > 0)); then
  case "$1" in
    --sanitize) mode=asan; shift ;;
    --tsan) mode=tsan; shift ;;
    -h | --help)
      sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
  esac
fi

ctest_args=(--output-on-failure -j2)
case "$mode" in
  release)
    dir=build
    cmake_args=(-DCMAKE_BUILD_TYPE=Release)
    ;;
  asan)
    dir=build-asan
    cmake_args=(-DGS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    ;;
  tsan)
    dir=build-tsan
    cmake_args=(-DGS_TSAN=ON -DCMAKE_BUILD_TYPE=Debug)
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    ctest_args+=(-R 'engine|tsan')
    ;;
esac

gs_ensure_packages --test
gs_build "$dir" "${cmake_args[@]}"
exec ctest --test-dir "$GS_ROOT/$dir" "${ctest_args[@]}" "$@"
