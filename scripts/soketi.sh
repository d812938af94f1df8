#!/usr/bin/env bash
# Soketi, a real Pusher-protocol server from npm, on 127.0.0.1 for local runs and integration tests.
#   scripts/soketi.sh install|start|stop|status
# Environment (defaults match the services' dev profile and the integration tests):
#   SOKETI_PORT (6001), PUSHER_APP_ID (switchboard), PUSHER_KEY (switchboard-key), PUSHER_SECRET (switchboard-secret),
#   SOKETI_STATE_DIR (.switchboard/soketi: pid and log; a second instance on another port needs its own)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
node_dir="$here/node"
state="${SOKETI_STATE_DIR:-$root/.switchboard/soketi}"
port="${SOKETI_PORT:-6001}"
mkdir -p "$state"
name=soketi
log="$state/soketi.log"
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

install() {
  command -v npm >/dev/null || { echo "soketi: npm is not installed (apt-get install nodejs npm)" >&2; exit 1; }
  if [ ! -x "$node_dir/node_modules/.bin/soketi" ] || [ ! -d "$node_dir/node_modules/pusher-js" ] \
    || [ ! -d "$node_dir/node_modules/playwright-core" ]; then
    echo "soketi: installing @soketi/soketi, pusher-js and playwright-core from npm into scripts/node (about 30 s)"
    (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
}


start() {
  install
  if listening "$port"; then echo "soketi: something already listens on 127.0.0.1:$port, using it"; return 0; fi
  # Config pins every listener and the cluster discovery to loopback: by default Soketi
  # broadcasts UDP to 255.255.255.255, which must never leave this machine.
  SOKETI_PORT="$port" \
  SOKETI_DEFAULT_APP_ID="${PUSHER_APP_ID:-switchboard}" \
  SOKETI_DEFAULT_APP_KEY="${PUSHER_KEY:-switchboard-key}" \
  SOKETI_DEFAULT_APP_SECRET="${PUSHER_SECRET:-switchboard-secret}" \
  SOKETI_EVENT_MAX_SIZE_IN_KB=10 \
  nohup "$node_dir/node_modules/.bin/soketi" start --config="$node_dir/soketi.json" \
    >"$state/soketi.log" 2>&1 &
  echo $! >"$state/pid"
  wait_for_port "$port" 20
}

stop() {
  stop_started 10
}

status() {
  if listening "$port"; then echo "soketi: listening on 127.0.0.1:$port"; else echo "soketi: not running"; return 1; fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
