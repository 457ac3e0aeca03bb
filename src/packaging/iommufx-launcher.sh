#!/bin/bash
# iommufx: the window (no arguments, or gui [FILE]) or a headless command (iommufx help), run on the Java runtime
# the package ships, with what jpackage wrote into lib/app/iommufx.cfg: the class path, the main class and the
# Java options (among them the class-data-sharing archive).
#
# It stands in for jpackage's native launcher, which before every start asks the package manager where it was
# installed (rpm -qf, dpkg -S, dpkg -L, and all of that twice): on Debian, dpkg -S reads the whole package
# database, which alone takes longer than the window takes to open (docs/benchmarks.md).
self="$(readlink -f "${BASH_SOURCE[0]}")"
root="${self%/bin/*}"
app="$root/lib/app"
classpath="" main="" options=()
while IFS= read -r line; do
  line="${line//\$APPDIR/$app}"
  line="${line//\$ROOTDIR/$root}"
  line="${line//\$BINDIR/$root/bin}"
  case "$line" in
    app.classpath=*) classpath="${classpath:+$classpath:}${line#app.classpath=}" ;;
    app.mainclass=*) main="${line#app.mainclass=}" ;;
    java-options=*) options+=("${line#java-options=}") ;;
  esac
done <"$app/iommufx.cfg"
# The headless commands map an archive of their own classes (made beside the window's when the package is built):
# the JVM relocates its archive at every start, in time that grows with the archive (docs/benchmarks.md).
if [ $# -gt 0 ] && [ "$1" != gui ]; then
  for i in "${!options[@]}"; do
    case "${options[$i]}" in
      -XX:SharedArchiveFile=*/iommufx.jsa) options[$i]="${options[$i]%iommufx.jsa}iommufx-cli.jsa" ;;
    esac
  done
fi
exec "$root/lib/runtime/bin/java" -classpath "$classpath" "${options[@]}" -Djpackage.app-path="$self" "$main" "$@"
