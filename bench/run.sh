#!/usr/bin/env bash
# BlazorChat's benchmarks, side by side with socket.io 4 and ASP.NET Core SignalR, in one bounded run:
# builds everything, runs every scenario against fresh server processes on 127.0.0.1, and writes
# docs/benchmarks.md and docs/benchmarks-latency.{svg,png}. Raw results stay in artifacts/bench/.
#
#   bench/run.sh                      # the full run (about 35 minutes on 2 cores; hard cap 60 minutes)
#   BENCH_QUICK=1 bench/run.sh        # a smoke run with small sizes (about 10 minutes), same report
#   bench/run.sh --baseline REV       # also BlazorChat at git revision REV, A/B against this tree (about 45 minutes)
#   BENCH_ONLY=soak bench/run.sh      # only the soak scenarios (about 20 minutes; quick: 5), the report keeps the rest
#   BENCH_ONLY=flood bench/run.sh     # only the flood scenario (about 6 minutes): printed, not in the report
#
# With --baseline, REV is checked out into a temporary git worktree (outside the repository, removed as soon
# as it is published, and at exit whatever happens), its BlazorChat project is published exactly as that tree
# says (`dotnet publish -c Release`: an older tree's own Directory.Build.props may make it net9.0
# self-contained), and the BlazorChat scenarios run for both builds, interleaved per scenario (this tree, then
# the baseline; round 1, then round 2 if the time budget allows) so that machine noise hits both alike. The
# other systems' scenarios run once, after the A/B rounds, with what is left of the budget. The report gets
# an A/B table. BENCH_AB_ROUNDS (default 2) caps the number of rounds.
#
# The soak (a room of 200, 10 senders at 0.5 msg/s each for 5 minutes: latency per minute and server RSS over
# time) runs once per system, after the other single-node scenarios, on a time slice of its own (SOAK_BUDGET_S)
# that the budget of the other scenarios does not eat into; in an A/B run for this tree and the peers only (three
# soaks of the baseline would add 18 minutes for a scenario whose question is drift over time, not a revision's
# change). BENCH_ONLY=soak runs the soaks alone and rewrites the report with them beside the other results that
# artifacts/bench/results still holds from an earlier run.
#
# The joins (1,000 and then 2,000 people connect and join one room, each on a fresh server: issue 12's "linear" goal)
# run for this tree only, before the soak, on a slice of their own (JOINS_BUDGET_S).
#
# Last, in both kinds of run and as far as the budget allows, the cluster scenarios: the same build as two nodes on
# PostgreSQL (cluster/run.sh), the sender on one node and the members on the other, beside the single-node figures.
#
# Rate limits: BlazorChat limits each person's messages by default (Chat:RateLimits, 10 per 10 s). The load client's
# people send far faster than that (the fan-out's one sender, the sustained scenario's 10 senders at up to hundreds of
# messages a second each), and these scenarios measure throughput and latency, not flood control: every BlazorChat
# server and cluster node here runs with Chat__RateLimits__Enabled=false (BLAZORCHAT_RATE_LIMITS). Only the flood
# scenario (BENCH_ONLY=flood: a room of 50, 5 senders at 0.5 msg/s each, one client flooding 1,000 messages) runs
# with the app's default limits, and once more with them off for comparison; it prints its figures and leaves
# docs/benchmarks.md as it is.
#
# Loopback only; every server it starts is stopped at the end, also on failure or Ctrl+C.
set -euo pipefail

usage() {
  echo "usage: [BENCH_QUICK=1] [BENCH_ONLY=soak|flood] bench/run.sh [--baseline REV]" >&2
  echo "  full run about 35 minutes (hard cap 60), with --baseline about 45; BENCH_QUICK=1 about 12;" >&2
  echo "  BENCH_ONLY=soak only the soak scenarios (about 20 minutes; with BENCH_QUICK=1 about 5)" >&2
  echo "  BENCH_ONLY=flood only the flood scenario, with and without rate limits (about 6 minutes)" >&2
  exit 2
}

BASELINE_REV=""
while [ $# -gt 0 ]; do
  case $1 in
    --baseline) [ $# -ge 2 ] && [ -n "$2" ] || usage; BASELINE_REV=$2; shift 2 ;;
    --baseline=*) BASELINE_REV=${1#--baseline=}; [ -n "$BASELINE_REV" ] || usage; shift ;;
    *) usage ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${BENCH_OUT:-$ROOT/artifacts/bench}"
