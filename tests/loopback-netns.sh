#!/usr/bin/env bash
# Runs a command in a new network namespace that has only a loopback interface, so servers and
# browsers started by the tests can reach 127.0.0.1 and nothing else. Needs root (as in CI);
# elsewhere it says so and runs the command on the host network.
set -euo pipefail
if [[ $(id -u) -eq 0 ]] && unshare -n true 2>/dev/null; then
  exec unshare -n -- bash -c 'ip link set lo up && exec "$@"' bash "$@"
fi
echo "note: no network namespace available; running on the host network (servers still bind 127.0.0.1)" >&2
exec "$@"
