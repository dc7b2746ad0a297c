// Wait-time, speed and environmental-impact answers: aggregates over filtered snapshots.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "metrics/snapshot.hpp"
#include "storage/report_queries.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

namespace {

/// Returns the statistics columns (samples, mean, min, p50, p95, max) of a distribution row;
/// all zero when the group has no sample.
metrics::distribution_stats stats_of(const pqxx::row& row) {
  metrics::distribution_stats s;
  s.samples = row["samples"].as<std::int64_t>();
  s.mean = double_or_zero(row["mean"]);
  s.min = double_or_zero(row["min"]);
  s.p50 = double_or_zero(row["p50"]);
  s.p95 = double_or_zero(row["p95"]);
  s.max = double_or_zero(row["max"]);
  return s;
}

/// Returns the compass position of a direction key (unknown names, impossible under the
/// table's CHECK, last).
int compass_rank(const std::string& key) {
  auto d = metrics::parse_direction(key);
  return d ? static_cast<int>(*d) : 8;
}

} // namespace

metrics::distribution_report read_distribution(snapshot_read& tx,
                                               const metrics::analytics_query& query) {
  const auto& f = query.filter;
  metrics::distribution_report report;
  report.figure = query.kind == metrics::query_kind::speeds ? "speed" : "wait_time";
  report.group_by = query.group_by;
  const std::string group{metrics::to_string(query.group_by)};
  const auto from = timestamp_param(f.from);
  const auto to = timestamp_param(f.to);

  // A wait per approach lives in signal_states; a snapshot's figures in performance_metrics.
  const bool per_approach = query.group_by == metrics::group_key::direction || f.approach;
  pqxx::result rows;
  if (per_approach) {
    if (query.kind != metrics::query_kind::wait_times)
      throw std::invalid_argument("speeds are not kept per direction");
    std::optional<std::string> approach;
    if (f.approach)
      approach.emplace(metrics::to_string(*f.approach));
    rows = tx.exec_prepared("distribution_approach_waits", group, text_or_null(f.simulation_id),
                            text_or_null(f.intersection_id), text_or_null(approach),
                            text_or_null(from), text_or_null(to));
  } else {
    rows = tx.exec_prepared("distribution_snapshot_figure", report.figure, group,
                            text_or_null(f.simulation_id), text_or_null(f.intersection_id),
                            text_or_null(from), text_or_null(to));
  }

  for (const auto& row : rows) {
    if (row["is_overall"].as<bool>())
      report.overall = stats_of(row);
    else
      report.groups.push_back({row["group_key"].as<std::string>(), stats_of(row)});
  }
  // The SQL orders keys byte-wise (chronological for hours); directions go in compass order.
  if (query.group_by == metrics::group_key::direction)
    std::stable_sort(report.groups.begin(), report.groups.end(), [](const auto& a, const auto& b) {
      return compass_rank(a.key) < compass_rank(b.key);
    });
  return report;
}

metrics::environmental_report read_environmental_impact(snapshot_read& tx,
                                                        const metrics::query_filter& filter) {
  const auto from = timestamp_param(filter.from);
  const auto to = timestamp_param(filter.to);
  metrics::environmental_report report;
  const auto rows =
      tx.exec_prepared("environmental_totals", text_or_null(filter.simulation_id),
                       text_or_null(filter.intersection_id), text_or_null(from), text_or_null(to));
  for (const auto& row : rows) {
    metrics::environmental_totals t;
    t.snapshots = row["snapshots"].as<std::int64_t>();
    t.fuel_saved = row["fuel_saved"].as<double>();
    t.co2_saved = row["co2_saved"].as<double>();
    const auto level = row["level"].as<std::string>();
    if (level == "overall")
      report.overall = t;
    else if (level == "intersection")
      report.per_intersection.push_back({row["group_key"].as<std::string>(), t});
    else
      report.per_hour.push_back({row["group_key"].as<std::string>(), t});
  }
  return report;
}

} // namespace traffic::storage
