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
# API key: $CUSTOMERSUCCESS_API_KEY when set, else generated once and kept in .local/api-key.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$REPO_ROOT"

LOCAL_DIR="$REPO_ROOT/.local"
LOG_DIR="$LOCAL_DIR/logs"
PID_DIR="$LOCAL_DIR/pids"
SERVERS="$REPO_ROOT/deploy/local/servers.sh"
DEMO_PROJECT="deploy/demo/CustomerSuccess.Demo.csproj"
READY_TIMEOUT=${CUSTOMERSUCCESS_READY_TIMEOUT:-120}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# name|project|port
SERVICES=(
  "ingestion|services/Ingestion/CustomerSuccess.Ingestion/CustomerSuccess.Ingestion.csproj|5101"
  "healthscore|services/HealthScore/CustomerSuccess.HealthScore/CustomerSuccess.HealthScore.csproj|5102"
  "lifecycle|services/Lifecycle/CustomerSuccess.Lifecycle/CustomerSuccess.Lifecycle.csproj|5103"
  "renewal|services/Renewal/CustomerSuccess.Renewal/CustomerSuccess.Renewal.csproj|5104"
)

say() { printf '[run] %s\n' "$*"; }
die() { printf '[run] ERROR: %s\n' "$*" >&2; exit 1; }

