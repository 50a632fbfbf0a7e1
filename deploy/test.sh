#!/usr/bin/env bash
# Runs the whole test suite against local PostgreSQL + RabbitMQ.
#
#   ./deploy/test.sh                          all tests, then the short fault suite (deploy/faults.sh --short)
#   ./deploy/test.sh --filter "FullyQualifiedName~HealthScore"   extra args go to `dotnet test`
#
# Servers: deploy/local/servers.sh start (fsync off for speed), unless CUSTOMERSUCCESS_TEST_POSTGRES
# and CUSTOMERSUCCESS_TEST_RABBITMQ are already set (then those are used). The servers are left
# running so the next run starts fast; `deploy/local/servers.sh stop` stops them.
#
# Results: .local/test-results/<run>/ (one .trx per test assembly, console.log).
# After the tests: shellcheck over every script (one check) and the short fault suite (one check each).
# Last line printed: "N passed, N failed, N skipped". Exit code non-zero when the build, any test or a check
# failed, or when no test ran.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAY_PREFIX="test"
# shellcheck source=deploy/lib.sh
. "$SCRIPT_DIR/lib.sh"
REPO_ROOT=$CS_REPO_ROOT
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- solution -------------------------------------------------------------------------------
SOLUTION=${CUSTOMERSUCCESS_SOLUTION:-}
if [ -z "$SOLUTION" ]; then
  for candidate in CustomerSuccess.sln CustomerSuccess.slnx; do
    if [ -f "$candidate" ]; then SOLUTION=$candidate; break; fi
  done
fi
if [ -z "$SOLUTION" ] || [ ! -f "$SOLUTION" ]; then
  say "solution not found (CustomerSuccess.sln / .slnx in $REPO_ROOT)"
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi

# --- prerequisites ----------------------------------------------------------------------------
# The Debian packages the suite needs (servers, script tools, promtool/Prometheus, Node.js, kubectl), when missing.
if ! install_test_prerequisites; then
  say "could not install the test prerequisites (see messages above)"
  echo "0 passed, 0 failed, 0 skipped"
  exit 1
fi

# --- servers --------------------------------------------------------------------------------
if [ -n "${CUSTOMERSUCCESS_TEST_POSTGRES:-}" ] && [ -n "${CUSTOMERSUCCESS_TEST_RABBITMQ:-}" ]; then
  say "using servers from the environment (CUSTOMERSUCCESS_TEST_POSTGRES / _RABBITMQ are set)"
  [ -n "${CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT:-}" ] \
    || say "warning: CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT is not set"
else
  if ! CUSTOMERSUCCESS_PG_FAST=1 "$REPO_ROOT/deploy/local/servers.sh" start; then
    say "could not start the local servers (see messages above)"
    echo "0 passed, 0 failed, 0 skipped"
    exit 1
  fi
  eval "$("$REPO_ROOT/deploy/local/servers.sh" env)"
fi
export CUSTOMERSUCCESS_TEST_POSTGRES CUSTOMERSUCCESS_TEST_RABBITMQ
if [ -n "${CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT:-}" ]; then export CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT; fi

# --- run ------------------------------------------------------------------------------------
RESULTS_ROOT="$REPO_ROOT/.local/test-results"
RUN_DIR="$RESULTS_ROOT/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$RUN_DIR"
# keep the 10 most recent runs
find "$RESULTS_ROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -r | tail -n +11 |
  while IFS= read -r old; do rm -rf "${RESULTS_ROOT:?}/$old"; done

# Pinned Node.js tools the tests run (the OpenAPI linter, schema validators), from their lock files.
say "installing the pinned Node.js test tools (deploy/tools, npm ci from package-lock.json)"
if ! "$REPO_ROOT/deploy/tools/install.sh"; then
  say "could not install deploy/tools (Node.js 20.19+ with npm is needed); the tests that run them will fail"
fi

