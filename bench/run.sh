#!/usr/bin/env bash
# BlazorChat's benchmarks, side by side with socket.io 4 and ASP.NET Core SignalR, in one bounded run:
# builds everything, runs every scenario against fresh server processes on 127.0.0.1, and writes
# docs/benchmarks.md and docs/benchmarks-latency.{svg,png}. Raw results stay in artifacts/bench/.
#
#   bench/run.sh            # the full run (about 10-20 minutes on 2 cores; hard cap 29 minutes)
#   BENCH_QUICK=1 bench/run.sh   # a smoke run with small sizes (a few minutes), same report
#
# Loopback only; every server it starts is stopped at the end, also on failure or Ctrl+C.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${BENCH_OUT:-$ROOT/artifacts/bench}"
BUILD="$OUT/build"
RESULTS="$OUT/results"
LOGS="$OUT/logs"
QUICK="${BENCH_QUICK:-0}"
START_EPOCH=$(date +%s)
# Scenarios get at most SCENARIO_BUDGET_S in all (a step that would not fit is shortened or skipped, and the
# report says so); the watchdog is the last resort if something hangs anyway.
SCENARIO_BUDGET_S=$((26 * 60))
HARD_CAP_S=$((29 * 60))

rm -rf "$RESULTS" "$LOGS" "$OUT/bdn"
mkdir -p "$BUILD" "$RESULTS" "$LOGS"

SERVER_PIDS=()
WATCHDOG_PID=""

stop_servers() {
  local pid i
  for pid in "${SERVER_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}

cleanup() {
  local status=$?
  stop_servers
  [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null || true
  exit "$status"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# The whole run stops itself at the hard cap, whatever step it is in.
( sleep "$HARD_CAP_S"; echo "bench/run.sh: hard cap of ${HARD_CAP_S}s reached, stopping" >&2; kill -TERM $$ ) &
WATCHDOG_PID=$!

step() { echo; echo "== $(date -u +%H:%M:%S) [$(( $(date +%s) - START_EPOCH ))s] $*"; }

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# start_server NAME DIR CMD... : starts a server on a free loopback port in DIR; sets SERVER_URL and SERVER_PID.
start_server() {
  local name=$1 dir=$2
  shift 2
  local port
  port=$(free_port)
  SERVER_URL="http://127.0.0.1:$port"
  (
    cd "$dir"
    # Every server logs warnings only: the peers log nothing per message, so neither does the app here.
    export PORT="$port" ASPNETCORE_URLS="$SERVER_URL" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
    exec "$@" >"$LOGS/$name-server.log" 2>&1
  ) &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  local i
  for i in $(seq 1 150); do
    if curl -fs -o /dev/null "$SERVER_URL/" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "$name exited during startup:"; tail -20 "$LOGS/$name-server.log"; return 1
    fi
    sleep 0.2
  done
  echo "$name did not answer on $SERVER_URL in 30 s"; return 1
}

# One server per system: BlazorChat (the app itself), the socket.io chat example, the SignalR hub, the template.
start_system() {
  case $1 in
    blazorchat) start_server "$2" "$BUILD/blazorchat" ./BlazorChat ;;
    counter) start_server "$2" "$BUILD/counter" ./CounterPeer ;;
    signalr) start_server "$2" "$BUILD/signalr" ./SignalRPeer ;;
    socketio) start_server "$2" "$ROOT/bench/peers/socketio" node server.js ;;
  esac
}

# run_client SYSTEM RESULT TIMEOUT_S ARGS... : the load client against a fresh server of SYSTEM.
run_client() {
  local system=$1 result=$2 limit=$3
  shift 3
  local left=$(( SCENARIO_BUDGET_S - ($(date +%s) - START_EPOCH) ))
  if [ "$left" -lt 60 ]; then
    echo "   $result: skipped, the run's time budget is spent"
    printf '{ "system": "%s", "error": "skipped: the run\x27s time budget was spent" }\n' "$system" >"$RESULTS/$result.json"
    return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  start_system "$system" "$result"
  local rc=0
  timeout --kill-after=10 "$limit" node "$ROOT/bench/load-client/src/bench.js" \
    --system "$system" --url "$SERVER_URL" --server-pid "$SERVER_PID" --deadline-s $((limit - 30)) \
    --out "$RESULTS/$result.json" "$@" >/dev/null 2>"$LOGS/$result-client.log" || rc=$?
  tail -n 4 "$LOGS/$result-client.log" | sed 's/^/   /'
  [ "$rc" -ne 0 ] && echo "   (load client exited $rc; the report shows what it measured)"
  stop_servers
  return 0
}

