// Durations written as a count and a unit ("10s", "5m", "1h", "1d"), as query parameters use.
#include "metrics/duration_text.hpp"

#include <cstddef>

namespace traffic::metrics {

namespace {

/// At most this many digits, so the count times a day's seconds stays far inside int64.
constexpr std::size_t max_digits = 9;

/// Returns the seconds in one `unit`, or 0 for an unknown unit.
std::int64_t unit_seconds(char unit) {
  switch (unit) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    default: return 0;
  }
}

} // namespace

std::optional<std::int64_t> parse_duration_seconds(std::string_view text) {
  if (text.size() < 2 || text.size() - 1 > max_digits)
    return std::nullopt;
  const std::int64_t unit = unit_seconds(text.back());
  if (unit == 0)
    return std::nullopt;
  std::int64_t count = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9')
      return std::nullopt;
    count = count * 10 + (c - '0');
  }
  if (count == 0)
    return std::nullopt;
  return count * unit;
}

} // namespace traffic::metrics
