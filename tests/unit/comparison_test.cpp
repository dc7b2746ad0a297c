// Unit tests of the baseline-versus-AI comparison and the performance dashboard.
#include "metrics/comparison.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace traffic::metrics;

namespace {

/// t_0.975 with 4 degrees of freedom (tables): three blocks a side with equal variances.
constexpr double t975_df4 = 2.7764451;

struct figures {
  double wait = 0;
  double speed = 0;
  double throughput = 0;
  double vehicles = 0;
};

block_sample block(run_mode side, std::string simulation, figures f,
                   std::optional<std::string> scenario = std::nullopt,
                   std::int64_t snapshots = 10) {
  block_sample b;
  b.side = side;
  b.scenario = std::move(scenario);
  b.simulation_id = std::move(simulation);
  b.intersection_id = "i1";
  b.snapshots = snapshots;
  b.wait = f.wait;
  b.speed = f.speed;
  b.throughput = f.throughput;
  b.vehicles_passed = f.vehicles;
  return b;
}

/// Three blocks a side, every figure with sample variance 1 on each side, so se = sqrt(2/3)
/// and Welch's df is exactly 4. Baseline means: wait 12, speed 31, throughput 11, vehicles 0;
/// AI means: wait 8, speed 41, throughput 5, vehicles 1.
std::vector<block_sample> hand_worked_blocks() {
  std::vector<block_sample> blocks;
  for (double d : {-1.0, 0.0, 1.0}) {
    blocks.push_back(block(run_mode::baseline, "b1", {12 + d, 31 + d, 11 + d, d}, "rush", 10));
    blocks.push_back(block(run_mode::ai, "a1", {8 + d, 41 + d, 5 + d, 1 + d}, "rush", 20));
  }
  return blocks;
}

} // namespace

TEST(CompareBlocks, WorksOutMeansDifferencesAndIntervalsByHand) {
  auto report = compare_blocks({"b1"}, {"a1"}, hand_worked_blocks(), 300);
  EXPECT_EQ(report.block_seconds, 300);
  EXPECT_EQ(report.baseline_runs, std::vector<std::string>{"b1"});
  EXPECT_EQ(report.ai_runs, std::vector<std::string>{"a1"});
  EXPECT_EQ(report.baseline_snapshots, 30);
  EXPECT_EQ(report.ai_snapshots, 60);
  EXPECT_FALSE(report.scenario);
  ASSERT_EQ(report.metrics.size(), 4U);

  const double se = std::sqrt(2.0 / 3);
  const double margin = t975_df4 * se;
  const auto& wait = report.metrics[0];
  EXPECT_EQ(wait.figure, "wait_time");
  EXPECT_TRUE(wait.lower_is_better);
  EXPECT_EQ(wait.baseline_blocks, 3);
  EXPECT_EQ(wait.ai_blocks, 3);
  EXPECT_DOUBLE_EQ(wait.baseline_mean, 12.0);
  EXPECT_DOUBLE_EQ(wait.ai_mean, 8.0);
  EXPECT_DOUBLE_EQ(wait.difference, -4.0);
  EXPECT_NEAR(*wait.percent_change, -100.0 / 3, 1e-12);
  EXPECT_NEAR(*wait.t_statistic, -4 / se, 1e-12);
  EXPECT_NEAR(*wait.degrees_of_freedom, 4.0, 1e-12);
  EXPECT_NEAR(*wait.ci_low, -4 - margin, 1e-6);
  EXPECT_NEAR(*wait.ci_high, -4 + margin, 1e-6);
  // df = 4 (Abramowitz & Stegun 26.7.3): P(|T| < t) = sin θ (1 + cos² θ / 2), tan θ = t / 2;
  // here t = sqrt 24, so sin θ = sqrt(6/7) and cos² θ = 1/7.
  EXPECT_NEAR(*wait.p_value, 1 - std::sqrt(6.0 / 7) * 15 / 14, 1e-12);
  EXPECT_TRUE(wait.ai_better); // the whole interval is below zero

  const auto& speed = report.metrics[1];
  EXPECT_EQ(speed.figure, "speed");
  EXPECT_FALSE(speed.lower_is_better);
  EXPECT_DOUBLE_EQ(speed.difference, 10.0);
  EXPECT_NEAR(*speed.percent_change, 1000.0 / 31, 1e-12);
  EXPECT_NEAR(*speed.ci_low, 10 - margin, 1e-6);
  EXPECT_TRUE(speed.ai_better); // the whole interval is above zero

  const auto& throughput = report.metrics[2];
  EXPECT_EQ(throughput.figure, "throughput");
  EXPECT_DOUBLE_EQ(throughput.difference, -6.0);
  EXPECT_NEAR(*throughput.percent_change, -600.0 / 11, 1e-12);
  EXPECT_NEAR(*throughput.ci_high, -6 + margin, 1e-6);
  EXPECT_FALSE(throughput.ai_better); // significant, but on the bad side

  const auto& vehicles = report.metrics[3];
  EXPECT_EQ(vehicles.figure, "vehicles_passed");
  EXPECT_DOUBLE_EQ(vehicles.baseline_mean, 0.0);
  EXPECT_DOUBLE_EQ(vehicles.difference, 1.0);
  EXPECT_FALSE(vehicles.percent_change); // baseline mean 0
  EXPECT_NEAR(*vehicles.ci_low, 1 - margin, 1e-6);
  EXPECT_FALSE(vehicles.ai_better); // the interval spans zero
}

