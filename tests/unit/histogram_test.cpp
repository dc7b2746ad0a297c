// metrics::histogram: bucket placement at the bounds, +Inf, count and sum.
#include "metrics/histogram.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace traffic::metrics {
namespace {

TEST(Histogram, PutsAValueOnABoundIntoThatBucket) {
  histogram h{{1, 2, 5}};
  for (double v : {0.5, 1.0, 1.5, 2.0, 4.0, 5.0, 6.0, 100.0})
    h.observe(v);
  EXPECT_EQ(h.bucket_counts(), (std::vector<std::int64_t>{2, 2, 2, 2}));
  EXPECT_EQ(h.count(), 8);
  EXPECT_DOUBLE_EQ(h.sum(), 120.0);
}

TEST(Histogram, CountsNaNInInfinityWithoutSpoilingTheSum) {
  histogram h{{1}};
  h.observe(std::numeric_limits<double>::quiet_NaN());
  h.observe(0.25);
  EXPECT_EQ(h.bucket_counts(), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(h.count(), 2);
  EXPECT_DOUBLE_EQ(h.sum(), 0.25);
}

TEST(Histogram, WithoutBoundsHasOnlyInfinity) {
  histogram h;
  h.observe(3);
  EXPECT_EQ(h.bucket_counts(), (std::vector<std::int64_t>{1}));
}

TEST(ExponentialBounds, MultipliesFromTheStart) {
  auto bounds = exponential_bounds(1, 4, 4);
  EXPECT_EQ(bounds, (std::vector<double>{1, 4, 16, 64}));
}

} // namespace
} // namespace traffic::metrics
