# shellcheck shell=bash
# Shared helpers for scripts/run and scripts/test: packages, build, private PostgreSQL.
#
# Source it from bash (`source scripts/lib/common.sh`); it defines functions and a few
# variables and runs nothing by itself. Functions report on stderr and return non-zero on
# failure, so callers running under `set -e` stop at the first problem.

# Repository root, derived from this file's location (scripts/lib/common.sh).
TRAFFIC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# PostgreSQL 15 server binaries (Debian's postgresql-15 package).
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# Target built by build_project; empty means "all".
TRAFFIC_BUILD_TARGET="${TRAFFIC_BUILD_TARGET:-}"

# Everything a build, a test run and scripts/run need on Debian 12.
TRAFFIC_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  libcaf-dev libboost-dev libpqxx-dev libpq-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libgtest-dev googletest libsimdjson-dev libssl-dev
  postgresql-15 postgresql-client-15
  curl ca-certificates iproute2 clang-format clang-14 libclang-rt-14-dev
  python3 python3-yaml prometheus nginx-light docker-compose chromium
)

_traffic_apt_updated=0

# Prints a phase header (on stdout, so it sits in order with the build and test output).
log_phase() {
  printf '\n==> %s\n' "$*"
}

# Prints a message on stderr.
log_info() {
  printf '%s\n' "$*" >&2
}

# Prints an error on stderr.
log_error() {
  printf 'error: %s\n' "$*" >&2
}

