#!/usr/bin/env bash
# Checks the packages that build-package.sh made, as a user gets them (run by `mvn -B verify`):
# the .deb is unpacked into a temporary root (dpkg-deb -x) that is seen at /opt/iommufx, and its `iommufx`
# command runs from the root's /usr/bin with the machine's JDKs and Maven hidden: the headless commands, and
# the window on the headless glass that the package carries (it exits after its first interactive frame).
# Each run maps the package's class-data-sharing archive or fails (-Xshare:on).
#
# usage: check-package.sh PROJECT_DIR VERSION [SKIP_TESTS]
set -euo pipefail

project="$(cd "$1" && pwd)"
version="$2"
if [ "${3:-false}" = true ]; then
  echo "[package-check] skipped (-DskipTests)"
  exit 0
fi
here="$project/src/packaging"
work="$project/target/package"
deb="$work/iommufx_${version}_amd64.deb"
tarball="$work/iommufx-$version-linux-x64.tar.gz"
source "$here/opt-namespace.sh"

checks=0
fail() { echo "[package-check] FAILED: $*" >&2; exit 1; }
pass() { checks=$((checks + 1)); echo "[package-check] ok: $*"; }

[ -f "$deb" ] || fail "$deb is missing"
[ -f "$tarball" ] || fail "$tarball is missing"
check="$work/check"
rm -rf "$check" && mkdir -p "$check/home"
root="$check/root"
dpkg-deb -x "$deb" "$root"

# --- what the package says and holds --------------------------------------------------------------------------
control="$(dpkg-deb -f "$deb")"
depends="$(dpkg-deb -f "$deb" Depends)"
for p in libgtk-3-0 libx11-6 libxtst6 fonts-dejavu-core; do
  [[ ", $depends," == *", $p,"* ]] || fail "Depends lacks $p: $depends"
done
grep -q "^Version: $version" <<<"$control" || fail "the package's version is not $version"
pass "package $(grep '^Package:' <<<"$control" | cut -d' ' -f2) $version depends on GTK 3, X11 and fonts"

# every library a native file links against is in the package or in a stated dependency
if ! command -v readelf >/dev/null; then
  echo "[package-check] not checked: the libraries the native files need (readelf, from binutils, is not installed)"
else
stated="$(grep -v '^#' "$here/deb-depends" | awk '{ for (i = 2; i <= NF; i++) print $i }')"
inside="$(find "$root/opt/iommufx" -name '*.so*' -printf '%f\n')"
missing=""
while IFS= read -r f; do
  for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    grep -qxF "$lib" <<<"$inside" || grep -qxF "$lib" <<<"$stated" || missing="$missing $lib(${f#"$root"})"
  done
done < <(find "$root/opt/iommufx" -type f \( -name '*.so' -o -perm -u+x \))
[ -z "$missing" ] || fail "native libraries needed but neither in the package nor in deb-depends:$missing"
pass "every library the native files need is in the package or in its Depends"
fi

desktop="$root/usr/share/applications/iommufx.desktop"
[ -f "$desktop" ] || fail "no menu entry"
grep -q '^Exec=/opt/iommufx/bin/iommufx ' "$desktop" || fail "the menu entry does not start /opt/iommufx/bin/iommufx"
grep -qE '^Categories=.*(System|Development)' "$desktop" || fail "the menu entry is in no System or Development category"
[ -x "$root/opt/iommufx/bin/iommufx" ] || fail "no launcher at /opt/iommufx/bin/iommufx"
[ -f "$root/usr/share/icons/hicolor/256x256/apps/$(sed -n 's/^Icon=//p' "$desktop").png" ] || fail "the menu entry's icon is missing"
[ "$(readlink "$root/usr/bin/iommufx")" = /opt/iommufx/bin/iommufx ] || fail "/usr/bin/iommufx does not lead to the launcher"
[ -f "$root/opt/iommufx/lib/app/iommufx.jsa" ] || fail "no class-data-sharing archive for the window"
[ -f "$root/opt/iommufx/lib/app/iommufx-cli.jsa" ] || fail "no class-data-sharing archive for the headless commands"
pass "menu entry, icon, /usr/bin/iommufx and the class-data-sharing archives are in place"

# --- running it, with no JDK and no Maven ------------------------------------------------------------------------
monocle="-Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dheadless.geometry=1600x1000-32"
run() {   # OUT JVM_OPTIONS ARGS...: runs `iommufx ARGS` from the unpacked root; its output goes to $check/OUT
  local out="$1" options="$2"; shift 2
  in_opt_namespace "$root/opt/iommufx" --no-jdk env -i PATH="$root/usr/bin:/usr/bin:/bin" LANG=C.UTF-8 \
    JAVA_TOOL_OPTIONS="-Xshare:on -Duser.home=$check/home $options" bash -c '
      if command -v java || command -v mvn; then echo "a JDK or Maven is on PATH"; exit 99; fi
      [ "$(command -v iommufx)" = "$1" ] || { echo "iommufx on PATH is $(command -v iommufx)"; exit 98; }
      shift; exec iommufx "$@"' run "$root/usr/bin/iommufx" "$@" >"$check/$out" 2>&1
}
show() { sed 's/^/    /' "$check/$1" >&2; }

run version "" --version || { show version; fail "iommufx --version exited with $?"; }
grep -qx "iommufx $version" "$check/version" || { show version; fail "iommufx --version did not say iommufx $version"; }
pass "iommufx --version from /usr/bin, no JDK or Maven on the machine"

run groups "" groups /opt/iommufx/topologies/workstation.json || { show groups; fail "iommufx groups exited with $?"; }
count="$(sed -n 's/^workstation: \([0-9]*\) IOMMU groups.*/\1/p' "$check/groups")"
listed="$(grep -c '^IOMMU group [0-9]' "$check/groups" || true)"
[ -n "$count" ] && [ "$count" -gt 0 ] && [ "$count" = "$listed" ] ||
  { show groups; fail "iommufx groups: said '${count:-nothing}' groups, listed $listed"; }
pass "iommufx groups on the bundled workstation: $count groups"

run classes "-Xlog:class+load=info" groups /opt/iommufx/topologies/workstation.json || { show classes; fail "iommufx groups with class logging"; }
shared="$(grep -c 'dev\.iommufx\..* source: shared objects file' "$check/classes" || true)"
fromjar="$(grep -c 'dev\.iommufx\..* source: file:' "$check/classes" || true)"
[ "$shared" -gt 0 ] || { show classes; fail "no iommufx class came from the class-data-sharing archive"; }
pass "the archive maps: $shared iommufx classes from it, $fromjar from the jar"

run window "$monocle -Diommufx.reportStartup=true" || { show window; fail "the window exited with $?"; }
grep -q 'first interactive frame' "$check/window" || { show window; fail "the window reported no first interactive frame"; }
pass "the window starts (headless glass), draws the workstation and closes: $(grep -o 'first interactive frame [0-9]* ms' "$check/window")"

# --- the portable image is the same tree -----------------------------------------------------------------------------
mkdir "$check/tar" && tar -xzf "$tarball" -C "$check/tar"
diff -r "$root/opt/iommufx" "$check/tar/iommufx" >/dev/null || fail "the .tar.gz differs from the .deb's /opt/iommufx"
pass "the .tar.gz holds the same /opt/iommufx as the .deb"

rm -rf "$check"
echo "[package-check] all $checks package checks passed"
