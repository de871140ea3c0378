#!/bin/bash
# run.sh: the mutation harness. Proves that the test suites catch real isolation bugs
# and keep passing when the code is refactored without a change in behaviour.
#
#   run.sh [--mode mutants|refactors|all] [--source DIR] [--work DIR] [--jobs N]
#          [--only NAME[,NAME...]] [--manifest FILE] [--list] [--first-kill]
#
# It copies the source tree (tracked and untracked files, no build directories) into
# WORK/src, configures one scratch build in WORK/build and builds it. The unmutated
# copy must pass every suite first (no false kills). Then, for each mutant listed in
# manifest.txt (or --manifest FILE, another list in the same format), it applies
# patches/NAME.patch, rebuilds incrementally, runs the suites, reverts the patch and
# checks that the copy is byte-for-byte pristine again.
#
# Suites (one column each of the kill matrix):
#   unit     ctest -L unit                      no network: runtime, schema, probe judge
#   checker  ctest -L checker (minus the SARIF schema validation, which needs npm
#            packages and says nothing about isolation) and the lint gate as CI runs
#            it: tenantq-check --werror over kb-assistant and tenantq-probe, the
#            generated files exempted only through their manifests. Skipped ("skip")
#            for a patch that touches only runtime/src/, which no rule analyses and no
#            fixture or linted application compiles.
#   probe    tenantq-probe, reduced (4 tenants, 200 vectors, 384 dimensions, 80 probes),
#            every placement, once with the API key and once with per-tenant JWTs;
#            judged by tests/probe/run_probe.cmake (zero leaks, guard trips, failed checks)
#   live     the runtime's and the generated client's live tests against
#            tenantq-devserver (ctest -L live -R '^(runtime|codegen)\.')
# A mutant is killed when at least one suite fails on it. The matrix ends with the line
# "mutants: killed K/N". --first-kill (what `make test` runs) tries the suites the
# manifest expects to kill a mutant first and stops at the first that does, leaving the
# other cells of the matrix "-"; without it every suite runs on every mutant. Exit status: 0 when the baseline passed and every mutant was
# killed, 1 when a mutant survived, did not apply, did not build, or the baseline failed,
# 2 for a usage or set-up error.
#
# --mode refactors applies each refactors/*.patch instead and requires every ctest
# suite (all labels but fuzz, mutation, package and docs), the lint gate and the probe to pass; its
# last line is "refactors: passed R/N". --mode all runs both.
#
# The harness never writes into the source tree. Live suites always run against their
# own tenantq-devserver children: TENANTQ_QDRANT_URL and TENANTQ_QDRANT_API_KEY are
# cleared for the children of this script.
set -u

# Everything runs inside main, which bash parses whole before running it: the script
# may be edited or checked out anew while a run is under way.
main() {
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
work=""
jobs=2
mode=mutants
only=""
list_only=0
first_kill=0
manifest=$here/manifest.txt

usage() {
    sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case $1 in
    --mode) mode=${2:-}; shift 2 || break ;;
    --source) source_dir=${2:-}; shift 2 || break ;;
    --work) work=${2:-}; shift 2 || break ;;
    --jobs | -j) jobs=${2:-}; shift 2 || break ;;
    --only) only=${2:-}; shift 2 || break ;;
    --manifest) manifest=${2:-}; shift 2 || break ;;
    --list) list_only=1; shift ;;
    --first-kill) first_kill=1; shift ;;
    --help | -h) usage; exit 0 ;;
    *) echo "run.sh: error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

case $mode in
mutants | refactors | all) ;;
*) echo "run.sh: error: --mode must be mutants, refactors or all" >&2; exit 2 ;;
esac
case $jobs in
'' | *[!0-9]* | 0) echo "run.sh: error: --jobs must be a positive number" >&2; exit 2 ;;
esac
if [ ! -f "$source_dir/CMakeLists.txt" ] ||
    [ ! -f "$source_dir/runtime/include/tenantq/raw.h" ]; then
    echo "run.sh: error: $source_dir is not a tenantq source tree" >&2
    exit 2
fi
source_dir=$(cd "$source_dir" && pwd)
if [ ! -f "$manifest" ]; then
    echo "run.sh: error: no manifest $manifest" >&2
    exit 2
fi

# ---- the manifest: NAME|EXPECTED SUITES|DESCRIPTION, '#' comments ----------------------
names=()
declare -A expected description
while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    IFS='|' read -r name want text <<<"$line"
    name=$(echo "$name" | tr -d ' ')
    want=$(echo "$want" | tr -d ' ')
    text=$(echo "$text" | sed 's/^ *//')
    if [ -n "$only" ] && ! echo ",$only," | grep -q ",$name,"; then
        continue
    fi
    names+=("$name")
    expected[$name]=$want
    description[$name]=$text
