// End-to-end tests of the summary, wait-time, speed and environmental answers over HTTP,
// against the numbers worked out by hand in tests/fixtures/README.md.
#include <cstdint>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/http/analytics_data.hpp"

namespace {

using traffic::tests::analytics_suite;
using traffic::tests::expect_close;
using traffic::tests::expect_count;
using traffic::tests::expect_distribution;
using traffic::tests::expect_keys;
using traffic::tests::json;
using traffic::tests::no_samples;
using traffic::tests::tick_time;

using AnalyticsHttp = analytics_suite;

const std::string wait_times = "/api/v1/analytics/wait-times";
const std::string speeds = "/api/v1/analytics/speeds";
const std::string environment = "/api/v1/analytics/environmental-impact";

/// Checks the envelope of a wait-time or speed answer and returns its groups.
json distribution_groups(const json& body, const std::string& figure, const json& group_by,
                         std::size_t groups) {
  expect_keys(body, {"figure", "unit", "group_by", "overall", "groups"}, "distribution answer");
  EXPECT_EQ(body["figure"], figure);
  EXPECT_EQ(body["unit"], figure == "speed" ? "km/h" : "seconds");
  EXPECT_EQ(body["group_by"], group_by);
  EXPECT_TRUE(body["groups"].is_array());
  EXPECT_EQ(body["groups"].size(), groups) << body.dump();
  return body["groups"].size() == groups ? body["groups"] : json::array();
}

// ---- summary -------------------------------------------------------------------------------

TEST_F(AnalyticsHttp, SummarisesARunWithEveryField) {
  const auto s = get_ok("/api/v1/analytics/simulation/RUSH_BASE/summary");
  expect_keys(s,
              {"simulation_id", "mode", "scenario", "intersections", "snapshots", "first_timestamp",
               "last_timestamp", "duration_seconds", "mean_wait_time", "mean_speed",
               "mean_throughput", "total_vehicles_passed", "fuel_saved_total", "co2_saved_total",
               "emergency_overrides", "directions", "vehicle_class_mix"},
              "summary");
  EXPECT_EQ(s["simulation_id"], "RUSH_BASE");
  EXPECT_EQ(s["mode"], "baseline");
  EXPECT_EQ(s["scenario"], "rush");
  expect_count(s["intersections"], 2, "intersections");
  expect_count(s["snapshots"], 20, "snapshots");
  EXPECT_EQ(s["first_timestamp"], "2025-09-10T07:55:00Z");
  EXPECT_EQ(s["last_timestamp"], "2025-09-10T08:04:00Z");
  expect_close(s["duration_seconds"], 540, "duration_seconds");
  expect_close(s["mean_wait_time"], 49.5, "mean_wait_time");
  expect_close(s["mean_speed"], 27, "mean_speed");
  expect_close(s["mean_throughput"], 1.0625, "mean_throughput");
  expect_count(s["total_vehicles_passed"], 480, "total_vehicles_passed");
  expect_close(s["fuel_saved_total"], 2.5, "fuel_saved_total");
  expect_close(s["co2_saved_total"], 5, "co2_saved_total");
  expect_count(s["emergency_overrides"], 2, "emergency_overrides");

  struct expected_direction {
    const char* name;
    double mean_wait;
    std::int64_t crossed, green_time;
    double green_time_share, green_status_share;
  };
  // north: wait + 4, crossed 2 x (1 + ... + 10), green 10 x 30 + 10 x 25, GREEN on 9 of 20 rows;
  // south: wait - 4, crossed 2 x 20, green 10 x 20 + 10 x 25, GREEN on 11 of 20 rows.
  const expected_direction directions[] = {{"north", 53.5, 110, 550, 0.55, 0.45},
                                           {"south", 45.5, 40, 450, 0.45, 0.55}};
  ASSERT_EQ(s["directions"].size(), 2u) << s["directions"].dump();
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& d = s["directions"][i];
    const auto& e = directions[i];
    SCOPED_TRACE(e.name);
    expect_keys(d,
                {"direction", "samples", "mean_wait_time", "vehicles_crossed",
                 "green_time_allocated", "green_time_share", "green_status_share"},
                "direction");
    EXPECT_EQ(d["direction"], e.name);
    expect_count(d["samples"], 20, "samples");
    expect_close(d["mean_wait_time"], e.mean_wait, "mean_wait_time");
    expect_count(d["vehicles_crossed"], e.crossed, "vehicles_crossed");
    expect_count(d["green_time_allocated"], e.green_time, "green_time_allocated");
    expect_close(d["green_time_share"], e.green_time_share, "green_time_share");
    expect_close(d["green_status_share"], e.green_status_share, "green_status_share");
  }
  EXPECT_EQ(s["vehicle_class_mix"],
            (json{{"bike", 20}, {"bus", 20}, {"car", 120}, {"rickshaw", 0}, {"truck", 20}}));
}

