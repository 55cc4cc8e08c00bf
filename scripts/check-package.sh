#!/usr/bin/env bash
# Packs the library as npm would publish it and checks the tarball with publint and @arethetypeswrong/cli.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
rm -f .tmp/workos-events-*.tgz
tarball=".tmp/$(npm pack --silent --pack-destination .tmp | tail -n 1)"
echo "packed $tarball ($(du -h "$tarball" | cut -f1))"
npx publint run "$tarball" --strict
# The edge conditions ship ESM only on purpose (edge runtimes have no require); attw checks the node resolutions.
npx attw "$tarball" --profile node16
