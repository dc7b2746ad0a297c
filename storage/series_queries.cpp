// Chart answers: the time series of one run, the wait-time trend and the performance scatter.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "metrics/trend.hpp"
#include "storage/report_queries.hpp"
#include "storage/sql_params.hpp"

namespace traffic::storage {

metrics::time_series read_time_series(snapshot_read& tx, const metrics::analytics_query& query) {
  const auto& f = query.filter;
  if (!f.simulation_id)
    throw std::invalid_argument("a time series needs a simulation id");
  if (query.bucket_seconds <= 0)
    throw std::invalid_argument("the bucket width must be positive");
  metrics::time_series series;
  series.simulation_id = *f.simulation_id;
  series.metric = query.metric;
  series.bucket_seconds = query.bucket_seconds;
  series.intersection_id = f.intersection_id;
  const auto from = timestamp_param(f.from);
  const auto to = timestamp_param(f.to);
  // The metric is a CASE over its name in the SQL: a column name is never spliced in.
  const auto rows = tx.exec_prepared(
      "series_buckets", *f.simulation_id, std::string{metrics::to_string(query.metric)},
      query.bucket_seconds, text_or_null(f.intersection_id), text_or_null(from), text_or_null(to),
      static_cast<std::int64_t>(max_series_points + 1));
  for (const auto& row : rows) {
    if (series.points.size() == max_series_points) {
      series.truncated = true;
      break;
    }
    metrics::series_point p;
    p.start = row["start_us"].as<std::int64_t>();
    p.count = row["samples"].as<std::int64_t>();
    p.mean = double_or_zero(row["mean"]);
    p.min = double_or_zero(row["min"]);
    p.max = double_or_zero(row["max"]);
    series.points.push_back(p);
  }
  return series;
}

metrics::trend_chart read_wait_time_trend(snapshot_read& tx,
                                          const metrics::analytics_query& query) {
  const auto& f = query.filter;
  if (query.bucket_seconds <= 0)
    throw std::invalid_argument("the bucket width must be positive");
  // libpqxx 6.4 has no array parameters, so the ids travel as one JSON array text that the SQL
  // unpacks with jsonb_array_elements_text: one statement and one plan for any number of ids,
  // and the text is escaped here as JSON, never spliced into SQL. NULL means every simulation.
  std::optional<std::string> ids;
  if (!query.simulation_ids.empty())
    ids = json_array(query.simulation_ids);
  const auto from = timestamp_param(f.from);
  const auto to = timestamp_param(f.to);
  std::vector<metrics::trend_row> rows;
  for (const auto& row :
       tx.exec_prepared("trend_buckets", text_or_null(ids), query.bucket_seconds,
                        text_or_null(f.intersection_id), text_or_null(from), text_or_null(to)))
    rows.push_back({row["simulation_id"].as<std::string>(), row["bucket_us"].as<std::int64_t>(),
                    row["mean_wait"].as<double>()});
  return metrics::build_trend(rows, query.bucket_seconds, max_trend_labels, query.simulation_ids);
}

metrics::scatter_chart read_performance_scatter(snapshot_read& tx,
                                                const metrics::analytics_query& query) {
  metrics::scatter_chart chart;
  chart.by = query.by;
  const bool per_intersection = query.by == metrics::scatter_level::intersection;
  for (const auto& row :
       tx.exec_prepared("scatter_points", std::string{metrics::to_string(query.by)},
                        text_or_null(query.scenario))) {
    metrics::scatter_point p;
    p.simulation_id = row["simulation_id"].as<std::string>();
    p.label = p.simulation_id;
    if (per_intersection) {
      p.intersection_id = row["intersection_id"].as<std::string>();
      p.label += '/';
      p.label += *p.intersection_id;
    }
    if (!row["mode"].is_null())
      p.mode = metrics::parse_run_mode(row["mode"].as<std::string>());
    p.x = row["mean_wait"].as<double>();
    p.y = row["mean_throughput"].as<double>();
    p.snapshots = row["snapshots"].as<std::int64_t>();
    chart.points.push_back(std::move(p));
  }
  std::sort(chart.points.begin(), chart.points.end(),
            [](const auto& a, const auto& b) { return a.label < b.label; });
  return chart;
}

} // namespace traffic::storage
