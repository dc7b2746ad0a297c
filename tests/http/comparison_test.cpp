// End-to-end tests of baseline versus AI and the performance dashboard over HTTP, against the
// statistics tests/fixtures/expected_stats.py prints.
#include <cstdint>
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
using traffic::tests::expect_near;
using traffic::tests::json;

using ComparisonHttp = analytics_suite;

const std::string comparison_path = "/api/v1/analytics/comparison/baseline-vs-ai";
const std::string dashboard_path = "/api/v1/dashboard/performance-comparison";

/// p-values and confidence limits come from two numerical methods (incomplete beta in the
/// server, an integrated density in expected_stats.py): compare within this.
constexpr double numeric = 1e-8;

/// One figure of a comparison as expected_stats.py prints it.
struct expected_figure {
  std::string figure;
  bool lower_is_better;
  std::int64_t baseline_blocks, ai_blocks;
  double baseline_mean, ai_mean, difference, percent_change;
  double ci_low, ci_high, p_value, t, df;
  bool ai_better;
};

void expect_figure(const json& m, const expected_figure& e) {
  SCOPED_TRACE(e.figure + " " + m.dump());
  expect_keys(m,
              {"figure", "better_when", "baseline_mean", "ai_mean", "difference", "percent_change",
               "ci95", "p_value", "t_statistic", "degrees_of_freedom", "baseline_blocks",
               "ai_blocks", "ai_better"},
              "metric");
  EXPECT_EQ(m["figure"], e.figure);
  EXPECT_EQ(m["better_when"], e.lower_is_better ? "lower" : "higher");
  expect_count(m["baseline_blocks"], e.baseline_blocks, "baseline_blocks");
  expect_count(m["ai_blocks"], e.ai_blocks, "ai_blocks");
  expect_close(m["baseline_mean"], e.baseline_mean, "baseline_mean");
  expect_close(m["ai_mean"], e.ai_mean, "ai_mean");
  expect_close(m["difference"], e.difference, "difference");
  // expected_stats.py prints 15 significant digits.
  expect_near(m["percent_change"], e.percent_change, 1e-11, "percent_change");
  ASSERT_TRUE(m["ci95"].is_array() && m["ci95"].size() == 2u) << m["ci95"].dump();
  expect_near(m["ci95"][0], e.ci_low, numeric, "ci95 low");
  expect_near(m["ci95"][1], e.ci_high, numeric, "ci95 high");
  expect_near(m["p_value"], e.p_value, numeric, "p_value");
  expect_near(m["t_statistic"], e.t, 1e-11, "t_statistic");
  expect_near(m["degrees_of_freedom"], e.df, 1e-11, "degrees_of_freedom");
  EXPECT_EQ(m["ai_better"], e.ai_better);
}

/// Checks the envelope of a comparison: scenario, block width, both sides.
void expect_sides(const json& r, const json& scenario, std::int64_t block_seconds,
                  const std::vector<std::string>& baseline, std::int64_t baseline_snapshots,
                  const std::vector<std::string>& ai, std::int64_t ai_snapshots) {
  expect_keys(r, {"scenario", "block_seconds", "baseline", "ai", "metrics", "method"},
              "comparison");
  EXPECT_EQ(r["scenario"], scenario);
  expect_count(r["block_seconds"], block_seconds, "block_seconds");
  EXPECT_EQ(r["baseline"], (json{{"runs", baseline}, {"snapshots", baseline_snapshots}}));
  EXPECT_EQ(r["ai"], (json{{"runs", ai}, {"snapshots", ai_snapshots}}));
  EXPECT_EQ(r["method"], "Welch's t-test on per-intersection block means");
  EXPECT_TRUE(r["metrics"].is_array());
}

