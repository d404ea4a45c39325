#!/usr/bin/env bash
# check-worker.sh: proves a mediasoup-worker binary with
#  1. mediasoup's own compiled Node test suite (node_modules/mediasoup/node/
#     lib/test, shipped in the npm tarball): 17 suites / 202 tests for
#     mediasoup 3.27.1 on Node 20;
#  2. test/dtls-handshake.cjs: one real ICE + DTLS + SRTP session with werift
#     as the peer (the suite never handshakes; an unpatched worker linked to
#     Debian's OpenSSL dies there with SIGSEGV, see patches/0001).
#
# Usage: deploy/worker/check-worker.sh [--verbose] [--no-netns] [--no-dtls] [jest args...]
#   MEDIASOUP_WORKER_BIN  binary to test (default: <repo>/var/bin/mediasoup-worker)
#   --verbose             stream jest's own output (default: log file only)
#   --no-netns            do not run inside a loopback-only network namespace
#   --no-dtls             skip the DTLS/SRTP session (2.)
#   jest args             passed on, e.g. -t 'createWorker' or test-Worker
# Environment: HUIJIAN_CACHE_DIR (default ~/.cache/huijian).
#
# What it sets up, all outside the repo and node_modules (left untouched):
#  - jest, pick-port and werift-sctp (the suite's devDependencies) and werift
#    installed from npm once into <cache>/check-worker/deps-*, reused;
#  - a copy of node_modules/mediasoup/{package.json,node/lib} in
#    <cache>/check-worker/run, plus test/data/dtls-{cert,key}.pem made with
#    openssl (the tests read them; the tarball does not ship that folder);
#  - jest runs the copy's test-*.js with mediasoup's runtime dependencies
#    resolved from <repo>/node_modules.
# Exit status: 0 only if every suite and test passed.
set -euo pipefail

START_NS=$(date +%s%N)
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd -P)
CACHE_ROOT=${HUIJIAN_CACHE_DIR:-$HOME/.cache/huijian}
CHECK_ROOT=$CACHE_ROOT/check-worker

# Pinned test tooling (mediasoup 3.27.1's devDependencies: jest ^30.5.1,
# pick-port ^2.2.1, werift-sctp ^0.0.11).
JEST_VERSION=30.5.2
PICK_PORT_VERSION=2.2.1
WERIFT_SCTP_VERSION=0.0.11
WERIFT_VERSION=0.25.2 # only for test/dtls-handshake.cjs

VERBOSE=0 NETNS=1 DTLS=1
JEST_ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --verbose) VERBOSE=1 ;;
    --no-netns) NETNS=0 ;;
    --no-dtls) DTLS=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) JEST_ARGS+=("$1") ;;
  esac
  shift
done

die() { echo "check-worker: ERROR: $*" >&2; exit 1; }
elapsed() {
  local ms=$(( ($(date +%s%N) - START_NS) / 1000000 ))
  printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100))
}

BIN=${MEDIASOUP_WORKER_BIN:-$REPO_ROOT/var/bin/mediasoup-worker}
[[ -e $BIN ]] || die "no worker binary at $BIN (run deploy/worker/build-worker.sh, or set MEDIASOUP_WORKER_BIN)"
BIN=$(readlink -f "$BIN")
[[ -x $BIN ]] || die "worker binary is not executable: $BIN"
command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"

MS_PKG=$REPO_ROOT/node_modules/mediasoup
[[ -d $MS_PKG/node/lib/test ]] \
  || die "no $MS_PKG/node/lib/test (run npm ci in the repo first; the suite comes from the mediasoup package)"
MS_VERSION=$(node -p 'require(process.argv[1]).version' "$MS_PKG/package.json")
LOCK_VERSION=$(node -p 'const p = require(process.argv[1]).packages || {}; (p["node_modules/mediasoup"] || {}).version' "$REPO_ROOT/package-lock.json")
[[ $MS_VERSION == "$LOCK_VERSION" ]] \
  || die "node_modules/mediasoup is $MS_VERSION but package-lock.json pins $LOCK_VERSION (run npm ci)"

if ! command -v openssl >/dev/null; then
  if ((EUID == 0)); then
    echo "check-worker: installing Debian package openssl (for the test DTLS certificate)"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl >/dev/null
  fi
  command -v openssl >/dev/null || die "tool not found: openssl (Debian package openssl)"
fi

mkdir -p "$CHECK_ROOT"
LOG=$CHECK_ROOT/last-run.log
: >"$LOG"

# --- test tooling (cached) -------------------------------------------------
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
DEPS_ID=$(printf 'jest@%s pick-port@%s werift-sctp@%s werift@%s node%s' "$JEST_VERSION" \
  "$PICK_PORT_VERSION" "$WERIFT_SCTP_VERSION" "$WERIFT_VERSION" "$NODE_MAJOR" | sha256sum | cut -c1-12)
DEPS=$CHECK_ROOT/deps-node$NODE_MAJOR-$DEPS_ID
if [[ ! -f $DEPS/.installed || ! -f $DEPS/node_modules/jest/bin/jest.js ]]; then
  echo "check-worker: installing jest@$JEST_VERSION pick-port@$PICK_PORT_VERSION werift-sctp@$WERIFT_SCTP_VERSION werift@$WERIFT_VERSION into $DEPS"
  rm -rf "$DEPS"
  mkdir -p "$DEPS"
  cat >"$DEPS/package.json" <<EOF
{
  "name": "huijian-check-worker-deps",
  "private": true,
  "description": "Test tooling for deploy/worker/check-worker.sh (generated)",
  "dependencies": {
    "jest": "$JEST_VERSION",
    "pick-port": "$PICK_PORT_VERSION",
    "werift-sctp": "$WERIFT_SCTP_VERSION",
    "werift": "$WERIFT_VERSION"
  }
}
EOF
  (cd "$DEPS" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error) >>"$LOG" 2>&1 \
    || { cp "$LOG" "$CHECK_ROOT/npm-install-failed.log"; rm -rf "$DEPS"; die "npm install of the test tooling failed (log: $CHECK_ROOT/npm-install-failed.log)"; }
  touch "$DEPS/.installed"
