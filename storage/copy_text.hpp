// Builds COPY ... FROM STDIN text (tab-separated fields, one row per line) for a whole batch,
// so its rows reach the server as one buffer instead of a string per field; private to storage/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace traffic::storage {

/// Rows in PostgreSQL's COPY text format.
class copy_text {
 public:
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

  void add(std::int64_t value);
  void add(double value);
  void add(bool value);
  /// A text field, escaped: backslash, tab, line feed and carriage return.
  void add(std::string_view value);
  void add_null();
  /// Ends the current row.
  void end_row();

  /// Every row so far without the last line end (the writer adds one), leaving the builder
  /// empty.
  std::string take();

 private:
  void separate();

  std::string out_;
  bool row_open_ = false;
};

} // namespace traffic::storage