/// Scenario "rush": RUSH_AI waits 20 s less and drives 10 km/h faster in every block.
void expect_rush_metrics(const json& metrics) {
  ASSERT_EQ(metrics.size(), 4u) << metrics.dump();
  expect_figure(metrics[0],
                {"wait_time", true, 4, 4, 49.5, 29.5, -20, -40.4040404040404, -31.1685734758234,
                 -8.83142652417658, 0.00465921494400012, -4.38178046004133, 6, true});
  expect_figure(metrics[1], {"speed", false, 4, 4, 27, 37, 10, 37.037037037037, 2.9363739202909,
                             17.0636260797091, 0.0133999647123293, 3.46410161513775, 6, true});
  expect_figure(metrics[2], {"throughput", false, 4, 4, 1.0625, 1.5625, 0.5, 47.0588235294118,
                             -0.124342237591057, 1.12434223759106, 0.097750452955863,
                             1.95959179422654, 6, false});
  expect_figure(metrics[3],
                {"vehicles_passed", false, 4, 4, 24, 34, 10, 41.6666666666667, -4.12725215941821,
                 24.1272521594182, 0.133974596215562, 1.73205080756888, 6, false});
}

/// Scenario "night": NIGHT_AI (with its gap) is 1 s better on paper, nowhere near significant.
void expect_night_metrics(const json& metrics) {
  ASSERT_EQ(metrics.size(), 4u) << metrics.dump();
  expect_figure(metrics[0], {"wait_time", true, 4, 4, 39.5, 38.375, -1.125, -2.84810126582278,
                             -12.3762164266073, 10.1262164266073, 0.814860897703923,
                             -0.244677261522167, 5.99873256580117, false});
  expect_figure(metrics[1], {"speed", false, 4, 4, 47, 46.875, -0.125, -0.265957446808511,
                             -7.40987232169975, 7.15987232169975, 0.967850086532519,
                             -0.0420207633869371, 5.97969687909344, false});
  expect_figure(metrics[2], {"throughput", false, 4, 4, 0.8125, 0.796875, -0.015625,
                             -1.92307692307692, -0.695644985877595, 0.664394985877595,
                             0.956799202423433, -0.0565233418944222, 5.87134229037048, false});
  expect_figure(metrics[3], {"vehicles_passed", false, 4, 4, 19, 18.75, -0.25, -1.31578947368421,
                             -14.8197446433995, 14.3197446433995, 0.967850086532519,
                             -0.0420207633869371, 5.97969687909344, false});
}

void expect_rush(const json& r, const json& scenario) {
  expect_sides(r, scenario, 300, {"RUSH_BASE"}, 20, {"RUSH_AI"}, 20);
  expect_rush_metrics(r["metrics"]);
}

void expect_night(const json& r) {
  expect_sides(r, "night", 300, {"NIGHT_BASE"}, 20, {"NIGHT_AI"}, 17);
  expect_night_metrics(r["metrics"]);
}

TEST_F(ComparisonHttp, FindsAiSignificantlyBetterInRushHour) {
  expect_rush(get_ok(comparison_path + "?scenario=rush"), "rush");
  // 300 s blocks are the default.
  expect_rush(get_ok(comparison_path + "?scenario=rush&block=5m"), "rush");
}

TEST_F(ComparisonHttp, FindsNoSignificantDifferenceAtNight) {
  expect_night(get_ok(comparison_path + "?scenario=night"));
}

TEST_F(ComparisonHttp, TakesTheSidesFromTheRequestWhenComparingByIds) {
  // In the stored order the ids give the scenario's numbers, without a scenario.
  expect_rush(get_ok(comparison_path + "?baseline=RUSH_BASE&ai=RUSH_AI"), nullptr);

  // Swapped: the stored modes do not matter, and now "AI" is worse everywhere.
  const auto r = get_ok(comparison_path + "?ai=RUSH_BASE&baseline=RUSH_AI");
  expect_sides(r, nullptr, 300, {"RUSH_AI"}, 20, {"RUSH_BASE"}, 20);
  const auto& m = r["metrics"];
  ASSERT_EQ(m.size(), 4u) << r.dump();
  expect_figure(m[0], {"wait_time", true, 4, 4, 29.5, 49.5, 20, 67.7966101694915, 8.83142652417658,
                       31.1685734758234, 0.00465921494400012, 4.38178046004133, 6, false});
  expect_figure(m[1], {"speed", false, 4, 4, 37, 27, -10, -27.027027027027, -17.0636260797091,
                       -2.9363739202909, 0.0133999647123293, -3.46410161513775, 6, false});
  expect_figure(m[2], {"throughput", false, 4, 4, 1.5625, 1.0625, -0.5, -32, -1.12434223759106,
                       0.124342237591057, 0.097750452955863, -1.95959179422654, 6, false});
  expect_figure(m[3],
                {"vehicles_passed", false, 4, 4, 34, 24, -10, -29.4117647058824, -24.1272521594182,
                 4.12725215941821, 0.133974596215562, -1.73205080756888, 6, false});
}