TEST_F(AnalyticsHttp, SummarisesARunWithAGapAndOneWithoutTags) {
  const auto night = get_ok("/api/v1/analytics/simulation/NIGHT_AI/summary");
  EXPECT_EQ(night["mode"], "ai");
  EXPECT_EQ(night["scenario"], "night");
  expect_count(night["snapshots"], 17, "snapshots");
  expect_close(night["mean_wait_time"], 641.0 / 17, "mean_wait_time");
  expect_count(night["emergency_overrides"], 1, "emergency_overrides");
  EXPECT_EQ(night["last_timestamp"], "2025-09-10T08:04:00Z");

  // Mode and scenario came on tick 0 only; UNTAGGED sent neither.
  const auto untagged = get_ok("/api/v1/analytics/simulation/UNTAGGED/summary");
  EXPECT_TRUE(untagged["mode"].is_null());
  EXPECT_TRUE(untagged["scenario"].is_null());
  expect_close(untagged["mean_wait_time"], 59.5, "mean_wait_time");
  expect_count(untagged["emergency_overrides"], 3, "emergency_overrides");
}

// ---- wait times ----------------------------------------------------------------------------

TEST_F(AnalyticsHttp, DistributesEverySnapshotWaitWithoutGrouping) {
  const auto body = get_ok(wait_times);
  distribution_groups(body, "wait_time", nullptr, 0);
  expect_distribution(body["overall"], {97, 4201.0 / 97, 20, 42, 64.2, 69});
}

TEST_F(AnalyticsHttp, GroupsWaitsBySimulationInIdOrder) {
  const auto body = get_ok(wait_times + "?group_by=simulation");
  expect_distribution(body["overall"], {97, 4201.0 / 97, 20, 42, 64.2, 69});
  const auto g = distribution_groups(body, "wait_time", "simulation", 5);
  if (g.empty())
    return;
  expect_distribution(g[0], {17, 641.0 / 17, 29, 37, 47.2, 48}, "NIGHT_AI");
  expect_distribution(g[1], {20, 39.5, 30, 39.5, 48.05, 49}, "NIGHT_BASE");
  expect_distribution(g[2], {20, 29.5, 20, 29.5, 38.05, 39}, "RUSH_AI");
  expect_distribution(g[3], {20, 49.5, 40, 49.5, 58.05, 59}, "RUSH_BASE");
  expect_distribution(g[4], {20, 59.5, 50, 59.5, 68.05, 69}, "UNTAGGED");
}

TEST_F(AnalyticsHttp, GroupsWaitsByIntersection) {
  auto body = get_ok(wait_times + "?simulation_id=RUSH_BASE&group_by=intersection");
  expect_distribution(body["overall"], {20, 49.5, 40, 49.5, 58.05, 59});
  auto g = distribution_groups(body, "wait_time", "intersection", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {10, 44.5, 40, 44.5, 48.55, 49}, "INT_A");
    expect_distribution(g[1], {10, 54.5, 50, 54.5, 58.55, 59}, "INT_B");
  }
  // Across every run (expected_stats.py): INT_A 50 waits summing to 1915, INT_B 47 to 2286.
  body = get_ok(wait_times + "?group_by=intersection");
  g = distribution_groups(body, "wait_time", "intersection", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {50, 1915.0 / 50, 20, 36.5, 56.55, 59}, "INT_A");
    expect_distribution(g[1], {47, 2286.0 / 47, 30, 47, 66.7, 69}, "INT_B");
  }
}

