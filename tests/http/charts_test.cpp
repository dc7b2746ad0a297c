// End-to-end tests of the time series, the chart answers, the run list and the answer cache
// over HTTP, against the numbers worked out by hand in tests/fixtures/README.md.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

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

using ChartsHttp = analytics_suite;

const std::string series_path = "/api/v1/analytics/time-series/";
const std::string trend_path = "/api/v1/charts/wait-time-trend";
const std::string scatter_path = "/api/v1/charts/performance-scatter";
const std::string simulations_path = "/api/v1/simulations";
const std::string wait_times_path = "/api/v1/analytics/wait-times";

// ---- time series ---------------------------------------------------------------------------

/// Checks the envelope of a time series and returns its points.
json series_points(const json& body, const std::string& sim, const std::string& metric,
                   std::int64_t bucket, const json& intersection, std::size_t points) {
  expect_keys(
      body, {"simulation_id", "metric", "bucket_seconds", "intersection_id", "points", "truncated"},
      "time series");
  EXPECT_EQ(body["simulation_id"], sim);
  EXPECT_EQ(body["metric"], metric);
  expect_count(body["bucket_seconds"], bucket, "bucket_seconds");
  EXPECT_EQ(body["intersection_id"], intersection);
  EXPECT_EQ(body["truncated"], false);
  EXPECT_EQ(body["points"].size(), points) << body.dump();
  return body["points"].size() == points ? body["points"] : json::array();
}

/// Checks one point; `start` is the text of its bucket's start.
void expect_point(const json& p, const std::string& start, std::int64_t count, double mean,
                  double min, double max) {
  SCOPED_TRACE(start + " " + p.dump());
  expect_keys(p, {"timestamp", "count", "mean", "min", "max"}, "point");
  EXPECT_EQ(p["timestamp"], start);
  expect_count(p["count"], count, "count");
  expect_close(p["mean"], mean, "mean");
  expect_close(p["min"], min, "min");
  expect_close(p["max"], max, "max");
}

TEST_F(ChartsHttp, AlignsSeriesBucketsToTheEpoch) {
  // 07:55 is 60 s into the 120 s bucket that starts at 07:54.
  const auto body = get_ok(
      series_path + "RUSH_BASE?metric=avg_wait_time_all_sides&bucket=2m&intersection_id=INT_A");
  const auto p = series_points(body, "RUSH_BASE", "avg_wait_time_all_sides", 120, "INT_A", 6);
  if (p.empty())
    return;
  expect_point(p[0], tick_time(-1), 1, 40, 40, 40);
  expect_point(p[1], tick_time(1), 2, 41.5, 41, 42);
  expect_point(p[2], tick_time(3), 2, 43.5, 43, 44);
  expect_point(p[3], tick_time(5), 2, 45.5, 45, 46);
  expect_point(p[4], tick_time(7), 2, 47.5, 47, 48);
  expect_point(p[5], tick_time(9), 1, 49, 49, 49);
}

TEST_F(ChartsHttp, DefaultsToTheWaitOfEachMinute) {
  // One bucket per tick with both intersections: waits 40 + k and 50 + k.
  const auto body = get_ok(series_path + "RUSH_BASE");
  const auto p = series_points(body, "RUSH_BASE", "avg_wait_time_all_sides", 60, nullptr, 10);
  for (std::size_t k = 0; k < p.size(); ++k)
    expect_point(p[k], tick_time(static_cast<int>(k)), 2, 45.0 + k, 40.0 + k, 50.0 + k);
}

