#!/usr/bin/env bash
# layout.sh PREFIX DOC_SOURCE_DIR TOOL...: what `cmake --install` puts where (the
# README's "Install" table): the library and headers, the CMake package, tenantq.pc,
# every doc, the example application with its schema, the CI templates; and bin/ holds
# exactly the TOOLs (the list install.tools checks), so a new executable cannot be
# installed without being held to the common --help/--version behaviour. A pkg-config
# query against the prefix must name it, wherever the prefix is.
set -uo pipefail
prefix=${1:?usage: layout.sh PREFIX DOC_SOURCE_DIR TOOL...}
docs=${2:?usage: layout.sh PREFIX DOC_SOURCE_DIR TOOL...}
shift 2
errors=0
need() { [ -e "$prefix/$1" ] || { echo "layout: FAIL: $prefix/$1 is missing" >&2; errors=$((errors + 1)); }; }

libdir=$(cd "$prefix" && ls -d lib*/pkgconfig/tenantq.pc 2>/dev/null | head -1)
libdir=${libdir%/pkgconfig/tenantq.pc}
[ -n "$libdir" ] || { echo "layout: FAIL: no tenantq.pc under $prefix/lib*/pkgconfig" >&2; exit 1; }
for f in include/tenantq/tenantq.h include/tenantq/raw.h include/tenantq/probe.h \
         "$libdir/libtenantq.so" "$libdir/libtenantq.so.0" \
         "$libdir/libtenantq-probe.so" "$libdir/libtenantq-probe.so.0" \
         "$libdir/cmake/tenantq/tenantqConfig.cmake" \
         "$libdir/cmake/tenantq/tenantqConfigVersion.cmake" \
         "$libdir/cmake/tenantq/tenantqTargets.cmake" \
         "$libdir/cmake/tenantq/TenantqGenerate.cmake" \
         "$libdir/cmake/tenantq/TenantqCheck.cmake" \
         "$libdir/cmake/tenantq/TenantqLinkCheck.cmake" \
         "$libdir/cmake/tenantq/tenantq-link-check.sh" \
         "$libdir/cmake/tenantq/tenantq-link-record.sh" \
         share/doc/tenantq/README.md \
         share/tenantq/examples/kb-assistant/kb.tqs \
         share/tenantq/examples/kb-assistant/registry.json \
         share/tenantq/examples/kb-assistant/CMakeLists.txt \
         share/tenantq/examples/ci/github-actions.yml \
         share/tenantq/examples/ci/gitlab-ci.yml \
         share/tenantq/examples/ci/pre-commit; do
  need "$f"
done
for doc in "$docs"/*.md; do
  need "share/doc/tenantq/$(basename "$doc")"
done
[ -x "$prefix/share/tenantq/examples/ci/pre-commit" ] \
  || { echo "layout: FAIL: the installed pre-commit hook is not executable" >&2; errors=$((errors + 1)); }

installed=$(ls "$prefix/bin" | sort | tr '\n' ' ')
listed=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
[ "$installed" = "$listed" ] || { echo "layout: FAIL: bin/ holds '$installed', the tool list (TENANTQ_TOOL_DESCRIPTIONS in cmake/TenantqInstall.cmake) is '$listed'" >&2; errors=$((errors + 1)); }

real=$(cd "$prefix" && pwd -P)
got=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --cflags --libs tenantq) \
  || { echo "layout: FAIL: pkg-config cannot read tenantq.pc" >&2; exit 1; }
inc=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --variable=includedir tenantq)
[ "$(cd "$inc" && pwd -P)" = "$real/include" ] \
  || { echo "layout: FAIL: tenantq.pc's includedir $inc is not $real/include" >&2; errors=$((errors + 1)); }
[ "$errors" = 0 ] || exit 1
echo "layout: ok ($got)"
