// Unit tests of the emergency report: per-intersection stats, totals and the episode list.
#include "metrics/emergency.hpp"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace traffic::metrics;

namespace {

constexpr timestamp_us second = 1'000'000;

emergency_episode episode(std::string simulation, std::string intersection, direction approach,
                          std::int64_t start_s, std::int64_t end_s,
                          std::optional<std::int64_t> green_s) {
  emergency_episode e;
  e.simulation_id = std::move(simulation);
  e.intersection_id = std::move(intersection);
  e.approach = approach;
  e.start = start_s * second;
  e.end = end_s * second;
  e.snapshots = end_s - start_s + 1;
  if (green_s)
    e.first_green = *green_s * second;
  return e;
}

/// Four episodes, given out of order:
///   s1/i1 north 10..40 s, GREEN at 15 (duration 30, to green 5)
///   s1/i1 east 100..110 s, never GREEN (duration 10)
///   s1/i2 south 50..70 s, GREEN at 62 (duration 20, to green 12)
///   s2/i1 north 10..12 s, GREEN at once (duration 2, to green 0)
std::vector<emergency_episode> sample_episodes() {
  return {
      episode("s1", "i1", direction::east, 100, 110, std::nullopt),
      episode("s1", "i2", direction::south, 50, 70, 62),
      episode("s2", "i1", direction::north, 10, 12, 10),
      episode("s1", "i1", direction::north, 10, 40, 15),
  };
}

/// Overrides: s1/i1 has 3, s1/i2 none, s3/i9 has 4 without any episode, s4/i0 sums to zero.
std::vector<intersection_overrides> sample_overrides() {
  return {{"s1", "i1", 3}, {"s1", "i2", 0}, {"s3", "i9", 4}, {"s4", "i0", 0}};
}

} // namespace

TEST(SummariseEmergencies, StatsEachSimulationIntersectionPair) {
  auto report = summarise_emergencies(sample_episodes(), sample_overrides(), 100);
  ASSERT_EQ(report.per_intersection.size(), 4U); // s4/i0: no episode, zero overrides

  const auto& s1i1 = report.per_intersection[0];
  EXPECT_EQ(s1i1.simulation_id, "s1");
  EXPECT_EQ(s1i1.intersection_id, "i1");
  EXPECT_EQ(s1i1.stats.episodes, 2);
  EXPECT_EQ(s1i1.stats.episodes_with_green, 1);
  EXPECT_DOUBLE_EQ(s1i1.stats.total_duration_seconds, 40.0);
  EXPECT_DOUBLE_EQ(s1i1.stats.mean_duration_seconds, 20.0);
  EXPECT_DOUBLE_EQ(s1i1.stats.max_duration_seconds, 30.0);
  EXPECT_EQ(s1i1.stats.mean_time_to_green_seconds, 5.0); // the never-green one is left out
  EXPECT_EQ(s1i1.stats.max_time_to_green_seconds, 5.0);
  EXPECT_EQ(s1i1.stats.overrides, 3);

  const auto& s1i2 = report.per_intersection[1];
  EXPECT_EQ(s1i2.intersection_id, "i2");
  EXPECT_EQ(s1i2.stats.episodes, 1);
  EXPECT_DOUBLE_EQ(s1i2.stats.total_duration_seconds, 20.0);
  EXPECT_EQ(s1i2.stats.mean_time_to_green_seconds, 12.0);
  EXPECT_EQ(s1i2.stats.overrides, 0);

  const auto& s2i1 = report.per_intersection[2];
  EXPECT_EQ(s2i1.simulation_id, "s2");
  EXPECT_DOUBLE_EQ(s2i1.stats.max_duration_seconds, 2.0);
  EXPECT_EQ(s2i1.stats.mean_time_to_green_seconds, 0.0); // GREEN at once is 0, not unset
  EXPECT_EQ(s2i1.stats.max_time_to_green_seconds, 0.0);
}

