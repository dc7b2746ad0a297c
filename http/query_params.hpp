// Turns the query string of an analytics, dashboard or chart request into a validated query.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/query_text.hpp"
#include "http/simulation_update_codec.hpp" // parse_simulation_update, for PUT
#include "http/snapshot_codec.hpp"
#include "metrics/analytics_query.hpp"

namespace traffic::http {

/// A wait-time trend chart compares at most this many simulations.
inline constexpr std::size_t max_trend_simulations = 20;

/// The `limit` parameter accepts 1 to this many.
inline constexpr std::int64_t max_query_limit = 10000;

/// The `bucket` and `block` parameters accept 1 s to this many seconds (one day).
inline constexpr std::int64_t max_interval_seconds = 86400;

/// What parsing a query string gave: the query, or every reason it was refused.
struct query_parse_result {
  std::optional<metrics::analytics_query> query; ///< set exactly when errors is empty
  std::vector<decode_detail> errors; ///< path: the parameter's name; message: what it accepts
};

/// Parses and validates the query string of a `kind` request. `path_id` is the {id} of the
/// summary and time-series paths, already percent-decoded (an error on it names
/// "simulation_id"); other kinds ignore it. Unknown, repeated and empty parameters are errors,
/// every one listed; parameters not given, and fields the kind does not use, keep their
/// defaults, so equal requests give equal cache keys.
query_parse_result parse_analytics_query(metrics::query_kind kind, std::string_view query_string,
                                         std::optional<std::string> path_id = std::nullopt);

/// What the query string of POST /api/v1/admin/clear-cache gave.
struct clear_cache_query {
  std::optional<std::string> simulation_id; ///< unset: clear the whole cache
  std::vector<decode_detail> errors;        ///< as parse_analytics_query reports them
};

/// Parses the clear-cache query string: an optional simulation_id (1 to 128 letters, digits,
/// '_', '-', '.' or ':'), nothing else. simulation_id is set only when errors is empty.
clear_cache_query parse_clear_cache_query(std::string_view query_string);

} // namespace traffic::http
