// The SQL text of sql/*.sql, embedded at build time (cmake/write_sql_files.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace traffic::storage {

/// One file of sql/: its name without ".sql" and its text.
struct sql_file {
  std::string_view name;
  std::string_view text;
};

/// Returns every embedded file, sorted by name (so migrations "001_..." come in order).
const std::vector<sql_file>& sql_files();

/// Returns the text of sql/<name>.sql; throws std::out_of_range for an unknown name (a build
/// error in practice: names are fixed in code).
std::string_view sql_text(std::string_view name);

} // namespace traffic::storage
