// Writes batches of snapshots to PostgreSQL in one transaction each, over one connection.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "metrics/snapshot.hpp"
#include "storage/write_status.hpp"

namespace traffic::storage {

/// The outcome of one batch write.
struct write_result {
  storage_status status = storage_status::failed;
  /// When status is ok: one flag per input snapshot, true if it was stored now, false if its
  /// key (simulation_id, intersection_id, timestamp) was already stored (or came earlier in
  /// the same batch).
  std::vector<bool> stored;
  std::string error; ///< set when status is not ok
};

/// Owns one connection (made on first use, remade after it breaks). Not thread-safe: one
/// writer per actor.
class snapshot_writer {
 public:
  /// `statement_timeout` bounds every statement, so a hung database fails the batch instead of
  /// blocking the writer forever.
  snapshot_writer(std::string conninfo, std::chrono::milliseconds statement_timeout);
  ~snapshot_writer();
  snapshot_writer(const snapshot_writer&) = delete;
  snapshot_writer& operator=(const snapshot_writer&) = delete;

  /// Writes every snapshot in one transaction and returns after COMMIT. Duplicates are skipped
  /// and flagged. Retries a deadlock or serialization failure a few times. Never throws.
  write_result write(const std::vector<const metrics::snapshot*>& batch);

  /// Connects if needed and runs a trivial query. Returns ok or unavailable. Never throws.
  storage_status ping(std::string* error = nullptr);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace traffic::storage
