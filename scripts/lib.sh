# Shared by scripts/kafka.sh and scripts/soketi.sh: start a background process, wait for its port, stop it.
# Each caller sets: name (for messages), state (its folder under .switchboard), log (its log file).

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for_port PORT SECONDS: after the caller started the process and wrote $state/pid
wait_for_port() {
  local port=$1 tries=$(($2 * 5))
  for _ in $(seq 1 "$tries"); do
    if listening "$port"; then echo "$name: listening on 127.0.0.1:$port (pid $(cat "$state/pid"), log $log)"; return 0; fi
    kill -0 "$(cat "$state/pid")" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name: did not start; last log lines:" >&2; tail -30 "$log" >&2; exit 1
}

# stop_started SECONDS: SIGTERM (a clean shutdown), then SIGKILL after SECONDS
stop_started() {
  local grace=$(($1 * 5))
  if [ -f "$state/pid" ]; then
    local pid; pid=$(cat "$state/pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 "$grace"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$state/pid"; echo "$name: stopped"
  else
    echo "$name: not started by this script"
  fi
}
