#!/usr/bin/env bash
# Runs every test of BlazorChat: unit and bunit component tests (BlazorChat.Tests, whose PostgreSQL tests start a
# server of their own), Playwright end-to-end tests in Chromium (e2e) and the load client's node tests (bench/load-client). Installs Debian's Chromium and PostgreSQL
# first when they are missing, since this machine's registry cannot serve Playwright's own browser build. Ends with one
# line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

# Installs Debian packages (with sudo when not root); a failure ends the run with the summary line.
install_packages() {
  local what=$1; shift
  echo "$what is missing: installing Debian's $1 package."
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null \
    || { echo "Could not install $1"; echo "0 passed, 1 failed"; exit 1; }
}

if [ -z "${BLAZORCHAT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  install_packages Chromium chromium fonts-dejavu-core
fi
# The PostgreSQL tests run initdb and pg_ctl themselves (BLAZORCHAT_POSTGRES_BIN, or /usr/lib/postgresql/<version>/bin).
if [ -z "${BLAZORCHAT_POSTGRES_BIN:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  install_packages PostgreSQL postgresql
fi

# The e2e BigRoomTests start the project's load client (bench/load-client, Node 20) for their 1,000 headless members:
# install its packages on a fresh clone (npm ci, from its package-lock.json).
if [ ! -d bench/load-client/node_modules ]; then
  echo "bench/load-client/node_modules is missing: running npm ci there."
  (cd bench/load-client && npm ci --no-audit --no-fund) \
    || { echo "npm ci in bench/load-client failed"; echo "0 passed, 1 failed"; exit 1; }
fi

log=$(mktemp)
# One project after the other: the unit and component tests measure the page's round trips, and a browser run beside
# them on two cores would only make them slower, not more real.
status=0
for project in BlazorChat.Tests e2e; do
  dotnet test "$project" "$@" 2>&1 | tee -a "$log"
  project_status=${PIPESTATUS[0]}
  [ "$project_status" -ne 0 ] && status=$project_status
done

# One summary line per test project, e.g. "Passed!  - Failed:     0, Passed:    13, Skipped:     0, ...".
# The load client's own tests (node's test runner, TAP): it drives the e2e big room and the benchmarks, so a broken
# render-batch reader is caught here and not as a benchmark that measures the wrong thing. Its "# pass N" / "# fail N"
# summary is turned into the same "Passed! - Failed: F, Passed: P, Skipped: S" line the sum below reads.
node_log=$(mktemp)
(cd bench/load-client && node --test --test-reporter=tap test/) >"$node_log" 2>&1
node_status=$?
cat "$node_log"
[ "$node_status" -ne 0 ] && status=$node_status
awk '/^# (pass|fail|skipped) / { n[$2] = $3 } END {
  if (!("pass" in n)) { print "Failed! - Failed: 1, Passed: 0, Skipped: 0 - bench/load-client (no test summary)"; exit }
  printf "%s! - Failed: %d, Passed: %d, Skipped: %d - bench/load-client (node --test)\n", (n["fail"] ? "Failed" : "Passed"), n["fail"], n["pass"], n["skipped"]
}' "$node_log" | tee -a "$log"
rm -f "$node_log"

read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(/,/, ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
rm -f "$log"

# A build error or a crashed test host prints no summary: never let that read as success.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
[ "$skipped" -ne 0 ] && echo "(${skipped} skipped)"
echo "${passed} passed, ${failed} failed"
exit "$status"
