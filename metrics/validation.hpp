// The input rules of DESIGN.md section 3, applied to a decoded snapshot draft.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/snapshot.hpp"
#include "metrics/snapshot_draft.hpp"

namespace traffic::metrics {

/// One broken rule: where (a JSON path such as "signals[2].avg_wait_time", or "[3].timestamp"
/// for item 3 of a batch) and what, in words meant for the simulator's author.
struct violation {
  std::string path;
  std::string message;

  friend bool operator==(const violation& a, const violation& b) {
    return a.path == b.path && a.message == b.message;
  }
};

/// Limits of the input rules, named where they are enforced.
inline constexpr std::size_t max_id_length = 128;
inline constexpr std::size_t max_scenario_length = 256;
inline constexpr std::size_t max_signals = 16;
inline constexpr std::size_t max_vehicle_classes = 32;
inline constexpr std::size_t max_vehicle_class_length = 64;

/// Returns true for 1 to 128 characters of letters, digits and `_ - . :`.
bool is_valid_id(std::string_view id);

/// Checks every rule on `draft` and returns the validated snapshot, or nothing after appending
/// one violation per broken rule to `out`. Each path starts with `path_prefix` ("" for a single
/// snapshot, "[3]" for batch item 3, giving "[3].signals[0].direction").
std::optional<snapshot> validate_snapshot(const snapshot_draft& draft, std::string_view path_prefix,
                                          std::vector<violation>& out);

} // namespace traffic::metrics