BUILD="$OUT/build"
RESULTS="$OUT/results"
LOGS="$OUT/logs"
QUICK="${BENCH_QUICK:-0}"
ONLY="${BENCH_ONLY:-}"
case $ONLY in '' | soak | flood) ;; *) echo "bench/run.sh: BENCH_ONLY must be empty, soak or flood" >&2; exit 2 ;; esac
[ -n "$ONLY" ] && [ -n "$BASELINE_REV" ] && { echo "bench/run.sh: BENCH_ONLY=$ONLY runs this tree only; drop --baseline" >&2; exit 2; }
# Whether BlazorChat servers run with their per-person rate limits (see the top of this file): off, but in the flood scenario.
BLAZORCHAT_RATE_LIMITS=false
AB_ROUNDS_MAX="${BENCH_AB_ROUNDS:-2}"
case $AB_ROUNDS_MAX in '' | *[!0-9]* | 0) echo "bench/run.sh: BENCH_AB_ROUNDS must be a whole number from 1" >&2; exit 2 ;; esac
START_EPOCH=$(date +%s)
# The soak: SOAK_S seconds of sending per system, each run given SOAK_S + 120 s (joining, RSS settling, warm-up,
# the 10 s drain, the load client's 30 s margin); three systems.
if [ "$QUICK" = "1" ]; then
  SOAK_ROOM=50; SOAK_S=60
else
  SOAK_ROOM=200; SOAK_S=300
fi
SOAK_LIMIT_S=$((SOAK_S + 120))
SOAK_BUDGET_S=$((3 * SOAK_LIMIT_S))
# Joining (issue 12): JOINS_SMALL and then JOINS_LARGE people connect and join, each on a fresh server.
if [ "$QUICK" = "1" ]; then
  JOINS_SMALL=100; JOINS_LARGE=200
else
  JOINS_SMALL=1000; JOINS_LARGE=2000
fi
JOINS_SMALL_LIMIT_S=240
JOINS_LARGE_LIMIT_S=360
# Scenarios get at most SCENARIO_BUDGET_S in all (a step that would not fit is shortened or skipped, and the
# report says so); the watchdog is the last resort if something hangs anyway. The soaks' slice is added on top
# of the 26 minutes the other scenarios had before the soak existed, and is held back for them (RESERVED_S)
# until they start, so every other scenario keeps the time it had (and an A/B run its second round).
JOINS_BUDGET_S=$((JOINS_SMALL_LIMIT_S + JOINS_LARGE_LIMIT_S))
SCENARIO_BUDGET_S=$((26 * 60 + SOAK_BUDGET_S + JOINS_BUDGET_S))
HARD_CAP_S=$((29 * 60 + SOAK_BUDGET_S + JOINS_BUDGET_S))
RESERVED_S=$((SOAK_BUDGET_S + JOINS_BUDGET_S))
if [ "$ONLY" = "soak" ]; then
  # The builds (5 minutes at most, usually 1-2) and the soaks.
  RESERVED_S=$SOAK_BUDGET_S
  SCENARIO_BUDGET_S=$((5 * 60 + SOAK_BUDGET_S))
  HARD_CAP_S=$((8 * 60 + SOAK_BUDGET_S))
fi
FLOOD_LIMIT_S=240
if [ "$ONLY" = "flood" ]; then
  # The builds and two flood runs (with the limits, then without).
  RESERVED_S=0
  SCENARIO_BUDGET_S=$((5 * 60 + 2 * FLOOD_LIMIT_S))
  HARD_CAP_S=$((8 * 60 + 2 * FLOOD_LIMIT_S))
fi

# The revisions, named before anything is built: a bad --baseline fails here, not after the builds.
git_field() { git -C "$ROOT" log -1 --format="$1" "$2"; }
CURRENT_SHA=$(git -C "$ROOT" rev-parse HEAD)
CURRENT_DIRTY=0
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] && CURRENT_DIRTY=1
if [ -n "$BASELINE_REV" ]; then
  BASELINE_SHA=$(git -C "$ROOT" rev-parse --verify --quiet "$BASELINE_REV^{commit}") \
    || { echo "bench/run.sh: --baseline $BASELINE_REV is not a commit of this repository" >&2; exit 2; }
  BASELINE_SHORT=$(git_field %h "$BASELINE_SHA")
fi

if [ "$ONLY" = "soak" ]; then
  # Only the soak's files go: the report is rewritten with the other results an earlier run left.
  mkdir -p "$RESULTS" "$LOGS"
  rm -f "$RESULTS"/soak-*.json "$LOGS"/soak-*.log
elif [ "$ONLY" = "flood" ]; then
  mkdir -p "$RESULTS" "$LOGS"
  rm -f "$RESULTS"/flood-*.json "$LOGS"/flood-*.log
else
  rm -rf "$RESULTS" "$LOGS" "$OUT/bdn"
fi
mkdir -p "$BUILD" "$RESULTS" "$LOGS"

SERVER_PIDS=()
CLUSTER_PID=""
WATCHDOG_PID=""
FG_PID=""
BASE_TMP=""
BASE_SRC=""
BASE_GITDIR=""

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

