// A pool of detached actors answering analytics queries, each with its own read connection.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <caf/fwd.hpp>

#include "metrics/reports.hpp"

namespace traffic::actors {

/// Turns an answer into the bytes the cache keeps and the client receives (JSON, from http/;
/// main wires it in so this layer does not know the wire format).
using answer_encoder = std::function<std::string(const metrics::analytics_answer&)>;

/// Size and connection settings of the analytics pool.
struct analytics_config {
  std::string conninfo;
  int actors = 2;
  std::chrono::milliseconds statement_timeout{5000};
  answer_encoder encode;
};

/// Spawns a round-robin pool of detached analytics actors. Protocol:
/// - (query_atom, metrics::analytics_query) -> answer_body (the encoded answer), or an error:
///   not_found, database_unavailable, storage_failed.
/// - (update_atom, metrics::simulation_update) -> metrics::simulation_info, or not_found,
///   database_unavailable, storage_failed.
/// - (remove_atom, std::string simulation_id) -> metrics::simulation_info of the deleted run,
///   or the same errors.
caf::actor spawn_analytics_pool(caf::actor_system& system, analytics_config config);

/// Stops the pool and its workers. Blocks until the pool has listed its workers, so call it
/// from a thread of our own (main), never from an actor.
void stop_analytics_pool(caf::actor_system& system, const caf::actor& pool);

} // namespace traffic::actors