TEST_F(ChartsHttp, PicksTheSeriesMetricByName) {
  // Vehicles passed 20 + 10 i + 2 k over both intersections.
  auto p = series_points(get_ok(series_path + "RUSH_AI?metric=total_vehicles_passed&bucket=5m"),
                         "RUSH_AI", "total_vehicles_passed", 300, nullptr, 2);
  if (!p.empty()) {
    expect_point(p[0], tick_time(0), 10, 29, 20, 38);
    expect_point(p[1], tick_time(5), 10, 39, 30, 48);
  }
  p = series_points(
      get_ok(series_path + "RUSH_AI?metric=emergency_overrides&bucket=10m&intersection_id=INT_A"),
      "RUSH_AI", "emergency_overrides", 600, "INT_A", 2);
  if (!p.empty()) {
    expect_point(p[0], tick_time(-5), 5, 0, 0, 0);
    expect_point(p[1], tick_time(5), 5, 0.4, 0, 1);
  }
  // Hourly buckets of the run with the gap: 8 snapshots in hour 07, 9 in hour 08.
  p = series_points(get_ok(series_path + "NIGHT_AI?metric=fuel_saved&bucket=1h"), "NIGHT_AI",
                    "fuel_saved", 3600, nullptr, 2);
  if (!p.empty()) {
    expect_point(p[0], "2025-09-10T07:00:00Z", 8, 4.75 / 8, 0.5, 0.75);
    expect_point(p[1], "2025-09-10T08:00:00Z", 9, 5.5 / 9, 0.5, 0.75);
  }
  p = series_points(get_ok(series_path + "UNTAGGED?metric=avg_speed&bucket=5m"), "UNTAGGED",
                    "avg_speed", 300, nullptr, 2);
  if (!p.empty())
    expect_point(p[0], tick_time(0), 10, 14.5, 10, 19);
  p = series_points(get_ok(series_path + "RUSH_BASE?metric=throughput&bucket=300s"), "RUSH_BASE",
                    "throughput", 300, nullptr, 2);
  if (!p.empty())
    expect_point(p[1], tick_time(5), 10, 1.375, 1.125, 1.625);
  p = series_points(get_ok(series_path + "UNTAGGED?metric=co2_saved&bucket=10m"), "UNTAGGED",
                    "co2_saved", 600, nullptr, 2);
  if (!p.empty())
    expect_point(p[0], tick_time(-5), 10, -0.75, -1, -0.5);
}

TEST_F(ChartsHttp, FiltersTheSeriesByIntersectionAndRange) {
  auto p =
      series_points(get_ok(series_path + "RUSH_BASE?metric=avg_speed&bucket=1m" +
                           "&intersection_id=INT_B&from=" + tick_time(3) + "&to=" + tick_time(4)),
                    "RUSH_BASE", "avg_speed", 60, "INT_B", 2);
  if (!p.empty()) {
    expect_point(p[0], tick_time(3), 1, 28, 28, 28);
    expect_point(p[1], tick_time(4), 1, 29, 29, 29);
  }
  // A range without a snapshot, and an intersection nobody reported: no point.
  series_points(get_ok(series_path + "RUSH_BASE?metric=avg_speed&intersection_id=INT_B&from=" +
                       tick_time(20) + "&to=" + tick_time(20)),
                "RUSH_BASE", "avg_speed", 60, "INT_B", 0);
  series_points(get_ok(series_path + "RUSH_BASE?intersection_id=INT_Z"), "RUSH_BASE",
                "avg_wait_time_all_sides", 60, "INT_Z", 0);
}

// ---- wait-time trend -----------------------------------------------------------------------

/// Checks the envelope of a trend chart: its labels, then returns its datasets.
json trend_datasets(const json& body, std::int64_t bucket, const std::vector<std::string>& labels,
                    const std::vector<std::string>& names) {
  expect_keys(body, {"bucket_seconds", "labels", "datasets", "truncated"}, "trend");
  expect_count(body["bucket_seconds"], bucket, "bucket_seconds");
  EXPECT_EQ(body["labels"], json(labels));
  EXPECT_EQ(body["truncated"], false);
  const auto& datasets = body["datasets"];
  EXPECT_EQ(datasets.size(), names.size()) << body.dump();
  if (datasets.size() != names.size())
    return json::array();
  for (std::size_t i = 0; i < names.size(); ++i) {
    expect_keys(datasets[i], {"label", "data"}, "dataset");
    EXPECT_EQ(datasets[i]["label"], names[i]);
    EXPECT_EQ(datasets[i]["data"].size(), labels.size()) << datasets[i].dump();
  }
  return datasets;
}

