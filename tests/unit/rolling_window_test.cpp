// Unit tests of the rolling means over snapshot time.
#include "metrics/rolling_window.hpp"

#include <gtest/gtest.h>

using traffic::metrics::rolling_sample;
using traffic::metrics::rolling_window;

namespace {

constexpr std::int64_t second = 1'000'000;

rolling_sample at(std::int64_t seconds, double wait, double speed = 0, double throughput = 0) {
  return rolling_sample{seconds * second, wait, speed, throughput};
}

} // namespace

TEST(RollingWindow, IsEmptyAtFirst) {
  rolling_window window{60 * second};
  EXPECT_EQ(window.size(), 0);
  EXPECT_EQ(window.mean_wait(), 0.0);
}

TEST(RollingWindow, AveragesSamplesWithinTheWindow) {
  rolling_window window{60 * second};
  window.add(at(0, 10, 30, 1));
  window.add(at(10, 20, 40, 2));
  window.add(at(20, 60, 50, 3));
  EXPECT_EQ(window.size(), 3);
  EXPECT_DOUBLE_EQ(window.mean_wait(), 30.0);      // (10 + 20 + 60) / 3
  EXPECT_DOUBLE_EQ(window.mean_speed(), 40.0);     // (30 + 40 + 50) / 3
  EXPECT_DOUBLE_EQ(window.mean_throughput(), 2.0); // (1 + 2 + 3) / 3
}

TEST(RollingWindow, DropsSamplesOlderThanTheWidth) {
  rolling_window window{60 * second};
  window.add(at(0, 10));
  window.add(at(30, 20));
  window.add(at(60, 30)); // t=0 is exactly 60 s old: out
  EXPECT_EQ(window.size(), 2);
  EXPECT_DOUBLE_EQ(window.mean_wait(), 25.0); // (20 + 30) / 2
}

TEST(RollingWindow, IgnoresASampleAlreadyOutsideTheWindow) {
  rolling_window window{60 * second};
  window.add(at(100, 10));
  window.add(at(20, 1000));
  EXPECT_EQ(window.size(), 1);
  EXPECT_DOUBLE_EQ(window.mean_wait(), 10.0);
}

TEST(RollingWindow, KeepsSlightlyLateSamples) {
  rolling_window window{60 * second};
  window.add(at(100, 10));
  window.add(at(90, 30));
  EXPECT_EQ(window.size(), 2);
  EXPECT_DOUBLE_EQ(window.mean_wait(), 20.0);
}
