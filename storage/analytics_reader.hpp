// Read-only analytics queries over one connection.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "metrics/simulation_summary.hpp"
#include "storage/write_status.hpp"

namespace traffic::storage {

/// A query answer with its outcome.
template <class T>
struct read_result {
  storage_status status = storage_status::failed;
  std::optional<T> value; ///< set when status is ok
  std::string error;      ///< set when status is unavailable or failed
};

/// Owns one connection (made on first use, remade after it breaks). Not thread-safe.
class analytics_reader {
 public:
  analytics_reader(std::string conninfo, std::chrono::milliseconds statement_timeout);
  ~analytics_reader();
  analytics_reader(const analytics_reader&) = delete;
  analytics_reader& operator=(const analytics_reader&) = delete;

  /// Returns the summary of one simulation, or not_found when it has no stored snapshot.
  /// Never throws.
  read_result<metrics::simulation_summary> simulation_summary(const std::string& simulation_id);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace traffic::storage
