// The wait-time trend chart: per-simulation bucket means laid over shared labels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/reports.hpp"

namespace traffic::metrics {

/// Builds the chart from (simulation, bucket, mean) rows in any order: labels are the sorted
/// distinct buckets (at most `max_labels`, the earliest; `truncated` says when more existed),
/// one dataset per simulation in id order with a value per label or nothing where that run
/// has no bucket. Every run of `named` gets a dataset even without any row (all nothing), so
/// a run the client asked for never silently disappears from its chart.
trend_chart build_trend(const std::vector<trend_row>& rows, std::int64_t bucket_seconds,
                        std::size_t max_labels, const std::vector<std::string>& named = {});

} // namespace traffic::metrics
