#!/usr/bin/env bash
# Fails when a folder includes what its layer must not know (STYLE.md): the libraries link
# metrics <- storage <- actors <- http, and header-only leaks would not fail at link time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
status=0
# folder, then an extended regex of forbidden #include targets.
while read -r folder forbidden; do
  if hits="$(grep -rnE "^\s*#\s*include\s*[<\"](${forbidden})" "${root}/${folder}" 2>/dev/null)"; then
    echo "layering: ${folder}/ must not include ${forbidden}:"
    echo "${hits}"
    status=1
  fi
done <<'RULES'
metrics caf/|boost/|pqxx|nlohmann/|spdlog/|storage/|actors/|http/|config/
config caf/|boost/|pqxx|nlohmann/|storage/|actors/|http/
storage caf/|boost/|actors/|http/
actors boost/|http/|pqxx
http pqxx|storage/(connection|migrator|analytics_reader|sql_files)
RULES
[[ ${status} -eq 0 ]] && echo "layering: every folder includes only what its layer may"
exit "${status}"
