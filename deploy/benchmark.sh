#!/usr/bin/env bash
# Benchmark: throughput, freshness, rebuild, raw ceilings and peak memory, in one run on this machine.
# Results are printed and written to docs/benchmarks.md.
#
#   ./deploy/benchmark.sh [--events N] [--customers N] [--freshness-seconds S] [--src DIR] [--out FILE] [--port-base P]
#                         [--rebuild-events N] [--rebuild-services "healthscore lifecycle renewal"] [--rebuild-only]
#                         [--history-days D] [--history-density E] [--bulk-lines N] [--no-replay] [--matrix]
#                         [--perf DIR] [--perf-seconds S] [--no-build]
#
# --history-days D: before the measured load every service's store already holds D days of the load's customers'
# events (E envelopes per customer and day, default 10), seeded straight into the stores (load generator `seed-store`,
# with their ids in each applied-id ledger and each relay's position at the end of its log), ending where the load's
# synthetic year begins. --matrix runs (customers, history days) = (200, 30), (200, 365), (5,000, 30), each with
# --events N (default 20,000), no replay, bulk or store rebuild, and prints end-to-end rate, CPU per event, peak RSS per
# service and store size per million events for each. --bulk-lines 0 skips the bulk request; --no-replay the replay.
# --perf DIR: the services and the load generator run with perf maps (DOTNET_PerfMapEnabled=1), and once the throughput
# phase starts `perf record -a -F 199 -g` samples the machine for S seconds (default 30); DIR gets perf.data, the `perf script`
# text and perf-summary.md (per process: samples by stage, threads, top self frames; load generator `perf-summary`).
# --no-build runs what is built (several runs side by side, or services published elsewhere and given with --src).
#
# Projection rebuild is measured two ways: the replay of Ingestion's whole log through the broker into an emptied
# HealthScore, and Marten's projection rebuild (`<Service>.dll projections rebuild`) over a store seeded directly
# (load generator `seed-store`: synthetic customers' events written with the service's own Marten configuration)
# until it holds --rebuild-events events (default 1,000,000). Lifecycle and Renewal get the same envelopes, of which
# they keep far fewer. --rebuild-only skips the pipeline phases and writes docs/benchmarks-rebuild.md instead.
#
# It needs the local PostgreSQL and RabbitMQ (deploy/local/servers.sh start; they are never stopped here) and
# isolates itself from anything else using them: its own database and RabbitMQ virtual host (both dropped at the
# end) and the four services started from DIR (default: this checkout, Release build) on ports P+1..P+4 (default P=57100).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAY_PREFIX=benchmark SAY_CLOCK=1
# shellcheck source=deploy/lib.sh
. "$SCRIPT_DIR/lib.sh"
REPO_ROOT=$CS_REPO_ROOT
EVENTS=300000
CUSTOMERS=1000
FRESHNESS_SECONDS=30
SRC=$REPO_ROOT
OUT=$REPO_ROOT/docs/benchmarks.md
PORT_BASE=57100
REBUILD_EVENTS=1000000
REBUILD_SERVICES="healthscore lifecycle renewal"
REBUILD_ONLY=false
HISTORY_DAYS=0
HISTORY_DENSITY=10
BULK_LINES=100000
REPLAY=true
MATRIX=false
SUMMARY=""
EVENTS_GIVEN=false
PERF_DIR=""
PERF_SECONDS=30
BUILD=true
COMMAND="./deploy/benchmark.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=$2; EVENTS_GIVEN=true; shift 2 ;;
    --customers) CUSTOMERS=$2; shift 2 ;;
    --freshness-seconds) FRESHNESS_SECONDS=$2; shift 2 ;;
    --src) SRC=$(cd "$2" && pwd); shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --rebuild-events) REBUILD_EVENTS=$2; shift 2 ;;
    --rebuild-services) REBUILD_SERVICES=$2; shift 2 ;;
    --rebuild-only) REBUILD_ONLY=true; OUT=$REPO_ROOT/docs/benchmarks-rebuild.md; shift ;;
    --history-days) HISTORY_DAYS=$2; shift 2 ;;
    --history-density) HISTORY_DENSITY=$2; shift 2 ;;
    --bulk-lines) BULK_LINES=$2; shift 2 ;;
    --no-replay) REPLAY=false; shift ;;
    --matrix) MATRIX=true; shift ;;
    --summary) SUMMARY=$2; shift 2 ;;
    --perf) mkdir -p "$2"; PERF_DIR=$(cd "$2" && pwd); shift 2 ;;
    --perf-seconds) PERF_SECONDS=$2; shift 2 ;;
    --no-build) BUILD=false; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -n "$PERF_DIR" ]; then
  command -v perf >/dev/null || die "--perf needs perf (apt-get install -y linux-perf)"
  # JIT-compiled frames resolve through /tmp/perf-PID.map; W^X off so the map's addresses are the executed ones.
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
fi