done <"$manifest"

for name in ${only//,/ }; do
    if [ -z "${expected[$name]+set}" ]; then
        echo "run.sh: error: --only: no mutant '$name' in $manifest" >&2
        exit 2
    fi
done
if [ "${#names[@]}" -eq 0 ] && [ "$mode" != refactors ]; then
    echo "run.sh: error: $manifest lists no mutant" >&2
    exit 2
fi

if [ "$list_only" = 1 ]; then
    for name in "${names[@]}"; do
        printf '%-28s %-22s %s\n' "$name" "${expected[$name]}" "${description[$name]}"
    done
    exit 0
fi

if [ -z "$work" ]; then
    work=${TMPDIR:-/tmp}/tenantq-mutants
fi
mkdir -p "$work" || exit 2
work=$(cd "$work" && pwd)
case "$work/" in
"$source_dir"/*)
    # Inside the tree only under a build directory, which the copy leaves out.
    case "${work#"$source_dir"/}" in
    build*) ;;
    *) echo "run.sh: error: --work must lie outside the source tree or under its build*/" >&2
       exit 2 ;;
    esac ;;
esac

src=$work/src
build=$work/build
logs=$work/logs
started=$(date +%s)

for tool in cmake ctest tar md5sum timeout; do
    command -v $tool >/dev/null 2>&1 || { echo "run.sh: error: $tool not found" >&2; exit 2; }
done
if command -v ninja >/dev/null 2>&1; then
    generator=(-G Ninja)
else
    generator=()
fi

unset TENANTQ_QDRANT_URL TENANTQ_QDRANT_API_KEY
# The copy is a repository of its own (see copy_tree); git must never look above it.
export GIT_CEILING_DIRECTORIES=$work

log() {
    printf '%s\n' "$*"
}

# ---- the scratch copy ------------------------------------------------------------------
copy_tree() {
    rm -rf "$src" "$build" "$logs"
    mkdir -p "$src" "$logs"
    if git -C "$source_dir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # Tracked and untracked files, minus ignored ones (build dirs, node_modules).
        git -C "$source_dir" ls-files -co --exclude-standard -z |
            (cd "$source_dir" && tar --null -T - --ignore-failed-read -cf - 2>/dev/null) |
            tar -xf - -C "$src"
    else
        (cd "$source_dir" && tar --exclude='./build*' --exclude=node_modules -cf - .) |
            tar -xf - -C "$src"
    fi
    [ -f "$src/CMakeLists.txt" ] || return 1
    # tenantq-gen names schemas relative to the enclosing repository; give the copy one.
    if command -v git >/dev/null 2>&1; then
        git init -q "$src" || return 1
    else
        mkdir "$src/.git" || return 1
    fi
    # npm packages installed in the source tree serve the copy's contract and SARIF tests.
    for dir in tests/contract/node_modules tests/checker/node_modules tests/ci/node_modules; do
        if [ -d "$source_dir/$dir" ] && [ ! -e "$src/$dir" ]; then
            ln -s "$source_dir/$dir" "$src/$dir"
        fi
    done
    (cd "$src" && find . -type f ! -path '*/node_modules/*' ! -path './.git/*' -print0 | sort -z |
        xargs -0 md5sum) >"$work/pristine.md5"
    sed 's/^[0-9a-f]*  //' "$work/pristine.md5" >"$work/pristine.list"
    (cd "$src" && tar --exclude=./.git --exclude=node_modules -cf "$work/pristine.tar" .)
}

# Puts the copy back to what copy_tree made after a refactor's regeneration step wrote
# into it: removes files that were not there and re-extracts changed ones (with the
# current time, so the build sees them as new).
restore_tree() {
    local changed
    (cd "$src" && find . -type f ! -path '*/node_modules/*' ! -path './.git/*' | sort) \
        >"$work/now.list"
    comm -23 "$work/now.list" "$work/pristine.list" | (cd "$src" && xargs -r rm -f --)
    changed=$(cd "$src" && md5sum --quiet -c "$work/pristine.md5" 2>/dev/null |
        sed -n 's/: FAILED.*$//p')
    if [ -n "$changed" ]; then
        (cd "$src" && echo "$changed" | tr '\n' '\0' | xargs -0 tar -xmf "$work/pristine.tar")
    fi
    tree_pristine
}

# Checks that the copy is exactly what copy_tree made.
tree_pristine() {
    local now
    now=$(cd "$src" && find . -type f ! -path '*/node_modules/*' ! -path './.git/*' | wc -l)
    [ "$now" -eq "$(wc -l <"$work/pristine.md5")" ] &&
        (cd "$src" && md5sum --quiet -c "$work/pristine.md5" >/dev/null 2>&1)
}

configure() {
    # TENANTQ_CLANG14=OFF leaves out the libFuzzer targets: they take minutes to build
    # and no suite of this harness runs them.
    cmake -S "$src" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DTENANTQ_WERROR=ON -DTENANTQ_SANITIZE=OFF -DTENANTQ_CLANG14=OFF \
        -DTENANTQ_MUTANTS_SCRATCH=ON >"$1" 2>&1
}

build_tree() {
    timeout 1800 cmake --build "$build" -j "$jobs" >"$1" 2>&1
}

apply_patch() {
    if command -v git >/dev/null 2>&1; then
        (cd "$src" && git apply --whitespace=nowarn "$@")
    else
        local reverse=""
        [ "$1" = "-R" ] && { reverse=-R; shift; }
        (cd "$src" && patch -p1 --batch --silent $reverse <"$1")
    fi
}

# ---- suites: each returns 0 when it passes, writes its log to $1 -----------------------
suite_unit() {
    timeout 900 ctest --test-dir "$build" -L unit -LE mutation --output-on-failure \
        -j "$jobs" >"$1" 2>&1
}

checker_built() {
    [ -x "$build/checker/tenantq-check" ]
}

lint_gate() {
    local args=() m
    for m in $(find "$build/examples" "$build/probe" -name '*.tq.json' 2>/dev/null | sort); do
        args+=(--manifest "$m")
    done
    local targets=()
    [ -d "$src/examples/kb-assistant/src" ] && targets+=("$src/examples/kb-assistant/src")
    if [ -d "$build/probe/gen" ]; then
        targets+=("$src/probe" "$build/probe/gen")
    fi
    timeout 600 "$build/checker/tenantq-check" -p "$build" --root "$src" --werror -j "$jobs" \
        "${args[@]}" "${targets[@]}"
}

suite_checker() {
    {
        local status=0
        timeout 900 ctest --test-dir "$build" -L checker -E 'sarif' --output-on-failure \
            -j "$jobs" || status=1
        echo "== lint gate: tenantq-check over kb-assistant and tenantq-probe"
        lint_gate || status=1
        return $status
    } >"$1" 2>&1
}

probe_run() {
    local name=$1 args=$2
    timeout 600 cmake -DPROBE="$build/probe/tenantq-probe" -DMODE=live -DNAME="$name" \
        -DPLACEMENTS=collection,shared,dedicated \
        -DARGS="--placement,all,--tenants,4,--vectors,200,--dim,384,--probes,80$args" \
        -DWORKDIR="$logs" -P "$src/tests/probe/run_probe.cmake"
}

suite_probe() {
    {
        local status=0
        echo "== probe: API key"
        TENANTQ_DEVSERVER="$build/devserver/tenantq-devserver" probe_run probe-key "" || status=1
        echo "== probe: per-tenant JWT"
        TENANTQ_DEVSERVER="$build/devserver/tenantq-devserver" \
            probe_run probe-jwt ",--jwt,--api-key,mutants-signing-key" || status=1
        return $status
    } >"$1" 2>&1
}

suite_live() {
    timeout 900 ctest --test-dir "$build" -L live -R '^(runtime|codegen)\.' \
        --output-on-failure -j "$jobs" >"$1" 2>&1
}

suite_everything() {
    # package installs into /usr and docs rebuilds the whole tree from scratch: both
    # belong to the top-level run only, not to a copy per refactor.
    timeout 3000 ctest --test-dir "$build" -LE 'fuzz|mutation|package|docs' --output-on-failure \
        -j "$jobs" >"$1" 2>&1
}

suites=(unit checker probe live)
declare -A cell

# Whether the checker suite can see a change to the files of `patch`: everything but
# the runtime's sources (which every rule exempts, and which no fixture or linted
# application compiles) is an input of the checker suite.
checker_sees() {
    local path
    for path in $(cd "$src" && git apply --numstat "$1" | cut -f3); do
        case $path in runtime/src/*) ;; *) return 0 ;; esac
    done
    return 1
}

# Runs every suite for `label` (with `patch` applied, if any); fills
# cell[label,suite] with pass, KILL, skip (the suite cannot see the change) or n/a
# (not built: no libclang).
run_suites() {
    local label=$1 patch=${2:-} suite order=("${suites[@]}")
    if [ "$first_kill" = 1 ] && [ -n "$patch" ]; then
        # The expected killers first, then the others, in the matrix's order.
        order=()
        for suite in ${expected[$label]//,/ } "${suites[@]}"; do
            case " ${order[*]} " in *" $suite "*) ;; *) order+=("$suite") ;; esac
        done
    fi
    for suite in "${order[@]}"; do
        if [ "$suite" = checker ] && ! checker_built; then
            cell[$label,$suite]=n/a
            continue
        fi
        if [ "$suite" = checker ] && [ -n "$patch" ] && ! checker_sees "$patch"; then
            cell[$label,$suite]=skip
            continue
        fi
        if suite_$suite "$logs/$label.$suite.log"; then
            cell[$label,$suite]=pass
        else
            cell[$label,$suite]=KILL
            [ "$first_kill" = 1 ] && [ -n "$patch" ] && return
        fi
    done
}

# One line saying why `suite` failed for `label`: the failed ctest names, the lint
# gate's rule ids, or the probe's findings by placement and probe kind.
evidence() {
    local file=$logs/$1.$2.log
    {
        sed -n '/The following tests FAILED/,$p' "$file" |
            sed -n 's/^[[:space:]]*[0-9]* - \([^ ]*\) .*/\1/p'
        if [ "$2" = checker ]; then
            sed -n '/^== lint gate/,$p' "$file" | grep -o '\[TQ0[0-9][0-9]\]' | sort -u |
                tr -d '[]' | sed 's/^/lint gate /'
        fi
        if [ "$2" = probe ]; then
            # "tenantq-probe: LEAK: placement=P tenant=T probe=K" -> "LEAK P/K x COUNT"
            grep -o 'tenantq-probe: [A-Z]*: placement=[a-z]* tenant=[a-z0-9]* probe=[a-z_]*' \
                "$file" | sed 's/^tenantq-probe: //; s/ tenant=[a-z0-9]*//' |
                sed 's/: placement=\([a-z]*\) probe=/ \1\//' |
                sort | uniq -c | sort -rn | head -4 | awk '{print $2 " " $3 " x" $1}'
            grep -o 'tenantq-probe: error: .*' "$file" | head -1 | cut -c1-90
            grep -o 'probe test: [a-z]*: .*' "$file" | head -2
        fi
    } | head -8 | paste -sd ',' - | sed 's/,/, /g'
}

