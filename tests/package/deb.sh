#!/usr/bin/env bash
# deb.sh BUILD_DIR WORK_DIR SMOKE_SOURCE_DIR VERSION TOOL...: `cpack -G DEB` makes the
# package; it installs with `apt-get install ./tenantq_*.deb` and passes the smoke test.
#
#   1. cpack -G DEB in WORK_DIR; the package's name, version, dependencies and file list
#      are what docs/install.md says.
#   2. As root: apt-get install ./tenantq_VERSION_ARCH.deb. Every dependency must
#      already be there after scripts/install-deps.sh (an apt-get --simulate run first
#      fails the test, naming them, if anything else would be fetched: nothing is
#      downloaded at test time). Then, from /usr: every tool
#      answers --help/--version alike with its man page (tests/install/tools.sh), and
#      tests/install/smoke.sh generates, builds and runs a client through pkg-config and
#      CMake (no PKG_CONFIG_PATH, no CMAKE_PREFIX_PATH) against the installed devserver.
#      Finally the package is purged again, unless it was installed before the test,
#      so the machine is left as it was found.
#   3. Not root: the test fails and says so. TENANTQ_PACKAGE_TEST=extract runs the
#      weaker check instead, on purpose only: dpkg -x into a temporary root, apt-get
#      --simulate for the dependencies, then the same checks from that root (see
#      docs/install.md, "Testing the package", for what this does not prove).
set -euo pipefail
build=${1:?usage: deb.sh BUILD_DIR WORK_DIR SMOKE_SOURCE_DIR VERSION TOOL...}
work=${2:?}
smoke_src=${3:?}
version=${4:?}
shift 4
tools=("$@")
here=$(cd "$(dirname "$0")" && pwd)
install_tests=$here/../install
fail() { echo "package: FAIL: $*" >&2; exit 1; }
step() { echo "package: $*"; }

mode=apt
if [ "$(id -u)" -ne 0 ]; then
  if [ "${TENANTQ_PACKAGE_TEST:-}" = extract ]; then
    mode=extract
  else
    fail "installing the .deb needs root (CI runs as root). Run as root, or set
TENANTQ_PACKAGE_TEST=extract for the weaker dpkg -x check (docs/install.md)."
  fi
elif [ "${TENANTQ_PACKAGE_TEST:-}" = extract ]; then
  mode=extract
fi

rm -rf "$work"
mkdir -p "$work"
step "cpack -G DEB"
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >cpack.log 2>&1) \
  || { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
debs=("$work"/tenantq_"$version"_*.deb)
[ -f "${debs[0]}" ] || fail "cpack made no tenantq_${version}_*.deb"
deb=${debs[0]}
step "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

[ "$(dpkg-deb -f "$deb" Package)" = tenantq ] || fail "the package is not named tenantq"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libcurl4 libcjson1 libc6; do
  grep -q "\\b$dep\\b" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/files"
for f in /usr/include/tenantq/tenantq.h /usr/lib/pkgconfig/tenantq.pc \
         /usr/lib/cmake/tenantq/tenantqConfig.cmake /usr/lib/cmake/tenantq/TenantqCheck.cmake \
         /usr/lib/cmake/tenantq/tenantq-link-check.sh \
         /usr/share/doc/tenantq/README.md /usr/share/tenantq/examples/kb-assistant/kb.tqs; do
  grep -qx "$f" "$work/files" || fail "the package lacks $f"
done
for tool in "${tools[@]}"; do
  grep -qx "/usr/bin/$tool" "$work/files" || fail "the package lacks /usr/bin/$tool"
  grep -qx "/usr/share/man/man1/$tool.1" "$work/files" || fail "the package lacks $tool.1"
done

if [ "$mode" = extract ]; then
  step "mode extract (not root, or asked for): dpkg -x, apt-get --simulate"
  apt-get install --simulate "$deb" >"$work/simulate.log" 2>&1 \
    || { cat "$work/simulate.log" >&2; fail "apt-get --simulate cannot satisfy the dependencies"; }
  root=$work/root
  dpkg -x "$deb" "$root"
  "$install_tests/tools.sh" "$root/usr" "$version" "${tools[@]}"
  PATH="$root/usr/bin:$PATH" PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" \
    CMAKE_PREFIX_PATH="$root/usr" "$install_tests/smoke.sh" "$smoke_src" "$work/smoke"
  step "ok (extracted, not installed)"
  exit 0
fi

was_installed=no
if dpkg-query -W -f='${Status}' tenantq 2>/dev/null | grep -q 'install ok installed'; then
  was_installed=yes
  step "tenantq $(dpkg-query -W -f='${Version}' tenantq) is already installed; it is replaced"
fi
cleanup() {
  if [ "$was_installed" = no ]; then
    apt-get purge -y -qq -o DPkg::Lock::Timeout=120 tenantq >"$work/purge.log" 2>&1 \
      || { cat "$work/purge.log" >&2; echo "package: could not purge tenantq" >&2; }
  fi
}
trap cleanup EXIT
# Nothing may be fetched at test time: the simulation must install tenantq alone.
(cd "$work" && apt-get install --simulate --reinstall --no-install-recommends \
   "./$(basename "$deb")" >simulate.log 2>&1) \
  || { cat "$work/simulate.log" >&2; fail "apt-get --simulate ./$(basename "$deb")"; }
extra=$(sed -n 's/^Inst \([^ ]*\).*/\1/p' "$work/simulate.log" | grep -vx tenantq || true)
[ -z "$extra" ] || fail "installing the package would fetch $(echo $extra); run scripts/install-deps.sh"
step "apt-get install ./$(basename "$deb")"
(cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall \
   --no-install-recommends -o DPkg::Lock::Timeout=120 \
   "./$(basename "$deb")" >apt.log 2>&1) \
  || { cat "$work/apt.log" >&2; fail "apt-get install ./$(basename "$deb")"; }
dpkg-query -W -f='${Status}' tenantq | grep -q 'install ok installed' \
  || fail "dpkg does not list tenantq as installed"
"$install_tests/tools.sh" /usr "$version" "${tools[@]}"
env -u PKG_CONFIG_PATH -u CMAKE_PREFIX_PATH PATH=/usr/bin:/bin \
  "$install_tests/smoke.sh" "$smoke_src" "$work/smoke"
step "ok (installed with apt-get; purged again: $([ "$was_installed" = no ] && echo yes || echo no))"
