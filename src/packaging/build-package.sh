#!/usr/bin/env bash
# Builds the Debian package and the portable app image (.tar.gz) of iommufx into target/package/.
# Run by Maven (`mvn -B -Ppackage package`, and as part of `mvn -B verify`), after the build has put the
# application jar in target/ and its runtime dependencies in target/package/input/.
#
#   1. jpackage makes the app image: a runtime trimmed by jlink to the JDK modules the application uses (found
#      with jdeps) and the application with every runtime dependency on the class path, JavaFX's natives beside
#      its jars (where JavaFX looks first, so nothing is unpacked into the user's home at first start).
#   2. jpackage makes a .deb of that image; its tree gets the launcher script (bin/iommufx, which reads the
#      jpackage launcher's cfg), the `iommufx` command (/usr/bin), the menu entry and the icon, and the
#      package's dependencies are set to the Debian 12 libraries listed in deb-depends.
#   3. A class-data-sharing archive is made from training runs of the window (headless) and of the commands,
#      with the tree seen at /opt/iommufx, where the package installs it: the JVM maps an archive only when the
#      class path's jars are the ones it was made from, at the same paths, with the same sizes and times.
#   4. The tree is packed again as the .deb, and as the .tar.gz (to be unpacked in /opt).
#
# usage: build-package.sh PROJECT_DIR VERSION
set -euo pipefail

project="$(cd "$1" && pwd)"
version="$2"
here="$project/src/packaging"
work="$project/target/package"
input="$work/input"
main_jar="iommufx-$version.jar"
deb="iommufx_${version}_amd64.deb"
tarball="iommufx-$version-linux-x64.tar.gz"

source "$here/opt-namespace.sh"

started=$(date +%s)
say() { echo "[package] +$(( $(date +%s) - started ))s $*"; }
die() { echo "[package] ERROR: $*" >&2; exit 1; }

[ -f "$project/target/$main_jar" ] || die "target/$main_jar is missing (run the package phase first)"
[ -d "$input" ] || die "target/package/input is missing (Maven copies the runtime dependencies there)"
for tool in jpackage jdeps jar dpkg-deb; do
  command -v "$tool" >/dev/null || die "$tool is missing (it comes with openjdk-17-jdk, or dpkg)"
done
ensure_fakeroot() {   # jpackage builds its .deb under fakeroot
  command -v fakeroot >/dev/null && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
    die "jpackage needs fakeroot to build the .deb: sudo apt-get install -y fakeroot"
  say "installing fakeroot, which jpackage needs for the .deb"
  apt-get install -y -q fakeroot >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q fakeroot >/dev/null; } ||
    die "could not install fakeroot: sudo apt-get install -y fakeroot"
}
ensure_fakeroot
can_enter_opt_namespace ||
  die "this machine cannot make a private mount namespace (unshare --user --mount), needed to make the class-data-sharing archive for /opt/iommufx"

rm -rf "$work/image" "$work/jpackage-deb" "$work/root" "$work/training" "$work/$deb" "$work/$tarball"
mkdir -p "$work/training"

# --- 1. the app image -------------------------------------------------------------------------------------
cp "$project/target/$main_jar" "$input/"
# Maven resolves each JavaFX module as an empty jar plus the platform jar that holds its classes and natives.
find "$input" -name 'javafx-*.jar' ! -name '*-linux.jar' -delete
for fx in "$input"/javafx-*-linux.jar; do
  natives=$(jar tf "$fx" | grep -E '^[^/]+\.so$' || true)
  [ -z "$natives" ] || (cd "$input" && jar xf "$fx" $natives)
done
# jdeps sees the modules the classes name; the zip file system is found as a service (bundled files are read
# from inside the jar as a file system), so it is added by hand.
modules="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 --recursive \
  --class-path "$input/*" "$input/$main_jar"),jdk.zipfs"
say "runtime modules: $modules"
# jpackage's default jlink options, less --strip-native-commands: the launcher script runs the runtime's bin/java.
jpackage --type app-image --dest "$work/image" --input "$input" \
  --name iommufx --app-version "$version" --vendor "iommufx developers" \
  --description "Visualiser and simulator of Linux IOMMU groups, DMA domains and DMA ownership" \
  --main-jar "$main_jar" --main-class dev.iommufx.Main \
  --add-modules "$modules" --jlink-options "--strip-debug --no-man-pages --no-header-files" \
  --icon "$here/iommufx.png" \
  --java-options '-XX:SharedArchiveFile=$APPDIR/iommufx.jsa' \
  --java-options '-XX:MinHeapFreeRatio=10' --java-options '-XX:MaxHeapFreeRatio=30' \
  --java-options '-XX:TieredStopAtLevel=1'
say "app image: $(du -sh "$work/image/iommufx" | cut -f1)"

# --- 2. the .deb and its tree -----------------------------------------------------------------------------
depends="$(grep -v '^#' "$here/deb-depends" | awk 'NF { print $1 }' | paste -sd, - | sed 's/,/, /g')"
jpackage --type deb --app-image "$work/image/iommufx" --dest "$work/jpackage-deb" \
  --name iommufx --app-version "$version" --vendor "iommufx developers" \
  --description "Visualiser and simulator of Linux IOMMU groups, DMA domains and DMA ownership" \
  --linux-package-name iommufx --linux-deb-maintainer dev@iommufx.invalid \
  --linux-app-category utils --linux-package-deps "$depends"
say "jpackage's .deb: $(du -h "$work"/jpackage-deb/*.deb | cut -f1)"
root="$work/root"
dpkg-deb -R "$work/jpackage-deb/iommufx_${version}-1_amd64.deb" "$root"
cp -r "$project/topologies" "$root/opt/iommufx/topologies"   # the bundled machines and scenarios, to open or replay
install -D -m 644 "$here/iommufx.desktop" "$root/usr/share/applications/iommufx.desktop"
install -D -m 644 "$here/iommufx.png" "$root/usr/share/icons/hicolor/256x256/apps/iommufx.png"
mkdir -p "$root/usr/bin" && ln -s /opt/iommufx/bin/iommufx "$root/usr/bin/iommufx"
# The launcher: a script that starts the runtime's java as jpackage's cfg says, in place of jpackage's native
# launcher, which queries the package manager at every start (see iommufx-launcher.sh).
install -m 755 "$here/iommufx-launcher.sh" "$root/opt/iommufx/bin/iommufx"
rm "$root/opt/iommufx/lib/libapplauncher.so" "$root/opt/iommufx/lib/iommufx.png"   # the native launcher's
# Only the stated libraries: jpackage adds whatever the build machine's ldd happened to resolve.
sed -i "s/^Depends: .*/Depends: $depends/" "$root/DEBIAN/control"

