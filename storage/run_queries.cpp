// Simulation runs as the simulations table records them: existence checks and the run list.
#include <algorithm>
#include <string>
#include <vector>

#include "storage/report_queries.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

std::optional<std::string> find_missing_simulation(snapshot_read& tx,
                                                   const std::vector<std::string>& ids) {
  if (ids.empty())
    return std::nullopt;
  // One statement for any number of ids: they travel as one JSON array text.
  const auto rows = tx.exec_prepared("simulations_missing", json_array(ids));
  if (rows.empty())
    return std::nullopt;
  return rows[0][0].as<std::string>();
}

metrics::simulation_info simulation_info_of(const pqxx::row& row) {
  metrics::simulation_info s;
  s.simulation_id = row["id"].as<std::string>();
  if (!row["mode"].is_null())
    s.mode = metrics::parse_run_mode(row["mode"].as<std::string>());
  if (!row["scenario"].is_null())
    s.scenario = row["scenario"].as<std::string>();
  s.first_timestamp = row["first_timestamp_us"].as<std::int64_t>();
  s.last_timestamp = row["last_timestamp_us"].as<std::int64_t>();
  s.snapshots = row["snapshot_count"].as<std::int64_t>();
  s.first_seen = row["first_seen_us"].as<std::int64_t>();
  s.last_seen = row["last_seen_us"].as<std::int64_t>();
  return s;
}

metrics::simulation_list read_simulations(snapshot_read& tx,
                                          const metrics::analytics_query& query) {
  const auto limit = std::max<std::int64_t>(query.limit, 0);
  std::optional<std::string> mode;
  if (query.mode)
    mode.emplace(metrics::to_string(*query.mode));
  metrics::simulation_list list;
  // One row more than the limit tells whether the list was cut.
  for (const auto& row : tx.exec_prepared("simulations_list", text_or_null(query.scenario),
                                          text_or_null(mode), limit + 1)) {
    if (static_cast<std::int64_t>(list.simulations.size()) == limit) {
      list.truncated = true;
      break;
    }
    list.simulations.push_back(simulation_info_of(row));
  }
  return list;
}

} // namespace traffic::storage
