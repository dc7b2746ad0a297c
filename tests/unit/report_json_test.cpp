// JSON bodies of every analytics, dashboard, chart, run, live and cache answer: exact shapes from
// hand-built values, nulls for unset and non-finite numbers.
#include "http/report_json.hpp"

#include <limits>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/json_responses.hpp"
#include "metrics/timestamp.hpp"

namespace {

using json = nlohmann::json;
namespace metrics = traffic::metrics;
namespace actors = traffic::actors;
using traffic::http::answer_body;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

metrics::timestamp_us at(const char* text) {
  return metrics::parse_rfc3339(text).value();
}

/// Parses a body, failing the test when it is not JSON.
json parsed(const std::string& body) {
  auto doc = json::parse(body, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << body;
  return doc;
}

metrics::simulation_summary sample_summary() {
  metrics::simulation_summary s;
  s.simulation_id = "SIM_1";
  s.mode = metrics::run_mode::ai;
  s.intersections = 2;
  s.snapshots = 40;
  s.first_timestamp = at("2025-09-10T07:00:00Z");
  s.last_timestamp = at("2025-09-10T07:10:00.5Z");
  s.mean_wait = 12.5;
  s.mean_speed = 30.25;
  s.mean_throughput = 0.75;
  s.total_vehicles_passed = 4000;
  s.fuel_saved_total = -1.5;
  s.co2_saved_total = 3.5;
  s.emergency_overrides = 2;
  s.directions.push_back({metrics::direction::north_east, 40, 10.5, 300, 800, 0.25, 0.5});
  s.vehicle_class_mix = {{"bus", 3}, {"car", 70}};
  return s;
}

const json sample_summary_json = {
    {"simulation_id", "SIM_1"},
    {"mode", "ai"},
    {"scenario", nullptr},
    {"intersections", 2},
    {"snapshots", 40},
    {"first_timestamp", "2025-09-10T07:00:00Z"},
    {"last_timestamp", "2025-09-10T07:10:00.500000Z"},
    {"duration_seconds", 600.5},
    {"mean_wait_time", 12.5},
    {"mean_speed", 30.25},
    {"mean_throughput", 0.75},
    {"total_vehicles_passed", 4000},
    {"fuel_saved_total", -1.5},
    {"co2_saved_total", 3.5},
    {"emergency_overrides", 2},
    {"directions",
     {{{"direction", "north_east"},
       {"samples", 40},
       {"mean_wait_time", 10.5},
       {"vehicles_crossed", 300},
       {"green_time_allocated", 800},
       {"green_time_share", 0.25},
       {"green_status_share", 0.5}}}},
    {"vehicle_class_mix", {{"bus", 3}, {"car", 70}}},
};

metrics::comparison_report sample_comparison() {
  metrics::comparison_report r;
  r.scenario = "rush";
  r.baseline_runs = {"B1", "B2"};
  r.ai_runs = {"A1"};
  r.block_seconds = 600;
  r.baseline_snapshots = 120;
  r.ai_snapshots = 60;
  metrics::metric_comparison wait;
  wait.figure = "wait_time";
  wait.lower_is_better = true;
  wait.baseline_blocks = 8;
  wait.ai_blocks = 4;
  wait.baseline_mean = 20;
  wait.ai_mean = 15;
  wait.difference = -5;
  wait.percent_change = -25;
  wait.ci_low = -7.5;
  wait.ci_high = -2.5;
  wait.p_value = 0.001;
  wait.t_statistic = -4.5;
  wait.degrees_of_freedom = 9.25;
  wait.ai_better = true;
  metrics::metric_comparison speed;
  speed.figure = "speed";
  speed.baseline_blocks = 1;
  speed.ai_blocks = 1;
  speed.baseline_mean = 0;
  speed.ai_mean = 30;
  speed.difference = 30;
  speed.ci_low = not_a_number; // a half-computed interval is no interval
  r.metrics = {wait, speed};
  return r;
}

const json sample_comparison_json = {
    {"scenario", "rush"},
    {"block_seconds", 600},
    {"baseline", {{"runs", {"B1", "B2"}}, {"snapshots", 120}}},
    {"ai", {{"runs", json::array({"A1"})}, {"snapshots", 60}}},
    {"metrics",
     {{{"figure", "wait_time"},
       {"better_when", "lower"},
       {"baseline_mean", 20.0},
       {"ai_mean", 15.0},
       {"difference", -5.0},
       {"percent_change", -25.0},
       {"ci95", {-7.5, -2.5}},
       {"p_value", 0.001},
       {"t_statistic", -4.5},
       {"degrees_of_freedom", 9.25},
       {"baseline_blocks", 8},
       {"ai_blocks", 4},
       {"ai_better", true}},
      {{"figure", "speed"},
       {"better_when", "higher"},
       {"baseline_mean", 0.0},
       {"ai_mean", 30.0},
       {"difference", 30.0},
       {"percent_change", nullptr},
       {"ci95", nullptr},
       {"p_value", nullptr},
       {"t_statistic", nullptr},
       {"degrees_of_freedom", nullptr},
       {"baseline_blocks", 1},
       {"ai_blocks", 1},
       {"ai_better", false}}}},
    {"method", "Welch's t-test on per-intersection block means"},
};

} // namespace

TEST(ReportJson, EncodesTheSummaryWithGreenTimeShares) {
  auto s = sample_summary();
  EXPECT_EQ(parsed(traffic::http::summary_body(s)), sample_summary_json);
  EXPECT_EQ(answer_body(metrics::analytics_answer{s}), traffic::http::summary_body(s));
}

TEST(ReportJson, EncodesAWaitTimeDistribution) {
  metrics::distribution_report r;
  r.figure = "wait_time";
  r.group_by = metrics::group_key::direction;
  r.overall = {10, 5.5, 1, 5, 9.5, 10};
  r.groups = {{"north", {4, 2.5, 1, 2, 3.5, 4}}};
  EXPECT_EQ(parsed(answer_body(r)), (json{{"figure", "wait_time"},
                                          {"unit", "seconds"},
                                          {"group_by", "direction"},
                                          {"overall",
                                           {{"samples", 10},
                                            {"mean", 5.5},
                                            {"min", 1.0},
                                            {"p50", 5.0},
                                            {"p95", 9.5},
                                            {"max", 10.0}}},
                                          {"groups",
                                           {{{"key", "north"},
                                             {"samples", 4},
                                             {"mean", 2.5},
                                             {"min", 1.0},
                                             {"p50", 2.0},
                                             {"p95", 3.5},
                                             {"max", 4.0}}}}}));
}

TEST(ReportJson, EncodesAnUngroupedSpeedDistribution) {
  metrics::distribution_report r;
  r.figure = "speed";
  auto doc = parsed(answer_body(r));
  EXPECT_EQ(doc["unit"], "km/h");
  EXPECT_TRUE(doc["group_by"].is_null());
  EXPECT_EQ(doc["groups"], json::array());
  EXPECT_EQ(doc["overall"]["samples"], 0);
}

TEST(ReportJson, EncodesEnvironmentalImpact) {
  metrics::environmental_report r;
  r.overall = {10, 2.5, -4};
  r.per_intersection = {{"INT_1", {10, 2.5, -4}}};
  r.per_hour = {{"2025-09-10T07:00:00Z", {10, 2.5, -4}}};
  const json totals{{"snapshots", 10}, {"fuel_saved", 2.5}, {"co2_saved", -4.0}};
  json per_intersection = totals;
  per_intersection["intersection_id"] = "INT_1";
  json per_hour = totals;
  per_hour["hour"] = "2025-09-10T07:00:00Z";
  EXPECT_EQ(parsed(answer_body(r)),
            (json{{"overall", totals},
                  {"per_intersection", json::array({per_intersection})},
                  {"per_hour", json::array({per_hour})},
                  {"units", {{"fuel_saved", "litres"}, {"co2_saved", "kg"}}}}));
}

TEST(ReportJson, EncodesTheEmergencyReport) {
  metrics::emergency_report r;
  metrics::emergency_episode green{"SIM_1",
                                   "INT_1",
                                   metrics::direction::west,
                                   at("2025-09-10T07:00:00Z"),
                                   at("2025-09-10T07:00:30Z"),
                                   4,
                                   at("2025-09-10T07:00:10Z")};
  metrics::emergency_episode never = green;
  never.first_green.reset();
  r.episodes = {green, never};
  r.episodes_truncated = true;
  metrics::emergency_stats stats{2, 1, 60, 30, 30, 10.0, 10.0, 3};
  r.per_intersection = {{"SIM_1", "INT_1", stats}};
  r.totals = metrics::emergency_stats{};
  const json stats_json{{"episodes", 2},
                        {"episodes_with_green", 1},
                        {"total_duration_seconds", 60.0},
                        {"mean_duration_seconds", 30.0},
                        {"max_duration_seconds", 30.0},
                        {"mean_time_to_green_seconds", 10.0},
                        {"max_time_to_green_seconds", 10.0},
                        {"overrides", 3}};
  json group = stats_json;
  group["simulation_id"] = "SIM_1";
  group["intersection_id"] = "INT_1";
  const json episode{{"simulation_id", "SIM_1"},
                     {"intersection_id", "INT_1"},
                     {"direction", "west"},
                     {"start", "2025-09-10T07:00:00Z"},
                     {"end", "2025-09-10T07:00:30Z"},
                     {"duration_seconds", 30.0},
                     {"snapshots", 4},
                     {"time_to_green_seconds", 10.0}};
  json never_json = episode;
  never_json["time_to_green_seconds"] = nullptr;
  EXPECT_EQ(parsed(answer_body(r)), (json{{"totals",
                                           {{"episodes", 0},
                                            {"episodes_with_green", 0},
                                            {"total_duration_seconds", 0.0},
                                            {"mean_duration_seconds", 0.0},
                                            {"max_duration_seconds", 0.0},
                                            {"mean_time_to_green_seconds", nullptr},
                                            {"max_time_to_green_seconds", nullptr},
                                            {"overrides", 0}}},
                                          {"per_intersection", json::array({group})},
                                          {"episodes", json::array({episode, never_json})},
                                          {"episodes_truncated", true}}));
}

TEST(ReportJson, EncodesATimeSeries) {
  metrics::time_series s;
  s.simulation_id = "SIM_1";
  s.metric = metrics::series_metric::throughput;
  s.bucket_seconds = 300;
  s.intersection_id = "INT_1";
  s.points = {{at("2025-09-10T07:05:00Z"), 3, 0.5, 0.25, 0.75}};
  s.truncated = true;
  EXPECT_EQ(parsed(answer_body(s)), (json{{"simulation_id", "SIM_1"},
                                          {"metric", "throughput"},
                                          {"bucket_seconds", 300},
                                          {"intersection_id", "INT_1"},
                                          {"points",
                                           {{{"timestamp", "2025-09-10T07:05:00Z"},
                                             {"count", 3},
                                             {"mean", 0.5},
                                             {"min", 0.25},
                                             {"max", 0.75}}}},
                                          {"truncated", true}}));
  s.intersection_id.reset();
  EXPECT_TRUE(parsed(answer_body(s))["intersection_id"].is_null());
}

TEST(ReportJson, EncodesTheTrendChart) {
  metrics::trend_chart c;
  c.bucket_seconds = 60;
  c.labels = {at("2025-09-10T07:00:00Z"), at("2025-09-10T07:01:00Z")};
  c.datasets = {{"SIM_A", {12.5, std::nullopt}}, {"SIM_B", {std::nullopt, 8.0}}};
  EXPECT_EQ(parsed(answer_body(c)),
            (json{{"bucket_seconds", 60},
                  {"labels", {"2025-09-10T07:00:00Z", "2025-09-10T07:01:00Z"}},
                  {"datasets",
                   {{{"label", "SIM_A"}, {"data", {12.5, nullptr}}},
                    {{"label", "SIM_B"}, {"data", {nullptr, 8.0}}}}},
                  {"truncated", false}}));
}

TEST(ReportJson, EncodesTheScatter) {
  metrics::scatter_chart c;
  c.by = metrics::scatter_level::intersection;
  c.points = {{12.5, 0.75, "SIM_1/INT_1", metrics::run_mode::baseline, "SIM_1", "INT_1", 9},
              {3, 1, "SIM_2/INT_1", std::nullopt, "SIM_2", "INT_1", 1}};
  EXPECT_EQ(parsed(answer_body(c)),
            (json{{"by", "intersection"},
                  {"points",
                   {{{"x", 12.5},
                     {"y", 0.75},
                     {"label", "SIM_1/INT_1"},
                     {"mode", "baseline"},
                     {"simulation_id", "SIM_1"},
                     {"intersection_id", "INT_1"},
                     {"snapshots", 9}},
                    {{"x", 3.0},
                     {"y", 1.0},
                     {"label", "SIM_2/INT_1"},
                     {"mode", nullptr},
                     {"simulation_id", "SIM_2"},
                     {"intersection_id", "INT_1"},
                     {"snapshots", 1}}}},
                  {"axes", {{"x", "mean wait time (s)"}, {"y", "mean throughput"}}}}));
  c.by = metrics::scatter_level::simulation;
  c.points[0].intersection_id.reset();
  auto doc = parsed(answer_body(c));
  EXPECT_EQ(doc["by"], "simulation");
  EXPECT_TRUE(doc["points"][0]["intersection_id"].is_null());
}

TEST(ReportJson, EncodesAComparison) {
  EXPECT_EQ(parsed(answer_body(sample_comparison())), sample_comparison_json);
  auto by_ids = sample_comparison();
  by_ids.scenario.reset();
  EXPECT_TRUE(parsed(answer_body(by_ids))["scenario"].is_null());
}

TEST(ReportJson, EncodesTheDashboard) {
  metrics::performance_dashboard d;
  d.block_seconds = 600;
  d.scenarios = {sample_comparison()};
  EXPECT_EQ(parsed(answer_body(d)), (json{{"block_seconds", 600},
                                          {"scenarios", json::array({sample_comparison_json})},
                                          {"overall", nullptr}}));
  d.overall = sample_comparison();
  EXPECT_EQ(parsed(answer_body(d))["overall"], sample_comparison_json);
}

TEST(ReportJson, EncodesRuns) {
  metrics::simulation_info info{"SIM_1",
                                metrics::run_mode::baseline,
                                std::string{"rush"},
                                at("2025-09-10T07:00:00Z"),
                                at("2025-09-10T08:00:00Z"),
                                720,
                                at("2025-09-11T10:00:00Z"),
                                at("2025-09-11T10:05:00Z")};
  const json info_json{{"simulation_id", "SIM_1"},
                       {"mode", "baseline"},
                       {"scenario", "rush"},
                       {"first_timestamp", "2025-09-10T07:00:00Z"},
                       {"last_timestamp", "2025-09-10T08:00:00Z"},
                       {"snapshots", 720},
                       {"first_seen", "2025-09-11T10:00:00Z"},
                       {"last_seen", "2025-09-11T10:05:00Z"}};
  EXPECT_EQ(parsed(traffic::http::simulation_info_body(info)), info_json);
  metrics::simulation_list list{{info}, true};
  EXPECT_EQ(parsed(answer_body(list)),
            (json{{"simulations", json::array({info_json})}, {"truncated", true}}));
  info.mode.reset();
  info.scenario.reset();
  auto doc = parsed(traffic::http::simulation_info_body(info));
  EXPECT_TRUE(doc["mode"].is_null());
  EXPECT_TRUE(doc["scenario"].is_null());
}

TEST(ReportJson, EncodesLiveMetrics) {
  actors::live_metrics live;
  actors::live_simulation running;
  running.live = {"SIM_1",
                  metrics::run_mode::ai,
                  std::string{"rush"},
                  50,
                  2,
                  at("2025-09-10T07:00:00Z"),
                  60,
                  12.5,
                  30.0,
                  0.5,
                  20};
  running.ingest_rate = 2.5;
  running.ms_since_last_commit = 1500;
  running.active = true;
  actors::live_simulation fresh; // an actor that has not seen a snapshot yet
  fresh.live.simulation_id = "SIM_2";
  live.simulations = {running, fresh};
  live.active_simulations = 1;
  live.global_ingest_rate = 2.5;
  live.snapshots_committed = 50;
  auto doc = parsed(traffic::http::live_metrics_body(live));
  EXPECT_EQ(doc["simulations"][0], (json{{"simulation_id", "SIM_1"},
                                         {"mode", "ai"},
                                         {"scenario", "rush"},
                                         {"active", true},
                                         {"latest_timestamp", "2025-09-10T07:00:00Z"},
                                         {"intersections", 2},
                                         {"snapshots_committed", 50},
                                         {"ingest_rate", 2.5},
                                         {"seconds_since_last_commit", 1.5},
                                         {"rolling",
                                          {{"window_seconds", 60},
                                           {"samples", 20},
                                           {"mean_wait_time", 12.5},
                                           {"mean_speed", 30.0},
                                           {"mean_throughput", 0.5}}}}));
  EXPECT_TRUE(doc["simulations"][1]["latest_timestamp"].is_null());
  EXPECT_TRUE(doc["simulations"][1]["mode"].is_null());
  EXPECT_EQ(doc["simulations"][1]["active"], false);
  doc.erase("simulations");
  EXPECT_EQ(doc, (json{{"active_simulations", 1},
                       {"global_ingest_rate", 2.5},
                       {"snapshots_committed", 50},
                       {"rate_window_seconds", 10},
                       {"active_window_seconds", 60}}));
}

TEST(ReportJson, EncodesWhatAClearRemoved) {
  actors::cache_cleared cleared{7, 4096};
  EXPECT_EQ(parsed(traffic::http::cache_cleared_body(cleared, std::string{"SIM_1"})),
            (json{{"cleared", {{"entries", 7}, {"bytes", 4096}}}, {"simulation_id", "SIM_1"}}));
  EXPECT_EQ(parsed(traffic::http::cache_cleared_body(cleared, std::nullopt)),
            (json{{"cleared", {{"entries", 7}, {"bytes", 4096}}}, {"simulation_id", nullptr}}));
}

TEST(ReportJson, AddsTheCacheToSystemInfo) {
  actors::system_stats stats;
  stats.cache = {12, 2048, 1 << 20, 30000, 3, 1, 4, 5, 6, 2};
  auto doc = parsed(traffic::http::system_info_body(stats, {}));
  EXPECT_EQ(doc["cache"], (json{{"entries", 12},
                                {"bytes", 2048},
                                {"capacity_bytes", 1 << 20},
                                {"ttl_ms", 30000},
                                {"hits", 3},
                                {"misses", 1},
                                {"hit_ratio", 0.75},
                                {"evictions", 4},
                                {"expirations", 5},
                                {"invalidations", 6},
                                {"in_flight", 2}}));
  EXPECT_TRUE(doc.contains("writer_queue"));
  stats.cache = {};
  EXPECT_EQ(parsed(traffic::http::system_info_body(stats, {}))["cache"]["hit_ratio"], 0.0);
}

TEST(ReportJson, WritesNonFiniteNumbersAsNull) {
  auto s = sample_summary();
  s.mean_wait = not_a_number;
  s.mean_speed = infinity;
  s.directions[0].green_time_share = -infinity;
  auto body = traffic::http::summary_body(s);
  EXPECT_EQ(body.find("nan"), std::string::npos);
  EXPECT_EQ(body.find("inf"), std::string::npos);
  auto doc = parsed(body);
  EXPECT_TRUE(doc["mean_wait_time"].is_null());
  EXPECT_TRUE(doc["mean_speed"].is_null());
  EXPECT_TRUE(doc["directions"][0]["green_time_share"].is_null());

  metrics::trend_chart c;
  c.datasets = {{"SIM_A", {not_a_number, 1.0}}};
  EXPECT_EQ(parsed(answer_body(c))["datasets"][0]["data"], (json{nullptr, 1.0}));

  metrics::distribution_report r;
  r.figure = "wait_time";
  r.overall.p95 = not_a_number;
  EXPECT_TRUE(parsed(answer_body(r))["overall"]["p95"].is_null());

  actors::live_metrics live;
  live.global_ingest_rate = infinity;
  EXPECT_TRUE(parsed(traffic::http::live_metrics_body(live))["global_ingest_rate"].is_null());
}