TEST_F(AnalyticsHttp, GroupsWaitsByUtcHour) {
  auto body = get_ok(wait_times + "?simulation_id=RUSH_BASE&group_by=hour");
  auto g = distribution_groups(body, "wait_time", "hour", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {10, 47, 40, 47, 53.55, 54}, "2025-09-10T07:00:00Z");
    expect_distribution(g[1], {10, 52, 45, 52, 58.55, 59}, "2025-09-10T08:00:00Z");
  }
  // Every run: 48 snapshots in hour 07 (NIGHT_AI's INT_B has 3), 49 in hour 08.
  body = get_ok(wait_times + "?group_by=hour");
  g = distribution_groups(body, "wait_time", "hour", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {48, 1955.0 / 48, 20, 40.5, 61.65, 64}, "2025-09-10T07:00:00Z");
    expect_distribution(g[1], {49, 2246.0 / 49, 25, 46, 66.6, 69}, "2025-09-10T08:00:00Z");
  }
}

TEST_F(AnalyticsHttp, GroupsApproachWaitsByDirection) {
  auto body = get_ok(wait_times + "?simulation_id=RUSH_BASE&group_by=direction");
  // One sample per approach per snapshot: 40.
  expect_distribution(body["overall"], {40, 49.5, 36, 49.5, 61.05, 63});
  auto g = distribution_groups(body, "wait_time", "direction", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {20, 53.5, 44, 53.5, 62.05, 63}, "north");
    expect_distribution(g[1], {20, 45.5, 36, 45.5, 54.05, 55}, "south");
  }
  body = get_ok(wait_times + "?group_by=direction");
  expect_distribution(body["overall"], {194, 4201.0 / 97, 16, 42.5, 64.35, 73});
  g = distribution_groups(body, "wait_time", "direction", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {97, 4201.0 / 97 + 4, 24, 46, 68.2, 73}, "north");
    expect_distribution(g[1], {97, 4201.0 / 97 - 4, 16, 38, 60.2, 65}, "south");
  }
}

TEST_F(AnalyticsHttp, FiltersApproachWaitsByDirection) {
  auto body = get_ok(wait_times + "?simulation_id=RUSH_BASE&direction=south");
  distribution_groups(body, "wait_time", nullptr, 0);
  expect_distribution(body["overall"], {20, 45.5, 36, 45.5, 54.05, 55});
  // Any case and the joined spelling are accepted.
  EXPECT_EQ(get_ok(wait_times + "?simulation_id=RUSH_BASE&direction=SOUTH")["overall"],
            body["overall"]);

  body = get_ok(wait_times + "?simulation_id=RUSH_BASE&direction=south&group_by=intersection");
  const auto g = distribution_groups(body, "wait_time", "intersection", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {10, 40.5, 36, 40.5, 44.55, 45}, "INT_A");
    expect_distribution(g[1], {10, 50.5, 46, 50.5, 54.55, 55}, "INT_B");
  }
}

TEST_F(AnalyticsHttp, FiltersWaitsByIntersectionAndInclusiveRangeAcrossTheGap) {
  // INT_B of NIGHT_AI lacks ticks 3-5: 07:57..08:02 holds ticks 2, 6, 7 (41, 45, 46).
  const auto target = wait_times +
                      "?simulation_id=NIGHT_AI&intersection_id=INT_B&from=" + tick_time(2) +
                      "&to=" + tick_time(7);
  auto body = get_ok(target);
  expect_distribution(body["overall"], {3, 44, 41, 45, 45.9, 46});
  // The same instant at +02:00 ('+' escaped, or it would read as a space).
  body = get_ok(wait_times +
                "?simulation_id=NIGHT_AI&intersection_id=INT_B&from=2025-09-10T09:57:00%2B02:00" +
                "&to=" + tick_time(7));
  expect_distribution(body["overall"], {3, 44, 41, 45, 45.9, 46});
}

TEST_F(AnalyticsHttp, TakesFromEqualToToAsOneInstant) {
  const auto body =
      get_ok(wait_times + "?simulation_id=RUSH_AI&group_by=intersection&from=" + tick_time(4) +
             "&to=" + tick_time(4));
  expect_distribution(body["overall"], {2, 29, 24, 29, 33.5, 34});
  const auto g = distribution_groups(body, "wait_time", "intersection", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {1, 24, 24, 24, 24, 24}, "INT_A");
    expect_distribution(g[1], {1, 34, 34, 34, 34, 34}, "INT_B");
  }
}

