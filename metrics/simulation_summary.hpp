// What the summary endpoint reports about one simulation run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/snapshot.hpp"

namespace traffic::metrics {

/// Per-approach figures over every snapshot of a run.
struct direction_summary {
  direction approach = direction::north;
  std::int64_t samples = 0;              ///< signal rows of this direction
  double mean_wait = 0;                  ///< mean of avg_wait_time, seconds
  std::int64_t vehicles_crossed = 0;     ///< sum of vehicles_crossed
  std::int64_t green_time_allocated = 0; ///< sum of green_time_allocated, seconds
  /// green_time_allocated of this approach / that of every approach of the run (0..1)
  double green_time_share = 0;
  /// share of this approach's samples whose signal_status was GREEN (0..1)
  double green_status_share = 0;
};

/// Aggregates over every stored snapshot of one simulation.
struct simulation_summary {
  std::string simulation_id;
  std::optional<run_mode> mode;
  std::optional<std::string> scenario;
  std::int64_t intersections = 0;
  std::int64_t snapshots = 0;
  timestamp_us first_timestamp = 0;
  timestamp_us last_timestamp = 0;
  double mean_wait = 0;       ///< mean of avg_wait_time_all_sides, seconds
  double mean_speed = 0;      ///< mean of avg_speed
  double mean_throughput = 0; ///< mean of throughput
  std::int64_t total_vehicles_passed = 0;
  double fuel_saved_total = 0;
  double co2_saved_total = 0;
  std::int64_t emergency_overrides = 0;
  std::vector<direction_summary> directions;    ///< in compass order
  std::vector<vehicle_count> vehicle_class_mix; ///< sum per class over all approaches, by name

  /// Returns last_timestamp - first_timestamp in seconds.
  double duration_seconds() const {
    return static_cast<double>(last_timestamp - first_timestamp) / 1e6;
  }
};

} // namespace traffic::metrics
