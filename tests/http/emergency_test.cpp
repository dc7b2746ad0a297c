// End-to-end tests of the emergency report over HTTP: episodes over stored rows (across the gap
// in NIGHT_AI), time to green, totals and per-intersection figures, from tests/fixtures/README.md.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/http/analytics_data.hpp"

namespace {

using traffic::tests::analytics_suite;
using traffic::tests::expect_close;
using traffic::tests::expect_count;
using traffic::tests::expect_keys;
using traffic::tests::json;
using traffic::tests::tick_time;

using EmergencyHttp = analytics_suite;

const std::string emergencies = "/api/v1/analytics/emergency-report";

/// The expected figures of an emergency statistics object.
struct expected_emergency {
  std::int64_t episodes, with_green;
  double total, mean, max;
  std::optional<double> mean_to_green, max_to_green;
  std::int64_t overrides;
};

void expect_emergency_stats(const json& s, const expected_emergency& e,
                            const std::set<std::string>& extra_keys = {}) {
  std::set<std::string> keys{"episodes",
                             "episodes_with_green",
                             "total_duration_seconds",
                             "mean_duration_seconds",
                             "max_duration_seconds",
                             "mean_time_to_green_seconds",
                             "max_time_to_green_seconds",
                             "overrides"};
  keys.insert(extra_keys.begin(), extra_keys.end());
  expect_keys(s, keys, "emergency stats");
  expect_count(s["episodes"], e.episodes, "episodes");
  expect_count(s["episodes_with_green"], e.with_green, "episodes_with_green");
  expect_close(s["total_duration_seconds"], e.total, "total_duration_seconds");
  expect_close(s["mean_duration_seconds"], e.mean, "mean_duration_seconds");
  expect_close(s["max_duration_seconds"], e.max, "max_duration_seconds");
  if (e.mean_to_green)
    expect_close(s["mean_time_to_green_seconds"], *e.mean_to_green, "mean_time_to_green_seconds");
  else
    EXPECT_TRUE(s["mean_time_to_green_seconds"].is_null()) << s.dump();
  if (e.max_to_green)
    expect_close(s["max_time_to_green_seconds"], *e.max_to_green, "max_time_to_green_seconds");
  else
    EXPECT_TRUE(s["max_time_to_green_seconds"].is_null()) << s.dump();
  expect_count(s["overrides"], e.overrides, "overrides");
}

/// Checks one episode: ticks of its start and end, snapshots, duration and time to green.
void expect_episode(const json& e, const std::string& sim, const std::string& intersection,
                    const std::string& direction, int start, int end, std::int64_t snapshots,
                    std::optional<double> to_green) {
  SCOPED_TRACE(sim + "/" + intersection + " " + e.dump());
  expect_keys(e,
              {"simulation_id", "intersection_id", "direction", "start", "end", "duration_seconds",
               "snapshots", "time_to_green_seconds"},
              "episode");
  EXPECT_EQ(e["simulation_id"], sim);
  EXPECT_EQ(e["intersection_id"], intersection);
  EXPECT_EQ(e["direction"], direction);
  EXPECT_EQ(e["start"], tick_time(start));
  EXPECT_EQ(e["end"], tick_time(end));
  expect_close(e["duration_seconds"], 60.0 * (end - start), "duration_seconds");
  expect_count(e["snapshots"], snapshots, "snapshots");
  if (to_green)
    expect_close(e["time_to_green_seconds"], *to_green, "time_to_green_seconds");
  else
    EXPECT_TRUE(e["time_to_green_seconds"].is_null());
}

const std::set<std::string> group_keys{"simulation_id", "intersection_id"};

TEST_F(EmergencyHttp, ReportsEveryEmergencyEpisodeWithItsTimeToGreen) {
  const auto r = get_ok(emergencies);
  expect_keys(r, {"totals", "per_intersection", "episodes", "episodes_truncated"}, "report");
  EXPECT_EQ(r["episodes_truncated"], false);
  const auto& e = r["episodes"];
  ASSERT_EQ(e.size(), 5u) << r.dump();
  expect_episode(e[0], "RUSH_BASE", "INT_A", "south", 0, 1, 2, 60);
  expect_episode(e[1], "NIGHT_BASE", "INT_B", "south", 1, 3, 3, std::nullopt);
  // Ticks 3-5 of NIGHT_AI's INT_B are not stored: rows 2 and 6 are consecutive.
  expect_episode(e[2], "NIGHT_AI", "INT_B", "north", 2, 6, 2, 240);
  expect_episode(e[3], "RUSH_AI", "INT_A", "north", 3, 6, 4, 120);
  expect_episode(e[4], "RUSH_BASE", "INT_A", "south", 8, 8, 1, 0);
  expect_emergency_stats(r["totals"], {5, 4, 600, 120, 240, 105.0, 240.0, 8});

  const auto& g = r["per_intersection"];
  ASSERT_EQ(g.size(), 5u) << r.dump();
  const std::pair<const char*, const char*> ids[] = {{"NIGHT_AI", "INT_B"},
                                                     {"NIGHT_BASE", "INT_B"},
                                                     {"RUSH_AI", "INT_A"},
                                                     {"RUSH_BASE", "INT_A"},
                                                     {"UNTAGGED", "INT_B"}};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(g[i]["simulation_id"], ids[i].first) << i;
    EXPECT_EQ(g[i]["intersection_id"], ids[i].second) << i;
  }
  expect_emergency_stats(g[0], {1, 1, 240, 240, 240, 240.0, 240.0, 1}, group_keys);
  expect_emergency_stats(g[1], {1, 0, 120, 120, 120, std::nullopt, std::nullopt, 0}, group_keys);
  expect_emergency_stats(g[2], {1, 1, 180, 180, 180, 120.0, 120.0, 2}, group_keys);
  expect_emergency_stats(g[3], {2, 2, 60, 30, 60, 30.0, 60.0, 2}, group_keys);
  // Overrides without any emergency vehicle still make a group.
  expect_emergency_stats(g[4], {0, 0, 0, 0, 0, std::nullopt, std::nullopt, 3}, group_keys);
}