if [ "$MATRIX" = true ]; then
  [ "$EVENTS_GIVEN" = true ] || EVENTS=20000
  MATRIX_WORK=$(mktemp -d /tmp/cs-bench-matrix.XXXXXX)
  trap 'rm -rf "$MATRIX_WORK"' EXIT
  for config in "200 30" "200 365" "5000 30"; do
    read -r customers days <<<"$config"
    say "matrix: $customers customers, $days days of history, $EVENTS events"
    "$SCRIPT_DIR/benchmark.sh" --events "$EVENTS" --customers "$customers" --history-days "$days" --history-density "$HISTORY_DENSITY" \
      --freshness-seconds 5 --bulk-lines 0 --no-replay --rebuild-services "" --src "$SRC" --port-base "$PORT_BASE" \
      --out "$MATRIX_WORK/run-$customers-$days.md" --summary "$MATRIX_WORK/run-$customers-$days.txt"
  done
  value() { sed -n "s/^$2=//p" "$MATRIX_WORK/run-$1.txt"; }
  {
    echo "### Cost as work grows (\`$COMMAND\`, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown))"
    echo "History: $HISTORY_DENSITY envelopes per customer and day, seeded into every store before a load of $EVENTS events."
    echo
    echo "| customers | history days | events in Ingestion's log before the load | end to end, events/s | ÷ (200, 30) | machine CPU per event | stated ceiling | peak RSS ingestion / healthscore / lifecycle / renewal | store MiB per million ingested events: ingestion / healthscore / lifecycle / renewal |"
    echo "|---|---|---|---|---|---|---|---|---|"
    base=$(value 200-30 e2e)
    for config in 200-30 200-365 5000-30; do
      printf '| %s | %s | %s | %s | %s %% | %s ms | %s events/s | %s / %s / %s / %s MB | %s / %s / %s / %s |\n' "${config%-*}" "${config#*-}" \
        "$(value "$config" log_before)" "$(value "$config" e2e)" "$(( 100 * $(value "$config" e2e) / (base > 0 ? base : 1) ))" \
        "$(value "$config" cpu_ms_per_event)" "$(value "$config" ceiling)" \
        "$(value "$config" hwm_ingestion)" "$(value "$config" hwm_healthscore)" "$(value "$config" hwm_lifecycle)" "$(value "$config" hwm_renewal)" \
        "$(value "$config" mib_per_million_ingestion)" "$(value "$config" mib_per_million_healthscore)" \
        "$(value "$config" mib_per_million_lifecycle)" "$(value "$config" mib_per_million_renewal)"
    done
  } >"$MATRIX_WORK/matrix.md"
  cat "$MATRIX_WORK/matrix.md"
  if [ -n "$SUMMARY" ]; then cp "$MATRIX_WORK/matrix.md" "$SUMMARY"; fi
  exit 0
fi
eval "$("$REPO_ROOT/deploy/local/servers.sh" env)"
PG_HOST=127.0.0.1 PG_PORT=${CUSTOMERSUCCESS_PG_PORT:-55432}
DB=cs_bench_$$
VHOST=cs_bench_$$
MGMT=${CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:55673/}
AMQP_BASE=${CUSTOMERSUCCESS_TEST_RABBITMQ:-amqp://guest:guest@127.0.0.1:55672/}
PG_CONN="Host=$PG_HOST;Port=$PG_PORT;Username=postgres;Database=$DB;Maximum Pool Size=50"
AMQP_URI="${AMQP_BASE%/}/$VHOST"
KEY=bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d /tmp/cs-bench.XXXXXX)
LOADGEN=$CS_LOADGEN_DLL
# The services are started from --src.
SERVICE_CHECKOUT=$SRC
NAMES=("${CS_SERVICES[@]}")
declare -A PIDS=() PORTS=()
for name in "${NAMES[@]}"; do PORTS[$name]=$(service_port "$name" "$PORT_BASE"); done

psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

stop_service() {
  service_stop "$1" "$WORK/$1.pid"
  unset "PIDS[$1]"
}

cleanup() {
  local name
  for name in "${NAMES[@]}"; do stop_service "$name"; done
  psql_db -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  curl -s -u guest:guest -X DELETE "${MGMT%/}/api/vhosts/$VHOST" >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

service_env() {
  export ASPNETCORE_URLS="http://127.0.0.1:${PORTS[$1]}" ASPNETCORE_ENVIRONMENT=Production
  export ConnectionStrings__Postgres="$PG_CONN" RabbitMq__Uri="$AMQP_URI" EventStore__DaemonMode=Solo
  export ApiKeys__Keys__0__Name=bench ApiKeys__Keys__0__Key="$KEY" ApiKeys__Keys__0__PermitsPerSecond=100000
  export ApiKeys__Keys__0__Scopes__0=ingest ApiKeys__Keys__0__Scopes__1=read ApiKeys__Keys__0__Scopes__2=admin
  export Logging__LogLevel__Default=Warning
}

start_service() {
  service_start "$1" "$WORK/$1.pid" "$WORK/$1.log"
  PIDS[$1]=$(<"$WORK/$1.pid")
}

ready_or_gone() { # ready_or_gone NAME...: all answer /health/ready; gives up when one has exited
  local name
  for name in "$@"; do
    if ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      tail -n 40 "$WORK/$name.log" >&2; echo "$name did not become ready" >&2; exit 1
    fi
    http_ready "${PORTS[$name]}" || return 1
  done
}

wait_ready() {
  local name
  wait_for 300 "" ready_or_gone "$@" && return 0  # start-up on a busy shared machine can take minutes
  for name in "$@"; do
    http_ready "${PORTS[$name]}" || { tail -n 40 "$WORK/$name.log" >&2; echo "$name did not become ready" >&2; }
  done
  exit 1
}

# Seeds <service>'s store in its own schema, then times `projections rebuild` on it (the service is not running on it).
store_rebuild() {
  local name=$1 schema=rebuild_$1 dll start end output seeded load
  dll=$(service_dll "$name" "$SRC")
  say "store rebuild, $name: seeding schema $schema (target $REBUILD_EVENTS events)"
  dotnet "$LOADGEN" seed-store --service "$name" --postgres "$PG_CONN" --schema "$schema" --stored-events "$REBUILD_EVENTS" \
    --customers "$CUSTOMERS" >"$WORK/seed-$name.log" 2>&1 || { tail -n 30 "$WORK/seed-$name.log" >&2; exit 1; }
  seeded=$(grep '^seeded' "$WORK/seed-$name.log")
  say "$seeded"
  load=$(uptime | sed 's/.*load average: //')
  say "store rebuild, $name: projections rebuild (load average $load)"
  start=$(date +%s.%N)
  output=$(cd "$SRC/${CS_SERVICE_PROJECT[$name]}" && ConnectionStrings__Postgres="$PG_CONN" EventStore__Schema="$schema" EventStore__DaemonMode=Solo \
    RabbitMq__Uri="$AMQP_URI" Logging__LogLevel__Default=Warning /usr/bin/time -f 'peak RSS %M KB' dotnet "$dll" projections rebuild 2>&1) \
    || { echo "$output" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$output" | tee -a "$WORK/store-rebuild.log"
  local events seconds wall projections rss
  events=$(echo "$output" | sed -n 's/^projections rebuild: .* from \([0-9]*\) events in .*/\1/p')
  seconds=$(echo "$output" | sed -n 's/^projections rebuild: .* streams in \([0-9.]*\) s$/\1/p')
  projections=$(echo "$output" | sed -n 's/^projections rebuild: schema [^:]*: \(.*\) from [0-9]* events.*/\1/p')
  rss=$(echo "$output" | sed -n 's/^peak RSS \([0-9]*\) KB/\1/p')
  wall=$(echo "$end - $start" | bc)
  # shellcheck disable=SC2016  # the backquotes are Markdown
  printf '| %s projections rebuilt from its own store (`projections rebuild`: %s) | %s events (%s) | %s s (process %.1f s) | %s events/s | %s s |\n' \
    "$name" "$projections" "$events" "${seeded#*): }" "$seconds" "$wall" \
    "$(echo "$events / $seconds" | bc)" "$(echo "1000000 * $seconds / $events" | bc)" >>"$WORK/store-rebuild.md"
  echo "| $name, \`projections rebuild\` process | $((rss / 1024)) MB |" >>"$WORK/store-rebuild-rss.md"
  echo "$load" >>"$WORK/store-rebuild-load.txt"
}

hwm_mb() { awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

if [ "$BUILD" = true ]; then
  say "building (Release): services from $SRC, load generator from $REPO_ROOT"
  for name in "${NAMES[@]}"; do
    dotnet build "$SRC/${CS_SERVICE_PROJECT[$name]}" -c "$CS_CONFIGURATION" -nologo -v q >"$WORK/build-$name.log" 2>&1 || { tail -n 30 "$WORK/build-$name.log" >&2; exit 1; }
  done
  dotnet build "$REPO_ROOT/$CS_LOADGEN_PROJECT" -c "$CS_CONFIGURATION" -nologo -v q >"$WORK/build-loadgen.log" 2>&1 || { tail -n 30 "$WORK/build-loadgen.log" >&2; exit 1; }
fi

say "database $DB, RabbitMQ vhost $VHOST, services on ports ${PORTS[ingestion]}-${PORTS[renewal]}"
psql_db -d postgres -c "CREATE DATABASE $DB"
curl -sf -u guest:guest -X PUT "${MGMT%/}/api/vhosts/$VHOST" >/dev/null
curl -sf -u guest:guest -X PUT -H 'Content-Type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
  "${MGMT%/}/api/permissions/$VHOST/guest" >/dev/null
LOAD_BEFORE=$(uptime | sed 's/.*load average/load average/')
OTHERS=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 { printf "%s%s (%s%%)", sep, $2, $1; sep=", " }')

if [ "$REBUILD_ONLY" = false ]; then
for name in "${NAMES[@]}"; do service_db_apply "$name" "$WORK/$name.log" || die "db apply failed for $name"; done
if [ "$HISTORY_DAYS" -gt 0 ]; then
  # The history ends where the load's synthetic year (the year up to today) begins; same customers, other envelope ids.
  history_until=$(date -u -d '-365 days' +%Y-%m-%d)
  history_envelopes=$(( CUSTOMERS * HISTORY_DAYS * HISTORY_DENSITY ))
  for name in "${NAMES[@]}"; do
    say "history: $HISTORY_DAYS days ($history_envelopes envelopes up to $history_until) into $name's store"
    dotnet "$LOADGEN" seed-store --service "$name" --postgres "$PG_CONN" --schema "$name" --envelopes "$history_envelopes" \
      --customers "$CUSTOMERS" --prefix t --event-prefix h --days "$HISTORY_DAYS" --until "$history_until" --ledger true --relays-caught-up true \
      >"$WORK/history-$name.log" 2>&1 || { tail -n 30 "$WORK/history-$name.log" >&2; exit 1; }
    say "$(grep '^seeded' "$WORK/history-$name.log")"
  done
fi
for name in "${NAMES[@]}"; do start_service "$name"; done
wait_ready "${NAMES[@]}"
pid_list=""
for name in "${NAMES[@]}"; do pid_list+="${pid_list:+,}$name=${PIDS[$name]}"; done
say "running the measured phases ($EVENTS events, $CUSTOMERS customers)"
dotnet "$LOADGEN" benchmark --ingestion "http://127.0.0.1:${PORTS[ingestion]}" --healthscore "http://127.0.0.1:${PORTS[healthscore]}" \
  --lifecycle "http://127.0.0.1:${PORTS[lifecycle]}" --renewal "http://127.0.0.1:${PORTS[renewal]}" --api-key "$KEY" \
  --postgres "$PG_CONN" --rabbitmq "$AMQP_URI" --rabbitmq-management "$MGMT" --vhost "$VHOST" --pids "$pid_list" --events "$EVENTS" --customers "$CUSTOMERS" \
  --freshness-seconds "$FRESHNESS_SECONDS" --bulk-lines "$BULK_LINES" --out "$WORK/results.md" --summary "$WORK/summary.txt" --phase-file "$WORK/phase" &
LOADGEN_PID=$!
PERF_PID=""
if [ -n "$PERF_DIR" ]; then
  # Once the load generator says the throughput phase began, PERF_SECONDS s of the whole machine (`-p` with the services'
  # pids lost its data on a busy machine); the summary picks the services, the load generator, PostgreSQL and RabbitMQ.
  echo "$pid_list,loadgen=$LOADGEN_PID" >"$PERF_DIR/pids"
  (
    wait_for 1800 "the throughput phase" grep -qs throughput "$WORK/phase" || exit 0
    perf record -a -F 199 -g --proc-map-timeout 20000 -o "$PERF_DIR/perf.data" -- sleep "$PERF_SECONDS" >"$PERF_DIR/record.log" 2>&1
  ) &
  PERF_PID=$!
fi
wait "$LOADGEN_PID"
if [ -n "$PERF_PID" ]; then
  wait "$PERF_PID" || true
  if [ -s "$PERF_DIR/perf.data" ]; then
    say "perf: summarising $PERF_DIR/perf.data"
    perf script -i "$PERF_DIR/perf.data" -F comm,pid,tid,ip,sym >"$PERF_DIR/perf.script" 2>"$PERF_DIR/script.log" || true
    dotnet "$LOADGEN" perf-summary --input "$PERF_DIR/perf.script" --pids "$(cat "$PERF_DIR/pids")" --out "$PERF_DIR/perf-summary.md" >/dev/null
  fi
fi
if [ "$HISTORY_DAYS" -gt 0 ]; then
  echo "History before the load: $HISTORY_DAYS days of the same customers' events, $HISTORY_DENSITY envelopes per customer and day, seeded into every store (\`seed-store\`)." >>"$WORK/notes.md"
fi

declare -A HWM=()
for name in "${NAMES[@]}"; do HWM[$name]=$(hwm_mb "${PIDS[$name]}"); echo "hwm_$name=${HWM[$name]}" >>"$WORK/summary.txt"; done
if [ -n "$SUMMARY" ]; then cp "$WORK/summary.txt" "$SUMMARY"; fi
LOG_EVENTS=$(psql_db -d "$DB" -c "SELECT count(*) FROM ingestion.mt_events")
LOG_EVENTS_TEXT="Ingestion's log held $LOG_EVENTS events."
HS_REBUILD_HWM=""
if [ "$REPLAY" = true ]; then
# The applied-id ledger: the narrow table where the schema has one, else the Marten documents of earlier versions.
HS_LEDGER=$(psql_db -d "$DB" -c "SELECT coalesce(to_regclass('healthscore.applied_events'), to_regclass('healthscore.mt_doc_appliedevent'))")
HS_EXPECTED=$(psql_db -d "$DB" -c "SELECT count(*) FROM $HS_LEDGER")

say "rebuild: HealthScore's schema dropped, service restarted, the whole log replayed to it ($HS_EXPECTED events it keeps)"
stop_service healthscore
psql_db -d "$DB" -c "DROP SCHEMA healthscore CASCADE"
service_db_apply healthscore "$WORK/healthscore.log" || die "db apply failed for healthscore"
start_service healthscore
wait_ready healthscore
dotnet "$LOADGEN" rebuild --ingestion "http://127.0.0.1:${PORTS[ingestion]}" --api-key "$KEY" --postgres "$PG_CONN" \
  --expected "$HS_EXPECTED" --out "$WORK/rebuild.md"
HS_REBUILD_HWM=$(hwm_mb "${PIDS[healthscore]}")
HWM[ingestion]=$(hwm_mb "${PIDS[ingestion]}")
fi
for name in "${NAMES[@]}"; do stop_service "$name"; done
fi

# The services are stopped (or never started): nothing else runs on the seeded schemas.
for name in $REBUILD_SERVICES; do store_rebuild "$name"; done
LOAD_AFTER=$(uptime | sed 's/.*load average/load average/')

mkdir -p "$(dirname "$OUT")"
{
  echo "# Benchmarks"
  echo
  echo "Produced by \`$COMMAND\` on $(date -u +%Y-%m-%dT%H:%MZ) (commit $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo unknown))."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release), $(dotnet --version | sed 's/^/.NET SDK /'), PostgreSQL $(psql_db -d postgres -c 'SHOW server_version'), RabbitMQ $(curl -s -u guest:guest "${MGMT%/}/api/overview" | sed -n 's/.*"rabbitmq_version":"\([^"]*\)".*/\1/p'); broker, database, the four services and the load generator all on the same cores."
  echo "Services: Release build, ports ${PORTS[ingestion]}-${PORTS[renewal]}, own database and vhost, \`EventStore:DaemonMode=Solo\`, API-key rate limit raised to 100,000 requests/s, log level Warning; otherwise defaults (\`RabbitMq:PrefetchCount\` 32, \`ConcurrentMessageLimit\` 1, \`MessagesPerCommit\` 16, \`EventsPerCommit\` 8,000, \`CustomersPerCommit\` 400); tiered PGO off (\`Directory.Build.props\`)."
  echo "Runtime settings from the environment: $(env | grep -E '^DOTNET_(Tiered|TC_|ReadyToRun|TieredPGO|gcServer|PerfMap|EnableWriteXorExecute)' | sort | paste -sd' ' | sed 's/^$/none/')."
  echo "Other load on the machine (shared with other engineers): before the run $LOAD_BEFORE; processes above 5 % CPU: ${OTHERS:-none}; after the run $LOAD_AFTER."
  echo
  echo "## Results"
  echo
  if [ "$REBUILD_ONLY" = false ]; then cat "$WORK/results.md"; echo; else echo "(\`--rebuild-only\`: the pipeline phases were not run.)"; echo; fi
  echo "### Projection rebuild"
  if { [ "$REBUILD_ONLY" = true ] || [ "$REPLAY" = false ]; } && [ ! -s "$WORK/store-rebuild.md" ]; then
    echo "Not run in this benchmark (\`--rebuild-services \"\"\`, \`--no-replay\`)."
    echo
    if [ "$REBUILD_ONLY" = false ]; then echo "$LOG_EVENTS_TEXT"; echo; fi
  else
  echo "| what | events | time | rate | 1M events at this rate |"
  echo "|---|---|---|---|---|"
  if [ "$REBUILD_ONLY" = false ] && [ "$REPLAY" = true ]; then cat "$WORK/rebuild.md"; fi
  cat "$WORK/store-rebuild.md" 2>/dev/null || true
  echo
  if [ "$REBUILD_ONLY" = false ]; then echo "$LOG_EVENTS_TEXT"; fi
  if [ "$REBUILD_ONLY" = false ] && [ "$REPLAY" = true ]; then echo "The replay row sends Ingestion's log through the broker into an emptied HealthScore (its consumers re-derive everything)."; fi
  if [ -s "$WORK/store-rebuild.md" ]; then
    echo "The \`projections rebuild\` rows are Marten's projection rebuild over stores seeded directly with the synthetic customers' events"
    echo "(load generator \`seed-store\`, $CUSTOMERS customers, the service's own Marten configuration, \`ANALYZE\` after seeding), services stopped;"
  fi
  if [ -s "$WORK/store-rebuild-load.txt" ]; then
    echo "time is the command's own (projections only), the process time includes start-up. Load average when each rebuild started: $(paste -sd';' "$WORK/store-rebuild-load.txt" | sed 's/;/; /g')."
  fi
  echo
  fi
  echo "### Peak resident memory (VmHWM)"
  echo "| service | peak RSS |"
  echo "|---|---|"
  if [ "$REBUILD_ONLY" = false ]; then
    for name in "${NAMES[@]}"; do echo "| $name | ${HWM[$name]} MB |"; done
    if [ -n "$HS_REBUILD_HWM" ]; then echo "| healthscore, during the rebuild (new process) | $HS_REBUILD_HWM MB |"; fi
  fi
  cat "$WORK/store-rebuild-rss.md" 2>/dev/null || true
} >"$OUT.tmp"
if [ -f "$WORK/notes.md" ]; then cat "$WORK/notes.md" >>"$OUT.tmp"; fi
# The hand-written method section of the file being replaced (from its "## Method" heading on) is kept.
if [ -f "$OUT" ] && grep -q '^## Method' "$OUT"; then { echo; sed -n '/^## Method/,$p' "$OUT"; } >>"$OUT.tmp"; fi
mv "$OUT.tmp" "$OUT"
cat "$OUT"
say "written to $OUT"
