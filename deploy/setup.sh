#!/usr/bin/env bash
# Installs whatever this machine is missing to run (and, with --with-browser, to test) the
# platform: Debian packages, npm dependencies, the mediasoup worker and the client bundles.
# Idempotent: a warm machine passes through in a few seconds.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
with_browser=0
[[ "${1:-}" == "--with-browser" ]] && with_browser=1
started=$(date +%s)
step() { printf '\n\033[1m[%s/4] %s\033[0m\n' "$1" "$2"; }
fail() { printf '\n\033[31msetup failed: %s\033[0m\n' "$1" >&2; exit 1; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root (or sudo) to install Debian packages: $*"; fi
}

step 1 "Debian packages"
[[ -r /etc/debian_version ]] || fail "this script installs Debian packages; on another system install redis-server and chromium by hand"
packages=(redis-server iproute2 util-linux openssl)
# coturn: the TURN tests run Debian's turnserver with deploy/turn/ (never as a system service).
(( with_browser )) && packages+=(chromium fonts-noto-cjk coturn)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "installing: ${missing[*]}"
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq || fail "apt-get update failed: is Debian's archive reachable?"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
  if [[ " ${missing[*]} " == *" coturn "* ]] && [[ -d /run/systemd/system ]]; then
    as_root systemctl disable --now coturn >/dev/null 2>&1 || true
  fi
else
  echo "all present: ${packages[*]}"
fi

step 2 "npm dependencies"
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
stamp=node_modules/.huijian-lock
if [[ -f $stamp && $(cat $stamp) == "$lock_hash" ]]; then
  echo "node_modules matches package-lock.json"
else
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed: is the npm registry reachable?"
  echo "$lock_hash" > $stamp
fi

step 3 "mediasoup worker"
bash deploy/worker/build-worker.sh || fail "the mediasoup worker did not build (see the message above)"

step 4 "client bundles"
bash deploy/build-clients.sh || fail "the client bundles did not build"

printf '\nsetup done in %ss\n' "$(( $(date +%s) - started ))"
