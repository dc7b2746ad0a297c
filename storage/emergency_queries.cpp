// The emergency report: episodes found by SQL (gaps and islands), summed up by metrics/.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "metrics/emergency.hpp"
#include "metrics/snapshot.hpp"
#include "storage/report_queries.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

metrics::emergency_report read_emergency_report(snapshot_read& tx,
                                                const metrics::analytics_query& query) {
  const auto& f = query.filter;
  const auto from = timestamp_param(f.from);
  const auto to = timestamp_param(f.to);
  std::optional<std::string> approach;
  if (f.approach)
    approach.emplace(metrics::to_string(*f.approach));

  std::vector<metrics::emergency_episode> episodes;
  for (const auto& row : tx.exec_prepared("emergency_episodes", text_or_null(f.simulation_id),
                                          text_or_null(f.intersection_id), text_or_null(approach),
                                          text_or_null(from), text_or_null(to))) {
    auto d = metrics::parse_direction(row["direction"].as<std::string>());
    if (!d)
      continue; // impossible under the table's CHECK
    metrics::emergency_episode e;
    e.simulation_id = row["simulation_id"].as<std::string>();
    e.intersection_id = row["intersection_id"].as<std::string>();
    e.approach = *d;
    e.start = row["start_us"].as<std::int64_t>();
    e.end = row["end_us"].as<std::int64_t>();
    e.snapshots = row["snapshots"].as<std::int64_t>();
    if (!row["first_green_us"].is_null())
      e.first_green = row["first_green_us"].as<std::int64_t>();
    episodes.push_back(std::move(e));
  }

  // Overrides are counted per snapshot, not per approach: the approach filter does not apply.
  std::vector<metrics::intersection_overrides> overrides;
  for (const auto& row :
       tx.exec_prepared("emergency_overrides", text_or_null(f.simulation_id),
                        text_or_null(f.intersection_id), text_or_null(from), text_or_null(to)))
    overrides.push_back({row["simulation_id"].as<std::string>(),
                         row["intersection_id"].as<std::string>(),
                         row["overrides"].as<std::int64_t>()});

  const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(query.limit, 0));
  return metrics::summarise_emergencies(std::move(episodes), overrides, limit);
}

} // namespace traffic::storage
