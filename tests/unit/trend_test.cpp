// Unit tests of the wait-time trend chart: shared labels, one dataset per simulation.
#include "metrics/trend.hpp"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

using namespace traffic::metrics;

namespace {

using values = std::vector<std::optional<double>>;

/// s1 has buckets 60 and 180, s2 has 60 and 120; given out of order.
std::vector<trend_row> sample_rows() {
  return {{"s2", 120, 5.0}, {"s1", 60, 3.0}, {"s1", 180, 4.0}, {"s2", 60, 6.0}};
}

} // namespace

TEST(BuildTrend, LaysEachSimulationOverTheSharedLabels) {
  auto chart = build_trend(sample_rows(), 60, 100);
  EXPECT_EQ(chart.bucket_seconds, 60);
  EXPECT_EQ(chart.labels, (std::vector<timestamp_us>{60, 120, 180}));
  EXPECT_FALSE(chart.truncated);
  ASSERT_EQ(chart.datasets.size(), 2U);
  EXPECT_EQ(chart.datasets[0].label, "s1");
  EXPECT_EQ(chart.datasets[0].data, (values{3.0, std::nullopt, 4.0}));
  EXPECT_EQ(chart.datasets[1].label, "s2");
  EXPECT_EQ(chart.datasets[1].data, (values{6.0, 5.0, std::nullopt}));
}

TEST(BuildTrend, KeepsTheEarliestLabelsUpToTheLimit) {
  auto chart = build_trend(sample_rows(), 60, 2);
  EXPECT_EQ(chart.labels, (std::vector<timestamp_us>{60, 120}));
  EXPECT_TRUE(chart.truncated);
  ASSERT_EQ(chart.datasets.size(), 2U);
  EXPECT_EQ(chart.datasets[0].data, (values{3.0, std::nullopt}));
  EXPECT_EQ(chart.datasets[1].data, (values{6.0, 5.0}));
}

TEST(BuildTrend, IsNotTruncatedAtExactlyTheLimit) {
  auto chart = build_trend(sample_rows(), 60, 3);
  EXPECT_EQ(chart.labels.size(), 3U);
  EXPECT_FALSE(chart.truncated);
}

TEST(BuildTrend, KeepsASimulationWhoseBucketsAllFellPastTheLimit) {
  auto rows = sample_rows();
  rows.push_back({"s0", 300, 9.0});
  auto chart = build_trend(rows, 60, 2);
  ASSERT_EQ(chart.datasets.size(), 3U);
  EXPECT_EQ(chart.datasets[0].label, "s0");
  EXPECT_EQ(chart.datasets[0].data, (values{std::nullopt, std::nullopt}));
}

TEST(BuildTrend, IsEmptyWithoutRows) {
  auto chart = build_trend({}, 300, 10);
  EXPECT_EQ(chart.bucket_seconds, 300);
  EXPECT_TRUE(chart.labels.empty());
  EXPECT_TRUE(chart.datasets.empty());
  EXPECT_FALSE(chart.truncated);
}

TEST(BuildTrend, KeepsANamedRunWithoutRowsAsAllNull) {
  // "a" has rows at 60 and 120 s; "b" was asked for but has none in range.
  std::vector<trend_row> rows{{"a", 60, 1.0}, {"a", 120, 2.0}};
  auto chart = build_trend(rows, 60, 10, {"a", "b"});
  ASSERT_EQ(chart.datasets.size(), 2U);
  EXPECT_EQ(chart.datasets[0].label, "a");
  EXPECT_EQ(chart.datasets[0].data, (values{1.0, 2.0}));
  EXPECT_EQ(chart.datasets[1].label, "b");
  EXPECT_EQ(chart.datasets[1].data, (values{std::nullopt, std::nullopt}));
}