# Stops the cluster of the cluster scenarios: cluster/run.sh stops its nodes, its front door and its PostgreSQL
# (and deletes their folder) when it is told to end.
stop_cluster() {
  [ -n "$CLUSTER_PID" ] || return 0
  kill -TERM "$CLUSTER_PID" 2>/dev/null || true
  wait "$CLUSTER_PID" 2>/dev/null || true
  CLUSTER_PID=""
}

# Removes the baseline's temporary worktree: through git, and if git cannot (a half-made worktree), its
# folder and its entry under .git/worktrees by hand, so no worktree of this run outlives it.
remove_baseline_tree() {
  [ -n "$BASE_TMP" ] || return 0
  if [ -n "$BASE_SRC" ]; then
    git -C "$ROOT" worktree remove --force "$BASE_SRC" >/dev/null 2>&1 || true
  fi
  if [ -n "$BASE_GITDIR" ] && [ -d "$BASE_GITDIR" ]; then
    case $BASE_GITDIR in
      "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)"/worktrees/*) rm -rf "$BASE_GITDIR" ;;
    esac
  fi
  rm -rf "$BASE_TMP"
  BASE_TMP=""
  BASE_SRC=""
  BASE_GITDIR=""
}

cleanup() {
  local status=$?
  if [ -n "$FG_PID" ]; then
    kill -TERM "$FG_PID" 2>/dev/null || true
    wait "$FG_PID" 2>/dev/null || true
  fi
  stop_servers
  stop_cluster
  remove_baseline_tree
  [ -n "$WATCHDOG_PID" ] && kill "$WATCHDOG_PID" 2>/dev/null || true
  exit "$status"
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

# The whole run stops itself at the hard cap, whatever step it is in.
( sleep "$HARD_CAP_S"; echo "bench/run.sh: hard cap of ${HARD_CAP_S}s reached, stopping" >&2; kill -TERM $$ ) &
WATCHDOG_PID=$!

step() { echo; echo "== $(date -u +%H:%M:%S) [$(( $(date +%s) - START_EPOCH ))s] $*"; }
elapsed() { echo $(( $(date +%s) - START_EPOCH )); }

# bounded LIMIT_S CMD... : runs CMD for at most LIMIT_S seconds, and never past the hard cap. It runs as a
# background job the script waits for, because bash runs a signal trap only after a foreground command ends:
# this way Ctrl+C or the watchdog interrupts the wait at once, and cleanup stops CMD (timeout passes the
# signal on).
bounded() {
  local limit=$1
  shift
  local left=$(( HARD_CAP_S - $(elapsed) - 20 ))
  [ "$limit" -gt "$left" ] && limit=$left
  [ "$limit" -lt 1 ] && limit=1
  timeout --kill-after=10 "$limit" "$@" &
  FG_PID=$!
  local rc=0
  wait "$FG_PID" || rc=$?
  FG_PID=""
  return "$rc"
}

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
    # BlazorChat's per-person rate limits (the other systems ignore it): see the top of this file.
    export Chat__RateLimits__Enabled="$BLAZORCHAT_RATE_LIMITS"
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

# A BlazorChat server starts on an empty store (App_Data holds its SQLite databases, and a publish folder
# keeps it between runs): a scenario's numbers then do not depend on what earlier scenarios or runs left
# there, and both revisions of an A/B run start alike.
start_blazorchat() {
  rm -rf "$2/App_Data"
  start_server "$1" "$2" ./BlazorChat
}

# One server per system: BlazorChat (the app itself; blazorchat@baseline is the --baseline revision's
# build), the socket.io chat example, the SignalR hub, the template.
start_system() {
  case $1 in
    blazorchat) start_blazorchat "$2" "$BUILD/blazorchat" ;;
    blazorchat@baseline) start_blazorchat "$2" "$BUILD/blazorchat-baseline" ;;
    counter) start_server "$2" "$BUILD/counter" ./CounterPeer ;;
    signalr) start_server "$2" "$BUILD/signalr" ./SignalRPeer ;;
    socketio) start_server "$2" "$ROOT/bench/peers/socketio" node server.js ;;
  esac
}

# run_client SERVER RESULT TIMEOUT_S ARGS... : the load client against a fresh server of SERVER (a system,
# or blazorchat@baseline, which the load client drives as blazorchat: same UI contract).
run_client() {
  local server=$1 result=$2 limit=$3
  shift 3
  local system=${server%@*}
  local left=$(( SCENARIO_BUDGET_S - RESERVED_S - $(elapsed) ))
  if [ "$left" -lt 60 ]; then
    echo "   $result: skipped, the run's time budget is spent"
    printf '{ "system": "%s", "error": "skipped: the run\x27s time budget was spent" }\n' "$system" >"$RESULTS/$result.json"
    return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  start_system "$server" "$result"
  local rc=0
  bounded "$limit" node "$ROOT/bench/load-client/src/bench.js" \
    --system "$system" --url "$SERVER_URL" --server-pid "$SERVER_PID" --deadline-s $((limit - 30)) \
    --out "$RESULTS/$result.json" "$@" >/dev/null 2>"$LOGS/$result-client.log" || rc=$?
  tail -n 4 "$LOGS/$result-client.log" | sed 's/^/   /'
  [ "$rc" -ne 0 ] && echo "   (load client exited $rc; the report shows what it measured)"
  stop_servers
  return 0
}

# ---- build ----------------------------------------------------------------------------------------
# Publish folders are emptied first: a folder that once held a self-contained build would otherwise keep
# that runtime's files beside a framework-dependent one.
publish() {
  local project=$1 out=$2
  rm -rf "$out"
  bounded 900 env -C "$ROOT" dotnet publish "$project" -c Release -o "$out" --nologo -v quiet
}

step "build: npm ci (load client, socket.io peer)"
bounded 600 env -C "$ROOT/bench/load-client" npm ci --no-audit --no-fund --loglevel=error
bounded 600 env -C "$ROOT/bench/peers/socketio" npm ci --no-audit --no-fund --loglevel=error

if [ "$ONLY" = "flood" ]; then
  step "build: dotnet publish BlazorChat"
  publish "$ROOT/BlazorChat/BlazorChat.csproj" "$BUILD/blazorchat"
elif [ "$ONLY" = "soak" ]; then
  # The soak's three systems need only these two builds (socket.io runs from its folder).
  step "build: dotnet publish BlazorChat, SignalR peer"
  publish "$ROOT/BlazorChat/BlazorChat.csproj" "$BUILD/blazorchat"
  publish "$ROOT/bench/peers/signalr/SignalRPeer.csproj" "$BUILD/signalr"
else
step "build: dotnet publish BlazorChat, SignalR peer, counter template; build the registry benchmark"
publish "$ROOT/BlazorChat/BlazorChat.csproj" "$BUILD/blazorchat"
publish "$ROOT/bench/peers/signalr/SignalRPeer.csproj" "$BUILD/signalr"
publish "$ROOT/bench/peers/counter/CounterPeer.csproj" "$BUILD/counter"
rm -rf "$BUILD/registry"
bounded 900 env -C "$ROOT" dotnet build "$ROOT/bench/registry/BlazorChat.Bench.Registry.csproj" -c Release \
  -o "$BUILD/registry" --nologo -v quiet
fi
cp "$BUILD/blazorchat/BlazorChat.runtimeconfig.json" "$RESULTS/runtimeconfig-current.json"

if [ -n "$BASELINE_REV" ]; then
  step "build: baseline $BASELINE_SHORT ($(git_field %s "$BASELINE_SHA")), from a temporary git worktree"
  # Outside the repository: BenchmarkDotNet looks for its project below the folder holding BlazorChat.sln, and
  # a second copy of the tree there would make that search ambiguous.
  BASE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/blazorchat-baseline.XXXXXX")
  BASE_SRC="$BASE_TMP/src-$BASELINE_SHORT"
  git -C "$ROOT" worktree add --detach --quiet "$BASE_SRC" "$BASELINE_SHA"
  BASE_GITDIR=$(git -C "$BASE_SRC" rev-parse --absolute-git-dir)
  [ -f "$BASE_SRC/BlazorChat/BlazorChat.csproj" ] \
    || { echo "bench/run.sh: $BASELINE_SHORT has no BlazorChat/BlazorChat.csproj" >&2; exit 1; }
  # Built exactly as that tree says: from its own folder (its global.json, if any, picks the SDK) with its
  # own Directory.Build.props and Directory.Packages.props (target framework, runtime identifier,
  # self-contained or not, package versions).
  rm -rf "$BUILD/blazorchat-baseline"
  bounded 900 env -C "$BASE_SRC" dotnet publish BlazorChat/BlazorChat.csproj -c Release \
    -o "$BUILD/blazorchat-baseline" --nologo -v quiet
  cp "$BUILD/blazorchat-baseline/BlazorChat.runtimeconfig.json" "$RESULTS/runtimeconfig-baseline.json"
  # The publish folder is all the scenarios need.
  remove_baseline_tree
fi

# ---- scenarios ------------------------------------------------------------------------------------
if [ "$QUICK" = "1" ]; then
  FANOUT_SIZES=10,100; FANOUT_MESSAGES=20; MEMORY_CLIENTS=200; MAX_RATE=256; REGISTRY_RUNS=1
else
  # The registry's goal is "in every one of 5 runs": five BenchmarkDotNet runs, one after another.
  FANOUT_SIZES=10,100,1000; FANOUT_MESSAGES=100; MEMORY_CLIENTS=2000; MAX_RATE=4096; REGISTRY_RUNS=5
fi

registry() {
  step "registry: BenchmarkDotNet, one broadcast to 1,000 members, $REGISTRY_RUNS runs (in-process delivery; a child process per benchmark)"
  rm -f "$RESULTS"/registry.json "$RESULTS"/registry-*.json
  local run
  for run in $(seq 1 "$REGISTRY_RUNS"); do
    # Run 1 writes registry.json (the report reads the machine's details from it), the others registry-N.json.
    local name=registry; [ "$run" -gt 1 ] && name="registry-$run"
    local left=$(( SCENARIO_BUDGET_S - RESERVED_S - $(elapsed) ))
    if [ "$left" -lt 120 ]; then
      echo "   registry run $run: skipped, the run's time budget is spent"
      [ "$run" = 1 ] && echo '{ "skipped": "the run'\''s time budget was spent" }' >"$RESULTS/registry.json"
      return 0
    fi
    [ "$left" -gt 300 ] && left=300
    # Started in bench/registry: BenchmarkDotNet's default toolchain finds the benchmark's .csproj from the
    # current directory (up to BlazorChat.sln, then down) to build the child process it measures in.
    rm -rf "$OUT/bdn-$run"
    bounded "$left" env -C "$ROOT/bench/registry" "$BUILD/registry/BlazorChat.Bench.Registry" --filter '*' \
      --artifacts "$OUT/bdn-$run" >"$LOGS/$name.log" 2>&1 || echo "   (BenchmarkDotNet exited non-zero; see $LOGS/$name.log)"
    cp "$OUT/bdn-$run"/results/*-report-full-compressed.json "$RESULTS/$name.json" 2>/dev/null \
      || cp "$OUT/bdn-$run"/results/*-report-full.json "$RESULTS/$name.json" 2>/dev/null || true
    echo "   run $run:"
    grep -E "^\|" "$LOGS/$name.log" | sed 's/^/   /' || true
  done
}

# blazorchat_scenario NAME SERVER SUFFIX : one BlazorChat scenario (fanout, sustained, memory-page) against
# SERVER (blazorchat or blazorchat@baseline); its result file is the scenario's usual name plus SUFFIX.
blazorchat_scenario() {
  local name=$1 server=$2 suffix=$3
  case $name in
    fanout) run_client "$server" "fanout-blazorchat$suffix" 780 \
      --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 16 ;;
    sustained) run_client "$server" "sustained-blazorchat$suffix" 150 \
      --scenario sustained --room-size 100 --senders 10 --step-s 3 --max-rate "$MAX_RATE" ;;
    memory-page) run_client "$server" "memory-blazorchat-page$suffix" 240 \
      --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 16 --join false ;;
  esac
}

fanout_peers() {
  run_client socketio fanout-socketio 240 --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 32
  run_client signalr fanout-signalr 240 --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 32
}
sustained_peer() {
  run_client "$1" "sustained-$1" 150 --scenario sustained --room-size 100 --senders 10 --step-s 3 --max-rate "$MAX_RATE"
}
memory_peers() {
  run_client socketio memory-socketio 180 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 32
  run_client signalr memory-signalr 180 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 32
  run_client counter memory-counter 240 --scenario memory --clients "$MEMORY_CLIENTS" --concurrency 16 --path /counter
}

# The flood (issue 13's flood control): a room of 50, 5 senders at 0.5 msg/s each (inside the default limit of 10
# messages per 10 s) for 20 s without a flood, then 20 s while one more member floods 1,000 messages as fast as it can.
# With the app's default rate limits, then with them off (what a flood did before them). Printed, not in the report.
flood_scenarios() {
  step "flood: room of 50, 5 senders at 0.5 msg/s, then one client flooding 1,000 messages; with the default rate limits, then without"
  local limits
  for limits in true false; do
    BLAZORCHAT_RATE_LIMITS=$limits
    run_client blazorchat "flood-blazorchat-limits-$([ "$limits" = true ] && echo on || echo off)" "$FLOOD_LIMIT_S" \
      --scenario flood --room-size 50 --senders 5 --rate-per-sender 0.5 --duration-s 20 --flood 1000 --concurrency 16
  done
  BLAZORCHAT_RATE_LIMITS=false
  local result
  for result in "$RESULTS"/flood-blazorchat-limits-on.json "$RESULTS"/flood-blazorchat-limits-off.json; do
    [ -f "$result" ] || continue
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const name = require("path").basename(process.argv[1], ".json");
      if (r.error || r.skipped) { console.log(`   ${name}: ${r.error ?? r.skipped}`); process.exit(0); }
      console.log(`   ${name}: p99 ${r.without.p99} ms without the flood, ${r.with.p99} ms with it (x${r.p99Ratio}); ` +
        `flood of ${r.floodSent}: ${r.floodDelivered} stored and delivered, ${r.floodRefusedOrLost} refused (or lost); load average ${r.loadAverage1m}`);
    ' "$result"
  done
}

# The soak, one fresh server per system, on its own slice of the budget (RESERVED_S is released here). Each run
# may take SOAK_LIMIT_S; if less is left, run_client shortens it and the load client sends for less time (the
# report shows the minutes measured). BlazorChat first: it is what the soak's goals are about.
soak_scenarios() {
  RESERVED_S=$(( RESERVED_S > SOAK_BUDGET_S ? RESERVED_S - SOAK_BUDGET_S : 0 ))
  step "soak: room of $SOAK_ROOM, 10 senders at 0.5 msg/s each for $SOAK_S s: latency per minute, server RSS every 5 s"
  local system
  for system in blazorchat socketio signalr; do
    run_client "$system" "soak-$system" "$SOAK_LIMIT_S" \
      --scenario soak --room-size "$SOAK_ROOM" --senders 10 --rate-per-sender 0.5 --duration-s "$SOAK_S" --concurrency 16
  done
}

# Joining (issue 12's "linear" goal): on a fresh server each time, JOINS_SMALL and then JOINS_LARGE people connect
# and join the room, 16 at a time (the memory scenario with --join true: connected, joined and shown); the time each
# takes, and the RSS per joined circuit. This tree only, in both kinds of run, on its own slice of the budget.
joins_scenarios() {
  RESERVED_S=$(( RESERVED_S > JOINS_BUDGET_S ? RESERVED_S - JOINS_BUDGET_S : 0 ))
  step "joins: $JOINS_SMALL and then $JOINS_LARGE people connect and join one room, each on a fresh server"
  run_client blazorchat joins-blazorchat-small "$JOINS_SMALL_LIMIT_S" \
    --scenario memory --clients "$JOINS_SMALL" --concurrency 16 --join true
  run_client blazorchat joins-blazorchat-large "$JOINS_LARGE_LIMIT_S" \
    --scenario memory --clients "$JOINS_LARGE" --concurrency 16 --join true
}

# ---- cluster ----------------------------------------------------------------------------------------
# The same BlazorChat build as a cluster: cluster/run.sh starts PostgreSQL and two nodes (Store:Provider=Postgres,
# Realtime:Adapter=Postgres) and the front door; the load client puts the sender(s) on node 1 and every other member
# on node 2 (--sender-url), so every delivery crosses nodes through PostgreSQL. One fresh cluster per scenario, as
# each single-node scenario gets a fresh server. PostgreSQL's own counters (pg_stat_database) before and after give
# its busy time and its transactions per stored message.
# pg_counters PORT QUERY LOG : the query's one JSON value, or null. A busy server right after a scenario (its nodes
# still draining, every connection slot taken) may not answer at once: a few tries, each bounded, and why it failed
# goes to the cluster's log.
pg_counters() {
  local try value
  for try in 1 2 3 4 5; do
    if value=$(PGCONNECT_TIMEOUT=5 timeout 20 psql -qtA -h 127.0.0.1 -p "$1" -U postgres -d blazorchat -c "$2" 2>>"$3") \
      && [ -n "$value" ]; then
      echo "$value"
      return 0
    fi
    echo "pg_counters: try $try got no answer" >>"$3"
    sleep 2
  done
  echo null
}

# cluster_scenario RESULT TIMEOUT_S ARGS...
cluster_scenario() {
  local result=$1 limit=$2
  shift 2
  local left=$(( SCENARIO_BUDGET_S - RESERVED_S - $(elapsed) ))
  if [ "$left" -lt 120 ]; then
    echo "   $result: skipped, the run's time budget is spent"
    printf '{ "system": "blazorchat", "error": "skipped: the run\x27s time budget was spent" }\n' >"$RESULTS/$result.json"
    return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  local log="$LOGS/$result-cluster.log" address="$OUT/$result.address"
  rm -f "$address"
  # pg_stat_statements: the time PostgreSQL spends in the message appends and in commits (COMMIT statements).
  Chat__RateLimits__Enabled=false Logging__LogLevel__Default=Warning NODES=2 PG_SETTINGS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
    "$ROOT/cluster/run.sh" --app "$BUILD/blazorchat" --address-file "$address" >"$log" 2>&1 &
  CLUSTER_PID=$!
  local i
  for i in $(seq 1 300); do
    [ -s "$address" ] && break
    kill -0 "$CLUSTER_PID" 2>/dev/null || break
    sleep 0.5
  done
  if [ ! -s "$address" ]; then
    echo "   $result: the cluster did not start (see $log)"; tail -5 "$log" | sed 's/^/   /'
    printf '{ "system": "blazorchat", "error": "the cluster did not start" }\n' >"$RESULTS/$result.json"
    stop_cluster
    return 0
  fi
  local node1 node2 pg_port
  node1=$(sed -n 's/^node 1 on \(http[^ ]*\) .*/\1/p' "$log")
  node2=$(sed -n 's/^node 2 on \(http[^ ]*\) .*/\1/p' "$log")
  pg_port=$(sed -n 's/^PostgreSQL on 127.0.0.1:\([0-9]*\).*/\1/p' "$log")
  local stats="select json_build_object('xact_commit', xact_commit, 'active_ms', active_time, 'messages', (select count(*) from messages)) from pg_stat_database where datname = 'blazorchat'"
  # The message store's append statements (lock the conversations, number and insert) and every COMMIT, over the scenario.
  local statements="select json_build_object('append_ms', coalesce(sum(total_exec_time) filter (where query like 'WITH inserted AS%' or query like 'INSERT INTO conversations%' or query like 'SELECT key FROM conversations%'), 0), 'commits', coalesce(sum(calls) filter (where query = 'COMMIT'), 0), 'commit_ms', coalesce(sum(total_exec_time) filter (where query = 'COMMIT'), 0)) from pg_stat_statements"
  local before after timing rc=0
  pg_counters "$pg_port" "create extension if not exists pg_stat_statements; select pg_stat_statements_reset() is not null" "$log" >/dev/null
  before=$(pg_counters "$pg_port" "$stats" "$log")
  bounded "$limit" node "$ROOT/bench/load-client/src/bench.js" \
    --system blazorchat --url "$node2" --sender-url "$node1" --deadline-s $((limit - 30)) \
    --out "$RESULTS/$result.json" "$@" >/dev/null 2>"$LOGS/$result-client.log" || rc=$?
  after=$(pg_counters "$pg_port" "$stats" "$log")
  timing=$(pg_counters "$pg_port" "$statements" "$log")
  printf '{ "before": %s, "after": %s, "statements": %s }\n' "${before:-null}" "${after:-null}" "${timing:-null}" >"$RESULTS/$result-postgres.json"
  tail -n 4 "$LOGS/$result-client.log" | sed 's/^/   /'
  [ "$rc" -ne 0 ] && echo "   (load client exited $rc; the report shows what it measured)"
  stop_cluster
  return 0
}