TEST(CompareBlocks, CallsAHigherWaitNotBetter) {
  std::vector<block_sample> blocks;
  for (double d : {-1.0, 0.0, 1.0}) {
    blocks.push_back(block(run_mode::baseline, "b", {8 + d}));
    blocks.push_back(block(run_mode::ai, "a", {12 + d}));
  }
  auto wait = compare_blocks({"b"}, {"a"}, blocks, 60).metrics[0];
  EXPECT_GT(*wait.ci_low, 0);
  EXPECT_FALSE(wait.ai_better);
}

TEST(CompareBlocks, RunsNoTestWithFewerThanTwoBlocksOnASide) {
  std::vector<block_sample> blocks{
      block(run_mode::baseline, "b", {20, 10, 1, 100}),
      block(run_mode::ai, "a", {1, 50, 9, 500}),
      block(run_mode::ai, "a", {3, 70, 11, 700}),
  };
  auto report = compare_blocks({"b"}, {"a"}, blocks, 300);
  for (const auto& m : report.metrics) {
    EXPECT_EQ(m.baseline_blocks, 1) << m.figure;
    EXPECT_EQ(m.ai_blocks, 2) << m.figure;
    EXPECT_FALSE(m.p_value) << m.figure;
    EXPECT_FALSE(m.ci_low) << m.figure;
    EXPECT_FALSE(m.ci_high) << m.figure;
    EXPECT_FALSE(m.t_statistic) << m.figure;
    EXPECT_FALSE(m.degrees_of_freedom) << m.figure;
    EXPECT_FALSE(m.ai_better) << m.figure;
  }
  EXPECT_DOUBLE_EQ(report.metrics[0].baseline_mean, 20.0);
  EXPECT_DOUBLE_EQ(report.metrics[0].ai_mean, 2.0);
  EXPECT_DOUBLE_EQ(*report.metrics[0].percent_change, -90.0);
}

TEST(CompareBlocks, GivesZeroMeansForASideWithoutBlocks) {
  std::vector<block_sample> blocks{block(run_mode::ai, "a", {4, 40, 2, 8}),
                                   block(run_mode::ai, "a", {6, 60, 4, 12})};
  auto report = compare_blocks({}, {"a"}, blocks, 300);
  EXPECT_EQ(report.baseline_snapshots, 0);
  const auto& wait = report.metrics[0];
  EXPECT_EQ(wait.baseline_blocks, 0);
  EXPECT_EQ(wait.baseline_mean, 0.0);
  EXPECT_DOUBLE_EQ(wait.ai_mean, 5.0);
  EXPECT_DOUBLE_EQ(wait.difference, 5.0);
  EXPECT_FALSE(wait.percent_change);
  EXPECT_FALSE(wait.p_value);
  EXPECT_FALSE(wait.ai_better);
}

