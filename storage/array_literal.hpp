// Builds PostgreSQL array literals ({1,2,"text",NULL}) so a whole batch travels as a few bind
// parameters and one statement unnests them; private to storage/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace traffic::storage {

/// One array literal under construction. Elements are appended in order; text() closes it.
class array_literal {
 public:
  array_literal() { out_ += '{'; }

  /// Reserves room for about `bytes` of elements, so a batch's array grows once.
  void reserve(std::size_t bytes) { out_.reserve(bytes + 2); }

  void add(std::int64_t value);
  void add(double value);
  void add(bool value);
  /// A string element, quoted and escaped (any text is safe, including JSON and "NULL").
  void add(std::string_view value);
  void add_null();

  /// Returns the finished literal; the builder is left empty.
  std::string text();

 private:
  void separate();

  std::string out_;
};

} // namespace traffic::storage
