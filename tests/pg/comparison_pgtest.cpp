// Baseline versus AI and the dashboard, against tests/fixtures/expected_stats.py.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/pg/analytics_fixture.hpp"

namespace {

using traffic::metrics::analytics_query;
using traffic::metrics::comparison_report;
using traffic::metrics::metric_comparison;
using traffic::metrics::performance_dashboard;
using traffic::metrics::query_kind;
using traffic::metrics::run_mode;
using traffic::storage::storage_status;
using traffic::tests::AnalyticsData;
using traffic::tests::query_of;

using Comparison = AnalyticsData;

/// Means and differences are exact up to rounding; the test statistics come from two different
/// numerical methods (incomplete beta in C++, integrated density in Python).
constexpr double exact = 1e-9;
constexpr double numeric = 1e-8;

struct expected_figure {
  std::string figure;
  bool lower_is_better;
  std::int64_t baseline_blocks, ai_blocks;
  double baseline_mean, ai_mean, difference;
  std::optional<double> percent_change;
  double ci_low, ci_high, p_value, t, df;
  bool ai_better;
};

void expect_figure(const metric_comparison& m, const expected_figure& e) {
  SCOPED_TRACE(e.figure);
  EXPECT_EQ(m.figure, e.figure);
  EXPECT_EQ(m.lower_is_better, e.lower_is_better);
  EXPECT_EQ(m.baseline_blocks, e.baseline_blocks);
  EXPECT_EQ(m.ai_blocks, e.ai_blocks);
  EXPECT_NEAR(m.baseline_mean, e.baseline_mean, exact);
  EXPECT_NEAR(m.ai_mean, e.ai_mean, exact);
  EXPECT_NEAR(m.difference, e.difference, exact);
  ASSERT_EQ(m.percent_change.has_value(), e.percent_change.has_value());
  if (e.percent_change) {
    EXPECT_NEAR(*m.percent_change, *e.percent_change, exact);
  }
  ASSERT_TRUE(m.ci_low && m.ci_high && m.p_value && m.t_statistic && m.degrees_of_freedom);
  EXPECT_NEAR(*m.ci_low, e.ci_low, numeric);
  EXPECT_NEAR(*m.ci_high, e.ci_high, numeric);
  EXPECT_NEAR(*m.p_value, e.p_value, numeric);
  EXPECT_NEAR(*m.t_statistic, e.t, exact);
  EXPECT_NEAR(*m.degrees_of_freedom, e.df, exact);
  EXPECT_EQ(m.ai_better, e.ai_better);
}

/// Scenario "rush": RUSH_AI waits 20 s less and drives 10 km/h faster in every block.
void expect_rush(const comparison_report& r) {
  EXPECT_EQ(r.baseline_runs, std::vector<std::string>{"RUSH_BASE"});
  EXPECT_EQ(r.ai_runs, std::vector<std::string>{"RUSH_AI"});
  EXPECT_EQ(r.block_seconds, 300);
  EXPECT_EQ(r.baseline_snapshots, 20);
  EXPECT_EQ(r.ai_snapshots, 20);
  ASSERT_EQ(r.metrics.size(), 4u);
  expect_figure(r.metrics[0],
                {"wait_time", true, 4, 4, 49.5, 29.5, -20, -40.4040404040404, -31.1685734758234,
                 -8.83142652417658, 0.00465921494400012, -4.38178046004133, 6, true});
  expect_figure(r.metrics[1], {"speed", false, 4, 4, 27, 37, 10, 37.037037037037, 2.9363739202909,
                               17.0636260797091, 0.0133999647123293, 3.46410161513775, 6, true});
  expect_figure(r.metrics[2], {"throughput", false, 4, 4, 1.0625, 1.5625, 0.5, 47.0588235294118,
                               -0.124342237591057, 1.12434223759106, 0.097750452955863,
                               1.95959179422654, 6, false});
  expect_figure(r.metrics[3],
                {"vehicles_passed", false, 4, 4, 24, 34, 10, 41.6666666666667, -4.12725215941821,
                 24.1272521594182, 0.133974596215562, 1.73205080756888, 6, false});
}

/// Scenario "night": NIGHT_AI is 1 s better on paper, nowhere near significant.
void expect_night(const comparison_report& r) {
  EXPECT_EQ(r.baseline_runs, std::vector<std::string>{"NIGHT_BASE"});
  EXPECT_EQ(r.ai_runs, std::vector<std::string>{"NIGHT_AI"});
  EXPECT_EQ(r.baseline_snapshots, 20);
  EXPECT_EQ(r.ai_snapshots, 17);
  ASSERT_EQ(r.metrics.size(), 4u);
  expect_figure(r.metrics[0], {"wait_time", true, 4, 4, 39.5, 38.375, -1.125, -2.84810126582278,
                               -12.3762164266073, 10.1262164266073, 0.814860897703923,
                               -0.244677261522167, 5.99873256580117, false});
  expect_figure(r.metrics[1], {"speed", false, 4, 4, 47, 46.875, -0.125, -0.265957446808511,
                               -7.40987232169975, 7.15987232169975, 0.967850086532519,
                               -0.0420207633869371, 5.97969687909344, false});
  expect_figure(r.metrics[2], {"throughput", false, 4, 4, 0.8125, 0.796875, -0.015625,
                               -1.92307692307692, -0.695644985877595, 0.664394985877595,
                               0.956799202423433, -0.0565233418944222, 5.87134229037048, false});
  expect_figure(r.metrics[3], {"vehicles_passed", false, 4, 4, 19, 18.75, -0.25, -1.31578947368421,
                               -14.8197446433995, 14.3197446433995, 0.967850086532519,
                               -0.0420207633869371, 5.97969687909344, false});
}

analytics_query by_scenario(const std::string& scenario) {
  auto q = query_of(query_kind::comparison);
  q.scenario = scenario;
  return q;
}

analytics_query by_ids(const std::string& baseline, const std::string& ai) {
  auto q = query_of(query_kind::comparison);
  q.baseline = baseline;
  q.ai = ai;
  return q;
}

TEST_F(Comparison, FindsAiSignificantlyBetterInRushHour) {
  const auto r = ask<comparison_report>(by_scenario("rush"));
  EXPECT_EQ(r.scenario, "rush");
  expect_rush(r);
}

TEST_F(Comparison, FindsNoSignificantDifferenceAtNight) {
  const auto r = ask<comparison_report>(by_scenario("night"));
  EXPECT_EQ(r.scenario, "night");
  expect_night(r);
}

TEST_F(Comparison, TakesTheSidesFromTheRequestWhenComparingByIds) {
  // The runs swapped: the stored modes do not matter, and now "AI" is worse.
  const auto r = ask<comparison_report>(by_ids("RUSH_AI", "RUSH_BASE"));
  EXPECT_FALSE(r.scenario.has_value());
  EXPECT_EQ(r.baseline_runs, std::vector<std::string>{"RUSH_AI"});
  EXPECT_EQ(r.ai_runs, std::vector<std::string>{"RUSH_BASE"});
  ASSERT_EQ(r.metrics.size(), 4u);
  expect_figure(r.metrics[0],
                {"wait_time", true, 4, 4, 29.5, 49.5, 20, 67.7966101694915, 8.83142652417658,
                 31.1685734758234, 0.00465921494400012, 4.38178046004133, 6, false});
  expect_figure(r.metrics[1],
                {"speed", false, 4, 4, 37, 27, -10, -27.027027027027, -17.0636260797091,
                 -2.9363739202909, 0.0133999647123293, -3.46410161513775, 6, false});
  expect_figure(r.metrics[2],
                {"throughput", false, 4, 4, 1.5625, 1.0625, -0.5, -32, -1.12434223759106,
                 0.124342237591057, 0.097750452955863, -1.95959179422654, 6, false});
  expect_figure(r.metrics[3],
                {"vehicles_passed", false, 4, 4, 34, 24, -10, -29.4117647058824, -24.1272521594182,
                 4.12725215941821, 0.133974596215562, -1.73205080756888, 6, false});

  // In the stored order the ids give the scenario's numbers.
  expect_rush(ask<comparison_report>(by_ids("RUSH_BASE", "RUSH_AI")));
}

TEST_F(Comparison, UsesTheRequestedBlockWidth) {
  // 60 s blocks hold one snapshot each: 20 blocks a side.
  auto q = by_ids("RUSH_BASE", "RUSH_AI");
  q.block_seconds = 60;
  const auto r = ask<comparison_report>(q);
  EXPECT_EQ(r.block_seconds, 60);
  ASSERT_EQ(r.metrics.size(), 4u);
  expect_figure(r.metrics[0],
                {"wait_time", true, 20, 20, 49.5, 29.5, -20, -40.4040404040404, -23.7872946885715,
                 -16.2127053114285, 5.12923037376822e-13, -10.690449676497, 38, true});
  expect_figure(r.metrics[3],
                {"vehicles_passed", false, 20, 20, 24, 34, 10, 41.6666666666667, 4.99795872835192,
                 15.0020412716481, 0.000245470780751322, 4.0471360670019, 38, true});
}

TEST_F(Comparison, ComparesARunWithoutModeByIds) {
  const auto r = ask<comparison_report>(by_ids("UNTAGGED", "RUSH_AI"));
  ASSERT_EQ(r.metrics.size(), 4u);
  EXPECT_EQ(r.metrics[0].baseline_blocks, 4);
  EXPECT_NEAR(r.metrics[0].baseline_mean, 59.5, exact);
  EXPECT_NEAR(r.metrics[0].difference, -30, exact);
  EXPECT_TRUE(r.metrics[0].ai_better);
}

TEST_F(Comparison, ReportsUnknownComparedRunsAsNotFound) {
  EXPECT_EQ(status_of(by_ids("NO_SUCH_SIM", "RUSH_AI")), storage_status::not_found);
  EXPECT_EQ(status_of(by_ids("RUSH_BASE", "NO_SUCH_SIM")), storage_status::not_found);
  EXPECT_EQ(status_of(query_of(query_kind::comparison)), storage_status::failed);
}

TEST_F(Comparison, ComparesNothingForAScenarioWithoutRuns) {
  const auto r = ask<comparison_report>(by_scenario("no_such_scenario"));
  EXPECT_EQ(r.scenario, "no_such_scenario");
  EXPECT_TRUE(r.baseline_runs.empty());
  EXPECT_TRUE(r.ai_runs.empty());
  EXPECT_EQ(r.baseline_snapshots, 0);
  EXPECT_EQ(r.ai_snapshots, 0);
  for (const auto& m : r.metrics) {
    EXPECT_EQ(m.baseline_blocks, 0);
    EXPECT_FALSE(m.p_value.has_value());
    EXPECT_FALSE(m.ai_better);
  }
}

// ---- dashboard -----------------------------------------------------------------------------

TEST_F(Comparison, BuildsOneCardPerScenarioAndOneOverAll) {
  const auto d = ask<performance_dashboard>(query_of(query_kind::performance_dashboard));
  EXPECT_EQ(d.block_seconds, 300);
  ASSERT_EQ(d.scenarios.size(), 2u);
  EXPECT_EQ(d.scenarios[0].scenario, "night");
  expect_night(d.scenarios[0]);
  EXPECT_EQ(d.scenarios[1].scenario, "rush");
  expect_rush(d.scenarios[1]);

  ASSERT_TRUE(d.overall.has_value());
  const auto& all = *d.overall;
  EXPECT_EQ(all.baseline_runs, (std::vector<std::string>{"NIGHT_BASE", "RUSH_BASE"}));
  EXPECT_EQ(all.ai_runs, (std::vector<std::string>{"NIGHT_AI", "RUSH_AI"}));
  EXPECT_EQ(all.baseline_snapshots, 40);
  EXPECT_EQ(all.ai_snapshots, 37);
  ASSERT_EQ(all.metrics.size(), 4u);
  expect_figure(all.metrics[0], {"wait_time", true, 8, 8, 44.5, 33.9375, -10.5625,
                                 -23.7359550561798, -18.9750848150376, -2.14991518496241,
                                 0.0175050654019135, -2.69341948255689, 13.971668802244, true});
  expect_figure(all.metrics[1],
                {"speed", false, 8, 8, 37, 41.9375, 4.9375, 13.3445945945946, -5.23261021168388,
                 15.1076102116839, 0.308802828171022, 1.06608067490747, 11.2136319698858, false});
  expect_figure(all.metrics[2], {"throughput", false, 8, 8, 0.9375, 1.1796875, 0.2421875,
                                 25.8333333333333, -0.261228856072744, 0.745603856072744,
                                 0.315485651649396, 1.04713681891261, 12.1109031446578, false});
  expect_figure(all.metrics[3], {"vehicles_passed", false, 8, 8, 21.5, 26.375, 4.875,
                                 22.6744186046512, -5.72320729196682, 15.4732072919668,
                                 0.337641739074496, 0.996635818892528, 12.6379115697083, false});
}

TEST_F(Comparison, LeavesOutAScenarioWithOneSideOnly) {
  // NIGHT_AI retagged as baseline: "night" has no AI run left.
  traffic::metrics::simulation_update u;
  u.simulation_id = "NIGHT_AI";
  u.set_mode = true;
  u.mode = run_mode::baseline;
  ASSERT_EQ(reader_.update_simulation(u).status, storage_status::ok);

  const auto d = ask<performance_dashboard>(query_of(query_kind::performance_dashboard));
  ASSERT_EQ(d.scenarios.size(), 1u);
  EXPECT_EQ(d.scenarios[0].scenario, "rush");
  ASSERT_TRUE(d.overall.has_value());
  expect_rush(*d.overall);

  const auto night = ask<comparison_report>(by_scenario("night"));
  EXPECT_EQ(night.baseline_runs, (std::vector<std::string>{"NIGHT_AI", "NIGHT_BASE"}));
  EXPECT_TRUE(night.ai_runs.empty());
}

TEST_F(Comparison, BuildsNoOverallCardWithoutAnyTaggedPair) {
  for (const auto* id : {"RUSH_AI", "NIGHT_AI"}) {
    traffic::metrics::simulation_update u;
    u.simulation_id = id;
    u.set_scenario = true; // cleared
    ASSERT_EQ(reader_.update_simulation(u).status, storage_status::ok);
  }
  const auto d = ask<performance_dashboard>(query_of(query_kind::performance_dashboard));
  EXPECT_TRUE(d.scenarios.empty());
  EXPECT_FALSE(d.overall.has_value());
}

} // namespace
