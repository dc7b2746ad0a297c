// Summary, wait-time and speed answers and outages, against tests/fixtures/README.md.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/snapshot.hpp"
#include "tests/pg/analytics_fixture.hpp"

namespace {

using namespace std::chrono_literals;
using traffic::metrics::analytics_query;
using traffic::metrics::direction;
using traffic::metrics::distribution_report;
using traffic::metrics::distribution_stats;
using traffic::metrics::group_key;
using traffic::metrics::query_kind;
using traffic::metrics::run_mode;
using traffic::metrics::simulation_summary;
using traffic::metrics::vehicle_count;
using traffic::storage::storage_status;
using traffic::tests::AnalyticsData;
using traffic::tests::query_of;
using traffic::tests::tick;

/// Percentiles are interpolated in floating point: compare within this.
constexpr double tolerance = 1e-9;

/// The figures of one distribution, as expected.
struct expected_stats {
  std::int64_t samples;
  double mean, min, p50, p95, max;
};

void expect_stats(const distribution_stats& s, const expected_stats& e) {
  EXPECT_EQ(s.samples, e.samples);
  EXPECT_NEAR(s.mean, e.mean, tolerance);
  EXPECT_NEAR(s.min, e.min, tolerance);
  EXPECT_NEAR(s.p50, e.p50, tolerance);
  EXPECT_NEAR(s.p95, e.p95, tolerance);
  EXPECT_NEAR(s.max, e.max, tolerance);
}

analytics_query wait_times(group_key g = group_key::none) {
  auto q = query_of(query_kind::wait_times);
  q.group_by = g;
  return q;
}

using AnalyticsQueries = AnalyticsData;

// ---- summary -------------------------------------------------------------------------------

TEST_F(AnalyticsQueries, SummarisesARunWithGreenShares) {
  auto q = query_of(query_kind::summary);
  q.filter.simulation_id = "RUSH_BASE";
  const auto s = ask<simulation_summary>(q);
  EXPECT_EQ(s.simulation_id, "RUSH_BASE");
  EXPECT_EQ(s.mode, run_mode::baseline);
  EXPECT_EQ(s.scenario, "rush");
  EXPECT_EQ(s.intersections, 2);
  EXPECT_EQ(s.snapshots, 20);
  EXPECT_EQ(s.first_timestamp, tick(0));
  EXPECT_EQ(s.last_timestamp, tick(9));
  EXPECT_DOUBLE_EQ(s.mean_wait, 49.5);
  EXPECT_DOUBLE_EQ(s.mean_speed, 27.0);
  EXPECT_DOUBLE_EQ(s.mean_throughput, 1.0625);
  EXPECT_EQ(s.total_vehicles_passed, 480);
  EXPECT_DOUBLE_EQ(s.fuel_saved_total, 2.5);
  EXPECT_DOUBLE_EQ(s.co2_saved_total, 5.0);
  EXPECT_EQ(s.emergency_overrides, 2);

  ASSERT_EQ(s.directions.size(), 2u);
  const auto& north = s.directions[0];
  EXPECT_EQ(north.approach, direction::north);
  EXPECT_EQ(north.samples, 20);
  EXPECT_DOUBLE_EQ(north.mean_wait, 53.5);
  EXPECT_EQ(north.vehicles_crossed, 110);
  EXPECT_EQ(north.green_time_allocated, 550);
  EXPECT_DOUBLE_EQ(north.green_time_share, 0.55);
  EXPECT_DOUBLE_EQ(north.green_status_share, 0.45);
  const auto& south = s.directions[1];
  EXPECT_EQ(south.approach, direction::south);
  EXPECT_EQ(south.samples, 20);
  EXPECT_DOUBLE_EQ(south.mean_wait, 45.5);
  EXPECT_EQ(south.vehicles_crossed, 40);
  EXPECT_EQ(south.green_time_allocated, 450);
  EXPECT_DOUBLE_EQ(south.green_time_share, 0.45);
  EXPECT_DOUBLE_EQ(south.green_status_share, 0.55);

  const std::vector<vehicle_count> mix{
      {"bike", 20}, {"bus", 20}, {"car", 120}, {"rickshaw", 0}, {"truck", 20}};
  EXPECT_EQ(s.vehicle_class_mix, mix);

  // The older entry point gives the same answer.
  const auto direct = reader_.simulation_summary("RUSH_BASE");
  ASSERT_EQ(direct.status, storage_status::ok) << direct.error;
  EXPECT_EQ(direct.value->directions.size(), 2u);
  EXPECT_DOUBLE_EQ(direct.value->directions[0].green_time_share, 0.55);
}

TEST_F(AnalyticsQueries, ReportsGreenTimeShareZeroWhenNoGreenTimeWasAllocated) {
  traffic::metrics::snapshot s;
  s.simulation_id = "NO_GREEN";
  s.intersection_id = "INT_A";
  s.timestamp = tick(0);
  traffic::metrics::signal_state east;
  east.approach = direction::east;
  east.status = traffic::metrics::signal_status::green;
  traffic::metrics::signal_state north;
  north.approach = direction::north;
  s.signals = {east, north};
  traffic::storage::snapshot_writer writer{db_.url(), 5000ms};
  ASSERT_EQ(writer.write({&s}).status, storage_status::ok);

  auto q = query_of(query_kind::summary);
  q.filter.simulation_id = "NO_GREEN";
  const auto summary = ask<simulation_summary>(q);
  ASSERT_EQ(summary.directions.size(), 2u);
  EXPECT_EQ(summary.directions[0].approach, direction::north);
  EXPECT_EQ(summary.directions[0].green_time_allocated, 0);
  EXPECT_EQ(summary.directions[0].green_time_share, 0.0);
  EXPECT_EQ(summary.directions[0].green_status_share, 0.0);
  EXPECT_EQ(summary.directions[1].approach, direction::east);
  EXPECT_EQ(summary.directions[1].green_time_share, 0.0);
  EXPECT_EQ(summary.directions[1].green_status_share, 1.0);
}

TEST_F(AnalyticsQueries, ReportsUnknownOrMissingSummaryIds) {
  auto q = query_of(query_kind::summary);
  q.filter.simulation_id = "NO_SUCH_SIM";
  const auto r = reader_.answer(q);
  EXPECT_EQ(r.status, storage_status::not_found);
  EXPECT_NE(r.error.find("NO_SUCH_SIM"), std::string::npos) << r.error;
  EXPECT_FALSE(r.value.has_value());
  EXPECT_EQ(reader_.simulation_summary("NO_SUCH_SIM").status, storage_status::not_found);
  // No endpoint asks for a summary without an id.
  EXPECT_EQ(status_of(query_of(query_kind::summary)), storage_status::failed);
}

// ---- wait times ----------------------------------------------------------------------------

TEST_F(AnalyticsQueries, DistributesEverySnapshotWaitWithoutGrouping) {
  const auto r = ask<distribution_report>(wait_times());
  EXPECT_EQ(r.figure, "wait_time");
  EXPECT_EQ(r.group_by, group_key::none);
  expect_stats(r.overall, {97, 4201.0 / 97, 20, 42, 64.2, 69});
  EXPECT_TRUE(r.groups.empty());
}

TEST_F(AnalyticsQueries, GroupsWaitsBySimulationInIdOrder) {
  const auto r = ask<distribution_report>(wait_times(group_key::simulation));
  expect_stats(r.overall, {97, 4201.0 / 97, 20, 42, 64.2, 69});
  ASSERT_EQ(r.groups.size(), 5u);
  EXPECT_EQ(r.groups[0].key, "NIGHT_AI");
  expect_stats(r.groups[0].stats, {17, 641.0 / 17, 29, 37, 47.2, 48});
  EXPECT_EQ(r.groups[1].key, "NIGHT_BASE");
  expect_stats(r.groups[1].stats, {20, 39.5, 30, 39.5, 48.05, 49});
  EXPECT_EQ(r.groups[2].key, "RUSH_AI");
  expect_stats(r.groups[2].stats, {20, 29.5, 20, 29.5, 38.05, 39});
  EXPECT_EQ(r.groups[3].key, "RUSH_BASE");
  expect_stats(r.groups[3].stats, {20, 49.5, 40, 49.5, 58.05, 59});
  EXPECT_EQ(r.groups[4].key, "UNTAGGED");
  expect_stats(r.groups[4].stats, {20, 59.5, 50, 59.5, 68.05, 69});
}

TEST_F(AnalyticsQueries, GroupsOneRunsWaitsByIntersection) {
  auto q = wait_times(group_key::intersection);
  q.filter.simulation_id = "RUSH_BASE";
  const auto r = ask<distribution_report>(q);
  expect_stats(r.overall, {20, 49.5, 40, 49.5, 58.05, 59});
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "INT_A");
  expect_stats(r.groups[0].stats, {10, 44.5, 40, 44.5, 48.55, 49});
  EXPECT_EQ(r.groups[1].key, "INT_B");
  expect_stats(r.groups[1].stats, {10, 54.5, 50, 54.5, 58.55, 59});
}