# Runs a command as root: directly when we are root, else through sudo when available.
as_root() {
  if [[ ${EUID} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log_error "need root (or sudo) to run: $*"
    return 1
  fi
}

# Installs the missing ones of TRAFFIC_PACKAGES plus any package names given as arguments.
# Runs `apt-get update` once per process, and only when something is missing.
# Set TRAFFIC_SKIP_APT=1 to skip this step (e.g. on a machine that is not Debian).
# shellcheck disable=SC2120 # the extra package names are optional
ensure_packages() {
  if [[ ${TRAFFIC_SKIP_APT:-0} == 1 ]]; then
    log_info "TRAFFIC_SKIP_APT=1: not checking system packages"
    return 0
  fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    log_info "dpkg-query not found (not Debian?): not checking system packages"
    return 0
  fi
  local pkg status
  local -a missing=()
  for pkg in "${TRAFFIC_PACKAGES[@]}" "$@"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "${pkg}" 2>/dev/null || true)"
    if [[ ${status} != ii* ]]; then
      missing+=("${pkg}")
    fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log_info "all ${#TRAFFIC_PACKAGES[@]} required packages are installed"
    return 0
  fi
  log_info "installing missing packages: ${missing[*]}"
  if [[ ${_traffic_apt_updated} -eq 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
    _traffic_apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Installs the front-end packages of web/package-lock.json (Swagger UI for /docs) into
# web/node_modules, only when that folder is missing or older than the lock file. Installs
# Debian's nodejs and npm first when npm is not on PATH. Install scripts are skipped: the
# packages are plain files, and swagger-ui-dist's dependency @scarf/scarf would only report the
# install over the network.
install_web_packages() {
  local web="${TRAFFIC_ROOT}/web"
  if [[ -d ${web}/node_modules && ! ${web}/package-lock.json -nt ${web}/node_modules ]]; then
    log_info "web packages are up to date"
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    ensure_packages nodejs npm || return 1
  fi
  log_info "installing web packages (npm ci)"
  npm ci --prefix "${web}" --no-audit --no-fund --ignore-scripts || return 1
  # npm ci may keep the folder's old time; mark it newer than the lock it was installed from.
  touch "${web}/node_modules"
}

# Configures BUILD_DIR (relative paths are taken from the repo root) the first time, or again
# when the cmake arguments changed, then builds it incrementally with all cores.
# Uses Ninja when installed, else Unix Makefiles. TRAFFIC_BUILD_TARGET limits the build.
# Usage: build_project BUILD_DIR [cmake args...]
build_project() {
  local build_dir="$1"
  shift
  [[ ${build_dir} == /* ]] || build_dir="${TRAFFIC_ROOT}/${build_dir}"
  local stamp="${build_dir}/.traffic-configure-args"
  local wanted
  wanted="$(printf '%s\n' "$@")"

  if [[ ! -f ${stamp} || "$(cat "${stamp}")" != "${wanted}" ]]; then
    local -a generator=()
    # The generator can only be chosen on the first configure of a build directory.
    if [[ ! -f ${build_dir}/CMakeCache.txt ]]; then
      if command -v ninja >/dev/null 2>&1; then
        generator=(-G Ninja)
      else
        generator=(-G "Unix Makefiles")
      fi
    fi
    log_info "configuring ${build_dir} ${generator[*]} $*"
    cmake -S "${TRAFFIC_ROOT}" -B "${build_dir}" "${generator[@]}" "$@"
    printf '%s' "${wanted}" >"${stamp}"
  fi

  local -a target=()
  [[ -n ${TRAFFIC_BUILD_TARGET} ]] && target=(--target "${TRAFFIC_BUILD_TARGET}")
  # Let ccache (which CMakeLists.txt uses when installed) hit across clones in other folders.
  CCACHE_BASEDIR="${CCACHE_BASEDIR:-${TRAFFIC_ROOT}}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}" \
    cmake --build "${build_dir}" -j"$(nproc)" "${target[@]}"
}

# Lists the local TCP ports in use on this machine (any state, any address), one per line.
# With -l: only the listening ones.
_used_tcp_ports() {
  local states=-a
  [[ ${1:-} == -l ]] && states=-l
  ss -Htn "${states}" 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u
}

# Prints a TCP port in 20000-60000 that nothing on this machine uses, starting the search
# at a random port. Never picks 55432 (another PostgreSQL often lives there).
free_port() {
  local used
  used="$(_used_tcp_ports)"
  local lo=20000 hi=60000
  local span=$((hi - lo + 1))
  local start=$(((RANDOM * 32768 + RANDOM) % span))
  local i port
  for ((i = 0; i < span; i++)); do
    port=$((lo + (start + i) % span))
    [[ ${port} -eq 55432 ]] && continue
    if ! grep -qx "${port}" <<<"${used}"; then
      echo "${port}"
      return 0
    fi
  done
  log_error "no free TCP port in ${lo}-${hi}"
  return 1
}

# Succeeds when something listens on TCP port $1 on this machine (any address).
port_in_use() {
  _used_tcp_ports -l | grep -qx "$1"
}

# Prints directory $1 as an absolute path (it must exist). The server runs in its data
# directory, so every path handed to it must be absolute.
_abs_dir() {
  (cd "$1" && pwd)
}

# Runs a command as the owner of the PostgreSQL cluster: the postgres user when we are root
# (initdb and postgres refuse to run as root), else ourselves.
_pg_as_owner() {
  if [[ ${EUID} -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Creates a PostgreSQL 15 cluster in DIR/data (trust auth, superuser postgres, UTF8).
# DIR is created if needed and, as root, chowned to postgres; its parents must be
# traversable by postgres. Extra arguments go to initdb (e.g. --no-sync for throwaway ones).
# Usage: pg_init DIR [initdb args...]
pg_init() {
  local dir="$1"
  shift
  mkdir -p "${dir}"
  dir="$(_abs_dir "${dir}")"
  if [[ ${EUID} -eq 0 ]]; then
    chown postgres:postgres "${dir}"
    chmod 755 "${dir}"
    if ! runuser -u postgres -- test -x "${dir}" -a -w "${dir}"; then
      log_error "user postgres cannot enter ${dir}: make its parent directories traversable (chmod o+x)"
      return 1
    fi
  fi
  _pg_as_owner "${PG_BIN}/initdb" -D "${dir}/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 "$@" >"${dir}/initdb.log" 2>&1 || {
    log_error "initdb failed in ${dir}:"
    tail -n 20 "${dir}/initdb.log" >&2
    return 1
  }
}

# Succeeds when the cluster in DIR/data is running.
pg_running() {
  [[ -f $1/data/PG_VERSION ]] && _pg_as_owner "${PG_BIN}/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

# Prints the port of the running cluster in DIR (from postmaster.pid).
pg_running_port() {
  sed -n 4p "$1/data/postmaster.pid"
}

# Starts the cluster in DIR/data on 127.0.0.1:PORT and waits until it accepts connections.
# The unix socket lives in DIR (or /tmp when DIR's path is too long for a socket), the log
# in DIR/postgres.log. Extra arguments are server settings, as `-c name=value` or `name=value`.
# Usage: pg_start DIR PORT [-c name=value ...]
pg_start() {
  local dir port="$2"
  dir="$(_abs_dir "$1")"
  shift 2
  local opts="-p ${port} -c listen_addresses=127.0.0.1"
  local sock_dir="${dir}"
  # A unix socket path (DIR/.s.PGSQL.PORT) is limited to 107 bytes.
  if ((${#dir} > 80)); then
    sock_dir=/tmp
  fi
  opts+=" -k $(printf '%q' "${sock_dir}")"
  local arg
  for arg in "$@"; do
    [[ ${arg} == -c ]] && continue
    opts+=" -c $(printf '%q' "${arg}")"
  done
  if port_in_use "${port}"; then
    log_error "TCP port ${port} is already in use"
    return 1
  fi
  if ! _pg_as_owner "${PG_BIN}/pg_ctl" -D "${dir}/data" -l "${dir}/postgres.log" -w -t 60 \
    -o "${opts}" start >/dev/null; then
    log_error "PostgreSQL failed to start in ${dir} on port ${port}; last lines of ${dir}/postgres.log:"
    tail -n 25 "${dir}/postgres.log" >&2 || true
    return 1
  fi
  pg_wait "${port}" 30
}

# Stops the cluster in DIR/data (fast mode); does nothing when it is not running.
# Usage: pg_stop DIR
pg_stop() {
  local dir="$1"
  if pg_running "${dir}"; then
    _pg_as_owner "${PG_BIN}/pg_ctl" -D "${dir}/data" -m fast -w -t 60 stop >/dev/null ||
      log_error "could not stop PostgreSQL in ${dir}"
  fi
  return 0
}

# Waits until PostgreSQL on 127.0.0.1:PORT accepts connections, for at most SECONDS (30).
# Usage: pg_wait PORT [SECONDS]
pg_wait() {
  local port="$1" seconds="${2:-30}"
  local deadline=$((SECONDS + seconds))
  until "${PG_BIN}/pg_isready" -q -h 127.0.0.1 -p "${port}" -U postgres -d postgres -t 2; do
    if ((SECONDS >= deadline)); then
      log_error "PostgreSQL on 127.0.0.1:${port} not ready after ${seconds}s"
      return 1
    fi
    sleep 0.2
  done
}

# Runs psql as postgres against 127.0.0.1:PORT, database DB, with the remaining arguments.
# Usage: pg_psql PORT DB [psql args...]
pg_psql() {
  local port="$1" db="$2"
  shift 2
  "${PG_BIN}/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "${port}" -U postgres -d "${db}" "$@"
}

# Creates database NAME on 127.0.0.1:PORT unless it exists.
# Usage: pg_ensure_database PORT NAME
pg_ensure_database() {
  local port="$1" name="$2"
  if [[ "$(pg_psql "${port}" postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${name}'")" != 1 ]]; then
    log_info "creating database ${name}"
    "${PG_BIN}/createdb" -h 127.0.0.1 -p "${port}" -U postgres "${name}"
  fi
}