TEST_F(ChartsHttp, DrawsTheTrendOfEveryRunInIdOrder) {
  const auto d =
      trend_datasets(get_ok(trend_path + "?bucket=5m"), 300, {tick_time(0), tick_time(5)},
                     {"NIGHT_AI", "NIGHT_BASE", "RUSH_AI", "RUSH_BASE", "UNTAGGED"});
  if (d.empty())
    return;
  // NIGHT_AI: (29..33 + 39, 40, 41) / 8 and (34..38 + 45..48) / 9.
  expect_close(d[0]["data"][0], 34.375, "NIGHT_AI 07:55");
  expect_close(d[0]["data"][1], 366.0 / 9, "NIGHT_AI 08:00");
  expect_close(d[1]["data"][0], 37, "NIGHT_BASE 07:55");
  expect_close(d[1]["data"][1], 42, "NIGHT_BASE 08:00");
  expect_close(d[2]["data"][0], 27, "RUSH_AI 07:55");
  expect_close(d[2]["data"][1], 32, "RUSH_AI 08:00");
  expect_close(d[3]["data"][0], 47, "RUSH_BASE 07:55");
  expect_close(d[3]["data"][1], 52, "RUSH_BASE 08:00");
  expect_close(d[4]["data"][0], 57, "UNTAGGED 07:55");
  expect_close(d[4]["data"][1], 62, "UNTAGGED 08:00");
}

TEST_F(ChartsHttp, DrawsTheTrendOfTheNamedRunsHoweverTheyAreListed) {
  const std::string repeated =
      trend_path + "?simulation_id=RUSH_BASE&simulation_id=NIGHT_AI&bucket=5m";
  const std::string commas = trend_path + "?bucket=5m&simulation_id=NIGHT_AI,RUSH_BASE,NIGHT_AI";
  for (const auto& target : {repeated, commas}) {
    SCOPED_TRACE(target);
    const auto d = trend_datasets(get_ok(target), 300, {tick_time(0), tick_time(5)},
                                  {"NIGHT_AI", "RUSH_BASE"});
    if (d.empty())
      continue;
    expect_close(d[0]["data"][0], 34.375, "NIGHT_AI 07:55");
    expect_close(d[0]["data"][1], 366.0 / 9, "NIGHT_AI 08:00");
    EXPECT_EQ(d[1]["data"], json::array({47.0, 52.0}));
  }
}

TEST_F(ChartsHttp, LeavesTrendHolesWhereARunHasNoBucket) {
  // NIGHT_AI's INT_B has no ticks 3-5.
  const auto d = trend_datasets(
      get_ok(trend_path + "?simulation_id=NIGHT_AI,NIGHT_BASE" +
             "&intersection_id=INT_B&bucket=1m&from=" + tick_time(3) + "&to=" + tick_time(6)),
      60, {tick_time(3), tick_time(4), tick_time(5), tick_time(6)}, {"NIGHT_AI", "NIGHT_BASE"});
  if (d.empty())
    return;
  EXPECT_EQ(d[0]["data"], json::parse("[null,null,null,45.0]"));
  EXPECT_EQ(d[1]["data"], json::array({43.0, 44.0, 45.0, 46.0}));
}

TEST_F(ChartsHttp, KeepsANamedRunWithoutAnyBucketInRange) {
  // NIGHT_AI's INT_B has no ticks 3-5, so it has no bucket at all in 07:58..08:00. It was named
  // and exists, so it keeps its dataset (all holes), as a run whose buckets fell past the label
  // limit does: the set of series does not depend on where the range cuts the data.
  const auto d = trend_datasets(
      get_ok(trend_path + "?simulation_id=NIGHT_AI,NIGHT_BASE" +
             "&intersection_id=INT_B&bucket=1m&from=" + tick_time(3) + "&to=" + tick_time(5)),
      60, {tick_time(3), tick_time(4), tick_time(5)}, {"NIGHT_AI", "NIGHT_BASE"});
  if (d.empty())
    return;
  EXPECT_EQ(d[0]["data"], json::parse("[null,null,null]"));
  EXPECT_EQ(d[1]["data"], json::array({43.0, 44.0, 45.0}));
}

TEST_F(ChartsHttp, DrawsAnEmptyTrendForARangeWithoutData) {
  trend_datasets(get_ok(trend_path + "?from=" + tick_time(65)), 60, {}, {});
}

// ---- performance scatter -------------------------------------------------------------------

/// Checks one scatter point.
void expect_scatter_point(const json& p, const std::string& label, const json& mode, double x,
                          double y, std::int64_t snapshots) {
  SCOPED_TRACE(label + " " + p.dump());
  expect_keys(p, {"x", "y", "label", "mode", "simulation_id", "intersection_id", "snapshots"},
              "point");
  EXPECT_EQ(p["label"], label);
  const auto slash = label.find('/');
  EXPECT_EQ(p["simulation_id"], label.substr(0, slash));
  EXPECT_EQ(p["intersection_id"],
            slash == std::string::npos ? json(nullptr) : json(label.substr(slash + 1)));
  EXPECT_EQ(p["mode"], mode);
  expect_close(p["x"], x, "x");
  expect_close(p["y"], y, "y");
  expect_count(p["snapshots"], snapshots, "snapshots");
}