# ---- build ----------------------------------------------------------------------------------------
step "build: npm ci (load client, socket.io peer)"
(cd "$ROOT/bench/load-client" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$ROOT/bench/peers/socketio" && npm ci --no-audit --no-fund --loglevel=error)

step "build: dotnet publish BlazorChat, SignalR peer, counter template; build the registry benchmark"
dotnet publish "$ROOT/BlazorChat/BlazorChat.csproj" -c Release -o "$BUILD/blazorchat" --nologo -v quiet
dotnet publish "$ROOT/bench/peers/signalr/SignalRPeer.csproj" -c Release -o "$BUILD/signalr" --nologo -v quiet
dotnet publish "$ROOT/bench/peers/counter/CounterPeer.csproj" -c Release -o "$BUILD/counter" --nologo -v quiet
dotnet build "$ROOT/bench/registry/BlazorChat.Bench.Registry.csproj" -c Release -o "$BUILD/registry" --nologo -v quiet

# ---- scenarios ------------------------------------------------------------------------------------
if [ "$QUICK" = "1" ]; then
  FANOUT_SIZES=10,100; FANOUT_MESSAGES=20; MEMORY_CLIENTS=200; MAX_RATE=256
else
  FANOUT_SIZES=10,100,1000; FANOUT_MESSAGES=100; MEMORY_CLIENTS=2000; MAX_RATE=4096
fi

step "registry: BenchmarkDotNet, one broadcast to 1,000 members (in-process delivery; a child process per benchmark)"
# Started in bench/registry: BenchmarkDotNet's default toolchain finds the benchmark's .csproj from the current
# directory (up to BlazorChat.sln, then down) to build the child process it measures in.
(cd "$ROOT/bench/registry" && timeout --kill-after=10 300 "$BUILD/registry/BlazorChat.Bench.Registry" --filter '*' \
  --artifacts "$OUT/bdn" >"$LOGS/registry.log" 2>&1) || echo "   (BenchmarkDotNet exited non-zero; see $LOGS/registry.log)"
cp "$OUT"/bdn/results/*-report-full-compressed.json "$RESULTS/registry.json" 2>/dev/null \
  || cp "$OUT"/bdn/results/*-report-full.json "$RESULTS/registry.json" 2>/dev/null || true
grep -E "^\|" "$LOGS/registry.log" | sed 's/^/   /' || true

step "fan-out: one sender, rooms of $FANOUT_SIZES, $FANOUT_MESSAGES messages each"
run_client socketio fanout-socketio 240 --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 32
run_client signalr fanout-signalr 240 --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 32
run_client blazorchat fanout-blazorchat 780 --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 16

step "sustained: room of 100, 10 senders, send rate doubling every 3 s until p99 >= 200 ms"
for system in socketio signalr blazorchat; do
  run_client "$system" "sustained-$system" 150 --scenario sustained --room-size 100 --senders 10 --step-s 3 --max-rate "$MAX_RATE"
done

step "memory: $MEMORY_CLIENTS idle clients, server RSS delta per client"
run_client socketio memory-socketio 180 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 32
run_client signalr memory-signalr 180 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 32
run_client counter memory-counter 240 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 16 --path /counter
run_client blazorchat memory-blazorchat-page 240 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 16 --join false

# ---- report ---------------------------------------------------------------------------------------
step "report: docs/benchmarks.md and the latency chart"
node "$ROOT/bench/report/report.js" --results "$RESULTS" --docs "$ROOT/docs" --quick "$QUICK" \
  --elapsed-s $(( $(date +%s) - START_EPOCH ))
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  (cd "$ROOT/docs" && timeout 60 "${CHROMIUM:-/usr/bin/chromium}" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --hide-scrollbars --window-size=900,540 --screenshot="$ROOT/docs/benchmarks-latency.png" \
    "file://$ROOT/docs/benchmarks-latency.svg" >"$LOGS/chromium.log" 2>&1) \
    || echo "   (Chromium could not render the PNG; the SVG is the chart)"
else
  echo "   (no Chromium: the SVG is the chart)"
fi
step "done in $(( $(date +%s) - START_EPOCH ))s: docs/benchmarks.md"
