#!/usr/bin/env bash
# Fault suite: under steady load, kill -9 in turn Ingestion, HealthScore, Lifecycle, Renewal, RabbitMQ and PostgreSQL,
# and stop each service with SIGTERM (it must exit cleanly within its shutdown bound), restart each, then reconcile by envelope id: every envelope answered 202 is in Ingestion's log once and in every
# service that keeps its type once (lost / doubled per fault), each read model equals a clean rebuild of it, the
# error queues hold exactly the messages poisoned on purpose, and every CRM feed event a service stored (health,
# stage, tier, risk, renewal window) reached a tap queue on the integration exchange, Renewal's feed store once, and a
# webhook receiver that stays up through the kills.
#
#   ./deploy/faults.sh            full run: 300 events/s, 20 s of load around each fault, 5 s down
#   ./deploy/faults.sh --short    the CI variant (deploy/test.sh runs it): 150 events/s, 8 s around each fault, 2 s down
#   options: --rate N  --phase-seconds S  --down-seconds S  --port-base P  --keep-servers  --out FILE
#            --only postgres,rabbitmq,sigterm-renewal   (a subset of the faults, in that order)
#
# It kills servers, so it never uses the shared ones: its own PostgreSQL (fsync on) and RabbitMQ node with state in
# .local/faults, on ports P+332 (PostgreSQL), P+572/P+573/P+574 (AMQP/management/distribution), and the four
# services (Release build) on P+1..P+4; P defaults to 28100 (below the kernel's ephemeral ports, 32768-60999 here: a port in that range can be
# taken at any moment by some process's outgoing connection). Those servers are stopped at the end (--keep-servers
# leaves them running). The last line is "faults: N passed, N failed"; the exit code is non-zero when a check failed.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAY_PREFIX=faults SAY_CLOCK=1
# shellcheck source=deploy/lib.sh
. "$SCRIPT_DIR/lib.sh"
REPO_ROOT=$CS_REPO_ROOT
RATE=300 PHASE_SECONDS=20 DOWN_SECONDS=5 PORT_BASE=28100 KEEP_SERVERS=0 OUT="" ONLY=()
COMMAND="./deploy/faults.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --short) RATE=150; PHASE_SECONDS=8; DOWN_SECONDS=2; shift ;;
    --rate) RATE=$2; shift 2 ;;
    --phase-seconds) PHASE_SECONDS=$2; shift 2 ;;
    --down-seconds) DOWN_SECONDS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --keep-servers) KEEP_SERVERS=1; shift ;;
    --only) IFS=, read -r -a ONLY <<<"$2"; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Its own servers, durable settings (a crash must not be hidden by fsync=off), whatever the caller had exported.
unset CUSTOMERSUCCESS_PG_FAST
export CUSTOMERSUCCESS_LOCAL_DIR="$REPO_ROOT/.local/faults"
export CUSTOMERSUCCESS_PG_PORT=$((PORT_BASE + 332))
export CUSTOMERSUCCESS_RABBITMQ_PORT=$((PORT_BASE + 572))
export CUSTOMERSUCCESS_RABBITMQ_MANAGEMENT_PORT=$((PORT_BASE + 573))
export CUSTOMERSUCCESS_RABBITMQ_DIST_PORT=$((PORT_BASE + 574))
# A second --port-base gets its own node name too, so two runs side by side do not meet in epmd.
export CUSTOMERSUCCESS_RABBITMQ_NODENAME=customersuccess-faults@localhost
[ "$PORT_BASE" -eq 28100 ] || CUSTOMERSUCCESS_RABBITMQ_NODENAME=customersuccess-faults-$PORT_BASE@localhost
SERVERS="$REPO_ROOT/deploy/local/servers.sh"
PG_PORT=$CUSTOMERSUCCESS_PG_PORT
MGMT="http://127.0.0.1:$CUSTOMERSUCCESS_RABBITMQ_MANAGEMENT_PORT"
DB=faults
VHOST=faults
CRM_EXCHANGE=customersuccess.integration
TAP_QUEUE=faults-crm-tap
PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$DB;Maximum Pool Size=40"
AMQP_URI="amqp://guest:guest@127.0.0.1:$CUSTOMERSUCCESS_RABBITMQ_PORT/$VHOST"
KEY=faults-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK="$REPO_ROOT/.local/faults/run"
LOADGEN=$CS_LOADGEN_DLL
# Each service's kill -9, then its graceful stop (SIGTERM: drain, save progress, exit within the bound), then the servers'.
FAULTS=()
for name in "${CS_SERVICES[@]}"; do FAULTS+=("$name" "sigterm-$name"); done
FAULTS+=(rabbitmq postgres)
if [ "${#ONLY[@]}" -gt 0 ]; then FAULTS=("${ONLY[@]}"); fi
NAMES=("${CS_SERVICES[@]}")
CONSUMERS=("${CS_CONSUMERS[@]}")
# The main consumer queue of each consuming service (each gets the deliberately poisoned messages) and the message
# type of an ingested batch: read from the load generator's `wire-names` once it is built.
declare -A MAIN_QUEUE=() WIRE=()
declare -A PORTS=()
for name in "${NAMES[@]}"; do PORTS[$name]=$(service_port "$name" "$PORT_BASE"); done
LOAD_PID="" HOOK_PID=""
HOOK_PORT=$((PORT_BASE + 90))

