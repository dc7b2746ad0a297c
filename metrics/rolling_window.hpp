// Means of a few snapshot figures over a sliding window of snapshot time.
#pragma once

#include <cstdint>
#include <deque>

#include "metrics/timestamp.hpp"

namespace traffic::metrics {

/// One snapshot's contribution to the rolling means.
struct rolling_sample {
  timestamp_us timestamp = 0;
  double wait = 0;
  double speed = 0;
  double throughput = 0;
};

/// Keeps the samples whose timestamp lies within `width` of the newest one and their sums, so
/// each mean costs O(1). Samples may arrive slightly out of order; a sample older than the
/// window when it arrives is ignored.
class rolling_window {
 public:
  explicit rolling_window(timestamp_us width) : width_{width} {}

  /// Adds a sample and drops those that fell out of the window.
  void add(const rolling_sample& sample);

  /// Returns how many samples lie in the window.
  std::int64_t size() const { return static_cast<std::int64_t>(samples_.size()); }

  /// Return the means over the window (0 when empty).
  double mean_wait() const { return mean(sum_wait_); }
  double mean_speed() const { return mean(sum_speed_); }
  double mean_throughput() const { return mean(sum_throughput_); }

 private:
  double mean(double sum) const { return samples_.empty() ? 0.0 : sum / size(); }
  void drop(const rolling_sample& sample);

  timestamp_us width_;
  timestamp_us newest_ = 0;
  std::deque<rolling_sample> samples_; ///< in arrival order
  double sum_wait_ = 0;
  double sum_speed_ = 0;
  double sum_throughput_ = 0;
};

} // namespace traffic::metrics