TEST_F(ComparisonHttp, UsesTheRequestedBlockWidth) {
  // 60 s blocks hold one snapshot each: 20 blocks a side.
  const auto r = get_ok(comparison_path + "?baseline=RUSH_BASE&ai=RUSH_AI&block=1m");
  expect_sides(r, nullptr, 60, {"RUSH_BASE"}, 20, {"RUSH_AI"}, 20);
  const auto& m = r["metrics"];
  ASSERT_EQ(m.size(), 4u) << r.dump();
  expect_figure(m[0],
                {"wait_time", true, 20, 20, 49.5, 29.5, -20, -40.4040404040404, -23.7872946885715,
                 -16.2127053114285, 5.12923037376822e-13, -10.690449676497, 38, true});
  expect_figure(m[1], {"speed", false, 20, 20, 27, 37, 10, 37.037037037037, 7.49897936417596,
                       12.501020635824, 8.57172111068394e-10, 8.09427213400379, 38, true});
  expect_figure(m[2], {"throughput", false, 20, 20, 1.0625, 1.5625, 0.5, 47.0588235294118,
                       0.264185632846105, 0.735814367153895, 0.000117521744647409, 4.29234695990928,
                       38, true});
  expect_figure(m[3],
                {"vehicles_passed", false, 20, 20, 24, 34, 10, 41.6666666666667, 4.99795872835192,
                 15.0020412716481, 0.000245470780751322, 4.0471360670019, 38, true});
}

TEST_F(ComparisonHttp, ComparesARunWithoutModeByIds) {
  // UNTAGGED's blocks: 52, 57, 62, 67 (mean 59.5).
  const auto r = get_ok(comparison_path + "?baseline=UNTAGGED&ai=RUSH_AI");
  expect_sides(r, nullptr, 300, {"UNTAGGED"}, 20, {"RUSH_AI"}, 20);
  ASSERT_EQ(r["metrics"].size(), 4u) << r.dump();
  const auto& wait = r["metrics"][0];
  EXPECT_EQ(wait["figure"], "wait_time");
  expect_count(wait["baseline_blocks"], 4, "baseline_blocks");
  expect_close(wait["baseline_mean"], 59.5, "baseline_mean");
  expect_close(wait["ai_mean"], 29.5, "ai_mean");
  expect_close(wait["difference"], -30, "difference");
  EXPECT_EQ(wait["ai_better"], true);
}

TEST_F(ComparisonHttp, ComparesNothingForAScenarioWithoutRuns) {
  const auto r = get_ok(comparison_path + "?scenario=no_such_scenario");
  expect_sides(r, "no_such_scenario", 300, {}, 0, {}, 0);
  ASSERT_EQ(r["metrics"].size(), 4u) << r.dump();
  for (const auto& m : r["metrics"]) {
    SCOPED_TRACE(m.dump());
    expect_count(m["baseline_blocks"], 0, "baseline_blocks");
    expect_count(m["ai_blocks"], 0, "ai_blocks");
    EXPECT_TRUE(m["p_value"].is_null());
    EXPECT_TRUE(m["ci95"].is_null());
    EXPECT_EQ(m["ai_better"], false);
  }
}

// ---- dashboard -----------------------------------------------------------------------------

