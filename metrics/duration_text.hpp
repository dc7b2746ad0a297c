// Durations written as a count and a unit ("10s", "5m", "1h", "1d"), as query parameters use.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace traffic::metrics {

/// Parses a positive integer of at most 9 digits (leading zeros allowed) followed by s, m, h or d
/// into seconds; nothing for any other text (no sign, no fraction, no space, no missing unit).
std::optional<std::int64_t> parse_duration_seconds(std::string_view text);

} // namespace traffic::metrics
