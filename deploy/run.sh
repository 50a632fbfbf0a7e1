#!/usr/bin/env bash
# Runs the whole platform locally: PostgreSQL + RabbitMQ (deploy/local/servers.sh), the four services
# (Release build), then the demo seeder.
#
#   ./deploy/run.sh               build, (re)start the four services, wait until ready, seed demo data
#   ./deploy/run.sh --no-demo     same without the demo seeder
#   ./deploy/run.sh status        show which services run and whether they are ready
#   ./deploy/run.sh stop          stop the four services
#   ./deploy/run.sh stop --all    stop the services and PostgreSQL/RabbitMQ
#
# Ports: the services on 5101..5104 (CUSTOMERSUCCESS_PORT_BASE=P moves them to P+1..P+4); the servers on
# deploy/local/servers.sh's ports (its CUSTOMERSUCCESS_* variables move them).
# API key: $CUSTOMERSUCCESS_API_KEY when set, else generated once and kept in .local/api-key.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAY_PREFIX=run
# shellcheck source=deploy/lib.sh
. "$SCRIPT_DIR/lib.sh"
REPO_ROOT=$CS_REPO_ROOT
cd "$REPO_ROOT"

LOCAL_DIR="$REPO_ROOT/.local"
LOG_DIR="$LOCAL_DIR/logs"
PID_DIR="$LOCAL_DIR/pids"
SERVERS="$REPO_ROOT/deploy/local/servers.sh"
DEMO_PROJECT="deploy/demo/CustomerSuccess.Demo.csproj"
READY_TIMEOUT=${CUSTOMERSUCCESS_READY_TIMEOUT:-120}
# The services listen on PORT_BASE+1..+4 (5101..5104 by default).
PORT_BASE=${CUSTOMERSUCCESS_PORT_BASE:-5100}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

port_of() { service_port "$1" "$PORT_BASE"; }

stop_services() {
  local name pid
  for name in "${CS_SERVICES[@]}"; do
    if pid=$(service_pid "$PID_DIR/$name.pid"); then say "stopping $name (pid $pid)"; fi
    service_stop "$name" "$PID_DIR/$name.pid"
  done
}

status() {
  local name port pid state code
  for name in "${CS_SERVICES[@]}"; do
    port=$(port_of "$name")
    if pid=$(service_pid "$PID_DIR/$name.pid"); then
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/health/ready" || true)
      state="running (pid $pid), /health/ready -> ${code:-no answer}"
    else
      state="stopped"
    fi
    printf '  %-12s http://127.0.0.1:%s  %s\n' "$name" "$port" "$state"
  done
  "$SERVERS" status || true
}

api_key() {
  if [ -n "${CUSTOMERSUCCESS_API_KEY:-}" ]; then
    printf '%s' "$CUSTOMERSUCCESS_API_KEY"
    return
  fi
  local f="$LOCAL_DIR/api-key" key=""
  [ -s "$f" ] && key=$(tr -d ' \r\n' <"$f")
  if [ -z "$key" ]; then
    if command -v openssl >/dev/null 2>&1; then
      key=$(openssl rand -hex 24)
    else
      key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    fi
    (umask 077 && printf '%s\n' "$key" >"$f")
  fi
  printf '%s' "$key"
}

API_KEY=""
service_env() { # the environment of a service started by start_service
  local port
  port=$(port_of "$1")
  export ASPNETCORE_URLS="http://127.0.0.1:$port"
  export ASPNETCORE_ENVIRONMENT=Development
  export ConnectionStrings__Postgres="$CUSTOMERSUCCESS_POSTGRES"
  export RabbitMq__Uri="$CUSTOMERSUCCESS_RABBITMQ"
  export ApiKeys__Keys__0__Name=local
  export ApiKeys__Keys__0__Key="$API_KEY"
  export ApiKeys__Keys__0__Scopes__0=ingest
  export ApiKeys__Keys__0__Scopes__1=read
  export ApiKeys__Keys__0__Scopes__2=admin
  export OTEL_SERVICE_NAME="customersuccess-$1"
  # This local run only: the CRM sample's webhook receiver listens on 127.0.0.1, which Renewal refuses otherwise.
  if [ "$1" = renewal ]; then export CrmFeed__AllowLoopback=true; else unset CrmFeed__AllowLoopback; fi
}

start_service() {
  local name=$1 port logf
  port=$(port_of "$name")
  logf="$LOG_DIR/$name.log"
  if port_in_use "$port"; then
    die "port $port (for $name) is in use by another process; stop it and retry"
  fi
  [ -f "$logf" ] && mv -f "$logf" "$logf.1"
  say "starting $name on http://127.0.0.1:$port (log ${logf#"$REPO_ROOT/"})"
  service_start "$name" "$PID_DIR/$name.pid" "$logf" detach
}

