# shellcheck shell=bash
# Shared by deploy/*.sh and deploy/local/servers.sh (sourced, never run): say/die, the service table, the build
# output path, one polling loop (wait_for) and start/stop of a service process.
#
# The sourcing script sets SAY_PREFIX (the "[run]" in "[run] message") and SAY_CLOCK=1 to add the UTC time.

CS_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() {
  if [ "${SAY_CLOCK:-0}" = 1 ]; then
    printf '[%s %s] %s\n' "${SAY_PREFIX:-deploy}" "$(date -u +%H:%M:%S)" "$*"
  else
    printf '[%s] %s\n' "${SAY_PREFIX:-deploy}" "$*"
  fi
}
die() { say "ERROR: $*" >&2; exit 1; }

tail_log() { # tail_log FILE [LINES] (to stderr)
  local f=$1 n=${2:-40}
  if [ -f "$f" ]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
    tail -n "$n" "$f" >&2 || true
    printf -- '-----\n' >&2
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for SECONDS DESCRIPTION COMMAND [ARG...]: runs COMMAND every $WAIT_INTERVAL s (default 0.5) until it succeeds
# (returns 0) or SECONDS have passed (returns 1 and says what it waited for on stderr, unless DESCRIPTION is empty).
# COMMAND runs in this shell, so it may die to give up early (a process that exited will never become ready).
wait_for() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$(( $(date +%s) + limit ))
  until "$@"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      [ -z "$what" ] || say "gave up after ${limit} s waiting for $what" >&2
      return 1
    fi
    sleep "${WAIT_INTERVAL:-0.5}"
  done
}

# --- services -----------------------------------------------------------------------------------
# Name → project directory (its .csproj and assembly are named after the directory). A service listens on a port
# base + its position here: 5101..5104 for deploy/run.sh, P+1..P+4 for the suites that take a --port-base P.
CS_SERVICES=(ingestion healthscore lifecycle renewal)
# shellcheck disable=SC2034  # read by the scripts that source this file
CS_CONSUMERS=(healthscore lifecycle renewal)
declare -gA CS_SERVICE_PROJECT=(
  [ingestion]=services/Ingestion/CustomerSuccess.Ingestion
  [healthscore]=services/HealthScore/CustomerSuccess.HealthScore
  [lifecycle]=services/Lifecycle/CustomerSuccess.Lifecycle
  [renewal]=services/Renewal/CustomerSuccess.Renewal
)
CS_LOADGEN_PROJECT=tests/CustomerSuccess.LoadGenerator

service_port() { # service_port NAME BASE
  local i
  for i in "${!CS_SERVICES[@]}"; do
    if [ "${CS_SERVICES[$i]}" = "$1" ]; then printf '%s' $(( $2 + i + 1 )); return 0; fi
  done
  die "unknown service: $1"
}

service_csproj() { # service_csproj NAME: path relative to the checkout
  local dir=${CS_SERVICE_PROJECT[$1]:?unknown service: $1}
  printf '%s/%s.csproj' "$dir" "$(basename "$dir")"
}

# --- build output -------------------------------------------------------------------------------
# The scripts run Release builds; the target framework comes from the one place every project takes it from.
CS_CONFIGURATION=Release
target_framework() { # target_framework [CHECKOUT]
  sed -n 's:.*<TargetFramework>\([^<]*\)</TargetFramework>.*:\1:p' "${1:-$CS_REPO_ROOT}/Directory.Build.props" | head -n 1
}
CS_TARGET_FRAMEWORK=$(target_framework)
[ -n "$CS_TARGET_FRAMEWORK" ] || die "no <TargetFramework> in $CS_REPO_ROOT/Directory.Build.props"

project_dll() { # project_dll PROJECT_DIR [CHECKOUT]: the built assembly of a project directory
  local root=${2:-$CS_REPO_ROOT} tfm=$CS_TARGET_FRAMEWORK
  [ "$root" = "$CS_REPO_ROOT" ] || tfm=$(target_framework "$root")
  printf '%s/%s/bin/%s/%s/%s.dll' "$root" "$1" "$CS_CONFIGURATION" "$tfm" "$(basename "$1")"
}

service_dll() { project_dll "${CS_SERVICE_PROJECT[$1]:?unknown service: $1}" "${2:-}"; }

# shellcheck disable=SC2034  # read by the scripts that source this file
CS_LOADGEN_DLL=$(project_dll "$CS_LOADGEN_PROJECT")

