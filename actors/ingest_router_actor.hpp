// Entry point of ingest: sends each request to the write queue and, after COMMIT, hands the newly
// stored snapshots to their simulations' actors.
#pragma once

#include <chrono>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

namespace traffic::actors {

/// Timeouts, lifetimes and the actors told about each commit.
struct ingest_router_config {
  std::chrono::milliseconds write_timeout{9000}; ///< how long to wait for the write queue
  std::chrono::seconds simulation_idle{600};     ///< passed to each simulation actor
  caf::actor cache;        ///< told (invalidate_atom, ids) after each commit, if set
  caf::actor live_metrics; ///< passed to each simulation actor, if set
};

/// Spawns the router. Protocol:
/// - (ingest_atom, snapshot_list) -> ingest_ack after COMMIT, or the write queue's error. Before
///   the ack leaves, the cache is told which simulations changed, so no later query can be
///   answered from an answer older than this commit.
/// - (remove_atom, std::string simulation_id): a deleted run; its simulation actor and live
///   state go.
/// - (caf::get_atom, stats_atom) -> system_stats (simulation actors plus the queue's stats).
caf::actor spawn_ingest_router(caf::actor_system& system, caf::actor write_queue,
                               ingest_router_config config);

} // namespace traffic::actors
