// Read-only analytics queries over one connection.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "metrics/analytics_query.hpp"
#include "metrics/reports.hpp"
#include "metrics/simulation_summary.hpp"
#include "storage/write_status.hpp"

namespace traffic::storage {

/// A query answer with its outcome.
template <class T>
struct read_result {
  storage_status status = storage_status::failed;
  std::optional<T> value; ///< set when status is ok
  std::string error; ///< set when status is not ok (for not_found: which simulation is unknown)
};

/// Owns one connection (made on first use, remade after it breaks). Not thread-safe.
class analytics_reader {
 public:
  analytics_reader(std::string conninfo, std::chrono::milliseconds statement_timeout);
  ~analytics_reader();
  analytics_reader(const analytics_reader&) = delete;
  analytics_reader& operator=(const analytics_reader&) = delete;

  /// Returns the summary of one simulation, or not_found when it has no stored snapshot.
  /// The same as answer() for a summary query. Never throws.
  read_result<metrics::simulation_summary> simulation_summary(const std::string& simulation_id);

  /// Answers any analytics query (its kind picks the report) from one consistent snapshot of
  /// the database. not_found when a simulation the query names (filter.simulation_id,
  /// baseline, ai, one of simulation_ids) does not exist; an empty match is ok with zero
  /// counts. A query no endpoint makes (speeds per direction, a time series without a
  /// simulation id, a comparison with neither both ids nor a scenario, a width <= 0) is
  /// failed. Never throws.
  read_result<metrics::analytics_answer> answer(const metrics::analytics_query& query);

  /// Changes a run's mode and scenario in a read-write transaction and returns the run as
  /// stored afterwards (committed); not_found when the simulation does not exist. Never throws.
  read_result<metrics::simulation_info> update_simulation(const metrics::simulation_update& update);

  /// Deletes a run and all its data in one transaction and returns the run as it was;
  /// not_found when it does not exist. Never throws.
  read_result<metrics::simulation_info> delete_simulation(const std::string& simulation_id);

  /// Returns the ids of runs whose latest write is more than `days` days old, oldest first,
  /// at most `limit`. Never throws.
  read_result<std::vector<std::string>> expired_simulations(int days, int limit);

 private:
  /// Runs `change` (a statement RETURNING the run's columns, as simulations_list.sql) in a
  /// read-write transaction and answers the run, or not_found when no row came back.
  template <class Change>
  read_result<metrics::simulation_info> change_run(const std::string& simulation_id, Change change);

  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace traffic::storage
