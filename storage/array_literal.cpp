// Builds PostgreSQL array literals for bind parameters.
#include "storage/array_literal.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace traffic::storage {

void array_literal::separate() {
  if (out_.size() > 1)
    out_ += ',';
}

void array_literal::add(std::int64_t value) {
  separate();
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec; // 24 bytes hold any int64
  out_.append(buf.data(), end);
}

void array_literal::add(double value) {
  separate();
  // The shortest text that float8in reads back as exactly `value`. Non-finite values never get
  // here (validation refuses them); if one did, the table's CHECK would refuse "NaN".
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  if (ec != std::errc{}) {
    out_ += "NaN";
    return;
  }
  out_.append(buf.data(), end);
}

void array_literal::add(bool value) {
  separate();
  out_ += value ? 't' : 'f';
}

void array_literal::add(std::string_view value) {
  separate();
  out_ += '"';
  for (char c : value) {
    if (c == '"' || c == '\\')
      out_ += '\\';
    out_ += c;
  }
  out_ += '"';
}

void array_literal::add_null() {
  separate();
  out_ += "NULL";
}

std::string array_literal::text() {
  out_ += '}';
  return std::exchange(out_, std::string{});
}

} // namespace traffic::storage
