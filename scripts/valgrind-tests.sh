#!/usr/bin/env bash
# valgrind-tests.sh BUILD_DIR: the unit and live suites under valgrind memcheck.
#
# ASan and valgrind cannot share a binary, so this configures a separate build without
# sanitizers in BUILD_DIR and runs every test whose command is a built executable under
# valgrind (CMake's CROSSCOMPILING_EMULATOR hook). Any memcheck error or definite leak
# fails the test (exit 99). The probe and example runs are left out: they drive the
# same client code as the live tests at sizes that would take valgrind an hour.
set -euo pipefail
build=${1:?usage: scripts/valgrind-tests.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "valgrind-tests: valgrind is not installed" >&2; exit 2; }

emulator="valgrind;--error-exitcode=99;--leak-check=full;--errors-for-leak-kinds=definite"
emulator+=";--show-leak-kinds=definite;--track-fds=no;--quiet"
cmake -S "$top" -B "$build" -G Ninja -DTENANTQ_SANITIZE=OFF -DTENANTQ_WERROR=ON \
      -DTENANTQ_BUILD_CHECKER=OFF -DTENANTQ_CLANG14=OFF \
      "-DCMAKE_CROSSCOMPILING_EMULATOR=$emulator" >/dev/null
cmake --build "$build" -j "$(nproc)"
# One test at a time: valgrind slows every process, and the live tests' 2 s connect
# timeouts must still hold on a busy 2-core machine.
ctest --test-dir "$build" --output-on-failure -j 1 -L 'unit|live' \
      -E '^(probe|example|kb_|reliability)' --timeout 900