# --- service processes --------------------------------------------------------------------------
# service_start NAME PIDFILE LOGFILE [detach]: runs the built service NAME (from $SERVICE_CHECKOUT, default this
# checkout) in its project directory with the environment the sourcing script's `service_env NAME` exports, output
# appended to LOGFILE, its pid in PIDFILE. Without "detach" it is a child of this shell (wait-able, stopped with it);
# with "detach" it gets its own session and outlives the script and a Ctrl-C in its terminal.
service_start() {
  local name=$1 pidfile=$2 logf=$3 mode=${4:-child} root=${SERVICE_CHECKOUT:-$CS_REPO_ROOT} dll
  dll=$(service_dll "$name" "$root")
  [ -f "$dll" ] || die "built assembly of $name not found: $dll (did the build succeed?)"
  if [ "$mode" = detach ]; then
    (
      cd "$root/${CS_SERVICE_PROJECT[$name]}" || exit 1
      service_env "$name"
      # the pid written is dotnet's: the inner bash writes its own and execs
      # shellcheck disable=SC2016  # $$ and $1 are for the inner bash
      exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" dotnet "$dll"
    ) >>"$logf" 2>&1 </dev/null &
    disown "$!" 2>/dev/null || true   # no "Done"/"Killed" job notices from this shell
  else
    (
      cd "$root/${CS_SERVICE_PROJECT[$name]}" || exit 1
      service_env "$name"
      exec dotnet "$dll"
    ) >>"$logf" 2>&1 </dev/null &
    printf '%s\n' "$!" >"$pidfile"
  fi
}

# service_db_apply NAME LOGFILE: applies the service's schema changes with its `db apply` verb (a service in
# Production never changes its schema itself and refuses to start against an older one), with the environment the
# sourcing script's `service_env NAME` exports; output appended to LOGFILE. Fails when the command fails.
service_db_apply() {
  local name=$1 logf=$2 root=${SERVICE_CHECKOUT:-$CS_REPO_ROOT} dll
  dll=$(service_dll "$name" "$root")
  [ -f "$dll" ] || die "built assembly of $name not found: $dll (did the build succeed?)"
  if ! (cd "$root/${CS_SERVICE_PROJECT[$name]}" && service_env "$name" && exec timeout 300 dotnet "$dll" db apply) >>"$logf" 2>&1 </dev/null; then
    tail_log "$logf" 20
    return 1
  fi
}

pid_in() { # pid_in PIDFILE: the pid it holds, when that process is alive
  local pid
  [ -s "$1" ] || return 1
  pid=$(tr -dc '0-9' <"$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

service_pid() { # service_pid PIDFILE: as pid_in, and the process is a dotnet one (not a recycled pid)
  local pid cmdline
  pid=$(pid_in "$1") || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  grep -q 'dotnet' <<<"$cmdline" || return 1
  printf '%s' "$pid"
}

process_gone() { ! kill -0 "$1" 2>/dev/null; }

# service_stop NAME PIDFILE [GRACE_SECONDS]: SIGTERM, SIGKILL when still alive after the grace period (default 15 s);
# removes PIDFILE.
service_stop() {
  local name=$1 pidfile=$2 grace=${3:-15} pid
  if pid=$(service_pid "$pidfile"); then
    kill -TERM "$pid" 2>/dev/null || true
    if ! WAIT_INTERVAL=0.25 wait_for "$grace" "" process_gone "$pid"; then
      say "$name did not exit within $grace s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

http_ready() { # http_ready PORT: /health/ready answers 200
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$1/health/ready" || true)" = 200 ]
}

# --- prerequisites --------------------------------------------------------------------------------
# install_test_prerequisites: the Debian packages the test suite needs that are missing (with sudo unless root):
# the servers, curl/jq/shellcheck for the scripts, prometheus (promtool and a real Prometheus in the tests), Node.js for
# the pinned linters and validators, kubectl for the manifest test. Nothing when everything is there.
install_test_prerequisites() {
  local sudo_cmd=() need_pkgs=() tool
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && ! command -v rabbitmq-server >/dev/null 2>&1; then
    need_pkgs+=(rabbitmq-server)
  fi
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    need_pkgs+=(postgresql)
  fi
  # curl and jq: the scripts' HTTP calls and JSON payloads; shellcheck: test.sh checks every script with it.
  for tool in curl jq shellcheck; do
    command -v "$tool" >/dev/null 2>&1 || need_pkgs+=("$tool")
  done
  # prometheus: promtool checks the alert rules, and a real Prometheus scrapes a service in the tests (no systemd here, so
  # the package's service is not started; the tests run their own on a free loopback port).
  command -v promtool >/dev/null 2>&1 || need_pkgs+=(prometheus)
  # Node.js + npm: the pinned linters and validators of deploy/tools (the machine image ships Node.js 20).
  command -v npm >/dev/null 2>&1 || need_pkgs+=(nodejs npm)
  # kubectl: the Kubernetes manifest test renders deploy/k8s with `kubectl kustomize` (Debian's kubernetes-client has it).
  command -v kubectl >/dev/null 2>&1 || need_pkgs+=(kubernetes-client)
  if [ "${#need_pkgs[@]}" -gt 0 ]; then
    say "installing the test prerequisites: ${need_pkgs[*]}"
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || say "apt-get update failed; trying the install anyway"
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_pkgs[@]}"
  fi
}