TEST(SummariseEmergencies, ListsIntersectionsKnownOnlyFromOverrides) {
  auto report = summarise_emergencies(sample_episodes(), sample_overrides(), 100);
  ASSERT_EQ(report.per_intersection.size(), 4U);
  const auto& s3i9 = report.per_intersection[3];
  EXPECT_EQ(s3i9.simulation_id, "s3");
  EXPECT_EQ(s3i9.intersection_id, "i9");
  EXPECT_EQ(s3i9.stats.episodes, 0);
  EXPECT_EQ(s3i9.stats.episodes_with_green, 0);
  EXPECT_EQ(s3i9.stats.total_duration_seconds, 0.0);
  EXPECT_EQ(s3i9.stats.mean_duration_seconds, 0.0);
  EXPECT_EQ(s3i9.stats.max_duration_seconds, 0.0);
  EXPECT_FALSE(s3i9.stats.mean_time_to_green_seconds);
  EXPECT_FALSE(s3i9.stats.max_time_to_green_seconds);
  EXPECT_EQ(s3i9.stats.overrides, 4);
}

TEST(SummariseEmergencies, TotalsEverything) {
  auto report = summarise_emergencies(sample_episodes(), sample_overrides(), 100);
  const auto& t = report.totals;
  EXPECT_EQ(t.episodes, 4);
  EXPECT_EQ(t.episodes_with_green, 3);
  EXPECT_DOUBLE_EQ(t.total_duration_seconds, 62.0); // 30 + 10 + 20 + 2
  EXPECT_DOUBLE_EQ(t.mean_duration_seconds, 15.5);
  EXPECT_DOUBLE_EQ(t.max_duration_seconds, 30.0);
  EXPECT_DOUBLE_EQ(*t.mean_time_to_green_seconds, 17.0 / 3); // (5 + 12 + 0) / 3
  EXPECT_DOUBLE_EQ(*t.max_time_to_green_seconds, 12.0);
  EXPECT_EQ(t.overrides, 7);
}

TEST(SummariseEmergencies, SumsRepeatedOverrideEntries) {
  auto report = summarise_emergencies({}, {{"s", "i", 2}, {"s", "i", 5}}, 10);
  ASSERT_EQ(report.per_intersection.size(), 1U);
  EXPECT_EQ(report.per_intersection[0].stats.overrides, 7);
  EXPECT_EQ(report.totals.overrides, 7);
}

TEST(SummariseEmergencies, ListsEpisodesByStartThenSimulationIntersectionApproach) {
  auto episodes = sample_episodes();
  episodes.push_back(episode("s1", "i1", direction::north_east, 10, 11, std::nullopt));
  auto report = summarise_emergencies(episodes, {}, 100);
  ASSERT_EQ(report.episodes.size(), 5U);
  EXPECT_FALSE(report.episodes_truncated);
  // Start 10 s three times: s1/i1 north before s1/i1 north_east (compass order), then s2.
  EXPECT_EQ(report.episodes[0].simulation_id, "s1");
  EXPECT_EQ(report.episodes[0].approach, direction::north);
  EXPECT_EQ(report.episodes[1].approach, direction::north_east);
  EXPECT_EQ(report.episodes[2].simulation_id, "s2");
  EXPECT_EQ(report.episodes[3].start, 50 * second);
  EXPECT_EQ(report.episodes[4].start, 100 * second);
}

TEST(SummariseEmergencies, CutsTheListAtTheLimitButCountsEveryEpisode) {
  auto report = summarise_emergencies(sample_episodes(), {}, 2);
  ASSERT_EQ(report.episodes.size(), 2U);
  EXPECT_TRUE(report.episodes_truncated);
  EXPECT_EQ(report.episodes[0].simulation_id, "s1");
  EXPECT_EQ(report.episodes[1].simulation_id, "s2");
  EXPECT_EQ(report.totals.episodes, 4);

  auto exact = summarise_emergencies(sample_episodes(), {}, 4);
  EXPECT_EQ(exact.episodes.size(), 4U);
  EXPECT_FALSE(exact.episodes_truncated);

  auto none = summarise_emergencies(sample_episodes(), {}, 0);
  EXPECT_TRUE(none.episodes.empty());
  EXPECT_TRUE(none.episodes_truncated);
}

TEST(SummariseEmergencies, IsEmptyWithoutEpisodesOrOverrides) {
  auto report = summarise_emergencies({}, {{"s", "i", 0}}, 10);
  EXPECT_TRUE(report.episodes.empty());
  EXPECT_FALSE(report.episodes_truncated);
  EXPECT_TRUE(report.per_intersection.empty());
  EXPECT_EQ(report.totals.episodes, 0);
  EXPECT_EQ(report.totals.mean_duration_seconds, 0.0);
  EXPECT_FALSE(report.totals.mean_time_to_green_seconds);
  EXPECT_EQ(report.totals.overrides, 0);
}
