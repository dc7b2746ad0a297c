// Counts of observations per bucket, the shape Prometheus histograms export.
#pragma once

#include <cstdint>
#include <vector>

namespace traffic::metrics {

/// Observations counted into buckets with fixed upper bounds, plus their count and sum. An
/// observation goes into the first bucket whose bound it does not exceed; the last bucket
/// (past every bound) is +Inf. A plain value: one owner updates it, copies travel.
class histogram {
 public:
  /// Makes an empty histogram; `upper_bounds` must be strictly increasing.
  explicit histogram(std::vector<double> upper_bounds = {});

  /// Counts `value` (NaN counts in +Inf and is left out of the sum).
  void observe(double value);

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  /// Per bucket, not cumulative: upper_bounds().size() + 1 entries, the last one +Inf.
  const std::vector<std::int64_t>& bucket_counts() const { return counts_; }
  std::int64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::vector<double> upper_bounds_;
  std::vector<std::int64_t> counts_;
  std::int64_t count_ = 0;
  double sum_ = 0;
};

/// Returns bounds from `start`, each `factor` times the one before, `count` of them.
std::vector<double> exponential_bounds(double start, double factor, int count);

} // namespace traffic::metrics
