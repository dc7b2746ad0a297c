// Analytics reader against a real PostgreSQL: a hand-computed summary, unknown ids, outages.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/simulation_summary.hpp"
#include "metrics/snapshot.hpp"
#include "storage/analytics_reader.hpp"
#include "storage/migrator.hpp"
#include "storage/snapshot_writer.hpp"
#include "tests/support/test_database.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::metrics::direction;
using traffic::metrics::run_mode;
using traffic::metrics::signal_state;
using traffic::metrics::signal_status;
using traffic::metrics::snapshot;
using traffic::metrics::timestamp_us;
using traffic::metrics::vehicle_count;
using traffic::storage::analytics_reader;
using traffic::storage::snapshot_writer;
using traffic::storage::storage_status;
using traffic::tests::test_database;

/// 2025-01-01T00:00:00Z in microseconds.
constexpr timestamp_us t0 = 1'735'689'600'000'000;

/// The fixture: intersection i (0 = INT_A, 1 = INT_B) at tick k (0, 1, 2; 10 s apart), with
/// the approaches east then north (the summary must still list north first).
snapshot fixture_snapshot(int i, int k) {
  snapshot s;
  s.simulation_id = "SIM_R";
  s.intersection_id = i == 0 ? "INT_A" : "INT_B";
  s.timestamp = t0 + k * 10'000'000;
  if (i == 0 && k == 0) {
    s.mode = run_mode::ai;
    s.scenario = "rush";
  }
  s.metrics.total_vehicles_passed = 10 * (k + 1) + i;
  s.metrics.avg_wait_time_all_sides = 2.0 * (k + 1) + 0.5 * i;
  s.metrics.avg_speed = 30 + k + 10 * i;
  s.metrics.throughput = 0.5 + 0.25 * k;
  s.metrics.fuel_saved = 1.5 - 2 * i;
  s.metrics.co2_saved = 0.25 * (k + 1);
  s.metrics.emergency_overrides = (k == 2 ? 1 : 0) + i;

  signal_state east;
  east.approach = direction::east;
  east.status = signal_status::red;
  east.avg_wait_time = 1.5 * (k + 1);
  east.vehicles_crossed = 2 * i + 1;
  east.vehicle_counts = {{"car", 1}, {"truck", 2}, {"rickshaw", i}};
  signal_state north;
  north.approach = direction::north;
  north.status = signal_status::green;
  north.avg_wait_time = 10 + k + 3 * i;
  north.vehicles_crossed = 5 + k;
  north.vehicle_counts = {{"car", 4}, {"bus", k}};
  s.signals = {east, north};
  return s;
}

class AnalyticsReader : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = traffic::storage::apply_migrations(db_.url());
    ASSERT_TRUE(r.ok) << r.error;
  }

  test_database db_;
  analytics_reader reader_{db_.url(), 5000ms};
};

