// The bounded queue in front of the writers: group commit, back-pressure and database health.
#pragma once

#include <chrono>
#include <string>

#include <caf/fwd.hpp>

namespace traffic::actors {

/// Limits and connection settings of the write path.
struct write_queue_config {
  std::string conninfo;
  int writers = 2;
  int batch_rows = 2000;                    ///< snapshots per transaction, at most
  std::chrono::milliseconds batch_delay{2}; ///< longest wait for a batch to fill
  int queue_snapshots = 20000;              ///< waiting snapshots before new work is refused
  std::chrono::milliseconds statement_timeout{5000};
  std::chrono::milliseconds job_timeout{8000}; ///< a job not done by then is answered 503
  /// A health probe unanswered this long while no writer reports either: the database counts
  /// as unresponsive (frozen, or a network that drops silently), and every waiting write is
  /// answered 503 at once instead of at job_timeout.
  std::chrono::milliseconds probe_timeout{500};
};

/// Spawns the write queue and its detached writers (one connection each, linked to it).
/// Protocol:
/// - (write_atom, snapshot_list) -> write_receipt after COMMIT, or an error: queue_full (at the
///   bound), database_unavailable (down, or the write failed or timed out), storage_failed,
///   shutting_down (after drain).
/// - (get_atom, stats_atom) -> write_queue_stats; (get_atom, health_atom) -> database_health.
/// - (drain_atom) -> true once everything queued before it is written; refuses new work.
/// Requests from many callers are gathered into one transaction, up to batch_rows snapshots or
/// batch_delay of waiting. When the database refuses such a transaction (an error other than
/// a lost connection), each of its requests is written again alone, ahead of the queue, so
/// only a request the database refuses by itself gets storage_failed. A prober (a detached actor
/// with a connection of its own) checks the database: every second when idle, every half second
/// while it is down (service resumes by itself when a probe succeeds), and at once when a write
/// takes unusually long, so a database that stops answering without closing its connections is
/// noticed within about probe_timeout, while the writers are still blocked on it.
caf::actor spawn_write_queue(caf::actor_system& system, write_queue_config config);

} // namespace traffic::actors
