// The answers of the analytics, dashboard and chart endpoints, as plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "metrics/analytics_query.hpp"
#include "metrics/simulation_summary.hpp"
#include "metrics/snapshot.hpp"
#include "metrics/timestamp.hpp"

namespace traffic::metrics {

// ---- wait-times, speeds ----------------------------------------------------------------------

/// Distribution of one figure over a set of samples. Percentiles are continuous (linear
/// interpolation between the closest ranks, as PostgreSQL's percentile_cont). All zero when
/// samples == 0.
struct distribution_stats {
  std::int64_t samples = 0;
  double mean = 0;
  double min = 0;
  double p50 = 0;
  double p95 = 0;
  double max = 0;
};

/// One group of a distribution report. `key` is the direction's canonical name, the
/// intersection or simulation id, or the hour's start as RFC 3339 ("2025-09-10T23:00:00Z").
struct distribution_group {
  std::string key;
  distribution_stats stats;
};

/// The wait-times or speeds answer.
struct distribution_report {
  std::string figure; ///< "wait_time" or "speed"
  group_key group_by = group_key::none;
  distribution_stats overall;
  std::vector<distribution_group> groups; ///< in key order (compass order for directions)
};

// ---- environmental impact --------------------------------------------------------------------

/// Sums of fuel and CO2 saved over a set of snapshots.
struct environmental_totals {
  std::int64_t snapshots = 0;
  double fuel_saved = 0; ///< litres
  double co2_saved = 0;  ///< kg
};

struct environmental_group {
  std::string key; ///< intersection id, or the hour's start as RFC 3339
  environmental_totals totals;
};

struct environmental_report {
  environmental_totals overall;
  std::vector<environmental_group> per_intersection; ///< by id
  std::vector<environmental_group> per_hour;         ///< chronological
};

// ---- emergency report ------------------------------------------------------------------------

/// A run of consecutive snapshots of one approach (per simulation and intersection, in time
/// order) with emergency_vehicle_present true.
struct emergency_episode {
  std::string simulation_id;
  std::string intersection_id;
  direction approach = direction::north;
  timestamp_us start = 0;                  ///< first snapshot of the run
  timestamp_us end = 0;                    ///< last snapshot of the run
  std::int64_t snapshots = 0;              ///< length of the run
  std::optional<timestamp_us> first_green; ///< first GREEN snapshot within the run

