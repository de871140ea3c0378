#!/bin/sh
# Benchmarks tenantq-check against clang's own front end on a real C code base.
#
#   scripts/bench-checker.sh SOURCE_DIR [CHECKER] [-- CONFIGURE ARGS...]
#
# SOURCE_DIR is a C project outside this tree with at least 100 translation units. Its
# compile_commands.json is taken from SOURCE_DIR (if present) or made in a scratch
# build directory: `cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON` for a CMake project,
# otherwise `bear -- make -k` (which builds it). CHECKER defaults to
# build/checker/tenantq-check. The script then times, over the same units and flags,
#   tenantq-check -p BUILD -j 2
#   clang-14 -fsyntax-only -w (2 parallel jobs)
# and prints both wall times and their ratio (target: <= 1.0, checking takes no longer
# than parsing). It exits 1 when the checker could not analyse the code base (exit
# status 2) or the ratio exceeds 1.0.
set -eu

usage() {
    echo "usage: $0 SOURCE_DIR [CHECKER] [-- CONFIGURE ARGS...]" >&2
    exit 2
}
[ $# -ge 1 ] || usage
src=$(cd "$1" && pwd) || usage
shift
here=$(cd "$(dirname "$0")/.." && pwd)
checker=$here/build/checker/tenantq-check
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
    checker=$1
    shift
fi
[ $# -ge 1 ] && [ "$1" = "--" ] && shift
[ -x "$checker" ] || { echo "bench-checker: $checker is not executable" >&2; exit 2; }
command -v clang-14 >/dev/null || { echo "bench-checker: clang-14 not found" >&2; exit 2; }
command -v node >/dev/null || { echo "bench-checker: node not found" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-checker.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

if [ -f "$src/compile_commands.json" ]; then
    db_dir=$src
elif [ -f "$src/CMakeLists.txt" ]; then
    db_dir=$work/build
    cmake -S "$src" -B "$db_dir" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCMAKE_C_COMPILER=clang-14 \
        "$@" > "$work/configure.log" 2>&1 || {
        echo "bench-checker: cmake failed, see below" >&2
        tail -20 "$work/configure.log" >&2
        exit 2
    }
    # Projects whose sources need generated headers: BENCH_BUILD=1 builds first.
    if [ "${BENCH_BUILD:-0}" = 1 ]; then
        cmake --build "$db_dir" -j 2 > "$work/build.log" 2>&1 || true
    fi
else
    command -v bear >/dev/null || { echo "bench-checker: need cmake project or bear" >&2; exit 2; }
    db_dir=$work/build
    mkdir -p "$db_dir"
    (cd "$src" && bear --output "$db_dir/compile_commands.json" -- make -k -j 2 "$@") \
        > "$work/build.log" 2>&1 || true
fi

# One shell script per unit for the clang side: same directory, same flags, plus
# -fsyntax-only -w, without output options.
# Units whose source does not exist yet (generated during a build) are left out of
# both sides; the filtered database is what the checker reads.
mkdir -p "$work/db"
node - "$db_dir/compile_commands.json" "$work/units" "$work/db/compile_commands.json" <<'JS'
const fs = require('fs');
const path = require('path');
const [db, out, filtered] = process.argv.slice(2);
const entries = JSON.parse(fs.readFileSync(db, 'utf8'))
  .filter((e) => fs.existsSync(path.resolve(e.directory, e.file)));
fs.writeFileSync(filtered, JSON.stringify(entries, null, 1));
fs.mkdirSync(out, { recursive: true });
const quote = (s) => "'" + s.replace(/'/g, "'\\''") + "'";
const split = (cmd) => {
  const words = []; let w = null; let q = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (q) {
      if (c === q) { q = null; continue; }
      if (q === '"' && c === '\\' && i + 1 < cmd.length && '"\\$`'.includes(cmd[i + 1])) { w += cmd[++i]; continue; }
      w += c; continue;
    }
    if (c === "'" || c === '"') { q = c; w = w ?? ''; continue; }
    if (c === '\\' && i + 1 < cmd.length) { w = (w ?? '') + cmd[++i]; continue; }
    if (/\s/.test(c)) { if (w !== null) { words.push(w); w = null; } continue; }
    w = (w ?? '') + c;
  }
  if (w !== null) words.push(w);
  return words;
};
entries.forEach((e, i) => {
  const args = e.arguments ? e.arguments.slice() : split(e.command);
  const kept = [];
  for (let k = 1; k < args.length; k++) {
    const a = args[k];
    if (['-o', '-MF', '-MT', '-MQ'].includes(a)) { k++; continue; }
    if (['-c', '-MD', '-MMD', '-MP'].includes(a) || a.startsWith('-Werror')) continue;
    kept.push(a);
  }
  const line = `cd ${quote(e.directory)} && exec clang-14 -fsyntax-only -w ${kept.map(quote).join(' ')}\n`;
  fs.writeFileSync(path.join(out, String(i).padStart(6, '0') + '.sh'), line);
});
JS
units=$(ls "$work/units" | wc -l)
if [ "$units" -lt 100 ]; then
    echo "bench-checker: only $units translation units in the database; need >= 100" >&2
    exit 2
fi

now() { date +%s.%N; }

# Warm the page cache for both sides.
"$checker" -p "$work/db" -j 2 --format json -o /dev/null > /dev/null 2>&1 || true

t0=$(now)
set +e
"$checker" -p "$work/db" -j 2 --format json -o "$work/findings.json" 2> "$work/checker.err"
checker_status=$?
set -e
t1=$(now)
ls "$work/units"/*.sh | xargs -P 2 -n 1 sh > "$work/clang.log" 2>&1 || true
t2=$(now)

if [ "$checker_status" -eq 2 ]; then
    echo "bench-checker: tenantq-check could not analyse everything:" >&2
    tail -20 "$work/checker.err" >&2
    exit 1
fi

awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$units" 'BEGIN {
    checker = b - a; clang = c - b; ratio = checker / clang;
    printf "units:                          %d\n", n;
    printf "tenantq-check -p -j 2:          %.2f s\n", checker;
    printf "clang-14 -fsyntax-only (2 jobs): %.2f s\n", clang;
    printf "ratio:                          %.2f (target <= 1.00)\n", ratio;
    exit (ratio <= 1.00) ? 0 : 1;
}'