cluster_scenarios() {
  step "cluster: two nodes on PostgreSQL, the sender on node 1 and the members on node 2 (fan-out, then sustained)"
  cluster_scenario cluster-fanout-blazorchat 780 --scenario fanout --sizes "$FANOUT_SIZES" --messages "$FANOUT_MESSAGES" --concurrency 16
  cluster_scenario cluster-sustained-blazorchat 150 --scenario sustained --room-size 100 --senders 10 --step-s 3 --max-rate "$MAX_RATE"
}

if [ "$ONLY" = "soak" ]; then
  soak_scenarios
elif [ "$ONLY" = "flood" ]; then
  flood_scenarios
  step "done in $(elapsed)s: $RESULTS/flood-blazorchat-limits-{on,off}.json (docs/benchmarks.md is left as it is)"
  exit 0
elif [ -z "$BASELINE_REV" ]; then
  registry

  step "fan-out: one sender, rooms of $FANOUT_SIZES, $FANOUT_MESSAGES messages each"
  fanout_peers
  blazorchat_scenario fanout blazorchat ""

  step "sustained: room of 100, 10 senders, send rate doubling every 3 s until p99 >= 200 ms, then two bisection steps"
  sustained_peer socketio
  sustained_peer signalr
  blazorchat_scenario sustained blazorchat ""

  step "memory: $MEMORY_CLIENTS idle clients, server RSS delta per client"
  memory_peers
  blazorchat_scenario memory-page blazorchat ""

  joins_scenarios
  soak_scenarios