  double duration_seconds() const { return static_cast<double>(end - start) / 1e6; }
  /// Returns first_green - start in seconds, or nothing when the approach never turned GREEN
  /// before the episode ended.
  std::optional<double> time_to_green_seconds() const {
    if (!first_green)
      return std::nullopt;
    return static_cast<double>(*first_green - start) / 1e6;
  }
};

/// Sum of emergency_overrides of one intersection of one simulation.
struct intersection_overrides {
  std::string simulation_id;
  std::string intersection_id;
  std::int64_t overrides = 0;
};

/// Totals, means and maxima over a set of episodes. Means and maxima of time to green cover
/// only the episodes that turned GREEN; they are unset when none did.
struct emergency_stats {
  std::int64_t episodes = 0;
  std::int64_t episodes_with_green = 0;
  double total_duration_seconds = 0;
  double mean_duration_seconds = 0;
  double max_duration_seconds = 0;
  std::optional<double> mean_time_to_green_seconds;
  std::optional<double> max_time_to_green_seconds;
  std::int64_t overrides = 0; ///< sum of emergency_overrides of the snapshots in scope
};

struct emergency_group {
  std::string simulation_id;
  std::string intersection_id;
  emergency_stats stats;
};

struct emergency_report {
  std::vector<emergency_episode> episodes;       ///< by start, at most the query's limit
  bool episodes_truncated = false;               ///< more episodes exist than are listed
  std::vector<emergency_group> per_intersection; ///< by (simulation, intersection)
  emergency_stats totals;
};

// ---- time series, trend chart ----------------------------------------------------------------

/// One epoch-aligned bucket [start, start + bucket) of a time series.
struct series_point {
  timestamp_us start = 0;
  std::int64_t count = 0;
  double mean = 0;
  double min = 0;
  double max = 0;
};

struct time_series {
  std::string simulation_id;
  series_metric metric = series_metric::avg_wait_time_all_sides;
  std::int64_t bucket_seconds = 60;
  std::optional<std::string> intersection_id;
  std::vector<series_point> points; ///< chronological; buckets without snapshots are absent
  bool truncated = false;           ///< more buckets exist than the point limit
};

/// Mean wait of one simulation in one bucket (a row the trend chart is made from).
struct trend_row {
  std::string simulation_id;
  timestamp_us bucket = 0;
  double mean_wait = 0;
};

struct trend_dataset {
  std::string label;                       ///< the simulation id
  std::vector<std::optional<double>> data; ///< one per label; unset where the run had no data
};

/// Chart.js-ready: shared labels (bucket starts) and one dataset per simulation.
struct trend_chart {
  std::int64_t bucket_seconds = 60;
  std::vector<timestamp_us> labels;    ///< sorted union of every dataset's buckets
  std::vector<trend_dataset> datasets; ///< in simulation id order
  bool truncated = false;
};

// ---- scatter ---------------------------------------------------------------------------------

struct scatter_point {
  double x = 0;      ///< mean avg_wait_time_all_sides, seconds
  double y = 0;      ///< mean throughput
  std::string label; ///< simulation id, or "simulation/intersection"
  std::optional<run_mode> mode;
  std::string simulation_id;
  std::optional<std::string> intersection_id; ///< set when by == intersection
  std::int64_t snapshots = 0;
};

struct scatter_chart {
  scatter_level by = scatter_level::simulation;
  std::vector<scatter_point> points; ///< by label
};

// ---- baseline vs AI --------------------------------------------------------------------------

/// The mean of each compared figure over the snapshots of one block: one simulation, one
/// intersection, one epoch-aligned interval of block_seconds.
struct block_sample {
  run_mode side = run_mode::baseline;
  std::optional<std::string> scenario;
  std::string simulation_id;
  std::string intersection_id;
  timestamp_us block_start = 0;
  std::int64_t snapshots = 0;
  double wait = 0;            ///< mean avg_wait_time_all_sides
  double speed = 0;           ///< mean avg_speed
  double throughput = 0;      ///< mean throughput
  double vehicles_passed = 0; ///< mean total_vehicles_passed
};

/// One figure compared between baseline and AI blocks with Welch's t-test.
struct metric_comparison {
  std::string figure;           ///< "wait_time", "speed", "throughput", "vehicles_passed"
  bool lower_is_better = false; ///< true for wait_time only
  std::int64_t baseline_blocks = 0;
  std::int64_t ai_blocks = 0;
  double baseline_mean = 0;             ///< mean of the baseline block means
  double ai_mean = 0;                   ///< mean of the AI block means
  double difference = 0;                ///< ai_mean - baseline_mean
  std::optional<double> percent_change; ///< difference / baseline_mean * 100; unset when 0
  std::optional<double> ci_low;         ///< 95% confidence interval of the difference
  std::optional<double> ci_high;
  std::optional<double> p_value; ///< two-sided; unset when a side has < 2 blocks
  std::optional<double> t_statistic;
  std::optional<double> degrees_of_freedom; ///< Welch-Satterthwaite
  bool ai_better = false;                   ///< the interval excludes zero on the good side
};

struct comparison_report {
  std::optional<std::string> scenario; ///< set when compared by scenario
  std::vector<std::string> baseline_runs;
  std::vector<std::string> ai_runs;
  std::int64_t block_seconds = 300;
  std::int64_t baseline_snapshots = 0;
  std::int64_t ai_snapshots = 0;
  std::vector<metric_comparison> metrics; ///< wait_time, speed, throughput, vehicles_passed
};

/// One card per scenario with both baseline and AI runs, and one over all of those runs.
struct performance_dashboard {
  std::int64_t block_seconds = 300;
  std::vector<comparison_report> scenarios; ///< by scenario name
  std::optional<comparison_report> overall; ///< unset when no scenario has both modes
};

// ---- runs ------------------------------------------------------------------------------------

/// A simulation run as the simulations table records it.
struct simulation_info {
  std::string simulation_id;
  std::optional<run_mode> mode;
  std::optional<std::string> scenario;
  timestamp_us first_timestamp = 0;
  timestamp_us last_timestamp = 0;
  std::int64_t snapshots = 0;
  timestamp_us first_seen = 0; ///< wall clock of the first write
  timestamp_us last_seen = 0;  ///< wall clock of the latest write
};

struct simulation_list {
  std::vector<simulation_info> simulations; ///< by id
  bool truncated = false;
};

/// A change of a run's mode and scenario (PUT /api/v1/simulations/{id}). A field whose
/// set_ flag is false stays as it is; an unset value clears it.
struct simulation_update {
  std::string simulation_id;
  bool set_mode = false;
  std::optional<run_mode> mode;
  bool set_scenario = false;
  std::optional<std::string> scenario;
};

/// Any answer of the analytics actors.
using analytics_answer = std::variant<simulation_summary, distribution_report, environmental_report,
                                      emergency_report, time_series, trend_chart, scatter_chart,
                                      comparison_report, performance_dashboard, simulation_list>;

} // namespace traffic::metrics