# The CRM sample's packages (amqplib, cloudevents, standardwebhooks), so no test needs the registry mid-run. npm ci
# writes node_modules/.package-lock.json; when it matches the committed lock, the install is skipped.
CRM_SAMPLE="$REPO_ROOT/deploy/crm-sample"
say "installing the CRM sample's npm packages (deploy/crm-sample, npm ci from package-lock.json)"
if ! (cd "$CRM_SAMPLE" && { [[ -f node_modules/.package-lock.json ]] && node -e '
    const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
    const strip = p => JSON.stringify(Object.fromEntries(Object.entries(p).filter(([k]) => k !== "")));
    process.exit(strip(a) === strip(b) ? 0 : 1);' 2>/dev/null || npm ci --no-audit --no-fund --loglevel=error; }); then
  say "could not install deploy/crm-sample (Node.js 20+ with npm is needed); the CRM sample tests will fail"
fi

HANG_TIMEOUT=${CUSTOMERSUCCESS_TEST_HANG_TIMEOUT:-20m}
say "dotnet test $SOLUTION -c $CS_CONFIGURATION (results in ${RUN_DIR#"$REPO_ROOT/"})"
set +e
dotnet test "$SOLUTION" -c "$CS_CONFIGURATION" \
  --results-directory "$RUN_DIR" \
  --logger trx \
  --logger "console;verbosity=minimal" \
  --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none \
  "$@" 2>&1 | tee "$RUN_DIR/console.log"
test_rc=${PIPESTATUS[0]}
set -e

# --- summary --------------------------------------------------------------------------------
# One attribute of the <Counters .../> element of a trx file (0 when absent).
counter() {
  local v
  v=$(grep -o '<Counters [^>]*' "$1" | grep -o " $2=\"[0-9]*\"" | head -n 1 | tr -dc '0-9')
  printf '%s' "${v:-0}"
}

passed=0 failed=0 skipped=0 trx_count=0
while IFS= read -r -d '' trx; do
  trx_count=$((trx_count + 1))
  t=$(counter "$trx" total)
  p=$(counter "$trx" passed)
  f=$(( $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted) ))
  n=$(counter "$trx" notExecuted)
  # notExecuted = skipped tests; anything else not accounted for (e.g. inconclusive) is skipped too
  s=$(( t - p - f ))
  [ "$s" -lt "$n" ] && s=$n
  [ "$s" -lt 0 ] && s=0
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done < <(find "$RUN_DIR" -name '*.trx' -print0)

echo
say "per-assembly results:"
if ! grep -E '^[[:space:]]*(Passed|Failed|Skipped|Aborted)![[:space:]]+-' "$RUN_DIR/console.log"; then
  say "  (no per-assembly summary lines from the test runner)"
fi
say "trx files: $trx_count in ${RUN_DIR#"$REPO_ROOT/"}"

rc=0
if grep -qE ': error [A-Z]+[0-9]+' "$RUN_DIR/console.log"; then
  say "FAILED: build errors:"
  grep -E ': error [A-Z]+[0-9]+' "$RUN_DIR/console.log" | sort -u | head -n 30
  rc=1
fi
if [ "$test_rc" -ne 0 ]; then
  if [ "$trx_count" -eq 0 ]; then say "FAILED: build failed or no test assembly ran (dotnet test exit $test_rc)"
  else say "FAILED: dotnet test exited with $test_rc"; fi
  rc=1
fi
if [ "$failed" -gt 0 ]; then
  say "FAILED tests:"
  grep -h -o '<UnitTestResult [^>]*outcome="Failed"[^>]*' "$RUN_DIR"/*.trx 2>/dev/null \
    | grep -o 'testName="[^"]*"' | sed 's/^testName="/  - /; s/"$//' || true
  rc=1
fi
if [ $((passed + failed)) -eq 0 ]; then
  say "FAILED: no test ran"
  rc=1
fi

# --- shellcheck ---------------------------------------------------------------------------------
# Every script of the repository, as one check counted in the summary (skipped when shellcheck is not installed:
# apt-get install -y shellcheck; .ci/run installs it).
SHELL_SCRIPTS=(deploy/*.sh deploy/local/*.sh .ci/run)
if command -v shellcheck >/dev/null 2>&1; then
  if shellcheck -x "${SHELL_SCRIPTS[@]}" >"$RUN_DIR/shellcheck.log" 2>&1; then
    say "shellcheck: ${#SHELL_SCRIPTS[@]} scripts clean"
    passed=$((passed + 1))
  else
    say "FAILED: shellcheck (${#SHELL_SCRIPTS[@]} scripts; log in ${RUN_DIR#"$REPO_ROOT/"}/shellcheck.log):"
    sed 's/^/  /' "$RUN_DIR/shellcheck.log" | head -n 60
    failed=$((failed + 1))
    rc=1
  fi
else
  say "shellcheck not installed; the script check is skipped (apt-get install -y shellcheck)"
  skipped=$((skipped + 1))
fi

# --- fault suite (short variant) ------------------------------------------------------------------
# Kills and restarts each service, RabbitMQ and PostgreSQL under load (its own servers, never the ones above) and
# reconciles by envelope id; each of its checks counts as one test. Skipped when a --filter or other arguments
# narrow the run, or with CUSTOMERSUCCESS_SKIP_FAULTS=1.
if [ "$#" -eq 0 ] && [ "${CUSTOMERSUCCESS_SKIP_FAULTS:-0}" != 1 ] && [ "$trx_count" -gt 0 ]; then
  echo
  say "fault suite: ./deploy/faults.sh --short (log in ${RUN_DIR#"$REPO_ROOT/"}/faults.log)"
  set +e
  "$REPO_ROOT/deploy/faults.sh" --short </dev/null 2>&1 | tee "$RUN_DIR/faults.log"
  faults_rc=${PIPESTATUS[0]}
  set -e
  faults_line=$(grep -E '^faults: [0-9]+ passed, [0-9]+ failed' "$RUN_DIR/faults.log" | tail -n 1 || true)
  if [ -n "$faults_line" ]; then
    fp=$(sed -E 's/^faults: ([0-9]+) passed.*/\1/' <<<"$faults_line")
    ff=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$faults_line")
    passed=$((passed + fp)); failed=$((failed + ff))
  else
    failed=$((failed + 1))
  fi
  if [ "$faults_rc" -ne 0 ]; then
    say "FAILED: the fault suite (exit $faults_rc):"
    grep -E '^check fail|FAIL ' "$RUN_DIR/faults.log" | sed 's/^/  /' || true
    rc=1
  fi
fi
echo "$passed passed, $failed failed, $skipped skipped" | tee "$RESULTS_ROOT/last-summary.txt"
exit "$rc"