elapsed() {
    echo $(($(date +%s) - started))
}

# ---- baseline --------------------------------------------------------------------------
log "tenantq mutation harness: source $source_dir, scratch $work, -j $jobs"
if ! copy_tree; then
    echo "run.sh: error: cannot copy $source_dir to $src" >&2
    exit 2
fi
if ! configure "$logs/configure.log" || ! build_tree "$logs/baseline.build.log"; then
    log "baseline: the unmutated tree does not build (see $logs/baseline.build.log)"
    tail -30 "$logs/baseline.build.log" 2>/dev/null || tail -30 "$logs/configure.log"
    exit 1
fi
run_suites baseline
baseline_ok=1
for suite in "${suites[@]}"; do
    if [ "${cell[baseline,$suite]}" = KILL ]; then
        baseline_ok=0
        log "baseline: suite $suite fails on the unmutated tree (see $logs/baseline.$suite.log)"
        tail -40 "$logs/baseline.$suite.log"
    fi
done
log "baseline: unit ${cell[baseline,unit]}, checker ${cell[baseline,checker]}," \
    "probe ${cell[baseline,probe]}, live ${cell[baseline,live]} ($(elapsed) s)"
if [ "$baseline_ok" = 0 ]; then
    log "mutants: baseline failed, no mutant was run"
    exit 1
