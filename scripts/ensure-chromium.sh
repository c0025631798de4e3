#!/usr/bin/env sh
# The browser tests drive Debian's Chromium through playwright-core (no browser download).
# Installs it when missing and this user may; otherwise says how.
set -eu
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the browser tests (apt-get install chromium)…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium: run 'sudo apt-get install chromium' (Debian/Ubuntu) and try again." >&2
exit 1
