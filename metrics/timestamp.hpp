// Instants as microseconds since the Unix epoch (UTC), and their RFC 3339 text form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace traffic::metrics {

/// Microseconds since 1970-01-01T00:00:00Z.
using timestamp_us = std::int64_t;

/// Parses an RFC 3339 date-time with a zone ("Z" or "+hh:mm"/"-hh:mm"), e.g.
/// "2025-09-10T23:20:00.25+02:00", into UTC. Accepts 'T', 't' or ' ' between date and time and
/// up to 9 fraction digits (truncated to microseconds). Rejects impossible dates (Feb 30),
/// hours past 23, leap seconds (:60), missing zones and years outside 0001..9999.
std::optional<timestamp_us> parse_rfc3339(std::string_view text);

/// Formats `t` as "YYYY-MM-DDTHH:MM:SS[.ffffff]Z"; the fraction appears only when non-zero.
std::string format_rfc3339(timestamp_us t);

} // namespace traffic::metrics