# Every port this run listens on or starts a server on must be free before anything is built or started: a port held
# by another process (a run killed half-way, a second run on the same --port-base, anything else) would otherwise fail
# minutes later as a service that never becomes ready. Its own PostgreSQL and RabbitMQ left running by --keep-servers
# may hold theirs: servers.sh reuses them.
port_holder() { # port_holder PORT: "pid name" of the process listening on PORT, "" when ss cannot name it; fails when free
  local line
  line=$(ss -Hltnp "sport = :$1" | head -n 1)
  [ -n "$line" ] || return 1
  sed -n 's/.*users:(("\([^"]*\)",pid=\([0-9]*\),.*/\2 \1/p' <<<"$line"
}
check_ports_free() {
  local own_pids held=() name port holder what
  own_pids=" $("$SERVERS" pids 2>/dev/null | awk '{print $2}' | tr '\n' ' ') "
  declare -A purpose=(
    [$PG_PORT]="its PostgreSQL" [$CUSTOMERSUCCESS_RABBITMQ_PORT]="its RabbitMQ (AMQP)"
    [$CUSTOMERSUCCESS_RABBITMQ_MANAGEMENT_PORT]="its RabbitMQ (management)"
    [$CUSTOMERSUCCESS_RABBITMQ_DIST_PORT]="its RabbitMQ (distribution)" [$HOOK_PORT]="the webhook receiver")
  for name in "${NAMES[@]}"; do purpose[${PORTS[$name]}]="the $name service"; done
  for port in "${!purpose[@]}"; do
    holder=$(port_holder "$port") || continue
    case "$port" in
      "$PG_PORT" | "$CUSTOMERSUCCESS_RABBITMQ_PORT" | "$CUSTOMERSUCCESS_RABBITMQ_MANAGEMENT_PORT" | "$CUSTOMERSUCCESS_RABBITMQ_DIST_PORT")
        [ -n "$holder" ] && [[ $own_pids == *" ${holder%% *} "* ]] && continue ;;
    esac
    what=${holder:+pid ${holder%% *} (${holder#* })}
    held+=("port $port (${purpose[$port]}) is held by ${what:-a process ss cannot name (run as root to see it)}")
  done
  [ "${#held[@]}" -eq 0 ] && return 0
  printf '%s\n' "${held[@]}" | sort | while IFS= read -r line; do say "$line" >&2; done
  die "ports in use: stop what holds them, or pick another --port-base (nothing was started)"
}
check_ports_free
passed=0 failed=0
# A SIGTERM'd service must exit within this: its Hosting:ShutdownTimeout (30 s by default) and a margin for the runtime.
SHUTDOWN_BOUND=35

check() { # check NAME OK(0/1) DETAIL
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); say "PASS $1${3:+: $3}"; else failed=$((failed + 1)); say "FAIL $1${3:+: $3}"; fi
}
psql_db() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
mgmt() { curl -sf -u guest:guest "$@"; }

service_env() { # the environment a service (or its rebuild command) runs with
  export ASPNETCORE_URLS="http://127.0.0.1:${PORTS[$1]}" ASPNETCORE_ENVIRONMENT=Production
  export ConnectionStrings__Postgres="$PG_CONN" RabbitMq__Uri="$AMQP_URI"
  export ApiKeys__Keys__0__Name=faults ApiKeys__Keys__0__Key="$KEY" ApiKeys__Keys__0__PermitsPerSecond=100000
  export ApiKeys__Keys__0__Scopes__0=ingest ApiKeys__Keys__0__Scopes__1=read ApiKeys__Keys__0__Scopes__2=admin
  export Logging__LogLevel__Default=Warning
  # The fault run's webhook receiver is on loopback; retries in seconds, so what a kill interrupted is delivered in the run.
  export CrmFeed__AllowLoopback=true CrmFeed__RetryDelays__0=00:00:01 CrmFeed__RetryDelays__1=00:00:02 \
    CrmFeed__RetryDelays__2=00:00:05 CrmFeed__RetryDelays__3=00:00:10 CrmFeed__RetryDelays__4=00:00:20 \
    CrmFeed__RetryDelays__5=00:00:30 CrmFeed__RetryDelays__6=00:01:00
}

start_service() { service_start "$1" "$WORK/$1.pid" "$WORK/$1.log"; }
stop_service() { service_stop "$1" "$WORK/$1.pid" 20; }

all_ready() { # all_ready NAME...: each answers /health/ready
  local name
  for name in "$@"; do http_ready "${PORTS[$name]}" || return 1; done
}

wait_ready() { # wait_ready SECONDS NAME...
  local limit=$1 name; shift
  wait_for "$limit" "" all_ready "$@" && return 0
  for name in "$@"; do
    http_ready "${PORTS[$name]}" || { say "$name not ready after ${limit} s"; tail -n 30 "$WORK/$name.log" >&2; }
  done
  return 1
}

cleanup() {
  local name
  [ -z "$LOAD_PID" ] || kill -TERM "$LOAD_PID" 2>/dev/null || true
  [ -z "$HOOK_PID" ] || kill -TERM "$HOOK_PID" 2>/dev/null || true
  for name in "${NAMES[@]}"; do stop_service "$name"; done
  if [ "$KEEP_SERVERS" -eq 0 ]; then "$SERVERS" stop >>"$WORK/servers.log" 2>&1 || true; fi
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

kill_target() {
  local target=$1 pid
  case "$target" in
    rabbitmq|postgres)
      pid=$("$SERVERS" pids | awk -v t="$target" '$1 == t { print $2 }')
      [ -n "$pid" ] || { say "no $target process found"; return 1; }
      # The whole server at once, as a crash would: PostgreSQL's backends first, then the postmaster; RabbitMQ's VM.
      pkill -KILL -P "$pid" || true
      kill -KILL "$pid"
      ;;
    *)
      pid=$(pid_in "$WORK/$target.pid") || { say "no $target process found"; return 1; }
      kill -KILL "$pid"
      wait "$pid" 2>/dev/null || true
      rm -f "$WORK/$target.pid"
      ;;
  esac
}

