// Builds COPY text rows.
#include "storage/copy_text.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace traffic::storage {

void copy_text::separate() {
  if (row_open_)
    out_ += '\t';
  row_open_ = true;
}

void copy_text::add(std::int64_t value) {
  separate();
  std::array<char, 24> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  (void)ec; // 24 bytes hold any int64
  out_.append(buf.data(), end);
}

void copy_text::add(double value) {
  separate();
  // The shortest text that float8in reads back as exactly `value`.
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  if (ec != std::errc{}) {
    out_ += "NaN"; // cannot happen with 32 bytes; the table's CHECK would refuse it
    return;
  }
  out_.append(buf.data(), end);
}

void copy_text::add(bool value) {
  separate();
  out_ += value ? 't' : 'f';
}

void copy_text::add(std::string_view value) {
  separate();
  for (char c : value) {
    switch (c) {
      case '\\': out_ += "\\\\"; break;
      case '\t': out_ += "\\t"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      default: out_ += c;
    }
  }
}

void copy_text::add_null() {
  separate();
  out_ += "\\N";
}

void copy_text::end_row() {
  out_ += '\n';
  row_open_ = false;
}

std::string copy_text::take() {
  if (!out_.empty() && out_.back() == '\n')
    out_.pop_back();
  row_open_ = false;
  return std::exchange(out_, std::string{});
}

} // namespace traffic::storage
