// The wait-time trend chart: per-simulation bucket means laid over shared labels.
#include "metrics/trend.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace traffic::metrics {

trend_chart build_trend(const std::vector<trend_row>& rows, std::int64_t bucket_seconds,
                        std::size_t max_labels, const std::vector<std::string>& named) {
  trend_chart chart;
  chart.bucket_seconds = bucket_seconds;
  for (const auto& row : rows)
    chart.labels.push_back(row.bucket);
  std::sort(chart.labels.begin(), chart.labels.end());
  chart.labels.erase(std::unique(chart.labels.begin(), chart.labels.end()), chart.labels.end());
  if (chart.labels.size() > max_labels) {
    chart.labels.resize(max_labels);
    chart.truncated = true;
  }

  // std::map keeps the datasets in simulation id order. Every simulation of the rows gets a
  // dataset, even one whose buckets all fell past the label limit, so the set of series does
  // not depend on where the chart was cut.
  std::map<std::string, std::vector<std::optional<double>>> data;
  for (const auto& simulation_id : named)
    data[simulation_id].resize(chart.labels.size());
  for (const auto& row : rows) {
    auto& values = data[row.simulation_id];
    values.resize(chart.labels.size());
    auto label = std::lower_bound(chart.labels.begin(), chart.labels.end(), row.bucket);
    if (label == chart.labels.end() || *label != row.bucket)
      continue; // past the label limit
    auto& value = values[static_cast<std::size_t>(label - chart.labels.begin())];
    if (!value)
      value = row.mean_wait; // a repeated (simulation, bucket) keeps its first row
  }
  for (auto& [simulation_id, values] : data)
    chart.datasets.push_back({simulation_id, std::move(values)});
  return chart;
}

} // namespace traffic::metrics
