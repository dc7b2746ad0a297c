// Request values as bind-parameter text (NULLs, timestamps, JSON arrays); private to storage/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/timestamp.hpp"

namespace traffic::storage {

/// Returns the text of `value`, or nullptr, which libpqxx 6.4 sends as SQL NULL (it has no
/// std::optional parameters). The pointer lives as long as `value`.
inline const char* text_or_null(const std::optional<std::string>& value) {
  return value ? value->c_str() : nullptr;
}

/// Returns `t` as RFC 3339 text with "Z", which `$n::timestamptz` reads as UTC whatever the
/// session's TimeZone; nothing for an unset bound.
std::optional<std::string> timestamp_param(const std::optional<metrics::timestamp_us>& t);

/// Appends `text` as a JSON string literal (quotes included), escaping what RFC 8259 requires.
void append_json_string(std::string& out, std::string_view text);

/// Returns the strings as a JSON array text, e.g. ["SIM_1","SIM_2"], for
/// `jsonb_array_elements_text($n::jsonb)`.
std::string json_array(const std::vector<std::string>& values);

} // namespace traffic::storage
