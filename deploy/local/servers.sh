#!/usr/bin/env bash
# Local PostgreSQL 15 and RabbitMQ (with the management plugin) as plain processes on 127.0.0.1,
# for the tests (deploy/test.sh) and the local run (deploy/run.sh).
#
#   deploy/local/servers.sh start    start both (or reuse ours if already running), wait until ready
#   deploy/local/servers.sh stop     stop both cleanly
#   deploy/local/servers.sh status   show what runs; exit 0 when both are up, 3 otherwise
#   deploy/local/servers.sh env      print `export` lines for the connection strings (eval them)
#   deploy/local/servers.sh pids     print "postgres <postmaster pid>" and "rabbitmq <beam pid>" of what runs
#
# All state lives under <repo>/.local (git-ignored; CUSTOMERSUCCESS_LOCAL_DIR moves it, e.g. for a second pair
# of servers beside the first, as deploy/faults.sh does). Non-default ports, so a system PostgreSQL or
# RabbitMQ on the default ports never collides:
#   PostgreSQL 55432 · RabbitMQ AMQP 55672 · management HTTP 55673 · Erlang distribution 55674
# (override with CUSTOMERSUCCESS_PG_PORT, CUSTOMERSUCCESS_RABBITMQ_PORT, CUSTOMERSUCCESS_RABBITMQ_MANAGEMENT_PORT,
#  CUSTOMERSUCCESS_RABBITMQ_DIST_PORT and CUSTOMERSUCCESS_RABBITMQ_NODENAME, e.g. to run a second checkout beside this one)
#
# CUSTOMERSUCCESS_PG_FAST=1 turns fsync / synchronous_commit / full_page_writes off (test.sh sets it;
# fine for throwaway test data). Without it they are on again (applied by reload on every `start`).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAY_PREFIX=servers
# shellcheck source=deploy/lib.sh
. "$SCRIPT_DIR/../lib.sh"
REPO_ROOT=$CS_REPO_ROOT
LOCAL_DIR=${CUSTOMERSUCCESS_LOCAL_DIR:-"$REPO_ROOT/.local"}
LOG_DIR="$LOCAL_DIR/logs"

PG_PORT=${CUSTOMERSUCCESS_PG_PORT:-55432}
PG_DB=customersuccess
RMQ_PORT=${CUSTOMERSUCCESS_RABBITMQ_PORT:-55672}
RMQ_MGMT_PORT=${CUSTOMERSUCCESS_RABBITMQ_MANAGEMENT_PORT:-55673}
RMQ_DIST_PORT=${CUSTOMERSUCCESS_RABBITMQ_DIST_PORT:-55674}
RMQ_NODENAME=${CUSTOMERSUCCESS_RABBITMQ_NODENAME:-customersuccess@localhost}

