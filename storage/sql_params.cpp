// Formats request values as bind-parameter text, so SQL never splices a request value in.
#include "storage/sql_params.hpp"

#include <array>
#include <cstdio>

namespace traffic::storage {

std::optional<std::string> timestamp_param(const std::optional<metrics::timestamp_us>& t) {
  if (!t)
    return std::nullopt;
  return metrics::format_rfc3339(*t);
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          std::array<char, 8> esc{};
          std::snprintf(esc.data(), esc.size(), "\\u%04x", static_cast<unsigned>(c));
          out += esc.data();
        } else {
          out += c; // UTF-8 bytes pass through unchanged
        }
    }
  }
  out += '"';
}

std::string json_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& v : values) {
    if (out.size() > 1)
      out += ',';
    append_json_string(out, v);
  }
  out += ']';
  return out;
}

} // namespace traffic::storage