/// Checks the dashboard of the whole data set: a card for night and rush, and the overall one.
void expect_full_dashboard(const json& d) {
  expect_keys(d, {"block_seconds", "scenarios", "overall"}, "dashboard");
  expect_count(d["block_seconds"], 300, "block_seconds");
  ASSERT_EQ(d["scenarios"].size(), 2u) << d.dump();
  expect_night(d["scenarios"][0]);
  expect_rush(d["scenarios"][1], "rush");

  const auto& all = d["overall"];
  expect_sides(all, nullptr, 300, {"NIGHT_BASE", "RUSH_BASE"}, 40, {"NIGHT_AI", "RUSH_AI"}, 37);
  const auto& m = all["metrics"];
  ASSERT_EQ(m.size(), 4u) << all.dump();
  expect_figure(m[0], {"wait_time", true, 8, 8, 44.5, 33.9375, -10.5625, -23.7359550561798,
                       -18.9750848150376, -2.14991518496241, 0.0175050654019135, -2.69341948255689,
                       13.971668802244, true});
  expect_figure(m[1],
                {"speed", false, 8, 8, 37, 41.9375, 4.9375, 13.3445945945946, -5.23261021168388,
                 15.1076102116839, 0.308802828171022, 1.06608067490747, 11.2136319698858, false});
  expect_figure(m[2], {"throughput", false, 8, 8, 0.9375, 1.1796875, 0.2421875, 25.8333333333333,
                       -0.261228856072744, 0.745603856072744, 0.315485651649396, 1.04713681891261,
                       12.1109031446578, false});
  expect_figure(m[3], {"vehicles_passed", false, 8, 8, 21.5, 26.375, 4.875, 22.6744186046512,
                       -5.72320729196682, 15.4732072919668, 0.337641739074496, 0.996635818892528,
                       12.6379115697083, false});
}

TEST_F(ComparisonHttp, BuildsOneDashboardCardPerScenarioAndOneOverAll) {
  expect_full_dashboard(get_ok(dashboard_path));
  expect_full_dashboard(get_ok(dashboard_path + "?block=300s"));
}

TEST_F(ComparisonHttp, BuildsTheDashboardWithTheRequestedBlockWidth) {
  // 60 s blocks: the rush card is the by-ids comparison with 60 s blocks.
  const auto d = get_ok(dashboard_path + "?block=1m");
  expect_count(d["block_seconds"], 60, "block_seconds");
  ASSERT_EQ(d["scenarios"].size(), 2u) << d.dump();
  const auto& rush = d["scenarios"][1];
  expect_sides(rush, "rush", 60, {"RUSH_BASE"}, 20, {"RUSH_AI"}, 20);
  ASSERT_EQ(rush["metrics"].size(), 4u);
  expect_figure(rush["metrics"][0],
                {"wait_time", true, 20, 20, 49.5, 29.5, -20, -40.4040404040404, -23.7872946885715,
                 -16.2127053114285, 5.12923037376822e-13, -10.690449676497, 38, true});
}

/// A fresh server and data set per test, for tests that change how runs are tagged.
class DashboardRetagHttp : public analytics_suite {
 public:
  // Hide the suite-level set-up: each test loads its own.
  static void SetUpTestSuite() {}
  static void TearDownTestSuite() {}

 protected:
  void SetUp() override {
    analytics_suite::SetUpTestSuite();
    analytics_suite::SetUp();
  }

  void TearDown() override { analytics_suite::TearDownTestSuite(); }

  static void put_simulation(const std::string& id, const std::string& body) {
    auto r = client()->request("PUT", "/api/v1/simulations/" + id, body, "application/json", {});
    ASSERT_EQ(r.status, 200u) << r.body;
  }
};

TEST_F(DashboardRetagHttp, LeavesOutAScenarioWithOneSideOnly) {
  expect_full_dashboard(get_ok(dashboard_path));
  // NIGHT_AI retagged as baseline: night has no AI run left; the overall card is rush's.
  put_simulation("NIGHT_AI", R"({"mode":"baseline"})");
  const auto d = get_ok(dashboard_path);
  ASSERT_EQ(d["scenarios"].size(), 1u) << d.dump();
  expect_rush(d["scenarios"][0], "rush");
  expect_sides(d["overall"], nullptr, 300, {"RUSH_BASE"}, 20, {"RUSH_AI"}, 20);
  expect_rush_metrics(d["overall"]["metrics"]);

  const auto night = get_ok(comparison_path + "?scenario=night");
  expect_sides(night, "night", 300, {"NIGHT_AI", "NIGHT_BASE"}, 37, {}, 0);
}

TEST_F(DashboardRetagHttp, BuildsNoCardWithoutAnyTaggedPair) {
  put_simulation("RUSH_AI", R"({"scenario":null})");
  put_simulation("NIGHT_AI", R"({"scenario":null})");
  const auto d = get_ok(dashboard_path);
  EXPECT_EQ(d["scenarios"], json::array());
  EXPECT_TRUE(d["overall"].is_null());
}

} // namespace
