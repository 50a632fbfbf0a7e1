#!/usr/bin/env bash
# CPU-seconds per event of each service process, for before/after comparisons of one change on a shared machine
# (CPU time from /proc does not depend on what else runs; wall-clock rates do).
#
#   ./deploy/tools/cpu-per-event.sh [--src DIR] [--services "ingestion healthscore lifecycle renewal"] [--events N]
#                                   [--customers N] [--warmup N] [--batch N] [--concurrency N] [--port-base P]
#
# Starts the named services (Release build of DIR, default this checkout; build them first) in their own database and
# RabbitMQ vhost (both dropped at the end), posts --warmup events (JIT and pools warm), reads each process's CPU time,
# posts --events more with the load generator, waits until Ingestion's relay has published them and, when consumers
# run, until every queue of the vhost is drained, then prints each process's CPU-seconds per event of the measured part.
# With --services ingestion alone the relay still publishes (into the subscriber queues it declares), so the figure is
# the accept path plus the relay.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAY_PREFIX=cpu-per-event SAY_CLOCK=1
# shellcheck source=deploy/lib.sh
. "$SCRIPT_DIR/lib.sh"
SRC=$CS_REPO_ROOT
SERVICES="ingestion healthscore lifecycle renewal"
EVENTS=50000
CUSTOMERS=200
WARMUP=5000
BATCH=500
CONCURRENCY=4
PORT_BASE=58300
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC=$(cd "$2" && pwd); shift 2 ;;
    --services) SERVICES=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --customers) CUSTOMERS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
eval "$("$CS_REPO_ROOT/deploy/local/servers.sh" env)"
PG_HOST=127.0.0.1 PG_PORT=${CUSTOMERSUCCESS_PG_PORT:-55432}
DB=cs_cpu_$$
VHOST=cs_cpu_$$
MGMT=${CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:55673/}
AMQP_BASE=${CUSTOMERSUCCESS_TEST_RABBITMQ:-amqp://guest:guest@127.0.0.1:55672/}
PG_CONN="Host=$PG_HOST;Port=$PG_PORT;Username=postgres;Database=$DB;Maximum Pool Size=50"
AMQP_URI="${AMQP_BASE%/}/$VHOST"
KEY=cpu-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d /tmp/cs-cpu.XXXXXX)
SERVICE_CHECKOUT=$SRC
read -r -a NAMES <<<"$SERVICES"
declare -A PIDS=() PORTS=()
for name in "${NAMES[@]}"; do
  PORTS[$name]=$(service_port "$name" "$PORT_BASE")
  ! port_in_use "${PORTS[$name]}" || die "port ${PORTS[$name]} is in use; pick another --port-base"
done
INGESTION_URL="http://127.0.0.1:$(service_port ingestion "$PORT_BASE")"

psql_db() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

cleanup() {
  local name
  for name in "${NAMES[@]}"; do service_stop "$name" "$WORK/$name.pid"; done
  psql_db -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  curl -s -u guest:guest -X DELETE "${MGMT%/}/api/vhosts/$VHOST" >/dev/null || true
  if [ -n "${KEEP_LOGS:-}" ]; then cp "$WORK"/*.log "$KEEP_LOGS"/ 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

service_env() {
  export ASPNETCORE_URLS="http://127.0.0.1:${PORTS[$1]}" ASPNETCORE_ENVIRONMENT=Production
  export ConnectionStrings__Postgres="$PG_CONN" RabbitMq__Uri="$AMQP_URI" EventStore__DaemonMode=Solo
  export ApiKeys__Keys__0__Name=cpu ApiKeys__Keys__0__Key="$KEY" ApiKeys__Keys__0__PermitsPerSecond=100000
  export ApiKeys__Keys__0__Scopes__0=ingest ApiKeys__Keys__0__Scopes__1=read ApiKeys__Keys__0__Scopes__2=admin
  export Logging__LogLevel__Default=Warning Evaluations__Enabled=false
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

relay_caught_up() {
  [ "$(psql_db -d "$DB" -c "SELECT coalesce((SELECT last_seq_id FROM ingestion.mt_event_progression WHERE name LIKE 'broker-relay%'), 0) >= coalesce((SELECT max(seq_id) FROM ingestion.mt_events), 0)")" = t ]
}

queues_drained() { # every queue of the vhost empty (ready and unacknowledged), twice in a row
  local pending
  pending=$(curl -sf -u guest:guest "${MGMT%/}/api/queues/$VHOST?columns=name,messages" | jq '[.[] | select(.name | endswith("_error") | not) | .messages // 0] | add // 0')
  if [ "$pending" = 0 ]; then
    DRAINED_ONCE=$((${DRAINED_ONCE:-0} + 1))
  else
    DRAINED_ONCE=0
  fi
  [ "$DRAINED_ONCE" -ge 2 ]
}

load() { # load EVENTS PREFIX
  dotnet "$CS_LOADGEN_DLL" load --ingestion "$INGESTION_URL" --api-key "$KEY" --customers "$CUSTOMERS" --events "$1" \
    --prefix "$2" --batch "$BATCH" --concurrency "$CONCURRENCY" | tail -n 1
}

settle() {
  wait_for 600 "Ingestion's relay to publish everything" relay_caught_up || exit 1
  if [ "${#NAMES[@]}" -gt 1 ]; then
    DRAINED_ONCE=0
    WAIT_INTERVAL=1 wait_for 900 "the consumers to drain their queues" queues_drained || exit 1
  fi
}

[ -f "$CS_LOADGEN_DLL" ] || die "build the load generator first: dotnet build $CS_LOADGEN_PROJECT -c Release"
psql_db -d postgres -c "CREATE DATABASE $DB"
curl -sf -u guest:guest -X PUT "${MGMT%/}/api/vhosts/$VHOST" >/dev/null
curl -sf -u guest:guest -X PUT -H 'Content-Type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
  "${MGMT%/}/api/permissions/$VHOST/guest" >/dev/null
for name in "${NAMES[@]}"; do service_db_apply "$name" "$WORK/$name.log" || die "db apply failed for $name"; done
for name in "${NAMES[@]}"; do
  service_start "$name" "$WORK/$name.pid" "$WORK/$name.log"
  PIDS[$name]=$(<"$WORK/$name.pid")
done
for name in "${NAMES[@]}"; do
  wait_for 120 "$name to become ready" http_ready "${PORTS[$name]}" || { tail_log "$WORK/$name.log"; exit 1; }
done

say "warm-up: $WARMUP events"
load "$WARMUP" warm
settle
declare -A BEFORE=()
for name in "${NAMES[@]}"; do BEFORE[$name]=$(cpu_ticks "${PIDS[$name]}"); done
say "measured: $EVENTS events, $CUSTOMERS customers, batches of $BATCH, $CONCURRENCY in flight (services: ${NAMES[*]}; from $SRC)"
start=$(date +%s.%N)
load "$EVENTS" run
settle
end=$(date +%s.%N)
hz=$(getconf CLK_TCK)
for name in "${NAMES[@]}"; do
  ticks=$(( $(cpu_ticks "${PIDS[$name]}") - BEFORE[$name] ))
  printf '%-12s %8.2f CPU-s  %6.1f µs CPU per event\n' "$name" "$(echo "$ticks / $hz" | bc -l)" "$(echo "1000000 * $ticks / $hz / $EVENTS" | bc -l)"
done
printf 'wall clock from the first POST to drained: %.1f s\n' "$(echo "$end - $start" | bc -l)"
