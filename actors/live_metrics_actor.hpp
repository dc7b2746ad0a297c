// The live dashboard's state: what each simulation actor last reported, and ingest rates. Memory
// only, so it answers while the database is down.
#pragma once

#include <chrono>

#include <caf/fwd.hpp>

namespace traffic::actors {

/// Windows of the live view.
struct live_metrics_config {
  std::chrono::seconds rate_window{10};   ///< ingest rates are averaged over this much time
  std::chrono::seconds active_window{60}; ///< a simulation is active if it committed this recently
};

/// Spawns the live-metrics actor. Protocol:
/// - (live_atom, simulation_live) from a simulation actor after each commit it applied.
/// - (forget_atom, std::string simulation_id) when that actor stops.
/// - (caf::get_atom, live_atom) -> live_metrics.
caf::actor spawn_live_metrics(caf::actor_system& system, live_metrics_config config);

} // namespace traffic::actors
