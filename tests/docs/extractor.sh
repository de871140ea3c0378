#!/usr/bin/env bash
# extractor.sh WORK_DIR: run_snippets.sh on the fixtures: marked blocks run in order and
# unmarked ones do not (good.md); a failing command fails the run and stops it
# (failing.md); a document without a marker, or a marker before anything but a sh
# block, is an error.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: extractor.sh WORK_DIR}
errors=0
expect() {
  local want=$1 doc=$2
  "$here/run_snippets.sh" "$here/fixtures" "$work/$doc" "$doc" >"$work.$doc.log" 2>&1
  local rc=$?
  if { [ "$want" = pass ] && [ $rc -ne 0 ]; } || { [ "$want" = fail ] && [ $rc -eq 0 ]; }; then
    echo "extractor: FAIL: $doc should $want (exit $rc)" >&2; cat "$work.$doc.log" >&2
    errors=$((errors + 1))
  fi
}
mkdir -p "$(dirname "$work")"
expect pass good.md
expect fail failing.md
[ ! -e "$work/failing.md/tree/reached.txt" ] || { echo "extractor: FAIL: ran past a failure" >&2; errors=$((errors + 1)); }
expect fail unmarked.md
expect fail wrong-fence.md
[ $errors -eq 0 ] || exit 1
echo "extractor: ok"