TEST_F(AnalyticsHttp, AnswersAnEmptyWaitMatchWithZeroCounts) {
  // From 09:00, after the last snapshot.
  for (const char* group : {"", "&group_by=hour", "&group_by=direction", "&group_by=simulation"}) {
    SCOPED_TRACE(group);
    const auto body = get_ok(wait_times + "?simulation_id=RUSH_BASE&from=" + tick_time(65) + group);
    expect_distribution(body["overall"], no_samples);
    EXPECT_EQ(body["groups"], json::array());
  }
  // An intersection nobody reported.
  const auto body = get_ok(wait_times + "?intersection_id=INT_Z&group_by=simulation");
  expect_distribution(body["overall"], no_samples);
  EXPECT_EQ(body["groups"], json::array());
}

TEST_F(AnalyticsHttp, ListsEveryRefusedParameterAtOnce) {
  const auto r = get(wait_times + "?group_by=colour&direction=up&from=x&limit=3");
  traffic::tests::expect_error(r, 400, "bad_request");
  for (const char* path : {"group_by", "direction", "from", "limit"})
    traffic::tests::expect_detail(r, path);
  EXPECT_EQ(traffic::tests::body_of(r)["error"]["details"].size(), 4u) << r.body;
}

// ---- speeds --------------------------------------------------------------------------------

TEST_F(AnalyticsHttp, GroupsSpeedsOfOneIntersectionBySimulation) {
  const auto body = get_ok(speeds + "?intersection_id=INT_B&group_by=simulation");
  expect_count(body["overall"]["samples"], 47, "overall samples");
  const auto g = distribution_groups(body, "speed", "simulation", 5);
  if (g.empty())
    return;
  // speed = s + 5 + k at INT_B; NIGHT_AI has 45, 46, 47, 51, 52, 53, 54.
  expect_distribution(g[0], {7, 348.0 / 7, 45, 51, 53.7, 54}, "NIGHT_AI");
  expect_distribution(g[1], {10, 49.5, 45, 49.5, 53.55, 54}, "NIGHT_BASE");
  expect_distribution(g[2], {10, 39.5, 35, 39.5, 43.55, 44}, "RUSH_AI");
  expect_distribution(g[3], {10, 29.5, 25, 29.5, 33.55, 34}, "RUSH_BASE");
  expect_distribution(g[4], {10, 19.5, 15, 19.5, 23.55, 24}, "UNTAGGED");
}

TEST_F(AnalyticsHttp, GroupsOneRunsSpeedsByIntersectionAndHour) {
  auto body = get_ok(speeds + "?simulation_id=RUSH_AI&group_by=intersection");
  expect_distribution(body["overall"], {20, 37, 30, 37, 43.05, 44});
  auto g = distribution_groups(body, "speed", "intersection", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {10, 34.5, 30, 34.5, 38.55, 39}, "INT_A");
    expect_distribution(g[1], {10, 39.5, 35, 39.5, 43.55, 44}, "INT_B");
  }
  body = get_ok(speeds + "?simulation_id=RUSH_AI&group_by=hour");
  g = distribution_groups(body, "speed", "hour", 2);
  if (!g.empty()) {
    expect_distribution(g[0], {10, 34.5, 30, 34.5, 38.55, 39}, "2025-09-10T07:00:00Z");
    expect_distribution(g[1], {10, 39.5, 35, 39.5, 43.55, 44}, "2025-09-10T08:00:00Z");
  }
}

TEST_F(AnalyticsHttp, DistributesEverySpeedWithoutGroupingAndFiltersByRange) {
  auto body = get_ok(speeds);
  distribution_groups(body, "speed", nullptr, 0);
  expect_distribution(body["overall"], {97, 3353.0 / 97, 10, 36, 52, 54});

  // RUSH_AI at 07:59: INT_A 30 + 4, INT_B 35 + 4.
  body = get_ok(speeds + "?simulation_id=RUSH_AI&from=" + tick_time(4) + "&to=" + tick_time(4));
  expect_distribution(body["overall"], {2, 36.5, 34, 36.5, 38.75, 39});
  body = get_ok(speeds + "?simulation_id=RUSH_AI&group_by=hour&from=" + tick_time(65));
  expect_distribution(body["overall"], no_samples);
  EXPECT_EQ(body["groups"], json::array());
}