else
  # A/B: this tree (A) and the baseline (B), per scenario A then B, round after round. Round 1's results of
  # this tree keep the usual file names (the rest of the report reads them); the others carry -rN or
  # -baseline-rN. A further round starts only if the budget left holds 1.2 times the longest round so far,
  # so that a round is never cut short by the budget half-way (one side measured, the other not).
  AB_ROUNDS=0
  AB_NOTES=()
  longest_round=0
  for k in $(seq 1 "$AB_ROUNDS_MAX"); do
    left=$(( SCENARIO_BUDGET_S - RESERVED_S - $(elapsed) ))
    if [ "$k" -gt 1 ] && [ "$left" -lt $(( longest_round * 12 / 10 )) ]; then
      AB_NOTES+=("round $k of $AB_ROUNDS_MAX not run: ${left} s of the scenario budget were left, and a round took up to ${longest_round} s")
      echo "   A/B round $k not run: ${left}s of the budget left, a round took up to ${longest_round}s"
      break
    fi
    round_start=$(elapsed)
    current_suffix=""
    [ "$k" -gt 1 ] && current_suffix="-r$k"
    for name in fanout sustained memory-page; do
      step "A/B round $k of up to $AB_ROUNDS_MAX, BlazorChat $name: this tree, then baseline $BASELINE_SHORT"
      blazorchat_scenario "$name" blazorchat "$current_suffix"
      blazorchat_scenario "$name" blazorchat@baseline "-baseline-r$k"
    done
    AB_ROUNDS=$k
    this_round=$(( $(elapsed) - round_start ))
    [ "$this_round" -gt "$longest_round" ] && longest_round=$this_round
  done

  # The other systems once, on what is left of the budget (what does not fit is skipped, and the report
  # lists it): the BlazorChat A/B comes first in an A/B run.
  step "the other systems, once (what the A/B rounds left of the budget): fan-out, sustained, memory"
  fanout_peers
  sustained_peer socketio
  sustained_peer signalr
  memory_peers
  registry
  # The joins and the soak for this tree (and the soak for the peers), not the baseline: see the top of this file.
  joins_scenarios
  soak_scenarios

  # What the report needs to name both revisions and the command that reproduces this run.
  AB_CURRENT_SHA=$CURRENT_SHA AB_CURRENT_DIRTY=$CURRENT_DIRTY AB_BASELINE_SHA=$BASELINE_SHA \
  AB_CURRENT_SHORT=$(git_field %h "$CURRENT_SHA") AB_CURRENT_SUBJECT=$(git_field %s "$CURRENT_SHA") \
  AB_BASELINE_SHORT=$BASELINE_SHORT AB_BASELINE_SUBJECT=$(git_field %s "$BASELINE_SHA") AB_BASELINE_REV=$BASELINE_REV \
  AB_ROUNDS=$AB_ROUNDS AB_ROUNDS_MAX=$AB_ROUNDS_MAX AB_QUICK=$QUICK AB_NOTES="$(printf '%s\n' "${AB_NOTES[@]}")" \
  node -e '
    const e = process.env;
    const ab = {
      current: { sha: e.AB_CURRENT_SHA, short: e.AB_CURRENT_SHORT, subject: e.AB_CURRENT_SUBJECT, dirty: e.AB_CURRENT_DIRTY === "1" },
      baseline: { rev: e.AB_BASELINE_REV, sha: e.AB_BASELINE_SHA, short: e.AB_BASELINE_SHORT, subject: e.AB_BASELINE_SUBJECT },
      rounds: Number(e.AB_ROUNDS),
      roundsMax: Number(e.AB_ROUNDS_MAX),
      command: `git checkout ${e.AB_CURRENT_SHORT} && ${e.AB_QUICK === "1" ? "BENCH_QUICK=1 " : ""}bench/run.sh --baseline ${e.AB_BASELINE_SHORT}`,
      notes: e.AB_NOTES.split("\n").filter(Boolean),
    };
    require("fs").writeFileSync(process.argv[1], JSON.stringify(ab, null, 2) + "\n");
  ' "$RESULTS/ab.json"