TEST_F(AnalyticsReader, SummarisesAHandMadeRun) {
  std::vector<snapshot> run;
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < 2; ++i)
      run.push_back(fixture_snapshot(i, k));
  // Two batches, so the run's row is written, then updated.
  snapshot_writer writer{db_.url(), 5000ms};
  std::vector<const snapshot*> first{&run[0], &run[1], &run[2]};
  std::vector<const snapshot*> second{&run[3], &run[4], &run[5]};
  ASSERT_EQ(writer.write(first).status, storage_status::ok);
  ASSERT_EQ(writer.write(second).status, storage_status::ok);

  auto r = reader_.simulation_summary("SIM_R");
  ASSERT_EQ(r.status, storage_status::ok) << r.error;
  ASSERT_TRUE(r.value.has_value());
  const auto& s = *r.value;
  EXPECT_EQ(s.simulation_id, "SIM_R");
  EXPECT_EQ(s.mode, run_mode::ai);
  EXPECT_EQ(s.scenario, "rush");
  EXPECT_EQ(s.intersections, 2);
  EXPECT_EQ(s.snapshots, 6);
  EXPECT_EQ(s.first_timestamp, t0);
  EXPECT_EQ(s.last_timestamp, t0 + 20'000'000);
  EXPECT_DOUBLE_EQ(s.duration_seconds(), 20.0);
  // waits: A 2, 4, 6; B 2.5, 4.5, 6.5 -> 25.5 / 6 = 4.25
  EXPECT_DOUBLE_EQ(s.mean_wait, 4.25);
  // speeds: A 30, 31, 32; B 40, 41, 42 -> 216 / 6 = 36
  EXPECT_DOUBLE_EQ(s.mean_speed, 36.0);
  // throughput: 0.5, 0.75, 1.0 at both -> 4.5 / 6 = 0.75
  EXPECT_DOUBLE_EQ(s.mean_throughput, 0.75);
  // passed: A 10 + 20 + 30 = 60; B 11 + 21 + 31 = 63 -> 123
  EXPECT_EQ(s.total_vehicles_passed, 123);
  // fuel: A 3 x 1.5 = 4.5; B 3 x -0.5 = -1.5 -> 3
  EXPECT_DOUBLE_EQ(s.fuel_saved_total, 3.0);
  // co2: (0.25 + 0.5 + 0.75) x 2 = 3
  EXPECT_DOUBLE_EQ(s.co2_saved_total, 3.0);
  // overrides: A 0 + 0 + 1 = 1; B 1 + 1 + 2 = 4 -> 5
  EXPECT_EQ(s.emergency_overrides, 5);

  ASSERT_EQ(s.directions.size(), 2u);
  EXPECT_EQ(s.directions[0].approach, direction::north);
  EXPECT_EQ(s.directions[0].samples, 6);
  // north waits: A 10, 11, 12; B 13, 14, 15 -> 75 / 6 = 12.5
  EXPECT_DOUBLE_EQ(s.directions[0].mean_wait, 12.5);
  // north crossed: 5 + 6 + 7 at both -> 36
  EXPECT_EQ(s.directions[0].vehicles_crossed, 36);
  EXPECT_EQ(s.directions[1].approach, direction::east);
  EXPECT_EQ(s.directions[1].samples, 6);
  // east waits: 1.5, 3, 4.5 at both -> 18 / 6 = 3
  EXPECT_DOUBLE_EQ(s.directions[1].mean_wait, 3.0);
  // east crossed: A 1 x 3; B 3 x 3 -> 12
  EXPECT_EQ(s.directions[1].vehicles_crossed, 12);

  // bus: north 0 + 1 + 2 at both = 6; car: north 4 x 6 + east 1 x 6 = 30;
  // rickshaw: east A 0 x 3 + B 1 x 3 = 3; truck: east 2 x 6 = 12
  const std::vector<vehicle_count> mix{{"bus", 6}, {"car", 30}, {"rickshaw", 3}, {"truck", 12}};
  EXPECT_EQ(s.vehicle_class_mix, mix);
}

TEST_F(AnalyticsReader, ReportsUnknownSimulationAsNotFound) {
  auto r = reader_.simulation_summary("NO_SUCH_SIM");
  EXPECT_EQ(r.status, storage_status::not_found) << r.error;
  EXPECT_FALSE(r.value.has_value());

  // A hostile id is only ever a parameter.
  auto quoted = reader_.simulation_summary("x'; DROP TABLE simulations; --");
  EXPECT_EQ(quoted.status, storage_status::not_found) << quoted.error;
}

TEST_F(AnalyticsReader, ReportsUnreachableDatabaseAsUnavailable) {
  analytics_reader nowhere{test_database::unreachable_url(), 1000ms};
  auto r = nowhere.simulation_summary("SIM_R");
  EXPECT_EQ(r.status, storage_status::unavailable);
  EXPECT_FALSE(r.error.empty());
  EXPECT_FALSE(r.value.has_value());
}

} // namespace
