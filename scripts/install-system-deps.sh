#!/bin/sh
# Debian packages the rendering matrix (extract.bench.renderings, tests/test_renderings.py)
# needs: pdftotext (poppler-utils) and the DejaVu fonts the PDFs are set in.
# Idempotent: installs with apt-get only what is missing; run as root.
set -eu
need=""
command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] \
    || need="$need fonts-dejavu-core"
if [ -z "$need" ]; then
    echo "system dependencies present: poppler-utils, fonts-dejavu-core"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "missing:$need (run this script as root, or: sudo apt-get install -y$need)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends $need
