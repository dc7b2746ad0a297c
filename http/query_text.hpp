// Text rules of request parameters: splitting and percent-decoding a query string, and the
// free-text scenario name that queries and bodies share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/snapshot_codec.hpp"

namespace traffic::http {

/// One name=value pair of a query string, percent-decoded ('+' read as a space).
struct query_param {
  std::string name;
  std::optional<std::string> value; ///< unset when the value held a broken %XX escape
};

/// Splits "a=1&b=2" (without the '?') into its pairs, in order. Empty pairs ("a=1&&b=2") are
/// skipped; a pair without '=' has an empty value. Appends one error per broken %XX escape,
/// named after the parameter; a pair whose name is broken is left out (the error names it as
/// written), one whose value is broken is kept with its value unset.
std::vector<query_param> split_query_string(std::string_view query_string,
                                            std::vector<decode_detail>& errors);

/// Returns `text` with each %XX escape decoded and '+' read as a space, or nothing when a '%' is
/// not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

/// Returns why `text` is not an acceptable scenario name (a phrase starting "must"), or nothing
/// when it is: 1 to metrics::max_scenario_length characters of valid UTF-8 without control
/// characters, the rule ingest applies, so every stored scenario can be asked for.
std::optional<std::string> scenario_problem(std::string_view text);

} // namespace traffic::http
