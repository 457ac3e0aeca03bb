#!/usr/bin/env bash
# Start-up of the installed iommufx beside a bare JavaFX window, side by side in one run (docs/benchmarks.md):
# the time from exec to the first interactive frame (iommufx: the workstation drawn and the window taking input),
# both on the package's runtime, each with its own class-data-sharing archive. Every iommufx run gets a new,
# empty home directory, so each is the first start for its user.
#
#   sudo apt install ./target/package/iommufx_*.deb && mvn -B -q test-compile
#   xvfb-run -a -s "-screen 0 1600x1000x24" src/packaging/startup-bench.sh [RUNS] [--cold]
#
# --cold also empties the page cache before each pair of runs (needs root), as at the first start after a boot.
set -euo pipefail

runs="${1:-10}"
cold="${2:-}"
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app=/opt/iommufx
java="$app/lib/runtime/bin/java"
command -v jar >/dev/null || { echo "needs a JDK's jar tool" >&2; exit 2; }
[ -x "$java" ] || { echo "install the package first: sudo apt install ./target/package/iommufx_*.deb" >&2; exit 2; }
[ -f "$project/target/test-classes/dev/iommufx/bench/BareWindow.class" ] || { echo "run mvn -B -q test-compile first" >&2; exit 2; }
[ -n "${DISPLAY:-}" ] || { echo "needs a display (xvfb-run -a -s \"-screen 0 1600x1000x24\" $0)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# a jar of its own: class-data sharing takes classes from jars only, not from directories
jar cf "$work/bare.jar" -C "$project/target/test-classes" dev/iommufx/bench/BareWindow.class \
  -C "$project/target/test-classes" 'dev/iommufx/bench/BareWindow$App.class' -C "$project/target/test-classes" 'dev/iommufx/bench/BareWindow$App$1.class'
bare_cp="$(ls "$app"/lib/app/javafx-*-linux.jar | paste -sd: -):$work/bare.jar"
bare=(-cp "$bare_cp" dev.iommufx.bench.BareWindow)

# The bare window's archive is made as the package's is: a training run lists its classes, -Xshare:dump maps them.
"$java" -Xshare:off -XX:DumpLoadedClassList="$work/bare.classlist" -Duser.home="$work" "${bare[@]}" >/dev/null 2>&1
"$java" -Xshare:dump -XX:SharedClassListFile="$work/bare.classlist" -XX:SharedArchiveFile="$work/bare.jsa" \
  -cp "$bare_cp" >/dev/null 2>&1

since_exec() {   # COMMAND...: ms from now (just before exec) to the first interactive frame it reports
  local t0 at
  t0="$(date +%s%3N)"
  at="$("$@" 2>/dev/null | sed -n 's/.*first interactive frame .*(at \([0-9]*\)).*/\1/p')"
  [ -n "$at" ] || { echo "no frame from: $*" >&2; exit 1; }
  echo $((at - t0))
}
installed() { JAVA_TOOL_OPTIONS="-Diommufx.reportStartup=true -Duser.home=$work/home-$1" since_exec iommufx; }
# the bare window runs with the package's own Java options (the compiler, the heap), all but its archive
same=()
while IFS= read -r line; do
  case "$line" in java-options=*SharedArchiveFile*) ;; java-options=*) same+=("${line#java-options=}") ;; esac
done <"$app/lib/app/iommufx.cfg"
bare_window() { JAVA_TOOL_OPTIONS="-Duser.home=$work/home-bare" since_exec "$java" ${same[@]+"${same[@]}"} -XX:SharedArchiveFile="$work/bare.jsa" "${bare[@]}"; }
drop_caches() { [ "$cold" = --cold ] && sync && echo 3 >/proc/sys/vm/drop_caches; true; }

installed warm-up >/dev/null; bare_window >/dev/null
app_ms=(); bare_ms=()
for i in $(seq 1 "$runs"); do
  if [ $((i % 2)) = 1 ]; then   # alternate which goes first
    drop_caches; a="$(installed "$i")"; drop_caches; b="$(bare_window)"
  else
    drop_caches; b="$(bare_window)"; drop_caches; a="$(installed "$i")"
  fi
  app_ms+=("$a"); bare_ms+=("$b")
  echo "run $i: iommufx $a ms, bare window $b ms"
done

stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d %d %d", v[1], m, v[NR] }'; }
read -r amin amed amax <<<"$(stats "${app_ms[@]}")"
read -r bmin bmed bmax <<<"$(stats "${bare_ms[@]}")"
echo "iommufx (installed):  min $amin  median $amed  max $amax ms"
echo "bare JavaFX window:   min $bmin  median $bmed  max $bmax ms"
awk -v a="$amed" -v b="$bmed" -v x="$amax" -v y="$bmax" \
  'BEGIN { printf "ratio of medians %.2f, of maxima %.2f (target: within 1.2)\n", a / b, x / y }'
