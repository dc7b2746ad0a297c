// A pool of detached actors answering analytics queries, each with its own read connection.
#pragma once

#include <chrono>
#include <string>

#include <caf/fwd.hpp>

namespace traffic::actors {

/// Size and connection settings of the analytics pool.
struct analytics_config {
  std::string conninfo;
  int actors = 2;
  std::chrono::milliseconds statement_timeout{5000};
};

/// Spawns a round-robin pool of detached analytics actors. Protocol:
/// - (summary_atom, std::string simulation_id) -> metrics::simulation_summary, or an error:
///   not_found, database_unavailable, storage_failed.
caf::actor spawn_analytics_pool(caf::actor_system& system, analytics_config config);

} // namespace traffic::actors
