#!/bin/sh
# Installs the Debian tools some tests run, when they are missing (the build runs this before the tests):
#   virt-xml-validate (libvirt-clients) and xmllint (libxml2-utils): the libvirt XML iommufx writes is validated
#   against libvirt's own domain schema.
set -eu
need=
command -v virt-xml-validate >/dev/null 2>&1 || need="$need libvirt-clients"
command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "iommufx tests: installing$need" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $need >/dev/null; }
    exit 0
fi
echo "iommufx tests need:$need; install them with: sudo apt-get install -y$need" >&2
exit 1