fi

# The cluster last, in both kinds of run, on what is left of the budget.
[ "$ONLY" = "soak" ] || cluster_scenarios

# ---- report ---------------------------------------------------------------------------------------
step "report: docs/benchmarks.md and the latency chart"
node "$ROOT/bench/report/report.js" --results "$RESULTS" --docs "$ROOT/docs" --quick "$QUICK" \
  --elapsed-s "$(elapsed)" --only "$ONLY"
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  bounded 60 env -C "$ROOT/docs" "${CHROMIUM:-/usr/bin/chromium}" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --hide-scrollbars --window-size=900,540 --screenshot="$ROOT/docs/benchmarks-latency.png" \
    "file://$ROOT/docs/benchmarks-latency.svg" >"$LOGS/chromium.log" 2>&1 \
    || echo "   (Chromium could not render the PNG; the SVG is the chart)"
else
  echo "   (no Chromium: the SVG is the chart)"
fi
if [ -n "$BASELINE_REV" ]; then
  # The A/B table on the console too: the lines from its header row to the first non-table line.
  awk '/^\| metric \| current: /{on=1} on&&!/^\|/{exit} on' "$ROOT/docs/benchmarks.md" | sed 's/^/   /'
fi
step "done in $(elapsed)s: docs/benchmarks.md"
