# Sourced by the packaging scripts. The package installs into /opt/iommufx, and a class-data-sharing archive
# only maps for the jar paths it was made with; so the archive is made, and the package checked, with the
# package's tree seen at /opt/iommufx in a private mount namespace (nothing outside that command sees it, and
# no privilege is needed: the namespace belongs to a new user namespace).

# true if this machine lets us make such a namespace
can_enter_opt_namespace() {
  unshare --user --map-root-user --mount -- true 2>/dev/null
}

# in_opt_namespace TREE [--no-jdk] COMMAND...: runs COMMAND with TREE at /opt/iommufx; with --no-jdk, also with
# the machine's JDKs and Maven hidden (empty directories over /usr/lib/jvm and /usr/share/maven).
in_opt_namespace() {
  local tree="$1"; shift
  local hide=""
  if [ "${1:-}" = --no-jdk ]; then hide=1; shift; fi
  unshare --user --map-root-user --mount -- bash -c '
    set -e
    tree="$1" hide="$2"; shift 2
    mount -t tmpfs -o mode=755 tmpfs /opt
    mkdir /opt/iommufx
    mount --bind "$tree" /opt/iommufx
    if [ -n "$hide" ]; then
      for d in /usr/lib/jvm /usr/share/maven /usr/share/maven-repo; do
        if [ -d "$d" ]; then mount -t tmpfs -o mode=755 tmpfs "$d"; fi
      done
    fi
    exec "$@"' in-opt-namespace "$tree" "$hide" "$@"
}
