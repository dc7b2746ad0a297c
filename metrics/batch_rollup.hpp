// What a batch of newly stored snapshots adds to the rollup tables: per run and minute, per run
// and direction, per run and vehicle class, and per run. Pure: the writer sends these rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "metrics/snapshot.hpp"

namespace traffic::metrics {

/// Count, sum, min and max of one figure.
template <class T>
struct figure_totals {
  T sum{};
  T min{};
  T max{};

  void add(T value, bool first) {
    sum += value;
    if (first || value < min)
      min = value;
    if (first || value > max)
      max = value;
  }
};

/// The snapshots of one run and intersection within one UTC minute [minute, minute + 60 s).
struct minute_totals {
  std::string simulation_id;
  std::string intersection_id;
  timestamp_us minute = 0;
  std::int64_t snapshots = 0;
  figure_totals<double> wait;
  figure_totals<double> speed;
  figure_totals<double> throughput;
  figure_totals<std::int64_t> vehicles;
  figure_totals<double> fuel;
  figure_totals<double> co2;
  figure_totals<std::int64_t> overrides;
};

/// The approach rows of one run and direction.
struct direction_totals {
  std::string simulation_id;
  direction approach = direction::north;
  std::int64_t samples = 0;
  double wait_sum = 0;
  std::int64_t vehicles_crossed = 0;
  std::int64_t green_time_allocated = 0;
  std::int64_t green_samples = 0;
};

/// The vehicles of one class over every approach of one run.
struct vehicle_class_totals {
  std::string simulation_id;
  std::string vehicle_class;
  std::int64_t vehicles = 0;
};

/// One run's share of the batch, for the simulations table.
struct run_totals {
  std::string simulation_id;
  std::optional<run_mode> mode;        ///< the last one the batch sent, if any
  std::optional<std::string> scenario; ///< the last one the batch sent, if any
  timestamp_us first_timestamp = 0;
  timestamp_us last_timestamp = 0;
  std::int64_t snapshots = 0;
};

/// Every rollup row of a batch, each list sorted by its key (so concurrent writers lock rows in
/// the same order).
struct batch_rollup {
  std::vector<minute_totals> minutes;
  std::vector<direction_totals> directions;
  std::vector<vehicle_class_totals> vehicle_classes;
  std::vector<run_totals> runs;
};

/// Returns the start of the UTC minute holding `t`.
timestamp_us minute_of(timestamp_us t);

/// Sums the snapshots `batch[i]` for every i in `stored`, in that order (so "last" means last
/// in `stored`).
batch_rollup rollup_batch(const std::vector<const snapshot*>& batch,
                          const std::vector<int>& stored);

} // namespace traffic::metrics
