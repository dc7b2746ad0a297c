// What a batch adds to the rollups: sums, extremes, keys, and only the stored snapshots.
#include <gtest/gtest.h>

#include "metrics/batch_rollup.hpp"

namespace {

using traffic::metrics::direction;
using traffic::metrics::minute_of;
using traffic::metrics::rollup_batch;
using traffic::metrics::run_mode;
using traffic::metrics::signal_state;
using traffic::metrics::signal_status;
using traffic::metrics::snapshot;
using traffic::metrics::timestamp_us;

/// 2025-09-10T23:20:00Z, a minute start.
constexpr timestamp_us t0 = 1'757'546'400'000'000;
constexpr timestamp_us second = 1'000'000;

snapshot make(const std::string& sim, const std::string& intersection, timestamp_us ts, double wait,
              std::int64_t vehicles) {
  snapshot s;
  s.simulation_id = sim;
  s.intersection_id = intersection;
  s.timestamp = ts;
  s.metrics.avg_wait_time_all_sides = wait;
  s.metrics.avg_speed = 30 - wait;
  s.metrics.total_vehicles_passed = vehicles;
  s.metrics.fuel_saved = -0.5;
  signal_state north;
  north.approach = direction::north;
  north.status = signal_status::green;
  north.avg_wait_time = wait + 1;
  north.vehicles_crossed = 3;
  north.green_time_allocated = 20;
  north.vehicle_counts = {{"car", 5}, {"bus", 1}};
  signal_state east;
  east.approach = direction::east;
  east.status = signal_status::red;
  east.avg_wait_time = wait + 2;
  east.vehicles_crossed = 1;
  east.green_time_allocated = 10;
  east.vehicle_counts = {{"car", 2}};
  s.signals = {north, east};
  return s;
}

std::vector<const snapshot*> pointers(const std::vector<snapshot>& v) {
  std::vector<const snapshot*> out;
  for (const auto& s : v)
    out.push_back(&s);
  return out;
}

TEST(MinuteOf, FloorsToTheMinuteOnBothSidesOfTheEpoch) {
  EXPECT_EQ(minute_of(t0), t0);
  EXPECT_EQ(minute_of(t0 + 59 * second + 999'999), t0);
  EXPECT_EQ(minute_of(t0 + 60 * second), t0 + 60 * second);
  EXPECT_EQ(minute_of(0), 0);
  EXPECT_EQ(minute_of(-1), -60 * second);
  EXPECT_EQ(minute_of(-60 * second), -60 * second);
}

TEST(RollupBatch, SumsEachRunIntersectionAndMinute) {
  std::vector<snapshot> batch{
      make("SIM_B", "INT_1", t0 + 10 * second, 20, 100), make("SIM_A", "INT_1", t0, 10, 50),
      make("SIM_B", "INT_1", t0 + 50 * second, 30, 120),
      make("SIM_B", "INT_1", t0 + 60 * second, 40, 130), make("SIM_B", "INT_2", t0, 25, 90)};
  auto r = rollup_batch(pointers(batch), {0, 1, 2, 3, 4});

  ASSERT_EQ(r.minutes.size(), 4u);
  // Sorted by (run, intersection, minute).
  EXPECT_EQ(r.minutes[0].simulation_id, "SIM_A");
  const auto& b = r.minutes[1];
  EXPECT_EQ(b.simulation_id, "SIM_B");
  EXPECT_EQ(b.intersection_id, "INT_1");
  EXPECT_EQ(b.minute, t0);
  EXPECT_EQ(b.snapshots, 2);
  EXPECT_DOUBLE_EQ(b.wait.sum, 50);
  EXPECT_DOUBLE_EQ(b.wait.min, 20);
  EXPECT_DOUBLE_EQ(b.wait.max, 30);
  EXPECT_DOUBLE_EQ(b.speed.min, 0);
  EXPECT_DOUBLE_EQ(b.speed.max, 10);
  EXPECT_EQ(b.vehicles.sum, 220);
  EXPECT_EQ(b.vehicles.min, 100);
  EXPECT_EQ(b.vehicles.max, 120);
  EXPECT_DOUBLE_EQ(b.fuel.sum, -1.0);
  EXPECT_DOUBLE_EQ(b.fuel.max, -0.5); // negative extremes start from the first value, not 0
  EXPECT_EQ(r.minutes[2].minute, t0 + 60 * second);
  EXPECT_EQ(r.minutes[3].intersection_id, "INT_2");
}

TEST(RollupBatch, CountsOnlyTheStoredSnapshots) {
  std::vector<snapshot> batch{make("SIM_A", "INT_1", t0, 10, 50),
                              make("SIM_A", "INT_1", t0 + second, 99, 999)};
  batch[0].mode = run_mode::ai;
  batch[0].scenario = "rush";
  auto r = rollup_batch(pointers(batch), {0});
  ASSERT_EQ(r.minutes.size(), 1u);
  EXPECT_EQ(r.minutes[0].snapshots, 1);
  EXPECT_EQ(r.minutes[0].vehicles.sum, 50);
  ASSERT_EQ(r.runs.size(), 1u);
  EXPECT_EQ(r.runs[0].snapshots, 1);
  EXPECT_EQ(r.runs[0].mode, run_mode::ai);
  EXPECT_EQ(r.runs[0].scenario, "rush");

  auto none = rollup_batch(pointers(batch), {});
  EXPECT_TRUE(none.minutes.empty());
  EXPECT_TRUE(none.runs.empty());
  EXPECT_TRUE(none.directions.empty());
  EXPECT_TRUE(none.vehicle_classes.empty());
}

TEST(RollupBatch, SumsApproachesAndVehicleClassesPerRun) {
  std::vector<snapshot> batch{make("SIM_A", "INT_1", t0, 10, 50),
                              make("SIM_A", "INT_2", t0, 20, 60)};
  auto r = rollup_batch(pointers(batch), {0, 1});
  ASSERT_EQ(r.directions.size(), 2u);
  // Compass order: north before east.
  EXPECT_EQ(r.directions[0].approach, direction::north);
  EXPECT_EQ(r.directions[0].samples, 2);
  EXPECT_DOUBLE_EQ(r.directions[0].wait_sum, 11 + 21);
  EXPECT_EQ(r.directions[0].vehicles_crossed, 6);
  EXPECT_EQ(r.directions[0].green_time_allocated, 40);
  EXPECT_EQ(r.directions[0].green_samples, 2);
  EXPECT_EQ(r.directions[1].approach, direction::east);
  EXPECT_EQ(r.directions[1].green_samples, 0);
  ASSERT_EQ(r.vehicle_classes.size(), 2u);
  EXPECT_EQ(r.vehicle_classes[0].vehicle_class, "bus");
  EXPECT_EQ(r.vehicle_classes[0].vehicles, 2);
  EXPECT_EQ(r.vehicle_classes[1].vehicle_class, "car");
  EXPECT_EQ(r.vehicle_classes[1].vehicles, 14);
}

TEST(RollupBatch, KeepsTheLastModeAndScenarioAndTheTimeRange) {
  std::vector<snapshot> batch{make("SIM_A", "INT_1", t0 + 5 * second, 10, 50),
                              make("SIM_A", "INT_1", t0, 10, 50),
                              make("SIM_A", "INT_1", t0 + 9 * second, 10, 50)};
  batch[0].mode = run_mode::baseline;
  batch[1].scenario = "night";
  batch[1].mode = run_mode::ai;
  auto r = rollup_batch(pointers(batch), {0, 1, 2});
  ASSERT_EQ(r.runs.size(), 1u);
  EXPECT_EQ(r.runs[0].mode, run_mode::ai);
  EXPECT_EQ(r.runs[0].scenario, "night");
  EXPECT_EQ(r.runs[0].first_timestamp, t0);
  EXPECT_EQ(r.runs[0].last_timestamp, t0 + 9 * second);
  EXPECT_EQ(r.runs[0].snapshots, 3);
}

} // namespace
