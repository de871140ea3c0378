#!/usr/bin/env bash
# pre_commit.sh HOOK TENANTQ_GEN TENANTQ_CHECK RUNTIME_INCLUDE SCHEMA WORK_DIR:
# examples/ci/pre-commit installed in a throwaway git repository, driven by real
# `git commit`s:
#   1. a clean source that calls the generated client commits;
#   2. a source calling the raw layer is refused (TQ001 shown), HEAD does not move;
#   3. a staged source with unstaged edits is refused before anything is checked;
#   4. a commit touching no C source or schema is not checked at all;
#   5. schemas: removing a field from a committed schema is refused
#      (tenantq-gen --breaking-against) and adding an optional field commits.
# The repository's compile_commands.json is written here (what CMake would write), and
# the client is generated into its build directory, where tenantq-check finds the
# manifest by itself.
set -euo pipefail
hook=${1:?usage: pre_commit.sh HOOK GEN CHECK RUNTIME_INCLUDE SCHEMA WORK_DIR}
gen=${2:?}
check=${3:?}
runtime_include=${4:?}
schema=${5:?}
work=${6:?}
fail() { echo "pre-commit test: FAIL: $*" >&2; exit 1; }
step() { echo "pre-commit test: $*"; }

rm -rf "$work"
mkdir -p "$work/repo"
cd "$work/repo"
git init -q
git config user.email ci@example.invalid
git config user.name "tenantq ci"
git config commit.gpgsign false
git config tenantq.gen "$gen"
git config tenantq.check "$check"
cp "$hook" .git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
cp "$schema" kb.tqs
mkdir -p build/gen
"$gen" -o build/gen kb.tqs

cat >app.c <<'EOF'
#include "kb.tq.h"
tq_status_t count_chunks(const tenant_ctx_t *ctx, uint64_t *n);
tq_status_t count_chunks(const tenant_ctx_t *ctx, uint64_t *n)
{
    return kb_chunks_count(ctx, "support", NULL, n, NULL);
}
EOF
cat >bad.c <<'EOF'
#include <tenantq/raw.h>
void *make_filter(void);
void *make_filter(void) { return tq_raw_filter_new(); }
EOF
entry() {
  printf '{"directory": "%s", "file": "%s", "arguments": ["cc", "-std=c11", "-I%s", "-I%s", "-c", "%s"]}' \
    "$PWD" "$PWD/$1" "$runtime_include" "$PWD/build/gen" "$1"
}
printf '[%s,\n%s]\n' "$(entry app.c)" "$(entry bad.c)" >build/compile_commands.json
printf 'build/\n' >.gitignore

commits() { git rev-list --count HEAD 2>/dev/null || echo 0; }

step "1. a clean source commits"
git add .gitignore kb.tqs app.c
git commit -q -m "app" >"$work/1.log" 2>&1 || { cat "$work/1.log" >&2; fail "the clean commit was refused"; }
grep -q "0 findings" "$work/1.log" || { cat "$work/1.log" >&2; fail "the hook did not run tenantq-check"; }
[ "$(commits)" = 1 ] || fail "the clean commit did not land"

step "2. a raw-layer call is refused"
git add bad.c
if git commit -q -m "bad" >"$work/2.log" 2>&1; then fail "the hook let a raw-layer call through"; fi
grep -q 'bad.c:3:.*\[TQ001\]' "$work/2.log" || { cat "$work/2.log" >&2; fail "no TQ001 finding for bad.c"; }
[ "$(commits)" = 1 ] || fail "HEAD moved although the hook refused"
git reset -q bad.c

step "3. staged and unstaged edits of one file are refused"
echo '/* staged */' >>app.c
git add app.c
echo '/* not staged */' >>app.c
if git commit -q -m "partly" >"$work/3.log" 2>&1; then fail "the hook checked a file with unstaged edits"; fi
grep -q 'unstaged changes' "$work/3.log" || { cat "$work/3.log" >&2; fail "no word on unstaged changes"; }
git checkout -q -- app.c
git commit -q -m "app: comment" >"$work/3b.log" 2>&1 || { cat "$work/3b.log" >&2; fail "the staged edit alone was refused"; }

step "4. a commit without C sources or schemas is not checked"
echo "notes" >NOTES.md
git add NOTES.md
git -c tenantq.check=/nonexistent/tenantq-check commit -q -m "notes" >"$work/4.log" 2>&1 \
  || { cat "$work/4.log" >&2; fail "a documentation-only commit ran the checker"; }

step "5. a breaking schema change is refused, a compatible one commits"
sed '/field page:/d' kb.tqs >kb.tqs.new && mv kb.tqs.new kb.tqs
git add kb.tqs
if git commit -q -m "drop page" >"$work/5.log" 2>&1; then fail "the hook let a removed field through"; fi
grep -q 'breaks clients' "$work/5.log" || { cat "$work/5.log" >&2; fail "no word on the breaking change"; }
git checkout -q HEAD -- kb.tqs
sed 's/^\( *field page:.*\)$/\1\n    field lang: keyword;/' kb.tqs >kb.tqs.new && mv kb.tqs.new kb.tqs
git add kb.tqs
git commit -q -m "add lang" >"$work/5b.log" 2>&1 || { cat "$work/5b.log" >&2; fail "an added optional field was refused"; }
step "ok"