// ---- environmental impact ------------------------------------------------------------------

/// Checks one {snapshots, fuel_saved, co2_saved} object, with its key when `key_name` is set.
void expect_totals(const json& t, std::int64_t snapshots, double fuel, double co2,
                   const std::string& key_name = {}, const std::string& key = {}) {
  SCOPED_TRACE(key_name + " " + key);
  std::set<std::string> keys{"snapshots", "fuel_saved", "co2_saved"};
  if (!key_name.empty()) {
    keys.insert(key_name);
    EXPECT_EQ(t.value(key_name, ""), key);
  }
  expect_keys(t, keys, "totals");
  expect_count(t["snapshots"], snapshots, "snapshots");
  expect_close(t["fuel_saved"], fuel, "fuel_saved");
  expect_close(t["co2_saved"], co2, "co2_saved");
}

TEST_F(AnalyticsHttp, SumsSavingsOverallPerIntersectionAndPerHour) {
  const auto body = get_ok(environment);
  expect_keys(body, {"overall", "per_intersection", "per_hour", "units"}, "environment");
  EXPECT_EQ(body["units"], (json{{"fuel_saved", "litres"}, {"co2_saved", "kg"}}));
  expect_totals(body["overall"], 97, 40.25, 80.5);
  ASSERT_EQ(body["per_intersection"].size(), 2u) << body.dump();
  expect_totals(body["per_intersection"][0], 50, 15, 30, "intersection_id", "INT_A");
  expect_totals(body["per_intersection"][1], 47, 25.25, 50.5, "intersection_id", "INT_B");
  ASSERT_EQ(body["per_hour"].size(), 2u) << body.dump();
  expect_totals(body["per_hour"][0], 48, 19.75, 39.5, "hour", "2025-09-10T07:00:00Z");
  expect_totals(body["per_hour"][1], 49, 20.5, 41, "hour", "2025-09-10T08:00:00Z");
}

TEST_F(AnalyticsHttp, SumsSavingsUnderSimulationIntersectionAndRangeFilters) {
  auto body =
      get_ok(environment + "?simulation_id=NIGHT_AI&from=" + tick_time(3) + "&to=" + tick_time(6));
  expect_totals(body["overall"], 5, 2.75, 5.5);
  ASSERT_EQ(body["per_intersection"].size(), 2u) << body.dump();
  expect_totals(body["per_intersection"][0], 4, 2, 4, "intersection_id", "INT_A");
  expect_totals(body["per_intersection"][1], 1, 0.75, 1.5, "intersection_id", "INT_B");
  ASSERT_EQ(body["per_hour"].size(), 2u) << body.dump();
  expect_totals(body["per_hour"][0], 2, 1, 2, "hour", "2025-09-10T07:00:00Z");
  expect_totals(body["per_hour"][1], 3, 1.75, 3.5, "hour", "2025-09-10T08:00:00Z");

  body = get_ok(environment + "?simulation_id=RUSH_AI&intersection_id=INT_B");
  expect_totals(body["overall"], 10, 17.5, 35);
  ASSERT_EQ(body["per_intersection"].size(), 1u) << body.dump();
  expect_totals(body["per_intersection"][0], 10, 17.5, 35, "intersection_id", "INT_B");
  ASSERT_EQ(body["per_hour"].size(), 2u) << body.dump();
  expect_totals(body["per_hour"][0], 5, 8.75, 17.5, "hour", "2025-09-10T07:00:00Z");
  expect_totals(body["per_hour"][1], 5, 8.75, 17.5, "hour", "2025-09-10T08:00:00Z");
}

TEST_F(AnalyticsHttp, AnswersNoSavingsForAnEmptyMatch) {
  for (const auto& query :
       {"?simulation_id=UNTAGGED&to=" + tick_time(-1), std::string{"?intersection_id=INT_Z"}}) {
    SCOPED_TRACE(query);
    const auto body = get_ok(environment + query);
    expect_totals(body["overall"], 0, 0, 0);
    EXPECT_EQ(body["per_intersection"], json::array());
    EXPECT_EQ(body["per_hour"], json::array());
  }
}

} // namespace