restart_target() {
  case "$1" in
    rabbitmq|postgres) "$SERVERS" start >>"$WORK/servers.log" 2>&1 ;;
    sigterm-*) start_service "${1#sigterm-}" ;;
    *) start_service "$1" ;;
  esac
}

# terminate NAME: SIGTERM under load, as Kubernetes stops a pod; waits up to SHUTDOWN_BOUND for the exit and checks it
# was clean: exit code 0 and no error (fail:/crit:) logged after the signal. Sets EXIT_SECONDS, EXIT_CODE, EXIT_ERRORS
# (runs in this shell, whose child the service is, so `wait` gets its exit code).
EXIT_SECONDS="" EXIT_CODE="" EXIT_ERRORS=""
terminate() {
  local name=$1 pid from t0 ms code errors
  EXIT_SECONDS=- EXIT_CODE=none EXIT_ERRORS=-
  pid=$(pid_in "$WORK/$name.pid") || { say "no $name process found"; return 1; }
  from=$(stat -c %s "$WORK/$name.log")
  t0=$(now_ms)
  kill -TERM "$pid"
  if WAIT_INTERVAL=0.1 wait_for "$SHUTDOWN_BOUND" "" process_gone "$pid"; then
    ms=$(( $(now_ms) - t0 ))
    code=0
    wait "$pid" 2>/dev/null || code=$?
  else
    ms=$(( $(now_ms) - t0 ))
    code=timeout
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$WORK/$name.pid"
  errors=$(tail -c +"$((from + 1))" "$WORK/$name.log" | grep -cE '^(fail|crit):' || true)
  EXIT_SECONDS=$(awk -v ms="$ms" 'BEGIN { printf "%.1f", ms / 1000 }') EXIT_CODE=$code EXIT_ERRORS=$errors
}

