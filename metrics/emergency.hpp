// Emergency episodes summed up per intersection and overall.
#pragma once

#include <cstddef>
#include <vector>

#include "metrics/reports.hpp"

namespace traffic::metrics {

/// Builds the report from every episode in scope (any order) and the overrides per
/// intersection: per (simulation, intersection) stats for every pair that has an episode or a
/// non-zero override sum, totals over all, and the first `list_limit` episodes by
/// (start, simulation, intersection, approach).
emergency_report summarise_emergencies(std::vector<emergency_episode> episodes,
                                       const std::vector<intersection_overrides>& overrides,
                                       std::size_t list_limit);

} // namespace traffic::metrics