TEST_F(AnalyticsQueries, GroupsWaitsByUtcHour) {
  auto q = wait_times(group_key::hour);
  q.filter.simulation_id = "RUSH_BASE";
  const auto r = ask<distribution_report>(q);
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "2025-09-10T07:00:00Z");
  expect_stats(r.groups[0].stats, {10, 47, 40, 47, 53.55, 54});
  EXPECT_EQ(r.groups[1].key, "2025-09-10T08:00:00Z");
  expect_stats(r.groups[1].stats, {10, 52, 45, 52, 58.55, 59});
}

TEST_F(AnalyticsQueries, GroupsApproachWaitsByDirection) {
  auto q = wait_times(group_key::direction);
  q.filter.simulation_id = "RUSH_BASE";
  const auto r = ask<distribution_report>(q);
  EXPECT_EQ(r.group_by, group_key::direction);
  // One sample per approach per snapshot: 40.
  expect_stats(r.overall, {40, 49.5, 36, 49.5, 61.05, 63});
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].key, "north");
  expect_stats(r.groups[0].stats, {20, 53.5, 44, 53.5, 62.05, 63});
  EXPECT_EQ(r.groups[1].key, "south");
  expect_stats(r.groups[1].stats, {20, 45.5, 36, 45.5, 54.05, 55});
}