PENDING=()
all_ready() { # every service answers /health/ready; dies when one has exited
  local name
  PENDING=()
  for name in "${CS_SERVICES[@]}"; do
    if ! service_pid "$PID_DIR/$name.pid" >/dev/null && [ -s "$PID_DIR/$name.pid" ]; then
      tail_log "$LOG_DIR/$name.log" 60
      die "$name exited during startup (log above: $LOG_DIR/$name.log); the others keep running: ./deploy/run.sh stop"
    fi
    http_ready "$(port_of "$name")" || PENDING+=("$name")
  done
  [ "${#PENDING[@]}" -eq 0 ]
}

wait_ready() { # all services, one deadline
  WAIT_INTERVAL=1 wait_for "$READY_TIMEOUT" "" all_ready && return 0
  local name
  for name in "${PENDING[@]}"; do
    say "$name: /health/ready did not answer 200 within ${READY_TIMEOUT}s"
    tail_log "$LOG_DIR/$name.log" 60
  done
  say "the services keep running for inspection; stop them with: ./deploy/run.sh stop"
  exit 1
}

print_info() {
  local key=$1 name port
  cat <<EOF

================================================================================
 CustomerSuccess is running locally
--------------------------------------------------------------------------------
EOF
  for name in "${CS_SERVICES[@]}"; do
    port=$(port_of "$name")
    printf '  %-12s http://127.0.0.1:%s   (Swagger UI: http://127.0.0.1:%s/swagger)\n' "$name" "$port" "$port"
  done
  cat <<EOF

  RabbitMQ management UI  ${CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:55673/}   (guest / guest)
  PostgreSQL              $CUSTOMERSUCCESS_POSTGRES
  API key                 $key
                          (kept in .local/api-key unless CUSTOMERSUCCESS_API_KEY is set)

  Try:
    curl -H "Authorization: Bearer $key" http://127.0.0.1:$(port_of healthscore)/v1/customers/<customer-id>/health
    curl http://127.0.0.1:$(port_of ingestion)/health/ready
    curl -H "Authorization: Bearer $key" "http://127.0.0.1:$(port_of renewal)/v1/feed?limit=10"   (the CRM feed)
    the sample CRM: deploy/crm-sample (README, "For CRM integrators")

  Logs      .local/logs/  (ingestion.log, healthscore.log, lifecycle.log, renewal.log,
                           postgres.log, rabbitmq/)
  Stop      ./deploy/run.sh stop          (services)
            ./deploy/run.sh stop --all    (services + PostgreSQL + RabbitMQ)
================================================================================
EOF
}

run() {
  local demo=1 arg
  for arg in "$@"; do
    case "$arg" in
      --no-demo) demo=0 ;;
      *) die "unknown argument: $arg (usage: $0 [--no-demo] | status | stop [--all])" ;;
    esac
  done
  mkdir -p "$LOG_DIR" "$PID_DIR"

  local solution=""
  for solution in CustomerSuccess.sln CustomerSuccess.slnx ""; do
    [ -n "$solution" ] && [ -f "$solution" ] && break
  done
  [ -n "$solution" ] || die "CustomerSuccess.sln not found in $REPO_ROOT"

  stop_services   # services left from a previous run

  "$SERVERS" start
  eval "$("$SERVERS" env)"

  say "building $solution (Release; about a minute the first time)"
  if ! dotnet build "$solution" -c "$CS_CONFIGURATION" -nologo -v q >"$LOG_DIR/build.log" 2>&1; then
    grep -E 'error|Error' "$LOG_DIR/build.log" | sort -u | tail -n 40 >&2 || true
    die "build failed (full log: .local/logs/build.log)"
  fi

  local key name
  key=$(api_key)
  API_KEY=$key
  for name in "${CS_SERVICES[@]}"; do start_service "$name"; done
  say "waiting for /health/ready on all four services (up to ${READY_TIMEOUT}s)"
  wait_ready
  say "all four services are ready"

  local demo_rc=0
  if [ "$demo" -eq 0 ]; then
    say "demo seeder skipped (--no-demo)"
  elif [ ! -f "$DEMO_PROJECT" ]; then
    say "demo seeder $DEMO_PROJECT does not exist yet; skipping"
  else
    say "seeding demo data ($DEMO_PROJECT)"
    dotnet run -c Release --project "$DEMO_PROJECT" -- \
      --ingestion "http://127.0.0.1:$(port_of ingestion)" --healthscore "http://127.0.0.1:$(port_of healthscore)" \
      --lifecycle "http://127.0.0.1:$(port_of lifecycle)" --renewal "http://127.0.0.1:$(port_of renewal)" \
      --api-key "$key" </dev/null || demo_rc=$?
    [ "$demo_rc" -eq 0 ] || say "WARNING: the demo seeder failed (exit $demo_rc); the services keep running"
  fi

  print_info "$key"
  return "$demo_rc"
}

case "${1:-}" in
  stop)
    stop_services
    if [ "${2:-}" = "--all" ]; then "$SERVERS" stop; fi
    ;;
  status) status ;;
  *) run "$@" ;;
esac
