// Baseline versus AI: block means compared figure by figure with Welch's t-test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/reports.hpp"

namespace traffic::metrics {

/// Compares the AI blocks of `blocks` with the baseline blocks for wait_time (lower is better),
/// speed, throughput and vehicles_passed (higher is better), in that order. Blocks are sorted to
/// a side by block.side only; the run lists are reported as given (callers sort them);
/// snapshot counts are summed from the blocks.
comparison_report compare_blocks(std::vector<std::string> baseline_runs,
                                 std::vector<std::string> ai_runs,
                                 const std::vector<block_sample>& blocks,
                                 std::int64_t block_seconds);

/// Builds the dashboard: one comparison per scenario whose blocks include both sides (blocks
/// without a scenario are ignored), and an overall one over the blocks of those scenarios.
performance_dashboard build_dashboard(const std::vector<block_sample>& blocks,
                                      std::int64_t block_seconds);

} // namespace traffic::metrics
