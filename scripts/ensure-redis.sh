#!/usr/bin/env sh
# The Redis tests need a Redis: REDIS_URL, one answering on 127.0.0.1:6379, or Debian's
# redis-server, which the test run starts on a free port of its own (test/support/redis-global-setup.ts).
# Installs redis-server when none of those is there and this user may; otherwise says how.
set -eu
if [ -n "${REDIS_URL:-}" ]; then exit 0; fi
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
# Node rather than redis-cli, which may be missing too: PING 127.0.0.1:6379, exit 0 on PONG.
if node -e '
  const s = require("node:net").connect(6379, "127.0.0.1", () => s.write("PING\r\n"));
  s.setTimeout(1000, () => process.exit(1));
  s.on("error", () => process.exit(1));
  s.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1));
'; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Redis for the Redis tests (apt-get install redis-server)…" >&2
  # The package would start Redis as a system service that outlives the test run: a policy-rc.d
  # answering 101 ("not allowed") keeps invoke-rc.d and deb-systemd-invoke from starting it.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  exit 0
fi
echo "The Redis tests need redis-server: run 'sudo apt-get install redis-server' (Debian/Ubuntu), or set REDIS_URL, and try again." >&2
exit 1
