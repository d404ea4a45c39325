#!/usr/bin/env bash
# build-worker.sh: builds the mediasoup worker binary (mediasoup-worker) from
# the C++ sources in the mediasoup npm tarball pinned in package-lock.json,
# against Debian's libraries (no GitHub, no meson wrap downloads). See
# deploy/worker/README.md for the why of every piece.
#
# Usage: deploy/worker/build-worker.sh [--force] [--check] [--print-path]
#                                      [--from-registry] [--jobs N]
#   --print-path     print the cache path the current inputs map to; build
#                    nothing; exit 0 if that binary exists and is usable, else 1
#   --force          rebuild even if a cached binary exists
#   --check          afterwards run deploy/worker/check-worker.sh (mediasoup's
#                    own Node test suite) against the binary
#   --from-registry  take the sources from `npm pack` (sha512-verified against
#                    the lock) even if node_modules/mediasoup matches
#   --jobs N         ninja parallelism (default 2, or $HUIJIAN_BUILD_JOBS)
# Environment: HUIJIAN_CACHE_DIR (default ~/.cache/huijian),
#              HUIJIAN_DEBIAN_MIRROR (default: the mirror in apt's sources).
# Output: <cache>/mediasoup-worker/<version>-deb<N>-<hash12>/mediasoup-worker
#         and the symlink <repo>/var/bin/mediasoup-worker pointing to it.
set -euo pipefail

START_NS=$(date +%s%N)
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd -P)
CACHE_ROOT=${HUIJIAN_CACHE_DIR:-$HOME/.cache/huijian}
WORK_ROOT=$CACHE_ROOT/mediasoup-worker
JOBS=${HUIJIAN_BUILD_JOBS:-2}

# Pinned tools (pip; the local index has them, as does PyPI).
MESON_VERSION=1.12.1
NINJA_VERSION=1.13.2
# unordered_dense.h comes from the Debian source package rspamd of this suite.
UD_SUITE=trixie
UD_SRCPKG=rspamd
# Debian packages and what each is for (README.md has the long form).
DEB_PACKAGES=(
  gcc g++           # C and C++20 compilers
  pkg-config        # meson finds the Debian libraries through it
  python3-venv      # venv for meson >= 1.1 (Debian 12 has 1.0.1)
  patch             # applies deploy/worker/patches
  xz-utils          # unpacks the rspamd source tarball
  ca-certificates   # https for pip / npm when they go to the internet
  debian-archive-keyring # verifies the trixie source index
  libuv1-dev        # libuv subproject
  libssl-dev        # openssl subproject
  libsrtp2-dev      # libsrtp3 subproject (compat layer over libsrtp 2.x)
  flatbuffers-compiler libflatbuffers-dev # flatc + runtime headers
  libabsl-dev       # abseil-cpp subproject (deps/libwebrtc)
)

FORCE=0 CHECK=0 PRINT_PATH=0 FROM_REGISTRY=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --force) FORCE=1 ;;
    --check) CHECK=1 ;;
    --print-path) PRINT_PATH=1 ;;
    --from-registry) FROM_REGISTRY=1 ;;
    --jobs) JOBS=${2:?--jobs needs a number}; shift ;;
    --jobs=*) JOBS=${1#--jobs=} ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "build-worker: unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "build-worker: --jobs must be a positive number" >&2; exit 2; }

TOTAL=9
((CHECK)) && TOTAL=10
STEP=0
LOG=""
step() { STEP=$((STEP + 1)); echo "[$STEP/$TOTAL] $*"; }
info() { echo "      $*"; }
die() {
  echo "build-worker: ERROR: $*" >&2
  [[ -n $LOG && -f $LOG ]] && echo "build-worker: log: $LOG" >&2
  exit 1
}
elapsed() {
  local ms=$(( ($(date +%s%N) - START_NS) / 1000000 ))
  if ((ms >= 60000)); then printf '%dm%02ds' $((ms / 60000)) $((ms % 60000 / 1000))
  else printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); fi
}
on_err() {
  local rc=$? line=$1
  echo "build-worker: ERROR: unexpected failure (exit $rc) at line $line, step $STEP/$TOTAL" >&2
  [[ -n $LOG && -f $LOG ]] && echo "build-worker: log: $LOG" >&2
  exit "$rc"
}
trap 'on_err $LINENO' ERR

