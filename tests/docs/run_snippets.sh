#!/usr/bin/env bash
# run_snippets.sh SOURCE_DIR WORK_DIR DOC...: runs the shell snippets the docs mark as
# runnable, so the commands users copy cannot drift from what works.
#
# A runnable snippet is a ```sh (or ```bash) block whose opening fence follows the line
# <!-- tenantq:run --> (blank lines between are allowed; anything else is an error).
# Each DOC (a path relative to SOURCE_DIR) becomes one script of its snippets in
# document order, run with bash -euo pipefail (and -x, so the log shows each command),
# the DOCs in the order given, all in one fresh copy of the source tree (tracked and
# untracked files git does not ignore; no build directories) with HOME in WORK_DIR.
# A DOC without runnable snippets fails the run: a lost marker must not go unnoticed.
set -euo pipefail
src=${1:?usage: run_snippets.sh SOURCE_DIR WORK_DIR DOC...}
work=${2:?usage: run_snippets.sh SOURCE_DIR WORK_DIR DOC...}
shift 2
[ $# -gt 0 ] || { echo "snippets: no documents named" >&2; exit 2; }
fail() { echo "snippets: FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/tree" "$work/home" "$work/scripts"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -C "$work/tree" -xf -
else
  tar -C "$src" --exclude='./build*' --exclude=node_modules -cf - . | tar -C "$work/tree" -xf -
fi

# Extracts DOC's runnable snippets into a script; prints the number of snippets.
extract() {
  awk -v doc="$1" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    state == "code" {
      if (trim($0) ~ /^```/) { state = ""; print "# -- end of snippet " n; next }
      print; next
    }
    state == "marked" {
      if (trim($0) == "") next
      if (trim($0) ~ /^```(sh|bash)$/) { state = "code"; n++; print "# -- " doc " snippet " n ", line " NR; next }
      printf "%s:%d: a tenantq:run marker must be followed by a ```sh block\n", doc, NR > "/dev/stderr"
      bad = 1; exit
    }
    trim($0) == "<!-- tenantq:run -->" { state = "marked"; next }
    END {
      if (bad) exit 1
      if (state != "") { printf "%s: unterminated runnable snippet\n", doc > "/dev/stderr"; exit 1 }
      printf "%d\n", n > "/dev/stderr"
    }' "$src/$1"
}

for doc in "$@"; do
  [ -f "$src/$doc" ] || fail "$doc does not exist"
  script=$work/scripts/$(echo "$doc" | tr '/' '_').sh
  count=$(extract "$doc" 2>&1 >"$script") || fail "$count"
  [ "$count" -gt 0 ] 2>/dev/null || fail "$doc has no runnable snippet (<!-- tenantq:run -->)"
  started=$SECONDS
  (cd "$work/tree" && env -u PKG_CONFIG_PATH -u CMAKE_PREFIX_PATH -u TENANTQ_QDRANT_URL \
     -u TENANTQ_QDRANT_API_KEY HOME="$work/home" bash -euxo pipefail "$script") \
    >"$script.log" 2>&1 || { tail -n 60 "$script.log" >&2; fail "$doc: a snippet failed (log: $script.log)"; }
  echo "snippets: $doc: $count snippet(s) ran in $((SECONDS - started)) s"
done
echo "snippets: ok ($# documents)"