TEST_F(AnalyticsQueries, ListsDirectionsInCompassOrderNotByName) {
  // "east" sorts before "north" by name; the compass puts north first.
  traffic::metrics::snapshot s;
  s.simulation_id = "COMPASS";
  s.intersection_id = "INT_A";
  s.timestamp = tick(0);
  traffic::metrics::signal_state east;
  east.approach = direction::east;
  east.avg_wait_time = 3;
  traffic::metrics::signal_state north_west;
  north_west.approach = direction::north_west;
  north_west.avg_wait_time = 2;
  traffic::metrics::signal_state north;
  north.approach = direction::north;
  north.avg_wait_time = 1;
  s.signals = {east, north_west, north};
  traffic::storage::snapshot_writer writer{db_.url(), 5000ms};
  ASSERT_EQ(writer.write({&s}).status, storage_status::ok);

  auto q = wait_times(group_key::direction);
  q.filter.simulation_id = "COMPASS";
  const auto r = ask<distribution_report>(q);
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.groups[0].key, "north");
  EXPECT_EQ(r.groups[1].key, "east");
  EXPECT_EQ(r.groups[2].key, "north_west");
  expect_stats(r.groups[2].stats, {1, 2, 2, 2, 2, 2});
}

TEST_F(AnalyticsQueries, FiltersApproachWaitsByDirection) {
  auto q = wait_times();
  q.filter.simulation_id = "RUSH_BASE";
  q.filter.approach = direction::south;
  const auto r = ask<distribution_report>(q);
  expect_stats(r.overall, {20, 45.5, 36, 45.5, 54.05, 55});
  EXPECT_TRUE(r.groups.empty());

  // An approach filter with another grouping still reads approach waits.
  q.group_by = group_key::intersection;
  const auto by_intersection = ask<distribution_report>(q);
  ASSERT_EQ(by_intersection.groups.size(), 2u);
  // south at INT_A: 36..45; at INT_B: 46..55.
  expect_stats(by_intersection.groups[0].stats, {10, 40.5, 36, 40.5, 44.55, 45});
  expect_stats(by_intersection.groups[1].stats, {10, 50.5, 46, 50.5, 54.55, 55});
}

TEST_F(AnalyticsQueries, FiltersWaitsByIntersectionAndInclusiveRange) {
  auto q = wait_times();
  q.filter.simulation_id = "NIGHT_AI";
  q.filter.intersection_id = "INT_B";
  q.filter.from = tick(2);
  q.filter.to = tick(7);
  // INT_B of NIGHT_AI lacks ticks 3-5: ticks 2, 6, 7 give 41, 45, 46.
  expect_stats(ask<distribution_report>(q).overall, {3, 44, 41, 45, 45.9, 46});
}

TEST_F(AnalyticsQueries, TakesFromEqualToToAsOneInstant) {
  auto q = wait_times(group_key::intersection);
  q.filter.simulation_id = "RUSH_AI";
  q.filter.from = tick(4);
  q.filter.to = tick(4);
  const auto r = ask<distribution_report>(q);
  expect_stats(r.overall, {2, 29, 24, 29, 33.5, 34});
  ASSERT_EQ(r.groups.size(), 2u);
  expect_stats(r.groups[0].stats, {1, 24, 24, 24, 24, 24});
  expect_stats(r.groups[1].stats, {1, 34, 34, 34, 34, 34});
}

TEST_F(AnalyticsQueries, AnswersAnEmptyMatchWithZeroCounts) {
  for (auto g : {group_key::none, group_key::hour, group_key::direction}) {
    auto q = wait_times(g);
    q.filter.simulation_id = "RUSH_BASE";
    q.filter.from = tick(65); // 09:00, after the last snapshot
    const auto r = ask<distribution_report>(q);
    expect_stats(r.overall, {0, 0, 0, 0, 0, 0});
    EXPECT_TRUE(r.groups.empty());
  }
}

