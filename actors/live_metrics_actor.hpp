// The live dashboard's state: what each simulation actor last reported, and ingest rates. Memory
// only, so it answers while the database is down.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include <caf/fwd.hpp>

#include "actors/messages.hpp"

namespace traffic::actors {

/// Windows of the live view.
struct live_metrics_config {
  std::chrono::seconds rate_window{10};   ///< ingest rates are averaged over this much time
  std::chrono::seconds active_window{60}; ///< a simulation is active if it committed this recently
  std::chrono::milliseconds publish_interval{1000}; ///< between pushes to subscribers
  std::size_t max_subscribers = 256;                ///< open event streams, at most
  /// Encodes a view for subscribers (once per push, shared by all of them).
  std::function<std::string(const live_metrics&)> encode;
};

/// Spawns the live-metrics actor. Protocol:
/// - (live_atom, simulation_live) from a simulation actor after each commit it applied.
/// - (forget_atom, std::string simulation_id) when that actor stops.
/// - (caf::get_atom, live_atom) -> live_metrics.
/// - (subscribe_atom, live_subscriber) -> bool: false when max_subscribers are open. The
///   subscriber gets the current view at once, then one every publish_interval while it
///   returns true.
caf::actor spawn_live_metrics(caf::actor_system& system, live_metrics_config config);

} // namespace traffic::actors