const json scatter_axes{{"x", "mean wait time (s)"}, {"y", "mean throughput"}};

TEST_F(ChartsHttp, PlotsOneScatterPointPerRunWithItsMode) {
  for (const std::string query : {"", "?by=simulation"}) {
    const auto c = get_ok(scatter_path + query);
    expect_keys(c, {"by", "points", "axes"}, "scatter");
    EXPECT_EQ(c["by"], "simulation");
    EXPECT_EQ(c["axes"], scatter_axes);
    const auto& p = c["points"];
    ASSERT_EQ(p.size(), 5u) << c.dump();
    // NIGHT_AI: throughput over its 17 snapshots, tick sum 45 at INT_A and 33 at INT_B.
    expect_scatter_point(p[0], "NIGHT_AI", "ai", 641.0 / 17, 14.0 / 17, 17);
    expect_scatter_point(p[1], "NIGHT_BASE", "baseline", 39.5, 0.8125, 20);
    expect_scatter_point(p[2], "RUSH_AI", "ai", 29.5, 1.5625, 20);
    expect_scatter_point(p[3], "RUSH_BASE", "baseline", 49.5, 1.0625, 20);
    expect_scatter_point(p[4], "UNTAGGED", nullptr, 59.5, 0.6875, 20);
  }
  const auto rush = get_ok(scatter_path + "?scenario=rush");
  ASSERT_EQ(rush["points"].size(), 2u) << rush.dump();
  expect_scatter_point(rush["points"][0], "RUSH_AI", "ai", 29.5, 1.5625, 20);
  expect_scatter_point(rush["points"][1], "RUSH_BASE", "baseline", 49.5, 1.0625, 20);
}

TEST_F(ChartsHttp, PlotsOneScatterPointPerIntersection) {
  auto c = get_ok(scatter_path + "?by=intersection&scenario=night");
  EXPECT_EQ(c["by"], "intersection");
  EXPECT_EQ(c["axes"], scatter_axes);
  ASSERT_EQ(c["points"].size(), 4u) << c.dump();
  expect_scatter_point(c["points"][0], "NIGHT_AI/INT_A", "ai", 33.5, 0.8125, 10);
  expect_scatter_point(c["points"][1], "NIGHT_AI/INT_B", "ai", 306.0 / 7, 5.875 / 7, 7);
  expect_scatter_point(c["points"][2], "NIGHT_BASE/INT_A", "baseline", 34.5, 0.8125, 10);
  expect_scatter_point(c["points"][3], "NIGHT_BASE/INT_B", "baseline", 44.5, 0.8125, 10);

  c = get_ok(scatter_path + "?by=intersection");
  ASSERT_EQ(c["points"].size(), 10u) << c.dump();
  expect_scatter_point(c["points"][4], "RUSH_AI/INT_A", "ai", 24.5, 1.5625, 10);
  expect_scatter_point(c["points"][7], "RUSH_BASE/INT_B", "baseline", 54.5, 1.0625, 10);
  expect_scatter_point(c["points"][9], "UNTAGGED/INT_B", nullptr, 64.5, 0.6875, 10);

  c = get_ok(scatter_path + "?by=intersection&scenario=no_such_scenario");
  EXPECT_EQ(c["points"], json::array());
}

// ---- simulations ---------------------------------------------------------------------------

/// Returns the simulation ids of a run list, after checking its shape.
std::vector<std::string> listed_ids(const json& body, bool truncated) {
  expect_keys(body, {"simulations", "truncated"}, "run list");
  EXPECT_EQ(body["truncated"], truncated) << body.dump();
  std::vector<std::string> ids;
  for (const auto& s : body["simulations"])
    ids.push_back(s.value("simulation_id", ""));
  return ids;
}