fi

status=0

# ---- mutants ---------------------------------------------------------------------------
run_mutants() {
    local name patch verdict killed=0 total=0 suite k
    declare -A verdicts
    for name in "${names[@]}"; do
        patch=$here/patches/$name.patch
        total=$((total + 1))
        if [ ! -f "$patch" ]; then
            verdicts[$name]="no patch"
            continue
        fi
        if ! apply_patch "$patch" >"$logs/$name.apply.log" 2>&1; then
            verdicts[$name]="does not apply"
            log "$name: patch does not apply (see $logs/$name.apply.log)"
            continue
        fi
        if build_tree "$logs/$name.build.log"; then
            run_suites "$name" "$patch"
            k=0
            for suite in "${suites[@]}"; do
                [ "${cell[$name,$suite]:-}" = KILL ] && k=1
            done
            if [ "$k" = 1 ]; then
                verdicts[$name]=killed
                killed=$((killed + 1))
            else
                verdicts[$name]=SURVIVED
            fi
        else
            verdicts[$name]="does not build"
            log "$name: the mutant does not build (see $logs/$name.build.log)"
        fi
        if ! apply_patch -R "$patch" >>"$logs/$name.apply.log" 2>&1 || ! tree_pristine; then
            log "$name: the copy could not be restored; stopping"
            status=1
            break
        fi
        log "$name: ${verdicts[$name]} ($(elapsed) s)"
    done

    echo
    printf '%-28s %-8s %-8s %-8s %-8s %-22s %s\n' mutant unit checker probe live expected verdict
    for name in "${names[@]}"; do
        printf '%-28s %-8s %-8s %-8s %-8s %-22s %s\n' "$name" \
            "${cell[$name,unit]:--}" "${cell[$name,checker]:--}" "${cell[$name,probe]:--}" \
            "${cell[$name,live]:--}" "${expected[$name]}" "${verdicts[$name]:-not run}"
    done
    echo
    log "evidence (first failures of each killing suite):"
    for name in "${names[@]}"; do
        for suite in "${suites[@]}"; do
            if [ "${cell[$name,$suite]:-}" = KILL ]; then
                log "  $name: $suite: $(evidence "$name" "$suite")"
            fi
        done
    done
    echo
    for name in "${names[@]}"; do
        for suite in ${expected[$name]//,/ }; do
            if [ "${cell[$name,$suite]:-}" = pass ]; then
                log "note: $name: the manifest expects $suite to kill it, but $suite passed"
            fi
        done
        for suite in "${suites[@]}"; do
            if [ "${cell[$name,$suite]:-}" = KILL ] &&
                ! echo ",${expected[$name]}," | grep -q ",$suite,"; then
                log "note: $name: also killed by $suite, which the manifest does not list"
            fi
        done
    done
    [ "$killed" -eq "$total" ] || status=1
    log "time: $(elapsed) s"
    log "mutants: killed $killed/$total"
}

# ---- refactors -------------------------------------------------------------------------
# A refactor patch may say, in its text before the first diff, "Regenerate: TARGET..."
# for build targets that rewrite committed generated files after an intended change of
# generated output (codegen-golden); they run after the build, before the suites.
regenerate() {
    local target
    for target in $(sed -n '/^diff --git/q; s/^Regenerate: //p' "$1"); do
        echo "== regenerate: $target" >>"$2"
        timeout 600 cmake --build "$build" --target "$target" >>"$2" 2>&1 || return 1
    done
}

run_refactors() {
    local patch name passed=0 total=0 result
    for patch in "$here"/refactors/*.patch; do
        [ -f "$patch" ] || continue
        name=$(basename "$patch" .patch)
        total=$((total + 1))
        result=passed
        if ! apply_patch "$patch" >"$logs/refactor-$name.apply.log" 2>&1; then
            result="does not apply"
        elif ! build_tree "$logs/refactor-$name.build.log"; then
            result="does not build"
        elif ! regenerate "$patch" "$logs/refactor-$name.build.log"; then
            result="regeneration failed"
        else
            suite_everything "$logs/refactor-$name.ctest.log" || result="ctest failed"
            if [ "$result" = passed ] && checker_built; then
                lint_gate >"$logs/refactor-$name.lint.log" 2>&1 ||
                    result="lint gate failed"
            fi
            if [ "$result" = passed ]; then
                suite_probe "$logs/refactor-$name.probe.log" || result="probe failed"
            fi
        fi
        if [ "$result" != "does not apply" ]; then
            if ! apply_patch -R "$patch" >>"$logs/refactor-$name.apply.log" 2>&1 ||
                ! restore_tree; then
                log "$name: the copy could not be restored; stopping"
                status=1
                break
            fi
        fi
        if [ "$result" = passed ]; then
            passed=$((passed + 1))
        else
            log "$name: $result (logs: $logs/refactor-$name.*.log)"
        fi
        log "refactor $name: $result ($(elapsed) s)"
    done
    [ "$passed" -eq "$total" ] && [ "$total" -gt 0 ] || status=1
    log "refactors: passed $passed/$total"
}

case $mode in
mutants) run_mutants ;;
refactors) run_refactors ;;
all)
    run_refactors
    # The refactors leave their objects behind; the mutants rebuild what they touch.
    run_mutants
    ;;
esac
exit $status
}

main "$@"; exit $?
