#!/usr/bin/env bash
# Builds clients/dist with Vite unless it is current: the hash covers the clients, the protocol
# and control contract they import, and the lock file. Called by setup.sh and before e2e runs,
# so a browser test never serves bundles older than the code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
clients_hash=$( (find clients signaling/src/protocol sfu-server/src/control -type f \
  -not -path 'clients/dist/*' -not -path '*/node_modules/*' -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json) \
  | sha256sum | cut -c1-16)
if [[ -f clients/dist/.build-hash && $(cat clients/dist/.build-hash) == "$clients_hash" ]]; then
  echo "clients/dist is up to date"
else
  npx vite build -c clients/vite.config.ts --logLevel warn
  echo "$clients_hash" > clients/dist/.build-hash
  echo "built clients/dist"
fi
