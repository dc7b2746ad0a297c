// Baseline versus AI: block means compared figure by figure with Welch's t-test.
#include "metrics/comparison.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "metrics/statistics.hpp"

namespace traffic::metrics {

namespace {

/// The confidence of the reported intervals.
constexpr double confidence = 0.95;

/// One compared figure: its name, which way is better and where a block keeps it.
struct figure {
  const char* name;
  bool lower_is_better;
  double block_sample::*field;
};

constexpr figure figures[] = {
    {"wait_time", true, &block_sample::wait},
    {"speed", false, &block_sample::speed},
    {"throughput", false, &block_sample::throughput},
    {"vehicles_passed", false, &block_sample::vehicles_passed},
};

/// Compares one figure: baseline and AI block means through welch_t_test(baseline, ai), so the
/// difference is AI minus baseline.
metric_comparison compare_figure(const figure& f, const std::vector<double>& baseline,
                                 const std::vector<double>& ai) {
  metric_comparison m;
  m.figure = f.name;
  m.lower_is_better = f.lower_is_better;
  m.baseline_blocks = static_cast<std::int64_t>(baseline.size());
  m.ai_blocks = static_cast<std::int64_t>(ai.size());
  m.baseline_mean = mean_of(baseline);
  m.ai_mean = mean_of(ai);
  m.difference = m.ai_mean - m.baseline_mean;
  if (m.baseline_mean != 0)
    m.percent_change = m.difference / m.baseline_mean * 100;
  if (auto test = welch_t_test(baseline, ai, confidence)) {
    m.ci_low = test->ci_low;
    m.ci_high = test->ci_high;
    m.p_value = test->p_value;
    m.t_statistic = test->t;
    m.degrees_of_freedom = test->df;
    // Significant on the good side: the whole interval lies below (or above) zero.
    m.ai_better = f.lower_is_better ? test->ci_high < 0 : test->ci_low > 0;
  }
  return m;
}

/// Returns the sorted distinct simulation ids of the blocks of one side.
std::vector<std::string> runs_of(const std::vector<block_sample>& blocks, run_mode side) {
  std::vector<std::string> runs;
  for (const auto& block : blocks)
    if (block.side == side)
      runs.push_back(block.simulation_id);
  std::sort(runs.begin(), runs.end());
  runs.erase(std::unique(runs.begin(), runs.end()), runs.end());
  return runs;
}

} // namespace

comparison_report compare_blocks(std::vector<std::string> baseline_runs,
                                 std::vector<std::string> ai_runs,
                                 const std::vector<block_sample>& blocks,
                                 std::int64_t block_seconds) {
  comparison_report report;
  report.baseline_runs = std::move(baseline_runs);
  report.ai_runs = std::move(ai_runs);
  report.block_seconds = block_seconds;
  for (const auto& block : blocks)
    (block.side == run_mode::ai ? report.ai_snapshots : report.baseline_snapshots) +=
        block.snapshots;
  for (const auto& f : figures) {
    std::vector<double> baseline;
    std::vector<double> ai;
    for (const auto& block : blocks)
      (block.side == run_mode::ai ? ai : baseline).push_back(block.*f.field);
    report.metrics.push_back(compare_figure(f, baseline, ai));
  }
  return report;
}

performance_dashboard build_dashboard(const std::vector<block_sample>& blocks,
                                      std::int64_t block_seconds) {
  performance_dashboard dashboard;
  dashboard.block_seconds = block_seconds;
  // std::map keeps the cards in scenario order.
  std::map<std::string, std::vector<block_sample>> by_scenario;
  for (const auto& block : blocks)
    if (block.scenario)
      by_scenario[*block.scenario].push_back(block);

  std::vector<block_sample> carded;
  for (auto& [scenario, scenario_blocks] : by_scenario) {
    auto baseline = runs_of(scenario_blocks, run_mode::baseline);
    auto ai = runs_of(scenario_blocks, run_mode::ai);
    if (baseline.empty() || ai.empty())
      continue; // nothing to compare against
    auto card = compare_blocks(std::move(baseline), std::move(ai), scenario_blocks, block_seconds);
    card.scenario = scenario;
    dashboard.scenarios.push_back(std::move(card));
    carded.insert(carded.end(), scenario_blocks.begin(), scenario_blocks.end());
  }
  if (!dashboard.scenarios.empty())
    dashboard.overall = compare_blocks(runs_of(carded, run_mode::baseline),
                                       runs_of(carded, run_mode::ai), carded, block_seconds);
  return dashboard;
}

} // namespace traffic::metrics
