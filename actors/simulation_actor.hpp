// One actor per simulation run: owns that run's live state, fed only with committed snapshots.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include <caf/fwd.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/messages.hpp"
#include "metrics/rolling_window.hpp"

namespace traffic::actors {

/// Rolling means cover this much snapshot time.
inline constexpr metrics::timestamp_us rolling_window_width = 60'000'000;

/// Live state of one simulation.
struct simulation_state {
  simulation_live live;
  metrics::rolling_window window{rolling_window_width};
  std::unordered_map<std::string, metrics::timestamp_us> latest_by_intersection;
  static inline const char* name = "simulation";
};

/// Behaviour of the actor for simulation `id`. Accepts (committed_atom, committed_snapshots)
/// from the router after each COMMIT and then sends its simulation_live to `live_metrics` (if
/// any) as (live_atom, simulation_live); answers (caf::get_atom, live_atom) with
/// simulation_live. Quits after `idle` without data, so finished runs do not hold memory, and
/// tells `live_metrics` (forget_atom, id) as it goes; (remove_atom) ends it the same way at
/// once.
caf::behavior simulation_actor(caf::stateful_actor<simulation_state>* self, std::string id,
                               std::chrono::seconds idle, caf::actor live_metrics);

} // namespace traffic::actors