fi

# --- a private copy of the suite, with the DTLS files it expects -----------
RUN=$CHECK_ROOT/run
rm -rf "$RUN"
mkdir -p "$RUN/mediasoup/node"
cp "$MS_PKG/package.json" "$RUN/mediasoup/package.json"
cp -a "$MS_PKG/node/lib" "$RUN/mediasoup/node/lib"
CERT_DIR=$CHECK_ROOT/dtls
if [[ ! -s $CERT_DIR/dtls-cert.pem || ! -s $CERT_DIR/dtls-key.pem ]]; then
  mkdir -p "$CERT_DIR"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$CERT_DIR/dtls-key.pem" -out "$CERT_DIR/dtls-cert.pem" \
    -days 3650 -subj /CN=mediasoup-check-worker >>"$LOG" 2>&1 \
    || die "openssl could not create the test DTLS certificate"
fi
mkdir -p "$RUN/mediasoup/node/lib/test/data"
cp "$CERT_DIR/dtls-cert.pem" "$CERT_DIR/dtls-key.pem" "$RUN/mediasoup/node/lib/test/data/"

cat >"$RUN/jest.config.json" <<EOF
{
  "rootDir": "$RUN/mediasoup/node/lib/test",
  "testEnvironment": "node",
  "testRegex": "test-[^/]*\\\\.js\$",
  "testPathIgnorePatterns": [],
  "transform": {},
  "modulePaths": ["$DEPS/node_modules", "$REPO_ROOT/node_modules"],
  "cacheDirectory": "$CHECK_ROOT/jest-cache"
}
EOF

# --- run -------------------------------------------------------------------
RESULT=$RUN/result.json
# jest runs from $RUN and finds jest.config.json there (jest 30 mis-resolves an
# explicit --config path when the cwd is elsewhere).
cd "$RUN"
CMD=(node "$DEPS/node_modules/jest/bin/jest.js" --ci --silent --json --outputFile "$RESULT"
     "${JEST_ARGS[@]}")
export MEDIASOUP_WORKER_BIN=$BIN
# Same module resolution for anything jest spawns outside its own resolver.
export NODE_PATH=$DEPS/node_modules:$REPO_ROOT/node_modules
WHERE="host network"
WRAP=()
if ((NETNS)) && ((EUID == 0)) && command -v unshare >/dev/null && command -v ip >/dev/null \
   && unshare -n true 2>/dev/null; then
  # Loopback-only network namespace: the tests bind UDP/TCP ports; nothing
  # in them can reach or disturb the machine's other services.
  WHERE="loopback-only netns"
  WRAP=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh)
fi
echo "check-worker: mediasoup $MS_VERSION suite, node $(node -v), $WHERE, worker $BIN"
set +e
if ((VERBOSE)); then
  "${WRAP[@]}" "${CMD[@]}" 2>&1 | tee -a "$LOG"
  RC=${PIPESTATUS[0]}
else
  "${WRAP[@]}" "${CMD[@]}" >>"$LOG" 2>&1
  RC=$?
fi
set -e

[[ -s $RESULT ]] || die "jest produced no result (exit $RC); log: $LOG"
SUMMARY=$(node -e '
  const r = require(process.argv[1]);
  const failed = [];
  for (const s of r.testResults) {
    if (s.status !== "passed" && s.assertionResults.every(a => a.status !== "failed"))
      failed.push(require("path").basename(s.name) + ": " + (s.message || "suite failed").split("\n").find(l => l.trim()) );
    for (const a of s.assertionResults) if (a.status === "failed") failed.push(require("path").basename(s.name) + ": " + a.fullName);
  }
  console.log(`${r.numPassedTestSuites}/${r.numTotalTestSuites} suites, ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  for (const f of failed.slice(0, 15)) console.log("  FAILED " + f);
  process.exit(r.success && r.numFailedTestSuites === 0 ? 0 : 1);' "$RESULT") && OK=1 || OK=0
LINE=$(head -n1 <<<"$SUMMARY")

DTLS_OK=1 DTLS_LINE="DTLS/SRTP session skipped"
if ((DTLS)); then
  echo "--- test/dtls-handshake.cjs" >>"$LOG"
  DTLS_LINE=$(MEDIASOUP_PKG=$MS_PKG "${WRAP[@]}" timeout 60 node "$SCRIPT_DIR/test/dtls-handshake.cjs" 2>&1 | tee -a "$LOG" | tail -n1) \
    && DTLS_LINE="DTLS+SRTP session ok (${DTLS_LINE})" \
    || { DTLS_OK=0; DTLS_LINE="DTLS+SRTP session FAILED: $DTLS_LINE"; }
fi

if ((OK)) && ((RC == 0)) && ((DTLS_OK)); then
  echo "check-worker: $LINE; $DTLS_LINE ($(elapsed))"
  exit 0
fi
tail -n +2 <<<"$SUMMARY" >&2
echo "check-worker: FAILED: $LINE (jest exit $RC); $DTLS_LINE ($(elapsed)); log: $LOG" >&2
exit 1
