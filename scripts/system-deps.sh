#!/usr/bin/env bash
# Debian packages the test suite needs beyond Python: PostgreSQL binaries (the tests start
# their own throwaway cluster), Chromium (browser tests), PSPP (a second .sav writer), poppler-utils
# (pdftoppm, to look at the PDFs as pictures).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pspp >/dev/null 2>&1 || need+=(pspp)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)  # pdftoppm: look at printed publications as pictures
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