tail_log() {
  local f=$1 n=${2:-60}
  if [ -f "$f" ]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
    tail -n "$n" "$f" >&2 || true
    printf -- '-----\n' >&2
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

svc_field() { # svc_field "name|project|port" INDEX
  local IFS='|'
  # shellcheck disable=SC2206
  local parts=($1)
  printf '%s' "${parts[$2]}"
}

# pid of a running service started by us, or nothing
svc_pid() {
  local name=$1 pidfile="$PID_DIR/$1.pid" pid
  [ -s "$pidfile" ] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # guard against a recycled pid: it must be a dotnet process
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  grep -q 'dotnet' <<<"$cmdline" || return 1
  printf '%s' "$pid"
}

stop_service() {
  local name=$1 pid
  if pid=$(svc_pid "$name"); then
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      if [ "$i" -eq 60 ]; then
        say "$name did not exit within 15 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      sleep 0.25
    done
  fi
  rm -f "$PID_DIR/$name.pid"
}

stop_services() {
  local s
  for s in "${SERVICES[@]}"; do stop_service "$(svc_field "$s" 0)"; done
}

status() {
  local s name port pid state code
  for s in "${SERVICES[@]}"; do
    name=$(svc_field "$s" 0); port=$(svc_field "$s" 2)
    if pid=$(svc_pid "$name"); then
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

# Path of the built assembly for a project (Release).
target_path() {
  local proj=$1 dir base guess
  dir=$(dirname "$proj"); base=$(basename "$proj" .csproj)
  guess="$REPO_ROOT/$dir/bin/Release/net10.0/$base.dll"
  if [ -f "$guess" ]; then printf '%s' "$guess"; return; fi
  dotnet msbuild "$proj" -getProperty:TargetPath -p:Configuration=Release 2>/dev/null | tail -n 1
}

start_service() { # start_service name project port key
  local name=$1 proj=$2 port=$3 key=$4 dll projdir logf pidfile
  projdir="$REPO_ROOT/$(dirname "$proj")"
  logf="$LOG_DIR/$name.log"
  pidfile="$PID_DIR/$name.pid"
  dll=$(target_path "$proj")
  if [ -z "$dll" ] || [ ! -f "$dll" ]; then
    die "built assembly for $proj not found (did the build succeed?)"
  fi
  if port_in_use "$port"; then
    die "port $port (for $name) is in use by another process; stop it and retry"
  fi
  [ -f "$logf" ] && mv -f "$logf" "$logf.1"
  say "starting $name on http://127.0.0.1:$port (log ${logf#"$REPO_ROOT/"})"
  (
    cd "$projdir"
    export ASPNETCORE_URLS="http://127.0.0.1:$port"
    export ASPNETCORE_ENVIRONMENT=Development
    export ConnectionStrings__Postgres="$CUSTOMERSUCCESS_POSTGRES"
    export RabbitMq__Uri="$CUSTOMERSUCCESS_RABBITMQ"
    export ApiKeys__Keys__0__Name=local
    export ApiKeys__Keys__0__Key="$key"
    export ApiKeys__Keys__0__Scopes__0=ingest
    export ApiKeys__Keys__0__Scopes__1=read
    export ApiKeys__Keys__0__Scopes__2=admin
    export OTEL_SERVICE_NAME="customersuccess-$name"
    # own session: survives this script and a Ctrl-C in the terminal; the pid written is dotnet's
    # shellcheck disable=SC2016  # $$ and $1 are for the inner bash
    exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" dotnet "$dll"
  ) >>"$logf" 2>&1 </dev/null &
  disown "$!" 2>/dev/null || true   # no "Aborted"/"Done" job notices from this shell
}

wait_ready() { # all services, one deadline
  local deadline=$(( $(date +%s) + READY_TIMEOUT )) s name port pending
  while :; do
    pending=()
    for s in "${SERVICES[@]}"; do
      name=$(svc_field "$s" 0); port=$(svc_field "$s" 2)
      if ! svc_pid "$name" >/dev/null && [ -s "$PID_DIR/$name.pid" ]; then
        tail_log "$LOG_DIR/$name.log"
        die "$name exited during startup (log above: $LOG_DIR/$name.log); the others keep running: ./deploy/run.sh stop"
      fi
      if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$port/health/ready" || true)" != 200 ]; then
        pending+=("$s")
      fi
    done
    [ "${#pending[@]}" -eq 0 ] && return 0
    if [ "$(date +%s)" -ge "$deadline" ]; then
      for s in "${pending[@]}"; do
        name=$(svc_field "$s" 0)
        say "$name: /health/ready did not answer 200 within ${READY_TIMEOUT}s"
        tail_log "$LOG_DIR/$name.log"
      done
      say "the services keep running for inspection; stop them with: ./deploy/run.sh stop"
      exit 1
    fi
    sleep 1
  done
}

print_info() {
  local key=$1 s name port
  cat <<EOF

================================================================================
 CustomerSuccess is running locally
--------------------------------------------------------------------------------
EOF
  for s in "${SERVICES[@]}"; do
    name=$(svc_field "$s" 0); port=$(svc_field "$s" 2)
    printf '  %-12s http://127.0.0.1:%s   (Swagger UI: http://127.0.0.1:%s/swagger)\n' "$name" "$port" "$port"
  done
  cat <<EOF

  RabbitMQ management UI  ${CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT:-http://127.0.0.1:55673/}   (guest / guest)
  PostgreSQL              $CUSTOMERSUCCESS_POSTGRES
  API key                 $key
                          (kept in .local/api-key unless CUSTOMERSUCCESS_API_KEY is set)

  Try:
    curl -H "Authorization: Bearer $key" http://127.0.0.1:5102/v1/customers/<customer-id>/health
    curl http://127.0.0.1:5101/health/ready

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
  if ! dotnet build "$solution" -c Release -nologo -v q >"$LOG_DIR/build.log" 2>&1; then
    grep -E 'error|Error' "$LOG_DIR/build.log" | sort -u | tail -n 40 >&2 || true
    die "build failed (full log: .local/logs/build.log)"
  fi

  local key s
  key=$(api_key)
  for s in "${SERVICES[@]}"; do
    start_service "$(svc_field "$s" 0)" "$(svc_field "$s" 1)" "$(svc_field "$s" 2)" "$key"
  done
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
      --ingestion http://127.0.0.1:5101 --healthscore http://127.0.0.1:5102 \
      --lifecycle http://127.0.0.1:5103 --renewal http://127.0.0.1:5104 \
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