# One time for every file, before the archive records the jars' times (and reproducible with SOURCE_DATE_EPOCH).
epoch="${SOURCE_DATE_EPOCH:-$(date +%s)}"
find "$root" -exec touch -h -d "@$epoch" {} +

# --- 3. the class-data-sharing archive ---------------------------------------------------------------------
training="$work/training"
monocle="-Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dheadless.geometry=1600x1000-32"
train() {   # NAME JVM_OPTIONS ARGS...: a run of the packaged launcher that lists the classes it loaded in NAME.classlist
  local name="$1" options="$2"; shift 2
  in_opt_namespace "$root/opt/iommufx" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
    JAVA_TOOL_OPTIONS="-Xshare:off -XX:DumpLoadedClassList=$training/$name.classlist -Duser.home=$training $options" \
    /opt/iommufx/bin/iommufx "$@" >"$training/$name.out" 2>&1 ||
    { cat "$training/$name.out" >&2; die "training run '$name' failed"; }
}
train window "$monocle -Diommufx.reportStartup=true" gui   # the window exits after its first interactive frame
train groups "" groups /opt/iommufx/topologies/workstation.json
train replay "" replay /opt/iommufx/topologies/scenarios/workstation-gpu-passthrough.json
grep -q "first interactive frame" "$training/window.out" ||
  { cat "$training/window.out" >&2; die "the training window did not reach its first interactive frame"; }
# Two archives: the window's and the headless commands'. The JVM relocates its archive at every start (at a random
# address), in time that grows with the archive, so each start maps only the classes its kind of run loads.
# The training window ran on the headless glass; a desktop uses GTK and OpenGL, so their classes are added to the
# window's. A run that exits at once (the window, after its first frame) may leave its list's last line unfinished,
# with no newline after it: that line is dropped.
classes() {   # NAME...: the classes the named training runs loaded, each once
  for name in "$@"; do
    list="$training/$name.classlist"
    if [ -n "$(tail -c 1 "$list")" ]; then sed '$d' "$list"; else cat "$list"; fi
  done
}
{
  classes window
  jar tf "$root"/opt/iommufx/lib/app/javafx-graphics-*-linux.jar |
    sed -n -E 's#^(com/sun/(glass/ui/gtk|prism/es2)/.*)\.class$#\1#p'
} | sed -E 's/ id: [0-9]+$//' | grep -v '^#' | awk '!seen[$0]++' >"$training/iommufx.classlist"
classes groups replay | sed -E 's/ id: [0-9]+$//' | grep -v '^#' | awk '!seen[$0]++' >"$training/iommufx-cli.classlist"
dump() {   # CLASSLIST ARGS...: the archive the launcher maps for a run with these arguments, made from CLASSLIST
  local list="$1"; shift
  in_opt_namespace "$root/opt/iommufx" env -i PATH=/usr/bin:/bin \
    JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$list -Xlog:cds=error" \
    /opt/iommufx/bin/iommufx "$@" >"$training/dump.out" 2>&1 || { cat "$training/dump.out" >&2; die "the archive dump failed"; }
}
dump "$training/iommufx.classlist"             # the window's: iommufx.jsa
dump "$training/iommufx-cli.classlist" help    # the headless commands': iommufx-cli.jsa
touch -d "@$epoch" "$root/opt/iommufx/lib/app/iommufx.jsa" "$root/opt/iommufx/lib/app/iommufx-cli.jsa"
say "class-data-sharing archives: the window's $(wc -l <"$training/iommufx.classlist") classes," \
  "$(du -h "$root/opt/iommufx/lib/app/iommufx.jsa" | cut -f1); the headless commands'" \
  "$(wc -l <"$training/iommufx-cli.classlist") classes, $(du -h "$root/opt/iommufx/lib/app/iommufx-cli.jsa" | cut -f1)"

# --- 4. the packages ---------------------------------------------------------------------------------------
sed -i "s/^Installed-Size: .*/Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)/" "$root/DEBIAN/control"
SOURCE_DATE_EPOCH="$epoch" dpkg-deb --root-owner-group -Zgzip -b "$root" "$work/$deb" >/dev/null
tar --owner=0 --group=0 --numeric-owner -C "$root/opt" -czf "$work/$tarball" iommufx
rm -rf "$input"   # copied afresh by the next build, so that a dependency dropped from the pom is dropped here
say "built target/package/$deb ($(du -h "$work/$deb" | cut -f1)) and target/package/$tarball ($(du -h "$work/$tarball" | cut -f1))"