TEST_F(ChartsHttp, ListsEveryRunById) {
  const auto body = get_ok(simulations_path);
  EXPECT_EQ(listed_ids(body, false), (std::vector<std::string>{"NIGHT_AI", "NIGHT_BASE", "RUSH_AI",
                                                               "RUSH_BASE", "UNTAGGED"}));
  ASSERT_EQ(body["simulations"].size(), 5u);
  const auto& night_ai = body["simulations"][0];
  expect_keys(night_ai,
              {"simulation_id", "mode", "scenario", "first_timestamp", "last_timestamp",
               "snapshots", "first_seen", "last_seen"},
              "run");
  EXPECT_EQ(night_ai["mode"], "ai");
  EXPECT_EQ(night_ai["scenario"], "night");
  EXPECT_EQ(night_ai["first_timestamp"], tick_time(0));
  EXPECT_EQ(night_ai["last_timestamp"], tick_time(9));
  expect_count(night_ai["snapshots"], 17, "snapshots");
  // Wall clock of the writes: RFC 3339 text, first <= last (same format, so text order works
  // within one day).
  ASSERT_TRUE(night_ai["first_seen"].is_string() && night_ai["last_seen"].is_string());
  EXPECT_LE(night_ai["first_seen"].get<std::string>().substr(0, 19),
            night_ai["last_seen"].get<std::string>().substr(0, 19));
  EXPECT_EQ(body["simulations"][3]["mode"], "baseline");
  expect_count(body["simulations"][3]["snapshots"], 20, "snapshots");
  EXPECT_TRUE(body["simulations"][4]["mode"].is_null());
  EXPECT_TRUE(body["simulations"][4]["scenario"].is_null());
}

TEST_F(ChartsHttp, FiltersRunsByScenarioAndMode) {
  using ids = std::vector<std::string>;
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?scenario=rush"), false),
            (ids{"RUSH_AI", "RUSH_BASE"}));
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?mode=ai"), false), (ids{"NIGHT_AI", "RUSH_AI"}));
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?scenario=night&mode=baseline"), false),
            ids{"NIGHT_BASE"});
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?scenario=no_such_scenario"), false), ids{});
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?limit=2"), true),
            (ids{"NIGHT_AI", "NIGHT_BASE"}));
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?limit=5"), false).size(), 5u);
  EXPECT_EQ(listed_ids(get_ok(simulations_path + "?mode=ai&limit=1"), true), ids{"NIGHT_AI"});
}

// ---- the answer cache ----------------------------------------------------------------------

TEST_F(ChartsHttp, CachesAnswersUnderANormalisedKey) {
  clear_cache();
  // Returns the body after checking a 200 with this X-Cache header.
  auto expect_cache = [](const std::string& target, const std::string& state) {
    auto r = get(target);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    EXPECT_EQ(r.header("X-Cache"), state) << target;
    return r.body;
  };
  const auto waits =
      expect_cache(wait_times_path + "?simulation_id=RUSH_AI&group_by=hour&from=" + tick_time(2) +
                       "&to=" + tick_time(8),
                   "MISS");
  EXPECT_EQ(expect_cache(wait_times_path + "?simulation_id=RUSH_AI&group_by=hour&from=" +
                             tick_time(2) + "&to=" + tick_time(8),
                         "HIT"),
            waits);
  // The same query with its parameters in another order, and a time at another offset.
  EXPECT_EQ(
      expect_cache(wait_times_path + "?to=" + tick_time(8) +
                       "&from=2025-09-10T09:57:00%2B02:00&group_by=hour&simulation_id=RUSH_AI",
                   "HIT"),
      waits);
  expect_cache(wait_times_path + "?simulation_id=RUSH_AI&group_by=intersection&from=" +
                   tick_time(2) + "&to=" + tick_time(8),
               "MISS");

  // The runs of a trend are a set: order, repetition and spelling do not matter.
  const auto trend = expect_cache(trend_path + "?simulation_id=NIGHT_AI,RUSH_AI&bucket=5m", "MISS");
  EXPECT_EQ(
      expect_cache(trend_path + "?bucket=300s&simulation_id=RUSH_AI&simulation_id=NIGHT_AI", "HIT"),
      trend);

  // A bucket of 1m is one of 60s, the default.
  const auto series = expect_cache(series_path + "RUSH_AI?metric=avg_speed", "MISS");
  EXPECT_EQ(expect_cache(series_path + "RUSH_AI?bucket=60s&metric=avg_speed", "HIT"), series);
  EXPECT_EQ(expect_cache(series_path + "RUSH_AI?metric=avg_speed&bucket=1m", "HIT"), series);
}

} // namespace