TEST_F(AnalyticsQueries, ReportsUnknownFilterSimulationAsNotFound) {
  for (auto kind : {query_kind::wait_times, query_kind::speeds, query_kind::environmental_impact,
                    query_kind::emergency_report, query_kind::time_series}) {
    auto q = query_of(kind);
    q.filter.simulation_id = "x'; DROP TABLE simulations; --";
    EXPECT_EQ(status_of(q), storage_status::not_found) << static_cast<int>(kind);
  }
  // The hostile id above was only ever a parameter.
  EXPECT_EQ(ask<distribution_report>(wait_times()).overall.samples, 97);
}

// ---- speeds --------------------------------------------------------------------------------

TEST_F(AnalyticsQueries, GroupsSpeedsOfOneIntersectionBySimulation) {
  auto q = query_of(query_kind::speeds);
  q.group_by = group_key::simulation;
  q.filter.intersection_id = "INT_B";
  const auto r = ask<distribution_report>(q);
  EXPECT_EQ(r.figure, "speed");
  EXPECT_EQ(r.overall.samples, 47);
  ASSERT_EQ(r.groups.size(), 5u);
  EXPECT_EQ(r.groups[0].key, "NIGHT_AI");
  expect_stats(r.groups[0].stats, {7, 348.0 / 7, 45, 51, 53.7, 54});
  EXPECT_EQ(r.groups[1].key, "NIGHT_BASE");
  expect_stats(r.groups[1].stats, {10, 49.5, 45, 49.5, 53.55, 54});
  EXPECT_EQ(r.groups[2].key, "RUSH_AI");
  expect_stats(r.groups[2].stats, {10, 39.5, 35, 39.5, 43.55, 44});
  EXPECT_EQ(r.groups[3].key, "RUSH_BASE");
  expect_stats(r.groups[3].stats, {10, 29.5, 25, 29.5, 33.55, 34});
  EXPECT_EQ(r.groups[4].key, "UNTAGGED");
  expect_stats(r.groups[4].stats, {10, 19.5, 15, 19.5, 23.55, 24});
}

TEST_F(AnalyticsQueries, GroupsOneRunsSpeedsByIntersectionAndHour) {
  auto q = query_of(query_kind::speeds);
  q.filter.simulation_id = "RUSH_AI";
  q.group_by = group_key::intersection;
  const auto r = ask<distribution_report>(q);
  expect_stats(r.overall, {20, 37, 30, 37, 43.05, 44});
  ASSERT_EQ(r.groups.size(), 2u);
  expect_stats(r.groups[0].stats, {10, 34.5, 30, 34.5, 38.55, 39});
  expect_stats(r.groups[1].stats, {10, 39.5, 35, 39.5, 43.55, 44});

  q.group_by = group_key::hour;
  const auto by_hour = ask<distribution_report>(q);
  ASSERT_EQ(by_hour.groups.size(), 2u);
  EXPECT_EQ(by_hour.groups[0].key, "2025-09-10T07:00:00Z");
  expect_stats(by_hour.groups[0].stats, {10, 34.5, 30, 34.5, 38.55, 39});
  EXPECT_EQ(by_hour.groups[1].key, "2025-09-10T08:00:00Z");
  expect_stats(by_hour.groups[1].stats, {10, 39.5, 35, 39.5, 43.55, 44});
}

TEST_F(AnalyticsQueries, RefusesSpeedsPerDirection) {
  auto q = query_of(query_kind::speeds);
  q.group_by = group_key::direction;
  EXPECT_EQ(status_of(q), storage_status::failed);
  q.group_by = group_key::none;
  q.filter.approach = direction::north;
  EXPECT_EQ(status_of(q), storage_status::failed);
}

// ---- outages -------------------------------------------------------------------------------

TEST(AnalyticsQueriesOutage, ReportsUnreachableDatabaseAsUnavailable) {
  traffic::storage::analytics_reader nowhere{traffic::tests::test_database::unreachable_url(),
                                             1000ms};
  for (auto kind : {query_kind::wait_times, query_kind::comparison, query_kind::simulations}) {
    auto q = query_of(kind);
    q.scenario = "rush";
    const auto r = nowhere.answer(q);
    EXPECT_EQ(r.status, storage_status::unavailable);
    EXPECT_FALSE(r.error.empty());
    EXPECT_FALSE(r.value.has_value());
  }
  traffic::metrics::simulation_update u;
  u.simulation_id = "RUSH_AI";
  u.set_mode = true;
  const auto updated = nowhere.update_simulation(u);
  EXPECT_EQ(updated.status, storage_status::unavailable);
  EXPECT_FALSE(updated.value.has_value());
}

} // namespace
