// Text rules of request parameters: splitting and percent-decoding a query string, and the
// free-text scenario name that queries and bodies share.
#include "http/query_text.hpp"

#include <algorithm>
#include <cstddef>

#include "metrics/validation.hpp"

namespace traffic::http {

namespace {

constexpr std::string_view broken_escape_message =
    "has a broken percent escape; write a byte as % followed by two hex digits";

/// Returns the value of hex digit `c`, or -1.
int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Returns the length of the well-formed UTF-8 sequence at text[i], or 0 when it is malformed
/// (truncated, overlong, a surrogate or past U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80)
    return 1;
  std::size_t length = 0;
  unsigned char low = 0x80; // bounds of the second byte rule out overlongs and surrogates
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high)
    return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
      return 0;
  return length;
}

} // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      if (i + 2 >= text.size())
        return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0)
        return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

std::vector<query_param> split_query_string(std::string_view query_string,
                                            std::vector<decode_detail>& errors) {
  std::vector<query_param> params;
  for (std::size_t start = 0; start < query_string.size();) {
    auto end = std::min(query_string.find('&', start), query_string.size());
    auto pair = query_string.substr(start, end - start);
    start = end + 1;
    if (pair.empty())
      continue;
    auto equals = pair.find('=');
    auto raw_name = pair.substr(0, equals);
    auto name = percent_decode(raw_name);
    if (!name) {
      errors.push_back({std::string{raw_name}, std::string{broken_escape_message}, std::nullopt});
      continue;
    }
    auto raw_value =
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
    auto value = percent_decode(raw_value);
    if (!value)
      errors.push_back({*name, std::string{broken_escape_message}, std::nullopt});
    params.push_back(query_param{std::move(*name), std::move(value)});
  }
  return params;
}

std::optional<std::string> scenario_problem(std::string_view text) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++characters) {
    const auto length = utf8_sequence_length(text, i);
    if (length == 0)
      return "must be valid UTF-8";
    const auto c = static_cast<unsigned char>(text[i]);
    // C0 controls and DEL are one byte; C1 controls U+0080..U+009F are C2 80..C2 9F.
    if (c < 0x20 || c == 0x7F || (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F))
      return "must not contain control characters";
    i += length;
  }
  if (characters == 0 || characters > metrics::max_scenario_length)
    return "must be 1 to " + std::to_string(metrics::max_scenario_length) + " characters";
  return std::nullopt;
}

} // namespace traffic::http
