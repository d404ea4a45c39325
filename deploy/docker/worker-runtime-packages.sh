#!/usr/bin/env bash
# worker-runtime-packages.sh BINARY: prints, one per line, the Debian packages that provide the
# shared libraries BINARY links (as ldd resolves them here). The sfu-server image installs exactly
# these in its final stage, so the worker finds the same libraries it was built against.
# Fails if a library is missing or no installed package owns it.
set -euo pipefail
bin=${1:?usage: worker-runtime-packages.sh BINARY}
libs=$(ldd "$bin")
if grep -q 'not found' <<<"$libs"; then
  echo "worker-runtime-packages: unresolved libraries: $(grep 'not found' <<<"$libs" | tr -s ' \t\n' ' ')" >&2
  exit 1
fi
for lib in $(awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$libs"); do
  # usrmerge: dpkg may know the file under /usr/lib or /lib, whichever its package shipped.
  owner=""
  for path in "$lib" "/usr$lib" "${lib#/usr}" "$(readlink -f "$lib")"; do
    owner=$(dpkg-query -S "$path" 2>/dev/null | head -n1 | cut -d: -f1) && [[ -n $owner ]] && break
  done
  [[ -n $owner ]] || { echo "worker-runtime-packages: no Debian package owns $lib" >&2; exit 1; }
  echo "$owner"
done | sort -u
