// The live dashboard's state: what each simulation actor last reported, and ingest rates.
#include "actors/live_metrics_actor.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "metrics/rate_meter.hpp"

namespace traffic::actors {

namespace {

using clock = std::chrono::steady_clock;

struct tracked_simulation {
  simulation_live live;
  metrics::rate_meter rate;
  clock::time_point last_commit;
};

struct live_metrics_state {
  std::map<std::string, tracked_simulation> simulations; ///< ordered: the answer lists by id
  metrics::rate_meter global_rate;
  std::int64_t snapshots_committed = 0;
  clock::time_point started = clock::now();
  std::vector<live_subscriber> subscribers;
  bool publishing = false; ///< a publish_atom is scheduled
  static inline const char* name = "live_metrics";
};

/// Milliseconds since the actor started: the rate meters' clock.
std::int64_t elapsed_ms(const live_metrics_state& st, clock::time_point now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - st.started).count();
}

/// The live view now: every tracked simulation with its rates and activity.
live_metrics view_of(const live_metrics_state& st, const live_metrics_config& config) {
  auto now = clock::now();
  auto now_ms = elapsed_ms(st, now);
  live_metrics answer;
  answer.rate_window_seconds = config.rate_window.count();
  answer.active_window_seconds = config.active_window.count();
  answer.snapshots_committed = st.snapshots_committed;
  answer.global_ingest_rate = st.global_rate.per_second(now_ms);
  for (const auto& [id, tracked] : st.simulations) {
    live_simulation item;
    item.live = tracked.live;
    item.ingest_rate = tracked.rate.per_second(now_ms);
    item.ms_since_last_commit =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - tracked.last_commit).count();
    item.active = now - tracked.last_commit <= config.active_window;
    answer.active_simulations += item.active ? 1 : 0;
    answer.simulations.push_back(std::move(item));
  }
  return answer;
}

caf::behavior live_metrics_actor(caf::stateful_actor<live_metrics_state>* self,
                                 live_metrics_config config) {
  self->state.global_rate = metrics::rate_meter{config.rate_window.count()};
  return {
      [=](live_atom, simulation_live& live) {
        auto& st = self->state;
        auto now = clock::now();
        auto [it, added] = st.simulations.try_emplace(
            live.simulation_id,
            tracked_simulation{{}, metrics::rate_meter{config.rate_window.count()}, now});
        auto& tracked = it->second;
        // Counts are cumulative per simulation actor; the difference is what this commit added.
        auto added_snapshots = live.snapshots_committed - tracked.live.snapshots_committed;
        if (added_snapshots < 0)
          added_snapshots = live.snapshots_committed;
        tracked.rate.add(elapsed_ms(st, now), added_snapshots);
        st.global_rate.add(elapsed_ms(st, now), added_snapshots);
        st.snapshots_committed += added_snapshots;
        tracked.live = std::move(live);
        tracked.last_commit = now;
      },
      [=](forget_atom, const std::string& simulation_id) {
        self->state.simulations.erase(simulation_id);
      },
      [=](caf::get_atom, live_atom) { return view_of(self->state, config); },
      [=](subscribe_atom, live_subscriber& subscriber) {
        auto& st = self->state;
        if (st.subscribers.size() >= config.max_subscribers || !config.encode)
          return false;
        auto now = std::make_shared<const std::string>(config.encode(view_of(st, config)));
        if (subscriber(now))
          st.subscribers.push_back(std::move(subscriber));
        if (!st.publishing && !st.subscribers.empty()) {
          st.publishing = true;
          self->delayed_send(self, config.publish_interval, publish_atom::value);
        }
        return true;
      },
      [=](publish_atom) {
        auto& st = self->state;
        // One encoding for every open stream; a stream whose connection closed says so here.
        auto text = std::make_shared<const std::string>(config.encode(view_of(st, config)));
        st.subscribers.erase(std::remove_if(st.subscribers.begin(), st.subscribers.end(),
                                            [&](const live_subscriber& s) { return !s(text); }),
                             st.subscribers.end());
        st.publishing = !st.subscribers.empty();
        if (st.publishing)
          self->delayed_send(self, config.publish_interval, publish_atom::value);
      },
  };
}

} // namespace

caf::actor spawn_live_metrics(caf::actor_system& system, live_metrics_config config) {
  return system.spawn(live_metrics_actor, config);
}

} // namespace traffic::actors
