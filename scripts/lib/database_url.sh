# shellcheck shell=bash
# Finds the database scripts/backup and scripts/restore work on: DATABASE_URL from the
# environment or ./.env, else the project-local cluster of scripts/run (var/pg), if running.
# Source after common.sh.

# Prints the database URL to use, or fails with a hint.
# Usage: url="$(resolve_database_url)"
resolve_database_url() {
  if [[ -n ${DATABASE_URL:-} ]]; then
    printf '%s\n' "${DATABASE_URL}"
    return 0
  fi
  if [[ -f .env ]]; then
    local from_env
    from_env="$(sed -n -E 's/^[[:space:]]*(export[[:space:]]+)?DATABASE_URL[[:space:]]*=[[:space:]]*(.*)$/\2/p' .env |
      tail -n 1 | sed -E "s/^['\"](.*)['\"]$/\\1/")"
    if [[ -n ${from_env} ]]; then
      printf '%s\n' "${from_env}"
      return 0
    fi
  fi
  local pg_dir="${TRAFFIC_PG_DIR:-${TRAFFIC_ROOT}/var/pg}"
  if pg_running "${pg_dir}"; then
    printf 'postgresql://postgres@127.0.0.1:%s/traffic\n' "$(pg_running_port "${pg_dir}")"
    return 0
  fi
  log_error "no database: set DATABASE_URL, or start the local one with scripts/run"
  return 1
}
