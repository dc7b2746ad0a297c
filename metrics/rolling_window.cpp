// Means of a few snapshot figures over a sliding window of snapshot time.
#include "metrics/rolling_window.hpp"

#include <algorithm>

namespace traffic::metrics {

void rolling_window::add(const rolling_sample& sample) {
  if (!samples_.empty() && sample.timestamp <= newest_ - width_)
    return;
  newest_ = samples_.empty() ? sample.timestamp : std::max(newest_, sample.timestamp);
  samples_.push_back(sample);
  sum_wait_ += sample.wait;
  sum_speed_ += sample.speed;
  sum_throughput_ += sample.throughput;
  // Arrival order is nearly time order, so expired samples gather at the front.
  while (!samples_.empty() && samples_.front().timestamp <= newest_ - width_) {
    drop(samples_.front());
    samples_.pop_front();
  }
}

void rolling_window::drop(const rolling_sample& sample) {
  sum_wait_ -= sample.wait;
  sum_speed_ -= sample.speed;
  sum_throughput_ -= sample.throughput;
  if (samples_.size() == 1)
    sum_wait_ = sum_speed_ = sum_throughput_ = 0; // no drift once empty
}

} // namespace traffic::metrics
