// Counts of observations per bucket, the shape Prometheus histograms export.
#include "metrics/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace traffic::metrics {

histogram::histogram(std::vector<double> upper_bounds)
    : upper_bounds_{std::move(upper_bounds)}, counts_(upper_bounds_.size() + 1, 0) {}

void histogram::observe(double value) {
  ++count_;
  if (std::isnan(value)) {
    ++counts_.back();
    return;
  }
  sum_ += value;
  auto bucket = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value);
  ++counts_[static_cast<std::size_t>(bucket - upper_bounds_.begin())];
}

std::vector<double> exponential_bounds(double start, double factor, int count) {
  std::vector<double> bounds;
  bounds.reserve(static_cast<std::size_t>(std::max(count, 0)));
  for (double bound = start; static_cast<int>(bounds.size()) < count; bound *= factor)
    bounds.push_back(bound);
  return bounds;
}

} // namespace traffic::metrics
