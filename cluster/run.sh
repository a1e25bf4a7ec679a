#!/usr/bin/env bash
# BlazorChat as a cluster on this machine: PostgreSQL, three chat nodes and the front door, all on 127.0.0.1.
#
#   cluster/run.sh              # builds, starts everything, prints the address; Ctrl+C stops it all
#   NODES=2 cluster/run.sh      # another number of nodes
#   cluster/run.sh --address-file FILE   # also writes the address to FILE once it answers (for tests)
#   cluster/run.sh --app DIR    # runs an app already published to DIR instead of publishing it
#   cluster/run.sh --late N     # N more nodes the front door knows but not started: each gets a start script (printed)
#                               # that starts it later, as a node added to a running cluster; it serves once caught up
#   PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements" cluster/run.sh   # more PostgreSQL settings (profiling)
#
# PostgreSQL is Debian's (/usr/lib/postgresql/*/bin; installed with apt-get when missing, as root): a new server in a
# temporary folder on a free port, dropped at exit (the script prints how to stop and start it, for outage drills). Each node runs the published app with Store:Provider=Postgres and
# Realtime:Adapter=Postgres on that database; the front door (cluster/FrontDoor, YARP) keeps each browser on one node
# with a cookie and takes a node that fails /healthz out. Everything started here is stopped at exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NODES=${NODES:-3}
LATE=0
ADDRESS_FILE=
APP=
while [ $# -gt 0 ]; do
  case $1 in
    --address-file) ADDRESS_FILE=$2; shift 2 ;;
    --app) APP=$2; shift 2 ;;
    --late) LATE=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/blazorchat-cluster.XXXXXX")
