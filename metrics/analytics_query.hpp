// What an analytics request asks for, already validated: the key the cache stores it under and
// the simulations its answer depends on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/snapshot.hpp"
#include "metrics/timestamp.hpp"

namespace traffic::metrics {

/// Which answer is asked for (one per read endpoint).
enum class query_kind : std::uint8_t {
  summary,               ///< GET /api/v1/analytics/simulation/{id}/summary
  wait_times,            ///< GET /api/v1/analytics/wait-times
  speeds,                ///< GET /api/v1/analytics/speeds
  environmental_impact,  ///< GET /api/v1/analytics/environmental-impact
  comparison,            ///< GET /api/v1/analytics/comparison/baseline-vs-ai
  emergency_report,      ///< GET /api/v1/analytics/emergency-report
  time_series,           ///< GET /api/v1/analytics/time-series/{id}
  performance_dashboard, ///< GET /api/v1/dashboard/performance-comparison
  wait_time_trend,       ///< GET /api/v1/charts/wait-time-trend
  performance_scatter,   ///< GET /api/v1/charts/performance-scatter
  simulations,           ///< GET /api/v1/simulations
};

/// How wait-times and speeds are grouped.
enum class group_key : std::uint8_t {
  none,         ///< only the overall figures
  direction,    ///< per approach (signal_states.avg_wait_time)
  intersection, ///< per intersection_id, across simulations
  simulation,   ///< per simulation_id
  hour,         ///< per UTC hour the snapshot falls in (its timestamp truncated to the hour)
};

/// The numeric fields of a snapshot's `metrics` object, for time series.
enum class series_metric : std::uint8_t {
  total_vehicles_passed,
  avg_wait_time_all_sides,
  throughput,
  avg_speed,
  fuel_saved,
  co2_saved,
  emergency_overrides,
};

/// What one point of the performance scatter stands for.
enum class scatter_level : std::uint8_t { simulation, intersection };

/// Returns the query-string spelling ("direction", "avg_speed", "intersection", ...).
std::string_view to_string(group_key g);
std::string_view to_string(series_metric m);
std::string_view to_string(scatter_level s);

/// Parse the query-string spellings (exact, lower case).
std::optional<group_key> parse_group_key(std::string_view text);
std::optional<series_metric> parse_series_metric(std::string_view text);
std::optional<scatter_level> parse_scatter_level(std::string_view text);

/// Row filters shared by the analytics endpoints. Unset means "any".
struct query_filter {
  std::optional<std::string> simulation_id;
  std::optional<std::string> intersection_id;
  std::optional<direction> approach;
  std::optional<timestamp_us> from; ///< inclusive
  std::optional<timestamp_us> to;   ///< inclusive
};

/// One validated analytics request. Fields a kind does not use keep their defaults, so two
/// requests that mean the same thing compare and key the same.
struct analytics_query {
  query_kind kind = query_kind::summary;
  query_filter filter;                  ///< summary and time_series use filter.simulation_id
  group_key group_by = group_key::none; ///< wait_times, speeds
  series_metric metric = series_metric::avg_wait_time_all_sides; ///< time_series
  std::int64_t bucket_seconds = 60;    ///< time_series, wait_time_trend: 1..86400, epoch-aligned
  std::optional<std::string> baseline; ///< comparison by ids
  std::optional<std::string> ai;       ///< comparison by ids
  std::optional<std::string> scenario; ///< comparison by scenario; scatter, simulations filter
  std::optional<run_mode> mode;        ///< simulations filter
  std::int64_t block_seconds = 300;    ///< comparison, performance_dashboard: t-test blocks
  std::vector<std::string> simulation_ids;      ///< wait_time_trend: sorted, distinct; empty = all
  scatter_level by = scatter_level::simulation; ///< performance_scatter
  std::int64_t limit = 1000; ///< emergency_report episodes listed, simulations listed

  /// Returns the normalised cache key: the kind and every field the kind uses, in a fixed
  /// order, with unused fields left out. Equal queries give equal keys.
  std::string cache_key() const;

  /// Returns the simulations the answer depends on; empty means every simulation (an
  /// unfiltered answer, invalidated by any commit).
  std::vector<std::string> depends_on() const;
};

} // namespace traffic::metrics
