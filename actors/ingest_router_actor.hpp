// Entry point of ingest: sends each request to the write queue and, after COMMIT, hands the newly
// stored snapshots to their simulations' actors.
#pragma once

#include <chrono>

#include <caf/fwd.hpp>

namespace traffic::actors {

/// Timeouts and lifetimes the router applies.
struct ingest_router_config {
  std::chrono::milliseconds write_timeout{9000}; ///< how long to wait for the write queue
  std::chrono::seconds simulation_idle{600};     ///< passed to each simulation actor
};

/// Spawns the router. Protocol:
/// - (ingest_atom, snapshot_list) -> ingest_ack after COMMIT, or the write queue's error.
/// - (caf::get_atom, stats_atom) -> system_stats (simulation actors plus the queue's stats).
caf::actor spawn_ingest_router(caf::actor_system& system, caf::actor write_queue,
                               ingest_router_config config);

} // namespace traffic::actors