# ---------------------------------------------------------------------------------------------
log() { say "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as a service account when root, as the current user otherwise.
as_user() {
  local user=$1; shift
  if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# pg_ctl/initdb complain when the current directory is not readable by postgres: run from /.
as_pg() { (cd / && as_user postgres "$@"); }

owned_by() { # owned_by USER PATH... : chown when root
  local user=$1; shift
  if is_root; then chown "$user:$user" "$@"; fi
}

apt_install() {
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: $*  (apt-get install -y $*)"
    sudo=(sudo)
  fi
  log "installing $* with apt-get (this takes a few seconds)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
    || log "apt-get update failed; trying the install anyway"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

# ---------------------------------------------------------------------------------------------
# Locations. The data directories must be reachable by the service accounts (postgres, rabbitmq)
# when we run as root; if the checkout sits somewhere they cannot traverse (e.g. under /root),
# server state goes to /var/tmp/customersuccess-<hash of the state path> instead.
SRV_ROOT="$LOCAL_DIR"
SRV_LOG_DIR="$LOG_DIR"

choose_server_root() {
  mkdir -p "$LOCAL_DIR" "$LOG_DIR"
  SRV_ROOT="$LOCAL_DIR"
  SRV_LOG_DIR="$LOG_DIR"
  is_root || return 0
  local u
  for u in postgres rabbitmq; do
    id "$u" >/dev/null 2>&1 || continue
    if ! runuser -u "$u" -- test -x "$LOCAL_DIR" 2>/dev/null; then
      local hash
      hash=$(printf '%s' "$LOCAL_DIR" | md5sum | cut -c1-12)
      SRV_ROOT="/var/tmp/customersuccess-$hash"
      SRV_LOG_DIR="$SRV_ROOT/logs"
      mkdir -p "$SRV_ROOT" "$SRV_LOG_DIR"
      chmod 755 "$SRV_ROOT" "$SRV_LOG_DIR"
      ln -sfn "$SRV_ROOT" "$LOCAL_DIR/server-state"
      return 0
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
PG_BIN=""
find_pg_bin() {
  if [ -n "${CUSTOMERSUCCESS_PG_BIN:-}" ]; then
    PG_BIN=$CUSTOMERSUCCESS_PG_BIN
  elif [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
    PG_BIN=/usr/lib/postgresql/15/bin
  else
    local d
    PG_BIN=""
    for d in /usr/lib/postgresql/*/bin; do
      [ -x "$d/pg_ctl" ] && PG_BIN=$d
    done
  fi
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ]
}

pg_data() { printf '%s' "$SRV_ROOT/postgres"; }
pg_log() { printf '%s' "$SRV_LOG_DIR/postgres.log"; }

pg_running() {
  local data
  data=$(pg_data)
  [ -f "$data/PG_VERSION" ] || return 1
  as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

pg_psql() { # pg_psql DB SQL
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -tA -c "$2"
}

pg_setting_is() { [ "$(pg_psql postgres "SHOW $1")" = "$2" ]; }

pg_write_conf() { # writes customersuccess.conf; prints "changed" if its content changed
  local data conf fast new
  data=$(pg_data)
  conf="$data/customersuccess.conf"
  fast=on
  [ "${CUSTOMERSUCCESS_PG_FAST:-0}" = 1 ] && fast=off
  local sockdir="$data"
  # Unix socket paths are limited to ~107 bytes; use TCP only when the path is too long.
  [ "${#sockdir}" -gt 80 ] && sockdir=""
  new=$(cat <<EOF
# Written by deploy/local/servers.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
max_connections = 300
unix_socket_directories = '$sockdir'
shared_buffers = 256MB
# CUSTOMERSUCCESS_PG_FAST=1 -> off (test runs only); on otherwise.
fsync = $fast
synchronous_commit = $fast
full_page_writes = $fast
log_min_duration_statement = -1
EOF
)
  if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$new" ]; then
    printf '%s\n' "$new" >"$conf"
    owned_by postgres "$conf"
    echo changed
  fi
}

pg_start() {
  if ! find_pg_bin; then
    apt_install postgresql  # the distribution's default major version (15 on Debian 12, newer later; 15+ is what we need)
    find_pg_bin || die "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin)"
  fi
  id postgres >/dev/null 2>&1 || ! is_root || die "user 'postgres' does not exist (install postgresql)"
  local data logf
  data=$(pg_data)
  logf=$(pg_log)
  mkdir -p "$data"
  owned_by postgres "$data"
  chmod 700 "$data"
  touch "$logf"
  owned_by postgres "$logf"

  if [ ! -f "$data/PG_VERSION" ]; then
    if [ -n "$(ls -A "$data")" ]; then
      die "$data is not empty but holds no PostgreSQL cluster; remove it and retry"
    fi
    log "PostgreSQL: initdb $data"
    if ! as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$SRV_LOG_DIR/initdb.log" 2>&1; then
      tail_log "$SRV_LOG_DIR/initdb.log"
      die "initdb failed"
    fi
    printf "\n# CustomerSuccess local settings\ninclude_if_exists = 'customersuccess.conf'\n" \
      >>"$data/postgresql.conf"
  fi
  local changed
  changed=$(pg_write_conf)

  if pg_running; then
    log "PostgreSQL: already running on 127.0.0.1:$PG_PORT (reusing)"
    if [ -n "$changed" ]; then
      log "PostgreSQL: settings changed (CUSTOMERSUCCESS_PG_FAST=${CUSTOMERSUCCESS_PG_FAST:-0}); reloading"
      as_pg "$PG_BIN/pg_ctl" -D "$data" reload >/dev/null
    fi
  else
    if port_in_use "$PG_PORT"; then
      die "port $PG_PORT is in use by another process (not our PostgreSQL in $data)"
    fi
    log "PostgreSQL: starting on 127.0.0.1:$PG_PORT (data $data, log $logf)"
    # 9>&- : do not hand our lock file descriptor to the server process.
    if ! as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$logf" -w -t 60 start >/dev/null 9>&-; then
      tail_log "$logf"
      die "PostgreSQL did not start"
    fi
  fi

  wait_for 30 "" "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres \
    || { tail_log "$logf"; die "PostgreSQL not ready after 30 s"; }

  # Wait until the reloaded settings are visible; after switching fsync back on, flush to disk.
  local want=on
  [ "${CUSTOMERSUCCESS_PG_FAST:-0}" = 1 ] && want=off
  WAIT_INTERVAL=0.25 wait_for 5 "" pg_setting_is fsync "$want" || true
  if [ -n "$changed" ] && [ "$want" = on ]; then
    pg_psql postgres 'CHECKPOINT' >/dev/null || true
    sync || true
  fi

  if [ "$(pg_psql postgres "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
    log "PostgreSQL: creating database $PG_DB"
    pg_psql postgres "CREATE DATABASE $PG_DB"
  fi
  log "PostgreSQL: ready on 127.0.0.1:$PG_PORT (fsync=$want)"
}

pg_stop() {
  find_pg_bin || { log "PostgreSQL: binaries not found; nothing to stop"; return 0; }
  local data
  data=$(pg_data)
  if pg_running; then
    log "PostgreSQL: stopping"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
    log "PostgreSQL: stopped"
  else
    log "PostgreSQL: not running"
  fi
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ
RMQ_BIN=""
find_rmq_bin() {
  local d
  for d in /usr/lib/rabbitmq/bin "$(dirname "$(command -v rabbitmq-server 2>/dev/null || echo /nonexistent/x)")"; do
    if [ -x "$d/rabbitmq-server" ] && [ -x "$d/rabbitmqctl" ] && [ "$(basename "$(readlink -f "$d/rabbitmq-server")")" = rabbitmq-server ]; then
      RMQ_BIN=$d
      return 0
    fi
  done
  return 1
}

rmq_dir() { printf '%s' "$SRV_ROOT/rabbitmq"; }
rmq_pidfile() { printf '%s' "$SRV_ROOT/rabbitmq/rabbitmq.pid"; }   # absolute: rabbitmqctl needs that

rmq_export_env() {
  local dir
  dir=$(rmq_dir)
  export RABBITMQ_NODENAME="$RMQ_NODENAME"
  export RABBITMQ_USE_LONGNAME=false
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$RMQ_PORT"
  export RABBITMQ_DIST_PORT="$RMQ_DIST_PORT"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$SRV_LOG_DIR/rabbitmq"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand"
  export RABBITMQ_PID_FILE
  RABBITMQ_PID_FILE=$(rmq_pidfile)
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rmq_ctl() { # rabbitmqctl as the right user, from the state dir
  (cd "$(rmq_dir)" && as_user rabbitmq "$RMQ_BIN/rabbitmqctl" -n "$RMQ_NODENAME" "$@")
}

rmq_pid() {
  local pf
  pf=$(rmq_pidfile)
  [ -s "$pf" ] || return 1
  local pid
  pid=$(tr -dc '0-9' <"$pf")
  [ -n "$pid" ] || return 1
  printf '%s' "$pid"
}

rmq_running() { # our node's OS process is alive
  local pid
  pid=$(rmq_pid) || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # The node name is not on the command line (3.10 sets it at boot); our environment is.
  local comm
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  case "$comm" in beam*) ;; *) return 1 ;; esac
  if [ -r "/proc/$pid/environ" ]; then
    local envs
    envs=$(tr '\0' '\n' <"/proc/$pid/environ")
    grep -qx -- "RABBITMQ_NODENAME=$RMQ_NODENAME" <<<"$envs"
  fi
}

rmq_write_conf() {
  local dir
  dir=$(rmq_dir)
  cat >"$dir/rabbitmq.conf" <<EOF
# Written by deploy/local/servers.sh on every start; edit the script, not this file.
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
# guest/guest is accepted from loopback only (the default).
loopback_users.guest = true
disk_free_limit.absolute = 200MB
vm_memory_high_watermark.relative = 0.4
EOF
  printf '[rabbitmq_management].\n' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"   # ignore /etc/rabbitmq/rabbitmq-env.conf
  owned_by rabbitmq "$dir/rabbitmq.conf" "$dir/enabled_plugins" "$dir/rabbitmq-env.conf"
}

rmq_start() {
  if ! find_rmq_bin; then
    apt_install rabbitmq-server
    find_rmq_bin || die "rabbitmq-server not found after install"
  fi
  # Readiness is checked on the management API.
  command -v curl >/dev/null 2>&1 || apt_install curl
  rmq_export_env
  local dir logdir startlog
  dir=$(rmq_dir)
  logdir="$SRV_LOG_DIR/rabbitmq"
  startlog="$logdir/startup.log"
  mkdir -p "$dir" "$dir/mnesia" "$logdir"
  owned_by rabbitmq "$dir" "$dir/mnesia" "$logdir"
  touch "$startlog"
  owned_by rabbitmq "$startlog"
  rmq_write_conf

  if rmq_running; then
    log "RabbitMQ: already running as $RMQ_NODENAME (pid $(rmq_pid); reusing)"
  else
    local p
    for p in "$RMQ_PORT" "$RMQ_MGMT_PORT" "$RMQ_DIST_PORT"; do
      port_in_use "$p" && die "port $p is in use by another process (not our RabbitMQ node $RMQ_NODENAME)"
    done
    rm -f "$(rmq_pidfile)"
    log "RabbitMQ: starting $RMQ_NODENAME on 127.0.0.1:$RMQ_PORT, management :$RMQ_MGMT_PORT (logs $logdir)"
    # 9>&- : do not hand our lock file descriptor to the Erlang VM.
    if ! (cd "$dir" && as_user rabbitmq "$RMQ_BIN/rabbitmq-server" -detached) >>"$startlog" 2>&1 9>&-; then
      tail_log "$startlog"
      die "rabbitmq-server -detached failed"
    fi
  fi

  if ! rmq_ctl wait --timeout 120 "$(rmq_pidfile)" >>"$startlog" 2>&1 9>&-; then
    tail_log "$startlog"
    tail_log "$logdir/$RMQ_NODENAME.log" 60
    die "RabbitMQ did not become ready"
  fi

  if ! wait_for 30 "" curl -fsS -o /dev/null -u guest:guest "http://127.0.0.1:$RMQ_MGMT_PORT/api/overview"; then
    tail_log "$logdir/$RMQ_NODENAME.log" 60
    die "RabbitMQ management API not answering on :$RMQ_MGMT_PORT after 30 s"
  fi
  log "RabbitMQ: ready (amqp://127.0.0.1:$RMQ_PORT, http://127.0.0.1:$RMQ_MGMT_PORT guest/guest)"
}

epmd_cleanup() {
  command -v epmd >/dev/null 2>&1 || return 0
  local names
  names=$(ERL_EPMD_ADDRESS=127.0.0.1 epmd -names 2>/dev/null) || return 0
  if grep -q '^name ' <<<"$names"; then
    log "epmd: other Erlang nodes still registered; leaving epmd running"
  else
    epmd -kill >/dev/null 2>&1 || true
  fi
}

rmq_stop() {
  if ! find_rmq_bin; then log "RabbitMQ: not installed; nothing to stop"; return 0; fi
  rmq_export_env
  if ! rmq_running; then
    log "RabbitMQ: not running"
    return 0
  fi
  local pid
  pid=$(rmq_pid)
  log "RabbitMQ: stopping $RMQ_NODENAME (pid $pid)"
  if ! rmq_ctl stop "$(rmq_pidfile)" >>"$SRV_LOG_DIR/rabbitmq/startup.log" 2>&1; then
    log "RabbitMQ: rabbitmqctl stop failed; sending SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
  fi
  if ! wait_for 30 "" process_gone "$pid"; then
    log "RabbitMQ: still alive after 30 s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(rmq_pidfile)"
  epmd_cleanup
  log "RabbitMQ: stopped"
}

# ---------------------------------------------------------------------------------------------
print_env() {
  cat <<EOF
export CUSTOMERSUCCESS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export CUSTOMERSUCCESS_TEST_RABBITMQ="amqp://guest:guest@127.0.0.1:$RMQ_PORT/"
export CUSTOMERSUCCESS_TEST_RABBITMQ_MANAGEMENT="http://127.0.0.1:$RMQ_MGMT_PORT/"
export CUSTOMERSUCCESS_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DB"
export CUSTOMERSUCCESS_RABBITMQ="amqp://guest:guest@127.0.0.1:$RMQ_PORT/"
EOF
}

status() {
  choose_server_root
  local rc=0
  if find_pg_bin && pg_running; then
    log "PostgreSQL: running on 127.0.0.1:$PG_PORT (data $(pg_data))"
  else
    log "PostgreSQL: stopped"
    rc=3
  fi
  if find_rmq_bin && rmq_running; then
    log "RabbitMQ: running as $RMQ_NODENAME (pid $(rmq_pid)), amqp 127.0.0.1:$RMQ_PORT, management http://127.0.0.1:$RMQ_MGMT_PORT"
  else
    log "RabbitMQ: stopped"
    rc=3
  fi
  return "$rc"
}

with_lock() {
  mkdir -p "$LOCAL_DIR"
  exec 9>"$LOCAL_DIR/.servers.lock"
  flock -w 300 9 || die "another servers.sh is busy (lock $LOCAL_DIR/.servers.lock)"
}

main() {
  local cmd=${1:-}
  case "$cmd" in
    start)
      with_lock
      # Install first so the rabbitmq user exists before choosing where state goes.
      find_rmq_bin || apt_install rabbitmq-server
      choose_server_root
      [ "$SRV_ROOT" = "$LOCAL_DIR" ] || log "note: server state is in $SRV_ROOT (the checkout is not reachable by the postgres/rabbitmq users)"
      pg_start
      rmq_start
      log "all servers ready; connection strings: $0 env"
      ;;
    stop)
      with_lock
      choose_server_root
      rmq_stop
      pg_stop
      ;;
    status) status ;;
    env) print_env ;;
    pids)
      choose_server_root
      if find_pg_bin && pg_running; then printf 'postgres %s\n' "$(head -n 1 "$(pg_data)/postmaster.pid")"; fi
      if find_rmq_bin && rmq_running; then printf 'rabbitmq %s\n' "$(rmq_pid)"; fi
      ;;
    *)
      echo "usage: $0 start|stop|status|env|pids" >&2
      exit 2
      ;;
  esac
}

main "$@"
