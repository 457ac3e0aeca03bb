#!/usr/bin/env bash
# Renders iommufx.svg to the 256 px iommufx.png that the package installs (run after editing the SVG;
# the PNG is committed so that building the package needs no SVG renderer).
#   needs: sudo apt-get install -y librsvg2-bin
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
rsvg-convert --width 256 --height 256 --output iommufx.png iommufx.svg
echo "wrote $(pwd)/iommufx.png"
