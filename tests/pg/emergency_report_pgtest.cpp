// Emergency episodes and overrides, against tests/fixtures/README.md.
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "tests/pg/analytics_fixture.hpp"

namespace {

using traffic::metrics::analytics_query;
using traffic::metrics::direction;
using traffic::metrics::emergency_episode;
using traffic::metrics::emergency_report;
using traffic::metrics::emergency_stats;
using traffic::metrics::query_kind;
using traffic::metrics::timestamp_us;
using traffic::storage::storage_status;
using traffic::tests::AnalyticsData;
using traffic::tests::query_of;
using traffic::tests::tick;

using EmergencyReport = AnalyticsData;

void expect_episode(const emergency_episode& e, const std::string& sim, const std::string& inter,
                    direction approach, timestamp_us start, timestamp_us end,
                    std::int64_t snapshots, std::optional<timestamp_us> first_green) {
  SCOPED_TRACE(sim + "/" + inter);
  EXPECT_EQ(e.simulation_id, sim);
  EXPECT_EQ(e.intersection_id, inter);
  EXPECT_EQ(e.approach, approach);
  EXPECT_EQ(e.start, start);
  EXPECT_EQ(e.end, end);
  EXPECT_EQ(e.snapshots, snapshots);
  EXPECT_EQ(e.first_green, first_green);
}

/// The expected figures of an emergency_stats.
struct expected_stats {
  std::int64_t episodes, with_green;
  double total, mean, max;
  std::optional<double> mean_to_green, max_to_green;
  std::int64_t overrides;
};

void expect_stats(const emergency_stats& s, const expected_stats& e) {
  EXPECT_EQ(s.episodes, e.episodes);
  EXPECT_EQ(s.episodes_with_green, e.with_green);
  EXPECT_DOUBLE_EQ(s.total_duration_seconds, e.total);
  EXPECT_DOUBLE_EQ(s.mean_duration_seconds, e.mean);
  EXPECT_DOUBLE_EQ(s.max_duration_seconds, e.max);
  EXPECT_EQ(s.mean_time_to_green_seconds, e.mean_to_green);
  EXPECT_EQ(s.max_time_to_green_seconds, e.max_to_green);
  EXPECT_EQ(s.overrides, e.overrides);
}

analytics_query emergencies() {
  return query_of(query_kind::emergency_report);
}

TEST_F(EmergencyReport, FindsEveryEpisodeWithItsTimeToGreen) {
  const auto r = ask<emergency_report>(emergencies());
  ASSERT_EQ(r.episodes.size(), 5u);
  EXPECT_FALSE(r.episodes_truncated);
  // By start: two episodes on one approach stay apart (ticks 0-1 and 8).
  expect_episode(r.episodes[0], "RUSH_BASE", "INT_A", direction::south, tick(0), tick(1), 2,
                 tick(1));
  expect_episode(r.episodes[1], "NIGHT_BASE", "INT_B", direction::south, tick(1), tick(3), 3,
                 std::nullopt);
  // Ticks 3-5 of NIGHT_AI's INT_B are missing: the stored rows 2 and 6 are consecutive.
  expect_episode(r.episodes[2], "NIGHT_AI", "INT_B", direction::north, tick(2), tick(6), 2,
                 tick(6));
  expect_episode(r.episodes[3], "RUSH_AI", "INT_A", direction::north, tick(3), tick(6), 4, tick(5));
  expect_episode(r.episodes[4], "RUSH_BASE", "INT_A", direction::south, tick(8), tick(8), 1,
                 tick(8));
  EXPECT_DOUBLE_EQ(r.episodes[3].duration_seconds(), 180.0);
  EXPECT_EQ(r.episodes[3].time_to_green_seconds(), 120.0);

  expect_stats(r.totals, {5, 4, 600, 120, 240, 105.0, 240.0, 8});
  ASSERT_EQ(r.per_intersection.size(), 5u);
  EXPECT_EQ(r.per_intersection[0].simulation_id, "NIGHT_AI");
  EXPECT_EQ(r.per_intersection[0].intersection_id, "INT_B");
  expect_stats(r.per_intersection[0].stats, {1, 1, 240, 240, 240, 240.0, 240.0, 1});
  EXPECT_EQ(r.per_intersection[1].simulation_id, "NIGHT_BASE");
  expect_stats(r.per_intersection[1].stats, {1, 0, 120, 120, 120, std::nullopt, std::nullopt, 0});
  EXPECT_EQ(r.per_intersection[2].simulation_id, "RUSH_AI");
  EXPECT_EQ(r.per_intersection[2].intersection_id, "INT_A");
  expect_stats(r.per_intersection[2].stats, {1, 1, 180, 180, 180, 120.0, 120.0, 2});
  EXPECT_EQ(r.per_intersection[3].simulation_id, "RUSH_BASE");
  expect_stats(r.per_intersection[3].stats, {2, 2, 60, 30, 60, 30.0, 60.0, 2});
  // Overrides without any episode still make a group.
  EXPECT_EQ(r.per_intersection[4].simulation_id, "UNTAGGED");
  EXPECT_EQ(r.per_intersection[4].intersection_id, "INT_B");
  expect_stats(r.per_intersection[4].stats, {0, 0, 0, 0, 0, std::nullopt, std::nullopt, 3});
}

TEST_F(EmergencyReport, CutsEpisodesAtTheStartOfTheRange) {
  auto q = emergencies();
  q.filter.from = tick(5);
  const auto r = ask<emergency_report>(q);
  ASSERT_EQ(r.episodes.size(), 3u);
  // RUSH_AI's episode (ticks 3-6) is seen from tick 5, already GREEN.
  expect_episode(r.episodes[0], "RUSH_AI", "INT_A", direction::north, tick(5), tick(6), 2, tick(5));
  expect_episode(r.episodes[1], "NIGHT_AI", "INT_B", direction::north, tick(6), tick(6), 1,
                 tick(6));
  expect_episode(r.episodes[2], "RUSH_BASE", "INT_A", direction::south, tick(8), tick(8), 1,
                 tick(8));
  expect_stats(r.totals, {3, 3, 60, 20, 60, 0.0, 0.0, 7});
}

TEST_F(EmergencyReport, CutsEpisodesAtTheEndOfTheRange) {
  auto q = emergencies();
  q.filter.to = tick(4);
  const auto r = ask<emergency_report>(q);
  ASSERT_EQ(r.episodes.size(), 4u);
  expect_episode(r.episodes[0], "RUSH_BASE", "INT_A", direction::south, tick(0), tick(1), 2,
                 tick(1));
  expect_episode(r.episodes[1], "NIGHT_BASE", "INT_B", direction::south, tick(1), tick(3), 3,
                 std::nullopt);
  expect_episode(r.episodes[2], "NIGHT_AI", "INT_B", direction::north, tick(2), tick(2), 1,
                 std::nullopt);
  // RED then YELLOW: not GREEN yet when the range ends.
  expect_episode(r.episodes[3], "RUSH_AI", "INT_A", direction::north, tick(3), tick(4), 2,
                 std::nullopt);
  expect_stats(r.totals, {4, 1, 240, 60, 120, 60.0, 60.0, 1});
}

TEST_F(EmergencyReport, FiltersEpisodesByApproachButNotOverrides) {
  auto q = emergencies();
  q.filter.approach = direction::north;
  const auto r = ask<emergency_report>(q);
  ASSERT_EQ(r.episodes.size(), 2u);
  EXPECT_EQ(r.episodes[0].simulation_id, "NIGHT_AI");
  EXPECT_EQ(r.episodes[1].simulation_id, "RUSH_AI");
  // Overrides belong to snapshots, not approaches: all 8 are still counted.
  expect_stats(r.totals, {2, 2, 420, 210, 240, 180.0, 240.0, 8});
}

TEST_F(EmergencyReport, FiltersBySimulationAndIntersection) {
  auto q = emergencies();
  q.filter.simulation_id = "RUSH_BASE";
  const auto run = ask<emergency_report>(q);
  ASSERT_EQ(run.episodes.size(), 2u);
  expect_stats(run.totals, {2, 2, 60, 30, 60, 30.0, 60.0, 2});

  auto b = emergencies();
  b.filter.intersection_id = "INT_B";
  const auto r = ask<emergency_report>(b);
  ASSERT_EQ(r.episodes.size(), 2u);
  EXPECT_EQ(r.episodes[0].simulation_id, "NIGHT_BASE");
  EXPECT_EQ(r.episodes[1].simulation_id, "NIGHT_AI");
  expect_stats(r.totals, {2, 1, 360, 180, 240, 240.0, 240.0, 4});
  ASSERT_EQ(r.per_intersection.size(), 3u);
  EXPECT_EQ(r.per_intersection[2].simulation_id, "UNTAGGED");
}

TEST_F(EmergencyReport, ListsAtMostTheLimitButSumsEveryEpisode) {
  auto q = emergencies();
  q.limit = 2;
  const auto r = ask<emergency_report>(q);
  ASSERT_EQ(r.episodes.size(), 2u);
  EXPECT_TRUE(r.episodes_truncated);
  EXPECT_EQ(r.episodes[0].start, tick(0));
  EXPECT_EQ(r.episodes[1].start, tick(1));
  EXPECT_EQ(r.totals.episodes, 5);
}

TEST_F(EmergencyReport, AnswersAnEmptyMatchWithZeroCounts) {
  auto q = emergencies();
  q.filter.simulation_id = "RUSH_AI";
  q.filter.from = tick(7);
  const auto r = ask<emergency_report>(q);
  EXPECT_TRUE(r.episodes.empty());
  EXPECT_FALSE(r.episodes_truncated);
  EXPECT_TRUE(r.per_intersection.empty());
  expect_stats(r.totals, {0, 0, 0, 0, 0, std::nullopt, std::nullopt, 0});

  // A run without episodes but with overrides.
  auto untagged = emergencies();
  untagged.filter.simulation_id = "UNTAGGED";
  const auto u = ask<emergency_report>(untagged);
  EXPECT_TRUE(u.episodes.empty());
  ASSERT_EQ(u.per_intersection.size(), 1u);
  EXPECT_EQ(u.totals.overrides, 3);
}

TEST_F(EmergencyReport, ReportsUnknownSimulationAsNotFound) {
  auto q = emergencies();
  q.filter.simulation_id = "NO_SUCH_SIM";
  EXPECT_EQ(status_of(q), storage_status::not_found);
}

} // namespace