# A probe after a restart: two envelopes (kept by all three consumers between them) posted until answered 202, then
# waited for in every service's store. Kill → probe applied everywhere is the recovery time.
post_events() { # post_events JSON: Ingestion answers 202
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "$1" "http://127.0.0.1:${PORTS[ingestion]}/v1/events" || true)" = 202 ]
}

stored() { # stored SCHEMA EVENT_ID...: every one of the events is in that service's store
  local schema=$1 ids
  shift
  ids=$(printf "'%s'," "$@")
  [ "$(psql_db -d "$DB" -c "SELECT count(DISTINCT data->>'EventId') FROM $schema.mt_events WHERE data->>'EventId' IN (${ids%,})" 2>/dev/null || echo 0)" = "$#" ]
}

probe() { # probe NAME SECONDS
  local name=$1 limit=$2 deadline body svc
  deadline=$(( $(date +%s) + limit ))
  body=$(jq -nc --arg n "$name" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg from "$(date -u +%Y-%m-%d)" --arg to "$(date -u -d '+1 year' +%Y-%m-%d)" '[
    {id: "probe.\($n).profile", type: "customer.profiled", customerId: "probe-\($n)", occurredAt: $at, data: {name: "Probe \($n)"}},
    {id: "probe.\($n).contract", type: "contract.signed", customerId: "probe-\($n)", occurredAt: $at,
     data: {contractId: "probe-\($n)", arr: 1000, currency: "EUR", seats: 5, startsOn: $from, endsOn: $to}}]')
  wait_for "$limit" "" post_events "$body" || return 1
  printf 'probe.%s.profile\tcustomer.profiled\t%s\nprobe.%s.contract\tcontract.signed\t%s\n' "$name" "$name" "$name" "$name" >>"$WORK/probes.tsv"
  for svc in "${CONSUMERS[@]}"; do
    # Renewal keeps contract events only.
    if [ "$svc" = renewal ]; then set -- "probe.$name.contract"; else set -- "probe.$name.profile" "probe.$name.contract"; fi
    WAIT_INTERVAL=0.25 wait_for $(( deadline - $(date +%s) )) "" stored "$svc" "$@" || return 1
  done
}

# Messages no consumer can process, published straight to a consumer queue's exchange: not JSON at all, and a
# well-formed MassTransit envelope whose events are not a list. Each must end in that queue's _error queue.
POISON_PER_QUEUE=2
uuid() { cat /proc/sys/kernel/random/uuid; }
publish() { # publish EXCHANGE PAYLOAD: a persistent message with MassTransit's content type, through the management API
  mgmt -X POST -H 'Content-Type: application/json' "$MGMT/api/exchanges/$VHOST/$1/publish" -d "$(jq -nc --arg id "$(uuid)" --arg payload "$2" \
    '{properties: {content_type: "application/vnd.masstransit+json", message_id: $id, delivery_mode: 2}, routing_key: "", payload: $payload, payload_encoding: "string"}')" >/dev/null
}
poison() {
  local queue=$1
  publish "$queue" "poison: this is not a message"
  publish "$queue" "$(jq -nc --arg id "$(uuid)" --arg urn "${WIRE[urn.customer-events-ingested]}" '{messageId: $id, messageType: [$urn], message: {events: "poison"}}')"
}

