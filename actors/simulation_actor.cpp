// One actor per simulation run: owns that run's live state, fed only with committed snapshots.
#include "actors/simulation_actor.hpp"

#include <algorithm>

#include <caf/all.hpp>

namespace traffic::actors {

namespace {

void apply(simulation_state& st, const metrics::snapshot& snapshot) {
  auto& live = st.live;
  if (snapshot.mode)
    live.mode = snapshot.mode;
  if (snapshot.scenario)
    live.scenario = snapshot.scenario;
  ++live.snapshots_committed;
  live.latest_timestamp = std::max(live.latest_timestamp, snapshot.timestamp);
  auto& latest = st.latest_by_intersection[snapshot.intersection_id];
  latest = std::max(latest, snapshot.timestamp);
  st.window.add(metrics::rolling_sample{snapshot.timestamp,
                                        snapshot.metrics.avg_wait_time_all_sides,
                                        snapshot.metrics.avg_speed, snapshot.metrics.throughput});
}

} // namespace

caf::behavior simulation_actor(caf::stateful_actor<simulation_state>* self, std::string id,
                               std::chrono::seconds idle, caf::actor live_metrics) {
  self->state.live.simulation_id = std::move(id);
  self->state.live.rolling_window_seconds = rolling_window_width / 1'000'000;
  return {
      [=](committed_atom, const committed_snapshots& committed) {
        auto& st = self->state;
        for (auto index : committed.indices)
          apply(st, (*committed.request)[index]);
        st.live.intersections = static_cast<std::int64_t>(st.latest_by_intersection.size());
        st.live.rolling_mean_wait = st.window.mean_wait();
        st.live.rolling_mean_speed = st.window.mean_speed();
        st.live.rolling_mean_throughput = st.window.mean_throughput();
        st.live.rolling_samples = st.window.size();
        if (live_metrics)
          self->send(live_metrics, live_atom::value, st.live);
      },
      [=](caf::get_atom, live_atom) { return self->state.live; },
      // The run was deleted: its live state must go too. A normal quit, so the linked router
      // lives on and learns of it from its monitor.
      [=](remove_atom) {
        if (live_metrics)
          self->send(live_metrics, forget_atom::value, self->state.live.simulation_id);
        self->quit();
      },
      caf::after(idle) >>
          [=] {
            if (live_metrics)
              self->send(live_metrics, forget_atom::value, self->state.live.simulation_id);
            self->quit();
          },
  };
}

} // namespace traffic::actors