TEST(BuildDashboard, CardsOnlyScenariosWithBothSides) {
  std::vector<block_sample> blocks{
      // rush: baseline b1, b2 (wait 11 12 13), AI a1, a2 (wait 7 8 9).
      block(run_mode::baseline, "b2", {11}, "rush"),
      block(run_mode::ai, "a2", {7}, "rush"),
      block(run_mode::baseline, "b1", {12}, "rush"),
      block(run_mode::ai, "a1", {8}, "rush"),
      block(run_mode::baseline, "b2", {13}, "rush"),
      block(run_mode::ai, "a1", {9}, "rush"),
      // night has baseline runs only; the last two blocks have no scenario.
      block(run_mode::baseline, "b3", {50}, "night"),
      block(run_mode::baseline, "b3", {60}, "night"),
      block(run_mode::baseline, "x", {1000}),
      block(run_mode::ai, "y", {0}),
  };
  auto dashboard = build_dashboard(blocks, 600);
  EXPECT_EQ(dashboard.block_seconds, 600);
  ASSERT_EQ(dashboard.scenarios.size(), 1U);
  const auto& card = dashboard.scenarios[0];
  EXPECT_EQ(card.scenario, "rush");
  EXPECT_EQ(card.block_seconds, 600);
  EXPECT_EQ(card.baseline_runs, (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(card.ai_runs, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(card.baseline_snapshots, 30);
  EXPECT_EQ(card.metrics[0].baseline_blocks, 3);
  EXPECT_DOUBLE_EQ(card.metrics[0].baseline_mean, 12.0);
  EXPECT_DOUBLE_EQ(card.metrics[0].ai_mean, 8.0);

  ASSERT_TRUE(dashboard.overall);
  EXPECT_FALSE(dashboard.overall->scenario);
  EXPECT_EQ(dashboard.overall->baseline_runs, card.baseline_runs);
  EXPECT_EQ(dashboard.overall->ai_runs, card.ai_runs);
  EXPECT_EQ(dashboard.overall->metrics[0].baseline_blocks, 3); // not night's, not unlabelled
  EXPECT_DOUBLE_EQ(dashboard.overall->metrics[0].baseline_mean, 12.0);
  EXPECT_EQ(dashboard.overall->metrics[0].p_value, card.metrics[0].p_value);
}

TEST(BuildDashboard, OrdersCardsByScenarioAndPoolsThemOverall) {
  std::vector<block_sample> blocks{
      block(run_mode::baseline, "r-b", {10}, "rush"), block(run_mode::ai, "r-a", {6}, "rush"),
      block(run_mode::baseline, "d-b", {20}, "dawn"), block(run_mode::ai, "d-a", {14}, "dawn"),
      block(run_mode::ai, "d-a", {16}, "dawn"),
  };
  auto dashboard = build_dashboard(blocks, 300);
  ASSERT_EQ(dashboard.scenarios.size(), 2U);
  EXPECT_EQ(dashboard.scenarios[0].scenario, "dawn");
  EXPECT_EQ(dashboard.scenarios[1].scenario, "rush");
  ASSERT_TRUE(dashboard.overall);
  EXPECT_EQ(dashboard.overall->baseline_runs, (std::vector<std::string>{"d-b", "r-b"}));
  EXPECT_EQ(dashboard.overall->ai_runs, (std::vector<std::string>{"d-a", "r-a"}));
  const auto& wait = dashboard.overall->metrics[0];
  EXPECT_EQ(wait.baseline_blocks, 2);
  EXPECT_EQ(wait.ai_blocks, 3);
  EXPECT_DOUBLE_EQ(wait.baseline_mean, 15.0); // (10 + 20) / 2
  EXPECT_DOUBLE_EQ(wait.ai_mean, 12.0);       // (6 + 14 + 16) / 3
  EXPECT_DOUBLE_EQ(*wait.percent_change, -20.0);
}

TEST(BuildDashboard, LeavesOverallUnsetWithoutCards) {
  std::vector<block_sample> blocks{block(run_mode::baseline, "b", {10}, "night"),
                                   block(run_mode::ai, "a", {5}, "day"),
                                   block(run_mode::ai, "a", {5})};
  auto dashboard = build_dashboard(blocks, 300);
  EXPECT_TRUE(dashboard.scenarios.empty());
  EXPECT_FALSE(dashboard.overall);
  EXPECT_FALSE(build_dashboard({}, 300).overall);
}