# ---------------------------------------------------------------------------------------------
mkdir -p "$WORK"
rm -f "$WORK"/*.log "$WORK"/*.tsv "$WORK"/*.md "$WORK"/phase "$WORK"/stop
say "building (Release)"
for name in "${NAMES[@]}"; do
  dotnet build "$REPO_ROOT/${CS_SERVICE_PROJECT[$name]}" -c "$CS_CONFIGURATION" -nologo -v q >"$WORK/build-$name.log" 2>&1 || { tail -n 30 "$WORK/build-$name.log" >&2; exit 1; }
done
dotnet build "$REPO_ROOT/$CS_LOADGEN_PROJECT" -c "$CS_CONFIGURATION" -nologo -v q >"$WORK/build-loadgen.log" 2>&1 || { tail -n 30 "$WORK/build-loadgen.log" >&2; exit 1; }
wire_names=$(dotnet "$LOADGEN" wire-names) || { echo "the load generator's wire-names failed" >&2; exit 1; }
while IFS='=' read -r key value; do WIRE[$key]=$value; done <<<"$wire_names"
for svc in "${CONSUMERS[@]}"; do MAIN_QUEUE[$svc]=${WIRE[queue.$svc]:?no queue.$svc in the wire-names of the load generator}; done
: "${WIRE[urn.customer-events-ingested]:?no urn.customer-events-ingested in the wire-names of the load generator}"

say "own servers: PostgreSQL :$PG_PORT (fsync on), RabbitMQ :$CUSTOMERSUCCESS_RABBITMQ_PORT (state in .local/faults)"
"$SERVERS" start >>"$WORK/servers.log" 2>&1 || { tail -n 30 "$WORK/servers.log" >&2; exit 1; }
psql_db -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
mgmt -X DELETE "$MGMT/api/vhosts/$VHOST" >/dev/null 2>&1 || true
mgmt -X PUT "$MGMT/api/vhosts/$VHOST" >/dev/null
mgmt -X PUT -H 'Content-Type: application/json' -d '{"configure":".*","write":".*","read":".*"}' "$MGMT/api/permissions/$VHOST/guest" >/dev/null

for name in "${NAMES[@]}"; do service_db_apply "$name" "$WORK/$name.log" || die "db apply failed for $name"; done
for name in "${NAMES[@]}"; do start_service "$name"; done
wait_ready 180 "${NAMES[@]}"
# A durable tap on the CRM feed's exchange (declared as the services declare it), bound before any load: every
# CloudEvent published from here on lands in it, across the kills, for faults-feed to compare with the stores.
mgmt -X PUT -H 'Content-Type: application/json' -d '{"type":"topic","durable":true}' "$MGMT/api/exchanges/$VHOST/$CRM_EXCHANGE" >/dev/null
mgmt -X PUT -H 'Content-Type: application/json' -d '{"durable":true}' "$MGMT/api/queues/$VHOST/$TAP_QUEUE" >/dev/null
mgmt -X POST -H 'Content-Type: application/json' -d '{"routing_key":"#"}' "$MGMT/api/bindings/$VHOST/e/$CRM_EXCHANGE/q/$TAP_QUEUE" >/dev/null \
  || die "could not bind $TAP_QUEUE to the exchange $CRM_EXCHANGE"
# A webhook receiver that stays up through every kill, registered for every type before any load: each delivery's
# webhook-id goes to webhooks.log for faults-feed to compare with Renewal's feed store.
rm -f "$WORK/webhooks.log" "$WORK/webhooks.stop"
dotnet "$LOADGEN" faults-webhooks --port "$HOOK_PORT" --out "$WORK/webhooks.log" --stop-file "$WORK/webhooks.stop" >"$WORK/webhooks.out" 2>&1 &
HOOK_PID=$!
hook_listening() { grep -q 'listening' "$WORK/webhooks.out" 2>/dev/null; }
wait_for 60 "the webhook receiver" hook_listening || die "the webhook receiver did not start: $(cat "$WORK/webhooks.out")"
HOOK_ID=$(jq -n --arg url "http://127.0.0.1:$HOOK_PORT/hook" '{url: $url, types: [], description: "fault suite receiver"}' \
  | curl -sf -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @- \
    "http://127.0.0.1:${PORTS[renewal]}/v1/webhooks" | jq -r '.id') || die "could not register the fault suite's webhook"
if [ -z "$HOOK_ID" ] || [ "$HOOK_ID" = null ]; then die "could not register the fault suite's webhook"; fi
say "services ready on ports ${PORTS[ingestion]}-${PORTS[renewal]}; load: $RATE events/s, $PHASE_SECONDS s around each fault, $DOWN_SECONDS s down"

echo warmup >"$WORK/phase"
dotnet "$LOADGEN" faults-load --ingestion "http://127.0.0.1:${PORTS[ingestion]}" --api-key "$KEY" --rate "$RATE" --customers 100 \
  --phase-file "$WORK/phase" --stop-file "$WORK/stop" --accepted-file "$WORK/accepted.tsv" --unanswered-file "$WORK/unanswered.tsv" \
  >"$WORK/load.log" 2>&1 &
LOAD_PID=$!
sleep "$PHASE_SECONDS"
for queue in "${MAIN_QUEUE[@]}"; do poison "$queue"; done
say "poisoned ${#MAIN_QUEUE[@]} consumer queues with $POISON_PER_QUEUE messages each"

for fault in "${FAULTS[@]}"; do
  echo "$fault" >"$WORK/phase"
  sleep $(( PHASE_SECONDS / 2 ))
  t0=$(now_ms)
  case "$fault" in
    sigterm-*)
      svc=${fault#sigterm-}
      say "SIGTERM $svc"
      terminate "$svc" || true
      printf '%s\t%s s, exit code %s, %s errors logged\n' "$fault" "$EXIT_SECONDS" "$EXIT_CODE" "$EXIT_ERRORS" >>"$WORK/shutdown.tsv"
      check "SIGTERM $svc: exited cleanly within ${SHUTDOWN_BOUND} s" \
        "$([ "$EXIT_CODE" = 0 ] && [ "$EXIT_ERRORS" = 0 ] && echo 0 || echo 1)" "exit code $EXIT_CODE after $EXIT_SECONDS s, $EXIT_ERRORS errors logged after the signal"
      ;;
    *)
      say "kill -9 $fault"
      kill_target "$fault"
      ;;
  esac
  sleep "$DOWN_SECONDS"
  restart_target "$fault"
  if wait_ready 180 "${NAMES[@]}" && probe "$fault" 240; then
    recovery=$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f s", ms / 1000 }')
    say "$fault: recovered (kill → a new event applied in every service) in $recovery"
  else
    recovery="not recovered"
    say "$fault: NOT recovered within the deadline"
  fi
  printf '%s\t%s\n' "$fault" "$recovery" >>"$WORK/recovery.tsv"
  kill -0 "$LOAD_PID" 2>/dev/null || { say "the load generator died:"; tail -n 20 "$WORK/load.log" >&2; break; }
  sleep $(( PHASE_SECONDS - PHASE_SECONDS / 2 ))
done

echo cooldown >"$WORK/phase"
sleep 2
touch "$WORK/stop"
say "load stopping (unanswered batches are retried for up to 3 minutes)"
wait "$LOAD_PID" || true
LOAD_PID=""
tail -n 1 "$WORK/load.log"

say "reconciling by envelope id (waiting up to 5 minutes for the services to drain)"
set +e
dotnet "$LOADGEN" faults-reconcile --postgres "$PG_CONN" --phases "warmup,$(IFS=,; echo "${FAULTS[*]}"),cooldown" \
  --accepted-file "$WORK/accepted.tsv,$WORK/probes.tsv" --unanswered-file "$WORK/unanswered.tsv" --recovery-file "$WORK/recovery.tsv" \
  --shutdown-file "$WORK/shutdown.tsv" \
  --faults "$(IFS=,; echo "${FAULTS[*]}")" --management "$MGMT/" --vhost "$VHOST" --poisoned "$(IFS=,; echo "${MAIN_QUEUE[*]}")" \
  --poison-per-queue "$POISON_PER_QUEUE" --wait-seconds 300 --out "$WORK/reconcile.md" >"$WORK/reconcile.log" 2>&1
reconcile_rc=$?
set -e
cat "$WORK/reconcile.log"
while IFS= read -r line; do
  case "$line" in
    "check ok "*) passed=$((passed + 1)) ;;
    "check fail "*) failed=$((failed + 1)) ;;
  esac
done <"$WORK/reconcile.log"
if ! grep -q '^check ' "$WORK/reconcile.log"; then
  check "reconciliation ran" 1 "exit $reconcile_rc, see .local/faults/run/reconcile.log"
fi

# Every feed event delivered to the webhook before Renewal stops (retries are seconds apart in this run).
no_pending_deliveries() {
  local pending
  pending=$(curl -sf -H "Authorization: Bearer $KEY" \
    "http://127.0.0.1:${PORTS[renewal]}/v1/webhooks/$HOOK_ID/deliveries?status=pending&limit=1" | jq 'length') || return 1
  [ "$pending" = 0 ]
}
wait_for 240 "" no_pending_deliveries || say "webhook deliveries still pending after 240 s"
touch "$WORK/webhooks.stop"
wait "$HOOK_PID" 2>/dev/null || true
HOOK_PID=""

for name in "${NAMES[@]}"; do stop_service "$name"; done

# The CRM feed by event id, now nothing publishes: each feed event stored by a service reached the tap and is in
# Renewal's feed store exactly once.
say "reconciling the CRM feed: the tap queue and the feed store against every service's stored feed events"
set +e
dotnet "$LOADGEN" faults-feed --postgres "$PG_CONN" --rabbitmq "$AMQP_URI" --tap-queue "$TAP_QUEUE" --webhook-log "$WORK/webhooks.log" >"$WORK/feed.log" 2>&1
feed_rc=$?
set -e
cat "$WORK/feed.log"
while IFS= read -r line; do
  case "$line" in
    "check ok "*) passed=$((passed + 1)) ;;
    "check fail "*) failed=$((failed + 1)) ;;
  esac
done <"$WORK/feed.log"
if ! grep -q '^check ' "$WORK/feed.log"; then
  check "crm feed reconciliation ran" 1 "exit $feed_rc, see .local/faults/run/feed.log"
fi

# Read models against a clean rebuild: services stopped, documents copied, projections rebuilt, compared as jsonb.
for svc in "${CONSUMERS[@]}"; do
  tables=$(psql_db -d "$DB" -c "SELECT table_name FROM information_schema.tables WHERE table_schema = '$svc' AND table_name LIKE 'mt_doc_%' AND table_name NOT IN ('mt_doc_appliedevent') ORDER BY 1")
  psql_db -d "$DB" -c "DROP SCHEMA IF EXISTS faults_before_$svc CASCADE" -c "CREATE SCHEMA faults_before_$svc"
  for t in $tables; do psql_db -d "$DB" -c "CREATE TABLE faults_before_$svc.$t AS SELECT id, data FROM $svc.$t"; done
  if ! (cd "$REPO_ROOT/${CS_SERVICE_PROJECT[$svc]}" && service_env "$svc" && exec timeout 600 dotnet "$(service_dll "$svc")" projections rebuild) >"$WORK/rebuild-$svc.log" 2>&1 \
      || ! grep -q "^projections rebuild: schema $svc: [1-9][0-9]* projection" "$WORK/rebuild-$svc.log"; then
    tail -n 20 "$WORK/rebuild-$svc.log" >&2
    check "$svc read models equal a clean rebuild" 1 "the rebuild command failed (see .local/faults/run/rebuild-$svc.log)"
    continue
  fi
  diffs="" docs=0
  for t in $tables; do
    d=$(psql_db -d "$DB" -c "SELECT count(*) FROM faults_before_$svc.$t b FULL JOIN $svc.$t a ON a.id = b.id WHERE a.data IS DISTINCT FROM b.data")
    n=$(psql_db -d "$DB" -c "SELECT count(*) FROM faults_before_$svc.$t")
    docs=$((docs + n))
    [ "$d" -eq 0 ] || diffs+=" $t: $d of $n differ"
  done
  check "$svc read models equal a clean rebuild" "$([ -z "$diffs" ] && echo 0 || echo 1)" "${diffs:-$docs documents in $(wc -w <<<"$tables") tables identical}"
done

{
  echo "Produced by \`$COMMAND\` at $(date -u +%Y-%m-%dT%H:%MZ) (commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)); $RATE events/s, $PHASE_SECONDS s of load around each fault, $DOWN_SECONDS s down; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$WORK/reconcile.md" 2>/dev/null || true
} >"$WORK/result.md"
if [ -n "$OUT" ]; then cp "$WORK/result.md" "$OUT"; fi
echo "faults: $passed passed, $failed failed" | tee "$WORK/summary.txt"
[ "$failed" -eq 0 ]