PIDS=()
PG_BIN=
cleanup() {
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Late nodes were started by their own scripts: not this shell's children, so waited for by their pid files.
  local late=()
  for file in "$WORK"/node*.pid; do [ -f "$file" ] && late+=("$(cat "$file")"); done
  for pid in "${late[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for pid in "${late[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  if [ -n "$PG_BIN" ] && [ -d "$WORK/pg/data" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
wait_for() { # URL NAME PID
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || { echo "$2 exited:"; tail -20 "$WORK/$2.log"; return 1; }
    sleep 0.2
  done
  echo "$2 did not answer on $1 in 60 s"; tail -20 "$WORK/$2.log"; return 1
}

# ---- PostgreSQL ----
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PG_BIN" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q postgresql >/dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  else
    echo "PostgreSQL is not installed: sudo apt-get install -y postgresql" >&2; exit 1
  fi
fi
mkdir -p "$WORK/pg"
chmod 711 "$WORK" # postgres passes through to its own folder
[ "$(id -u)" = 0 ] && chown postgres:postgres "$WORK/pg"
PG_PORT=$(free_port)
# Room for every node's pools (each up to Npgsql's 100 connections under a burst) and late nodes' listeners.
PG_OPTIONS="-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=400 ${PG_SETTINGS:-}"
as_postgres "$PG_BIN/initdb" -D "$WORK/pg/data" -A trust -U postgres >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/pg.log" -w -o "$PG_OPTIONS" start >/dev/null
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'CREATE DATABASE blazorchat' >/dev/null
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=blazorchat;Username=postgres"
# Stopping and starting this PostgreSQL by hand (an outage drill; the e2e fault tests use them): same port, same data.
cat >"$WORK/pg/stop.sh" <<EOS
#!/usr/bin/env bash
$(declare -f as_postgres)
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop
EOS
cat >"$WORK/pg/start.sh" <<EOS
#!/usr/bin/env bash
$(declare -f as_postgres)
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/pg.log" -w -o "$PG_OPTIONS" start
EOS
chmod +x "$WORK/pg/stop.sh" "$WORK/pg/start.sh"
echo "PostgreSQL on 127.0.0.1:$PG_PORT (stop: $WORK/pg/stop.sh, start: $WORK/pg/start.sh)"

# ---- build ----
echo "building the app and the front door..."
if [ -z "$APP" ]; then
  APP="$WORK/app"
  dotnet publish "$ROOT/BlazorChat/BlazorChat.csproj" -c Release -o "$APP" --nologo -v quiet
fi
dotnet publish "$ROOT/cluster/FrontDoor/BlazorChat.FrontDoor.csproj" -c Release -o "$WORK/frontdoor" --nologo -v quiet

# ---- chat nodes ----
# Heartbeats every second, a node silent for 4 s dropped (defaults 5 s and 10 s): a node that dies is dropped within
# 5 s, so what the others ask of it stops waiting and its people's tabs are back on another node within 10 s.
# A node answers /healthz only once it has caught up with the others (rooms and presence): waiting for it waits for that.
# Each log line starts with its time, so a fault test's kept logs (BLAZORCHAT_CLUSTER_LOGS) show which step was slow.
node_env() { # PORT
  echo ASPNETCORE_URLS="http://127.0.0.1:$1" ASPNETCORE_ENVIRONMENT=Production \
    Store__Provider=Postgres Store__ConnectionString="'$CONNECTION'" Realtime__Adapter=Postgres \
    Realtime__Postgres__HeartbeatInterval=00:00:01 Realtime__Postgres__HeartbeatTimeout=00:00:04 \
    Logging__Console__FormatterName=simple Logging__Console__FormatterOptions__TimestampFormat="'HH:mm:ss.fff '"
}
FRONT_ENV=()
for i in $(seq 1 "$NODES"); do
  port=$(free_port)
  (
    cd "$APP"
    eval "export $(node_env "$port")"
    exec ./BlazorChat >"$WORK/node$i.log" 2>&1
  ) &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/healthz" "node$i" "${PIDS[-1]}"
  echo "node $i on http://127.0.0.1:$port (pid ${PIDS[-1]}, log $WORK/node$i.log)"
  FRONT_ENV+=("FrontDoor__Nodes__$((i - 1))=http://127.0.0.1:$port")
done
# Late nodes: the front door knows their addresses from the start (and sends no one there until their check passes);
# each one's script starts it, waits until it has caught up and prints its line as above.
for i in $(seq $((NODES + 1)) $((NODES + LATE))); do
  port=$(free_port)
  cat >"$WORK/node$i-start.sh" <<EOS
#!/usr/bin/env bash
set -euo pipefail
WORK='$WORK'
$(declare -f wait_for)
cd '$APP'
env $(node_env "$port") ./BlazorChat >"$WORK/node$i.log" 2>&1 </dev/null &
echo \$! >"$WORK/node$i.pid"
wait_for "http://127.0.0.1:$port/healthz" "node$i" "\$(cat "$WORK/node$i.pid")"
echo "node $i on http://127.0.0.1:$port (pid \$(cat "$WORK/node$i.pid"), log $WORK/node$i.log)"
EOS
  chmod +x "$WORK/node$i-start.sh"
  echo "late node $i on http://127.0.0.1:$port (start: $WORK/node$i-start.sh)"
  FRONT_ENV+=("FrontDoor__Nodes__$((i - 1))=http://127.0.0.1:$port")
done

# ---- front door ----
FRONT_PORT=${FRONT_PORT:-$(free_port)}
(
  cd "$WORK/frontdoor"
  export ASPNETCORE_URLS="http://127.0.0.1:$FRONT_PORT" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
  exec env "${FRONT_ENV[@]}" ./BlazorChat.FrontDoor >"$WORK/frontdoor.log" 2>&1
) &
PIDS+=($!)
wait_for "http://127.0.0.1:$FRONT_PORT/healthz" frontdoor "${PIDS[-1]}"

ADDRESS="http://127.0.0.1:$FRONT_PORT"
[ -n "$ADDRESS_FILE" ] && echo "$ADDRESS" >"$ADDRESS_FILE"
echo
echo "BlazorChat cluster of $NODES nodes$([ "$LATE" -gt 0 ] && echo " (and $LATE to start later)"): open $ADDRESS"
echo "(node pids: ${PIDS[*]:0:$NODES}; Ctrl+C stops everything)"
wait