TEST_F(EmergencyHttp, CutsEmergencyEpisodesAtTheRange) {
  auto r = get_ok(emergencies + "?from=" + tick_time(5));
  ASSERT_EQ(r["episodes"].size(), 3u) << r.dump();
  // RUSH_AI's episode is seen from 08:00, already GREEN; NIGHT_AI's from 08:01 alone.
  expect_episode(r["episodes"][0], "RUSH_AI", "INT_A", "north", 5, 6, 2, 0);
  expect_episode(r["episodes"][1], "NIGHT_AI", "INT_B", "north", 6, 6, 1, 0);
  expect_episode(r["episodes"][2], "RUSH_BASE", "INT_A", "south", 8, 8, 1, 0);
  expect_emergency_stats(r["totals"], {3, 3, 60, 20, 60, 0.0, 0.0, 7});

  r = get_ok(emergencies + "?to=" + tick_time(4));
  ASSERT_EQ(r["episodes"].size(), 4u) << r.dump();
  expect_episode(r["episodes"][0], "RUSH_BASE", "INT_A", "south", 0, 1, 2, 60);
  expect_episode(r["episodes"][1], "NIGHT_BASE", "INT_B", "south", 1, 3, 3, std::nullopt);
  expect_episode(r["episodes"][2], "NIGHT_AI", "INT_B", "north", 2, 2, 1, std::nullopt);
  // RED then YELLOW: not GREEN yet when the range ends.
  expect_episode(r["episodes"][3], "RUSH_AI", "INT_A", "north", 3, 4, 2, std::nullopt);
  expect_emergency_stats(r["totals"], {4, 1, 240, 60, 120, 60.0, 60.0, 1});
}

TEST_F(EmergencyHttp, FiltersEmergencyEpisodes) {
  // Overrides belong to snapshots, not approaches: all 8 still count.
  auto r = get_ok(emergencies + "?direction=north");
  ASSERT_EQ(r["episodes"].size(), 2u) << r.dump();
  EXPECT_EQ(r["episodes"][0]["simulation_id"], "NIGHT_AI");
  EXPECT_EQ(r["episodes"][1]["simulation_id"], "RUSH_AI");
  expect_emergency_stats(r["totals"], {2, 2, 420, 210, 240, 180.0, 240.0, 8});

  r = get_ok(emergencies + "?simulation_id=RUSH_BASE");
  ASSERT_EQ(r["episodes"].size(), 2u) << r.dump();
  expect_emergency_stats(r["totals"], {2, 2, 60, 30, 60, 30.0, 60.0, 2});

  r = get_ok(emergencies + "?intersection_id=INT_B");
  ASSERT_EQ(r["episodes"].size(), 2u) << r.dump();
  EXPECT_EQ(r["episodes"][0]["simulation_id"], "NIGHT_BASE");
  EXPECT_EQ(r["episodes"][1]["simulation_id"], "NIGHT_AI");
  expect_emergency_stats(r["totals"], {2, 1, 360, 180, 240, 240.0, 240.0, 4});
  ASSERT_EQ(r["per_intersection"].size(), 3u) << r.dump();
  EXPECT_EQ(r["per_intersection"][0]["simulation_id"], "NIGHT_AI");
  EXPECT_EQ(r["per_intersection"][1]["simulation_id"], "NIGHT_BASE");
  EXPECT_EQ(r["per_intersection"][2]["simulation_id"], "UNTAGGED");

  // A run without episodes but with overrides.
  r = get_ok(emergencies + "?simulation_id=UNTAGGED");
  EXPECT_EQ(r["episodes"], json::array());
  ASSERT_EQ(r["per_intersection"].size(), 1u) << r.dump();
  expect_emergency_stats(r["totals"], {0, 0, 0, 0, 0, std::nullopt, std::nullopt, 3});
}

TEST_F(EmergencyHttp, ListsAtMostTheLimitButSumsEveryEpisode) {
  auto r = get_ok(emergencies + "?limit=2");
  ASSERT_EQ(r["episodes"].size(), 2u) << r.dump();
  EXPECT_EQ(r["episodes_truncated"], true);
  expect_episode(r["episodes"][0], "RUSH_BASE", "INT_A", "south", 0, 1, 2, 60);
  expect_episode(r["episodes"][1], "NIGHT_BASE", "INT_B", "south", 1, 3, 3, std::nullopt);
  expect_emergency_stats(r["totals"], {5, 4, 600, 120, 240, 105.0, 240.0, 8});
  EXPECT_EQ(r["per_intersection"].size(), 5u);

  r = get_ok(emergencies + "?limit=5");
  EXPECT_EQ(r["episodes"].size(), 5u);
  EXPECT_EQ(r["episodes_truncated"], false);
}

TEST_F(EmergencyHttp, AnswersAnEmptyEmergencyMatchWithZeroCounts) {
  for (const auto& query :
       {"?simulation_id=RUSH_AI&from=" + tick_time(7), std::string{"?intersection_id=INT_Z"}}) {
    SCOPED_TRACE(query);
    const auto r = get_ok(emergencies + query);
    EXPECT_EQ(r["episodes"], json::array());
    EXPECT_EQ(r["per_intersection"], json::array());
    EXPECT_EQ(r["episodes_truncated"], false);
    expect_emergency_stats(r["totals"], {0, 0, 0, 0, 0, std::nullopt, std::nullopt, 0});
  }
}

} // namespace