TMP_DIR=""
cleanup() { [[ -n $TMP_DIR ]] && rm -rf "$TMP_DIR"; return 0; }
trap cleanup EXIT

# --- inputs and cache key --------------------------------------------------

command -v node >/dev/null || die "node not found (needed to read package-lock.json and to run npm)"
LOCK=$REPO_ROOT/package-lock.json
[[ -f $LOCK ]] || die "package-lock.json not found at $LOCK"
read -r MS_VERSION MS_INTEGRITY < <(node -e '
  const p = require(process.argv[1]).packages || {};
  const m = p["node_modules/mediasoup"];
  if (!m || !m.version || !m.integrity) process.exit(3);
  console.log(m.version, m.integrity);' "$LOCK") \
  || die "no \"node_modules/mediasoup\" entry with version and integrity in $LOCK"

if [[ -r /etc/debian_version ]]; then
  DEB_MAJOR=$(cut -d. -f1 /etc/debian_version)
  # testing/sid say e.g. "trixie/sid": use that, sanitised.
  [[ $DEB_MAJOR =~ ^[0-9]+$ ]] || DEB_MAJOR=$(tr -c 'a-z0-9\n' '-' < /etc/debian_version)
else
  die "/etc/debian_version not found: this script builds on Debian 12 or 13 only"
fi

# Hash every build input in deploy/worker/ (script, patches, subprojects,
# compat layer, its test). README.md, check-worker.sh and test/*.cjs (run by
# check-worker.sh only) do not change the binary and are left out, so editing
# them does not cost a rebuild.
input_files() {
  (cd "$SCRIPT_DIR" && find . -type f ! -name '*.md' ! -name 'check-worker.sh' \
     ! -path './test/*.cjs' ! -name '*~' ! -name '.*.swp' -print | LC_ALL=C sort)
}
INPUTS_HASH=$(cd "$SCRIPT_DIR" && input_files | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-64)
KEY=$MS_VERSION-deb$DEB_MAJOR-${INPUTS_HASH:0:12}
OUT_DIR=$WORK_ROOT/$KEY
OUT_BIN=$OUT_DIR/mediasoup-worker
LINK=$REPO_ROOT/var/bin/mediasoup-worker

# A cached binary is usable if it is an executable ELF whose libraries all
# resolve and whose content still matches the sha256 recorded at install.
binary_ok() {
  local bin=$1
  [[ -f $bin && -x $bin && -f $(dirname "$bin")/BUILD-INFO ]] || return 1
  local libs
  libs=$(ldd "$bin" 2>&1) || return 1
  grep -q 'not found' <<<"$libs" && return 1
  local want have
  want=$(sed -n 's/^sha256=//p' "$(dirname "$bin")/BUILD-INFO")
  have=$(sha256sum "$bin" | cut -c1-64)
  [[ -n $want && $want == "$have" ]]
}

link_binary() {
  mkdir -p "$(dirname "$LINK")"
  ln -sfn "$OUT_BIN" "$LINK"
}

run_check() {
  step "running mediasoup's Node test suite against the binary (check-worker.sh)"
  MEDIASOUP_WORKER_BIN=$OUT_BIN "$SCRIPT_DIR/check-worker.sh" || die "check-worker.sh failed"
}

if ((PRINT_PATH)); then
  echo "$OUT_BIN"
  if binary_ok "$OUT_BIN"; then exit 0; else exit 1; fi
fi

step "inputs: mediasoup $MS_VERSION, Debian $DEB_MAJOR, deploy/worker sha256 ${INPUTS_HASH:0:12}"
if ((!FORCE)) && binary_ok "$OUT_BIN"; then
  link_binary
  echo "reusing cached worker $OUT_BIN"
  echo "      -> $LINK ($(elapsed))"
  if ((CHECK)); then STEP=$((TOTAL - 1)); run_check; fi
  exit 0
fi

mkdir -p "$WORK_ROOT/logs"
# One build at a time per cache (the scratch dir is shared).
exec 9>"$WORK_ROOT/.lock"
if ! flock -n 9; then
  info "another build holds $WORK_ROOT/.lock; waiting ..."
  flock 9
  if ((!FORCE)) && binary_ok "$OUT_BIN"; then
    link_binary
    echo "reusing cached worker $OUT_BIN (built by the other run) ($(elapsed))"
    exit 0
  fi
fi
LOG=$WORK_ROOT/logs/build-$KEY.log
: >"$LOG"
info "cache: $OUT_DIR"
info "log:   $LOG"

# --- Debian packages -------------------------------------------------------

step "checking Debian packages"
as_root() {
  if ((EUID == 0)); then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else return 1; fi
}
missing_packages() {
  local installed
  # dpkg-query exits non-zero when it does not know a package: fine here.
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null \
              | awk '$2 == "installed" { print $1 }' || true)
  local p
  for p in "$@"; do grep -qxF "$p" <<<"$installed" || echo "$p"; done
}
PKGS=("${DEB_PACKAGES[@]}")
mapfile -t MISSING < <(missing_packages "${PKGS[@]}")
if ((${#MISSING[@]})); then
  info "installing: ${MISSING[*]}"
  if ((EUID != 0)) && ! command -v sudo >/dev/null; then
    die "missing Debian packages: ${MISSING[*]} (run as root or install them)"
  fi
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update >>"$LOG" 2>&1 || die "apt-get update failed"
  as_root apt-get install -y --no-install-recommends "${MISSING[@]}" >>"$LOG" 2>&1 \
    || die "apt-get install failed for: ${MISSING[*]}"
  mapfile -t MISSING < <(missing_packages "${PKGS[@]}")
  ((${#MISSING[@]} == 0)) || die "Debian packages still missing after install: ${MISSING[*]}"
else
  info "all ${#PKGS[@]} present"
fi
for tool in g++ pkg-config flatc patch tar ldd; do
  command -v "$tool" >/dev/null || die "tool not found: $tool"
done

# --- meson + ninja ---------------------------------------------------------

step "meson $MESON_VERSION + ninja $NINJA_VERSION (python venv in the cache)"
PY=/usr/bin/python3 # Debian's python (python3-venv), not a pyenv/conda one
[[ -x $PY ]] || die "tool not found: /usr/bin/python3 (Debian package python3)"
PY_VER=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV=$CACHE_ROOT/tools/meson-$MESON_VERSION-ninja-$NINJA_VERSION-py$PY_VER
venv_ok() {
  [[ -x $VENV/bin/meson && -x $VENV/bin/ninja ]] \
    && [[ $("$VENV/bin/meson" --version 2>/dev/null) == "$MESON_VERSION" ]] \
    && "$VENV/bin/ninja" --version >/dev/null 2>&1
}
if venv_ok; then
  info "reusing $VENV"
else
  rm -rf "$VENV"
  mkdir -p "$CACHE_ROOT/tools"
  "$PY" -m venv "$VENV" >>"$LOG" 2>&1 || die "python3 -m venv failed (Debian package python3-venv missing?)"
  # --retries 1: where PyPI is unreachable pip falls back to the local
  # index quickly instead of backing off five times.
  "$VENV/bin/pip" install --retries 1 --timeout 30 --disable-pip-version-check \
    "meson==$MESON_VERSION" "ninja==$NINJA_VERSION" >>"$LOG" 2>&1 \
    || { rm -rf "$VENV"; die "pip could not install meson==$MESON_VERSION ninja==$NINJA_VERSION (no pip index reachable?)"; }
  venv_ok || die "meson/ninja venv is broken: $VENV"
  info "created $VENV"
fi
MESON=$VENV/bin/meson
NINJA=$VENV/bin/ninja

# --- unordered_dense.h -----------------------------------------------------

step "unordered_dense header (Debian source package $UD_SRCPKG, $UD_SUITE)"
UD_DIR=$CACHE_ROOT/deps/unordered_dense-$UD_SRCPKG-$UD_SUITE
UD_HEADER=$UD_DIR/include/ankerl/unordered_dense.h
debian_mirror() {
  local u=${HUIJIAN_DEBIAN_MIRROR:-}
  if [[ -z $u ]]; then
    u=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' \
        | grep -E '/debian/?$' | head -n1 || true)
  fi
  if [[ -z $u ]]; then
    u=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/\[[^]]*\]//' | awk '$1 == "deb" { print $2 }' \
        | grep -E '/debian/?$' | head -n1 || true)
  fi
  echo "${u:-http://deb.debian.org/debian}"
}
if [[ -s $UD_HEADER && -s $UD_DIR/SOURCE ]]; then
  info "reusing $UD_HEADER ($(head -n1 "$UD_DIR/SOURCE"))"
else
  # A private apt state: own source list, lists and cache directories. The
  # system's apt configuration and lists are not touched.
  APT_DIR=$CACHE_ROOT/apt-src/$UD_SUITE
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  MIRROR=$(debian_mirror)
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $UD_SUITE main" \
    >"$APT_DIR/sources.list"
  APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null
            -o "Dir::State::Lists=$APT_DIR/lists" -o "Dir::Cache=$APT_DIR/cache"
            -o APT::Sandbox::User=root -q)
  info "apt-get update of $MIRROR $UD_SUITE (deb-src, private lists)"
  apt-get "${APT_OPTS[@]}" update >>"$LOG" 2>&1 \
    || die "could not read the $UD_SUITE source index from $MIRROR (apt-get update, private lists)"
  TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/huijian-worker.XXXXXX")
  mkdir -p "$TMP_DIR/src"
  (cd "$TMP_DIR/src" && apt-get "${APT_OPTS[@]}" source --download-only "$UD_SRCPKG") >>"$LOG" 2>&1 \
    || die "could not download the Debian source package $UD_SRCPKG ($UD_SUITE)"
  ORIG=$(ls "$TMP_DIR/src/${UD_SRCPKG}"_*.orig.tar.* 2>/dev/null | head -n1 || true)
  [[ -n $ORIG ]] || die "no ${UD_SRCPKG}_*.orig.tar.* in the downloaded source package"
  mkdir -p "$TMP_DIR/x"
  tar -xf "$ORIG" -C "$TMP_DIR/x" --wildcards '*/contrib/ankerl/unordered_dense.h' '*/contrib/ankerl/LICENSE' >>"$LOG" 2>&1 \
    || die "header contrib/ankerl/unordered_dense.h not found in $(basename "$ORIG")"
  H=$(find "$TMP_DIR/x" -path '*/contrib/ankerl/unordered_dense.h' | head -n1)
  grep -q 'ANKERL_UNORDERED_DENSE_VERSION_MAJOR 4' "$H" \
    || die "header unordered_dense.h in $(basename "$ORIG") is not version 4.x"
  rm -rf "$UD_DIR.tmp" && mkdir -p "$UD_DIR.tmp/include/ankerl"
  cp "$H" "$UD_DIR.tmp/include/ankerl/unordered_dense.h"
  cp "$(dirname "$H")/LICENSE" "$UD_DIR.tmp/LICENSE" 2>/dev/null || true
  UD_V=$(awk '/define ANKERL_UNORDERED_DENSE_VERSION_(MAJOR|MINOR|PATCH) /{ printf "%s%s", sep, $3; sep="." }' "$H")
  {
    echo "unordered_dense $UD_V from $(basename "$ORIG") (Debian $UD_SUITE source package $UD_SRCPKG)"
    echo "sha256 $(sha256sum "$H" | cut -c1-64)"
  } >"$UD_DIR.tmp/SOURCE"
  rm -rf "$UD_DIR" && mv "$UD_DIR.tmp" "$UD_DIR"
  rm -rf "$TMP_DIR" "$APT_DIR/lists" "$APT_DIR/cache"; TMP_DIR=""
  info "cached $UD_HEADER ($(head -n1 "$UD_DIR/SOURCE"))"
fi

# --- sources ---------------------------------------------------------------

step "preparing the worker sources (copy, subprojects, patches)"
SCRATCH=$WORK_ROOT/.scratch # fixed path: keeps the binary reproducible
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
NM_PKG=$REPO_ROOT/node_modules/mediasoup
NM_VERSION=$(node -e 'try { console.log(require(process.argv[1]).version) } catch (e) { }' "$NM_PKG/package.json")
if ((!FROM_REGISTRY)) && [[ $NM_VERSION == "$MS_VERSION" && -f $NM_PKG/worker/meson.build ]]; then
  SRC=$NM_PKG
  info "sources: node_modules/mediasoup ($NM_VERSION)"
else
  [[ -n $NM_VERSION && $NM_VERSION != "$MS_VERSION" ]] && info "node_modules/mediasoup is $NM_VERSION, lock says $MS_VERSION"
  command -v npm >/dev/null || die "npm not found (needed to fetch mediasoup@$MS_VERSION)"
  mkdir -p "$SCRATCH/pack"
  TGZ=$(cd "$SCRATCH/pack" && npm pack --silent --ignore-scripts "mediasoup@$MS_VERSION" 2>>"$LOG" | tail -n1) \
    || die "npm pack mediasoup@$MS_VERSION failed (npm registry unreachable?)"
  [[ -f $SCRATCH/pack/$TGZ ]] || die "npm pack mediasoup@$MS_VERSION produced no tarball"
  node -e '
    const [file, want] = process.argv.slice(1);
    const [algo, b64] = [want.slice(0, want.indexOf("-")), want.slice(want.indexOf("-") + 1)];
    if (algo !== "sha512") { console.error("lock integrity is not sha512: " + algo); process.exit(2); }
    const got = require("crypto").createHash("sha512").update(require("fs").readFileSync(file)).digest("base64");
    if (got !== b64) { console.error("sha512 mismatch: got " + got); process.exit(1); }' \
    "$SCRATCH/pack/$TGZ" "$MS_INTEGRITY" 2>>"$LOG" \
    || die "tarball $TGZ does not match the integrity in package-lock.json"
  tar -xzf "$SCRATCH/pack/$TGZ" -C "$SCRATCH/pack"
  SRC=$SCRATCH/pack/package
  info "sources: npm pack mediasoup@$MS_VERSION (sha512 matches the lock)"
fi
cp -a "$SRC/worker" "$SCRATCH/worker"
chmod -R u+w "$SCRATCH/worker"
[[ -d $SCRATCH/pack ]] && rm -rf "$SCRATCH/pack"

# Replacement subprojects go where meson would unpack the wrap
# (`directory =` in worker/subprojects/<name>.wrap).
for dir in "$SCRIPT_DIR"/subprojects/*/; do
  name=$(basename "$dir")
  wrap=$SCRATCH/worker/subprojects/$name.wrap
  [[ -f $wrap ]] || die "mediasoup $MS_VERSION has no subprojects/$name.wrap; update deploy/worker/subprojects"
  target=$(sed -n 's/^[[:space:]]*directory[[:space:]]*=[[:space:]]*//p' "$wrap" | tr -d '[:space:]')
  target=${target:-$name}
  rm -rf "$SCRATCH/worker/subprojects/$target"
  cp -a "$dir" "$SCRATCH/worker/subprojects/$target"
  info "subproject $name -> subprojects/$target"
  if [[ $name == unordered-dense ]]; then
    mkdir -p "$SCRATCH/worker/subprojects/$target/include/ankerl"
    cp "$UD_HEADER" "$SCRATCH/worker/subprojects/$target/include/ankerl/"
  fi
done
for p in "$SCRIPT_DIR"/patches/*.patch; do
  [[ -e $p ]] || continue
  if ! patch -p1 -d "$SCRATCH" --forward --batch --dry-run -i "$p" >>"$LOG" 2>&1; then
    die "patch $(basename "$p") does not apply to mediasoup $MS_VERSION"
  fi
  patch -p1 -d "$SCRATCH" --forward --batch --silent -i "$p" >>"$LOG" 2>&1
  info "patch $(basename "$p")"
done

# --- configure -------------------------------------------------------------

step "configuring meson (release, --wrap-mode=nodownload)"
export PATH=$VENV/bin:$PATH
BUILD=$SCRATCH/build
explain_failure() {
  # One line naming what is missing, from the log's first recognisable error.
  local re what
  for re in "Dependency \"[^\"]+\" not found" "Program '[^']+' not found" \
            "fatal error: [^ ]+: No such file or directory" "undefined reference to [^ ]+" \
            " error: .{0,160}" "ERROR: .{0,160}"; do
    what=$(grep -m1 -oE "$re" "$LOG" || true)
    [[ -n $what ]] && break
  done
  case $what in
    "Dependency "*) echo "missing library: $what (install its Debian -dev package)" ;;
    "Program "*) echo "missing tool: $what" ;;
    "fatal error: "*) echo "missing header: ${what#fatal error: }" ;;
    " error: "*) echo "compiler${what}" ;;
    *) echo "$what" ;;
  esac
}
if ! "$MESON" setup "$BUILD" "$SCRATCH/worker" --wrap-mode=nodownload \
     --buildtype=release -Db_ndebug=true >>"$LOG" 2>&1; then
  die "meson setup failed: $(explain_failure)"
fi

# ninja with a readable progress: its "[N/M]" lines go to the log and about
# every 10% a line to the console; compiler errors are shown as they come.
ninja_progress() {
  local label=$1 line n m pct next=0 rc
  shift
  set +e
  "$NINJA" -C "$BUILD" -j "$JOBS" "$@" 2>&1 | tee -a "$LOG" | while IFS= read -r line; do
    if [[ $line =~ ^\[([0-9]+)/([0-9]+)\] ]]; then
      n=${BASH_REMATCH[1]} m=${BASH_REMATCH[2]}
      pct=$((m ? n * 100 / m : 100))
      if ((pct >= next || n == m)); then
        printf '      %s %3d%% (%d/%d)\n' "$label" "$pct" "$n" "$m"
        next=$(((pct / 10 + 1) * 10))
      fi
    elif [[ $line == *" error: "* || $line == FAILED:* ]]; then
      echo "      $line"
    fi
  done
  rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}

# --- SRTP compat layer -----------------------------------------------------

step "building and testing the libsrtp 3 compatibility layer"
SRTP_DIR=$(sed -n 's/^[[:space:]]*directory[[:space:]]*=[[:space:]]*//p' "$SCRATCH/worker/subprojects/libsrtp3.wrap" | tr -d '[:space:]')
SRTP_LIB=subprojects/$SRTP_DIR/libsrtp3compat.a
"$NINJA" -C "$BUILD" "$SRTP_LIB" >>"$LOG" 2>&1 || die "building the libsrtp3 compat layer failed: $(explain_failure)"
# The test links the very archive that goes into the worker.
read -ra SRTP2_FLAGS < <(pkg-config --cflags --libs libsrtp2)
cc -std=gnu11 -O2 -Wall -Wextra -Werror -I"$SCRATCH/worker/subprojects/$SRTP_DIR" \
   "$SCRIPT_DIR/test/srtp-compat-test.c" "$BUILD/$SRTP_LIB" "${SRTP2_FLAGS[@]}" \
   -o "$BUILD/srtp-compat-test" >>"$LOG" 2>&1 || die "compiling test/srtp-compat-test.c failed: $(explain_failure)"
if "$BUILD/srtp-compat-test" >"$BUILD/srtp-compat-test.out" 2>&1; then
  cat "$BUILD/srtp-compat-test.out" >>"$LOG"
  info "$(tail -n1 "$BUILD/srtp-compat-test.out")"
else
  cat "$BUILD/srtp-compat-test.out" >>"$LOG"
  grep -E '^FAIL' "$BUILD/srtp-compat-test.out" | head -n5 | sed 's/^/      /' >&2 || true
  die "the libsrtp 3 compatibility layer test failed: $(tail -n1 "$BUILD/srtp-compat-test.out")"
fi

# --- build -----------------------------------------------------------------

step "building mediasoup-worker (ninja -j$JOBS)"
# FlatBuffers headers first: deps/libwebrtc includes them without depending
# on the generator target (a race in mediasoup's meson files).
FBS_TARGET=$("$NINJA" -C "$BUILD" -t targets all 2>/dev/null | sed -n 's/^\(fbs\/FBS\/[^:]*flatbuffers-generator[^:]*\): phony$/\1/p' | head -n1)
[[ -n $FBS_TARGET ]] || FBS_TARGET=fbs/FBS/worker.h # one output of the generator
echo "flatbuffers generator target: $FBS_TARGET" >>"$LOG"
ninja_progress "flatbuffers headers" "$FBS_TARGET" || die "generating the FlatBuffers headers failed: $(explain_failure)"
ninja_progress "mediasoup-worker" mediasoup-worker || die "compiling mediasoup-worker failed: $(explain_failure)"
[[ -x $BUILD/mediasoup-worker ]] || die "ninja finished but $BUILD/mediasoup-worker is missing"

# --- install ---------------------------------------------------------------

step "installing into the cache and linking var/bin/mediasoup-worker"
if ldd "$BUILD/mediasoup-worker" | grep -q 'not found'; then
  die "the new binary has unresolved libraries: $(ldd "$BUILD/mediasoup-worker" | grep 'not found' | tr -s ' \t\n' ' ')"
fi
rm -rf "$OUT_DIR.tmp"
mkdir -p "$OUT_DIR.tmp"
cp "$BUILD/mediasoup-worker" "$OUT_DIR.tmp/mediasoup-worker"
chmod 755 "$OUT_DIR.tmp/mediasoup-worker"
cp "$LOG" "$OUT_DIR.tmp/build.log"
{
  echo "mediasoup=$MS_VERSION"
  echo "integrity=$MS_INTEGRITY"
  echo "debian=$(cat /etc/debian_version)"
  echo "inputs_sha256=$INPUTS_HASH"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "build_time=$(elapsed)"
  echo "size=$(stat -c %s "$OUT_DIR.tmp/mediasoup-worker")"
  echo "sha256=$(sha256sum "$OUT_DIR.tmp/mediasoup-worker" | cut -c1-64)"
  echo "unordered_dense=$(head -n1 "$UD_DIR/SOURCE")"
  for pkg in libuv1-dev libssl-dev libsrtp2-dev libflatbuffers-dev libabsl-dev g++; do
    echo "deb_$pkg=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null)"
  done
  echo "inputs:"
  input_files | sed 's/^/  /'
} >"$OUT_DIR.tmp/BUILD-INFO"
rm -rf "$OUT_DIR"
mv "$OUT_DIR.tmp" "$OUT_DIR"
rm -rf "$SCRATCH"
link_binary
SIZE=$(stat -c %s "$OUT_BIN")
echo "built $OUT_BIN ($((SIZE / 1024)) KiB) in $(elapsed)"
echo "      -> $LINK"

if ((CHECK)); then run_check; fi
