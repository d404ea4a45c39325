#!/bin/sh
# start-turn.sh: starts coturn with deploy/turn/turnserver.conf plus the settings of this
# installation, read from the environment and written into a private copy of the file (mode 600),
# so that the secrets never show on a command line (`ps`) or in the image.
#
#   TURN_SECRET           required, >= 16 characters: shared with signaling (its TURN_SECRET)
#   TURN_SECRET_PREVIOUS  optional: still accepted during a secret rotation
#   TURN_REALM            required: e.g. the public host name
#   TURN_PEER_IPS         required: the SFU addresses the relay may reach, comma-separated IPs
#   TURN_EXTERNAL_IP      optional: public address when coturn sits behind NAT (e.g. a container)
#   TURN_RELAY_PORT_MIN, TURN_RELAY_PORT_MAX   relay port range (default 49160-49259)
#   TURN_CONFIG           the static file (default: turnserver.conf next to this script)
# Extra arguments go to turnserver after all of that (tests use them for ports and listeners).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
config=${TURN_CONFIG:-$here/turnserver.conf}
fail() { echo "start-turn: $*" >&2; exit 2; }

[ -r "$config" ] || fail "cannot read $config"
[ -n "${TURN_SECRET:-}" ] || fail "TURN_SECRET is required (the secret shared with signaling)"
[ ${#TURN_SECRET} -ge 16 ] || fail "TURN_SECRET must have at least 16 characters"
[ -n "${TURN_REALM:-}" ] || fail "TURN_REALM is required (e.g. the public host name)"
[ -n "${TURN_PEER_IPS:-}" ] || fail "TURN_PEER_IPS is required: the SFU addresses the relay may reach"
min=${TURN_RELAY_PORT_MIN:-49160}
max=${TURN_RELAY_PORT_MAX:-49259}
case "$min$max" in *[!0-9]*) fail "TURN_RELAY_PORT_MIN/MAX must be numbers" ;; esac
[ "$min" -lt "$max" ] || fail "TURN_RELAY_PORT_MIN must be below TURN_RELAY_PORT_MAX"

umask 077
runtime=$(mktemp "${TMPDIR:-/tmp}/turnserver.XXXXXX")
{
  cat "$config"
  echo
  echo "# added by start-turn.sh"
  echo "static-auth-secret=$TURN_SECRET"
  if [ -n "${TURN_SECRET_PREVIOUS:-}" ]; then
    [ ${#TURN_SECRET_PREVIOUS} -ge 16 ] || fail "TURN_SECRET_PREVIOUS must have at least 16 characters"
    echo "static-auth-secret=$TURN_SECRET_PREVIOUS"
  fi
  echo "realm=$TURN_REALM"
  for ip in $(echo "$TURN_PEER_IPS" | tr ',' ' '); do
    case "$ip" in *[!0-9a-fA-F.:]*) fail "TURN_PEER_IPS: not an IP address: $ip" ;; esac
    echo "allowed-peer-ip=$ip"
  done
  [ -z "${TURN_EXTERNAL_IP:-}" ] || echo "external-ip=$TURN_EXTERNAL_IP"
  echo "min-port=$min"
  echo "max-port=$max"
} >"$runtime"

exec turnserver -c "$runtime" "$@"
